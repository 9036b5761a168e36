"""Z3 checks of loop invariants over a transition system, and the system itself.

For ``init(s)``, ``trans(s, s')`` and the property ``post(s)`` (every state the invariant allows
must satisfy it), a candidate ``Inv`` is proved by three valid implications:

* initiation  ``init(s) → Inv(s)``           a failure gives a state Inv must include (positive)
* consecution ``Inv(s) ∧ trans(s, s') → Inv(s')``  a failure gives an implication pair (s, s')
* safety      ``Inv(s) → post(s)``           a failure gives a state Inv must exclude (negative)

Each check asserts the negation and asks Z3 with a timeout: ``unsat`` proves it, ``sat`` refutes
it with a counterexample, ``unknown`` leaves it unproven. A loop ``while (g) body`` has
``trans = g ∧ body`` and ``post = ¬g → assertion``; SyGuS ``synth-inv`` files give the three
formulas directly.

States for the learner come from running the loop: a JSON or C loop concretely, a SyGuS system
concretely where its ``pre``/``trans`` are made of definitions ``v! = e`` (the Lustre files:
``sygus_stepper``, each step checked against ``trans``), with Z3 otherwise.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from synth.dsl.base import Node
from synth.dsl.lia.syntax import only_vars
from synth.z3util import DEFAULT_TIMEOUT_MS, Verdict, solve

#: initial values are drawn from [-R, R] when a variable is free
SAMPLE_RANGE = 16


@dataclass
class TransitionSystem:
    """A loop as formulas over Z3 constants: ``cur[v]`` now, ``nxt[v]`` after one iteration.

    ``init_aux``/``trans_aux``/``post_aux`` are helper constants (nondeterministic choices,
    overwritten initial values) that unrollings rename. ``step`` (optional) runs one iteration
    concretely (None when the loop cannot continue); ``hints`` are the program's own atoms and
    ``constants`` its integer literals, both for building candidate invariants.
    """

    name: str
    vars: list[str]
    sorts: dict[str, str]
    cur: dict
    nxt: dict
    init: Any
    trans: Any
    post: Any
    init_aux: list = field(default_factory=list)
    trans_aux: list = field(default_factory=list)
    post_aux: list = field(default_factory=list)
    step: Callable[[dict, random.Random], dict | None] | None = None
    hints: list[Node] = field(default_factory=list)
    constants: list[int] = field(default_factory=list)
    #: variables an invariant may usefully mention (others are left out of candidates)
    relevant: list[str] = field(default_factory=list)
    #: whether a concrete state satisfies the property (None: not known concretely)
    concrete_post: Callable[[dict], bool] | None = None
    #: the name of the invariant in SyGuS output
    inv_name: str = "inv"
    #: variables ``init`` constrains (None: all of them)
    init_vars: frozenset | None = None
    #: ``init`` evaluated on a concrete state (None: not available)
    init_eval: Callable[[dict], bool] | None = None
    #: the variables the property depends on (its cone of influence), with the program atoms
    #: and constants that concern them: candidates over these are tried first
    cone: list[str] | None = None
    cone_hints: list[Node] = field(default_factory=list)
    cone_constants: list[int] = field(default_factory=list)
    #: a concrete successor for a SyGuS system (``sygus_stepper``): tried before Z3 is asked
    #: for a step; None when it finds none
    concrete_step: Callable[[dict, random.Random], dict | None] | None = None
    #: initial states found concretely for a SyGuS system (``sygus_initial_sampler``)
    concrete_init: Callable[[random.Random, int], list] | None = None

    # -- construction ---------------------------------------------------------------------
    @staticmethod
    def consts(vars_: Sequence[str], sorts: Mapping[str, str], suffix: str = "") -> dict:
        import z3

        return {v: (z3.Bool(v + suffix) if sorts.get(v) == "Bool" else z3.Int(v + suffix)) for v in vars_}

    @classmethod
    def from_loop(cls, problem) -> "TransitionSystem":
        """The system of a ``LoopProblem`` (``synth.dsl.lia.loop``)."""
        import z3

        from synth.dsl.lia.loop import check_sorts, expr_vars, has_nondet
        from synth.dsl.lia.statements import Infeasible, execute, eval_expr
        from synth.dsl.lia.syntax import to_z3

        check_sorts(problem)  # Z3 would fail on an integer guard or a boolean sum
        for v in problem.vars:
            _check_smt_symbol(v)
        sorts = {v: problem.var_sort(v) for v in problem.vars}
        cur = cls.consts(problem.vars, sorts)
        nxt = cls.consts(problem.vars, sorts, "!")
        counter = itertools.count()

        def fresh_in(bucket):
            def fresh(kind):
                c = (z3.Bool if kind == "Bool" else z3.Int)(f"_nd{next(counter)}")
                bucket.append(c)
                return c
            return fresh

        init_aux: list = []
        env = dict(cur)
        for e in problem.exists:
            c = z3.Bool(e) if e.startswith("_unknown") else z3.Int(e)
            env[e] = c
            init_aux.append(c)
        init = to_z3(problem.pre, env)
        trans_aux: list = []
        fresh_t = fresh_in(trans_aux)
        constraints: list = []
        state = dict(cur)
        _z3_exec(problem.body, state, z3.BoolVal(True), fresh_t, constraints)
        parts = []
        if problem.guard is not None:
            parts.append(to_z3(problem.guard, cur, fresh_t))
        parts += constraints
        parts += [nxt[v] == state[v] for v in problem.vars]
        trans = z3.And(*parts)
        post_aux: list = []
        post = to_z3(problem.post, cur)
        if problem.guard is not None:
            post = z3.Implies(z3.Not(to_z3(problem.guard, cur, fresh_in(post_aux))), post)

        guard, body, names = problem.guard, problem.body, problem.vars

        def step(s: dict, rng: random.Random) -> dict | None:
            if guard is not None and not eval_expr(guard, s, rng):
                return None
            env2 = dict(s)
            try:
                execute(body, env2, rng)
            except (Infeasible, ArithmeticError):
                return None
            return {v: env2[v] for v in names}

        post_node = problem.post

        def concrete_post(s: dict) -> bool | None:
            try:
                if guard is not None and not has_nondet(guard) and eval_expr(guard, s):
                    return True  # the loop cannot stop here
                return bool(eval_expr(post_node, s))
            except ArithmeticError:  # x % y with y == 0: Z3 leaves it open, so do we
                return None

        hints, constants = _program_atoms(problem)
        cone = _loop_cone(problem)
        cone_hints, cone_constants = _program_atoms(problem, cone)
        mentioned: set[str] = set()
        for e in problem.expressions():
            mentioned.update(expr_vars(e))
        from synth.dsl.lia.statements import assigned_vars
        mentioned.update(assigned_vars(problem.body))
        relevant = [v for v in problem.vars if v in mentioned]
        return cls(name=problem.name, vars=list(problem.vars), sorts=sorts, cur=cur, nxt=nxt,
                   init=init, trans=trans, post=post, init_aux=init_aux, trans_aux=trans_aux,
                   post_aux=post_aux, step=step, hints=hints, constants=constants,
                   relevant=relevant, concrete_post=concrete_post,
                   cone=[v for v in relevant if v in cone], cone_hints=cone_hints,
                   cone_constants=cone_constants,
                   init_eval=None if problem.exists else (lambda st, pre=problem.pre: eval_expr(pre, st)))

    @classmethod
    def from_sygus(cls, problem) -> "TransitionSystem":
        """The system of a SyGuS ``synth-inv`` problem (``synth.io.sygus.InvProblem``).

        Declared inputs are fresh in each constraint (and each unrolled step). Variables whose
        next-state copy never occurs in ``trans`` take any value after a step (the SSA helpers of
        the Code2Inv files), so candidate invariants leave them out."""
        import z3

        from synth.io.sygus_terms import (App, Sym, free_symbols, iter_subterms, substitute,
                                          to_z3 as term_to_z3)

        names = problem.state_names
        sorts = {n: s for n, s in problem.state}
        for n, s in problem.state:
            if s not in ("Int", "Bool"):
                raise ValueError(f"state variable {n} has sort {s}; only Int and Bool are supported")
        cur = cls.consts(names, sorts)
        nxt = {n: (z3.Bool if sorts[n] == "Bool" else z3.Int)(problem.primed(n)) for n in names}

        def inputs(tag):
            return {n: (z3.Bool if s == "Bool" else z3.Int)(f"{n}#{tag}") for n, s in problem.inputs}

        ins = {t: inputs(t) for t in ("init", "trans", "post")}
        init = term_to_z3(problem.pre, {**cur, **ins["init"]})
        trans = term_to_z3(problem.trans, {**cur, **{problem.primed(n): nxt[n] for n in names},
                                           **ins["trans"]})
        post = term_to_z3(problem.post, {**cur, **ins["post"]})
        primed_used = {x for x in free_symbols(problem.trans)}
        relevant = [n for n in names if problem.primed(n) in primed_used] or list(names)
        hints: dict = {}
        constants: dict = {}
        from synth.dsl.lia.syntax import from_z3

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
        from synth.dsl.base import Var

        for n in relevant:
            if sorts[n] == "Bool":
                hints.setdefault(Var(n, "Bool"), None)
                if n in cone_set:
                    cone_hints.append(Var(n, "Bool"))
        return cls(name=problem.name, vars=list(names), sorts=sorts, cur=cur, nxt=nxt, init=init,
                   trans=trans, post=post, init_aux=list(ins["init"].values()),
                   trans_aux=list(ins["trans"].values()), post_aux=list(ins["post"].values()),
                   step=None, hints=list(hints), constants=list(constants), relevant=relevant,
                   inv_name=problem.inv_name,
                   init_vars=frozenset(free_symbols(problem.pre)) & frozenset(names),
                   init_eval=None if problem.inputs else (lambda st, t=problem.pre: eval_term(t, st)),
                   cone=cone, cone_hints=list(dict.fromkeys(cone_hints)),
                   cone_constants=cone_constants, concrete_step=sygus_stepper(problem, sorts),
                   concrete_init=sygus_initial_sampler(problem, sorts))

    # -- states -----------------------------------------------------------------------------
    def state_of(self, model, consts: Mapping | None = None) -> dict:
        import z3

        consts = self.cur if consts is None else consts
        out = {}
        # the model's own values through the C API (model.eval per variable costs ~0.1 ms each,
        # which the Lustre files' 30 variables and hundreds of counterexamples add up)
        ctx, m = model.ctx.ref(), model.model
        for v in self.vars:
            c = consts[v]
            a = z3.Z3_model_get_const_interp(ctx, m, c.decl().ast)
            if self.sorts[v] == "Bool":
                if not a:
                    out[v] = False  # unconstrained: model completion's choice
                else:
                    b = z3.Z3_get_bool_value(ctx, a)
                    out[v] = True if b == z3.Z3_L_TRUE else False if b == z3.Z3_L_FALSE else \
                        z3.is_true(model.eval(c, model_completion=True))
            else:
                if not a:
                    out[v] = 0
                elif z3.Z3_is_numeral_ast(ctx, a):
                    out[v] = int(z3.Z3_get_numeral_string(ctx, a))
                else:
                    out[v] = model.eval(c, model_completion=True).as_long()
        return out

    def state_eqs(self, state: Mapping, consts: Mapping | None = None) -> list:
        import z3

        consts = self.cur if consts is None else consts
        return [consts[v] == (z3.BoolVal(state[v]) if self.sorts[v] == "Bool" else z3.IntVal(state[v]))
                for v in self.vars]

    def formula(self, inv: Node, primed: bool = False):
        """The Z3 term of a lia formula over the state (primed: over the next state). Built by
        parsing its SMT-LIB text: large invariants convert much faster than term by term."""
        import z3

        from synth.dsl.lia.syntax import to_smtlib

        consts = self.nxt if primed else self.cur
        decls = {v: consts[v] for v in self.vars}
        try:
            return z3.parse_smt2_string(f"(assert {to_smtlib(inv)})", decls=decls)[0]
        except z3.Z3Exception:  # a name the SMT-LIB printer had to quote: build term by term
            from synth.dsl.lia.syntax import to_z3

            return to_z3(inv, consts)

    # -- sampling -----------------------------------------------------------------------------
    def sample_initial(self, rng: random.Random, n: int, timeout_ms: int = 2000) -> list[dict]:
        """Up to ``n`` distinct initial states; free variables get random values where ``init``
        allows (Z3 with random equalities as assumptions, dropping those in the unsat core)."""
        import z3

        out: list[dict] = []
        seen = set()
        if self.concrete_init is not None:  # cheap: Z3 only fills up when these are too few
            found = self.concrete_init(rng, 4 * n)
            for state in found:
                key = tuple(state[v] for v in self.vars)
                if key not in seen and len(out) < n:
                    seen.add(key)
                    out.append(state)
            # enough, or the same few states over and over (init leaves little choice)
            if len(out) >= n // 2 or (out and len(found) >= 4 * len(seen)):
                return out
        s = z3.Solver()
        s.set("timeout", timeout_ms)
        s.add(self.init)
        for _ in range(n * 2):
            if len(out) >= n:
                break
            hints = {}
            for v in (self.relevant or self.vars):
                if self.sorts[v] == "Bool":
                    hints[v] = self.cur[v] == z3.BoolVal(rng.random() < getattr(rng, "bool_p", 0.5))
                else:  # mostly small values, sometimes large ones (free inputs can be anything)
                    r = SAMPLE_RANGE if rng.random() < 0.75 else 1000 * SAMPLE_RANGE
                    hints[v] = self.cur[v] == rng.randint(-r, r)
            lits = {z3.Bool(f"_hint_{v}"): (v, h) for v, h in hints.items()}
            s.push()
            for b, (_, h) in lits.items():
                s.add(z3.Implies(b, h))
            assumptions = list(lits)
            rng.shuffle(assumptions)
            state = None
            for _attempt in range(len(assumptions) + 1):
                r = s.check(*assumptions)
                if r == z3.sat:
                    state = self.state_of(s.model())
                    break
                if r != z3.unsat:
                    break
                core = [c.get_id() for c in s.unsat_core()]  # ids: printing terms is slow
                if not core:
                    break
                # give up one conflicting hint at a time (all of them when many conflict)
                drop = {rng.choice(core)} if len(core) <= 3 else set(core)
                assumptions = [a for a in assumptions if a.get_id() not in drop]
            s.pop()
            if state is None:
                continue
            key = tuple(state[v] for v in self.vars)
            if key not in seen:
                seen.add(key)
                out.append(state)
        return out

    def successor(self, state: dict, rng: random.Random, solver=None, first: bool = True) -> dict | None:
        """One successor of a state: the concrete ``step`` when there is one, else Z3.

        After the first step, variables outside ``relevant`` (never assigned by ``trans``: any
        value is reachable for them) are left free."""
        if self.step is not None:
            return self.step(state, rng)
        if self.concrete_step is not None:
            nxt = self.concrete_step(state, rng)
            if nxt is not None:
                return nxt
        import z3

        s = solver
        if s is None:
            s = z3.Solver()
            s.set("timeout", 1000)
            s.add(self.trans)
        pool = self.relevant or self.vars
        eqs = self.state_eqs(state)
        fixed = set(pool)
        if first:  # the initial state's values matter where init chose them
            fixed |= set(self.vars) if self.init_vars is None else set(self.init_vars)
        eqs = [e for v, e in zip(self.vars, eqs) if v in fixed]
        hints = [self.nxt[v] == (z3.BoolVal(rng.random() < 0.5) if self.sorts[v] == "Bool"
                                 else z3.IntVal(state[v] + rng.randint(-2, 2)))
                 for v in pool if rng.random() < 0.5]
        names = [z3.Bool(f"_succ_{i}") for i in range(len(hints))]
        # prefer a step that changes the state (SyGuS encodings often allow stuttering steps)
        moves = z3.Bool("_succ_moves")
        changed = [self.nxt[v] != (z3.BoolVal(state[v]) if self.sorts[v] == "Bool" else z3.IntVal(state[v]))
                   for v in pool]
        s.push()
        for b, h in zip(names, hints):
            s.add(z3.Implies(b, h))
        s.add(z3.Implies(moves, z3.Or(*changed) if changed else z3.BoolVal(True)))
        for e in eqs:
            s.add(e)
        result = None
        for assumptions in ([moves, *names], [moves], []):
            for _ in range(len(assumptions) + 1):
                r = s.check(*assumptions)
                if r == z3.sat:
                    result = self.state_of(s.model(), self.nxt)
                    break
                if r != z3.unsat or not assumptions:
                    break
                core = [c.get_id() for c in s.unsat_core() if c.get_id() != moves.get_id()]
                if not core:
                    break
                drop = rng.choice(core)  # give up one conflicting hint at a time
                assumptions = [a for a in assumptions if a.get_id() != drop]
            if result is not None:
                break
        s.pop()
        return result

    def init_holds(self, state: dict) -> bool | None:
        """Whether a full state satisfies ``init`` (by evaluation, no search); None when ``init``
        has helper variables and cannot be evaluated that way."""
        if self.init_eval is not None:
            try:
                return bool(self.init_eval(state))
            except (KeyError, ArithmeticError, TypeError):
                return None
        import z3

        if self.init_aux:
            return None
        pairs = [(self.cur[v], z3.BoolVal(state[v]) if self.sorts[v] == "Bool" else z3.IntVal(state[v]))
                 for v in self.vars]
        r = z3.simplify(z3.substitute(self.init, *pairs))
        return True if z3.is_true(r) else False if z3.is_false(r) else None

    def initial_neighbours(self, state: dict, rng: random.Random, tries: int = 2) -> list[dict]:
        """Initial states near a given one: each variable in turn pushed far up and down (free
        inputs of ``init`` take any value; this finds them in a few evaluations)."""
        out = []
        for v in self.relevant or self.vars:
            if self.sorts[v] == "Bool":
                cands = [not state[v]]
            else:
                cands = [state[v] + d * 10 ** rng.randint(1, 4) for d in (-1, 1) for _ in range(tries)]
            for val in cands:
                t = dict(state)
                t[v] = val
                if self.init_holds(t):
                    out.append(t)
        return out

    def trans_solver(self, timeout_ms: int = 1000):
        import z3

        s = z3.Solver()
        s.set("timeout", timeout_ms)
        s.add(self.trans)
        return s

    def is_safe_state(self, state: dict) -> bool | None:
        import z3

        answer, _ = solve([self.post, *self.state_eqs(state)], 1000)
        if answer == "unknown":
            return None
        if self.post_aux:
            # post with nondeterministic parts: safe iff no choice violates it
            bad, _ = solve([z3.Not(self.post), *self.state_eqs(state)], 1000)
            return None if bad == "unknown" else bad == "unsat"
        return answer == "sat"


def eval_term(t, env: Mapping):
    """Evaluate a SyGuS term (``synth.io.sygus_terms``) of the Inv track on concrete values."""
    from synth.io.sygus_terms import App, Sym

    if isinstance(t, bool) or isinstance(t, int):
        return t
    if isinstance(t, Sym):
        return env[t.name]
    if not isinstance(t, App):
        raise TypeError(f"cannot evaluate {t!r}")
    op = t.op
    if op == "and":
        return all(eval_term(a, env) for a in t.args)
    if op == "or":
        return any(eval_term(a, env) for a in t.args)
    if op == "ite":
        return eval_term(t.args[1] if eval_term(t.args[0], env) else t.args[2], env)
    a = [eval_term(x, env) for x in t.args]
    if op == "not":
        return not a[0]
    if op == "=>":
        r = a[-1]
        for x in reversed(a[:-1]):
            r = (not x) or r
        return r
    if op == "=":
        return all(x == y for x, y in zip(a, a[1:]))
    if op == "distinct":
        return len(set(a)) == len(a)
    if op == "+":
        return sum(a)
    if op == "-":
        return -a[0] if len(a) == 1 else a[0] - sum(a[1:])
    if op == "*":
        r = 1
        for x in a:
            r *= x
        return r
    if op in ("div", "mod"):
        if a[1] == 0:
            raise ArithmeticError("division by zero")
        q = a[0] // abs(a[1]) * (1 if a[1] > 0 else -1)  # SMT-LIB: remainder never negative
        return q if op == "div" else a[0] - a[1] * q
    if op == "abs":
        return abs(a[0])
    cmp = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
           ">=": lambda x, y: x >= y}.get(op)
    if cmp is not None:
        return all(cmp(x, y) for x, y in zip(a, a[1:]))
    raise TypeError(f"cannot evaluate op {op}")


def _z3_exec(stmts, state: dict, pc, fresh, constraints: list) -> None:
    """Symbolic execution into Z3 terms; if/else merge with ite; assume adds ``pc → cond``."""
    import z3

    from synth.dsl.lia.statements import Assert, Assign, Assume, If
    from synth.dsl.lia.syntax import to_z3

    for st in stmts:
        if isinstance(st, Assign):
            state[st.var] = to_z3(st.expr, state, fresh)
        elif isinstance(st, Assume):
            constraints.append(z3.Implies(pc, to_z3(st.cond, state, fresh)))
        elif isinstance(st, If):
            c = to_z3(st.cond, state, fresh)
            s1, s2 = dict(state), dict(state)
            _z3_exec(st.then, s1, z3.And(pc, c), fresh, constraints)
            _z3_exec(st.orelse, s2, z3.And(pc, z3.Not(c)), fresh, constraints)
            for v in state:
                state[v] = s1[v] if s1[v].eq(s2[v]) else z3.If(c, s1[v], s2[v])
        elif isinstance(st, Assert):
            raise ValueError("assert() inside a loop body is not supported")


def _loop_cone(problem) -> set:
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


def _program_atoms(problem, cone: set | None = None) -> tuple[list[Node], list[int]]:
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


# ------------------------------------------------------------------------------------ checks
def _lia_solver():
    """Z3's solver for QF_LIA (Bool and linear Int terms, ``mod`` by constants): on the large
    invariants and transition relations of the Lustre files it answers far sooner than the
    default solver; a term outside the logic gives ``unknown``, never a wrong answer."""
    import z3

    return z3.SolverFor("QF_LIA")


def check_initiation(ts: TransitionSystem, inv, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``init → inv``; refuted with an initial state that ``inv`` excludes."""
    import z3

    answer, model = solve([ts.init, z3.Not(inv)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: ts.state_of(m), "initiation",
                    "an initial state violates the invariant")


def check_consecution(ts: TransitionSystem, inv, inv_next, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``inv ∧ trans → inv'``; refuted with a pair (s, s') that leaves the invariant."""
    import z3

    answer, model = solve([inv, ts.trans, z3.Not(inv_next)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: (ts.state_of(m), ts.state_of(m, ts.nxt)),
                    "consecution", "one iteration leaves the invariant")


def check_safety(ts: TransitionSystem, inv, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """``inv → post``; refuted with a state the invariant allows that violates the property."""
    import z3

    answer, model = solve([inv, z3.Not(ts.post)], timeout_ms, _lia_solver())
    return _verdict(answer, model, lambda m: ts.state_of(m), "safety",
                    "the invariant allows a state that violates the post-condition")


def _verdict(answer, model, cex, name, what) -> Verdict:
    if answer == "unsat":
        return Verdict("proved", detail=f"{name}: valid")
    if answer == "sat":
        c = cex(model)
        return Verdict("refuted", c, f"{name}: {what}: {c}", {"check": name})
    return Verdict("unknown", detail=f"{name}: Z3 answered unknown (timeout or incomplete)",
                   extra={"check": name})


def verify_invariant(ts: TransitionSystem, inv: Node, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Verdict:
    """All three checks on a lia invariant: proved only when Z3 proves each one."""
    f, f_next = ts.formula(inv), ts.formula(inv, primed=True)
    unknown = None
    for v in (check_initiation(ts, f, timeout_ms), check_consecution(ts, f, f_next, timeout_ms),
              check_safety(ts, f, timeout_ms)):
        if v.refuted:
            return v
        if v.unknown and unknown is None:
            unknown = v
    if unknown is not None:
        return unknown
    return Verdict("proved", detail="initiation, consecution and safety proved by Z3")


def bmc(ts: TransitionSystem, depth: int, timeout_ms: int = DEFAULT_TIMEOUT_MS,
        deadline: float | None = None) -> Verdict:
    """Bounded model checking: refuted (with the trace of states) when a state reachable in at
    most ``depth`` iterations violates the property, proved when none is, unknown otherwise."""
    import time

    import z3

    s = z3.Solver()
    states = [TransitionSystem.consts(ts.vars, ts.sorts, "@0")]

    def rename(formula, k_from: dict, k_to: dict | None, aux, tag):
        pairs = [(ts.cur[v], k_from[v]) for v in ts.vars]
        if k_to is not None:
            pairs += [(ts.nxt[v], k_to[v]) for v in ts.vars]
        pairs += [(a, z3.Const(f"{a}@{tag}", a.sort())) for a in aux]
        return z3.substitute(formula, *pairs) if pairs else formula

    s.add(rename(ts.init, states[0], None, ts.init_aux, "i"))
    for k in range(depth + 1):
        left = None if deadline is None else deadline - time.perf_counter()
        if left is not None and left <= 0:
            return Verdict("unknown", detail=f"bmc: out of time after depth {k - 1}")
        budget = timeout_ms if left is None else max(1, min(timeout_ms, int(left * 1000)))
        s.set("timeout", budget)
        s.push()
        s.add(z3.Not(rename(ts.post, states[k], None, ts.post_aux, f"p{k}")))
        r = s.check()
        if r == z3.sat:
            m = s.model()
            trace = [ts.state_of(m, st) for st in states]
            s.pop()
            return Verdict("refuted", trace, f"a state reachable in {k} iteration(s) violates the "
                                             f"post-condition: {trace[-1]}", {"depth": k})
        s.pop()
        if r != z3.unsat:
            return Verdict("unknown", detail=f"bmc: Z3 unknown at depth {k}")
        if k < depth:
            states.append(TransitionSystem.consts(ts.vars, ts.sorts, f"@{k + 1}"))
            s.add(rename(ts.trans, states[k], states[k + 1], ts.trans_aux, f"t{k}"))
    return Verdict("proved", detail=f"no violation within {depth} iterations")


def _check_smt_symbol(name: str) -> None:
    """The CEGIS solvers read constraints as SMT-LIB text: a variable Z3 reserves (``and``,
    ``distinct``, ``true``...) cannot be declared there."""
    import z3

    from synth.errors import InvalidTask

    try:
        z3.parse_smt2_string(f"(declare-fun {name} () Int)(assert (= {name} {name}))")
    except z3.Z3Exception:
        raise InvalidTask(f"variable {name!r} cannot be used: Z3 reserves it as an SMT-LIB symbol; "
                          f"rename it") from None


# ------------------------------------------------------------------ concrete SyGuS steps
def _smt_mod(a, b, div=False):
    if b == 0:
        raise ArithmeticError("division by zero")
    q = a // abs(b) * (1 if b > 0 else -1)  # SMT-LIB: the remainder is never negative
    return q if div else a - b * q


def _chain(cmp):
    return lambda xs: all(cmp(x, y) for x, y in zip(xs, xs[1:]))


def _implies(xs):
    r = xs[-1]
    for x in reversed(xs[:-1]):
        r = (not x) or r
    return r


def _product(xs):
    r = 1
    for x in xs:
        r *= x
    return r


#: the Inv track's ops on evaluated arguments (as ``eval_term``)
_EVAL_OPS = {
    "not": lambda xs: not xs[0],
    "=>": _implies,
    "=": _chain(lambda x, y: x == y),
    "distinct": lambda xs: len(set(xs)) == len(xs),
    "+": sum,
    "-": lambda xs: -xs[0] if len(xs) == 1 else xs[0] - sum(xs[1:]),
    "*": _product,
    "div": lambda xs: _smt_mod(xs[0], xs[1], True),
    "mod": lambda xs: _smt_mod(xs[0], xs[1]),
    "abs": lambda xs: abs(xs[0]),
    "<": _chain(lambda x, y: x < y),
    "<=": _chain(lambda x, y: x <= y),
    ">": _chain(lambda x, y: x > y),
    ">=": _chain(lambda x, y: x >= y),
    "xor": lambda xs: sum(bool(x) for x in xs) % 2 == 1,
}


def _eval_shared(t, env: Mapping, memo: dict):
    """``eval_term`` with a memo over shared subterms (the reader's terms are DAGs: an
    expanded ``let`` is one object used many times)."""
    from synth.io.sygus_terms import App, Sym

    if isinstance(t, Sym):
        return env[t.name]
    if not isinstance(t, App):
        return t
    key = id(t)
    if key in memo:
        return memo[key]
    op = t.op
    if op == "and":
        out = all(_eval_shared(a, env, memo) for a in t.args)
    elif op == "or":
        out = any(_eval_shared(a, env, memo) for a in t.args)
    elif op == "ite":
        branch = t.args[1] if _eval_shared(t.args[0], env, memo) else t.args[2]
        out = _eval_shared(branch, env, memo)
    else:
        f = _EVAL_OPS.get(op)
        if f is None:
            raise TypeError(f"cannot evaluate op {op}")
        out = f([_eval_shared(a, env, memo) for a in t.args])
    memo[key] = out
    return out


def _concrete_solver(term, unknown_sort: Mapping[str, str], near: Mapping[str, str]):
    """``attempt(known, rng)``: values for the ``unknown_sort`` symbols that make ``term`` true
    given the ``known`` ones, or None. Equations ``v = e`` give ``v`` once ``e``'s symbols have
    values, a disjunction takes a random branch, a symbol no equation defines (an input, a
    variable the term leaves free) gets a random value (an integer often near the known value of
    ``near[v]``), and the whole term is evaluated on the result: only a true model is returned."""
    from synth.io.sygus_terms import App, Sym, free_symbols

    fv_cache: dict[int, frozenset] = {}

    def fv(t) -> frozenset:
        k = id(t)
        r = fv_cache.get(k)
        if r is None:
            r = fv_cache[k] = frozenset(free_symbols(t) & unknown_sort.keys())
        return r

    made: dict[int, tuple] = {}

    def synthetic(t, make):
        """One equation object per literal (schedules are cached by the equations' ids)."""
        got = made.get(id(t))
        if got is None:
            got = made[id(t)] = (t, make())
        return got[1]

    def pick(t, rng, eqs: list, checks: list, depth=0) -> None:
        """Flatten ``t`` into equations and checks, taking a random branch of each ``or``."""
        if isinstance(t, App) and t.op == "and":
            for a in t.args:
                pick(a, rng, eqs, checks, depth)
        elif isinstance(t, App) and t.op == "or" and depth < 8 and any(fv(a) for a in t.args):
            pick(t.args[rng.randrange(len(t.args))], rng, eqs, checks, depth + 1)
        elif isinstance(t, App) and t.op == "=" and len(t.args) == 2:
            eqs.append(t)
        elif isinstance(t, Sym) and t.name in unknown_sort:
            eqs.append(synthetic(t, lambda: App("=", (t, True))))
        elif isinstance(t, App) and t.op == "not" and isinstance(t.args[0], Sym) and \
                t.args[0].name in unknown_sort:
            eqs.append(synthetic(t, lambda: App("=", (t.args[0], False))))
        else:
            checks.append(t)

    def random_value(sym: str, known: Mapping, rng) -> Any:
        if unknown_sort[sym] == "Bool":
            return rng.random() < getattr(rng, "bool_p", 0.5)
        base = near.get(sym)
        if base is not None and base in known and rng.random() < getattr(rng, "int_stay", 0.0):
            return known[base]  # an input that keeps its value (a parameter read every step)
        if base is not None and base in known and rng.random() < 0.5:
            return known[base] + rng.randint(-2, 2)
        if rng.random() < 0.9:
            return rng.randint(-SAMPLE_RANGE, SAMPLE_RANGE)
        return rng.randint(-1000, 1000)

    schedules: dict[tuple, list] = {}

    def schedule(eqs: list) -> list:
        """The order in which the equations give values: ``(symbol, term)`` (its value) or
        ``(symbol, None)`` (a random value), for one choice of ``or`` branches."""
        key = tuple(id(e) for e in eqs)
        out = schedules.get(key)
        if out is not None:
            return out
        out = []
        done: set = set()
        pending = list(eqs)
        while pending:
            progress = False
            rest = []
            for e in pending:
                a, b = e.args
                for lhs, rhs in ((a, b), (b, a)):
                    if isinstance(lhs, Sym) and lhs.name in unknown_sort and lhs.name not in done \
                            and fv(rhs) <= done:
                        out.append((lhs.name, rhs))
                        done.add(lhs.name)
                        progress = True
                        break
                else:
                    rest.append(e)
            pending = rest
            if pending and not progress:
                # a symbol no pending equation can define yet: a free one first
                definable = {x.name for e in pending for x in e.args if isinstance(x, Sym)}
                free = sorted({x for e in pending for x in fv(e)} - done)
                if not free:
                    break  # equations over known values: checked at the end
                sym = ([x for x in free if x not in definable] or free)[0]
                out.append((sym, None))
                done.add(sym)
        out += [(sym, None) for sym in unknown_sort if sym not in done]
        schedules[key] = out
        return out

    def attempt(known: Mapping, rng) -> dict | None:
        env = dict(known)
        memo: dict = {}  # values only ever get added to env: a subterm's value stays valid
        eqs: list = []
        checks: list = []
        pick(term, rng, eqs, checks)
        for sym, rhs in schedule(eqs):
            env[sym] = random_value(sym, known, rng) if rhs is None else _eval_shared(rhs, env, memo)
        if not bool(_eval_shared(term, env, memo)):
            return None
        return env

    return attempt


def sygus_stepper(problem, sorts: Mapping[str, str]):
    """A concrete ``step(state, rng)`` for a SyGuS ``trans`` (``_concrete_solver`` over the primed
    variables and the inputs): every state it gives is a true successor. A step that changes
    nothing is returned only when no other one is found; None when none is."""
    names = problem.state_names
    primed = {problem.primed(n): n for n in names}
    unknown_sort = {p: sorts[n] for p, n in primed.items()}
    unknown_sort.update({n: s for n, s in problem.inputs})
    if any(s not in ("Int", "Bool") for s in unknown_sort.values()):
        return None
    attempt = _concrete_solver(problem.trans, unknown_sort, primed)

    def step(state: dict, rng) -> dict | None:
        stutter = None
        for _ in range(8):
            try:
                env = attempt(state, rng)
            except (ArithmeticError, KeyError, TypeError, RecursionError):
                return None
            if env is not None:
                nxt = {n: env[problem.primed(n)] for n in names}
                if any(nxt[n] != state[n] for n in names):
                    return nxt
                stutter = nxt
        return stutter

    return step


def sygus_initial_sampler(problem, sorts: Mapping[str, str]):
    """``sample(rng, tries)``: initial states of a SyGuS system found concretely
    (``_concrete_solver`` on ``pre``), each one a true model of ``pre``."""
    names = problem.state_names
    unknown_sort = {n: sorts[n] for n in names}
    unknown_sort.update({n: s for n, s in problem.inputs})
    if any(s not in ("Int", "Bool") for s in unknown_sort.values()):
        return None
    attempt = _concrete_solver(problem.pre, unknown_sort, {})

    def sample(rng, tries: int) -> list[dict]:
        out = []
        for _ in range(tries):
            try:
                env = attempt({}, rng)
            except (ArithmeticError, KeyError, TypeError, RecursionError):
                return out
            if env is not None:
                out.append({n: env[n] for n in names})
        return out

    return sample
