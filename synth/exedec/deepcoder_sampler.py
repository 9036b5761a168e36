"""Random DeepCoder problems as ExeDec samples them, sample-and-reject.

ExeDec enumerates programs by a randomized search and de-duplicates across splits; this sampler
draws statements at random instead, with the same input distribution and the same validity
checks: every statement runs on every example within [-50, 50] and is not redundant (its value
is new), a program has no dead code, and its outputs differ between examples. The usage rule
is kept too: with two unused variables the next statement must use one, and the last
statement uses every unused non-input variable. The split definitions are in
``synth.exedec.splits``. (ExeDec's cross-split de-duplication is not done.)
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Sequence

from synth.dsl.base import Const, Program, Var
from synth.dsl.deepcoder import DOMAIN, Ref, Statement, program_node, statements_of, value_type
from synth.dsl.deepcoder.ops import LAMBDAS_OF_KIND, OPS

NUM_EXAMPLES = 3
VALUE_RANGES = ((0, 4), (0, 9), (-10, 10), (-50, 50))
LENGTH_RANGES = ((1, 3), (0, 5))
_TRIES = 60


@dataclass
class Sample:
    """One generated problem: inputs (one dict per example), outputs and the program."""

    inputs: list[dict]
    outputs: list
    program: Program

    def to_record(self) -> dict:
        from synth.exedec.deepcoder_text import format_state, format_value
        return {"inputs": [format_state(i) for i in self.inputs],
                "outputs": [format_value(o) for o in self.outputs], "program": str(self.program)}


def random_inputs(rng: random.Random, num_examples: int = NUM_EXAMPLES) -> list[dict]:
    """1-2 inputs, at least one a list; a second is an int in [0, 5] or a list (50/50). Each
    list input has its own value range and length range; the examples' inputs differ."""
    kinds = ["List"] if rng.randint(1, 2) == 1 else ["List", rng.choice(["Int", "List"])]
    rng.shuffle(kinds)
    specs = [(rng.choice(VALUE_RANGES), rng.choice(LENGTH_RANGES)) for _ in kinds]
    while True:
        examples = []
        for _ in range(num_examples):
            ex = {}
            for i, (kind, (vr, lr)) in enumerate(zip(kinds, specs)):
                if kind == "Int":
                    ex[f"x{i}"] = rng.randint(0, 5)
                else:
                    ex[f"x{i}"] = [rng.randint(*vr) for _ in range(rng.randint(*lr))]
            examples.append(ex)
        keys = {repr(e) for e in examples}
        if len(keys) == num_examples:
            return examples


def statement_choices(op_name: str, var_types: dict[str, str]) -> list[tuple]:
    """Every (lambda or None, argument names) for an op over the variables so far."""
    op = OPS[op_name]
    kinds = op.arg_types
    lambdas = [None]
    if kinds[0] in LAMBDAS_OF_KIND:
        lambdas = list(LAMBDAS_OF_KIND[kinds[0]])
        kinds = kinds[1:]
    pools = [[v for v, t in var_types.items() if t == k] for k in kinds]
    if any(not p for p in pools):
        return []
    out = []
    from itertools import product
    for lam in lambdas:
        for args in product(*pools):
            out.append((lam, args))
    return out


def sample_program(rng: random.Random, inputs: list[dict], op_pools: Sequence[Sequence[str]]) -> Sample | None:
    """A program whose i-th statement's op comes from ``op_pools[i]``, or None (dead end)."""
    names = list(inputs[0])
    state = [dict(ex) for ex in inputs]
    var_types = {n: value_type(inputs[0][n]) for n in names}
    unused: list[str] = []  # non-input variables not used yet
    statements: list[Statement] = []
    n = len(op_pools)
    for pos, pool in enumerate(op_pools):
        last = pos == n - 1
        by_op: dict[str, list] = {}
        for op_name in pool:
            for lam, args in statement_choices(op_name, var_types):
                if last and not set(unused) <= set(args):
                    continue
                if len(unused) >= 2 and not set(unused) & set(args):
                    continue
                by_op.setdefault(op_name, []).append((lam, args))
        ops_order = list(by_op)
        rng.shuffle(ops_order)  # the op first, uniformly; then its lambda and arguments
        chosen = None
        for op_name in ops_order:
            options = by_op[op_name]
            rng.shuffle(options)
            op = OPS[op_name]
            for lam, args in options[:_TRIES]:
                vals = []
                for ex in state:
                    argv = ([lam] if lam is not None else []) + [ex[a] for a in args]
                    v = op.fn(*argv)
                    if v is None:
                        break
                    vals.append(v)
                else:
                    redundant = any(all(ex[v] == val for ex, val in zip(state, vals)) for v in var_types)
                    if not redundant:
                        chosen = (op_name, lam, args, vals)
                        break
            if chosen is not None:
                break
        if chosen is None:
            return None
        op_name, lam, args, vals = chosen
        target = f"x{len(var_types)}"
        parts = ([Const(lam, lam.kind)] if lam is not None else []) + [Ref(a, var_types[a]) for a in args]
        statements.append(Statement(op_name, tuple(parts), target, OPS[op_name].ret_type))
        for ex, v in zip(state, vals):
            ex[target] = v
        var_types[target] = OPS[op_name].ret_type
        unused = [u for u in unused if u not in args] + [target]
    program = Program(program_node([Var(v, var_types[v]) for v in names], statements), DOMAIN)
    outputs = [ex[statements[-1].target] for ex in state]
    if not valid(program, outputs):
        return None
    return Sample(inputs, outputs, program)


def valid(program: Program, outputs: list) -> bool:
    """ExeDec's program checks: no dead code, and the examples' outputs are all different."""
    sts = statements_of(program.node)
    used = {a.name for st in sts for a in st.args if isinstance(a, Ref)}
    if any(st.target not in used for st in sts[:-1]):
        return False
    keys = [repr(o) for o in outputs]
    return len(set(keys)) == len(keys)


def sample(rng: random.Random, choose_pools: Callable[[random.Random], list[Sequence[str]]],
           accept: Callable[[Sample], bool] = lambda s: True, max_tries: int = 5000) -> Sample:
    """Draw inputs and a program (op pools per statement from ``choose_pools``) until ``accept``."""
    for _ in range(max_tries):
        inputs = random_inputs(rng)
        s = sample_program(rng, inputs, choose_pools(rng))
        if s is not None and accept(s):
            return s
    raise RuntimeError(f"no acceptable DeepCoder program in {max_tries} tries")
