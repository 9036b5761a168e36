"""Tasks: what the user wants a program for (examples, optional held-out tests, domain options).

``Task.from_dict`` validates the JSON task format of DESIGN.md §2; every problem becomes an
``InvalidTask`` (or ``InconsistentExamples``) whose message names the task and the field.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from synth.errors import InconsistentExamples, InvalidTask

#: task fields that every example-based task may have
_EXAMPLE_TASK_FIELDS = {"name", "domain", "examples", "tests", "description", "ops", "constants",
                        "source", "solution", "tags", "split", "max_size"}


@dataclass(frozen=True)
class Example:
    inputs: Mapping[str, Any]
    output: Any


@dataclass
class Task:
    """One synthesis problem.

    ``examples`` drive the search; ``tests`` (optional) are held out and only used to report
    ``test_ok``. ``ops`` restricts the domain's ops (a set name such as ``"bustle"`` or a list of
    op names); ``constants`` adds literals. Domains with other specifications (regex, lia) keep
    them in ``spec``.
    """

    name: str
    domain: str
    examples: list[Example] = field(default_factory=list)
    tests: list[Example] = field(default_factory=list)
    description: str = ""
    ops: Any = None
    constants: list[Any] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)
    #: where the task came from (a file path), for messages
    origin: str = ""

    @property
    def input_names(self) -> list[str]:
        return list(self.examples[0].inputs) if self.examples else []

    # ------------------------------------------------------------------------------------
    @classmethod
    def from_examples(cls, examples: Sequence, *, name: str = "task", domain: str | None = None,
                      tests: Sequence = (), **options: Any) -> "Task":
        """Build a task from ``[(inputs_dict, output), ...]`` (or dicts with inputs/output)."""
        d = {"name": name, "examples": [_pair_to_dict(e, name) for e in examples],
             "tests": [_pair_to_dict(e, name) for e in tests]}
        if domain is not None:
            d["domain"] = domain
        d.update(options)
        return cls.from_dict(d)

    @classmethod
    def from_dict(cls, d: Any, origin: str = "") -> "Task":
        where = f"{origin}: " if origin else ""
        if not isinstance(d, dict):
            raise InvalidTask(f"{where}a task must be a JSON object, got {type(d).__name__}")
        name = d.get("name", "task")
        if not isinstance(name, str):
            raise InvalidTask(f"{where}task name must be a string, got {name!r}")
        where = f"{origin}: task {name!r}: " if origin else f"task {name!r}: "
        domain = d.get("domain")
        if domain is not None and not isinstance(domain, str):
            raise InvalidTask(f"{where}'domain' must be a string, got {domain!r}")

        # Tasks that are not input/output examples (regex, loop invariants) are checked by
        # their domain's own reader.
        if domain in ("regex", "lia") or (domain is None and ("positive" in d or "pre" in d)):
            domain = domain or ("regex" if "positive" in d else "lia")
            spec = {k: v for k, v in d.items() if k not in ("name", "domain", "description")}
            if domain == "regex":
                _check_regex_spec(spec, where)
            else:
                from synth.dsl.lia.loop import loop_from_spec
                loop_from_spec(name, spec, where)  # raises InvalidTask naming the bad field
            return cls(name=name, domain=domain, description=str(d.get("description", "")),
                       spec=spec, origin=origin)

        unknown = set(d) - _EXAMPLE_TASK_FIELDS
        if unknown:
            raise InvalidTask(f"{where}unknown field(s) {', '.join(sorted(unknown))}; "
                              f"allowed: {', '.join(sorted(_EXAMPLE_TASK_FIELDS))}")
        if "examples" not in d:
            raise InvalidTask(f"{where}missing field 'examples' (a list of {{inputs, output}} objects)")
        examples = _read_examples(d["examples"], where, "examples")
        if not examples:
            raise InvalidTask(f"{where}the example list is empty; give at least one input/output example")
        tests = _read_examples(d.get("tests", []), where, "tests")
        _check_consistent_signature(examples + tests, where)
        _check_no_contradiction(examples, where)
        if domain is None:
            domain = infer_domain(examples)
        ops = d.get("ops")
        if ops is not None and not (isinstance(ops, str) or
                                    (isinstance(ops, list) and all(isinstance(o, str) for o in ops))):
            raise InvalidTask(f"{where}'ops' must be an op-set name or a list of op names")
        constants = d.get("constants", [])
        if not isinstance(constants, list):
            raise InvalidTask(f"{where}'constants' must be a list of values")
        spec = {k: d[k] for k in ("source", "solution", "tags", "split", "max_size") if k in d}
        return cls(name=name, domain=domain, examples=examples, tests=tests,
                   description=str(d.get("description", "")), ops=ops, constants=constants,
                   spec=spec, origin=origin)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "domain": self.domain}
        if self.examples:
            d["examples"] = [{"inputs": dict(e.inputs), "output": e.output} for e in self.examples]
        if self.tests:
            d["tests"] = [{"inputs": dict(e.inputs), "output": e.output} for e in self.tests]
        if self.description:
            d["description"] = self.description
        if self.ops is not None:
            d["ops"] = self.ops
        if self.constants:
            d["constants"] = self.constants
        d.update(self.spec)
        return d


_REGEX_FIELDS = {"positive", "negative", "source", "tags", "solution", "max_size"}


def _check_regex_spec(spec: dict, where: str) -> None:
    """A regex task: non-empty list of positive strings, list of negative strings, none in both."""
    unknown = set(spec) - _REGEX_FIELDS
    if unknown:
        raise InvalidTask(f"{where}unknown field(s) {', '.join(sorted(unknown))} in a regex task; "
                          f"allowed: {', '.join(sorted(_REGEX_FIELDS))}")
    if "positive" not in spec:
        raise InvalidTask(f"{where}missing field 'positive' (a list of strings the regex must accept)")
    for key in ("positive", "negative"):
        v = spec.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise InvalidTask(f"{where}'{key}' must be a list of strings")
    if not spec["positive"]:
        raise InvalidTask(f"{where}'positive' is empty; give at least one string to accept")
    both = sorted(set(spec["positive"]) & set(spec.get("negative", [])))
    if both:
        raise InconsistentExamples(f"{where}{json.dumps(both[0])} is both a positive and a negative "
                                   f"example; no regex can accept and reject it")


def _pair_to_dict(e: Any, name: str) -> Any:
    if isinstance(e, dict):
        return e
    if isinstance(e, (tuple, list)) and len(e) == 2:
        return {"inputs": e[0], "output": e[1]}
    raise InvalidTask(f"task {name!r}: each example must be an (inputs, output) pair or a dict "
                      f"with 'inputs' and 'output', got {e!r}")


def _check_value(v: Any, where: str) -> None:
    ok = isinstance(v, (str, bool, int)) or (
        isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v))
    if not ok:
        raise InvalidTask(f"{where}: values must be strings, integers, booleans or lists of "
                          f"integers, got {json.dumps(v) if _jsonable(v) else repr(v)}")


def _jsonable(v: Any) -> bool:
    try:
        json.dumps(v)
        return True
    except (TypeError, ValueError):
        return False


def _read_examples(raw: Any, where: str, key: str) -> list[Example]:
    if not isinstance(raw, list):
        raise InvalidTask(f"{where}'{key}' must be a list, got {type(raw).__name__}")
    out = []
    for i, e in enumerate(raw):
        at = f"{where}{key}[{i}]"
        if not isinstance(e, dict):
            raise InvalidTask(f"{at}: each example must be an object with 'inputs' and 'output'")
        missing = [k for k in ("inputs", "output") if k not in e]
        if missing:
            raise InvalidTask(f"{at}: missing field {missing[0]!r}")
        extra = set(e) - {"inputs", "output"}
        if extra:
            raise InvalidTask(f"{at}: unknown field(s) {', '.join(sorted(extra))}")
        inputs = e["inputs"]
        if not isinstance(inputs, dict) or not inputs:
            raise InvalidTask(f"{at}: 'inputs' must be a non-empty object of named values")
        for k, v in inputs.items():
            if not k.isidentifier():
                raise InvalidTask(f"{at}: input name {k!r} is not an identifier")
            _check_value(v, f"{at}.inputs.{k}")
        _check_value(e["output"], f"{at}.output")
        out.append(Example(dict(inputs), e["output"]))
    return out


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, str):
        return "string"
    return "list"


def _check_consistent_signature(examples: list[Example], where: str) -> None:
    first = examples[0]
    names = list(first.inputs)
    kinds = {k: _kind(v) for k, v in first.inputs.items()}
    out_kind = _kind(first.output)
    for i, e in enumerate(examples[1:], 1):
        if sorted(e.inputs) != sorted(names):
            raise InvalidTask(f"{where}example {i} has inputs {sorted(e.inputs)} but example 0 has "
                              f"{sorted(names)}; every example needs the same input names")
        for k, v in e.inputs.items():
            if _kind(v) != kinds[k]:
                raise InvalidTask(f"{where}input {k!r} is a {kinds[k]} in example 0 but a "
                                  f"{_kind(v)} in example {i}; give every example the same types")
        if _kind(e.output) != out_kind:
            raise InvalidTask(f"{where}the output is a {out_kind} in example 0 but a "
                              f"{_kind(e.output)} in example {i}")


def _check_no_contradiction(examples: list[Example], where: str) -> None:
    seen: dict[str, int] = {}
    for i, e in enumerate(examples):
        key = json.dumps(e.inputs, sort_keys=True)
        if key in seen:
            j = seen[key]
            if examples[j].output != e.output:
                raise InconsistentExamples(
                    f"{where}examples {j} and {i} have the same inputs {key} but different outputs "
                    f"({json.dumps(examples[j].output)} vs {json.dumps(e.output)}); no program fits both",
                    conflicting=(j, i))
        else:
            seen[key] = i


def infer_domain(examples: list[Example]) -> str:
    """strings when every value is a string; deepcoder for integers and integer lists."""
    values = [v for e in examples for v in (*e.inputs.values(), e.output)]
    if all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) and \
            isinstance(examples[0].output, str):
        return "strings"
    if all(isinstance(v, (int, list)) and not isinstance(v, bool) for v in values):
        return "deepcoder"
    return "strings"
