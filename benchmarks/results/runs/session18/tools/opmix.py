import sys, time, os, collections
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
cnt = collections.Counter(); tm = collections.Counter(); newv = collections.Counter()
orig = EN.CompiledBottomUpSearch._kernel_block
def w(self, pi, prod, code, lists, pos, end, base, N):
    t = time.perf_counter(); n0 = self.banks[prod.result].n
    r = orig(self, pi, prod, code, lists, pos, end, base, N)
    key = (prod.op, prod.result, tuple(prod.args))
    cnt[key] += (r[1] if r[0] != 0 else end) - pos; tm[key] += time.perf_counter() - t
    newv[key] += self.banks[prod.result].n - n0
    return r
EN.CompiledBottomUpSearch._kernel_block = w
idx = [int(x) for x in sys.argv[1].split(",")]
for i in idx:
    name, D, g, inp, tgt, lim = jobs[i]
    for r in range(2):
        cnt.clear(); tm.clear(); newv.clear()
        s = CompiledBottomUpSearch(D, g, inp, tgt, Budget(timeout=None, max_candidates=1_500_000), lim, **opts)
        out = s.run()
    print(name, "E =", len(inp))
    for k, c in sorted(cnt.items(), key=lambda kv: -tm[kv[0]])[:14]:
        print(f"  {str(k[0]):14} {k[1]:6} {str(k[2]):32} {c:>9,} cand {newv[k]:>8,} new {tm[k]*1e3:6.1f} ms {tm[k]/max(c,1)*1e9:6.1f} ns/cand")
