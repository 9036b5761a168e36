"""numba kernels of the DeepCoder ops, and the DSL as a tree grammar for the generic bottom-up engines.

``synth/dsl/deepcoder/ops.py`` stays the single source of truth; every kernel here agrees with it
exactly (``tests/test_kernels_deepcoder.py`` checks them on random values with hypothesis). Lists
are int32 element arrays (a ``SEQ`` bank), ints and lambdas are scalars; a lambda is stored as its
index in ``ops.LAMBDAS``. Every result is range-checked like ExeDec's (an int or an element outside
[-50, 50] is an error).

``tree_grammar`` is the DSL as a ``SearchGrammar`` (one nonterminal per type, lambdas as leaves,
lists as tuples so that values hash): what ``BottomUpSearch`` and ``CompiledBottomUpSearch``
enumerate by program size. The ``deepcoder-bottom-up`` strategy is a different search (levels by
statements, inverted last steps) and does not use these kernels.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from synth.dsl.base import Const, Var
from synth.dsl.deepcoder import ops as R
from synth.search.compiled import blocks as B
from synth.search.compiled import table as T
from synth.search.compiled.jit import kernel
from synth.search.compiled.protocol import DONE, FULL, OP_COMMIT, SOLVED
from synth.search.grammar import Leaf, Production, SearchGrammar

LO, HI = R.MIN_INT, R.MAX_INT
ERR = -1

(K_HEAD, K_LAST, K_TAKE, K_DROP, K_ACCESS, K_MIN, K_MAX, K_REVERSE, K_SORT, K_SUM, K_MAP, K_FILTER,
 K_COUNT, K_ZIPWITH, K_SCANL1) = range(15)
_CODES = {"Head": K_HEAD, "Last": K_LAST, "Take": K_TAKE, "Drop": K_DROP, "Access": K_ACCESS,
          "Minimum": K_MIN, "Maximum": K_MAX, "Reverse": K_REVERSE, "Sort": K_SORT, "Sum": K_SUM,
          "Map": K_MAP, "Filter": K_FILTER, "Count": K_COUNT, "ZipWith": K_ZIPWITH,
          "Scanl1": K_SCANL1}
#: reference function -> kernel code
KERNEL_OF = {R.OPS[name].fn: code for name, code in _CODES.items()}

KINDS = {"Int": T.SCALAR, "List": T.SEQ, "Fn1": T.SCALAR, "Pred": T.SCALAR, "Fn2": T.SCALAR}
_LAMBDA_INDEX = {lam.text: i for i, lam in enumerate(R.LAMBDAS)}


def kernel_code(op) -> int | None:
    return KERNEL_OF.get(getattr(op.fn, "reference", op.fn))


def encode(type_: str, value):
    if type_ == "List":
        if type(value) not in (list, tuple) or any(type(x) is not int or not -2**31 < x < 2**31 for x in value):
            return None
        return np.asarray(value, dtype=np.int32)
    if type_ == "Int":
        return int(value) if type(value) is int and -2**31 < value < 2**31 else None
    if isinstance(value, R.Lambda) and value.kind == type_:
        return _LAMBDA_INDEX[value.text]
    return None


def element_dtype(values) -> np.dtype:
    return np.dtype(np.int32)


def decode(type_: str, raw):
    if type_ == "List":
        return tuple(int(x) for x in raw)
    if type_ == "Int":
        return int(raw)
    return R.LAMBDAS[int(raw)]


def value_caps(type_: str, limits) -> tuple[int, int] | None:
    """``DeepCoderDomain.value_ok`` as caps: ints within [-50, 50]; lists never grow beyond their
    inputs (the kernels range-check their elements)."""
    if type_ == "List":
        return limits.max_list_len, 0
    if type_ == "Int":
        return 0, HI + 1
    return 0, 0


# ------------------------------------------------------------------------- the tree grammar
def _tuple_valued(fn):
    """The reference op with list results as tuples (hashable, as the bottom-up banks need)."""
    def op(*args):
        v = fn(*args)
        return tuple(v) if type(v) is list else v
    op.reference = fn
    op.__name__ = fn.__name__
    return op


def tree_grammar(domain, ops, input_types: dict[str, str], output_type: str) -> SearchGrammar:
    """The DeepCoder DSL as a tree grammar: each op a production, inputs and the 19 lambdas
    leaves. Values of type List are tuples; pass inputs and outputs as tuples too."""
    prods = [Production(op.ret_type, op.arg_types, _tuple_valued(op.fn), op.name) for op in ops]
    leaves = [Leaf(t, Var(n, t)) for n, t in input_types.items()]
    leaves += [Leaf(lam.kind, Const(lam, lam.kind)) for lam in R.LAMBDAS]
    return SearchGrammar(start=output_type, nonterminals={t: t for t in domain.types},
                         productions=prods, leaves=leaves)


def freeze(value: Any) -> Any:
    return tuple(value) if type(value) is list else value


def tree_search_args(task, domain) -> tuple:
    """(grammar, inputs, target) of a deepcoder task for the generic bottom-up engines."""
    ops = domain.resolve_ops(task.ops)
    first = task.examples[0]
    types = {n: domain.type_of(v) for n, v in first.inputs.items()}
    grammar = tree_grammar(domain, ops, types, domain.type_of(first.output))
    inputs = [{n: freeze(v) for n, v in e.inputs.items()} for e in task.examples]
    target = [freeze(e.output) for e in task.examples]
    return grammar, inputs, target


# ------------------------------------------------------------------------- lambdas
@kernel(inline=True)
def _fn1(f, x):
    if f == 0:
        return x + 1
    if f == 1:
        return x - 1
    if f == 2:
        return x * 2
    if f == 3:
        return x // 2
    if f == 4:
        return -x
    if f == 5:
        return x * x
    if f == 6:
        return x * 3
    if f == 7:
        return x // 3
    if f == 8:
        return x * 4
    return x // 4


@kernel(inline=True)
def _pred(p, x):
    if p == 10:
        return x > 0
    if p == 11:
        return x < 0
    if p == 12:
        return x % 2 == 0
    return x % 2 == 1


@kernel(inline=True)
def _fn2(g, x, y):
    if g == 14:
        return x + y
    if g == 15:
        return x - y
    if g == 16:
        return x * y
    if g == 17:
        return min(x, y)
    return max(x, y)


# ------------------------------------------------------------------------- batch driver
@kernel
def run_block(P, ids, els, ofs, ints, sizes, el, of, rints, table, vsize, prov, state,
              tel, tof, tints, rec, lo, hi, maskseen):
    """Apply one op to argument tuples ``P_POS..P_END`` of the product of ``ids[0..k-1]``
    (itertools.product order), keeping each new value in the result bank; the contract of
    ``synth.search.compiled.protocol``."""
    op, k, E, kind, limit, maxabs, prod, flags, same, pos, end, m0, m1, m2, m3 = B.block_params(P)
    d0, d1, d2, d3 = B.tuple_digits(pos, m0, m1, m2, m3)  # (0, 0, 0, 0) for a commit
    ids0, ids1, ids2, ids3 = ids
    el0, el1, el2, el3 = els
    of0, of1, of2, of3 = ofs
    in0, in1, in2, in3 = ints
    sz0, sz1, sz2, sz3 = sizes
    p = pos
    while p < end:
        n = state[T.N]
        if op != OP_COMMIT and B.bank_full(kind, E, of, state, limit):
            return FULL, p
        v0 = ids0[np.uint64(d0)]
        v1 = ids1[np.uint64(d1)]
        v2 = ids2[np.uint64(d2)]
        v3 = ids3[np.uint64(d3)]
        ok = True
        if op == OP_COMMIT:
            pass
        elif kind == T.SEQ:
            w = of[n * E]
            for e in range(E):
                # the list argument: argument 1 for ops with a lambda or an int first, else 0
                if op == K_REVERSE or op == K_SORT:
                    xlo = of0[v0 * E + e]
                    xhi = of0[v0 * E + e + 1]
                    xs = el0
                else:
                    xlo = of1[v1 * E + e]
                    xhi = of1[v1 * E + e + 1]
                    xs = el1
                nx = xhi - xlo
                r = np.int64(0)
                if op == K_TAKE or op == K_DROP:
                    nn = in0[v0, e]
                    cut = min(nn, nx) if nn >= 0 else max(0, nx + nn)  # Python slicing
                    a, b = (xlo, xlo + cut) if op == K_TAKE else (xlo + cut, xhi)
                    for j in range(b - a):
                        el[w + j] = xs[a + j]
                    r = b - a
                elif op == K_REVERSE:
                    for j in range(nx):
                        el[w + j] = xs[xhi - 1 - j]
                    r = nx
                elif op == K_SORT:  # insertion sort of a short list
                    for j in range(nx):
                        x = xs[xlo + j]
                        q = w + j
                        while q > w and el[q - 1] > x:
                            el[q] = el[q - 1]
                            q -= 1
                        el[q] = x
                    r = nx
                elif op == K_MAP:
                    f = in0[v0, e]
                    for j in range(nx):
                        y = _fn1(f, np.int64(xs[xlo + j]))
                        if y < LO or y > HI:
                            r = ERR
                            break
                        el[w + j] = y
                    if r == 0:
                        r = nx
                elif op == K_FILTER:
                    pr = in0[v0, e]
                    for j in range(nx):
                        x = np.int64(xs[xlo + j])
                        if _pred(pr, x):
                            el[w + r] = x
                            r += 1
                elif op == K_SCANL1:
                    g = in0[v0, e]
                    acc = np.int64(0)
                    for j in range(nx):
                        x = np.int64(xs[xlo + j])
                        acc = x if j == 0 else _fn2(g, acc, x)
                        if acc < LO or acc > HI:
                            r = ERR
                            break
                        el[w + j] = acc
                    if r == 0:
                        r = nx
                elif op == K_ZIPWITH:
                    g = in0[v0, e]
                    ylo = of2[v2 * E + e]
                    ny = of2[v2 * E + e + 1] - ylo
                    m = min(nx, ny)
                    for j in range(m):
                        z = _fn2(g, np.int64(xs[xlo + j]), np.int64(el2[ylo + j]))
                        if z < LO or z > HI:
                            r = ERR
                            break
                        el[w + j] = z
                    if r == 0:
                        r = m
                else:
                    r = ERR
                if r < 0:
                    ok = False
                    break
                for j in range(r):  # ExeDec's range check of every element
                    if el[w + j] < LO or el[w + j] > HI:
                        r = ERR
                        break
                if r < 0:
                    ok = False
                    break
                w += r
                of[n * E + e + 1] = w
        else:
            for e in range(E):
                good = True
                x = np.int64(0)
                if op == K_ACCESS:
                    xlo = of1[v1 * E + e]
                    nx = of1[v1 * E + e + 1] - xlo
                    i = in0[v0, e]
                    if 0 <= i < nx:
                        x = el1[xlo + i]
                    else:
                        good = False
                elif op == K_COUNT:
                    pr = in0[v0, e]
                    xlo = of1[v1 * E + e]
                    for j in range(xlo, of1[v1 * E + e + 1]):
                        if _pred(pr, np.int64(el1[j])):
                            x += 1
                else:
                    xlo = of0[v0 * E + e]
                    xhi = of0[v0 * E + e + 1]
                    if op == K_SUM:
                        for j in range(xlo, xhi):
                            x += el0[j]
                    elif xlo == xhi:
                        good = False  # Head, Last, Minimum, Maximum of []
                    elif op == K_HEAD:
                        x = el0[xlo]
                    elif op == K_LAST:
                        x = el0[xhi - 1]
                    elif op == K_MIN:
                        x = el0[xlo]
                        for j in range(xlo + 1, xhi):
                            x = min(x, np.int64(el0[j]))
                    elif op == K_MAX:
                        x = el0[xlo]
                        for j in range(xlo + 1, xhi):
                            x = max(x, np.int64(el0[j]))
                    else:
                        good = False
                if not good or (maxabs > 0 and (x >= maxabs or x <= -maxabs)):
                    ok = False
                    break
                rints[n, e] = x
        if ok and same != 0 and op != OP_COMMIT and \
                B.equals_an_argument(kind, E, el, of, rints, n, same, v0, v1, v2, v3):
            ok = False
        if ok:
            if op != OP_COMMIT:
                vsize[n] = B.program_size(k, sz0, sz1, sz2, sz3, v0, v1, v2, v3)
            status = T.commit_value(kind, E, el, of, rints, table, vsize, state, flags,
                                    tel, tof, tints, rec, lo, hi, maskseen, p)
            if op == OP_COMMIT:
                return status, p
            if status != T.DUP:
                B.set_provenance(prov, n, prod, v0, v1, v2, v3)
                if status == T.SOLVED:
                    return SOLVED, p
        p += 1
        d0, d1, d2, d3 = B.next_digits(d0, d1, d2, d3, m1, m2, m3)
    return DONE, end

