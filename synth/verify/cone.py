"""What a transition system offers candidate invariants: the program's own atoms (comparisons,
boolean variables) and integer constants, and its cone of influence, the variables the property
depends on, with the atoms and constants that concern them (candidates over these are tried
first). One function per kind of system: ``loop_cone`` and ``program_atoms`` for a loop
(``synth.dsl.lia.loop.LoopProblem``), ``sygus_atoms`` for a SyGuS ``synth-inv`` problem.

Kept apart from the system's construction (``synth.verify.transition``) because it is a static
analysis of the program text, not part of the formulas Z3 checks.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from synth.dsl.base import Node
from synth.dsl.lia.syntax import only_vars


def loop_cone(problem) -> set:
    """The variables the loop's property depends on: those of the post-condition and the guard,
    closed under the assignments to them (their right-hand sides and enclosing conditions), the
    assumes and the pre-condition's conjuncts that mention them."""
    from synth.dsl.base import Apply
    from synth.dsl.lia.loop import expr_vars
    from synth.dsl.lia.statements import Assign, Assume, If

    cone = set(expr_vars(problem.post))
    if problem.guard is not None:
        cone |= set(expr_vars(problem.guard))
    deps: list[tuple[set, set]] = []  # (if any of these is in the cone, add those)

    def walk(stmts, conds: set):
        for st in stmts:
            if isinstance(st, Assign):
                deps.append(({st.var}, set(expr_vars(st.expr)) | conds))
            elif isinstance(st, If):
                c = set(expr_vars(st.cond))
                walk(st.then, conds | c)
                walk(st.orelse, conds | c)
            elif isinstance(st, Assume):
                vs = set(expr_vars(st.cond))
                deps.append((vs, vs | conds))

    walk(problem.body, set())
    parts = problem.pre.args if isinstance(problem.pre, Apply) and problem.pre.op == "and" else (problem.pre,)
    for p in parts:
        vs = set(expr_vars(p))
        deps.append((vs, vs))
    changed = True
    while changed:
        changed = False
        for trigger, add in deps:
            if trigger & cone and not add <= cone:
                cone |= add
                changed = True
    return cone


def program_atoms(problem, cone: set | None = None) -> tuple[list[Node], list[int]]:
    """Comparisons and boolean variables in the program, and its integer constants (only those
    of expressions that concern the ``cone`` variables, when given)."""
    from synth.dsl.base import Apply, Const, Var
    from synth.dsl.lia.loop import expr_vars
    from synth.dsl.lia.ops import COMPARISONS
    from synth.dsl.lia.statements import Assign, If

    atoms: dict[Node, None] = {}
    consts: dict[int, None] = {}
    names = set(problem.vars) if cone is None else set(cone) & set(problem.vars)
    exprs = list(problem.expressions())
    if cone is not None:
        exprs = []
        parts = problem.pre.args if isinstance(problem.pre, Apply) and problem.pre.op == "and" else (problem.pre,)
        exprs += [p for p in parts if set(expr_vars(p)) & cone]
        if problem.guard is not None:
            exprs.append(problem.guard)
        exprs.append(problem.post)

        def walk(stmts):
            for st in stmts:
                if isinstance(st, Assign):
                    if st.var in cone:
                        exprs.append(st.expr)
                elif isinstance(st, If):
                    if set(expr_vars(st.cond)) & cone:
                        exprs.append(st.cond)
                    walk(st.then)
                    walk(st.orelse)
                else:
                    exprs.append(st.cond)

        walk(problem.body)
    for e in exprs:
        stack = [e]
        while stack:
            n = stack.pop()
            if isinstance(n, Const) and n.type == "Int":
                consts.setdefault(n.value, None)
            elif isinstance(n, Apply):
                if n.op in COMPARISONS and only_vars(n, names):
                    atoms.setdefault(n, None)
                stack.extend(n.args)
            elif isinstance(n, Var) and n.type == "Bool" and n.name in names:
                atoms.setdefault(n, None)
    return list(atoms), list(consts)


def sygus_atoms(problem, sorts: Mapping[str, str], relevant: Sequence[str], cur: Mapping):
    """The atoms and cone of a SyGuS system (``synth.io.sygus_problem.InvProblem``):
    ``(hints, constants, cone, cone_hints, cone_constants)``. Hints are the comparisons of pre,
    trans and post over ``relevant`` integer variables (as lia nodes) and the relevant boolean
    variables; the cone is the relevant variables connected, through shared comparisons, to
    those of post's non-trivial atoms (helpers equated with a state variable stand for it)."""
    from synth.dsl.base import Var
    from synth.dsl.lia.syntax import from_z3
    from synth.io.sygus_terms import App, Sym, free_symbols, iter_subterms, substitute, to_z3 as term_to_z3

    hints: dict = {}
    constants: dict = {}
    comparisons = ("<", "<=", ">", ">=", "=", "distinct")
    rel = set(relevant)
    # union-find of variables that occur in one atom (primed names count as unprimed)
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def base(x: str) -> str:
        return x[:-1] if x.endswith("!") and x[:-1] in sorts else x

    atom_info: list = []  # (atom term, its base variables, constants in it)
    post_vars: set = set()
    for which, term in (("pre", problem.pre), ("trans", problem.trans), ("post", problem.post)):
        # helpers equated with a state variable (x_2 = x) stand for it in this formula
        alias: dict = {}
        for t in iter_subterms(term):
            if isinstance(t, App) and t.op == "=" and len(t.args) == 2 and \
                    all(isinstance(a, Sym) for a in t.args):
                a, b = t.args[0].name, t.args[1].name
                if a in rel and b in sorts and b not in rel:
                    alias.setdefault(b, Sym(a))
                elif b in rel and a in sorts and a not in rel:
                    alias.setdefault(a, Sym(b))
        if alias:
            term = substitute(term, alias)
        if which == "post":  # the variables of its non-trivial atoms (x_2 = x is x = x now)
            post_vars = set()
            for t in iter_subterms(term):
                if isinstance(t, App) and t.op in comparisons and \
                        not (t.op == "=" and len(set(map(str, t.args))) == 1):
                    post_vars |= {base(x) for x in free_symbols(t)} & set(sorts)
        for t in iter_subterms(term):
            if isinstance(t, bool):
                continue
            if isinstance(t, int):
                constants.setdefault(int(t), None)
            elif isinstance(t, App) and t.op in comparisons:
                vs = {base(x) for x in free_symbols(t)} & set(sorts)
                for a, b in zip(list(vs), list(vs)[1:]):
                    parent[find(a)] = find(b)
                consts = [x for x in iter_subterms(t) if isinstance(x, int) and not isinstance(x, bool)]
                node = None
                fs = free_symbols(t)
                if len(t.args) == 2 and fs and fs <= rel and all(sorts[x] == "Int" for x in fs):
                    try:
                        node = from_z3(term_to_z3(t, cur))
                    except ValueError:
                        node = None
                    if node is not None:
                        hints.setdefault(node, None)
                atom_info.append((node, vs, consts))
    roots = {find(v) for v in post_vars}
    cone = [v for v in relevant if find(v) in roots] or list(relevant)
    cone_set = set(cone)
    cone_hints = [h for h, vs, _ in atom_info if h is not None and vs <= cone_set]
    cone_constants = sorted({int(c) for _, vs, cs in atom_info if vs & cone_set or not vs for c in cs})
    for n in relevant:
        if sorts[n] == "Bool":
            hints.setdefault(Var(n, "Bool"), None)
            if n in cone_set:
                cone_hints.append(Var(n, "Bool"))
    return list(hints), list(constants), cone, list(dict.fromkeys(cone_hints)), cone_constants


__all__ = ["loop_cone", "program_atoms", "sygus_atoms"]
