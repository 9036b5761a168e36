#!/bin/bash
# usage: icount.sh ROOT TAG -- instructions per candidate of throughput's compiled strings searches
ROOT=$1; TAG=$2
source /work/main/.venv/bin/activate
source /tmp/dbg/vgenv.sh
export NUMBA_CACHE_DIR=/tmp/dbg/vg-$TAG
cd /tmp
PYTHONPATH=$ROOT python -c "
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
print(ensure_kernels(sk))" > /tmp/dbg/ic-$TAG.log 2>&1
PYTHONPATH=$ROOT valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/dbg/ic-$TAG.out python $ROOT/benchmarks/throughput.py --count-child strings:0,1,2,3 --strings-candidates 1500000 > /tmp/dbg/ic-$TAG.res 2>>/tmp/dbg/ic-$TAG.log
python - <<PY
import json
res=[json.loads(l) for l in open("/tmp/dbg/ic-$TAG.res").read().split("\n") if l.startswith("{")]
tot=0;c=0
for j,r in enumerate(res,1):
    ins=int(next(l.split()[1] for l in open(f"/tmp/dbg/ic-$TAG.out.{j}") if l.startswith("totals:")))
    print(r["name"], r["candidates"], r["values"], round(ins/r["candidates"],1)); tot+=ins; c+=r["candidates"]
print("TOTAL", round(tot/c,1))
PY
