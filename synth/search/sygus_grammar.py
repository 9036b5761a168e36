"""A SyGuS ``synth-fun`` grammar as the ``SearchGrammar`` the bottom-up search enumerates.

The grammar's nonterminals stay distinct (two String nonterminals with different rules are two
search nonterminals), so every program found is derivable from the file's grammar:

* ``nt -> other`` is a unit rule; a nonterminal whose only rule is one unit rule is merged into
  its target (``Start -> ntString`` makes ``ntString`` the start), which costs nothing and lets the
  search's concatenation and conditional shortcuts see the real productions;
* ``nt -> (op nt1 nt2 ...)`` is one ``Production`` of the domain op (SMT-LIB name and argument
  sorts pick the strings-domain op: ``ite`` on Int is ``ite/Int``, unary ``-`` is ``-/1``, ...);
* ``nt -> (op ... (op2 nt1 ...) "lit" ...)``, a nested template with holes, is one ``Production``
  whose ``fn`` evaluates the whole template (generated Python, error-propagating like the ops)
  and whose ``build`` makes the nested ``Apply`` tree; its cost is its own node count;
  parameters and other closed subterms with parameters inside a template become holes filled by
  a one-leaf helper nonterminal;
* parameters, literals and closed terms are ``Leaf``s; ``(Constant S)`` admits the strings
  domain's constants for the task (fixed ones and those found in the examples), ``(Variable S)``
  the parameters of sort S.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from synth.dsl.base import ERROR, Apply, Const, Domain, Node, Op, Var
from synth.dsl.values import scalar_type
from synth.errors import InvalidTask
from synth.io.sygus_problem import AnyConstant, AnyVariable, PbeProblem, SygusGrammar, SynthFun
from synth.io.sygus_terms import App, Sym, Term, format_term
from synth.io.sygus_theory import V1_OP_NAMES, result_sort
from synth.search.grammar import CONCAT_OPS, COND_OPS, Leaf, Production, SearchGrammar, grammar_from_ops
from synth.task import GrammarSpec

#: ops whose n-ary use (n > 2) is the right-nested binary one
_ASSOCIATIVE = {"str.++", "+", "*", "and", "or"}


def _domain() -> Domain:
    from synth.dsl import get_domain
    return get_domain("strings")


def domain_op(domain: Domain, name: str, arg_sorts: Sequence[str]) -> Op | None:
    """The strings-domain op for an SMT-LIB op name applied to arguments of these sorts."""
    name = V1_OP_NAMES.get(name, name)
    for op in domain.ops.values():
        if op.symbol == name and op.arg_types == tuple(arg_sorts):
            return op
    return None


class _Builder:
    """Turns one synth-fun grammar into a ``SearchGrammar`` for one task."""

    def __init__(self, problem: PbeProblem, task, domain: Domain):
        self.problem = problem
        self.fun: SynthFun = problem.fun
        self.grammar: SygusGrammar = problem.fun.grammar
        self.task = task
        self.domain = domain
        self.params = dict(self.fun.params)
        self.nt_sorts = dict(self.grammar.nonterminals)
        self.rep = self._merge_unit_only()
        self.nonterminals: dict[str, str] = {nt: s for nt, s in self.grammar.nonterminals if self.rep[nt] == nt}
        self.productions: list[Production] = []
        self.leaves: list[Leaf] = []
        self.units: list[tuple[str, str]] = []
        self._leaf_keys: set = set()
        self._aux: dict[Term, str] = {}
        self._constants: list[Const] | None = None

    def fail(self, what: str) -> InvalidTask:
        return InvalidTask(f"{self.problem.origin}:{self.fun.line}: synth-fun {self.fun.name}: {what}")

    # -- unit-only nonterminals -------------------------------------------------------------
    def _merge_unit_only(self) -> dict[str, str]:
        rules = self.grammar.rules
        target: dict[str, str] = {}
        for nt, rs in rules.items():
            if len(rs) == 1 and isinstance(rs[0], Sym) and rs[0].name in self.nt_sorts and rs[0].name != nt:
                target[nt] = rs[0].name
        rep: dict[str, str] = {}
        for nt in self.nt_sorts:
            seen, cur = {nt}, nt
            while cur in target and target[cur] not in seen:
                cur = target[cur]
                seen.add(cur)
            rep[nt] = cur if cur not in target else nt  # a cycle of unit rules: keep nt itself
        return rep

    # -- building ----------------------------------------------------------------------------
    def build(self) -> SearchGrammar:
        for nt, _ in self.grammar.nonterminals:
            if self.rep[nt] != nt:
                continue
            for rule in self.grammar.rules.get(nt, ()):
                self._rule(nt, rule)
        start = self.rep[self.grammar.start]
        return SearchGrammar(start=start, nonterminals=self.nonterminals, productions=self.productions,
                             leaves=self.leaves, units=self.units)

    def _leaf(self, nt: str, node: Node) -> None:
        """``nt -> node`` for an atom (a parameter or a literal): cost 1."""
        key = (nt, node)
        if key not in self._leaf_keys:
            self._leaf_keys.add(key)
            self.leaves.append(Leaf(nt, node))

    def _rule(self, nt: str, rule) -> None:
        sort = self.nt_sorts[nt]
        if isinstance(rule, AnyConstant):
            for c in self.constants():
                if c.type == rule.sort:
                    self._leaf(nt, c)
            return
        if isinstance(rule, AnyVariable):
            for p, s in self.fun.params:
                if s == rule.sort:
                    self._leaf(nt, Var(p, s))
            return
        if isinstance(rule, Sym) and rule.name in self.nt_sorts:
            other = self.rep[rule.name]
            if other != nt and (nt, other) not in self.units:
                self.units.append((nt, other))
            return
        if not self._has_hole(rule):
            if isinstance(rule, App):
                # a closed term such as (- 1) or (str.len x): built by the search from its atoms,
                # so that its cost is its size (the search takes leaves to cost 1)
                op, args = self._op(rule)
                self.productions.append(Production(nt, tuple(self._closed_nt(a) for a in args), op.fn, op.name))
            else:
                self._leaf(nt, self._closed_node(rule))
            return
        self._production(nt, sort, rule)

    def constants(self) -> list[Const]:
        if self._constants is None:
            self._constants = self.domain.constants(self.task.examples)
        return self._constants

    def _has_hole(self, t: Term) -> bool:
        if isinstance(t, Sym):
            return t.name in self.nt_sorts
        if isinstance(t, App):
            return any(self._has_hole(a) for a in t.args)
        return False

    def _sort(self, t: Term) -> str:
        if isinstance(t, Sym):
            return self.nt_sorts[t.name] if t.name in self.nt_sorts else self.params[t.name]
        lit = scalar_type(t)
        if lit is not None:
            return lit
        return result_sort(t.op, tuple(self._sort(a) for a in t.args))

    def _op(self, t: App) -> tuple[Op, list]:
        """The domain op of an application, and its argument terms (n-ary associative ops are
        split into a right-nested binary chain)."""
        args = list(t.args)
        if t.op in _ASSOCIATIVE and len(args) > 2:
            args = [args[0], App(t.op, tuple(args[1:]))]
        sorts = [self._sort(a) for a in args]
        name = t.op
        op = domain_op(self.domain, name, sorts)
        if op is None and name == "-" and len(args) == 1:
            op = domain_op(self.domain, "-", ["Int"]) or self.domain.ops.get("-/1")
        if op is None:
            raise self.fail(f"the grammar uses ({name} {' '.join(sorts)}), which the strings domain "
                            f"does not implement")
        return op, args

    def _closed_node(self, t: Term) -> Node:
        """A hole-free grammar term as a domain AST."""
        if isinstance(t, Sym):
            return Var(t.name, self.params[t.name])
        if isinstance(t, (bool, int, str)):
            return Const(t, self._sort(t))
        if t.op == "-" and len(t.args) == 1 and isinstance(t.args[0], int) and not isinstance(t.args[0], bool):
            return Const(-t.args[0], "Int")  # the literal (- n)
        op, args = self._op(t)
        return Apply(op.name, tuple(self._closed_node(a) for a in args))

    def _closed_nt(self, t: Term) -> str:
        """A helper nonterminal that derives exactly the closed term ``t`` (an atom is a leaf of
        cost 1, an application a production over the helpers of its arguments)."""
        nt = self._aux.get(t)
        if nt is not None:
            return nt
        nt = f"__{len(self._aux)}:{format_term(t)}"
        self._aux[t] = nt
        self.nonterminals[nt] = self._sort(t)
        if isinstance(t, App):
            op, args = self._op(t)
            self.productions.append(Production(nt, tuple(self._closed_nt(a) for a in args), op.fn, op.name))
        else:
            self._leaf(nt, self._closed_node(t))
        return nt

    def _production(self, nt: str, sort: str, rule: App) -> None:
        op, args = self._op(rule)
        flat = all(isinstance(a, Sym) and a.name in self.nt_sorts for a in args)
        if flat:
            arg_nts = tuple(self.rep[a.name] for a in args)
            self.productions.append(Production(nt, arg_nts, op.fn, op.name,
                                               concat=op.name in CONCAT_OPS, cond=op.name in COND_OPS))
            return
        holes: list[str] = []
        shape = self._shape(rule, holes)
        fn, build, cost = _compile_template(shape, len(holes), self.domain)
        text = format_term(rule)
        self.productions.append(Production(nt, tuple(holes), fn, f"template:{text}", cost=cost, build=build))

    def _shape(self, t: Term, holes: list[str]):
        """The template as nested tuples: ("hole", i), ("const", value, node), ("op", Op, [shapes])."""
        if isinstance(t, Sym) and t.name in self.nt_sorts:
            holes.append(self.rep[t.name])
            return ("hole", len(holes) - 1)
        if not self._has_hole(t):
            node = self._closed_node(t)
            if not _mentions_var(node):
                value = self.domain.evaluate(node, {})
                if value is not ERROR:
                    return ("const", value, node)
            holes.append(self._closed_nt(t))
            return ("hole", len(holes) - 1)
        op, args = self._op(t)
        return ("op", op, [self._shape(a, holes) for a in args])


def _printed_size(node: Node) -> int:
    """Nodes of the node as SyGuS prints it: a negative literal is the two nodes of ``(- n)``."""
    if isinstance(node, Const):
        return 2 if type(node.value) is int and node.value < 0 else 1
    if isinstance(node, Var):
        return 1
    return 1 + sum(_printed_size(a) for a in node.args)


def _mentions_var(node: Node) -> bool:
    if isinstance(node, Var):
        return True
    if isinstance(node, Apply):
        return any(_mentions_var(a) for a in node.args)
    return False


def _compile_template(shape, nholes: int, domain: Domain) -> tuple[Callable, Callable, int]:
    """Python code for a template's semantics (None as soon as an op is undefined), a builder
    of its AST, and its cost (template nodes that are not holes)."""
    env: dict[str, Any] = {}
    lines: list[str] = []
    counter = [0]
    cost = [0]

    def emit(s) -> str:
        kind = s[0]
        if kind == "hole":
            return f"h{s[1]}"
        if kind == "const":
            name = f"c{len(env)}"
            env[name] = s[1]
            cost[0] += _printed_size(s[2])
            return name
        _, op, args = s
        cost[0] += 1
        exprs = [emit(a) for a in args]
        fname = f"f{len(env)}"
        env[fname] = op.fn
        counter[0] += 1
        t = f"t{counter[0]}"
        lines.append(f"    {t} = {fname}({', '.join(exprs)})")
        lines.append(f"    if {t} is None: return None")
        return t

    result = emit(shape)
    params = ", ".join(f"h{i}" for i in range(nholes))
    src = f"def _template({params}):\n" + "\n".join(lines) + f"\n    return {result}\n"
    exec(compile(src, "<sygus template>", "exec"), env)  # noqa: S102 - our own generated code
    fn = env["_template"]

    def make(s, hole_nodes):
        kind = s[0]
        if kind == "hole":
            return hole_nodes[s[1]]
        if kind == "const":
            return s[2]
        _, op, args = s
        return Apply(op.name, tuple(make(a, hole_nodes) for a in args))

    def build(*hole_nodes):
        return make(shape, hole_nodes)

    return fn, build, cost[0]


def search_grammar(problem: PbeProblem, task, domain: Domain | None = None) -> SearchGrammar:
    """The search grammar of a PBE problem's synth-fun (its own grammar, or without one the
    strings domain's SMT-LIB ops over its parameters and the task's constants)."""
    domain = domain or _domain()
    fun = problem.fun
    if fun.grammar is None:
        ops = domain.resolve_ops("smt")
        return grammar_from_ops(domain, ops, dict(fun.params), domain.constants(task.examples), fun.sort)
    return _Builder(problem, task, domain).build()


def sygus_task_grammar(task, domain: Domain | None = None) -> SearchGrammar | None:
    """The search grammar of a task read from a SyGuS PBE file (its ``GrammarSpec``): its
    synth-fun's grammar, built on first use and kept in the spec (``search_grammar``); None for
    any other task. ``InvalidTask`` names a grammar the strings domain cannot express."""
    spec = task.spec
    if not isinstance(spec, GrammarSpec):
        return None
    grammar = spec.search_grammar
    if grammar is None and isinstance(spec.sygus, PbeProblem):
        grammar = search_grammar(spec.sygus, task, domain)
        spec.keep_search_grammar(grammar)
    return grammar
