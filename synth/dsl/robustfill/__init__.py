"""The ``robustfill`` domain: ExeDec's RobustFill string-transformation DSL.

A program is ``Concat(e1, ..., en)`` (1 <= n <= 10); every expression reads the one string input.
In our AST an expression is an ``Apply`` whose last argument is the input ``Var`` (or, for a
Compose, the inner expression), so ``Compose(ToCase(PROPER), GetToken(WORD, 1))`` is the node
``ToCase(PROPER, GetToken(WORD, 1, x))``. Regex arguments are stored as Python patterns.
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from lark import Lark, Tree
from lark.exceptions import LarkError

from synth.dsl.base import Apply, Const, Domain, Node, Program, Var
from synth.dsl.robustfill import ops as _ops
from synth.dsl.robustfill.ops import (BOUNDARIES, CASES, DELIMITER, CHARACTER, MODIFICATION_NAMES,
                                      SUBSTRING_NAMES, TYPE_PATTERNS, delimiter_pattern, regex_text)
from synth.errors import InvalidTask, ProgramSyntaxError, UnknownOp

#: most expressions in one Concat, as in ExeDec
MAX_EXPRESSIONS = 10


class _Bad(Exception):
    """An ill-formed program (turned into ProgramSyntaxError with the program text)."""


def const_node(kind: str, value: Any) -> Const:
    """A constant argument of the given kind, with regex arguments stored as patterns."""
    if kind == "Type":
        return Const(TYPE_PATTERNS[value], "Type")
    if kind == "Regex":
        pattern = TYPE_PATTERNS[value] if value in TYPE_PATTERNS else delimiter_pattern(value)
        return Const(pattern, "Regex")
    return Const(value, kind)


def expression_kind(node: Node) -> str:
    """'const', 'substring', 'modification' or 'compose' for one Concat argument."""
    if not isinstance(node, Apply):
        return "other"
    if node.op == "ConstStr":
        return "const"
    if node.op in SUBSTRING_NAMES:
        return "substring"
    if node.op in MODIFICATION_NAMES:
        return "compose" if isinstance(node.args[-1], Apply) else "modification"
    return "other"


class RobustFillDomain(Domain):
    name = "robustfill"
    description = ("ExeDec's RobustFill string DSL: Concat of up to 10 expressions (ConstStr, "
                   "substring ops, modification ops, one-level Compose) over one input string")
    types = ("String", "Char", "Delim", "Type", "Regex", "Index", "Position", "Case", "Boundary")
    ops = {op.name: op for op in _ops.ALL_OPS}
    op_sets = {"all": tuple(ops)}
    default_op_set = "all"
    grammar_file = str(Path(__file__).with_name("grammar.lark"))
    #: the ExeDec loop, then the symbolic decomposition if its beam gives up: the most problems
    #: solved on the ExeDec test sets (benchmarks/RESULTS.md section 5)

    # -- values ------------------------------------------------------------------------------
    def type_of(self, value: Any) -> str:
        if isinstance(value, str):
            return "String"
        raise TypeError(f"the robustfill domain has only string values, got {type(value).__name__} "
                        f"{value!r}")

    def check_task(self, task) -> None:
        """RobustFill tasks have exactly one string input and string outputs (strings of at most
        ``synth.dsl.values.MAX_STRING_LENGTH`` characters); constants, if any, are strings."""
        from synth.dsl.values import check_limits, describe_value, iter_values

        where = task.where
        names = task.input_names
        if len(names) != 1:
            raise InvalidTask(f"{where}a robustfill task has exactly one input, got "
                              f"{len(names)} ({', '.join(names)})")
        fields = list(iter_values(task)) + [(f"constants[{i}]", c) for i, c in enumerate(task.constants)]
        for field, v in fields:
            if not isinstance(v, str):
                raise InvalidTask(f"{where}{field}: robustfill values are strings, got {describe_value(v)}")
            check_limits(task, field, v)

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, node: Node, env: Mapping[str, Any]) -> Any:
        if isinstance(node, Var):
            return env[node.name]
        if isinstance(node, Const):
            return node.value
        fn = self.ops[node.op].fn
        return fn(*[self.evaluate(a, env) for a in node.args])

    # -- text ------------------------------------------------------------------------------------
    @cached_property
    def _parser(self) -> Lark:
        return Lark(self.grammar_text(), parser="lalr")

    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> Program:
        try:
            tree = self._parser.parse(text)
        except LarkError as e:
            msg = str(e).strip().splitlines()[0]
            raise ProgramSyntaxError(f"cannot parse robustfill program {text!r}: {msg}") from None
        try:
            node = self._program(tree)
            problem = shape_error(node)
            if problem:
                raise _Bad(problem)
        except _Bad as e:
            raise ProgramSyntaxError(f"ill-formed robustfill program {text!r}: {e}") from None
        return Program(node, self)

    def _program(self, tree: Tree) -> Node:
        if str(tree.children[0]) == "Concat":
            parts = [c for c in tree.children[1:] if c is not None]
            if any(not (isinstance(c, Tree) and c.data == "call") for c in parts):
                raise _Bad("Concat's arguments must be expressions")
            return Apply("Concat", tuple(self._expr(c) for c in parts))
        return Apply("Concat", (self._expr(tree),))

    def _expr(self, t: Tree) -> Node:
        name = str(t.children[0])
        args = [c for c in t.children[1:] if c is not None]
        if name == "Concat":
            raise _Bad("Concat may only be the whole program")
        op = self.ops.get(name)
        if op is None:
            raise UnknownOp(f"unknown op {name!r} in domain 'robustfill'; run 'synth dsl show "
                            f"robustfill' to list its ops")
        if len(args) != op.arity:
            raise _Bad(f"{name} takes {op.arity} argument{'s' if op.arity != 1 else ''}, got {len(args)}")
        return Apply(name, tuple(self._arg(a, kind, name) for a, kind in zip(args, op.arg_types)))

    def _arg(self, t: Tree, kind: str, op: str) -> Node:
        form = t.data
        if kind == "String":
            if form == "call":
                return self._expr(t)
            if form == "name":
                return Var(str(t.children[0]), "String")
            raise _Bad(f"{op}'s last argument must be the input or an expression")
        if form == "int" and kind in ("Index", "Position"):
            v = int(t.children[0])
            if kind == "Index" and v not in _ops.INDICES:
                raise _Bad(f"{op}: index {v} is not one of -5..-1, 1..5")
            if kind == "Position" and v not in range(-100, 101):
                raise _Bad(f"{op}: position {v} is outside -100..100")
            return Const(v, kind)
        if form == "name" and kind in ("Type", "Regex", "Case", "Boundary"):
            v = str(t.children[0])
            allowed = {"Type": TYPE_PATTERNS, "Regex": TYPE_PATTERNS, "Case": CASES,
                       "Boundary": BOUNDARIES}[kind]
            if v not in allowed:
                raise _Bad(f"{op}: {v} is not a {kind.lower()} (one of {', '.join(allowed)})")
            return const_node(kind, v)
        if form == "string" and kind in ("Char", "Delim", "Regex"):
            v = json.loads(str(t.children[0]))
            pool = CHARACTER if kind == "Char" else DELIMITER
            if len(v) != 1 or v not in pool:
                what = "a character of the RobustFill alphabet" if kind == "Char" else "a delimiter"
                raise _Bad(f"{op}: {json.dumps(v)} is not {what}")
            return const_node(kind, v)
        raise _Bad(f"{op}: expected a {kind.lower()} argument")

    def format(self, node: Node) -> str:
        if isinstance(node, Var):
            return node.name
        if isinstance(node, Const):
            return self.format_const(node)
        return f"{node.op}({', '.join(self.format(a) for a in node.args)})"

    def format_const(self, c: Const) -> str:
        if c.type in ("Type", "Regex"):
            text = regex_text(c.value)
            return text if c.value in _ops.PATTERN_TYPES else json.dumps(text)
        if c.type in ("Char", "Delim"):
            return json.dumps(c.value)
        return str(c.value)

    def format_value(self, value: Any) -> str:
        return json.dumps(value)


def shape_error(node: Node) -> str | None:
    """What breaks ExeDec's program structure, or None: Concat of 1-10 expressions; ConstStr only
    at the top; a Compose is a Modification over one Modification or Substring that reads the
    input; one input name."""
    if not (isinstance(node, Apply) and node.op == "Concat"):
        return "a program is Concat(expression, ...)"
    if not 1 <= len(node.args) <= MAX_EXPRESSIONS:
        return f"Concat takes 1 to {MAX_EXPRESSIONS} expressions, got {len(node.args)}"
    names = set()
    for e in node.args:
        if e.op == "ConstStr":
            continue
        inner = e.args[-1]
        if isinstance(inner, Apply):
            if e.op not in MODIFICATION_NAMES:
                return f"only a modification op may be composed, not {e.op}"
            if inner.op == "ConstStr":
                return "ConstStr may not appear inside a Compose"
            if isinstance(inner.args[-1], Apply):
                return "Compose nests one level only"
            inner = inner.args[-1]
        names.add(inner.name)
    if len(names) > 1:
        return f"a robustfill program reads one input, this one reads {', '.join(sorted(names))}"
    return None


DOMAIN = RobustFillDomain()

__all__ = ["DOMAIN", "RobustFillDomain", "MAX_EXPRESSIONS", "shape_error", "const_node",
           "expression_kind"]
