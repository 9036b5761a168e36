"""Bottom-up enumeration by cost with observational equivalence (functional hashing).

Programs are built level by level (cost = number of AST nodes by default). Each new value is the
tuple of a program's outputs on all example inputs; a value already seen for its nonterminal is
dropped (the cheaper program that made it is kept), so the space is the set of distinct
behaviours, not of syntax trees. The search stops at the first value equal to the target.
"""
from __future__ import annotations

from itertools import islice, product
from typing import Any, Callable, Sequence

from synth.dsl.base import ERROR, Const, Domain, Node, ValueLimits, node_size
from synth.search.budget import Budget, Clock
from synth.search.contract import SearchOutcome  # noqa: F401  (re-exported: strategies import it here)
from synth.search.decompose import ConcatDecomposer
from synth.search.replace_shortcut import replace_program
from synth.search.grammar import SearchGrammar

_CHUNK = 1024  # argument tuples evaluated between two budget checks (tasks of up to 8 examples)


def chunk_size(examples: int) -> int:
    """Argument tuples between two budget checks for a task with this many examples (both
    engines check at the same candidate counts)."""
    return max(1, _CHUNK * 8 // max(8, examples))


#: a solution found by a shortcut is held back while the plain search looks for a smaller
#: program: for max(_PENDING_MIN, _PENDING_FACTOR * candidates so far) more candidates, and
#: until _PENDING_BUDGET_SHARE of the budget (seconds or candidates) is spent. Shortcut
#: solutions are often larger than the smallest fit, and larger programs generalize worse.
_PENDING_MIN = 200_000
_PENDING_FACTOR = 1.0
_PENDING_BUDGET_SHARE = 0.25
#: candidates between two runs of the concatenation decomposition (when it has new pieces)
_DECOMPOSE_EVERY = 100_000
#: the decomposition's work (checks of a piece against one example, a string comparison in
#: Python) is held to _DECOMPOSE_BASE plus one check per _DECOMPOSE_RATIO candidates: with many
#: examples and many small pieces its search space explodes, and it must not eat the
#: enumeration's time. A count, not seconds, so that a budget gives the same program anywhere.
_DECOMPOSE_BASE = 1_000_000
_DECOMPOSE_RATIO = 16
#: the conditional shortcut tracks subsets of examples as bit masks; beyond this many examples
#: there are too many subsets for it to pay. It needs 4 examples (two on each side of a test).
_COND_MAX_EXAMPLES = 8


def compositions(total: int, parts: int, allowed: Sequence[Sequence[bool]]):
    """Ways to write ``total`` as ``parts`` positive costs where ``allowed[i][c]`` holds."""
    if parts == 1:
        if total < len(allowed[0]) and allowed[0][total]:
            yield (total,)
        return
    for first in range(1, total - parts + 2):
        if first < len(allowed[0]) and allowed[0][first]:
            for rest in compositions(total - first, parts - 1, allowed[1:]):
                yield (first, *rest)


class BottomUpSearch:
    """One bottom-up search over a ``SearchGrammar`` for the examples' target outputs.

    ``inputs`` is one dict of input values per example; ``target`` the wanted outputs.
    ``value_hook(nonterminal, values, node)`` (optional) sees every kept value: strategies that
    learn or reweight plug in there.
    """

    def __init__(self, domain: Domain, grammar: SearchGrammar, inputs: Sequence[dict],
                 target: Sequence[Any], budget: Budget = Budget(),
                 limits: ValueLimits = ValueLimits(), concat_shortcut: bool = True,
                 cond_shortcut: bool = True, decompose: bool = True, value_hook: Callable[[str, tuple, Node], None] | None = None):
        self.domain = domain
        self.grammar = grammar
        self.inputs = list(inputs)
        #: argument tuples evaluated between two budget checks: a candidate costs one op call
        #: per example, so the work between checks stays the same on tasks with many examples
        self.chunk = chunk_size(len(self.inputs))
        self.target = tuple(target)
        self.budget = budget
        self.limits = limits
        self.concat_shortcut = concat_shortcut
        self.value_hook = value_hook
        nts = list(grammar.nonterminals)
        # bank[nt][cost] = list of value tuples first reached at that cost
        self.bank: dict[str, list[list[tuple]]] = {nt: [[]] for nt in nts}
        # seen[nt] maps a value tuple to the cheapest node that computes it
        self.seen: dict[str, dict[tuple, Node]] = {nt: {} for nt in nts}
        self.units: dict[str, list[str]] = {}
        for target_nt, source_nt in grammar.units:
            self.units.setdefault(source_nt, []).append(target_nt)
        start = grammar.start
        self._concats = [p for p in grammar.productions
                         if concat_shortcut and p.concat and p.result == start and len(p.args) == 2]
        self._conds = [p for p in grammar.productions
                       if cond_shortcut and p.cond and p.result == start and len(p.args) == 3
                       and 4 <= len(self.target) <= _COND_MAX_EXAMPLES]
        self._full = (1 << len(self.target)) - 1
        # the concatenation decomposition needs concat(X, X) -> X where X flows into the start
        goal = {start}
        changed = True
        while changed:
            changed = False
            for target_nt, source_nt in grammar.units:
                if target_nt in goal and source_nt not in goal:
                    goal.add(source_nt)
                    changed = True
        self._decomposers: dict[str, ConcatDecomposer] = {}
        if decompose and all(type(t) is str for t in self.target):
            for p in grammar.productions:
                if p.concat and len(p.args) == 2 and p.args[0] == p.args[1] == p.result \
                        and p.result in goal and p.result not in self._decomposers:
                    self._decomposers[p.result] = ConcatDecomposer(p, self.target)
        self._last_decompose = 0
        self._decompose_checks = 0
        # for the conditional shortcut: per branch nonterminal, the examples a value gets right
        # (a bit mask) -> the first (cheapest) node doing so; per test nonterminal, the examples
        # where a test is true -> its first node
        self._branch_masks: dict[str, dict[int, Node]] = {
            nt: {} for p in self._conds for nt in p.args[1:]}
        self._test_masks: dict[str, dict[int, Node]] = {p.args[0]: {} for p in self._conds}
        self.clock = Clock(budget)
        self.solution: Node | None = None
        # best shortcut solution so far, its size, and until when a smaller one is looked for
        self.pending: Node | None = None
        self.pending_size = 0
        self.pending_deadline = 0  # in candidates
        self.nvalues = 0

    # ------------------------------------------------------------------------------------
    def values_of(self, nt: str, limit: int | None = None) -> list[tuple[tuple, Node]]:
        """The kept values of ``nt`` with their programs, cheapest first (at most ``limit``)."""
        out = []
        seen = self.seen.get(nt, {})
        for level in self.bank.get(nt, ()):
            for vals in level:
                out.append((vals, seen[vals]))
                if limit is not None and len(out) >= limit:
                    return out
        return out

    def _ok(self, nt: str, vals: tuple) -> bool:
        return self.domain.value_ok(self.grammar.nonterminals[nt], vals, self.limits)

    def _add(self, nt: str, cost: int, vals: tuple, node: Node) -> None:
        """Keep a new value (known to be unseen in ``nt``) and propagate it through unit rules."""
        self.seen[nt][vals] = node
        level = self.bank[nt]
        while len(level) <= cost:
            level.append([])
        level[cost].append(vals)
        self.nvalues += 1
        if self.value_hook is not None:
            self.value_hook(nt, vals, node)
        if nt == self.grammar.start and vals == self.target:
            self.solution = node
            return
        if self._concats and self.solution is None:
            self._try_concat(nt, vals, node)
        if nt in self._decomposers:
            self._decomposers[nt].add(vals, node)
        if self._conds and self.solution is None:
            if nt in self._branch_masks:
                self._try_cond_branch(nt, vals, node)
            if nt in self._test_masks:
                self._try_cond_test(nt, vals, node)
        for other in self.units.get(nt, ()):
            if vals not in self.seen[other]:
                self._add(other, cost, vals, node)

    def _try_concat(self, nt: str, vals: tuple, node: Node) -> None:
        """If ``vals`` is a prefix (suffix) of the target on every example and the remainder is
        a known value, the concatenation of the two solves the task.

        Such a solution can be larger than one the level-by-level search would reach a little
        later, and larger programs generalize worse; so it is held as ``pending`` while the
        plain search goes on for a while (see ``_PENDING_*``), and used if nothing smaller
        turns up."""
        target = self.target
        for p in self._concats:
            left_nt, right_nt = p.args
            found = None
            if nt == left_nt and all(type(v) is str and t.startswith(v) for v, t in zip(vals, target)):
                rest = tuple(t[len(v):] for v, t in zip(vals, target))
                other = self.seen[right_nt].get(rest)
                if other is not None and any(vals) and any(rest):
                    found = p.make((node, other))
            if found is None and nt == right_nt and \
                    all(type(v) is str and t.endswith(v) for v, t in zip(vals, target)):
                rest = tuple(t[:len(t) - len(v)] for v, t in zip(vals, target))
                other = self.seen[left_nt].get(rest)
                if other is not None and any(vals) and any(rest):
                    found = p.make((other, node))
            if found is not None:
                self._offer(found)

    def _offer(self, found: Node) -> None:
        """A shortcut found a solution: keep it as ``pending`` (the smallest so far)."""
        size = node_size(found)
        if self.pending is None:
            done = self.clock.candidates
            self.pending_deadline = done + max(_PENDING_MIN, int(_PENDING_FACTOR * done))
            if self.budget.max_candidates is not None:
                self.pending_deadline = max(self.pending_deadline,
                                            int(_PENDING_BUDGET_SHARE * self.budget.max_candidates))
        if self.pending is None or size < self.pending_size:
            self.pending, self.pending_size = found, size

    def _pending_time_spent(self) -> bool:
        timeout = self.budget.timeout
        return timeout is None or self.clock.elapsed() >= _PENDING_BUDGET_SHARE * timeout

    def _decompose(self) -> None:
        """Run the concatenation decomposition if it has new pieces since its last run."""
        self._last_decompose = self.clock.candidates
        for d in self._decomposers.values():
            allowed = _DECOMPOSE_BASE + self.clock.candidates // _DECOMPOSE_RATIO - self._decompose_checks
            if d.dirty and allowed > 2 * d.gave_up_at:
                found = d.solve(self.clock.deadline, max_checks=allowed)
                self._decompose_checks += d.checks
                if found is not None:
                    self._offer(found)

    def _cover(self, nt: str, need: int) -> Node | None:
        """The first value of ``nt`` that is right on every example in ``need``."""
        for mask, node in self._branch_masks[nt].items():
            if mask & need == need:
                return node
        return None

    def _try_cond_branch(self, nt: str, vals: tuple, node: Node) -> None:
        """A branch value right on a new set of examples: pair it with every known test."""
        mask = 0
        for i, (v, t) in enumerate(zip(vals, self.target)):
            if v == t:
                mask |= 1 << i
        masks = self._branch_masks[nt]
        if not mask or mask in masks:
            return
        masks[mask] = node
        for p in self._conds:
            test_nt, then_nt, else_nt = p.args
            for when_true, test in self._test_masks[test_nt].items():
                when_false = self._full ^ when_true
                if nt == then_nt and mask & when_true == when_true:
                    other = self._cover(else_nt, when_false)
                    if other is not None:
                        self._offer(p.make((test, node, other)))
                if nt == else_nt and mask & when_false == when_false:
                    other = self._cover(then_nt, when_true)
                    if other is not None:
                        self._offer(p.make((test, other, node)))

    def _try_cond_test(self, nt: str, vals: tuple, node: Node) -> None:
        """A test that splits the examples in a new way: look for a branch for each side."""
        when_true = 0
        for i, v in enumerate(vals):
            if v is True:
                when_true |= 1 << i
        masks = self._test_masks[nt]
        # A test that isolates a single example mostly memorizes it: each side needs two.
        if bin(when_true).count("1") < 2 or bin(self._full ^ when_true).count("1") < 2 \
                or when_true in masks:
            return
        masks[when_true] = node
        for p in self._conds:
            if p.args[0] != nt:
                continue
            a = self._cover(p.args[1], when_true)
            b = self._cover(p.args[2], self._full ^ when_true) if a is not None else None
            if b is not None:
                self._offer(p.make((node, a, b)))

    def leaf_values(self, node: Node) -> tuple:
        """A leaf's values on every example (a constant's without one interpreter call each)."""
        if isinstance(node, Const) and type(self.domain).evaluate is Domain.evaluate:
            return (node.value,) * len(self.inputs)
        return tuple(self.domain.evaluate(node, env) for env in self.inputs)

    def _leaves(self) -> str | None:
        """Enter the leaves (inputs, constants); returns the budget that ran out first, if any
        (thousands of constants on thousands of examples take seconds)."""
        for leaf in self.grammar.leaves:
            stopped = self.clock.exceeded()
            if stopped:
                return stopped
            vals = self.leaf_values(leaf.node)
            if ERROR in vals or vals in self.seen[leaf.result]:
                continue
            self._add(leaf.result, leaf.cost, vals, leaf.node)
            if self.solution is not None:
                return None
        return None

    # ------------------------------------------------------------------------------------
    def run(self) -> SearchOutcome:
        clock = self.clock
        g = self.grammar
        max_size = self.budget.max_size or 10**6
        max_arity = max((len(p.args) for p in g.productions), default=0)
        max_pcost = max((p.cost for p in g.productions), default=1)
        stopped = self._leaves()
        if self.concat_shortcut and stopped is None and self.solution is None:
            # an input with one piece of text replaced (``synth.search.replace_shortcut``)
            found = replace_program(self.grammar, self.inputs, self.target)
            if found is not None:
                self._offer(found)
        last_nonempty = max((c for lv in self.bank.values() for c, l in enumerate(lv) if l), default=0)
        explored = 0
        cost = explored
        while self.solution is None and stopped is None:
            cost += 1
            if self.pending is not None and cost >= self.pending_size:
                self.solution = self.pending  # nothing smaller exists
                break
            if cost > max_size:
                break
            if cost > max_pcost + max_arity * last_nonempty:
                break  # no production can reach this cost from the values that exist: closed
            before = self.nvalues
            stopped = self._level(cost)
            if stopped or self.solution is not None:
                break
            if self._decomposers:
                self._decompose()
            explored = cost
            if self.nvalues > before:
                last_nonempty = cost
        if self.solution is None and self.pending is not None:
            self.solution, stopped = self.pending, None
        if self.solution is not None:
            status = "solved"
        elif stopped:
            status = "timeout"
        else:
            status = "exhausted"
        return SearchOutcome(status=status, node=self.solution, candidates=clock.candidates,
                             values=self.nvalues, max_size_explored=explored,
                             seconds=clock.elapsed(), stopped_by=stopped)

    def _level(self, cost: int) -> str | None:
        """Enumerate every program of exactly ``cost``; returns the exhausted budget, if any."""
        clock = self.clock
        seen_all = self.seen
        size = self.chunk
        for prod in self.grammar.productions:
            rest = cost - prod.cost
            k = len(prod.args)
            if rest < k or k == 0:
                continue
            levels = [self.bank[a] for a in prod.args]
            allowed = [[bool(lv[c]) if c < len(lv) else False for c in range(rest + 1)] for lv in levels]
            fn = prod.fn
            result = prod.result
            seen_r = seen_all[result]
            arg_seen = [seen_all[a] for a in prod.args]
            ok = self._ok
            for split in compositions(rest, k, allowed):
                lists = [levels[i][c] for i, c in enumerate(split)]
                combos = lists[0] if k == 1 else product(*lists)
                it = iter(combos)
                while True:
                    chunk = list(islice(it, size))
                    if not chunk:
                        break
                    clock.candidates += len(chunk)
                    if k == 1:
                        for a in chunk:
                            out = tuple(map(fn, a))
                            if out in seen_r or ERROR in out or not ok(result, out):
                                continue
                            self._add(result, cost, out, prod.make((arg_seen[0][a],)))
                            if self.solution is not None:
                                return None
                    else:
                        for args in chunk:
                            out = tuple(map(fn, *args))
                            if out in seen_r or ERROR in out or not ok(result, out):
                                continue
                            node = prod.make([s[a] for s, a in zip(arg_seen, args)])
                            self._add(result, cost, out, node)
                            if self.solution is not None:
                                return None
                    stop = clock.exceeded()
                    if stop:
                        return stop
                    if self._decomposers and clock.candidates - self._last_decompose > _DECOMPOSE_EVERY:
                        self._decompose()
                    if self.pending is not None and clock.candidates > self.pending_deadline \
                            and self._pending_time_spent():
                        return "pending"
        return None

