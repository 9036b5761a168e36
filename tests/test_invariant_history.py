"""Loop invariants guarded by a history flag (issue 22, Inv): Lustre-style encodings of
parameterized protocols keep a flag "so far, at most one event at a time" and count processes
in each state; the invariant is ``flag => counters sum to the total``. Needs runs whose inputs
are mostly false (else the flag is lost in the first steps) and equalities of the sampled states
where a boolean has one value."""
import random

import numpy as np

import synth
from synth.io import read_tasks
from synth.search.budget import Budget, Clock
from synth.search.cegis import sample_states, system_for_task
from synth.search.invariant import IceData, StateTable, candidate_atoms
from synth.verify.inductive import verify_invariant

_PARAMS = "(i Int) (w Int) (c Int) (n Int) (ok Bool) (e1 Bool) (e2 Bool) (e3 Bool)"
_PRIMED = "(i! Int) (w! Int) (c! Int) (n! Int) (ok! Bool) (e1! Bool) (e2! Bool) (e3! Bool)"

# n processes move idle (i) -> waiting (w) -> critical (c) -> idle, one event per step; two
# events at once clear ``ok`` for good, and then the counters may take any values
PROTOCOL_SL = f"""(set-logic LIA)
(synth-inv inv_fun ({_PARAMS}))
(define-fun pre_fun ({_PARAMS}) Bool (and (>= n 1) (= i n) (= w 0) (= c 0) ok))
(define-fun trans_fun ({_PARAMS} {_PRIMED}) Bool
  (and (= n! n)
       (= ok! (and ok (not (and e1 e2)) (not (and e1 e3)) (not (and e2 e3))))
       (or (not ok!)
           (and (= i! (ite (and e1 (>= i 1)) (- i 1) (ite (and e3 (>= c 1)) (+ i 1) i)))
                (= w! (ite (and e1 (>= i 1)) (+ w 1) (ite (and e2 (>= w 1)) (- w 1) w)))
                (= c! (ite (and e2 (>= w 1)) (+ c 1) (ite (and e3 (>= c 1)) (- c 1) c)))))))
(define-fun post_fun ({_PARAMS}) Bool (=> ok (<= c n)))
(inv-constraint inv_fun pre_fun trans_fun post_fun)
(check-synth)
"""


def _task(tmp_path, text=PROTOCOL_SL):
    p = tmp_path / "protocol.sl"
    p.write_text(text)
    [task] = read_tasks(p)
    return task


def test_conditional_sum_is_a_candidate_atom():
    # where b holds, x + y + z == 10; where it does not, anything
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(20):
        x, y = rng.integers(0, 10, size=2)
        rows.append((1, x, y, 10 - x - y))
        rows.append((0, *rng.integers(-50, 50, size=3)))
    M = np.asarray(rows, dtype=np.int64)
    names = ["b", "x", "y", "z"]
    sorts = {"b": "Bool", "x": "Int", "y": "Int", "z": "Int"}
    atoms = candidate_atoms(names, sorts, names, [], [10], M)
    eqs = {(a.coefs, a.k) for a in atoms.atoms if a.op == "=="}
    assert (((0, 1, 1, 1), -10) in eqs) or (((0, -1, -1, -1), 10) in eqs)


def test_sampled_runs_keep_the_history_flag(tmp_path):
    ts = system_for_task(_task(tmp_path))
    data = IceData(StateTable(ts.vars))
    assert sample_states(ts, data, random.Random(0), Clock(Budget(timeout=30)), 5.0) is None
    M = data.table.matrix(data.positives)
    col = {v: j for j, v in enumerate(ts.vars)}
    flagged = M[M[:, col["ok"]] == 1]
    # runs with the flag still set reach the critical state (after two events, one at a time)
    assert (flagged[:, col["c"]] >= 1).any()
    assert (flagged[:, col["i"]] + flagged[:, col["w"]] + flagged[:, col["c"]]
            == flagged[:, col["n"]]).all()


def test_protocol_needs_the_flag_guarded_sum(tmp_path):
    task = _task(tmp_path)
    res = synth.solve(task, timeout=60)
    assert res.status == "solved"
    text = res.stats["also"]["invariant"]
    assert "ok" in text and "i + w + c" in text
    ts = system_for_task(task)
    assert verify_invariant(ts, res.program.node, 5000).proved
