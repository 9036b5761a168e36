"""Bad input through the Python API and the task readers: always a one-line ``SynthError``
subclass naming the problem (never a raw ValueError/TypeError/OverflowError/RecursionError/
MemoryError), raised before any search starts."""
import json
import math

import pytest
from click.testing import CliRunner

import synth
from synth.errors import InvalidArgument, InvalidBudget, InvalidTask, SynthError, UnknownDomain
from synth.io.limits import (MAX_C_NESTING, MAX_JSON_NESTING, MAX_LITERAL_DIGITS, MAX_SEXPR_NESTING,
                             MAX_TERM_DEPTH, json_too_deep, sexpr_too_deep)
from synth.search.budget import Budget
from synth.task import MAX_INT, MAX_STRING_LENGTH, Example, Task

EX = [({"x": "ab"}, "a"), ({"x": "cd"}, "c")]
TASK = Task.from_examples(EX)
FEW = {"max_candidates": 10}  # a call that wrongly got through to the search stops at once


def _deep_list(n):
    v = []
    for _ in range(n):
        v = [v]
    return v


API_CASES = {
    # budgets
    "timeout negative": (InvalidBudget, lambda: Budget(timeout=-1)),
    "timeout zero": (InvalidBudget, lambda: Budget(timeout=0)),
    "timeout nan": (InvalidBudget, lambda: Budget(timeout=float("nan"))),
    "timeout inf": (InvalidBudget, lambda: Budget(timeout=float("inf"))),
    "timeout -inf": (InvalidBudget, lambda: Budget(timeout=float("-inf"))),
    "timeout string": (InvalidBudget, lambda: Budget(timeout="10")),
    "timeout bool": (InvalidBudget, lambda: Budget(timeout=True)),
    "timeout 10**400": (InvalidBudget, lambda: Budget(timeout=10**400)),
    "timeout 10**5000": (InvalidBudget, lambda: Budget(timeout=10**5000)),
    "max_candidates fraction": (InvalidBudget, lambda: Budget(max_candidates=1.5)),
    "max_candidates bool": (InvalidBudget, lambda: Budget(max_candidates=True)),
    "max_candidates string": (InvalidBudget, lambda: Budget(max_candidates="x")),
    "max_candidates zero": (InvalidBudget, lambda: Budget(max_candidates=0)),
    "max_candidates nan": (InvalidBudget, lambda: Budget(max_candidates=float("nan"))),
    "max_candidates 10**30": (InvalidBudget, lambda: Budget(max_candidates=10**30)),
    "max_memory_mb zero": (InvalidBudget, lambda: Budget(max_memory_mb=0)),
    "max_memory_mb nan": (InvalidBudget, lambda: Budget(max_memory_mb=float("nan"))),
    "max_memory_mb inf": (InvalidBudget, lambda: Budget(max_memory_mb=math.inf)),
    "max_size negative": (InvalidBudget, lambda: Budget(max_size=-3)),
    "max_size list": (InvalidBudget, lambda: Budget(max_size=[3])),
    "solve timeout nan": (InvalidBudget, lambda: synth.solve(TASK, timeout=float("nan"), **FEW)),
    "solve max_size bool": (InvalidBudget, lambda: synth.solve(TASK, max_size=True, **FEW)),
    "synthesize timeout 10**400": (InvalidBudget, lambda: synth.synthesize(EX, timeout=10**400)),
    "synthesize max_memory_mb 0": (InvalidBudget, lambda: synth.synthesize(EX, max_memory_mb=0)),
    # arguments
    "synthesize None": (InvalidTask, lambda: synth.synthesize(None)),
    "synthesize []": (InvalidTask, lambda: synth.synthesize([])),
    "synthesize a string": (InvalidTask, lambda: synth.synthesize("abc")),
    "synthesize a dict": (InvalidTask, lambda: synth.synthesize({"x": "a"})),
    "inputs not a dict": (InvalidTask, lambda: synth.synthesize([("x", "y")])),
    "example not a pair": (InvalidTask, lambda: synth.synthesize(["oops"])),
    "input name not a string": (InvalidTask, lambda: synth.synthesize([({1: "a"}, "a")])),
    "unknown keyword": (InvalidArgument, lambda: synth.synthesize(EX, bogus_kw=1, **FEW)),
    "unknown keyword, deepcoder": (InvalidArgument,
                                   lambda: synth.synthesize([({"x": [1]}, [2])], bogus_kw=1, **FEW)),
    "unknown keyword to solve": (InvalidArgument, lambda: synth.solve(TASK, bogus_kw=1, **FEW)),
    "solve None": (InvalidArgument, lambda: synth.solve(None)),
    "solve a string": (InvalidArgument, lambda: synth.solve("not a task")),
    "solve a dict": (InvalidArgument, lambda: synth.solve({"examples": []})),
    "load_tasks int": (InvalidArgument, lambda: synth.load_tasks(123)),
    "load_tasks None": (InvalidArgument, lambda: synth.load_tasks(None)),
    "load_tasks missing": (InvalidTask, lambda: synth.load_tasks("/nonexistent")),
    "unknown domain": (UnknownDomain, lambda: synth.synthesize(EX, domain="nope")),
    "domain not a string": (InvalidTask, lambda: synth.synthesize(EX, domain=5)),
    "unknown strategy": (InvalidTask, lambda: synth.synthesize(EX, strategy="nope")),
    "strategy not a string": (InvalidArgument, lambda: synth.synthesize(EX, strategy=["guided"])),
    "name not a string": (InvalidTask, lambda: synth.synthesize(EX, name=5)),
    "tests not a list": (InvalidTask, lambda: synth.synthesize(EX, tests=5)),
    "constants a string": (InvalidTask, lambda: synth.synthesize(EX, constants="abc")),
    "constants an int": (InvalidTask, lambda: synth.synthesize(EX, constants=5)),
    "constant a dict": (InvalidTask, lambda: synth.synthesize(EX, constants=[{"a": 1}])),
    "constant a float": (InvalidTask, lambda: synth.synthesize(EX, constants=[1.5])),
    "constant of 1M characters": (InvalidTask, lambda: synth.synthesize(EX, constants=["a" * 10**6])),
    "ops empty list": (InvalidTask, lambda: synth.synthesize(EX, ops=[])),
    "ops empty string": (InvalidTask, lambda: synth.synthesize(EX, ops=" , ")),
    "ops an int": (InvalidTask, lambda: synth.synthesize(EX, ops=5)),
    # values
    "int 10**30": (InvalidTask, lambda: synth.synthesize([({"x": 10**30}, "a")])),
    "int 10**5000": (InvalidTask, lambda: synth.synthesize([({"x": 10**5000}, "a")])),
    "int 2**63 in strings": (InvalidTask, lambda: synth.synthesize([({"x": "a", "n": 2**63}, "a")],
                                                                  domain="strings")),
    "output -2**63 in strings": (InvalidTask, lambda: synth.synthesize([({"x": "a"}, -2**63)],
                                                                      domain="strings")),
    "string of 1M characters": (InvalidTask, lambda: synth.synthesize([({"x": "a" * 10**6}, "a")])),
    "list in strings": (InvalidTask, lambda: synth.synthesize([({"x": [1, 2]}, "a")], domain="strings")),
    "float value": (InvalidTask, lambda: synth.synthesize([({"x": 1.5}, "a")])),
    "None output": (InvalidTask, lambda: synth.synthesize([({"x": "a"}, None)])),
    "list nested 5000 deep": (InvalidTask, lambda: synth.synthesize([({"x": _deep_list(5000)}, "a")])),
    "names disagree": (InvalidTask, lambda: synth.synthesize([({"x": "a"}, "a"), ({"y": "b"}, "b")])),
    "types disagree": (InvalidTask, lambda: synth.synthesize([({"x": "a"}, "a"), ({"x": 1}, "b")])),
    "test types disagree": (InvalidTask, lambda: synth.synthesize(EX, tests=[({"x": 1}, "b")])),
    "deepcoder int out of range": (InvalidTask, lambda: synth.synthesize([({"x": 300}, 600)],
                                                                        domain="deepcoder")),
    "deepcoder list item out of range": (InvalidTask, lambda: synth.synthesize(
        [({"x": [1000, 2]}, [2000, 4]), ({"x": [1]}, [2])], domain="deepcoder")),
    "deepcoder output out of range": (InvalidTask, lambda: synth.synthesize([({"x": 30}, 60)],
                                                                           domain="deepcoder")),
    "deepcoder inferred, out of range": (InvalidTask, lambda: synth.synthesize([({"x": [99]}, 99)])),
    "deepcoder string": (InvalidTask, lambda: synth.synthesize([({"x": "abc"}, [1])], domain="deepcoder")),
    "deepcoder bool": (InvalidTask, lambda: synth.synthesize([({"x": True}, 1)], domain="deepcoder")),
    "deepcoder constants": (InvalidTask, lambda: synth.synthesize([({"x": 1}, 2)], domain="deepcoder",
                                                                 constants=[3])),
    "robustfill two inputs": (InvalidTask, lambda: synth.synthesize([({"x": "a", "y": "b"}, "ab")],
                                                                    domain="robustfill")),
    "robustfill int": (InvalidTask, lambda: synth.synthesize([({"x": 1}, "ab")], domain="robustfill")),
    "Task() with pairs": (InvalidTask, lambda: synth.solve(Task(name="t", domain="strings",
                                                                examples=[("a", "b")]))),
    "Task() without examples": (InvalidTask, lambda: synth.solve(Task(name="t", domain="strings"))),
    "Task() with max_size 0": (InvalidTask, lambda: synth.solve(Task(
        name="t", domain="strings", examples=[Example({"x": "a"}, "a")], spec={"max_size": 0}))),
    "Task() switched to deepcoder": (InvalidTask, lambda: synth.solve(Task(
        name="t", domain="deepcoder", examples=[Example({"x": "a"}, "a")]))),
}


@pytest.mark.parametrize("name", list(API_CASES))
def test_bad_api_call_is_a_one_line_synth_error(name):
    cls, call = API_CASES[name]
    with pytest.raises(SynthError) as e:
        call()
    assert isinstance(e.value, cls), f"{type(e.value).__name__}: {e.value}"
    msg = str(e.value)
    assert msg and "\n" not in msg and len(msg) < 400, msg
    assert "internal error" not in msg


def test_budget_messages_name_the_limit_and_the_way_out():
    assert "use None for no limit" in str(pytest.raises(InvalidBudget, Budget, timeout=math.inf).value)
    assert "NaN" in str(pytest.raises(InvalidBudget, Budget, timeout=math.nan).value)
    assert "max_memory_mb" in str(pytest.raises(InvalidBudget, Budget, max_memory_mb=0).value)
    # InvalidBudget stays a ValueError for code that caught the old error
    assert issubclass(InvalidBudget, ValueError) and issubclass(InvalidBudget, SynthError)


def test_good_budgets_still_work():
    b = Budget(timeout=5, max_candidates=1e6, max_memory_mb=512, max_size=7)
    assert (b.timeout, b.max_candidates, b.max_memory_mb, b.max_size) == (5.0, 1_000_000, 512.0, 7)
    assert Budget(timeout=None, max_memory_mb=None).timeout is None


def test_unknown_keyword_lists_the_valid_ones():
    with pytest.raises(InvalidArgument) as e:
        synth.synthesize(EX, strategy="bottom-up", bogus_kw=1, **FEW)
    assert "bogus_kw" in str(e.value) and "engine" in str(e.value) and "max_candidates" in str(e.value)
    # a known option still gets through
    assert synth.synthesize(EX, strategy="bottom-up", engine="python", timeout=10).solved


def test_values_at_the_limits_are_accepted():
    Task.from_examples([({"x": "a" * MAX_STRING_LENGTH, "n": MAX_INT}, -MAX_INT)], domain="strings")
    Task.from_examples([({"x": [-50, 50]}, 50)], domain="deepcoder")
    Task.from_examples([({"x": "a"}, "b")], domain="strings", max_size=1)


# ------------------------------------------------------------------------------- task files
def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text if isinstance(text, str) else json.dumps(text))
    return p


GOOD = {"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "A"}]}


@pytest.mark.parametrize("field,value,needle", [
    ("max_size", True, "'max_size'"), ("max_size", 1.5, "'max_size'"), ("max_size", 0, "'max_size'"),
    ("max_size", -1, "'max_size'"), ("max_size", "5", "'max_size'"),
    ("ops", [], "'ops' is an empty list"), ("ops", "", "'ops' is empty"), ("ops", 3, "'ops' must be"),
    ("ops", [1], "'ops' must be"), ("constants", "abc", "'constants' must be a list"),
    ("constants", [None], "constants[0]"), ("constants", [[1]], "constants[0]"),
    ("examples", {"a": 1}, "'examples' must be a list"), ("examples", [], "example list is empty"),
    ("examples", [{"inputs": ["a"], "output": "a"}], "'inputs' must be"),
    ("examples", [{"inputs": {"x": "a"}}], "missing field 'output'"),
    ("examples", [{"inputs": {"x": "a"}, "output": "a"}, {"inputs": {"y": "a"}, "output": "a"}],
     "same input names"),
    ("examples", [{"inputs": {"x": "a"}, "output": "a"}, {"inputs": {"x": 1}, "output": "a"}],
     "same types"),
    ("examples", [{"inputs": {"x": "a" * 20000}, "output": "a"}], "at most 10,000 characters"),
    ("examples", [{"inputs": {"x": "a", "n": 2**63}, "output": "a"}], "64-bit"),
    ("tests", {}, "'tests' must be a list"),
])
def test_bad_task_fields_name_the_field(tmp_path, field, value, needle):
    with pytest.raises(InvalidTask) as e:
        synth.load_tasks(_write(tmp_path, "t.json", {**GOOD, field: value}))
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_deepcoder_and_robustfill_type_errors_are_invalid_task_at_load(tmp_path):
    for task, needle in [
        ({"domain": "deepcoder", "examples": [{"inputs": {"x": "abc"}, "output": [1]}]}, "integers"),
        ({"domain": "deepcoder", "examples": [{"inputs": {"x": [300]}, "output": [600]}]}, "[-50, 50]"),
        ({"domain": "robustfill", "examples": [{"inputs": {"x": "a", "y": "b"}, "output": "ab"}]},
         "exactly one input"),
        ({"domain": "robustfill", "examples": [{"inputs": {"x": 1}, "output": "a"}]}, "strings"),
    ]:
        with pytest.raises(InvalidTask) as e:
            synth.load_tasks(_write(tmp_path, "t.json", task))
        assert needle in str(e.value)


def test_deep_json(tmp_path):
    for text in ["[" * 5000 + "]" * 5000, '{"examples": ' + "[" * 5000 + "]" * 5000 + "}"]:
        with pytest.raises(InvalidTask, match=f"nested deeper than {MAX_JSON_NESTING} levels"):
            synth.load_tasks(_write(tmp_path, "deep.json", text))
    with pytest.raises(InvalidTask, match="nested deeper"):
        synth.load_tasks(_write(tmp_path, "deep.jsonl", json.dumps(GOOD) + "\n" + "[" * 5000 + "\n"))
    # brackets inside strings do not count
    assert json_too_deep('{"a": "' + "[" * 5000 + '"}') is None
    assert json_too_deep("[" * MAX_JSON_NESTING + "]" * MAX_JSON_NESTING) is None


def test_long_json_integer(tmp_path):
    text = '{"examples": [{"inputs": {"x": ' + "9" * 5000 + '}, "output": "a"}]}'
    with pytest.raises(InvalidTask, match=f"at most {MAX_LITERAL_DIGITS:,} digits"):
        synth.load_tasks(_write(tmp_path, "big.json", text))


SL_HEAD = "(set-logic SLIA)\n(synth-fun f ((x String)) String)\n"


@pytest.mark.parametrize("text,needle", [
    ("(" * 10000, f"nested deeper than {MAX_SEXPR_NESTING} levels"),
    ("(" * 10000 + ")" * 10000, f"nested deeper than {MAX_SEXPR_NESTING} levels"),
    (SL_HEAD + '(constraint (= (f "a") ' + "(str.++ " * 3000 + '"a"' + ' "b")' * 3000 + "))\n",
     "nested deeper"),
    ("(set-logic LIA)\n(synth-fun f ((x Int)) Int)\n(constraint (= (f 1) " + "9" * 5000 + "))\n",
     "integer literal of 5,000 digits"),
    ("(set-logic SLIA)\n(synth-fun f ((x String) (n Int)) String)\n"
     '(constraint (= (f "a" 99999999999999999999) "a"))\n', "64-bit"),
    (SL_HEAD + '(constraint (= (f "' + "a" * 20000 + '") "a"))\n', "at most 10,000 characters"),
])
def test_bad_sygus_files(tmp_path, text, needle):
    with pytest.raises(InvalidTask) as e:
        synth.load_tasks(_write(tmp_path, "t.sl", text + "(check-synth)\n"))
    assert needle in str(e.value) and "\n" not in str(e.value)


def _inv_file(pre: str, defs: str = "") -> str:
    return (f"(set-logic LIA)\n(synth-inv inv ((x Int)))\n{defs}(define-fun pre ((x Int)) Bool {pre})\n"
            "(define-fun trans ((x Int) (y Int)) Bool (= y (+ x 1)))\n"
            "(define-fun post ((x Int)) Bool (>= x 0))\n(inv-constraint inv pre trans post)\n(check-synth)\n")


def test_sygus_term_depth_after_inlining(tmp_path):
    body = "x"
    for _ in range(150):
        body = f"(+ {body} 1)"
    defs = f"(define-fun g0 ((x Int)) Int {body})\n(define-fun g1 ((x Int)) Int (g0 (g0 x)))\n"
    with pytest.raises(InvalidTask, match=f"deeper than {MAX_TERM_DEPTH} levels once its define-fun"):
        synth.load_tasks(_write(tmp_path, "chain.sl", _inv_file("(>= (g1 x) 0)", defs)))
    # the text's own nesting up to the limit reads
    pre = "(= x 0)"
    for _ in range(MAX_SEXPR_NESTING - 3):
        pre = f"(and (>= x 0) {pre})"
    assert sexpr_too_deep(_inv_file(pre)) is None
    assert synth.load_tasks(_write(tmp_path, "deep_ok.sl", _inv_file(pre)))[0].domain == "lia"


C_TAIL = "while (x < 1) { x++; } assert(x == 1); }"


@pytest.mark.parametrize("text,needle", [
    ("int main() { int x = 0; " + "{" * 5000 + "}" * 5000 + C_TAIL, f"deeper than {MAX_C_NESTING} levels"),
    ("int main() { int x = 0; " + "if (x > 0) " * 5000 + "x++; " + C_TAIL, "nested deeper"),
    ("int main() { int x = 0; x = " + "-" * 5000 + "1; " + C_TAIL, "nested deeper"),
    ("int main() { int x = 0; while (" + "!" * 5000 + "(x >= 1)) { x++; } assert(x == 1); }", "nested deeper"),
    ("int main() { int x = " + "9" * 5000 + "; " + C_TAIL, "integer literal of 5,000 digits"),
])
def test_bad_c_files(tmp_path, text, needle):
    with pytest.raises(InvalidTask) as e:
        synth.load_tasks(_write(tmp_path, "t.c", text))
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_c_blocks_within_the_limit_read(tmp_path):
    text = "int main() { int x = 0; " + "{" * 80 + "}" * 80 + C_TAIL
    assert synth.load_tasks(_write(tmp_path, "ok.c", text))[0].domain == "lia"


def test_cli_rejects_nan_timeout_with_exit_2(tmp_path):
    from synth.cli import main

    p = _write(tmp_path, "t.json", GOOD)
    for args in (["--timeout", "nan"], ["--max-memory", "nan"], ["--timeout", "inf"]):
        res = CliRunner().invoke(main, ["solve", str(p), *args])
        assert res.exit_code == 2, (args, res.output)
        assert "budget" in res.output


def test_file_size_limit(tmp_path, monkeypatch):
    import synth.io

    monkeypatch.setattr(synth.io, "MAX_FILE_BYTES", 10)
    with pytest.raises(InvalidTask, match="task files may be at most"):
        synth.load_tasks(_write(tmp_path, "t.json", GOOD))
