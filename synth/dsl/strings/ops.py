"""Reference semantics of the strings domain: BUSTLE's 22 spreadsheet ops and the SMT-LIB string ops.

These functions are the single source of truth: the search, the interpreter, ``Program.to_python``
and every fast kernel must agree with them. Each takes one example's argument values and returns
the result, or None where the op is undefined (an error, which makes the search drop the value).
Each function is self-contained so that its source can be copied into generated Python.

BUSTLE semantics follow its Java ``SheetsFunctions`` (1-based positions, as in Google Sheets);
SMT-LIB semantics follow the SMT-LIB 2.6 theory of strings (0-based, total functions).
"""
from __future__ import annotations

from synth.dsl.base import Op

S, I, B = "String", "Int", "Bool"

# ---------------------------------------------------------------- BUSTLE (spreadsheet) ops


def add(a, b):
    return a + b


def minus(a, b):
    return a - b


def concatenate(a, b):
    return a + b


def find(needle, within):
    """1-based position of the first occurrence of ``needle``; error if absent."""
    i = within.find(needle)
    return None if i < 0 else i + 1


def find_from(needle, within, start):
    """Like FIND, searching from the 1-based ``start``; error if start <= 0 or not found."""
    if start <= 0:
        return None
    i = within.find(needle, start - 1)
    return None if i < 0 else i + 1


def left(s, n):
    """The first n characters (all of s when n exceeds its length); error if n < 0."""
    if n < 0:
        return None
    return s[:n]


def right(s, n):
    """The last n characters; error if n < 0."""
    if n < 0:
        return None
    return s[len(s) - n:] if n < len(s) else s


def mid(s, start, n):
    """n characters from the 1-based ``start``; error if start <= 0 or n < 0."""
    if start <= 0 or n < 0:
        return None
    return s[start - 1:start - 1 + n]


def length(s):
    return len(s)


def replace(s, start, n, new):
    """Replace n characters at the 1-based ``start`` (clamped to the length) with ``new``."""
    if start <= 0 or n < 0:
        return None
    i = min(start - 1, len(s))
    return s[:i] + new + s[i + n:]


def substitute(s, old, new):
    """Replace every occurrence of ``old``; s unchanged when ``old`` is empty."""
    if old == "":
        return s
    return s.replace(old, new)


def substitute_nth(s, old, new, occurrence):
    """Replace only the occurrence-th (1-based, non-overlapping) occurrence of ``old``; 0 means
    all; error if < 0."""
    if occurrence < 0:
        return None
    if old == "":
        return s
    if occurrence == 0:
        return s.replace(old, new)
    i = s.find(old)  # occurrences are counted without overlap, like replace-all's
    for _ in range(occurrence - 1):
        if i < 0:
            return s
        i = s.find(old, i + len(old))
    if i < 0:
        return s
    return s[:i] + new + s[i + len(old):]


def trim(s):
    """Java's trim() (drop chars <= ' ' at both ends), then runs of spaces become one space."""
    a, b = 0, len(s)
    while a < b and s[a] <= " ":
        a += 1
    while b > a and s[b - 1] <= " ":
        b -= 1
    t = s[a:b]
    while "  " in t:
        t = t.replace("  ", " ")
    return t


def lower(s):
    """Every letter in lower case, as Excel's LOWER ("ÓSCAR" -> "óscar"); a letter whose lower
    case is more than one character ("İ") is kept, so the length never changes."""
    if s.isascii():
        return s.lower()
    return "".join(low if len(low := c.lower()) == 1 else c for c in s)


def upper(s):
    """Every letter in upper case, as Excel's UPPER ("óscar" -> "ÓSCAR"); a letter whose upper
    case is more than one character ("ß") is kept, so the length never changes."""
    if s.isascii():
        return s.upper()
    return "".join(up if len(up := c.upper()) == 1 else c for c in s)


def proper(s):
    """Lower-case everything, then capitalise each letter that follows a non-letter."""
    out = []
    prev_letter = False
    for c in s:
        is_letter = c.isalpha()
        if is_letter:
            if prev_letter:
                c = chr(ord(c) + 32) if "A" <= c <= "Z" else c.lower()
            else:
                c = chr(ord(c) - 32) if "a" <= c <= "z" else c.upper()
        out.append(c)
        prev_letter = is_letter
    return "".join(out)


def rept(s, k):
    """s repeated k times; error if k < 0 or the result would exceed 100 characters."""
    if k < 0 or len(s) * k > 100:
        return None
    return s * k


def to_text(n):
    return str(n)


def if_(cond, a, b):
    """The branch the test picks; a program evaluates only that branch (the op is lazy), so the
    other may be undefined."""
    return a if cond else b


def exact(a, b):
    return a == b


def gt(a, b):
    return a > b


def gte(a, b):
    return a >= b


# ---------------------------------------------------------------- SMT-LIB string theory ops


def str_concat(a, b):
    return a + b


def str_substr(s, i, n):
    """SMT-LIB str.substr: n chars from 0-based i; "" when i is out of range or n <= 0."""
    if i < 0 or i >= len(s) or n <= 0:
        return ""
    return s[i:i + n]


def str_at(s, i):
    """The character at 0-based i, or "" when i is out of range."""
    if i < 0 or i >= len(s):
        return ""
    return s[i]


def str_len(s):
    return len(s)


def str_indexof(s, t, i):
    """0-based index of t in s at or after i; -1 if absent or i is out of [0, len(s)]."""
    if i < 0 or i > len(s):
        return -1
    return s.find(t, i)


def str_replace(s, t, r):
    """Replace the first occurrence of t by r; an empty t puts r in front of s."""
    if t == "":
        return r + s
    return s.replace(t, r, 1)


def str_prefixof(p, s):
    return s.startswith(p)


def str_suffixof(p, s):
    return s.endswith(p)


def str_contains(s, t):
    return t in s


def str_to_int(s):
    """The value of a string of decimal digits; -1 for anything else (including "")."""
    if s == "" or not all("0" <= c <= "9" for c in s):
        return -1
    n = 0
    for i in range(0, len(s), 4000):  # int() refuses more than 4300 digits in one go
        n = n * 10 ** len(s[i:i + 4000]) + int(s[i:i + 4000])
    return n


def str_from_int(n):
    """Decimal text of n >= 0; "" for negative n."""
    return str(n) if n >= 0 else ""


def ite(cond, a, b):
    return a if cond else b


def int_add(a, b):
    return a + b


def int_sub(a, b):
    return a - b


def int_neg(a):
    return -a


def int_mul(a, b):
    return a * b


def eq(a, b):
    return a == b


def le(a, b):
    return a <= b


def lt(a, b):
    return a < b


def ge(a, b):
    return a >= b


def gt_(a, b):
    return a > b


def and_(a, b):
    return a and b


def or_(a, b):
    return a or b


def not_(a):
    return not a


def _op(key, arg_types, ret, fn, symbol=None, lazy=False):
    return Op(key, tuple(arg_types), ret, fn, doc=(fn.__doc__ or "").strip().split("\n")[0],
              symbol=symbol or key.split("/")[0], lazy=lazy)


BUSTLE_OPS = [
    _op("ADD", (I, I), I, add),
    _op("MINUS", (I, I), I, minus),
    _op("CONCATENATE", (S, S), S, concatenate),
    _op("FIND", (S, S), I, find),
    _op("FIND/3", (S, S, I), I, find_from),
    _op("LEFT", (S, I), S, left),
    _op("RIGHT", (S, I), S, right),
    _op("MID", (S, I, I), S, mid),
    _op("LEN", (S,), I, length),
    _op("REPLACE", (S, I, I, S), S, replace),
    _op("SUBSTITUTE", (S, S, S), S, substitute),
    _op("SUBSTITUTE/4", (S, S, S, I), S, substitute_nth),
    _op("TRIM", (S,), S, trim),
    _op("LOWER", (S,), S, lower),
    _op("UPPER", (S,), S, upper),
    _op("PROPER", (S,), S, proper),
    _op("REPT", (S, I), S, rept),
    _op("TO_TEXT", (I,), S, to_text),
    _op("IF", (B, S, S), S, if_, lazy=True),
    _op("EXACT", (S, S), B, exact),
    _op("GT", (I, I), B, gt),
    _op("GTE", (I, I), B, gte),
]

SMT_OPS = [
    _op("str.++", (S, S), S, str_concat),
    _op("str.substr", (S, I, I), S, str_substr),
    _op("str.at", (S, I), S, str_at),
    _op("str.len", (S,), I, str_len),
    _op("str.indexof", (S, S, I), I, str_indexof),
    _op("str.replace", (S, S, S), S, str_replace),
    _op("str.prefixof", (S, S), B, str_prefixof),
    _op("str.suffixof", (S, S), B, str_suffixof),
    _op("str.contains", (S, S), B, str_contains),
    _op("str.to_int", (S,), I, str_to_int),
    _op("str.from_int", (I,), S, str_from_int),
    _op("ite", (B, S, S), S, ite, lazy=True),
    _op("ite/Int", (B, I, I), I, ite, symbol="ite", lazy=True),
    _op("ite/Bool", (B, B, B), B, ite, symbol="ite", lazy=True),
    _op("+", (I, I), I, int_add),
    _op("-", (I, I), I, int_sub),
    _op("-/1", (I,), I, int_neg, symbol="-"),
    _op("*", (I, I), I, int_mul),
    _op("=", (I, I), B, eq),
    _op("=/String", (S, S), B, eq, symbol="="),
    _op("=/Bool", (B, B), B, eq, symbol="="),
    _op("<=", (I, I), B, le),
    _op("<", (I, I), B, lt),
    _op(">=", (I, I), B, ge),
    _op(">", (I, I), B, gt_),
    _op("and", (B, B), B, and_),
    _op("or", (B, B), B, or_),
    _op("not", (B,), B, not_),
]

#: older SMT-LIB / SyGuS v1 spellings accepted when parsing
ALIASES = {"str.to.int": "str.to_int", "int.to.str": "str.from_int"}
