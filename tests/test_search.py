"""Bottom-up search: small tasks, observational equivalence, budgets and how a search ends."""
import pytest

import synth
from synth.dsl import get_domain
from synth.search.bottom_up import BottomUpSearch, compositions
from synth.search.budget import Budget
from synth.search.enumerative import default_grammar
from synth.task import Task

D = get_domain("strings")


def task(pairs, **kw):
    return Task.from_examples(pairs, **kw)


@pytest.mark.parametrize("pairs,probe", [
    ([({"s": "hello"}, "HELLO"), ({"s": "abc"}, "ABC")], ({"s": "xyz"}, "XYZ")),
    ([({"s": "Jane Doe"}, "Jane"), ({"s": "Mark Twain"}, "Mark"), ({"s": "Al Bo"}, "Al")],
     ({"s": "Ada Lovelace"}, "Ada")),
    ([({"a": "x", "b": "y"}, "x-y"), ({"a": "pq", "b": "r"}, "pq-r")], ({"a": "1", "b": "2"}, "1-2")),
    ([({"s": "3 apples"}, "3"), ({"s": "12 pears"}, "12")], ({"s": "7 figs"}, "7")),
])
def test_solves_small_tasks_and_generalizes(pairs, probe):
    res = synth.solve(task(pairs), timeout=20)
    assert res.status == "solved" and res.train_ok
    assert res.program(**probe[0]) == probe[1]


def test_conditional_task():
    pairs = [({"s": "morning", "t": "8"}, "8 AM"), ({"s": "evening", "t": "7"}, "7 PM"),
             ({"s": "morning", "t": "10"}, "10 AM"), ({"s": "evening", "t": "11"}, "11 PM")]
    res = synth.solve(task(pairs), timeout=30)
    assert res.solved
    assert res.program(s="evening", t="9") == "9 PM"


def test_smallest_program_first():
    res = synth.solve(task([({"s": "ab"}, "ab"), ({"s": "c"}, "c")]))
    assert str(res.program) == "s" and res.size == 1
    res = synth.solve(task([({"s": "ab"}, "AB")]))
    assert str(res.program) == "UPPER(s)"


def test_observational_equivalence_keeps_one_program_per_behaviour():
    t = task([({"s": "ab"}, "zzz")])
    g = default_grammar(t, D)
    s = BottomUpSearch(D, g, [{"s": "ab"}], ["zzz"], Budget(timeout=None, max_size=3))
    s.run()
    for nt, seen in s.seen.items():
        assert len(seen) == sum(len(level) for level in s.bank[nt])  # no value stored twice
    assert ("AB",) in s.seen["String"]
    # UPPER(s) and UPPER(UPPER(s)) agree on the example: only the cheaper one is kept
    assert str(s.seen["String"][("AB",)]) == "Apply(op='UPPER', args=(Var(name='s', type='String'),))"


def test_deterministic():
    t = task([({"s": "Jane Doe"}, "J. Doe"), ({"s": "Mark Twain"}, "M. Twain")])
    a = synth.solve(t, timeout=None, max_candidates=300_000)
    b = synth.solve(t, timeout=None, max_candidates=300_000)
    assert str(a.program) == str(b.program) and a.candidates == b.candidates


def test_candidate_budget_is_honoured():
    t = task([({"s": "abc"}, 987_654_321)])  # no op reaches it (a text output is a constant program)
    res = synth.solve(t, timeout=None, max_candidates=20_000)
    assert res.status == "timeout" and res.stats["stopped_by"] == "candidates"
    assert 20_000 <= res.candidates < 20_000 + 5_000
    with pytest.raises(synth.SynthesisTimeout):
        res.raise_for_status()


def test_time_budget_is_honoured():
    t = task([({"s": "abc"}, 987_654_321)])  # no op reaches it (a text output is a constant program)
    res = synth.solve(t, timeout=0.3)
    assert res.status == "timeout" and res.stats["stopped_by"] == "time"


def test_memory_budget_is_honoured():
    from synth.search.budget import resident_mb
    t = task([({"s": "abc"}, 987_654_321)])  # no op reaches it (a text output is a constant program)
    res = synth.solve(t, timeout=None, max_memory_mb=resident_mb() + 20)
    assert res.status == "timeout" and res.stats["stopped_by"] == "memory"


def test_exhausted_when_ops_cannot_express_it():
    t = task([({"s": "abc"}, "ABCabc")], ops=["LOWER", "UPPER"])
    res = synth.solve(t, timeout=10)
    assert res.status == "exhausted"
    with pytest.raises(synth.NoProgramInDSL):
        res.raise_for_status()


def test_exhausted_at_size_limit():
    res = synth.solve(task([({"s": "abc"}, "cba!")]), timeout=10, max_size=3)
    assert res.status == "exhausted" and res.stats["max_size_explored"] == 3


def test_restricted_ops_are_respected():
    t = task([({"s": "Jane Doe"}, "Jane"), ({"s": "Al Bo"}, "Al")], ops="smt")
    res = synth.solve(t, timeout=20)
    assert res.solved
    assert all(op.startswith("str.") or not op[0].isalpha() or op == "ite"
               for op in __import__("synth.dsl.base", fromlist=["node_ops"]).node_ops(res.program.node))


def test_test_ok_reported():
    t = task([({"s": "ab"}, "AB")], tests=[({"s": "cd"}, "CD"), ({"s": "x"}, "X")])
    assert synth.solve(t).test_ok is True
    t = task([({"s": "ab"}, "b")], tests=[({"s": "xyz"}, "y")])
    res = synth.solve(t)
    # the smallest fit, RIGHT(s, 1), is not the intended MID(s, 2, 1)
    assert res.solved and str(res.program) == "RIGHT(s, 1)" and res.test_ok is False


def test_compositions():
    allowed = [[True] * 6, [True] * 6]
    assert list(compositions(4, 2, allowed)) == [(1, 3), (2, 2), (3, 1)]
    assert list(compositions(3, 2, [[False, True, False, True], [True] * 4])) == [(1, 2)]


def test_synthesize_api_and_result_record():
    res = synth.synthesize([({"name": "Jane Doe"}, "J. Doe"), ({"name": "Mark Twain"}, "M. Twain"),
                            ({"name": "Grace Hopper"}, "G. Hopper")], domain="strings", timeout=20)
    assert res.solved
    assert res.program(name="Alan Turing") == "A. Turing"
    rec = res.to_record()
    for key in ("name", "domain", "strategy", "status", "program", "size", "seconds", "candidates",
                "train_ok", "test_ok", "error"):
        assert key in rec
    assert D.parse(rec["program"]) == res.program


def test_concat_shortcut_reaches_beyond_the_level_search():
    # the target is one part from each input: CONCATENATE(UPPER(a), LOWER(b)) is found by the
    # prefix/suffix shortcut with or without the wait for smaller programs
    pairs = [({"a": "ab", "b": "CD"}, "ABcd"), ({"a": "x", "b": "YZW"}, "Xyzw")]
    for shortcut in (True, False):
        res = synth.solve(task(pairs), timeout=20, strategy="guided", concat_shortcut=shortcut)
        assert res.solved and res.program(a="q", b="R") == "Qr"


def test_cond_shortcut_builds_if_from_test_and_branches():
    pairs = [({"a": "x", "b": "x"}, "same"), ({"a": "x", "b": "y"}, "differ"),
             ({"a": "pq", "b": "pq"}, "same"), ({"a": "pq", "b": "p"}, "differ")]
    res = synth.solve(task(pairs), timeout=20, strategy="guided")
    assert res.solved and str(res.program) == 'IF(EXACT(a, b), "same", "differ")'
    res2 = synth.solve(task(pairs), timeout=20, strategy="guided", cond_shortcut=False)
    assert res2.solved and res2.candidates > res.candidates


def test_cond_shortcut_never_isolates_one_example():
    from synth.search.bottom_up import BottomUpSearch
    pairs = [({"s": "a"}, "1"), ({"s": "b"}, "2"), ({"s": "c"}, "3"), ({"s": "d"}, "4")]
    t = task(pairs)
    s = BottomUpSearch(D, default_grammar(t, D), [dict(e.inputs) for e in t.examples],
                       [e.output for e in t.examples], Budget(timeout=None, max_size=4))
    s.run()
    for masks in s._test_masks.values():
        assert all(bin(m).count("1") >= 2 and bin(15 ^ m).count("1") >= 2 for m in masks)


def test_decomposition_strings_pieces_together():
    from synth.search.decompose import ConcatDecomposer
    from synth.search.grammar import Production
    from synth.dsl.base import Const, Var
    prod = Production("String", ("String", "String"), lambda a, b: a + b, "CONCATENATE", concat=True)
    d = ConcatDecomposer(prod, ("A.B.", "C.D."))
    d.add(("A", "C"), Var("first", "String"))
    d.add((".", "."), Const(".", "String"))
    d.add(("B", "D"), Var("second", "String"))
    d.add(("zz", "C"), Var("junk", "String"))  # not a substring of the first target: ignored
    node = d.solve()
    from synth.dsl.base import Program
    p = Program(node, D)
    assert str(p) == 'CONCATENATE(first, ".", second, ".")'
    assert p(first="A", second="B") == "A.B."


def test_decomposition_work_is_bounded_and_resumable():
    """Out of checks, ``solve`` gives up (None), stays dirty and says how far it got; with
    enough it finds the concatenation."""
    from synth.search.decompose import ConcatDecomposer
    from synth.search.grammar import Production
    from synth.dsl.base import Const, Var
    prod = Production("String", ("String", "String"), lambda a, b: a + b, "CONCATENATE", concat=True)
    d = ConcatDecomposer(prod, ("A.B.", "C.D."))
    d.add(("A", "C"), Var("first", "String"))
    d.add((".", "."), Const(".", "String"))
    d.add(("B", "D"), Var("second", "String"))
    assert d.solve(max_checks=1) is None
    assert d.dirty and d.gave_up_at == d.checks > 1
    node = d.solve(max_checks=1000)
    assert node is not None and not d.dirty and 0 < d.checks <= 1000 + 3 * 2  # one state over


def test_decomposition_solves_initials():
    pairs = [({"s": "Nancy FreeHafer"}, "N.F."), ({"s": "Andrew Cencici"}, "A.C."),
             ({"s": "Jan Kotas"}, "J.K."), ({"s": "Mariya Sergienko"}, "M.S.")]
    res = synth.solve(task(pairs), timeout=None, max_candidates=3_000_000)
    assert res.solved and res.program(s="Alan Turing") == "A.T."
