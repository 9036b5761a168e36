"""Regexes for delimited strings: split the positives at their punctuation, generalize each
field on its own, and keep the first combination that rejects every negative.

Dates, phone numbers, e-mail addresses, versions and IP addresses are sequences of fields
between fixed delimiters; a whole-string enumeration needs a large regex for them, while each
field alone is a class with a count (``\\d{4}``), a class with a ``+``, a literal, or a union of
a few literals. This divide-and-conquer step follows the multi-tree idea of FOREST (Ferreira et
al., TACAS 2021). Positives whose delimiter sequence is a prefix of the longest one make the
remaining fields optional (``\\d{5}(-\\d{4})?``). Repeated delimiter-field pairs are folded into a
counted repeat (``\\d{1,3}(\\.\\d{1,3}){3}``).
"""
from __future__ import annotations

import heapq
import re
from typing import Sequence

from synth.dsl.base import Apply, Const, Node
from synth.dsl.regex.charclass import ALNUM, ALPHA, DIGIT, HEX, LOWER, UPPER, WORD, CharClass
from synth.dsl.regex.syntax import (BALANCE_AFTER, chain, concat, lit, opt, plus, repeat, star,
                                   to_python_pattern, union)

#: classes a field may be generalized to, narrowest first
FIELD_CLASSES = (DIGIT, LOWER, UPPER, HEX, ALPHA, ALNUM, WORD)
#: most combinations tried against the negatives
MAX_COMBINATIONS = 20000
#: positives with more fields than this are left to the other methods (a regex spelling out
#: hundreds of fields overfits, and building and checking it costs more than it is worth)
MAX_FIELDS = 100


def is_delimiter(c: str) -> bool:
    return not (c.isalnum() or c == "_")


def split_fields(s: str) -> tuple[list[str], list[str]]:
    """``"bob@example.com"`` -> (["bob", "example", "com"], ["@", "."])."""
    fields, delims, cur = [], [], []
    for c in s:
        if is_delimiter(c):
            fields.append("".join(cur))
            delims.append(c)
            cur = []
        else:
            cur.append(c)
    fields.append("".join(cur))
    return fields, delims


def field_candidates(values: Sequence[str]) -> list[Node]:
    """Regexes accepting every value of one field, most specific first."""
    distinct = sorted(set(values))
    out: list[Node] = []
    if len(distinct) == 1:
        out.append(lit(distinct[0]) if distinct[0] else Const("", "Lit"))
        if not distinct[0]:
            return out
    nonempty = [v for v in values if v]
    lengths = sorted({len(v) for v in nonempty})
    chars = set("".join(values))
    any_empty = len(nonempty) < len(values)
    classes = [CharClass(r) for r in FIELD_CLASSES if all(c in CharClass(r) for c in chars)][:3]
    for cc in classes:
        leaf = Const(cc, "Class")
        forms: list[Node] = []
        if len(lengths) == 1:
            forms.append(leaf if lengths[0] == 1 else repeat(leaf, lengths[0]))
        forms.append(plus(leaf))
        if len(lengths) > 1 and lengths[-1] <= 6:
            forms.append(repeat(leaf, lengths[0], lengths[-1]))
        for f in forms:
            # an empty value makes the field optional: C+ becomes C*, any other form f becomes
            # f? (f may be the class leaf itself, which has no op)
            is_plus = isinstance(f, Apply) and f.op == "plus"
            out.append(opt(f) if any_empty and not is_plus else (star(leaf) if any_empty else f))
    if 1 < len(distinct) <= 3 and len(values) >= 2 * len(distinct) and all(distinct):
        node: Node = lit(distinct[0])
        for d in distinct[1:]:
            node = union(node, lit(d))
        out.append(opt(node) if any_empty else node)
    if not classes:
        out.append(star(Const(CharClass.any(), "Class")) if any_empty else plus(Const(CharClass.any(), "Class")))
    return out


def _sequence(items: list[Node]) -> Node:
    if len(items) > BALANCE_AFTER:  # long sequences as balanced trees (bounded AST depth)
        return chain("concat", items)
    node = items[-1]
    for it in reversed(items[:-1]):
        node = concat(it, node)
    return node


def _fold_repeats(parts: list[Node]) -> list[Node]:
    """``f d f d f d f`` with three or more equal (d, f) pairs -> ``f (d f){3}``."""
    out: list[Node] = [parts[0]]
    i = 1
    while i < len(parts):
        d, f = parts[i], parts[i + 1]
        n = 1
        while i + 2 * n + 1 < len(parts) and parts[i + 2 * n] == d and parts[i + 2 * n + 1] == f:
            n += 1
        if n >= 3:
            out.append(repeat(concat(d, f), n))
        else:
            for _ in range(n):
                out += [d, f]
        i += 2 * n
    return out


def build(fields: Sequence[Node], delims: Sequence[str], cut_points: Sequence[int]) -> Node:
    """``f0 d1 f1 ...``; the fields from each cut point on are optional (nested), or ``(d f)*``
    when every optional part is the same delimiter and field."""
    items: list[Node] = [fields[0]]
    for d, f in zip(delims, fields[1:]):
        items += [lit(d), f]
    if cut_points:
        first = cut_points[0]
        tail = items[2 * first - 1:]
        pairs = {(tail[j], tail[j + 1]) for j in range(0, len(tail), 2)}
        if len(pairs) == 1 and len(cut_points) >= 2 and cut_points == list(range(first, len(fields))):
            d, f = next(iter(pairs))
            head = _fold_repeats(items[:2 * first - 1])
            return _sequence(_strip_eps(head + [star(concat(d, f))]))

    def from_field(k: int) -> list[Node]:
        """Items from field k on, with optional groups at later cut points."""
        later = [c for c in cut_points if c > k]
        end = later[0] if later else len(fields)
        seg = items[2 * k - 1 if k else 0: 2 * end - 1]
        seg = _strip_eps(_fold_repeats(seg)) if k == 0 else \
            [_sequence(_strip_eps(_fold_repeats([Const("", "Lit")] + seg)[1:]))]
        if later:
            seg.append(opt(_sequence(from_field(end))))
        return seg

    return _sequence(_strip_eps(from_field(0)))


def _strip_eps(items: list[Node]) -> list[Node]:
    kept = [x for x in items if x != Const("", "Lit")]
    return kept or [Const("", "Lit")]


def _has_any(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Const):
            if n.type == "Class" and n.value.negated:
                return True
        else:
            stack.extend(n.args)
    return False


def delimited_candidates(positive: Sequence[str], negative: Sequence[str], limit: int = 2,
                         clock=None):
    """Up to ``limit`` regexes (best first) of the delimited form that fit all examples.

    ``clock`` (``synth.search.budget.Clock``) is asked before each combination; out of budget,
    the ones found so far are returned. A combination with a ``.`` field is matched with the
    position matcher (``synth.dsl.regex.matcher``): ``.+`` between delimiters makes Python's
    backtracking ``re`` take time polynomial in the string with the number of fields as the
    exponent."""
    from synth.dsl.regex.matcher import PositionMatcher

    if not positive:
        return []
    splits = []
    for s in positive:
        splits.append(split_fields(s))
        if len(splits[-1][1]) >= MAX_FIELDS:
            return []
    longest = max(splits, key=lambda fd: len(fd[1]))[1]
    if not longest:
        return []
    for _, d in splits:
        if d != longest[:len(d)]:
            return []  # the delimiters do not line up
    cut_points = sorted({len(d) + 1 for _, d in splits if len(d) < len(longest)})
    n_fields = len(longest) + 1
    if n_fields > MAX_FIELDS:
        return []
    per_field = []
    for k in range(n_fields):
        if clock is not None and clock.exceeded():
            return []
        values = [f[k] for f, _ in splits if len(f) > k]
        per_field.append(field_candidates(values))
    compiled_neg = list(negative)
    found: list[Node] = []
    # best-first over rank vectors (sum of ranks, then lexicographic)
    start = (0,) * n_fields
    heap = [(0, start)]
    seen = {start}
    tried = 0
    while heap and tried < MAX_COMBINATIONS and len(found) < limit:
        if clock is not None and clock.exceeded():
            break
        _, ranks = heapq.heappop(heap)
        tried += 1
        node = build([per_field[k][r] for k, r in enumerate(ranks)], longest, cut_points)
        if _has_any(node):
            def fits(s, node=node):
                return PositionMatcher(s).fullmatch(node)
        else:  # classes and literals between literal delimiters: re does not backtrack far
            fits = re.compile(to_python_pattern(node)).fullmatch
        if all(fits(s) for s in positive) and not any(fits(s) for s in compiled_neg):
            found.append(node)
        for k in range(n_fields):
            if ranks[k] + 1 < len(per_field[k]):
                nxt = ranks[:k] + (ranks[k] + 1,) + ranks[k + 1:]
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (sum(nxt), nxt))
    return found
