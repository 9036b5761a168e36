"""The deepcoder-bottom-up strategy: its kernels and inverses agree with the reference ops, it merges
shared subprograms into one statement, and it solves tasks (hand-written, ExeDec's)."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl.deepcoder import statements_of
from synth.dsl.deepcoder.ops import LAMBDA_BY_TEXT, OPS
from synth.exedec import load_exedec_tasks
from synth.search import deepcoder_search as ds
from synth.task import Task

small = st.integers(-50, 50)
lists = st.lists(small, max_size=5)


def _ref(op, lam, *args):
    lam_args = [LAMBDA_BY_TEXT[lam]] if lam else []
    v = OPS[op].fn(*lam_args, *[list(a) if isinstance(a, tuple) else a for a in args])
    return tuple(v) if isinstance(v, list) else v


@settings(max_examples=150, deadline=None)
@given(lists, lists, st.integers(-6, 6))
def test_kernels_agree_with_reference(xs, ys, n):
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
