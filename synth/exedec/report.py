"""``python -m synth.exedec.report ...`` runs ``benchmarks/exedec_report.py``, where the ExeDec
report and the paper's figures (``benchmarks/exedec_paper.py``) now live, with the benchmarks.

Only an entry point, kept so that the commands recorded in benchmarks/RESULTS.md still run; it
imports nothing of synth and defines nothing. Use ``python benchmarks/exedec_report.py ...``.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

#: the report script (in a source checkout: the benchmarks are not part of the installed package)
SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "exedec_report.py"

if __name__ == "__main__":
    if not SCRIPT.exists():
        sys.exit(f"{SCRIPT}: not found (the ExeDec report runs from a source checkout of synth)")
    sys.argv[0] = str(SCRIPT)
    runpy.run_path(str(SCRIPT), run_name="__main__")
