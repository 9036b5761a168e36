"""The DSL framework: ops with one reference semantics, immutable program ASTs, and the Domain facade.

A domain bundles a Lark grammar for its program text, its types, its ops and its constant policy.
Search code never parses: it builds AST nodes directly and evaluates ops through ``Op.fn``.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

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
        args = []
        for a in node.args:
            v = self.evaluate(a, env)
            if v is ERROR:
                return ERROR
            args.append(v)
        return self.op(node.op).fn(*args)

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

    def to_python(self, func_name: str = "program") -> str:
        """Source of a standalone Python function equivalent to this program.

        The op implementations are the domain's reference functions, copied verbatim, so the
        function behaves exactly like the DSL (raising ValueError where the DSL errors).
        """
        ops = node_ops(self.node)
        defs = []
        names: dict[str, str] = {}
        for i, name in enumerate(ops):
            fn = self.domain.op(name).fn
            pyname = f"_op{i}_{''.join(c if c.isalnum() else '_' for c in name)}"
            names[name] = pyname
            src = textwrap.dedent(inspect.getsource(fn))
            src = src.replace(f"def {fn.__name__}(", f"def {pyname}(", 1)
            defs.append(src.rstrip())
        params = self.inputs
        lines: list[str] = []
        counter = [0]

        def emit(n: Node) -> str:
            if isinstance(n, Var):
                return n.name
            if isinstance(n, Const):
                return repr(n.value)
            args = [emit(a) for a in n.args]
            counter[0] += 1
            t = f"t{counter[0]}"
            lines.append(f"    {t} = {names[n.op]}({', '.join(args)})")
            lines.append(f"    if {t} is None:")
            lines.append(f"        raise ValueError({repr(n.op + ' is undefined on these arguments')})")
            return t

        result = emit(self.node)
        body = "\n".join(lines + [f"    return {result}"])
        doc = f"    # synthesized by synth ({self.domain.name}): {str(self)!r}"
        header = f"def {func_name}({', '.join(params)}):"
        return "\n\n\n".join(defs + [header + "\n" + doc + "\n" + body]) + "\n"
