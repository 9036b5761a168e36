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

A task's ``spec`` is one frozen dataclass per kind of specification, checked when it is built:
``ExampleSpec`` (input/output examples: only metadata), ``RegexSpec`` (positive and negative
strings), ``LiaSpec`` (a JSON loop: vars, pre, guard, body, post), ``LoopSpec`` (a loop parsed from
a C file), ``InvariantSpec`` (a SyGuS synth-inv problem) and ``GrammarSpec`` (a SyGuS PBE problem
and its grammar). Each one's ``to_dict`` gives its fields of the JSON task format, and each keeps a
read-only dict view (``spec.get("max_size")``, ``"sygus" in spec``) for code that reads the old
``spec`` dict.
"""
from __future__ import annotations

import json
from dataclasses import InitVar, dataclass, field
from typing import Any, ClassVar, Iterator, Mapping, Sequence

# the value limits and checks; MAX_INT, MAX_LIST_LENGTH, check_limits and iter_values are re-exported
from synth.dsl.values import (MAX_INT, MAX_LIST_LENGTH, MAX_STRING_LENGTH, check_limits, check_value,
                              describe_value, iter_values, scalar_type)
from synth.errors import InconsistentExamples, InvalidTask, SynthError

#: largest ``max_size`` (program size bound)
MAX_SIZE = 1_000_000

#: task fields that every example-based task may have
_EXAMPLE_TASK_FIELDS = {"name", "domain", "examples", "tests", "inputs", "description", "ops", "constants",
                        "source", "solution", "tags", "split", "max_size"}


# ----------------------------------------------------------------------------- specifications
@dataclass(frozen=True, kw_only=True)
class TaskSpec:
    """What a task specifies besides its examples: the base of one frozen class per kind of
    task, each checked when built (``where``, not a field: the prefix of its error messages,
    ``"task 'NAME': "``). The base holds the metadata every kind may carry: ``source`` (the file
    or data set the task came from), ``solution`` (a known answer in the domain's program text),
    ``tags``, and ``max_size`` (the largest program size to search, 1 to ``MAX_SIZE``; None: the
    default).

    ``from_fields`` reads a task's JSON fields (``FIELDS``); ``to_dict`` gives them back, those
    that are set (None: left out). ``get``, ``[]``, ``in``, ``keys`` and ``items`` read that dict:
    a read-only view for code written against the ``spec`` dict of earlier versions."""

    #: the JSON fields of this kind of task, in the order ``to_dict`` writes them
    FIELDS: ClassVar[tuple[str, ...]] = ("source", "solution", "tags", "max_size")
    #: the fields a task of this kind must give
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    #: what a task of this kind is, for messages
    KIND: ClassVar[str] = "a task"

    source: Any = None
    solution: Any = None
    tags: Any = None
    max_size: int | None = None
    where: InitVar[str] = ""

    def __post_init__(self, where: str) -> None:
        if self.max_size is not None:
            _check_max_size(self.max_size, where)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any], where: str = "", name: str = "task") -> "TaskSpec":
        """The spec of a task's JSON fields; ``InvalidTask`` (or ``InconsistentExamples``) names
        the bad one (``name``: the task's, for the loops of lia tasks)."""
        if "max_size" in fields:
            _check_max_size(fields["max_size"], where)
        cls._check_fields(fields, where)
        return cls(**fields, where=where)

    @classmethod
    def _check_fields(cls, fields: Mapping[str, Any], where: str) -> None:
        unknown = set(fields) - set(cls.FIELDS)
        if unknown:
            raise InvalidTask(f"{where}unknown field(s) {', '.join(sorted(map(str, unknown)))} in "
                              f"{cls.KIND}; allowed: {', '.join(sorted(cls.FIELDS))}")
        for key in cls.REQUIRED:
            if key not in fields:
                raise InvalidTask(f"{where}missing field {key!r} in {cls.KIND}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON fields of this spec that are set (tuples as lists)."""
        out: dict[str, Any] = {}
        for key in self.FIELDS:
            v = getattr(self, key)
            if v is not None:
                out[key] = list(v) if isinstance(v, tuple) else v
        return out

    # the read-only dict view of earlier versions' ``Task.spec``
    def _view(self) -> dict[str, Any]:
        return self.to_dict()

    def get(self, key: str, default: Any = None) -> Any:
        return self._view().get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self._view()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._view()

    def __iter__(self) -> Iterator[str]:
        return iter(self._view())

    def keys(self):
        return self._view().keys()

    def items(self):
        return self._view().items()


@dataclass(frozen=True, kw_only=True)
class ExampleSpec(TaskSpec):
    """The spec of an input/output example task (the examples are the ``Task``'s): metadata
    only, with ``split``, the data set split a generated task was drawn from (ExeDec's), which
    picks the subgoal model."""

    FIELDS = ("source", "solution", "tags", "split", "max_size")
    KIND = "an example task"

    split: Any = None


@dataclass(frozen=True, kw_only=True)
class RegexSpec(TaskSpec):
    """A regex task: strings the regex must accept (at least one) and strings it must reject,
    none in both, each of at most ``MAX_STRING_LENGTH`` characters. ``solution`` is the intended
    regex (read, and checked, by the regex search)."""

    FIELDS = ("positive", "negative", "source", "tags", "solution", "max_size")
    KIND = "a regex task"

    positive: tuple[str, ...]
    negative: tuple[str, ...] = ()

    def __post_init__(self, where: str) -> None:
        super().__post_init__(where)
        for key in ("positive", "negative"):
            v = getattr(self, key)
            if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
                raise InvalidTask(f"{where}'{key}' must be a list of strings")
            for i, x in enumerate(v):
                if len(x) > MAX_STRING_LENGTH:
                    raise InvalidTask(f"{where}{key}[{i}] has {len(x):,} characters; example strings may "
                                      f"have at most {MAX_STRING_LENGTH:,}")
            object.__setattr__(self, key, tuple(v))
        if not self.positive:
            raise InvalidTask(f"{where}'positive' is empty; give at least one string to accept")
        both = sorted(set(self.positive) & set(self.negative))
        if both:
            raise InconsistentExamples(f"{where}{json.dumps(both[0])} is both a positive and a negative "
                                       f"example; no regex can accept and reject it")

    @classmethod
    def _check_fields(cls, fields: Mapping[str, Any], where: str) -> None:
        super()._check_fields(fields, where)
        if "positive" not in fields:
            raise InvalidTask(f"{where}missing field 'positive' (a list of strings the regex must accept)")


@dataclass(frozen=True, kw_only=True)
class LiaSpec(TaskSpec):
    """A loop-invariant task given as JSON: the loop's variables (``vars``; None: those it
    mentions), integer variables that are booleans (``bool_vars``), and the texts of its
    precondition, guard (None: a loop that may stop after any iteration), body and
    postcondition, checked by parsing them (``synth.dsl.lia.loop.loop_from_spec``). ``invalid``
    marks a benchmark whose postcondition does not hold. ``to_dict`` always writes ``guard``."""

    FIELDS = ("vars", "pre", "guard", "body", "post", "bool_vars", "source", "tags", "solution",
              "invalid", "max_size")
    KIND = "a lia task"

    pre: str
    guard: str | None = None
    body: str
    post: str
    vars: tuple[str, ...] | None = None
    bool_vars: tuple[str, ...] | None = None
    invalid: Any = None

    def __post_init__(self, where: str) -> None:
        super().__post_init__(where)
        self.parse_loop("task", where)  # checks every field
        for key in ("vars", "bool_vars"):
            if getattr(self, key) is not None:
                object.__setattr__(self, key, tuple(getattr(self, key)))

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any], where: str = "", name: str = "task") -> "LiaSpec":
        if "max_size" in fields:
            _check_max_size(fields["max_size"], where)
        _read_loop(name, fields, where)  # unknown and missing fields, named as a lia task's
        return cls(**fields, where=where)

    def parse_loop(self, name: str, where: str = ""):
        """The parsed loop (a ``synth.dsl.lia.loop.LoopProblem`` named ``name``)."""
        return _read_loop(name, self.to_dict(), where)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.guard is None:  # null: a nondeterministic loop
            out = {k: out.get(k) for k in self.FIELDS if k in out or k == "guard"}
        return out


def _read_loop(name: str, fields: Mapping[str, Any], where: str):
    from synth.dsl.lia.loop import loop_from_spec

    try:
        return loop_from_spec(name, fields, where)  # raises InvalidTask naming the bad field
    except RecursionError:  # backstop: an expression nested thousands of levels deep
        raise InvalidTask(f"{where}an expression is nested too deeply to read; "
                          f"simplify the loop's conditions") from None


@dataclass(frozen=True, kw_only=True)
class LoopSpec(TaskSpec):
    """A loop-invariant task read from a C file (``synth.io.c_loops``): ``loop`` is the parsed
    ``synth.dsl.lia.loop.LoopProblem``; ``source`` the file."""

    FIELDS = ("loop", "source", "solution", "tags", "max_size")
    REQUIRED = ("loop",)
    KIND = "a C loop task"

    loop: Any


@dataclass(frozen=True, kw_only=True)
class InvariantSpec(TaskSpec):
    """A loop-invariant task read from a SyGuS file (``synth.io.sygus``): ``sygus_inv`` is the
    parsed ``synth.io.sygus.InvProblem``; ``source`` the file."""

    FIELDS = ("sygus_inv", "source", "solution", "tags", "max_size")
    REQUIRED = ("sygus_inv",)
    KIND = "a SyGuS invariant task"

    sygus_inv: Any


@dataclass(frozen=True, kw_only=True)
class GrammarSpec(TaskSpec):
    """The spec of a SyGuS PBE task (its examples are the ``Task``'s): ``sygus`` is the parsed
    ``synth.io.sygus.PbeProblem``, whose synth-fun grammar the search follows; ``source`` the
    file. The search grammar built from it is kept here on first use (``search_grammar``,
    ``keep_search_grammar``): a cache, not part of the spec's value."""

    FIELDS = ("sygus", "source", "solution", "tags", "max_size")
    REQUIRED = ("sygus",)
    KIND = "a SyGuS task"

    sygus: Any
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def search_grammar(self) -> Any:
        """The search grammar built from ``sygus`` (``synth.search.sygus_grammar``), once built."""
        return self._cache.get("search_grammar")

    def keep_search_grammar(self, grammar: Any) -> None:
        self._cache["search_grammar"] = grammar

    def _view(self) -> dict[str, Any]:
        out = self.to_dict()
        if self.search_grammar is not None:
            out["search_grammar"] = self.search_grammar
        return out


#: which spec class reads a task's fields, tried in order: (key that picks it, class)
_SPEC_BY_KEY = (("sygus_inv", InvariantSpec), ("loop", LoopSpec), ("sygus", GrammarSpec))


def spec_from_dict(fields: Mapping[str, Any], domain: Any = None, name: str = "task",
                   where: str = "") -> TaskSpec:
    """The typed spec of a ``spec`` dict (``Task(spec={...})``): the kind its keys name (a parsed
    SyGuS or C problem), else the domain's (regex, lia), else the kind its keys suggest
    ('positive': regex, 'pre': lia), else an example task's. Checked: ``InvalidTask`` names a bad
    field."""
    for key, kind in _SPEC_BY_KEY:
        if key in fields:
            return kind.from_fields(fields, where, name)
    if domain == "regex" or (domain != "lia" and "positive" in fields):
        return RegexSpec.from_fields(fields, where, name)
    if domain == "lia" or "pre" in fields:
        return LiaSpec.from_fields(fields, where, name)
    return ExampleSpec.from_fields(fields, where, name)


@dataclass(frozen=True)
class Example:
    inputs: Mapping[str, Any]
    output: Any


@dataclass
class Task:
    """One synthesis problem.

    ``examples`` drive the search; ``tests`` (optional) are held out and only used to report
    ``test_ok``. ``ops`` restricts the domain's ops (a set name such as ``"bustle"`` or a list of
    op names); ``constants`` adds literals. ``spec`` is the rest of the specification, one
    ``TaskSpec`` class per kind of task (``ExampleSpec``: metadata only; ``RegexSpec``,
    ``LiaSpec``, ``LoopSpec``, ``InvariantSpec``: the whole specification of a task without
    examples; ``GrammarSpec``: a SyGuS grammar). A dict given as ``spec`` (earlier versions' form)
    becomes the matching class; if it is malformed, it stays a dict until ``validate`` reports it.
    """

    name: str
    domain: str
    examples: list[Example] = field(default_factory=list)
    tests: list[Example] = field(default_factory=list)
    description: str = ""
    ops: Any = None
    constants: list[Any] = field(default_factory=list)
    spec: TaskSpec = field(default_factory=ExampleSpec)
    #: rows without outputs (the rest of a spreadsheet column): inputs only, same names as the
    #: examples'; a strategy may use them to choose among programs that fit the examples
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: where the task came from (a file path), for messages
    origin: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.spec, Mapping) and not isinstance(self.spec, TaskSpec):
            try:
                self.spec = spec_from_dict(self.spec, self.domain, str(self.name), self.where)
            except SynthError:  # left as given: ``validate`` (which ``solve`` runs) reports it
                pass

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
        if not isinstance(self.spec, TaskSpec):
            if not isinstance(self.spec, Mapping):
                raise InvalidTask(f"{where}'spec' must be a TaskSpec (such as RegexSpec) or a dict, "
                                  f"got {describe_value(self.spec)}")
            self.spec = spec_from_dict(self.spec, self.domain, self.name, where)  # raises if bad
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
        check_domain_rules(self)

    def _validate_spec(self, where: str) -> None:
        """A regex or lia task: specified by its ``spec``, not by input/output examples. A spec
        of another kind (the domain was changed) is read as this domain's, which names what is
        wrong with it."""
        spec = self.spec
        other = ("it has input/output examples" if self.examples or self.tests else
                 "it is a loop-invariant problem" if isinstance(spec, (LoopSpec, InvariantSpec)) else "")
        if self.domain == "regex":
            if other:
                raise InvalidTask(f"{where}not a regex task ({other}); a regex task gives 'positive' "
                                  f"and 'negative' strings")
            if not isinstance(spec, RegexSpec):
                self.spec = RegexSpec.from_fields(spec.to_dict(), where, self.name)
            return
        if self.examples or self.tests:
            raise InvalidTask(f"{where}not a lia task (it has input/output examples); a lia task "
                              f"gives a loop: 'vars', 'pre', 'guard', 'body' and 'post'")
        if not isinstance(spec, (LiaSpec, LoopSpec, InvariantSpec)):  # C and SyGuS: read by their reader
            self.spec = LiaSpec.from_fields(spec.to_dict(), where, self.name)

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
            fields = {k: v for k, v in d.items() if k not in ("name", "domain", "description")}
            spec = (RegexSpec if domain == "regex" else LiaSpec).from_fields(fields, where, name)
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
        spec = ExampleSpec.from_fields({k: d[k] for k in ExampleSpec.FIELDS if k in d}, where)
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
        d.update(self.spec.to_dict() if isinstance(self.spec, TaskSpec) else self.spec)
        return d



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
    """A value's kind as the messages name it: "bool", "int", "string", else "list"."""
    return (scalar_type(v) or "list").lower()


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
