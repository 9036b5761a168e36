"""The regex domain: syntax, matching, search signatures, the search itself, and task checks."""
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl import get_domain
from synth.dsl.base import Apply, Const
from synth.dsl.regex.charclass import CharClass
from synth.dsl.regex.syntax import (format_regex, parse_regex, reference_pattern,
                                    to_python_pattern)
from synth.errors import InconsistentExamples, InvalidTask, ProgramSyntaxError
from synth.task import Task

D = get_domain("regex")


@pytest.mark.parametrize("text", [
    r"\d{5}(-\d{4})?", r"\w+@\w+\.(com|org)", "(0|1)*1(0|1){4}", "a()|b", "a b", "[^,]+",
    "(a*)*", "ab*c", "(ab)*", r"\d{2,}", ".x", r"[\-az]", "∅|a", r"\\x", r"[+\-]?\d+",
])
def test_parse_print_round_trip(text):
    node = parse_regex(text)
    assert format_regex(parse_regex(format_regex(node))) == format_regex(node)
    assert format_regex(node) == text


@pytest.mark.parametrize("bad", ["(ab", "a{3,1}", "*a", "[z-a]", "a|*"])
def test_bad_regex_text(bad):
    with pytest.raises(ProgramSyntaxError):
        parse_regex(bad)


def test_python_pattern_uses_ascii_classes():
    node = parse_regex(r"\d\w.")
    pat = to_python_pattern(node)
    assert pat == r"[0-9][0-9A-Z_a-z][\s\S]"
    assert re.fullmatch(pat, "1_\n")
    assert not re.fullmatch(pat, "١_x")  # an Arabic-Indic digit is not [0-9]


def test_program_runs_whole_string_match():
    p = D.parse(r"[0-9]{5}")
    assert p(s="12345") is True
    assert p(s="123456") is False
    assert p(s="a12345") is False


# -- random regexes: printer, reference semantics and numba signatures agree ---------------------
ALPHABET = "ab0"
leaf = st.sampled_from([Const("a", "Lit"), Const("b", "Lit"), Const("0", "Lit"), Const("ab", "Lit"),
                        Const(CharClass.of("ab"), "Class"), Const(CharClass.range("0", "9"), "Class"),
                        Const(CharClass.any(), "Class"), Const("", "Lit")])


def _extend(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: Apply("concat", p)),
        st.tuples(children, children).map(lambda p: Apply("union", p)),
        children.map(lambda a: Apply("star", (a,))),
        children.map(lambda a: Apply("plus", (a,))),
        children.map(lambda a: Apply("opt", (a,))),
        st.tuples(children, st.integers(0, 3), st.integers(0, 3)).map(
            lambda t: Apply("repeat", (t[0], Const(min(t[1], t[2]), "Int"), Const(max(t[1], t[2]), "Int")))),
    )


regexes = st.recursive(leaf, _extend, max_leaves=6)
words = st.lists(st.text(alphabet=ALPHABET, max_size=5), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(regexes, words)
def test_printer_matches_reference_semantics(node, strings):
    printed = re.compile(to_python_pattern(node))
    reference = re.compile(reference_pattern(node))
    ours = re.compile(to_python_pattern(parse_regex(format_regex(node))))
    for s in strings:
        want = reference.fullmatch(s) is not None
        assert (printed.fullmatch(s) is not None) == want
        assert (ours.fullmatch(s) is not None) == want


def _signature(space, node):
    """Signature of a regex built with the numba kernels, bottom-up."""
    from synth.dsl.regex import kernels as K

    W = space.words
    if isinstance(node, Const):
        if node.type == "Lit":
            return space.signature(lambda w: w == node.value)
        return space.signature(lambda w: len(w) == 1 and w in node.value)
    out = np.empty(W, dtype=np.uint64)
    a = _signature(space, node.args[0])
    if node.op == "concat":
        K.concat_sig(a, _signature(space, node.args[1]), space.off, space.su, space.sv, out)
    elif node.op == "union":
        K.union_sig(a, _signature(space, node.args[1]), out)
    elif node.op == "star":
        K.star_sig(a, space.off, space.su, space.sv, out)
    elif node.op == "plus":
        t = np.empty(W, dtype=np.uint64)
        K.star_sig(a, space.off, space.su, space.sv, t)
        K.concat_sig(a, t, space.off, space.su, space.sv, out)
    elif node.op == "opt":
        K.opt_sig(a, out)
    else:
        t1, t2 = np.empty(W, dtype=np.uint64), np.empty(W, dtype=np.uint64)
        K.repeat_sig(a, node.args[1].value, node.args[2].value, space.off, space.su, space.sv, out, t1, t2)
    return out


@settings(max_examples=120, deadline=None)
@given(regexes, words)
def test_numba_signatures_agree_with_re(node, strings):
    from synth.search.regex_search import InfixSpace

    space = InfixSpace(strings)
    sig = _signature(space, node)
    pat = re.compile(reference_pattern(node))
    for k, w in enumerate(space.infixes):
        bit = bool((int(sig[k >> 6]) >> (k & 63)) & 1)
        assert bit == (pat.fullmatch(w) is not None), (format_regex(node), w)


# -- search -------------------------------------------------------------------------------------
def _task(pos, neg, name="t"):
    return Task.from_dict({"name": name, "domain": "regex", "positive": pos, "negative": neg})


def test_search_finds_textbook_regex_and_checks_it_with_z3():
    res = synth.solve(_task(["1", "01", "11", "0101", "111", "0001"], ["", "0", "10", "110", "0100"]),
                      timeout=30)
    assert res.status == "solved"
    assert str(res.program) == "[01]*1"
    assert res.stats["verified"] == "proved"
    assert res.stats["also"]["python re"] == "[01]*1"


def test_search_reports_a_distinguishing_string_when_two_regexes_fit():
    res = synth.solve(_task(["ab", "abab"], ["a", "b"]), timeout=30)
    assert res.solved
    d = res.stats.get("distinguishing")
    assert d is not None
    w = d["string"]
    ours = re.fullmatch(res.stats["also"]["python re"], w) is not None
    other = re.fullmatch(to_python_pattern(parse_regex(d["other"])), w) is not None
    assert ours != other  # the two fits disagree on the string to ask about
    assert ours == (d["accepted_by"] == "answer")


def test_delimited_fields():
    from synth.search.regex_fields import delimited_candidates

    pos = ["12345", "90210", "12345-6789", "00501-0001"]
    neg = ["1234", "123456", "12345-678", "abcde", "12345-"]
    found = delimited_candidates(pos, neg)
    assert format_regex(found[0]) == r"\d{5}(-\d{4})?"
    res = synth.solve(_task(pos, neg), timeout=30)
    assert str(res.program) == r"\d{5}(-\d{4})?"
    assert res.stats["method"] == "delimited fields"


def test_search_budget_runs_out_honestly():
    pos = ["0", "1", "00", "11", "010", "101", "0110", "1001", "00100"]
    neg = ["", "01", "10", "001", "110", "0101", "1010", "011"]
    res = synth.solve(_task(pos, neg), timeout=30, max_candidates=2000)
    assert res.status == "timeout"
    assert res.stats["stopped_by"] == "candidates"
    assert res.program is None


# -- task validation -----------------------------------------------------------------------------
@pytest.mark.parametrize("spec,err,needle", [
    ({"positive": ["a"], "negative": ["a"]}, InconsistentExamples, "both a positive and a negative"),
    ({"positive": "a"}, InvalidTask, "'positive' must be a list of strings"),
    ({"positive": []}, InvalidTask, "'positive' is empty"),
    ({"positive": ["a"], "negative": [1]}, InvalidTask, "'negative' must be a list of strings"),
    ({"positive": ["a"], "extra": 1}, InvalidTask, "unknown field(s) extra"),
    ({"negative": ["a"]}, InvalidTask, "missing field 'positive'"),
])
def test_malformed_regex_tasks(spec, err, needle):
    with pytest.raises(err) as e:
        Task.from_dict({"name": "t", "domain": "regex", **spec})
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_suite_file_loads():
    tasks = synth.load_tasks("benchmarks/data/regex/suite.json")
    assert len(tasks) >= 20
    assert all(t.domain == "regex" for t in tasks)


def test_equivalence_with_the_tasks_solution_on_request():
    t = Task.from_dict({"name": "t", "domain": "regex", "solution": r"-?\d+",
                        "positive": ["0", "7", "42", "-3", "-120"], "negative": ["", "-", "--1", "1-", "a"]})
    res = synth.solve(t, timeout=30)
    assert res.solved
    verdict = res.stats["equivalent_to_solution"]
    assert verdict in ("proved", "refuted")
    if verdict == "refuted":  # the reported string tells the two apart
        w = res.stats["also"]["task's solution"].split("differs on ")[1].rstrip(")")
        w = eval(w)  # noqa: S307 - a repr of a string we printed
        assert (re.fullmatch(res.stats["also"]["python re"], w) is None) != (re.fullmatch(r"-?[0-9]+", w) is None)
