"""Loop invariants that need parity or divisibility (``x % 2 == 0``): candidate ``mod`` atoms
from the sampled states, and answers proved by Z3 (issue 22, Inv)."""
import numpy as np

import synth
from synth.dsl.lia.syntax import format_expr
from synth.io import read_tasks
from synth.search.cegis import system_for_task
from synth.search.invariant import atom_values, make_mod_atom, modular_facts
from synth.task import Task
from synth.verify.inductive import verify_invariant

# x runs 0, 2, 4, ..., 100: without ``x % 2 == 0`` the bound x <= 100 is not inductive
PARITY = {"name": "parity", "domain": "lia", "vars": ["x"], "pre": "x == 0", "guard": "x < 100",
          "body": "x = x + 2", "post": "x == 100"}

PARITY_SL = """(set-logic LIA)
(synth-inv inv_fun ((x Int) (y Int)))
(define-fun pre_fun ((x Int) (y Int)) Bool (and (= x 0) (= y 0)))
(define-fun trans_fun ((x Int) (y Int) (x! Int) (y! Int)) Bool
  (and (< x 100) (= x! (+ x 2)) (= y! (+ y 3))))
(define-fun post_fun ((x Int) (y Int)) Bool (=> (>= x 100) (= x 100)))
(inv-constraint inv_fun pre_fun trans_fun post_fun)
(check-synth)
"""


def _proved(task, res):
    ts = system_for_task(task)
    return verify_invariant(ts, res.program.node, 5000).proved


def test_parity_loop_is_solved_with_a_mod_invariant():
    task = Task.from_dict(PARITY)
    res = synth.solve(task, timeout=30)
    assert res.status == "solved"
    assert "%" in str(res.program)
    assert res.stats["verification"] == "initiation, consecution and safety proved by Z3"
    assert _proved(task, res)  # proved again here, from the answer alone
    assert "(mod x 2)" in res.stats["also"]["sygus"]
    for x in range(0, 101, 2):
        assert res.program(x=x)
    assert not res.program(x=101)


def test_parity_sygus_file_is_solved_with_a_mod_invariant(tmp_path):
    p = tmp_path / "parity.sl"
    p.write_text(PARITY_SL)
    [task] = read_tasks(p)
    res = synth.solve(task, timeout=30)
    assert res.status == "solved"
    assert "x % 2 == 0" in res.stats["also"]["invariant"]
    assert _proved(task, res)


def test_divisibility_by_a_step_of_three():
    d = {"name": "step3", "domain": "lia", "vars": ["i", "n"], "pre": "i == 1 and n >= 0",
         "guard": "i < 3 * n + 1", "body": "i = i + 3", "post": "i != 3 * n + 2 and i % 3 == 1"}
    task = Task.from_dict(d)
    res = synth.solve(task, timeout=30)
    assert res.status == "solved"
    assert _proved(task, res)


def test_modular_facts_only_where_every_sample_agrees():
    # columns x, y: x even, y odd, x - y never of one residue mod anything but 1
    M = np.asarray([[0, 1], [2, 5], [4, 3], [6, 11], [8, 7]], dtype=np.int64)
    facts = {(tuple(c), r, m) for c, r, m in modular_facts([[1, 0], [0, 1], [1, 1]], M, [])}
    assert ((1, 0), 0, 2) in facts
    assert ((0, 1), 1, 2) in facts
    assert ((1, 1), 1, 2) in facts
    assert not any(m > 2 and c == (1, 0) for c, r, m in facts)


def test_mod_atom_values_follow_smtlib_mod():
    a = make_mod_atom([1, -1], ["x", "y"], 1, 3)  # (x - y) % 3 == 1
    assert format_expr(a.node) == "(x - y) % 3 == 1"
    M = np.asarray([[4, 0], [0, 2], [1, 1], [-5, 0]], dtype=np.int64)
    got = atom_values([a], ["x", "y"], M)[:, 0].tolist()
    assert got == [(x - y) % 3 == 1 for x, y in M.tolist()]


# a small Lustre-like system: ``e`` is a free input each step, ``c`` counts the steps with ``e``
LUSTRE_LIKE = """(set-logic LIA)
(declare-var nd Int)
(synth-inv inv ((e Bool) (c Int) (ok Bool) (first Bool)))
(define-fun init ((e Bool) (c Int) (ok Bool) (first Bool)) Bool
  (and (= c (ite e 1 0)) (= ok true) first))
(define-fun trans ((e Bool) (c Int) (ok Bool) (first Bool)
                   (e! Bool) (c! Int) (ok! Bool) (first! Bool)) Bool
  (and (= c! (ite e! (+ c (ite (>= nd 0) 1 2)) c)) (= ok! (>= c! 0)) (not first!)))
(define-fun prop ((e Bool) (c Int) (ok Bool) (first Bool)) Bool ok)
(inv-constraint inv init trans prop)
(check-synth)
"""


def test_concrete_sygus_steps_are_true_successors(tmp_path):
    import random

    import z3

    p = tmp_path / "l.sl"
    p.write_text(LUSTRE_LIKE)
    [task] = read_tasks(p)
    ts = system_for_task(task)
    rng = random.Random(1)
    inits = ts.concrete_init(rng, 10)
    assert inits
    state, steps = inits[0], 0
    for _ in range(30):
        nxt = ts.concrete_step(state, rng)
        assert nxt is not None
        s = z3.Solver()  # (state, nxt) satisfies trans for some input
        s.add(ts.trans, *ts.state_eqs(state), *ts.state_eqs(nxt, ts.nxt))
        assert s.check() == z3.sat
        state, steps = nxt, steps + 1
    assert steps == 30
    res = synth.solve(task, timeout=30)
    assert res.status == "solved"
    assert _proved(task, res)
