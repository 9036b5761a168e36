"""The ``kernel`` decorator: numba ``njit`` with an on-disk cache that is safe to use across modules.

Numba's ``cache=True`` keys a cached function on its own source file only, so a kernel that calls a
helper from another file would keep stale machine code after that helper changes. Every kernel of
synth is therefore cached in a directory named after a digest of *all* kernel source files (and
the numba version): any edit to any of them starts a fresh cache. The directory is the first
writable one of

1. ``$SYNTH_NUMBA_CACHE_DIR`` (or ``$NUMBA_CACHE_DIR``) if set,
2. ``__pycache__/`` next to this module (a source checkout),
3. the user cache directory (``$XDG_CACHE_HOME`` or ``~/.cache``) ``/synth/numba`` (a read-only
   install),
4. the system temporary directory,

and if none is writable (or ``SYNTH_NUMBA_NO_CACHE`` is set) the kernels are compiled in every
process (correct, only slower to start).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

import numba
from numba.core import config as _numba_config

_PACKAGE = Path(__file__).resolve().parents[2]  # the ``synth`` package directory
#: source files whose kernels call each other; a change to any of them invalidates the cache
_KERNEL_SOURCES = ("search/compiled/*.py", "dsl/*/kernels.py")


def _digest() -> str:
    h = hashlib.sha256(numba.__version__.encode())
    for pattern in _KERNEL_SOURCES:
        for path in sorted(_PACKAGE.glob(pattern)):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=directory).close()
        return True
    except OSError:
        return False


def _cache_dir() -> Path | None:
    name = f"synth-numba-{_digest()}"
    candidates = []
    explicit = os.environ.get("SYNTH_NUMBA_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        candidates.append(Path(explicit) / name)
    candidates.append(Path(__file__).resolve().parent / "__pycache__" / name)
    user_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates.append(Path(user_cache) / "synth" / "numba" / name)
    candidates.append(Path(tempfile.gettempdir()) / f"synth-numba-{os.getuid() if hasattr(os, 'getuid') else 0}" / name)
    for c in candidates:
        if _writable(c):
            return c
    return None


#: ``SYNTH_NUMBA_NO_CACHE=1`` compiles in every process (to inspect the generated code)
CACHE_DIR: Path | None = None if os.environ.get("SYNTH_NUMBA_NO_CACHE") else _cache_dir()

#: kernels never allocate arrays, so they run without numba's reference counting (``_nrt``): the
#: atomic reference-count updates on every array variable cost more than the work itself
_OPTIONS = dict(nogil=True, error_model="numpy", _nrt=False)


def kernel(fn: Callable | None = None, *, inline: bool = False) -> Callable:
    """``numba.njit`` with synth's cache directory (see the module docstring). ``inline``: inline
    the function into its callers at numba IR level (hot helpers with many array arguments)."""
    if fn is None:
        return lambda f: kernel(f, inline=inline)
    options = dict(_OPTIONS, inline="always") if inline else _OPTIONS
    if CACHE_DIR is None:
        return numba.njit(cache=False, **options)(fn)
    saved = _numba_config.CACHE_DIR
    _numba_config.CACHE_DIR = str(CACHE_DIR)
    try:
        return numba.njit(cache=True, **options)(fn)
    except RuntimeError:  # no cache locator could be used after all: compile per process
        return numba.njit(cache=False, **options)(fn)
    finally:
        _numba_config.CACHE_DIR = saved
