"""The robustfill domain: ExeDec's semantics (with every quirk), program text, token ids, errors."""
import pytest

from synth.dsl import get_domain
from synth.dsl.robustfill import ops
from synth.dsl.robustfill.ops import TYPE_PATTERNS as T
from synth.errors import ProgramSyntaxError, UnknownOp
from synth.exedec.robustfill_tokens import decode_program, encode_program

D = get_domain("robustfill")


@pytest.mark.parametrize("p1,p2,want", [
    (1, 3, "abc"), (-3, -1, "def"), (-3, 0, "def"), (2, 50, "bcdef"), (3, 3, ""), (4, 2, ""),
    (1, 6, "abcdef"), (0, 0, ""), (-100, 2, "ab"), (6, 6, ""),
    (-8, 2, ""), (-7, 6, "f"),  # offsets below 0 wrap, as in Python slicing
])
def test_substr_inclusive_end_and_to_the_end(p1, p2, want):
    assert ops.sub_str(p1, p2, "abcdef") == want


def test_get_span_clamps_like_exedec():
    # index past the matches gives the *number* #matches - 1 as an offset
    assert ops.get_span(T["WORD"], 5, "START", T["WORD"], -1, "END", "ab cd ef") == " cd ef"
    # before the first match gives offset 0
    assert ops.get_span(T["WORD"], -5, "END", T["WORD"], 1, "END", "ab cd ef") == "ab"
    assert ops.get_span(T["NUMBER"], 1, "START", T["WORD"], 1, "END", "ab cd") == ""
    assert ops.get_span(T["WORD"], 2, "START", T["WORD"], 1, "END", "ab cd") == ""
    assert ops.get_span(ops.delimiter_pattern("."), 1, "END", ops.delimiter_pattern("."), 2, "START",
                        "a.bc.d") == "bc"


def test_get_token_and_regex_types():
    s = "Ab12 cdE,Fg3"
    assert ops.get_token(T["NUMBER"], 2, s) == "3"
    assert ops.get_token(T["NUMBER"], -1, s) == "3"
    assert ops.get_token(T["NUMBER"], 3, s) == ""
    assert ops.get_token(T["PROP_CASE"], 1, s) == "Ab"
    assert ops.get_token(T["PROP_CASE"], 2, s) == "Fg"  # "E" alone is not PROP_CASE
    assert ops.get_token(T["ALL_CAPS"], 2, s) == "E"
    assert ops.get_token(T["ALPHANUM"], 1, s) == "Ab12"
    assert ops.get_token(T["DIGIT"], 2, s) == "2"
    assert ops.get_token(T["CHAR"], 5, s) == " "
    assert ops.get_token(T["LOWER"], -2, s) == "cd"


def test_upto_from_exclude_and_include_the_match():
    assert ops.get_upto(T["NUMBER"], "ab12cd34") == "ab12"
    assert ops.get_from(T["NUMBER"], "ab12cd34") == "cd34"
    assert ops.get_upto(T["NUMBER"], "abc") == ""
    assert ops.get_from(ops.delimiter_pattern(" "), "a b c") == "b c"


def test_modifications():
    assert ops.to_case("PROPER", "hELLO wORLD") == "Hello world"
    assert ops.to_case("ALL_CAPS", "aB1") == "AB1"
    assert ops.to_case("LOWER", "aB1") == "ab1"
    assert ops.replace(",", ";", "a,b,,c") == "a;b;;c"
    assert ops.trim("  a b  ") == "a b"
    assert ops.get_all(T["NUMBER"], "a1b22c") == "122"
    assert ops.get_first(T["NUMBER"], 2, "1a2b3") == "12"
    assert ops.get_first(T["NUMBER"], 5, "1a2b3") == "123"
    assert ops.get_first(T["NUMBER"], -1, "1a2b3") == "12"  # negative: all but the last
    assert ops.get_first(T["NUMBER"], 1, "abc") == ""


def test_substitute_replaces_first_textual_occurrence():
    assert ops.remove(T["NUMBER"], 2, "12 2") == "1 2"
    assert ops.substitute(T["NUMBER"], 2, "x", "12 2") == "1x 2"
    assert ops.substitute(T["NUMBER"], 3, "x", "12 2") == "12 2"
    assert ops.substitute_all(T["NUMBER"], "#", "12 2 3") == "# # #"
    assert ops.remove_all(T["LOWER"], "aBcDe") == "BD"
    assert ops.substitute_all(T["NUMBER"], "1", "2 12") == "1 12".replace("12", "1", 1)


@pytest.mark.parametrize("text", [
    'Concat(GetToken(WORD, 1, x), ConstStr(" "), ToCase(ALL_CAPS, GetFrom(",", x)))',
    'Concat(SubStr(-3, 0, s))',
    'Concat(GetSpan("\\"", -1, START, PROP_CASE, 2, END, x), Trim(x), RemoveAll(NUMBER, Remove(CHAR, -3, x)))',
    'Concat(Replace("&", " ", x), Substitute(DIGIT, 1, "\'", GetUpto(ALL_CAPS, x)), SubstituteAll(LOWER, "Z", x))',
    'Concat(GetFirst(ALPHANUM, -2, x), GetAll(DIGIT, x), ConstStr("\\""))',
])
def test_text_round_trip(text):
    p = D.parse(text)
    assert str(p) == text
    assert D.parse(str(p)) == p
    assert decode_program(encode_program(p), p.inputs[0] if p.inputs else "x").node == p.node


def test_bare_expression_is_a_one_part_concat():
    assert str(D.parse("GetToken(NUMBER, 1, x)")) == "Concat(GetToken(NUMBER, 1, x))"


def test_run_and_to_python():
    p = D.parse('Concat(GetToken(WORD, 1, x), ConstStr("."), ToCase(LOWER, GetToken(WORD, -1, x)))')
    assert p(x="Jane Q Doe") == "Jane.doe"
    ns = {}
    exec(p.to_python(), ns)
    assert ns["program"]("Mark Twain") == "Mark.twain"


@pytest.mark.parametrize("text,msg", [
    ("Concat(GetToken(WORD, 0, x))", "index 0"),
    ("Concat(GetToken(NOUN, 1, x))", "not a type"),
    ('Concat(ConstStr("ab"))', "alphabet"),
    ('Concat(Replace("a", ",", x))', "delimiter"),
    ("Concat(GetToken(WORD, 1, x), Concat(Trim(x)))", "whole program"),
    ("Concat(ToCase(LOWER, ToCase(LOWER, Trim(x))))", "one level"),
    ("Concat(GetToken(WORD, 1, Trim(x)))", "only a modification"),
    ("Concat(Trim(x), Trim(y))", "one input"),
    ("Concat(Trim(x, x))", "takes 1 argument"),
    ("Concat(" + ", ".join(["Trim(x)"] * 11) + ")", "1 to 10"),
    ("Concat(SubStr(1, 101, x))", "outside"),
    ("Concat(GetToken(WORD 1, x))", "cannot parse"),
])
def test_bad_programs_name_the_problem(text, msg):
    with pytest.raises(ProgramSyntaxError, match=msg):
        D.parse(text)


def test_unknown_op():
    with pytest.raises(UnknownOp, match="GetWord"):
        D.parse("Concat(GetWord(x))")


@pytest.mark.parametrize("tokens,msg", [
    ("4 29|99", "not an op"), ("7 109", "needs 2 argument"), ("7 109 215", "not a regex index"),
    ("9 19 81", "not a delimiter"), ("3 5 219 230 10", "only a modification"),
    ("3 8 110", "ends early"), ("10 10", "extra tokens"),
    ("4 x", "not a list of token ids"),
])
def test_bad_token_programs(tokens, msg):
    with pytest.raises(ProgramSyntaxError, match=msg):
        decode_program(tokens)


def test_token_example_from_the_spec():
    p = decode_program("4 29|7 109 211")
    assert str(p) == 'Concat(ConstStr("k"), GetToken(CHAR, -4, x))'
    assert encode_program(p) == "4 29|7 109 211"
