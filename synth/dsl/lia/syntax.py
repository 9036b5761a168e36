"""lia text: parse expressions and statements (``grammar.lark``), print expressions in Python
syntax and as SMT-LIB, and convert to and from Z3 terms."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

from lark import Lark, Token, Transformer_NonRecursive, v_args
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
class _Build(Transformer_NonRecursive):
    """Parse tree -> nodes, without recursion (a 1,000-term sum is a 1,000-deep tree)."""

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


#: chains of one associative op (``+``/``-``, ``*``, ``and``, ``or``) or of ``not``/``neg`` longer
#: than this are rebuilt shallow (balanced trees, n-ary and/or, cancelled double negations)
BALANCE_AFTER = 32
#: the deepest expression accepted after that (the printers, Z3 conversion and evaluation recurse
#: once per level)
MAX_DEPTH = 100


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def _parse(text: str, start: str, what: str, bool_vars):
    try:
        tree = _parser().parse(text, start=start)
        out = _Build(frozenset(bool_vars)).transform(tree)
    except VisitError as e:
        raise ProgramSyntaxError(f"bad {what} {_shown(text)}: {e.orig_exc}") from None
    except LarkError as e:
        msg = str(e).strip().splitlines()[0]
        raise ProgramSyntaxError(f"cannot parse {what} {_shown(text)}: {msg}") from None
    if start == "start_expr":
        out = shallow(out)
        d = depth(out)
        if d > MAX_DEPTH:
            raise ProgramSyntaxError(f"{what} {_shown(text)} nests {d} levels deep; at most "
                                     f"{MAX_DEPTH} are supported")
    else:
        out = _shallow_stmts(out, what, text)
    return out


def _shallow_stmts(stmts, what: str, text: str, level: int = 0):
    """Statements with every expression made ``shallow`` and checked against ``MAX_DEPTH``."""
    from synth.dsl.lia.statements import Assert, Assign, Assume, If

    if level > MAX_DEPTH:
        raise ProgramSyntaxError(f"{what} {_shown(text)} nests blocks more than {MAX_DEPTH} deep")

    def fix(e: Node) -> Node:
        e = shallow(e)
        d = depth(e)
        if d > MAX_DEPTH:
            raise ProgramSyntaxError(f"{what} {_shown(text)}: an expression nests {d} levels "
                                     f"deep; at most {MAX_DEPTH} are supported")
        return e

    out = []
    for st in stmts:
        if isinstance(st, Assign):
            out.append(Assign(st.var, fix(st.expr)))
        elif isinstance(st, If):
            out.append(If(fix(st.cond), _shallow_stmts(st.then, what, text, level + 1),
                          _shallow_stmts(st.orelse, what, text, level + 1)))
        elif isinstance(st, Assume):
            out.append(Assume(fix(st.cond)))
        elif isinstance(st, Assert):
            out.append(Assert(fix(st.cond)))
        else:
            out.append(st)
    return tuple(out)


def depth(node: Node) -> int:
    """Nesting depth of a node (a leaf is 1), without recursion."""
    best = 0
    stack = [(node, 1)]
    while stack:
        n, d = stack.pop()
        if d > best:
            best = d
        if isinstance(n, Apply):
            stack.extend((a, d + 1) for a in n.args)
    return best


_FAMILY = {"+": "+", "-": "+", "*": "*", "and": "and", "or": "or"}


def _gather(node: Node, fam: str) -> list[tuple[int, Node]]:
    """The terms of a chain of ``fam`` ops under ``node``, left to right, with their signs
    (``-`` flips the sign of its right side)."""
    terms: list[tuple[int, Node]] = []
    stack = [(node, 1)]
    while stack:
        n, sign = stack.pop()
        if isinstance(n, Apply) and _FAMILY.get(n.op) == fam and (fam != "+" or len(n.args) == 2):
            if n.op == "-":
                stack.append((n.args[1], -sign))
                stack.append((n.args[0], sign))
            else:
                stack.extend((a, sign) for a in reversed(n.args))
        else:
            terms.append((sign, n))
    return terms


def _balanced(op: str, items: list[Node]) -> Node:
    while len(items) > 1:
        items = [Apply(op, (items[k], items[k + 1])) if k + 1 < len(items) else items[k]
                 for k in range(0, len(items), 2)]
    return items[0]


def shallow(root: Node) -> Node:
    """The same expression with long chains rebuilt shallow (see ``BALANCE_AFTER``): sums and
    products as balanced trees (``a - b + c - d`` as ``(a + c) - (b + d)``), conjunctions and
    disjunctions n-ary, runs of ``not``/``neg`` cancelled in pairs. Shorter chains are kept as
    they are. Works without recursion."""
    if depth(root) <= BALANCE_AFTER:
        return root
    out: list[Node] = []
    work: list = [("visit", root)]
    while work:
        item = work.pop()
        kind = item[0]
        if kind == "visit":
            n = item[1]
            if not isinstance(n, Apply):
                out.append(n)
                continue
            if n.op in ("not", "neg"):
                count, m = 0, n
                while isinstance(m, Apply) and m.op == n.op:
                    count += 1
                    m = m.args[0]
                if count > BALANCE_AFTER:
                    work.append(("unary", n.op, count % 2))
                    work.append(("visit", m))
                    continue
            fam = _FAMILY.get(n.op)
            if fam is not None:
                terms = _gather(n, fam)
                if len(terms) > BALANCE_AFTER:
                    work.append(("chain", fam, [s for s, _ in terms]))
                    work.extend(("visit", t) for _, t in reversed(terms))
                    continue
            work.append(("apply", n))
            work.extend(("visit", a) for a in reversed(n.args))
        elif kind == "apply":
            n = item[1]
            k = len(n.args)
            args = tuple(out[len(out) - k:]) if k else ()
            del out[len(out) - k:]
            out.append(n if args == n.args else Apply(n.op, args))
        elif kind == "unary":
            _, op, odd = item
            m = out.pop()
            out.append(Apply(op, (m,)) if odd else m)
        else:  # chain
            _, fam, signs = item
            k = len(signs)
            vals = out[len(out) - k:]
            del out[len(out) - k:]
            if fam in ("and", "or"):
                out.append(Apply(fam, tuple(vals)))
            elif fam == "*":
                out.append(_balanced("*", vals))
            else:
                plus = [v for s, v in zip(signs, vals) if s > 0]
                minus = [v for s, v in zip(signs, vals) if s < 0]
                node = _balanced("+", plus)
                out.append(Apply("-", (node, _balanced("+", minus))) if minus else node)
    return out[0]


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


def format_stmts(stmts, indent: str = "") -> str:
    """Statements (``synth.dsl.lia.statements``) in our syntax, one per line."""
    lines = []
    for st in stmts:
        if isinstance(st, Assign):
            lines.append(f"{indent}{st.var} = {format_expr(st.expr)}")
        elif isinstance(st, If):
            lines.append(f"{indent}if ({format_expr(st.cond)}) {{")
            lines.append(format_stmts(st.then, indent + "    "))
            if st.orelse:
                lines.append(f"{indent}}} else {{")
                lines.append(format_stmts(st.orelse, indent + "    "))
            lines.append(f"{indent}}}")
        elif isinstance(st, Assume):
            lines.append(f"{indent}assume({format_expr(st.cond)})")
        else:
            lines.append(f"{indent}assert({format_expr(st.cond)})")
    return "\n".join(line for line in lines if line)


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


# ------------------------------------------------------------------------------------- sorts
class SortError(ValueError):
    """An expression mixes integers and conditions, or divides by a constant zero."""


_INT_OPS = {"+", "-", "*", "%"}
_ORDER = {"<", "<=", ">", ">="}
_BOOL_OPS = {"and", "or", "=>"}
_SORT_WORD = {"Int": "an integer", "Bool": "a condition"}


def sort_of(root: Node, var_sort=None) -> str:
    """``"Int"`` or ``"Bool"``: the sort of an expression, checked throughout (without recursion).

    ``var_sort(name, declared)`` gives a variable's sort (default: the node's own type). Raises
    ``SortError`` naming the first subexpression of the wrong sort, and for ``%`` by a constant
    that is zero."""
    from synth.dsl.lia.statements import eval_expr

    sorts: dict[int, str] = {}
    work: list = [(root, False)]
    while work:
        n, done = work.pop()
        if isinstance(n, Var):
            sorts[id(n)] = var_sort(n.name, n.type) if var_sort is not None else n.type
            continue
        if isinstance(n, Const):
            sorts[id(n)] = "Bool" if n.type == "Bool" else "Int"
            continue
        if not done:
            work.append((n, True))
            work.extend((a, False) for a in n.args)
            continue
        op, args = n.op, n.args
        got = [sorts[id(a)] for a in args]

        def need(i: int, want: str) -> None:
            if got[i] != want:
                raise SortError(f"{op!r} needs {_SORT_WORD[want]} where {format_expr(args[i])!r} "
                                f"is {_SORT_WORD[got[i]]}")

        if op in _INT_OPS or op == "neg":
            for i in range(len(args)):
                need(i, "Int")
            if op == "%" and _always_zero(args[1], eval_expr):
                raise SortError(f"division by zero in {format_expr(n)!r} (the divisor of % is "
                                f"always 0)")
            out = "Int"
        elif op in _ORDER:
            need(0, "Int")
            need(1, "Int")
            out = "Bool"
        elif op in ("==", "!="):
            if got[0] != got[1]:
                raise SortError(f"{op!r} compares {format_expr(args[0])!r} "
                                f"({_SORT_WORD[got[0]]}) with {format_expr(args[1])!r} "
                                f"({_SORT_WORD[got[1]]})")
            out = "Bool"
        elif op in _BOOL_OPS or op == "not":
            for i in range(len(args)):
                need(i, "Bool")
            out = "Bool"
        elif op == "ite":
            need(0, "Bool")
            if got[1] != got[2]:
                raise SortError(f"ite's branches {format_expr(args[1])!r} and "
                                f"{format_expr(args[2])!r} differ in sort")
            out = got[1]
        elif op == "unknown":
            out = "Bool"
        elif op == "nondet":
            out = "Int"
        else:
            raise SortError(f"unknown operator {op!r}")
        sorts[id(n)] = out
    return sorts[id(root)]


def _always_zero(node: Node, eval_expr) -> bool:
    """Whether an integer expression is 0 whatever its variables (a constant, or a term such as
    ``n - n`` that Z3's simplifier folds to 0)."""
    if _is_constant(node):
        try:
            return eval_expr(node, {}) == 0
        except ArithmeticError:
            return True
    if has_nondet_op(node):
        return False
    import z3

    env: dict = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Var):
            env[n.name] = z3.Bool(n.name) if n.type == "Bool" else z3.Int(n.name)
        elif isinstance(n, Apply):
            stack.extend(n.args)
    try:
        e = z3.simplify(to_z3(node, env))
    except (z3.Z3Exception, ValueError, KeyError):
        return False
    return z3.is_int_value(e) and e.as_long() == 0


def has_nondet_op(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Apply):
            if n.op in ("unknown", "nondet"):
                return True
            stack.extend(n.args)
    return False


def only_vars(node: Node, names) -> bool:
    """Whether ``node`` reads no variable outside ``names`` and no nondeterministic value."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Var) and n.name not in names:
            return False
        if isinstance(n, Apply):
            if n.op in ("unknown", "nondet"):
                return False
            stack.extend(n.args)
    return True


def _is_constant(node: Node) -> bool:
    return only_vars(node, ())


# ------------------------------------------------------------------------- Program.to_python
# The lia ops as Python, one template each: the precedence levels are _PREC's (Python's own
# order), and each op's text is Python code with its reference semantics (ops.py; ``and``,
# ``or``, ``=>`` and ``ite`` evaluate lazily, as ``statements.eval_expr`` does):
#   and, or, not, <=, <, >=, >, ==, !=, +, -, *   Python's operators of the same name
#   neg a        -a
#   a => b       not a or b
#   ite(c, a, b) (a if c else b)
#   a % b        a % b for a positive constant b, else a % abs(b) (SMT-LIB mod: never negative;
#                ZeroDivisionError where the DSL's % is undefined, b == 0)
# tests/test_to_python.py checks the templates against the reference interpreter.


def _fmt_python(node: Node, names: Mapping[str, str]) -> tuple[str, int]:
    if isinstance(node, Var):
        return names[node.name], _ATOM
    if isinstance(node, Const):
        if node.type == "Bool":
            return ("True" if node.value else "False"), _ATOM
        return str(node.value), (_ATOM if node.value >= 0 else _PREC["neg"])
    op = node.op
    if op in ("unknown", "nondet"):
        raise ValueError(f"{op}() has no Python form (it is nondeterministic)")

    def at(child, level):
        text, lv = _fmt_python(child, names)
        return text if lv >= level else f"({text})"

    if op == "ite":
        c, a, b = (at(x, _PREC["or"]) for x in node.args)
        return f"({a} if {c} else {b})", _ATOM
    if op == "=>":
        p = _PREC["or"]
        return f"not {at(node.args[0], _PREC['not'])} or {at(node.args[1], p + 1)}", p
    p = _PREC[op]
    if op in ("and", "or"):
        return f" {op} ".join(at(a, p + 1) for a in node.args), p
    if op == "not":
        return f"not {at(node.args[0], p)}", p
    if op == "neg":
        return f"-{at(node.args[0], p + 1)}", p
    if p == 4:  # comparisons do not chain
        return f"{at(node.args[0], p + 1)} {op} {at(node.args[1], p + 1)}", p
    if op == "%":
        m = node.args[1]
        right = at(m, p + 1) if isinstance(m, Const) and m.value > 0 else f"abs({at(m, 0)})"
        return f"{at(node.args[0], p)} % {right}", p
    # left-associative + - *
    return f"{at(node.args[0], p)} {op} {at(node.args[1], p + 1)}", p


def to_python_expr(node: Node, names: Mapping[str, str] | None = None) -> str:
    """A Python expression with the formula's value (variables renamed by ``names``)."""
    from synth.dsl.base import node_vars

    names = names if names is not None else {v: v for v in node_vars(node)}
    return _fmt_python(node, names)[0]


def python_source(domain, node: Node, func_name: str | None = None) -> str:
    """``Program.to_python`` for lia: the invariant as a predicate over the variables it reads,
    also accepting the other variables of a state (``invariant(**state)``)::

        def invariant(x, n, **_other_vars):
            # synthesized by synth (lia): 'x <= n'
            return x <= n
    """
    from synth.dsl.base import node_vars, python_name

    func_name = func_name or "invariant"
    taken = {func_name, "abs", "_other_vars"}
    names = {v: python_name(v, taken) for v in node_vars(node)}
    params = ", ".join(list(names.values()) + ["**_other_vars"])
    return (f"def {func_name}({params}):\n"
            f"    # synthesized by synth (lia): {domain.format(node)!r}\n"
            f"    return {to_python_expr(node, names)}\n")
