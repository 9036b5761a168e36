"""Other DeepCoder fits one edit away, and the question that tells them apart (issue 21)."""
import json

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
