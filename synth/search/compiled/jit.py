"""The ``kernel`` decorator: numba ``njit`` with an on-disk cache that is safe to use across modules.

Numba's ``cache=True`` keys a cached function on its own source file only, so a kernel that calls a
helper from another file would keep stale machine code after that helper changes. Every kernel of
synth is therefore cached in a directory named after a digest of its own module, the shared
kernel sources (``synth/search/compiled/*.py``) and the numba version: an edit to any of them
starts a fresh cache. The directories live under the first writable one of

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
#: shared kernel sources: every kernel inlines code from these
_SHARED_SOURCES = "search/compiled/*.py"


def _digest(module_file: str) -> str:
    """A digest of the numba version, the shared kernel sources and the kernel's own module."""
    h = hashlib.sha256(numba.__version__.encode())
    paths = sorted(_PACKAGE.glob(_SHARED_SOURCES))
    own = Path(module_file).resolve()
    if own not in paths:
        paths.append(own)
    for path in paths:
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


def _cache_root() -> Path | None:
    """The first writable of the cache locations listed in the module docstring."""
    candidates = []
    explicit = os.environ.get("SYNTH_NUMBA_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        candidates.append(Path(explicit))
    candidates.append(Path(__file__).resolve().parent / "__pycache__")
    user_cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    candidates.append(Path(user_cache) / "synth" / "numba")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    candidates.append(Path(tempfile.gettempdir()) / f"synth-numba-{uid}")
    for c in candidates:
        if _writable(c):
            return c
    return None


#: ``SYNTH_NUMBA_NO_CACHE=1`` compiles in every process (to inspect the generated code)
CACHE_ROOT: Path | None = None if os.environ.get("SYNTH_NUMBA_NO_CACHE") else _cache_root()
_dirs: dict[str, Path | None] = {}


def cache_dir(module_file: str) -> Path | None:
    """Where the kernels of one module are cached (None: not cached)."""
    if module_file not in _dirs:
        d = None
        if CACHE_ROOT is not None:
            d = CACHE_ROOT / f"synth-numba-{_digest(module_file)}"
            if not _writable(d):
                d = None
        _dirs[module_file] = d
    return _dirs[module_file]


_OPTIONS = dict(nogil=True, error_model="numpy", _nrt=False)


def kernel(fn: Callable | None = None, *, inline: bool = False) -> Callable:
    """``numba.njit`` with synth's cache directory (see the module docstring). ``inline``: inline
    the function into its callers at numba IR level (hot helpers with many array arguments)."""
    if fn is None:
        return lambda f: kernel(f, inline=inline)
    options = dict(_OPTIONS, inline="always") if inline else _OPTIONS
    directory = cache_dir(fn.__code__.co_filename)
    if directory is None:
        return numba.njit(cache=False, **options)(fn)
    saved = _numba_config.CACHE_DIR
    _numba_config.CACHE_DIR = str(directory)
    try:
        return numba.njit(cache=True, **options)(fn)
    except RuntimeError:  # no cache locator could be used after all: compile per process
        return numba.njit(cache=False, **options)(fn)
    finally:
        _numba_config.CACHE_DIR = saved
