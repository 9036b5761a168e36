"""Z3 checks: regexes against examples and each other, invariants against initiation,
consecution and safety (known-good and known-bad candidates), counterexamples, timeouts."""
import pytest

from synth.dsl.lia.loop import loop_from_spec
from synth.dsl.lia.syntax import parse_expr
from synth.dsl.regex.syntax import parse_regex as R
from synth.verify.inductive import bmc, check_consecution, check_initiation, check_safety, verify_invariant
from synth.verify.regex import (accepts, check_examples, difference_witness,
                                distinguishing_string, equivalent)
from synth.verify.transition import TransitionSystem
from synth.z3util import solve


# -- regexes --------------------------------------------------------------------------------------
def test_regex_accepts_is_whole_string():
    assert accepts(R(r"\d{3}"), "123") is True
    assert accepts(R(r"\d{3}"), "ab123c") is False
    assert accepts(R("a{2,}"), "aaaa") is True
    assert accepts(R("a{0}"), "") is True
    assert accepts(R("[^,]+"), "a,b") is False
    assert accepts(R(".x"), "\nx") is True


def test_check_examples_good_and_bad():
    good = R(r"\d+(-\d+)*")
    pos, neg = ["1", "12-345-6", "007"], ["", "-1", "1-", "1--2", "a1"]
    assert check_examples(good, pos, neg).proved
    bad = R(r"[\d\-]+")
    v = check_examples(bad, pos, neg)
    assert v.refuted and v.counterexample == "-1"
    assert "accepts negative example '-1'" in v.detail


def test_equivalence_and_witness():
    a, b = R(r"\d+(-\d+)*"), R(r"\d(\d|-\d)*")
    assert equivalent(a, b).proved
    c = R(r"[\d\-]+")
    v = distinguishing_string(c, b)
    assert v.refuted
    w = v.counterexample
    assert accepts(c, w) != accepts(b, w)
    assert all(" " <= ch <= "~" for ch in w)  # printable, to show a user
    assert difference_witness(b, c).proved  # b's language is inside c's


# -- invariants -----------------------------------------------------------------------------------
@pytest.fixture
def system():
    p = loop_from_spec("t", {"vars": ["x", "y"], "pre": "x == 1 and y == 0", "guard": "y < 1000",
                             "body": "x = x + y; y = y + 1", "post": "x >= y"})
    return TransitionSystem.from_loop(p)


def test_known_good_invariant(system):
    v = verify_invariant(system, parse_expr("x >= y and x >= 1 and y >= 0"))
    assert v.proved


def test_not_inductive_gives_an_implication_pair(system):
    inv = parse_expr("x >= y")
    f, fn = system.formula(inv), system.formula(inv, primed=True)
    assert check_initiation(system, f).proved
    assert check_safety(system, f).proved
    v = check_consecution(system, f, fn)
    assert v.refuted
    s, t = v.counterexample
    assert s["x"] >= s["y"] and s["y"] < 1000       # inside and the loop goes on
    assert t == {"x": s["x"] + s["y"], "y": s["y"] + 1}
    assert t["x"] < t["y"]                          # ... and leaves


def test_not_initiated_gives_a_positive_state(system):
    v = check_initiation(system, system.formula(parse_expr("x >= 2")))
    assert v.refuted and v.counterexample == {"x": 1, "y": 0}


def test_too_weak_gives_a_negative_state(system):
    v = check_safety(system, system.formula(parse_expr("y >= 0")))
    assert v.refuted
    s = v.counterexample
    assert s["y"] >= 1000 and s["x"] < s["y"]  # the loop has stopped and the assert fails


def test_bounded_model_checking(system):
    assert bmc(system, 4).proved
    bad = TransitionSystem.from_loop(loop_from_spec("b", {"vars": ["x", "n"], "pre": "x == n", "guard": "x > 1",
                               "body": "x = x - 1", "post": "x == 1 or n < 0"}))
    v = bmc(bad, 3)
    assert v.refuted and v.extra["depth"] == 0
    assert v.counterexample[-1]["x"] != 1


def test_sygus_inv_file_checks():
    from synth.io.sygus import read_sygus_problem

    ts = TransitionSystem.from_sygus(read_sygus_problem("benchmarks/data/sygus/inv/code2inv/100.c.sl"))
    assert ts.relevant == ["n", "x", "y"]
    assert verify_invariant(ts, parse_expr("x + y == n and x >= 0")).proved
    assert verify_invariant(ts, parse_expr("x + y == n")).refuted


def test_z3_timeouts_give_unknown():
    import z3

    x, y, z = z3.Ints("x y z")
    hard = [x > 1, y > 1, z > 1, x * x * x + y * y * y == z * z * z + 7 * x * y * z + 1]
    answer, model = solve(hard, timeout_ms=1)
    assert answer == "unknown" and model is None


def test_invariant_check_with_tiny_timeout_is_unknown_not_wrong():
    p = loop_from_spec("nl", {"vars": ["x", "y", "z"], "pre": "x > 1 and y > 1 and z > 1",
                              "guard": "x < 1000", "body": "x = x + 1",
                              "post": "x * x * x + y * y * y != z * z * z + 7 * x * y * z + 1"})
    v = verify_invariant(TransitionSystem.from_loop(p), parse_expr("x > 1 and y > 1 and z > 1"), timeout_ms=1)
    assert v.unknown
    assert not v.proved
