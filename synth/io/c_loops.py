"""Reader of Code2Inv-style C programs (``.c``): a function with int variables, code before one
``while`` loop, the loop, and asserts after it, read into a ``LoopProblem`` of the lia domain.

Semantics as in Code2Inv and its SyGuS translation: variables range over the mathematical
integers, a variable declared without a value may hold any integer, ``unknown()`` is a
nondeterministic boolean, ``assume(c)`` restricts the runs, and the asserts after the loop are the
property. The grammar is ``c_loops.lark``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark, Transformer, v_args
from lark.exceptions import LarkError, VisitError

from synth.dsl.base import Apply, Const, Var
from synth.dsl.lia.loop import LoopProblem, post_from_statements, pre_from_statements
from synth.dsl.lia.statements import Assert, Assign, Assume, If, assigned_vars
from synth.dsl.lia.syntax import mk_and, mk_not, mk_or
from synth.errors import InvalidTask
from synth.io.limits import MAX_C_NESTING, MAX_LITERAL_DIGITS, tree_too_deep
from synth.task import LoopSpec, Task

GRAMMAR_FILE = Path(__file__).with_name("c_loops.lark")


class _While:
    def __init__(self, cond, body):
        self.cond, self.body = cond, body


class _Decl:
    def __init__(self, items):
        self.items = items  # [(name, expr or None)]


def _flat(items):
    out = []
    for it in items:
        if isinstance(it, list):
            out.extend(it)
        elif it is not None:
            out.append(it)
    return out


@v_args(inline=True)
class _ToLia(Transformer):
    def int(self, tok):
        if len(tok) > MAX_LITERAL_DIGITS:
            raise ValueError(f"integer literal of {len(tok):,} digits on line {tok.line}; synth reads "
                             f"integer literals of at most {MAX_LITERAL_DIGITS:,} digits")
        return Const(int(tok), "Int")

    def var(self, tok):
        return Var(str(tok), "Int")

    def call(self, tok):
        if str(tok) in ("unknown", "__VERIFIER_nondet_bool"):
            return Apply("unknown", ())
        if str(tok) in ("nondet", "__VERIFIER_nondet_int"):
            return Apply("nondet", ())
        raise ValueError(f"call of {tok}(): only unknown() is supported")

    def or_(self, a, b):
        return mk_or(a, b)

    def and_(self, a, b):
        return mk_and(a, b)

    def not_(self, a):
        return mk_not(a)

    def compare(self, a, op, b):
        return Apply(str(op), (a, b))

    def add(self, a, b):
        return Apply("+", (a, b))

    def sub(self, a, b):
        return Apply("-", (a, b))

    def mul(self, a, b):
        return Apply("*", (a, b))

    def mod(self, a, b):
        return Apply("%", (a, b))

    def neg(self, a):
        return Const(-a.value, "Int") if isinstance(a, Const) else Apply("neg", (a,))

    def assign(self, name, expr):
        return Assign(str(name), expr)

    def aug_assign(self, name, op, expr):
        return Assign(str(name), Apply("+" if str(op) == "+=" else "-", (Var(str(name), "Int"), expr)))

    def post_incdec(self, name, op):
        return self._incdec(str(name), str(op))

    def pre_incdec(self, op, name):
        return self._incdec(str(name), str(op))

    @staticmethod
    def _incdec(name, op):
        return Assign(name, Apply("+" if op == "++" else "-", (Var(name, "Int"), Const(1, "Int"))))

    def if_(self, cond, then, orelse=None):
        return If(cond, tuple(_flat([then])), tuple(_flat([orelse])))

    def while_(self, cond, body):
        return _While(cond, tuple(_flat([body])))

    def assume(self, cond):
        return Assume(cond)

    def assert_(self, cond):
        return Assert(cond)

    def empty(self):
        return None

    def declarator(self, name, expr=None):
        return (str(name), expr)

    def decl(self, *items):
        return _Decl(list(items))

    def block(self, *stmts):
        return _flat(list(stmts))

    def start(self, name, body):
        return body


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR_FILE.read_text(encoding="utf-8"), parser="lalr", maybe_placeholders=True)


def parse_c_loop(text: str, name: str = "loop", where: str = "") -> LoopProblem:
    """Read one C program into a ``LoopProblem``; an ``InvalidTask`` names what is unsupported."""
    at = f"{where}: " if where else ""
    try:
        tree = _parser().parse(text)  # LALR: builds the tree without recursion
        if tree_too_deep(tree, MAX_C_NESTING):
            raise InvalidTask(f"{at}statements, blocks or expressions nested deeper than "
                              f"{MAX_C_NESTING} levels; synth reads C programs up to that depth")
        stmts = _ToLia().transform(tree)
    except VisitError as e:
        raise InvalidTask(f"{at}unsupported C: {e.orig_exc}") from None
    except LarkError as e:
        msg = str(e).strip().splitlines()[0]
        raise InvalidTask(f"{at}not in the supported C subset: {msg}") from None
    except RecursionError:  # backstop: the depth check above should have caught it
        raise InvalidTask(f"{at}nested too deeply to read; simplify the program") from None
    vars_: list[str] = []
    before, loop, after = [], None, []
    for st in stmts:
        if isinstance(st, _Decl):
            for v, init in st.items:
                if v in vars_:
                    raise InvalidTask(f"{at}variable {v!r} declared twice")
                vars_.append(v)
                if init is not None:
                    (before if loop is None else after).append(Assign(v, init))
        elif isinstance(st, _While):
            if loop is not None:
                raise InvalidTask(f"{at}more than one loop; only single-loop programs are supported")
            loop = st
        else:
            (before if loop is None else after).append(st)
    if loop is None:
        raise InvalidTask(f"{at}no while loop found")
    if _has_loop_or_decl(loop.body):
        raise InvalidTask(f"{at}nested loops or declarations inside the loop are not supported")
    if any(isinstance(s, Assert) for s in _walk(loop.body)):
        raise InvalidTask(f"{at}assert() inside the loop is not supported")
    if not any(isinstance(s, Assert) for s in _walk(after)):
        raise InvalidTask(f"{at}no assert after the loop: nothing to prove")
    undeclared = _used_vars(before + list(loop.body) + after, loop.cond) - set(vars_)
    if undeclared:
        raise InvalidTask(f"{at}undeclared variable(s) {', '.join(sorted(undeclared))}")
    try:
        pre, exists = pre_from_statements(vars_, before)
        post = post_from_statements(vars_, after)
    except InvalidTask as e:
        raise InvalidTask(f"{at}{e}") from None
    guard = None if (isinstance(loop.cond, Apply) and loop.cond.op == "unknown") else loop.cond
    problem = LoopProblem(name=name, vars=vars_, pre=pre, guard=guard, body=loop.body, post=post,
                          exists=exists)
    from synth.dsl.lia.loop import check_sorts
    check_sorts(problem, at)  # an integer where C allows a condition (assume(0), while (x)), ...
    return problem


def _walk(stmts):
    for s in stmts:
        yield s
        if isinstance(s, If):
            yield from _walk(s.then)
            yield from _walk(s.orelse)


def _has_loop_or_decl(stmts) -> bool:
    return any(isinstance(s, (_While, _Decl)) for s in _walk(stmts))


def _used_vars(stmts, cond) -> set:
    from synth.dsl.lia.loop import expr_vars
    from synth.dsl.lia.statements import stmt_exprs

    out = set(expr_vars(cond)) | set(assigned_vars(stmts))
    for e in stmt_exprs([s for s in _walk(stmts) if not isinstance(s, If)] +
                        [If(s.cond, (), ()) for s in _walk(stmts) if isinstance(s, If)]):
        out |= set(expr_vars(e))
    return out


def read_c_tasks(path: str | Path) -> list[Task]:
    """One lia task per ``.c`` file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidTask(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise InvalidTask(f"{path}: cannot read ({e.strerror or e})") from None
    problem = parse_c_loop(text, path.stem, str(path))
    return [Task(name=path.stem, domain="lia", spec=LoopSpec(loop=problem, source=str(path)),
                 origin=str(path))]
