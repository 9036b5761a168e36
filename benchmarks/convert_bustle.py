"""Convert BUSTLE's two string benchmark sets (as released in CrossBeam's JSON) to synth's task format.

    python benchmarks/convert_bustle.py ../shared/benchmarks/strings benchmarks/data/strings

Inputs keep BUSTLE's names (var_0, var_1, ...). The 38 hand-written tasks keep their held-out
tests; the 89 SyGuS tasks have none (BUSTLE's "tests" there are copies of the examples).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def convert(task: dict) -> dict:
    out = {"name": task["name"], "domain": "strings",
           "examples": [{"inputs": i, "output": o} for i, o in zip(task["inputs"], task["outputs"])]}
    if task.get("source") == "bustle" and task.get("test_inputs"):
        out["tests"] = [{"inputs": i, "output": o}
                        for i, o in zip(task["test_inputs"], task["test_outputs"])]
    if task.get("description"):
        out["description"] = task["description"]
    for key in ("solution", "tags", "source"):
        if key in task:
            out[key] = task[key]
    return out


def main(src: str, dst: str) -> None:
    for name in ("bustle_handwritten38", "bustle_sygus89"):
        tasks = json.loads((Path(src) / f"{name}.json").read_text())
        suite = {"tasks": [convert(t) for t in tasks]}
        Path(dst, f"{name}.json").write_text(json.dumps(suite, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(tasks)} tasks")


if __name__ == "__main__":
    main(*sys.argv[1:3])
