"""The budget helpers of the search contract, and the one place the default limits are set."""
import inspect
import time

import pytest

import synth
from synth import deadline
from synth.bench import solve_many
from synth.records import BenchConfig
from synth.search.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Budget, Clock


def test_remaining_is_the_budget_less_what_was_spent():
    b = Budget(timeout=10.0, max_candidates=100, max_memory_mb=512.0, max_size=7)
    rest = b.remaining(4.0, 30)
    assert rest == Budget(timeout=6.0, max_candidates=70, max_memory_mb=512.0, max_size=7)
    assert b.remaining(9.96, 0) is None               # at most min_seconds left
    assert b.remaining(9.96, 0, min_seconds=0.0).timeout == pytest.approx(0.04)
    assert b.remaining(1.0, 100) is None              # no candidate left
    assert Budget(timeout=None).remaining(5.0) == Budget(timeout=None)


def test_remaining_within_a_cap():
    b = Budget(timeout=10.0)
    assert b.remaining(1.0, cap=3.0).timeout == 3.0
    assert b.remaining(1.0, cap=20.0).timeout == 9.0
    assert Budget(timeout=None).remaining(1.0, cap=2.5).timeout == 2.5   # the cap bounds no limit too
    assert b.remaining(1.0, cap=0.0, min_seconds=0.0) is None


def test_share():
    b = Budget(timeout=8.0, max_candidates=50)
    assert b.share(0.25) == Budget(timeout=2.0, max_candidates=50)
    assert Budget(timeout=None).share(0.5) == Budget(timeout=None)


def test_clock_time_left():
    assert Clock(Budget(timeout=None)).time_left() is None
    left = Clock(Budget(timeout=5.0)).time_left()
    assert 4.0 < left <= 5.0
    with deadline.until(1.0):  # the whole solve's deadline bounds a search's
        assert Clock(Budget(timeout=5.0)).time_left() <= 1.0
    c = Clock(Budget(timeout=1e-6))
    time.sleep(0.001)
    assert c.time_left() < 0


def _default(fn, name):
    return inspect.signature(fn).parameters[name].default


def test_the_default_limits_are_set_once():
    assert (DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY_MB) == (10.0, 4096.0)
    assert (Budget().timeout, Budget().max_memory_mb) == (DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY_MB)
    for fn in (synth.solve, solve_many):
        assert _default(fn, "timeout") == DEFAULT_TIMEOUT
        assert _default(fn, "max_memory_mb") == DEFAULT_MAX_MEMORY_MB
    assert _default(synth.synthesize, "timeout") == DEFAULT_TIMEOUT
    assert BenchConfig().max_memory_mb == DEFAULT_MAX_MEMORY_MB
    from synth.cli import main
    for command in ("solve", "fill"):
        params = {p.name: p for p in main.commands[command].params}
        assert params["timeout"].default == DEFAULT_TIMEOUT
        if "max_memory_mb" in params:
            assert params["max_memory_mb"].default == DEFAULT_MAX_MEMORY_MB


def test_ticker_counts_and_stops_at_the_candidate_budget():
    """``Ticker`` adds every candidate to its clock and raises ``BudgetExceeded`` at the first
    check after the budget is spent (it checks every ``every`` candidates)."""
    from synth.search.budget import Ticker
    from synth.search.contract import BudgetExceeded
    clock = Clock(Budget(timeout=None, max_candidates=100))
    tick = Ticker(clock, every=10)
    for _ in range(99):
        tick()
    assert clock.candidates == 99
    with pytest.raises(BudgetExceeded):
        tick()
    tick2 = Ticker(Clock(Budget(timeout=None, max_candidates=100)), every=64)
    tick2(63)
    tick2(1)  # 64 candidates, under the budget: no exception
    assert tick2.clock.candidates == 64
