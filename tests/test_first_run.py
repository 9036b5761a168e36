"""The first run on a new machine: a search never waits for the numba kernels to compile."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import synth
from synth import kernelmode

ROOT = Path(__file__).resolve().parents[1]


def _solve_cold(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"), SYNTH_BACKGROUND_COMPILE="0")
    env.pop("SYNTH_ENGINE", None)
    return subprocess.run([sys.executable, "-m", "synth.cli", "solve", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_cold_cache_answers_from_the_python_engine_with_the_same_program(tmp_path):
    """With an empty numba cache the search runs in pure Python (nothing is compiled: no ready
    marker appears) and returns the program the compiled engine returns."""
    task = synth.load_tasks(str(ROOT / "examples" / "initials.json"))[0]
    warm = synth.solve(task, timeout=None, max_candidates=2_000_000)
    assert warm.solved
    run = _solve_cold(tmp_path, "examples/initials.json", "--format", "json", "--timeout", "600",
                      "--max-candidates", "2000000")
    assert run.returncode == 0, run.stderr
    rec = json.loads(run.stdout)
    assert rec["status"] == "solved" and rec["program"] == str(warm.program)
    assert not list((tmp_path / "cache").glob("synth-ready-*"))


def test_python_twins_compute_what_the_kernels_compute():
    """A kernel's plain-Python twin (used until the kernels are compiled) gives the same values,
    and calls plain-Python twins of the kernels it calls."""
    import numpy as np

    from synth.neural.heuristics import string_heuristic
    from synth.neural.signatures import OutputContext, encode_values, string_summaries

    ctx = OutputContext(["abc", "xy"], [{"s": "a bc"}, {"s": "x-y"}])
    codes, lens = encode_values("String", [("ab", "x"), ("", "xy"), ("abc", "q")], 2)
    for fn, args in ((string_summaries, (codes, lens, ctx.codes, ctx.lens, 2, True)),
                     (string_heuristic, (codes, lens, ctx.codes, ctx.lens, 2))):
        twin = kernelmode.python_twin(fn)
        assert twin is not fn and not hasattr(twin, "signatures")
        assert np.array_equal(twin(*args), fn(*args))
    kernelmode.set_pure_python(True)
    try:
        assert kernelmode.active(string_heuristic) is kernelmode.python_twin(string_heuristic)
    finally:
        kernelmode.set_pure_python(False)
    assert kernelmode.active(string_heuristic) is string_heuristic


def test_warmup_marks_the_domain_ready(tmp_path, monkeypatch):
    from synth.search.compiled import warmup

    pytest.importorskip("numba")
    assert warmup.ready("regex") and not warmup.needs_kernels("regex")
    assert warmup.needs_kernels("strings") and not warmup.needs_kernels("deepcoder")
    assert warmup.needs_kernels("deepcoder", "bottom-up")
    lines = []
    warmup.ensure_compiled({"strings", "lia"}, progress=lines.append)
    assert warmup.ready("strings")
    assert lines == []  # the test session compiled them already (tests/conftest.py)


def test_cold_cache_suite_with_workers_compiles_once_first(tmp_path):
    """``--jobs 2`` on an empty numba cache: the parent compiles the kernels once (saying so)
    before forking, and the workers solve what a warm run solves (a candidate budget, so the
    compile time cannot matter)."""
    suite = ROOT / "examples" / "suite.json"
    tasks = synth.load_tasks(str(suite))
    warm = [synth.solve(t, timeout=None, max_candidates=300_000) for t in tasks]
    run = _solve_cold(tmp_path, str(suite), "--jobs", "2", "--format", "json", "--timeout", "600",
                      "--max-candidates", "300000")
    assert run.returncode in (0, 1), run.stderr
    assert "compiling search kernels" in run.stderr
    recs = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["status"] for r in recs] == [w.status for w in warm]
    assert [r["program"] for r in recs] == [None if w.program is None else str(w.program) for w in warm]
    assert list((tmp_path / "cache").glob("synth-ready-strings-*"))
