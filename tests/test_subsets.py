"""Search on a few examples, check on all (synth.search.subsets)."""
import synth
from synth.search import subsets
from synth.search.budget import Budget
from synth.search.contract import SearchOutcome
from synth.search.enumerative import solve_bottom_up
from synth.task import Task

D = synth.get_domain("strings")
NAMES = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov",
         "Donald Knuth", "John McCarthy", "Frances Allen", "Ken Thompson", "Dennis Ritchie",
         "Leslie Lamport", "Tony Hoare", "Robin Milner", "Niklaus Wirth", "Margaret Hamilton",
         "Radia Perlman", "Butler Lampson", "Judea Pearl", "Shafi Goldwasser", "Yann LeCun"]


def _task(n=len(NAMES), repeat=1):
    pairs = [({"s": s}, s.split()[0]) for s in NAMES[:n]] * repeat
    return Task.from_examples(pairs)


def test_distinct_examples_and_an_even_first_subset():
    task = _task(repeat=3)
    idx = subsets.distinct_examples(task)
    assert idx == list(range(20))  # the repeats are dropped
    assert subsets.first_subset(idx, 8) == [0, 2, 5, 7, 10, 12, 15, 17]


def test_many_examples_are_searched_on_a_subset_and_the_answer_fits_all():
    task = _task()
    out = solve_bottom_up(task, D, Budget(timeout=None, max_candidates=1_000_000), engine="python")
    assert out.status == "solved" and out.extra["examples_searched"] == subsets.SUBSET_START
    assert all(D.evaluate(out.node, e.inputs) == e.output for e in task.examples)


def test_few_examples_are_searched_whole():
    out = solve_bottom_up(_task(n=10), D, Budget(timeout=None, max_candidates=20_000), engine="python")
    assert "examples_searched" not in out.extra


def test_wrong_examples_join_the_subset_until_the_answer_fits_all():
    """The first answer is wrong on some examples: up to ADD_PER_ROUND of them join, the search
    runs again, and the candidates of both rounds count."""
    task = _task()
    seen = []

    def solve(sub, budget):
        seen.append(len(sub.examples))
        firsts = {e.inputs["s"] for e in sub.examples}
        # a "program" right only on the subset's examples until the subset has 12 of them
        from synth.dsl.base import Apply, Const, Var
        node = Apply("TRIM", (Apply("LEFT", (Var("s", "String"), Apply("FIND", (
            Const(" ", "String"), Var("s", "String"))))),))
        if len(firsts) < 12:
            node = Const(sub.examples[0].output, "String")
        return SearchOutcome(status="solved", node=node, candidates=100)

    out = subsets.solve_on_subsets(task, D, Budget(timeout=None, max_candidates=10_000), solve)
    assert seen == [8, 12]
    assert out.status == "solved" and out.candidates == 200 and out.extra["rounds"] == 2
