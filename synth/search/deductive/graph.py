"""The cheapest way to cut every example's output into atoms: a shortest-path search over the
product of the examples' position graphs (Flash Fill's DAG intersection, built lazily).

A state is one position in each example's output; an edge is an atom whose pieces start there
in every example; a path from all-zero to all-ends is a concatenation that fits every example.
Its cost is the atoms' ranking costs plus what the unlabeled rows say about each atom: a piece
that is undefined on some rows, or that has one shape on every example (digits, a capitalised
word, ...) and another on some rows, is probably not the intended one.
"""
from __future__ import annotations

import functools
import heapq
from typing import Callable, Sequence

from synth.dsl.base import Apply, Const, Node
from synth.search.deductive.atoms import Atom, AtomFinder

#: cost of an atom undefined on some unlabeled rows (plus this times the share of such rows)
UNDEFINED_COST = 0.5
UNDEFINED_SHARE_COST = 2.0
#: cost times the share of unlabeled rows where an atom's piece changes shape
SHAPE_SHARE_COST = 3.0
#: cost times the share of unlabeled rows where a piece cut from a cell sits between other
#: kinds of character than on every example ("(089)" on the examples, " 12th" on a row)
CONTEXT_COST = 0.3
CONTEXT_SHARE_COST = 3.0
#: cost times the share of unlabeled rows where an extracted number of one fixed length (2 or
#: more digits) on every example (an area code, a year, a zip code) has another length
LENGTH_SHARE_COST = 2.0

@functools.lru_cache(maxsize=1 << 16)
def shape(s: str) -> frozenset:
    """A string's shape: which kinds of character it has (capitals, lower-case letters, digits,
    white space, other) and whether it starts or ends with a space, so "Smith" and "McDonald"
    share one, "42" and "Smith" do not, nor "NE" and "NE "."""
    kinds = set()
    if s and s[0].isspace():
        kinds.add("^ ")
    if s and s[-1].isspace():
        kinds.add(" $")
    for c in s:
        kinds.add("A" if c.isupper() else "a" if c.islower() else "9" if c.isdigit()
                  else " " if c.isspace() else ".")
    return frozenset(kinds)


def _decimals_vary(atom: Atom) -> bool:
    """Whether a formatted number shows a different count of decimals on the examples
    ("17.65", "13.4"): its format drops trailing zeros, so a row without decimals ("12") keeps
    its shape."""
    if atom.key[0] != "num":
        return False
    return len({len(o.partition(".")[2]) for o in atom.outs}) > 1


def _number_shape(s: str) -> frozenset:
    return shape(s.replace(".", "0", 1))


class Ranker:
    """The cost of an atom on this task: its own cost plus the unlabeled rows' evidence."""

    def __init__(self, m: int, n_rows: int):
        self.m = m
        self.n_rows = n_rows
        self._cache: dict = {}

    def bound(self, atom: Atom) -> tuple[float, bool]:
        """``cost`` if it is known already, else a lower bound that reads no row (the atom's
        own cost); and whether it is the cost itself."""
        got = self._cache.get(atom.key)
        return (atom.cost, False) if got is None else (got, True)

    def cost(self, atom: Atom) -> float:
        got = self._cache.get(atom.key)
        if got is None:
            got = self._cache[atom.key] = atom.cost + self.evidence(atom)
        return got

    def evidence(self, atom: Atom) -> float:
        n = self.n_rows - self.m
        if n <= 0 or atom.key[0] == "const":
            return 0.0
        rest = atom.all_outs()[self.m:]
        undefined = sum(o is None for o in rest)
        pen = 0.0
        if undefined:
            pen += UNDEFINED_COST + UNDEFINED_SHARE_COST * undefined / n
        see = _number_shape if _decimals_vary(atom) else shape
        shapes = {see(o) for o in atom.outs}
        if len(shapes) == 1:
            s0 = shapes.pop()
            other = sum(1 for o in rest if o is not None and see(o) != s0)
            pen += SHAPE_SHARE_COST * other / n
        if atom.context is not None:
            ctx = atom.context()
            seen = set(ctx[:self.m])
            if len(seen) == 1:  # every example's piece sits between the same kinds of character
                c0 = seen.pop()
                other = sum(1 for c in ctx[self.m:] if c is not None and c != c0)
                if other:
                    pen += CONTEXT_COST + CONTEXT_SHARE_COST * other / n
        lengths = {len(o) for o in atom.outs}
        if len(lengths) == 1 and atom.key[0] in ("sub", "part") and all(o.isdigit() for o in atom.outs):
            n0 = lengths.pop()
            if n0 >= 2:
                other = sum(1 for o in rest if o is not None and len(o) != n0)
                pen += LENGTH_SHARE_COST * other / n
        return pen


def cheapest_path(finder: AtomFinder, outputs: Sequence[str], ranker: Ranker,
                  tick: Callable[[int], bool]) -> tuple[list[Atom] | None, int]:
    """The cheapest atom sequence that produces every output, and the number of edges tried.
    ``tick(edges)`` is called every few hundred edges and returns True to stop (budget).

    Dijkstra's search with each edge's cost taken lazily: an edge enters the queue at its
    atom's own cost (a lower bound), and the unlabeled rows' evidence (``Ranker.evidence``,
    which evaluates the atom on every row) is added only when that entry reaches the front.
    Edges that never come near the cheapest path are never evaluated on the rows. Ties go to
    the edge tried first, as in the eager search."""
    m = len(outputs)
    d = finder.driver
    goal = tuple(len(o) for o in outputs)
    start = (0,) * m
    done: set[tuple] = set()
    back: dict[tuple, tuple[tuple, Atom]] = {}
    # (cost, edge number, state, (from state, its cost, atom) or None, exact cost?)
    heap: list = [(0.0, 0, start, None, True)]
    tried = 0
    while heap:
        c, seq, state, via, exact = heapq.heappop(heap)
        if state in done:
            continue
        if not exact:  # add the evidence, back in the queue at the full cost
            _, prev_cost, atom = via
            heapq.heappush(heap, (_key(prev_cost + ranker.cost(atom)), seq, state, via, True))
            continue
        done.add(state)
        if via is not None:
            back[state] = (via[0], via[2])
        if state == goal:
            path = []
            while state != start:
                state, atom = back[state]
                path.append(atom)
            return path[::-1], tried
        edges = list(finder.at(state[d]))
        edges.extend(_constants(outputs, state, d, finder))
        for atom in edges:
            tried += 1
            if tried % 512 == 0 and tick(tried):
                return None, tried
            nxt_t = _step(state, atom, outputs)
            if nxt_t is not None and nxt_t not in done:
                cost, exact = ranker.bound(atom)
                heapq.heappush(heap, (_key(c + cost), tried, nxt_t, (state, c, atom), exact))
    return None, tried


def _key(cost: float) -> float:
    """A path cost as the queue orders it: costs that differ by rounding alone are equal."""
    return round(cost, 9)


def _constants(outputs: Sequence[str], state: tuple, d: int, finder: AtomFinder) -> list[Atom]:
    """Constant pieces that every example's output has at its position in ``state``."""
    out = outputs[d]
    p = state[d]
    atoms = []
    for q in range(p + 1, len(out) + 1):
        piece = out[p:q]
        if not all(o.startswith(piece, s) for o, s in zip(outputs, state)):
            break
        atoms.append(finder.const(piece))
    return atoms


# ------------------------------------------------------------------------------- programs


def program_node(path: list[Atom]) -> Node:
    """The program of a path: its atoms' nodes concatenated, neighbouring constants merged."""
    from synth.search.deductive.atoms import S

    items: list[Node] = []
    for a in path:
        if a.key[0] == "const" and items and isinstance(items[-1], Const):
            items[-1] = Const(items[-1].value + a.key[1], S)
        else:
            items.append(a.node())
    if not items:
        return Const("", S)
    node = items[0]
    for n in items[1:]:
        node = Apply("CONCATENATE", (node, n))
    return node


# ------------------------------------------------------------------------------- alternatives


def _step(state: tuple, atom: Atom, outputs: Sequence[str]) -> tuple | None:
    """The state after ``atom`` from ``state``, or None when its pieces do not fit there."""
    nxt = list(state)
    for e in range(len(outputs)):
        o = atom.outs[e] if atom.outs else atom.key[1]
        if not outputs[e].startswith(o, state[e]):
            return None
        nxt[e] += len(o)
    return tuple(nxt)


def behaviour(path: list[Atom], m: int, n_rows: int) -> tuple:
    """What a path's program gives on each unlabeled row (None where it is undefined)."""
    outs = []
    for row in range(m, n_rows):
        pieces = []
        for a in path:
            o = a.all_outs()[row]
            if o is None:
                pieces = None
                break
            pieces.append(o)
        outs.append(None if pieces is None else "".join(pieces))
    return tuple(outs)


#: how much dearer than the best program an alternative may be
ALTERNATIVE_MARGIN = 3.0


def _swaps(finder: AtomFinder, outputs: Sequence[str], ranker: Ranker, path: list[Atom]):
    """Every one-atom swap of the path that covers the same pieces of every example, as
    (the swapped path's cost, position, atom), cheapest first."""
    m, d = len(outputs), finder.driver
    states = [(0,) * m]
    for a in path:
        states.append(_step(states[-1], a, outputs))
    best = sum(ranker.cost(a) for a in path)
    swaps = []
    for i, a in enumerate(path):
        s0, s1 = states[i], states[i + 1]
        for b in list(finder.at(s0[d])) + _constants(outputs, s0, d, finder):
            if b.key != a.key and _step(s0, b, outputs) == s1:
                swaps.append((best - ranker.cost(a) + ranker.cost(b), i, b))
    swaps.sort(key=lambda t: t[0])
    return swaps


def alternatives(finder: AtomFinder, outputs: Sequence[str], ranker: Ranker, path: list[Atom],
                 k: int) -> list[tuple[list[Atom], float, tuple]]:
    """Up to ``k`` programs that fit the examples as the cheapest path does but give other
    outputs on the unlabeled rows, cheapest first: the path with one atom swapped for another
    that covers the same pieces of every example ("the last word" for "the 2nd word"), or with
    both ends of a range swapped for the ends of another range (one other rounding of the same
    source); priced as ``coherent`` prices paths. Each is (path, cost, outputs on the unlabeled
    rows); the first is the cheapest path itself."""
    m, n_rows = len(outputs), finder.n_rows
    pairs0 = _range_pairs(path)
    best = sum(ranker.cost(a) for a in path) - RANGE_BONUS * pairs0
    first = behaviour(path, m, n_rows)
    found = [(path, best, first)]
    if n_rows == m or k <= 1:
        return found
    swaps = _swaps(finder, outputs, ranker, path)
    candidates = []
    for c, i, b in swaps:
        alt = path[:i] + [b] + path[i + 1:]
        candidates.append((c - RANGE_BONUS * _range_pairs(alt), alt))
    if pairs0:  # the ends of another range: two swaps that make a pair of their own
        ends = [(c, i, b) for c, i, b in swaps if _range_key(b) is not None]
        raw = best + RANGE_BONUS * pairs0
        for n, (c, i, b) in enumerate(ends):
            for c2, j, b2 in ends[n + 1:]:
                if j != i and _range_key(b) == _range_key(b2) and b.key[-1] != b2.key[-1]:
                    alt = list(path)
                    alt[i], alt[j] = b, b2
                    candidates.append((c + c2 - raw - RANGE_BONUS * _range_pairs(alt), alt))
    candidates.sort(key=lambda t: t[0])
    seen = {first}
    for cost, alt in candidates:
        if cost > best + ALTERNATIVE_MARGIN:
            break  # much less likely than the best: not a fit worth showing or asking about
        beh = behaviour(alt, m, n_rows)
        if beh in seen:
            continue
        seen.add(beh)
        found.append((alt, cost, beh))
        if len(found) >= k:
            break
    return found


#: what a path saves for each pair of its pieces that are one rounding of one source moved by
#: different shifts (the two ends of a range: "6PM-8PM", "40-45")
RANGE_BONUS = 2.5


def _range_key(a: Atom) -> tuple | None:
    """What the two ends of one range share (kind, source, input formats, rounding step), or
    None for an atom that is not a rounded number or date."""
    k = a.key
    if k[0] == "num" and len(k) == 5 and k[3] or k[0] == "date" and len(k) == 6 and k[4]:
        return (k[0], k[1], k[2] if k[0] == "date" else None, k[-2])
    return None


def _range_pairs(path: list[Atom]) -> int:
    ends: dict[tuple, set] = {}
    for a in path:
        key = _range_key(a)
        if key is not None:
            ends.setdefault(key, set()).add(a.key[-1])
    return sum(len(v) - 1 for v in ends.values())


def coherent(finder: AtomFinder, outputs: Sequence[str], ranker: Ranker, path: list[Atom]) -> list[Atom]:
    """The path, or a one-atom swap of it that makes two of its pieces the ends of one range
    (the same rounding of the same source, shifted apart), where the swap costs less than
    ``RANGE_BONUS`` more: "40" of "40-45" is the rounded number, not a copied token."""
    if all(_range_key(a) is None for a in path):
        return path
    best_path, best = path, sum(ranker.cost(a) for a in path) - RANGE_BONUS * _range_pairs(path)
    for cost, i, b in _swaps(finder, outputs, ranker, path):
        if cost - RANGE_BONUS > best:
            break
        if _range_key(b) is None:
            continue
        alt = path[:i] + [b] + path[i + 1:]
        c = cost - RANGE_BONUS * _range_pairs(alt)
        if c < best - 1e-9:
            best_path, best = alt, c
    return best_path


def question(found: list[tuple[list[Atom], float, tuple]],
             order: Callable[[int], tuple] | None = None) -> tuple[int, list] | None:
    """The unlabeled row worth asking about among those where the alternatives' outputs differ:
    the first by ``order`` (a sort key of the row, e.g. how unlike the examples its input is),
    then the one where they differ most, then the cheapest alternatives' disagreement first,
    then the first row; as (row index among the unlabeled rows, the alternatives' outputs there)."""
    if len(found) < 2:
        return None
    best_row, best_key = None, None
    n = len(found[0][2])
    for r in range(n):
        outs = [f[2][r] for f in found]
        distinct = len(set(outs))
        if distinct < 2:
            continue
        first_split = next(i for i, o in enumerate(outs) if o != outs[0])
        key = (order(r) if order is not None else (), -distinct, first_split, r)
        if best_key is None or key < best_key:
            best_row, best_key = r, key
    if best_row is None:
        return None
    return best_row, [f[2][best_row] for f in found]
