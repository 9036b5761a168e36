"""Transition systems: a loop (a JSON or C loop, or a SyGuS ``synth-inv`` problem) as Z3 formulas
``init(s)``, ``trans(s, s')`` and ``post(s)``, with what the invariant learner needs besides: its
states from Z3 models, initial states and successors sampled (concretely where it can, with Z3
otherwise), and the program's atoms and constants for candidate invariants (``synth.verify.cone``).

A loop ``while (g) body`` has ``trans = g ∧ body`` (the body symbolically executed, if/else merged
with ``ite``) and ``post = ¬g → assertion``; SyGuS ``synth-inv`` files give the three formulas
directly. The Z3 checks of a candidate over a system are in ``synth.verify.inductive``.

z3 is imported inside the functions, so importing this module never needs it.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from synth.dsl.base import Node
from synth.verify.concrete import SAMPLE_RANGE, eval_term, sygus_initial_sampler, sygus_stepper
from synth.verify.cone import loop_cone, program_atoms, sygus_atoms
from synth.z3util import solve


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
            check_smt_symbol(v)
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

        hints, constants = program_atoms(problem)
        cone = loop_cone(problem)
        cone_hints, cone_constants = program_atoms(problem, cone)
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
        """The system of a SyGuS ``synth-inv`` problem (``synth.io.sygus_problem.InvProblem``).

        Declared inputs are fresh in each constraint (and each unrolled step). Variables whose
        next-state copy never occurs in ``trans`` take any value after a step (the SSA helpers of
        the Code2Inv files), so candidate invariants leave them out."""
        import z3

        from synth.io.sygus_terms import free_symbols, to_z3 as term_to_z3

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
        hints, constants, cone, cone_hints, cone_constants = sygus_atoms(problem, sorts, relevant, cur)
        return cls(name=problem.name, vars=list(names), sorts=sorts, cur=cur, nxt=nxt, init=init,
                   trans=trans, post=post, init_aux=list(ins["init"].values()),
                   trans_aux=list(ins["trans"].values()), post_aux=list(ins["post"].values()),
                   step=None, hints=hints, constants=constants, relevant=relevant,
                   inv_name=problem.inv_name,
                   init_vars=frozenset(free_symbols(problem.pre)) & frozenset(names),
                   init_eval=None if problem.inputs else (lambda st, t=problem.pre: eval_term(t, st)),
                   cone=cone, cone_hints=cone_hints,
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


def check_smt_symbol(name: str) -> None:
    """The CEGIS solvers read constraints as SMT-LIB text: a variable Z3 reserves (``and``,
    ``distinct``, ``true``...) cannot be declared there."""
    import z3

    from synth.errors import InvalidTask

    try:
        z3.parse_smt2_string(f"(declare-fun {name} () Int)(assert (= {name} {name}))")
    except z3.Z3Exception:
        raise InvalidTask(f"variable {name!r} cannot be used: Z3 reserves it as an SMT-LIB symbol; "
                          f"rename it") from None


__all__ = ["TransitionSystem", "check_smt_symbol"]
