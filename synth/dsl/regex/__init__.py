"""The ``regex`` domain: regular expressions over strings, synthesized from accepted (positive) and
rejected (negative) strings and checked with Z3's regex theory.

A program is a regex; run on an input ``s`` it answers whether ``s`` matches as a whole.
"""
from __future__ import annotations

from typing import Any, Mapping

from synth.dsl.base import Domain, Node, Program
from synth.dsl.regex import ops as _ops
from synth.dsl.regex.syntax import GRAMMAR_FILE, format_regex, parse_regex, to_python_pattern
from synth.dsl.values import scalar_type


class RegexDomain(Domain):
    name = "regex"
    description = ("Regular expressions (literals, classes, concatenation, union, * + ? {n,m}) "
                   "from positive and negative strings; answers checked with Z3")
    types = ("Regex", "Int")
    ops = {op.name: op for op in _ops.REGEX_OPS}
    op_sets = {"all": tuple(ops)}
    default_op_set = "all"
    grammar_file = GRAMMAR_FILE

    def type_of(self, value: Any) -> str:
        t = scalar_type(value)
        if t is not None:
            return t
        raise TypeError(f"the regex domain has no type for {type(value).__name__} value {value!r}")

    def evaluate(self, node: Node, env: Mapping[str, Any]) -> Any:
        """Whole-string match of the input ``s`` (the only input a regex has)."""
        from synth.dsl.regex.matcher import matches

        s = env.get("s")
        if not isinstance(s, str):
            return None
        return matches(node, s)

    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> Program:
        return Program(parse_regex(text), self)

    def format(self, node: Node) -> str:
        return format_regex(node)

    def to_python_re(self, node: Node) -> str:
        return to_python_pattern(node)

    def renderings(self, program: Program) -> dict:
        """``Domain.renderings`` and ``"python-re"``: the pattern for Python's ``re.fullmatch``."""
        from functools import partial

        return {**super().renderings(program), "python-re": partial(self.to_python_re, program.node)}


DOMAIN = RegexDomain()
