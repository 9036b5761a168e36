"""Run numba kernels as plain Python while their machine code is not yet on this machine.

Compiling synth's kernels takes tens of seconds, once per machine (then numba's on-disk cache
loads them in about a second). A first search must not wait for that: until the kernels are
compiled (see ``synth.search.compiled.warmup``), the searches run their pure-Python engine, and
the few numba functions that pure-Python searches call too (the neural guide's signatures and
heuristics) run as their plain-Python source through ``active``. Both give the same values.

This module sits at the bottom of the package: it imports nothing from synth.
"""
from __future__ import annotations

import types
from typing import Any, Callable

_pure_python = False
#: id of a module's globals -> that module's namespace with every numba dispatcher replaced by
#: its plain-Python twin (so that a twin's calls to other kernels stay in Python too)
_namespaces: dict[int, dict[str, Any]] = {}
_twins: dict[int, Callable] = {}


def set_pure_python(flag: bool) -> None:
    """Whether ``active`` hands out plain-Python twins (True) or the numba dispatchers."""
    global _pure_python
    _pure_python = bool(flag)


def pure_python() -> bool:
    return _pure_python


def _is_dispatcher(obj: Any) -> bool:
    return callable(obj) and hasattr(obj, "py_func") and hasattr(obj, "signatures")


def _namespace(globs: dict[str, Any]) -> dict[str, Any]:
    ns = _namespaces.get(id(globs))
    if ns is None:
        ns = _namespaces[id(globs)] = dict(globs)  # registered first: kernels may call each other
        for name, value in list(globs.items()):
            if _is_dispatcher(value):
                ns[name] = _twin_of(value.py_func)
    return ns


def _twin_of(py: Callable) -> Callable:
    twin = _twins.get(id(py))
    if twin is None:
        ns = _namespace(py.__globals__)
        twin = _twins.get(id(py))  # building the namespace may have made it
        if twin is None:
            twin = types.FunctionType(py.__code__, ns, py.__name__, py.__defaults__, py.__closure__)
            _twins[id(py)] = twin
    return twin


def python_twin(dispatcher: Callable) -> Callable:
    """The plain-Python version of a numba function, calling plain-Python kernels only."""
    return _twin_of(dispatcher.py_func) if _is_dispatcher(dispatcher) else dispatcher


def active(dispatcher: Callable) -> Callable:
    """``dispatcher`` itself, or its plain-Python twin while pure-Python mode is on."""
    return python_twin(dispatcher) if _pure_python else dispatcher
