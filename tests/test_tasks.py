"""Task files and their validation: every bad input is a one-line SynthError naming the problem."""
import json

import pytest

import synth
from synth.errors import InconsistentExamples, InvalidTask, UnknownDomain, UnknownOp
from synth.task import Task


def write(tmp_path, text, name="t.json"):
    p = tmp_path / name
    p.write_text(text if isinstance(text, str) else json.dumps(text))
    return p


GOOD = {"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "A"}]}


def test_single_task_and_suite_and_jsonl(tmp_path):
    assert len(synth.load_tasks(write(tmp_path, GOOD))) == 1
    assert len(synth.load_tasks(write(tmp_path, {"tasks": [GOOD, GOOD]}))) == 2
    p = write(tmp_path, json.dumps(GOOD) + "\n\n" + json.dumps(GOOD) + "\n", "s.jsonl")
    assert [t.name for t in synth.load_tasks(p)] == ["t", "t"]


def test_domain_inferred():
    t = Task.from_dict(GOOD)
    assert t.domain == "strings"
    t = Task.from_dict({"examples": [{"inputs": {"xs": [1, 2]}, "output": 3}]})
    assert t.domain == "deepcoder"


@pytest.mark.parametrize("text,needle", [
    ("{not json", "malformed JSON at line 1"),
    ("[]", "not a bare list"),
    (json.dumps({"tasks": []}), "no tasks"),
    (json.dumps({"name": "t"}), "missing field 'examples'"),
    (json.dumps({"name": "t", "examples": []}), "example list is empty"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": "a"}}]}), "missing field 'output'"),
    (json.dumps({"name": "t", "examples": [{"inputs": {}, "output": "a"}]}), "non-empty object"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": 1.5}, "output": "a"}]}), "values must be"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "b"},
                                           {"inputs": {"y": "a"}, "output": "b"}]}), "same input names"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "b"},
                                           {"inputs": {"x": 3}, "output": "b"}]}), "same types"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "b"},
                                           {"inputs": {"x": "c"}, "output": 4}]}), "the output is a string"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "b"}], "colour": 1}),
     "unknown field(s) colour"),
    (json.dumps({"name": "t", "examples": "nope"}), "must be a list"),
])
def test_bad_task_files(tmp_path, text, needle):
    with pytest.raises(InvalidTask) as e:
        synth.load_tasks(write(tmp_path, text))
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_contradictory_examples_name_the_clash():
    with pytest.raises(InconsistentExamples) as e:
        Task.from_dict({"name": "t", "examples": [{"inputs": {"x": "a"}, "output": "b"},
                                                  {"inputs": {"x": "z"}, "output": "q"},
                                                  {"inputs": {"x": "a"}, "output": "c"}]})
    assert e.value.conflicting == (0, 2)
    assert "examples 0 and 2" in str(e.value)


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(InvalidTask, match="no such file"):
        synth.load_tasks(tmp_path / "nope.json")
    with pytest.raises(InvalidTask, match="unknown task file type"):
        synth.load_tasks(write(tmp_path, "x", "t.txt"))


def test_unknown_domain_and_op():
    t = Task.from_dict({**GOOD, "domain": "klingon"})
    with pytest.raises(UnknownDomain, match="unknown domain 'klingon'"):
        synth.solve(t)
    t = Task.from_dict({**GOOD, "ops": ["LEFT", "FROBNICATE"]})
    with pytest.raises(UnknownOp, match="FROBNICATE"):
        synth.solve(t)


def test_from_examples_pairs_and_round_trip():
    t = Task.from_examples([({"x": "a"}, "A")], tests=[({"x": "b"}, "B")], name="up")
    assert t.examples[0].inputs == {"x": "a"} and t.tests[0].output == "B"
    assert Task.from_dict(t.to_dict()).to_dict() == t.to_dict()
    with pytest.raises(InvalidTask):
        Task.from_examples(["oops"])
