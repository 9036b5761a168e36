"""Search grammars: the productions a bottom-up search combines, over nonterminals.

A domain's default grammar has one nonterminal per type and one production per op; a SyGuS
``synth-fun`` grammar can have several nonterminals of one type, and productions that are whole
term templates. The engine only sees productions, so both are searched the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from synth.dsl.base import Apply, Const, Domain, Node, Op, Var


@dataclass(frozen=True)
class Production:
    """``result ::= op(args...)``: combine values of the ``args`` nonterminals with ``fn``.

    ``fn`` takes one example's argument values and returns the result or None (error).
    ``build`` makes the AST from the argument nodes (default: ``Apply(op, args)``).
    ``concat`` marks a string concatenation, which lets the search finish a program early when
    a new value is a prefix (or suffix) of the target and the rest is already known.
    """

    result: str
    args: tuple[str, ...]
    fn: Callable[..., Any]
    op: str
    cost: int = 1
    build: Callable[..., Node] | None = None
    concat: bool = False
    #: ``cond(test, then, else)``: lets the search assemble a conditional from a test value and
    #: two branch values that are each right on the examples the test sends them
    cond: bool = False

    def make(self, arg_nodes: Sequence[Node]) -> Node:
        if self.build is not None:
            return self.build(*arg_nodes)
        return Apply(self.op, tuple(arg_nodes))


@dataclass(frozen=True)
class Leaf:
    """``result ::= node`` for a closed term (an input or a constant); its values per example are
    computed by the domain's interpreter."""

    result: str
    node: Node
    cost: int = 1


@dataclass
class SearchGrammar:
    start: str
    #: nonterminal -> domain type of its values
    nonterminals: dict[str, str]
    productions: list[Production]
    leaves: list[Leaf]
    #: ``target ::= source`` unit rules (no node of their own): values of source are also target's
    units: list[tuple[str, str]] = field(default_factory=list)


#: ops that concatenate two strings (used for the search's prefix/suffix shortcut)
CONCAT_OPS = {"CONCATENATE", "str.++"}
#: if-then-else ops (used for the search's conditional shortcut)
COND_OPS = {"IF", "ite", "ite/Int", "ite/Bool"}


def grammar_from_ops(domain: Domain, ops: Sequence[Op], inputs: dict[str, str],
                     constants: Sequence[Const], output_type: str) -> SearchGrammar:
    """The default grammar of a typed DSL: one nonterminal per type, one production per op."""
    types = set(domain.types)
    prods = [Production(op.ret_type, op.arg_types, op.fn, op.name, concat=op.name in CONCAT_OPS,
                        cond=op.name in COND_OPS)
             for op in ops if op.ret_type in types and all(t in types for t in op.arg_types)]
    leaves = [Leaf(t, Var(n, t)) for n, t in inputs.items()]
    leaves += [Leaf(c.type, c) for c in constants]
    return SearchGrammar(start=output_type, nonterminals={t: t for t in domain.types},
                         productions=prods, leaves=leaves)
