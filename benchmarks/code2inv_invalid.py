"""Which Code2Inv programs have no invariant: bounded model checking of every C program with Z3.

A program is invalid when a state reachable from the pre-condition violates the assertion; Z3
finds such a path ``pre(s0) ∧ trans(s0, s1) ∧ ... ∧ ¬post(sk)`` (k <= --depth) and this script
prints it. Programs without such a path up to the depth are listed as "none found" (a loop
invariant, when one is found, proves them valid at every depth).

    python benchmarks/code2inv_invalid.py [--depth 8] [FOLDER]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from synth.io.c_loops import read_c_tasks
from synth.verify.inductive import bmc
from synth.verify.transition import TransitionSystem


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default="benchmarks/data/code2inv/c")
    ap.add_argument("--depth", type=int, default=8)
    args = ap.parse_args()
    files = sorted(Path(args.folder).glob("*.c"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)
    invalid = []
    for f in files:
        (task,) = read_c_tasks(f)
        ts = TransitionSystem.from_loop(task.spec.loop)
        v = bmc(ts, args.depth, timeout_ms=10000)
        if v.refuted:
            invalid.append(f.stem)
            trace = " -> ".join("{" + ", ".join(f"{k}={s[k]}" for k in ts.relevant) + "}"
                                for s in v.counterexample)
            print(f"{f.stem}: INVALID at depth {v.extra['depth']}: {trace}")
        elif v.unknown:
            print(f"{f.stem}: unknown ({v.detail})")
    print(f"{len(invalid)} of {len(files)} programs have a reachable assertion violation within "
          f"{args.depth} iterations: {', '.join(invalid)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
