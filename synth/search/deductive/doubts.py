"""Why one row's output of a text program may be wrong although the program fits every
example: the per-row evidence behind ``Session.predict``'s ``unsure`` and the deductive
search's question (``ask``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from synth.dsl.base import Apply, Program, Var, iter_nodes
from synth.plausibility import copied_constants
from synth.search.deductive.graph import shape


class Doubts:
    """Why one row's output of a text program may be wrong although the program fits every
    example, judged against the examples (BlinkFill-style evidence, per row):

    * the output has another shape than every example's output (``deductive.graph.shape``),
      or another count of decimals where every example's shows the same;
    * a piece of it (one it is concatenated from, nested concatenations flattened) has another
      shape, or starts or ends with another kind of character, than on every example;
    * an input cell has another count of words than that column has on every example (the
      program was never shown how to treat the extra or missing words);
    * the output is one of the program's data constants copied whole from the outputs (a
      lookup of the answers), or the program reads no input at all, or the examples (two or
      more) all have one output, for a row whose inputs no example has;
    * the program carries a warning (``Result.warnings``: many constants copied from the
      outputs, or a size the examples do not justify), for any row no example has;
    * the output, or a piece of it that is cut from an input cell, sits in the row's cells
      between other kinds of character (or at another end of the cell) than on every example,
      or is not in the row's cells at all: a number taken from the start of "78 Elm St" is
      doubtful where it comes from the end of "One Elm St, NY 41230", a last word after a
      hyphen ("al-lami") where every example's followed a space.
    """

    def __init__(self, program: Program, examples: list, implausible: bool = False):
        self.program = program
        #: whether the program reads an input at all (a constant learned nothing from the cells)
        self.reads_input = any(isinstance(n, Var) for n in iter_nodes(program.node))
        self.text = all(isinstance(o, str) for _, o in examples)
        self.inputs = [dict(i) for i, _ in examples]
        self.implausible = implausible
        if not self.text:
            return
        outs = [o for _, o in examples]
        shapes = {shape(o) for o in outs}
        self.shape = shapes.pop() if len(shapes) == 1 else None
        decimals = {_decimals(o) for o in outs}
        self.decimals = decimals.pop() if len(decimals) == 1 else None
        root = program.node
        dom = program.domain
        self.pieces = []
        parts = _concatenated(root)
        if len(parts) > 1:
            for arg in parts:
                got = {_piece_shape(v) if isinstance(v, str) else None
                       for v in (dom.evaluate(arg, dict(i)) for i, _ in examples)}
                if len(got) == 1 and None not in got:
                    self.pieces.append((arg, got.pop()))
        # where the output (or each cut piece of it) sits in the examples' cells
        self.places = []
        for arg in parts:
            if not any(isinstance(n, Var) for n in iter_nodes(arg)):
                continue  # a constant is not cut from a cell
            common = None
            for i, _ in examples:
                v = dom.evaluate(arg, dict(i))
                where = _places(dict(i), v) if isinstance(v, str) and v else set()
                common = where if common is None else common & where
                if not common:
                    break
            if common:
                self.places.append((arg, common))
        self.lookups = set(copied_constants(root, [_Ex(i, o) for i, o in examples]))
        # a program that reads no input, or examples that all show one output: no row's
        # output was learned from its input
        self.constant = not self.reads_input or (len(outs) > 1 and len(set(outs)) == 1)
        # input columns whose cells have one count of words on every example
        self.words = {}
        for name in self.inputs[0] if self.inputs else ():
            counts = {len(i[name].split()) if isinstance(i.get(name), str) else None for i in self.inputs}
            if len(counts) == 1 and None not in counts:
                self.words[name] = counts.pop()

    def about(self, row: dict, out: Any) -> bool:
        """Whether the program's output ``out`` on ``row`` is in doubt."""
        if row in self.inputs:
            return False
        if self.implausible or self.specific(row, out):
            return True
        return self.text and isinstance(out, str) and (self.constant or out in self.lookups)

    def specific(self, row: dict, out: Any) -> bool:
        """The doubts that single this row out (its output, a piece of it, or its input looks
        unlike the examples'), not those every new row shares."""
        if not self.text or not isinstance(out, str):
            return False
        if self.shape is not None and shape(out) != self.shape:
            return True
        if self.decimals is not None and _decimals(out) != self.decimals:
            return True
        dom = self.program.domain
        for arg, s0 in self.pieces:
            v = dom.evaluate(arg, row)
            if isinstance(v, str) and _piece_shape(v) != s0:
                return True
        if self.misplaced(row, out):
            return True
        return any(isinstance(row.get(n), str) and len(row[n].split()) != k for n, k in self.words.items())

    def misplaced(self, row: dict, out: Any) -> bool:
        """Whether the output, or a piece of it cut from a cell, sits in the row's cells between
        other kinds of character (or at another end) than on every example, or is not there."""
        if not self.text or not isinstance(out, str):
            return False
        dom = self.program.domain
        for arg, where in self.places:
            v = out if arg is self.program.node else dom.evaluate(arg, row)
            if isinstance(v, str) and v and not (_places(row, v) & where):
                return True
        return False


_CONCATS = ("CONCATENATE", "CONCAT", "str.++")


def _concatenated(node) -> list:
    """The pieces a program's output is concatenated from, nested concatenations flattened
    ("CONCATENATE(CONCATENATE(a, b), c)" has a, b, c); the node itself if it is none."""
    if isinstance(node, Apply) and node.op in _CONCATS:
        return [p for a in node.args for p in _concatenated(a)]
    return [node]


def _kind(c: str) -> str:
    """A character's kind: a letter, a digit, a space, or the punctuation character itself."""
    return "a" if c.isalpha() else "9" if c.isdigit() else " " if c.isspace() else c


def _places(row: Mapping[str, Any], piece: str) -> set:
    """Where a piece occurs in a row's text cells, ignoring case: for each occurrence, the kinds
    of character just before and after it, "^" and "$" at the cell's ends."""
    out = set()
    p = piece.lower()
    for cell in row.values():
        if not isinstance(cell, str):
            continue
        t = cell.lower()
        i = t.find(p)
        while i >= 0:
            j = i + len(p)
            out.add((_kind(t[i - 1]) if i > 0 else "^", _kind(t[j]) if j < len(t) else "$"))
            i = t.find(p, i + 1)
    return out


def _piece_shape(text: str) -> tuple:
    """A piece's shape and the kinds of its first and last characters: "[CPT-115" and
    "[CPT-115]" have the same kinds of character but end differently."""
    return (shape(text), _kind(text[0]) if text else "", _kind(text[-1]) if text else "")


@dataclass(frozen=True)
class _Ex:
    inputs: Mapping[str, Any]
    output: Any


def _decimals(text: str) -> int | None:
    """Digits after the point of a text that is one number ("12.50" -> 2, "12" -> 0), else None."""
    m = re.fullmatch(r"[-+(]?[$\u20ac\u00a3\u00a5\u20b9]?[0-9][0-9,]*(?:\.([0-9]+))?%?\)?", text.strip())
    if m is None:
        return None
    return len(m.group(1) or "")


#: a cell's tokens: runs of digits, of letters, of white space, and single other characters
_TOKEN = re.compile(r"\d+|[^\W\d_]+|\s+|.", re.S)


def _tokens(cell: Any) -> list[tuple[str, int]]:
    return [(_kind(t[0]), len(t)) for t in _TOKEN.findall(str(cell))]


def unlikeness(row: Mapping[str, Any], example_inputs: list) -> tuple[int, int]:
    """How unlike the examples' inputs a row's cells are, as a sort key (smaller: more unlike).
    A row whose every cell has the kinds of token (runs of digits, of letters, ...) of some
    example's, in order, comes first, by how many of its tokens have another length than that
    example's (the fewest over the examples, the most first): "21:7:6" against the example
    "3:14:23" shows at once how all three fields of that format generalize, "11:5:25" only two.
    A row of another format ("14:05", "2 pm") comes after every row of an example's format: the
    examples' own format is the one to get right first."""
    best = None
    cells = {k: _tokens(v) for k, v in row.items()}
    for ex in example_inputs:
        d = 0
        for k, toks in cells.items():
            other = _tokens(ex.get(k, ""))
            if [c for c, _ in toks] != [c for c, _ in other]:
                d = None
                break
            d += sum(1 for (_, a), (_, b) in zip(toks, other) if a != b)
        if d is not None and (best is None or d < best):
            best = d
    return (0, -best) if best is not None else (1, 0)
