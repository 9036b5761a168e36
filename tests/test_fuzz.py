"""Fuzzing bad input: whatever a task file holds, synth answers with a Result or a SynthError
(in Python) and with exit status 0, 1 or 2 and no traceback (on the command line) — never
another exception, never a hang.

The generators are shared with the campaign (``benchmarks/fuzz.py``) in ``tests/fuzzgen.py``.
``tests/fuzz_corpus/`` holds small reproducers of bug classes, run through the CLI; the large
inputs (10**6-character strings, 5000-digit integers, 5000-deep nesting) are generated here
instead of stored.
"""
from __future__ import annotations

import contextlib
import json
import random
import signal
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzzgen  # noqa: E402

import synth  # noqa: E402
from synth.cli import main as cli_main  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "fuzz_corpus"
#: per-call bound: far above every budget used here; only a hang reaches it
HANG_SECONDS = 30
SOLVE = dict(timeout=0.5, max_candidates=20_000)
FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` in synth eats it."""


@contextlib.contextmanager
def hang_guard(what: str, seconds: int = HANG_SECONDS):
    def on_alarm(signum, frame):
        raise Hang(f"hang: {what} ran past {seconds} s")

    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield  # no alarm outside the main thread (or on Windows): no hang guard there
        return
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def api_outcome(path: Path, max_tasks: int = 3) -> list[str]:
    """Load and solve through the Python API; the outcome of each step. Anything but a Result or
    a SynthError propagates and fails the calling test."""
    with hang_guard(f"load_tasks({path.name})"):
        try:
            tasks = synth.load_tasks(str(path))
        except synth.SynthError as e:
            return [f"rejected: {type(e).__name__}"]
    assert isinstance(tasks, list) and all(isinstance(t, synth.Task) for t in tasks)
    outcomes = []
    for t in tasks[:max_tasks]:
        with hang_guard(f"solve({t.name!r}) of {path.name}"):
            try:
                res = synth.solve(t, **SOLVE)
            except synth.SynthError as e:
                outcomes.append(f"rejected: {type(e).__name__}")
                continue
        assert isinstance(res, synth.Result), f"solve returned {type(res).__name__}"
        assert not (res.error or "").startswith("internal"), f"{t.name}: {res.error}"
        outcomes.append(res.status)
    return outcomes


def write_case(tmp_dir: Path, case: fuzzgen.Case, stem: str = "case") -> Path:
    path = tmp_dir / f"{stem}{case.suffix}"
    path.write_bytes(case.data)
    note(f"family={case.family} base={case.base} mutations={case.label} invalid={case.invalid}")
    note(f"first bytes: {case.data[:300]!r}")
    return path


# ------------------------------------------------------------------- generated files, Python API
@settings(FUZZ, max_examples=300)
@given(family=st.sampled_from(sorted(fuzzgen.FAMILIES)), seed=st.integers(0, 2 ** 32 - 1))
def test_generated_file_gives_result_or_synth_error(tmp_path_factory, family, seed):
    case = fuzzgen.generate_family(family, random.Random(seed))
    path = write_case(tmp_path_factory.mktemp("fuzz"), case)
    outcomes = api_outcome(path)
    if case.invalid:  # the generator knows it is malformed: it must not be searched as if fine
        assert any(o.startswith("rejected") or o == "error" for o in outcomes), outcomes


@FUZZ
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_weird_but_valid_task_searches_cleanly(tmp_path_factory, seed):
    """Tasks that pass the readers' checks with odd values (lone surrogates, 5000-digit strings,
    case mappings that change length, 2**70): they reach the search and its constant finders."""
    case = fuzzgen.generate_family("json-weird-valid", random.Random(seed))
    api_outcome(write_case(tmp_path_factory.mktemp("weird"), case))


# ------------------------------------------------------- hypothesis-built tasks, Python API
NAMES = st.one_of(st.sampled_from(["s", "x", "xs", "name", "n", "if", "LEFT", "Concat", "_", "a b", "",
                                   "1x", "é", "x" * 200]), st.text(max_size=8))
TEXT = st.one_of(st.text(max_size=30),
                 st.sampled_from(fuzzgen.WEIRD_STRINGS),
                 st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=12))
SCALARS = st.one_of(TEXT, st.integers(), st.integers(-60, 60), st.booleans(), st.none(),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([2 ** 70, -(2 ** 70), 2 ** 63, 10 ** 30]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(TEXT, inner, max_size=3)),
                      max_leaves=8)
WELL_TYPED = st.one_of(TEXT, st.integers(-60, 60), st.booleans(), st.lists(st.integers(-60, 60), max_size=6))


@st.composite
def example_tasks(draw):
    names = draw(st.lists(NAMES, min_size=0, max_size=3, unique=True))
    value = WELL_TYPED if draw(st.booleans()) else VALUES
    n = draw(st.integers(0, 4))
    examples = [{"inputs": {k: draw(value) for k in names}, "output": draw(value)} for _ in range(n)]
    task = {"name": draw(st.one_of(st.just("t"), TEXT)), "examples": examples}
    if draw(st.booleans()):
        task["domain"] = draw(st.sampled_from(["strings", "robustfill", "deepcoder", "regex", "lia",
                                               "nope", ""]))
    for key, strat in (("ops", st.one_of(st.sampled_from(["bustle", "smt", "all", "", "nope"]),
                                         st.lists(st.sampled_from(["LEFT", "FIND", "Head", "Concat",
                                                                   "NOPE", ""]), max_size=3), VALUES)),
                       ("constants", st.one_of(st.lists(WELL_TYPED, max_size=3), VALUES)),
                       ("max_size", st.one_of(st.integers(-2, 12), st.booleans(), st.floats(), TEXT)),
                       ("tests", st.lists(st.fixed_dictionaries({"inputs": st.dictionaries(NAMES, value, max_size=2),
                                                                 "output": value}), max_size=2))):
        if draw(st.integers(0, 3)) == 0:
            task[key] = draw(strat)
    return task


@st.composite
def spec_tasks(draw):
    """regex and lia tasks: string fields from pieces of the two grammars and junk."""
    if draw(st.booleans()):
        strs = st.lists(st.one_of(TEXT, st.sampled_from(fuzzgen.REGEX_STRINGS)), max_size=5)
        task = {"domain": "regex", "positive": draw(st.one_of(strs, VALUES)),
                "negative": draw(st.one_of(strs, VALUES))}
    else:
        pieces = ["x", "y", "n", "0", "1", "-1", "+", "-", "*", "%", "==", "<=", "<", "and", "or", "not", "(",
                  ")", "true", "unknown()", "nondet()", "=>", "10000000000000000000000", ";", "=", "if",
                  "{", "}", "else", "x = x + 1", "assume(", "/", "!", "&&"]
        expr = st.lists(st.sampled_from(pieces), min_size=0, max_size=9).map(" ".join)
        task = {"domain": "lia", "vars": draw(st.one_of(st.just(["x", "y", "n"]), st.lists(NAMES, max_size=3), VALUES)),
                "pre": draw(expr), "guard": draw(st.one_of(expr, st.none())), "body": draw(expr),
                "post": draw(expr)}
        if draw(st.booleans()):
            task["bool_vars"] = draw(st.one_of(st.just(["y"]), VALUES))
    if draw(st.integers(0, 4)) == 0:
        task[draw(st.sampled_from(["max_size", "extra", "name"]))] = draw(VALUES)
    return task


@FUZZ
@given(task=st.one_of(example_tasks(), spec_tasks()), wrap=st.sampled_from(["task", "suite", "jsonl"]))
def test_built_task_gives_result_or_synth_error(tmp_path_factory, task, wrap):
    folder = tmp_path_factory.mktemp("built")
    if wrap == "jsonl":
        path = folder / "t.jsonl"
        path.write_bytes(fuzzgen.dumps(task, indent=None, ascii_only=False))
    else:
        path = folder / "t.json"
        path.write_bytes(fuzzgen.dumps({"tasks": [task]} if wrap == "suite" else task, ascii_only=True))
    note(path.read_bytes()[:400].decode("utf-8", "replace"))
    api_outcome(path)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(pairs=st.lists(st.tuples(st.one_of(st.dictionaries(NAMES, WELL_TYPED, max_size=2), VALUES,
                                          st.builds(object), st.tuples(st.integers())),
                                st.one_of(WELL_TYPED, VALUES, st.builds(set), st.binary(max_size=3))),
                      max_size=3),
       domain=st.sampled_from([None, "strings", "deepcoder", "robustfill", "regex", "lia", "nope"]))
def test_synthesize_gives_result_or_synth_error(pairs, domain):
    """``synth.synthesize`` takes Python values, not only JSON ones (tuples, sets, bytes, objects)."""
    with hang_guard("synthesize"):
        try:
            res = synth.synthesize(pairs, domain=domain, **SOLVE)
        except synth.SynthError:
            return
    assert isinstance(res, synth.Result)


# --------------------------------------------------------------- large inputs (generated here)
def _strings_task(value, output="x", key="s"):
    return {"name": "big", "examples": [{"inputs": {key: value}, "output": output},
                                        {"inputs": {key: "b"}, "output": "y"}]}


def _lia(**fields):
    task = {"name": "big-lia", "domain": "lia", "vars": ["x", "n"], "pre": "x == 0 and n >= 0",
            "guard": "x < n", "body": "x = x + 1", "post": "x == n"}
    task.update(fields)
    return task


BIG = {  # name -> () -> (suffix, bytes), built when the test runs
    "string-1e6": lambda: (".json", json.dumps(_strings_task("ab " * 333_334)).encode()),
    "output-1e6": lambda: (".json", json.dumps(_strings_task("a", output="x" * 1_000_000)).encode()),
    "surrogates-1e5": lambda: (".json", json.dumps(_strings_task("\ud800" * 100_000)).encode()),
    "int-5001-digits": lambda: (".json", json.dumps(_strings_task("a", output="x")).replace(
        '"output": "x"', '"output": ' + "1" + "0" * 5000, 1).encode()),
    "int-100000-digits-deepcoder": lambda: (".json", ('{"domain": "deepcoder", "examples": [{"inputs": {"xs": [1'
                                              + "0" * 100_000 + ']}, "output": 1}]}').encode()),
    "nesting-5000": lambda: (".json", ('{"examples": [{"inputs": {"s": ' + "[" * 5000 + "]" * 5000
                               + '}, "output": "x"}]}').encode()),
    "nesting-100000": lambda: (".json", ("[" * 100_000 + "]" * 100_000).encode()),
    "object-nesting-5000": lambda: (".json", ('{"name": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}").encode()),
    "examples-5000": lambda: (".json", json.dumps({"name": "many", "examples": [
        {"inputs": {"s": f"v{i}"}, "output": f"v{i}"} for i in range(5000)]}).encode()),
    "deepcoder-list-1e5": lambda: (".json", json.dumps({"domain": "deepcoder", "examples": [
        {"inputs": {"xs": list(range(100_000))}, "output": 0}]}).encode()),
    "deepcoder-2**70": lambda: (".json", json.dumps({"domain": "deepcoder", "examples": [
        {"inputs": {"xs": [2 ** 70, 1]}, "output": 2 ** 70}, {"inputs": {"xs": [3]}, "output": 3}]}).encode()),
    "regex-5000-strings": lambda: (".json", json.dumps({"domain": "regex", "positive": [f"a{i}" for i in range(5000)],
                                                "negative": [f"b{i}" for i in range(5000)]}).encode()),
    "regex-1e5-char": lambda: (".json", json.dumps({"domain": "regex", "positive": ["a" * 100_000],
                                            "negative": ["b"]}).encode()),
    "lia-1000-terms": lambda: (".json", json.dumps(_lia(post=" + ".join(["x"] * 1000) + " >= 0")).encode()),
    "lia-3000-parens": lambda: (".json", json.dumps(_lia(pre="(" * 3000 + "x == 0" + ")" * 3000)).encode()),
    "lia-3000-negations": lambda: (".json", json.dumps(_lia(post="not " * 3000 + "x == n")).encode()),
    "lia-2000-statements": lambda: (".json", json.dumps(_lia(body="; ".join(["x = x + 1"] * 2000))).encode()),
    "lia-500-nested-ifs": lambda: (".json", json.dumps(_lia(body="if (x > 0) { " * 500 + "x = x + 1" + " }" * 500)).encode()),
    "lia-5001-digit-const": lambda: (".json", json.dumps(_lia(post="x <= 1" + "0" * 5000)).encode()),
    "c-5000-parens": lambda: (".c", ("int main() { int x; (x = " + "(" * 5000 + "0" + ")" * 5000
                             + "); while (x < 3) { x = x + 1; } assert(x == 3); }").encode()),
    "c-3000-blocks": lambda: (".c", ("int main() { int x; x = 0; " + "{" * 3000 + "}" * 3000
                             + " while (x < 3) { x = x + 1; } assert(x == 3); }").encode()),
    "c-5001-digit-const": lambda: (".c", ("int main() { int x; x = 1" + "0" * 5000
                                  + "; while (x < 3) { x = x + 1; } assert(x >= 3); }").encode()),
    "sl-5000-nesting": lambda: (".sl", ('(set-logic SLIA)\n(synth-fun f ((s String)) String)\n(declare-var s String)\n'
                                '(constraint (= (f "a") ' + "(str.++ " * 5000 + '"a"' + ' "")' * 5000
                                + '))\n(check-synth)\n').encode()),
    "sl-5001-digit-literal": lambda: (".sl", ("(set-logic LIA)\n(synth-inv inv-f ((x Int)))\n"
                                      "(define-fun pre-f ((x Int)) Bool (= x 1" + "0" * 5000 + "))\n"
                                      "(define-fun trans-f ((x Int) (x! Int)) Bool (= x! x))\n"
                                      "(define-fun post-f ((x Int)) Bool (>= x 0))\n"
                                      "(inv-constraint inv-f pre-f trans-f post-f)\n(check-synth)\n").encode()),
    "sl-string-1e5": lambda: (".sl", ('(set-logic SLIA)\n(synth-fun f ((s String)) String)\n(declare-var s String)\n'
                              '(constraint (= (f "' + "a" * 100_000 + '") "b"))\n(check-synth)\n').encode()),
}


@pytest.mark.parametrize("name", sorted(BIG))
def test_large_input_gives_result_or_synth_error(tmp_path, name):
    suffix, data = BIG[name]()
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(data)
    api_outcome(path)


# ------------------------------------------------------------------- regression corpus, CLI
#: extra `synth solve` options for some corpus files (file name -> options); "stdin" in the
#: options means the file is given on standard input (`synth solve -`)
CORPUS_OPTIONS_FILE = CORPUS / "OPTIONS.json"


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "OPTIONS.json"
                  and not p.name.startswith(".") and p.suffix != ".md")


def _corpus_options() -> dict[str, list[str]]:
    if not CORPUS_OPTIONS_FILE.exists():
        return {}
    return json.loads(CORPUS_OPTIONS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_corpus_file_exits_cleanly(path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.delenv("SYNTH_DEBUG", raising=False)
    options = list(_corpus_options().get(path.name, []))
    stdin = None
    target = str(path)
    if "stdin" in options:
        options.remove("stdin")
        stdin = path.read_bytes()
        target = "-"
    with hang_guard(f"synth solve {path.name}"):
        r = CliRunner().invoke(cli_main, ["solve", target, "--timeout", "1", *options], input=stdin)
    output = r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"{path.name}: {type(r.exception).__name__}: {r.exception}")
    assert "Traceback" not in output, output[-2000:]
    assert "internal error" not in output, output[-2000:]
    assert r.exit_code in (0, 1, 2), f"{path.name}: exit {r.exit_code}: {output[-2000:]}"
    if r.exit_code == 2:
        errors = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(errors) == 1 and errors[0].startswith("synth: error: "), (
            f"{path.name}: exit 2 needs one 'synth: error:' line on stderr, got {errors[:5]}")
