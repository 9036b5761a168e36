"""Compile the search kernels once per machine, never inside a task's budget unseen.

numba compiles a kernel on its first call (tens of seconds for the strings engine); numba's
on-disk cache (see ``jit``) then loads it in about a second in every later process. So:

- ``ensure_compiled(domains, progress)`` compiles (or loads) every kernel the searches of those
  domains call, in the calling process, saying so through ``progress`` when it must compile.
  ``synth bench`` and ``synth solve --jobs N`` call it before forking workers, which then
  inherit the loaded kernels instead of each compiling them inside its time limit.
- ``ready(domain)`` says whether they are compiled on this machine (a marker written after a
  complete compilation, keyed by the kernel sources and the numba version).
- Until then a search with ``engine="auto"`` runs the pure-Python engine (same programs) and
  ``start_background`` compiles in a detached process, so that a first ``synth solve`` answers
  at once and the next one runs compiled. One compilation runs at a time (a file lock).

``python -m synth.search.compiled.warmup [DOMAIN ...]`` compiles ahead of time.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

log = logging.getLogger("synth")

_PACKAGE = Path(__file__).resolve().parents[2]
#: every source file whose numba code a domain's searches run (the marker's key)
_SOURCES = ("search/compiled/*.py", "search/compiled/kernels/*.py", "neural/signatures.py", "neural/heuristics.py")
#: domains whose searches run numba kernels, and the strategies (besides ``auto``'s choice)
#: that use them: deepcoder's own searches are plain Python, only ``bottom-up`` is compiled
KERNEL_DOMAINS: dict[str, tuple[str, ...]] = {
    "strings": ("auto", "bottom-up", "guided"),
    "deepcoder": ("bottom-up", "guided"),
}

#: seconds compiling each domain's kernels took on a 2-core machine (the CI's kind; measured
#: with an empty cache at the commit that set them: strings 95 = 43 + 50 for its two element
#: types + 3 for the guide's kernels)
COMPILE_SECONDS = {"strings": 95, "deepcoder": 10}

_done: set[str] = set()
_ready: set[str] = set()
#: whether the last ``ensure_kernels`` of each key found the kernels compiled already
was_warm: dict[str, bool] = {}
#: seconds the last ``ensure_kernels`` call of each kernel module took (load or compile)
load_seconds: dict[str, float] = {}
_digest: str | None = None


def _sources_digest() -> str:
    global _digest
    if _digest is None:
        import numba

        h = hashlib.sha256(f"{numba.__version__} {sys.version_info[:2]}".encode())
        for pattern in _SOURCES:
            for path in sorted(_PACKAGE.glob(pattern)):
                h.update(str(path.relative_to(_PACKAGE)).encode())
                h.update(path.read_bytes())
        _digest = h.hexdigest()[:16]
    return _digest


def _cache_root() -> Path | None:
    from synth.search.compiled.jit import CACHE_ROOT
    return CACHE_ROOT


def _marker(domain: str) -> Path | None:
    root = _cache_root()
    return None if root is None else root / f"synth-ready-{domain}-{_sources_digest()}"


def needs_kernels(domain: str, strategy: str = "auto") -> bool:
    """Whether searching ``domain`` with ``strategy`` runs numba kernels."""
    return strategy in KERNEL_DOMAINS.get(domain, ())


def cacheable() -> bool:
    """Whether compiled kernels can be kept on disk here (else every process compiles)."""
    return _cache_root() is not None


def ready(domain: str) -> bool:
    """Whether ``domain``'s kernels are compiled on this machine (or loaded in this process)."""
    if domain in _ready or domain not in KERNEL_DOMAINS:
        return True
    marker = _marker(domain)
    if marker is not None and marker.exists():
        _ready.add(domain)
        return True
    return False


@contextlib.contextmanager
def _compile_lock(blocking: bool = True):
    """Holds the machine-wide compilation lock (yields False if ``blocking`` is off and another
    process holds it). Without a cache directory or ``fcntl`` there is nothing to share."""
    root = _cache_root()
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield True
        return
    if root is None:
        yield True
        return
    with open(root / "synth-compile.lock", "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _about(seconds: float) -> str:
    """How long compiling takes, in words."""
    if seconds < 45:
        return f"about {seconds:.0f} s"
    if seconds < 90:
        return "about a minute"
    return f"about {seconds / 60:.0f} min"


def ensure_compiled(domains: Iterable[str], progress: Callable[[str], None] | None = None,
                    strategy: str = "auto") -> float:
    """Compile (first time on this machine) or load every kernel that searching ``domains``
    with ``strategy`` calls, in this process. ``progress`` gets one line when compiling is
    needed. A no-op without numba. Returns the seconds spent."""
    todo = sorted(d for d in set(domains) if needs_kernels(d, strategy) and d not in _done)
    if not todo:
        return 0.0
    try:
        import numba  # noqa: F401
    except ImportError:
        return 0.0
    t0 = time.perf_counter()
    cold = [d for d in todo if not ready(d)]
    if cold and progress is not None:
        progress(f"compiling search kernels for {', '.join(cold)} (first run on this machine only, "
                 f"{_about(sum(COMPILE_SECONDS.get(d, 10) for d in cold))})…")
    # loading what is compiled needs no lock (a marker is written after its kernels are cached
    # whole): a run does not wait silently for another process compiling some other domain
    with _compile_lock() if cold else contextlib.nullcontext():
        for d in todo:
            _warm_domain(d)
    return time.perf_counter() - t0


def _warm_domain(domain: str) -> None:
    """Call every kernel of ``domain``'s searches once, then write its ready marker."""
    if domain == "strings":
        from synth.search.compiled.kernels import strings as K
        for dtype in (np.uint8, np.int32):
            ensure_kernels(K, dtype)
        _warm_neural()
    elif domain == "deepcoder":
        from synth.search.compiled.kernels import deepcoder as K
        ensure_kernels(K, np.int32)
    _done.add(domain)
    _ready.add(domain)
    marker = _marker(domain)
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.touch()


def _warm_neural() -> None:
    """The guide's property and heuristic kernels (guided search calls them on every level)."""
    from synth.neural.heuristics import string_heuristic
    from synth.neural.signatures import OutputContext, StringGatherer, encode_values, value_signatures

    ctx = OutputContext(["ab"], [{"x": "a b"}])
    codes, lens = encode_values("String", [("a",), ("b c",)], 1)
    value_signatures("String", None, ctx, encoded=(codes, lens))
    string_heuristic(codes, lens, ctx.codes, ctx.lens, 1)
    StringGatherer().gather(np.array([0, 1, 2], np.int64), np.array([97, 98], np.uint8),
                            np.array([0, 1], np.int64), 1)


def ensure_kernels(K, dtype=np.int32) -> float:
    """Make every kernel of module ``K`` (a domain's kernels) ready for sequence elements of
    ``dtype``; returns the seconds spent."""
    key = f"{K.__name__}:{np.dtype(dtype).name}"
    if key in _done:
        return 0.0
    from synth.search.compiled import protocol as Q
    from synth.search.compiled import table as T
    from synth.search.compiled.jit import cache_dir
    from synth.search.compiled.valuebank import ValueBank, target_bank

    t0 = time.perf_counter()
    directory = cache_dir(K.__file__)
    marker = None if directory is None else directory / f"ready-{np.dtype(dtype).name}"
    was_warm[key] = marker is not None and marker.exists()
    bank = ValueBank(T.SEQ, 1, max_len=4, capacity=4, dtype=dtype)
    scalar = ValueBank(T.SCALAR, 1, capacity=4, dtype=dtype)
    tbank = target_bank(T.SEQ, [np.zeros(1, np.int32)], dtype=dtype)
    T.rehash(bank.table, np.zeros(2 * len(bank.table), np.int64), 2 * len(bank.table) - 1)
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
                bank.vsize, bank.prov, bank.state, tbank.el, tbank.of, tbank.ints,
                bank.rec, bank.lo, bank.hi, bank.maskseen)
    _done.add(key)
    if marker is not None and not was_warm[key]:
        with contextlib.suppress(OSError):
            marker.touch()
    load_seconds[key] = time.perf_counter() - t0
    return load_seconds[key]


def start_background(domain: str) -> bool:
    """Start compiling ``domain``'s kernels in a detached process (unless they are ready, cannot
    be cached, another process is compiling, or ``SYNTH_BACKGROUND_COMPILE=0``). Returns
    whether one was started."""
    if ready(domain) or not cacheable() or domain not in KERNEL_DOMAINS \
            or os.environ.get("SYNTH_BACKGROUND_COMPILE", "1") == "0":
        return False
    with _compile_lock(blocking=False) as free:
        if not free:
            return False
    env = dict(os.environ)
    env.pop("SYNTH_ENGINE", None)
    try:
        subprocess.Popen([sys.executable, "-m", "synth.search.compiled.warmup", "--quiet", domain],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, env=env,
                         cwd=str(_PACKAGE.parent))
    except OSError:
        return False
    log.info("compiling search kernels in the background (first run on this machine only); "
             "until they are ready, searches run the pure-Python engine")
    return True


def main(argv: list[str] | None = None) -> int:
    """Compile (or load) the kernels of the named domains (default: all), e.g. after installing."""
    args = list(sys.argv[1:] if argv is None else argv)
    quiet = "--quiet" in args
    domains = [a for a in args if not a.startswith("-")] or sorted(KERNEL_DOMAINS)
    for d in domains:
        t0 = time.perf_counter()
        with _compile_lock(blocking=not quiet) as free:
            if not free:  # another process is compiling them
                continue
            was = ready(d)
            _warm_domain(d)
        if not quiet:
            print(f"{d}: {'loaded' if was else 'compiled'} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
