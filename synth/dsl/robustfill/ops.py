"""Reference semantics of the RobustFill DSL exactly as ExeDec defines it (Shi et al., ICLR 2024).

Every expression is applied to the whole input string; an op's last argument is that string (or,
inside a Compose, the output of the inner expression). Regex arguments are Python regex patterns:
a Type's pattern (``TYPE_PATTERNS``) or an escaped delimiter. Each function is self-contained so
that ``Program.to_python`` can copy it. The quirks are ExeDec's and are kept on purpose:
SubStr's inclusive end, GetSpan's clamping to ``#matches - 1`` or 0, GetFirst's negative index
(Python slicing), and Substitute/Remove replacing the first *textual* occurrence of the match.
"""
from __future__ import annotations

import re

from synth.dsl.base import Op

#: the 21 delimiter characters, in ExeDec's order
DELIMITER = "&,.?!@()[]%{}/:;$#\"' "
#: the 83-character alphabet of inputs, outputs and ConstStr: letters, digits, delimiters
CHARACTER = ("abcdefghijklmnopqrstuvwxyz" "ABCDEFGHIJKLMNOPQRSTUVWXYZ" "0123456789" + DELIMITER)

#: Type name -> regex, in ExeDec's order (NUMBER ... CHAR)
TYPE_PATTERNS = {
    "NUMBER": "[0-9]+",
    "WORD": "[A-Za-z]+",
    "ALPHANUM": "[A-Za-z0-9]+",
    "ALL_CAPS": "[A-Z]+",
    "PROP_CASE": "[A-Z][a-z]+",
    "LOWER": "[a-z]+",
    "DIGIT": "[0-9]",
    "CHAR": "[A-Za-z0-9" + "".join(re.escape(c) for c in DELIMITER) + "]",
}
PATTERN_TYPES = {p: t for t, p in TYPE_PATTERNS.items()}
CASES = ("PROPER", "ALL_CAPS", "LOWER")
BOUNDARIES = ("START", "END")
#: regex match indices: 1-based from the front, negative from the back, no 0
INDICES = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
#: SubStr positions in the token vocabulary
POSITIONS = tuple(range(-100, 101))


def delimiter_pattern(d: str) -> str:
    """The regex a delimiter argument stands for (it matches each occurrence of itself)."""
    return re.escape(d)


def regex_text(pattern: str) -> str:
    """The name a regex argument is written with: a Type name or the delimiter character."""
    if pattern in PATTERN_TYPES:
        return PATTERN_TYPES[pattern]
    d = pattern[1:] if pattern.startswith("\\") else pattern
    return d


# ------------------------------------------------------------------------- the expressions


def const_str(c):
    """ConstStr(c): the single character c."""
    return c


def sub_str(p1, p2, s):
    """SubStr(p1, p2): positions are 1-based (k>0 -> k-1) or from the end (k<=0 -> len+k);
    the end is inclusive unless it is len(s); "" when the start is not before the end."""
    n = len(s)
    o1 = p1 - 1 if p1 > 0 else n + p1
    o2 = p2 - 1 if p2 > 0 else n + p2
    if o1 >= o2:
        return ""
    if o2 == n:
        return s[o1:]
    return s[o1:o2 + 1]


def get_span(r1, i1, b1, r2, i2, b2, s):
    """GetSpan: s between two regex-match boundaries. An index past the matches clamps to the
    number ``#matches - 1`` (used as a position), one before them to 0; no match gives ""."""
    import re

    def boundary(r, i, b):
        ms = list(re.finditer(r, s))
        if not ms:
            return -1
        k = i - 1 if i > 0 else len(ms) + i
        if k >= len(ms):
            return len(ms) - 1
        if k < 0:
            return 0
        return ms[k].start() if b == "START" else ms[k].end()

    a, z = boundary(r1, i1, b1), boundary(r2, i2, b2)
    if a == -1 or z == -1:
        return ""
    return s[a:z]


def get_token(t, i, s):
    """GetToken(t, i): the i-th match of type t (1-based, negative from the end), "" if none."""
    import re

    ms = re.findall(t, s)
    k = i - 1 if i > 0 else len(ms) + i
    if 0 <= k < len(ms):
        return ms[k]
    return ""


def get_upto(r, s):
    """GetUpto(r): s up to and including the first match of r; "" if none."""
    import re

    m = re.search(r, s)
    return s[:m.end()] if m else ""


def get_from(r, s):
    """GetFrom(r): s after the end of the first match of r (the match excluded); "" if none."""
    import re

    m = re.search(r, s)
    return s[m.end():] if m else ""


def to_case(c, s):
    """ToCase(c): PROPER is str.capitalize (the rest lower-cased), ALL_CAPS upper, LOWER lower."""
    if c == "PROPER":
        return s.capitalize()
    if c == "ALL_CAPS":
        return s.upper()
    return s.lower()


def replace(d1, d2, s):
    """Replace(d1, d2): every delimiter d1 becomes d2."""
    return s.replace(d1, d2)


def trim(s):
    """Trim(): strip leading and trailing whitespace."""
    return s.strip()


def get_first(t, i, s):
    """GetFirst(t, i): the first i matches joined (all if i >= #matches; a negative i drops the
    last |i|, by Python slicing); "" if none."""
    import re

    ms = re.findall(t, s)
    if not ms:
        return ""
    if i >= len(ms):
        return "".join(ms)
    return "".join(ms[:i])


def get_all(t, s):
    """GetAll(t): every match of t joined."""
    import re

    return "".join(re.findall(t, s))


def substitute(t, i, c, s):
    """Substitute(t, i, c): the i-th match's text is replaced by c at its first textual occurrence
    in s (not necessarily the match's own position); s unchanged if there is no i-th match."""
    import re

    ms = re.findall(t, s)
    k = i - 1 if i > 0 else len(ms) + i
    if not 0 <= k < len(ms):
        return s
    return s.replace(ms[k], c, 1)


def substitute_all(t, c, s):
    """SubstituteAll(t, c): for each match in order, its text's first remaining occurrence
    becomes c."""
    import re

    for m in re.findall(t, s):
        s = s.replace(m, c, 1)
    return s


def remove(t, i, s):
    """Remove(t, i): Substitute with the empty string."""
    import re

    ms = re.findall(t, s)
    k = i - 1 if i > 0 else len(ms) + i
    if not 0 <= k < len(ms):
        return s
    return s.replace(ms[k], "", 1)


def remove_all(t, s):
    """RemoveAll(t): SubstituteAll with the empty string."""
    import re

    for m in re.findall(t, s):
        s = s.replace(m, "", 1)
    return s


def concat(*parts):
    """Concat(e1, ..., en): the expressions' outputs, each computed on the whole input, joined."""
    return "".join(parts)


S = "String"
SUBSTRING_OPS = (
    Op("SubStr", ("Position", "Position", S), S, sub_str, "s[p1..p2], 1-based, inclusive end"),
    Op("GetSpan", ("Regex", "Index", "Boundary", "Regex", "Index", "Boundary", S), S, get_span,
       "s between the boundaries of two regex matches"),
    Op("GetToken", ("Type", "Index", S), S, get_token, "the i-th match of a type"),
    Op("GetUpto", ("Regex", S), S, get_upto, "s up to the end of the first match"),
    Op("GetFrom", ("Regex", S), S, get_from, "s after the end of the first match"),
)
MODIFICATION_OPS = (
    Op("ToCase", ("Case", S), S, to_case, "PROPER, ALL_CAPS or LOWER"),
    Op("Replace", ("Delim", "Delim", S), S, replace, "replace every delimiter d1 by d2"),
    Op("Trim", (S,), S, trim, "strip surrounding spaces"),
    Op("GetFirst", ("Type", "Index", S), S, get_first, "the first i matches joined"),
    Op("GetAll", ("Type", S), S, get_all, "all matches joined"),
    Op("Substitute", ("Type", "Index", "Char", S), S, substitute, "replace the i-th match by c"),
    Op("SubstituteAll", ("Type", "Char", S), S, substitute_all, "replace every match by c"),
    Op("Remove", ("Type", "Index", S), S, remove, "delete the i-th match"),
    Op("RemoveAll", ("Type", S), S, remove_all, "delete every match"),
)
CONST_STR = Op("ConstStr", ("Char",), S, const_str, "one constant character")
CONCAT = Op("Concat", (S, "..."), S, concat, "1-10 expressions, each applied to the input, joined")
ALL_OPS = (CONCAT, CONST_STR) + SUBSTRING_OPS + MODIFICATION_OPS

SUBSTRING_NAMES = frozenset(op.name for op in SUBSTRING_OPS)
MODIFICATION_NAMES = frozenset(op.name for op in MODIFICATION_OPS)
#: the ops whose last argument is the string they work on
STRING_OPS = SUBSTRING_NAMES | MODIFICATION_NAMES
