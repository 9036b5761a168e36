"""One step of an ExeDec decomposition, enumerated: every subprogram a state can take next, with
its execution result (the subgoal it reaches).

This is the bottom-up engine restricted to one step. It replaces ExeDec's neural synthesizer:
a subgoal is reached only by a subprogram that really produces it (nothing is hallucinated),
and a subgoal model can rank the reachable next values instead of writing values from scratch.

* DeepCoder: a step is one statement ``op [lambda] vars...`` over the variables defined so far;
  its result is the new variable's value on every example. Statements that fail on an example
  or only repeat an existing variable are left out (ExeDec's sampler never makes them).
* RobustFill: a step is one expression of the top-level ``Concat`` applied to the input, and
  its result must be the next non-empty piece of every example's output. The expressions do
  not depend on the state (they all read the input), so they are enumerated once per task by
  ``ConcatDecomposition``'s stages (the values inside every output: "parts") and a state (one
  offset per example) selects the parts that continue every output there.
"""
from __future__ import annotations

from typing import Any, Iterator

from synth.dsl.base import Const, Var
from synth.dsl.deepcoder import Ref, Statement, value_type
from synth.dsl.deepcoder.ops import OPS, in_range
from synth.search.budget import Clock

Vals = tuple  # one value per example


def freeze(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


# ------------------------------------------------------------------------------ DeepCoder
class DeepCoderSteps:
    """Every statement over a DeepCoder state (one variable -> value dict per example).

    ``ops``: op names a program may use (None: all)."""

    def __init__(self, ops: frozenset[str] | None = None):
        self.ops = [op for name, op in OPS.items() if ops is None or name in ops]
        self._statements: dict[tuple, list] = {}

    def statements(self, var_types: dict[str, str]) -> list[tuple[Any, Any, tuple[str, ...]]]:
        """(op, lambda or None, argument names) of every well-typed statement (computed once
        per list of variable names and types)."""
        from synth.exedec.deepcoder_sampler import statement_choices
        sig = tuple(var_types.items())
        got = self._statements.get(sig)
        if got is None:
            got = self._statements[sig] = [(op, lam, args) for op in self.ops
                                           for lam, args in statement_choices(op.name, var_types)]
        return got

    @staticmethod
    def _target(var_types: dict[str, str]) -> str:
        """The name of the next variable."""
        i = len(var_types)
        while f"x{i}" in var_types:
            i += 1
        return f"x{i}"

    def _statement(self, op, lam, args: tuple[str, ...], var_types: dict[str, str]) -> Statement:
        """The statement ``op [lam] args`` defining the next variable."""
        parts = ((Const(lam, lam.kind),) if lam is not None else ()) + \
            tuple(Ref(a, var_types[a]) for a in args)
        return Statement(op.name, parts, self._target(var_types), op.ret_type)

    @staticmethod
    def _existing(states: list[dict[str, Any]]) -> set[Vals]:
        """The values (one per example) the state's variables already have."""
        return {tuple(freeze(s[n]) for s in states) for n in states[0]}

    def reaching(self, states: list[dict[str, Any]], goal: Vals, clock: Clock | None = None,
                 must_use: str | None = None) -> Statement | None:
        """``candidates(states, clock, must_use).get(goal)``, the same statement, found faster:
        only ops of the goal's type are run, each stops at the first example it misses, and
        the ops run without their range check (a result equal to an in-range goal passes it)."""
        if goal in self._existing(states):
            return None  # a value some variable already has is no candidate
        if not all(in_range(list(g) if isinstance(g, tuple) else g) for g in goal):
            return None  # no statement's (checked) result is out of range
        var_types = {n: value_type(v) for n, v in states[0].items()}
        want = value_type(goal[0])
        for op, lam, args in self.statements(var_types):
            if op.ret_type != want or (must_use is not None and must_use not in args):
                continue
            if clock is not None:
                clock.candidates += 1
            fn = getattr(op.fn, "raw", op.fn)
            for s, g in zip(states, goal):
                v = fn(*(([lam] if lam is not None else []) + [s[a] for a in args]))
                if v is None or freeze(v) != g:
                    break
            else:
                return self._statement(op, lam, args, var_types)
        return None

    def candidates(self, states: list[dict[str, Any]], clock: Clock | None = None,
                   must_use: str | None = None) -> dict[Vals, Statement]:
        """Result (frozen, one per example) -> the first statement giving it, for every
        statement that succeeds on all examples and makes a value no variable has yet.

        ``must_use``: only the statements that read this variable. A state's new variable is
        what sets it apart from its parent, so a value the parent could not reach in one step
        can only come from such a statement. (The loop's look-ahead asks for one value at a
        time with ``reaching``, which this method's answers are the test reference for.)"""
        var_types = {n: value_type(v) for n, v in states[0].items()}
        existing = self._existing(states)
        out: dict[Vals, Statement] = {}
        for op, lam, args in self.statements(var_types):
            if must_use is not None and must_use not in args:
                continue
            if clock is not None:
                clock.candidates += 1
            vals = []
            for s in states:
                argv = ([lam] if lam is not None else []) + [s[a] for a in args]
                v = op.fn(*argv)
                if v is None:
                    break
                vals.append(freeze(v))
            else:
                key = tuple(vals)
                if key in existing or key in out:
                    continue
                out[key] = self._statement(op, lam, args, var_types)
        return out


def run_statement(states: list[dict[str, Any]], st: Statement, vals: Vals) -> list[dict[str, Any]]:
    """The states after ``st`` (whose results ``vals`` are known)."""
    out = []
    for s, v in zip(states, vals):
        d = dict(s)
        d[st.target] = list(v) if isinstance(v, tuple) else v
        out.append(d)
    return out


# ------------------------------------------------------------------------------ RobustFill
class _NoReach:
    """Stands in for ``Reachability`` while parts are only collected."""

    solution = None

    def add_part(self, vals) -> None:
        pass


class RobustFillSteps:
    """The expressions of a RobustFill task whose values lie inside every output.

    ``stages()`` runs ``ConcatDecomposition``'s enumeration stages one at a time (cheap ones
    first), so a caller can try the parts found so far before paying for the next stage.

    ``reach_states``: also keep ``ConcatDecomposition``'s reachability (every state the parts
    reach, updated as each part arrives) while it has at most this many states. It finds a
    decomposition as soon as its last part is enumerated, in the middle of a stage
    (``solution``); past the cap it stops (``capped``), and the parts are left to the caller's
    search. None: no reachability (the parts are only collected)."""

    STAGES = ("constants", "substring_ops", "modification_ops", "compose_phase", "partial_phase")

    def __init__(self, inputs: list[str], targets: list[str], var: Var, clock: Clock,
                 ops: frozenset[str] | None = None, reach_states: int | None = None):
        from synth.search.robustfill_search import ConcatDecomposition
        self.search = ConcatDecomposition(inputs, targets, var, clock, ops,
                                          max_states=reach_states)
        if reach_states is None:
            self.search.reach = _NoReach()
        #: the program the reachability found (None: none yet)
        self.solution: Any = None
        self.targets = targets
        self.done: list[str] = []
        #: whether ``stages()`` paused in the middle of a stage (the Compose stage's chunks)
        self.partial = False
        self._by_first: dict[str, list[Vals]] = {}
        self._indexed = 0

    @property
    def parts(self) -> dict[Vals, Any]:
        return self.search.parts

    @property
    def capped(self) -> bool:
        """Whether the parts may hold a decomposition the reachability has not seen (it gave up
        at its cap, or there is none)."""
        return getattr(self.search.reach, "capped", True)

    def stages(self) -> Iterator[str]:
        """Run the next enumeration stage; yields its name when it is done, or as soon as the
        reachability finds a decomposition (``solution`` set; the stage is left unfinished).
        The Compose stage, the longest, also pauses after each chunk of inner values
        (``ConcatDecomposition.compose_chunks``), yielding its name with ``partial`` set, so a
        caller can search the parts found so far. The budget's exception
        (``synth.search.contract.BudgetExceeded``) propagates."""
        from synth.search.robustfill_search import _Solved
        for name in self.STAGES:
            try:
                if name == "compose_phase":
                    for _ in self.search.compose_chunks():
                        self.partial = True
                        yield name
                        self.partial = False
                else:
                    getattr(self.search, name)()
            except _Solved:
                self.partial = False
                self.solution = self.search.solution_node()
                yield name
                return
            self.done.append(name)
            yield name

    def _index(self) -> None:
        items = list(self.search.parts)
        for vals in items[self._indexed:]:
            self._by_first.setdefault(vals[0], []).append(vals)
        self._indexed = len(items)

    def candidates(self, offsets: tuple[int, ...]) -> dict[Vals, Any]:
        """The parts that continue every output at ``offsets`` -> their expressions."""
        self._index()
        rest0 = self.targets[0][offsets[0]:]
        out = {}
        for end in range(1, len(rest0) + 1):
            for vals in self._by_first.get(rest0[:end], ()):
                if all(t.startswith(v, o) for v, t, o in zip(vals, self.targets, offsets)):
                    out[vals] = self.search.parts[vals]
        return out
