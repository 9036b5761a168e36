import sys, time, os
sys.path.insert(0, "/work/main/benchmarks")
import throughput as tp
from synth.search.compiled import CompiledBottomUpSearch
from synth.search.compiled import engine as EN
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
from synth.search.budget import Budget
ensure_kernels(sk)
jobs = list(tp.strings_jobs())
opts = dict(concat_shortcut=False, cond_shortcut=False, decompose=False)
acc = {}
def wrap(name):
    orig = getattr(EN.CompiledBottomUpSearch, name)
    def w(self, *a, **k):
        t = time.perf_counter()
        try: return orig(self, *a, **k)
        finally: acc[name] = acc.get(name, 0) + time.perf_counter() - t
    setattr(EN.CompiledBottomUpSearch, name, w)
for n in ("_level", "_split", "_kernel_block", "_leaves", "_replay", "_grow"):
    wrap(n)
for name, D, g, inp, tgt, lim in jobs:
    for r in range(3):
        s = CompiledBottomUpSearch(D, g, inp, tgt, Budget(timeout=None, max_candidates=1_500_000), lim, **opts)
        acc.clear()
        t = time.perf_counter(); out = s.run(); w = time.perf_counter() - t
    print(f"{name[:12]:12} total {w*1e3:6.1f}", " ".join(f"{k} {v*1e3:6.1f}" for k, v in acc.items()))
