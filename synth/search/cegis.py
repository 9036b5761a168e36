"""Strategy ``cegis``: loop invariants by counterexample-guided inductive synthesis.

The learner (``synth.search.invariant``) proposes the strongest conjunction of candidate clauses
consistent with its ICE data; the teacher (Z3) checks initiation, consecution and safety, and a
failed check's model becomes a positive state, an implication pair or a negative state. Clause
spaces grow (the program's own predicates alone, single literals, then case splits on the
program's conditions, then wider disjunctions) until a proposal passes all three checks. The
answer is then shrunk with unsat cores and re-verified from its printed form: every reported
invariant is Z3-proven; a Z3 ``unknown`` is reported as ``unproven``. A loop whose property fails on a reachable state (found
by running it, or by bounded model checking) has no invariant: status ``infeasible``.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from synth.dsl.base import Domain, Node
from synth.errors import InvalidTask
from synth.search.bottom_up import SearchOutcome
from synth.search.budget import DEFAULT_TIMEOUT, Budget, Clock
from synth.search.invariant import (Atom, AtomTable, CandidateAtoms, Clause, ClauseValues, IceData,
                                    StateTable, admits_negative, atom_values, candidate_atoms,
                                    conjunction_node, pair_clauses, strongest_consistent,
                                    triple_clauses, unit_clauses)
from synth.task import InvariantSpec, LiaSpec, LoopSpec, Task, TaskSpec

#: most Z3 milliseconds one query may take
QUERY_MS = 8000
#: sampled runs: initial states, and iterations per run
RUNS, RUN_LENGTH = 24, 40
#: concrete steps taken on from the target of each consecution counterexample
CEX_STEPS = 4
#: the chance that a free boolean (an input of the step) is true, run by run: a quarter of the
#: runs keep inputs mostly false (Lustre encodings track "so far, at most one event at a time":
#: fair coins break such a history in the first steps, and its states are never sampled); those
#: runs also mostly keep an integer input at its last value (a parameter such as a count of
#: processes, read again at every step)
RUN_BOOL_P = (0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.1, 0.01)
#: depth of the bounded model check for unreachable-property loops
BMC_DEPTH = 6
#: clause spaces larger than this are cut (the most promising clauses first)
MAX_CLAUSES = 8000
#: least Z3 milliseconds each of the three checks of the final invariant gets
FINAL_CHECK_MS = 60
#: seconds to set up the teacher's solvers, per clause, until one set-up has been timed (it
#: cannot be interrupted, so a clause space is only started when its set-up fits the budget)
TEACHER_S_PER_CLAUSE = 50e-6


def system_for_task(task: Task):
    """The transition system of a lia task: a JSON loop, a C program, or a SyGuS synth-inv."""
    from synth.dsl.lia.loop import LoopProblem, loop_from_spec

    from synth.verify.transition import TransitionSystem

    spec = task.spec
    if isinstance(spec, InvariantSpec):
        try:
            return TransitionSystem.from_sygus(spec.sygus_inv)
        except ValueError as e:
            raise InvalidTask(f"task {task.name!r}: {e}") from None
    if isinstance(spec, LoopSpec):
        loop = spec.loop
    elif isinstance(spec, LiaSpec):
        loop = spec.parse_loop(task.name)
    else:  # not a lia task's spec: loop_from_spec names what is wrong with it
        loop = loop_from_spec(task.name, spec.to_dict() if isinstance(spec, TaskSpec) else spec)
    if not isinstance(loop, LoopProblem):
        raise InvalidTask(f"task {task.name!r}: not a loop problem")
    return TransitionSystem.from_loop(loop)


def _solver():
    """A solver for the learner's queries: Z3's QF_LIA solver (Bool and linear Int terms; ``mod``
    by a constant is linear). On the Lustre files' consecution queries with thousands of clause
    switches it answers several times faster than the default solver; a query outside the
    logic comes back ``unknown``, never a wrong answer."""
    import z3

    s = z3.SolverFor("QF_LIA")
    s.set("model.compact", False)  # models of thousands of switches: compacting them dominated
    return s


class _Teacher:
    """Incremental Z3 solvers for one clause space. Clause ``i`` is assumed (literal ``on_i``)
    while alive; the negated next-state (and initial) conjunction is a disjunction of switches
    ``off_i``, and a clause that dies has its switch turned off for good, so the solvers are
    built once per space and only grow."""

    def __init__(self, ts, atoms: Sequence[Atom], clauses: Sequence[Clause], atom_z3: dict):
        import z3

        self.ts, self.clauses = ts, list(clauses)
        n = len(self.clauses)
        # the clause constraints go to Z3 as SMT-LIB text parsed by the solver itself: building
        # thousands of terms through the Python API costs far more than the solving
        cur = [clause_smt(atoms, c, atom_z3, False) for c in self.clauses]
        nxt = [clause_smt(atoms, c, atom_z3, True) for c in self.clauses]
        decls = _declarations(ts)
        for prefix in ("_on", "_offn", "_offi"):
            decls += "".join(f"(declare-fun {prefix}{i} () Bool)\n" for i in range(n))
        # _on{i}: clause i holds now; _offn{i}: it fails next; _offi{i}: it fails initially
        self.on = [z3.Bool(f"_on{i}") for i in range(n)]
        self.on_ast = [b.as_ast() for b in self.on]
        self.init = _solver()
        self.init.add(ts.init)
        self.cons = _solver()
        self.cons.add(ts.trans)
        self.safe = _solver()
        self.safe.add(z3.Not(ts.post))
        if n:
            init_text = "".join(f"(assert (=> _offi{i} (not {cur[i]})))\n" for i in range(n))
            init_text += f"(assert (or {' '.join(f'_offi{i}' for i in range(n))}))\n"
            on_text = "".join(f"(assert (=> _on{i} {cur[i]}))\n" for i in range(n))
            cons_text = on_text + "".join(f"(assert (=> _offn{i} (not {nxt[i]})))\n" for i in range(n))
            cons_text += f"(assert (or {' '.join(f'_offn{i}' for i in range(n))}))\n"
            self.init.from_string(decls + init_text)
            self.cons.from_string(decls + cons_text)
            self.safe.from_string(decls + on_text)
        else:
            self.init.add(z3.BoolVal(False))
            self.cons.add(z3.BoolVal(False))
        self.dead = np.zeros(n, dtype=bool)
        self.initiated = False

    def _retire(self, keep) -> None:
        newly = np.flatnonzero(~keep & ~self.dead)
        if newly.size:
            self.dead[newly] = True
            self.init.from_string("".join(f"(assert (not _offi{i}))" for i in newly))
            self.cons.from_string("".join(f"(assert (not _offn{i}))" for i in newly))

    def _check(self, solver, alive, timeout_ms):
        """Check with the alive clauses' ``on`` literals as assumptions (through the C API: the
        Python wrapper's per-literal checks dominate otherwise)."""
        import z3

        solver.set("timeout", max(1, int(timeout_ms)))
        if alive is None:
            r = solver.check()
        else:
            arr = (z3.Ast * len(alive))()
            on = self.on_ast
            for j, i in enumerate(alive):
                arr[j] = on[i]
            r = z3.CheckSatResult(z3.Z3_solver_check_assumptions(solver.ctx.ref(), solver.solver,
                                                                  len(alive), arr))
        if r == z3.sat:
            return "sat", solver.model()
        return ("unsat" if r == z3.unsat else "unknown"), None

    def initiation(self, keep, timeout_ms):
        # the conjunction only ever loses clauses: once initiated, it stays initiated
        if self.initiated:
            return "unsat", None
        self._retire(keep)
        answer, model = self._check(self.init, None, timeout_ms)
        self.initiated = answer == "unsat"
        return answer, model

    def consecution(self, keep, timeout_ms):
        self._retire(keep)
        return self._check(self.cons, np.flatnonzero(keep).tolist(), timeout_ms)

    def safety(self, keep, timeout_ms):
        return self._check(self.safe, np.flatnonzero(keep).tolist(), timeout_ms)


def _primed(v: str) -> str:
    return v + "!"


def _smt_symbol(name: str) -> str:
    from synth.dsl.lia.syntax import _plain_symbol

    return name if _plain_symbol(name) else f"|{name}|"


def clause_smt(atoms, clause: Clause, cache: dict, primed: bool) -> str:
    """SMT-LIB text of a clause over the state variables (primed: their ``name!`` copies)."""
    from synth.dsl.base import Var
    from synth.dsl.lia.loop import expr_vars, subst
    from synth.dsl.lia.syntax import to_smtlib

    lits = []
    for i, pol in clause:
        key = ("smt", i, primed)
        text = cache.get(key)
        if text is None:
            node = atoms[i].node
            if primed:
                node = subst(node, {v: Var(_primed(v), "Bool" if cache["_ts"].sorts.get(v) == "Bool"
                                           else "Int") for v in expr_vars(node)})
            text = cache[key] = to_smtlib(node)
        lits.append(text if pol else f"(not {text})")
    return lits[0] if len(lits) == 1 else f"(or {' '.join(lits)})"


def clause_z3(atoms, clause: Clause, atom_z3: dict, primed: bool):
    """The Z3 term of a clause (cached in ``atom_z3`` with its atoms)."""
    import z3

    key = ("clause", clause, primed)
    done = atom_z3.get(key)
    if done is not None:
        return done
    lits = []
    for i, pol in clause:
        k = (i, primed)
        e = atom_z3.get(k)
        if e is None:
            e = atom_z3[k] = _atom_to_z3(atoms[i], primed, atom_z3["_ts"])
        lits.append(e if pol else z3.Not(e))
    out = lits[0] if len(lits) == 1 else z3.Or(*lits)
    atom_z3[key] = out
    return out


def _atom_to_z3(atom: Atom, primed: bool, ts):
    from synth.dsl.lia.syntax import to_z3

    return to_z3(atom.node, ts.nxt if primed else ts.cur)


@dataclass
class _LevelResult:
    status: str  # proved | refuted (no invariant in this space) | unknown | timeout
    keep: np.ndarray | None = None
    rounds: int = 0


def houdini(ts, atoms: CandidateAtoms, clauses: Sequence[Clause], data: IceData, clock: Clock,
            atom_z3: dict, stats: dict, rng: random.Random | None = None,
            atom_table: AtomTable | None = None) -> _LevelResult:
    """ICE rounds over one clause space until a proposal is proved or no subset can work."""
    rng = rng or random.Random(0)
    t0 = time.perf_counter()
    teacher = _Teacher(ts, atoms.atoms, clauses, atom_z3)
    if len(clauses) >= 100:  # the set-up time per clause, for the next space's estimate
        atom_z3["_teacher_rate"] = (time.perf_counter() - t0) / len(clauses)
    values = ClauseValues(clauses, atoms.atoms, data.table, atom_table)
    keep = np.ones(len(clauses), dtype=bool)
    rounds = 0
    checked = 0  # positives every clause of ``keep`` is true on
    hopeless = False  # a negative state is inside: go on only to reach the inductive part
    while True:
        if clock.exceeded():
            return _LevelResult("timeout", keep, rounds)
        keep = strongest_consistent(values, data, keep, checked)  # keep: true on those
        checked = len(data.positives)
        if not hopeless and admits_negative(values, data, keep) is not None:
            hopeless = True
        rounds += 1
        stats["rounds"] = stats.get("rounds", 0) + 1
        ms = _query_ms(clock)
        answer, model = teacher.initiation(keep, ms)
        if answer == "sat":
            s0 = ts.state_of(model)
            data.add_positive(s0)
            for t in ts.initial_neighbours(s0, rng):  # kill many clauses per Z3 answer
                data.add_positive(t)
            stats["positive_cex"] = stats.get("positive_cex", 0) + 1
            continue
        if answer == "unknown":
            return _LevelResult(_unknown_or_timeout(clock), keep, rounds)
        answer, model = teacher.consecution(keep, _query_ms(clock))
        if answer == "sat":
            src, dst = ts.state_of(model), ts.state_of(model, ts.nxt)
            data.add_implication(src, dst)
            stats["implication_cex"] = stats.get("implication_cex", 0) + 1
            # a few concrete steps on from the target: more pairs from the same answer (once
            # the target is inside, so is its successor: more clauses die per Z3 query)
            if ts.step is not None or ts.concrete_step is not None:
                for _ in range(CEX_STEPS):
                    nxt = ts.successor(dst, rng)
                    if nxt is None or nxt == dst:
                        break
                    data.add_implication(dst, nxt)
                    dst = nxt
            continue
        if answer == "unknown":
            return _LevelResult(_unknown_or_timeout(clock), keep, rounds)
        if hopeless:
            return _LevelResult("refuted", keep, rounds)  # keep: inductive and initiated
        answer, model = teacher.safety(keep, _query_ms(clock))
        if answer == "sat":
            data.add_negative(ts.state_of(model))
            stats["negative_cex"] = stats.get("negative_cex", 0) + 1
            return _LevelResult("refuted", keep, rounds)  # keep is inductive: the strongest one
        if answer == "unknown":
            return _LevelResult(_unknown_or_timeout(clock), keep, rounds)
        return _LevelResult("proved", keep, rounds)


def _unknown_or_timeout(clock: Clock) -> str:
    """A Z3 ``unknown`` is a timeout when the query only had the last moments of the budget."""
    left = clock.time_left()
    if left is not None and left < 0.25:
        return "timeout"
    return "unknown"


def _query_ms(clock: Clock) -> int:
    left = clock.time_left()
    if left is None:
        return QUERY_MS
    return max(1, min(QUERY_MS, int(left * 1000)))


def minimize(ts, atoms: CandidateAtoms, clauses: Sequence[Clause], keep: np.ndarray,
             atom_z3: dict, clock: Clock) -> list[Clause]:
    """A small inductive, safe subset of a proved conjunction: the clauses safety needs (unsat
    core), closed under what consecution needs (cores again), then a greedy pass dropping clauses
    one at a time while all three checks still pass. Out of time, the whole conjunction (proved
    already) is returned."""
    import z3

    chosen = [clauses[i] for i in np.flatnonzero(keep)]
    if len(chosen) <= 1:
        return chosen
    n = len(chosen)
    cur = [clause_smt(atoms.atoms, c, atom_z3, False) for c in chosen]
    nxt = [clause_smt(atoms.atoms, c, atom_z3, True) for c in chosen]
    decls = _declarations(ts) + "".join(f"(declare-fun _m{i} () Bool)\n" for i in range(n))
    tagged = "".join(f"(assert (=> _m{i} {cur[i]}))\n" for i in range(n))
    tags = [z3.Bool(f"_m{i}") for i in range(n)]
    index = {t.get_id(): i for i, t in enumerate(tags)}
    tag_ast = [t.as_ast() for t in tags]

    def check(solver, which) -> Any:
        """``solver.check(*tags[which])`` through the C API (the Python wrapper's per-literal
        conversions dominate with hundreds of tags)."""
        arr = (z3.Ast * len(which))()
        for j, i in enumerate(which):
            arr[j] = tag_ast[i]
        return z3.CheckSatResult(z3.Z3_solver_check_assumptions(solver.ctx.ref(), solver.solver,
                                                                len(which), arr))

    def core_of(solver) -> set[int] | None:
        solver.set("timeout", _query_ms(clock))
        if check(solver, range(n)) != z3.unsat:
            return None
        ctx = solver.ctx.ref()
        core = z3.Z3_solver_get_unsat_core(ctx, solver.solver)
        z3.Z3_ast_vector_inc_ref(ctx, core)
        try:
            ids = [z3.Z3_get_ast_id(ctx, z3.Z3_ast_vector_get(ctx, core, j))
                   for j in range(z3.Z3_ast_vector_size(ctx, core))]
        finally:
            z3.Z3_ast_vector_dec_ref(ctx, core)
        return {index[i] for i in ids if i in index}

    safe = _solver()
    safe.add(z3.Not(ts.post))
    safe.from_string(decls + tagged)
    S = core_of(safe)
    if S is None:
        return chosen
    cons = _solver()
    cons.add(ts.trans)
    cons.from_string(decls + tagged)
    while True:
        if clock.exceeded():
            return chosen
        cons.push()
        if S:
            # the solver already knows the declarations from the text above
            cons.from_string(f"(assert (or {' '.join(f'(not {nxt[i]})' for i in sorted(S))}))")
        else:
            cons.add(z3.BoolVal(False))
        core = core_of(cons)
        cons.pop()
        if core is None:
            return chosen
        if core <= S:
            break
        S |= core
    # greedy: drop clauses one at a time (widest first) while the rest stays safe and inductive
    # (initiation cannot break: fewer clauses are weaker)
    def inductive_and_safe(T: set[int]) -> bool:
        on = sorted(T)
        safe.set("timeout", _query_ms(clock))
        if check(safe, on) != z3.unsat:
            return False
        cons.push()
        cons.from_string(f"(assert (or {' '.join(f'(not {nxt[i]})' for i in sorted(T))}))"
                         if T else "(assert false)")
        cons.set("timeout", _query_ms(clock))
        ok = check(cons, on) == z3.unsat
        cons.pop()
        return ok

    if len(S) <= 60:
        for i in sorted(S, key=lambda j: -len(chosen[j])):
            if len(S) <= 1 or clock.exceeded():
                break
            if inductive_and_safe(S - {i}):
                S = S - {i}
    return [chosen[i] for i in sorted(S)]


def _declarations(ts) -> str:
    return "".join(f"(declare-fun {_smt_symbol(v)} () {ts.sorts[v]})\n"
                   f"(declare-fun {_smt_symbol(_primed(v))} () {ts.sorts[v]})\n" for v in ts.vars)


def sample_states(ts, data: IceData, rng: random.Random, clock: Clock, share: float) -> dict | None:
    """Positive states from runs of the loop from sampled initial states, all runs advanced one
    step at a time (so a time limit cuts every run short, not the later ones off). A run stops
    where the loop cannot go on or only stutters. Returns a violating trace ``{"trace": [...]}``
    when a run reaches a state that breaks the property."""
    limit = time.perf_counter() + share
    if clock.deadline is not None:
        limit = min(limit, clock.deadline)
    # concrete runs are cheap; Z3-stepped ones share the time among fewer, longer runs
    concrete = ts.step is not None or ts.concrete_step is not None
    n_runs = RUNS if concrete else RUNS // 2
    inits = ts.sample_initial(rng, n_runs, timeout_ms=min(2000, _query_ms(clock)))
    # and a few initial states with the free booleans mostly false (see RUN_BOOL_P)
    biased = random.Random(rng.random())
    biased.bool_p = min(RUN_BOOL_P)  # type: ignore[attr-defined]
    seen = {tuple(s[v] for v in ts.vars) for s in inits}
    n_plain = len(inits)
    for s in ts.sample_initial(biased, max(2, n_runs // 4), timeout_ms=min(2000, _query_ms(clock))):
        if tuple(s[v] for v in ts.vars) not in seen:
            inits.append(s)
    solver = None if ts.step is not None else ts.trans_solver(min(1000, _query_ms(clock)))
    watch = ts.relevant or ts.vars
    runs = []
    rngs = []  # one generator per run; some runs set free booleans (inputs) true only rarely
    for j, s0 in enumerate(inits):
        run_rng = random.Random(rng.random())
        run_rng.bool_p = (RUN_BOOL_P[j % len(RUN_BOOL_P)] if j < n_plain  # type: ignore[attr-defined]
                          else min(RUN_BOOL_P))
        run_rng.int_stay = 0.0 if run_rng.bool_p == 0.5 else 0.98  # type: ignore[attr-defined]
        rngs.append(run_rng)
    for s0 in inits:
        data.add_positive(s0)
        if ts.step is not None and _concrete_safe(ts, s0) is False:
            return {"trace": [s0]}
        runs.append(([s0], rngs[len(runs)]))
    for step in range(RUN_LENGTH):
        if not runs:
            break
        still = []
        for trace, run_rng in runs:
            if time.perf_counter() > limit:
                return None
            state = trace[-1]
            if run_rng.bool_p == 0.5:  # type: ignore[attr-defined]
                nxt = ts.successor(state, run_rng, solver, first=len(trace) == 1)
                if nxt is None or all(nxt[v] == state[v] for v in watch):
                    continue
            else:  # rare inputs: a step that only sets an input (taken at the next step) is
                for _try in range(12):  # progress; one that changes nothing is drawn again
                    nxt = ts.successor(state, run_rng, solver, first=len(trace) == 1)
                    if nxt is None or any(nxt[v] != state[v] for v in ts.vars):
                        break
                if nxt is None or all(nxt[v] == state[v] for v in ts.vars):
                    continue
            if any(isinstance(x, int) and abs(x) > 2**40 for x in nxt.values()):
                continue
            trace.append(nxt)
            data.add_positive(nxt)
            if ts.step is not None and _concrete_safe(ts, nxt) is False:
                return {"trace": trace}
            still.append((trace, run_rng))
        runs = still
    return None


def _concrete_safe(ts, state) -> bool | None:
    """Whether a concrete state satisfies the property (via the loop's own post/guard)."""
    check = ts.concrete_post
    if check is None:
        return None
    return check(state)


# ---------------------------------------------------------------------------------- strategy
def solve_cegis(task: Task, domain: Domain, budget: Budget, seed: int = 0, levels: int = 4,
                **options: Any) -> SearchOutcome:
    """Strategy ``cegis``: a Z3-proven loop invariant for a lia task (see the module docstring)."""
    from synth.verify.inductive import bmc, verify_invariant

    started = time.perf_counter()
    clock = Clock(budget)
    # learning stops early enough to leave time for shrinking and re-verifying an answer
    reserve = None if budget.timeout is None else min(2.0, 0.15 * budget.timeout)
    learn_clock = clock if reserve is None else Clock(Budget(
        timeout=max(0.1, budget.timeout - reserve), max_candidates=budget.max_candidates,
        max_memory_mb=budget.max_memory_mb))
    # shrinking stops earlier still: the final checks of a large unshrunk answer need time too
    shrink_clock = clock if reserve is None else Clock(Budget(
        timeout=max(0.1, budget.timeout - reserve / 3), max_candidates=budget.max_candidates,
        max_memory_mb=budget.max_memory_mb))
    ts = system_for_task(task)
    rng = random.Random(seed)
    data = IceData(StateTable(ts.vars))
    stats: dict[str, Any] = {}

    def outcome(status, node=None, **extra) -> SearchOutcome:
        extra.update(stats)
        extra["positives"] = len(data.positives)
        extra["negatives"] = len(data.negatives)
        extra["implications"] = len(data.implications)
        return SearchOutcome(status=status, node=node, candidates=stats.get("rounds", 0),
                             values=len(data.table.rows), max_size_explored=stats.get("level", 0),
                             seconds=time.perf_counter() - started,
                             stopped_by=clock.exceeded() if status == "timeout" else None, extra=extra)

    concrete = ts.step is not None or ts.concrete_step is not None  # runs without Z3: cheap
    share = (0.1 if concrete else 0.2) * (budget.timeout or DEFAULT_TIMEOUT)
    bad = sample_states(ts, data, rng, clock, share)
    if bad is not None:
        return outcome("infeasible", error="no invariant exists: a run of the loop reaches a state "
                                           f"that violates the post-condition: {bad['trace'][-1]}",
                       trace=bad["trace"])
    deadline = time.perf_counter() + 0.1 * (budget.timeout or DEFAULT_TIMEOUT)
    if clock.deadline is not None:
        deadline = min(deadline, clock.deadline)
    v = bmc(ts, BMC_DEPTH, min(QUERY_MS, 1000), deadline=deadline)
    if v.refuted:
        return outcome("infeasible", error=f"no invariant exists: {v.detail}", trace=v.counterexample)
    stats["bmc"] = v.detail

    # candidates over the property's cone of influence first, then over every variable
    passes = []
    full = ts.relevant or ts.vars
    if ts.cone and len(ts.cone) < len(full):
        passes.append((ts.cone, ts.cone_hints, ts.cone_constants))
    passes.append((full, ts.hints, ts.constants))
    last = "exhausted"
    for pass_no, (variables, hints, constants) in enumerate(passes, 1):
        stats["pass"] = pass_no
        M = data.table.matrix(data.positives)
        atoms = candidate_atoms(ts.vars, ts.sorts, variables, hints, constants, M)
        stats["atoms"] = len(atoms.atoms)
        res, clauses, atom_z3, last = _learn(ts, atoms, data, learn_clock, stats, levels)
        if res is None:
            if last in ("timeout", "unproven"):
                break
            continue
        chosen = minimize(ts, atoms, clauses, res.keep, atom_z3, shrink_clock)
        node = merge_bounds(conjunction_node(atoms.atoms, chosen))
        # the three checks of a proved conjunction are quick; at the deadline each still gets
        # FINAL_CHECK_MS (so the answer is not lost, and the search ends < 0.25 s late)
        final = verify_invariant(ts, node, max(FINAL_CHECK_MS, _query_ms(clock)))
        stats["verification"] = final.detail
        if final.proved:
            return outcome("solved", node, also=_renderings(ts, node, isinstance(task.spec, InvariantSpec)))
        if final.unknown:
            return outcome("unproven", node, also=_renderings(ts, node, isinstance(task.spec, InvariantSpec)),
                           error=f"Z3 could not prove the invariant: {final.detail}")
        return outcome("error", None, error=f"internal error: the invariant found fails "
                                            f"re-verification: {final.detail}")
    return outcome(last if last != "unproven" else "timeout",
                   error="Z3 answered unknown" if last == "unproven" else None)


def merge_bounds(node: Node) -> Node:
    """``a <= b and a >= b`` -> ``a == b`` among the conjuncts (same meaning, easier to read)."""
    from synth.dsl.base import Apply
    from synth.dsl.lia.syntax import mk_and

    parts = list(node.args) if isinstance(node, Apply) and node.op == "and" else [node]
    out, used = [], set()
    for i, p in enumerate(parts):
        if i in used:
            continue
        if isinstance(p, Apply) and p.op in ("<=", ">="):
            other = "<=" if p.op == ">=" else ">="
            j = next((j for j in range(i + 1, len(parts)) if j not in used and
                      parts[j] == Apply(other, p.args)), None)
            if j is not None:
                used.add(j)
                out.append(Apply("==", p.args))
                continue
        out.append(p)
    return mk_and(*out)


def _learn(ts, atoms: CandidateAtoms, data: IceData, clock: Clock, stats: dict, levels: int):
    """ICE rounds over growing clause spaces. Returns (proved level result or None, its clauses,
    the Z3 term cache, and how the search ended: proved, exhausted, timeout or unproven)."""
    atom_z3: dict = {"_ts": ts}
    atom_table = AtomTable(atoms.atoms, data.table)
    units = unit_clauses(atoms)
    known: set = set()

    def pos():  # atom values on the positives: spaces are generated already filtered by them
        return atom_table.rows(data.positives) if data.positives else None

    spaces = [lambda: units,
              lambda: pair_clauses(atoms, atoms.conditions, range(len(atoms.atoms)), known, pos(),
                                   4 * MAX_CLAUSES),
              lambda: pair_clauses(atoms, atoms.simple, atoms.simple, known, pos(),
                                   4 * MAX_CLAUSES),
              lambda: triple_clauses(atoms, atoms.conditions, atoms.simple, known, pos(),
                                     4 * MAX_CLAUSES)]
    spaces = spaces[:levels]
    # the program's own predicates alone first (its boolean variables and comparisons): a small
    # space, cheap to decide, and on the Lustre files often the whole invariant; what is
    # inductive in it carries over to the larger spaces
    conditions = set(atoms.conditions)
    own = [c for c in units if c[0][0] in conditions]
    if own and 4 * len(own) < len(units):
        spaces.insert(0, lambda: own)
    inductive: list[Clause] = []  # the strongest inductive conjunction found so far
    for level, make in enumerate(spaces, 1):
        if clock.exceeded():
            return None, [], atom_z3, "timeout"
        stats["level"] = level
        have = set(inductive)
        extra_clauses = [c for c in make() if c not in have]
        extra_clauses = _prefilter(extra_clauses, atoms, data, atom_table)[:MAX_CLAUSES]
        clauses = inductive + extra_clauses
        stats[f"clauses_level{level}"] = len(clauses)
        if clock.exceeded():
            return None, [], atom_z3, "timeout"
        setup = len(clauses) * atom_z3.get("_teacher_rate", TEACHER_S_PER_CLAUSE)
        if clock.deadline is not None and time.perf_counter() + setup > clock.deadline:
            return None, [], atom_z3, "timeout"  # its solvers could not even be set up in time
        res = houdini(ts, atoms, clauses, data, clock, atom_z3, stats, atom_table=atom_table)
        if res.status == "proved":
            return res, clauses, atom_z3, "proved"
        if res.status == "unknown":
            stats["unknown_at_level"] = level
            return None, [], atom_z3, "unproven"
        if res.status == "timeout":
            return None, [], atom_z3, "timeout"
        # refuted: the strongest inductive conjunction of this space is part of every larger
        # space's, and disjunctions containing one of its literals are implied by it
        inductive = [clauses[i] for i in np.flatnonzero(res.keep)]
        known.update(c[0] for c in inductive if len(c) == 1)
    return None, [], atom_z3, "exhausted"


def _prefilter(clauses: list[Clause], atoms: CandidateAtoms, data: IceData,
               atom_table: AtomTable | None = None) -> list[Clause]:
    """Clauses true on every positive state (others can never be part of an invariant)."""
    if not clauses or not data.positives:
        return clauses
    from synth.search.invariant import clause_values

    A = (atom_table.rows(data.positives) if atom_table is not None else
         atom_values(atoms.atoms, data.table.names, data.table.matrix(data.positives)))
    ok = clause_values(clauses, A).all(axis=0)
    return [c for c, good in zip(clauses, ok) if good]


def _renderings(ts, node: Node, sygus_task: bool = False) -> dict:
    """The other forms of an invariant: the SyGuS ``define-fun``, or, for a SyGuS task (whose
    main answer is the define-fun), the invariant in our syntax."""
    from synth.dsl.lia.syntax import format_define_fun, format_expr

    if sygus_task:
        return {"invariant": format_expr(node)}
    params = [(v, ts.sorts[v]) for v in ts.vars]
    return {"sygus": format_define_fun(getattr(ts, "inv_name", "inv"), params, node)}
