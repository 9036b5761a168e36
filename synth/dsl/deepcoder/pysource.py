"""``Program.to_python`` for deepcoder: one Python function over ints and int lists.

Everything is derived from the reference semantics in ``ops.py``: each op's raw function and the
range check (``in_range``, ``check_result``) are copied verbatim, each lambda is written as its
``Lambda.python`` expression, and the statements become assignments in order. As in the domain's
``run_statement``, an argument whose type is not guaranteed (an input, whose type the program
cannot know) is checked with the domain's ``value_type`` before its first use. The function
raises ValueError where the program is undefined (the reference interpreter's ERROR)::

    MIN_INT, MAX_INT = -50, 50
    def in_range(v): ...
    def check_result(v): ...
    def value_type(value): ...
    def map_(f, xs): ...

    def program(x0):
        # synthesized by synth (deepcoder): 'x0 = INPUT | x1 = Map (*2) x0'
        if value_type(x0) != 'List':
            raise ValueError('x0 must be a list of ints')
        x1 = check_result(map_(lambda x: x * 2, x0))
        if x1 is None:
            raise ValueError('Map is undefined on these arguments')
        return x1
"""
from __future__ import annotations

from synth.dsl.base import Const, Domain, Node, Var, function_source, python_name

#: what a failed type check says, per type
_TYPE_TEXT = {"Int": "an int", "List": "a list of ints"}


def python_source(domain: Domain, node: Node, func_name: str | None = None) -> str:
    from synth.dsl.deepcoder import PROGRAM, Statement, value_type
    from synth.dsl.deepcoder import ops as R

    func_name = func_name or "program"
    if not (hasattr(node, "op") and node.op == PROGRAM):
        raise ValueError(f"not a deepcoder program: {node!r}")
    statements = [a for a in node.args if isinstance(a, Statement)]
    # the helpers: the range check, the type check, and each op's raw semantics
    helpers = [R.in_range, R.check_result, value_type]
    raws: dict[str, str] = {}
    for st in statements:
        raw = getattr(domain.op(st.op).fn, "raw", None)
        if raw is None:
            raise ValueError(f"deepcoder op {st.op} has no raw semantics to copy")
        if raw not in helpers:
            helpers.append(raw)
        raws[st.op] = raw.__name__
    taken = {f.__name__ for f in helpers} | {func_name, "MIN_INT", "MAX_INT"}
    names: dict[str, str] = {}  # variable -> its Python name
    params = []
    for a in node.args:
        if isinstance(a, Var):
            names[a.name] = python_name(a.name, taken)
            params.append(names[a.name])
    # variables whose type is known: statement results (the range check passes only ints and
    # lists of ints) and inputs already checked
    known: dict[str, str] = {}
    lines = [f"    # synthesized by synth (deepcoder): {domain.format(node)!r}"]
    last = params[-1] if params else "None"
    for st in statements:
        op = domain.op(st.op)
        args = []
        for a, t in zip(st.args, op.arg_types):
            if isinstance(a, Const):
                args.append(a.value.python if isinstance(a.value, R.Lambda) else repr(a.value))
                continue
            v = names[a.name]
            if t in _TYPE_TEXT and known.get(a.name) != t:
                lines.append(f"    if value_type({v}) != {t!r}:")
                lines.append(f"        raise ValueError({f'{a.name} must be {_TYPE_TEXT[t]}'!r})")
                known[a.name] = t
            args.append(v)
        target = names[st.target] = python_name(st.target, taken)
        known[st.target] = op.ret_type
        lines.append(f"    {target} = check_result({raws[st.op]}({', '.join(args)}))")
        lines.append(f"    if {target} is None:")
        lines.append(f"        raise ValueError({f'{st.op} is undefined on these arguments'!r})")
        last = target
    lines.append(f"    return {last}")
    defs = [f"MIN_INT, MAX_INT = {R.MIN_INT}, {R.MAX_INT}"] + [function_source(f) for f in helpers]
    header = f"def {func_name}({', '.join(params)}):"
    return "\n\n\n".join(defs + [header + "\n" + "\n".join(lines)]) + "\n"
