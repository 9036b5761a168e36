"""Limits on what the task readers accept, checked before anything recursive runs, so that a
hostile or broken file gives a one-line ``InvalidTask`` naming the limit instead of a
RecursionError or a MemoryError deep inside a parser.

The deepest benchmark inputs stay far below them: JSON task files nest 6 levels, the SyGuS
Lustre invariant files 146 levels of parentheses (157 levels of terms once ``let`` and
``define-fun`` calls are expanded), Code2Inv C programs 7 levels of blocks and parentheses; the
longest integer literal anywhere has 10 digits and the largest task file is 0.5 MB.
"""
from __future__ import annotations

import re

#: deepest nesting of JSON arrays and objects in a task file
MAX_JSON_NESTING = 200
#: deepest nesting of parentheses in a SyGuS file
MAX_SEXPR_NESTING = 200
#: deepest term once ``let`` bindings and ``define-fun`` calls are expanded (the lia domain
#: and the verifier walk terms recursively, about three Python frames per level)
MAX_TERM_DEPTH = 200
#: deepest syntax tree of a C program (statements, blocks, expressions)
MAX_C_NESTING = 100
#: most digits of an integer literal (Python refuses to convert more than 4,300)
MAX_LITERAL_DIGITS = 1000
#: largest task file, in bytes
MAX_FILE_BYTES = 100 * 2**20

_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[{\]}]')
_SEXPR_TOKENS = re.compile(r'"(?:[^"]|"")*"?|\|[^|]*\|?|;[^\n]*|[()]')


def json_too_deep(text: str, limit: int = MAX_JSON_NESTING) -> int | None:
    """The character offset where JSON nesting first goes deeper than ``limit`` (None: it never
    does). Strings are skipped, so brackets inside them do not count."""
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def sexpr_too_deep(text: str, limit: int = MAX_SEXPR_NESTING) -> int | None:
    """The character offset of the first '(' nested deeper than ``limit`` in SMT-LIB text
    (strings, quoted symbols and comments skipped), or None."""
    if text.count("(") <= limit:
        return None
    depth = 0
    for m in _SEXPR_TOKENS.finditer(text):
        c = m.group()
        if c == "(":
            depth += 1
            if depth > limit:
                return m.start()
        elif c == ")":
            depth -= 1
    return None


def line_at(text: str, offset: int) -> int:
    """1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


def tree_too_deep(tree, limit: int) -> bool:
    """Whether a Lark tree is deeper than ``limit`` levels (walked without recursion)."""
    from lark import Tree

    stack = [(tree, 1)]
    while stack:
        t, d = stack.pop()
        if d > limit:
            return True
        stack.extend((c, d + 1) for c in t.children if isinstance(c, Tree))
    return False
