"""Reference semantics of every strings op, on hand-worked cases and edge cases."""
import pytest

from synth.dsl import get_domain

D = get_domain("strings")


def run(op, *args):
    return D.op(op).fn(*args)


@pytest.mark.parametrize("op,args,expected", [
    # the text ops of the deductive strategy: tokens (1-based positions), dates, numbers
    ("TOKEN", ("a1 b22", "[0-9]+", -1), "22"), ("TOKEN", ("ab", "[0-9]+", 1), None),
    ("POS", ("ab,cd", ",", "", 1), 4), ("POS", ("ab", "", "", -1), 3), ("POS", ("ab", "x", "", 1), None),
    ("SUBSTR", ("abcd", 2, 4), "bc"), ("SUBSTR", ("abcd", 0, 2), None), ("SUBSTR", ("ab", 1, 4), None),
    ("MATCHES", ("ab1", "[0-9]"), True), ("MATCHES", ("ab", "^$"), False),
    ("DATETEXT", ("3/30/2002", "{m}/{d}/{yyyy}", "{yyyy}-{mm}-{dd}", "", 0), "2002-03-30"),
    ("DATETEXT", ("18:25:57", "{H}:{nn}:{ss}", "{h}{AM}", "floor 2 hour", 1), "8PM"),
    ("DATETEXT", ("2/30/2002", "{m}/{d}/{yyyy}", "{yyyy}", "", 0), None),
    ("NUMTEXT", ("$1,200.5", "#,##0.00", "", 0), "1,200.50"), ("NUMTEXT", ("17", "0", "floor 10", 1), "20"),
    ("NUMTEXT", ("n/a", "0", "", 0), None),
    # arithmetic and comparisons
    ("ADD", (2, 3), 5), ("MINUS", (2, 3), -1),
    ("GT", (3, 2), True), ("GT", (2, 2), False), ("GTE", (2, 2), True), ("GTE", (1, 2), False),
    ("EXACT", ("a", "a"), True), ("EXACT", ("a", "A"), False),
    # CONCATENATE
    ("CONCATENATE", ("ab", "cd"), "abcd"), ("CONCATENATE", ("", ""), ""),
    # FIND: 1-based, error when absent
    ("FIND", ("b", "abcb"), 2), ("FIND", ("z", "abc"), None), ("FIND", ("", "abc"), 1),
    ("FIND", ("a", ""), None),
    ("FIND/3", ("b", "abcb", 3), 4), ("FIND/3", ("b", "abcb", 1), 2), ("FIND/3", ("b", "abcb", 0), None),
    ("FIND/3", ("b", "abcb", -1), None), ("FIND/3", ("b", "abcb", 5), None), ("FIND/3", ("b", "abc", 3), None),
    # LEFT / RIGHT: error on negative n, whole string when n is too big
    ("LEFT", ("abc", 2), "ab"), ("LEFT", ("abc", 0), ""), ("LEFT", ("abc", 9), "abc"), ("LEFT", ("abc", -1), None),
    ("LEFT", ("", 3), ""),
    ("RIGHT", ("abc", 2), "bc"), ("RIGHT", ("abc", 0), ""), ("RIGHT", ("abc", 9), "abc"), ("RIGHT", ("abc", -1), None),
    ("RIGHT", ("abc", 3), "abc"),
    # MID: 1-based start; error on start <= 0 or n < 0; empty past the end
    ("MID", ("abcdef", 2, 3), "bcd"), ("MID", ("abc", 3, 5), "c"), ("MID", ("abc", 5, 2), ""),
    ("MID", ("abc", 0, 1), None), ("MID", ("abc", 1, -1), None), ("MID", ("abc", 1, 0), ""),
    ("LEN", ("",), 0), ("LEN", ("abc",), 3),
    # REPLACE: 1-based start clamped to the length
    ("REPLACE", ("abcdef", 2, 3, "X"), "aXef"), ("REPLACE", ("abc", 9, 1, "X"), "abcX"),
    ("REPLACE", ("abc", 1, 0, "X"), "Xabc"), ("REPLACE", ("abc", 0, 1, "X"), None),
    ("REPLACE", ("abc", 1, -1, "X"), None), ("REPLACE", ("abc", 2, 99, ""), "a"),
    # SUBSTITUTE: all occurrences, or the n-th; empty search leaves the string
    ("SUBSTITUTE", ("a-b-c", "-", "+"), "a+b+c"), ("SUBSTITUTE", ("abc", "", "x"), "abc"),
    ("SUBSTITUTE", ("abc", "z", "x"), "abc"),
    ("SUBSTITUTE/4", ("a-b-c", "-", "+", 2), "a-b+c"), ("SUBSTITUTE/4", ("a-b-c", "-", "+", 0), "a+b+c"),
    ("SUBSTITUTE/4", ("a-b-c", "-", "+", 3), "a-b-c"), ("SUBSTITUTE/4", ("a-b-c", "-", "+", -1), None),
    ("SUBSTITUTE/4", ("aaa", "aa", "b", 2), "aaa"), ("SUBSTITUTE/4", ("abc", "", "x", 1), "abc"),
    # TRIM: Java trim, then collapse space runs
    ("TRIM", ("  a   b  ",), "a b"), ("TRIM", ("\ta b\n",), "a b"), ("TRIM", ("",), ""), ("TRIM", ("   ",), ""),
    # case
    ("LOWER", ("AbC1",), "abc1"), ("UPPER", ("aBc1",), "ABC1"), ("LOWER", ("",), ""),
    ("PROPER", ("hello wORLD",), "Hello World"), ("PROPER", ("o'neil mc-gee",), "O'Neil Mc-Gee"),
    ("PROPER", ("abc1def",), "Abc1Def"), ("PROPER", ("",), ""),
    # REPT: error on negative count or results over 100 chars
    ("REPT", ("ab", 3), "ababab"), ("REPT", ("ab", 0), ""), ("REPT", ("ab", -1), None),
    ("REPT", ("ab", 50), "ab" * 50), ("REPT", ("ab", 51), None),
    ("TO_TEXT", (42,), "42"), ("TO_TEXT", (-3,), "-3"),
    ("IF", (True, "a", "b"), "a"), ("IF", (False, "a", "b"), "b"),
])
def test_bustle_ops(op, args, expected):
    assert run(op, *args) == expected


@pytest.mark.parametrize("op,args,expected", [
    ("str.++", ("a", "b"), "ab"),
    # str.substr: 0-based start and length; "" when out of range
    ("str.substr", ("abcdef", 1, 3), "bcd"), ("str.substr", ("abc", 1, 9), "bc"), ("str.substr", ("abc", 3, 1), ""),
    ("str.substr", ("abc", -1, 2), ""), ("str.substr", ("abc", 0, 0), ""), ("str.substr", ("abc", 0, -2), ""),
    ("str.at", ("abc", 0), "a"), ("str.at", ("abc", 2), "c"), ("str.at", ("abc", 3), ""), ("str.at", ("abc", -1), ""),
    ("str.len", ("abc",), 3),
    # str.indexof: -1 when absent or the start is out of [0, len]
    ("str.indexof", ("abcb", "b", 0), 1), ("str.indexof", ("abcb", "b", 2), 3), ("str.indexof", ("abc", "z", 0), -1),
    ("str.indexof", ("abc", "", 3), 3), ("str.indexof", ("abc", "", 4), -1), ("str.indexof", ("abc", "a", -1), -1),
    # str.replace: first occurrence; empty pattern prepends
    ("str.replace", ("a-b-c", "-", "+"), "a+b-c"), ("str.replace", ("abc", "", "x"), "xabc"),
    ("str.replace", ("abc", "z", "x"), "abc"),
    ("str.prefixof", ("ab", "abc"), True), ("str.prefixof", ("bc", "abc"), False), ("str.prefixof", ("", "abc"), True),
    ("str.suffixof", ("bc", "abc"), True), ("str.suffixof", ("ab", "abc"), False),
    ("str.contains", ("abc", "b"), True), ("str.contains", ("abc", "d"), False), ("str.contains", ("abc", ""), True),
    ("str.to_int", ("123",), 123), ("str.to_int", ("007",), 7), ("str.to_int", ("",), -1), ("str.to_int", ("1a",), -1),
    ("str.to_int", ("-1",), -1),
    ("str.from_int", (12,), "12"), ("str.from_int", (0,), "0"), ("str.from_int", (-1,), ""),
    ("ite", (True, "a", "b"), "a"), ("ite/Int", (False, 1, 2), 2), ("ite/Bool", (True, False, True), False),
    ("+", (1, 2), 3), ("-", (1, 2), -1), ("-/1", (4,), -4), ("*", (3, 4), 12),
    ("=", (1, 1), True), ("=/String", ("a", "b"), False), ("=/Bool", (True, True), True),
    ("<=", (1, 1), True), ("<", (1, 1), False), (">=", (2, 1), True), (">", (1, 2), False),
    ("and", (True, False), False), ("or", (True, False), True), ("not", (True,), False),
])
def test_smt_ops(op, args, expected):
    assert run(op, *args) == expected


def test_every_op_is_covered_by_a_case():
    import inspect
    src = inspect.getsource(inspect.getmodule(test_every_op_is_covered_by_a_case))
    for name in D.ops:
        assert f'("{name}"' in src, f"op {name} has no hand-written test case"


def test_op_sets():
    assert len(D.op_sets["bustle"]) == 22
    assert set(D.op_sets["all"]) | set(D.op_sets["text"]) == set(D.ops)
    assert D.default_op_set == "bustle"


def test_value_caps():
    from synth.dsl.base import ValueLimits
    lim = ValueLimits()
    assert D.value_ok("String", ("a" * 98,), lim)
    assert not D.value_ok("String", ("a" * 99,), lim)
    assert D.value_ok("Int", (99, -99), lim)
    assert not D.value_ok("Int", (100,), lim)
    assert not D.value_ok("Int", (-100,), lim)


def test_constants_follow_bustles_rule():
    from synth.task import Task
    t = Task.from_examples([({"x": "Jane Doe, MD"}, "J. Doe"), ({"x": "Mark Twain, MD"}, "M. Twain")])
    consts = [c.value for c in D.constants(t.examples)]
    for v in ("", 0, 1, 2, 3, 99, " ", ",", "."):
        assert v in consts
    assert ", MD" in consts  # longest common substring of the input column
    assert "-" not in consts  # not in any example
    assert all(type(c.value) is not bool for c in D.constants(t.examples))
