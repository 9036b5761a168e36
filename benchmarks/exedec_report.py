"""Summarize ``synth bench exedec`` results: the table of benchmarks/results/exedec.md and one
cactus plot per domain (one line per split).

    python benchmarks/exedec_report.py benchmarks/out/exedec [--plots DIR]
    python benchmarks/exedec_report.py enum=DIR1 exedec=DIR2 hybrid=DIR3 --limit 100   # side by side
    python benchmarks/exedec_report.py enum=DIR1 exedec=DIR2 hybrid=DIR3 --auto         # + an auto column
    python benchmarks/exedec_report.py exedec=NEW,OLD ...   # each split from the first folder holding it
    python benchmarks/exedec_report.py DIR[,DIR2] --by-steps     # solved by ground-truth program length

reads ``exedec-DOMAIN-SPLIT.jsonl`` files written by the runner and prints markdown. (It was
``synth.exedec.report``; ``python -m synth.exedec.report ...``, the command the runs recorded in
benchmarks/RESULTS.md give, still runs this script.) The paper's figures are in
``exedec_paper.py`` beside it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # exedec_paper, beside this file

from exedec_paper import REMEASURED_SOURCE, paper_figure, remeasured_figure  # noqa: E402

from synth.exedec import DOMAINS, SPLITS  # noqa: E402

PROBLEMS_PER_SPLIT = 1000
#: the column of ExeDec's figures as measured by a later paper (``exedec_paper``)
REMEASURED_HEAD = "ExeDec run by Zenkner et al. 2025"


def _theirs(domain: str, split: str) -> str:
    """The two columns of ExeDec's own figures: the paper's, and a later paper's run."""
    return f"{paper_figure(domain, split)} | {remeasured_figure(domain, split)}"


def run_folders(text: str) -> Path | tuple[Path, ...]:
    """``DIR`` or ``DIR1,DIR2,...`` as ``load`` takes it: one folder, or folders read in order."""
    dirs = tuple(Path(f) for f in text.split(","))
    return dirs[0] if len(dirs) == 1 else dirs


def sources_note() -> str:
    """The line under a table that says where the re-measured ExeDec figures come from."""
    return f"{REMEASURED_HEAD}: " + "; ".join(f"{d}: {src}" for d, src in REMEASURED_SOURCE.items())


def load(results_dir: Path | tuple[Path, ...], domain: str, split: str) -> list[dict]:
    """A split's records, sorted by problem index. ``results_dir`` may be several folders (a run
    redone for one domain only): the first one holding the split's file is read."""
    from synth.bench import load_records
    for folder in results_dir if isinstance(results_dir, tuple) else (results_dir,):
        path = folder / f"exedec-{domain}-{split}.jsonl"
        if path.exists():
            recs = list(load_records(path).values())
            return sorted(recs, key=lambda r: int(r["name"].rsplit("/", 1)[1]))
    return []


def first_n(recs: list[dict]) -> int:
    """How many problems from index 0 on were run without a gap."""
    idx = {int(r["name"].rsplit("/", 1)[1]) for r in recs}
    n = 0
    while n in idx:
        n += 1
    return n


def problems_run(recs, limit: int | None = None) -> int:
    """How many problems from index 0 on the report counts: those run without a gap, at most
    ``limit``."""
    n = first_n(list(recs))
    return n if limit is None else min(limit, n)


def table(results_dir: Path, limit: int | None = None) -> str:
    """One row per (domain, split) over the first problems run without a gap (at most
    ``limit``)."""
    from synth.bench import counts_as_solved
    lines = ["| domain | split | problems run | solved | solved % | median s (solved) | timeouts | "
             f"ExeDec paper (Transformer, beam 10) | {REMEASURED_HEAD} |",
             "|---|---|---|---|---|---|---|---|---|"]
    for domain in DOMAINS:
        for split in SPLITS:
            recs = load(results_dir, domain, split)
            if not recs:
                lines.append(f"| {domain} | {split} | 0 | - | - | - | - | {_theirs(domain, split)} |")
                continue
            n = problems_run(recs, limit)
            recs = [r for r in recs if int(r["name"].rsplit("/", 1)[1]) < n]
            ok = [r for r in recs if counts_as_solved(r)]
            med = statistics.median(r["seconds"] for r in ok) if ok else None
            tout = sum(r["status"] == "timeout" for r in recs)
            lines.append(f"| {domain} | {split} | first {n} of {PROBLEMS_PER_SPLIT} | {len(ok)} | "
                         f"{100 * len(ok) / n:.1f} | {'-' if med is None else f'{med:.2f}'} | {tout} | "
                         f"{_theirs(domain, split)} |")
    return "\n".join(lines)


def _solved_share(results_dir: Path, domain: str, split: str, limit: int | None):
    """(solved, problems) over the first problems run without a gap, or None if none ran."""
    from synth.bench import counts_as_solved
    recs = load(results_dir, domain, split)
    if not recs:
        return None
    n = problems_run(recs, limit)
    recs = [r for r in recs if int(r["name"].rsplit("/", 1)[1]) < n]
    return sum(counts_as_solved(r) for r in recs), n


def _strategy_of(results_dir: Path, domain: str) -> str | None:
    """The strategy a run used for a domain, read from its first record."""
    for split in SPLITS:
        recs = load(results_dir, domain, split)
        if recs:
            return recs[0].get("strategy")
    return None


def auto_run(runs: list[tuple[str, Path]], domain: str) -> tuple[str, Path] | None:
    """The run whose records used the strategy ``--strategy auto`` picks for ``domain`` today."""
    from synth.api import default_strategy
    want = default_strategy(domain)
    for label, d in runs:
        if _strategy_of(d, domain) == want:
            return label, d
    return None


def compare(runs: list[tuple[str, Path]], limit: int | None = None, auto: bool = False) -> str:
    """Side by side: per (domain, split), the percentage each run (label, results dir) solved,
    its generalization gap (NONE minus the split, in points) and the paper's figure. With
    ``auto``, one more column repeats the run of the strategy ``--strategy auto`` picks for the
    domain (found by the strategy named in the records), so the table says which one it is."""
    cols = [label for label, _ in runs] + (["auto"] if auto else [])
    head = " | ".join(f"{label} solved % | {label} gap" for label in cols)
    lines = [f"| domain | split | problems | {head} | ExeDec paper | {REMEASURED_HEAD} |",
             "|---|---|---|" + "---|---|" * len(cols) + "---|---|"]
    for domain in DOMAINS:
        dom_runs = list(runs)
        if auto:
            picked = auto_run(runs, domain)
            dom_runs.append(picked if picked is not None else ("auto", None))
        base = {i: _solved_share(d, domain, "NONE", limit) if d else None
                for i, (_, d) in enumerate(dom_runs)}
        for split in SPLITS:
            cells, ns = [], set()
            for i, (label, d) in enumerate(dom_runs):
                got = _solved_share(d, domain, split, limit) if d else None
                if got is None:
                    cells += ["-", "-"]
                    continue
                ok, n = got
                ns.add(n)
                pct = 100 * ok / n
                b = base[i]
                gap = "-" if b is None or split == "NONE" else f"{100 * b[0] / b[1] - pct:+.1f}"
                name = f" = {label}" if auto and i == len(runs) else ""
                cells += [f"{pct:.1f} ({ok}/{n}){name}", gap]
            probs = "/".join(str(n) for n in sorted(ns)) or "-"
            lines.append(f"| {domain} | {split} | {probs} | {' | '.join(cells)} | {_theirs(domain, split)} |")
    return "\n".join(lines)


def steps_of(domain: str, program: str) -> int:
    """The length of a released ground-truth program: RobustFill's concatenated expressions
    (token groups split by ``|``), DeepCoder's statements other than ``INPUT``."""
    parts = [p.strip() for p in program.split("|")]
    if domain == "deepcoder":
        return sum(not p.endswith("= INPUT") for p in parts)
    return len(parts)


def by_steps(results_dir: Path, limit: int | None = None) -> str:
    """Per domain, solved / run for each ground-truth program length: the splits differ in
    their length mix (e.g. DeepCoder NONE has 5-statement programs, the concept splits stop at
    4), which a split's solved share alone hides."""
    from synth.bench import counts_as_solved
    from synth.exedec import read_records
    out = []
    for domain in DOMAINS:
        rows: dict[str, dict[int, list[int]]] = {}
        for split in SPLITS:
            recs = {r["name"]: r for r in load(results_dir, domain, split)}
            if not recs:
                continue
            n = problems_run(recs.values(), limit)
            cells: dict[int, list[int]] = {}
            for raw in read_records(domain, split, n):
                rec = recs[f"{domain}/{split}/{raw['index']}"]
                c = cells.setdefault(steps_of(domain, raw["program"]), [0, 0])
                c[0] += counts_as_solved(rec)
                c[1] += 1
            rows[split] = cells
        if not rows:
            continue
        lengths = sorted({k for cells in rows.values() for k in cells})
        out += [f"| {domain} split | " + " | ".join(f"{k} steps" for k in lengths) + " |",
                "|---|" + "---|" * len(lengths)]
        for split, cells in rows.items():
            out.append(f"| {split} | " + " | ".join(
                f"{cells[k][0]}/{cells[k][1]}" if k in cells else "-" for k in lengths) + " |")
        out.append("")
    return "\n".join(out).rstrip()


def plots(results_dir: Path, out_dir: Path, timeout: float = 10.0) -> list[Path]:
    from synth.bench import cactus_plot
    paths = []
    for domain in DOMAINS:
        recs = []
        for split in SPLITS:
            for r in load(results_dir, domain, split):
                r["group"] = split
                recs.append(r)
        if recs:
            path = out_dir / f"exedec-{domain}-cactus.png"
            cactus_plot(recs, path, title=f"ExeDec {domain} test sets ({timeout:g} s per problem)")
            paths.append(path)
    return paths


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results_dir", type=Path, nargs="+",
                    help="one results folder, or LABEL=FOLDER[,FOLDER...] ... to compare runs "
                         "side by side (each split read from the first folder that has it)")
    ap.add_argument("--plots", type=Path, default=None, help="write one cactus plot per domain here")
    ap.add_argument("--limit", type=int, default=None, help="only the first N problems of each split")
    ap.add_argument("--by-steps", action="store_true",
                    help="solved / run per length of the ground-truth program (one run: FOLDER[,FOLDER...])")
    ap.add_argument("--auto", action="store_true",
                    help="add a column for the run of the strategy --strategy auto picks per domain")
    args = ap.parse_args(argv)
    if len(args.results_dir) > 1 or "=" in str(args.results_dir[0]):
        runs = []
        for item in args.results_dir:
            label, _, folder = str(item).partition("=")
            if not folder:
                runs.append((Path(label).name, Path(label)))
            else:  # LABEL=DIR or LABEL=DIR1,DIR2 (each split from the first folder that has it)
                runs.append((label, run_folders(folder)))
        print(compare(runs, args.limit, auto=args.auto))
        print(f"\n{sources_note()}")
        return
    args.results_dir = run_folders(str(args.results_dir[0]))
    if args.by_steps:
        print(by_steps(args.results_dir, args.limit))
        return
    print(table(args.results_dir, args.limit))
    print(f"\n{sources_note()}")
    if args.plots:
        for p in plots(args.results_dir, args.plots):
            print(f"\ncactus plot: {p}")


if __name__ == "__main__":
    main()
