"""Seeded generators of malformed (and some valid) input files for every reader of synth.

One copy, shared by the fuzz campaign (``benchmarks/fuzz.py``) and the property tests
(``tests/test_fuzz.py``). Nothing here imports synth: the generators know the file formats from
the examples and the benchmark data, not from the code under test.

``generate(seed, i)`` is the i-th case of a campaign; ``generate_family(family, rng)`` one case of
a family. Same seed, same bytes (``random.Random`` seeded with a string is stable across runs and
Python versions). A ``Case`` carries the file's bytes, its suffix, the mutations applied, and
``invalid=True`` only where the generator is sure synth must reject the input (exit 2 /
``SynthError``); ``None`` means either answer may be right.
"""
from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------------ the case
@dataclass
class Case:
    family: str
    suffix: str                      # ".json", ".jsonl", ".sl", ".c"
    data: bytes
    base: str = ""                   # what was mutated (a file name or template name)
    mutations: list[str] = field(default_factory=list)
    invalid: bool | None = None      # True: synth must reject it (exit 2 / SynthError)
    args: tuple[str, ...] = ()       # extra `synth solve` options (campaign only)
    via: str = "file"                # "file" or "stdin" (campaign only: `synth solve - < FILE`)
    tasks: int = 1                   # how many tasks the file holds at most (time budget)

    @property
    def label(self) -> str:
        return "+".join(self.mutations) or "none"

    def mark_invalid(self, flag: bool | None) -> None:
        if flag:
            self.invalid = True


# ------------------------------------------------------------------------- raw JSON splicing
class Raw:
    """JSON text spliced into a serialized document as is (NaN, 10**5000, '['*5000 ...)."""

    def __init__(self, text: str, desc: str = ""):
        self.text = text
        self.desc = desc or text[:20]

    def __repr__(self) -> str:
        return f"Raw({self.desc})"


def dumps(obj: Any, rng: random.Random | None = None, *, ascii_only: bool | None = None,
          indent: Any = "random") -> bytes:
    """Serialize with ``Raw`` pieces spliced in. Lone surrogates survive as ``\\udXXX`` escapes
    (ascii) or as the invalid UTF-8 bytes ``surrogatepass`` writes for them."""
    raws: list[str] = []

    def prep(o):
        if isinstance(o, Raw):
            raws.append(o.text)
            return f"@@RAW{len(raws) - 1}@@"
        if isinstance(o, dict):
            return {k: prep(v) for k, v in o.items()}
        if isinstance(o, list):
            return [prep(v) for v in o]
        return o

    if rng is not None:
        ascii_only = rng.random() < 0.6 if ascii_only is None else ascii_only
        indent = rng.choice([None, None, 1, 2]) if indent == "random" else indent
    if indent == "random":
        indent = None
    text = json.dumps(prep(obj), ensure_ascii=bool(ascii_only), indent=indent)
    for k, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{k}@@"', raw, 1)
    return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------- weird values
METACHARS = r".*+?[](){}|\^$"
WEIRD_STRINGS = [
    "", " ", "  ", "\t", "\n", "\r\n", "\x00", "\x07\x1b[31m", "\x7f", "\ud800", "\udfff",
    "a\ud800b", "\U0010ffff", "\U0001f600", "\u202e", "\u0301", "\ufeff", "ß", "İ", "ǅ", "\ufb01",
    "ﬃ", "Σ", "ΐ", "\u00a0", "\u2028", "\u2029", "\x85", "a\x1cb", "é", "e\u0301", METACHARS, "a.b*c", "(a|b)+", "[^x]",
    "\\", "\\d", '"', "'", "{}", "%s", "${x}", "NaN", "null", "-0", "1e400", "0x10", "١٢٣",
]


def long_string(rng: random.Random) -> str:
    n = rng.choice([100, 1000, 10_000, 100_000, 1_000_000])
    unit = rng.choice(["a", "ab ", "x y", "\u00e9", "\U0010ffff", METACHARS, "0"])
    return (unit * (n // len(unit) + 1))[:n]


def big_int_text(rng: random.Random) -> str:
    digits = rng.choice([25, 4300, 4301, 5001, 20_000])
    return rng.choice(["", "-"]) + "1" + "0" * (digits - 1)


def deep_json(rng: random.Random) -> Raw:
    n = rng.choice([100, 1000, 5000, 20_000])
    if rng.random() < 0.6:
        return Raw("[" * n + "]" * n, f"[*{n}")
    return Raw('{"a":' * n + "1" + "}" * n, f"{{*{n}")


def weird_value(rng: random.Random) -> Any:
    r = rng.random()
    if r < 0.25:
        return rng.choice(WEIRD_STRINGS)
    if r < 0.30:
        return long_string(rng) if rng.random() < 0.5 else "a" * rng.choice([98, 99, 100, 101])
    if r < 0.55:
        return rng.choice([None, True, False, 0, -1, 1, 1.5, -0.0, 0.1, 2 ** 31, 2 ** 63, 2 ** 64,
                           2 ** 70, -(2 ** 70), 10 ** 30, 50, -50, 51, -51, 99, 100])
    if r < 0.75:
        return rng.choice([Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), Raw("1E2"),
                           Raw("-0"), Raw("1.0"), Raw("1e-400"), Raw(big_int_text(rng), "bigint")])
    if r < 0.82:
        return deep_json(rng)
    nested: Any = [1]
    for _ in range(rng.choice([2, 50, 300])):
        nested = [nested]
    return rng.choice([[], {}, [[1, 2]], [1, "a"], [True, False], [2 ** 70], {"a": 1}, ["x"],
                       [None], [1.5], nested, list(range(rng.choice([10, 1000, 100_000]))),
                       {"": ""}, {"inputs": {}, "output": ""}])


# -------------------------------------------------------------------------- tree utilities
def _paths(obj: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a node (the root is ``()``)."""
    out = [path]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.extend(_paths(v, path + (k,)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(_paths(v, path + (i,)))
    return out


def _get(obj: Any, path: tuple) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def _set(obj: Any, path: tuple, value: Any) -> None:
    _get(obj, path[:-1])[path[-1]] = value


def _same_kind_other(v: Any, rng: random.Random) -> Any:
    """A different value of the same JSON kind (for contradictory examples)."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + rng.choice([1, -1, 7])
    if isinstance(v, str):
        return v + rng.choice(["x", " ", "!"]) if v else "x"
    if isinstance(v, list):
        return v + [1] if len(v) < 5 else v[:-1]
    return "other"


def _other_kind(v: Any, rng: random.Random) -> Any:
    if isinstance(v, str):
        return rng.choice([7, True, [1, 2]])
    if isinstance(v, bool):
        return rng.choice([1, "true"])
    if isinstance(v, int):
        return rng.choice(["7", True, [v]])
    return rng.choice(["x", 3])


# ---------------------------------------------------------------------------- base tasks
STRING_TEMPLATES: list[dict] = [
    {"name": "two-inputs", "domain": "strings",
     "examples": [{"inputs": {"first": "ada", "last": "lovelace"}, "output": "A.L."},
                  {"inputs": {"first": "alan", "last": "turing"}, "output": "A.T."}]},
    {"name": "int-output", "examples": [{"inputs": {"s": "hello"}, "output": 5},
                                         {"inputs": {"s": "hi"}, "output": 2}]},
    {"name": "int-input", "examples": [{"inputs": {"s": "abcdef", "n": 2}, "output": "ab"},
                                        {"inputs": {"s": "xyz", "n": 1}, "output": "x"}]},
    {"name": "bool-output", "domain": "strings",
     "examples": [{"inputs": {"s": "abc"}, "output": True}, {"inputs": {"s": ""}, "output": False},
                  {"inputs": {"s": "q"}, "output": True}]},
    {"name": "one-example", "examples": [{"inputs": {"x": "a-b"}, "output": "b"}]},
    {"name": "ops-limited", "domain": "strings", "ops": ["LEFT", "FIND", "MINUS"],
     "constants": [" ", 3],
     "examples": [{"inputs": {"s": "hello world"}, "output": "hello"},
                  {"inputs": {"s": "good morning"}, "output": "good"}],
     "tests": [{"inputs": {"s": "a b"}, "output": "a"}]},
    {"name": "smt-ops", "domain": "strings", "ops": "smt", "max_size": 6,
     "examples": [{"inputs": {"s": "938-242-504"}, "output": "938.242.504"},
                  {"inputs": {"s": "308-916-545"}, "output": "308.916.545"}]},
]
DEEPCODER_TEMPLATES: list[dict] = [
    {"name": "head", "domain": "deepcoder",
     "examples": [{"inputs": {"xs": [3, 1, 2]}, "output": 3}, {"inputs": {"xs": [-5, 0]}, "output": -5}]},
    {"name": "inferred", "examples": [{"inputs": {"xs": [1, 2, 3], "k": 1}, "output": [2, 3]},
                                       {"inputs": {"xs": [4, 5], "k": 1}, "output": [5]}]},
    {"name": "empty-list", "domain": "deepcoder",
     "examples": [{"inputs": {"xs": []}, "output": 0}, {"inputs": {"xs": [1]}, "output": 1}]},
]
ROBUSTFILL_TEMPLATES: list[dict] = [
    {"name": "upper", "domain": "robustfill",
     "examples": [{"inputs": {"x": "abc def"}, "output": "ABC DEF"},
                  {"inputs": {"x": "hello"}, "output": "HELLO"}]},
]
REGEX_TEMPLATES: list[dict] = [
    {"name": "digits", "domain": "regex", "positive": ["1", "12", "123"], "negative": ["", "a", "1a"]},
    {"name": "no-domain", "positive": ["ab", "abab"], "negative": ["a", "ba", ""]},
    {"name": "only-positive", "domain": "regex", "positive": ["x"]},
]
LIA_TEMPLATES: list[dict] = [
    {"name": "bool-var", "domain": "lia", "vars": ["x", "b"], "bool_vars": ["b"],
     "pre": "x == 0 and b", "guard": "x < 10", "body": "x = x + 1; if (x > 5) { b = false }",
     "post": "x == 10"},
    {"name": "nondet", "domain": "lia", "vars": ["i", "j"], "pre": "i == 0 and j == 0",
     "guard": "unknown()", "body": "i = i + 1; j = j + 2", "post": "j == 2 * i"},
    {"name": "no-domain", "vars": ["x"], "pre": "x == 0", "guard": "x < 3", "body": "x += 1",
     "post": "x == 3"},
]


@lru_cache(maxsize=None)
def _json_file(rel: str) -> Any:
    return json.loads((ROOT / rel).read_text(encoding="utf-8"))


def _tasks_of(rel: str) -> list[dict]:
    d = _json_file(rel)
    return list(d["tasks"]) if isinstance(d, dict) and "tasks" in d else [d]


@lru_cache(maxsize=None)
def base_tasks(domain: str) -> tuple[tuple[str, Any], ...]:
    """(label, task dict) pairs of valid tasks of a domain."""
    out: list[tuple[str, Any]] = []
    if domain == "strings":
        for rel in ("examples/initials.json", "examples/domain_from_email.json", "examples/suite.json"):
            out += [(f"{Path(rel).stem}:{t.get('name')}", t) for t in _tasks_of(rel)]
        out += [(f"tpl:{t['name']}", t) for t in STRING_TEMPLATES]
        bustle = ROOT / "benchmarks/data/strings/bustle_handwritten38.json"
        if bustle.exists():
            out += [(f"bustle:{t.get('name')}", t) for t in _tasks_of(str(bustle.relative_to(ROOT)))[:10]]
    else:
        folder = ROOT / "examples" / domain
        for p in sorted(folder.glob("*.json")) if folder.exists() else []:
            rel = str(p.relative_to(ROOT))
            out += [(f"{p.stem}:{t.get('name')}", t) for t in _tasks_of(rel)]
        out += [(f"tpl:{t['name']}", t) for t in {"deepcoder": DEEPCODER_TEMPLATES,
                                                    "robustfill": ROBUSTFILL_TEMPLATES,
                                                    "regex": REGEX_TEMPLATES,
                                                    "lia": LIA_TEMPLATES}[domain]]
        if domain == "regex":
            suite = ROOT / "benchmarks/data/regex/suite.json"
            if suite.exists():
                out += [(f"suite:{t.get('name')}", t) for t in _tasks_of(str(suite.relative_to(ROOT)))[:10]]
    return tuple(out)


def pick_task(rng: random.Random, domain: str) -> tuple[str, dict]:
    label, t = rng.choice(base_tasks(domain))
    return label, copy.deepcopy(t)


# ------------------------------------------------------------------ JSON task mutations
# Each mutation changes the task in place and returns True when the result is surely invalid.
Mutation = Callable[[random.Random, dict], "bool | None"]

EXAMPLE_KEYS = ("examples", "tests")
LIA_EXPR_KEYS = ("pre", "guard", "post")

BAD_FIELD_VALUES = {
    "max_size": [(True, True), (1.5, True), (0, True), (-1, True), ("5", True), (2 ** 70, None),
                 (None, None), (1, None), (100_000, None), (Raw("NaN"), True), (Raw("1e400"), True)],
    "ops": [([], None), (["NOPE"], True), ("nope", True), ("", None), ("bustle", None), ("smt", None),
            ("all", None), ([1, 2], True), ({"LEFT": 1}, True), (["LEFT"] * 200, None),
            (["left"], None), (["LEFT", None], True), (True, True)],
    "constants": [([], None), ([" "], None), ([2 ** 70], None), ([None], None), ([1.5], None),
                  ({"a": 1}, True), ("x", True), ([long_string], None), ([[1, [2]]], None),
                  ([Raw("NaN")], None)],
    "name": [(7, True), (None, True), ("", None), ("\ud800", None), ("a/b\n", None),
             ([1], True)],
    "domain": [("STRINGS", True), ("", True), ("bitvec", True), ("strings ", True), (7, True),
               ("regex", None), ("lia", None), ("deepcoder", None), ("robustfill", None),
               ("strings", None)],
    "description": [(None, None), (7, None), ({"a": 1}, None), ("\ud800", None)],
}


def _val(v: Any, rng: random.Random) -> Any:
    if callable(v):
        return v(rng)
    if isinstance(v, list):
        return [_val(x, rng) for x in v]
    if isinstance(v, dict):
        return {k: _val(x, rng) for k, x in v.items()}
    return v


def m_drop_key(rng, t):
    dicts = [p for p in _paths(t) if isinstance(_get(t, p), dict) and _get(t, p)]
    p = rng.choice(dicts)
    d = _get(t, p)
    k = rng.choice(sorted(d))
    del d[k]
    if p == ():
        return k in ("examples", "positive", "pre", "body", "post") or None
    if len(p) == 2 and p[0] in EXAMPLE_KEYS and k in ("inputs", "output"):
        return True
    return None


def m_rename_key(rng, t):
    dicts = [p for p in _paths(t) if isinstance(_get(t, p), dict) and _get(t, p)]
    p = rng.choice(dicts)
    d = _get(t, p)
    k = rng.choice(sorted(d))
    new = rng.choice([k.upper(), k + "s", k[:-1] or "_", "_" + k, k + " ", k.title(), k + "\u0301"])
    if new in d:
        return None
    d[new] = d.pop(k)
    # an unknown field at the task or the example level
    return True if p == () or (len(p) == 2 and p[0] in EXAMPLE_KEYS) else None


def m_replace_value(rng, t):
    paths = [p for p in _paths(t) if p]
    p = rng.choice(paths)
    _set(t, p, weird_value(rng))
    return None


def m_set_field(rng, t):
    special = t.get("domain") in ("regex", "lia") or (
        t.get("domain") is None and ("positive" in t or "pre" in t))
    key = rng.choice(sorted(BAD_FIELD_VALUES))
    v, bad = rng.choice(BAD_FIELD_VALUES[key])
    t[key] = _val(v, rng)
    if special and key in ("ops", "constants"):
        return True  # regex and lia tasks have no such field
    return bad


def m_unknown_field(rng, t):
    k, v = rng.choice([("strategy", "foo"), ("strategy", "bottom-up"), ("timeout", 5),
                       ("Examples", []), ("input", {}), ("", 1), ("\ud800", 1), ("tasks", []),
                       ("positive", ["a"]), ("pre", "x == 0"), ("jobs", 2)])
    if k in t:
        return None
    t[k] = v
    return True


def m_wrap_root(rng, t):
    """Replace the whole task by something that is not a task object."""
    choice = rng.choice(["list", "string", "null", "number", "tasks-obj", "empty"])
    t.clear()
    t["__root__"] = {"list": [1], "string": "task", "null": None, "number": 3,
                     "tasks-obj": {"tasks": {}}, "empty": {}}[choice]
    return True


def _ex_lists(t) -> list[list]:
    return [t[k] for k in EXAMPLE_KEYS if isinstance(t.get(k), list) and t[k]]


def _dict_examples(t, key="examples") -> list[dict]:
    exs = t.get(key)
    if not isinstance(exs, list):
        return []
    return [e for e in exs if isinstance(e, dict) and isinstance(e.get("inputs"), dict)]


def m_examples_empty(rng, t):
    t["examples"] = []
    return True


def m_examples_contradict(rng, t):
    exs = _dict_examples(t)
    if not exs or "output" not in exs[0]:
        return None
    e = rng.choice(exs)
    dup = copy.deepcopy(e)
    dup["output"] = _same_kind_other(e.get("output"), rng)
    t["examples"].insert(rng.randrange(len(t["examples"]) + 1), dup)
    return True


def m_examples_disagree_names(rng, t):
    exs = _dict_examples(t)
    if len(exs) < 2:
        return None
    e = rng.choice(exs[1:])
    if rng.random() < 0.5 and len(e["inputs"]) > 1:
        del e["inputs"][rng.choice(sorted(e["inputs"]))]
    else:
        e["inputs"]["extra_" + str(rng.randrange(9))] = "v"
    return sorted(e["inputs"]) != sorted(exs[0]["inputs"]) or None


def m_examples_disagree_types(rng, t):
    exs = _dict_examples(t)
    if len(exs) < 2:
        return None
    first = exs[0]
    e = rng.choice(exs[1:])
    shared = sorted(set(e["inputs"]) & set(first["inputs"]))
    if rng.random() < 0.5 and shared:
        k = rng.choice(shared)
        e["inputs"][k] = _other_kind(first["inputs"][k], rng)
    elif "output" in e and "output" in first:
        e["output"] = _other_kind(first["output"], rng)
    else:
        return None
    return True


def m_examples_many(rng, t):
    exs = _dict_examples(t)
    if not exs or len(dumps(exs[0])) > 2000:
        return None
    n = rng.choice([50, 300, 1000])
    base = exs[0]
    out = []
    for i in range(n):
        e = copy.deepcopy(base)
        for k, v in e["inputs"].items():
            if isinstance(v, str):
                e["inputs"][k] = f"{v}{i}"
            elif isinstance(v, int) and not isinstance(v, bool):
                e["inputs"][k] = v + i
        out.append(e)
    t["examples"] = out  # outputs unchanged: a consistent (if odd) task
    return None


def m_example_value(rng, t):
    """A weird but well-typed value (unicode, long, metacharacters, big ints) in an example."""
    exs = [e for k in EXAMPLE_KEYS for e in _dict_examples(t, k)]
    if not exs:
        return None
    e = rng.choice(exs)
    slots = [("inputs", k) for k in e["inputs"]] + ([("output",)] if "output" in e else [])
    slot = rng.choice(slots)
    old = e["inputs"][slot[1]] if slot[0] == "inputs" else e["output"]
    if isinstance(old, str):
        new = long_string(rng) if rng.random() < 0.15 else rng.choice(WEIRD_STRINGS) + rng.choice(["", old])
    elif isinstance(old, bool):
        new = rng.choice([0, 1, None, "true"])
    elif isinstance(old, int):
        new = rng.choice([2 ** 70, -(2 ** 70), 2 ** 63, 10 ** 30, 51, -51, 1000, Raw(big_int_text(rng), "bigint"),
                          Raw("1.0"), Raw("NaN"), 1.5, True])
    elif isinstance(old, list):
        new = rng.choice([[], [2 ** 70], list(range(rng.choice([20, 1000, 100_000]))), [[1]], [1.5],
                          [True], [-51, 51], [Raw("Infinity")], deep_json(rng)])
    else:
        new = weird_value(rng)
    if slot[0] == "inputs":
        e["inputs"][slot[1]] = new
    else:
        e["output"] = new
    return None


def m_input_name(rng, t):
    exs = [e for k in EXAMPLE_KEYS for e in _dict_examples(t, k)]
    if not exs:
        return None
    new = rng.choice(["", "1x", "a b", "if", "def", "and", "LEFT", "CONCATENATE", "x" * 300, "é",
                      "_", "__import__", "True", "name\ud800", "INPUT", "x-y", "Concat", "Head"])
    for e in exs:
        if e["inputs"]:
            k = sorted(e["inputs"])[0]
            e["inputs"][new] = e["inputs"].pop(k)
    return None


def m_example_shape(rng, t):
    exs = t.get("examples")
    if not isinstance(exs, list) or not exs:
        return None
    i = rng.randrange(len(exs))
    exs[i] = rng.choice([[{"s": "a"}, "b"], "x", None, {"inputs": [], "output": "x"},
                         {"inputs": {}, "output": "x"}, {"inputs": {"s": "a"}},
                         {"output": "x"}, {"inputs": {"s": "a"}, "output": "b", "extra": 1},
                         {"inputs": None, "output": "x"}])
    return True


def m_examples_not_list(rng, t):
    key = rng.choice(EXAMPLE_KEYS)
    t[key] = rng.choice([{}, "x", 3, None, {"inputs": {"s": "a"}, "output": "b"}])
    return True if key == "examples" or t[key] is not None else None


# regex-specific
REGEX_STRINGS = ["", " ", "a b", METACHARS, "\\", "a" * 500, "\u00e9", "\U0010ffff", "\ud800", "\x00",
                 "\n", "tab\there", "()", "∅", "[a-z]", "\\d+", "a{2,3}", "^$", "  lead", "trail  "]


def m_regex_strings(rng, t):
    key = rng.choice(["positive", "negative"])
    lst = t.get(key)
    if not isinstance(lst, list):
        lst = t[key] = []
    for _ in range(rng.randint(1, 4)):
        s = rng.choice(REGEX_STRINGS)
        if rng.random() < 0.1:
            s = long_string(rng)
        lst.append(s)
    pos, neg = t.get("positive"), t.get("negative", [])
    if isinstance(pos, list) and isinstance(neg, list) and set(map(str, pos)) & set(map(str, neg)):
        return True
    return None


def m_regex_many(rng, t):
    n = rng.choice([100, 1000, 5000])
    t["positive"] = [f"a{i}" for i in range(n)]
    t["negative"] = [f"b{i}" for i in range(n)]
    return None


def m_regex_both(rng, t):
    pos = t.get("positive")
    if not isinstance(pos, list) or not pos:
        return None
    t.setdefault("negative", [])
    if isinstance(t["negative"], list):
        t["negative"].append(rng.choice(pos))
        return True
    return None


def m_regex_bad_field(rng, t):
    key = rng.choice(["positive", "negative"])
    t[key] = rng.choice([[], None, "abc", [1, 2], [None], [["a"]], {"a": 1}, [True]])
    if key == "positive":
        return True
    return t[key] is not None and t[key] != [] or None


# lia-specific
LIA_BAD_EXPRS = [
    "x + 1", "x % 0 == 0", "x / 2 == 1", "x * y > 0", "x * x >= 0", "", " ", "true", "false",
    "zzz > 0", "x == ", "x === 1", "x > 0 and", "x ≥ 0", "x > 0\x00", "x = 1", "if (x) {}",
    "unknown()", "nondet() > 0", "x > 0 => x > 1", "not not not (x > 0)", "x < 1 < 2",
    "x > 1000000000000000000000000000000", "x % -3 == 1", "x % y == 0", "-(-(-x)) < 0", "1",
    "foo(x) > 0", "x > 0;", "(x > 0", "x > 0)", "x and 1", "x == true", "b", "x >= -0",
    "ite(x > 0, 1, 2) == 1", "x.y > 0", "x[0] > 0", "x++ > 0", "\ud800 > 0", "λ > 0",
]
LIA_BAD_BODIES = [
    "x = x / 2", "x = x % 0", "x = x * x", "x += ", "while (x < 3) { x = x + 1 }", "y_new = 1",
    "x = unknown()", "if x { x = 1 }", "if (x > 0) { x = 1 } else", ";;;;", "x++; x--",
    "assert(x > 0)", "assume(false)", "", "x = nondet()", "x = x + 1 y = 2", "x = (x > 0)",
    "{ x = 1 }", "{{{ x = 1 }}}", "x = x + 1; if (x) { x = 0 }", "return x", "x = 1e3", "x = 0x10",
    "goto L", "x <<= 1", "x = x - -1", "x = 99999999999999999999999999999999999", "b = x", "x = b",
]


def _lia_var(t) -> str:
    vs = t.get("vars")
    return vs[0] if isinstance(vs, list) and vs and isinstance(vs[0], str) else "x"


def _lia_sub(text: str, t) -> str:
    v = _lia_var(t)
    return re.sub(r"\bx\b", v, text) if v != "x" else text


def m_lia_expr(rng, t):
    key = rng.choice(LIA_EXPR_KEYS)
    t[key] = _lia_sub(rng.choice(LIA_BAD_EXPRS), t)
    return None


def m_lia_body(rng, t):
    t["body"] = _lia_sub(rng.choice(LIA_BAD_BODIES), t)
    return None


def m_lia_long(rng, t):
    v = _lia_var(t)
    n = rng.choice([100, 1000, 3000])
    kind = rng.choice(["sum", "parens", "and", "stmts", "ifs", "neg", "bigconst"])
    if kind == "sum":
        t[rng.choice(LIA_EXPR_KEYS)] = " + ".join([v] * n) + " >= 0"
    elif kind == "parens":
        t[rng.choice(LIA_EXPR_KEYS)] = "(" * n + f"{v} >= 0" + ")" * n
    elif kind == "and":
        t[rng.choice(LIA_EXPR_KEYS)] = " and ".join(f"{v} != {i}" for i in range(n))
    elif kind == "stmts":
        t["body"] = "; ".join([f"{v} = {v} + 1"] * n)
    elif kind == "ifs":
        m = min(n, 500)
        t["body"] = f"if ({v} > 0) {{ " * m + f"{v} = {v} + 1" + " }" * m
    elif kind == "neg":
        t[rng.choice(LIA_EXPR_KEYS)] = "-" * n + f"{v} <= 0"
    else:
        t[rng.choice(LIA_EXPR_KEYS)] = f"{v} <= " + big_int_text(rng)
    return None


def m_lia_vars(rng, t):
    key = rng.choice(["vars", "vars", "bool_vars"])
    v = _lia_var(t)
    choice = rng.choice([[], [v, v], ["and"], ["1x"], v, [1], ["x y"], None, ["zz"], [v, "zz"],
                         ["if"], ["true"], ["unknown"], [""], {"x": 1}, [v] + [f"v{i}" for i in range(200)],
                         "smt-name", "smt-name"])
    if choice == "smt-name" and isinstance(t.get("vars"), list):
        # a variable named like an SMT-LIB builtin or keyword, renamed everywhere it is used
        new = rng.choice(SMT_NAMES)
        for k in ("pre", "guard", "body", "post"):
            if isinstance(t.get(k), str):
                t[k] = re.sub(rf"\b{re.escape(v)}\b", new, t[k])
        t["vars"] = [new if x == v else x for x in t["vars"]]
        if isinstance(t.get("bool_vars"), list):
            t["bool_vars"] = [new if x == v else x for x in t["bool_vars"]]
        return None
    t[key] = choice if choice != "smt-name" else [v]
    return None


#: names that mean something to SMT-LIB / Z3 or to the lia grammar
SMT_NAMES = ["and", "or", "not", "ite", "mod", "div", "abs", "distinct", "let", "forall", "exists",
             "Int", "Bool", "true", "false", "xor", "implies", "assert", "declare", "define", "_",
             "min", "max", "inv", "inv_f", "pre", "post", "trans", "x__0", "_unknown1", "_nondet1",
             "nondet", "unknown", "skip", "pass", "if", "else", "assume", "__", "Start", "to_real"]


def m_lia_guard_null(rng, t):
    t["guard"] = rng.choice([None, "", "*", "unknown()", "nondet()", 1, True, ["x < 1"]])
    return True if isinstance(t["guard"], (int, list)) else None


GENERIC_MUTATIONS: list[tuple[Mutation, float]] = [
    (m_drop_key, 2), (m_rename_key, 1.5), (m_replace_value, 3), (m_set_field, 3), (m_unknown_field, 1),
    (m_wrap_root, 0.3),
]
EXAMPLE_MUTATIONS: list[tuple[Mutation, float]] = [
    (m_examples_empty, 0.7), (m_examples_contradict, 1.5), (m_examples_disagree_names, 1),
    (m_examples_disagree_types, 1.5), (m_examples_many, 0.5), (m_example_value, 5), (m_input_name, 1),
    (m_example_shape, 1), (m_examples_not_list, 0.5),
]
REGEX_MUTATIONS: list[tuple[Mutation, float]] = [
    (m_regex_strings, 5), (m_regex_many, 0.5), (m_regex_both, 1), (m_regex_bad_field, 1.5),
]
LIA_MUTATIONS: list[tuple[Mutation, float]] = [
    (m_lia_expr, 4), (m_lia_body, 3), (m_lia_long, 1.5), (m_lia_vars, 2), (m_lia_guard_null, 1),
]
DOMAIN_MUTATIONS = {"strings": EXAMPLE_MUTATIONS, "robustfill": EXAMPLE_MUTATIONS,
                    "deepcoder": EXAMPLE_MUTATIONS, "regex": REGEX_MUTATIONS, "lia": LIA_MUTATIONS}


def _weighted(rng: random.Random, items: list[tuple[Any, float]]) -> Any:
    return rng.choices([m for m, _ in items], weights=[w for _, w in items])[0]


def mutate_task(rng: random.Random, domain: str, t: dict, case: Case,
                n: int | None = None) -> tuple[Any, bool | None]:
    """Apply 0-3 mutations (domain-specific ones more often). Returns the (maybe replaced) root
    and whether it is surely invalid: the last mutation's word, since a later mutation may undo
    what made an earlier one invalid (drop the unknown field another added)."""
    n = rng.choice([0, 1, 1, 1, 2, 2, 3]) if n is None else n
    invalid = None
    for _ in range(n):
        pool = DOMAIN_MUTATIONS[domain] if rng.random() < 0.6 else GENERIC_MUTATIONS
        m = _weighted(rng, pool)
        if not isinstance(t, dict) or "__root__" in t:
            break
        try:
            flag = m(rng, t)
        except (KeyError, IndexError, TypeError, AttributeError, ValueError, RecursionError):
            continue  # the earlier mutations broke the shape this one needs
        case.mutations.append(m.__name__[2:])
        invalid = flag
    if isinstance(t, dict) and "__root__" in t:
        return t["__root__"], True
    return t, invalid


# ------------------------------------------------------------------ JSON family generators
def gen_json_domain(domain: str) -> Callable[[random.Random], Case]:
    def gen(rng: random.Random) -> Case:
        label, t = pick_task(rng, domain)
        case = Case(family=f"json-{domain}", suffix=".json", data=b"", base=label)
        root, case.invalid = mutate_task(rng, domain, t, case)
        case.data = dumps(root, rng)
        return case
    gen.__name__ = f"gen_json_{domain}"
    return gen


DOMAINS = ("strings", "robustfill", "deepcoder", "regex", "lia")


def gen_suite(rng: random.Random) -> Case:
    case = Case(family="json-suite", suffix=".json", data=b"", base="suite")
    k = rng.choice([1, 2, 3])
    tasks, flags = [], []
    for _ in range(k):
        d = rng.choice(DOMAINS)
        label, t = pick_task(rng, d)
        root, flag = mutate_task(rng, d, t, case, n=rng.choice([0, 0, 1]))
        tasks.append(root)
        flags.append(flag)
    suite: Any = {"tasks": tasks}
    case.invalid = any(flags) or None
    r = rng.random()
    if r < 0.08:
        suite["tasks"] = []
        case.mutations.append("suite-empty")
        case.mark_invalid(True)
    elif r < 0.16:
        suite["tasks"] = rng.choice([{}, None, "t", 3, {"a": tasks[0]}])
        case.mutations.append("suite-not-list")
        case.mark_invalid(True)
    elif r < 0.24:
        suite["tasks"].append(rng.choice([1, None, "x", [], {"tasks": tasks[:1]}]))
        case.mutations.append("suite-bad-item")
        case.mark_invalid(True)
    elif r < 0.30:
        suite = tasks  # a bare list
        case.mutations.append("suite-bare-list")
        case.mark_invalid(True)
    elif r < 0.36:
        suite["name"] = "extra"
        case.mutations.append("suite-extra-key")
    elif r < 0.42:
        suite["tasks"] = [copy.deepcopy(tasks[0]) for _ in range(3)]
        case.mutations.append("suite-dup-names")
        case.invalid = flags[0]
    elif r < 0.46:
        suite = {"tasks": suite}
        case.mutations.append("suite-nested")
        case.mark_invalid(True)
    listed = suite.get("tasks") if isinstance(suite, dict) else suite
    case.tasks = max(1, len(listed)) if isinstance(listed, list) else 1
    case.data = dumps(suite, rng)
    return case


def gen_jsonl(rng: random.Random) -> Case:
    case = Case(family="jsonl", suffix=".jsonl", data=b"", base="jsonl")
    lines: list[bytes] = []
    for _ in range(rng.choice([1, 2, 3])):
        d = rng.choice(DOMAINS)
        label, t = pick_task(rng, d)
        root, flag = mutate_task(rng, d, t, case, n=rng.choice([0, 0, 1]))
        case.mark_invalid(flag)
        lines.append(dumps(root, rng, indent=None))
    r = rng.random()
    if r < 0.08:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice([b"", b"   ", b"\t"]))
        case.mutations.append("blank-line")
    elif r < 0.16:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice([b"[1]", b"null", b"{}", b"3", b'"t"',
                                                                b'{"tasks": []}', b"# comment", b"//x"]))
        case.mutations.append("bad-line")
        case.mark_invalid(True)
    elif r < 0.22:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + rng.choice([b",", b" x", b"}", b" {}"])
        case.mutations.append("trailing-garbage")
        case.mark_invalid(True)
    elif r < 0.28:
        d = rng.choice(DOMAINS)
        _, t = pick_task(rng, d)
        lines = dumps(t, indent=2).split(b"\n")
        case.invalid = None
        case.mutations.append("pretty-printed")
        case.mark_invalid(True)
    elif r < 0.32:
        lines = []
        case.invalid = None
        case.mutations.append("empty")
        case.mark_invalid(True)
    sep = rng.choice([b"\n", b"\n", b"\r\n", b"\r"])
    case.data = sep.join(lines) + rng.choice([b"", sep])
    case.tasks = max(1, len(lines))
    return case


# ------------------------------------------------------------------------ byte corruption
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"\xc0\xaf",
                b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xf8\x88\x80\x80\x80"]


def corrupt_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    op = rng.choice(["truncate", "truncate", "flip", "invalid-utf8", "bom", "utf16", "nul", "empty",
                     "whitespace", "splice", "delete-range", "dup-range"])
    if op == "truncate" and data:
        return data[:rng.randrange(len(data))], op
    if op == "flip" and data:
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return bytes(b), op
    if op == "invalid-utf8":
        i = rng.randrange(len(data) + 1)
        return data[:i] + rng.choice(INVALID_UTF8) + data[i:], op
    if op == "bom":
        return b"\xef\xbb\xbf" + data, op
    if op == "utf16":
        try:
            text = data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")
        return text.encode("utf-16", "surrogatepass"), op
    if op == "nul":
        i = rng.randrange(len(data) + 1)
        return data[:i] + b"\x00" * rng.choice([1, 100]) + data[i:], op
    if op == "empty":
        return b"", op
    if op == "whitespace":
        return rng.choice([b" ", b"\n\n", b"\t \r\n"]), op
    if op == "splice":
        i = rng.randrange(len(data) + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        return data[:i] + junk + data[i:], op
    if op == "delete-range" and data:
        i = rng.randrange(len(data))
        return data[:i] + data[i + rng.randint(1, 40):], op
    if op == "dup-range" and data:
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 40))
        return data[:j] + data[i:j] + data[j:], op
    return data[: len(data) // 2], "truncate"


def _strict_json_ok(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        return True
    except (ValueError, RecursionError):
        return False


def gen_json_bytes(rng: random.Random) -> Case:
    d = rng.choice(DOMAINS)
    label, t = pick_task(rng, d)
    case = Case(family="json-bytes", suffix=".json", data=b"", base=label)
    data = dumps(t, rng)
    for _ in range(rng.choice([1, 1, 2])):
        data, op = corrupt_bytes(rng, data)
        case.mutations.append(op)
    case.data = data
    if not _strict_json_ok(data) and "bom" not in case.mutations:
        case.invalid = True
    return case


# ----------------------------------------------------------------------------- s-expressions
SEXPR_TOKEN = re.compile(r'\s+|;[^\n]*|"(?:[^"]|"")*"?|\(|\)|[^\s()";]+|.', re.S)


def sexpr_tokens(text: str) -> list[str]:
    return SEXPR_TOKEN.findall(text)


def _is_atom(tok: str) -> bool:
    return tok not in ("(", ")") and not tok.isspace() and not tok.startswith(";")


def _subtree_spans(toks: list[str]) -> list[tuple[int, int]]:
    """(start, end) token index ranges of every parenthesized subtree (end exclusive)."""
    spans, stack = [], []
    for i, tok in enumerate(toks):
        if tok == "(":
            stack.append(i)
        elif tok == ")" and stack:
            spans.append((stack.pop(), i + 1))
    return spans


def _toplevel_spans(toks: list[str]) -> list[tuple[int, int]]:
    out, depth, start = [], 0, None
    for i, tok in enumerate(toks):
        if tok == "(":
            if depth == 0:
                start = i
            depth += 1
        elif tok == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


SL_ATOMS = ["1" + "0" * 40, "-1", "(- 1)", '""', '"\\u{10FFFF}"', '"\\u{d800}"', '"a""b"', '"',
            "Int", "String", "Bool", "Real", "(_ BitVec 64)", "#x00", "#b101", "true", "undefined_sym",
            ":named", "str.++", "f", "1.5", "-0", "0", "x", "(", "str.len", "ite", "=", "Start",
            "ntString", '"\x00"', '"\\"', '"é"', '"\U0010ffff"']
SL_COMMANDS = ["(frobnicate 1 2)", "(set-option :produce-models true)", "(define-sort S () Int)",
               "(push 1)", "(check-synth)", "(set-logic LIA)", "(set-logic BV)", "(set-logic SLIA)",
               "(declare-var name String)", "(declare-var name Int)", "(constraint true)",
               "(constraint (= (f) \"a\"))", "(constraint (= (f \"a\" \"b\") \"c\"))", "(constraint)",
               "(synth-fun f () String)", "(define-fun g () Int 1)", "(declare-fun g (Int) Int)",
               "(inv-constraint inv-f pre-f trans-f post-f)", "(synth-inv inv-f ((x Int)))",
               "(declare-primed-var x Int)", "(assume true)", "(optimize-synth)", "()", "(())"]


def _sl_files(kind: str) -> list[Path]:
    folder = ROOT / "benchmarks/data/sygus" / ("pbe-strings/v2" if kind == "pbe" else "inv")
    return [p for p in _sl_all(str(folder))]


@lru_cache(maxsize=None)
def _sl_all(folder: str) -> tuple[Path, ...]:
    return tuple(p for p in sorted(Path(folder).rglob("*.sl")) if p.stat().st_size < 12_000)


def mutate_sexpr(rng: random.Random, text: str, case: Case, kind: str) -> str:
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        toks = sexpr_tokens(text)
        atoms = [i for i, tk in enumerate(toks) if _is_atom(tk)]
        parens = [i for i, tk in enumerate(toks) if tk in ("(", ")")]
        tops = _toplevel_spans(toks)
        op = rng.choice(["drop-paren", "dup-paren", "swap-atoms", "replace-atom", "replace-atom",
                         "big-literal", "deep-nest", "unknown-command", "dup-command", "drop-command",
                         "truncate", "sort-swap", "contradict", "string-literal", "drop-subtree",
                         "dup-subtree", "garbage"])
        if op == "drop-paren" and parens:
            del toks[rng.choice(parens)]
        elif op == "dup-paren" and parens:
            i = rng.choice(parens)
            toks.insert(i, toks[i])
        elif op == "swap-atoms" and len(atoms) > 1:
            i, j = rng.sample(atoms, 2)
            toks[i], toks[j] = toks[j], toks[i]
        elif op == "replace-atom" and atoms:
            toks[rng.choice(atoms)] = rng.choice(SL_ATOMS)
        elif op == "big-literal" and atoms:
            ints = [i for i in atoms if re.fullmatch(r"-?\d+", toks[i])] or atoms
            toks[rng.choice(ints)] = big_int_text(rng).lstrip("-") if rng.random() < 0.7 else "(- " + big_int_text(rng).lstrip("-") + ")"
        elif op == "deep-nest" and atoms:
            n = rng.choice([100, 1000, 5000])
            i = rng.choice(atoms)
            wrap = rng.choice(["(str.++ ", "(+ 0 ", "(not ", "(", "(ite true "])
            closing = {"(str.++ ": ' "")', "(+ 0 ": ")", "(not ": ")", "(": ")", "(ite true ": " 0)"}[wrap]
            toks[i] = wrap * n + toks[i] + closing * n
        elif op == "unknown-command":
            cmd = rng.choice(SL_COMMANDS)
            at = rng.choice([s for s, _ in tops] + [len(toks)]) if tops else len(toks)
            toks.insert(at, cmd + "\n")
        elif op == "dup-command" and tops:
            s, e = rng.choice(tops)
            toks.insert(e, "\n" + "".join(toks[s:e]))
        elif op == "drop-command" and tops:
            s, e = rng.choice(tops)
            del toks[s:e]
        elif op == "truncate":
            joined = "".join(toks)
            toks = [joined[:rng.randrange(len(joined) + 1)]]
        elif op == "sort-swap":
            sorts = [i for i, tk in enumerate(toks) if tk in ("String", "Int", "Bool")]
            if sorts:
                i = rng.choice(sorts)
                toks[i] = rng.choice([s for s in ("String", "Int", "Bool", "Real", "(_ BitVec 64)",
                                                  "Foo", "(Seq Int)") if s != toks[i]])
        elif op == "contradict":
            cons = [(s, e) for s, e in tops if "".join(toks[s:e]).startswith("(constraint")]
            if cons:
                s, e = rng.choice(cons)
                body = "".join(toks[s:e])
                strs = re.findall(r'"(?:[^"]|"")*"', body)
                if strs:
                    last = strs[-1]
                    other = body[: body.rfind(last)] + '"' + last[1:-1] + 'Z"' + body[body.rfind(last) + len(last):]
                    toks.insert(e, "\n" + other)
                else:
                    m = list(re.finditer(r"-?\d+", body))
                    if m:
                        mm = m[-1]
                        other = body[: mm.start()] + str(int(mm.group()) + 1) + body[mm.end():]
                        toks.insert(e, "\n" + other)
        elif op == "string-literal":
            lits = [i for i, tk in enumerate(toks) if tk.startswith('"')]
            if lits:
                toks[rng.choice(lits)] = '"' + rng.choice(
                    ["\\u{D800}", "\\u{110000}", "\\u{", "\\x41", "\x00", "é", "\U0010ffff", "\ud800",
                     "a" * rng.choice([100, 10_000, 200_000]), '""', "\\", "\n", METACHARS]) + '"'
        elif op == "drop-subtree":
            spans = _subtree_spans(toks)
            if spans:
                s, e = rng.choice(spans)
                del toks[s:e]
        elif op == "dup-subtree":
            spans = _subtree_spans(toks)
            if spans:
                s, e = rng.choice(spans)
                toks.insert(e, " " + "".join(toks[s:e]))
        elif op == "garbage":
            i = rng.randrange(len(toks) + 1)
            toks.insert(i, rng.choice(["\x00", "\x7f", "#", "|unterminated", "|a b|", "{", "]", "'",
                                       "\ud800", "\u00a0", "#|", "@", "`"]))
        else:
            continue
        case.mutations.append(op)
        text = "".join(toks)
    return text


def gen_sygus(kind: str) -> Callable[[random.Random], Case]:
    def gen(rng: random.Random) -> Case:
        files = _sl_files(kind)
        p = rng.choice(files)
        case = Case(family=f"sygus-{kind}", suffix=".sl", data=b"",
                    base=str(p.relative_to(ROOT)))
        text = p.read_text(encoding="utf-8")
        text = mutate_sexpr(rng, text, case, kind)
        case.data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.08:
            case.data, op = corrupt_bytes(rng, case.data)
            case.mutations.append(op)
        return case
    gen.__name__ = f"gen_sygus_{kind}"
    return gen


# ------------------------------------------------------------------------------ C programs
C_TOKEN = re.compile(r"\s+|//[^\n]*|/\*.*?\*/|[A-Za-z_]\w*|\d+|\+\+|--|[-+*/%<>=!&|^]=|&&|\|\||<<|>>|.",
                     re.S)
C_OPS = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "=", "+=", "-=",
         "++", "--", "<<", ">>", "&", "|", "^", "?", ":", "~", "*=", "/=", "%="]
C_SNIPPETS = ["x / 0", "(x % 0)", "1 / 0", "unknown()", "nondet()", "__VERIFIER_nondet_int()", "foo()",
              "x ? 1 : 2", "sizeof(int)", "(int) x", "&x", "*p", "x[0]", "'a'", '"str"', "1.5", "0x10",
              "010", "1u", "1L", "2147483648", "-2147483649"]
C_STATEMENTS = ["int z;", "int z = 1 / 0;", "x = x / 0;", "x = x % 0;", "assume(0);", "assert(0);",
                "while (1) { }", "while (unknown()) { while (unknown()) { x++; } }", "return 0;",
                "goto L;", "L: ;", "float f;", "unsigned int u;", "long l = 0;", "int *p;", "int a[10];",
                "x <<= 1;", "if (x) ;", "for (;;) {}", "do { x++; } while (x < 3);", "break;", "continue;",
                "assert(x > 0); assert(x > 1);", "undeclared = 1;", "x = x * x;", "int x;", "{}", ";;",
                "#include <stdio.h>", "printf(\"%d\", x);", "switch (x) { case 1: break; }"]


def c_tokens(text: str) -> list[str]:
    return C_TOKEN.findall(text)


@lru_cache(maxsize=None)
def _c_files() -> tuple[Path, ...]:
    return tuple(sorted((ROOT / "benchmarks/data/code2inv/c").glob("*.c"), key=lambda p: p.name))


def mutate_c(rng: random.Random, text: str, case: Case) -> str:
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        toks = c_tokens(text)
        nonspace = [i for i, tk in enumerate(toks) if not tk.isspace() and not tk.startswith(("//", "/*"))]
        braces = [i for i in nonspace if toks[i] in ("{", "}", "(", ")")]
        ops = [i for i in nonspace if toks[i] in C_OPS]
        nums = [i for i in nonspace if toks[i].isdigit()]
        semis = [i for i in nonspace if toks[i] == ";"]
        op = rng.choice(["del-brace", "dup-brace", "swap-op", "swap-op", "huge-const", "div-zero",
                         "deep-nest", "deep-parens", "truncate", "garbage", "insert-stmt", "insert-stmt",
                         "snippet", "del-token", "dup-token", "rename-var", "wrap-loop"])
        if op == "del-brace" and braces:
            del toks[rng.choice(braces)]
        elif op == "dup-brace" and braces:
            i = rng.choice(braces)
            toks.insert(i, toks[i])
        elif op == "swap-op" and ops:
            toks[rng.choice(ops)] = rng.choice(C_OPS)
        elif op == "huge-const" and nums:
            toks[rng.choice(nums)] = rng.choice(["2147483648", "4294967296", "9223372036854775808",
                                                 "1" + "0" * 40, big_int_text(rng).lstrip("-"), "00", "0"])
        elif op == "div-zero" and nums:
            i = rng.choice(nums)
            toks[i] = f"({toks[i]} {rng.choice(['/', '%'])} 0)"
        elif op == "deep-nest" and semis:
            n = rng.choice([50, 500, 3000])
            i = rng.choice(semis)
            toks.insert(i + 1, rng.choice(["{" * n + "}" * n, "if (x > 0) { " * n + "x = x;" + " }" * n,
                                           "while (unknown()) { " * min(n, 200) + " }" * min(n, 200)]))
        elif op == "deep-parens" and nums:
            n = rng.choice([50, 500, 5000])
            i = rng.choice(nums)
            toks[i] = "(" * n + toks[i] + ")" * n
        elif op == "truncate":
            joined = "".join(toks)
            toks = [joined[:rng.randrange(len(joined) + 1)]]
        elif op == "garbage":
            i = rng.randrange(len(toks) + 1)
            toks.insert(i, rng.choice(["\x00", "\x7f", "@", "$", "`", "\\", "\ud800", "é", "\u00a0", "#",
                                       "/*", "*/", "'", '"', "\x1b"]))
        elif op == "insert-stmt" and semis:
            toks.insert(rng.choice(semis) + 1, " " + rng.choice(C_STATEMENTS) + " ")
        elif op == "snippet" and nums:
            toks[rng.choice(nums)] = rng.choice(C_SNIPPETS)
        elif op == "del-token" and nonspace:
            del toks[rng.choice(nonspace)]
        elif op == "dup-token" and nonspace:
            i = rng.choice(nonspace)
            toks.insert(i, toks[i] + " ")
        elif op == "rename-var":
            names = sorted({toks[i] for i in nonspace if re.fullmatch(r"[A-Za-z_]\w*", toks[i])} -
                           {"int", "main", "while", "if", "else", "assert", "assume", "unknown", "void"})
            if names:
                v = rng.choice(names)
                if rng.random() < 0.5:  # one occurrence: an undeclared or keyword name
                    new = rng.choice(["int", "while", "unknown", "main", "_", "x" * 300, "and", "assume", "z"])
                    j = rng.choice([i for i in nonspace if toks[i] == v])
                    toks[j] = new
                else:  # every occurrence: a consistent program with an odd variable name
                    new = rng.choice(SMT_NAMES)
                    toks = [new if tk == v else tk for tk in toks]
        elif op == "wrap-loop":
            joined = "".join(toks)
            k = joined.find("while")
            if k >= 0:
                toks = [joined[:k] + "while (unknown()) { " + joined[k:].replace("\n// post", "} \n// post", 1)]
        else:
            continue
        case.mutations.append(op)
        text = "".join(toks)
    return text


def gen_code2inv(rng: random.Random) -> Case:
    p = rng.choice(_c_files())
    case = Case(family="code2inv-c", suffix=".c", data=b"", base=str(p.relative_to(ROOT)))
    text = mutate_c(rng, p.read_text(encoding="utf-8"), case)
    case.data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.08:
        case.data, op = corrupt_bytes(rng, case.data)
        case.mutations.append(op)
    return case


# ------------------------------------------------------------- well-typed but weird tasks
def weird_string(rng: random.Random) -> str:
    """A string a valid task may hold: unicode that changes length under case mapping,
    surrogates, control and separator characters, metacharacters, very long ones."""
    r = rng.random()
    if r < 0.06:
        return long_string(rng)
    parts = [rng.choice(WEIRD_STRINGS + ["ab", "Jane Doe", "x@y.io", "12-34", "  ", "a\tb"])
             for _ in range(rng.randint(1, 3))]
    return "".join(parts)


def _weird_like(v: Any, rng: random.Random) -> Any:
    if isinstance(v, bool):
        return rng.choice([True, False])
    if isinstance(v, int):
        return rng.choice([0, -1, 1, 49, 50, 51, -50, -51, 99, 100, -100, 2 ** 31, 2 ** 63, 2 ** 70,
                           -(2 ** 70), 10 ** 30, rng.randint(-1000, 1000)])
    if isinstance(v, str):
        return weird_string(rng)
    if isinstance(v, list):
        n = rng.choice([0, 1, 2, 5, 20, 200, 5000])
        lo, hi = rng.choice([(-50, 50), (-60, 60), (-(2 ** 70), 2 ** 70), (0, 0)])
        return [rng.randint(lo, hi) for _ in range(n)]
    return v


def gen_weird_valid(rng: random.Random) -> Case:
    """A task that passes every check a reader can make (same names and types in every example,
    no contradiction, no unknown field) with odd values: it reaches the search."""
    domain = rng.choice(["strings", "strings", "robustfill", "deepcoder", "regex"])
    label, t = pick_task(rng, domain)
    case = Case(family="json-weird-valid", suffix=".json", data=b"", base=label)
    if domain == "regex":
        pos = [weird_string(rng) for _ in range(rng.randint(1, 6))]
        neg = [x for x in (weird_string(rng) for _ in range(rng.randint(0, 6))) if x not in pos]
        t["positive"], t["negative"] = pos, neg
        case.mutations.append("weird-strings")
    else:
        exs = t.get("examples", [])
        touched = rng.sample(["inputs", "output", "both", "count"], k=rng.randint(1, 2))
        if "count" in touched and exs:
            n = rng.choice([1, 2, 50, 500])
            exs = [copy.deepcopy(exs[i % len(exs)]) for i in range(n)]
        seen = {}
        out = []
        for e in exs:
            e = copy.deepcopy(e)
            if touched[0] in ("inputs", "both") or "count" in touched:
                e["inputs"] = {k: _weird_like(v, rng) for k, v in e["inputs"].items()}
            if touched[0] in ("output", "both"):
                e["output"] = _weird_like(e["output"], rng)
            key = json.dumps(e["inputs"], sort_keys=True)
            if key in seen:
                continue  # a repeated input with another output would contradict
            seen[key] = True
            out.append(e)
        t["examples"] = out or exs[:1]
        t.pop("tests", None)
        case.mutations.append("weird-" + "-".join(sorted(touched)))
    case.data = dumps(t, rng)
    return case


# ------------------------------------------------------------------------ families, campaign
FAMILIES: dict[str, Callable[[random.Random], Case]] = {
    "json-strings": gen_json_domain("strings"),
    "json-robustfill": gen_json_domain("robustfill"),
    "json-deepcoder": gen_json_domain("deepcoder"),
    "json-regex": gen_json_domain("regex"),
    "json-lia": gen_json_domain("lia"),
    "json-suite": gen_suite,
    "jsonl": gen_jsonl,
    "json-bytes": gen_json_bytes,
    "json-weird-valid": gen_weird_valid,
    "sygus-pbe": gen_sygus("pbe"),
    "sygus-inv": gen_sygus("inv"),
    "code2inv-c": gen_code2inv,
}
WEIGHTS = {"json-strings": 14, "json-robustfill": 6, "json-deepcoder": 7, "json-regex": 9,
           "json-lia": 11, "json-suite": 6, "json-weird-valid": 10, "jsonl": 5, "json-bytes": 8, "sygus-pbe": 12,
           "sygus-inv": 10, "code2inv-c": 12}

#: extra `synth solve` options the campaign adds to a few cases
CLI_OPTIONS: list[tuple[str, ...]] = [
    ("--max-size", "1"), ("--max-size", "3"), ("--max-size", "40"), ("--ops", "bustle"), ("--ops", "smt"),
    ("--ops", "all"), ("--ops", "LEFT,FIND"), ("--ops", "NOPE"), ("--ops", ""), ("--ops", ",,"),
    ("--strategy", "bottom-up"), ("--strategy", "guided"), ("--strategy", "cegis"),
    ("--strategy", "regex-enum"), ("--strategy", "exedec"), ("--strategy", "exedec-hybrid"),
    ("--strategy", "robustfill-decompose"), ("--strategy", "deepcoder-bottom-up"), ("--strategy", "nope"),
    ("--domain", "strings"), ("--domain", "lia"), ("--domain", "regex"), ("--domain", "deepcoder"),
    ("--domain", "robustfill"), ("--domain", "nope"), ("--format", "json"), ("--max-candidates", "1"),
    ("--max-memory", "1"),
]


def case_rng(seed: int, i: int) -> random.Random:
    return random.Random(f"synth-fuzz:{seed}:{i}")


#: a generated file larger than this is drawn again (from the same generator, so still seeded)
MAX_BYTES = 3_000_000


def generate_family(family: str, rng: random.Random) -> Case:
    for _ in range(20):
        case = FAMILIES[family](rng)
        if len(case.data) <= MAX_BYTES:
            break
    case.family = family
    return case


def generate(seed: int, i: int, *, cli_extras: bool = True) -> Case:
    """The i-th case of the campaign with this seed."""
    rng = case_rng(seed, i)
    names = sorted(FAMILIES)
    family = rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]
    case = generate_family(family, rng)
    if cli_extras:
        r = rng.random()
        if r < 0.10:
            opt = rng.choice(CLI_OPTIONS)
            case.args = opt
            case.mutations.append("cli" + opt[0][1:] + "=" + opt[1])
            if opt[1] in ("NOPE", "nope"):
                case.invalid = True
        elif r < 0.16 and case.suffix in (".json", ".jsonl"):
            case.via = "stdin"
            case.mutations.append("stdin")
            if "pretty-printed" in case.mutations:
                case.invalid = None  # standard input has no suffix: one JSON task over lines is fine
    return case


__all__ = ["Case", "FAMILIES", "WEIGHTS", "generate", "generate_family", "case_rng", "dumps", "Raw",
           "weird_value", "long_string", "big_int_text", "deep_json", "base_tasks", "mutate_task",
           "mutate_sexpr", "mutate_c", "corrupt_bytes"]
