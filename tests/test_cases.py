"""Solving by cases (synth.search.cases): a split of the examples by an enumerated test, each side
solved by the whole search, the answers joined by the grammar's ite."""
from pathlib import Path

import pytest

import synth
from synth.dsl.base import Apply, Const, Var
from synth.search import cases
from synth.search.budget import Budget
from synth.search.contract import SearchOutcome
from synth.search.enumerative import solve_bottom_up, task_grammar

UNIV_2 = Path(__file__).resolve().parents[1] / "benchmarks/data/sygus/pbe-strings/v2/from_2018/univ_2.sl"


def _univ2():
    task = synth.load_tasks(str(UNIV_2))[0]
    return task, synth.get_domain(task.domain)


def test_a_conditional_target_is_solved_by_cases_within_a_candidate_budget(monkeypatch):
    """univ_2 (append ", USA" unless the address has it) needs a size-24 program: no single
    program turns up within 300,000 candidates, but split by a test each side is one
    concatenation, and the ite of the two is right on every example."""
    task, domain = _univ2()
    out = solve_bottom_up(task, domain, Budget(timeout=None, max_candidates=300_000), engine="python")
    assert out.status == "solved" and out.extra.get("cases")
    assert out.node.op == "ite"
    assert out.candidates <= 300_000
    for e in task.examples:
        assert domain.evaluate(out.node, e.inputs) == e.output
    monkeypatch.setattr(cases, "MAX_DEPTH", 0)  # no splitting: the same budget finds nothing
    plain = solve_bottom_up(task, domain, Budget(timeout=None, max_candidates=300_000), engine="python")
    assert plain.status == "timeout"


def test_no_split_under_a_size_bound():
    """A size bound is a promise about the answer's size: no ite of two searches' answers."""
    task, domain = _univ2()
    out = solve_bottom_up(task, domain, Budget(timeout=None, max_candidates=50_000, max_size=6),
                          engine="python")
    assert out.status != "solved" and not out.extra.get("cases")


def _test(name):
    return Apply("str.contains", (Var("x", "String"), Const(name, "String")))


def test_splits_need_two_examples_a_side_and_come_cheapest_first():
    big = Apply("str.contains", (Var("x", "String"), Apply("str.++", (Const("a", "String"),
                                                                         Const("b", "String")))))
    tests = [((True, True, False, False), big),
             ((True, False, False, False), _test("one")),  # one example on a side: memorizes it
             ((False, False, True, True), _test("same")),  # the first split, mirrored and cheaper
             ((True, False, True, False), _test("even")),
             ((True, True, True, True), _test("all"))]
    got = cases._splits(tests, 4)
    assert [str(t) for _, t in got] == [str(_test("same")), str(_test("even"))]
    assert got[0][0] == 0b1100


def test_solve_by_cases_tries_splits_in_order_and_solves_each_side_once():
    """The cheaper test's split first; when a side fails, the next split; each side once."""
    task, _ = _univ2()
    grammar = task_grammar(task, synth.get_domain(task.domain))
    n = len(task.examples)
    first = tuple(i < 2 for i in range(n))
    second = tuple(i % 2 == 0 for i in range(n))
    asked = []

    def side(sub, budget, depth):
        asked.append(len(sub.examples))
        ok = len(sub.examples) != n - 2  # the first split's false side fails
        node = Const(sub.examples[0].output, "String") if ok else None
        return SearchOutcome(status="solved" if ok else "timeout", node=node, candidates=10)

    bigger = Apply("str.contains", (Var("col2", "String"), Apply("str.++", (
        Const("a", "String"), Const("b", "String")))))
    node = cases.solve_by_cases(task, grammar, Budget(timeout=None, max_candidates=1000),
                                [(second, bigger), (first, _test("a"))], side)
    assert node.op == "ite" and str(node.args[0]) == str(bigger)
    assert asked == [2, n - 2, n // 2, n - n // 2]  # each side asked once, in order
    assert cases.case_production(grammar, 3) is None  # too few examples to split


@pytest.mark.parametrize("share", [0.5])
def test_first_share_keeps_the_rest_of_time_and_candidates_for_the_cases(share, monkeypatch):
    monkeypatch.setattr(cases, "CASES_SHARE", share)
    b = cases.first_share(Budget(timeout=10, max_candidates=1000))
    assert b.timeout == pytest.approx(5) and b.max_candidates == 500
