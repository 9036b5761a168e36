"""Concrete whole-string matching with Python's ``re`` (compiled patterns are cached)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from synth.dsl.base import Node
from synth.dsl.regex.syntax import to_python_pattern


@lru_cache(maxsize=4096)
def compile_node(node: Node) -> re.Pattern:
    return re.compile(to_python_pattern(node))


def matches(node: Node, s: str) -> bool:
    """Whether the regex accepts the whole string ``s``."""
    return compile_node(node).fullmatch(s) is not None


def fits_examples(node: Node, positive: Iterable[str], negative: Iterable[str]) -> bool:
    pat = compile_node(node)
    return all(pat.fullmatch(s) is not None for s in positive) and \
        all(pat.fullmatch(s) is None for s in negative)
