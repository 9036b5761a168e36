#!/bin/bash
# usage: csim.sh ROOT TAG TASKS  -- cache-sim (D1 48K, LL 2M) of throughput's compiled strings searches
ROOT=$1; TAG=$2; TASKS=${3:-0,2}
source /work/main/.venv/bin/activate
source /tmp/dbg/vgenv.sh
export NUMBA_CACHE_DIR=/tmp/dbg/vg-$TAG
cd /tmp
PYTHONPATH=$ROOT python -c "
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
print(ensure_kernels(sk))" > /tmp/dbg/cs-$TAG.log 2>&1
PYTHONPATH=$ROOT valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes --D1=49152,12,64 --LL=2097152,16,64 --callgrind-out-file=/tmp/dbg/cs-$TAG.out python $ROOT/benchmarks/throughput.py --count-child strings:$TASKS --strings-candidates 1500000 >> /tmp/dbg/cs-$TAG.log 2>&1
for f in /tmp/dbg/cs-$TAG.out.*; do grep -E "^(events|totals)" $f; done > /tmp/dbg/cs-$TAG.sum
