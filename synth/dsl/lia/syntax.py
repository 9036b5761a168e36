"""lia text: parse expressions and statements (``grammar.lark``), print expressions in Python
syntax and as SMT-LIB, and convert to and from Z3 terms."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from synth.dsl.base import Apply, Const, Node, Var
from synth.dsl.lia.statements import Assert, Assign, Assume, If
from synth.errors import ProgramSyntaxError

GRAMMAR_FILE = str(Path(__file__).with_name("grammar.lark"))

TRUE = Const(True, "Bool")
FALSE = Const(False, "Bool")


def mk_and(*args: Node) -> Node:
    flat: list[Node] = []
    for a in args:
        if isinstance(a, Apply) and a.op == "and":
            flat.extend(a.args)
        elif a != TRUE:
            flat.append(a)
    if any(a == FALSE for a in flat):
        return FALSE
    if not flat:
        return TRUE
    return flat[0] if len(flat) == 1 else Apply("and", tuple(flat))


def mk_or(*args: Node) -> Node:
    flat: list[Node] = []
    for a in args:
        if isinstance(a, Apply) and a.op == "or":
            flat.extend(a.args)
        elif a != FALSE:
            flat.append(a)
    if any(a == TRUE for a in flat):
        return TRUE
    if not flat:
        return FALSE
    return flat[0] if len(flat) == 1 else Apply("or", tuple(flat))


def mk_not(a: Node) -> Node:
    from synth.dsl.lia.ops import NEGATED

    if a == TRUE:
        return FALSE
    if a == FALSE:
        return TRUE
    if isinstance(a, Apply):
        if a.op == "not":
            return a.args[0]
        if a.op in NEGATED:
            return Apply(NEGATED[a.op], a.args)
    return Apply("not", (a,))


def integer(n: int) -> Const:
    return Const(int(n), "Int")


# ----------------------------------------------------------------------------------- parsing
class _Build(Transformer):
    def __init__(self, bool_vars: frozenset):
        super().__init__()
        self.bool_vars = bool_vars

    @v_args(inline=True)
    def int(self, tok):
        return Const(int(tok), "Int")

    def true(self, _):
        return TRUE

    def false(self, _):
        return FALSE

    @v_args(inline=True)
    def var(self, tok):
        name = str(tok)
        return Var(name, "Bool" if name in self.bool_vars else "Int")

    def call(self, items):
        name, args = str(items[0]), [a for a in items[1:] if a is not None]
        if name in ("unknown", "nondet") and not args:
            return Apply(name, ())
        if name == "ite" and len(args) == 3:
            return Apply("ite", tuple(args))
        raise ValueError(f"unknown function {name}({', '.join('...' for _ in args)}); "
                         f"only unknown(), nondet() and ite(c, a, b) may be called")

    @v_args(inline=True)
    def implies(self, a, b):
        return Apply("=>", (a, b))

    @v_args(inline=True)
    def or_(self, a, b):
        return mk_or(a, b) if (a not in (TRUE, FALSE) and b not in (TRUE, FALSE)) else Apply("or", (a, b))

    @v_args(inline=True)
    def and_(self, a, b):
        return mk_and(a, b) if (a not in (TRUE, FALSE) and b not in (TRUE, FALSE)) else Apply("and", (a, b))

    @v_args(inline=True)
    def not_(self, a):
        return Apply("not", (a,))

    @v_args(inline=True)
    def compare(self, a, op, b):
        return Apply(str(op), (a, b))

    @v_args(inline=True)
    def add(self, a, b):
        return Apply("+", (a, b))

    @v_args(inline=True)
    def sub(self, a, b):
        return Apply("-", (a, b))

    @v_args(inline=True)
    def mul(self, a, b):
        return Apply("*", (a, b))

    @v_args(inline=True)
    def mod(self, a, b):
        return Apply("%", (a, b))

    @v_args(inline=True)
    def neg(self, a):
        if isinstance(a, Const) and a.type == "Int":
            return Const(-a.value, "Int")
        return Apply("neg", (a,))

    # statements
    def stmts(self, items):
        out = []
        for it in items:
            if isinstance(it, tuple):
                out.extend(it)
            elif it is not None and not isinstance(it, Token):
                out.append(it)
        return tuple(out)

    def block(self, items):
        return items[0]

    @v_args(inline=True)
    def assign(self, name, expr):
        return Assign(str(name), expr)

    @v_args(inline=True)
    def aug_assign(self, name, op, expr):
        v = Var(str(name), "Int")
        return Assign(str(name), Apply("+" if str(op) == "+=" else "-", (v, expr)))

    @v_args(inline=True)
    def incdec(self, name, op):
        v = Var(str(name), "Int")
        return Assign(str(name), Apply("+" if str(op) == "++" else "-", (v, integer(1))))

    def if_(self, items):
        cond, then = items[0], items[1]
        orelse = items[2] if len(items) > 2 and items[2] is not None else ()
        if isinstance(orelse, If):
            orelse = (orelse,)
        return If(cond, then, orelse)

    @v_args(inline=True)
    def assume(self, cond):
        return Assume(cond)

    @v_args(inline=True)
    def assert_(self, cond):
        return Assert(cond)

    def skip(self, _):
        return ()

    def start_expr(self, items):
        return items[0]

    def start_stmts(self, items):
        return items[0]


@lru_cache(maxsize=1)
def _parser() -> Lark:
    with open(GRAMMAR_FILE, encoding="utf-8") as f:
        return Lark(f.read(), parser="lalr", start=["start_expr", "start_stmts"],
                    maybe_placeholders=True)


def _parse(text: str, start: str, what: str, bool_vars):
    try:
        tree = _parser().parse(text, start=start)
        return _Build(frozenset(bool_vars)).transform(tree)
    except VisitError as e:
        raise ProgramSyntaxError(f"bad {what} {text!r}: {e.orig_exc}") from None
    except LarkError as e:
        msg = str(e).strip().splitlines()[0]
        raise ProgramSyntaxError(f"cannot parse {what} {text!r}: {msg}") from None


def parse_expr(text: str, bool_vars=()) -> Node:
    """An expression in our syntax (Python-like); raises ProgramSyntaxError."""
    return _parse(text, "start_expr", "expression", bool_vars)


def parse_stmts(text: str, bool_vars=()) -> tuple:
    """Statements (``x = x + 1; if (c) { ... } else { ... }``); raises ProgramSyntaxError."""
    return _parse(text, "start_stmts", "statements", bool_vars)


# ---------------------------------------------------------------------------------- printing
_PREC = {"=>": 0, "or": 1, "and": 2, "not": 3, "<=": 4, "<": 4, ">=": 4, ">": 4, "==": 4, "!=": 4,
         "+": 5, "-": 5, "*": 6, "%": 6, "neg": 7}
_ATOM = 8


def _fmt(node: Node) -> tuple[str, int]:
    if isinstance(node, Var):
        return node.name, _ATOM
    if isinstance(node, Const):
        if node.type == "Bool":
            return ("true" if node.value else "false"), _ATOM
        return str(node.value), (_ATOM if node.value >= 0 else 7)
    op = node.op
    if op in ("unknown", "nondet"):
        return f"{op}()", _ATOM
    if op == "ite":
        return "ite(" + ", ".join(_fmt(a)[0] for a in node.args) + ")", _ATOM
    p = _PREC[op]

    def at(child, level):
        text, lv = _fmt(child)
        return text if lv >= level else f"({text})"

    if op in ("and", "or"):
        return f" {op} ".join(at(a, p + 1) for a in node.args), p
    if op == "not":
        return f"not {at(node.args[0], p)}", p
    if op == "neg":
        return f"-{at(node.args[0], p + 1)}", p
    if op == "=>":
        return f"{at(node.args[0], p + 1)} => {at(node.args[1], p)}", p
    if p == 4:  # comparisons do not chain
        return f"{at(node.args[0], p + 1)} {op} {at(node.args[1], p + 1)}", p
    # left-associative arithmetic
    return f"{at(node.args[0], p)} {op} {at(node.args[1], p + 1)}", p


def format_expr(node: Node) -> str:
    """Our syntax (Python expression syntax plus ``=>``)."""
    return _fmt(node)[0]


_SMT_OPS = {"+": "+", "-": "-", "*": "*", "%": "mod", "<=": "<=", "<": "<", ">=": ">=", ">": ">",
            "==": "=", "and": "and", "or": "or", "not": "not", "=>": "=>", "ite": "ite", "neg": "-"}


def to_smtlib(node: Node) -> str:
    """SMT-LIB 2 text of an expression."""
    if isinstance(node, Var):
        name = node.name
        return name if _plain_symbol(name) else f"|{name}|"
    if isinstance(node, Const):
        if node.type == "Bool":
            return "true" if node.value else "false"
        return str(node.value) if node.value >= 0 else f"(- {-node.value})"
    if node.op == "!=":
        return f"(not (= {to_smtlib(node.args[0])} {to_smtlib(node.args[1])}))"
    if node.op in ("unknown", "nondet"):
        raise ValueError(f"{node.op}() has no SMT-LIB form")
    return f"({_SMT_OPS[node.op]} {' '.join(to_smtlib(a) for a in node.args)})"


def _plain_symbol(name: str) -> bool:
    return bool(name) and not name[0].isdigit() and all(c.isalnum() or c in "~!@$%^&*_-+=<>.?/" for c in name)


def format_define_fun(name: str, params: list[tuple[str, str]], body: Node) -> str:
    """``(define-fun name ((x Int) ...) Bool body)``."""
    ps = " ".join(f"({p if _plain_symbol(p) else '|' + p + '|'} {s})" for p, s in params)
    return f"(define-fun {name} ({ps}) Bool {to_smtlib(body)})"


# --------------------------------------------------------------------------------------- Z3
def to_z3(node: Node, env: Mapping, fresh=None):
    """The Z3 term of a node; ``env`` maps variable names to Z3 terms. ``fresh(kind)`` makes a
    new constant for ``unknown()``/``nondet()`` (an error when not given)."""
    import z3

    if isinstance(node, Var):
        try:
            return env[node.name]
        except KeyError:
            raise KeyError(f"variable {node.name!r} is not declared") from None
    if isinstance(node, Const):
        return z3.BoolVal(node.value) if node.type == "Bool" else z3.IntVal(node.value)
    op = node.op
    if op in ("unknown", "nondet"):
        if fresh is None:
            raise ValueError(f"{op}() is only allowed in loop programs")
        return fresh("Bool" if op == "unknown" else "Int")
    a = [to_z3(x, env, fresh) for x in node.args]
    if op == "+":
        return a[0] + a[1]
    if op == "-":
        return a[0] - a[1]
    if op == "*":
        return a[0] * a[1]
    if op == "neg":
        return -a[0]
    if op == "%":
        return a[0] % a[1]
    if op == "<=":
        return a[0] <= a[1]
    if op == "<":
        return a[0] < a[1]
    if op == ">=":
        return a[0] >= a[1]
    if op == ">":
        return a[0] > a[1]
    if op == "==":
        return a[0] == a[1]
    if op == "!=":
        return a[0] != a[1]
    if op == "and":
        return z3.And(*a) if a else z3.BoolVal(True)
    if op == "or":
        return z3.Or(*a) if a else z3.BoolVal(False)
    if op == "not":
        return z3.Not(a[0])
    if op == "=>":
        return z3.Implies(a[0], a[1])
    if op == "ite":
        return z3.If(a[0], a[1], a[2])
    raise ValueError(f"unknown lia op {op!r}")


def from_z3(e) -> Node:
    """A lia node for a Z3 term over integer and boolean constants (linear arithmetic)."""
    import z3

    if z3.is_int_value(e):
        return Const(e.as_long(), "Int")
    if z3.is_true(e):
        return TRUE
    if z3.is_false(e):
        return FALSE
    if z3.is_const(e):
        return Var(str(e), "Bool" if z3.is_bool(e) else "Int")
    k = e.decl().kind()
    ch = [from_z3(c) for c in e.children()]

    def fold(op):
        node = ch[0]
        for c in ch[1:]:
            if isinstance(node, Const) and isinstance(c, Const):  # 0 - 50 -> -50
                a, b = node.value, c.value
                node = Const(a + b if op == "+" else a - b if op == "-" else a * b, "Int")
            else:
                node = Apply(op, (node, c))
        return node

    table = {z3.Z3_OP_LE: "<=", z3.Z3_OP_LT: "<", z3.Z3_OP_GE: ">=", z3.Z3_OP_GT: ">"}
    if k in table:
        return Apply(table[k], (ch[0], ch[1]))
    if k == z3.Z3_OP_EQ:
        return Apply("==", (ch[0], ch[1])) if len(ch) == 2 else mk_and(
            *(Apply("==", (ch[0], c)) for c in ch[1:]))
    if k == z3.Z3_OP_DISTINCT and len(ch) == 2:
        return Apply("!=", (ch[0], ch[1]))
    if k == z3.Z3_OP_AND:
        return Apply("and", tuple(ch)) if len(ch) > 1 else ch[0]
    if k == z3.Z3_OP_OR:
        return Apply("or", tuple(ch)) if len(ch) > 1 else ch[0]
    if k == z3.Z3_OP_NOT:
        return Apply("not", (ch[0],))
    if k == z3.Z3_OP_IMPLIES:
        return Apply("=>", (ch[0], ch[1]))
    if k == z3.Z3_OP_ITE:
        return Apply("ite", tuple(ch))
    if k == z3.Z3_OP_ADD:
        return fold("+")
    if k == z3.Z3_OP_SUB:
        return fold("-")
    if k == z3.Z3_OP_MUL:
        return fold("*")
    if k == z3.Z3_OP_UMINUS:
        return Const(-ch[0].value, "Int") if isinstance(ch[0], Const) else Apply("neg", (ch[0],))
    if k == z3.Z3_OP_MOD:
        return Apply("%", (ch[0], ch[1]))
    raise ValueError(f"cannot read Z3 term {e} into the lia domain")
