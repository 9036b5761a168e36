"""Other fits one edit away (``alternatives``), and the question that tells them apart
(``question``), for DeepCoder programs.

Observational equivalence keeps one program per behaviour on the examples, so the search never
reports a second fit. Here the found program's statements are edited one at a time (another op
of the same signature, another lambda of the same kind, another earlier variable of the same
type); the edits that still fit every example but differ on some generated input are other
fits, and the shortest input where one differs is the question worth asking (issue 21).
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Any, Iterator, Sequence

from synth.dsl.base import ERROR, Apply, Const, Domain, Node, Var

#: the most edited programs tried, and generated inputs they are compared on
MAX_EDITS = 400
N_INPUTS = 40


def _edits(node: Apply, domain: Domain) -> Iterator[Node]:
    from synth.dsl.deepcoder import Ref, Statement
    from synth.dsl.deepcoder.ops import LAMBDAS_OF_KIND

    args = list(node.args)
    for i, st in enumerate(args):
        if not isinstance(st, Statement):
            continue
        op = domain.ops[st.op]
        defined = [(a.name, a.type) if isinstance(a, Var) else (a.target, a.type) for a in args[:i]]
        for other in domain.ops.values():  # another op of the same signature
            if other.name != op.name and other.arg_types == op.arg_types and other.ret_type == op.ret_type:
                yield Apply(node.op, tuple(args[:i] + [replace(st, op=other.name)] + args[i + 1:]))
        for j, a in enumerate(st.args):
            if isinstance(a, Const) and a.type in LAMBDAS_OF_KIND:  # another lambda
                for lam in LAMBDAS_OF_KIND[a.type]:
                    if lam != a.value:
                        new = st.args[:j] + (Const(lam, a.type),) + st.args[j + 1:]
                        yield Apply(node.op, tuple(args[:i] + [replace(st, args=new)] + args[i + 1:]))
            elif isinstance(a, Ref):  # another earlier variable of its type
                for name, typ in defined:
                    if typ == a.type and name != a.name:
                        new = st.args[:j] + (Ref(name, typ),) + st.args[j + 1:]
                        yield Apply(node.op, tuple(args[:i] + [replace(st, args=new)] + args[i + 1:]))


def _inputs(examples: Sequence, seed: int = 0) -> list[dict[str, Any]]:
    """Random inputs shaped as the examples' (lists of the examples' lengths and value range,
    small integers), shortest first."""
    rng = random.Random(seed)
    values = [v for e in examples for x in e.inputs.values()
              for v in (x if isinstance(x, list) else [x])]
    lo, hi = (min(values), max(values)) if values else (-5, 5)
    lo, hi = min(lo, -3), max(hi, 3)
    longest = max([len(x) for e in examples for x in e.inputs.values() if isinstance(x, list)] or [3])
    out = []
    for k in range(N_INPUTS):
        row = {}
        for name, x in examples[0].inputs.items():
            if isinstance(x, list):
                row[name] = [rng.randint(lo, hi) for _ in range(rng.randint(1, max(1, min(longest, 2 + k // 8))))]
            else:
                row[name] = rng.randint(0, max(3, min(hi, 5)))
        out.append(row)
    return sorted(out, key=lambda r: sum(len(v) if isinstance(v, list) else 1 for v in r.values()))


def question(domain: Domain, node: Node, examples: Sequence) -> dict[str, Any] | None:
    """``{"input", "answers": [the program's output, another fit's], "other": its text}`` for
    the shortest generated input where a one-edit fit differs, or None."""
    if not isinstance(node, Apply) or domain.name != "deepcoder":
        return None
    rows = None
    for k, other in enumerate(_edits(node, domain)):
        if k >= MAX_EDITS:
            break
        if any(domain.evaluate(other, e.inputs) != e.output for e in examples):
            continue
        if rows is None:
            rows = _inputs(examples)
        for r in rows:
            a, b = domain.evaluate(node, r), domain.evaluate(other, r)
            if a is not ERROR and a != b:
                return {"input": r, "answers": [a, None if b is ERROR else b],
                        "other": domain.format(other)}
    return None


def alternatives(domain: Domain, node: Node, examples: Sequence, k: int,
                 rows: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Up to ``k`` other fits one edit away, each behaving differently from the found program
    and every earlier alternative: ``{"program", "outputs"}``, its outputs on ``rows`` (the
    task's unlabeled inputs), or without rows ``{"program", "differs_on", "answers"}``: the
    first generated input where it and the found program differ, and their outputs there."""
    if k <= 0 or not isinstance(node, Apply) or domain.name != "deepcoder":
        return []
    generated = not rows
    rows = _inputs(examples) if generated else list(rows)

    def run(n: Node) -> list:
        return [None if (v := domain.evaluate(n, r)) is ERROR else v for r in rows]

    def key(outs: list) -> tuple:
        return tuple(tuple(v) if isinstance(v, list) else v for v in outs)

    seen = {key(run(node))}
    out = []
    for j, other in enumerate(_edits(node, domain)):
        if j >= MAX_EDITS or len(out) >= k:
            break
        if any(domain.evaluate(other, e.inputs) != e.output for e in examples):
            continue
        beh = run(other)
        if key(beh) in seen:
            continue
        seen.add(key(beh))
        if not generated:
            out.append({"program": domain.format(other), "outputs": beh})
            continue
        mine = run(node)
        i = next((i for i, (a, b) in enumerate(zip(mine, beh)) if a != b), None)
        if i is not None:
            out.append({"program": domain.format(other), "differs_on": rows[i], "answers": [mine[i], beh[i]]})
    return out
