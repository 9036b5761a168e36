"""Solutions of SyGuS problems: the ``(define-fun ...)`` text of a program found for a SyGuS
task (``format_solution``), reading such text back (``parse_solution``), and the checks of a
solution term against its PBE problem (the file's examples, the synth-fun's grammar, its size).

These are apart from the reader because they work on answers, not on files: the bench record
prints them, and ``benchmarks/sygus_vs_cvc5.py`` checks cvc5's answers and synth's with them.
Printing needs the DSL layer only (the strings domain's op symbols, the lia domain's printer),
so it sits with the readers in ``synth.io``.
"""
from __future__ import annotations

from synth.dsl.values import scalar_type
from synth.errors import InvalidTask
from synth.io.sygus_check import SygusChecker
from synth.io.sygus_problem import AnyConstant, AnyVariable, InvProblem, PbeExample, PbeProblem, SygusGrammar, SynthFun
from synth.io.sygus_sexpr import SList, parse_sexprs
from synth.io.sygus_terms import App, Sym, Term, format_term, substitute, term_size
from synth.io.sygus_theory import V1_OP_NAMES, V2_TO_V1_OP_NAMES, evaluate

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
    inv = getattr(task.spec, "sygus_inv", None)
    if isinstance(inv, InvProblem):
        from synth.dsl.lia.syntax import format_define_fun

        return format_define_fun(_sym(inv.inv_name), list(inv.state), node)
    problem = getattr(task.spec, "sygus", None)
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
    ck = SygusChecker(where)
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
            return scalar_type(_literal_value(t)) == rule.sort
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


__all__ = ["format_solution", "parse_solution", "failing_examples", "solution_size", "in_grammar",
           "define_fun_text", "program_term", "derivable"]
