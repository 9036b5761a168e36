"""Regex ASTs from and to text: our syntax (``grammar.lark``), Python ``re`` patterns, Z3 terms.

A regex is a ``synth.dsl.base`` node: leaves are ``Const(str, "Lit")`` (a literal string; ``""``
is the empty string ε), ``Const(CharClass, "Class")`` and ``Const(None, "Empty")`` (∅); inner
nodes are ``Apply`` of the ops in ``ops.py``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark, Transformer_NonRecursive, v_args
from lark.exceptions import LarkError, VisitError

from synth.dsl.base import Apply, Const, Node
from synth.dsl.regex.charclass import SHORTHANDS, CharClass, escape_char, normalize_ranges
from synth.errors import ProgramSyntaxError

GRAMMAR_FILE = str(Path(__file__).with_name("grammar.lark"))

EPSILON = Const("", "Lit")
EMPTY = Const(None, "Empty")


def lit(s: str) -> Const:
    return Const(s, "Lit")


def cls(c: CharClass) -> Const:
    return Const(c, "Class")


def concat(a: Node, b: Node) -> Apply:
    return Apply("concat", (a, b))


def union(a: Node, b: Node) -> Apply:
    return Apply("union", (a, b))


#: sequences (concatenations, unions) longer than this are built as balanced trees: the same
#: language and text, but a nesting depth that grows with the logarithm of their length
BALANCE_AFTER = 32
#: the deepest regex AST the parser accepts (walking an AST recurses once per level)
MAX_DEPTH = 200
#: the largest count of ``{n}``/``{n,m}`` the parser accepts (Z3 unrolls counted repeats)
MAX_REPEAT = 1000


def _count(n: int) -> int:
    if n > MAX_REPEAT:
        raise ValueError(f"repeat count {n} is above the limit of {MAX_REPEAT}")
    return n


def chain(op: str, items) -> Node:
    """``op`` (concat or union, both associative) over ``items``: left-nested as the parser
    always built them, balanced when there are more than ``BALANCE_AFTER``."""
    items = list(items)
    if len(items) <= BALANCE_AFTER:
        node = items[0]
        for it in items[1:]:
            node = Apply(op, (node, it))
        return node
    while len(items) > 1:
        items = [Apply(op, (items[k], items[k + 1])) if k + 1 < len(items) else items[k]
                 for k in range(0, len(items), 2)]
    return items[0]


def depth(node: Node) -> int:
    """Nesting depth of an AST (a leaf is 1), without recursion."""
    best = 0
    stack = [(node, 1)]
    while stack:
        n, d = stack.pop()
        best = max(best, d)
        if isinstance(n, Apply):
            stack.extend((a, d + 1) for a in n.args)
    return best


def star(a: Node) -> Apply:
    return Apply("star", (a,))


def plus(a: Node) -> Apply:
    return Apply("plus", (a,))


def opt(a: Node) -> Apply:
    return Apply("opt", (a,))


def repeat(a: Node, lo: int, hi: int | None = None) -> Apply:
    """``a{lo}`` (hi None), ``a{lo,hi}``, or ``a{lo,}`` (hi = -1: no upper bound)."""
    return Apply("repeat", (a, Const(lo, "Int"), Const(lo if hi is None else hi, "Int")))


# ---------------------------------------------------------------------------------- parsing
_ESCAPE_CHARS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


def _unescape(body: str) -> str | CharClass:
    """The text after a backslash: a character, or a shorthand class."""
    if body in SHORTHANDS:
        return CharClass(SHORTHANDS[body])
    if body[0] in "xuU" and len(body) > 1:
        n = int(body[1:], 16)
        if n > 0x10FFFF:
            raise ValueError(f"\\{body} is beyond the last code point U+10FFFF")
        return chr(n)
    return _ESCAPE_CHARS.get(body, body)


def _parse_class(text: str) -> CharClass:
    body = text[1:-1]
    negated = body.startswith("^")
    if negated:
        body = body[1:]
    items: list = []  # characters, or CharClass for shorthands inside a class
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            j = i + 2
            if body[i + 1] in "xuU":
                n = {"x": 2, "u": 4, "U": 8}[body[i + 1]]
                j = i + 2 + n
                digits = body[i + 2:j]
                if len(digits) != n or any(d not in "0123456789abcdefABCDEF" for d in digits):
                    raise ValueError(f"\\{body[i + 1]} needs {n} hex digits in class {text}")
            v = _unescape(body[i + 1:j])
            items.append(v if isinstance(v, CharClass) else (v,))  # (c,): an escaped character
            i = j
        else:
            items.append(c)
            i += 1
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(items):
        it = items[k]
        if isinstance(it, CharClass):
            ranges.extend(it.ranges)
            k += 1
            continue
        if isinstance(it, tuple):
            it = it[0]
        nxt = items[k + 2] if k + 2 < len(items) else None
        if isinstance(nxt, tuple):
            nxt = nxt[0]
        if k + 2 < len(items) and items[k + 1] == "-" and isinstance(nxt, str):
            lo, hi = it, nxt
            if lo > hi:
                raise ValueError(f"bad range {lo}-{hi} in class {text} (start after end)")
            ranges.append((lo, hi))
            k += 3
        else:
            ranges.append((it, it))
            k += 1
    if not ranges and not negated:
        raise ValueError(f"empty class {text}; write ∅ for the empty language")
    return CharClass(normalize_ranges(ranges), negated)


@v_args(inline=True)
class _ToNode(Transformer_NonRecursive):
    def char(self, tok):
        return lit(str(tok))

    def escape(self, tok):
        v = _unescape(str(tok)[1:])
        return cls(v) if isinstance(v, CharClass) else lit(v)

    def cls(self, tok):
        c = _parse_class(str(tok))
        return cls(c)

    def any(self):
        return cls(CharClass.any())

    def epsilon(self):
        return EPSILON

    def empty(self):
        return EMPTY

    def union(self, *items):
        return chain("union", items)

    def concat(self, *items):
        return chain("concat", items)

    def star(self, a):
        return star(a)

    def plus(self, a):
        return plus(a)

    def opt(self, a):
        return opt(a)

    def repeat_exact(self, a, n):
        return repeat(a, _count(int(n)))

    def repeat_range(self, a, n, m):
        lo, hi = _count(int(n)), _count(int(m))
        if hi < lo:
            raise ValueError(f"bad repeat {{{lo},{hi}}}: the maximum is below the minimum")
        return repeat(a, lo, hi)

    def repeat_atleast(self, a, n):
        return repeat(a, _count(int(n)), -1)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    with open(GRAMMAR_FILE, encoding="utf-8") as f:
        return Lark(f.read(), parser="lalr", maybe_placeholders=False)


def parse_regex(text: str) -> Node:
    """Parse our regex syntax; a ``ProgramSyntaxError`` names the problem."""
    if text == "":
        return EPSILON
    shown = text if len(text) <= 80 else text[:77] + "..."
    try:
        node = _ToNode().transform(_parser().parse(text))
    except VisitError as e:
        raise ProgramSyntaxError(f"bad regex {shown!r}: {e.orig_exc}") from None
    except LarkError as e:
        msg = str(e).strip().splitlines()[0]
        raise ProgramSyntaxError(f"cannot parse regex {shown!r}: {msg}") from None
    except RecursionError:
        node = None
    if node is None or depth(node) > MAX_DEPTH:
        raise ProgramSyntaxError(f"regex {shown!r} nests too deeply: at most {MAX_DEPTH} levels of "
                                 f"groups and postfix operators are supported")
    return node


# --------------------------------------------------------------------------------- printing
_UNION, _CONCAT, _POSTFIX, _ATOM = 0, 1, 2, 3


def _lit_text(s: str) -> str:
    return "".join(escape_char(c) for c in s)


def _fmt(node: Node, python: bool) -> tuple[str, int]:
    """Text and precedence level of a node."""
    group = "(?:" if python else "("
    if isinstance(node, Const):
        if node.type == "Lit":
            if node.value == "":
                return ("(?:)" if python else "()"), _ATOM
            return _lit_text(node.value), (_ATOM if len(node.value) == 1 else _CONCAT)
        if node.type == "Class":
            c: CharClass = node.value
            one = c.single()
            if one is not None:
                return escape_char(one), _ATOM
            return (c.to_python() if python else c.to_text()), _ATOM
        if node.type == "Empty":
            return ("(?!)" if python else "∅"), _ATOM
        raise ValueError(f"not a regex leaf: {node!r}")

    def at(child: Node, level: int) -> str:
        text, lv = _fmt(child, python)
        return text if lv >= level else f"{group}{text})"

    op = node.op
    if op == "union":
        return f"{at(node.args[0], _UNION)}|{at(node.args[1], _UNION)}", _UNION
    if op == "concat":
        return at(node.args[0], _CONCAT) + at(node.args[1], _CONCAT), _CONCAT
    # postfix operators apply to atoms only: "a**" and "(ab)*" need a group
    inner = at(node.args[0], _ATOM)
    if op == "star":
        return inner + "*", _POSTFIX
    if op == "plus":
        return inner + "+", _POSTFIX
    if op == "opt":
        return inner + "?", _POSTFIX
    if op == "repeat":
        lo, hi = node.args[1].value, node.args[2].value
        suffix = f"{{{lo}}}" if lo == hi else (f"{{{lo},}}" if hi < 0 else f"{{{lo},{hi}}}")
        return inner + suffix, _POSTFIX
    raise ValueError(f"unknown regex op {op!r}")


def format_regex(node: Node) -> str:
    """Our syntax (parses back to an equivalent regex)."""
    return _fmt(node, python=False)[0]


def to_python_pattern(node: Node) -> str:
    """A Python ``re`` pattern with the same language under ``re.fullmatch``."""
    return _fmt(node, python=True)[0]


def reference_pattern(node: Node) -> str:
    """The pattern built by the ops' reference semantics (fully grouped; for checking the printer)."""
    from synth.dsl.regex.ops import REGEX_OPS

    if isinstance(node, Const):
        return _fmt(node, python=True)[0]
    fns = {op.name: op.fn for op in REGEX_OPS}
    if node.op == "repeat":
        return fns["repeat"](reference_pattern(node.args[0]), node.args[1].value, node.args[2].value)
    return fns[node.op](*(reference_pattern(a) for a in node.args))


# ------------------------------------------------------------------------------------- Z3
def code_points(node: Node) -> set[int]:
    """The code points a regex mentions: its literals' characters and its classes' bounds."""
    out: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Const):
            if n.type == "Lit":
                out.update(map(ord, n.value))
            elif n.type == "Class":
                for lo, hi in n.value.ranges:
                    out.update((ord(lo), ord(hi)))
        else:
            stack.extend(n.args)
    return out


def to_z3(node: Node, alphabet=None):
    """The Z3 regex term (sort ``ReSort(StringSort())``) of a node. Characters beyond Z3's last
    one (U+2FFFF) need an ``alphabet`` (``synth.z3util.Alphabet``) that renumbers them."""
    import z3

    from synth.z3util import Alphabet

    if alphabet is None:
        alphabet = Alphabet(code_points(node))
    re_sort = z3.ReSort(z3.StringSort())
    if isinstance(node, Const):
        if node.type == "Lit":
            return z3.Re(alphabet.string(node.value))
        if node.type == "Class":
            return node.value.to_z3(alphabet)
        if node.type == "Empty":
            return z3.Empty(re_sort)
        raise ValueError(f"not a regex leaf: {node!r}")
    args = node.args
    if node.op == "concat":
        return z3.Concat(to_z3(args[0], alphabet), to_z3(args[1], alphabet))
    if node.op == "union":
        return z3.Union(to_z3(args[0], alphabet), to_z3(args[1], alphabet))
    if node.op == "star":
        return z3.Star(to_z3(args[0], alphabet))
    if node.op == "plus":
        return z3.Plus(to_z3(args[0], alphabet))
    if node.op == "opt":
        return z3.Option(to_z3(args[0], alphabet))
    if node.op == "repeat":
        lo, hi = args[1].value, args[2].value
        r = to_z3(args[0], alphabet)
        if hi < 0:
            return z3.Concat(z3.Loop(r, lo, lo), z3.Star(r)) if lo > 0 else z3.Star(r)
        if hi == 0:
            return z3.Re(z3.StringVal(""))
        return z3.Loop(r, lo, hi)
    raise ValueError(f"unknown regex op {node.op!r}")
