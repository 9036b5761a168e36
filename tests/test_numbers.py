"""NUMTEXT (synth.dsl.strings.numbers): number parsing, step rounding and Excel-style formatting,
its synthesis helpers (parse_number, round_value, format_number, witness, NUMBER_TOKEN, STEPS),
and that the op with its helpers is self-contained source for Program.to_python."""
from __future__ import annotations

import ast
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synth.dsl.base import Apply, Const, Var, function_source, op_functions_source
from synth.dsl.strings.numbers import (
    NUMBER_OPS,
    NUMBER_TOKEN,
    STEPS,
    format_number,
    numtext,
    parse_number,
    round_value,
    witness,
)

D = Decimal

# ------------------------------------------------------------------------- the brief's examples

EXAMPLES = [
    ("2345.23292", "0.000", "", 0, "2345.233"),
    ("243.1", "0.000", "", 0, "243.100"),
    ("1199", "0", "round 5", 0, "1200"),
    ("913", "0", "ceil 5", 0, "915"),
    ("25949", "0.000,", "", 0, "25.949"),
    ("89.0", "0.000,", "", 0, "0.089"),
    ("91", "000", "", 0, "091"),
    ("1234567.5", "#,##0.00", "", 0, "1,234,567.50"),
    ("0.256", "0%", "", 0, "26%"),
    ("-12.5", "0.0,", "", 0, "0.0"),
    ("$1,200", "0", "", 0, "1200"),
]


@pytest.mark.parametrize("text,fmt,step,shift,expected", EXAMPLES)
def test_brief_examples(text, fmt, step, shift, expected):
    assert numtext(text, fmt, step, shift) == expected


@pytest.mark.parametrize("text,fmt,step,shift,expected", EXAMPLES)
def test_witness_finds_brief_formats(text, fmt, step, shift, expected):
    v = round_value(parse_number(text), step, shift)
    found = witness(v, expected, 0)
    assert (fmt, expected) in found
    for f, r in found:
        assert r and expected.startswith(r) and format_number(v, f) == r


def test_witness_at_position_and_order():
    found = witness(D("2345.23292"), "Total: 2345.233 kg", 7)
    assert found[0] == ("0.000", "2345.233")
    assert all(r == "2345.233" or "2345.233".startswith(r) for _, r in found)
    assert witness(D("12"), "abc", 0) == []
    assert witness(D("12"), "-12", 0) == []  # a positive value never prints '-'
    assert witness(D("12"), "12", 5) == []
    assert ("0.00;(0.00)", "(12.50)") in witness(D("-12.5"), "(12.50)", 0)
    assert ("$#,##0.00", "-$1,234.50") in witness(D("-1234.5"), "-$1,234.50", 0)
    assert ("0;0", "5") in witness(D("-5"), "5", 0)
    # consistent families: "0.#" serves both 12 -> "12" and 12.5 -> "12.5"
    assert "0.#" in {f for f, _ in witness(D(12), "12", 0)}
    assert "0.0#" in {f for f, _ in witness(D("12.25"), "12.25", 0)}
    assert "General" in {f for f, _ in witness(D("89.0"), "89", 0)}
    assert "#.0" in {f for f, _ in witness(D("0.5"), ".5", 0)}


# ------------------------------------------------------------------------------------ parsing

PARSE = {
    "0": D(0),
    "-0": D(0),
    "007": D(7),
    "03.3": D("3.3"),
    ".5": D("0.5"),
    "12.": D(12),
    "  42  ": D(42),
    "+3": D(3),
    "-3.25": D("-3.25"),
    "\u22123": D(-3),
    "12.50-": D("-12.5"),
    "(12.50)": D("-12.5"),
    "( $1,234.00 )": D("-1234"),
    "1,234": D(1234),
    "12,345,678.9": D("12345678.9"),
    "$5": D(5),
    "-$5": D(-5),
    "$-5": D(-5),
    "$ 5.25": D("5.25"),
    "5 \u20ac": D(5),
    "\u00a312": D(12),
    "\u00a5100": D(100),
    "\u20b91,00,000": None,  # Indian grouping is not supported
    "25%": D("0.25"),
    "-2.5 %": D("-0.025"),
    "1.5e3": D(1500),
    "2E-02": D("0.02"),
    "": None,
    "   ": None,
    "abc": None,
    "1,23": None,
    "12,34": None,
    ",123": None,
    "1,2345": None,
    "1.2.3": None,
    "--5": None,
    "-5-": None,
    "(-5)": None,
    "(5": None,
    "$5%": None,
    "$$5": None,
    "5 5": None,
    "-": None,
    "$": None,
    ".": None,
    "()": None,
    "%": None,
    "1e999": None,
    "nan": None,
    "inf": None,
    "Infinity": None,
    "0x10": None,
    "\u0661\u0662": None,  # non-ASCII digits
    "1" * 101: None,
}


@pytest.mark.parametrize("text", list(PARSE))
def test_parse(text):
    assert parse_number(text) == PARSE[text]
    got = numtext(text, "General", "", 0)
    if PARSE[text] is None:
        assert got is None
    else:
        assert D(got) == PARSE[text]


def test_parse_exact_and_int_input():
    assert parse_number("0.1") + parse_number("0.2") == D("0.3")
    assert parse_number("123456789012345678901234567890.123") == D("123456789012345678901234567890.123")
    assert numtext(1234, "#,##0", "", 0) == "1,234"
    assert parse_number(-7) == D(-7)
    assert parse_number(None) is None
    assert str(parse_number("-0.00")) == "0.00"  # no negative zero


def test_number_token():
    found = [m.group() for m in re.finditer(NUMBER_TOKEN, "Paid $1,234.50 on 3-5 May, 12.5% off, item A-7, .5")]
    assert found == ["$1,234.50", "3", "5", "12.5%", "7", ".5"]
    assert [m.group() for m in re.finditer(NUMBER_TOKEN, "-5 and 1,23")] == ["-5", "1", "23"]
    for tok in found:
        assert parse_number(tok) is not None


@given(st.text(alphabet="0123456789,.-+$%() abcxe\u20ac", max_size=20))
@settings(max_examples=300, deadline=None)
def test_number_token_matches_parse(text):
    for m in re.finditer(NUMBER_TOKEN, text):
        assert parse_number(m.group()) is not None, m.group()


# ----------------------------------------------------------------------------------- rounding


@pytest.mark.parametrize("v,step,shift,expected", [
    ("2.5", "round 1", 0, "3"),
    ("-2.5", "round 1", 0, "-3"),
    ("2.4999", "round 1", 0, "2"),
    ("-0.4", "round 1", 0, "0"),
    ("1199", "round 5", 0, "1200"),
    ("1197.5", "round 5", 0, "1200"),
    ("1197.4", "round 5", 0, "1195"),
    ("913", "ceil 5", 0, "915"),
    ("915", "ceil 5", 0, "915"),
    ("-913", "ceil 5", 0, "-910"),
    ("-913", "floor 5", 0, "-915"),
    ("-910", "floor 5", 0, "-910"),
    ("17", "floor 10", 0, "10"),
    ("17", "floor 10", 1, "20"),
    ("-17", "floor 10", 0, "-20"),
    ("-17", "floor 10", 1, "-10"),
    ("0.37", "round 0.25", 0, "0.25"),
    ("0.375", "round 0.25", 0, "0.50"),
    ("0.124", "ceil 0.05", 0, "0.15"),
    ("1234", "round 1000", 0, "1000"),
    ("1500", "round 1000", 0, "2000"),
    ("-1500", "round 1000", 0, "-2000"),
    ("5", "", 0, "5"),
    ("123456789012345678901234567890.5", "round 1", 0, "123456789012345678901234567891"),
])
def test_round_value(v, step, shift, expected):
    assert round_value(D(v), step, shift) == D(expected)


@pytest.mark.parametrize("step,shift", [
    ("", 1), ("round", 0), ("round 0", 0), ("round -5", 0), ("trunc 5", 0), ("Round 5", 0),
    ("round  5", 0), ("round 5 ", 0), ("round 1e3", 0), ("round 5x", 0), ("round 1,000", 0),
    ("floor 10", 10 ** 12), ("times 100", 1), ("times 10 by 1", 0), ("floor 10 by 0", 1),
    ("floor 10 by", 1), ("floor 10 by -1", 1), ("times", 0), ("times 0", 0),
])
def test_bad_steps(step, shift):
    assert round_value(D(17), step, shift) is None
    assert numtext("17", "0", step, shift) is None


def test_steps():
    assert STEPS[0] == "" and len(STEPS) <= 80 and len(set(STEPS)) == len(STEPS)
    for s in STEPS:
        assert round_value(D("12.345"), s, 0) is not None
        assert numtext("12.345", "0.00", s, 1 if s and not s.startswith("times") else 0) is not None
    for s in ("round 1", "floor 10", "ceil 0.25", "round 1000", "floor 0.01", "ceil 5"):
        assert s in STEPS


finite = st.decimals(min_value=-10 ** 12, max_value=10 ** 12, places=4, allow_nan=False, allow_infinity=False)


ROUNDINGS = [s for s in STEPS if s and " by " not in s and not s.startswith("times")]


@given(finite, st.sampled_from(ROUNDINGS), st.integers(-3, 3))
def test_round_properties(v, step, shift):
    n = D(step.split()[1])
    r0 = round_value(v, step, 0)
    assert r0 % n == 0
    assert round_value(v, step, shift) == r0 + shift * n
    mode = step.split()[0]
    if mode == "floor":
        assert r0 <= v < r0 + n
    elif mode == "ceil":
        assert r0 - n < v <= r0
    elif mode == "up":
        assert abs(r0) >= abs(v) and abs(r0 - v) < n
    elif mode == "down":
        assert abs(r0) <= abs(v) and abs(r0 - v) < n
    else:
        assert abs(v - r0) <= n / 2
        if abs(v - r0) == n / 2:  # a tie goes away from zero
            assert abs(r0) > abs(v)


# --------------------------------------------------------------------------------- formatting


@pytest.mark.parametrize("v,fmt,expected", [
    ("0", "0.00", "0.00"),
    ("-0", "0.0", "0.0"),
    ("-0.04", "0.0", "0.0"),
    ("-0.05", "0.0", "-0.1"),
    ("-0.0125", "0.0", "0.0"),
    ("2.5", "0", "3"),
    ("-2.5", "0", "-3"),
    ("0.125", "0.00", "0.13"),
    ("-0.125", "0.00", "-0.13"),
    ("5", "0.##", "5"),
    ("5.1", "0.##", "5.1"),
    ("5.126", "0.##", "5.13"),
    ("5", "0.0#", "5.0"),
    ("5.25", "0.0#", "5.25"),
    ("0.5", "#.00", ".50"),
    ("0", "#", ""),
    ("0", "#,##0", "0"),
    ("7", "000", "007"),
    ("1234", "000", "1234"),
    ("5", "0,000", "0,005"),
    ("1234567", "#,##0", "1,234,567"),
    ("123", "#,##0", "123"),
    ("-1234567.891", "#,##0.00", "-1,234,567.89"),
    ("1234567", "#,##0,", "1,235"),
    ("1234567", "0.0,,", "1.2"),
    ("1234567", "0,.00", "1234.57"),
    ("0.256", "0%", "26%"),
    ("0.256", "0.0%", "25.6%"),
    ("-0.256", "0%", "-26%"),
    ("0.005", "0%", "1%"),
    ("5", "$0.00", "$5.00"),
    ("-5", "$0.00", "-$5.00"),
    ("5", '"USD "0', "USD 5"),
    ("5", "0 kg", "5 kg"),
    ("5", "0\\#", "5#"),
    ("5", "No. 0", "No. 5"),
    ("5", "0 pcs.", "5 pcs."),
    ("5", "0.", "5."),
    ("12.5", ".00", "12.50"),
    ("-5", "0.00;(0.00)", "(5.00)"),
    ("5", "0.00;(0.00)", "5.00"),
    ("0", "0.00;(0.00);\"zero\"0", "zero0"),
    ("-0.001", "0.00;(0.00)", "(0.00)"),
    ("89.0", "General", "89"),
    ("-89.50", "general", "-89.5"),
    ("0.0125", "General", "0.0125"),
    ("1E+3", "General", "1000"),
    ("-0", "General", "0"),
    ("5", "$General", "$5"),
    ("0.5", "General%", "50%"),
    ("2345.23292", "0.########", "2345.23292"),
    ("1E+20", "0", "100000000000000000000"),
])
def test_format(v, fmt, expected):
    assert format_number(D(v), fmt) == expected


@pytest.mark.parametrize("fmt", [
    "", "abc", '"0.00"', "0 0", "0.00.0", "0;", ";0", "0;0;0;0", '"unterminated', "0\\",
    "0.00E+00", "General 0", "0" * 60, "0." + "0" * 60,
])
def test_bad_formats(fmt):
    assert format_number(D(5), fmt) is None
    assert numtext("5", fmt, "", 0) is None


@given(finite)
@settings(max_examples=300)
def test_format_agrees_with_python(v):
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        ctx.prec = 100

        def py(spec):
            s = format(v, spec)
            if s.startswith("-") and not s.strip("-0.,%"):  # Excel prints -0.00 as 0.00
                s = s[1:]
            return s

        assert format_number(v, "0") == py(".0f")
        assert format_number(v, "0.00") == py(".2f")
        assert format_number(v, "#,##0.00") == py(",.2f")
        assert format_number(v, "#,##0") == py(",.0f")
        assert format_number(v, "0.0000") == py(".4f")
        assert format_number(v, "0%") == py(".0%")
        assert D(format_number(v, "General")) == v
        assert D(format_number(v, "0.####")) == v


@given(finite)
@settings(max_examples=200)
def test_parse_round_trip(v):
    for s in (format(v, "f"), format(v, ",f"), format_number(v, "$#,##0.0000"),
              format_number(v, "0.0000;(0.0000)"), format_number(v, "0.0000%")):
        assert parse_number(s) == v, s


FAMILY = ["0", "0.00", "#,##0.00", "0.0,", "000", "0%", "0.0%", "0.###", "#,##0", "$#,##0.00",
          "General", "0.00;(0.00)"]


@given(finite, st.sampled_from(FAMILY))
@settings(max_examples=300)
def test_witness_complete_on_family(v, fmt):
    target = format_number(v, fmt)
    assert target is not None
    found = witness(v, target, 0)
    if target:
        assert (fmt, target) in found
    for f, r in found:
        assert r and target.startswith(r) and format_number(v, f) == r


# --------------------------------------------------------------------------------- robustness

anything = st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans(),
                     st.floats(allow_nan=True), st.binary(max_size=5))


@given(anything, anything, anything, anything)
@settings(max_examples=500)
def test_never_raises(text, fmt, step, shift):
    r = numtext(text, fmt, step, shift)
    assert r is None or isinstance(r, str)


numberish = st.text(alphabet="0123456789,.-+$%()eE \u20ac\u00a3#;\"\\General", max_size=20)


@given(numberish, numberish, st.sampled_from(STEPS + ["round 0.3", "ceil 7", "x"]), st.integers(-5, 5))
@settings(max_examples=500)
def test_never_raises_numberish(text, fmt, step, shift):
    r = numtext(text, fmt, step, shift)
    assert r is None or isinstance(r, str)
    assert parse_number(text) is None or isinstance(parse_number(text), Decimal)


@given(st.text(max_size=30), st.integers(-3, 40))
@settings(max_examples=300)
def test_witness_never_raises(target, pos):
    for v in (D(0), D("-12.5"), D("1234.5678")):
        for f, r in witness(v, target, pos):
            assert r and target.startswith(r, pos)


def test_non_finite_values():
    for v in (D("NaN"), D("Infinity"), D("-Infinity"), D("sNaN"), float("nan"), None, "x"):
        assert format_number(v, "0") is None
        assert round_value(v, "round 1", 0) is None
        assert witness(v, "12", 0) == []


def test_pathological_inputs_are_fast():
    for text in (" " * 100000 + "x", "1" * 100000, "(" * 1000 + "1" + ")" * 1000, "1e99", "1e-99"):
        numtext(text, "#,##0.00", "round 0.01", 0)
    assert numtext("1e99", "0", "", 0) == "1" + "0" * 99
    assert numtext("1e-99", "0.00", "", 0) == "0.00"


# ------------------------------------------------------------------- self-contained op source


SAMPLES = [e[:4] for e in EXAMPLES] + [
    ("(1,234.50)", "0.00;(0.00)", "round 0.25", 1),
    ("17", "0", "floor 10", 1),
    ("89.0", "General", "", 0),
    ("abc", "0", "", 0),
    ("", "0", "", 0),
    ("5", "bad", "", 0),
    ("5", "0", "round x", 0),
    ("25%", "0.0%", "", 0),
    (12, "000", "", 0),
]


def standalone_ns():
    op = NUMBER_OPS[0]
    src = "\n\n\n".join([function_source(h) for h in op.helpers] + [function_source(op.fn)])
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Import):
            assert all(not a.name.startswith("synth") for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("synth")
    ns: dict = {}
    exec(compile(src, "<numtext>", "exec"), ns)
    return ns


def test_op_declaration():
    (op,) = NUMBER_OPS
    assert op.name == "NUMTEXT" and op.arg_types == ("String", "String", "String", "Int")
    assert op.ret_type == "String" and op.fn is numtext and op.doc
    assert {h.__name__ for h in op.helpers} == {
        "numtext_parse", "numtext_round", "numtext_format_spec", "numtext_format"}


@pytest.mark.parametrize("args", SAMPLES)
def test_function_source_self_contained(args):
    ns = standalone_ns()
    assert set(ns) >= {"numtext", "numtext_parse", "numtext_round", "numtext_format"}
    for _ in range(2):  # the second call runs on the copies' own caches
        assert ns["numtext"](*args) == numtext(*args)


def test_op_functions_source_program():
    """The default strings renderer (what Program.to_python runs) with NUMTEXT in a program."""
    op = NUMBER_OPS[0]
    domain = SimpleNamespace(name="strings", op=lambda name: op, format=lambda node: "NUMTEXT(x, ...)")
    node = Apply("NUMTEXT", (Var("x", "String"), Const("#,##0.00", "String"), Const("round 0.25", "String"),
                             Const(0, "Int")))
    src = op_functions_source(domain, node)
    assert "import synth" not in src and "from synth" not in src
    ns: dict = {}
    exec(compile(src, "<program>", "exec"), ns)
    assert ns["program"]("1234.3") == "1,234.25"
    assert ns["program"]("$-0.1") == "0.00"
    with pytest.raises(ValueError):
        ns["program"]("abc")


def test_up_and_down_round_away_from_and_towards_zero():
    assert numtext("-0.0116", "0.00", "up 0.01", 0) == "-0.02"
    assert numtext("0.0116", "0.00", "up 0.01", 0) == "0.02"
    assert numtext("-0.0116", "0.00", "down 0.01", 0) == "-0.01"
    assert numtext("19.99", "0", "down 1", 0) == "19"
    assert numtext("5", "0", "up 1", 0) == "5"


@given(finite, st.sampled_from([s for s in STEPS if " by " in s]), st.integers(-20, 20))
def test_shift_by_a_named_unit(v, step, shift):
    """"floor 10 by 1": the block's start plus ``shift`` units, so shift 9 is the last whole
    number of the block ("80-89")."""
    head, _, by = step.partition(" by ")
    assert round_value(v, step, shift) == round_value(v, head, 0) + shift * D(by)
    n = D(head.split()[1])
    if v == v.to_integral_value():
        assert round_value(v, head, 0) <= v <= round_value(v, step, int(n / D(by)) - 1)


@given(finite, st.sampled_from([s for s in STEPS if s.startswith("times")]))
def test_times_scales_exactly(v, step):
    got = round_value(v, step, 0)
    assert got == v * D(step.split()[1])
    assert numtext(str(v), "General", step, 0) == format_number(got, "General")


def test_range_ends_and_scaling_examples():
    assert numtext("88", "0", "floor 10", 0) + "-" + numtext("88", "0", "floor 10 by 1", 9) == "80-89"
    assert numtext("-12.5", "General", "times 1000", 0) == "-12500"
    assert numtext("237", "General", "times 0.01", 0) == "2.37"
