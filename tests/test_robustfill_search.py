"""The robustfill-decompose strategy: its fast semantics agree with the reference ops, and it solves
tasks (hand-written, ExeDec's) with programs the reference interpreter confirms."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl.robustfill import ops
from synth.dsl.robustfill.ops import CHARACTER, INDICES, TYPE_PATTERNS
from synth.errors import InvalidTask
from synth.exedec import load_exedec_tasks
from synth.search import robustfill_search as rs
from synth.task import Task

text = st.text(alphabet="aB3 ,.xY9(", max_size=12)
types = st.sampled_from(sorted(TYPE_PATTERNS))
index = st.sampled_from(INDICES)


@settings(max_examples=300, deadline=None)
@given(text, st.integers(-30, 30), st.integers(-30, 30))
def test_substr_agrees(s, p1, p2):
    assert rs._substr(p1, p2, s) == ops.sub_str(p1, p2, s)


@settings(max_examples=300, deadline=None)
@given(text, types, index, st.sampled_from(["START", "END"]), types, index, st.sampled_from(["START", "END"]))
def test_get_span_boundaries_agree(s, t1, i1, b1, t2, i2, b2):
    import re
    m1 = [(m.start(), m.end(), m.group()) for m in re.finditer(TYPE_PATTERNS[t1], s)]
    m2 = [(m.start(), m.end(), m.group()) for m in re.finditer(TYPE_PATTERNS[t2], s)]
    a, z = rs._boundary(m1, i1, b1), rs._boundary(m2, i2, b2)
    want = ops.get_span(TYPE_PATTERNS[t1], i1, b1, TYPE_PATTERNS[t2], i2, b2, s)
    assert ("" if a == -1 or z == -1 else s[a:z]) == want


@settings(max_examples=300, deadline=None)
@given(text, types, index, st.sampled_from(list(CHARACTER[:30]) + [""]))
def test_match_list_semantics_agree(s, t, i, c):
    import re
    ms = re.findall(TYPE_PATTERNS[t], s)
    assert rs._get_first(ms, i) == ops.get_first(TYPE_PATTERNS[t], i, s)
    assert rs._substitute(s, ms, i, c) == ops.substitute(TYPE_PATTERNS[t], i, c, s) if c else \
        rs._substitute(s, ms, i, c) == ops.remove(TYPE_PATTERNS[t], i, s)
    assert rs._remove_all(s, ms, c) == ops.substitute_all(TYPE_PATTERNS[t], c, s)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab", max_size=8), st.text(alphabet="ab", max_size=3), st.text(alphabet="ab", max_size=3))
def test_chars_between(target, a, b):
    want = {target[j + len(a)] for j in range(len(target)) if target.startswith(a, j)
            and j + len(a) < len(target) and target.startswith(b, j + len(a) + 1)}
    assert rs._chars_between(target, a, b) == want


def _task(pairs, **kw):
    return Task.from_examples([({"x": i}, o) for i, o in pairs], domain="robustfill", **kw)


@pytest.mark.parametrize("pairs", [
    [("Jane Doe", "Doe, J."), ("Mark Twain", "Twain, M."), ("Ada Lovelace", "Lovelace, A.")],
    [("apple pie 12", "APPLE:12"), ("fig jam 7", "FIG:7"), ("kiwi 305 x", "KIWI:305")],
    [("(555) 123", "555.123"), ("(12) 9", "12.9")],
    [("a,b,c", "a;b;c!"), ("x,,y", "x;;y!")],
])
def test_solves_small_tasks(pairs):
    res = synth.solve(_task(pairs), strategy="robustfill-decompose", timeout=60)
    assert res.status == "solved" and res.train_ok
    assert res.strategy == "robustfill-decompose"


@pytest.mark.parametrize("name", ["NONE/6", "COMPOSE_NEW_OP/29", "NONE/0"])
def test_solves_released_problems(name):
    split, index = name.split("/")
    task = load_exedec_tasks("robustfill", split, int(index) + 1)[-1]
    res = synth.solve(task, strategy="robustfill-decompose", timeout=60)
    assert res.solved and res.train_ok


def test_output_outside_the_alphabet_exhausts():
    res = synth.solve(_task([("ab cd", "é"), ("ef", "é")]), strategy="robustfill-decompose", timeout=60)
    assert res.status == "exhausted" and res.program is None


def test_candidate_budget_stops_the_search():
    task = load_exedec_tasks("robustfill", "NONE", 3)[2]
    res = synth.solve(task, strategy="robustfill-decompose", timeout=60, max_candidates=500)
    assert res.status == "timeout" and res.stats["stopped_by"] == "candidates"


def test_empty_parts_are_a_last_resort():
    # the number is missing in one example: its expression is empty there
    res = synth.solve(_task([("ab 12", "AB12"), ("cd", "CD"), ("ef 3", "EF3")]), strategy="robustfill-decompose", timeout=60)
    assert res.solved and res.program(x="gh 45") == "GH45"


def test_robustfill_tasks_have_one_string_input():
    with pytest.raises(InvalidTask, match="exactly one input"):  # found when the task is read
        Task.from_examples([({"a": "x", "b": "y"}, "xy")], domain="robustfill")


def test_cli_solves_the_examples(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from synth.cli import main
    files = sorted(Path(__file__).resolve().parents[1].glob("examples/robustfill/*.json"))
    assert files
    out = CliRunner().invoke(main, ["solve", "--timeout", "60", "--format", "json", *map(str, files)])
    assert out.exit_code == 0, out.output
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    assert all(r["status"] == "solved" and r["test_ok"] for r in recs)


def test_op_restriction_is_honoured():
    pairs = [("Jane Doe", "Doe, J."), ("Mark Twain", "Twain, M.")]
    res = synth.solve(_task(pairs, ops="GetToken,ConstStr"), strategy="robustfill-decompose", timeout=60)
    assert res.solved and "Concat(GetToken(WORD, -1, x), ConstStr(\",\")" in str(res.program)
    res = synth.solve(_task(pairs, ops="GetToken"), strategy="robustfill-decompose", timeout=60)
    assert res.status == "exhausted"


def test_all_empty_outputs():
    res = synth.solve(_task([("abc", ""), ("de", "")]), strategy="robustfill-decompose", timeout=60)
    assert res.solved and res.program(x="xyz") == ""


# -- the reachability over the parts (indexes, look-ahead, cap) ---------------------------------
def _brute_reachable(targets, parts, max_parts):
    """Every state a sequence of at most max_parts parts reaches, by plain breadth-first search."""
    start = (0,) * len(targets)
    seen = {start: 0}
    frontier = [start]
    for d in range(1, max_parts + 1):
        nxt = []
        for s in frontier:
            for p in parts:
                if all(t.startswith(v, o) for t, o, v in zip(targets, s, p)):
                    n = tuple(o + len(v) for o, v in zip(s, p))
                    if n not in seen:
                        seen[n] = d
                        nxt.append(n)
        frontier = nxt
    return seen


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab", min_size=1, max_size=7), min_size=1, max_size=3),
       st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=12))
def test_reachability_finds_what_breadth_first_search_finds(targets, seeds):
    """Parts arriving one by one (any order): the reachability solves exactly when a plain search
    over the same parts reaches the ends of the outputs, with a path of real parts."""
    parts = []
    for k in seeds:  # substrings of every output, non-empty
        p = []
        for t in targets:
            i = k % len(t)
            j = i + 1 + (k // 7) % (len(t) - i)
            p.append(t[i:j])
        if tuple(p) not in parts:
            parts.append(tuple(p))
    max_parts = 4
    reach = rs.Reachability(list(targets), max_parts, lambda: None)
    solved = False
    for p in parts:
        try:
            reach.add_part(p)
        except rs._Solved:
            solved = True
            break
    goal = tuple(len(t) for t in targets)
    want = goal in _brute_reachable(list(targets), parts, max_parts)
    assert solved == want
    if solved:
        path = reach.solution
        assert 1 <= len(path) <= max_parts and all(p in parts for p in path)
        assert ["".join(v[e] for v in path) for e in range(len(targets))] == list(targets)


def test_reachability_gives_up_at_its_state_cap():
    # a one-character alphabet: every offset is a state
    reach = rs.Reachability(["a" * 12, "a" * 12], 10, lambda: None, max_states=3)
    reach.add_part(("a", "a"))
    assert reach.capped and len(reach.depth) <= 3
    reach.add_part(("aa", "aa"))  # ignored from now on
    assert reach.solution is None and len(reach.depth) <= 3


def test_reachability_looks_one_part_ahead():
    # "cd" is known before "ab" arrives: the state after "ab" has the rest as a part
    reach = rs.Reachability(["abcd", "abcd"], 10, lambda: None)
    reach.add_part(("cd", "cd"))
    with pytest.raises(rs._Solved):
        reach.add_part(("ab", "ab"))
    assert reach.solution == [("ab", "ab"), ("cd", "cd")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab", min_size=1, max_size=7), min_size=2, max_size=3),
       st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=12))
def test_reachability_with_parts_empty_on_the_first_examples(targets, seeds):
    """Parts empty on example 0 or 1 (the last resort, kept aside from the index by offsets)
    are tried on every state: the same answer as the plain search."""
    parts = []
    for k in seeds:
        p = []
        for e, t in enumerate(targets):
            i = k % len(t)
            j = i + 1 + (k // 7) % (len(t) - i)
            p.append("" if e == k % 3 and e < 2 else t[i:j])
        if tuple(p) not in parts:
            parts.append(tuple(p))
    reach = rs.Reachability(list(targets), 4, lambda: None)
    solved = False
    for p in parts:
        try:
            reach.add_part(p)
        except rs._Solved:
            solved = True
            break
    assert solved == (tuple(len(t) for t in targets) in _brute_reachable(list(targets), parts, 4))
    if solved:
        assert ["".join(v[e] for v in reach.solution) for e in range(len(targets))] == list(targets)


def _config_functions():
    """Every modification config as a function of its string (reference ops)."""
    cfgs = [lambda s, c=c: ops.to_case(c, s) for c in ops.CASES] + [ops.trim]
    cfgs += [lambda s, a=a, b=b: ops.replace(a, b, s)
             for a in ops.DELIMITER for b in ops.DELIMITER if a != b]
    for t in TYPE_PATTERNS.values():
        cfgs += [lambda s, t=t: ops.get_all(t, s), lambda s, t=t: ops.remove_all(t, s)]
        cfgs += [lambda s, t=t, c=c: ops.substitute_all(t, c, s) for c in CHARACTER]
        for i in INDICES:
            cfgs += [lambda s, t=t, i=i: ops.get_first(t, i, s), lambda s, t=t, i=i: ops.remove(t, i, s)]
            cfgs += [lambda s, t=t, i=i, c=c: ops.substitute(t, i, c, s) for c in CHARACTER]
    return cfgs


_CONFIGS = _config_functions()


class _Parts:
    """Stands in for the reachability: records the parts."""

    solution = None

    def __init__(self):
        self.parts = []

    def add_part(self, vals):
        self.parts.append(vals)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.text(alphabet="aAbB3 ,x9", min_size=1, max_size=8), min_size=1, max_size=3),
       st.lists(st.integers(0, len(_CONFIGS) - 1), min_size=1, max_size=3),
       st.text(alphabet="aAb ,x9", max_size=4))
def test_compose_parts_are_every_modification_inside_the_outputs(xs, picks, junk):
    """``compose_over`` (only the configs that change some example's string, SubstituteAll
    characters read off the outputs, single-character types joined without replacing) adds
    as parts exactly the values a brute force over every config and character finds:
    non-empty and inside the output on every example, and not the strings themselves. The
    outputs are made of a few configs' results, so that many fit."""
    xs = tuple(xs)
    targets = [junk + "".join(_CONFIGS[k](s) for k in picks) + s[::-1] for s in xs]
    var = synth.dsl.base.Var("x", "String")
    search = rs.ConcatDecomposition(list(xs), targets, var, rs.Clock(rs.Budget(timeout=None)))
    search.reach = _Parts()
    search.compose_over(xs, var)
    got = set(search.reach.parts)
    domain = synth.dsl.get_domain("robustfill")
    for vals in got:
        assert tuple(domain.evaluate(search.parts[vals], {"x": s}) for s in xs) == vals
    want = {vals for vals in (tuple(f(s) for s in xs) for f in _CONFIGS)
            if vals != xs and all(v and v in t for v, t in zip(vals, targets))}
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aB3 ,.x9(", max_size=12), st.sampled_from(sorted(rs._SINGLE_CHAR_TYPES)),
       st.sampled_from(list(CHARACTER)))
def test_single_character_types_substitute_all_is_a_join(s, t, c):
    """For a type whose matches are single characters, SubstituteAll is the pieces between the
    matches joined by c, even when c is itself a match (its replacement is then a no-op)."""
    import re
    ms = re.findall(TYPE_PATTERNS[t], s)
    pieces = re.split(TYPE_PATTERNS[t], s)
    assert ops.substitute_all(TYPE_PATTERNS[t], c, s) == c.join(pieces) == rs._remove_all(s, ms, c)


def _inners_task():
    """A search over three strings with its first three stages run (the Compose inners known)."""
    xs = ["ab-cd 12", "xy-zw 345", "pq-rs 6"]
    targets = ["AB cd|12", "XY zw|345", "PQ rs|6"]
    var = synth.dsl.base.Var("x", "String")
    search = rs.ConcatDecomposition(xs, targets, var, rs.Clock(rs.Budget(timeout=None)))
    search.reach = _Parts()
    search.constants()
    search.substring_ops()
    search.modification_ops()
    return search


def test_compose_chunks_pause_and_add_what_compose_phase_adds(monkeypatch):
    """``compose_chunks`` pauses after its first chunk and after each later one, and in all
    composes the inner values ``compose_phase`` composes: the same parts, in the same order."""
    monkeypatch.setattr(rs, "COMPOSE_FIRST_CHUNK", 3)
    monkeypatch.setattr(rs, "COMPOSE_CHUNK", 5)
    whole = _inners_task()
    whole.compose_phase()
    chunked = _inners_task()
    n = len(chunked.inner)
    pauses = list(chunked.compose_chunks())
    assert pauses == list(range(3, n, 5))
    assert chunked.reach.parts == whole.reach.parts
    assert list(chunked.parts) == list(whole.parts)


def test_compose_tries_inner_values_that_wrote_an_absent_character_last():
    """An inner value whose op wrote, on some example, a character that example's output lacks
    is composed after every inner value of the same op that did not."""
    order = []
    search = _inners_task()
    search.compose_over = lambda vals, node: order.append((vals, node))
    list(search.compose_chunks())
    subs = [(vals, node) for vals, node in order if node.op == "Substitute"]
    absent = [any(node.args[2].value in v and node.args[2].value not in t
                  for v, t in zip(vals, search.targets)) for vals, node in subs]
    assert True in absent and False in absent
    assert absent == sorted(absent)  # every False (kept) before every True (demoted)
    assert rs._inserted_char(subs[0][1]) == subs[0][1].args[2].value


def test_a_finished_search_is_freed_without_the_garbage_collector():
    """No reference cycle holds a search: dropping it frees its values at once, rather than
    leaving millions of them to a collection that would pause some later search."""
    import gc
    import weakref
    task = load_exedec_tasks("robustfill", "NONE", 1)[0]
    x = [e.inputs["x"] for e in task.examples]
    search = rs.ConcatDecomposition(x, [e.output for e in task.examples],
                                    synth.dsl.base.Var("x", "String"),
                                    rs.Clock(rs.Budget(max_candidates=20_000)), max_states=5000)
    search.run()
    assert search.parts
    gone = weakref.ref(search)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del search
        assert gone() is None
    finally:
        if enabled:
            gc.enable()


def test_compose_tries_values_more_configurations_give_first():
    """Inner values with nothing against them are composed in order of the probability that
    ExeDec's sampler draws a configuration giving them: an op's share (a substring op 1/10, a
    modification 1/18) times the share of the op's configurations that give the value."""
    order = []
    search = _inners_task()
    search.compose_over = lambda vals, node: order.append((vals, node))
    list(search.compose_chunks())
    configs, mass = {}, {}
    for (vals, op), n in search._inner_hits.items():
        configs[op] = configs.get(op, 0) + n
    for (vals, op), n in search._inner_hits.items():
        mass[vals] = mass.get(vals, 0) + (1 / 10 if op in rs._SUBSTRING_OPS else 1 / 18) * n / configs[op]

    def clean(vals, node):
        c = rs._inserted_char(node)
        return all(v[:rs.EDGE] in t and v[-rs.EDGE:] in t and (c is None or c not in v or c in t)
                   for v, t in zip(vals, search.targets))

    kept = [mass[vals] for vals, node in order if clean(vals, node)]
    assert len(set(kept)) > 5
    assert kept == sorted(kept, reverse=True)
