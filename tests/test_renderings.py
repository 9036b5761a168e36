"""A result's other forms of its program (``Result.renderings``): filled by ``synth.api.solve``
through the domain's hook (``Domain.renderings``) and, for a SyGuS task, the ``define-fun``; the
record of ``synth.records.solve_record`` (what the CLI prints and the workers send) takes its
``solution`` from there; each text is made on first use."""
import pickle
import re
from pathlib import Path

import synth
from synth.records import BenchConfig, result_from_record, solve_record
from synth.result import Renderings
from synth.task import Task

ROOT = Path(__file__).resolve().parents[1]
UPPER = {"name": "up", "examples": [{"inputs": {"s": "ab"}, "output": "AB"},
                                    {"inputs": {"s": "cd"}, "output": "CD"}]}
SYGUS = ROOT / "benchmarks/data/sygus/pbe-strings/v2/from_2018/bikes.sl"


def test_a_rendering_is_made_once_on_first_use_and_pickles_as_text():
    calls = []

    def make():
        calls.append(1)
        return "text"
    r = Renderings({"made": make, "given": "as is"})
    assert list(r) == ["made", "given"] and len(r) == 2 and "made" in r
    assert calls == []  # knowing the names makes nothing
    assert r["made"] == "text" and r["made"] == "text" and calls == [1]
    back = pickle.loads(pickle.dumps(Renderings({"made": "x", "given": "y"})))
    assert dict(back) == {"made": "x", "given": "y"}


def test_solve_returns_the_python_rendering():
    res = synth.solve(Task.from_dict(UPPER), max_candidates=10000)
    assert res.solved and list(res.renderings) == ["python"]
    scope: dict = {}
    exec(res.renderings["python"], scope)
    assert scope["program"]("xy") == "XY"
    assert res.renderings["python"] == res.program.to_python()
    assert "define-fun" not in res.renderings
    rec = solve_record(Task.from_dict(UPPER), BenchConfig(timeout=30, max_candidates=10000))
    assert rec["status"] == "solved" and "solution" not in rec


def test_a_regex_result_has_its_python_re_pattern():
    task = synth.load_tasks(ROOT / "examples/regex/zip-code.json")[0]
    res = synth.solve(task)
    assert res.solved and set(res.renderings) == {"python", "python-re"}
    pattern = re.compile(res.renderings["python-re"])
    assert pattern.fullmatch("12345") and not pattern.fullmatch("1234")
    assert res.renderings["python-re"] == res.stats["also"]["python re"]


def test_a_sygus_task_has_its_define_fun_and_the_record_takes_it_from_the_result():
    from synth.io.sygus import format_solution

    task = synth.load_tasks(SYGUS)[0]
    res = synth.solve(task, max_candidates=100000)
    assert res.solved and "define-fun" in res.renderings
    assert res.renderings["define-fun"] == format_solution(task, res.program)
    assert res.renderings["define-fun"].startswith("(define-fun f ((name String)) String ")
    rec = solve_record(task, BenchConfig(timeout=30, max_candidates=100000))
    assert rec["solution"] == res.renderings["define-fun"]
    back = result_from_record(rec, task)  # what solve_many returns
    assert back.renderings["define-fun"] == rec["solution"] and "python" in back.renderings


def test_no_program_no_renderings():
    hard = Task.from_dict({"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": 987_654_321}]})
    res = synth.solve(hard, max_candidates=2000)
    assert not res.solved and res.program is None and dict(res.renderings) == {}
    assert dict(result_from_record(res.to_record(), hard).renderings) == {}
