"""The value-scoring guide: BUSTLE's MLP over embedded property signatures, in torch for training
and in numpy for inference (weights ship as ``.npz``; torch is only needed to train).

Each of the 206 signature entries (160 of the task's I/O signature, 46 of the value's) is a
category; the model embeds every (entry, category) pair in ``embed`` dimensions, concatenates
the embeddings and runs an MLP that outputs the logit of "this value is a sub-expression of the
solution".

Inference never imports torch (its import alone costs seconds, a big share of a 30 s search):
the first layer of the MLP is linear in the one-hot encoding of the entries, so it is folded
into one table per (entry, category), and the task's 160 entries, fixed during a search, into a
single bias vector. Scoring a value is then a 230-wide one-hot matmul and two small layers.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from synth.neural.signatures import IO_ENTRIES, NUM_CATEGORIES, VALUE_ENTRIES

WEIGHTS_DIR = Path(__file__).with_name("weights")
TOTAL_ENTRIES = IO_ENTRIES + VALUE_ENTRIES


@dataclass(frozen=True)
class GuideConfig:
    """Shape of a guide model (stored in the weights' JSON metadata)."""

    embed: int = 2
    hidden: tuple[int, ...] = (64, 64)

    def to_json(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "GuideConfig":
        return cls(embed=int(d["embed"]), hidden=tuple(int(h) for h in d["hidden"]))


def build_torch_model(config: GuideConfig):
    """The torch module trained by ``synth train guide`` (imports torch)."""
    import torch
    from torch import nn

    class GuideMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Parameter(torch.randn(TOTAL_ENTRIES, NUM_CATEGORIES, config.embed) * 0.5)
            layers: list[nn.Module] = []
            width = TOTAL_ENTRIES * config.embed
            for h in config.hidden:
                layers += [nn.Linear(width, h), nn.ReLU()]
                width = h
            layers.append(nn.Linear(width, 1))
            self.mlp = nn.Sequential(*layers)
            self.register_buffer("entry_index", torch.arange(TOTAL_ENTRIES))

        def forward(self, io_sig, value_sig):
            cats = torch.cat([io_sig, value_sig], dim=1).long()       # (batch, 206)
            emb = self.embedding[self.entry_index, cats]                # (batch, 206, embed)
            return self.mlp(emb.flatten(1)).squeeze(1)

    return GuideMLP()


# --------------------------------------------------------------------------- weight files
def save_state_dict(state: dict[str, np.ndarray], path: str | Path) -> None:
    """Write a state dict (tensor name -> array) as ``.npz``: the format the guides ship in,
    read without torch."""
    with open(path, "wb") as f:
        np.savez(f, **{k: np.ascontiguousarray(v) for k, v in state.items()})


def read_state_dict(path: str | Path) -> dict[str, np.ndarray]:
    """The arrays of a state dict written by ``save_state_dict``."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


# --------------------------------------------------------------------------- numpy inference
class NumpyGuide:
    """A trained guide for inference: ``for_task`` fixes the task's I/O signature, then
    ``predict`` scores value signatures in batches."""

    def __init__(self, state: dict[str, np.ndarray], config: GuideConfig, meta: dict | None = None):
        self.config = config
        self.meta = meta or {}
        emb = state["embedding"].astype(np.float32)                     # (206, C, d)
        linears = sorted({k.rsplit(".", 1)[0] for k in state if k.startswith("mlp.")},
                         key=lambda k: int(k.split(".")[1]))
        self.layers = [(state[f"{k}.weight"].astype(np.float32), state[f"{k}.bias"].astype(np.float32))
                       for k in linears]
        w1, b1 = self.layers[0]                                          # (H, 206*d)
        d = config.embed
        w1 = w1.reshape(w1.shape[0], TOTAL_ENTRIES, d)                   # (H, 206, d)
        # table[e, c] = contribution of entry e having category c to the first hidden layer
        self.table = np.einsum("ecd,hed->ech", emb, w1).astype(np.float32)  # (206, C, H)
        self.b1 = b1
        self.value_table = self.table[IO_ENTRIES:].reshape(VALUE_ENTRIES * NUM_CATEGORIES, -1)

    @classmethod
    def load(cls, path: str | Path, meta_path: str | Path | None = None) -> "NumpyGuide":
        path = Path(path)
        meta_path = Path(meta_path) if meta_path else path.with_suffix(".json")
        meta = json.loads(meta_path.read_text())
        return cls(read_state_dict(path), GuideConfig.from_json(meta["config"]), meta)

    def io_bias(self, io_sig: np.ndarray) -> np.ndarray:
        """The first layer's input from a task's I/O signature (plus the bias)."""
        idx = np.asarray(io_sig, dtype=np.int64)
        return self.b1 + self.table[np.arange(IO_ENTRIES), idx].sum(axis=0)

    def logits(self, io_bias: np.ndarray, value_sigs: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """The model's logits for value signatures (rows). Values of a search share few distinct
        signatures (categories over the examples), so each distinct row is scored once."""
        value_sigs = np.ascontiguousarray(value_sigs, dtype=np.int8)
        if len(value_sigs) > 64:
            rows = value_sigs.view(np.dtype((np.void, value_sigs.shape[1]))).ravel()
            distinct, inverse = np.unique(rows, return_inverse=True)
            if len(distinct) < len(rows) // 2:
                flat = distinct.view(np.int8).reshape(len(distinct), value_sigs.shape[1])
                return self._logits(io_bias, flat, chunk)[inverse.ravel()]
        return self._logits(io_bias, value_sigs, chunk)

    def _logits(self, io_bias: np.ndarray, value_sigs: np.ndarray, chunk: int) -> np.ndarray:
        n = len(value_sigs)
        out = np.empty(n, np.float32)
        offsets = (np.arange(VALUE_ENTRIES) * NUM_CATEGORIES)[None, :]
        for a in range(0, n, chunk):
            sig = value_sigs[a:a + chunk].astype(np.int64)
            m = len(sig)
            onehot = np.zeros((m, VALUE_ENTRIES * NUM_CATEGORIES), np.float32)
            np.put_along_axis(onehot, sig + offsets, 1.0, axis=1)
            h = onehot @ self.value_table + io_bias
            np.maximum(h, 0, out=h)
            for w, b in self.layers[1:-1]:
                h = h @ w.T + b
                np.maximum(h, 0, out=h)
            w, b = self.layers[-1]
            out[a:a + m] = (h @ w.T + b)[:, 0]
        return out

    def predict(self, io_bias: np.ndarray, value_sigs: np.ndarray) -> np.ndarray:
        """Probabilities that each value is a sub-expression of the solution."""
        return 1.0 / (1.0 + np.exp(-self.logits(io_bias, value_sigs)))


class ConstantGuide:
    """A guide that gives every value the same probability (an uninformative model)."""

    def __init__(self, p: float):
        self.p = float(p)
        self.meta: dict[str, Any] = {"name": f"constant {p}"}

    def io_bias(self, io_sig: np.ndarray) -> np.ndarray:
        return np.zeros(1, np.float32)

    def predict(self, io_bias: np.ndarray, value_sigs: np.ndarray) -> np.ndarray:
        return np.full(len(value_sigs), self.p, np.float32)


_SHIPPED: dict[str, NumpyGuide | None] = {}


def shipped_guide(domain: str) -> NumpyGuide | None:
    """The guide shipped in the package for a domain (None if there is none)."""
    if domain not in _SHIPPED:
        path = WEIGHTS_DIR / f"{domain}_guide.npz"
        _SHIPPED[domain] = NumpyGuide.load(path) if path.exists() else None
    return _SHIPPED[domain]
