"""Reference semantics of ExeDec's DeepCoder DSL (Shi et al., ICLR 2024).

Values are ints and lists of ints. Every op result is checked against ExeDec's range: an int
outside [-50, 50], a list element outside it, or a non-int makes the op fail (None), and the
program then fails on that example. Division is floor division and ``%`` is Python's; Take and
Drop slice like Python (a negative n counts from the end); Head, Last, Minimum and Maximum fail on
an empty list, Access fails out of range, and Sum of [] is 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from synth.dsl.base import Op

#: ExeDec's integer range (symmetric)
MIN_INT, MAX_INT = -50, 50
#: most variables (inputs included) in one program, and most program inputs
MAX_VARIABLES = 10
MAX_INPUTS = 2
#: longest input list the samplers draw (no op makes a list longer than its inputs)
MAX_LIST_LENGTH = 5


@dataclass(frozen=True)
class Lambda:
    """One of the DSL's 19 fixed lambdas, written as in ExeDec (``(+1)``, ``(%2==0)``, ``(min)``).

    ``kind`` is its type: ``Fn1`` (int -> int), ``Pred`` (int -> bool) or ``Fn2`` ((int, int) -> int).
    ``python`` is its Python expression (``lambda x: x + 1``, ``min``), the one source of its
    semantics: ``fn`` is compiled from it, and ``Program.to_python`` writes it out.
    """

    text: str
    kind: str
    python: str = field(compare=False, repr=False)
    fn: Callable[..., Any] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "fn", eval(self.python, {"__builtins__": {"min": min, "max": max}}))

    def __call__(self, *args):
        return self.fn(*args)

    def __str__(self) -> str:
        return self.text


FN1 = (Lambda("(+1)", "Fn1", "lambda x: x + 1"), Lambda("(-1)", "Fn1", "lambda x: x - 1"),
       Lambda("(*2)", "Fn1", "lambda x: x * 2"), Lambda("(/2)", "Fn1", "lambda x: x // 2"),
       Lambda("(*(-1))", "Fn1", "lambda x: -x"), Lambda("(**2)", "Fn1", "lambda x: x ** 2"),
       Lambda("(*3)", "Fn1", "lambda x: x * 3"), Lambda("(/3)", "Fn1", "lambda x: x // 3"),
       Lambda("(*4)", "Fn1", "lambda x: x * 4"), Lambda("(/4)", "Fn1", "lambda x: x // 4"))
PRED = (Lambda("(>0)", "Pred", "lambda x: x > 0"), Lambda("(<0)", "Pred", "lambda x: x < 0"),
        Lambda("(%2==0)", "Pred", "lambda x: x % 2 == 0"),
        Lambda("(%2==1)", "Pred", "lambda x: x % 2 == 1"))
FN2 = (Lambda("(+)", "Fn2", "lambda x, y: x + y"), Lambda("(-)", "Fn2", "lambda x, y: x - y"),
       Lambda("(*)", "Fn2", "lambda x, y: x * y"), Lambda("(min)", "Fn2", "min"),
       Lambda("(max)", "Fn2", "max"))
#: every lambda, in ExeDec's token order
LAMBDAS = FN1 + PRED + FN2
LAMBDA_BY_TEXT = {lam.text: lam for lam in LAMBDAS}
LAMBDAS_OF_KIND = {"Fn1": FN1, "Pred": PRED, "Fn2": FN2}


def in_range(v: Any) -> bool:
    """ExeDec's validity check of an op result (self-contained but for the two range bounds:
    ``Program.to_python`` copies it)."""
    if type(v) is int:
        return MIN_INT <= v <= MAX_INT
    if type(v) is list:
        return all(type(x) is int and MIN_INT <= x <= MAX_INT for x in v)
    return False


# ----------------------------------------------------------------------- raw semantics


def head(xs):
    return xs[0] if xs else None


def last(xs):
    return xs[-1] if xs else None


def take(n, xs):
    return list(xs[:n])


def drop(n, xs):
    return list(xs[n:])


def access(n, xs):
    return xs[n] if 0 <= n < len(xs) else None


def minimum(xs):
    return min(xs) if xs else None


def maximum(xs):
    return max(xs) if xs else None


def reverse(xs):
    return list(reversed(xs))


def sort(xs):
    return sorted(xs)


def sum_(xs):
    return sum(xs)


def map_(f, xs):
    return [f(x) for x in xs]


def filter_(p, xs):
    return [x for x in xs if p(x)]


def count(p, xs):
    return sum(1 for x in xs if p(x))


def zip_with(g, xs, ys):
    return [g(x, y) for x, y in zip(xs, ys)]


def scanl1(g, xs):
    out = []
    for x in xs:
        out.append(g(out[-1], x) if out else x)
    return out


def check_result(v: Any) -> Any:
    """An op's raw result as the DSL defines it: itself, or None when it fails the range check."""
    return v if v is not None and in_range(v) else None


def checked(raw: Callable[..., Any]) -> Callable[..., Any]:
    """The op as the DSL defines it: ``check_result`` of the raw result."""
    def op(*args):
        return check_result(raw(*args))
    op.__name__ = raw.__name__
    op.__doc__ = raw.__doc__
    op.raw = raw
    return op


I, L = "Int", "List"
FIRST_ORDER_OPS = (
    Op("Head", (L,), I, checked(head), "xs[0]; fails on []"),
    Op("Last", (L,), I, checked(last), "xs[-1]; fails on []"),
    Op("Take", (I, L), L, checked(take), "xs[:n] (Python slicing)"),
    Op("Drop", (I, L), L, checked(drop), "xs[n:] (Python slicing)"),
    Op("Access", (I, L), I, checked(access), "xs[n]; fails unless 0 <= n < len(xs)"),
    Op("Minimum", (L,), I, checked(minimum), "fails on []"),
    Op("Maximum", (L,), I, checked(maximum), "fails on []"),
    Op("Reverse", (L,), L, checked(reverse), ""),
    Op("Sort", (L,), L, checked(sort), "ascending"),
    Op("Sum", (L,), I, checked(sum_), "0 for []"),
)
HIGHER_ORDER_OPS = (
    Op("Map", ("Fn1", L), L, checked(map_), "f applied to every element"),
    Op("Filter", ("Pred", L), L, checked(filter_), "the elements that satisfy p"),
    Op("Count", ("Pred", L), I, checked(count), "how many elements satisfy p"),
    Op("ZipWith", ("Fn2", L, L), L, checked(zip_with), "g pairwise, truncated to the shorter list"),
    Op("Scanl1", ("Fn2", L), L, checked(scanl1), "running fold: ys[0]=xs[0], ys[i]=g(ys[i-1], xs[i])"),
)
ALL_OPS = FIRST_ORDER_OPS + HIGHER_ORDER_OPS
OPS = {op.name: op for op in ALL_OPS}

#: ExeDec's concept groups for the compositional splits
GROUP_A = tuple(op.name for op in FIRST_ORDER_OPS) + ("Map",)  # FIRST_ORDER_AND_MAP
GROUP_B = ("Filter", "Count", "ZipWith", "Scanl1")  # HIGHER_ORDER_NO_MAP
