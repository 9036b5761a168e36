"""Guided bottom-up search: reweighting keeps the search complete, and the strategy is wired up."""
import pytest

import synth
from synth.api import fits
from synth.dsl import get_domain
from synth.dsl.base import Program
from synth.neural.models import ConstantGuide
from synth.search import STRATEGIES
from synth.search.budget import Budget
from synth.search.enumerative import default_grammar
from synth.search.bottom_up import BottomUpSearch
from synth.search.guided import GuidedSearch
from synth.task import Task

D = get_domain("strings")

PAIRS = [({"s": "Jane Doe"}, "J. Doe"), ({"s": "Christopher Walken"}, "C. Walken"),
         ({"s": "Al Bo"}, "A. Bo")]


def _search(pairs, guide, heuristics=False, **budget):
    t = Task.from_examples(pairs)
    return GuidedSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                        [e.output for e in t.examples], guide, Budget(**budget), heuristics=heuristics)


@pytest.mark.parametrize("p", [0.0, 0.5, 0.9])
def test_uninformative_guide_still_finds_the_answer(p):
    # a constant model pushes every new value up by the same amount: slower, never incomplete
    # a candidate budget, no time limit: both searches are then deterministic
    s = _search(PAIRS, ConstantGuide(p), timeout=None, max_candidates=5_000_000)
    out = s.run()
    assert out.status == "solved"
    assert fits(Program(out.node, D), Task.from_examples(PAIRS).examples)
    if p < 0.6:
        assert s.moved > 0 and s.moved == s.scored  # every scored value was pushed up
    else:  # nothing moves: exactly the plain search
        t = Task.from_examples(PAIRS)
        plain = BottomUpSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                               [e.output for e in t.examples],
                               Budget(timeout=None, max_candidates=5_000_000)).run()
        assert s.moved == 0 and plain.node == out.node and plain.candidates == out.candidates


def test_uninformative_guide_with_heuristics_finds_the_answer():
    out = _search(PAIRS, ConstantGuide(0.1), heuristics=True, timeout=60).run()
    assert out.status == "solved"
    assert fits(Program(out.node, D), Task.from_examples(PAIRS).examples)


def test_guided_search_ends_exhausted_when_the_space_is_closed():
    # only case changes of one input: three values, then nothing new; moved values must not
    # keep the search going forever nor end it before they were used
    t = Task.from_examples([({"s": "ab"}, "zz"), ({"s": "Cd"}, "yy")], ops=["LOWER", "UPPER", "PROPER"])
    s = GuidedSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                     [e.output for e in t.examples], ConstantGuide(0.0), Budget(timeout=30))
    out = s.run()
    assert out.status == "exhausted"
    assert s.moved > 0


def test_moved_values_are_still_used_as_arguments():
    # with a zero-probability guide every non-leaf value is pushed up, so a nested solution
    # (LOWER(...) inside CONCATENATE or the reverse) can only come from moved values
    t = Task.from_examples([({"s": "aB"}, "ab!"), ({"s": "Cd"}, "cd!")], ops=["LOWER", "CONCATENATE"],
                           constants=["!"])
    s = GuidedSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                     [e.output for e in t.examples], ConstantGuide(0.0), Budget(timeout=30),
                     heuristics=False, concat_shortcut=False)
    out = s.run()
    assert out.status == "solved"
    assert D.format(out.node) in ('CONCATENATE(LOWER(s), "!")', 'LOWER(CONCATENATE(s, "!"))')
    assert s.moved > 0


def test_guided_strategy_registered_and_solves():
    assert "guided" in STRATEGIES
    res = synth.solve(Task.from_examples(PAIRS), strategy="guided", timeout=30)
    assert res.solved and res.strategy == "guided"
    assert res.program(s="Grace Hopper") == "G. Hopper"
    assert "scored" in res.stats


def test_shipped_guide_scores_a_real_part_above_a_useless_value():
    from synth.neural.models import shipped_guide
    from synth.neural.signatures import OutputContext, io_signature, value_signatures

    guide = shipped_guide("strings")
    assert guide is not None
    inputs = [{"var_0": "Jane Doe"}, {"var_0": "Mark Twain"}, {"var_0": "Ada Lovelace"}]
    outputs = ["Doe, Jane", "Twain, Mark", "Lovelace, Ada"]
    bias = guide.io_bias(io_signature(inputs, outputs))
    good = ("Jane", "Mark", "Ada")          # a part of every output
    bad = ("JANE DOE!!", "MARK TWAIN!!", "ADA LOVELACE!!")
    p = guide.predict(bias, value_signatures("String", [good, bad], OutputContext(outputs)))
    assert p[0] > p[1]


def test_max_size_is_a_budget_not_an_exhausted_space():
    # re-priced costs exceed sizes: stopping at max_size proves nothing about smaller programs
    pairs = [({"s": "ab cd"}, "AB-cd!"), ({"s": "xy zw"}, "XY-zw!")]
    out = _search(pairs, ConstantGuide(0.0), timeout=30, max_size=4).run()
    assert out.status == "timeout" and out.stopped_by == "max_size"


def test_minimize_replaces_a_larger_guided_program(monkeypatch):
    # whatever the guided pass returns, a strictly smaller program from the plain pass wins
    from synth.dsl.base import Apply, Var
    from synth.search import guided
    from synth.search.bottom_up import SearchOutcome

    padded = Apply("TRIM", (Apply("TRIM", (Apply("UPPER", (Var("s", "String"),)),)),))
    monkeypatch.setattr(guided.GuidedSearch, "run",
                        lambda self: SearchOutcome(status="solved", node=padded, candidates=7))
    t = Task.from_examples([({"s": "ab"}, "AB"), ({"s": "cD"}, "CD")])
    out = guided.solve_guided(t, D, Budget(timeout=30))
    assert D.format(out.node) == "UPPER(s)" and out.extra["minimized_from"] == 4
    assert out.candidates > 7
    out = guided.solve_guided(t, D, Budget(timeout=30), minimize=False)
    assert out.node == padded


@pytest.mark.parametrize("name", ["bikes.sl", "dr-name.sl", "name-combine-3.sl", "phone-10.sl"])
def test_compiled_guided_search_returns_the_python_engines_outcome(name):
    """Guided search over the numba banks re-prices the same values in the same order as over
    Python values: same status, program and candidate count for a candidate budget."""
    pytest.importorskip("numba")
    from synth.dsl import get_domain
    from synth.io import read_tasks
    from synth.search.budget import Budget
    from synth.search.guided import solve_guided

    task = {t.name: t for t in read_tasks("benchmarks/data/strings/bustle_sygus89.json")}[name]
    D = get_domain("strings")
    a = solve_guided(task, D, Budget(timeout=None, max_candidates=250_000), engine="python")
    b = solve_guided(task, D, Budget(timeout=None, max_candidates=250_000), engine="compiled")
    assert (a.status, str(a.node), a.candidates, a.extra["moved"]) == \
        (b.status, str(b.node), b.candidates, b.extra["moved"])


def test_values_are_scored_on_the_first_examples_only():
    """With ``score_examples`` m, a value's penalty is what it would be in the task made of
    the first m examples (the guide was trained on tasks of 2 to 5 examples)."""
    from synth.neural.models import shipped_guide
    pairs = PAIRS + [({"s": "Ed Wood"}, "E. Wood"), ({"s": "Bo Li"}, "B. Li")]
    guide = shipped_guide("strings")
    full, first2 = Task.from_examples(pairs), Task.from_examples(pairs[:2])

    def search(t, m):
        return GuidedSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                            [e.output for e in t.examples], guide, Budget(), heuristics=True,
                            score_examples=m)

    names = [e.inputs["s"] for e in full.examples]
    strings = [tuple(x[:k] for x in names) for k in (1, 3, 5)] + [tuple(e.output for e in full.examples)]
    ints = [(1, 2, 3, 4, 5), (4, 10, 3, 3, 3)]
    a, b = search(full, 2), search(first2, None)
    assert a.penalties("String", strings).tolist() == b.penalties("String", [v[:2] for v in strings]).tolist()
    assert a.penalties("Int", ints).tolist() == b.penalties("Int", [v[:2] for v in ints]).tolist()


def test_auto_is_guided_where_the_guide_applies():
    from synth.api import default_strategy
    from synth.search.auto import enumerative_strings_strategy
    t = Task.from_examples(PAIRS)
    # text to text: the deductive search first, the guided one where it finds nothing
    assert default_strategy("strings", t) == "deductive"
    assert enumerative_strings_strategy(D, t) == "guided"
    numbers = Task.from_examples([({"s": "abc"}, 3), ({"s": "hello"}, 5)])
    assert default_strategy("strings", numbers) == "guided"
    assert synth.solve(numbers, timeout=30).strategy == "guided"
    # a size bound: only the plain search can say that no program of that size fits
    assert default_strategy("strings", t, max_size=5) == "bottom-up"
    # ops the guide was not trained on (SMT-LIB's, 0-based)
    assert default_strategy("strings", Task.from_examples(PAIRS, ops="smt")) == "bottom-up"
    assert default_strategy("strings") == "bottom-up"
