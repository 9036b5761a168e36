"""SyGuS-IF reader (versions 1 and 2), PBE-strings tasks, invariant problems, and define-fun output.

Reading is two steps: ``sygus_sexpr`` turns the text into s-expressions with the Lark grammar
``sygus.lark``; the checker here gives them meaning (commands, sorts, grammars, terms), type-checks
every term and builds one problem:

* ``PbeProblem``: one ``synth-fun`` whose constraints are all ``(= (f lit ...) lit)`` examples.
  ``read_sygus_tasks`` turns it into a strings-domain ``Task`` with the problem in
  ``spec["sygus"]``; the search turns the synth-fun grammar into a ``SearchGrammar``
  (``synth.search.sygus_grammar.sygus_task_grammar``) when it searches the task.
* ``InvProblem``: a ``synth-inv`` with ``inv-constraint`` (the invariant track); see its docstring
  for the term representation a solver gets.

Both language versions are accepted: v1 (grammar without the nonterminal predeclaration,
``declare-primed-var``, ``int.to.str``/``str.to.int``, negative literals ``-1``, typed ``let``
bindings) and v2 (``((Start String) ...)`` predeclaration, ``(- 1)``, SMT-LIB 2.6 names).
Every problem with a file is an ``InvalidTask`` whose one-line message names file, line and
construct; contradictory examples are ``InconsistentExamples`` naming the clashing constraints.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

from lark import Token

from synth.errors import InconsistentExamples, InvalidTask
from synth.io.limits import MAX_LITERAL_DIGITS, MAX_TERM_DEPTH
from synth.io.sygus_sexpr import SList, line_of, parse_sexprs, sexpr_text
from synth.io.sygus_terms import (App, Sym, Term, format_literal, format_term, free_symbols, substitute,
                                  term_depth, term_size)
from synth.io.sygus_theory import (SORTS, V1_OP_NAMES, V2_TO_V1_OP_NAMES, SortError, evaluate,
                                   result_sort)

# ------------------------------------------------------------------------------- problem objects


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

# ----------------------------------------------------------------------------------- the checker


@dataclass
class _Define:
    params: tuple[tuple[str, str], ...]
    sort: str
    body: Term
    line: int | str


class _Checker:
    """Walks the commands of one file and collects declarations, checking names and sorts."""

    def __init__(self, where: str):
        self.where = where
        self.logic = ""
        self.v1_marks: list[str] = []
        self.v2_marks: list[str] = []
        self.vars: dict[str, str] = {}  # declare-var (and declare-primed-var) name -> sort
        self.defines: dict[str, _Define] = {}
        self.synth_funs: dict[str, SynthFun] = {}
        self.synth_invs: dict[str, SynthFun] = {}
        self.constraints: list[tuple[Term, int | str]] = []
        self.inv_constraints: list[tuple[tuple[str, str, str, str], int | str]] = []
        self._depths: dict = {}  # term_depth's memo, shared by all checks of this file

    # -- errors ---------------------------------------------------------------------------
    def fail(self, x, what: str) -> InvalidTask:
        return InvalidTask(f"{self.where}:{line_of(x)}: {what}")

    def check_depth(self, t: Term, x, what: str) -> None:
        """Terms grow deeper than the text when define-fun calls are inlined: bound them, so
        that the solvers' recursive walks of a term stay within Python's recursion limit."""
        if isinstance(t, App) and term_depth(t, MAX_TERM_DEPTH, self._depths) > MAX_TERM_DEPTH:
            raise self.fail(x, f"{what} is nested deeper than {MAX_TERM_DEPTH} levels once its "
                               f"define-fun calls are expanded; synth reads terms up to that depth")

    # -- atoms ----------------------------------------------------------------------------
    def symbol(self, x, role: str) -> str:
        if isinstance(x, Token) and x.type == "SYMBOL":
            return str(x)
        if isinstance(x, Token) and x.type == "QUOTED_SYMBOL":
            return str(x)[1:-1]
        raise self.fail(x, f"expected {role}, got {sexpr_text(x)}")

    def sort(self, x) -> str:
        if isinstance(x, Token) and x.type == "SYMBOL":
            if x in SORTS:
                return str(x)
            if x in ("Real", "BitVec", "Array", "RegLan"):
                raise self.fail(x, f"unsupported sort {x} (synth reads Int, Bool and String problems)")
            raise self.fail(x, f"unknown sort {x}")
        if isinstance(x, SList) and x and x[0] == "_" and len(x) >= 2:
            raise self.fail(x, f"unsupported sort {sexpr_text(x)} (synth reads Int, Bool and String problems)")
        if isinstance(x, SList) and x and str(x[0]) in ("Array", "Seq", "Set"):
            raise self.fail(x, f"unsupported sort {sexpr_text(x)} (synth reads Int, Bool and String problems)")
        raise self.fail(x, f"unknown sort {sexpr_text(x)}")

    def params(self, x, what: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(x, SList):
            raise self.fail(x, f"{what}: expected a parameter list ((name Sort) ...), got {sexpr_text(x)}")
        out = []
        names = set()
        for p in x:
            if not isinstance(p, SList) or len(p) != 2:
                raise self.fail(p, f"{what}: a parameter must be (name Sort), got {sexpr_text(p)}")
            name = self.symbol(p[0], "a parameter name")
            if name in names:
                raise self.fail(p, f"{what}: parameter {name} declared twice")
            names.add(name)
            out.append((name, self.sort(p[1])))
        return tuple(out)

    # -- terms ----------------------------------------------------------------------------
    def literal(self, x) -> tuple[Term, str] | None:
        if not isinstance(x, Token):
            return None
        t = x.type
        if t == "NUMERAL":
            digits = len(x) - x.startswith("-")
            if digits > MAX_LITERAL_DIGITS:
                raise self.fail(x, f"integer literal of {digits:,} digits; synth reads integer "
                                   f"literals of at most {MAX_LITERAL_DIGITS:,} digits")
            v = int(x)
            if v < 0:
                self.v1_marks.append(f"negative literal {x} (line {x.line})")
            return v, "Int"
        if t == "STRING":
            from synth.task import MAX_STRING_LENGTH
            if len(x) - 2 > MAX_STRING_LENGTH:
                raise self.fail(x, f"string literal of {len(x) - 2:,} characters; synth reads string "
                                   f"literals of at most {MAX_STRING_LENGTH:,} characters")
            return _unescape_string(str(x)[1:-1]), "String"
        if t == "SYMBOL" and x in ("true", "false"):
            return x == "true", "Bool"
        if t == "DECIMAL":
            raise self.fail(x, f"unsupported decimal literal {x} (synth reads Int, Bool and String problems)")
        if t in ("HEXADECIMAL", "BINARY"):
            raise self.fail(x, f"unsupported bit-vector literal {x} (synth reads Int, Bool and String problems)")
        return None

    def term(self, x, scope: Mapping[str, tuple[Term, str]], calls: Mapping[str, SynthFun] | None = None,
             ) -> tuple[Term, str]:
        """A checked term and its sort. ``scope`` maps a bound name to (its term, its sort);
        ``calls`` are the synth-funs that may be applied here (in constraints)."""
        lit = self.literal(x)
        if lit is not None:
            return lit
        if isinstance(x, Token):
            name = self.symbol(x, "a term")
            if name in scope:
                return scope[name]
            if name in self.vars:
                return Sym(name), self.vars[name]
            d = self.defines.get(name)
            if d is not None and not d.params:
                return d.body, d.sort
            if d is not None or (calls and name in calls):
                raise self.fail(x, f"function {name} used without arguments")
            raise self.fail(x, f"undeclared symbol {name}")
        if not x:
            raise self.fail(x, "empty term ()")
        head = x[0]
        if isinstance(head, SList):
            if len(head) >= 2 and head[0] == "_":
                raise self.fail(x, f"unsupported indexed function {sexpr_text(head)}")
            raise self.fail(x, f"expected a function name, got {sexpr_text(head)}")
        op = self.symbol(head, "a function name")
        if op == "let":
            return self.let(x, scope, calls)
        if op in ("forall", "exists", "!", "match", "lambda"):
            raise self.fail(x, f"unsupported construct {op}")
        args = [self.term(a, scope, calls) for a in x[1:]]
        terms = tuple(a for a, _ in args)
        sorts = tuple(s for _, s in args)
        if op in scope or op in self.vars:
            raise self.fail(x, f"{op} is a variable, not a function")
        d = self.defines.get(op)
        if d is not None:
            want = tuple(s for _, s in d.params)
            if sorts != want:
                raise self.fail(x, f"{op} takes ({' '.join(want)}), got ({' '.join(sorts)})")
            return substitute(d.body, {p: a for (p, _), a in zip(d.params, terms)}), d.sort
        if calls and op in calls:
            f = calls[op]
            want = tuple(s for _, s in f.params)
            if sorts != want:
                raise self.fail(x, f"{op} takes ({' '.join(want)}), got ({' '.join(sorts)})")
            return App(op, terms), f.sort
        if op in self.synth_funs or op in self.synth_invs:
            raise self.fail(x, f"synth-fun {op} may only be applied in a constraint")
        if op in V1_OP_NAMES:
            self.v1_marks.append(f"v1 name {op} (line {line_of(x)})")
            op = V1_OP_NAMES[op]
        try:
            sort = result_sort(op, sorts)
        except SortError as e:
            msg = str(e)
            if msg.startswith("unknown function"):
                raise self.fail(x, f"undeclared function {op}") from None
            raise self.fail(x, f"ill-sorted term {sexpr_text(x)}: {msg}") from None
        return App(op, terms), sort

    def let(self, x, scope, calls) -> tuple[Term, str]:
        if len(x) != 3 or not isinstance(x[1], SList):
            raise self.fail(x, "let must be (let ((name term) ...) body)")
        inner = dict(scope)
        for b in x[1]:
            if isinstance(b, SList) and len(b) == 3:  # v1: (name Sort term)
                self.v1_marks.append(f"typed let binding (line {line_of(b)})")
                name = self.symbol(b[0], "a let variable")
                want = self.sort(b[1])
                t, s = self.term(b[2], scope, calls)
                if s != want:
                    raise self.fail(b, f"let binding {name} is declared {want} but its term is {s}")
            elif isinstance(b, SList) and len(b) == 2:
                name = self.symbol(b[0], "a let variable")
                t, s = self.term(b[1], scope, calls)
            else:
                raise self.fail(b, f"a let binding must be (name term), got {sexpr_text(b)}")
            self.check_depth(t, b, f"let binding {name}")
            inner[name] = (t, s)
        t, s = self.term(x[2], inner, calls)
        self.check_depth(t, x, "the let term")
        return t, s

    # -- grammars -------------------------------------------------------------------------
    def grammar(self, f_name: str, params, ret: str, rest: Sequence, x) -> SygusGrammar | None:
        """v1: ((Start S (rules)) ...); v2: ((Start S) ...) ((Start S (rules)) ...)."""
        if not rest:
            return None
        if len(rest) == 2 and isinstance(rest[0], SList) and all(
                isinstance(d, SList) and len(d) == 2 for d in rest[0]):
            decls, groups = rest
            self.v2_marks.append("grammar predeclaration")
            nts = [(self.symbol(d[0], "a nonterminal"), self.sort(d[1])) for d in decls]
        elif len(rest) == 1 and isinstance(rest[0], SList):
            groups = rest[0]
            self.v1_marks.append(f"grammar without predeclaration (line {line_of(rest[0])})")
            nts = []
            for g in groups:
                if not isinstance(g, SList) or len(g) != 3:
                    raise self.fail(g, f"synth-fun {f_name}: a grammar rule must be (Name Sort (terms...)), "
                                       f"got {sexpr_text(g)}")
                nts.append((self.symbol(g[0], "a nonterminal"), self.sort(g[1])))
        else:
            raise self.fail(x, f"synth-fun {f_name}: malformed grammar {sexpr_text(rest[0])}")
        if not nts:
            raise self.fail(x, f"synth-fun {f_name}: the grammar has no nonterminals")
        nt_sorts = dict(nts)
        if len(nt_sorts) != len(nts):
            raise self.fail(x, f"synth-fun {f_name}: a nonterminal is declared twice")
        if nts[0][1] != ret:
            raise self.fail(x, f"synth-fun {f_name}: start symbol {nts[0][0]} is {nts[0][1]} but the "
                               f"function returns {ret}")
        if not isinstance(groups, SList):
            raise self.fail(x, f"synth-fun {f_name}: malformed grammar")
        scope = {n: (Sym(n), s) for n, s in params}
        for n, s in nts:
            if n in scope:
                raise self.fail(x, f"synth-fun {f_name}: nonterminal {n} has the name of a parameter")
            scope[n] = (Sym(n), s)
        rules: dict[str, list] = {n: [] for n, _ in nts}
        for g in groups:
            if not isinstance(g, SList) or len(g) != 3 or not isinstance(g[2], SList):
                raise self.fail(g, f"synth-fun {f_name}: a grammar rule must be (Name Sort (terms...)), "
                                   f"got {sexpr_text(g)}")
            nt = self.symbol(g[0], "a nonterminal")
            if nt not in nt_sorts:
                raise self.fail(g, f"synth-fun {f_name}: rules for undeclared nonterminal {nt}")
            if self.sort(g[1]) != nt_sorts[nt]:
                raise self.fail(g, f"synth-fun {f_name}: nonterminal {nt} is declared {nt_sorts[nt]} "
                                   f"but its rules say {g[1]}")
            for r in g[2]:
                if isinstance(r, SList) and len(r) == 2 and r[0] in ("Constant", "Variable"):
                    s = self.sort(r[1])
                    rule: GrammarRule = AnyConstant(s) if r[0] == "Constant" else AnyVariable(s)
                elif isinstance(r, SList) and r and r[0] in ("InputVariable", "LocalVariable"):
                    raise self.fail(r, f"unsupported grammar construct {r[0]}")
                else:
                    rule, s = self.term(r, scope)
                    self.check_depth(rule, r, f"grammar rule of {nt}")
                if s != nt_sorts[nt]:
                    raise self.fail(r, f"synth-fun {f_name}: rule {sexpr_text(r)} is {s} but {nt} is "
                                       f"{nt_sorts[nt]}")
                if rule not in rules[nt]:
                    rules[nt].append(rule)
        return SygusGrammar(tuple(nts), {k: tuple(v) for k, v in rules.items()})

    # -- commands -------------------------------------------------------------------------
    def command(self, c) -> bool:
        """Handle one top-level command; False at check-synth."""
        if not isinstance(c, SList) or not c:
            raise self.fail(c, f"expected a command, got {sexpr_text(c)}")
        head = c[0]
        name = str(head) if isinstance(head, Token) else ""
        if name == "set-logic":
            if len(c) != 2:
                raise self.fail(c, "set-logic takes one logic name")
            self.logic = self.symbol(c[1], "a logic name")
        elif name in ("set-option", "set-info", "set-feature"):
            if name == "set-feature":
                self.v2_marks.append("set-feature")
        elif name == "declare-var":
            if len(c) != 3:
                raise self.fail(c, "declare-var takes a name and a sort")
            self.declare(c, self.symbol(c[1], "a variable name"), self.sort(c[2]))
        elif name == "declare-primed-var":
            if len(c) != 3:
                raise self.fail(c, "declare-primed-var takes a name and a sort")
            self.v1_marks.append(f"declare-primed-var (line {c.line})")
            n, s = self.symbol(c[1], "a variable name"), self.sort(c[2])
            self.declare(c, n, s)
            self.declare(c, n + "!", s)
        elif name == "define-fun":
            if len(c) != 5:
                raise self.fail(c, "define-fun takes a name, parameters, a sort and a body")
            f = self.symbol(c[1], "a function name")
            self.check_fresh(c, f)
            params = self.params(c[2], f"define-fun {f}")
            sort = self.sort(c[3])
            body, s = self.term(c[4], {n: (Sym(n), ps) for n, ps in params})
            if s != sort:
                raise self.fail(c, f"define-fun {f} is declared {sort} but its body is {s}")
            self.check_depth(body, c, f"the body of define-fun {f}")
            self.defines[f] = _Define(params, sort, body, c.line)
        elif name == "synth-fun":
            if len(c) < 4:
                raise self.fail(c, "synth-fun takes a name, parameters, a sort and an optional grammar")
            f = self.symbol(c[1], "a function name")
            self.check_fresh(c, f)
            params = self.params(c[2], f"synth-fun {f}")
            sort = self.sort(c[3])
            grammar = self.grammar(f, params, sort, c[4:], c)
            self.synth_funs[f] = SynthFun(f, params, sort, grammar, c.line)
        elif name == "synth-inv":
            if len(c) < 3:
                raise self.fail(c, "synth-inv takes a name, parameters and an optional grammar")
            f = self.symbol(c[1], "a function name")
            self.check_fresh(c, f)
            params = self.params(c[2], f"synth-inv {f}")
            grammar = self.grammar(f, params, "Bool", c[3:], c)
            self.synth_invs[f] = SynthFun(f, params, "Bool", grammar, c.line)
        elif name == "constraint":
            if len(c) != 2:
                raise self.fail(c, "constraint takes one term")
            t, s = self.term(c[1], {}, self.synth_funs)
            if s != "Bool":
                raise self.fail(c, f"a constraint must be Bool, got {s}")
            self.check_depth(t, c, "the constraint")
            self.constraints.append((t, c.line))
        elif name == "inv-constraint":
            if len(c) != 5:
                raise self.fail(c, "inv-constraint takes the invariant, pre, trans and post names")
            names = tuple(self.symbol(a, "a function name") for a in c[1:])
            self.inv_constraints.append((names, c.line))
        elif name == "check-synth":
            return False
        elif name in ("declare-datatype", "declare-datatypes", "declare-sort", "define-sort",
                      "declare-fun", "synth-bv", "declare-weight", "assume", "chc-constraint",
                      "optimize-synth", "define-funs-rec", "define-fun-rec", "declare-const",
                      "declare-pool", "oracle-constraint", "declare-oracle-fun", "set-weight"):
            raise self.fail(c, f"unsupported command {name}")
        else:
            raise self.fail(c, f"unknown command {sexpr_text(head)}")
        return True

    def declare(self, c, name: str, sort: str) -> None:
        if name in self.vars and self.vars[name] != sort:
            raise self.fail(c, f"variable {name} declared again with another sort")
        self.check_fresh(c, name, allow_var=True)
        self.vars[name] = sort

    def check_fresh(self, c, name: str, allow_var: bool = False) -> None:
        if name in self.defines or name in self.synth_funs or name in self.synth_invs or (
                not allow_var and name in self.vars):
            raise self.fail(c, f"{name} is already declared")

    @property
    def version(self) -> int:
        return 1 if self.v1_marks else 2


def _unescape_string(body: str) -> str:
    s = body.replace('""', '"')
    if "\\u" in s:  # SMT-LIB 2.6 unicode escapes \u{X..} and \uXXXX
        s = re.sub(r"\\u\{([0-9a-fA-F]{1,5})\}|\\u([0-9a-fA-F]{4})",
                   lambda m: chr(int(m.group(1) or m.group(2), 16)), s)
    return s


# ---------------------------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InvalidTask(f"{path}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidTask(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise InvalidTask(f"{path}: cannot read ({e.strerror or e})") from None


def check_sygus_text(text: str, where: str) -> _Checker:
    """Parse and check every command of a SyGuS file (up to ``check-synth``)."""
    sexprs = parse_sexprs(text, where)
    checker = _Checker(where)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))  # deeply nested Lustre terms
    try:
        for c in sexprs:  # a file without check-synth is still a problem statement
            if not checker.command(c):
                break
    finally:
        sys.setrecursionlimit(old)
    return checker


def read_sygus_problem(path: str | Path, text: str | None = None) -> SygusProblem:
    """The problem of a ``.sl`` file: a ``PbeProblem`` or an ``InvProblem``.

    Raises ``InvalidTask`` (one line: file, line, construct) for malformed or unsupported input
    and for problems that are neither PBE nor invariant problems ("not a PBE problem: ..."), and
    ``InconsistentExamples`` when two examples give one input two outputs.
    """
    path = Path(path)
    where = str(path)
    if text is None:
        text = _read_text(path)
    try:
        ck = check_sygus_text(text, where)
    except RecursionError:  # backstop: the nesting and term-depth limits should have caught it
        raise InvalidTask(f"{where}: terms nested too deeply to read; simplify the file") from None
    name = path.stem
    if ck.synth_invs or ck.inv_constraints:
        return _inv_problem(ck, name, where)
    return _pbe_problem(ck, name, where)


def _inv_problem(ck: _Checker, name: str, where: str) -> InvProblem:
    if ck.synth_funs:
        raise InvalidTask(f"{where}: an invariant problem with synth-fun {next(iter(ck.synth_funs))} "
                          f"as well is not supported")
    if ck.constraints:
        raise InvalidTask(f"{where}:{ck.constraints[0][1]}: plain constraint in an invariant problem is "
                          f"not supported (only inv-constraint)")
    if len(ck.inv_constraints) != 1:
        raise InvalidTask(f"{where}: expected one inv-constraint, found {len(ck.inv_constraints)}")
    (inv, pre, trans, post), line = ck.inv_constraints[0]
    at = f"{where}:{line}: inv-constraint"
    f = ck.synth_invs.get(inv)
    if f is None:
        raise InvalidTask(f"{at}: {inv} is not a synth-inv")
    if f.grammar is not None:
        raise InvalidTask(f"{where}:{f.line}: synth-inv {inv} with a grammar is not supported")
    state = f.params
    sorts = tuple(s for _, s in state)
    for s_name, s in state:
        if s not in ("Int", "Bool"):
            raise InvalidTask(f"{where}:{f.line}: synth-inv {inv}: state variable {s_name} has "
                              f"unsupported sort {s} (Int or Bool only)")
    names = [n_ for n_, _ in state]
    primed = [InvProblem.primed(n_) for n_ in names]
    if set(primed) & set(names):
        raise InvalidTask(f"{where}:{f.line}: synth-inv {inv}: state names clash with the primed "
                          f"names ({', '.join(sorted(set(primed) & set(names)))})")

    def body(fname: str, want: tuple[str, ...], rename: list[str]) -> Term:
        d = ck.defines.get(fname)
        if d is None:
            raise InvalidTask(f"{at}: {fname} is not a define-fun")
        got = tuple(s for _, s in d.params)
        if got != want or d.sort != "Bool":
            raise InvalidTask(f"{at}: {fname} must be ({' '.join(want)}) -> Bool, it is "
                              f"({' '.join(got)}) -> {d.sort}")
        return substitute(d.body, {p: Sym(r) for (p, _), r in zip(d.params, rename)})

    pre_t = body(pre, sorts, names)
    trans_t = body(trans, sorts + sorts, names + primed)
    post_t = body(post, sorts, names)
    bound = set(names) | set(primed)
    inputs = []
    free = free_symbols(pre_t) | free_symbols(trans_t) | free_symbols(post_t)
    for v in sorted(free - bound):
        if v not in ck.vars:  # cannot happen: the checker resolved every symbol
            raise InvalidTask(f"{at}: undeclared symbol {v}")
        inputs.append((v, ck.vars[v]))
    return InvProblem(name=name, origin=where, logic=ck.logic, version=ck.version, inv_name=inv,
                      state=state, pre=pre_t, trans=trans_t, post=post_t, inputs=tuple(inputs))


def _ground_value(t: Term):
    """The value of a ground literal argument: a literal, or ``(- n)``."""
    if isinstance(t, (bool, int, str)):
        return t
    if isinstance(t, App) and t.op == "-" and len(t.args) == 1 and isinstance(t.args[0], int) \
            and not isinstance(t.args[0], bool):
        return -t.args[0]
    raise ValueError


def _pbe_problem(ck: _Checker, name: str, where: str) -> PbeProblem:
    if not ck.synth_funs:
        raise InvalidTask(f"{where}: no synth-fun or synth-inv: nothing to synthesize")
    if len(ck.synth_funs) > 1:
        raise InvalidTask(f"{where}: not a PBE problem: {len(ck.synth_funs)} synth-funs "
                          f"({', '.join(ck.synth_funs)}); synth solves one function per problem")
    f = next(iter(ck.synth_funs.values()))
    for p, s in f.params + (("result", f.sort),):
        if s not in ("String", "Int", "Bool"):
            raise InvalidTask(f"{where}:{f.line}: synth-fun {f.name}: sort {s} of {p} is not supported")
    if not ck.constraints:
        raise InvalidTask(f"{where}: not a PBE problem: no constraints (examples) for {f.name}")
    examples = []
    for i, (t, line) in enumerate(ck.constraints):
        ex = _as_example(t, f)
        if ex is None:
            raise InvalidTask(f"{where}:{line}: not a PBE problem: constraint {format_term(t, limit=80)} is not "
                              f"an example (= ({f.name} literal ...) literal)")
        examples.append(PbeExample(ex[0], ex[1], i, line))
    seen: dict[tuple, PbeExample] = {}
    for e in examples:
        other = seen.get(e.inputs)
        if other is None:
            seen[e.inputs] = e
        elif other.output != e.output or type(other.output) is not type(e.output):
            args = " ".join(format_literal(v) for v in e.inputs)
            raise InconsistentExamples(
                f"{where}: contradictory examples: the constraints on lines {other.line} and {e.line} "
                f"give ({f.name} {args}) two different outputs ({format_literal(other.output)} vs "
                f"{format_literal(e.output)}); no function satisfies both",
                conflicting=(other.index, e.index))
    return PbeProblem(name=name, origin=where, logic=ck.logic, version=ck.version, fun=f,
                      examples=tuple(examples))


def _as_example(t: Term, f: SynthFun):
    if not (isinstance(t, App) and t.op == "=" and len(t.args) == 2):
        return None
    a, b = t.args
    if not (isinstance(a, App) and a.op == f.name):
        a, b = b, a
    if not (isinstance(a, App) and a.op == f.name):
        return None
    try:
        inputs = tuple(_ground_value(x) for x in a.args)
        output = _ground_value(b)
    except ValueError:
        return None
    return inputs, output


# ------------------------------------------------------------------------------------ tasks


def read_sygus_tasks(path: str | Path) -> list:
    """The tasks of a ``.sl`` file (one): a strings-domain PBE task or a ``lia`` invariant task."""
    from synth.task import Example, Task

    path = Path(path)
    problem = read_sygus_problem(path)
    if isinstance(problem, InvProblem):
        return [Task(name=problem.name, domain="lia", spec={"sygus_inv": problem, "source": str(path)},
                     origin=str(path))]
    f = problem.fun
    names = [p for p, _ in f.params]
    examples = [Example(dict(zip(names, e.inputs)), e.output) for e in problem.distinct_examples]
    task = Task(name=problem.name, domain="strings", examples=examples, origin=str(path),
                spec={"sygus": problem, "source": str(path)})
    task.validate()  # the strings domain's limits: 64-bit integers, strings of 10,000 characters
    return [task]


# ----------------------------------------------------------------------------------- output


def program_term(node) -> Term:
    """A strings-domain AST (``Var``/``Const``/``Apply``) as a SyGuS term with SMT-LIB op names."""
    from synth.dsl.base import Apply, Const, Var
    from synth.dsl.strings import DOMAIN

    if isinstance(node, Var):
        return Sym(node.name)
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Apply):
        op = DOMAIN.op(node.op)
        return App(op.symbol, tuple(program_term(a) for a in node.args))
    raise TypeError(f"not a program node: {node!r}")


def define_fun_text(problem: PbeProblem, body: Term) -> str:
    """``(define-fun f ((x S) ...) S body)`` in the file's names and dialect (v1 names for v1)."""
    f = problem.fun
    params = " ".join(f"({_sym(p)} {s})" for p, s in f.params)
    if problem.version == 1:
        text = format_term(body, "v1", rename=lambda op: V2_TO_V1_OP_NAMES.get(op, op))
    else:
        text = format_term(body, "v2")
    return f"(define-fun {_sym(f.name)} ({params}) {f.sort} {text})"


def _sym(name: str) -> str:
    return format_term(Sym(name))


def format_solution(task, program) -> str:
    """The ``(define-fun ...)`` text of a program found for a SyGuS task: the synth-fun of a PBE
    problem, or the invariant of an Inv problem (printed by the lia domain)."""
    node = getattr(program, "node", program)
    inv = task.spec.get("sygus_inv")
    if isinstance(inv, InvProblem):
        from synth.dsl.lia.syntax import format_define_fun

        return format_define_fun(_sym(inv.inv_name), list(inv.state), node)
    problem = task.spec.get("sygus")
    if not isinstance(problem, PbeProblem):
        raise InvalidTask(f"task {task.name!r} did not come from a SyGuS file")
    return define_fun_text(problem, program_term(node))


def parse_solution(text: str, problem: PbeProblem) -> Term:
    """Read a ``(define-fun f ...)`` for the problem's synth-fun back into a term (the round trip
    of ``format_solution``); ``InvalidTask`` if it does not define that function properly."""
    where = f"solution of {problem.name}"
    sexprs = parse_sexprs(text, where)
    if len(sexprs) == 1 and isinstance(sexprs[0], SList) and sexprs[0] and isinstance(sexprs[0][0], SList):
        sexprs = list(sexprs[0])  # cvc5's answer wraps the define-funs in one more list
    if len(sexprs) != 1:
        raise InvalidTask(f"{where}: expected one define-fun, got {len(sexprs)} expressions")
    c = sexprs[0]
    if not (isinstance(c, SList) and len(c) == 5 and c[0] == "define-fun"):
        raise InvalidTask(f"{where}: expected (define-fun name params sort body)")
    ck = _Checker(where)
    f = problem.fun
    if ck.symbol(c[1], "a function name") != f.name:
        raise InvalidTask(f"{where}: defines {c[1]}, not {f.name}")
    params = ck.params(c[2], f"define-fun {f.name}")
    if tuple(s for _, s in params) != tuple(s for _, s in f.params) or ck.sort(c[3]) != f.sort:
        raise InvalidTask(f"{where}: the signature differs from synth-fun {f.name}'s")
    body, sort = ck.term(c[4], {n: (Sym(n), s) for n, s in params})
    if sort != f.sort:
        raise InvalidTask(f"{where}: body is {sort}, expected {f.sort}")
    names = [n for n, _ in params]
    return substitute(body, {n: Sym(p) for n, (p, _) in zip(names, f.params)})


def failing_examples(problem: PbeProblem, body: Term) -> list[PbeExample]:
    """The examples (every constraint of the file, repeats included) that ``body`` gets wrong."""
    names = [p for p, _ in problem.fun.params]
    bad = []
    for e in problem.examples:
        out = evaluate(body, dict(zip(names, e.inputs)))
        if out is None or out != e.output or type(out) is not type(e.output):
            bad.append(e)
    return bad


def solution_size(body: Term) -> int:
    """AST nodes of a printed solution (``(- 1)`` counts 2, as in cvc5's figures)."""
    return term_size(body)


def in_grammar(problem: PbeProblem, body: Term) -> bool:
    """Whether ``body`` can be derived from the synth-fun's grammar (any term when it has none)."""
    g = problem.fun.grammar
    if g is None:
        return True
    return derivable(g, problem.fun, body)


# ------------------------------------------------------------------------------ membership


def _literal_value(t: Term):
    if isinstance(t, App) and t.op == "-" and len(t.args) == 1 and isinstance(t.args[0], int) \
            and not isinstance(t.args[0], bool):
        return -t.args[0]
    return t


def derivable(grammar: SygusGrammar, fun: SynthFun, term: Term) -> bool:
    """Whether ``term`` is in the language of the grammar's start symbol."""
    sorts = dict(grammar.nonterminals)
    params = dict(fun.params)
    memo: dict[tuple[str, int], bool] = {}

    def lit_sort(v) -> str | None:
        if isinstance(v, bool):
            return "Bool"
        if isinstance(v, int):
            return "Int"
        if isinstance(v, str):
            return "String"
        return None

    def derives(nt: str, t: Term) -> bool:
        key = (nt, id(t))
        if key in memo:
            return memo[key]
        memo[key] = False  # a unit-rule cycle back to (nt, t) derives nothing new
        ok = any(match(r, t) for r in grammar.rules.get(nt, ()))
        memo[key] = ok
        return ok

    def match(rule, t: Term) -> bool:
        if isinstance(rule, AnyConstant):
            return lit_sort(_literal_value(t)) == rule.sort
        if isinstance(rule, AnyVariable):
            return isinstance(t, Sym) and params.get(t.name) == rule.sort
        if isinstance(rule, Sym):
            if rule.name in sorts:
                return derives(rule.name, t)
            return t == rule
        if not isinstance(rule, App):
            v = _literal_value(t)
            return type(v) is type(rule) and v == rule
        if _literal_value(rule) is not rule:  # (- n) in the grammar is the literal -n
            v = _literal_value(t)
            return type(v) is int and v == _literal_value(rule)
        if not isinstance(t, App):
            return False
        if V1_OP_NAMES.get(t.op, t.op) != V1_OP_NAMES.get(rule.op, rule.op) or len(t.args) != len(rule.args):
            return False
        return all(match(r, a) for r, a in zip(rule.args, t.args))

    return derives(grammar.start, term)


__all__ = ["PbeProblem", "InvProblem", "PbeExample", "SynthFun", "SygusGrammar", "AnyConstant",
           "AnyVariable", "read_sygus_problem", "read_sygus_tasks", "format_solution", "parse_solution",
           "failing_examples", "solution_size", "in_grammar", "define_fun_text", "program_term", "derivable"]
