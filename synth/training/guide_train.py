"""Training the strings guide: synthetic data, a held-out validation split, checkpoints, weights.

``train_guide`` is what ``synth train guide`` runs. It is reproducible: the data come from
seeded synthetic searches (``synth.training.guide_data.generate``), the split is by search, and torch
is seeded. Each epoch is checkpointed (``checkpoint.pt``, resumable); the weights of the best
validation epoch are written as ``<domain>_guide.npz`` (a state dict, read without torch) with a JSON of metadata
(model shape, data and training settings, validation metrics, time and throughput).
"""
from __future__ import annotations

import json
import multiprocessing as mp
import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from synth.training.guide_data import Dataset, generate
from synth.neural.models import WEIGHTS_DIR, GuideConfig, build_torch_model, save_state_dict
from synth.neural.signatures import VALUE_ENTRIES


@dataclass
class TrainSettings:
    domain: str = "strings"
    searches: int = 300
    targets_per_search: int = 40
    max_values: int = 20_000
    seed: int = 0
    epochs: int = 8
    batch_size: int = 512
    lr: float = 2e-3
    validation_fraction: float = 0.1
    config: GuideConfig = field(default_factory=GuideConfig)
    device: str = "cpu"
    jobs: int = 1
    threads: int = 1


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (the chance a random positive outscores a random negative)."""
    labels = labels.astype(bool)
    npos, nneg = int(labels.sum()), int((~labels).sum())
    if npos == 0 or nneg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), np.float64)
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks of ties
    s = scores[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        if j > i:
            ranks[order[i:j + 1]] = (i + j + 2) / 2
        i = j + 1
    return float((ranks[labels].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def _generate_part(args) -> Dataset:
    searches, offset, seed, targets, max_values = args
    return generate(searches, seed=seed, targets_per_search=targets, max_values=max_values,
                    first=offset)


def make_dataset(st: TrainSettings, cache: Path | None,
                 progress: Callable[[int], None] | None = None) -> Dataset:
    """The synthetic dataset for these settings (read from ``cache`` if made before)."""
    key = _data_key(st) + ".npz"
    if cache is not None and (cache / key).exists():
        return Dataset.load(str(cache / key))
    started = time.perf_counter()
    if st.jobs <= 1:
        data = generate(st.searches, seed=st.seed, targets_per_search=st.targets_per_search,
                        max_values=st.max_values, progress=progress)
    else:
        step = max(1, st.searches // (st.jobs * 8))
        chunks = [(min(step, st.searches - a), a, st.seed, st.targets_per_search, st.max_values)
                  for a in range(0, st.searches, step)]
        parts = []
        done = 0
        with mp.get_context("spawn").Pool(st.jobs) as pool:
            for part in pool.imap(_generate_part, chunks):
                parts.append(part)
                done += step
                if progress is not None:
                    progress(min(done, st.searches))
        data = Dataset.concat(parts)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        data.save(str(cache / key))
        info = {"seconds": round(time.perf_counter() - started, 1), "rows": len(data), "jobs": st.jobs}
        (cache / key).with_suffix(".json").write_text(json.dumps(info) + "\n")
    return data


def _data_key(st: TrainSettings) -> str:
    """Cache name of a dataset: its settings and the signature width (a cache made before the
    signatures changed is not reused)."""
    return (f"data_s{st.searches}_t{st.targets_per_search}_v{st.max_values}_seed{st.seed}"
            f"_e{VALUE_ENTRIES}")


def data_info(st: TrainSettings, cache: Path) -> dict:
    """How the cached dataset of these settings was made (its generation time), if recorded."""
    key = _data_key(st) + ".json"
    try:
        return json.loads((cache / key).read_text())
    except (OSError, ValueError):
        return {}


def split(data: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """Train/validation split by synthetic search, so no validation task was seen in training."""
    groups = np.unique(data.group)
    rng = np.random.default_rng(seed)
    val_groups = rng.choice(groups, size=max(1, int(round(len(groups) * fraction))), replace=False)
    is_val = np.isin(data.group, val_groups)
    return data.subset(~is_val), data.subset(is_val)


def evaluate(model, data: Dataset, device: str, batch: int = 8192) -> dict[str, float]:
    import torch
    model.eval()
    logits = []
    with torch.no_grad():
        for a in range(0, len(data), batch):
            io = torch.from_numpy(data.io[a:a + batch]).to(device)
            val = torch.from_numpy(data.value[a:a + batch]).to(device)
            logits.append(model(io, val).float().cpu().numpy())
    z = np.concatenate(logits) if logits else np.zeros(0, np.float32)
    y = data.label.astype(np.float64)
    p = 1 / (1 + np.exp(-z.astype(np.float64)))
    eps = 1e-7
    loss = float(-(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)).mean()) if len(y) else float("nan")
    return {"loss": round(loss, 5), "accuracy": round(float(((p > 0.5) == (y > 0.5)).mean()), 5),
            "auc": round(auc(y, p), 5),
            "positives_kept": round(float((p[y > 0.5] > 0.6).mean()), 5),
            "negatives_pushed": round(float((p[y < 0.5] <= 0.4).mean()), 5)}


def train_guide(st: TrainSettings, out: Path, resume: bool = True, install: bool = False,
                data_progress: Callable[[int], None] | None = None,
                step_progress: Callable[[int, int, dict], None] | None = None) -> dict:
    """Generate data (or reuse it), train, checkpoint every epoch, and write the best weights to
    ``out`` (and into the package with ``install``). Returns the metadata written."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(st.seed)
    np.random.seed(st.seed)
    torch.set_num_threads(max(1, st.threads))
    data = make_dataset(st, out, data_progress)
    made = data_info(st, out)
    train, val = split(data, st.validation_fraction, st.seed)

    device = st.device
    model = build_torch_model(st.config).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=st.lr)
    start_epoch, best, history = 0, None, []
    ckpt = out / "checkpoint.pt"
    if resume and ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        if state.get("settings") == _settings_json(st):
            model.load_state_dict(state["model"])
            opt.load_state_dict(state["optimizer"])
            start_epoch, best, history = state["epoch"], state["best"], state["history"]

    io_t = torch.from_numpy(train.io)
    val_t = torch.from_numpy(train.value)
    y_t = torch.from_numpy(train.label.astype(np.float32))
    n = len(train)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    steps_per_epoch = (n + st.batch_size - 1) // st.batch_size
    train_seconds, samples_seen = sum(h["seconds"] for h in history), sum(h["samples"] for h in history)
    for epoch in range(start_epoch, st.epochs):
        # one permutation per epoch from its own seed: a resumed run trains exactly like one go
        g = torch.Generator().manual_seed(st.seed * 1000 + epoch)
        perm = torch.randperm(n, generator=g)
        model.train()
        e0 = time.perf_counter()
        total = 0.0
        for step in range(steps_per_epoch):
            idx = perm[step * st.batch_size:(step + 1) * st.batch_size]
            io_b, val_b, y_b = io_t[idx].to(device), val_t[idx].to(device), y_t[idx].to(device)
            opt.zero_grad()
            loss = loss_fn(model(io_b, val_b), y_b)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            if step_progress is not None:
                step_progress(epoch, step + 1, {"steps": steps_per_epoch})
        seconds = time.perf_counter() - e0
        metrics = evaluate(model, val, device)
        rec = {"epoch": epoch + 1, "train_loss": round(total / max(1, n), 5), "val": metrics,
               "seconds": round(seconds, 2), "samples": n, "samples_per_s": round(n / max(seconds, 1e-9))}
        history.append(rec)
        train_seconds += seconds
        samples_seen += n
        if best is None or metrics["loss"] < best["val"]["loss"]:
            best = rec
            _write_weights(model, out / f"{st.domain}_guide.npz")
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1,
                    "best": best, "history": history, "settings": _settings_json(st)}, ckpt)
        if step_progress is not None:
            step_progress(epoch, steps_per_epoch, {"steps": steps_per_epoch, "done": rec})
    meta = {
        "domain": st.domain, "model": "BUSTLE MLP over embedded property signatures",
        "config": st.config.to_json(), "settings": _settings_json(st),
        "data": {"rows": int(len(data)), "train_rows": int(len(train)), "validation_rows": int(len(val)),
                 "positives": int(data.label.sum()), "searches": st.searches,
                 "generation_seconds": made.get("seconds"), "generation_jobs": made.get("jobs")},
        "best_epoch": best["epoch"] if best else None,
        "validation": best["val"] if best else None,
        "training": {"device": device, "seconds": round(train_seconds, 1),
                     "samples_per_s": round(samples_seen / max(train_seconds, 1e-9)),
                     "epochs": len(history), "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                     "torch_threads": st.threads},
        "history": history,
    }
    (out / f"{st.domain}_guide.json").write_text(json.dumps(meta, indent=1) + "\n")
    if install:
        WEIGHTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / f"{st.domain}_guide.npz", WEIGHTS_DIR / f"{st.domain}_guide.npz")
        shutil.copyfile(out / f"{st.domain}_guide.json", WEIGHTS_DIR / f"{st.domain}_guide.json")
    return meta


def _write_weights(model, path: Path) -> None:
    state = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    save_state_dict(state, path)


def _settings_json(st: TrainSettings) -> dict:
    return {"domain": st.domain, "searches": st.searches, "targets_per_search": st.targets_per_search,
            "max_values": st.max_values, "seed": st.seed, "epochs": st.epochs,
            "batch_size": st.batch_size, "lr": st.lr, "validation_fraction": st.validation_fraction,
            "config": st.config.to_json()}
