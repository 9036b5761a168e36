"""Training the subgoal models (``synth train subgoal --domain D --split S``).

Data: programs drawn from the split's *training* distribution by our generator
(``synth.exedec.splits.generate(..., "train", ...)``; never the released test problems). Each
program is replayed step by step as ExeDec's records are (state, outputs to go, the next
subprogram's outputs); at every step the one-step enumerator lists the reachable next values
and the one equal to the true subgoal is the label. A step whose true subgoal the enumerator
cannot reach (RobustFill pieces found only by a stage cut short) is skipped.

Model: an MLP over ``subgoal_model.features``, trained with a softmax over each step's
candidates (the true one against up to ``group - 1`` others drawn at random). Validation:
top-1 and top-5 accuracy of the true subgoal among *all* of a held-out step's candidates.
The best epoch's weights are exported to numpy (``MLPWeights``); ``install`` copies them into
the package.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from synth.dsl.base import Var
from synth.search.exedec_steps import DeepCoderSteps, RobustFillSteps, freeze, run_statement
from synth.exedec.subgoal_model import (MLPWeights, StepProblem, feature_count, features,
                                        weights_path)
from synth.search.budget import Budget, Clock


@dataclass
class SubgoalSettings:
    domain: str
    split: str
    programs: int = 600
    seed: int = 0
    group: int = 48
    epochs: int = 30
    batch_size: int = 64
    lr: float = 3e-3
    hidden: tuple[int, ...] = (64, 64)
    validation_fraction: float = 0.15
    #: RobustFill: seconds of part enumeration per program
    rf_seconds: float = 1.0
    device: str = "cpu"


# ------------------------------------------------------------------------------ data
def _deepcoder_groups(sample) -> list[tuple[np.ndarray, int]]:
    from synth.dsl.deepcoder import DOMAIN, statements_of
    states = [dict(i) for i in sample.inputs]
    names = frozenset(sample.inputs[0])
    targets = [freeze(o) for o in sample.outputs]
    steps = DeepCoderSteps()
    out = []
    for k, st in enumerate(statements_of(sample.program.node)):
        vals = tuple(freeze(DOMAIN.run_statement(st, s)) for s in states)
        cands = steps.candidates(states)
        if vals in cands and len(cands) > 1:
            problem = StepProblem("deepcoder", states, targets, k, input_names=names)
            items = list(cands.items())
            X = np.asarray([features(problem, v, n) for v, n in items], dtype=np.float32)
            out.append((X, [v for v, _ in items].index(vals)))
        states = run_statement(states, st, vals)
    return out


def _robustfill_groups(sample, seconds: float) -> list[tuple[np.ndarray, int]]:
    from synth.search.contract import BudgetExceeded
    inputs = list(sample.inputs)
    targets = list(sample.outputs)
    space = RobustFillSteps(inputs, targets, Var("x", "String"), Clock(Budget(timeout=seconds)))
    try:
        for _ in space.stages():
            pass
    except BudgetExceeded:
        pass
    out = []
    offs = (0,) * len(targets)
    for k, e in enumerate(sample.program.node.args):
        vals = tuple(sample.program.domain.evaluate(e, {"x": s}) for s in inputs)
        cands = space.candidates(offs)
        if vals in cands and len(cands) > 1:
            problem = StepProblem("robustfill", inputs, targets, k, offsets=offs)
            items = list(cands.items())
            X = np.asarray([features(problem, v, n) for v, n in items], dtype=np.float32)
            out.append((X, [v for v, _ in items].index(vals)))
        offs = tuple(o + len(v) for o, v in zip(offs, vals))
    return out


def _groups_of(args) -> list[tuple[np.ndarray, int]]:
    domain, split, start, count, seed, rf_seconds = args
    from synth.exedec.splits import generate
    out = []
    # one generator stream per chunk, seeded by (seed, chunk start): reproducible for any jobs
    for sample in generate(domain, split, "train", count, seed * 1_000_003 + start):
        out += _deepcoder_groups(sample) if domain == "deepcoder" else _robustfill_groups(sample, rf_seconds)
    return out


def make_data(st: SubgoalSettings, jobs: int = 1, progress: Callable[[int], None] | None = None):
    """The training groups (features of every candidate, index of the true one)."""
    chunk = 25
    work = [(st.domain, st.split, s, min(chunk, st.programs - s), st.seed, st.rf_seconds)
            for s in range(0, st.programs, chunk)]
    groups = []
    done = 0
    if jobs > 1:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(jobs) as pool:
            for g in pool.imap(_groups_of, work):
                groups += g
                done += chunk
                if progress:
                    progress(min(done, st.programs))
    else:
        for w in work:
            groups += _groups_of(w)
            done += w[3]
            if progress:
                progress(done)
    return groups


# ------------------------------------------------------------------------------ training
def _batches(groups, G: int, rng: np.random.Generator, F: int):
    """Fixed-size groups: the true candidate first, then up to G-1 others at random."""
    X = np.zeros((len(groups), G, F), np.float32)
    M = np.zeros((len(groups), G), bool)
    for i, (g, y) in enumerate(groups):
        others = np.delete(np.arange(len(g)), y)
        pick = rng.permutation(others)[: G - 1]
        rows = np.concatenate([[y], pick])
        X[i, : len(rows)] = g[rows]
        M[i, : len(rows)] = True
    return X, M


def _rank_metrics(weights: MLPWeights, groups) -> dict:
    top1 = top5 = 0
    for g, y in groups:
        s = weights(g)
        rank = int((s > s[y]).sum())
        top1 += rank == 0
        top5 += rank < 5
    n = max(len(groups), 1)
    return {"top1": round(top1 / n, 4), "top5": round(top5 / n, 4), "steps": len(groups),
            "mean_candidates": round(float(np.mean([len(g) for g, _ in groups])), 1) if groups else 0}


def train_subgoal(st: SubgoalSettings, out: Path, install: bool = False, jobs: int = 1,
                  data_progress=None, epoch_progress=None) -> dict:
    import torch
    from torch import nn

    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(st.seed)
    t0 = time.perf_counter()
    groups = make_data(st, jobs, data_progress)
    gen_s = time.perf_counter() - t0
    if len(groups) < 10:
        from synth.errors import SynthError
        raise SynthError(f"only {len(groups)} training steps were generated; raise --programs")
    rng = random.Random(st.seed)
    rng.shuffle(groups)
    n_val = max(1, int(len(groups) * st.validation_fraction))
    val, tr = groups[:n_val], groups[n_val:]
    F = feature_count(st.domain)
    allX = np.concatenate([g for g, _ in tr])
    mean = allX.mean(0)
    std = allX.std(0) + 1e-3
    dev = torch.device(st.device)
    layers: list[nn.Module] = []
    width = F
    for h in st.hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 1))
    net = nn.Sequential(*layers).to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=st.lr)
    nrng = np.random.default_rng(st.seed)
    mean_t, std_t = torch.tensor(mean, device=dev), torch.tensor(std, device=dev)

    def export() -> MLPWeights:
        lin = [m for m in net if isinstance(m, nn.Linear)]
        return MLPWeights(mean.astype(np.float32), std.astype(np.float32),
                          [(m.weight.detach().cpu().numpy(), m.bias.detach().cpu().numpy()) for m in lin], {})

    best, history, seen = None, [], 0
    t1 = time.perf_counter()
    for epoch in range(st.epochs):
        X, M = _batches(tr, st.group, nrng, F)
        Xt = (torch.tensor(X, device=dev) - mean_t) / std_t
        Mt = torch.tensor(M, device=dev)
        perm = torch.randperm(len(tr), device=dev)
        net.train()
        total = 0.0
        for b in range(0, len(tr), st.batch_size):
            idx = perm[b: b + st.batch_size]
            logits = net(Xt[idx]).squeeze(-1).masked_fill(~Mt[idx], -1e9)
            loss = nn.functional.cross_entropy(logits, torch.zeros(len(idx), dtype=torch.long, device=dev))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += int(Mt[idx].sum())
        w = export()
        vm = _rank_metrics(w, val)
        history.append({"epoch": epoch + 1, "train_loss": round(total / len(tr), 4), "val": vm})
        if best is None or vm["top1"] > best[1]["top1"]:
            best = (w, vm, epoch + 1)
            w.save(out / "best")
        if epoch_progress:
            epoch_progress(epoch + 1, history[-1])
    train_s = time.perf_counter() - t1
    w, vm, be = best
    meta = {"domain": st.domain, "split": st.split,
            "model": "MLP ranking of one-step-reachable subgoals over hand-made features",
            "settings": {**asdict(st), "hidden": list(st.hidden)},
            "data": {"programs": st.programs, "steps": len(groups), "train_steps": len(tr),
                     "validation_steps": len(val), "generation_seconds": round(gen_s, 1),
                     "generation_jobs": jobs, "source": "synth.exedec.splits.generate(..., 'train')"},
            "best_epoch": be, "validation": vm,
            "training": {"device": st.device, "seconds": round(train_s, 1),
                         "candidates_per_s": round(seen / max(train_s, 1e-9)),
                         "torch_threads": torch.get_num_threads(), "machine": os.uname().machine},
            "history": history}
    w.meta = meta
    w.save(out / "best")
    if install:
        dst = weights_path(st.domain, st.split)
        for suffix in (".npz", ".json"):
            shutil.copyfile((out / "best").with_suffix(suffix), dst.with_suffix(suffix))
    return meta
