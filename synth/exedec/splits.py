"""ExeDec's compositional-generalization splits: for each domain and split,
how a train or test program is drawn and which drawn programs are kept.

``generate(domain, split, kind, n, seed)`` yields ``n`` samples; ``describe`` checks a program
against a split's definition (the tests use it on generated data).
"""
from __future__ import annotations

import random
from typing import Callable, Iterator

from synth.dsl.robustfill import expression_kind
from synth.errors import InvalidTask
from synth.exedec import SPLITS, check_domain_split

KINDS = ("train", "test")

# ----------------------------------------------------------------------------- RobustFill
#: a RobustFill program's concept per expression: S (substring op) or M (modification/ConstStr)


def robustfill_concepts(program) -> str:
    return "".join("S" if expression_kind(e) == "substring" else
                   "M" if expression_kind(e) in ("modification", "const") else "C"
                   for e in program.node.args)


def _rf_len(lo: int, hi: int, pool: str) -> Callable[[random.Random], list[str]]:
    return lambda rng: [pool] * rng.randint(lo, hi)


def _rf_concepts_train(rng: random.Random) -> list[str]:
    return [rng.choice(("SUBSTRING", "MODIFY_OR_CONST"))] * rng.randint(2, 6)


def _rf_concepts_test(rng: random.Random) -> list[str]:
    return [rng.choice(("SUBSTRING", "MODIFY_OR_CONST")) for _ in range(rng.randint(2, 6))]


def _rf_switch(first: str, second: str) -> Callable[[random.Random], list[str]]:
    def pools(rng):
        n = rng.randint(2, 6)
        return [first] * (n // 2) + [second] * (n - n // 2)
    return pools


def _rf_new_op_train(rng: random.Random) -> list[str]:
    if rng.random() < 0.25:
        return ["ONLY_COMPOSE"]
    return ["NO_COMPOSE"] * rng.randint(2, 6)


def _has_compose(s) -> bool:
    return any(expression_kind(e) == "compose" for e in s.program.node.args)


def _has_compose_substring(s) -> bool:
    from synth.dsl.robustfill.ops import SUBSTRING_NAMES
    return any(expression_kind(e) == "compose" and e.args[-1].op in SUBSTRING_NAMES
               for e in s.program.node.args)


def _has_both_concepts(s) -> bool:
    c = robustfill_concepts(s.program)
    return "S" in c and "M" in c


_ANY = lambda s: True  # noqa: E731

#: split -> kind -> (pools per program, acceptance test)
ROBUSTFILL = {
    "NONE": {"train": (_rf_len(1, 10, "ALL"), _ANY), "test": (_rf_len(1, 10, "ALL"), _ANY)},
    "LENGTH_GENERALIZATION": {"train": (_rf_len(1, 6, "ALL"), _ANY),
                              "test": (_rf_len(7, 10, "ALL"), _ANY)},
    "COMPOSE_DIFFERENT_CONCEPTS": {"train": (_rf_concepts_train, _ANY),
                                   "test": (_rf_concepts_test, _has_both_concepts)},
    "SWITCH_CONCEPT_ORDER": {"train": (_rf_switch("SUBSTRING", "MODIFY_OR_CONST"), _ANY),
                             "test": (_rf_switch("MODIFY_OR_CONST", "SUBSTRING"), _ANY)},
    "COMPOSE_NEW_OP": {"train": (_rf_new_op_train, _ANY),
                       "test": (_rf_len(2, 6, "ALL"), _has_compose)},
    "ADD_OP_FUNCTIONALITY": {"train": (_rf_len(1, 6, "NO_COMPOSE_SUBSTRING"), _ANY),
                             "test": (_rf_len(1, 6, "ALL"), _has_compose_substring)},
}

# ------------------------------------------------------------------------------ DeepCoder
from synth.dsl.deepcoder.ops import GROUP_A, GROUP_B, OPS  # noqa: E402

ALL_OPS = tuple(OPS)
NO_SCANL1 = tuple(o for o in ALL_OPS if o != "Scanl1")


def deepcoder_concepts(program) -> str:
    """A per statement when its op is in group A (first-order ops and Map), B otherwise."""
    from synth.dsl.deepcoder import statements_of
    return "".join("A" if st.op in GROUP_A else "B" for st in statements_of(program.node))


def _scanl1_lambdas(program) -> list[str]:
    from synth.dsl.deepcoder import statements_of
    return [st.args[0].value.text for st in statements_of(program.node) if st.op == "Scanl1"]


def _dc_len(lo: int, hi: int, ops=ALL_OPS):
    return lambda rng: [ops] * rng.randint(lo, hi)


def _dc_concepts_train(rng: random.Random):
    return [rng.choice((GROUP_A, GROUP_B))] * rng.randint(2, 4)


def _dc_switch(first, second):
    def pools(rng):
        n = rng.randint(2, 4)
        return [first] * (n // 2) + [second] * (n - n // 2)
    return pools


def _dc_new_op_train(rng: random.Random):
    if rng.random() < 0.25:
        return [("Scanl1",)]
    return [NO_SCANL1] * rng.randint(2, 4)


def _dc_both(s) -> bool:
    c = deepcoder_concepts(s.program)
    return "A" in c and "B" in c


def _dc_train_scanl1_ok(s) -> bool:
    return all(lam in ("(-)", "(min)") for lam in _scanl1_lambdas(s.program))


def _dc_test_scanl1(s) -> bool:
    return any(lam in ("(+)", "(*)", "(max)") for lam in _scanl1_lambdas(s.program))


DEEPCODER = {
    "NONE": {"train": (_dc_len(1, 5), _ANY), "test": (_dc_len(1, 5), _ANY)},
    "LENGTH_GENERALIZATION": {"train": (_dc_len(1, 4), _ANY), "test": (_dc_len(5, 5), _ANY)},
    "COMPOSE_DIFFERENT_CONCEPTS": {"train": (_dc_concepts_train, _ANY), "test": (_dc_len(2, 4), _dc_both)},
    "SWITCH_CONCEPT_ORDER": {"train": (_dc_switch(GROUP_B, GROUP_A), _ANY),
                             "test": (_dc_switch(GROUP_A, GROUP_B), _ANY)},
    "COMPOSE_NEW_OP": {"train": (_dc_new_op_train, _ANY),
                       "test": (_dc_len(2, 4), lambda s: "Scanl1" in [st.op for st in _sts(s)])},
    "ADD_OP_FUNCTIONALITY": {"train": (_dc_len(1, 4), _dc_train_scanl1_ok),
                             "test": (_dc_len(1, 4), _dc_test_scanl1)},
}


def _sts(s):
    from synth.dsl.deepcoder import statements_of
    return statements_of(s.program.node)


# -------------------------------------------------------------------------------- driver

def generate(domain: str, split: str, kind: str, n: int, seed: int = 0) -> Iterator:
    """``n`` random samples (``.inputs``, ``.outputs``, ``.program``) of a split's train or test
    distribution, reproducible from ``seed``."""
    check_domain_split(domain, split)
    if kind not in KINDS:
        raise InvalidTask(f"unknown kind {kind!r}; choose train or test")
    rng = random.Random(f"{domain}/{split}/{kind}/{seed}")
    if domain == "robustfill":
        from synth.exedec.robustfill_sampler import sample
        pools, accept = ROBUSTFILL[split][kind]
    else:
        from synth.exedec.deepcoder_sampler import sample
        pools, accept = DEEPCODER[split][kind]
    for _ in range(n):
        yield sample(rng, pools, accept)


def to_task(sample, name: str, domain: str, split: str):
    """A generated sample as a ``Task`` (ground truth in ``spec.solution``)."""
    from synth.task import Example, ExampleSpec, Task
    if domain == "robustfill":
        examples = [Example({"x": i}, o) for i, o in zip(sample.inputs, sample.outputs)]
    else:
        examples = [Example(dict(i), o) for i, o in zip(sample.inputs, sample.outputs)]
    return Task(name=name, domain=domain, examples=examples,
                spec=ExampleSpec(solution=str(sample.program), split=split, source="synth.exedec.splits"))


__all__ = ["SPLITS", "KINDS", "ROBUSTFILL", "DEEPCODER", "generate", "to_task",
           "robustfill_concepts", "deepcoder_concepts"]
