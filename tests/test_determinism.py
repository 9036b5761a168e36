"""Same task and budget, same program: ``synth solve`` in processes with different string hashing
(PYTHONHASHSEED) must print the same program in every domain.

Iterating a set of strings or tuples follows the per-process string hash; a search that lets such
an order decide which of several equally good candidates comes first returns different programs
from run to run (robustfill_search's Compose configurations did: 4 programs in 6 runs of
examples/robustfill/product_code.json). Each task here is searched under a candidate budget with a
time budget far beyond what it needs, so that the candidates are what bounds the search. The
``cegis`` strategy (lia) has no candidate budget (its Z3 queries follow the clock): its task is one
it proves in well under a second, so its time budget never comes into play either.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HASH_SEEDS = ("0", "1", "2", "3", "4242")

#: (task file, candidate budget): one task per domain
TASKS = [
    ("examples/initials.json", 200_000),                  # strings (guided)
    ("examples/robustfill/product_code.json", 200_000),   # robustfill (exedec-hybrid)
    ("examples/deepcoder/sum_of_evens.json", 200_000),    # deepcoder (deepcoder-bottom-up)
    ("examples/regex/zip-code.json", 200_000),            # regex (regex-enum)
    ("examples/lia/reset-counter.json", 200_000),         # lia (cegis: time budget only)
]


def _solve(path: str, max_candidates: int, hash_seed: str) -> dict:
    exe = Path(sys.executable).with_name("synth")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "synth.cli"]
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    run = subprocess.run(cmd + ["solve", path, "--format", "json", "--timeout", "600",
                                "--max-candidates", str(max_candidates)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"PYTHONHASHSEED={hash_seed}: {run.stderr}"
    return json.loads(run.stdout)


@pytest.mark.parametrize("path,max_candidates", TASKS, ids=[Path(p).parent.name + "/" + Path(p).stem
                                                            for p, _ in TASKS])
def test_same_program_whatever_the_string_hash(path, max_candidates):
    with ThreadPoolExecutor(max_workers=len(HASH_SEEDS)) as pool:
        records = list(pool.map(lambda seed: _solve(path, max_candidates, seed), HASH_SEEDS))
    assert all(r["status"] == "solved" for r in records), records
    programs = {seed: r["program"] for seed, r in zip(HASH_SEEDS, records)}
    assert len(set(programs.values())) == 1, programs
