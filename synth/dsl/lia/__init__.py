"""The ``lia`` domain: integer linear arithmetic with booleans. Its programs are formulas (loop
invariants); a formula run on a state (one value per variable) says whether the state satisfies it.

Tasks are loops (``pre``, ``guard``, ``body``, ``post``; the JSON task format of ``synth.task``), SyGuS ``synth-inv`` files
and the C programs of Code2Inv (``synth.io.c_loops``); strategy ``cegis`` finds invariants that
Z3 proves (``synth.search.cegis``).
"""
from __future__ import annotations

from typing import Any, Mapping

from synth.dsl.base import Domain, Node, Program
from synth.dsl.lia import ops as _ops
from synth.dsl.lia.syntax import GRAMMAR_FILE, format_expr, parse_expr, to_smtlib


class LiaDomain(Domain):
    name = "lia"
    description = ("Integer linear arithmetic with booleans: loop invariants from loops, SyGuS "
                   "synth-inv files and Code2Inv C programs, proved with Z3")
    types = ("Int", "Bool")
    ops = {op.name: op for op in _ops.LIA_OPS}
    op_sets = {"all": tuple(ops)}
    default_op_set = "all"
    grammar_file = GRAMMAR_FILE

    def type_of(self, value: Any) -> str:
        if isinstance(value, bool):
            return "Bool"
        if isinstance(value, int):
            return "Int"
        raise TypeError(f"the lia domain has no type for {type(value).__name__} value {value!r}")

    def evaluate(self, node: Node, env: Mapping[str, Any]) -> Any:
        from synth.dsl.lia.statements import eval_expr

        try:
            return eval_expr(node, env)
        except (KeyError, ArithmeticError):
            return None

    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> Program:
        bools = [k for k, v in (var_types or {}).items() if v == "Bool"]
        return Program(parse_expr(text, bools), self)

    def format(self, node: Node) -> str:
        return format_expr(node)

    def to_smtlib(self, node: Node) -> str:
        return to_smtlib(node)


DOMAIN = LiaDomain()
