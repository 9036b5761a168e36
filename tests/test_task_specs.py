"""Typed task specs (``synth.task.TaskSpec`` and its kinds): built from the JSON task format,
checked when built, written back unchanged, and read through the dict view of earlier versions."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from synth.errors import InconsistentExamples, InvalidTask
from synth.executors.wire import task_from_wire, task_to_wire
from synth.io import read_tasks
from synth.task import (ExampleSpec, GrammarSpec, InvariantSpec, LiaSpec, LoopSpec, RegexSpec, Task, TaskSpec,
                        spec_from_dict)

ROOT = Path(__file__).resolve().parent.parent

REGEX = {"name": "r", "domain": "regex", "positive": ["a", "ab"], "negative": ["b"], "solution": "ab?"}
LIA = {"name": "l", "domain": "lia", "vars": ["x", "n"], "pre": "x == 0 and n >= 0", "guard": "x < n",
       "body": "x = x + 1", "post": "x == n", "tags": ["count"]}
STRINGS = {"name": "s", "examples": [{"inputs": {"x": "a"}, "output": "A"}], "max_size": 4,
           "source": "here", "split": "NONE"}


@pytest.mark.parametrize("d,kind", [(REGEX, RegexSpec), (LIA, LiaSpec), (STRINGS, ExampleSpec)])
def test_json_tasks_get_their_kind_of_spec_and_write_it_back_unchanged(d, kind):
    t = Task.from_dict(d)
    assert type(t.spec) is kind
    back = t.to_dict()
    assert back == {"domain": t.domain, **d}
    assert Task.from_dict(json.loads(json.dumps(back))) == t


def test_spec_fields_are_typed():
    r = Task.from_dict(REGEX).spec
    assert r.positive == ("a", "ab") and r.negative == ("b",) and r.solution == "ab?"
    lia = Task.from_dict(LIA).spec
    assert lia.vars == ("x", "n") and lia.guard == "x < n" and lia.bool_vars is None
    assert lia.parse_loop("l").vars == ["x", "n"]
    s = Task.from_dict(STRINGS).spec
    assert (s.max_size, s.source, s.split, s.solution) == (4, "here", "NONE", None)


def test_specs_are_frozen():
    spec = Task.from_dict(REGEX).spec
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.positive = ("z",)


def test_a_lia_task_without_guard_is_written_with_a_null_guard():
    d = {k: v for k, v in LIA.items() if k != "guard"}
    t = Task.from_dict(d)
    assert t.spec.guard is None and t.to_dict()["guard"] is None
    assert Task.from_dict(t.to_dict()) == t


def test_a_spec_dict_in_python_becomes_its_kind():
    assert type(Task(name="t", domain="regex", spec={"positive": ["a"]}).spec) is RegexSpec
    assert type(Task(name="t", domain="strings", spec={"max_size": 3}).spec) is ExampleSpec
    assert type(spec_from_dict({"pre": "x == 0", "body": "x = x + 1", "post": "x >= 0"})) is LiaSpec
    assert type(spec_from_dict({"loop": object()})) is LoopSpec
    assert type(spec_from_dict({"sygus_inv": object()})) is InvariantSpec
    assert type(spec_from_dict({"sygus": object()})) is GrammarSpec


def test_a_bad_spec_dict_is_reported_by_validate():
    t = Task(name="t", domain="regex", spec={"positive": []})
    assert isinstance(t.spec, dict)
    with pytest.raises(InvalidTask, match=r"^task 't': 'positive' is empty"):
        t.validate()
    with pytest.raises(InvalidTask, match="unknown field"):
        Task(name="t", domain="strings", examples=[], spec={"nope": 1}).validate()
    with pytest.raises(InvalidTask, match="'spec' must be"):
        Task(name="t", domain="strings", spec=3).validate()


def test_specs_built_directly_are_checked():
    with pytest.raises(InconsistentExamples):
        RegexSpec(positive=("a",), negative=("a",))
    with pytest.raises(InvalidTask, match="must be a list of strings"):
        RegexSpec(positive=("a", 1))
    with pytest.raises(InvalidTask, match="'max_size'"):
        ExampleSpec(max_size=0)
    with pytest.raises(InvalidTask, match="'post' must be a string"):
        LiaSpec(pre="x == 0", body="x = x + 1", post=3)


def test_the_dict_view_reads_like_the_old_spec_dict():
    spec = Task.from_dict(STRINGS).spec
    assert isinstance(spec, TaskSpec)
    assert spec.get("max_size") == 4 and spec["split"] == "NONE" and "tags" not in spec
    assert spec.get("sygus") is None and spec.get("search_grammar") is None
    assert dict(spec) == {"source": "here", "split": "NONE", "max_size": 4}


def test_parsed_file_specs_travel_as_their_file():
    f = ROOT / "benchmarks/data/code2inv/c/1.c"
    if not f.exists():
        pytest.skip("no code2inv data")
    t = read_tasks(f)[0]
    assert type(t.spec) is LoopSpec and t.spec.source == str(f)
    back = task_from_wire(task_to_wire(t))
    assert back.spec == t.spec
