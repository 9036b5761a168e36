"""Warnings on programs that fit their examples but are probably not the ones meant (issue 21)."""
from __future__ import annotations

import json

from click.testing import CliRunner

import synth
from synth.cli import main
from synth.dsl import get_domain
from synth.plausibility import copied_constants, operations, warnings_for
from synth.task import Task


def _task(examples):
    return Task.from_dict({"name": "t", "domain": "strings",
                           "examples": [{"inputs": i, "output": o} for i, o in examples]})


def test_copied_constants_are_text_of_the_outputs_not_the_inputs():
    dom = get_domain("strings")
    task = _task([({"s": "ab"}, "x1-ab"), ({"s": "cd"}, "y2-cd"), ({"s": "ef"}, "z3-ef")])
    node = dom.parse('IF(EXACT(s, "ab"), "x1-ab", IF(EXACT(s, "cd"), "y2-cd", "z3-ef"))').node
    assert copied_constants(node, task.examples) == ["x1-ab", "y2-cd", "z3-ef"]
    assert any("copies 3 constants" in w for w in warnings_for(node, task.examples))
    # constants found in the inputs ("ab" is a test against an input) are not copies
    plain = dom.parse('CONCATENATE(s, "!")').node
    assert copied_constants(plain, task.examples) == [] and warnings_for(plain, task.examples) == []


def test_large_program_for_few_examples_is_flagged():
    dom = get_domain("strings")
    task = _task([({"s": "ab"}, "AB")])
    assert warnings_for(dom.parse("UPPER(s)").node, task.examples) == []
    big = dom.parse("CONCATENATE(" + ", ".join(["LEFT(UPPER(s), 1)"] * 4) + ")").node
    assert operations(big) == 13
    assert warnings_for(big, task.examples) == []
    bigger = dom.parse("CONCATENATE(" + ", ".join(["LEFT(UPPER(s), 1)"] * 5) + ")").node
    assert any("16 operations and inputs for 1 example" in w for w in warnings_for(bigger, task.examples))
    # formats and steps are not operations: a date reading stays small
    date = dom.parse('DATETEXT(s, "{m}/{d}/{yyyy}", "{yyyy}-{mm}-{dd}", "", 0)').node
    assert operations(date) == 2


def test_result_and_record_carry_the_warnings(tmp_path):
    # a lookup of answers: right on these rows, a guess on any other colour
    rows = [({"s": "red"}, "stop"), ({"s": "green"}, "go"), ({"s": "red"}, "stop")]
    res = synth.solve(_task(rows), strategy="deductive", timeout=None, max_candidates=2_000_000)
    assert res.solved
    assert res.warnings and "copies 2 constants" in res.warnings[0]
    assert res.to_record()["warnings"] == res.warnings
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"name": "t", "domain": "strings",
                             "examples": [{"inputs": i, "output": o} for i, o in rows]}))
    out = CliRunner().invoke(main, ["solve", str(f), "--strategy", "deductive", "--timeout", "60"])
    assert out.exit_code == 0, out.output
    assert "warning: the program copies" in out.output


def test_a_template_is_not_a_copy():
    dom = get_domain("strings")
    task = Task.from_dict({"name": "t", "domain": "strings", "examples": [
        {"inputs": {"a": "Jo", "b": "Al"}, "output": "To: Jo; From: Al; Re: lunch"},
        {"inputs": {"a": "Ed", "b": "Bo"}, "output": "To: Ed; From: Bo; Re: lunch"}]})
    node = dom.parse('CONCATENATE("To: ", a, "; From: ", b, "; Re: lunch")').node
    assert copied_constants(node, task.examples) == [] and warnings_for(node, task.examples) == []


def test_a_plausible_program_has_no_warning():
    res = synth.solve(_task([({"s": "John Smith"}, "Smith"), ({"s": "Ada Lovelace"}, "Lovelace")]),
                      timeout=None, max_candidates=2_000_000)
    assert res.solved and res.warnings == []
