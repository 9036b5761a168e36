"""How well `synth fill` flags the rows it gets wrong (issue 21): on each task of a suite, the
first N rows are given and the rest of the column is filled through `synth.Session` (the same
path as `synth fill`); each filled row is `sure`, `unsure` (the top programs differ) or
`failed` (no output). Reports, over all filled rows: of the wrong ones, the share flagged
(unsure or failed); of the flagged ones, the share really wrong.

    python benchmarks/fill_flags.py ../shared/benchmarks/prose/transformation_text_dev.json --timeout 5
"""
from __future__ import annotations

import argparse
import json
import time

from synth import Session, SynthError, load_tasks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suite")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--given", type=int, default=3, help="rows given as examples (the first ones)")
    ap.add_argument("--out", default=None, help="write one JSON line per task here")
    args = ap.parse_args()
    counts = {"sure_right": 0, "sure_wrong": 0, "flagged_right": 0, "flagged_wrong": 0}
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    started = time.perf_counter()
    for task in load_tasks(args.suite):
        rows = list(task.examples) + list(task.tests)
        k = max(1, min(args.given, len(rows) - 1))
        s = Session(domain=task.domain, timeout=args.timeout)
        for e in rows[:k]:
            s.add_example(e.inputs, e.output)
        rest = rows[k:]
        s.add_inputs([e.inputs for e in rest])
        try:
            s.learn()
            preds = s.predict([e.inputs for e in rest])
        except SynthError:  # nothing learned: every row fails, and is flagged
            preds = None
        rec = {"name": task.name, "rows": []}
        for i, e in enumerate(rest):
            status = "failed" if preds is None else preds[i].status
            right = preds is not None and preds[i].output == e.output
            key = ("sure" if status == "sure" else "flagged") + ("_right" if right else "_wrong")
            counts[key] += 1
            rec["rows"].append([status, right])
        if out:
            out.write(json.dumps(rec) + "\n")
    if out:
        out.close()
    wrong = counts["sure_wrong"] + counts["flagged_wrong"]
    flagged = counts["flagged_right"] + counts["flagged_wrong"]
    print(json.dumps(counts))
    print(f"filled rows: {sum(counts.values())}; wrong: {wrong}; flagged: {flagged}")
    if wrong:
        print(f"wrong rows flagged: {counts['flagged_wrong']}/{wrong} = {counts['flagged_wrong'] / wrong:.1%}")
    if flagged:
        print(f"flagged rows really wrong: {counts['flagged_wrong']}/{flagged} = "
              f"{counts['flagged_wrong'] / flagged:.1%}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
