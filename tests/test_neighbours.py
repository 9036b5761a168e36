"""Other DeepCoder fits one edit away, and the question that tells them apart (issue 21)."""
import json
from pathlib import Path

import pytest

from click.testing import CliRunner

import synth
from synth.cli import main
from synth.dsl import get_domain
from synth.search.neighbours import question
from synth.task import Task


def _task(rows):
    return Task.from_dict({"name": "t", "domain": "deepcoder",
                           "examples": [{"inputs": i, "output": o} for i, o in rows]})


def test_last_or_maximum_is_asked_about():
    task = _task([({"x": [1, 2, 3]}, 3)])
    res = synth.solve(task, timeout=None, max_candidates=200_000)
    assert res.solved and res.ask is not None
    a, b = res.ask["answers"]
    row = res.ask["input"]
    assert a != b and res.program.run(row) == a
    # the other answer comes from a program that also fits the example
    dom = get_domain("deepcoder")
    q = question(dom, res.program.node, task.examples)
    other = dom.parse(q["other"], {"x": "List"})
    assert other.run({"x": [1, 2, 3]}) == 3 and other.run(row) == b


def test_no_question_when_no_edit_fits():
    task = _task([({"x": [3, 1, 2]}, [1, 2, 3]), ({"x": [5, 4]}, [4, 5])])
    res = synth.solve(task, timeout=None, max_candidates=200_000)
    assert res.solved and res.ask is None


def test_cli_prints_the_question(tmp_path):
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"name": "t", "domain": "deepcoder",
                             "examples": [{"inputs": {"x": [1, 2, 3]}, "output": 3}]}))
    out = CliRunner().invoke(main, ["solve", str(f), "--timeout", "60"])
    assert out.exit_code == 0, out.output
    assert "ask about:" in out.output and "(next fit)" in out.output


def test_top_gives_one_edit_alternatives_that_behave_differently():
    task = _task([({"x": [1, 2, 3]}, 3), ({"x": [4, 5]}, 5)])
    res = synth.solve(task, timeout=None, max_candidates=200_000, top=3)
    assert res.solved and res.alternatives
    dom = get_domain("deepcoder")
    programs = {str(res.program)}
    for alt in res.alternatives:
        other = dom.parse(alt["program"], {"x": "List"})
        assert all(other.run(e.inputs) == e.output for e in task.examples)  # a fit
        a, b = alt["answers"]
        assert a != b and res.program.run(alt["differs_on"]) == a and other.run(alt["differs_on"]) == b
        programs.add(alt["program"])
    assert len(programs) == len(res.alternatives) + 1
    # with the task's unlabeled rows, the alternatives' outputs there
    rows = [{"x": [7, -2]}, {"x": [0, 9, 1]}]
    task2 = Task.from_dict({**task.to_dict(), "inputs": rows})
    res2 = synth.solve(task2, timeout=None, max_candidates=200_000, top=2)
    assert len(res2.alternatives) == 1
    alt = res2.alternatives[0]
    assert alt["outputs"] == [dom.parse(alt["program"], {"x": "List"}).run(r) for r in rows]
    assert alt["outputs"] != [res2.program.run(r) for r in rows]


def test_top_must_be_a_positive_integer():
    task = _task([({"x": [1, 2, 3]}, 3)])
    for bad in (0, -1, 1.5, True, "3"):
        with pytest.raises(synth.SynthError, match="top must be a positive integer"):
            synth.solve(task, timeout=None, max_candidates=1000, top=bad)


def test_cli_top_prints_other_fits_for_deepcoder_and_regex(tmp_path):
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"name": "t", "domain": "deepcoder",
                             "examples": [{"inputs": {"x": [1, 2, 3]}, "output": 3},
                                          {"inputs": {"x": [4, 5]}, "output": 5}]}))
    out = CliRunner().invoke(main, ["solve", str(f), "--timeout", "60", "--top", "3"])
    assert out.exit_code == 0, out.output
    assert "fit 2:" in out.output and "the answer gives" in out.output
    zip_code = Path(__file__).resolve().parent.parent / "examples" / "regex" / "zip-code.json"
    out = CliRunner().invoke(main, ["solve", str(zip_code), "--timeout", "60", "--top", "3"])
    assert out.exit_code == 0, out.output
    assert "fit 2:" in out.output and "differs on" in out.output
