"""Random RobustFill problems as ExeDec samples them, sample-and-reject.

Inputs come from random "tokens" (delimiters and typed character runs) shuffled per example;
expressions are drawn from op pools with arguments the inputs make plausible, and every
expression must give a non-empty output on every example. The split definitions are in
``synth.exedec.splits``.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Callable, Sequence

from synth.dsl.base import Apply, Const, Node, Var
from synth.dsl.robustfill import DOMAIN, const_node
from synth.dsl.robustfill.ops import (BOUNDARIES, CASES, CHARACTER, DELIMITER, INDICES, TYPE_PATTERNS)

NUM_EXAMPLES = 4
MAX_INPUT_LENGTH = 20
MAX_INPUT_TOKENS = 5
MAX_K = 3
TYPES = tuple(TYPE_PATTERNS)
SUBSTRING = ("SubStr", "GetSpan", "GetToken", "GetUpto", "GetFrom")
MODIFICATION = ("ToCase", "Replace", "Trim", "GetFirst", "GetAll", "Substitute", "SubstituteAll",
                "Remove", "RemoveAll")
#: a pool entry: an op name, or ("Compose", inner kind) with inner kind "mod" or "substr"
COMPOSE_MOD = ("Compose", "mod")
COMPOSE_SUBSTR = ("Compose", "substr")
#: pools: the sampler picks a top-level entry uniformly, then uniformly inside it
POOLS: dict[str, list] = {
    "ALL": [list(SUBSTRING), list(MODIFICATION), [COMPOSE_MOD, COMPOSE_SUBSTR], ["ConstStr"]],
    "NO_COMPOSE": [list(SUBSTRING), list(MODIFICATION), ["ConstStr"]],
    "NO_COMPOSE_SUBSTRING": [list(SUBSTRING), list(MODIFICATION), [COMPOSE_MOD], ["ConstStr"]],
    "ONLY_COMPOSE": [[COMPOSE_MOD, COMPOSE_SUBSTR]],
    "MODIFY_OR_CONST": [list(MODIFICATION) + ["ConstStr"]],
    "SUBSTRING": [list(SUBSTRING)],
}
_CLASS_CHARS = {
    "NUMBER": string.digits, "DIGIT": string.digits,
    "WORD": string.ascii_letters, "ALPHANUM": string.ascii_letters + string.digits,
    "CHAR": string.ascii_letters + string.digits, "ALL_CAPS": string.ascii_uppercase,
    "LOWER": string.ascii_lowercase,
}
#: attempts at one expression before the sampler gives up on the program
_TRIES = 50


class SampleError(Exception):
    """No valid expression was found for these inputs (the caller draws new ones)."""


@dataclass
class Sample:
    """One generated problem: inputs, outputs and the program that maps them."""

    inputs: list
    outputs: list
    program: object  # synth.dsl.base.Program

    def to_record(self) -> dict:
        from synth.exedec.robustfill_tokens import encode_program
        return {"inputs": self.inputs, "outputs": self.outputs, "program": str(self.program),
                "exedec_program": encode_program(self.program)}


# ------------------------------------------------------------------------------ inputs

def _typed_run(rng: random.Random, t: str) -> str:
    if t == "PROP_CASE":
        return rng.choice(string.ascii_uppercase) + "".join(
            rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 3)))
    return "".join(rng.choice(_CLASS_CHARS[t]) for _ in range(rng.randint(1, 4)))


def random_inputs(rng: random.Random, num_examples: int = NUM_EXAMPLES) -> list[str]:
    """ExeDec's input distribution: 3-5 tokens, each a delimiter repeated k times or k typed
    runs (a delimiter then 1-4 characters of the type), shuffled per example, cut at 20."""
    pieces: list[list[str]] = [[] for _ in range(num_examples)]
    for _ in range(rng.randint(3, MAX_INPUT_TOKENS)):
        k = rng.randint(1, MAX_K)
        if rng.random() < 1 / 3:
            d = rng.choice(DELIMITER)
            for p in pieces:
                p.extend([d] * k)
        else:
            t = rng.choice(TYPES)
            for p in pieces:
                p.extend(rng.choice(DELIMITER) + _typed_run(rng, t) for _ in range(k))
        if max(sum(map(len, p)) for p in pieces) >= MAX_INPUT_LENGTH:
            break
    out = []
    for p in pieces:
        rng.shuffle(p)
        out.append("".join(p)[:MAX_INPUT_LENGTH])
    return out


# ------------------------------------------------------------------------- expressions

class ExpressionSampler:
    """Draws one expression at a time for a fixed set of example inputs."""

    def __init__(self, rng: random.Random, inputs: Sequence[str], var: Var):
        self.rng = rng
        self.inputs = list(inputs)
        self.var = var

    # counts of delimiters and type matches present in every one of the strings
    @staticmethod
    def _counts(strings: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
        import re
        delims = {d: min(s.count(d) for s in strings) for d in DELIMITER}
        delims = {d: c for d, c in delims.items() if c > 0}
        types = {t: min(len(re.findall(p, s)) for s in strings) for t, p in TYPE_PATTERNS.items()}
        types = {t: c for t, c in types.items() if c > 0}
        return delims, types

    def _index(self, count: int) -> int:
        return self.rng.choice([i for i in INDICES if abs(i) <= max(1, count)])

    def _regex(self, delims: dict, types: dict, delim_first: float = 0.5) -> tuple[str, int] | None:
        """(regex name, its count): a delimiter with probability ``delim_first`` if any."""
        if delims and (not types or self.rng.random() < delim_first):
            d = self.rng.choice(sorted(delims))
            return d, delims[d]
        if types:
            t = self.rng.choice(sorted(types))
            return t, types[t]
        return None

    def _own_args(self, op: str, strings: Sequence[str]) -> tuple | None:
        """The op's arguments other than its string, drawn for these strings (None: no choice)."""
        rng = self.rng
        delims, types = self._counts(strings)
        if op == "SubStr":
            L = min(len(s) for s in strings)
            p1 = rng.randint(-L + 1, L)
            p2 = rng.randint(p1, L) if p1 > 0 else rng.randint(p1, 0)
            return Const(p1, "Position"), Const(p2, "Position")
        if op == "GetSpan":
            ends = []
            for _ in range(2):
                r = self._regex(delims, types)
                if r is None:
                    return None
                ends.append((const_node("Regex", r[0]), Const(self._index(r[1]), "Index"),
                             Const(rng.choice(BOUNDARIES), "Boundary")))
            return ends[0] + ends[1]
        if op in ("GetUpto", "GetFrom"):
            r = self._regex(delims, types)
            return None if r is None else (const_node("Regex", r[0]),)
        if op == "ToCase":
            return (Const(rng.choice(CASES), "Case"),)
        if op == "Replace":
            if not delims:
                return None
            return Const(rng.choice(sorted(delims)), "Delim"), Const(rng.choice(DELIMITER), "Delim")
        if op == "Trim":
            return ()
        if not types:
            return None
        t = rng.choice(sorted(types))
        ty = const_node("Type", t)
        if op in ("GetToken", "GetFirst", "Remove"):
            return ty, Const(self._index(types[t]), "Index")
        if op in ("GetAll", "RemoveAll"):
            return (ty,)
        if op == "Substitute":
            return ty, Const(self._index(types[t]), "Index"), Const(rng.choice(CHARACTER), "Char")
        if op == "SubstituteAll":
            return ty, Const(rng.choice(CHARACTER), "Char")
        raise ValueError(f"unknown op {op}")

    def _outputs(self, node: Node) -> list[str]:
        return [DOMAIN.evaluate(node, {self.var.name: s}) for s in self.inputs]

    def simple(self, op: str, over: Node | None = None) -> Node:
        """One expression of ``op`` over the input (or over ``over``), non-empty everywhere."""
        if op == "ConstStr":
            return Apply("ConstStr", (Const(self.rng.choice(CHARACTER), "Char"),))
        arg = over if over is not None else self.var
        strings = self.inputs if over is None else self._outputs(over)
        for _ in range(_TRIES):
            own = self._own_args(op, strings)
            if own is None:
                raise SampleError(f"no arguments for {op}")
            node = Apply(op, tuple(own) + (arg,))
            if all(self._outputs(node)):
                return node
        raise SampleError(f"{op} gave an empty output {_TRIES} times")

    def compose(self, inner_kind: str) -> Node:
        """Compose(modification, modification or substring op), non-empty everywhere."""
        for _ in range(_TRIES):
            inner_op = self.rng.choice(MODIFICATION if inner_kind == "mod" else SUBSTRING)
            outer_op = self.rng.choice(MODIFICATION)
            try:
                inner = self.simple(inner_op)
                return self.simple(outer_op, over=inner)
            except SampleError:
                continue
        raise SampleError("no non-empty Compose")

    def from_pool(self, pool: str) -> Node:
        for _ in range(_TRIES):
            entry = self.rng.choice(self.rng.choice(POOLS[pool]))
            try:
                if isinstance(entry, tuple):
                    return self.compose(entry[1])
                return self.simple(entry)
            except SampleError:
                continue
        raise SampleError(f"nothing from pool {pool}")


def sample_program(rng: random.Random, inputs: Sequence[str], pools: Sequence[str],
                   var: Var = Var("x", "String")) -> Sample:
    """A program with one expression per entry of ``pools`` (each entry names the pool)."""
    sampler = ExpressionSampler(rng, inputs, var)
    exprs = tuple(sampler.from_pool(p) for p in pools)
    from synth.dsl.base import Program
    program = Program(Apply("Concat", exprs), DOMAIN)
    outputs = [program(**{var.name: s}) for s in inputs]
    return Sample(list(inputs), outputs, program)


def sample(rng: random.Random, choose_pools: Callable[[random.Random], list[str]],
           accept: Callable[[Sample], bool] = lambda s: True, max_tries: int = 1000) -> Sample:
    """Draw inputs and a program (pools from ``choose_pools``) until ``accept`` holds."""
    for _ in range(max_tries):
        inputs = random_inputs(rng)
        try:
            s = sample_program(rng, inputs, choose_pools(rng))
        except SampleError:
            continue
        if accept(s):
            return s
    raise RuntimeError(f"no acceptable RobustFill program in {max_tries} tries")
