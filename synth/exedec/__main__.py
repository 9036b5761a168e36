"""Write generated ExeDec-style problems as JSONL.

    python -m synth.exedec --domain robustfill --split COMPOSE_NEW_OP --kind train -n 1000 --seed 0 > train.jsonl

Each line holds ``inputs``, ``outputs`` and ``program`` (our program text; RobustFill lines also
carry ``exedec_program``, the token ids), with ``--steps`` one extra ``steps`` list of ExeDec's
per-step records (inputs, remaining outputs, subgoal, code).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from synth.exedec import DOMAINS, SPLITS
from synth.exedec.splits import KINDS, generate


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synth.exedec", description=__doc__.splitlines()[0])
    ap.add_argument("--domain", choices=DOMAINS, required=True)
    ap.add_argument("--split", choices=SPLITS, required=True)
    ap.add_argument("--kind", choices=KINDS, default="train")
    ap.add_argument("-n", type=int, default=100, help="number of problems")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", action="store_true", help="add the per-step decomposition records")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("-n must be at least 1")
    from synth.exedec.decompose import steps
    for s in generate(args.domain, args.split, args.kind, args.n, args.seed):
        rec = s.to_record()
        if args.steps:
            rec["steps"] = [dataclasses.asdict(x) for x in steps(args.domain, s.program, s.inputs)]
        sys.stdout.write(json.dumps(rec) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
