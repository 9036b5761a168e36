"""The ExeDec loop (``--strategy exedec``) with stub subgoal models: an oracle that proposes the
true subgoals must always succeed; a model that proposes garbage must fail within budget."""
from __future__ import annotations

import random
import time

import numpy as np
import pytest

import synth
from synth.dsl import get_domain
from synth.dsl.base import Program
from synth.errors import InvalidTask
from synth.exedec.decompose import steps
from synth.exedec.splits import generate, to_task
from synth.search.exedec_steps import DeepCoderSteps, freeze
from synth.exedec.subgoal_model import (MLPWeights, RankingSubgoalModel, StepProblem,
                                        feature_count, features, load_subgoal_model)
from synth.search.budget import Budget
from synth.search.exedec_search import solve_exedec
from synth.task import Example, Task


class OracleModel:
    """Proposes the ground-truth program's next subgoal, found by matching the state's progress
    against the program's own decomposition."""

    def __init__(self, domain: str, sample):
        self.domain = domain
        self.steps = steps(domain, sample.program, sample.inputs)

    def propose(self, problem: StepProblem, k: int):
        if problem.step >= len(self.steps):
            return []
        return [(tuple(freeze(v) for v in self.steps[problem.step].subgoal), 0.0)]


class GarbageModel:
    """Proposes values no subprogram can produce."""

    def __init__(self, domain: str, seed: int = 0):
        self.domain = domain
        self.rng = random.Random(seed)
        self.calls = 0

    def propose(self, problem: StepProblem, k: int):
        self.calls += 1
        E = len(problem.targets)
        if self.domain == "robustfill":
            return [(tuple("\x00garbage%d" % self.rng.randrange(10**6) for _ in range(E)), -1.0)
                    for _ in range(k)]
        return [(tuple((9999, self.rng.randrange(10**6)) for _ in range(E)), -1.0) for _ in range(k)]


def _samples(domain: str, split: str, n: int, seed: int):
    return list(generate(domain, split, "test", n, seed))


@pytest.mark.parametrize("domain,split", [("deepcoder", "NONE"), ("deepcoder", "LENGTH_GENERALIZATION"),
                                          ("robustfill", "NONE"), ("robustfill", "COMPOSE_NEW_OP")])
def test_oracle_subgoals_always_solve(domain, split):
    D = get_domain(domain)
    for i, s in enumerate(_samples(domain, split, 4, seed=11)):
        task = to_task(s, f"t{i}", domain, split)
        out = solve_exedec(task, D, Budget(timeout=60), model=OracleModel(domain, s), beam_size=1,
                           per_state=1, max_beam=1)
        assert out.status == "solved", (task.name, str(s.program), out)
        p = Program(out.node, D)
        for e in task.examples:
            assert freeze(p(**e.inputs)) == freeze(e.output)


@pytest.mark.parametrize("domain", ["deepcoder", "robustfill"])
def test_garbage_subgoals_fail_cleanly_within_budget(domain):
    D = get_domain(domain)
    s = _samples(domain, "NONE", 1, seed=5)[0]
    task = to_task(s, "garbage", domain, "NONE")
    # a program of several steps, so that the last-step shortcut cannot solve it at once
    model = GarbageModel(domain)
    t0 = time.perf_counter()
    out = solve_exedec(task, D, Budget(timeout=5), model=model)
    assert time.perf_counter() - t0 < 5 + 2.0
    if out.status == "solved":  # only through the model-free last step, from the start state
        if domain == "robustfill":
            assert len(out.node.args) == 1
        else:
            from synth.dsl.deepcoder import statements_of
            assert len(statements_of(out.node)) == 1
    else:
        assert out.status == "timeout"
        assert out.stopped_by in ("beam", "time")
        assert model.calls > 0


def test_garbage_model_cannot_solve_a_multi_step_deepcoder_task():
    D = get_domain("deepcoder")
    # x2 = Sort x0 | x3 = Reverse x2 | x4 = Map (*2) x3: no one step reaches the output
    ex = [{"x0": [3, 1, 2]}, {"x0": [5, 4, 9, 1]}, {"x0": [0, 7]}]
    outs = [[6, 4, 2], [18, 10, 8, 2], [14, 0]]
    task = Task("multi", "deepcoder", [Example(i, o) for i, o in zip(ex, outs)])
    out = solve_exedec(task, D, Budget(timeout=3), model=GarbageModel("deepcoder"))
    assert out.status == "timeout" and out.node is None


def test_exedec_strategy_through_the_api_solves_an_easy_task():
    task = Task("dc", "deepcoder", [Example({"x0": [3, 1, 2]}, [1, 2, 3]),
                                    Example({"x0": [5, 4]}, [4, 5]),
                                    Example({"x0": [0, 9, 8]}, [0, 8, 9])])
    res = synth.solve(task, strategy="exedec", timeout=10)
    assert res.status == "solved"
    assert "Sort" in str(res.program)


def test_exedec_strategy_rejects_other_domains():
    task = Task("s", "strings", [Example({"s": "a"}, "A")])
    with pytest.raises(InvalidTask, match="exedec"):
        solve_exedec(task, get_domain("strings"), Budget(timeout=2))


def test_deepcoder_step_candidates_exclude_failures_and_repeats():
    states = [{"x0": [1, 2]}, {"x0": []}]
    cands = DeepCoderSteps().candidates(states)
    vals = set(cands)
    assert ((1, 2), ()) not in vals  # Sort x0 repeats x0
    assert all(not (v[1] is None) for v in vals)
    # Head fails on [] (second example): no Head candidate
    assert all(st.op != "Head" for st in cands.values())
    assert ((2, 1), ()) in vals  # Reverse


def test_ranking_model_orders_by_score_and_normalizes():
    states = [{"x0": [1, 2, 3]}, {"x0": [4, 5]}]
    targets = [(3, 2, 1), (5, 4)]
    space = DeepCoderSteps()
    problem = StepProblem("deepcoder", states, targets, 0, input_names=frozenset({"x0"}),
                          enumerate_candidates=lambda: space.candidates(states))
    F = feature_count("deepcoder")
    assert len(features(problem, *next(iter(problem.candidates().items())))) == F
    # weights that score the "equals the target" feature only
    W = np.zeros((1, F), np.float32)
    W[0, 1] = 10.0
    model = RankingSubgoalModel(MLPWeights(np.zeros(F, np.float32), np.ones(F, np.float32),
                                           [(W, np.zeros(1, np.float32))], {}))
    props = model.propose(problem, 3)
    assert props[0][0] == ((3, 2, 1), (5, 4))
    assert props[0][1] > props[1][1]
    assert abs(sum(np.exp(lp) for _, lp in model.propose(problem, 10**6)) - 1.0) < 1e-6


def test_shipped_or_fallback_model_loads_for_every_split():
    from synth.exedec import SPLITS
    for domain in ("deepcoder", "robustfill"):
        for split in SPLITS + (None,):
            m = load_subgoal_model(domain, split)
            assert hasattr(m, "propose")


def test_hybrid_strategy_on_robustfill_runs_the_exedec_loop_first():
    from synth.search.exedec_search import solve_hybrid
    task = Task("rf", "robustfill", [Example({"x": "Jane Doe"}, "J.Doe"),
                                     Example({"x": "Mark Twain"}, "M.Twain"),
                                     Example({"x": "Ada Lovelace"}, "A.Lovelace")])
    out = solve_hybrid(task, get_domain("robustfill"), Budget(timeout=20))
    assert out.status == "solved" and out.extra["phase"] == "exedec"
    p = Program(out.node, get_domain("robustfill"))
    assert all(p(**e.inputs) == e.output for e in task.examples)


def test_hybrid_strategy_on_robustfill_proves_an_inexpressible_task():
    from synth.search.exedec_search import solve_hybrid
    # 'é' is outside RobustFill's alphabet: no expression makes it. The loop's reachability,
    # never capped, saw every part: it proves it without the symbolic search
    task = Task("rf", "robustfill", [Example({"x": "ab cd"}, "é"), Example({"x": "ef"}, "é")])
    out = solve_hybrid(task, get_domain("robustfill"), Budget(timeout=20))
    assert out.status == "exhausted" and out.extra["phase"] == "exedec"


def test_hybrid_strategy_on_robustfill_hands_over_to_the_symbolic_search_past_the_cap(monkeypatch):
    import synth.search.exedec_search as E
    # with a reachability capped at once the loop only has its beam, which gives up: the
    # symbolic search then proves that no program exists
    monkeypatch.setattr(E, "REACH_STATES", 1)
    task = Task("rf", "robustfill", [Example({"x": "ab cd"}, "aé"), Example({"x": "ef"}, "eé")])
    out = E.solve_hybrid(task, get_domain("robustfill"), Budget(timeout=20))
    assert out.status == "exhausted" and out.extra["phase"] == "symbolic"


def test_hybrid_strategy_hands_over_to_the_exedec_loop_when_the_symbolic_search_times_out(monkeypatch):
    import synth.search as S
    from synth.search.bottom_up import SearchOutcome
    from synth.search.exedec_search import solve_hybrid

    def stalls(task, domain, budget, **options):
        return SearchOutcome(status="timeout", seconds=0.01, stopped_by="time")

    monkeypatch.setattr(S, "get_strategy", lambda name: stalls)
    task = Task("dc", "deepcoder", [Example({"x0": [3, 1, 2]}, [6, 4, 2]),
                                    Example({"x0": [5, 4]}, [10, 8]),
                                    Example({"x0": [0, 9, 8]}, [18, 16, 0])])
    out = solve_hybrid(task, get_domain("deepcoder"), Budget(timeout=20))
    assert out.extra["phase"] == "exedec"
    assert out.status == "solved"


def test_auto_strategy_for_robustfill_is_the_hybrid():
    task = Task("rf", "robustfill", [Example({"x": "Jane Doe"}, "Doe"), Example({"x": "Mark Twain"}, "Twain")])
    res = synth.solve(task, timeout=20)
    assert res.solved and res.strategy == "exedec-hybrid"


def test_auto_strategy_for_deepcoder_is_the_symbolic_search():
    task = Task("dc", "deepcoder", [Example({"x0": [3, 1, 2]}, [1, 2, 3]), Example({"x0": [5, 4]}, [4, 5])])
    res = synth.solve(task, timeout=20)
    assert res.solved and res.strategy == "deepcoder-bottom-up"


def test_train_subgoal_cli_small_run_and_the_model_it_writes(tmp_path):
    pytest.importorskip("torch")
    from click.testing import CliRunner

    from synth.cli_train import train

    out = tmp_path / "sg"
    res = CliRunner().invoke(train, ["subgoal", "--domain", "deepcoder", "--split", "NONE", "--programs", "40",
                                     "--epochs", "2", "--hidden", "8", "--out", str(out)])
    assert res.exit_code == 0, res.output
    import json
    summary = json.loads(res.stdout[res.stdout.index("{"):])
    assert summary["data"]["steps"] > 10 and 0 <= summary["validation"]["top1"] <= 1
    w = MLPWeights.load(out / "best")
    assert w.layers[0][0].shape == (8, feature_count("deepcoder")) and w.meta["split"] == "NONE"
    # the written model drives the loop
    task = Task("dc", "deepcoder", [Example({"x0": [3, 1, 2]}, [1, 2, 3]), Example({"x0": [5, 4]}, [4, 5])])
    out2 = solve_exedec(task, get_domain("deepcoder"), Budget(timeout=10), model=RankingSubgoalModel(w))
    assert out2.status == "solved"


def test_train_subgoal_cli_rejects_bad_options():
    from click.testing import CliRunner

    from synth.cli_train import train

    res = CliRunner().invoke(train, ["subgoal", "--domain", "strings", "--split", "NONE"])
    assert res.exit_code == 2
    res = CliRunner().invoke(train, ["subgoal", "--domain", "deepcoder", "--split", "NOPE"])
    assert res.exit_code == 2


def test_reaching_finds_the_statement_candidates_would():
    """The loop's cheap look-ahead (``reaching``) answers exactly what the full enumeration
    would, with and without the restriction to statements reading the newest variable."""
    space = DeepCoderSteps()
    checked = 0
    for s in _samples("deepcoder", "NONE", 6, seed=5):
        for st in steps("deepcoder", s.program, s.inputs):
            states = st.inputs
            newest = list(states[0])[-1]
            full = space.candidates(states)
            using = space.candidates(states, must_use=newest)
            assert set(using) <= set(full)
            final = tuple(freeze(v) for v in st.remaining)
            existing = tuple(freeze(x[newest]) for x in states)   # a variable's value: no candidate
            garbage = tuple((9999,) for _ in states)
            goals = [final, tuple(freeze(v) for v in st.subgoal), existing, garbage] + list(full)[:25:5]
            for goal in goals:
                assert str(space.reaching(states, goal)) == str(full.get(goal))
                assert str(space.reaching(states, goal, must_use=newest)) == str(using.get(goal))
                checked += 1
    assert checked > 50
    assert space.reaching([{"x0": [1, 2]}], ((1, 2),)) is None   # x0 itself


def test_hybrid_loop_solves_mid_stage_with_the_reachability_and_without_beam_rounds():
    """Under the reachability's cap the hybrid's loop needs no beam round: the program comes as
    soon as its last part is enumerated, and the reference interpreter confirms it."""
    from synth.exedec import load_exedec_tasks
    from synth.search.exedec_search import solve_hybrid
    D = get_domain("robustfill")
    for task in load_exedec_tasks("robustfill", "NONE", 3):
        out = solve_hybrid(task, D, Budget(max_candidates=10_000_000))
        assert out.status == "solved" and out.extra["phase"] == "exedec"
        assert out.extra["rounds"] == 0
        p = Program(out.node, D)
        for e in task.examples:
            assert p(**e.inputs) == e.output


def _numpy_robustfill_features(inputs, targets, offsets, step, vals, node):
    """The RobustFill features as first written (a numpy accumulator): the reference that the
    faster list-based ``robustfill_features`` must match exactly."""
    import numpy as np
    from synth.exedec import subgoal_model as sm
    C = len(sm._CLASSES)
    acc = np.zeros(12 + 3 * C)
    for p, t, o, x in zip(vals, targets, offsets, inputs):
        rest = len(t) - o
        f = acc
        f[0] += len(p) / max(rest, 1)
        f[1] += len(p) == rest
        f[2] += p in x
        f[3] += (p.lower() in x.lower()) and p not in x
        f[4] += len(p) == 1
        f[5] += p.isalpha()
        f[6] += p.isdigit()
        f[7] += min(len(p), 20) / 20
        f[8] += o / max(len(t), 1)
        nxt = t[o + len(p)] if o + len(p) < len(t) else ""
        prv = t[o - 1] if o > 0 else ""
        last, first = (p[-1], p[0]) if p else ("", "")
        f[9] += nxt != "" and sm._char_class(nxt) == sm._char_class(last)
        f[10] += prv != "" and sm._char_class(prv) == sm._char_class(first)
        f[11] += x.count(p) > 1
        f[12 + sm._char_class(nxt)] += 1
        f[12 + C + sm._char_class(last)] += 1
        f[12 + 2 * C + sm._char_class(first)] += 1
    feats = list(acc / len(vals))
    k = sm._rf_kind(node)
    feats += [float(k == i) for i in range(len(sm._RF_KINDS))]
    op = getattr(node, "op", "")
    feats += [float(op == name) for name in sm._RF_OPS]
    feats += [float(min(step, 9) == i) for i in range(10)]
    return feats


def test_robustfill_features_are_the_numpy_ones():
    """The list-based RobustFill features give exactly (bit for bit) the numpy formulation's
    values, on every candidate of the first states of released problems."""
    from synth.dsl.base import Var
    from synth.exedec import load_exedec_tasks
    from synth.exedec import subgoal_model as sm
    from synth.search.budget import Clock
    from synth.search.exedec_steps import RobustFillSteps
    checked = 0
    for task in load_exedec_tasks("robustfill", "NONE", 6):
        inputs = [e.inputs["x"] for e in task.examples]
        targets = [e.output for e in task.examples]
        space = RobustFillSteps(inputs, targets, Var("x", "String"), Clock(Budget(timeout=None)))
        for _ in zip(range(3), space.stages()):
            pass
        for offs in [(0,) * len(targets), tuple(min(2, len(t)) for t in targets)]:
            for step, (vals, node) in enumerate(space.candidates(offs).items()):
                args = (inputs, targets, offs, step % 12, vals, node)
                assert sm.robustfill_features(*args) == _numpy_robustfill_features(*args)
                checked += 1
    assert checked > 100


def test_robustfill_stages_pause_inside_the_compose_stage(monkeypatch):
    """The Compose stage pauses after each chunk of inner values (``partial`` set, so the loop
    runs a narrow beam over the parts so far) before it yields its end (``partial`` clear)."""
    from synth.exedec import load_exedec_tasks
    from synth.search import robustfill_search as rs
    from synth.dsl.base import Var
    from synth.search.budget import Budget, Clock
    from synth.search.exedec_steps import RobustFillSteps
    monkeypatch.setattr(rs, "COMPOSE_FIRST_CHUNK", 5)
    monkeypatch.setattr(rs, "COMPOSE_CHUNK", 50)
    task = load_exedec_tasks("robustfill", "NONE", 1)[0]
    space = RobustFillSteps([e.inputs["x"] for e in task.examples], [e.output for e in task.examples],
                            Var("x", "String"), Clock(Budget(timeout=None)))
    seen = [(name, space.partial) for name in space.stages()]
    assert ("compose_phase", True) in seen
    assert seen[-2:] == [("compose_phase", False), ("partial_phase", False)]
    assert seen.index(("compose_phase", True)) > seen.index(("modification_ops", False))
