"""The lia domain: expression and statement syntax, loops, the Code2Inv C reader, SyGuS inv files,
and the CEGIS/ICE invariant search."""
import pytest

import synth
from synth.dsl import get_domain
from synth.dsl.lia.loop import loop_from_spec
from synth.dsl.lia.statements import Infeasible, execute
from synth.dsl.lia.syntax import (format_define_fun, format_expr, from_z3, parse_expr,
                                  parse_stmts, to_smtlib, to_z3)
from synth.errors import InvalidTask, ProgramSyntaxError, VerificationUnknown
from synth.io.c_loops import parse_c_loop
from synth.task import Task

D = get_domain("lia")


@pytest.mark.parametrize("text,smt", [
    ("x >= y and (n <= 0 or x <= n)", "(and (>= x y) (or (<= n 0) (<= x n)))"),
    ("3 * n == x + y", "(= (* 3 n) (+ x y))"),
    ("not c == 4 or c >= 0", "(or (not (= c 4)) (>= c 0))"),
    ("x - (y - z) >= -3", "(>= (- x (- y z)) (- 3))"),
    ("x % 2 == 0", "(= (mod x 2) 0)"),
    ("a => b", "(=> a b)"),
    ("x != y", "(not (= x y))"),
])
def test_expression_syntax(text, smt):
    node = parse_expr(text, bool_vars=["a", "b"])
    assert format_expr(node) == text
    assert format_expr(parse_expr(format_expr(node), ["a", "b"])) == text
    assert to_smtlib(node) == smt


def test_c_spellings_and_z3_round_trip():
    import z3

    node = parse_expr("!(x < 1) && y != 2 || x == y")
    assert format_expr(node) == "not x < 1 and y != 2 or x == y"
    env = {"x": z3.Int("x"), "y": z3.Int("y")}
    back = from_z3(to_z3(node, env))
    s = z3.Solver()
    s.add(to_z3(back, env) != to_z3(node, env))
    assert s.check() == z3.unsat


@pytest.mark.parametrize("bad", ["x >=", "x = 1", "f(x) > 0", "x < < y"])
def test_bad_expressions(bad):
    with pytest.raises(ProgramSyntaxError):
        parse_expr(bad)


def test_statements_execute():
    body = parse_stmts("x = x + y; y += 1; if (x > 3) { x = 0 } else if (y == 2) { y-- } else { x++ }")
    env = execute(body, {"x": 1, "y": 1})
    assert env == {"x": 2, "y": 1}  # x = 2, y = 2, then y == 2 so y = 1
    with pytest.raises(Infeasible):
        execute(parse_stmts("assume(x > 5)"), {"x": 1})


def test_domain_program_is_a_state_predicate():
    p = D.parse("x >= y and y >= 0")
    assert p(x=3, y=1) is True
    assert p(x=0, y=1) is False
    assert format_define_fun("inv", [("x", "Int"), ("y", "Int")], p.node) == \
        "(define-fun inv ((x Int) (y Int)) Bool (and (>= x y) (>= y 0)))"


# -- tasks ----------------------------------------------------------------------------------------
LOOP = {"name": "count-up", "domain": "lia", "vars": ["x", "n"], "pre": "x == 0 and n >= 0",
        "guard": "x < n", "body": "x = x + 1", "post": "x == n"}


@pytest.mark.parametrize("change,needle", [
    ({"pre": "x =="}, "cannot parse expression"),
    ({"body": "y = x + 1"}, "variable(s) y used but not listed in 'vars'"),
    ({"post": 3}, "'post' must be a string"),
    ({"vars": ["x", "x", "n"]}, "names a variable twice"),
    ({"extra": 1}, "unknown field(s) extra"),
    ({"body": "x = x + 1; assert(x > 0)"}, "assert() is not allowed in a loop body"),
    ({"pre": "x == nondet()"}, "may not use unknown()/nondet()"),
])
def test_malformed_lia_tasks(change, needle):
    d = dict(LOOP, **change)
    with pytest.raises(InvalidTask) as e:
        Task.from_dict(d)
    assert needle in str(e.value)


def test_missing_lia_field():
    d = dict(LOOP)
    del d["post"]
    with pytest.raises(InvalidTask, match="missing field 'post'"):
        Task.from_dict(d)


def test_solve_json_loop_gives_verified_invariant():
    res = synth.solve(Task.from_dict(LOOP), timeout=30)
    assert res.status == "solved"
    assert res.stats["verification"] == "initiation, consecution and safety proved by Z3"
    assert res.stats["also"]["sygus"].startswith("(define-fun inv ((x Int) (n Int)) Bool")
    # the invariant holds on a run of the loop
    inv = res.program
    for n in range(4):
        x = 0
        while x < n:
            assert inv(x=x, n=n)
            x += 1
        assert inv(x=x, n=n)


def test_invalid_loop_is_infeasible_with_a_trace():
    d = dict(LOOP, name="off-by-one", post="x == n + 1")
    res = synth.solve(Task.from_dict(d), timeout=30)
    assert res.status == "infeasible"
    assert "violates the post-condition" in res.error
    assert res.program is None


def test_disjunctive_invariant_needs_case_split():
    d = {"name": "stay", "domain": "lia", "vars": ["x", "y", "z"], "pre": "x == 0",
         "guard": "x < 50", "body": "x = x + 1; if (z <= y) { y = z }", "post": "z >= y"}
    res = synth.solve(Task.from_dict(d), timeout=60)
    assert res.status == "solved"
    assert " or " in str(res.program)


# -- C reader -------------------------------------------------------------------------------------
C_PROG = """
int main() {
  // variable declarations
  int n; int x = 0, y;
  /* pre-conditions */
  assume((n >= 0));
  (y = 0);
  while ((x < n)) {
    x += 1;
    if (unknown()) { y++; } else { (y = (y + 0)); }
  }
  if ( (n > 0) )
  assert( (x == n) );
}
"""


def test_c_reader_builds_the_loop():
    p = parse_c_loop(C_PROG, "demo")
    assert p.vars == ["n", "x", "y"]
    assert format_expr(p.pre) == "n >= 0 and x == 0 and y == 0"
    assert format_expr(p.guard) == "x < n"
    assert format_expr(p.post) == "n <= 0 or x == n"
    assert p.exists == []


def test_c_reader_keeps_overwritten_initial_values():
    p = parse_c_loop("int main() { int x, y; y = x; x = 0; while (x < 3) { x++; } assert(y == y); }")
    assert format_expr(p.pre) == "x == 0 and y == x__0"
    assert p.exists == ["x__0"]


@pytest.mark.parametrize("src,needle", [
    ("int main() { int x; x = 1; assert(x == 1); }", "no while loop"),
    ("int main() { int x; while (x < 1) { x++; } while (x < 2) { x++; } assert(x > 0); }", "more than one loop"),
    ("int main() { int x; while (x < 1) { x++; } }", "no assert after the loop"),
    ("int main() { int x; while (x < 1) { y++; } assert(x > 0); }", "undeclared variable(s) y"),
    ("int main() { int x; while (x < 1) { x = x / 2; } assert(x > 0); }", "not in the supported C subset"),
    ("int main() { int x; while (x < 1) { x = foo(); } assert(x > 0); }", "only unknown() is supported"),
])
def test_c_reader_errors(src, needle):
    with pytest.raises(InvalidTask) as e:
        parse_c_loop(src, "bad")
    assert needle in str(e.value)


def test_solve_c_file(tmp_path):
    f = tmp_path / "demo.c"
    f.write_text(C_PROG)
    (task,) = synth.load_tasks(f)
    assert task.domain == "lia"
    res = synth.solve(task, timeout=30)
    assert res.status == "solved"


def test_code2inv_program_and_its_sygus_version():
    (c_task,) = synth.load_tasks("benchmarks/data/code2inv/c/1.c")
    (sl_task,) = synth.load_tasks("benchmarks/data/sygus/inv/code2inv/1.c.sl")
    for task in (c_task, sl_task):
        res = synth.solve(task, timeout=60)
        assert res.status == "solved", res.error
    assert res.stats["also"]["invariant"] == str(res.program)  # the define-fun is the main answer
    from synth.io.sygus_solution import format_solution

    assert format_solution(sl_task, res.program).startswith("(define-fun inv-f ((x Int) (y Int) (x_0 Int)")


def test_unproven_is_not_solved(monkeypatch):
    import synth.verify.inductive as vi
    from synth.z3util import Verdict

    monkeypatch.setattr(vi, "verify_invariant", lambda *a, **k: Verdict("unknown", detail="timeout"))
    res = synth.solve(Task.from_dict(LOOP), timeout=30)
    assert res.status == "unproven"
    assert not res.solved
    with pytest.raises(VerificationUnknown):
        res.raise_for_status()


# -- the learner's data handling -------------------------------------------------------------------
def test_strongest_consistent_conjunction_follows_implications():
    import numpy as np

    from synth.search.invariant import (ClauseValues, IceData, StateTable, admits_negative,
                                        make_atom, strongest_consistent)

    names = ["x"]
    atoms = [make_atom([1], names, -5, "<="),   # x <= 5
             make_atom([1], names, 0, ">="),    # x >= 0
             make_atom([1], names, -2, "<=")]   # x <= 2
    clauses = [((0, True),), ((1, True),), ((2, True),)]
    data = IceData(StateTable(names))
    data.add_positive({"x": 1})
    values = ClauseValues(clauses, atoms, data.table)
    keep = strongest_consistent(values, data)
    assert keep.tolist() == [True, True, True]
    data.add_implication({"x": 2}, {"x": 3})   # 2 is inside, so 3 must be: x <= 2 goes
    keep = strongest_consistent(values, data, keep)
    assert keep.tolist() == [True, True, False]
    data.add_implication({"x": 3}, {"x": 6})   # 3 is now inside: x <= 5 goes too
    keep = strongest_consistent(values, data, keep)
    assert keep.tolist() == [False, True, False]
    data.add_negative({"x": -1})               # excluded by x >= 0: fine
    assert admits_negative(values, data, keep) is None
    data.add_negative({"x": 7})                # inside every remaining conjunction
    assert admits_negative(values, data, keep) is not None
    assert np.asarray(keep).dtype == bool


def test_affine_hull_of_samples():
    import numpy as np

    from synth.search.invariant import affine_equalities

    M = np.asarray([[n, x, n - x] for n in range(4) for x in range(3)])
    eqs = affine_equalities(M, [0, 1, 2])
    assert len(eqs) == 1
    co, k = eqs[0]
    assert all((M @ np.asarray(co)) + k == 0)
