"""Where a value bank's memory comes from, and its reuse by later searches in the same process.

A bank's big arrays are anonymous memory maps on transparent huge pages (its hash table is probed
at random, where 4 KiB pages cost a TLB miss each). Memory touched for the first time is slow on a
virtual machine: about 1.3 ms per MiB here (the page fault and the zeroing), and slower still right
after other work has fragmented physical memory. So the maps of banks that are gone are kept, up to
``RETAIN_BYTES`` of touched memory in all, and handed to the next search that asks for as much; the
part that was written is zeroed again first (a ``memset`` of mapped memory), so a reused array reads
exactly like a fresh one. Maps beyond the limit are unmapped when the next search allocates, just
before it maps its own (benchmarks/RESULTS.md section 2 measures both effects).

A map is reused only once nothing can reach its old contents: a bank gives its arrays back when it
is deleted (``give_back``), and the map waits until no array that views it is left alive (its
reference count says so) before ``zeros`` or ``reserve`` hand it out again.
"""
from __future__ import annotations

import mmap
import os
import sys
import threading

import numpy as np

#: arrays from this many bytes on are memory maps on transparent huge pages (smaller: ``np.zeros``)
HUGE_MIN = 2 << 20
#: values, and bytes of sequence elements, a bank reserves address space for (see ``reserve``)
RESERVED_VALUES = 1 << 24
RESERVED_BYTES = 8 << 30
#: touched bytes of free maps kept for reuse, at most (the rest is unmapped); ``$SYNTH_RETAIN_MB``
#: sets it (0: no reuse, every search maps fresh memory as before)
RETAIN_BYTES = int(float(os.environ.get("SYNTH_RETAIN_MB", 1024)) * 2**20)
_MAP_NORESERVE = 0x4000  # Linux: do not count the mapping against the commit limit


class _Map:
    """One anonymous map. ``touched``: how many bytes from its start may have been written (and
    so are resident, and perhaps not zero); ``lent``: the size of the array it now backs."""
    __slots__ = ("buf", "nbytes", "reserved", "touched", "lent")

    def __init__(self, nbytes: int, reserved: bool):
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | (_MAP_NORESERVE if reserved else 0)
        self.buf = mmap.mmap(-1, nbytes, flags=flags)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            try:
                self.buf.madvise(mmap.MADV_HUGEPAGE)
            except OSError:
                pass
        self.nbytes = nbytes
        self.reserved = reserved
        self.touched = 0
        self.lent = 0


class _Pool:
    """The maps handed out (by the id of their mmap), those given back but perhaps still viewed,
    and the free ones."""

    def __init__(self):
        self.lock = threading.RLock()  # a bank deleted by the collector inside take() gives back
        self.out: dict[int, _Map] = {}
        self.returned: list[_Map] = []
        self.free: list[_Map] = []

    def _settle(self, limit: int | None = None) -> None:
        """Move returned maps that no array views any more to ``free``; unmap what exceeds
        ``limit`` (default ``RETAIN_BYTES``) of touched bytes."""
        limit = RETAIN_BYTES if limit is None else min(limit, RETAIN_BYTES)
        still = []
        for m in self.returned:
            # references: the _Map's slot and getrefcount's argument; any more is an array
            (still if sys.getrefcount(m.buf) > 2 else self.free).append(m)
        self.returned = still
        self.free.sort(key=lambda m: m.nbytes)
        kept, total = [], 0
        for m in self.free:
            if total + m.touched <= limit:
                kept.append(m)
                total += m.touched
            else:
                try:
                    m.buf.close()
                except BufferError:  # cannot happen for an unviewed map; then let it go
                    pass
        self.free = kept

    def take(self, nbytes: int, reserved: bool) -> _Map:
        with self.lock:
            self._settle()
            for i, m in enumerate(self.free):  # sorted by size: the smallest that fits
                if m.reserved == reserved and m.nbytes >= nbytes:
                    del self.free[i]
                    break
            else:
                m = _Map(nbytes, reserved)
            if m.touched:  # every byte the new array can see that may not be zero
                np.frombuffer(m.buf, np.uint8, count=min(m.touched, nbytes))[:] = 0
            m.lent = nbytes
            self.out[id(m.buf)] = m
            return m

    def give_back(self, a: np.ndarray, written: int | None) -> None:
        base = a
        while isinstance(base, np.ndarray):
            base = base.base
        if isinstance(base, memoryview):
            base = base.obj
        if not isinstance(base, mmap.mmap):
            return
        with self.lock:
            m = self.out.pop(id(base), None)
            if m is None:
                return
            w = m.lent if written is None else min(m.lent, max(0, int(written)))
            m.touched = max(m.touched, w)
            self.returned.append(m)

    def trim(self, limit: int) -> None:
        with self.lock:
            self._settle(limit)

    def retained_bytes(self) -> int:
        """Touched bytes of the free maps (what reuse keeps resident)."""
        with self.lock:
            self._settle()
            return sum(m.touched for m in self.free)


_POOL = _Pool()


def _array(m: _Map, shape, dtype: np.dtype, count: int) -> np.ndarray:
    return np.frombuffer(m.buf, dtype=dtype, count=count).reshape(shape)


def zeros(shape, dtype) -> np.ndarray:
    """``np.zeros``; from ``HUGE_MIN`` bytes on a (reused) map on transparent huge pages."""
    dtype = np.dtype(dtype)
    count = int(np.prod(shape))
    nbytes = count * dtype.itemsize
    if nbytes < HUGE_MIN or not hasattr(mmap, "MAP_ANONYMOUS"):  # small, or no anonymous maps
        return np.zeros(shape, dtype)
    return _array(_POOL.take(nbytes, reserved=False), shape, dtype, count)


def reserve(shape, dtype) -> np.ndarray:
    """A zero array of this shape whose memory is only address space until it is written: an
    anonymous private map without swap reservation (Linux), on transparent huge pages."""
    dtype = np.dtype(dtype)
    count = int(np.prod(shape))
    return _array(_POOL.take(count * dtype.itemsize, reserved=True), shape, dtype, count)


def give_back(a: np.ndarray, written: int | None = None) -> None:
    """Array ``a`` (from ``zeros`` or ``reserve``; anything else is ignored) is no longer used by
    its owner; ``written``: how many bytes from its start were written, if known (else all).
    Its map is reused once no array views it any more."""
    _POOL.give_back(a, written)


def retained_bytes() -> int:
    """Touched bytes of the maps kept for reuse (resident, but used by no search)."""
    return _POOL.retained_bytes()


def trim(limit_bytes: int) -> None:
    """Unmap kept maps beyond ``limit_bytes`` of touched memory: a search with a tight memory
    budget (the process's resident size) is not charged for memory it would not reuse."""
    _POOL.trim(max(0, int(limit_bytes)))


_reservable: list[bool] = []


def can_reserve() -> bool:
    """Whether ``reserve`` works here (Linux, with enough address space)."""
    if not _reservable:
        ok = sys.platform.startswith("linux")
        if ok:
            try:
                give_back(reserve((RESERVED_BYTES,), np.uint8), 0)
            except (OSError, ValueError, OverflowError):
                ok = False
        _reservable.append(ok)
    return _reservable[0]
