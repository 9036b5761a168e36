"""SyGuS-IF text to s-expressions (with line numbers), using the Lark grammar ``sygus.lark``.

Atoms stay Lark ``Token``s (``str`` subclasses with ``.type`` and ``.line``); lists become
``SList`` (a ``list`` with ``.line`` and ``.column`` of its opening parenthesis). Unbalanced
parentheses and stray characters become one-line ``InvalidTask`` errors naming file and line.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from synth.errors import InvalidTask
from synth.io.limits import MAX_SEXPR_NESTING, line_at, sexpr_too_deep

GRAMMAR_FILE = Path(__file__).with_name("sygus.lark")


class SList(list):
    """A parenthesised list of s-expressions, remembering where it starts."""

    __slots__ = ("line", "column")


class _ToSexpr(Transformer):
    def list(self, children):  # noqa: A003 - the grammar rule is called list
        lpar = children[0]
        out = SList(children[1:])
        out.line, out.column = lpar.line, lpar.column
        return out

    def start(self, children):
        return children


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # cache=True keeps the compiled LALR tables in the temp folder: later starts skip ~0.4 s
    return Lark(GRAMMAR_FILE.read_text(encoding="utf-8"), parser="lalr", lexer="basic", transformer=_ToSexpr(),
                maybe_placeholders=False, cache=True)


def parse_sexprs(text: str, where: str = "<text>") -> list:
    """The top-level s-expressions of a SyGuS file."""
    at = sexpr_too_deep(text)
    if at is not None:
        raise InvalidTask(f"{where}:{line_at(text, at)}: parentheses nested deeper than "
                          f"{MAX_SEXPR_NESTING} levels; synth reads terms up to that depth")
    try:
        return _parser().parse(text)
    except UnexpectedInput as e:
        raise InvalidTask(_syntax_message(text, where, e)) from None


def _syntax_message(text: str, where: str, e: UnexpectedInput) -> str:
    if isinstance(e, UnexpectedCharacters):
        ch = text[e.pos_in_stream] if e.pos_in_stream is not None and e.pos_in_stream < len(text) else "?"
        if ch == '"':
            return f"{where}:{e.line}: unterminated string literal"
        return f"{where}:{e.line}: unexpected character {ch!r} (column {e.column})"
    if isinstance(e, UnexpectedEOF) or (isinstance(e, UnexpectedToken) and e.token.type == "$END"):
        line = _unclosed_paren_line(text)
        return f"{where}:{line}: unbalanced parentheses: the '(' on line {line} is never closed"
    if isinstance(e, UnexpectedToken) and e.token == ")":
        return f"{where}:{e.line}: unbalanced parentheses: ')' at column {e.column} closes nothing"
    return f"{where}:{getattr(e, 'line', '?')}: syntax error: {str(e).strip().splitlines()[0]}"


def _unclosed_paren_line(text: str) -> int:
    """Line of the first '(' left open at the end of the text (strings and comments skipped)."""
    stack: list[int] = []
    line, i, n = 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c == ";":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c == '"':
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                if text[j] == "\n":
                    line += 1
                j += 1
            i = j + 1
            continue
        elif c == "|":
            j = text.find("|", i + 1)
            line += text.count("\n", i, j if j >= 0 else n)
            i = n if j < 0 else j + 1
            continue
        elif c == "(":
            stack.append(line)
        elif c == ")" and stack:
            stack.pop()
        i += 1
    return stack[0] if stack else line


def line_of(x) -> int | str:
    """The line an s-expression starts on ('?' when unknown)."""
    if isinstance(x, (SList, Token)):
        return x.line
    return "?"


def sexpr_text(x, limit: int = 60) -> str:
    """Short source-like text of an s-expression, for messages (stops once ``limit`` characters
    are written, so a huge expression costs no more than a small one)."""
    out: list[str] = []
    size = 0
    stack: list = [x]
    while stack and size <= limit:
        y = stack.pop()
        if isinstance(y, SList):
            out.append("(")
            stack.append(_CLOSE)
            for i, a in enumerate(reversed(y)):
                stack.append(a)
                if i < len(y) - 1:
                    stack.append(_SPACE)
            size += 1
        else:
            t = ")" if y is _CLOSE else " " if y is _SPACE else str(y)
            out.append(t)
            size += len(t)
    s = "".join(out)
    return s if len(s) <= limit and not stack else s[:limit - 3] + "..."


_CLOSE, _SPACE = object(), object()
