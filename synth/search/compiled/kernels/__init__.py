"""The numba kernels of the compiled engine, one module per domain, found through ``KERNELS``.

Each module implements the interface of ``synth.search.compiled.protocol`` for one domain's ops
and must agree exactly with the domain's reference ops (``synth/dsl/<domain>/ops.py``, the
single source of truth; ``tests/test_kernels_<domain>.py`` checks them). To give a domain
kernels, write ``synth/search/compiled/kernels/<domain>.py`` and add it to ``KERNELS``.
"""
from __future__ import annotations

import importlib
from types import ModuleType

#: domain name -> its kernel module (a domain not named here has no compiled kernels)
KERNELS: dict[str, str] = {
    "strings": "synth.search.compiled.kernels.strings",
    "deepcoder": "synth.search.compiled.kernels.deepcoder",
}


def kernel_module(domain_name: str) -> ModuleType | None:
    """The kernel module of ``domain_name``, or None (no kernels, or numba missing)."""
    module = KERNELS.get(domain_name)
    if module is None:
        return None
    try:
        return importlib.import_module(module)
    except ImportError:
        return None
