"""The DSL framework: ops with one reference semantics, immutable program ASTs, and the Domain facade.

A domain bundles a Lark grammar for its program text, its types, its ops and its constant policy.
Search code never parses: it builds AST nodes directly and evaluates ops through ``Op.fn``.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from synth.errors import EvaluationError, UnknownOp

# An op's reference function returns ERROR (None) for an argument tuple it is undefined on;
# the search then discards the whole value (BUSTLE's rule).
ERROR = None


@dataclass(frozen=True)
class Op:
    """One DSL operation: a name, a signature and its single Python reference semantics.

    ``fn`` is called on one example's argument values and returns the result or ``ERROR``
    (None). It must be self-contained (builtins and modules imported inside it only) so that
    ``Program.to_python`` can copy its source into a standalone function.
    """

    name: str
    arg_types: tuple[str, ...]
    ret_type: str
    fn: Callable[..., Any]
    doc: str = ""
    #: the name printed in program text; overloads (``FIND`` and ``FIND/3``) share one symbol
    symbol: str = ""
    #: module-level functions ``fn`` calls by name (a date parser, say): ``Program.to_python``
    #: copies their source beside ``fn``'s, so together they must be self-contained
    helpers: tuple[Callable[..., Any], ...] = ()
    #: a conditional ``(test, then, else)``: a program evaluates the test, then only the branch
    #: it picks (as a spreadsheet's IF does), so the other branch may be undefined on that input
    lazy: bool = False

    def __post_init__(self):
        if not self.symbol:
            object.__setattr__(self, "symbol", self.name)

    @property
    def arity(self) -> int:
        return len(self.arg_types)

    def signature(self) -> str:
        return f"{self.symbol}({', '.join(self.arg_types)}) -> {self.ret_type}"


# ----------------------------------------------------------------------------------------------
# AST nodes: immutable and hashable, so equal programs compare and hash equal.


@dataclass(frozen=True, slots=True)
class Var:
    """An input of the task, by name."""

    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Const:
    """A literal value."""

    value: Any
    type: str


@dataclass(frozen=True, slots=True)
class Apply:
    """An op applied to argument nodes."""

    op: str
    args: tuple


Node = Var | Const | Apply


def iter_nodes(node: Node) -> Iterator[Node]:
    """Every node of a program: the node itself, then its subtrees (depth first)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Apply):
            stack.extend(n.args)


def node_size(node: Node) -> int:
    """Number of AST nodes (the size measure reported in results)."""
    size, stack = 0, [node]
    while stack:
        n = stack.pop()
        size += 1
        if isinstance(n, Apply):
            stack.extend(n.args)
    return size


def node_ops(node: Node) -> list[str]:
    """Names of the ops a node uses, in first-use order."""
    seen: dict[str, None] = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Apply):
            seen.setdefault(n.op, None)
            stack.extend(reversed(n.args))
    return list(seen)


def node_vars(node: Node) -> list[str]:
    seen: dict[str, None] = {}
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Var):
            seen.setdefault(n.name, None)
        elif isinstance(n, Apply):
            stack.extend(reversed(n.args))
    return list(seen)


# ----------------------------------------------------------------------------------------------


class Domain:
    """A DSL: types, ops, a grammar for program text, and how constants are chosen for a task.

    Subclasses set the class attributes and may override ``constants``, ``value_ok`` and the
    printer. Domains are singletons obtained through ``synth.dsl.get_domain(name)``.
    """

    name: str = ""
    description: str = ""
    types: tuple[str, ...] = ()
    ops: Mapping[str, Op] = {}
    #: named subsets of ``ops``; ``default_op_set`` is used when a task names none
    op_sets: Mapping[str, tuple[str, ...]] = {}
    default_op_set: str = "all"
    grammar_file: str = ""  # path of the .lark file describing program text

    # -- ops ---------------------------------------------------------------------------------
    def op(self, name: str) -> Op:
        try:
            return self.ops[name]
        except KeyError:
            raise UnknownOp(
                f"unknown op {name!r} in domain {self.name!r}; "
                f"run 'synth dsl show {self.name}' to list its ops"
            ) from None

    def resolve_ops(self, names: Iterable[str] | str | None) -> tuple[Op, ...]:
        """Turn an op-set name, a list of op names, or None (the default set) into ops."""
        if names is None:
            names = self.default_op_set
        if isinstance(names, str):
            if names in self.op_sets:
                names = self.op_sets[names]
            else:
                names = [n.strip() for n in names.split(",") if n.strip()]
        out: dict[str, Op] = {}
        for n in names:
            if n in self.op_sets:
                for m in self.op_sets[n]:
                    out[m] = self.ops[m]
            else:
                out[n] = self.op(n)
        return tuple(out.values())

    # -- values ------------------------------------------------------------------------------
    def type_of(self, value: Any) -> str:
        """The domain type of a Python value from a task file."""
        raise NotImplementedError

    def value_ok(self, type_: str, values: Sequence[Any], limits: "ValueLimits") -> bool:
        """Whether a value (one entry per example) may be kept by the search."""
        return True

    def constants(self, examples: Sequence, extra: Sequence = ()) -> list[Const]:
        """The constants a search may use for a task with these examples."""
        return [Const(v, self.type_of(v)) for v in extra]

    # -- evaluation --------------------------------------------------------------------------
    def evaluate(self, node: Node, env: Mapping[str, Any]) -> Any:
        """Run a node on one input with the reference semantics; ERROR (None) on failure."""
        if isinstance(node, Var):
            return env[node.name]
        if isinstance(node, Const):
            return node.value
        op = self.op(node.op)
        if op.lazy:
            test = self.evaluate(node.args[0], env)
            if test is ERROR:
                return ERROR
            return self.evaluate(node.args[1] if test else node.args[2], env)
        args = []
        for a in node.args:
            v = self.evaluate(a, env)
            if v is ERROR:
                return ERROR
            args.append(v)
        return op.fn(*args)

    # -- text --------------------------------------------------------------------------------
    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> "Program":
        raise NotImplementedError

    def format(self, node: Node) -> str:
        raise NotImplementedError

    def grammar_text(self) -> str:
        with open(self.grammar_file, encoding="utf-8") as f:
            return f.read()

    def format_value(self, value: Any) -> str:
        return repr(value)

    def renderings(self, program: "Program") -> dict[str, Callable[[], str]]:
        """The other forms of a program of this domain, by name, each as a function that makes
        its text (called on first use: ``synth.result.Renderings``): ``"python"``
        (``Program.to_python``) for every domain; a domain may add its own."""
        return {"python": program.to_python}

    def __repr__(self) -> str:
        return f"<Domain {self.name}>"


@dataclass(frozen=True)
class ValueLimits:
    """Caps that keep the search's values small (BUSTLE drops strings of 99+ chars, |ints| >= 100)."""

    max_string_len: int = 99
    max_abs_int: int = 100
    max_list_len: int = 20


@dataclass(frozen=True)
class Program:
    """A program of a domain. ``str(p)`` is its DSL text; ``p(**inputs)`` runs it."""

    node: Node
    domain: Domain = field(compare=False)

    def __str__(self) -> str:
        return self.domain.format(self.node)

    def __repr__(self) -> str:
        return f"Program({str(self)!r}, domain={self.domain.name!r})"

    @property
    def size(self) -> int:
        return node_size(self.node)

    @property
    def inputs(self) -> list[str]:
        return node_vars(self.node)

    def __call__(self, **inputs: Any) -> Any:
        missing = [v for v in self.inputs if v not in inputs]
        if missing:
            raise EvaluationError(f"missing input(s) {', '.join(missing)} for program {self}")
        out = self.domain.evaluate(self.node, inputs)
        if out is ERROR:
            raise EvaluationError(f"program {self} is undefined on input {dict(inputs)!r}")
        return out

    def run(self, inputs: Mapping[str, Any]) -> Any:
        """Like calling the program, but returns None (not an exception) where it is undefined."""
        return self.domain.evaluate(self.node, inputs)

    def to_python(self, func_name: str | None = None) -> str:
        """Source of a standalone Python function equivalent to this program: it imports nothing
        from synth, takes the program's inputs as parameters (in ``self.inputs`` order) and raises
        where the DSL is undefined (ValueError, or ZeroDivisionError for lia's ``%``).

        The domain's renderer (``PYTHON_RENDERERS``) writes it; ``func_name`` defaults to the
        renderer's name for it ("program"; "matches" for regex, "invariant" for lia)."""
        return python_renderer(self.domain)(self.domain, self.node, func_name)


# ----------------------------------------------------------------------------------------------
# Program.to_python: one renderer per domain, each deriving the emitted code from the domain's
# reference semantics (copied op functions) or from documented per-op Python templates (checked
# against the reference interpreter by property tests in tests/test_to_python.py).

#: domain name -> "module:function" of its renderer, called as ``function(domain, node,
#: func_name)`` and returning Python source; domains not listed use ``op_functions_source``
PYTHON_RENDERERS: dict[str, str] = {
    "deepcoder": "synth.dsl.deepcoder.pysource:python_source",
    "regex": "synth.dsl.regex.pysource:python_source",
    "lia": "synth.dsl.lia.syntax:python_source",
}


def python_renderer(domain: Domain) -> Callable[[Domain, Node, str | None], str]:
    """The renderer behind ``Program.to_python`` for a domain (imported on first use)."""
    target = PYTHON_RENDERERS.get(domain.name)
    if target is None:
        return op_functions_source
    import importlib

    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def python_name(name: str, taken: set[str]) -> str:
    """``name`` as a Python variable: itself when it is an identifier, not a keyword and not in
    ``taken``, else a mangled form that is none of these. The result is added to ``taken``."""
    import keyword

    out = name
    if not (out.isidentifier() and not keyword.iskeyword(out)):
        out = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "_"
        if out[0].isdigit() or keyword.iskeyword(out):
            out = "_" + out
    base, k = out, 1
    while out in taken:
        k += 1
        out = f"{base}_{k}"
    taken.add(out)
    return out


def function_source(fn: Callable[..., Any], name: str | None = None) -> str:
    """The source of a self-contained module-level function, dedented, renamed to ``name``,
    without its annotations (they may name types the generated code does not import)."""
    import ast

    src = textwrap.dedent(inspect.getsource(fn)).rstrip()
    fdef = ast.parse(src).body[0]
    lines = src.encode().split(b"\n")  # ast offsets count UTF-8 bytes
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    raw = b"\n".join(lines)

    def at(lineno: int, col: int) -> int:
        return starts[lineno - 1] + col

    cuts = []
    args = fdef.args
    for a in args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]:
        if a.annotation is not None:  # "name: T" -> "name", "name: T = v" -> "name=v"
            hi = at(a.annotation.end_lineno, a.annotation.end_col_offset)
            eq = raw[hi:hi + 3] == b" = "
            cuts.append((at(a.lineno, a.col_offset) + len(a.arg.encode()), hi + 3 * eq, b"=" * eq))
    if fdef.returns is not None:  # ") -> T:" -> "):"
        arrow = raw.rindex(b"->", 0, at(fdef.returns.lineno, fdef.returns.col_offset))
        while raw[arrow - 1:arrow] == b" ":
            arrow -= 1
        cuts.append((arrow, at(fdef.returns.end_lineno, fdef.returns.end_col_offset), b""))
    for lo, hi, new in sorted(cuts, reverse=True):
        raw = raw[:lo] + new + raw[hi:]
    src = raw.decode()
    if name is not None and name != fn.__name__:
        src = src.replace(f"def {fn.__name__}(", f"def {name}(", 1)
    return src


def op_functions_source(domain: Domain, node: Node, func_name: str | None = None) -> str:
    """The default renderer (strings, robustfill): each op's reference function copied verbatim,
    and one function applying them in order, raising ValueError where an op returns ERROR."""
    func_name = func_name or "program"
    ops = node_ops(node)
    defs = []
    names: dict[str, str] = {}
    helpers_done: set[str] = set()
    for i, name in enumerate(ops):
        pyname = f"_op{i}_{''.join(c if c.isalnum() else '_' for c in name)}"
        names[name] = pyname
        for helper in domain.op(name).helpers:  # shared helpers keep their own names, once
            if helper.__name__ not in helpers_done:
                helpers_done.add(helper.__name__)
                defs.append(function_source(helper))
        defs.append(function_source(domain.op(name).fn, pyname))
    taken = set(names.values()) | helpers_done | {func_name}
    params = {v: python_name(v, taken) for v in node_vars(node)}
    lines: list[str] = []
    counter = [0]

    def emit(n: Node, ind: str = "    ") -> str:
        if isinstance(n, Var):
            return params[n.name]
        if isinstance(n, Const):
            return repr(n.value)
        counter[0] += 1
        t = f"t{counter[0]}"
        if domain.op(n.op).lazy:  # the test, then only the branch it picks
            test = emit(n.args[0], ind)
            lines.append(f"{ind}if {test}:")
            lines.append(f"{ind}    {t} = {emit(n.args[1], ind + '    ')}")
            lines.append(f"{ind}else:")
            lines.append(f"{ind}    {t} = {emit(n.args[2], ind + '    ')}")
            return t
        args = [emit(a, ind) for a in n.args]
        lines.append(f"{ind}{t} = {names[n.op]}({', '.join(args)})")
        lines.append(f"{ind}if {t} is None:")
        lines.append(f"{ind}    raise ValueError({repr(n.op + ' is undefined on these arguments')})")
        return t

    result = emit(node)
    body = "\n".join(lines + [f"    return {result}"])
    doc = f"    # synthesized by synth ({domain.name}): {domain.format(node)!r}"
    header = f"def {func_name}({', '.join(params.values())}):"
    return "\n\n\n".join(defs + [header + "\n" + doc + "\n" + body]) + "\n"
