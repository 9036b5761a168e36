"""The searches' hand copies of reference ops agree exactly with the one reference semantics.

For speed, ``synth.search.robustfill_search`` computes op results on precomputed match lists
(``_substr``, ``_boundary``, ``_get_first``, ``_substitute``, ``_remove_all``, ``_CASE_FNS`` and
the inline GetToken, GetUpto, GetFrom, GetSpan, Replace, Trim and GetAll of
``ConcatDecomposition.substring_ops`` / ``modification_values``), and
``synth.search.deepcoder_search`` runs its ops as kernels on tuples (``LIST_UNARY``, ``INT_LIST``,
``ZIPS``). Each copy names the reference it mirrors; these tests (with the per-helper ones in
``tests/test_robustfill_search.py`` and ``tests/test_deepcoder_search.py``) check that every
value a copy computes is the reference's, on random inputs:

* RobustFill: every value ``ConcatDecomposition``'s first stages record (constants, the
  substring ops, the modification ops over the input) is its node's value under the reference
  interpreter (``synth.dsl.robustfill.ops`` through ``Domain.evaluate``); the Compose parts are
  checked the same way, and for completeness, by
  ``test_compose_parts_are_every_modification_inside_the_outputs``;
* DeepCoder: every op and lambda has a kernel; that each kernel is the checked reference op
  (``synth.dsl.deepcoder.ops.OPS``) on lists and integers of ExeDec's range, including results
  that leave it, is ``tests/test_deepcoder_search.py::test_kernels_agree_with_reference``.
"""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl.deepcoder.ops import LAMBDA_BY_TEXT, OPS
from synth.dsl.robustfill import ops
from synth.dsl.robustfill.ops import CASES, DELIMITER, INDICES, TYPE_PATTERNS
from synth.search import deepcoder_search as ds
from synth.search import robustfill_search as rs

#: characters of every Type, several delimiters (space for Trim) and repeats
ALPHABET = "aAbZz309 ,.()@&$"
strings = st.text(alphabet=ALPHABET, max_size=9)
types = st.sampled_from(sorted(TYPE_PATTERNS))
index = st.sampled_from(INDICES)
regexes = st.one_of(types.map(TYPE_PATTERNS.get), st.sampled_from(DELIMITER).map(ops.delimiter_pattern))


# ------------------------------------------------------------------------------ RobustFill
class _Parts:
    """Stands in for the reachability: keeps no state, never solves."""

    solution = None

    def add_part(self, vals):
        pass


class _Recording(rs.ConcatDecomposition):
    """Records every (value, node) the search's stages hand to its banks."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.reach = _Parts()
        self.seen: dict = {}

    def add(self, vals, node_fn, inner, op="", configs=1):
        node = node_fn()
        self.seen.setdefault(node, vals)
        if inner and all(vals):
            assert op == node.op  # the op counted for the Compose order is the node's
        super().add(vals, node_fn, inner, op, configs)

    def add_part(self, vals, node_fn):
        self.seen.setdefault(node_fn(), vals)
        super().add_part(vals, node_fn)


def _check_recorded(search: _Recording, xs: list[str]) -> None:
    domain = synth.dsl.get_domain("robustfill")
    assert search.seen
    for node, vals in search.seen.items():
        want = tuple(domain.evaluate(node, {"x": s}) for s in xs)
        assert vals == want, (str(node), xs, vals, want)


@settings(max_examples=60, deadline=None)
@given(st.lists(strings, min_size=1, max_size=3), st.text(alphabet=ALPHABET, max_size=6))
def test_robustfill_stage_values_are_the_reference_values(xs, junk):
    """Constants, GetToken, GetUpto, GetFrom, SubStr, GetSpan and every modification of the
    input (ToCase, Replace, Trim, GetAll, GetFirst, Substitute(All), Remove(All), with the
    Substitute characters of ``_inner_chars``) as the search computes them: each is its node's
    reference value, on every example. The outputs hold pieces of the inputs, so that Compose
    parts (``compose_over`` on the input) are recorded too."""
    targets = [junk + s.upper() + s[1:4] + s.lower() for s in xs]
    var = synth.dsl.base.Var("x", "String")
    search = _Recording(list(xs), targets, var, rs.Clock(rs.Budget(timeout=None)))
    search.constants()
    search.substring_ops()
    search.modification_ops()
    _check_recorded(search, xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=9), min_size=1, max_size=3),
       st.lists(st.integers(0, 10**6), min_size=1, max_size=4))
def test_robustfill_compose_parts_are_the_reference_values(xs, picks):
    """The Compose stage (``part_configs``' memoized and joined results, over inner values other
    than the input) gives each part its node's reference value."""
    var = synth.dsl.base.Var("x", "String")
    probe = _Recording(list(xs), [""] * len(xs), var, rs.Clock(rs.Budget(timeout=None)))
    probe.substring_ops()
    inner = list(probe.inner.items())  # SubStr(1, 1) is never empty here: one at least
    # outputs made of modifications of a few inner values, so that many Compose parts fit
    targets = list(xs)
    for k in picks:
        vals, _node = inner[k % len(inner)]
        case = CASES[k % len(CASES)]
        targets = [t + ops.to_case(case, v) + ops.remove_all(TYPE_PATTERNS["DIGIT"], v) + v[::-1]
                   for t, v in zip(targets, vals)]
    search = _Recording(list(xs), targets, var, rs.Clock(rs.Budget(timeout=None)))
    search.substring_ops()
    search.seen.clear()
    search.compose_phase()
    if search.seen:  # no inner value's modification fits: nothing to check
        _check_recorded(search, xs)


@settings(max_examples=300, deadline=None)
@given(strings, types, index, regexes, st.sampled_from(CASES), st.sampled_from(DELIMITER),
       st.sampled_from(DELIMITER))
def test_robustfill_inline_semantics_agree(s, t, i, r, case, d1, d2):
    """The one-line copies: GetToken on ``finditer`` matches, GetUpto/GetFrom at the first
    match's end, ``_CASE_FNS``, Replace, Trim and GetAll on a match list."""
    pat = TYPE_PATTERNS[t]
    m = [(x.start(), x.end(), x.group()) for x in re.finditer(pat, s)]
    k = rs._norm(i, len(m))
    assert (m[k][2] if 0 <= k < len(m) else "") == ops.get_token(pat, i, s)
    first = [(x.start(), x.end(), x.group()) for x in re.finditer(r, s)]
    assert (s[:first[0][1]] if first else "") == ops.get_upto(r, s)
    assert (s[first[0][1]:] if first else "") == ops.get_from(r, s)
    assert rs._CASE_FNS[case](s) == ops.to_case(case, s)
    assert s.replace(d1, d2) == ops.replace(d1, d2, s)
    assert s.strip() == ops.trim(s)
    assert "".join(x[2] for x in m) == ops.get_all(pat, s)
    search = rs.ConcatDecomposition([s], [s], None, rs.Clock(rs.Budget()))
    assert search.match_texts(pat, s) == re.findall(pat, s)


# ------------------------------------------------------------------------------ DeepCoder
def test_every_deepcoder_op_and_lambda_has_a_kernel():
    """The kernels cover the whole DSL: no op is searched with semantics of its own elsewhere."""
    have = {(op, lam) for op, lam, _r, _f in ds.LIST_UNARY} | {(op, None) for op, _r, _f in ds.INT_LIST}
    have |= {("ZipWith", lam) for lam, _c, _f in ds.ZIPS}
    kinds = {"Map": "Fn1", "Filter": "Pred", "Count": "Pred", "Scanl1": "Fn2", "ZipWith": "Fn2"}
    want = set()
    for name in OPS:
        if name in kinds:
            want |= {(name, text) for text, lam in LAMBDA_BY_TEXT.items() if lam.kind == kinds[name]}
        else:
            want.add((name, None))
    assert have == want
