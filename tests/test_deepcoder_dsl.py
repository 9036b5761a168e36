"""The deepcoder domain: ExeDec's semantics (range, floor division, slicing), program text, errors."""
import pytest

from synth.dsl import get_domain
from synth.dsl.deepcoder import program_length
from synth.dsl.deepcoder.ops import LAMBDA_BY_TEXT as F, OPS, in_range
from synth.errors import EvaluationError, ProgramSyntaxError, UnknownOp
from synth.exedec.deepcoder_text import format_state, format_value, parse_state, parse_value

D = get_domain("deepcoder")


def op(name, *args):
    return OPS[name].fn(*args)


def test_first_order_ops():
    assert op("Head", [3, 1]) == 3 and op("Head", []) is None
    assert op("Last", [3, 1]) == 1 and op("Last", []) is None
    assert op("Take", 2, [1, 2, 3]) == [1, 2] and op("Take", -1, [1, 2, 3]) == [1, 2]
    assert op("Drop", 2, [1, 2, 3]) == [3] and op("Drop", -1, [1, 2, 3]) == [3]
    assert op("Take", 9, [1, 2]) == [1, 2] and op("Drop", 9, [1, 2]) == []
    assert op("Access", 1, [4, 5]) == 5
    assert op("Access", 2, [4, 5]) is None and op("Access", -1, [4, 5]) is None
    assert op("Minimum", [3, -2]) == -2 and op("Minimum", []) is None
    assert op("Maximum", [3, -2]) == 3 and op("Maximum", []) is None
    assert op("Reverse", [1, 2, 3]) == [3, 2, 1] and op("Sort", [3, -1, 2]) == [-1, 2, 3]
    assert op("Sum", []) == 0 and op("Sum", [30, 20]) == 50


def test_range_check_fails_the_op():
    assert op("Sum", [30, 21]) is None
    assert op("Map", F["(*4)"], [12, 13]) is None
    assert op("Map", F["(**2)"], [-7]) == [49] and op("Map", F["(**2)"], [8]) is None
    assert op("Scanl1", F["(*)"], [10, 10, 0]) is None  # 100 is out of range midway
    assert op("ZipWith", F["(+)"], [50], [1]) is None
    assert not in_range(True) and not in_range(51) and in_range([-50, 50])


def test_lambdas_floor_division_and_python_modulo():
    assert op("Map", F["(/2)"], [-3, 3]) == [-2, 1]
    assert op("Map", F["(/3)"], [-1]) == [-1] and op("Map", F["(/4)"], [7]) == [1]
    assert op("Map", F["(*(-1))"], [2, -3]) == [-2, 3]
    assert op("Filter", F["(%2==1)"], [-3, -2, 5]) == [-3, 5]
    assert op("Filter", F["(%2==0)"], [-3, -2, 0]) == [-2, 0]
    assert op("Count", F["(>0)"], [0, 1, 2]) == 2 and op("Count", F["(<0)"], [0, -1]) == 1
    assert op("ZipWith", F["(-)"], [5, 6, 7], [1, 2]) == [4, 4]  # truncates
    assert op("ZipWith", F["(min)"], [5, 1], [3, 4]) == [3, 1]
    assert op("Scanl1", F["(-)"], [1, 0, 6]) == [1, 1, -5]
    assert op("Scanl1", F["(max)"], []) == []


@pytest.mark.parametrize("text", [
    "x0 = INPUT | x1 = INPUT | x2 = Scanl1 (-) x0 | x3 = Map (*(-1)) x2 | x4 = Take x1 x3",
    "x0 = INPUT | x1 = Map (**2) x0 | x2 = ZipWith (max) x0 x1 | x3 = Filter (%2==1) x2 | x4 = Count (<0) x3",
    "a = INPUT | n = INPUT | b = Drop n a | c = Sum b",
])
def test_text_round_trip(text):
    p = D.parse(text)
    assert str(p) == text
    assert D.parse(str(p)) == p


def test_run_program_and_size():
    p = D.parse("x0 = INPUT | x1 = INPUT | x2 = Take x1 x0 | x3 = Map (*2) x2 | x4 = Sum x3")
    assert p.inputs == ["x0", "x1"]
    assert p(x0=[1, 2, 3], x1=2) == 6
    assert p.run({"x0": [1, 2, 3], "x1": -1}) == 6
    assert p.run({"x0": [30, 2], "x1": 2}) is None  # 60 is out of range
    assert program_length(p.node) == 3 and p.size == 1 + 2 + 3 + 3 + 2
    with pytest.raises(EvaluationError, match="x1"):
        p(x0=[1])


def test_type_errors_fail_at_run_time():
    p = D.parse("x0 = INPUT | x1 = Head x0")
    assert p.run({"x0": 3}) is None


@pytest.mark.parametrize("text,msg", [
    ("x0 = INPUT | x1 = Map x0", "needs a lambda"),
    ("x0 = INPUT | x1 = Head (+1) x0", "takes no lambda"),
    ("x0 = INPUT | x1 = Map (>0) x0", "int -> int"),
    ("x0 = INPUT | x1 = Filter (+1) x0", "int -> bool"),
    ("x0 = INPUT | x1 = ZipWith (+) x0", "takes 2 variable"),
    ("x0 = INPUT | x1 = Head x2", "before it is assigned"),
    ("x0 = INPUT | x0 = Head x0", "assigned twice"),
    ("x0 = INPUT | x1 = Head x0 | x2 = Take x0 x0", "needs Int x0"),
    ("x0 = INPUT | x1 = Head x0 | x2 = INPUT", "after a statement"),
    ("x0 = INPUT", "at least one statement"),
    ("x0 = INPUT | x1 = Map (+2) x0", "cannot parse"),
])
def test_bad_programs_name_the_problem(text, msg):
    with pytest.raises(ProgramSyntaxError, match=msg):
        D.parse(text)


def test_unknown_op():
    with pytest.raises(UnknownOp, match="Mapp"):
        D.parse("x0 = INPUT | x1 = Mapp (+1) x0")


def test_exedec_value_text():
    assert parse_value("[ 1 -2 3 ]") == [1, -2, 3] and parse_value("[ ]") == [] and parse_value("-7") == -7
    assert format_value([1, -2]) == "[ 1 -2 ]" and format_value([]) == "[ ]" and format_value(4) == "4"
    s = "x0 = [ 1 0 6 ] | x1 = 3"
    assert parse_state(s) == {"x0": [1, 0, 6], "x1": 3} and format_state(parse_state(s)) == s


@pytest.mark.parametrize("text", ["[ 1 2", "[ a ]", "x", "x0 = 1 | x0 = 2", "x0 [ 1 ]"])
def test_bad_exedec_values(text):
    from synth.errors import InvalidTask
    with pytest.raises(InvalidTask):
        parse_state(text) if "x0" in text else parse_value(text)
