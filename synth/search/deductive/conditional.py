"""Conditionals: when no one concatenation fits every example, split the examples into two groups
that each have one, told apart by a test on the input (Flash Fill's ``Switch``).

The test is ``MATCHES(cell, regex)`` (the cell holds a token, starts or ends with one, or is
empty) true on one group and false on the other; the unlabeled rows follow the test to the
branch that will produce their output, and each branch is ranked with its own rows.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from synth.dsl.base import Apply, Const, Node, Var
from synth.search.deductive.positions import CLASS_TOKENS, literal_tokens, token_cost

#: cost of a conditional on top of its branches and its test
CONDITIONAL_COST = 3.0
#: examples beyond which partitions are not enumerated
MAX_EXAMPLES = 7
#: tests tried for each partition, cheapest first
TESTS_PER_PARTITION = 3


@dataclass(frozen=True)
class Test:
    """``MATCHES(column, regex)``."""

    column: str
    regex: str
    cost: float

    def __call__(self, row: dict[str, Any]) -> bool:
        v = row[self.column]
        return isinstance(v, str) and re.search(self.regex, v) is not None

    def node(self) -> Node:
        return Apply("MATCHES", (Var(self.column, "String"), Const(self.regex, "String")))


def candidate_tests(rows: Sequence[dict[str, Any]], n_examples: int) -> list[Test]:
    """Tests over the string columns: a token anywhere, at the start, at the end; an empty cell."""
    tests = []
    for col in rows[0]:
        texts = [r[col] for r in rows[:n_examples]]
        if not all(isinstance(t, str) for t in texts):
            continue
        tests.append(Test(col, r"^$", 0.8))
        for tok, c in [(t, c) for t, c in CLASS_TOKENS] + [(t, token_cost(t)) for t in literal_tokens(texts)]:
            tests.append(Test(col, tok, 0.5 + c))
            tests.append(Test(col, "^" + _group(tok), 1.0 + c))
            tests.append(Test(col, _group(tok) + "$", 1.0 + c))
        column = [r[col] for r in rows]
        for t in sorted(set(texts)):  # one exact value ("n/a", "NYC") that recurs in the column
            if t and column.count(t) > 1:
                tests.append(Test(col, "^" + re.escape(t) + "$", 1.5 + 0.2 * len(t)))
    tests.sort(key=lambda t: t.cost)
    return tests


def _group(tok: str) -> str:
    return tok if len(tok) <= 2 or tok.startswith("[") and tok.endswith("+") and tok.count("[") == 1 \
        else f"(?:{tok})"


def partitions(m: int):
    """Two-group splits of examples 0..m-1 (the group holding example 0 first), most balanced first."""
    others = list(range(1, m))
    splits = []
    for k in range(0, m - 1):
        for extra in itertools.combinations(others, k):
            a = (0,) + extra
            b = tuple(i for i in others if i not in extra)
            splits.append((a, b))
    splits.sort(key=lambda ab: abs(len(ab[0]) - len(ab[1])))
    return splits


def deduce_conditional(examples, unlabeled: list[dict[str, Any]],
                       solve_branch: Callable[[list, list], tuple[Node, float] | None],
                       expired: Callable[[], bool]) -> tuple[Node, float] | None:
    """The cheapest ``IF(test, then, else)`` over two-group splits of ``examples``;
    ``solve_branch(examples, unlabeled)`` gives a branch's node and cost or None."""
    m = len(examples)
    if m < 2 or m > MAX_EXAMPLES:
        return None
    rows = [dict(e.inputs) for e in examples]
    tests = candidate_tests(rows + unlabeled, m)
    best = None
    memo: dict[tuple, Any] = {}

    def branch(idx: tuple, routed: tuple):
        key = (idx, routed)
        if key not in memo:
            memo[key] = solve_branch([examples[i] for i in idx], [unlabeled[j] for j in routed])
        return memo[key]

    for a, b in partitions(m):
        if expired():
            break
        found = 0
        for test in tests:
            on_a = [test(rows[i]) for i in a]
            on_b = [test(rows[i]) for i in b]
            if all(on_a) and not any(on_b):
                then_idx, else_idx = a, b
            elif all(on_b) and not any(on_a):
                then_idx, else_idx = b, a
            else:
                continue
            found += 1
            if found > TESTS_PER_PARTITION:
                break
            yes = tuple(j for j, r in enumerate(unlabeled) if test(r))
            no = tuple(j for j in range(len(unlabeled)) if j not in set(yes))
            then_ = branch(then_idx, yes)
            if then_ is None:
                break  # the same group fails under any test
            else_ = branch(else_idx, no)
            if else_ is None:
                break
            cost = then_[1] + else_[1] + test.cost + CONDITIONAL_COST
            if best is None or cost < best[1]:
                best = (Apply("IF", (test.node(), then_[0], else_[0])), cost)
    return best
