"""ExeDec's token-id encoding of RobustFill programs, both ways.

``"4 29|7 109 211"`` is ``Concat(ConstStr("k"), GetToken(CHAR, -4, x))``: expressions are
separated by ``|``, tokens by spaces; an expression is its op id then its arguments in
constructor order; Compose is ``3``, the modification's tokens, then the inner expression's.
"""
from __future__ import annotations

from synth.dsl.base import Apply, Const, Node, Program, Var
from synth.dsl.robustfill import DOMAIN, const_node, shape_error
from synth.dsl.robustfill.ops import (BOUNDARIES, CASES, CHARACTER, DELIMITER, INDICES, PATTERN_TYPES,
                                      TYPE_PATTERNS, regex_text)
from synth.errors import ProgramSyntaxError

COMPOSE = 3
OP_IDS = {"ConstStr": 4, "SubStr": 5, "GetSpan": 6, "GetToken": 7, "ToCase": 8, "Replace": 9,
          "Trim": 10, "GetUpto": 11, "GetFrom": 12, "GetFirst": 13, "GetAll": 14, "Substitute": 15,
          "SubstituteAll": 16, "Remove": 17, "RemoveAll": 18}
ID_OPS = {v: k for k, v in OP_IDS.items()}
CHAR_BASE, TYPE_BASE, CASE_BASE, BOUNDARY_BASE, INT_ZERO = 19, 102, 110, 113, 215
TYPE_NAMES = tuple(TYPE_PATTERNS)  # NUMBER ... CHAR, in token order


class _Bad(Exception):
    pass


def _arg_tokens(node: Const) -> int:
    kind, v = node.type, node.value
    if kind in ("Char", "Delim"):
        return CHAR_BASE + CHARACTER.index(v)
    if kind in ("Type", "Regex"):
        if v in PATTERN_TYPES:
            return TYPE_BASE + TYPE_NAMES.index(PATTERN_TYPES[v])
        return CHAR_BASE + CHARACTER.index(regex_text(v))
    if kind == "Case":
        return CASE_BASE + CASES.index(v)
    if kind == "Boundary":
        return BOUNDARY_BASE + BOUNDARIES.index(v)
    return INT_ZERO + v  # Index, Position


def _expr_tokens(node: Apply) -> list[int]:
    inner = node.args[-1] if node.op != "ConstStr" else None
    own = [OP_IDS[node.op]] + [_arg_tokens(a) for a in node.args if isinstance(a, Const)]
    if isinstance(inner, Apply):
        return [COMPOSE] + own + _expr_tokens(inner)
    return own


def encode_program(program: Program | Node) -> str:
    """The token-id text of a robustfill program."""
    node = program.node if isinstance(program, Program) else program
    return "|".join(" ".join(map(str, _expr_tokens(e))) for e in node.args)


def _decode_arg(tok: int, kind: str) -> Const:
    if kind in ("Char", "Delim") or (kind == "Regex" and CHAR_BASE <= tok < TYPE_BASE):
        if not CHAR_BASE <= tok < TYPE_BASE:
            raise _Bad(f"token {tok} is not a character")
        c = CHARACTER[tok - CHAR_BASE]
        if kind != "Char" and c not in DELIMITER:
            raise _Bad(f"token {tok} ({c!r}) is not a delimiter")
        return const_node(kind, c)
    if kind in ("Type", "Regex"):
        if not TYPE_BASE <= tok < CASE_BASE:
            raise _Bad(f"token {tok} is not a type")
        return const_node(kind, TYPE_NAMES[tok - TYPE_BASE])
    if kind == "Case":
        if not CASE_BASE <= tok < BOUNDARY_BASE:
            raise _Bad(f"token {tok} is not a case")
        return Const(CASES[tok - CASE_BASE], "Case")
    if kind == "Boundary":
        if not BOUNDARY_BASE <= tok < BOUNDARY_BASE + 2:
            raise _Bad(f"token {tok} is not a boundary")
        return Const(BOUNDARIES[tok - BOUNDARY_BASE], "Boundary")
    if not INT_ZERO - 100 <= tok <= INT_ZERO + 100:
        raise _Bad(f"token {tok} is not an integer")
    if kind == "Index" and tok - INT_ZERO not in INDICES:
        raise _Bad(f"token {tok} ({tok - INT_ZERO}) is not a regex index")
    return Const(tok - INT_ZERO, kind)


def _decode_expr(toks: list[int], pos: int, var: Var) -> tuple[Node, int]:
    if pos >= len(toks):
        raise _Bad("expression ends early")
    if toks[pos] == COMPOSE:
        pos += 1
        if pos >= len(toks):
            raise _Bad("Compose without a modification")
        outer, pos = _decode_own(toks, pos)
        inner, pos = _decode_expr(toks, pos, var)
        return Apply(outer[0], tuple(outer[1]) + (inner,)), pos
    (op, args), pos = _decode_own(toks, pos)
    if op == "ConstStr":
        return Apply(op, tuple(args)), pos
    return Apply(op, tuple(args) + (var,)), pos


def _decode_own(toks: list[int], pos: int) -> tuple[tuple[str, list[Const]], int]:
    op = ID_OPS.get(toks[pos])
    if op is None:
        raise _Bad(f"token {toks[pos]} is not an op")
    kinds = [k for k in DOMAIN.ops[op].arg_types if k != "String"]
    if pos + 1 + len(kinds) > len(toks):
        raise _Bad(f"{op} needs {len(kinds)} argument tokens")
    args = [_decode_arg(t, k) for t, k in zip(toks[pos + 1:pos + 1 + len(kinds)], kinds)]
    return (op, args), pos + 1 + len(kinds)


def decode_program(text: str, input_name: str = "x") -> Program:
    """Parse ExeDec's token-id text into a robustfill ``Program`` reading ``input_name``."""
    var = Var(input_name, "String")
    exprs = []
    try:
        for part in text.split("|"):
            try:
                toks = [int(t) for t in part.split()]
            except ValueError:
                raise _Bad(f"{part!r} is not a list of token ids") from None
            node, end = _decode_expr(toks, 0, var)
            if end != len(toks):
                raise _Bad(f"extra tokens after {DOMAIN.format(node)} in {part!r}")
            exprs.append(node)
        node = Apply("Concat", tuple(exprs))
        problem = shape_error(node)
        if problem:
            raise _Bad(problem)
    except _Bad as e:
        raise ProgramSyntaxError(f"bad ExeDec RobustFill program {text!r}: {e}") from None
    return Program(node, DOMAIN)
