"""The ``deepcoder`` domain: ExeDec's DeepCoder DSL of straight-line integer-list programs.

A program is ``x0 = INPUT | x1 = INPUT | x2 = Map (*2) x0 | x3 = Sum x2``. Its AST is an
``Apply("Program", ...)`` whose arguments are the inputs (``Var``) and then the statements; a
``Statement`` is an ``Apply`` of an op to its lambda (a ``Const``) and ``Ref``s to earlier
variables, and it names the variable it defines. So ``Program`` works unchanged: its inputs are
the declared ones, its size counts the nodes, and the domain's ``evaluate`` runs the statements.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping, Sequence

from lark import Lark
from lark.exceptions import LarkError

from synth.dsl.base import ERROR, Apply, Const, Domain, Node, Program, Var
from synth.dsl.deepcoder import ops as _ops
from synth.dsl.deepcoder.ops import LAMBDA_BY_TEXT, MAX_INT, MIN_INT, Lambda
from synth.errors import EvaluationError, InvalidTask, ProgramSyntaxError, UnknownOp

PROGRAM = "Program"


@dataclass(frozen=True, slots=True)
class Ref:
    """A statement argument: the variable (an input or an earlier statement) it reads."""

    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Statement(Apply):
    """``target = op [lambda] args...``: an op application that defines variable ``target``."""

    target: str = ""
    type: str = ""


def program_node(inputs: Sequence[Var], statements: Sequence[Statement]) -> Apply:
    return Apply(PROGRAM, tuple(inputs) + tuple(statements))


def inputs_of(node: Apply) -> list[Var]:
    return [a for a in node.args if isinstance(a, Var)]


def statements_of(node: Apply) -> list[Statement]:
    return [a for a in node.args if isinstance(a, Statement)]


def program_length(node: Apply) -> int:
    """Number of statements other than the INPUT declarations (ExeDec's program length)."""
    return len(statements_of(node))


def value_type(value: Any) -> str | None:
    if type(value) is int:
        return "Int"
    if type(value) in (list, tuple) and all(type(x) is int for x in value):
        return "List"
    return None


class _Bad(Exception):
    pass


class DeepCoderDomain(Domain):
    name = "deepcoder"
    description = ("ExeDec's DeepCoder DSL: straight-line programs over ints and int lists "
                   "(values in [-50, 50]), 15 ops, 19 lambdas")
    types = ("Int", "List", "Fn1", "Pred", "Fn2")
    ops = _ops.OPS
    op_sets = {"all": tuple(_ops.OPS), "first_order_and_map": _ops.GROUP_A,
               "higher_order_no_map": _ops.GROUP_B}
    default_op_set = "all"
    grammar_file = str(Path(__file__).with_name("grammar.lark"))
    #: the symbolic search alone solved the most of all 6000 ExeDec test problems; exedec-hybrid
    #: (half the time each) led on the first 100 per split only (benchmarks/RESULTS.md section 5)

    # -- values ----------------------------------------------------------------------------
    def type_of(self, value: Any) -> str:
        t = value_type(value)
        if t is None:
            raise TypeError(f"the deepcoder domain has ints and lists of ints, got "
                            f"{type(value).__name__} {value!r}")
        return t

    def check_task(self, task) -> None:
        """Inputs and outputs are ints or int lists in ExeDec's range [-50, 50] (``MIN_INT``,
        ``MAX_INT``: the interpreter rejects any other value, so no program could produce or
        read one); at most 9 inputs (10 variables in all); no constants (the DSL has none)."""
        from synth.dsl.values import check_limits, describe_value, iter_values

        where = task.where
        if len(task.input_names) >= _ops.MAX_VARIABLES:
            raise InvalidTask(f"{where}a deepcoder program has at most {_ops.MAX_VARIABLES} variables, "
                              f"so fewer than that many inputs; this task has {len(task.input_names)}")
        for field, v in iter_values(task):
            if value_type(v) is None:
                raise InvalidTask(f"{where}{field}: deepcoder values are integers or lists of "
                                  f"integers, got {describe_value(v)}")
            check_limits(task, field, v)
            bad = [x for x in (v if isinstance(v, (list, tuple)) else [v]) if not MIN_INT <= x <= MAX_INT]
            if bad:
                raise InvalidTask(f"{where}{field}: {describe_value(bad[0])} is outside the deepcoder "
                                  f"range [{MIN_INT}, {MAX_INT}] (ExeDec's DeepCoder DSL); every "
                                  f"integer and list item must be in it")
        if task.constants:
            raise InvalidTask(f"{where}'constants': the deepcoder DSL has no constants; remove them")

    def value_ok(self, type_, values, limits) -> bool:
        return all(_ops.in_range(list(v) if type(v) is tuple else v) for v in values)

    # -- evaluation --------------------------------------------------------------------------
    def evaluate(self, node: Node, env: Mapping[str, Any]) -> Any:
        if isinstance(node, Var):
            if node.name not in env:
                raise EvaluationError(f"missing input {node.name!r}")
            return env[node.name]
        if isinstance(node, Const):
            return node.value
        if node.op != PROGRAM:
            raise EvaluationError("a deepcoder statement runs only inside its program")
        state: dict[str, Any] = {}
        value: Any = ERROR
        for a in node.args:
            if isinstance(a, Var):
                if a.name not in env:
                    raise EvaluationError(f"missing input {a.name!r} for program {self.format(node)}")
                value = state[a.name] = env[a.name]
                continue
            value = self.run_statement(a, state)
            if value is ERROR:
                return ERROR
            state[a.target] = value
        return value

    def run_statement(self, st: Statement, state: Mapping[str, Any]) -> Any:
        """One statement on the variables so far; ERROR on a type error or a failed op."""
        op = self.ops[st.op]
        args = []
        for a, t in zip(st.args, op.arg_types):
            v = a.value if isinstance(a, Const) else state[a.name]
            if t in ("Int", "List") and value_type(v) != t:
                return ERROR
            args.append(v)
        return op.fn(*args)

    # -- text --------------------------------------------------------------------------------
    @cached_property
    def _parser(self) -> Lark:
        return Lark(self.grammar_text(), parser="lalr")

    def parse(self, text: str, var_types: Mapping[str, str] | None = None) -> Program:
        try:
            tree = self._parser.parse(text)
        except LarkError as e:
            msg = str(e).strip().splitlines()[0]
            raise ProgramSyntaxError(f"cannot parse deepcoder program {text!r}: {msg}") from None
        try:
            node = self._build(tree, dict(var_types or {}))
        except _Bad as e:
            raise ProgramSyntaxError(f"ill-formed deepcoder program {text!r}: {e}") from None
        return Program(node, self)

    def _build(self, tree, var_types: dict[str, str]) -> Apply:
        # types[name] is the variable's type, or None for an input nothing has used yet
        types: dict[str, str | None] = {}
        inputs: list[str] = []
        raw: list[tuple[str, str, Any, list[str]]] = []
        for st in tree.children:
            target, head, *rest = st.children
            target, head = str(target), str(head)
            lam = rest[0] if rest and rest[0] is not None else None
            args = [str(a) for a in rest[1:]]
            if target in types:
                raise _Bad(f"variable {target} is assigned twice")
            if head == "INPUT":
                if lam is not None or args:
                    raise _Bad(f"{target} = INPUT takes no arguments")
                if raw:
                    raise _Bad(f"input {target} is declared after a statement")
                types[target] = var_types.get(target)
                inputs.append(target)
                continue
            op = self.ops.get(head)
            if op is None:
                raise UnknownOp(f"unknown op {head!r} in domain 'deepcoder'; run 'synth dsl show "
                                f"deepcoder' to list its ops")
            fn_kind = op.arg_types[0] if op.arg_types[0] in LAMBDA_KINDS else None
            data_types = op.arg_types[1:] if fn_kind else op.arg_types
            if fn_kind and lam is None:
                raise _Bad(f"{head} needs a lambda first")
            if not fn_kind and lam is not None:
                raise _Bad(f"{head} takes no lambda")
            if fn_kind and LAMBDA_BY_TEXT[str(lam)].kind != fn_kind:
                raise _Bad(f"{head} needs {LAMBDA_KIND_TEXT[fn_kind]} lambda, not {lam}")
            if len(args) != len(data_types):
                raise _Bad(f"{head} takes {len(data_types)} variable argument"
                           f"{'s' if len(data_types) != 1 else ''}, got {len(args)}")
            for a, t in zip(args, data_types):
                if a not in types:
                    raise _Bad(f"{a} is used before it is assigned")
                if types[a] is None:
                    types[a] = t
                elif types[a] != t:
                    raise _Bad(f"{head} needs {t} {a}, but {a} is {types[a]}")
            types[target] = op.ret_type
            raw.append((target, head, lam, args))
        if not raw:
            raise _Bad("a program needs at least one statement besides its inputs")
        in_nodes = [Var(n, types[n] or var_types.get(n) or "Int|List") for n in inputs]
        statements = []
        for target, head, lam, args in raw:
            parts: list[Any] = [Const(LAMBDA_BY_TEXT[str(lam)], LAMBDA_BY_TEXT[str(lam)].kind)] if lam else []
            parts += [Ref(a, types[a]) for a in args]
            statements.append(Statement(head, tuple(parts), target, self.ops[head].ret_type))
        return program_node(in_nodes, statements)

    def format(self, node: Node) -> str:
        if isinstance(node, Var):
            return node.name
        if isinstance(node, Const):
            return str(node.value)
        if isinstance(node, Statement):
            return " ".join([f"{node.target} = {node.op}"] +
                            [str(a.value) if isinstance(a, Const) else a.name for a in node.args])
        if isinstance(node, Apply) and node.op == PROGRAM:
            return " | ".join(f"{a.name} = INPUT" if isinstance(a, Var) else self.format(a)
                              for a in node.args)
        raise TypeError(f"not a deepcoder node: {node!r}")

    def format_value(self, value: Any) -> str:
        """ExeDec's value text: ``[ 1 -2 3 ]`` or ``7``."""
        if isinstance(value, (list, tuple)):
            return "[ " + "".join(f"{x} " for x in value) + "]"
        return str(value)


LAMBDA_KINDS = ("Fn1", "Pred", "Fn2")
LAMBDA_KIND_TEXT = {"Fn1": "an int -> int", "Pred": "an int -> bool", "Fn2": "an (int, int) -> int"}

DOMAIN = DeepCoderDomain()

__all__ = ["DOMAIN", "DeepCoderDomain", "Lambda", "Ref", "Statement", "PROGRAM", "program_node",
           "inputs_of", "statements_of", "program_length", "value_type", "MIN_INT", "MAX_INT"]
