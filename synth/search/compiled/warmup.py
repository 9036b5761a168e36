"""Load (or, the first time, compile) every kernel a search calls.

numba compiles on the first call; with the on-disk cache (see ``jit``) later processes only load
the machine code (about a second). A search counts loading against its time budget but not a
first compilation (tens of seconds, once per installation and kernel version): ``was_warm``
says which happened. ``python -m synth.search.compiled.warmup`` compiles everything ahead of
time.
"""
from __future__ import annotations

import time

import numpy as np

_done: set[str] = set()
#: whether the last ``ensure_compiled`` of each key found the kernels compiled already
was_warm: dict[str, bool] = {}
#: seconds the last ``ensure_compiled`` call of each kernel module took (load or compile)
load_seconds: dict[str, float] = {}


def ensure_compiled(K, dtype=np.int32) -> float:
    """Make every kernel of module ``K`` (a domain's kernels) ready for sequence elements of
    ``dtype``; returns the seconds spent."""
    key = f"{K.__name__}:{np.dtype(dtype).name}"
    if key in _done:
        return 0.0
    from synth.search.compiled import protocol as Q
    from synth.search.compiled import table as T
    from synth.search.compiled.valuebank import ValueBank, target_bank

    from synth.search.compiled.jit import cache_dir

    t0 = time.perf_counter()
    directory = cache_dir(K.__file__)
    marker = None if directory is None else directory / f"ready-{np.dtype(dtype).name}"
    was_warm[key] = marker is not None and marker.exists()
    bank = ValueBank(T.SEQ, 1, max_len=4, capacity=4, dtype=dtype)
    scalar = ValueBank(T.SCALAR, 1, capacity=4, dtype=dtype)
    tbank = target_bank(T.SEQ, [np.zeros(1, np.int32)], dtype=dtype)
    T.rehash(bank.hashes, 0, np.zeros(4, np.int64), 1)
    bank.write([np.zeros(1, np.int32)])
    P = np.zeros(Q.P_LEN, np.int64)
    P[Q.P_M:Q.P_M + 4] = 1
    P[Q.P_OP] = Q.OP_COMMIT
    P[Q.P_E] = 1
    P[Q.P_FLAGS] = T.F_START | T.F_CONCAT | T.F_USEFUL | T.F_BRANCH
    ids = tuple(np.zeros(1, np.int64) for _ in range(4))
    els = tuple(bank.el for _ in range(4))
    ofs = tuple(bank.of for _ in range(4))
    ints = tuple(scalar.ints for _ in range(4))
    sizes = tuple(bank.vsize for _ in range(4))
    K.run_block(P, ids, els, ofs, ints, sizes, bank.el, bank.of, bank.ints, bank.table,
                bank.hashes, bank.vsize, bank.prov, bank.state, tbank.el, tbank.of, tbank.ints,
                bank.rec, bank.lo, bank.hi, bank.maskseen)
    _done.add(key)
    if marker is not None and not was_warm[key]:
        try:
            marker.touch()
        except OSError:
            pass
    load_seconds[key] = time.perf_counter() - t0
    return load_seconds[key]


def main() -> None:
    """Compile (or load) every domain's kernels for every element type, e.g. after installing."""
    from synth.dsl.deepcoder import kernels as deepcoder
    from synth.dsl.strings import kernels as strings

    for K, dtypes in ((strings, (np.uint8, np.int32)), (deepcoder, (np.int32,))):
        for dtype in dtypes:
            seconds = ensure_compiled(K, dtype)
            key = f"{K.__name__}:{np.dtype(dtype).name}"
            print(f"{key}: {'loaded' if was_warm[key] else 'compiled'} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
