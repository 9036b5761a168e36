"""Census of the SyGuS benchmark files: how many each folder has that parse into a problem (and,
for PBE, into a search task), that are contradictory, and that are rejected, with the reasons.

    python benchmarks/sygus_census.py [ROOT] [--markdown]

ROOT defaults to ../shared/benchmarks/sygus (the shared read-only copy). Every rejection is the
reader's one-line message; the table groups them by reason with the file and line numbers cut off.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from pathlib import Path

from synth.errors import InconsistentExamples, SynthError
from synth.io.sygus import read_sygus_tasks
from synth.io.sygus_problem import InvProblem, PbeProblem

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "sygus"
FOLDERS = [
    "pbe-strings/v1/euphony", "pbe-strings/v1/from_2018",
    "pbe-strings/v2/euphony", "pbe-strings/v2/from_2018",
    "inv/v1/2019/From2018", "inv/v1/2019/Lustre", "inv/v1/2019/XC",
    "inv/v1/2018-variants", "inv/v1/2017-variants",
    "inv/v2/from_2018", "inv/v2/andrew_lustre", "inv/v2/xujie_code2inv",
    "code2inv/sygus",
    "pbe-bv/v2",
]


def reason_of(message: str) -> str:
    """A rejection message without its file and line, for grouping."""
    msg = re.sub(r"^\S+?\.sl(:\d+|:\?)?: ", "", message)
    msg = re.sub(r"\"[^\"]*\"", '"..."', msg)
    msg = re.sub(r"lines \d+ and \d+", "lines N and M", msg)
    return msg[:110]


def census(root: Path, folders=FOLDERS):
    rows = []
    reasons: dict[str, collections.Counter] = {}
    for rel in folders:
        folder = root / rel
        files = sorted(folder.rglob("*.sl"))
        if not files:
            continue
        counts = collections.Counter()
        why = collections.Counter()
        t0 = time.perf_counter()
        for f in files:
            try:
                (task,) = read_sygus_tasks(f)
                problem = getattr(task.spec, "sygus", None) or getattr(task.spec, "sygus_inv", None)
                kind = "pbe" if isinstance(problem, PbeProblem) else "inv"
                assert isinstance(problem, (PbeProblem, InvProblem))
                counts[kind] += 1
                counts[f"v{problem.version}"] += 1
            except InconsistentExamples:
                counts["contradictory"] += 1
                why[f"contradictory examples (one input, two outputs): {f.name}"] += 1
            except SynthError as e:
                counts["rejected"] += 1
                why[reason_of(str(e))] += 1
        rows.append({"folder": rel, "files": len(files), **counts,
                     "seconds": round(time.perf_counter() - t0, 1)})
        reasons[rel] = why
    return rows, reasons


def markdown(rows, reasons) -> str:
    out = ["| folder | files | PBE task | Inv problem | contradictory | rejected | read as v1 / v2 | seconds |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| `{r['folder']}` | {r['files']} | {r.get('pbe', 0)} | {r.get('inv', 0)} | "
                   f"{r.get('contradictory', 0)} | {r.get('rejected', 0)} | {r.get('v1', 0)} / {r.get('v2', 0)} | "
                   f"{r['seconds']} |")
    lines = []
    for rel, why in reasons.items():
        for reason, n in why.most_common():
            lines.append(f"- `{rel}`: {n} × {reason}")
    if lines:
        out += ["", "Rejections and contradictions (reader's message, file and line cut off):", ""] + lines
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", default=str(DEFAULT_ROOT))
    args = ap.parse_args(argv)
    rows, reasons = census(Path(args.root))
    print(markdown(rows, reasons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
