"""Does every time budget hold? Runs ``synth bench`` at 2 s and 10 s per task over BUSTLE's 89
SyGuS tasks, the SyGuS PBE-strings v2 files and a few stress tasks (long strings, many
examples), then prints, per suite and budget, how far past the budget the records' seconds and
the workers' wall time went (largest and median) and how many workers were hard-killed.

    python benchmarks/budget_table.py --out benchmarks/results/budget --jobs 2

The stress tasks are generated (seeded) into OUT/stress: 2 and 5 examples of 10,000 characters
(the longest a task may hold), 1,000 and 3,000 examples, a 10,000-character regex positive.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES = {
    "BUSTLE 89": ROOT / "benchmarks/data/strings/bustle_sygus89.json",
    "PBE-strings v2": ROOT / "benchmarks/data/sygus/pbe-strings/v2",
}


def write_stress(folder: Path) -> Path:
    """Tasks whose preparation grows with the input (constants, infixes), seeded."""
    rng = random.Random(0)
    folder.mkdir(parents=True, exist_ok=True)

    def text(n: int) -> str:
        return "".join(rng.choice("abcdefghij klmnop") for _ in range(n))

    def strings_task(name: str, examples: list) -> None:
        (folder / f"{name}.json").write_text(json.dumps({"name": name, "domain": "strings",
                                                         "examples": examples}))

    for k in (2, 5):  # 10,000 characters is the longest string a task may hold
        rows = [text(10_000) for _ in range(k)]
        strings_task(f"long10k-x{k}", [{"inputs": {"x": r}, "output": r[:5].upper()} for r in rows])
    for n in (1_000, 3_000):
        exs = []
        for i in range(n):
            s = text(rng.randint(8, 20))
            exs.append({"inputs": {"x": s}, "output": s[::-1][:3] + "-" + str(i % 7)})
        strings_task(f"many{n}", exs)
    long_positive = "".join(rng.choice("01") for _ in range(10_000))
    (folder / "regex-long.json").write_text(json.dumps({
        "name": "regex-long", "domain": "regex", "positive": [long_positive, "0101", "11"],
        "negative": ["2", "a1", ""]}))
    return folder


def overshoot(values: list[float], budget: float) -> tuple[float, float]:
    over = [max(0.0, v - budget) for v in values]
    return (max(over), statistics.median(over)) if over else (0.0, 0.0)


def table(out: Path, suites: dict[str, Path], budgets: list[float]) -> list[str]:
    rows = ["| suite | budget | tasks | solved | record s over budget: max / median | "
            "worker wall over budget: max / median | hard kills |",
            "|---|---|---|---|---|---|---|"]
    for name, path in suites.items():
        for t in budgets:
            results = out / f"t{t:g}" / f"{path.stem}.jsonl"
            recs = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
            recs = [r for r in recs if r.get("status") != "error" or r.get("seconds", 0) > 0]
            secs = [r["seconds"] for r in recs]
            walls = [r["wall"] for r in recs if r.get("wall") is not None]
            rmax, rmed = overshoot(secs, t)
            wmax, wmed = overshoot(walls, t)
            kills = sum(r.get("stopped_by") == "hard-kill" for r in recs)
            solved = sum(r.get("status") == "solved" for r in recs)
            rows.append(f"| {name} | {t:g} s | {len(recs)} | {solved} | {rmax:.3f} / {rmed:.3f} | "
                        f"{wmax:.3f} / {wmed:.3f} | {kills} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/budget")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--budgets", default="2,10", help="seconds per task, comma-separated")
    ap.add_argument("--report-only", action="store_true", help="only print the table of an earlier run")
    args = ap.parse_args()
    budgets = [float(b) for b in args.budgets.split(",")]
    suites = dict(SUITES, stress=write_stress(args.out / "stress"))
    if not args.report_only:
        for t in budgets:
            for name, path in suites.items():
                print(f"== {name} at {t:g} s", file=sys.stderr, flush=True)
                subprocess.run([sys.executable, "-m", "synth.cli", "bench", str(path), "--timeout", f"{t:g}",
                                "--jobs", str(args.jobs), "--out", str(args.out / f"t{t:g}"), "--fresh"],
                               cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
    print("\n".join(table(args.out, suites, budgets)))


if __name__ == "__main__":
    main()
