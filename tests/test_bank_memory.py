"""Reuse of value-bank memory across searches (``synth.search.compiled.memory``): a reused array
must read exactly like fresh zeroed memory, memory still viewed by a live array is never handed
out again, and what is kept for reuse can be trimmed."""
from __future__ import annotations

import gc
import mmap

import numpy as np
import pytest

pytest.importorskip("numba")

from synth.search.compiled import memory as M  # noqa: E402
from synth.search.compiled import table as T  # noqa: E402
from synth.search.compiled.valuebank import ValueBank  # noqa: E402

pytestmark = pytest.mark.skipif(not M.can_reserve(), reason="needs anonymous memory maps (Linux)")

E, LEN, N = 2, 3, 10


def _map_of(a: np.ndarray) -> mmap.mmap:
    base = a
    while isinstance(base, np.ndarray):
        base = base.base
    return base.obj if isinstance(base, memoryview) else base


def _used_bank() -> ValueBank:
    """A bank as a search leaves it: N values of LEN elements per example, one more being built,
    every array written where a kernel would write."""
    bank = ValueBank(T.SEQ, E, max_len=8, capacity=1 << 17, dtype=np.uint8)
    bank.of[:(N + 1) * E + 1] = np.arange((N + 1) * E + 1) * LEN
    bank.el[:(N + 1) * E * LEN] = 7
    bank.vsize[:N + 1] = 3
    bank.prov[:N + 1] = 4
    bank.table[:] = 9
    bank.state[T.N] = N
    return bank


def _fresh_pool(monkeypatch):
    monkeypatch.setattr(M, "_POOL", M._Pool())
    gc.collect()


def test_reused_memory_reads_as_fresh(monkeypatch):
    _fresh_pool(monkeypatch)
    bank = _used_bank()
    maps = {name: id(_map_of(getattr(bank, name))) for name in ("el", "of", "table", "vsize", "prov")}
    del bank
    new = ValueBank(T.SEQ, E, max_len=8, capacity=1 << 17, dtype=np.uint8)
    assert {id(_map_of(getattr(new, n))) for n in maps} == set(maps.values()), "the maps were not reused"
    assert not new.of[:1000].any() and not new.el[:1000].any() and not new.table.any()
    assert not new.vsize[:100].any() and not new.prov[:100].any()
    assert new.n == 0 and new.room()


def test_memory_still_viewed_is_not_reused(monkeypatch):
    _fresh_pool(monkeypatch)
    bank = _used_bank()
    view = bank.el[:N * E * LEN]
    old = _map_of(bank.el)
    del bank
    new = ValueBank(T.SEQ, E, max_len=8, capacity=1 << 17, dtype=np.uint8)
    assert _map_of(new.el) is not old
    new.el[:100] = 1
    assert (view == 7).all()
    del view, new
    gc.collect()
    again = ValueBank(T.SEQ, E, max_len=8, capacity=1 << 17, dtype=np.uint8)
    assert not again.el[:100].any()  # whichever free map it took


def test_kept_memory_is_bounded_and_trimmed(monkeypatch):
    _fresh_pool(monkeypatch)
    bank = _used_bank()
    del bank
    assert M.retained_bytes() >= 2 << 20  # at least the written 2 MiB hash table
    M.trim(0)
    assert M.retained_bytes() == 0
    monkeypatch.setattr(M, "RETAIN_BYTES", 0)  # what SYNTH_RETAIN_MB=0 sets: no reuse at all
    bank = _used_bank()
    del bank
    assert M.retained_bytes() == 0 and not M._POOL.free


def test_searches_in_one_process_agree_with_a_fresh_one():
    """The same search twice in a row (the second on the first one's memory) finds the same
    program with the same counts as with no reuse."""
    from synth.dsl import get_domain
    from synth.search.budget import Budget
    from synth.search.compiled import CompiledBottomUpSearch
    from synth.search.enumerative import limits_for, task_grammar
    from synth.task import Example, Task

    D = get_domain("strings")
    task = Task(name="t", domain="strings", examples=[
        Example({"s": "john smith"}, "J. Smith"), Example({"s": "ada lovelace"}, "A. Lovelace")])
    outs = []
    for _ in range(3):
        s = CompiledBottomUpSearch(D, task_grammar(task, D), [dict(e.inputs) for e in task.examples],
                                   [e.output for e in task.examples], Budget(timeout=None, max_candidates=300_000),
                                   limits_for(task), concat_shortcut=False, cond_shortcut=False, decompose=False)
        out = s.run()
        outs.append((out.status, str(out.node), out.candidates, out.values))
        del s
    assert outs[0] == outs[1] == outs[2]
