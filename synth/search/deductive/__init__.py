"""Top-down (deductive) synthesis for spreadsheet text: Flash Fill's approach over the strings DSL.

The output of each example is split by witness functions into pieces that input-derived atoms
(token substrings, dates, numbers, constants) produce; a search over the product of the
examples' position graphs finds the cheapest program under a ranking that prefers input-derived,
token-based, general atoms, checked against the task's unlabeled rows.
"""
from __future__ import annotations

from synth.search.deductive.strategy import solve_deductive

__all__ = ["solve_deductive"]
