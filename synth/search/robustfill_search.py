"""Search for RobustFill programs by decomposing the outputs over positions (no neural model).

A RobustFill program is ``Concat(e1, ..., en)`` with every expression applied to the whole input,
so the outputs split into consecutive pieces, one per expression, at the same expression on every
example. The search therefore

1. enumerates expression *values* (one output per example), one per distinct output tuple, and
   keeps as "parts" the values that are non-empty and, on every example, a substring of that
   example's output (ExeDec's own expressions are never empty on an example);
2. keeps, incrementally as parts arrive, every state reachable from the start: a state is one
   offset per example (how much of each output is done), and a part whose output on every
   example starts the rest of that example's output leads to the state advanced by its lengths;
   reaching the ends of all outputs with at most 10 parts solves the task;
3. produces parts in this order: ConstStr, the substring ops and the modification ops over the
   input, then Compose (a modification over an inner value) with the inner values most likely
   first, and at last the values that are empty on some examples.

Compose values are only computed as parts, with the modification's own constants (the character
of Substitute, the delimiter of Replace) read off the outputs instead of enumerated. The inner
values of a Compose are every distinct non-Compose expression value, except that a Substitute's
character there is limited to those that can matter (characters of the outputs, their other case,
the delimiters and one letter/digit of each class), which loses nothing but equivalent choices.
"""
from __future__ import annotations

import re
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from synth.dsl.base import Apply, Const, Domain, Var, node_ops
from synth.dsl.robustfill import MAX_EXPRESSIONS, const_node
from synth.dsl.robustfill.ops import (CASES, CHARACTER, DELIMITER, INDICES, TYPE_PATTERNS,
                                      delimiter_pattern)
from synth.search import release
from synth.search.contract import BudgetExceeded, SearchOutcome
from synth.search.budget import Budget, Clock, Ticker
from synth.task import Task

Vals = tuple  # one string per example
Config = tuple  # (op, const args...) of a modification, without its string argument

_TYPES = tuple(TYPE_PATTERNS)
_CHAR_SET = frozenset(CHARACTER)
#: ToCase by case name: a copy of ``synth.dsl.robustfill.ops.to_case`` (checked against it by
#: tests/test_search_op_copies.py::test_robustfill_inline_semantics_agree)
_CASE_FNS = {"PROPER": str.capitalize, "ALL_CAPS": str.upper, "LOWER": str.lower}


def _norm(i: int, n: int) -> int:
    """ExeDec's match index: 1-based, or from the end when negative (``k`` of the reference's
    ``get_token``, ``substitute``, ``remove`` and ``get_span`` in ``synth.dsl.robustfill.ops``)."""
    return i - 1 if i > 0 else n + i


class _Solved(Exception):
    """A decomposition was found."""


class Reachability:
    """The output positions that sequences of parts reach, kept up to date as parts arrive.

    A state is one offset per example (how much of each output the parts so far produce); a
    part fits a state when, on every example, it starts the rest of that example's output.
    Every state is expanded once with the parts known then; a later part is tried on the
    states where its strings occur, so the work is incremental.

    Both sides are indexed by their first two examples: states by their first two offsets, parts
    by the places where their first two strings occur in the first two outputs (a pair of
    offsets per occurrence). A new part is tried only on the states at those offsets, and a new
    state only on the parts indexed at its own. Parts empty on one of the first two examples
    (the last resort) would occur everywhere; they are kept aside and tried on every state.
    """

    def __init__(self, targets: list[str], max_parts: int, tick: Callable[[], None],
                 max_states: int | None = None):
        self.targets = targets
        self.max_parts = max_parts
        self.tick = tick
        #: with ``max_states``: how many states it keeps at most; past that it gives up for good
        #: (``capped``) and finds nothing more (a caller then searches the parts another way)
        self.max_states = max_states
        self.capped = False
        start = (0,) * len(targets)
        self.goal = tuple(len(t) for t in targets)
        self.depth: dict[tuple, int] = {start: 0}
        self.parent: dict[tuple, Any] = {start: None}
        #: (first offset, second offset) -> the states there
        self.by_head: dict[tuple, list[tuple]] = {start[:2]: [start]}
        #: (first offset, second offset) -> the parts whose first two strings occur there
        self.at: dict[tuple, list[Vals]] = {}
        #: the parts empty on one of the first two examples
        self.anywhere: list[Vals] = []
        self.queue: deque = deque([start])
        self.solution: list[Vals] | None = None
        #: every part added
        self.known: set[Vals] = set()

    def fits(self, state: tuple, vals: Vals) -> bool:
        for t, o, v in zip(self.targets, state, vals):
            if not t.startswith(v, o):
                return False
        return True

    @staticmethod
    def _occurrences(t: str, v: str) -> list[int]:
        out = []
        j = t.find(v)
        while j != -1:
            out.append(j)
            j = t.find(v, j + 1)
        return out

    def add_part(self, vals: Vals) -> None:
        if self.capped:
            return
        targets = self.targets
        self.known.add(vals)
        v1 = vals[1] if len(vals) > 1 else ""
        firsts = self._occurrences(targets[0], vals[0])
        seconds = self._occurrences(targets[1], v1) if len(vals) > 1 else [None]
        rest = tuple(zip(targets[2:], vals[2:]))
        by_head, at = self.by_head, self.at
        anywhere = not vals[0] or (len(vals) > 1 and not v1)
        if anywhere:
            self.anywhere.append(vals)
        for j0 in firsts:
            for j1 in seconds:
                head = (j0,) if j1 is None else (j0, j1)
                if not anywhere:
                    got = at.get(head)
                    if got is None:
                        at[head] = [vals]
                    else:
                        got.append(vals)
                states = by_head.get(head)
                if not states:
                    continue
                for state in tuple(states):
                    for e, (t, v) in enumerate(rest, 2):
                        if not t.startswith(v, state[e]):
                            break
                    else:
                        self._reach(state, vals)
        self.drain()

    def _reach(self, state: tuple, vals: Vals) -> None:
        d = self.depth[state] + 1
        if d > self.max_parts or self.capped:
            return
        new = tuple(o + len(v) for o, v in zip(state, vals))
        old = self.depth.get(new)
        if old is not None and old <= d:
            return
        if old is None and self.max_states is not None and len(self.depth) >= self.max_states \
                and new != self.goal:
            self.capped = True
            self.queue.clear()
            return
        self.depth[new] = d
        self.parent[new] = (state, vals)
        if old is None:
            self.by_head.setdefault(new[:2], []).append(new)
        if new == self.goal:
            self._solved(new, [])
        if d < self.max_parts:
            # look one part ahead: is the rest of every output a part already? (saves
            # expanding the whole frontier before the state's turn comes)
            rest = tuple(t[o:] for t, o in zip(self.targets, new))
            if rest in self.known:
                self._solved(new, [rest])
            self.queue.append(new)

    def _solved(self, state: tuple, tail: list[Vals]) -> None:
        path = []
        while self.parent[state] is not None:
            state, v = self.parent[state]
            path.append(v)
        self.solution = path[::-1] + tail
        raise _Solved

    def drain(self) -> None:
        """Expand the states reached since the last call with every known part."""
        at, anywhere, targets = self.at, self.anywhere, self.targets
        two = len(targets) > 1
        while self.queue and not self.capped:
            state = self.queue.popleft()
            self.tick()
            if self.depth[state] >= self.max_parts:
                continue
            group = at.get(state[:2] if two else state[:1])
            if not group and not anywhere:
                continue
            rest = tuple(zip(targets[2:], state[2:]))
            for vals in group or ():
                for (t, o), v in zip(rest, vals[2:]):
                    if not t.startswith(v, o):
                        break
                else:
                    self._reach(state, vals)
            for vals in anywhere:  # (last resort: empty on example 0 or 1)
                if self.fits(state, vals):
                    self._reach(state, vals)


class ConcatDecomposition:
    """One search for a task's examples (``inputs[e]`` -> ``targets[e]``)."""

    def __init__(self, inputs: list[str], targets: list[str], var: Var, clock: Clock,
                 ops: frozenset[str] | None = None, max_states: int | None = None):
        self.inputs = inputs
        #: the ops a program may use (None: all)
        self.allowed = ops
        self.targets = targets
        self.var = var
        self.clock = clock
        self.n = len(inputs)
        #: parts: value -> node (values non-empty and inside the output on every example)
        self.parts: dict[Vals, Any] = {}
        #: values inside every output but empty on some examples (used only as a last resort)
        self.partial: dict[Vals, Any] = {}
        #: every distinct non-Compose expression value over the input -> node (Compose inners)
        self.inner: dict[Vals, Any] = {}
        #: (inner value, op) -> how many of the op's configurations give that value
        self._inner_hits: dict[tuple[Vals, str], int] = {}
        #: counts candidates and checks the clock; its own object, so that the reachability
        #: can hold it without a reference cycle back to this search (a cycle leaves the whole
        #: search, millions of values, to the garbage collector: a pause of a second or more
        #: inside some later search)
        self._tick = Ticker(clock, 256)
        self.reach = Reachability(targets, MAX_EXPRESSIONS, self._tick, max_states)
        self._matches: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        self._texts: dict[tuple[str, str], list[str]] = {}
        self._part_cfgs: list[dict[str, dict]] = [{} for _ in inputs]
        #: per example, string -> the keys of its ``part_configs`` whose result is not the string
        #: itself (a config over no match, or over a delimiter the string lacks, leaves it as is)
        self._changing: list[dict[str, frozenset]] = [{} for _ in inputs]
        self._between: list[dict[tuple[str, str], tuple]] = [{} for _ in inputs]
        self._target_chars = [frozenset(t) & _CHAR_SET for t in targets]
        # the same characters as tuples in alphabet order, for loops whose order shapes the
        # result (iterating a set of strings follows the per-process string hash)
        self._target_char_seq = [tuple(c for c in CHARACTER if c in cs) for cs in self._target_chars]
        self._target_delims = [tuple(d for d in DELIMITER if d in t) for t in targets]
        union = frozenset().union(*self._target_chars) if targets else frozenset()
        swapped = {c.swapcase() for c in union}
        self._inner_chars = tuple(c for c in CHARACTER
                                  if c in union or c in swapped or c in DELIMITER or c in "aA0")
        self._target_lower = [t.lower() for t in targets]
        self._example_order = sorted(range(self.n), key=lambda e: len(targets[e]))
        self.stage = ""
        self.timings: dict[str, float] = {}

    # -- regex matches, memoized per (pattern, string) --------------------------------------
    def matches(self, pattern: str, s: str) -> list[tuple[int, int, str]]:
        key = (pattern, s)
        m = self._matches.get(key)
        if m is None:
            m = [(x.start(), x.end(), x.group()) for x in re.finditer(pattern, s)]
            self._matches[key] = m
        return m

    def match_texts(self, pattern: str, s: str) -> list[str]:
        key = (pattern, s)
        m = self._texts.get(key)
        if m is None:
            compiled = _COMPILED.get(pattern)
            if compiled is None:
                compiled = _COMPILED[pattern] = re.compile(pattern)
            m = self._texts[key] = compiled.findall(s)
        return m

    # -- banks ---------------------------------------------------------------------------
    def add(self, vals: Vals, node_fn: Callable[[], Any], inner: bool, op: str = "",
            configs: int = 1) -> None:
        """Record an expression value over the input (``node_fn`` builds its node only when the
        value is kept): as a Compose inner when ``inner`` (counting that ``configs`` of ``op``'s
        configurations give it: ``compose_chunks``' order), and as a part when it fits."""
        self._tick()
        node = None
        if self.allowed is not None:
            node = node_fn()
            if not self._allowed(node):
                return
        if inner and all(vals):
            key = (vals, op)
            self._inner_hits[key] = self._inner_hits.get(key, 0) + configs
            if vals not in self.inner:
                node = node_fn()
                self.inner[vals] = node
        if vals in self.parts or vals in self.partial:
            return
        for v, t in zip(vals, self.targets):
            if v not in t:
                return
        if all(vals):
            self.add_part(vals, (lambda: node) if node is not None else node_fn)
        elif any(vals):
            self.partial[vals] = node if node is not None else node_fn()

    def add_part(self, vals: Vals, node_fn: Callable[[], Any]) -> None:
        """Record a value known to be non-empty and inside every output."""
        self._tick()
        if vals not in self.parts:
            node = node_fn()
            if self.allowed is not None and not self._allowed(node):
                return
            self.parts[vals] = node
            self.reach.add_part(vals)

    def _allowed(self, node: Any) -> bool:
        return set(node_ops(node)) <= self.allowed

    # -- stage 1: expressions over the input ------------------------------------------------
    def constants(self) -> None:
        common = frozenset.intersection(*self._target_chars) if self.targets else frozenset()
        for c in CHARACTER:
            if c in common:
                self.add_part((c,) * self.n, lambda c=c: Apply("ConstStr", (Const(c, "Char"),)))

    def regexes(self) -> list[tuple[str, str, str]]:
        """(kind, name, pattern) of every regex argument worth trying: the 8 types and the
        delimiters that occur in some input."""
        out = [("Type", t, TYPE_PATTERNS[t]) for t in _TYPES]
        present = set("".join(self.inputs))
        out += [("Delim", d, delimiter_pattern(d)) for d in DELIMITER if d in present]
        return out

    def substring_ops(self) -> None:
        """Every substring op over the input. The values are computed here on memoized match
        lists, as copies of ``synth.dsl.robustfill.ops`` (GetToken: ``get_token``; GetUpto and
        GetFrom: ``get_upto``/``get_from``; SubStr: ``_substr``; GetSpan: ``_boundary``); each
        value is checked against its node's reference value by
        tests/test_search_op_copies.py::test_robustfill_stage_values_are_the_reference_values."""
        xs, var = self.inputs, self.var
        regexes = self.regexes()
        # GetToken
        for t in _TYPES:
            ms = [self.matches(TYPE_PATTERNS[t], s) for s in xs]
            for i in INDICES:
                vals = tuple(m[k][2] if 0 <= (k := _norm(i, len(m))) < len(m) else "" for m in ms)
                self.add(vals, lambda t=t, i=i: Apply(
                    "GetToken", (const_node("Type", t), Const(i, "Index"), var)), inner=True, op="GetToken")
        # GetUpto, GetFrom
        for kind, name, pat in regexes:
            firsts = [self.matches(pat, s) for s in xs]
            up = tuple(s[:m[0][1]] if m else "" for s, m in zip(xs, firsts))
            fr = tuple(s[m[0][1]:] if m else "" for s, m in zip(xs, firsts))
            self.add(up, lambda name=name: Apply("GetUpto", (const_node("Regex", name), var)),
                     inner=True, op="GetUpto")
            self.add(fr, lambda name=name: Apply("GetFrom", (const_node("Regex", name), var)),
                     inner=True, op="GetFrom")
        # SubStr: positions beyond these behave like ones inside them
        longest = max(len(s) for s in xs)
        positions = [p for p in range(-2 * longest - 2, longest + 3) if -100 <= p <= 100]
        for p1 in positions:
            for p2 in positions:
                vals = tuple(_substr(p1, p2, s) for s in xs)
                self.add(vals, lambda p1=p1, p2=p2: Apply(
                    "SubStr", (Const(p1, "Position"), Const(p2, "Position"), var)), inner=True, op="SubStr")
        # GetSpan: boundaries first (one per distinct offset tuple), then pairs of them
        bounds: dict[tuple, tuple] = {}
        spellings: dict[tuple, int] = {}  # offsets -> how many boundaries give them
        for kind, name, pat in regexes:
            ms = [self.matches(pat, s) for s in xs]
            for i in INDICES:
                for b in ("START", "END"):
                    offs = tuple(_boundary(m, i, b) for m in ms)
                    bounds.setdefault(offs, (name, i, b))
                    spellings[offs] = spellings.get(offs, 0) + 1
        blist = list(bounds.items())
        for a_offs, (r1, i1, b1) in blist:
            for z_offs, (r2, i2, b2) in blist:
                vals = tuple("" if a == -1 or z == -1 else s[a:z] for s, a, z in zip(xs, a_offs, z_offs))
                self.add(vals, lambda r1=r1, i1=i1, b1=b1, r2=r2, i2=i2, b2=b2: Apply("GetSpan", (
                    const_node("Regex", r1), Const(i1, "Index"), Const(b1, "Boundary"),
                    const_node("Regex", r2), Const(i2, "Index"), Const(b2, "Boundary"), var)),
                    inner=True, op="GetSpan", configs=spellings[a_offs] * spellings[z_offs])

    def modification_ops(self) -> None:
        """Modifications of the input: as parts (their characters read off the outputs), and
        every distinct value as a Compose inner (Substitute characters limited as the module
        says)."""
        self.compose_over(tuple(self.inputs), self.var)
        var = self.var
        for cfg, vals in self.modification_values(tuple(self.inputs), self._inner_chars):
            self.add(vals, lambda cfg=cfg: config_node(cfg, var), inner=True, op=cfg[0])

    def modification_values(self, xs: Vals, chars: Iterable[str]) -> Iterable[tuple[Config, Vals]]:
        """Every modification config applied to the strings ``xs``, with Substitute and
        SubstituteAll characters taken from ``chars``. The values are copies of the reference
        ops of ``synth.dsl.robustfill.ops`` (``to_case``, ``replace``, ``trim``, ``get_all`` inline;
        the match-list helpers below), checked by tests/test_search_op_copies.py."""
        chars = tuple(chars)
        for c in CASES:
            f = _CASE_FNS[c]
            yield ("ToCase", c), tuple(f(s) for s in xs)
        present = set("".join(xs))
        for d1 in DELIMITER:
            if d1 in present:
                for d2 in DELIMITER:
                    if d2 != d1:
                        yield ("Replace", d1, d2), tuple(s.replace(d1, d2) for s in xs)
        yield ("Trim",), tuple(s.strip() for s in xs)
        for t in _TYPES:
            pat = TYPE_PATTERNS[t]
            ms = [[m[2] for m in self.matches(pat, s)] for s in xs]
            if not any(ms):
                continue
            yield ("GetAll", t), tuple("".join(m) for m in ms)
            yield ("RemoveAll", t), tuple(_remove_all(s, m, "") for s, m in zip(xs, ms))
            for c in chars:
                yield ("SubstituteAll", t, c), tuple(_remove_all(s, m, c) for s, m in zip(xs, ms))
            for i in INDICES:
                yield ("GetFirst", t, i), tuple(_get_first(m, i) for m in ms)
                yield ("Remove", t, i), tuple(_substitute(s, m, i, "") for s, m in zip(xs, ms))
                for c in chars:
                    yield ("Substitute", t, i, c), tuple(_substitute(s, m, i, c) for s, m in zip(xs, ms))

    # -- stage 2: Compose values as parts ------------------------------------------------------
    def part_configs(self, e: int, s: str) -> dict[Config, Any]:
        """Every modification of string ``s`` whose result is non-empty and inside output ``e``
        (memoized per example and string). A config with a free character (Replace's d2, the c
        of Substitute and SubstituteAll) is keyed without it and maps to {character: result}, or
        to one string when the result does not depend on it (no match: the identity).

        The results are the reference ops' (``synth.dsl.robustfill.ops``) computed faster
        (SubstituteAll as a join of the pieces between matches, Substitute as the text around
        the match with each fitting character): tests/test_search_op_copies.py
        (``test_robustfill_compose_parts_are_the_reference_values``) checks each part against its
        node's reference value, and tests/test_robustfill_search.py
        (``test_compose_parts_are_every_modification_inside_the_outputs``) that none is missed."""
        memo = self._part_cfgs[e]
        got = memo.get(s)
        if got is not None:
            return got
        target = self.targets[e]
        out: dict[Config, Any] = {}
        same: list[tuple] = []  # keys that leave s as it is (no match, no such delimiter)
        self._tick()
        s_fits = s in target
        if s.lower() in self._target_lower[e]:
            for c in CASES:
                r = _CASE_FNS[c](s)
                if r in target:
                    out[("ToCase", c)] = r
        r = s.strip()
        if r and r in target:
            out[("Trim",)] = r
        for d1 in DELIMITER:
            if d1 not in s:
                if s_fits:
                    key = _REPLACE_KEYS[d1]
                    out[key] = s
                    same.append((key,))
                continue
            free = {}
            for d2 in self._target_delims[e]:
                if d2 != d1:
                    r = s.replace(d1, d2)
                    if r in target:
                        free[d2] = r
            if free:
                out[("Replace", d1)] = free
        target_chars = self._target_char_seq[e]
        for t in _TYPES:
            ms = self.match_texts(TYPE_PATTERNS[t], s)
            n = len(ms)
            if n == 0:
                if s_fits:
                    keys = _NO_MATCH_KEYS[t]
                    out.update(dict.fromkeys(keys, s))
                    same.append(keys)
                continue
            r = "".join(ms)
            if r in target:
                out[("GetAll", t)] = r
            r = _remove_all(s, ms, "")
            if r and r in target:
                out[("RemoveAll", t)] = r
            probe = _remove_all(s, ms, "\0")
            pieces = probe.split("\0")
            if all(piece in target for piece in pieces):
                free = {}
                # c.join(pieces) is _remove_all(s, ms, c) where no match contains c (nor NUL):
                # a match's occurrences then never overlap an inserted character, so each
                # replace finds the same one with c as with NUL
                # (a type whose matches are single characters: none of them occurs in the
                # pieces, so a match's first occurrence is at its place or at an inserted c equal
                # to it, where replacing it changes nothing; c.join(pieces) is exact for every c)
                in_ms = "" if t in _SINGLE_CHAR_TYPES else "".join(ms)
                exact = "\0" in s or "\0" in in_ms
                # c.join(pieces) starts pieces[0] + c + pieces[1], so it occurs in the output
                # only if that does: the characters found there are the only ones worth joining
                fit = None if exact or not (pieces[0] or pieces[1]) else \
                    self._chars_between(e, pieces[0], pieces[1])[1]
                for c in target_chars:
                    if exact or c in in_ms:
                        r = _remove_all(s, ms, c)
                    elif fit is not None and c not in fit:
                        continue
                    else:
                        r = c.join(pieces)
                    if r in target:
                        free[c] = r
                if free:
                    out[("SubstituteAll", t)] = free
            by_k: dict[int, tuple] = {}
            firsts: dict[int, str | None] = {}  # j -> the first j matches joined, if they fit
            for first_key, j, k, keys in _index_plan(t, n):
                r = firsts.get(j, "")
                if r == "":
                    r = "".join(ms[:j])
                    r = firsts[j] = r if r and r in target else None
                if r is not None:
                    out[first_key] = r
                if k is None:
                    if s_fits:
                        out[keys[0]] = s
                        out[keys[1]] = s
                        same.append(keys)
                    continue
                got_k = by_k.get(k)
                if got_k is None:
                    m = ms[k]
                    p = s.find(m)
                    a, b = s[:p], s[p + len(m):]
                    r = a + b
                    removed = r if r and r in target else None
                    free = None
                    if len(a) + len(b) < len(target) and a in target and b in target:
                        free = {c: a + c + b for c in self._chars_between(e, a, b)[0]}
                    got_k = by_k[k] = (removed, free)
                removed, free = got_k
                if removed is not None:
                    out[keys[0]] = removed
                if free:
                    out[keys[1]] = free
        memo[s] = out
        self._changing[e][s] = frozenset(out).difference(*same)
        return out

    def _chars_between(self, e: int, a: str, b: str) -> tuple[tuple[str, ...], frozenset]:
        """The characters c of the alphabet such that a + c + b occurs in output ``e``, sorted
        and as a set (memoized: many strings share their pieces around a match)."""
        memo = self._between[e]
        got = memo.get((a, b))
        if got is None:
            cs = tuple(c for c in sorted(_chars_between(self.targets[e], a, b)) if c in _CHAR_SET)
            got = memo[a, b] = (cs, frozenset(cs))
        return got

    def compose_over(self, xs: Vals, x_node: Any) -> None:
        """Add as parts every modification of the value ``xs`` that fits inside the outputs."""
        by_e: dict[int, dict] = {}
        common = None
        for e in self._example_order:  # most constraining output first; stop when none is left
            d = by_e[e] = self.part_configs(e, xs[e])
            common = d.keys() if common is None else common & d.keys()
            if not common:
                return
        # a config leaving every example's string as it is gives the value itself (no part):
        # only the configs that change some example's string are tried
        changing = self._changing
        live = set()
        for e in range(self.n):
            live |= changing[e][xs[e]]
        live &= common
        if not live:
            return
        cfgs = [by_e[e] for e in range(self.n)]
        parts = self.parts
        # in the first example's config order, not the set's (hash) order
        for key in [k for k in cfgs[0] if k in live]:
            results = [d[key] for d in cfgs]
            frees = [r for r in results if type(r) is dict] if key[0] in _FREE_CHAR_OPS else None
            if not frees:
                vals = tuple(results)
                if vals != xs and vals not in parts:
                    self.add_part(vals, lambda cfg=key: config_node(cfg, x_node))
                continue
            chars = frees[0] if len(frees) == 1 else \
                [c for c in frees[0] if all(c in f for f in frees[1:])]
            for c in chars:
                vals = tuple(r if type(r) is str else r[c] for r in results)
                if vals != xs and vals not in parts:
                    self.add_part(vals, lambda cfg=key + (c,): config_node(cfg, x_node))

    # -- driver ------------------------------------------------------------------------------
    def run(self) -> SearchOutcome:
        if not any(self.targets):  # every output is empty: SubStr(i, i) is always ""
            node = Apply("Concat", (Apply("SubStr", (Const(1, "Position"), Const(1, "Position"),
                                                     self.var)),))
            return SearchOutcome(status="solved", node=node, seconds=self.clock.elapsed())
        status, stopped = "exhausted", None
        stages = (("constants", self.constants), ("substring", self.substring_ops),
                  ("modification", self.modification_ops), ("compose", self.compose_phase),
                  ("empty-parts", self.partial_phase))
        try:
            for stage, step in stages:
                self.stage = stage
                t0 = time.perf_counter()
                step()
                self.timings[stage] = round(time.perf_counter() - t0, 3)
        except _Solved:
            status = "solved"
        except BudgetExceeded:
            status, stopped = "timeout", self.clock.exceeded() or "time"
        node = self.solution_node()
        return SearchOutcome(status=status, node=node, candidates=self.clock.candidates,
                             values=len(self.parts),
                             max_size_explored=MAX_EXPRESSIONS if status == "exhausted" else 0,
                             seconds=self.clock.elapsed(), stopped_by=stopped,
                             extra={"stage": self.stage, "parts": len(self.parts),
                                    "inner_values": len(self.inner), "states": len(self.reach.depth),
                                    "expressions": None if node is None else len(node.args)})

    def solution_node(self) -> Apply | None:
        """The program of the decomposition the reachability found (None: none yet)."""
        path = self.reach.solution
        if path is None:
            return None
        bank = {**self.partial, **self.parts}
        return Apply("Concat", tuple(bank[v] for v in path))

    def compose_phase(self) -> None:
        """Compose over the inner values, most likely first (``compose_chunks``)."""
        for _ in self.compose_chunks():
            pass

    def compose_chunks(self) -> Iterator[int]:
        """``compose_phase`` in chunks: yields how many inner values are done after the first
        ``COMPOSE_FIRST_CHUNK`` of them and then after every ``COMPOSE_CHUNK`` more, so that a
        caller can search the parts found so far in between. The order: the probability that
        ExeDec's sampler draws a configuration giving the value (a Compose's inner is a
        substring op 1/2, a modification 1/2, uniform over the ops inside each and over an op's
        configurations here), lowered for values whose op wrote a character the output lacks
        or whose ends do not occur in the output."""
        configs: dict[str, int] = {}  # op -> its configurations with a value non-empty everywhere
        for (_, op), n in self._inner_hits.items():
            configs[op] = configs.get(op, 0) + n
        mass: dict[Vals, float] = {}  # value -> the sampler's probability of a config giving it
        for (vals, op), n in self._inner_hits.items():
            share = (1 / 10 if op in _SUBSTRING_OPS else 1 / 18) * n / configs[op]
            mass[vals] = mass.get(vals, 0.0) + share
        targets = self.targets

        def weight(vals, node) -> float:
            w = mass[vals]
            c = _inserted_char(node)
            if c is not None and any(c in v and c not in t for v, t in zip(vals, targets)):
                w *= INSERTED_ELSEWHERE  # the outer op would have to remove what the inner wrote
            for v, t in zip(vals, targets):
                if v[:EDGE] not in t or v[-EDGE:] not in t:
                    w *= EDGE_ELSEWHERE
            return w

        inners = sorted(self.inner.items(), key=lambda kv: -weight(*kv))
        next_stop = COMPOSE_FIRST_CHUNK
        for k, (vals, node) in enumerate(inners, 1):
            self.compose_over(vals, node)
            if k == next_stop and k < len(inners):
                next_stop += COMPOSE_CHUNK
                yield k

    def partial_phase(self) -> None:
        """Last resort: parts that are empty on some examples (ExeDec's own programs never
        need them: its sampler keeps only expressions that are non-empty on every example)."""
        for vals, node in self.partial.items():
            self.add_part(vals, lambda node=node: node)


#: ``compose_chunks``: inner values composed before the first pause, and between two pauses
COMPOSE_FIRST_CHUNK = 250
COMPOSE_CHUNK = 500
#: ``compose_chunks``: the weight of an inner value holding, on some example, the character its
#: op writes while that example's output lacks it (the outer op would have to remove it again
#: for the Compose to fit: rarely the case)
INSERTED_ELSEWHERE = 0.1
EDGE = 3
EDGE_ELSEWHERE = 0.5
_SUBSTRING_OPS = frozenset(("SubStr", "GetSpan", "GetToken", "GetUpto", "GetFrom"))
#: ``part_configs``' keys that leave a string as it is: a Replace of a delimiter it lacks, the
#: match-list configs of a type without matches, Remove and Substitute of a missing index
_REPLACE_KEYS = {d: ("Replace", d) for d in DELIMITER}
_NO_MATCH_KEYS = {t: (("RemoveAll", t), ("SubstituteAll", t))
                  + tuple(k for i in INDICES for k in (("Remove", t, i), ("Substitute", t, i)))
                  for t in TYPE_PATTERNS}
_OUT_OF_RANGE_KEYS = {(t, i): (("Remove", t, i), ("Substitute", t, i))
                      for t in TYPE_PATTERNS for i in INDICES}
#: the ops whose ``part_configs`` result may be {character: result} (a free character)
_FREE_CHAR_OPS = frozenset(("Replace", "SubstituteAll", "Substitute"))
_INDEX_PLANS: dict[tuple[str, int], tuple] = {}


def _index_plan(t: str, n: int) -> tuple:
    """``part_configs``' loop over the indices for a string with ``n`` matches of type ``t``:
    per index i, GetFirst's key, how many matches GetFirst joins (j), the match Remove and
    Substitute act on (k, None when i is out of range) and their keys (memoized)."""
    plan = _INDEX_PLANS.get((t, n))
    if plan is None:
        rows = []
        for i in INDICES:
            j = n if i >= n else (i if i > 0 else max(n + i, 0))  # "".join(ms[:i]) is of j
            k = i - 1 if i > 0 else n + i
            rows.append((("GetFirst", t, i), j, k if 0 <= k < n else None, _OUT_OF_RANGE_KEYS[t, i]))
        plan = _INDEX_PLANS[t, n] = tuple(rows)
    return plan


#: the types whose regex matches exactly one character (a character class alone)
_SINGLE_CHAR_TYPES = frozenset(t for t, p in TYPE_PATTERNS.items()
                               if re.fullmatch(r"\[[^\]]*(\\.[^\]]*)*\]", p) is not None)
#: regex pattern -> its compiled form (``match_texts``)
_COMPILED: dict[str, Any] = {}


# ------------------------------------------------------------------ semantics on match lists
# Hand copies of reference ops of synth.dsl.robustfill.ops (the one semantics), working on
# precomputed match lists for speed: _substr is sub_str, _boundary is get_span's boundary,
# _get_first is get_first, _substitute is substitute (remove with c = ""), _remove_all is
# substitute_all (remove_all with c = ""). tests/test_robustfill_search.py
# (test_substr_agrees, test_get_span_boundaries_agree, test_match_list_semantics_agree) checks
# each against its reference on random strings, and tests/test_search_op_copies.py every value
# the search computes with them; change a copy and its reference together. Every program found
# is also re-run with the reference interpreter (api.solve).


def _substr(p1: int, p2: int, s: str) -> str:
    n = len(s)
    o1 = p1 - 1 if p1 > 0 else n + p1
    o2 = p2 - 1 if p2 > 0 else n + p2
    if o1 >= o2:
        return ""
    if o2 == n:
        return s[o1:]
    return s[o1:o2 + 1]


def _boundary(ms: list[tuple[int, int, str]], i: int, b: str) -> int:
    if not ms:
        return -1
    k = _norm(i, len(ms))
    if k >= len(ms):
        return len(ms) - 1
    if k < 0:
        return 0
    return ms[k][0] if b == "START" else ms[k][1]


def _get_first(ms: list[str], i: int) -> str:
    if not ms:
        return ""
    if i >= len(ms):
        return "".join(ms)
    return "".join(ms[:i])


def _substitute(s: str, ms: list[str], i: int, c: str) -> str:
    k = _norm(i, len(ms))
    if not 0 <= k < len(ms):
        return s
    return s.replace(ms[k], c, 1)


def _remove_all(s: str, ms: list[str], c: str) -> str:
    for m in ms:
        s = s.replace(m, c, 1)
    return s


def _chars_between(target: str, a: str, b: str) -> set[str]:
    """Every character c such that a + c + b occurs in target (searching from the longer)."""
    out = set()
    la, lb = len(a), len(b)
    if la >= lb:
        j = target.find(a)
        while j != -1:
            pos = j + la
            if pos < len(target) and target.startswith(b, pos + 1):
                out.add(target[pos])
            j = target.find(a, j + 1)
    else:
        j = target.find(b, 1)
        while j != -1:
            pos = j - 1
            if target.startswith(a, pos - la) and pos - la >= 0:
                out.add(target[pos])
            j = target.find(b, j + 1)
    return out


def _inserted_char(node: Apply) -> str | None:
    """The character a modification writes into its string (Replace's second delimiter, the
    character of Substitute and SubstituteAll), None for other ops."""
    op = node.op
    if op in ("Replace", "SubstituteAll"):
        return node.args[1].value
    if op == "Substitute":
        return node.args[2].value
    return None


def config_node(cfg: Config, x: Any) -> Apply:
    """The node of a modification config applied to ``x`` (the input or an inner expression)."""
    op = cfg[0]
    if op == "ToCase":
        args = (Const(cfg[1], "Case"),)
    elif op == "Replace":
        args = (Const(cfg[1], "Delim"), Const(cfg[2], "Delim"))
    elif op == "Trim":
        args = ()
    elif op in ("GetAll", "RemoveAll"):
        args = (const_node("Type", cfg[1]),)
    elif op in ("GetFirst", "Remove"):
        args = (const_node("Type", cfg[1]), Const(cfg[2], "Index"))
    elif op == "SubstituteAll":
        args = (const_node("Type", cfg[1]), Const(cfg[2], "Char"))
    else:  # Substitute
        args = (const_node("Type", cfg[1]), Const(cfg[2], "Index"), Const(cfg[3], "Char"))
    return Apply(op, args + (x,))


def solve_robustfill(task: Task, domain: Domain, budget: Budget, **options: Any) -> SearchOutcome:
    """The ``robustfill-decompose`` strategy."""
    domain.check_task(task)
    name = task.input_names[0]
    ops = None if task.ops is None else frozenset(op.name for op in domain.resolve_ops(task.ops))
    search = ConcatDecomposition([e.inputs[name] for e in task.examples],
                                 [e.output for e in task.examples], Var(name, "String"), Clock(budget), ops)
    release.hold(search)  # freed by the next solve, not inside this one's budget
    return search.run()
