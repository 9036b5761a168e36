"""Parse and print programs written as nested calls, ``OP(arg, ...)``, with a domain's Lark grammar.

Overloaded ops share a printed symbol; parsing picks the overload by arity, then by argument and
expected result types. Variable types come from the caller or, failing that, from the op slot
the variable fills.
"""
from __future__ import annotations

import json
from functools import cached_property
from typing import Any, Mapping

from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from synth.dsl.base import Apply, Const, Domain, Node, Program, Var
from synth.errors import ProgramSyntaxError, UnknownOp


class _TypeMismatch(Exception):
    pass


class CallSyntaxDomain(Domain):
    """A domain whose program text is nested calls (see ``strings/grammar.lark``)."""

    aliases: Mapping[str, str] = {}
    #: binary ops (both arguments and the result of one type) printed with any number of
    #: arguments: a left-nested chain ``F(F(a, b), c)`` prints as ``F(a, b, c)``, which parses back
    #: to the same chain
    variadic: frozenset = frozenset()

    @cached_property
    def _parser(self) -> Lark:
        return Lark(self.grammar_text(), parser="lalr", maybe_placeholders=False)

    @cached_property
    def _overloads(self) -> dict[tuple[str, int], list]:
        table: dict[tuple[str, int], list] = {}
        for op in self.ops.values():
            table.setdefault((op.symbol, op.arity), []).append(op)
        return table

    # -- parsing -----------------------------------------------------------------------------
    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> Program:
        try:
            tree = self._parser.parse(text)
        except LarkError as e:
            msg = str(e).strip().splitlines()[0]
            raise ProgramSyntaxError(f"cannot parse {self.name} program {text!r}: {msg}") from None
        var_types = dict(var_types or {})
        try:
            node = self._build(tree, None, var_types)
        except _TypeMismatch as e:
            raise ProgramSyntaxError(f"ill-typed {self.name} program {text!r}: {e}") from None
        return Program(node, self)

    def _build(self, t: Tree | Token, expected: str | None, var_types: dict[str, str]) -> Node:
        kind = t.data if isinstance(t, Tree) else "token"
        if kind == "var":
            name = str(t.children[0])
            typ = var_types.get(name, expected)
            if typ is None:
                raise _TypeMismatch(f"cannot tell the type of input {name!r}")
            if expected is not None and typ != expected:
                raise _TypeMismatch(f"input {name!r} is {typ}, expected {expected}")
            var_types[name] = typ
            return Var(name, typ)
        if kind in ("string", "int", "true", "false"):
            value: Any = {"string": lambda: json.loads(str(t.children[0])),
                          "int": lambda: int(t.children[0]),
                          "true": lambda: True, "false": lambda: False}[kind]()
            typ = self.type_of(value)
            if expected is not None and typ != expected:
                raise _TypeMismatch(f"literal {self.format_value(value)} is {typ}, expected {expected}")
            return Const(value, typ)
        assert kind == "call", kind
        symbol = str(t.children[0])
        symbol = self.aliases.get(symbol, symbol)
        args = [c for c in t.children[1:] if c is not None]
        if symbol in self.variadic and len(args) > 2:  # F(a, b, c) is F(F(a, b), c)
            inner = Tree("call", [t.children[0], *args[:-1]])
            args = [inner, args[-1]]
        candidates = self._overloads.get((symbol, len(args)))
        if not candidates:
            if any(s == symbol for s, _ in self._overloads):
                arities = sorted(n for s, n in self._overloads if s == symbol)
                raise _TypeMismatch(f"{symbol} takes {' or '.join(map(str, arities))} arguments, got {len(args)}")
            raise UnknownOp(f"unknown op {symbol!r} in domain {self.name!r}; "
                            f"run 'synth dsl show {self.name}' to list its ops")
        errors = []
        for op in candidates:
            if expected is not None and op.ret_type != expected:
                errors.append(f"{op.signature()} does not return {expected}")
                continue
            trial = dict(var_types)
            try:
                built = tuple(self._build(a, at, trial) for a, at in zip(args, op.arg_types))
            except _TypeMismatch as e:
                errors.append(str(e))
                continue
            var_types.update(trial)
            return Apply(op.name, built)
        raise _TypeMismatch(errors[0] if len(errors) == 1 else "; ".join(errors))

    # -- printing ----------------------------------------------------------------------------
    def format(self, node: Node) -> str:
        if isinstance(node, Var):
            return node.name
        if isinstance(node, Const):
            return self.format_value(node.value)
        symbol = self.ops[node.op].symbol
        if symbol in self.variadic:
            chain = [node.args[1]]
            head = node.args[0]
            while isinstance(head, Apply) and head.op == node.op:
                chain.append(head.args[1])
                head = head.args[0]
            chain.append(head)
            return f"{symbol}({', '.join(self.format(a) for a in reversed(chain))})"
        return f"{symbol}({', '.join(self.format(a) for a in node.args)})"

    def format_value(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False)
        return repr(value)
