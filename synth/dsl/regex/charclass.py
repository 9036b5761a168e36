"""Character classes: a set of characters as sorted ranges, printable in our syntax, as a Python
``re`` class and as a Z3 regex.

Kept as one hashable value so that a class is a single leaf of a regex AST.
"""
from __future__ import annotations

from dataclasses import dataclass

#: ranges of the named classes (ASCII meaning, whatever Python's Unicode ``\\d`` says)
DIGIT = (("0", "9"),)
LOWER = (("a", "z"),)
UPPER = (("A", "Z"),)
ALPHA = (("A", "Z"), ("a", "z"))
ALNUM = (("0", "9"), ("A", "Z"), ("a", "z"))
WORD = (("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z"))
SPACE = (("\t", "\r"), (" ", " "))
HEX = (("0", "9"), ("A", "F"), ("a", "f"))

#: shorthands of our syntax -> ranges
SHORTHANDS = {"d": DIGIT, "w": WORD, "s": SPACE}

#: characters that must be escaped outside a class, in our syntax and in Python's
META = set(".[](){}*+?|\\^$")
#: characters that must be escaped inside a class
CLASS_META = set("]\\^-[")

#: our syntax's sign of the empty language; a literal one is written escaped outside classes
EMPTY_SIGN = "\u2205"

_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v"}


def normalize_ranges(ranges) -> tuple[tuple[str, str], ...]:
    """Sort and merge overlapping or adjacent ranges."""
    out: list[list[str]] = []
    for lo, hi in sorted(ranges):
        if out and ord(lo) <= ord(out[-1][1]) + 1:
            if hi > out[-1][1]:
                out[-1][1] = hi
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def escape_char(c: str, in_class: bool = False) -> str:
    """A character as pattern text (shared by our syntax and Python's): ``\\xhh`` below 256,
    ``\\uhhhh`` in the Basic Multilingual Plane, ``\\Uhhhhhhhh`` above it (``\\u`` takes exactly
    four hex digits, so ``\\u10ffff`` would be U+10FF followed by "ff")."""
    if c in _ESCAPES:
        return _ESCAPES[c]
    if (c in CLASS_META) if in_class else (c in META):
        return "\\" + c
    if not c.isprintable() or (c == EMPTY_SIGN and not in_class):
        n = ord(c)
        return f"\\x{n:02x}" if n < 256 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
    return c


@dataclass(frozen=True)
class CharClass:
    """A set of characters: ``ranges`` (inclusive, merged), complemented when ``negated``.

    ``CharClass.any()`` is every character (``.`` in our syntax).
    """

    ranges: tuple[tuple[str, str], ...]
    negated: bool = False

    @staticmethod
    def of(chars) -> "CharClass":
        return CharClass(normalize_ranges((c, c) for c in chars))

    @staticmethod
    def range(lo: str, hi: str) -> "CharClass":
        return CharClass(normalize_ranges([(lo, hi)]))

    @staticmethod
    def any() -> "CharClass":
        return CharClass((), negated=True)

    @property
    def is_any(self) -> bool:
        return self.negated and not self.ranges

    def __contains__(self, c: str) -> bool:
        inside = any(lo <= c <= hi for lo, hi in self.ranges)
        return inside != self.negated

    def size(self) -> int | None:
        """Number of characters (None for a negated class)."""
        if self.negated:
            return None
        return sum(ord(hi) - ord(lo) + 1 for lo, hi in self.ranges)

    def single(self) -> str | None:
        """The character, when the class holds exactly one."""
        if not self.negated and len(self.ranges) == 1 and self.ranges[0][0] == self.ranges[0][1]:
            return self.ranges[0][0]
        return None

    # -- text -----------------------------------------------------------------------------------
    def _body(self) -> str:
        parts = []
        for lo, hi in self.ranges:
            if lo == hi:
                parts.append(escape_char(lo, True))
            elif ord(hi) == ord(lo) + 1:
                parts.append(escape_char(lo, True) + escape_char(hi, True))
            else:
                parts.append(f"{escape_char(lo, True)}-{escape_char(hi, True)}")
        return "".join(parts)

    def to_text(self) -> str:
        """Our syntax: ``.``, the shorthands ``\\d \\w \\s``, or a bracket class."""
        if self.is_any:
            return "."
        if not self.negated:
            for name, ranges in SHORTHANDS.items():
                if self.ranges == ranges:
                    return "\\" + name
        return f"[{'^' if self.negated else ''}{self._body()}]"

    def to_python(self) -> str:
        """Python ``re`` text. Python's ``\\d``/``\\w``/``\\s`` are Unicode classes, so the ASCII
        sets are spelled out; ``.`` becomes ``[\\s\\S]`` (Python's ``.`` skips newlines)."""
        if self.is_any:
            return "[\\s\\S]"
        return f"[{'^' if self.negated else ''}{self._body()}]"

    def to_z3(self, alphabet=None):
        """The Z3 regex; ``alphabet`` (``synth.z3util.Alphabet``) renumbers characters
        beyond Z3's last one."""
        import z3

        from synth.z3util import Alphabet

        ab = alphabet if alphabet is not None else Alphabet()
        if self.is_any:
            return z3.AllChar(z3.ReSort(z3.StringSort()))
        parts = [z3.Range(ab.string(lo), ab.string(hi)) if lo != hi else z3.Re(ab.string(lo))
                 for lo, hi in self.ranges]
        if not parts:
            positive = z3.Empty(z3.ReSort(z3.StringSort()))
        else:
            positive = parts[0] if len(parts) == 1 else z3.Union(*parts)
        if self.negated:
            return z3.Intersect(z3.AllChar(z3.ReSort(z3.StringSort())), z3.Complement(positive))
        return positive

    def __str__(self) -> str:
        return self.to_text()
