"""The checker of a SyGuS file's commands: it gives the s-expressions of ``sygus_sexpr`` meaning
(commands, sorts, grammars, terms), type-checks every term, expands ``let`` and define-fun calls,
and collects the declarations from which the reader (``synth.io.sygus``) builds a problem.

It is its own module because two readers use it: the file reader, and ``parse_solution``
(``synth.io.sygus_solution``), which reads a solver's ``define-fun`` back with the same rules.
Every problem is an ``InvalidTask`` whose one-line message names file, line and construct.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Mapping, Sequence

from lark import Token

from synth.errors import InvalidTask
from synth.io.limits import MAX_LITERAL_DIGITS, MAX_TERM_DEPTH
from synth.io.sygus_problem import AnyConstant, AnyVariable, GrammarRule, SygusGrammar, SynthFun
from synth.io.sygus_sexpr import SList, line_of, parse_sexprs, sexpr_text
from synth.io.sygus_terms import App, Sym, Term, substitute, term_depth
from synth.io.sygus_theory import SORTS, V1_OP_NAMES, SortError, result_sort


@dataclass
class _Define:
    params: tuple[tuple[str, str], ...]
    sort: str
    body: Term
    line: int | str


class SygusChecker:
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
            from synth.dsl.values import MAX_STRING_LENGTH
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


def check_sygus_text(text: str, where: str) -> SygusChecker:
    """Parse and check every command of a SyGuS file (up to ``check-synth``)."""
    sexprs = parse_sexprs(text, where)
    checker = SygusChecker(where)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))  # deeply nested Lustre terms
    try:
        for c in sexprs:  # a file without check-synth is still a problem statement
            if not checker.command(c):
                break
    finally:
        sys.setrecursionlimit(old)
    return checker


__all__ = ["SygusChecker", "check_sygus_text"]
