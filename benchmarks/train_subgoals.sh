#!/usr/bin/env bash
# Train and install the 12 ExeDec subgoal models (one per domain and split), each on programs
# drawn from its split's training distribution. Usage: bash benchmarks/train_subgoals.sh [JOBS] [DEVICE]
set -euo pipefail
JOBS=${1:-2}
DEVICE=${2:-cpu}
# the split names: synth.exedec.SPLITS, the one list
SPLITS=$(python -c 'from synth.exedec import SPLITS; print(" ".join(SPLITS))')
mkdir -p benchmarks/results/runs/subgoal-training
for split in $SPLITS; do
  synth train subgoal --domain deepcoder --split "$split" --programs 1200 --epochs 30 \
    --jobs "$JOBS" --device "$DEVICE" --install > "benchmarks/results/runs/subgoal-training/deepcoder_$split.json"
  synth train subgoal --domain robustfill --split "$split" --programs 120 --epochs 30 --rf-seconds 1.0 \
    --jobs "$JOBS" --device "$DEVICE" --install > "benchmarks/results/runs/subgoal-training/robustfill_$split.json"
done
