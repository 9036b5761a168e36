"""Compiled-only timing of throughput's strings tasks: best of R per task."""
import sys, time, os
sys.path.insert(0, os.environ.get("ROOT", "/work/main") + "/benchmarks")
import throughput as tp
import synth
from synth.search.compiled import CompiledBottomUpSearch
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
from synth.search.budget import Budget
ensure_kernels(sk)
R = int(sys.argv[1]) if len(sys.argv) > 1 else 5
jobs = list(tp.strings_jobs())
opts = dict(concat_shortcut=False, cond_shortcut=False, decompose=False)
tot = 0; res = []
for name, D, g, inp, tgt, lim in jobs:
    best = 9
    for r in range(R):
        s = CompiledBottomUpSearch(D, g, inp, tgt, Budget(timeout=None, max_candidates=1_500_000), lim, **opts)
        t = time.perf_counter(); out = s.run(); w = time.perf_counter() - t
        best = min(best, w)
    tot += best; res.append(f"{name[:10]} {best*1e3:6.1f}")
print(os.path.dirname(synth.__file__).split('/')[2], " ".join(res), f"total {tot*1e3:6.1f} ms", out.values)
