"""SyGuS-IF reader (versions 1 and 2): a ``.sl`` file as a PBE-strings task or an invariant task.

Reading is three steps: ``sygus_sexpr`` turns the text into s-expressions with the Lark grammar
``sygus.lark``; the checker (``sygus_check``) gives them meaning (commands, sorts, grammars,
terms) and type-checks every term; this module builds one problem (``sygus_problem``):

* ``PbeProblem``: one ``synth-fun`` whose constraints are all ``(= (f lit ...) lit)`` examples.
  ``read_sygus_tasks`` turns it into a strings-domain ``Task`` with the problem in
  its ``GrammarSpec``; the search turns the synth-fun grammar into a ``SearchGrammar``
  (``synth.search.sygus_grammar.sygus_task_grammar``) when it searches the task.
* ``InvProblem``: a ``synth-inv`` with ``inv-constraint`` (the invariant track); see its docstring
  for the term representation a solver gets.

Both language versions are accepted: v1 (grammar without the nonterminal predeclaration,
``declare-primed-var``, ``int.to.str``/``str.to.int``, negative literals ``-1``, typed ``let``
bindings) and v2 (``((Start String) ...)`` predeclaration, ``(- 1)``, SMT-LIB 2.6 names).
Every problem with a file is an ``InvalidTask`` whose one-line message names file, line and
construct; contradictory examples are ``InconsistentExamples`` naming the clashing constraints.

Solutions (``format_solution``, ``parse_solution`` and the checks) are in ``sygus_solution``;
this module re-exports the names it had before the split, so ``from synth.io.sygus import ...``
keeps working.
"""
from __future__ import annotations

from pathlib import Path

from synth.errors import InconsistentExamples, InvalidTask
from synth.io.sygus_check import SygusChecker, check_sygus_text
from synth.io.sygus_problem import (AnyConstant, AnyVariable, GrammarRule, InvProblem, PbeExample, PbeProblem,
                                    SygusGrammar, SygusProblem, SynthFun)
from synth.io.sygus_solution import (define_fun_text, derivable, failing_examples, format_solution, in_grammar,
                                     parse_solution, program_term, solution_size)
from synth.io.sygus_terms import App, Sym, Term, format_literal, format_term, free_symbols, substitute

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


def _inv_problem(ck: SygusChecker, name: str, where: str) -> InvProblem:
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


def _pbe_problem(ck: SygusChecker, name: str, where: str) -> PbeProblem:
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
    from synth.task import Example, GrammarSpec, InvariantSpec, Task

    path = Path(path)
    problem = read_sygus_problem(path)
    if isinstance(problem, InvProblem):
        return [Task(name=problem.name, domain="lia", spec=InvariantSpec(sygus_inv=problem, source=str(path)),
                     origin=str(path))]
    f = problem.fun
    names = [p for p, _ in f.params]
    examples = [Example(dict(zip(names, e.inputs)), e.output) for e in problem.distinct_examples]
    task = Task(name=problem.name, domain="strings", examples=examples, origin=str(path),
                spec=GrammarSpec(sygus=problem, source=str(path)))
    task.validate()  # the strings domain's limits: 64-bit integers, strings of 10,000 characters
    return [task]


__all__ = ["PbeProblem", "InvProblem", "PbeExample", "SynthFun", "SygusGrammar", "AnyConstant",
           "AnyVariable", "read_sygus_problem", "read_sygus_tasks", "format_solution", "parse_solution",
           "failing_examples", "solution_size", "in_grammar", "define_fun_text", "program_term", "derivable"]
