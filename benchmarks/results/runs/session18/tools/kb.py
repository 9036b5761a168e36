import sys, time
sys.path.insert(0, "/work/main/benchmarks")
import throughput as tp
from synth.search.compiled import CompiledBottomUpSearch
from synth.search.compiled.kernels import strings as sk
from synth.search.compiled.warmup import ensure_kernels
from synth.search.budget import Budget
ensure_kernels(sk)
jobs = list(tp.strings_jobs())
opts = dict(concat_shortcut=False, cond_shortcut=False, decompose=False)
name, D, g, inp, tgt, lim = jobs[2]
s = CompiledBottomUpSearch(D, g, inp, tgt, Budget(timeout=None, max_candidates=200000), lim, **opts)
s.run()
# find a production with a kernel code and 2 args
for pi, prod in enumerate(s.grammar.productions):
    if s.codes[pi] is not None and len(prod.args) == 2:
        break
lists = [s._ids(a, 1) if s.bank[a] and len(s.bank[a]) > 1 and len(s.bank[a][1]) else s._ids(a, 0) for a in prod.args]
print(prod, [len(l) for l in lists])
code = s.codes[pi]
for _ in range(3):
    t = time.perf_counter()
    for i in range(1000):
        s._kernel_block(pi, prod, code, lists, 0, 0 + 1, 0, 10)
    print("kernel_block us", (time.perf_counter() - t) / 1000 * 1e6)
