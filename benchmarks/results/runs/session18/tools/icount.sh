#!/bin/bash
# usage: icount.sh ROOT TAG [TASKS]
# Instructions per candidate of benchmarks/throughput.py's compiled strings searches (TASKS:
# comma-separated indices, default all four), the kernels compiled natively for the CPU valgrind
# presents (vgenv.sh) and loaded from that cache under callgrind. Extra callgrind options in
# $VGARGS, e.g. the cache simulation of RESULTS §17:
#   VGARGS="--cache-sim=yes --D1=49152,12,64 --LL=2097152,16,64" icount.sh /work/main main 0,2
ROOT=$1; TAG=$2; TASKS=${3:-0,1,2,3}
source /work/main/.venv/bin/activate
source "$(dirname "$0")/vgenv.sh"
export NUMBA_CACHE_DIR=/tmp/dbg/vg-$TAG
cd /tmp
PYTHONPATH=$ROOT python -c "
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
print(ensure_kernels(sk))" > /tmp/dbg/ic-$TAG.log 2>&1
PYTHONPATH=$ROOT valgrind --tool=callgrind --instr-atstart=no $VGARGS --callgrind-out-file=/tmp/dbg/ic-$TAG.out \
    python $ROOT/benchmarks/throughput.py --count-child strings:$TASKS --strings-candidates 1500000 \
    > /tmp/dbg/ic-$TAG.res 2>>/tmp/dbg/ic-$TAG.log
for f in /tmp/dbg/ic-$TAG.out.*; do grep -E "^(events|totals)" "$f"; done
cat /tmp/dbg/ic-$TAG.res
