#!/usr/bin/env bash
# ExeDec test sets, one strategy, both domains, all six splits: the first LIMIT problems of each
# split at 10 s per problem.
#   bash benchmarks/exedec_strategies.sh STRATEGY [LIMIT]
# STRATEGY: symbolic (robustfill-decompose / deepcoder-bottom-up, written to
# benchmarks/results/runs/exedec-auto/, the auto strategy when that run was made), exedec or
# exedec-hybrid (written to benchmarks/results/runs/exedec-STRATEGY/). Compare runs with
#   python benchmarks/exedec_report.py enum=benchmarks/results/runs/exedec-auto \
#       exedec=benchmarks/results/runs/exedec-exedec hybrid=benchmarks/results/runs/exedec-exedec-hybrid --limit LIMIT
set -euo pipefail
STRATEGY=${1:?strategy}
LIMIT=${2:-100}
for domain in robustfill deepcoder; do
  if [ "$STRATEGY" = symbolic ]; then
    OUT=benchmarks/results/runs/exedec-auto
    S=$([ "$domain" = robustfill ] && echo robustfill-decompose || echo deepcoder-bottom-up)
  else
    OUT=benchmarks/results/runs/exedec-$STRATEGY
    S=$STRATEGY
  fi
  # exit status 1 only says that some problem was not solved
  synth bench exedec --domain "$domain" --split all --limit "$LIMIT" --timeout 10 --jobs 1 \
    --strategy "$S" --out "$OUT" || [ $? -eq 1 ]
done
