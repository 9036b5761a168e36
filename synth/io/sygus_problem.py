"""The problem objects of a SyGuS file: what the reader (``synth.io.sygus``) builds and the
solvers, the solution printer and the checks read.

* ``PbeProblem``: one ``synth-fun`` (``SynthFun``, with its ``SygusGrammar`` if the file gives
  one) whose constraints are all ``(= (f lit ...) lit)`` examples (``PbeExample``).
* ``InvProblem``: a ``synth-inv`` with ``inv-constraint`` (the invariant track); see its docstring
  for the term representation a solver gets.

They are plain data in a module of their own so that code which only needs the types (the search
grammar, the solution printer and checks) does not import the reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Union

from synth.io.sygus_terms import Term


@dataclass(frozen=True)
class AnyConstant:
    """The grammar rule ``(Constant S)``: any literal of sort S."""

    sort: str


@dataclass(frozen=True)
class AnyVariable:
    """The grammar rule ``(Variable S)``: any parameter of sort S."""

    sort: str


GrammarRule = Union[Term, AnyConstant, AnyVariable]


@dataclass(frozen=True)
class SygusGrammar:
    """A synth-fun grammar. ``nonterminals`` is ``(name, sort)`` in declaration order, the first
    is the start symbol. ``rules[nt]`` are the right-hand sides of ``nt``: terms over parameters
    (``Sym``), nonterminals (``Sym``), literals and ops, or ``AnyConstant``/``AnyVariable``."""

    nonterminals: tuple[tuple[str, str], ...]
    rules: Mapping[str, tuple[GrammarRule, ...]]

    @property
    def start(self) -> str:
        return self.nonterminals[0][0]

    def sort_of(self, nt: str) -> str:
        return dict(self.nonterminals)[nt]


@dataclass(frozen=True)
class SynthFun:
    name: str
    params: tuple[tuple[str, str], ...]
    sort: str
    grammar: SygusGrammar | None
    line: int | str = "?"


@dataclass(frozen=True)
class PbeExample:
    """One ``(constraint (= (f in...) out))``: inputs in parameter order, and the constraint's
    index among the file's constraints and its line."""

    inputs: tuple
    output: Any
    index: int
    line: int | str


@dataclass(frozen=True)
class PbeProblem:
    """A programming-by-example SyGuS problem: one synth-fun and its input/output examples."""

    name: str
    origin: str
    logic: str
    version: int
    fun: SynthFun
    examples: tuple[PbeExample, ...]

    @property
    def distinct_examples(self) -> list[PbeExample]:
        """Examples with repeats dropped (the ``-long-repeat`` files repeat many)."""
        seen: dict[tuple, PbeExample] = {}
        for e in self.examples:
            seen.setdefault(e.inputs, e)
        return list(seen.values())


@dataclass(frozen=True)
class InvProblem:
    """A loop-invariant problem of the SyGuS Inv track: find ``inv`` over the state with

        pre(s) => inv(s),   inv(s) and trans(s, s') => inv(s'),   inv(s) => post(s).

    ``state`` is ``((name, sort), ...)`` in the synth-inv's parameter order (sorts ``Int`` or
    ``Bool``). ``pre``, ``trans`` and ``post`` are terms (``synth.io.sygus_terms``: ``Sym``,
    ``App``, Python ``bool``/``int`` literals; ``let`` expanded, calls of other define-funs
    inlined) in which the define-fun's parameters were replaced by the state names, whatever the
    file called them: ``pre`` and ``post`` are over ``Sym(name)``; ``trans`` is over ``Sym(name)``
    for the current state and ``Sym(primed(name))`` = ``Sym(name + "!")`` for the next state
    (trans-f's first n parameters are the current state, its last n the next state, as SyGuS
    defines). ``inputs`` are declared variables (``declare-var``) that occur free in pre, trans or
    post: non-deterministic values (the Lustre files' ``nondet_*``). Each of the three constraints
    is universally quantified on its own over the state(s) and these inputs; so in ``trans`` they
    act as existentially chosen per step, in ``pre`` per initial state.
    """

    name: str
    origin: str
    logic: str
    version: int
    inv_name: str
    state: tuple[tuple[str, str], ...]
    pre: Term
    trans: Term
    post: Term
    inputs: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def primed(name: str) -> str:
        """The next-state name of a state variable in ``trans``."""
        return name + "!"

    @property
    def state_names(self) -> list[str]:
        return [n for n, _ in self.state]


SygusProblem = Union[PbeProblem, InvProblem]


__all__ = ["AnyConstant", "AnyVariable", "GrammarRule", "SygusGrammar", "SynthFun", "PbeExample", "PbeProblem",
           "InvProblem", "SygusProblem"]
