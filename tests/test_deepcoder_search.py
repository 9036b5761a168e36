"""The deepcoder-bottom-up strategy: its kernels and inverses agree with the reference ops, it merges
shared subprograms into one statement, and it solves tasks (hand-written, ExeDec's)."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl.deepcoder import statements_of
from synth.dsl.deepcoder.ops import LAMBDA_BY_TEXT, MAX_INT, MIN_INT, OPS
from synth.exedec import load_exedec_tasks
from synth.search import deepcoder_search as ds
from synth.task import Task

small = st.integers(-50, 50)
lists = st.lists(small, max_size=5)


def _ref(op, lam, *args):
    lam_args = [LAMBDA_BY_TEXT[lam]] if lam else []
    v = OPS[op].fn(*lam_args, *[list(a) if isinstance(a, tuple) else a for a in args])
    return tuple(v) if isinstance(v, list) else v


#: ints and lists of ExeDec's range, plus values at its edges (a kernel's range check must fire
#: exactly where the reference's does)
edge_ints = st.one_of(st.integers(MIN_INT, MAX_INT), st.sampled_from([MIN_INT, MAX_INT, 0, 1, -1, 25, -26]))
edge_lists = st.lists(edge_ints, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.one_of(lists, edge_lists), st.one_of(lists, edge_lists), st.integers(-8, 8))
def test_kernels_agree_with_reference(xs, ys, n):
    """Every kernel of ``deepcoder_search`` is the reference op with its range check (None where
    the reference fails), at the range's edges too."""
    tx, ty = tuple(xs), tuple(ys)
    for op, lam, _rtype, fn in ds.LIST_UNARY:
        assert fn(tx) == _ref(op, lam, xs), (op, lam, xs)
    for op, _rtype, fn in ds.INT_LIST:
        assert fn(n, tx) == _ref(op, None, n, xs), (op, n, xs)
    for lam, _comm, fn in ds.ZIPS:
        assert fn(tx, ty) == _ref("ZipWith", lam, xs, ys), (lam, xs, ys)


@settings(max_examples=150, deadline=None)
@given(lists)
def test_inverses_are_exact(ys):
    t = tuple(ys)
    for op, lam, inv in ds.LIST_INVERSES:
        pre = inv(t)
        if pre is not None:
            assert _ref(op, lam, pre) == t, (op, lam, ys, pre)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(small, small), max_size=5))
def test_zip_inverses_are_exact(pairs):
    t, xs = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    for lam, inv in ds.ZIP_INVERSES:
        y = tuple(inv(a, b) for a, b in zip(t, xs))
        if None not in y and all(-50 <= v <= 50 for v in y):
            assert _ref("ZipWith", lam, xs, y) == t


def test_shared_subtrees_become_one_statement():
    sub = ("Map", "(*2)", ("in", "xs"))
    program = ds.to_program(("ZipWith", "(+)", sub, ("Reverse", None, sub)), {"xs": "List"})
    assert str(synth.dsl.get_domain("deepcoder").format(program)) == \
        "xs = INPUT | x1 = Map (*2) xs | x2 = Reverse x1 | x3 = ZipWith (+) x1 x2"


def _task(pairs, **kw):
    return Task.from_examples(pairs, domain="deepcoder", **kw)


@pytest.mark.parametrize("pairs", [
    [({"xs": [3, 1, 2]}, [1, 2, 3]), ({"xs": [5, 4]}, [4, 5])],
    [({"xs": [1, 2, 3, 4]}, 12), ({"xs": [5, 6, -2]}, 8), ({"xs": [7, 1]}, 0), ({"xs": [0, 10, 3]}, 20)],
    [({"a": [1, 2, 3], "b": [4, 5, 6]}, [5, 7, 9]), ({"a": [0], "b": [2, 2]}, [2])],
    [({"xs": [5, 1, 4, 2], "n": 2}, [1, 2]), ({"xs": [9, -3, 7], "n": 1}, [-3]),
     ({"xs": [3, 8, 6, 0, 2], "n": 3}, [0, 2, 3])],
    [({"xs": [1, 2, 3]}, [1, 3, 6]), ({"xs": [4, -1]}, [4, 3])],
])
def test_solves_small_tasks(pairs):
    res = synth.solve(_task(pairs), strategy="deepcoder-bottom-up", timeout=60)
    assert res.status == "solved" and res.train_ok and res.strategy == "deepcoder-bottom-up"


def test_target_equal_to_an_input_still_gets_a_statement():
    res = synth.solve(_task([({"xs": [1, 2]}, [1, 2]), ({"xs": [4, 5]}, [4, 5])]), strategy="deepcoder-bottom-up", timeout=60)
    assert res.solved and len(statements_of(res.program.node)) >= 1


@pytest.mark.parametrize("name", ["NONE/0", "NONE/3", "LENGTH_GENERALIZATION/0", "COMPOSE_NEW_OP/0"])
def test_solves_released_problems(name):
    split, index = name.split("/")
    task = load_exedec_tasks("deepcoder", split, int(index) + 1)[-1]
    res = synth.solve(task, strategy="deepcoder-bottom-up", timeout=60)
    assert res.solved and res.train_ok


def test_size_limit_exhausts():
    res = synth.solve(_task([({"xs": [1, 2]}, 7), ({"xs": [4, 5]}, 9)]), strategy="deepcoder-bottom-up", timeout=60, max_size=1)
    assert res.status == "exhausted"


def test_candidate_budget_stops_the_search():
    task = load_exedec_tasks("deepcoder", "LENGTH_GENERALIZATION", 20)[19]
    res = synth.solve(task, strategy="deepcoder-bottom-up", timeout=60, max_candidates=2000)
    assert res.status == "timeout" and res.stats["stopped_by"] == "candidates"


def test_non_integer_values_are_rejected():
    from synth.errors import InvalidTask
    with pytest.raises(InvalidTask, match="integers"):
        synth.solve(Task.from_examples([({"xs": [1]}, "a")], domain="deepcoder"), strategy="deepcoder-bottom-up")


def test_cli_solves_the_examples():
    from pathlib import Path

    from click.testing import CliRunner

    from synth.cli import main
    files = sorted(Path(__file__).resolve().parents[1].glob("examples/deepcoder/*.json"))
    assert files
    out = CliRunner().invoke(main, ["solve", "--timeout", "60", "--format", "json", *map(str, files)])
    assert out.exit_code == 0, out.output
    recs = [json.loads(line) for line in out.stdout.splitlines()]
    assert all(r["status"] == "solved" and r["test_ok"] for r in recs)


def test_op_restriction_is_honoured():
    pairs = [({"xs": [3, 1, 2]}, [1, 2, 3]), ({"xs": [5, 4]}, [4, 5])]
    res = synth.solve(_task(pairs, ops="Sort"), strategy="deepcoder-bottom-up", timeout=60)
    assert res.solved and {st.op for st in statements_of(res.program.node)} == {"Sort"}
    res = synth.solve(_task([({"xs": [1, 2]}, 3), ({"xs": [4, 5]}, 9)], ops="Map,Reverse"), strategy="deepcoder-bottom-up", timeout=60,
                      max_size=3)
    assert res.status == "exhausted"


def test_programs_respect_the_statement_limit():
    tree = ("ZipWith", "(+)", ("Map", "(*2)", ("in", "xs")), ("Reverse", None, ("Map", "(*2)", ("in", "xs"))))
    assert ds.statement_count(tree) == 3
    pairs = [({"xs": [1, 2, 3]}, [8, 8, 8]), ({"xs": [5, 1]}, [12, 12]), ({"xs": [4]}, [16])]
    assert synth.solve(_task(pairs), strategy="deepcoder-bottom-up", timeout=60).solved
    res = synth.solve(_task(pairs), strategy="deepcoder-bottom-up", timeout=60, max_size=2)
    assert res.status == "exhausted"


def test_reusing_a_subprogram_costs_one_statement():
    # x3 = ZipWith (*) x1 x2 where x2 is computed from x1: three statements, a tree of four ops
    p = synth.dsl.get_domain("deepcoder").parse(
        "xs = INPUT | x1 = Map (-1) xs | x2 = Scanl1 (min) x1 | x3 = ZipWith (*) x1 x2")
    pairs = [({"xs": i}, p(xs=i)) for i in ([3, 1, 4, 1], [2, 7, -3], [5, -1, 0, 2, 2])]
    res = synth.solve(_task(pairs), strategy="deepcoder-bottom-up", timeout=60, max_size=3)
    assert res.solved and len(statements_of(res.program.node)) == 3


def _bank_search(bank, target):
    """A ValueSearch whose level 0 holds the list values ``bank`` (named v0, v1, ...)."""
    search = ds.ValueSearch({}, target, clock=None)
    for i, v in enumerate(bank):
        search._add(0, v, ("in", f"v{i}"), is_list=True)
    return search


def _zip_ref(lam, xv, yv):
    out = tuple(_ref("ZipWith", lam, list(x), list(y)) for x, y in zip(xv, yv))
    return None if None in out else out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.lists(st.integers(-4, 4), min_size=1, max_size=3), min_size=2, max_size=2),
                min_size=2, max_size=6),
       st.sampled_from(["(+)", "(-)", "(*)", "(min)", "(max)"]), st.integers(0, 10 ** 6))
def test_last_zipwith_finds_a_pair_exactly_when_one_exists(bank, lam, pick):
    """``last_steps`` (ZipWith as the last statement: the other argument looked up for
    ``(+) (-) (*)``, masks of bounded values for ``(min) (max)``) finds a pair of known values
    whose ZipWith is the target exactly when a brute force over all pairs of values finds one (of the same lengths as the target, as the look-up computes them), and the pair
    it names gives the target."""
    bank = list(dict.fromkeys(tuple(tuple(x) for x in v) for v in bank))
    a, b = bank[pick % len(bank)], bank[(pick // 7) % len(bank)]
    target = _zip_ref(lam, a, b)
    if target is None or target in bank:
        return
    same_len = lambda v: all(len(x) == len(t) for x, t in zip(v, target))  # noqa: E731
    brute = [(lam2, x, y) for lam2 in ["(+)", "(-)", "(*)", "(min)", "(max)"]
             for x in bank for y in bank if _zip_ref(lam2, x, y) == target
             and (lam2 in ("(min)", "(max)") or (same_len(x) and same_len(y)))
             and (lam2 != "(*)" or not any(0 in v for v in x) or not any(0 in v for v in y))]
    search = _bank_search(bank, target)
    try:
        search.last_steps()
        found = None
    except ds._Found as f:
        found = f.node
    assert (found is not None) == bool(brute), (brute, found)
    if found is not None:
        op, lam2, xn, yn = found
        x, y = search.vals_of[id(xn)], search.vals_of[id(yn)]
        assert op == "ZipWith" and _zip_ref(lam2, x, y) == target


def test_a_last_zipwith_by_max_is_found_a_level_early():
    """ZipWith (max) (Map (*2) xs) (Scanl1 (+) xs) is a tree of three ops; both arguments are
    values of level 1, so it is found while level 1 is built, before level 2 or 3 runs."""
    rows = [[3, -1, 2, 0], [1, 5, -2], [-3, 4, 4, 1, 0]]
    pairs = [({"xs": r}, [max(2 * v, s) for v, s in zip(r, [sum(r[:i + 1]) for i in range(len(r))])])
             for r in rows]
    task = _task(pairs)
    clock = ds.Clock(ds.Budget(timeout=None))
    inputs = {"xs": tuple(tuple(r) for r in rows)}
    search = ds.ValueSearch(inputs, tuple(tuple(p[1]) for p in pairs), clock)
    status, node, _ = search.run()
    assert status == "solved" and search.level == 0  # found while level 1 was being built
    assert node[:2] == ("ZipWith", "(max)")
    res = synth.solve(task, strategy="deepcoder-bottom-up", timeout=None, max_candidates=10 ** 6)
    assert res.status == "solved" and res.train_ok


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.lists(st.integers(-5, 5), max_size=3), min_size=2, max_size=2),
                min_size=1, max_size=5), st.integers(0, 10 ** 6))
def test_last_int_op_is_found_exactly_when_one_exists(bank, pick):
    """For an Int target, ``last_steps`` finds a one-list op (Head ... Count) giving it on a
    known list value exactly when a brute force over the values and ops finds one."""
    bank = list(dict.fromkeys(tuple(tuple(x) for x in v) for v in bank))
    ops = [(op, lam, fn) for op, lam, rtype, fn in ds.LIST_UNARY if rtype == "Int"]
    op, lam, fn = ops[pick % len(ops)]
    target = tuple(map(fn, bank[(pick // 31) % len(bank)]))
    if None in target:
        return
    brute = [(o, lm) for v in bank for o, lm, f in ops if tuple(map(f, v)) == target]
    search = _bank_search(bank, target)
    try:
        search.last_steps()
        found = None
    except ds._Found as f:
        found = f.node
    assert (found is not None) == bool(brute)
    if found is not None:
        o, lm, arg = found
        assert tuple(_ref(o, lm, list(x)) for x in search.vals_of[id(arg)]) == target
