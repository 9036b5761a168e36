"""Compare a ``synth bench`` run on the PBE-strings v2 set with cvc5's results on the same files,
after re-checking every solution synth printed.

    python benchmarks/sygus_vs_cvc5.py RESULTS.jsonl [--cvc5 CSV] [--data DIR]

Each printed ``(define-fun ...)`` is read back with our SyGuS reader (round trip), run by our
interpreter on every constraint of its file (repeats included) and checked to be derivable from
the file's grammar; a solution failing any check is reported and not counted. Sizes are AST nodes
of the printed body with ``(- 1)`` counted as two nodes, the measure of cvc5's figures.
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from pathlib import Path

from synth.io.sygus import read_sygus_problem
from synth.io.sygus_solution import failing_examples, in_grammar, parse_solution, solution_size

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CVC5 = ROOT.parent / "shared" / "research" / "cvc5_pbe_strings.csv"
DEFAULT_DATA = ROOT / "benchmarks" / "data" / "sygus" / "pbe-strings" / "v2"


def load_ours(path: Path, data: Path) -> dict[str, dict]:
    """file key ("euphony/x.sl") -> {solved, seconds, size, problem, why}."""
    out = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        name = rec["name"]
        key = name if name.endswith(".sl") else None
        if key is None:  # records of solved tasks carry the task name: find its file
            hits = [p for p in data.rglob(f"{name}.sl")]
            key = str(hits[0].relative_to(data)) if len(hits) == 1 else name
        row = {"status": rec["status"], "seconds": rec.get("seconds"), "solution": rec.get("solution"),
               "error": rec.get("error")}
        out[key] = row
    return out


def check(key: str, row: dict, data: Path) -> None:
    row["solved"] = False
    if row["status"] != "solved" or not row.get("solution"):
        return
    problem = read_sygus_problem(data / key)
    body = parse_solution(row["solution"], problem)
    bad = failing_examples(problem, body)
    if bad:
        row["why"] = f"wrong on {len(bad)} constraint(s), first at line {bad[0].line}"
        return
    if not in_grammar(problem, body):
        row["why"] = "not derivable from the grammar"
        return
    row["solved"] = True
    row["size"] = solution_size(body)


def load_cvc5(path: Path) -> dict[str, dict]:
    out = {}
    for r in csv.DictReader(path.open()):
        key = r["file"].split("/", 2)[2]
        out[key] = {"solved": r["status"] == "solved", "seconds": float(r["seconds"]),
                    "size": int(r["solution_size"]) if r["solution_size"] else None}
    return out


def summary(rows: dict[str, dict], keys) -> tuple[int, float | None, float | None]:
    ok = [rows[k] for k in keys if k in rows and rows[k]["solved"]]
    if not ok:
        return 0, None, None
    return len(ok), statistics.median(r["seconds"] for r in ok), statistics.median(r["size"] for r in ok)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--cvc5", type=Path, default=DEFAULT_CVC5)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    ours = load_ours(args.results, args.data)
    for key, row in ours.items():
        if key.endswith(".sl") and (args.data / key).exists():
            try:
                check(key, row, args.data)
            except Exception as e:  # a printed solution our own reader rejects: report it
                row["solved"], row["why"] = False, f"round trip failed: {e}"
        else:
            row["solved"] = False
    cvc5 = load_cvc5(args.cvc5)
    files = sorted(str(p.relative_to(args.data)) for p in args.data.rglob("*.sl"))
    missing = [k for k in files if k not in ours]
    fmt = lambda v, p="{:.2f}": "-" if v is None else p.format(v)  # noqa: E731
    print("| set | files | synth solved | synth median s | synth median size | cvc5 solved | "
          "cvc5 median s | cvc5 median size |")
    print("|---|---|---|---|---|---|---|---|")
    for label, pref in (("all", ""), ("euphony", "euphony/"), ("from_2018", "from_2018/")):
        keys = [k for k in files if k.startswith(pref)]
        a, b = summary(ours, keys), summary(cvc5, keys)
        print(f"| {label} | {len(keys)} | {a[0]} | {fmt(a[1])} | {fmt(a[2], '{:g}')} | {b[0]} | {fmt(b[1])} | "
              f"{fmt(b[2], '{:g}')} |")
    both = [k for k in files if ours.get(k, {}).get("solved") and cvc5.get(k, {}).get("solved")]
    smaller = sum(ours[k]["size"] < cvc5[k]["size"] for k in both)
    same = sum(ours[k]["size"] == cvc5[k]["size"] for k in both)
    larger = [k for k in both if ours[k]["size"] > cvc5[k]["size"]]
    only_ours = [k for k in files if ours.get(k, {}).get("solved") and not cvc5.get(k, {}).get("solved")]
    only_cvc5 = [k for k in files if cvc5.get(k, {}).get("solved") and not ours.get(k, {}).get("solved")]
    print()
    detail = ", ".join(f"{k} {ours[k]['size']} vs {cvc5[k]['size']}" for k in larger)
    print(f"Both solved: {len(both)}; synth's program smaller on {smaller}, same size on {same}, "
          f"larger on {len(larger)}" + (f" ({detail})" if larger else "") + ".")
    if both:
        print(f"Median size on the both-solved files: synth {statistics.median(ours[k]['size'] for k in both):g}, "
              f"cvc5 {statistics.median(cvc5[k]['size'] for k in both):g}; total nodes synth "
              f"{sum(ours[k]['size'] for k in both)}, cvc5 {sum(cvc5[k]['size'] for k in both)}.")
    print(f"Solved by synth only: {len(only_ours)}; by cvc5 only: {len(only_cvc5)}"
          + (f" ({', '.join(only_cvc5)})" if only_cvc5 else "") + ".")
    rejected = [k for k in files if ours.get(k, {}).get("status") == "error"]
    print(f"Not run (the reader's error): {len(rejected)}"
          + "".join(f"\n- {k}: {ours[k]['error'].split(': ', 1)[-1][:160]}" for k in rejected))
    failed = [k for k in files if ours.get(k, {}).get("why")]
    print(f"Solutions failing a check: {len(failed)}" + "".join(f"\n- {k}: {ours[k]['why']}" for k in failed))
    if missing:
        print(f"No result for {len(missing)} files: {', '.join(missing[:10])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
