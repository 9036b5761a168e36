"""Run synth on the textbook regex exercises (``benchmarks/data/regex/textbook.json``) and judge
each answer against the exercise's language, not just its examples.

For each exercise: *fit* means synth answered (status ``solved``: the answer accepts every
positive and rejects every negative example, checked with Z3 ``InRe``); *right* means the answer
agrees with the exercise's predicate on every string over its alphabet of length 1 to 10
(``--max-len``). The first string (shortest, then in alphabet order) on which a wrong answer
disagrees is shown.

    python benchmarks/regex_textbook.py [--timeout 10] [--only NAME,...] [--subset original|added]
                                        [--out records.jsonl]

A predicate is a Python expression over ``s``; ``predicate(expr)`` compiles it with no builtins
but the few listed in ``SAFE_BUILTINS`` (the file is ours, but a typo should not reach ``open``).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from typing import Callable

SAFE_BUILTINS = {f.__name__: f for f in (len, all, any, range, set, sum, min, max, int, sorted, zip, abs)}


def predicate(expr: str) -> Callable[[str], bool]:
    """The language of an exercise as a function of the string ``s`` (a restricted eval: no
    builtins but ``SAFE_BUILTINS``, no names but ``s``)."""
    import ast

    tree = ast.parse(expr, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ValueError(f"predicate {expr!r} uses the attribute {node.attr!r}")
    code = compile(tree, "<predicate>", "eval")
    return lambda s: bool(eval(code, {"__builtins__": SAFE_BUILTINS, "s": s}))  # noqa: S307 -- restricted, see above


def all_strings(alphabet: str, lo: int, hi: int):
    for n in range(lo, hi + 1):
        for t in itertools.product(alphabet, repeat=n):
            yield "".join(t)


def first_disagreement(pattern: str, pred: Callable[[str], bool], alphabet: str,
                       max_len: int) -> str | None:
    """The first string of length 1..max_len on which the regex (a Python pattern) and the
    predicate disagree, or None."""
    rx = re.compile(pattern)
    for w in all_strings(alphabet, 1, max_len):
        if (rx.fullmatch(w) is not None) != pred(w):
            return w
    return None


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["tasks"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="benchmarks/data/regex/textbook.json")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--max-len", type=int, default=10)
    ap.add_argument("--only", default=None, help="comma-separated exercise names")
    ap.add_argument("--subset", choices=("all", "original", "added"), default="all",
                    help="original: the first 53 (the development set); added: those marked "
                         "'added': 'later' (written after the ranking was tuned)")
    ap.add_argument("--strategy", default="auto")
    ap.add_argument("--out", default=None, help="write one JSON record per exercise")
    ap.add_argument("--quiet", action="store_true", help="no per-task line on stderr")
    args = ap.parse_args()

    import synth
    from synth.task import Task

    tasks = load(args.set)
    if args.only:
        keep = set(args.only.split(","))
        tasks = [t for t in tasks if t["name"] in keep]
    if args.subset != "all":
        tasks = [t for t in tasks if (t.get("added") == "later") == (args.subset == "added")]
    rows = []
    for t in tasks:
        pred = predicate(t["predicate"])
        task = Task.from_dict({"name": t["name"], "domain": "regex", "positive": t["positive"],
                               "negative": t["negative"]})
        started = time.perf_counter()
        res = synth.solve(task, strategy=args.strategy, timeout=args.timeout)
        wall = time.perf_counter() - started
        pattern = res.stats.get("also", {}).get("python re") if res.program is not None else None
        fit = res.status == "solved" and res.stats.get("verified") == "proved"
        wrong_on = first_disagreement(pattern, pred, t["alphabet"], args.max_len) if pattern else None
        rec = {"name": t["name"], "status": res.status, "seconds": round(wall, 3),
               "regex": str(res.program) if res.program is not None else None,
               "z3_examples": res.stats.get("verified"), "fit": fit,
               "right": bool(fit and pattern and wrong_on is None), "wrong_on": wrong_on,
               "reference": t.get("reference"), "method": res.stats.get("method"),
               "candidates": res.candidates, "fits_ranked": res.stats.get("fits_ranked")}
        rows.append(rec)
        if not args.quiet:
            print(json.dumps(rec), file=sys.stderr)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    n = len(rows)
    fits = sum(r["fit"] for r in rows)
    right = sum(r["right"] for r in rows)
    times = sorted(r["seconds"] for r in rows)
    print(f"exercises: {n}; fit (answer checked with Z3 InRe on every example): {fits}; "
          f"right on every string of length 1-{args.max_len}: {right} ({100.0 * right / max(1, n):.1f}%); "
          f"timeout {args.timeout:g} s; median {times[n // 2] if times else float('nan'):.2f} s")
    print()
    print("| exercise | status | s | answer | right | first wrong string | hand-written regex |")
    print("|---|---|---|---|---|---|---|")
    esc = lambda s: "" if s is None else "`" + s.replace("|", "\\|") + "`"  # noqa: E731
    for r in rows:
        print(f"| {r['name']} | {r['status']} | {r['seconds']:.2f} | {esc(r['regex'])} | "
              f"{'yes' if r['right'] else 'no'} | {esc(r['wrong_on'])} | {esc(r['reference'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
