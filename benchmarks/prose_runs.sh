#!/usr/bin/env bash
# The PROSE Transformation.Text development-half figures of benchmarks/RESULTS.md (issue 20/21):
# right-on-every-held-out-row at 1, 2 and 3 examples (with and without the column's other rows
# as unlabeled inputs), by feature tag, and the examples-needed protocol (first wrong row / the
# row synth asks about). Usage: bash benchmarks/prose_runs.sh OUT [TIMEOUT] [JOBS]
set -uo pipefail  # a suite with unsolved tasks exits 1: keep going
OUT=${1:?usage: prose_runs.sh OUT [TIMEOUT] [JOBS]}
T=${2:-5}
J=${3:-2}
DATA=../shared/benchmarks/prose/transformation_text_dev.json
for k in 1 2 3; do  # k=3 is the data's own split (3 examples, fewer for short tasks)
  synth bench "$DATA" --timeout "$T" --jobs "$J" --fresh --by-tag --examples "$k" --tests-as-inputs --out "$OUT/rows-k$k" || true
  synth bench "$DATA" --timeout "$T" --jobs "$J" --fresh --by-tag --examples "$k" --out "$OUT/plain-k$k" || true
done
synth bench "$DATA" --timeout "$T" --jobs "$J" --fresh --interactive --tests-as-inputs --out "$OUT/first-wrong" || true
synth bench "$DATA" --timeout "$T" --jobs "$J" --fresh --interactive --ask --tests-as-inputs --out "$OUT/ask" || true
