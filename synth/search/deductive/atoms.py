"""The pieces an output is made of, and the witness functions that find them.

An atom is a small program of the strings DSL that produces one piece of every row's output: a
constant, a substring of an input cell between two position expressions (or a whole token, or
the start or end of one), a date field, a formatted number. ``AtomFinder.at(p)`` lists every
atom that produces ``output[p:q]`` of the driving example for some q, with what it produces on
every example; the graph search (``graph.py``) keeps those that fit all examples at once.
"""
from __future__ import annotations

import functools
import math
import re
from fractions import Fraction

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from synth.dsl.base import Apply, Const, Node, Var
from synth.dsl.strings import ops as _ops
from synth.search.deductive.positions import K_COST, Column, PosExpr, token_cost

S, I = "String", "Int"

#: case changes a substring may go through: name, function (the DSL's reference op), cost
CASES: tuple[tuple[str | None, Callable[[str], str], float], ...] = (
    (None, lambda s: s, 0.0),
    ("LOWER", _ops.lower, 0.6),
    ("UPPER", _ops.upper, 0.6),
    ("PROPER", _ops.proper, 0.6),
)
#: most position-expression groups tried at one cut
MAX_GROUPS = 10
#: cost of trimming the spaces around a substring
TRIM_COST = 0.5
#: most number tokens tried from each end of a cell
MAX_NUMBER_K = 4
#: the token a date is read from inside a longer cell (numeric dates: 1/8/2003, 2024-03-05)
DATE_TOKEN = r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}"
#: the token a number is read from inside a longer cell (short, so that programs stay readable)
NUMBER_TOKEN = r"-?[0-9][0-9,]*(?:\.[0-9]+)?"


class Atom:
    """One piece: ``outs`` (the pieces it produces on the examples), ``cost`` (its rank: lower
    is more likely meant), ``node()`` (its program) and ``all_outs()`` (on every row, the
    unlabeled ones included, computed on first use)."""

    __slots__ = ("key", "cost", "outs", "_all", "_compute", "_node", "context")

    def __init__(self, key, cost: float, outs: tuple, compute: Callable[[], tuple] | None,
                 node: Callable[[], Node], context: Callable[[], tuple] | None = None):
        self.key = key
        self.cost = cost
        self.outs = outs
        self._all = None if compute is not None else outs
        self._compute = compute
        self._node = node
        #: for a piece cut from a cell: on every row, the kinds of character just before and
        #: just after the cut (see ``cut_context``), or None where it is undefined
        self.context = context

    def all_outs(self) -> tuple:
        if self._all is None:
            self._all = self._compute()
        return self._all

    def node(self) -> Node:
        return self._node()

    def __repr__(self) -> str:
        return f"Atom({self.key!r}, cost={self.cost:.2f}, outs={self.outs!r})"


def const_cost(text: str) -> float:
    """Constants copied from the outputs generalize worst when they hold letters or digits
    (they are usually data, not format); separators are cheap."""
    alnum = sum(c.isalnum() for c in text)
    if not alnum:  # a separator
        return 0.6 + 0.15 * len(text)
    return 4.2 + 1.0 * alnum + 0.15 * (len(text) - alnum)


def const_atom(text: str, n_rows: int, extra: float = 0.0) -> Atom:
    return Atom(("const", text), const_cost(text) + extra, (), lambda: (text,) * n_rows,
                lambda: Const(text, S))


#: cost of each letter or digit of a constant that the driving example's inputs also hold
#: (in a run of two or more): text the user could have meant to be copied from the row
COPYABLE_COST = 1.5


def _var(col: str) -> Var:
    return Var(col, S)


def _pos_node(col: str, p: PosExpr) -> Node:
    if p.before == "" and p.after == "" and p.k > 0:
        return Const(p.k, I)
    return Apply("POS", (_var(col), Const(p.before, S), Const(p.after, S), Const(p.k, I)))


def _cased(case: str | None, node: Node) -> Node:
    return node if case is None else Apply(case, (node,))


@dataclass
class Row:
    """One row of the task: its input cells (examples first, then unlabeled rows)."""

    cells: dict[str, Any]


class AtomFinder:
    """Witness functions over a task's rows: the atoms producing each piece of the driving
    example's output."""

    def __init__(self, rows: Sequence[dict[str, Any]], outputs: Sequence[str], driver: int,
                 expired: Callable[[], bool] = lambda: False):
        self.expired = expired
        self.rows = list(rows)
        self.outputs = list(outputs)
        self.m = len(outputs)
        self.driver = driver
        self.n_rows = len(rows)
        names = list(rows[0])
        self.columns = {n: Column(n, [str(r[n]) for r in rows], self.m)
                        for n in names if all(isinstance(r[n], str) for r in rows)}
        self._lowered = {n: _ops.lower(c.cells[driver].text) for n, c in self.columns.items()}
        self._out_lower = _ops.lower(outputs[driver])
        self._at: dict[int, list[Atom]] = {}
        self._consts: dict[str, Atom] = {}
        self._dates = DateWitness(self) if self.columns else None
        self._numbers = NumberWitness(self) if self.columns else None

    def const(self, text: str) -> Atom:
        """The constant ``text``, dearer by ``COPYABLE_COST`` for each letter or digit of it in a
        run of two or more that the driving example's inputs hold."""
        got = self._consts.get(text)
        if got is None:
            low = _ops.lower(text)
            covered = [False] * len(text)
            for cell in self._lowered.values():
                for i in range(len(low) - 1):
                    j = i + 2
                    while j <= len(low) and low[i:j] in cell:
                        for t in range(i, j):
                            covered[t] = True
                        j += 1
            extra = COPYABLE_COST * sum(1 for c, cov in zip(text, covered) if cov and c.isalnum())
            got = self._consts[text] = const_atom(text, self.n_rows, extra)
        return got

    def fits_somewhere(self, outs: tuple) -> bool:
        """Whether each example's piece occurs in that example's output (a cheap prune)."""
        return all(o != "" and o in self.outputs[e] for e, o in enumerate(outs))

    def at(self, p: int) -> list[Atom]:
        got = self._at.get(p)
        if got is None:
            got = self._at[p] = self._find(p)
        return got

    def _find(self, p: int) -> list[Atom]:
        atoms: dict[Any, Atom] = {}
        for name, col in self.columns.items():
            self._substrings(name, col, p, atoms)
            self._token_parts(name, col, p, atoms)
        if self._dates is not None:
            self._dates.find(p, atoms)
        if self._numbers is not None:
            self._numbers.find(p, atoms)
        return sorted(atoms.values(), key=lambda a: a.cost)

    # -- substrings ------------------------------------------------------------------------
    def _substrings(self, name: str, col: Column, p: int, atoms: dict) -> None:
        d, out, low = self.driver, self.outputs[self.driver], self._out_lower
        text = col.cells[d].text
        tl = self._lowered[name]
        if p >= len(out):
            return
        for a in range(len(tl)):
            if tl[a] != low[p]:
                continue
            n = 0
            while a + n < len(tl) and p + n < len(out) and tl[a + n] == low[p + n]:
                n += 1
            for b in range(a + 1, a + n + 1):
                piece = text[a:b]
                want = out[p:p + b - a]
                for case, fn, ccost in CASES:
                    if fn(piece) != want:
                        continue
                    self._substring_atoms(name, col, a, b, case, fn, ccost, atoms)
                    # the same piece with the spaces around it in the cell, trimmed: the cut
                    # may then fall at a token on every row ("NE ," and "NE,")
                    a2, b2 = a, b
                    while a2 > 0 and text[a2 - 1] == " ":
                        a2 -= 1
                    while b2 < len(text) and text[b2] == " ":
                        b2 += 1
                    for s2, t2 in {(a2, b), (a, b2), (a2, b2)} - {(a, b)}:
                        self._substring_atoms(name, col, s2, t2, case, _trimmed(fn), ccost + TRIM_COST,
                                              atoms, trim=True)

    def _substring_atoms(self, name, col: Column, a: int, b: int, case, fn, ccost, atoms,
                         trim: bool = False) -> None:
        d, m = self.driver, self.m
        cells = col.cells
        starts = col.groups_at(d, a)[:MAX_GROUPS]
        ends = col.groups_at(d, b)[:MAX_GROUPS]
        for svec, sexprs in starts:
            for evec, eexprs in ends:
                key = ("sub", name, svec, evec, case, trim)
                if key in atoms:
                    continue
                outs = []
                for e in range(m):
                    s, t = svec[e], evec[e]
                    if s is None or t is None or s >= t:
                        break
                    outs.append(fn(cells[e].text[s:t]))
                else:
                    outs = tuple(outs)
                    if not self.fits_somewhere(outs):
                        continue
                    atom = atoms[key] = self._sub_atom(key, name, svec, evec, sexprs, eexprs, case,
                                                       fn, ccost, outs, trim)
                    if not trim and self.n_rows > m and not any(_padded(o) for o in outs) \
                            and any(o and _padded(o) for o in atom.all_outs()[m:]):
                        # spaces at the ends on rows the examples do not show: the trimmed twin
                        twin = key[:-1] + (True,)
                        atoms[twin] = self._sub_atom(twin, name, svec, evec, sexprs, eexprs, case,
                                                     _trimmed(fn), ccost + TRIM_COST, outs, True)

    def _sub_atom(self, key, name, svec, evec, sexprs, eexprs, case, fn, ccost, outs,
                  trim: bool = False) -> Atom:
        cells = self.columns[name].cells
        s0, e0 = sexprs[0], eexprs[0]
        whole = (s0.before == s0.after == "" and s0.k == 1 and e0.before == e0.after == "" and e0.k == -1)
        tok = _token_pair(sexprs, eexprs)
        def trimmed(n: Node) -> Node:
            return Apply("TRIM", (n,)) if trim else n

        if whole:
            cost = 0.3 + ccost

            def node() -> Node:
                return _cased(case, trimmed(_var(name)))
        elif tok is not None:
            t, k = tok
            cost = 0.8 + token_cost(t) + K_COST * (abs(k) - 1) + ccost

            def node() -> Node:
                return _cased(case, trimmed(Apply("TOKEN", (_var(name), Const(t, S), Const(k, I)))))
        else:
            cost = 1.0 + s0.cost + e0.cost + ccost

            def node() -> Node:
                return _cased(case, trimmed(Apply("SUBSTR", (_var(name), _pos_node(name, s0),
                                                             _pos_node(name, e0)))))

        def compute() -> tuple:
            res = []
            for i, c in enumerate(cells):
                s, t = svec[i], evec[i]
                res.append(None if s is None or t is None or s > t else fn(c.text[s:t]))
            return tuple(res)

        def context() -> tuple:
            return tuple(None if s is None or t is None or s > t else cut_context(c.text, s, t)
                         for c, s, t in zip(cells, svec, evec))

        return Atom(key, cost, outs, compute, node, None if whole else context)

    # -- the start or end of a token ---------------------------------------------------------
    def _token_parts(self, name: str, col: Column, p: int, atoms: dict) -> None:
        """``LEFT(TOKEN(cell, tok, k), n)`` and ``RIGHT(...)``: the first or last n characters of
        a token (an initial, the first letters of a word)."""
        d, m = self.driver, self.m
        out = self.outputs[d]
        if p >= len(out):
            return
        cells = col.cells
        for tok in col.tokens:
            spans = cells[d].spans(tok)
            for i, (sa, sb) in enumerate(spans):
                word = cells[d].text[sa:sb]
                for k in (i + 1, i - len(spans)):
                    for side in ("LEFT", "RIGHT"):
                        for case, fn, ccost in CASES:
                            for n in range(1, len(word)):
                                piece = word[:n] if side == "LEFT" else word[len(word) - n:]
                                if fn(piece) != out[p:p + n]:
                                    continue
                                key = ("part", name, tok, k, side, n, case)
                                if key in atoms:
                                    continue
                                outs = []
                                for e in range(m):
                                    w = _kth(cells[e].spans(tok), k)
                                    if w is None:
                                        break
                                    wt = cells[e].text[w[0]:w[1]]
                                    if len(wt) < n:
                                        break
                                    outs.append(fn(wt[:n] if side == "LEFT" else wt[len(wt) - n:]))
                                else:
                                    outs = tuple(outs)
                                    if self.fits_somewhere(outs):
                                        atoms[key] = self._part_atom(key, name, tok, k, side, n, case,
                                                                     fn, ccost, outs)

    def _part_atom(self, key, name, tok, k, side, n, case, fn, ccost, outs) -> Atom:
        cells = self.columns[name].cells
        cost = 1.3 + token_cost(tok) + K_COST * (abs(k) - 1) + 0.15 * n + ccost

        def compute() -> tuple:
            res = []
            for c in cells:
                w = _kth(c.spans(tok), k)
                if w is None or w[1] - w[0] < n:
                    res.append(None)
                else:
                    wt = c.text[w[0]:w[1]]
                    res.append(fn(wt[:n] if side == "LEFT" else wt[len(wt) - n:]))
            return tuple(res)

        def node() -> Node:
            return _cased(case, Apply(side, (Apply("TOKEN", (_var(name), Const(tok, S), Const(k, I))),
                                             Const(n, I))))

        return Atom(key, cost, outs, compute, node)


def _char_kind(c: str) -> str:
    return "a" if c.isalpha() else "9" if c.isdigit() else " " if c.isspace() else "."


def cut_context(text: str, s: int, t: int) -> tuple[str, str]:
    """What a cut ``text[s:t]`` sits between: the kind of the character before it and after it
    (a letter, a digit, punctuation, or a space, the cell's ends counting as spaces)."""
    return (_char_kind(text[s - 1]) if s > 0 else " ", _char_kind(text[t]) if t < len(text) else " ")


def _padded(s: str) -> bool:
    return s != "" and (s[0].isspace() or s[-1].isspace())


def _trimmed(fn: Callable[[str], str]) -> Callable[[str], str]:
    return lambda s: fn(_ops.trim(s))


def _kth(spans: list, k: int):
    if k > 0:
        return spans[k - 1] if k <= len(spans) else None
    return spans[k] if -k <= len(spans) else None


def _token_pair(sexprs: list[PosExpr], eexprs: list[PosExpr]) -> tuple[str, int] | None:
    """``(tok, k)`` when the two groups hold the start and the end of the k-th match of ``tok``
    (the substring is then ``TOKEN(cell, tok, k)``), the cheapest such token."""
    starts = {(p.after, p.k) for p in sexprs if p.before == "" and p.after != ""}
    best = None
    for p in eexprs:
        if p.after == "" and p.before != "" and (p.before, p.k) in starts:
            c = token_cost(p.before) + K_COST * (abs(p.k) - 1)
            if best is None or c < best[0]:
                best = (c, p.before, p.k)
    return None if best is None else (best[1], best[2])


# ------------------------------------------------------------------------------- dates


class DateWitness:
    """Date and time fields: a cell parsed under a list of input patterns (the first that fits
    wins), rounded, and one field of the result rendered (``DATETEXT``)."""

    def __init__(self, finder: AtomFinder):
        self.f = finder
        try:
            from synth.dsl.strings import dates
        except ImportError:  # pragma: no cover - module not yet available
            self.dates = None
            return
        self.dates = dates
        self.steps = rounding_steps(dates.STEPS)
        #: source (a column, or a column's k-th date-like token) -> its covers, and its node
        self.covers: dict[Any, list[tuple[tuple[str, ...], list]]] = {}
        self.source_node: dict[Any, Callable[[], Node]] = {}
        self.texts: dict[Any, list[str]] = {}
        #: sources whose rows never say whether "3/4" is March 4 or April 3 (see _undecided)
        self.undecided: set = set()
        for name, col in finder.columns.items():
            cv = self._covers([c.text for c in col.cells])
            if cv:
                self.covers[name] = cv
                self.source_node[name] = lambda n=name: _var(n)
                self.texts[name] = [c.text for c in col.cells]
                if self._undecided([c.text for c in col.cells]):
                    self.undecided.add(name)
                continue
            # a date inside longer text ("10/4/2019 and 1/8/2003"): its k-th date-like token
            for k in (1, 2, -1, -2):
                texts = []
                for c in col.cells:
                    w = _kth(c.spans(DATE_TOKEN), k)
                    texts.append("" if w is None else c.text[w[0]:w[1]])
                if any(texts[e] == "" for e in range(finder.m)):
                    continue
                cv = self._covers(texts)
                if cv:
                    src = (name, k)
                    self.covers[src] = cv
                    if self._undecided(texts):
                        self.undecided.add(src)
                    self.texts[src] = texts
                    self.source_node[src] = lambda n=name, k=k: Apply(
                        "TOKEN", (_var(n), Const(DATE_TOKEN, S), Const(k, I)))
        self._rounded: dict[tuple, list] = {}
        self._steps_of: dict[tuple, list] = {}

    def _undecided(self, texts: list[str]) -> bool:
        """Whether some example reads as two different dates, month first and day first, and no
        row (examples and unlabeled rows) reads only one way (a day above 12 would decide)."""
        D, m = self.dates, self.f.m
        ambiguous = False
        for i, t in enumerate(texts):
            md, dm = D.parse(t, "*md"), D.parse(t, "*dm")
            if (md is None) != (dm is None):
                return False  # this row decides the order
            if i < m and md is not None and md != dm:
                ambiguous = True
        return ambiguous

    def _covers(self, texts: list[str]) -> list[tuple[tuple[str, ...], list]]:
        """Input-pattern lists under which every example's text parses: one per pattern that
        parses the driving example, extended by the first pattern of each row it misses that
        does not read day and month the other way round (so no two rows are read with
        opposite orders); with each row's parsed value."""
        D = self.dates
        m, d = self.f.m, self.f.driver
        per_row = [D.parse_patterns(t) if len(t) <= 64 else [] for t in texts]
        if any(not per_row[e] for e in range(m)):
            return []
        covers = []
        seen = set()
        for first, prefer in [(f, o) for f in per_row[d] for o in ("md", "dm")]:
            cover = [first]
            ok = True
            for i, pats in enumerate(per_row):
                if any(p in cover for p in pats):
                    continue
                fits = [p for p in pats if all(_compatible(p, q) for q in cover)]
                add = next((p for p in fits if _order(p) in (prefer, None)), fits[0] if fits else None)
                if add is None:
                    if i < m:
                        ok = False
                        break
                    continue
                cover.append(add)
            key = tuple(cover)
            if not ok or key in seen:
                continue
            seen.add(key)
            orders = {_order(p) for p in key} - {None}
            tail = "*dm" if orders == {"dm"} else "*md"
            full = key + (tail,)
            values = [D.parse(t, "|".join(full)) for t in texts]
            if all(values[e] is not None for e in range(m)):
                covers.append((full, values))
            if len(covers) >= 8:
                break
        return covers

    def _round(self, name: str, ci: int, step: str, shift: int) -> list:
        key = (name, ci, step, shift)
        got = self._rounded.get(key)
        if got is None:
            values = self.covers[name][ci][1]
            if step == "":
                got = values
            else:
                got = [None if v is None else self.dates.round_value(v, step, shift) for v in values]
            self._rounded[key] = got
        return got

    def find(self, p: int, atoms: dict) -> None:
        """Atoms ``DATETEXT(cell, patterns, out, step, shift)`` whose output pattern is one or
        more fields with the separators between them (so "10PM" is one atom, both fields of
        one rounded value), found field by field along the driving example's output."""
        if self.dates is None:
            return
        D, f = self.dates, self.f
        out = f.outputs[f.driver]
        if p >= len(out):
            return
        for name, covers in self.covers.items():
            for ci, (cover, _) in enumerate(covers):
                for step, shift, vals in self._distinct(name, ci):
                    if f.expired():
                        return
                    self._extend(name, ci, cover, step, shift, vals, p, atoms)

    def _distinct(self, name, ci: int) -> list:
        """The (step, shift, values) worth trying for a cover, the same at every position:
        those defined on every example, less any that gives the same values on every row as
        a cheaper one."""
        key = (name, ci)
        got = self._steps_of.get(key)
        if got is None:
            m = self.f.m
            got = self._steps_of[key] = distinct_roundings(
                self.steps, lambda st, sh: self._round(name, ci, st, sh),
                lambda vals: all(vals[e] is not None for e in range(m)))
        return got

    def _extend(self, name, ci, cover, step, shift, vals, p, atoms) -> None:
        D, f = self.dates, self.f
        out = f.outputs[f.driver]
        v0 = vals[f.driver]
        stack: list[tuple[int, tuple]] = [(p, ())]
        while stack:
            q, pieces = stack.pop()
            if q >= len(out):
                continue
            nfields = sum(1 for k, _ in pieces if k == "field")
            if nfields >= MAX_DATE_FIELDS:
                continue
            if pieces and (not out[q].isalnum() or out[q].isalpha() and pieces[-1][0] == "field"):
                # separators, and a letter right after a field ("03h 14m")
                stack.append((q + 1, pieces + (("lit", out[q]),)))
            for field, rendering in D.witness(v0, out, q):
                if not pieces and field in ("AM", "am"):
                    continue  # an AM/PM marker goes with the hour before it
                new = pieces + (("field", field),)
                pattern = D.output_pattern(_merge_lits(new))
                key = ("date", name, cover, pattern, step, shift)
                if key in atoms:
                    continue
                outs = tuple(D.render_pattern(vals[e], pattern) for e in range(f.m))
                if any(o is None for o in outs) or not f.fits_somewhere(outs):
                    continue
                atoms[key] = self._atom(key, name, ci, cover, pattern, nfields + 1, new, step, shift, outs)
                stack.append((q + len(rendering), new))

    def _clock_decided(self, name, ci: int) -> bool:
        """Whether the cells say which half of the day they are in: a marker in the input
        ("9:00 PM"), or some row (examples and unlabeled rows) written as a 24-hour clock is:
        an hour with its leading zero ("08:29"), or one only that clock has (0, 13-23)."""
        cover, values = self.covers[name][ci]
        if any("{am" in p.lower() for p in cover):
            return True
        if any(_PADDED_HOUR.search(t) for t in self.texts[name]):
            return True
        return any(v is not None and v.seconds is not None and (v.seconds // 3600 % 24 > 12 or v.seconds < 3600)
                   for v in values)

    def _atom(self, key, name, ci, cover, pattern, nfields, pieces, step, shift, outs) -> Atom:
        D = self.dates
        fields = [v for k, v in pieces if k == "field"]
        extra = sum(FIELD_COST.get(v, 0.0) for v in fields)
        if {"dd", "mm"} & set(fields):  # a day or month with its leading zero: the rest too
            extra += 0.3 * sum(1 for v in fields if v in ("d", "m", "H"))
        extra += 0.4 * sum(1 for k, v in pieces if k == "lit" and v.isalnum())
        if ("h" in fields or "hh" in fields) and not ("AM" in fields or "am" in fields):
            extra += 0.5  # a 12-hour hour without its AM/PM
        # a field shown twice in one pattern ("{h}:{ss}-{h}:{nn}") is one time written twice:
        # the two ends of a range are two roundings, not one pattern
        extra += REPEATED_FIELD_COST * (len(fields) - len(set(fields)))
        weeks = "w" in fields or "ww" in fields
        if "GGGG" in fields and not weeks or weeks and "yyyy" in fields:
            extra += 0.5  # ISO week numbers go with the ISO year, calendar years without them
        named = {_order(p) for p in cover if "{mmm" in p} - {None}
        numeric = {_order(p) for p in cover if "{mmm" not in p} - {None}
        grid = _grid_seconds(step)
        # a field finer than the rounding grid is a constant in disguise (":00" seconds of a
        # time rounded to the half hour)
        # and so is one the cells never show (":00" seconds of "21:44")
        shown = "".join(p for p in cover if not p.startswith("*"))
        extra += CONSTANT_FIELD_COST * sum(1 for v in fields if v in ("ss", "s") and (grid >= 60 or not step and "{s" not in shown)
                                           or v in ("nn", "n") and (grid >= 3600 or not step and "{n" not in shown)
                                           or v in ("H", "HH", "h", "hh") and grid >= 86400)
        ranks = [_TIME_RANK[v] for v in fields if v in _TIME_RANK]
        if any(b < a for a, b in zip(ranks, ranks[1:])):
            extra += 0.5  # times are written hours, then minutes, then seconds
        if {"AM", "am"} & set(fields) and not self._clock_decided(name, ci):
            # "9:00" -> "9 AM" on every example: no row shows the cells are a 24-hour clock, so
            # reading AM/PM from them is a guess ("12:00" would say PM); copying is not
            extra += UNDECIDED_COST
        if name in self.undecided:
            # dates that read both ways: a program that moves their digits without reading them
            # (tokens, substrings) is right under either reading, and on rows of the other order
            extra += UNDECIDED_COST
        cost = (1.6 + 0.15 * (len(cover) - 2)
                + 0.5 * bool(named and numeric - named)  # numbers read against the named months' order
                + _step_cost(step, shift) + shift_cost(step, shift)
                + 0.25 * (nfields - 1) + extra)

        def compute() -> tuple:
            return tuple(None if v is None else D.render_pattern(v, pattern)
                         for v in self._round(name, ci, step, shift))

        def node() -> Node:
            return Apply("DATETEXT", (self.source_node[name](), Const("|".join(cover), S), Const(pattern, S),
                                      Const(step, S), Const(shift, I)))

        return Atom(key, cost, outs, compute, node)


#: extra cost of output fields that are less often meant when a piece fits several: a leading
#: zero ("17" is {d} and {dd}), seconds (":00" after rounding is minutes first), the rarer ones
FIELD_COST = {"dd": 0.1, "mm": 0.1, "hh": 0.1, "HH": 0.1, "ss": 0.2, "s": 1.0, "n": 1.0,
              "q": 0.3, "w": 0.4, "ww": 0.4, "do": 0.3, "j": 0.4, "jjj": 0.5, "GGGG": 0.3,
              "yy": 0.15}
#: extra cost of each repeated field in one date pattern
REPEATED_FIELD_COST = 2.0
#: extra cost of an output field that the rounding makes constant
CONSTANT_FIELD_COST = 1.0
_TIME_RANK = {"H": 0, "HH": 0, "h": 0, "hh": 0, "nn": 1, "n": 1, "ss": 2, "s": 2}


def _grid_seconds(step: str) -> int:
    """The spacing in seconds of the values a rounding step can give (0 without rounding): the
    step, or its shift unit where it names a finer one ("round 1 hour by 30 min": 1800); a day
    or more for date steps."""
    parts = step.split()
    if len(parts) < 3:
        return 0
    unit = {"sec": 1, "min": 60, "hour": 3600}
    try:
        g = int(parts[1]) * unit[parts[2]]
    except (KeyError, ValueError):
        return 86400  # day, week, month, year
    if len(parts) == 6 and parts[3] == "by" and parts[5] in unit:
        g = math.gcd(g, int(parts[4]) * unit[parts[5]])
    return g


#: extra cost of a date atom when the rows never decide whether the cells are month-first or
#: day-first
UNDECIDED_COST = 20.0
#: a zero-padded hour, as 24-hour clocks write them
_PADDED_HOUR = re.compile(r"(?<![0-9])0[0-9]:[0-5][0-9]")
#: most fields in one date atom
MAX_DATE_FIELDS = 8
#: how many rounding steps a range's ends may lie from the rounded value
SHIFTS = (0, 1, -1, 2)


def _merge_lits(pieces: tuple) -> list:
    out: list = []
    for k, v in pieces:
        if k == "lit" and out and out[-1][0] == "lit":
            out[-1] = ("lit", out[-1][1] + v)
        else:
            out.append((k, v))
    return out


@functools.lru_cache(maxsize=4096)
def _order(p: str) -> str | None:
    """"dm" when a pattern reads the day before the month, "md" the other way, else None (no
    day or month, or the year first, as ISO dates have it). Cached: every date atom asks it of
    each pattern of its cover."""
    if p.startswith("{yyyy}"):
        return None
    d = re.search(r"\{d\}|\{dd\}|\{do\}", p)
    m = re.search(r"\{m\}|\{mm\}|\{mmm\}|\{mmmm\}", p)
    if d is None or m is None:
        return None
    return "dm" if d.start() < m.start() else "md"


def _compatible(p: str, q: str) -> bool:
    """Two input patterns may share a list unless they read the same shape with day and month
    swapped."""
    def shape(x: str) -> str:
        for f in ("{dd}", "{d}", "{mm}", "{m}"):
            x = x.replace(f, "{X}")
        return x
    return p == q or shape(p) != shape(q)


def distinct_roundings(steps, rounded: Callable[[str, int], list], usable: Callable[[list], bool]) -> list:
    """(step, shift, values) for each (step, shift) in order whose values are ``usable``, less
    any that gives the same values on every row as an earlier (cheaper) one."""
    got, seen = [], set()
    for step, shift in steps:
        vals = rounded(step, shift)
        if not usable(vals):
            continue
        vec = tuple(vals)
        if vec not in seen:
            seen.add(vec)
            got.append((step, shift, vals))
    return got


def rounding_steps(steps: list[str]) -> list[tuple[str, int]]:
    """(step, shift) pairs to try, no rounding first, then the cheapest roundings. A step whose
    shift is much finer than its block ("floor 30 min by 1 min") is tried with one shift, to
    the block's last unit ("6:00-6:29"); a scaling ("times 100") with none."""
    pairs = [("", 0)]
    for s in steps:
        if not s:
            continue
        end = end_shift(s)
        if s.startswith("times "):
            pairs.append((s, 0))
        elif end is not None:
            pairs.append((s, end))
        else:
            pairs.extend((s, k) for k in SHIFTS)
    return sorted(pairs, key=lambda sk: _step_cost(sk[0], sk[1]) + shift_cost(sk[0], sk[1]))


_UNIT_SECONDS = {"sec": 1, "min": 60, "hour": 3600}


def end_shift(step: str) -> int | None:
    """For a step "<mode> <n> [unit] by <u> [unit]" whose block holds more than 4 shift units,
    the shift to the block's last unit (n/u - 1); else None."""
    head, sep, by = step.partition(" by ")
    if not sep:
        return None
    try:
        parts, bparts = head.split()[1:], by.split()
        n = Fraction(parts[0]) * (_UNIT_SECONDS[parts[1]] if len(parts) > 1 else 1)
        u = Fraction(bparts[0]) * (_UNIT_SECONDS[bparts[1]] if len(bparts) > 1 else 1)
    except (KeyError, ValueError, IndexError, ZeroDivisionError):
        return None
    ratio = n / u
    if ratio.denominator != 1 or ratio <= 4:
        return None
    return int(ratio) - 1


def shift_cost(step: str, shift: int) -> float:
    """A range's other end a few steps away costs by the step; its block's last unit (the
    "-6:29" of "6:00-6:29") as much as the next block."""
    if shift and shift == end_shift(step):
        return 0.5
    return 0.3 * abs(shift)


def _step_cost(step: str, shift: int = 0) -> float:
    """Rounding is a choice the examples must make: none is cheapest, then round to nearest,
    floor and ceiling, then Excel's ROUNDUP/ROUNDDOWN (away from / towards zero); the ends of a
    range (a shift) are usually buckets, so there floor comes first."""
    if step == "":
        return 0.0
    mode = step.split()[0]
    if shift:
        return 1.0 + {"floor": 0.0, "round": 0.2, "ceil": 0.5}.get(mode, 0.35)
    return 1.0 + {"round": 0.0, "floor": 0.1, "ceil": 0.5}.get(mode, 0.35)


#: the most one-section formats tried for one number at one place of the output (the plainest:
#: a longer format that renders the examples alike is rarely the one meant); the two-section
#: ones (for examples of both signs) are all kept where an example is negative
MAX_FORMATS = 16
#: optional decimals a format keeps when the examples show no rounding of the decimals
KEEP_DECIMALS = 10


def _keep_precision(N, found: list, v) -> list:
    """Beside each format with decimals ("0.0"), the same one keeping up to ``KEEP_DECIMALS``
    decimals ("0.0#########"), when it renders the same piece: where no example shows the
    decimals cut, the rows that have more should keep them."""
    out = list(found)
    seen = {f for f, _ in found}
    for fmt, rendering in found:
        if ";" in fmt or "." not in fmt or fmt.endswith(","):
            continue
        head, _, tail = fmt.partition(".")
        digits = len(tail) - len(tail.lstrip("0#"))
        if digits == 0 or tail[digits:] or tail[:digits].count("#") and tail[:digits].rstrip("#") != tail[:digits].rstrip("#").replace("#", ""):
            continue
        zeros = tail[:digits].rstrip("#")
        longer = f"{head}.{zeros}{'#' * (KEEP_DECIMALS - len(zeros))}"
        if longer not in seen and N.format_number(v, longer) == rendering:
            seen.add(longer)
            out.append((longer, rendering))
    return out


def _format_cost(fmt: str) -> float:
    """Plain formats first: General, then those keeping every decimal ("0.0#########"), then
    fixed decimals; sections (``;``) and literal text last."""
    if fmt.lower() == "general":
        return 0.0
    if fmt.endswith("#" * (KEEP_DECIMALS - 1)):
        fmt = fmt.rstrip("#")
        return 0.08 + 0.04 * len(fmt)
    cost = 0.1 + 0.04 * len(fmt)
    if ";" in fmt:
        cost += 1.5
    if any(c not in "0#.,%" for c in fmt):
        cost += 0.5
    return cost


# ------------------------------------------------------------------------------- numbers


class NumberWitness:
    """Numbers: a whole cell or its k-th number, rounded and formatted (``NUMTEXT``)."""

    def __init__(self, finder: AtomFinder):
        self.f = finder
        try:
            from synth.dsl.strings import numbers
        except ImportError:  # pragma: no cover
            self.numbers = None
            return
        self.numbers = numbers
        self.steps = rounding_steps(numbers.STEPS)
        N = numbers
        m = finder.m
        #: (source key, source cost, node builder, values on every row)
        self.sources: list[tuple[Any, float, Callable[[], Node], list]] = []
        #: source index -> on every row, what a number read from inside a cell sits between
        self.context: dict[int, tuple] = {}
        for name, col in finder.columns.items():
            texts = [c.text for c in col.cells]
            whole = [N.parse_number(t) for t in texts]
            if all(whole[e] is not None for e in range(m)):
                self.sources.append((("cell", name), 0.0, (lambda n=name: _var(n)), whole))
                continue
            spans = [c.spans(NUMBER_TOKEN) for c in col.cells]
            for k in list(range(1, MAX_NUMBER_K + 1)) + list(range(-1, -MAX_NUMBER_K - 1, -1)):
                vals, where = [], []
                for i, c in enumerate(col.cells):
                    w = _kth(spans[i], k)
                    vals.append(None if w is None else N.parse_number(c.text[w[0]:w[1]]))
                    where.append(None if w is None else cut_context(c.text, w[0], w[1]))
                if all(vals[e] is not None for e in range(m)):
                    key = ("tok", name, k)
                    if any(s[3][:m] == vals[:m] and s[3] == vals for s in self.sources):
                        continue  # the same numbers counted from the other end
                    self.context[len(self.sources)] = tuple(where)
                    self.sources.append((key, 0.5 + K_COST * (abs(k) - 1),
                                         (lambda n=name, k=k: Apply("TOKEN", (_var(n), Const(NUMBER_TOKEN, S),
                                                                              Const(k, I)))), vals))
        self._rounded: dict[tuple, list] = {}
        self._witness: dict[tuple, list] = {}
        self._steps_of: dict[int, list] = {}

    def _distinct(self, si: int) -> list:
        """The (step, shift, values) worth trying for a source, the same at every position:
        those defined on the driving example, less any that gives the same values on every
        row as a cheaper one."""
        got = self._steps_of.get(si)
        if got is None:
            d = self.f.driver
            got = self._steps_of[si] = distinct_roundings(
                self.steps, lambda st, sh: self._round(si, st, sh), lambda vals: vals[d] is not None)
        return got

    def _round(self, si: int, step: str, shift: int) -> list:
        key = (si, step, shift)
        got = self._rounded.get(key)
        if got is None:
            values = self.sources[si][3]
            got = values if step == "" else [None if v is None else self.numbers.round_value(v, step, shift)
                                             for v in values]
            self._rounded[key] = got
        return got

    def find(self, p: int, atoms: dict) -> None:
        if self.numbers is None or not self.sources:
            return
        N, f = self.numbers, self.f
        out = f.outputs[f.driver]
        if p >= len(out) or not (out[p].isdigit() or out[p] in "-+.$€£¥(%"):
            return
        for si, (skey, scost, _, _) in enumerate(self.sources):
            for step, shift, vals in self._distinct(si):
                if f.expired():
                    return
                v0 = vals[f.driver]
                wkey = (v0, p)
                found = self._witness.get(wkey)
                if found is None:
                    found = _keep_precision(N, N.witness(v0, out, p), v0)
                    plain = sorted((fr for fr in found if ";" not in fr[0]), key=lambda fr: _format_cost(fr[0]))
                    found = self._witness[wkey] = plain[:MAX_FORMATS] + [fr for fr in found if ";" in fr[0]]
                if not any(vals[e] is not None and vals[e] < 0 for e in range(f.m)):
                    found = [fr for fr in found if ";" not in fr[0]]  # sections need a negative
                for fmt, _rendering in found:
                    key = ("num", skey, fmt, step, shift)
                    if key in atoms:
                        continue
                    outs = tuple(None if vals[e] is None else N.format_number(vals[e], fmt) for e in range(f.m))
                    if any(o is None for o in outs) or not f.fits_somewhere(outs):
                        continue
                    atoms[key] = self._atom(key, si, scost, fmt, step, shift, outs)

    def _atom(self, key, si, scost, fmt, step, shift, outs) -> Atom:
        N = self.numbers
        cost = 2.0 + scost + _format_cost(fmt) + _step_cost(step, shift) + shift_cost(step, shift)
        build = self.sources[si][2]

        def compute() -> tuple:
            return tuple(None if v is None else N.format_number(v, fmt) for v in self._round(si, step, shift))

        def node() -> Node:
            return Apply("NUMTEXT", (build(), Const(fmt, S), Const(step, S), Const(shift, I)))

        where = self.context.get(si)
        return Atom(key, cost, outs, compute, node, None if where is None else (lambda: where))
