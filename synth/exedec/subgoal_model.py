"""Subgoal models: given a decomposition state, propose the next subgoals (the outputs of the next
subprogram, one per example) with log-probabilities.

``SubgoalModel`` is the interface the ExeDec loop (``synth.search.exedec_search``) calls. The
learned model (``LearnedSubgoalModel``) does not write values from scratch, as ExeDec's
Transformer does: it scores every value the one-step enumerator (``synth.search.exedec_steps``)
can reach from the state, from features that relate the value to the state and the outputs
still to produce, and returns the best ones. Its MLP is trained per (domain, split) on that
split's training distribution only (``synth train subgoal``, ``synth.training.subgoal_train``);
inference is numpy, without torch.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np

from synth.dsl.deepcoder.ops import OPS as DC_OPS
from synth.dsl.robustfill.ops import CHARACTER, DELIMITER, SUBSTRING_NAMES, MODIFICATION_NAMES

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "neural" / "weights"

Vals = tuple


@dataclass
class StepProblem:
    """One state of a decomposition, as a subgoal model sees it.

    ``domain``: robustfill or deepcoder. ``states``: per example, the input string (RobustFill)
    or the variables so far (DeepCoder). ``targets``: the final outputs. ``offsets``: how much
    of each RobustFill output is done. ``step``: steps taken so far. ``candidates``: a function
    giving the reachable next values -> their subprograms (computed once, on demand)."""

    domain: str
    states: list
    targets: list
    step: int
    offsets: tuple[int, ...] = ()
    #: DeepCoder: the names of the program's inputs
    input_names: frozenset[str] = frozenset()
    enumerate_candidates: Callable[[], dict] | None = None
    _cands: dict | None = field(default=None, repr=False)

    def candidates(self) -> dict:
        if self._cands is None:
            self._cands = self.enumerate_candidates() if self.enumerate_candidates else {}
        return self._cands

    @property
    def remaining(self) -> list[str]:
        """RobustFill: the rest of each output still to produce."""
        return [t[o:] for t, o in zip(self.targets, self.offsets)]


class SubgoalModel(Protocol):
    def propose(self, problem: StepProblem, k: int) -> list[tuple[Vals, float]]:
        """Up to ``k`` (subgoal, log-probability) pairs, best first."""


# ------------------------------------------------------------------------------ features
_DC_OP_NAMES = tuple(DC_OPS)
_MAX_STEP = 6


def _multiset_overlap(a, b) -> float:
    if not b:
        return 1.0 if not a else 0.0
    rest = list(b)
    hit = 0
    for x in a:
        if x in rest:
            rest.remove(x)
            hit += 1
    return hit / len(b)


def deepcoder_features(states: list[dict], targets: list, step: int, vals: Vals, node: Any,
                       inputs: frozenset[str] = frozenset()) -> list[float]:
    """Features of a candidate next value (``vals``, one per example) made by statement
    ``node``: how it relates to the final outputs, per example and averaged, plus the op,
    its lambda's kind and the step."""
    E = len(vals)
    acc = [0.0] * 20  # a list, not an array: scalar updates on numpy arrays are slow
    last_var = next(reversed(states[0]))  # the variable defined last (dicts keep order)
    for c, t in zip(vals, targets):
        t = tuple(t) if isinstance(t, list) else t
        cl, tl = isinstance(c, tuple), isinstance(t, tuple)
        f = acc
        f[0] += cl == tl
        f[1] += c == t
        if cl and tl:
            f[2] += len(c) == len(t)
            f[3] += min(abs(len(c) - len(t)), 5) / 5
            f[4] += _multiset_overlap(c, t)
            f[5] += (sum(1 for x in c if x in t) / len(c)) if c else 1.0
            f[6] += sorted(c) == sorted(t)
            f[7] += set(c) <= set(t)
            f[8] += set(t) <= set(c)
            f[9] += c[:len(t)] == t[:len(c)]
            f[10] += c[::-1] == t
            n = min(len(c), len(t))
            if n:
                d = {t[i] - c[i] for i in range(n)}
                f[11] += len(d) == 1
                f[12] += all(t[i] == c[i] * 2 or t[i] == c[i] * 3 or t[i] == c[i] * 4 or
                             t[i] == -c[i] for i in range(n))
                f[13] += sum(1 for i in range(n) if t[i] == c[i]) / n
        elif cl and not tl:
            f[14] += t in c
            f[15] += len(c) == t
            f[16] += (sum(c) == t) if c else 0
        elif tl and not cl:
            f[17] += c in t
            f[18] += c == len(t)
        else:
            f[19] += min(abs(c - t), 10) / 10
    feats = [a / E for a in acc]
    feats += [float(node.op == name) for name in _DC_OP_NAMES]
    lam = next((a for a in node.args if not hasattr(a, "name")), None)
    feats += [float(lam is not None and lam.type == k) for k in ("Fn1", "Pred", "Fn2")]
    refs = [a.name for a in node.args if hasattr(a, "name")]
    feats += [float(last_var in refs), float(any(r in inputs for r in refs))]
    feats += [float(min(step, _MAX_STEP) == i) for i in range(_MAX_STEP + 1)]
    feats += [float(any(isinstance(c, tuple) and not c for c in vals))]
    return feats


_CLASSES = ("end", "space", "delim", "upper", "lower", "digit")


def _char_class(ch: str) -> int:
    if ch == "":
        return 0
    if ch == " ":
        return 1
    if ch in DELIMITER:
        return 2
    if ch.isupper():
        return 3
    if ch.islower():
        return 4
    return 5


#: ``_char_class`` of the empty string and of every character of the alphabet
_CLASS_OF = {ch: _char_class(ch) for ch in ("",) + tuple(CHARACTER)}

_RF_KINDS = ("const", "substring", "modification", "compose")


def _rf_kind(node: Any) -> int:
    op = getattr(node, "op", "")
    if op == "ConstStr":
        return 0
    if op in SUBSTRING_NAMES:
        return 1
    if op in MODIFICATION_NAMES:
        inner = node.args[-1]
        return 3 if getattr(inner, "op", None) is not None else 2
    return 2


_RF_OPS = tuple(sorted(SUBSTRING_NAMES | MODIFICATION_NAMES | {"ConstStr"}))


def robustfill_features(inputs: list[str], targets: list[str], offsets: tuple[int, ...], step: int,
                        vals: Vals, node: Any) -> list[float]:
    """Features of a candidate next piece ``vals`` at ``offsets``: its length against the rest,
    the characters around its end, where it comes from, and the expression's kind and op."""
    E = len(vals)
    # a list of Python floats, not a numpy array: the same sums in the same order (so the same
    # doubles), without a numpy scalar per increment (the beam computes this per candidate)
    acc = [0.0] * (12 + 3 * len(_CLASSES))
    cls = _CLASS_OF
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
        c_nxt = cls[nxt] if nxt in cls else _char_class(nxt)
        c_prv = cls[prv] if prv in cls else _char_class(prv)
        c_last = cls[last] if last in cls else _char_class(last)
        c_first = cls[first] if first in cls else _char_class(first)
        f[9] += nxt != "" and c_nxt == c_last
        f[10] += prv != "" and c_prv == c_first
        f[11] += x.count(p) > 1
        f[12 + c_nxt] += 1
        f[12 + len(_CLASSES) + c_last] += 1
        f[12 + 2 * len(_CLASSES) + c_first] += 1
    feats = [a / E for a in acc]
    k = _rf_kind(node)
    feats += [float(k == i) for i in range(len(_RF_KINDS))]
    op = getattr(node, "op", "")
    feats += [float(op == name) for name in _RF_OPS]
    feats += [float(min(step, 9) == i) for i in range(10)]
    return feats


def features(problem: StepProblem, vals: Vals, node: Any) -> list[float]:
    if problem.domain == "deepcoder":
        return deepcoder_features(problem.states, problem.targets, problem.step, vals, node,
                                  problem.input_names)
    return robustfill_features(problem.states, problem.targets, problem.offsets, problem.step, vals, node)


def feature_count(domain: str) -> int:
    """Width of the feature vector of a domain."""
    if domain == "deepcoder":
        return 20 + len(_DC_OP_NAMES) + 3 + 2 + (_MAX_STEP + 1) + 1
    return 12 + 3 * len(_CLASSES) + len(_RF_KINDS) + len(_RF_OPS) + 10


# ------------------------------------------------------------------------------ models
def _log_softmax(x: np.ndarray) -> np.ndarray:
    m = x.max()
    return x - m - math.log(float(np.exp(x - m).sum()))


class RankingSubgoalModel:
    """Scores every reachable next value with ``score(features) -> logits`` and proposes the
    best ``k``; log-probabilities are a softmax over the state's candidates."""

    def __init__(self, score: Callable[[np.ndarray], np.ndarray], name: str = "ranking"):
        self.score = score
        self.name = name

    def propose(self, problem: StepProblem, k: int) -> list[tuple[Vals, float]]:
        cands = problem.candidates()
        if not cands:
            return []
        items = list(cands.items())
        X = np.asarray([features(problem, v, n) for v, n in items], dtype=np.float32)
        logp = _log_softmax(self.score(X).astype(np.float64))
        order = np.argsort(-logp, kind="stable")[:k]
        return [(items[i][0], float(logp[i])) for i in order]


@dataclass
class MLPWeights:
    """A small MLP (ReLU hidden layers, one logit) with input standardization, in numpy."""

    mean: np.ndarray
    std: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]
    meta: dict

    def __call__(self, X: np.ndarray) -> np.ndarray:
        h = (X - self.mean) / self.std
        for i, (W, b) in enumerate(self.layers):
            h = h @ W.T + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0)
        return h[:, 0]

    def save(self, path: Path) -> None:
        arrays = {"mean": self.mean, "std": self.std}
        for i, (W, b) in enumerate(self.layers):
            arrays[f"W{i}"] = W
            arrays[f"b{i}"] = b
        np.savez_compressed(path.with_suffix(".npz"), **arrays)
        path.with_suffix(".json").write_text(json.dumps(self.meta, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> "MLPWeights":
        z = np.load(path.with_suffix(".npz"))
        n = sum(1 for k in z.files if k.startswith("W"))
        layers = [(z[f"W{i}"], z[f"b{i}"]) for i in range(n)]
        meta = json.loads(path.with_suffix(".json").read_text()) if path.with_suffix(".json").exists() else {}
        return cls(z["mean"], z["std"], layers, meta)


def weights_path(domain: str, split: str, directory: Path | None = None) -> Path:
    return Path(directory or WEIGHTS_DIR) / f"subgoal_{domain}_{split}"


@lru_cache(maxsize=None)
def load_subgoal_model(domain: str, split: str | None = None) -> RankingSubgoalModel:
    """The shipped model of ``(domain, split)``; the NONE split's for other tasks; a plain
    heuristic when no weights are shipped at all. Loaded once per process."""
    for s in ([split] if split else []) + ["NONE"]:
        p = weights_path(domain, s)
        if p.with_suffix(".npz").exists():
            return RankingSubgoalModel(MLPWeights.load(p), name=f"subgoal_{domain}_{s}")
    return RankingSubgoalModel(lambda X: heuristic_scores(domain, X), name="heuristic")


def heuristic_scores(domain: str, X: np.ndarray) -> np.ndarray:
    """No trained weights: prefer values close to the output (DeepCoder: the overlap features;
    RobustFill: longer pieces)."""
    if domain == "deepcoder":
        return 2 * X[:, 0] + 3 * X[:, 4] + X[:, 5] + X[:, 2] + X[:, 13]
    return 3 * X[:, 0] + X[:, 2] + X[:, 9]
