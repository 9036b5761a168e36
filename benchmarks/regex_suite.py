"""Run the regex suite: solve each task, record the Z3 check of the answer, whether it is
equivalent (Z3) to the regex the task's author intended, and how many questions a simulated user
needs to answer until it is.

A question is the distinguishing string Z3 finds between the answer and the intended regex; the
simulated user labels it with the intended regex, the string joins the examples, and the task is
solved again (at most --rounds times).

    python benchmarks/regex_suite.py [--timeout 10] [--rounds 3] [--out results.jsonl]
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import synth
from synth.dsl import get_domain
from synth.task import Task
from synth.verify.regex import distinguishing_string, equivalent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", default="benchmarks/data/regex/suite.json")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    dom = get_domain("regex")
    rows = []
    for task in synth.load_tasks(args.suite):
        intended = dom.parse(task.spec.solution).node
        pos, neg = list(task.spec.positive), list(task.spec.negative)
        first = None
        questions = 0
        rec: dict = {}
        while True:
            t = Task.from_dict({"name": task.name, "domain": "regex", "positive": pos, "negative": neg})
            started = time.perf_counter()
            res = synth.solve(t, timeout=args.timeout)
            wall = time.perf_counter() - started
            rec = {"name": task.name, "status": res.status, "seconds": round(wall, 3),
                   "regex": str(res.program) if res.program else None,
                   "python_re": res.stats.get("also", {}).get("python re"),
                   "z3_examples": res.stats.get("verified"), "method": res.stats.get("method"),
                   "intended": task.spec.solution, "questions": questions}
            if res.program is None:
                rec["equivalent"] = None
                first = first or dict(rec)
                break
            eq = equivalent(res.program.node, intended, 5000)
            rec["equivalent"] = eq.status
            first = first or dict(rec)
            if eq.proved or eq.unknown or questions >= args.rounds:
                break
            w = distinguishing_string(res.program.node, intended, 5000).counterexample
            if w is None:
                break
            (pos if dom.evaluate(intended, {"s": w}) else neg).append(w)
            questions += 1
        row = {"first": first, "final": rec}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    # markdown summary
    solved = [r for r in rows if r["first"]["status"] == "solved"]
    times = sorted(r["first"]["seconds"] for r in solved)
    print(f"tasks: {len(rows)}; solved (answer fits all examples, checked with Z3 InRe): {len(solved)}; "
          f"median {times[len(times) // 2] if times else float('nan'):.2f} s")
    print(f"equivalent to the intended regex without questions: "
          f"{sum(r['first'].get('equivalent') == 'proved' for r in rows if 'equivalent' in r['first'])}"
          f" -- after at most {args.rounds} simulated-user questions: "
          f"{sum(r['final'].get('equivalent') == 'proved' for r in rows)}")
    print()
    print("| task | status | s | answer (ours) | Python re | Z3 on examples | = intended | questions | after questions |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        f, z = r["first"], r["final"]
        esc = lambda s: "" if s is None else "`" + s.replace("|", "\\|") + "`"  # noqa: E731
        after = "" if z["questions"] == 0 else f"{esc(z['regex'])} ({z.get('equivalent')})"
        print(f"| {f['name']} | {f['status']} | {f['seconds']:.2f} | {esc(f['regex'])} | {esc(f['python_re'])} | "
              f"{f['z3_examples']} | {f.get('equivalent')} | {z['questions']} | {after} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
