"""Every numba kernel of the DeepCoder domain agrees with the reference semantics in ops.py, and the
compiled engine enumerates the DeepCoder tree grammar exactly like the pure-Python engine."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synth.dsl import get_domain
from synth.dsl.base import ERROR, ValueLimits
from synth.dsl.deepcoder import ops as R

pytest.importorskip("numba")

from synth.search.compiled.kernels import deepcoder as K  # noqa: E402
from synth.search.bottom_up import BottomUpSearch  # noqa: E402
from synth.search.budget import Budget  # noqa: E402
from synth.search.compiled import CompiledBottomUpSearch  # noqa: E402
from synth.search.compiled import protocol as Q  # noqa: E402
from synth.search.compiled import table as T  # noqa: E402
from synth.search.compiled.valuebank import ValueBank, target_bank  # noqa: E402
from synth.search.compiled.warmup import ensure_kernels  # noqa: E402
from synth.search.enumerative import limits_for  # noqa: E402
from synth.task import Task  # noqa: E402

D = get_domain("deepcoder")
LIMITS = ValueLimits()
# values a little beyond ExeDec's range too, so that the range checks are exercised
INT = st.integers(-60, 60)
LIST = st.lists(st.integers(-60, 60), max_size=6).map(tuple)
GEN = {"Int": INT, "List": LIST, "Fn1": st.sampled_from(R.FN1), "Pred": st.sampled_from(R.PRED),
       "Fn2": st.sampled_from(R.FN2)}


def run_kernel(op_name, args_per_example):
    """The op's kernel on one argument tuple per example: the result tuple, or None if the
    kernel keeps nothing."""
    ensure_kernels(K)
    op = D.op(op_name)
    E = len(args_per_example)
    k = len(op.arg_types)
    banks = []
    for i, t in enumerate(op.arg_types):
        b = ValueBank(K.KINDS[t], E, max_len=100)
        b.write([K.encode(t, ex[i]) for ex in args_per_example])
        b.state[T.N] = 1
        banks.append(b)
    rtype = op.ret_type
    caps = K.value_caps(rtype, LIMITS)
    res = ValueBank(K.KINDS[rtype], E, max_len=caps[0])
    tb = target_bank(K.KINDS[rtype], [K.encode(rtype, () if rtype == "List" else 0)] * E)
    P = np.zeros(Q.P_LEN, np.int64)
    P[Q.P_OP], P[Q.P_K], P[Q.P_E], P[Q.P_KIND] = K.kernel_code(op), k, E, res.kind
    P[Q.P_LIMIT], P[Q.P_MAXABS] = caps
    P[Q.P_M:Q.P_M + 4] = 1
    P[Q.P_POS], P[Q.P_END] = 0, 1
    d_el, d_of, d_in = np.zeros(1, np.int32), np.zeros(2, np.int64), np.zeros((1, 1), np.int64)
    pick = lambda attr, dummy: tuple(getattr(banks[i], attr) if i < k else dummy for i in range(4))  # noqa: E731
    ids = tuple(np.zeros(1, np.int64) for _ in range(4))
    status, _ = K.run_block(P, ids, pick("el", d_el), pick("of", d_of), pick("ints", d_in),
                            pick("vsize", np.zeros(1, np.int32)), res.el, res.of, res.ints,
                            res.table, res.vsize, res.prov, res.state, tb.el, tb.of,
                            tb.ints, res.rec, res.lo, res.hi, res.maskseen)
    assert status in (Q.DONE, Q.SOLVED)
    return tuple(K.decode(rtype, res.raw(0, e)) for e in range(E)) if res.n else None


def reference(op_name, args_per_example):
    op = D.op(op_name)
    out = tuple(op.fn(*ex) for ex in args_per_example)
    if ERROR in out:
        return None
    out = tuple(tuple(v) if type(v) is list else v for v in out)
    return out if D.value_ok(op.ret_type, out, LIMITS) else None


def test_every_op_has_a_kernel():
    assert all(K.kernel_code(op) is not None for op in D.ops.values())


@pytest.mark.parametrize("op_name", sorted(D.ops))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), E=st.integers(1, 3))
def test_kernel_matches_reference(op_name, data, E):
    op = D.op(op_name)
    examples = [tuple(data.draw(GEN[t]) for t in op.arg_types) for _ in range(E)]
    assert run_kernel(op_name, examples) == reference(op_name, examples), examples


@pytest.mark.parametrize("op_name,args", [
    ("Take", (-2, (1, 2, 3))), ("Take", (-5, (1, 2, 3))), ("Drop", (-1, (1, 2, 3))),
    ("Drop", (9, (1, 2))), ("Access", (3, (1, 2, 3))), ("Access", (-1, (1, 2, 3))),
    ("Head", ((),)), ("Sum", ((),)), ("Sum", ((30, 30),)), ("Scanl1", (R.FN2[2], (7, 8))),
    ("Scanl1", (R.FN2[0], ())), ("Map", (R.FN1[3], (-3, 3))), ("Map", (R.FN1[7], (-4,))),
    ("Map", (R.FN1[5], (8,))), ("Count", (R.PRED[3], (-3, -2, 5))), ("Filter", (R.PRED[2], (-3, -2, 0))),
    ("ZipWith", (R.FN2[3], (1, 5, 2), (4, 0))), ("Sort", ((3, -1, 3, 0),)), ("Reverse", ((),)),
])
def test_edge_cases(op_name, args):
    assert run_kernel(op_name, [args]) == reference(op_name, [args])


def _task(pairs):
    return Task.from_examples(pairs, domain="deepcoder")


@pytest.mark.parametrize("pairs", [
    [({"xs": [1, 2, 3, 4]}, 12), ({"xs": [5, 6, -2]}, 8), ({"xs": [7, 1]}, 0)],
    [({"xs": [3, 1, 2], "n": 2}, [1, 2]), ({"xs": [9, -1, 4, 0], "n": 3}, [-1, 0, 4])],
    [({"xs": [1, -2, 3]}, [1, -1, 2]), ({"xs": [4, 4]}, [4, 8])],
    [({"xs": [1, 2], "ys": [3, 4, 5]}, [-47, 43, -41, 37]), ({"xs": [2], "ys": []}, [29, -50])],  # not solvable: runs to the budget
])
def test_same_search_as_python(pairs):
    task = _task(pairs)
    grammar, inputs, target = K.tree_search_args(task, D)
    args = (D, grammar, inputs, target, Budget(timeout=None, max_candidates=40_000), limits_for(task))
    py, cc = BottomUpSearch(*args), CompiledBottomUpSearch(*args)
    a, b = py.run(), cc.run()
    assert cc.engine == "compiled"
    assert (a.status, a.node, a.candidates, a.values, a.max_size_explored) == \
        (b.status, b.node, b.candidates, b.values, b.max_size_explored)
    if a.status != "solved":
        levels = cc.bank_values()
        for nt, want in py.bank.items():
            got = levels[nt]
            want = list(want)
            while want and not want[-1]:
                want.pop()
            while got and not got[-1]:
                got.pop()
            assert got == want, nt
