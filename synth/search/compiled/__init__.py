"""The compiled search path: numba kernels evaluate and deduplicate whole blocks of candidate
programs over contiguous value banks (see ``engine.CompiledBottomUpSearch``)."""
from __future__ import annotations

from synth.search.compiled.engine import CompiledBottomUpSearch, kernels_for, unsupported_reason

__all__ = ["CompiledBottomUpSearch", "kernels_for", "unsupported_reason"]
