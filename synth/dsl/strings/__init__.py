"""The ``strings`` domain: BUSTLE's spreadsheet DSL plus the SMT-LIB string theory of SyGuS PBE."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from synth import deadline
from synth.dsl.base import Const, ValueLimits
from synth.dsl.callsyntax import CallSyntaxDomain
from synth.dsl.strings import ops as _ops
from synth.dsl.strings.dates import DATE_OPS
from synth.dsl.strings.numbers import NUMBER_OPS
from synth.dsl.strings.tokens import TOKEN_OPS
from synth.dsl.values import scalar_type

#: BUSTLE's always-present constants
BASE_CONSTANTS = ("", 0, 1, 2, 3, 99)
#: characters BUSTLE adds as constants when they occur in some example string
CANDIDATE_CHARS = tuple(" ,.!?()[]<>{}-+_/$#:;@%0")


def longest_common_substring(a: str, b: str) -> str:
    """The longest common substring of two strings (for ties, the one that ends first in ``a``).

    Dynamic programming over ``a``'s positions; long strings run a row at a time in numpy, and
    an expired search deadline (``synth.deadline``) ends the scan with the best found so far.
    """
    if len(a) * len(b) > _NUMPY_CELLS:
        return _lcs_rows(a, b)
    best_len, best_end = 0, 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        for j in range(1, len(b) + 1):
            if ai == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best_len:
                    best_len, best_end = cur[j], i
        prev = cur
    return a[best_end - best_len:best_end]


#: cells of dynamic programming (numpy cells count 1/50, a pair's set-up 20) spent on a task's
#: pairs before the longest-common-substring constants stop: about 0.4 s; the most any
#: benchmark task needs (SyGuS phone-10-long, 100 examples) is 2.9 M
LCS_WORK = 4_000_000
#: above this many DP cells a pair is scanned with numpy rows (same answer, C speed)
_NUMPY_CELLS = 4096


def _lcs_rows(a: str, b: str) -> str:
    import numpy as np

    from synth import deadline

    bb = np.frombuffer(b.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)  # lone surrogates too
    aa = np.frombuffer(a.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    prev = np.zeros(len(b) + 1, np.int32)
    cur = np.zeros(len(b) + 1, np.int32)
    best_len, best_end = 0, 0
    for i in range(1, len(a) + 1):
        np.add(prev[:-1], 1, out=cur[1:])
        cur[1:] *= bb == aa[i - 1]
        m = int(cur.max())
        if m > best_len:
            best_len, best_end = m, i
        prev, cur = cur, prev
        if i % 64 == 0 and deadline.expired():
            break
    return a[best_end - best_len:best_end]


#: the token, date and number ops (Flash Fill's, for the deductive strategy); the enumerative
#: searches use them only when a task names them in its ``ops``
TEXT_OPS = list(TOKEN_OPS) + list(DATE_OPS) + list(NUMBER_OPS)


class StringsDomain(CallSyntaxDomain):
    name = "strings"
    description = ("Spreadsheet string functions (BUSTLE's 22 ops, 1-based) and the SMT-LIB string "
                   "theory used by SyGuS PBE (0-based)")
    types = ("String", "Int", "Bool")
    ops = {op.name: op for op in _ops.BUSTLE_OPS + _ops.SMT_OPS + TEXT_OPS}
    op_sets = {
        "bustle": tuple(op.name for op in _ops.BUSTLE_OPS),
        "smt": tuple(op.name for op in _ops.SMT_OPS),
        "all": tuple(op.name for op in _ops.BUSTLE_OPS + _ops.SMT_OPS),
        # what the deductive strategy builds programs from: tokens, dates, numbers and BUSTLE's
        # case and concatenation ops
        "text": tuple(op.name for op in TEXT_OPS) + ("CONCATENATE", "LEFT", "RIGHT", "LOWER", "UPPER",
                                                     "PROPER", "TRIM"),
    }
    default_op_set = "bustle"
    aliases = _ops.ALIASES
    variadic = frozenset({"CONCATENATE"})
    grammar_file = str(Path(__file__).with_name("grammar.lark"))

    def type_of(self, value: Any) -> str:
        t = scalar_type(value)
        if t is not None:
            return t
        raise TypeError(f"the strings domain has no type for {type(value).__name__} value {value!r}")

    def check_task(self, task) -> None:
        """Values are strings, integers and booleans (no lists: those are deepcoder's), strings
        of at most ``synth.dsl.values.MAX_STRING_LENGTH`` characters and integers within 64 bits
        (``synth.dsl.values.MAX_INT``: the compiled search and the guide store them as int64);
        constants likewise. ``InvalidTask`` names the first value that is not."""
        from synth.errors import InvalidTask
        from synth.dsl.values import check_limits, describe_value, iter_values

        fields = list(iter_values(task)) + [(f"constants[{i}]", c) for i, c in enumerate(task.constants)]
        for field, v in fields:
            if not isinstance(v, (str, int)):  # bool is an int
                raise InvalidTask(f"{task.where}{field}: the strings domain has strings, integers and "
                                  f"booleans, got {describe_value(v)}; lists of integers are for the "
                                  f"deepcoder domain")
            check_limits(task, field, v)

    def value_ok(self, type_: str, values: Sequence[Any], limits: ValueLimits) -> bool:
        if type_ == "String":
            cap = limits.max_string_len
            return all(len(v) < cap for v in values)
        if type_ == "Int":
            cap = limits.max_abs_int
            return all(-cap < v < cap for v in values)
        return True

    def constants(self, examples: Sequence, extra: Sequence = ()) -> list[Const]:
        """BUSTLE's rule: fixed constants, delimiter characters seen in the examples, and the
        longest common substring (>= 2 chars) of each pair of examples in each column."""
        values: dict[Any, None] = {}
        for v in BASE_CONSTANTS:
            values[v] = None
        columns: dict[str, list[str]] = {}
        for ex in examples:
            for k, v in ex.inputs.items():
                if isinstance(v, str):
                    columns.setdefault(k, []).append(v)
            if isinstance(ex.output, str):
                columns.setdefault("\0output", []).append(ex.output)
        all_text = "".join(s for col in columns.values() for s in col)
        for c in CANDIDATE_CHARS:
            if c in all_text:
                values[c] = None
        # pairs grow with the square of the examples: the scan stops after LCS_WORK cells of
        # dynamic programming (a fixed count, so the same task gets the same constants on any
        # machine; every benchmark task stays within it), or at an expired search deadline
        work = 0
        for col in columns.values():
            for i in range(len(col)):
                if work > LCS_WORK or deadline.expired():
                    break
                for j in range(i + 1, len(col)):
                    cells = len(col[i]) * len(col[j])
                    work += (cells if cells <= _NUMPY_CELLS else cells // 50 + len(col[i])) + 20
                    lcs = longest_common_substring(col[i], col[j])
                    if len(lcs) >= 2:
                        values[lcs] = None
        for v in extra:
            values[v] = None
        # Python's dict treats 0 == False and 1 == True alike; keep ints, not bools, here.
        return [Const(v, self.type_of(v)) for v in values]


DOMAIN = StringsDomain()
