"""Session set-up: compile (or load) the search kernels once, before any test times a search.

Without this, whichever test first ran a strings search on a machine with an empty numba cache
would run the pure-Python engine while a background process compiles (see
``synth.search.compiled.warmup``): correct, but slower and with the compiled paths untested.
"""
from __future__ import annotations


def pytest_sessionstart(session) -> None:
    try:
        from synth.search.compiled.warmup import ensure_compiled
    except ImportError:  # numba missing: the pure-Python engine is what runs
        return
    ensure_compiled({"strings", "deepcoder"}, strategy="bottom-up",
                    progress=lambda line: print(f"\n{line}", flush=True))
