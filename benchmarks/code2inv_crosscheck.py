"""Cross-check the C reader: every invariant found for a Code2Inv C program that also has an
official SyGuS version (``N.c.sl``, 92 of the 133) is verified again, with Z3, against the SyGuS
encoding of the same loop. A reader bug that changed a program's meaning would show up as a
failed check here.

    python benchmarks/code2inv_crosscheck.py RESULTS.jsonl [--sygus benchmarks/data/sygus/inv/code2inv]

RESULTS.jsonl is the output of ``synth bench benchmarks/data/code2inv/c --out DIR``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from synth.dsl.lia.syntax import parse_expr
from synth.io.sygus import read_sygus_problem
from synth.verify.inductive import verify_invariant
from synth.verify.transition import TransitionSystem


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--sygus", default="benchmarks/data/sygus/inv/code2inv")
    args = ap.parse_args()
    counts = {"proved": 0, "refuted": 0, "unknown": 0}
    for line in Path(args.results).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sl = Path(args.sygus) / f"{rec['name']}.c.sl"
        if rec.get("status") != "solved" or not sl.exists():
            continue
        ts = TransitionSystem.from_sygus(read_sygus_problem(sl))
        v = verify_invariant(ts, parse_expr(rec["program"]), timeout_ms=10000)
        counts[v.status] += 1
        if not v.proved:
            print(f"{rec['name']}: {v.status}: {rec['program']}  ({v.detail})")
    print(f"invariants found from C, checked against the SyGuS encoding: {counts}")
    return 0 if counts["refuted"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
