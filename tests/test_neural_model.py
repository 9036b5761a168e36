"""The guide model: torch-free inference matches torch, shipped weights, data labels, training CLI."""
import json
import random

import numpy as np
import pytest

from synth.dsl.base import Apply, node_vars
from synth.neural.models import (WEIGHTS_DIR, ConstantGuide, GuideConfig, NumpyGuide, build_torch_model,
                                 read_state_dict, save_state_dict, shipped_guide)
from synth.neural.signatures import IO_ENTRIES, NUM_CATEGORIES, VALUE_ENTRIES


def test_numpy_inference_matches_torch(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    cfg = GuideConfig(embed=3, hidden=(16, 8))
    model = build_torch_model(cfg)
    path = tmp_path / "g.npz"
    save_state_dict({k: v.detach().numpy() for k, v in model.state_dict().items()}, path)
    state = read_state_dict(path)
    assert set(state) == set(model.state_dict())
    guide = NumpyGuide(state, cfg)
    rng = np.random.default_rng(0)
    io = rng.integers(0, NUM_CATEGORIES, IO_ENTRIES).astype(np.int8)
    vals = rng.integers(0, 4, (33, VALUE_ENTRIES)).astype(np.int8)
    with torch.no_grad():
        ref = model(torch.from_numpy(np.tile(io, (33, 1))), torch.from_numpy(vals)).numpy()
    got = guide.logits(guide.io_bias(io), vals, chunk=10)
    assert np.allclose(ref, got, atol=1e-5)


def test_shipped_weights_are_small_and_described():
    pt = WEIGHTS_DIR / "strings_guide.npz"
    meta = json.loads((WEIGHTS_DIR / "strings_guide.json").read_text())
    assert pt.stat().st_size < 10 * 2**20
    for key in ("config", "settings", "data", "validation", "training"):
        assert key in meta
    guide = shipped_guide("strings")
    assert guide is not None and guide.config == GuideConfig.from_json(meta["config"])
    assert shipped_guide("no-such-domain") is None


def test_constant_guide():
    g = ConstantGuide(0.25)
    assert g.predict(g.io_bias(None), np.zeros((4, VALUE_ENTRIES), np.int8)).tolist() == [0.25] * 4


# ------------------------------------------------------------------------------ synthetic data
def test_random_inputs_are_strings_in_columns():
    from synth.training.guide_data import random_inputs

    rng = random.Random(5)
    for _ in range(50):
        rows = random_inputs(rng)
        assert 2 <= len(rows) <= 5
        names = list(rows[0])
        assert 1 <= len(names) <= 3 and all(list(r) == names for r in rows)
        assert all(isinstance(v, str) for r in rows for v in r.values())


def test_positive_labels_are_subexpressions_of_the_target():
    from synth.training.guide_data import SyntheticSearch

    s = SyntheticSearch(random.Random(11), max_values=3_000)
    checked = 0
    for _ in range(40):
        node = s.random_target()
        if node is None or s.evaluate(node) is None:
            continue
        target = s.evaluate(node)
        pos = s.positives(node, target)
        subs = set()
        stack = list(node.args) if isinstance(node, Apply) else []
        while stack:
            n = stack.pop()
            if isinstance(n, Apply):
                subs.add(s.evaluate(n))
                stack.extend(n.args)
        for t, v in pos:
            assert v in subs and v in s.search.seen[t] and v != target
        checked += len(pos)
    assert checked > 0
    assert any(node_vars(n) for _, _, n in s.values)


def test_data_generation_is_deterministic():
    from synth.training.guide_data import generate

    a = generate(2, seed=3, targets_per_search=5, max_values=1_500)
    b = generate(2, seed=3, targets_per_search=5, max_values=1_500)
    assert len(a) > 0 and np.array_equal(a.value, b.value) and np.array_equal(a.label, b.label)
    assert 0 < a.label.sum() < len(a)
    assert set(np.unique(a.group)) <= {0, 1}
    c = generate(1, seed=3, targets_per_search=5, max_values=1_500, first=1)
    assert np.array_equal(c.value, a.value[a.group == 1])  # a search's rows depend only on its number


def test_auc():
    from synth.training.guide_train import auc

    assert auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    assert auc(np.array([1, 1, 0, 0]), np.array([0.1, 0.2, 0.3, 0.4])) == 0.0


def test_train_cli_small_run(tmp_path):
    pytest.importorskip("torch")
    from click.testing import CliRunner

    from synth.cli_train import train

    out = tmp_path / "run"
    args = ["guide", "--domain", "strings", "--device", "cpu", "--searches", "3", "--targets", "5",
            "--max-values", "800", "--epochs", "2", "--hidden", "8", "--out", str(out)]
    res = CliRunner().invoke(train, args)
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout[res.stdout.index("{"):])
    assert summary["training"]["samples_per_s"] > 0 and summary["validation"]["loss"] > 0
    assert (out / "strings_guide.npz").exists() and (out / "checkpoint.pt").exists()
    guide = NumpyGuide.load(out / "strings_guide.npz")
    assert guide.config.hidden == (8,)
    # a rerun resumes from the checkpoint: nothing left to train, same weights
    before = read_state_dict(out / "strings_guide.npz")
    res = CliRunner().invoke(train, args)
    assert res.exit_code == 0
    after = read_state_dict(out / "strings_guide.npz")
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_train_cli_rejects_bad_options(tmp_path):
    from click.testing import CliRunner

    from synth.cli_train import train

    res = CliRunner().invoke(train, ["guide", "--hidden", "a,b", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--hidden" in res.output
    res = CliRunner().invoke(train, ["guide", "--domain", "regex"])
    assert res.exit_code == 2


def test_data_do_not_depend_on_the_hash_seed():
    import os
    import subprocess
    import sys

    code = ("import hashlib; from synth.training.guide_data import generate; "
            "d = generate(1, seed=4, targets_per_search=6, max_values=1000); "
            "print(hashlib.sha256(d.value.tobytes() + d.label.tobytes() + d.io.tobytes()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1
