"""Tasks: what the user wants a program for (examples, optional held-out tests, domain options).

``Task.from_dict`` validates the JSON task format of DESIGN.md §2; every problem becomes an
``InvalidTask`` (or ``InconsistentExamples``) whose message names the task and the field.

Limits on a task's values (any domain; a domain may narrow them, e.g. deepcoder's [-50, 50]):
strings and lists of at most ``MAX_STRING_LENGTH`` characters / ``MAX_LIST_LENGTH`` items
(10,000 each: far beyond any benchmark, whose longest string has 136 characters, and short enough
for the search's quadratic constant extraction), integers within +-``MAX_INT`` (64-bit). They and
their checks (``describe_value``, ``check_limits``, ``iter_values``) live in ``synth.dsl.values``,
where the domains' ``check_task`` can use them; this module re-exports them. A ``max_size`` is an
integer from 1 to ``MAX_SIZE``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

# the value limits and checks; MAX_INT, MAX_LIST_LENGTH, check_limits and iter_values are re-exported
from synth.dsl.values import (MAX_INT, MAX_LIST_LENGTH, MAX_STRING_LENGTH, check_limits, check_value,
                              describe_value, iter_values)
from synth.errors import InconsistentExamples, InvalidTask

#: largest ``max_size`` (program size bound)
MAX_SIZE = 1_000_000

#: task fields that every example-based task may have
_EXAMPLE_TASK_FIELDS = {"name", "domain", "examples", "tests", "inputs", "description", "ops", "constants",
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
    #: rows without outputs (the rest of a spreadsheet column): inputs only, same names as the
    #: examples'; a strategy may use them to choose among programs that fit the examples
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: where the task came from (a file path), for messages
    origin: str = ""

    @property
    def input_names(self) -> list[str]:
        return list(self.examples[0].inputs) if self.examples else []

    @property
    def where(self) -> str:
        """The prefix of this task's error messages: ``"FILE: task 'NAME': "``."""
        return f"{self.origin}: task {self.name!r}: " if self.origin else f"task {self.name!r}: "

    def validate(self) -> None:
        """Check a task however it was built (``Task(...)`` in Python skips ``from_dict``, and
        ``synth solve --domain`` changes the domain after reading): the examples' shape, values
        and limits, ``ops``, ``constants`` and ``max_size``, then the domain's own rules
        (``Domain.check_task``: deepcoder's range, robustfill's one string input, ...).
        Raises ``InvalidTask`` naming the field; an unknown domain is left to ``get_domain``."""
        if not isinstance(self.name, str):
            raise InvalidTask(f"task name must be a string, got {describe_value(self.name)}")
        where = self.where
        if not isinstance(self.domain, str):
            raise InvalidTask(f"{where}'domain' must be a string, got {describe_value(self.domain)}")
        if not isinstance(self.spec, dict):
            raise InvalidTask(f"{where}'spec' must be a dict, got {describe_value(self.spec)}")
        if "max_size" in self.spec:
            _check_max_size(self.spec["max_size"], where)
        if self.domain in ("regex", "lia"):
            self._validate_spec(where)
            return
        for key in ("examples", "tests"):
            exs = getattr(self, key)
            if not isinstance(exs, (list, tuple)):
                raise InvalidTask(f"{where}'{key}' must be a list of examples, got {describe_value(exs)}")
            for i, e in enumerate(exs):
                at = f"{where}{key}[{i}]"
                if not isinstance(e, Example):
                    raise InvalidTask(f"{at}: must be an Example(inputs, output), got {describe_value(e)}")
                if not isinstance(e.inputs, Mapping) or not e.inputs:
                    raise InvalidTask(f"{at}: 'inputs' must be a non-empty dict of named values")
                for k, v in e.inputs.items():
                    if not isinstance(k, str) or not k.isidentifier():
                        raise InvalidTask(f"{at}: input name {describe_value(k)} is not an identifier")
                    check_value(v, f"{at}.inputs.{k}", tuples=True)
                check_value(e.output, f"{at}.output", tuples=True)
        if not self.examples:
            raise InvalidTask(f"{where}the example list is empty; give at least one input/output example")
        _check_consistent_signature(list(self.examples) + list(self.tests), where, len(self.examples))
        _check_ops(self.ops, where)
        _check_constants(self.constants, where)
        if "max_size" in self.spec:
            _check_max_size(self.spec["max_size"], where)
        check_domain_rules(self)

    def _validate_spec(self, where: str) -> None:
        """A regex or lia task: specified by its ``spec``, not by input/output examples."""
        other = ("it has input/output examples" if self.examples or self.tests else
                 "it is a loop-invariant problem" if "loop" in self.spec or "sygus_inv" in self.spec
                 else "")
        if self.domain == "regex":
            if other:
                raise InvalidTask(f"{where}not a regex task ({other}); a regex task gives 'positive' "
                                  f"and 'negative' strings")
            _check_regex_spec(self.spec, where)
            return
        if self.examples or self.tests:
            raise InvalidTask(f"{where}not a lia task (it has input/output examples); a lia task "
                              f"gives a loop: 'vars', 'pre', 'guard', 'body' and 'post'")
        if "loop" in self.spec or "sygus_inv" in self.spec:
            return  # read from a C or SyGuS file: checked by that reader
        from synth.dsl.lia.loop import loop_from_spec
        try:
            loop_from_spec(self.name, self.spec, where)
        except RecursionError:
            raise InvalidTask(f"{where}an expression is nested too deeply to read; "
                              f"simplify the loop's conditions") from None

    # ------------------------------------------------------------------------------------
    @classmethod
    def from_examples(cls, examples: Sequence, *, name: str = "task", domain: str | None = None,
                      tests: Sequence = (), **options: Any) -> "Task":
        """Build a task from ``[(inputs_dict, output), ...]`` (or dicts with inputs/output)."""
        for key, seq in (("examples", examples), ("tests", tests)):
            if isinstance(seq, (str, bytes, Mapping)) or not isinstance(seq, (list, tuple)):
                raise InvalidTask(f"task {name!r}: {key} must be a list of (inputs, output) pairs, "
                                  f"got {describe_value(seq)}")
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
            raise InvalidTask(f"{where}task name must be a string, got {describe_value(name)}")
        where = f"{origin}: task {name!r}: " if origin else f"task {name!r}: "
        domain = d.get("domain")
        if domain is not None and not isinstance(domain, str):
            raise InvalidTask(f"{where}'domain' must be a string, got {describe_value(domain)}")

        # Tasks that are not input/output examples (regex, loop invariants) are checked by
        # their domain's own reader.
        if domain in ("regex", "lia") or (domain is None and ("positive" in d or "pre" in d)):
            domain = domain or ("regex" if "positive" in d else "lia")
            spec = {k: v for k, v in d.items() if k not in ("name", "domain", "description")}
            if "max_size" in spec:
                _check_max_size(spec["max_size"], where)
            if domain == "regex":
                _check_regex_spec(spec, where)
            else:
                from synth.dsl.lia.loop import loop_from_spec
                try:
                    loop_from_spec(name, spec, where)  # raises InvalidTask naming the bad field
                except RecursionError:  # backstop: an expression nested thousands of levels deep
                    raise InvalidTask(f"{where}an expression is nested too deeply to read; "
                                      f"simplify the loop's conditions") from None
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
        _check_consistent_signature(examples + tests, where, len(examples))
        unlabeled = _read_unlabeled(d.get("inputs", []), examples, where)
        _check_no_contradiction(examples, where)
        if domain is None:
            domain = infer_domain(examples)
        ops = d.get("ops")
        _check_ops(ops, where)
        constants = d.get("constants", [])
        _check_constants(constants, where)
        if "max_size" in d:
            _check_max_size(d["max_size"], where)
        spec = {k: d[k] for k in ("source", "solution", "tags", "split", "max_size") if k in d}
        task = cls(name=name, domain=domain, examples=examples, tests=tests,
                   description=str(d.get("description", "")), ops=ops, constants=constants,
                   spec=spec, inputs=unlabeled, origin=origin)
        check_domain_rules(task)
        return task

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "domain": self.domain}
        if self.examples:
            d["examples"] = [{"inputs": dict(e.inputs), "output": e.output} for e in self.examples]
        if self.tests:
            d["tests"] = [{"inputs": dict(e.inputs), "output": e.output} for e in self.tests]
        if self.inputs:
            d["inputs"] = [dict(r) for r in self.inputs]
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
        for i, x in enumerate(v):
            if len(x) > MAX_STRING_LENGTH:
                raise InvalidTask(f"{where}{key}[{i}] has {len(x):,} characters; example strings may "
                                  f"have at most {MAX_STRING_LENGTH:,}")
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
                      f"with 'inputs' and 'output', got {describe_value(e)}")


def _check_ops(ops: Any, where: str) -> None:
    """``ops``: an op-set name, a comma list of op names, or a non-empty list of op names."""
    if ops is None:
        return
    if isinstance(ops, str):
        if not any(n.strip() for n in ops.split(",")):
            raise InvalidTask(f"{where}'ops' is empty; give an op-set name (such as 'all') or op "
                              f"names, or leave 'ops' out for the domain's default ops")
        return
    if not isinstance(ops, (list, tuple)) or not all(isinstance(o, str) for o in ops):
        raise InvalidTask(f"{where}'ops' must be an op-set name or a list of op names, got {describe_value(ops)}")
    if not ops:
        raise InvalidTask(f"{where}'ops' is an empty list; give at least one op name, or leave 'ops' "
                          f"out for the domain's default ops")
    if not all(o.strip() for o in ops):
        raise InvalidTask(f"{where}'ops' has an empty op name")


def _check_constants(constants: Any, where: str) -> None:
    """``constants``: a list of extra literals (strings, integers, booleans)."""
    if not isinstance(constants, (list, tuple)):
        raise InvalidTask(f"{where}'constants' must be a list of values, got {describe_value(constants)}")
    for i, c in enumerate(constants):
        if not isinstance(c, (str, int)):  # bool is an int
            raise InvalidTask(f"{where}constants[{i}] must be a string, integer or boolean, "
                              f"got {describe_value(c)}")
        check_value(c, f"{where}constants[{i}]")


def _check_max_size(v: Any, where: str) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_SIZE:
        raise InvalidTask(f"{where}'max_size' must be an integer from 1 to {MAX_SIZE:,} (the largest "
                          f"program size to search), got {describe_value(v)}")


def check_domain_rules(task: "Task") -> None:
    """The domain's own checks of a task (``Domain.check_task``), where the domain is known and
    has them; an unknown domain is reported later by ``get_domain`` (``UnknownDomain``)."""
    from synth.dsl import available_domains, get_domain

    if not isinstance(task.domain, str) or task.domain not in available_domains():
        return
    check = getattr(get_domain(task.domain), "check_task", None)
    if check is not None:
        check(task)


def _read_examples(raw: Any, where: str, key: str) -> list[Example]:
    if not isinstance(raw, list):
        raise InvalidTask(f"{where}'{key}' must be a list, got {type(raw).__name__}")
    if key == "examples" and not raw:
        raise InvalidTask(f"{where}the example list is empty; give at least one input/output example")
    out = []
    for i, e in enumerate(raw):
        at = f"{where}{key}[{i}]"
        if not isinstance(e, dict):
            raise InvalidTask(f"{at}: each example must be an object with 'inputs' and 'output', "
                              f"got {describe_value(e)}")
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
            if not isinstance(k, str) or not k.isidentifier():
                raise InvalidTask(f"{at}: input name {describe_value(k)} is not an identifier")
            check_value(v, f"{at}.inputs.{k}")
        check_value(e["output"], f"{at}.output")
        out.append(Example(dict(inputs), e["output"]))
    return out


def _read_unlabeled(raw: Any, examples: list[Example], where: str) -> list[dict[str, Any]]:
    """A task's ``inputs``: rows without outputs, each an object with the examples' input names
    and values of the same kinds."""
    if not isinstance(raw, list):
        raise InvalidTask(f"{where}'inputs' must be a list of rows (objects of named values), got "
                          f"{type(raw).__name__}")
    names = list(examples[0].inputs)
    kinds = {k: _kind(v) for k, v in examples[0].inputs.items()}
    rows = []
    for i, r in enumerate(raw):
        at = f"{where}inputs[{i}]"
        if not isinstance(r, dict):
            raise InvalidTask(f"{at}: a row must be an object of named values, got {describe_value(r)}")
        if set(r) != set(names):
            raise InvalidTask(f"{at}: a row must have the examples' inputs ({', '.join(names)}), "
                              f"got {', '.join(map(str, r)) or 'none'}")
        for k, v in r.items():
            check_value(v, f"{at}.{k}")
            if _kind(v) != kinds[k]:
                raise InvalidTask(f"{at}.{k}: is {_kind(v)} but the examples' {k} is {kinds[k]}")
        rows.append(dict(r))
    return rows


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, str):
        return "string"
    return "list"


def _check_consistent_signature(examples: list[Example], where: str, n_examples: int | None = None) -> None:
    """Every example (and test: those after the first ``n_examples``) has example 0's input
    names and value kinds."""
    n = len(examples) if n_examples is None else n_examples

    def label(i: int) -> str:
        return f"example {i}" if i < n else f"test {i - n}"

    def a(kind: str) -> str:
        return f"an {kind}" if kind == "int" else f"a {kind}"

    first = examples[0]
    names = list(first.inputs)
    kinds = {k: _kind(v) for k, v in first.inputs.items()}
    out_kind = _kind(first.output)
    for i, e in enumerate(examples[1:], 1):
        if sorted(e.inputs) != sorted(names):
            raise InvalidTask(f"{where}{label(i)} has inputs {sorted(e.inputs)} but example 0 has "
                              f"{sorted(names)}; every example needs the same input names")
        for k, v in e.inputs.items():
            if _kind(v) != kinds[k]:
                raise InvalidTask(f"{where}input {k!r} is {a(kinds[k])} in example 0 but "
                                  f"{a(_kind(v))} in {label(i)}; give every example the same types")
        if _kind(e.output) != out_kind:
            raise InvalidTask(f"{where}the output is {a(out_kind)} in example 0 but "
                              f"{a(_kind(e.output))} in {label(i)}")


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
