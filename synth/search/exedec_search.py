"""The ``exedec`` strategy: ExeDec's loop (Shi et al., ICLR 2024) with an enumerative step.

Repeat: a subgoal model proposes the next subgoals (the next subprogram's outputs, one per
example); the one-step enumerator (``synth.search.exedec_steps``) finds a subprogram whose
execution gives that subgoal on every example (or the proposal is dropped); the state is
updated with what the subprogram actually computes. A beam of ``beam_size`` states, each
expanded by its ``per_state`` best proposals, is kept by total log-probability, and states
equal to one already seen (the same values, whatever the program) are dropped. The last step
needs no model: when a subprogram reaches the outputs themselves (the remaining output, for
RobustFill) from a state in the beam or from a state just proposed (a one-step look-ahead),
the task is solved.

If the beam dies out, the search starts again with twice the beam and twice the proposals per
state, until the widest beam (``max_beam``) has failed too or the budget runs out. (DeepCoder:
per exact state, the step's candidates, the model's ranking and the look-ahead are computed once
and reused by the wider rounds; the look-ahead only runs statements that read the state's newest
variable, since any other statement was already tried from the parent state.) A model that
proposes nothing reachable therefore fails cleanly: status ``timeout`` with ``stopped_by``
``"beam"`` (its own limit) or the budget that ran out.

RobustFill's step enumerator runs in stages (constants, substring ops, modifications, Compose,
pieces empty on some examples); the beam search runs after each stage with the pieces known
so far, so an easy task is solved before the expensive stages. As the hybrid runs it
(``reach_states``), the symbolic search's reachability over the pieces runs beside it while it
stays small: it solves as soon as the pieces allow (in the middle of a stage, without a beam
round), and the beam runs only once the reachability has given up at its cap.
"""
from __future__ import annotations

from typing import Any

from synth.dsl.base import Apply, Domain, Var
from synth.dsl.deepcoder import program_node, value_type
from synth.exedec.subgoal_model import StepProblem, SubgoalModel, load_subgoal_model
from synth.search import release
from synth.search.budget import Budget, Clock
from synth.search.contract import BudgetExceeded, SearchOutcome
from synth.search.exedec_steps import DeepCoderSteps, RobustFillSteps, freeze, run_statement
from synth.task import ExampleSpec, Task

#: ExeDec's beam size
BEAM_SIZE = 10
PER_STATE = 5
MAX_BEAM = 160
#: RobustFill: the reachability over the parts (``RobustFillSteps``) runs beside the beam while it
#: has at most this many states (a count, so the search stays deterministic). Under the cap it
#: solves as soon as the parts allow, and the beam is not needed; past it (outputs with many
#: ways to split, tens of thousands of states) the beam takes over.
REACH_STATES = 5000


class ExeDecLoop:
    """One ExeDec search over a task of the robustfill or deepcoder domain."""

    def __init__(self, task: Task, domain: Domain, budget: Budget, model: SubgoalModel,
                 beam_size: int = BEAM_SIZE, per_state: int = PER_STATE, max_beam: int = MAX_BEAM,
                 max_steps: int | None = None, reach_states: int | None = None):
        self.task = task
        self.domain = domain
        self.clock = Clock(budget)
        self.model = model
        self.beam_size = beam_size
        self.per_state = per_state
        self.max_beam = max(max_beam, beam_size)
        self.max_steps = max_steps
        self.reach_states = reach_states
        #: RobustFill: every stage ran and the reachability, never capped, found no program
        self.exhausted = False
        self.ops = None if task.ops is None else frozenset(op.name for op in domain.resolve_ops(task.ops))
        self.expanded = 0  # states expanded
        self.proposals = 0  # subgoals proposed
        self.reached = 0  # subgoals a subprogram reached
        self.rounds = 0

    def _check(self) -> None:
        if self.clock.exceeded():
            raise BudgetExceeded

    def run(self) -> SearchOutcome:
        status, node, stopped = "timeout", None, None
        try:
            node = self._deepcoder() if self.domain.name == "deepcoder" else self._robustfill()
            if node is not None:
                status = "solved"
            elif self.exhausted:
                status = "exhausted"
            else:
                stopped = "beam"
        except BudgetExceeded:
            stopped = self.clock.exceeded() or "time"
        return SearchOutcome(status=status, node=node, candidates=self.clock.candidates,
                             values=self.reached, seconds=self.clock.elapsed(), stopped_by=stopped,
                             extra={"model": getattr(self.model, "name", type(self.model).__name__),
                                    "expanded": self.expanded, "proposals": self.proposals,
                                    "reached": self.reached, "rounds": self.rounds})

    def _widths(self):
        b, k = self.beam_size, self.per_state
        while True:
            yield b, k
            if b >= self.max_beam:
                return
            b, k = min(2 * b, self.max_beam), 2 * k

    # -- DeepCoder ------------------------------------------------------------------------
    def _deepcoder(self):
        from synth.dsl.deepcoder.ops import MAX_VARIABLES
        ex = self.task.examples
        names = self.task.input_names
        start = [{n: e.inputs[n] for n in names} for e in ex]
        targets = [freeze(e.output) for e in ex]
        goal = tuple(targets)
        inputs = [Var(n, value_type(e0)) for n, e0 in ((n, ex[0].inputs[n]) for n in names)]
        steps = DeepCoderSteps(self.ops)
        max_steps = min(self.max_steps or MAX_VARIABLES, MAX_VARIABLES - len(names))
        cache: dict[Any, dict] = {}
        ranked: dict[Any, list] = {}  # exact state -> the model's proposals, best first
        finishes: dict[Any, Any] = {}  # exact state -> the statement reaching the outputs, or None
        release.hold(cache, ranked, finishes)  # freed by the next solve, not inside this one's budget
        most = max(k for _, k in self._widths())  # proposals per state in the widest round

        def key(states):  # the set of value tuples, whatever their names
            return frozenset(tuple(freeze(s[n]) for s in states) for n in states[0])

        def exact(states):  # statements name variables: caches are per exact (named) state
            return tuple((n, tuple(freeze(s[n]) for s in states)) for n in states[0])

        def cands(states):
            k = exact(states)
            got = cache.get(k)
            if got is None:
                got = cache[k] = steps.candidates(states, self.clock)
                self._check()
            return got

        for beam_size, per_state in self._widths():
            self.rounds += 1
            beam = [(0.0, start, [])]
            seen = {key(start)}
            for depth in range(max_steps):
                nxt = []
                for score, states, sts in beam:
                    self._check()
                    self.expanded += 1
                    cs = cands(states)
                    st = cs.get(goal)
                    if st is not None:  # the last step: the outputs themselves are reachable
                        return program_node(inputs, sts + [st])
                    if depth == max_steps - 1:
                        continue
                    here = exact(states)
                    if here not in ranked:  # a wider round asks again for more of the same ranking
                        problem = StepProblem("deepcoder", states, targets, len(sts),
                                              input_names=frozenset(names),
                                              enumerate_candidates=lambda states=states: cands(states))
                        ranked[here] = self.model.propose(problem, most)
                    for subgoal, logp in ranked[here][:per_state]:
                        self.proposals += 1
                        st = cs.get(tuple(freeze(v) for v in subgoal))
                        if st is None:
                            continue  # no one-step subprogram reaches it
                        self.reached += 1
                        vals = [self.domain.run_statement(st, s) for s in states]
                        new = run_statement(states, st, tuple(freeze(v) for v in vals))
                        k = key(new)
                        if k in seen:
                            continue
                        seen.add(k)
                        if depth + 1 < max_steps:  # look one step ahead: is the output reachable?
                            there = exact(new)
                            if there not in finishes:  # an earlier round may have looked already
                                finishes[there] = steps.reaching(new, goal, self.clock,
                                                                 must_use=st.target)
                                self._check()
                            last = finishes[there]
                            if last is not None:
                                return program_node(inputs, sts + [st, last])
                        nxt.append((score + logp, new, sts + [st]))
                nxt.sort(key=lambda t: -t[0])
                beam = nxt[:beam_size]
                if not beam:
                    break
        return None

    # -- RobustFill -----------------------------------------------------------------------
    def _robustfill(self):
        from synth.dsl.robustfill import MAX_EXPRESSIONS
        name = self.task.input_names[0]
        inputs = [e.inputs[name] for e in self.task.examples]
        targets = [e.output for e in self.task.examples]
        if not any(targets):
            from synth.dsl.base import Const
            return Apply("Concat", (Apply("SubStr", (Const(1, "Position"), Const(1, "Position"),
                                                     Var(name, "String"))),))
        reach = None if self.max_steps is not None else self.reach_states
        space = RobustFillSteps(inputs, targets, Var(name, "String"), self.clock, self.ops,
                                reach_states=reach)
        release.hold(space)  # freed by the next solve, not inside this one's budget
        goal = tuple(len(t) for t in targets)
        max_steps = min(self.max_steps or MAX_EXPRESSIONS, MAX_EXPRESSIONS)
        for _stage in space.stages():
            if space.solution is not None:
                return space.solution
            if not space.capped:
                continue  # the reachability saw every part: no decomposition of them exists
            # in the middle of a stage, one round of the narrowest beam (cheap, and often
            # enough: the parts a program needs tend to arrive early in the Compose stage)
            found = self._robustfill_beam(space, inputs, targets, goal, max_steps,
                                          narrow=space.partial)
            if found is not None:
                return found
        self.exhausted = not space.capped
        return None

    def _robustfill_beam(self, space: RobustFillSteps, inputs, targets, goal, max_steps,
                         narrow: bool = False):
        start = (0,) * len(targets)
        # offsets -> (the pieces that continue there, the model's proposals best first): the
        # parts do not change within a stage, so a wider round asks again for more of the same
        ranked: dict[tuple, tuple] = {}
        widths = [next(self._widths())] if narrow else list(self._widths())
        most = max(k for _, k in widths)
        for beam_size, per_state in widths:
            self.rounds += 1
            beam = [(0.0, start, [])]
            seen = {start}
            for depth in range(max_steps):
                nxt = []
                for score, offs, nodes in beam:
                    self._check()
                    self.expanded += 1
                    rest = tuple(t[o:] for t, o in zip(targets, offs))
                    last = space.parts.get(rest)
                    if last is not None:  # the last step: the rest of every output is one piece
                        return Apply("Concat", tuple(nodes) + (last,))
                    if depth == max_steps - 1:
                        continue
                    got = ranked.get((offs, len(nodes)))
                    if got is None:
                        cs = space.candidates(offs)
                        self.clock.candidates += len(cs)
                        problem = StepProblem("robustfill", inputs, targets, len(nodes), offsets=offs,
                                              enumerate_candidates=lambda cs=cs: cs)
                        got = ranked[offs, len(nodes)] = (cs, self.model.propose(problem, most))
                    cs, proposals = got
                    for subgoal, logp in proposals[:per_state]:
                        self.proposals += 1
                        node = cs.get(tuple(subgoal))
                        if node is None:
                            continue
                        self.reached += 1
                        new = tuple(o + len(v) for o, v in zip(offs, subgoal))
                        if new in seen:
                            continue
                        seen.add(new)
                        if new == goal:
                            return Apply("Concat", tuple(nodes) + (node,))
                        if depth + 2 < max_steps:  # look one step ahead: is the rest one piece?
                            last = space.parts.get(tuple(t[o:] for t, o in zip(targets, new)))
                            if last is not None:
                                return Apply("Concat", tuple(nodes) + (node, last))
                        nxt.append((score + logp, new, nodes + [node]))
                nxt.sort(key=lambda t: -t[0])
                beam = nxt[:beam_size]
                if not beam:
                    break
        return None


def solve_exedec(task: Task, domain: Domain, budget: Budget, model: SubgoalModel | None = None,
                 beam_size: int = BEAM_SIZE, per_state: int = PER_STATE, max_beam: int = MAX_BEAM,
                 **options: Any) -> SearchOutcome:
    """The ``exedec`` strategy (robustfill and deepcoder domains). ``model``: a subgoal model
    (default: the shipped one for the task's ExeDec split, else the NONE split's)."""
    from synth.errors import InvalidTask
    if domain.name not in ("robustfill", "deepcoder"):
        raise InvalidTask(f"strategy 'exedec' works on the robustfill and deepcoder domains, "
                          f"not {domain.name!r}")
    domain.check_task(task)
    if model is None:
        model = load_subgoal_model(domain.name, _split(task))
    return ExeDecLoop(task, domain, budget, model, beam_size, per_state, max_beam).run()


def _split(task: Task):
    """The data set split the task was drawn from (an ``ExampleSpec``'s), which picks the model."""
    return task.spec.split if isinstance(task.spec, ExampleSpec) else None


def _hybrid_loop(task: Task, domain: Domain, budget: Budget, model: SubgoalModel | None) -> SearchOutcome:
    """The ExeDec loop as the hybrid runs it: on RobustFill with the reachability beside the
    beam (``REACH_STATES``)."""
    domain.check_task(task)
    if model is None:
        model = load_subgoal_model(domain.name, _split(task))
    reach = REACH_STATES if domain.name == "robustfill" else None
    return ExeDecLoop(task, domain, budget, model, reach_states=reach).run()


#: share of the budget the symbolic search gets before the ExeDec loop takes over (DeepCoder)
SYMBOLIC_SHARE = 0.5


def solve_hybrid(task: Task, domain: Domain, budget: Budget, model: SubgoalModel | None = None,
                 symbolic_share: float = SYMBOLIC_SHARE, **options: Any) -> SearchOutcome:
    """The ``exedec-hybrid`` strategy (benchmarks/RESULTS.md section 5; ``auto`` for robustfill):

    * robustfill: the ExeDec loop first, with the whole budget and with the reachability over the
      parts beside its beam (``REACH_STATES``): a task whose outputs split few ways is solved as
      soon as its last part is enumerated, mid-stage, and one with no program is ``exhausted``
      once every stage ran; past the cap the beam searches the parts after each stage. If the
      beam gives up before the budget is spent, ``robustfill-decompose`` with the rest (which
      can also prove that no program exists: status ``exhausted``);
    * deepcoder: ``deepcoder-bottom-up`` with ``symbolic_share`` of the time, then the ExeDec
      loop with the rest (without a time budget the symbolic search runs to its end).
    """
    from synth.search import get_strategy
    if domain.name == "robustfill":
        first = _hybrid_loop(task, domain, budget, model)
        first.extra["phase"] = "exedec"
        if first.status == "solved" or first.stopped_by != "beam":
            return first
        rest = budget.remaining(first.seconds, first.candidates)
        if rest is None:
            return first
        second = get_strategy("robustfill-decompose")(task, domain, rest, **options)
        second.extra["phase"] = "symbolic"
    else:
        symbolic = get_strategy("deepcoder-bottom-up")
        first = symbolic(task, domain, budget.share(symbolic_share), **options)
        first.extra["phase"] = "symbolic"
        if first.status != "timeout" or budget.timeout is None:
            return first
        rest = budget.remaining(first.seconds, first.candidates)
        if rest is None:
            return first
        second = solve_exedec(task, domain, rest, model=model)
        second.extra["phase"] = "exedec"
    second.seconds += first.seconds
    second.candidates += first.candidates
    return second

