"""Regressions from the fuzz campaign on the Z3-verified domains (regex, lia).

Valid tasks get a correct answer (re-checked here on the examples, with the position matcher and
with Python's ``re``); bad ones get an ``InvalidTask`` naming the field; work that grows with the
input stays inside the budget (tested with memory/size limits and already-spent clocks, never with
wall-clock thresholds).
"""
import random

import numpy as np
import pytest

import synth
from synth.dsl.base import Apply, Const, Var
from synth.dsl.regex.charclass import CharClass
from synth.dsl.regex.matcher import PositionMatcher, matches, python_matches
from synth.dsl.regex.syntax import (MAX_DEPTH, MAX_REPEAT, code_points, depth, format_regex,
                                    lit, parse_regex, to_python_pattern)
from synth.errors import InvalidTask, ProgramSyntaxError
from synth.search.budget import Budget, Clock
from synth.task import Task


def regex_task(pos, neg, **extra):
    return Task.from_dict({"name": "t", "domain": "regex", "positive": pos, "negative": neg,
                           **extra})


def assert_fits(node, pos, neg, python_too=True):
    assert all(matches(node, s) for s in pos) and not any(matches(node, s) for s in neg)
    if python_too:  # the printed Python pattern means the same (examples are short here)
        assert all(python_matches(node, s) for s in pos)
        assert not any(python_matches(node, s) for s in neg)
    back = parse_regex(format_regex(node))  # and so does our own printed syntax
    assert all(matches(back, s) for s in pos) and not any(matches(back, s) for s in neg)


# ------------------------------------------------------------------------ regex: valid input
@pytest.mark.parametrize("pos,neg", [
    ([" ", " 1"], ["x"]),                          # the fuzz report: an empty field next to " "
    (["\t", "\t1"], ["x"]),
    (["a b", "a  b", "ab"], ["b a", "x"]),
    (['"', "'a"], ["x"]),
    (["\\", "a\\"], ["x", "\\\\b"]),
    ([".*+?()[]{}|^$", "a.b"], ["x", "ab"]),
    (["(a)", "(bb)"], ["a", "()"]),
    (["", "a"], ["b"]),
    ([""], ["x", "ab"]),                          # only the empty string: ()
    (["a"], [""]),
    (["é", "日本"], ["x"]),
    (["∅", "∅∅"], ["", "x"]),                     # our syntax's empty-language sign, as a literal
    (["\x00", "\x00\x00"], ["", "a"]),
    (["\\u{41}"], ["A", "u"]),                     # text that Z3 would read as an escape
    (["a-", "b-"], ["-", "a"]),
])
def test_regex_tricky_characters_get_a_fitting_answer(pos, neg):
    res = synth.solve(regex_task(pos, neg), timeout=30)
    assert res.status == "solved", (res.status, res.error)
    assert_fits(res.program.node, pos, neg)
    assert res.stats["verified"] == "proved"


def test_regex_only_empty_positive_is_epsilon():
    res = synth.solve(regex_task([""], ["x"]), timeout=30)
    assert res.status == "solved"
    assert str(res.program) == "()"


def test_field_candidates_with_an_empty_value_and_a_one_character_class():
    from synth.search.regex_fields import delimited_candidates, field_candidates

    forms = [format_regex(n) for n in field_candidates(["", "1"])]
    assert r"\d?" in forms and r"\d*" in forms
    found = delimited_candidates([" ", " 1"], ["x"])
    assert found and all(matches(n, " ") and matches(n, " 1") and not matches(n, "x")
                         for n in found)


# ---------------------------------------------------------------- regex: the top of Unicode
ASTRAL = ["\U0010FFFF", "\U0010FFFE", "\U00030000", "\U0001F600", "\U00020000"]


@pytest.mark.parametrize("c", ASTRAL + ["\uffff", "\x00", "\ud800"])
def test_escapes_round_trip_for_every_code_point(c):
    for node in (lit(c), lit("a" + c), Const(CharClass.of([c, "a"]), "Class"),
                 Const(CharClass.range("a", c), "Class") if c > "a" else lit(c)):
        text = format_regex(node)
        assert parse_regex(text) == node or format_regex(parse_regex(text)) == text
        assert matches(parse_regex(text), c if node.type != "Lit" else node.value)
        assert python_matches(node, c if node.type != "Lit" else node.value)


def test_astral_escape_is_eight_digits():
    assert format_regex(lit("\U0010FFFF")) == r"\U0010ffff"
    assert to_python_pattern(lit("\U0010FFFF")) == r"\U0010ffff"
    assert parse_regex(r"\u10ff") == lit("\u10ff")  # four digits: a BMP character
    with pytest.raises(ProgramSyntaxError, match="U\\+10FFFF"):
        parse_regex(r"\U00110000")


@pytest.mark.parametrize("pos,neg", [
    (["\U0010FFFF"], ["a"]),
    (["\U0010FFFF", "\U0010FFFE"], ["a", ""]),
    (["a\U0010FFFF"], ["a"]),
    (["\U00030000", "\U00030001x"], ["\U0002FFFF", "x"]),
    (["\U0001F600\U0001F600", "\U0001F600"], ["", "\U0001F601"]),
])
def test_regex_astral_tasks_are_solved_and_proved(pos, neg):
    res = synth.solve(regex_task(pos, neg), timeout=30)
    assert res.status == "solved", (res.status, res.error)
    assert_fits(res.program.node, pos, neg)
    assert res.stats["verified"] == "proved"


def test_z3_alphabet_renumbers_beyond_u2ffff():
    from synth.verify.regex import check_examples, equivalent

    any_char = parse_regex(".")
    assert check_examples(any_char, ["\U0010FFFF", "\U00030000"], ["", "ab"]).proved
    upto = parse_regex(r"[\x00-\U0010fffe]")
    v = equivalent(any_char, upto)
    assert v.refuted and v.counterexample == "\U0010FFFF"
    assert equivalent(parse_regex(r"[^a]"), parse_regex(r"[\x00-`b-\U0010ffff]")).proved
    v = equivalent(parse_regex(r"[\U00030000-\U00030005]"), parse_regex(r"[\U00030000\U00030005]"))
    assert v.refuted and "\U00030000" < v.counterexample < "\U00030005"


def test_z3_strings_take_backslashes_literally():
    from synth.verify.regex import accepts
    from synth.z3util import z3_string, z3_string_value

    for s in ["\\u{41}", "\\", "a\\x41", "\x00\t\n", "é\ud800", "\U0002FFFF"]:
        assert z3_string_value(z3_string(s)) == s
    assert accepts(lit("A"), "\\u{41}") is False
    assert accepts(lit("\\u{41}"), "\\u{41}") is True


# ------------------------------------------------------------------ regex: the matcher
def _random_regex(rng, depth_left=3):
    alphabet = ["a", "b", "é", "\U0010FFFF"]
    if depth_left == 0 or rng.random() < 0.3:
        k = rng.random()
        if k < 0.5:
            return lit(rng.choice(alphabet + ["", "ab"]))
        if k < 0.9:
            return Const(CharClass.of(rng.sample(alphabet, 2)), "Class")
        return Const(CharClass.any(), "Class")
    op = rng.choice(["concat", "union", "star", "plus", "opt", "repeat"])
    a = _random_regex(rng, depth_left - 1)
    if op in ("concat", "union"):
        return Apply(op, (a, _random_regex(rng, depth_left - 1)))
    if op == "repeat":
        lo = rng.randint(0, 2)
        hi = rng.choice([-1, lo, lo + 1, lo + 2])
        return Apply("repeat", (a, Const(lo, "Int"), Const(hi, "Int")))
    return Apply(op, (a,))


def test_position_matcher_agrees_with_python_re():
    rng = random.Random(7)
    for _ in range(400):
        node = _random_regex(rng)
        for _ in range(5):
            s = "".join(rng.choice(["a", "b", "é", "\U0010FFFF"]) for _ in range(rng.randint(0, 5)))
            assert matches(node, s) == python_matches(node, s), (format_regex(node), s)


def test_position_matcher_does_not_backtrack():
    # Python's re takes exponential time here; the matcher is polynomial in the string
    node = parse_regex("(a|aa)*")
    assert not matches(node, "a" * 3000 + "b")
    assert matches(node, "a" * 3000)
    assert not matches(parse_regex("(.+-)*.+!"), "x-" * 2000)


def test_position_matcher_asks_its_check_in_long_loops():
    calls = []

    class Stop(Exception):
        pass

    def check():
        calls.append(1)
        raise Stop()

    with pytest.raises(Stop):
        PositionMatcher("a" * 5000, check).fullmatch(parse_regex("(a|aa)*b"))
    assert calls


# ----------------------------------------------------------- regex: work inside the budget
def test_infix_space_refuses_too_many_entries():
    from synth.search.regex_search import InfixSpace, SpaceTooLarge

    with pytest.raises(SpaceTooLarge) as e:
        InfixSpace(["ab" * 200], max_entries=10_000)
    assert e.value.why == "memory"
    InfixSpace(["ab" * 20], max_entries=10_000)  # small enough


def test_infix_space_stops_on_a_spent_clock():
    from synth.search.regex_search import InfixSpace, SpaceTooLarge

    clock = Clock(Budget(timeout=1.0))
    clock.deadline = clock.start - 1.0  # already out of time
    with pytest.raises(SpaceTooLarge) as e:
        InfixSpace(["abc", "abd"], clock)
    assert e.value.why == "time"


def test_infix_space_tables_match_the_definition():
    from synth.search.regex_search import InfixSpace

    rng = random.Random(3)
    for _ in range(100):
        strings = ["".join(rng.choice("ab c") for _ in range(rng.randint(0, 9)))
                   for _ in range(rng.randint(1, 4))]
        sp = InfixSpace(strings)
        want = sorted({""} | {s[i:j] for s in strings for i in range(len(s))
                               for j in range(i + 1, len(s) + 1)}, key=lambda w: (len(w), w))
        assert sp.infixes == want
        for k, w in enumerate(want):
            splits = list(zip(sp.su[sp.off[k]:sp.off[k + 1]], sp.sv[sp.off[k]:sp.off[k + 1]]))
            assert splits == [(sp.index[w[:m]], sp.index[w[m:]]) for m in range(len(w) + 1)]


def test_long_positive_is_answered_without_enumerating_its_infixes():
    # 10,000 characters: ~50 million infix splits, never built; the simple forms answer
    pos, neg = ["a" * 10_000], ["a" * 9_999 + "b", "b"]
    res = synth.solve(regex_task(pos, neg), timeout=None)
    assert res.status == "solved"
    assert str(res.program) in ("a+", "a*")
    assert "simple forms" in res.stats["method"]
    assert_fits(res.program.node, pos, neg, python_too=False)


def test_long_random_positive_without_a_simple_answer_stops_on_memory():
    rng = random.Random(0)
    pos = ["".join(rng.choice("ab") for _ in range(3000))]
    neg = ["".join(rng.choice("ab") for _ in range(3000))]
    res = synth.solve(regex_task(pos, neg), timeout=None)
    assert res.status == "timeout" and res.stats["stopped_by"] == "memory"


def test_regex_search_with_no_time_left_returns_timeout():
    res = synth.solve(regex_task(["0101", "11"], ["10", "0"]), timeout=1e-6)
    assert res.status in ("timeout", "unproven")  # never an error or a late answer


def test_many_fields_are_left_to_the_other_methods():
    from synth.search.regex_fields import MAX_FIELDS, delimited_candidates

    pos = ["-".join("ab"[k % 2] for k in range(MAX_FIELDS + 5))]
    assert delimited_candidates(pos, ["x"]) == []
    assert delimited_candidates(["a-b-c"], ["x"])


# ------------------------------------------------------------------- regex: parser limits
def test_regex_parser_limits_are_named():
    with pytest.raises(ProgramSyntaxError, match=f"at most {MAX_DEPTH}"):
        parse_regex("a" + "*" * 500)
    with pytest.raises(ProgramSyntaxError, match=f"limit of {MAX_REPEAT}"):
        parse_regex("a{99999999999}")
    with pytest.raises(ProgramSyntaxError, match="hex digits"):
        parse_regex(r"[\x4]")


def test_long_regex_text_parses_shallow():
    node = parse_regex("ab" * 2000)
    assert depth(node) < 20
    assert format_regex(node) == "ab" * 2000
    assert matches(node, "ab" * 2000) and not matches(node, "ab" * 1999)
    node = parse_regex("|".join(f"x{k}" for k in range(1000)))
    assert depth(node) < 20 and matches(node, "x999")


def test_bad_solution_field_is_invalid_task():
    with pytest.raises(InvalidTask, match="'solution'"):
        synth.solve(regex_task(["a"], ["b"], solution="(("), timeout=5)


def test_regex_examples_are_checked_for_tasks_built_in_python():
    from synth.errors import InconsistentExamples

    t = Task(name="t", domain="regex", spec={"positive": ["a", 1], "negative": []})
    with pytest.raises(InvalidTask, match="'positive' must be a list of strings"):
        synth.solve(t, timeout=5)
    t = Task(name="t", domain="regex", spec={"positive": ["a"], "negative": ["a"]})
    with pytest.raises(InconsistentExamples):
        synth.solve(t, timeout=5)


def test_code_points_of_a_regex():
    assert code_points(parse_regex(r"a[b-\U0010ffff]")) == {ord("a"), ord("b"), 0x10FFFF}


# ---------------------------------------------------------------------------- lia
LOOP = {"name": "t", "domain": "lia", "vars": ["x", "n"], "pre": "x == 0 and n >= 0",
        "guard": "x < n", "body": "x = x + 1", "post": "x == n"}


def lia_task(**change):
    d = dict(LOOP)
    d.update(change)
    return Task.from_dict(d)


@pytest.mark.parametrize("field,text", [
    ("guard", "x"), ("guard", "1"), ("guard", "nondet()"), ("pre", "x"), ("post", "1"),
    ("post", "x + 1"),
])
def test_lia_non_boolean_condition_is_invalid(field, text):
    with pytest.raises(InvalidTask, match=f"'{field}' must be a boolean condition"):
        lia_task(**{field: text})


@pytest.mark.parametrize("change,match", [
    ({"body": "x = x < 1"}, "value assigned to x must be an integer"),
    ({"post": "(x < 1) < 2"}, "'<' needs an integer"),
    ({"pre": "true + 1 == 2"}, "'\\+' needs an integer"),
    ({"post": "ite(x, 1, 2) == 1"}, "'ite' needs a condition"),
    ({"post": "x == (n < 1)"}, "'==' compares"),
    ({"bool_vars": ["n"], "pre": "x == 0", "guard": "x < n"}, "'<' needs an integer"),
])
def test_lia_mixed_sorts_are_invalid(change, match):
    with pytest.raises(InvalidTask, match=match):
        lia_task(**change)


@pytest.mark.parametrize("change", [
    {"post": "x % 0 == 0"}, {"body": "x = x + 1 + n % 0"}, {"post": "x % (n - n) == 0"},
    {"guard": "x % (2 - 2) < n"},
])
def test_lia_division_by_zero_is_invalid(change):
    with pytest.raises(InvalidTask, match="division by zero"):
        lia_task(**change)


@pytest.mark.parametrize("guard", ["", "   ", "\n"])
def test_lia_empty_guard_is_invalid(guard):
    with pytest.raises(InvalidTask, match="'guard' is empty"):
        lia_task(guard=guard)


@pytest.mark.parametrize("field", ["pre", "post"])
def test_lia_empty_pre_or_post_is_invalid(field):
    with pytest.raises(InvalidTask, match=f"'{field}' is empty"):
        lia_task(**{field: " "})


@pytest.mark.parametrize("guard", [None, "unknown()", "*"])
def test_lia_nondeterministic_guard_is_explicit(guard):
    from synth.dsl.lia.loop import loop_from_spec

    spec = {k: v for k, v in LOOP.items() if k not in ("name", "domain")}
    spec["guard"] = guard
    assert loop_from_spec("t", spec).guard is None


def test_lia_variable_divisor_is_allowed_and_zero_is_not_a_crash():
    t = lia_task(post="x % (n + 1) >= 0")
    from synth.search.cegis import system_for_task

    ts = system_for_task(t)
    assert ts.concrete_post({"x": 1, "n": -1}) is None  # x % 0 at this state: unknown, no raise
    assert synth.solve(t, timeout=10, max_candidates=50).status in ("solved", "timeout", "unproven")


def test_lia_thousand_term_sum_is_handled():
    from synth.dsl.lia.syntax import depth as lia_depth
    from synth.dsl.lia.syntax import parse_expr
    from synth.dsl.lia.statements import eval_expr
    from synth.verify.inductive import verify_invariant

    text = " + ".join(["x"] * 1000) + " - " + " - ".join(["n"] * 999) + " == x + n"
    node = parse_expr(text)
    assert lia_depth(node) < 30
    assert eval_expr(node, {"x": 3, "n": 7}) == (3000 - 999 * 7 == 10)
    from synth.search.cegis import system_for_task

    t = lia_task(post=" + ".join(["x"] * 1000) + " == 1000 * n")
    ts = system_for_task(t)
    assert verify_invariant(ts, parse_expr("x <= n and x >= 0")).proved


def test_lia_long_and_not_chains_are_flattened():
    from synth.dsl.lia.syntax import depth as lia_depth
    from synth.dsl.lia.syntax import parse_expr

    node = parse_expr(" and ".join(["x >= 0"] * 1000))
    assert lia_depth(node) <= 4
    assert parse_expr("not " * 1001 + "x > 0") == parse_expr("not x > 0")
    assert parse_expr("-" * 1000 + "x") == Var("x", "Int")


def test_lia_deep_nesting_names_the_limit():
    from synth.dsl.lia.syntax import MAX_DEPTH as LIA_MAX_DEPTH

    deep = "(" * 300 + "x" + " % 2)" * 300 + " == 0"
    with pytest.raises(InvalidTask, match=f"at most {LIA_MAX_DEPTH}"):
        lia_task(post=deep)
    with pytest.raises(InvalidTask, match=f"at most {LIA_MAX_DEPTH}"):
        lia_task(body="x = x + 1; n = " + "(" * 300 + "n" + " % 3)" * 300)


def test_lia_huge_constants_do_not_overflow():
    from synth.search.invariant import atom_values, make_atom

    big = 10 ** 30
    atom = make_atom([1, 0], ["x", "n"], -big, "<=")
    M = np.asarray([[1, 2], [big, 0]], dtype=object)
    assert atom_values([atom], ["x", "n"], np.asarray([[1, 2]], dtype=np.int64)).tolist() == [[True]]
    assert atom_values([atom], ["x", "n"], M)[:, 0].tolist() == [True, True]
    t = lia_task(pre=f"x == 0 and n >= 0 and n <= {big}", post=f"x <= {big}")
    res = synth.solve(t, timeout=20)
    assert res.status in ("solved", "timeout", "unproven")  # and no OverflowError


def test_regex_answer_turned_down_by_the_recheck_is_not_reported(monkeypatch):
    import synth.dsl.regex.matcher as M

    real = M.fits_examples
    turned_down = []

    def first_fails(node, pos, neg, check=None):
        if not turned_down:
            turned_down.append(format_regex(node))
            return False
        return real(node, pos, neg, check)

    monkeypatch.setattr(M, "fits_examples", first_fails)
    pos, neg = ["1", "01", "11", "0101"], ["", "0", "10", "110"]
    res = synth.solve(regex_task(pos, neg), timeout=30)
    assert turned_down == ["[01]*1"]
    assert res.status == "solved" and str(res.program) != "[01]*1"
    assert res.stats["rejected_answers"] == 1
    assert_fits(res.program.node, pos, neg)
