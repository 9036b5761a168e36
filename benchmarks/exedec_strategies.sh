#!/usr/bin/env bash
# ExeDec test sets, one strategy, both domains, all six splits: the first LIMIT problems of each
# split at 10 s per problem, into benchmarks/results/runs/exedec-STRATEGY/.
#   bash benchmarks/exedec_strategies.sh STRATEGY [LIMIT]
# STRATEGY: auto (the symbolic searches), exedec or exedec-hybrid. Compare runs with
#   python -m synth.exedec.report enum=benchmarks/results/runs/exedec-auto \
#       exedec=benchmarks/results/runs/exedec-exedec hybrid=benchmarks/results/runs/exedec-exedec-hybrid --limit LIMIT
set -euo pipefail
STRATEGY=${1:?strategy}
LIMIT=${2:-100}
OUT=benchmarks/results/runs/exedec-$STRATEGY
for domain in robustfill deepcoder; do
  # exit status 1 only says that some problem was not solved
  synth bench exedec --domain "$domain" --split all --limit "$LIMIT" --timeout 10 --jobs 1 \
    --strategy "$STRATEGY" --out "$OUT" || [ $? -eq 1 ]
done
