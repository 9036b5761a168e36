"""SyGuS invariant problems: v1 and v2 files read into ``InvProblem`` with substituted terms."""
from pathlib import Path

import pytest

from synth.errors import InvalidTask
from synth.io import read_tasks
from synth.io.sygus import read_sygus_problem
from synth.io.sygus_problem import InvProblem
from synth.io.sygus_terms import App, Sym, format_term, free_symbols, to_z3

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "sygus"
SHARED = Path("/work/shared/benchmarks/sygus")  # the full collection (v1 and Lustre files), if present

V1 = """(set-logic LIA)
(synth-inv inv-f ((x Int) (y Int)))
(declare-primed-var x Int)
(declare-primed-var y Int)
(define-fun pre-f ((x Int) (y Int)) Bool (and (= x 1) (= y -1)))
(define-fun trans-f ((x Int) (y Int) (x! Int) (y! Int)) Bool
  (let ((z Int (+ x y))) (and (< y 100) (= x! z) (= y! (+ y 1)))))
(define-fun post-f ((x Int) (y Int)) Bool (not (and (>= y 100) (< x y))))
(inv-constraint inv-f pre-f trans-f post-f)
(check-synth)
"""

# v2, other parameter names in the define-funs, a helper define-fun, and a non-deterministic input
V2 = """(set-logic LIA)
(declare-var nd Int)
(define-fun step ((a Int) (b Int)) Bool (= b (+ a nd)))
(synth-inv inv ((i Int) (ok Bool)))
(define-fun init ((u Int) (v Bool)) Bool (and (= u 0) v))
(define-fun tr ((u Int) (v Bool) (u2 Int) (v2 Bool)) Bool (let ((w (>= nd 0))) (and w (step u u2) (= v2 v))))
(define-fun prop ((u Int) (v Bool)) Bool (=> v (>= u 0)))
(inv-constraint inv init tr prop)
(check-synth)
"""


def test_v1_problem(tmp_path):
    p = tmp_path / "a.sl"
    p.write_text(V1)
    prob = read_sygus_problem(p)
    assert isinstance(prob, InvProblem) and prob.version == 1
    assert prob.state == (("x", "Int"), ("y", "Int"))
    assert prob.pre == App("and", (App("=", (Sym("x"), 1)), App("=", (Sym("y"), -1))))
    # the typed v1 let is expanded, primes are name + "!"
    assert format_term(prob.trans) == "(and (< y 100) (= x! (+ x y)) (= y! (+ y 1)))"
    assert free_symbols(prob.trans) == {"x", "y", "x!", "y!"}
    assert prob.inputs == ()


def test_v2_problem_substitutes_parameters_and_inlines(tmp_path):
    p = tmp_path / "b.sl"
    p.write_text(V2)
    prob = read_sygus_problem(p)
    assert prob.version == 2 and prob.inv_name == "inv"
    assert prob.state == (("i", "Int"), ("ok", "Bool"))
    assert format_term(prob.pre) == "(and (= i 0) ok)"
    assert format_term(prob.trans) == "(and (>= nd 0) (= i! (+ i nd)) (= ok! ok))"
    assert format_term(prob.post) == "(=> ok (>= i 0))"
    assert prob.inputs == (("nd", "Int"),)
    assert prob.primed("i") == "i!"


def test_to_z3_agrees(tmp_path):
    import z3

    p = tmp_path / "b.sl"
    p.write_text(V2)
    prob = read_sygus_problem(p)
    syms = {"i": z3.Int("i"), "ok": z3.Bool("ok"), "i!": z3.Int("i!"), "ok!": z3.Bool("ok!"),
            "nd": z3.Int("nd")}
    s = z3.Solver()
    s.add(to_z3(prob.trans, syms), syms["i"] == 3, syms["nd"] == 2)
    assert s.check() == z3.sat
    assert s.model().eval(syms["i!"]).as_long() == 5


def test_inv_task(tmp_path):
    p = tmp_path / "b.sl"
    p.write_text(V2)
    (task,) = read_tasks(p)
    assert task.domain == "lia" and isinstance(task.spec.sygus_inv, InvProblem)


@pytest.mark.parametrize("text,needle", [
    (V2.replace("(inv-constraint inv init tr prop)", "(inv-constraint inv init prop prop)"),
     "prop must be (Int Bool Int Bool) -> Bool"),
    (V2.replace("(declare-var nd Int)", ""), "undeclared symbol nd"),
    (V2.replace("(i Int) (ok Bool)", "(i Real) (ok Bool)"), "unsupported sort Real"),
])
def test_bad_inv_files(tmp_path, text, needle):
    p = tmp_path / "bad.sl"
    p.write_text(text)
    with pytest.raises(InvalidTask) as e:
        read_sygus_problem(p)
    assert needle in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("folder", [DATA / "inv/from_2018", DATA / "inv/code2inv",
                                    SHARED / "inv/v1/2019/Lustre", SHARED / "inv/v2/andrew_lustre"])
def test_benchmark_sample_parses(folder):
    files = sorted(folder.glob("*.sl"))[:4]
    if not files:
        pytest.skip(f"no benchmark files in {folder}")
    for f in files:
        prob = read_sygus_problem(f)
        assert isinstance(prob, InvProblem)
        bound = set(prob.state_names) | {prob.primed(n) for n in prob.state_names} | {n for n, _ in prob.inputs}
        assert free_symbols(prob.trans) <= bound


def test_format_solution_of_an_invariant(tmp_path):
    from synth.dsl.base import Apply, Const, Var
    from synth.io.sygus_solution import format_solution

    p = tmp_path / "b.sl"
    p.write_text(V2)
    (task,) = read_tasks(p)
    inv = Apply(">=", (Var("i", "Int"), Const(0, "Int")))
    assert format_solution(task, inv) == "(define-fun inv ((i Int) (ok Bool)) Bool (>= i 0))"
