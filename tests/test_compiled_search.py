"""The compiled engine enumerates exactly like the pure-Python one: same values kept in the same
order at the same cost, same candidate counts, same programs (BUSTLE sample included)."""
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synth.dsl import get_domain
from synth.dsl.base import node_size
from synth.errors import InvalidTask
from synth.io import read_tasks
from synth.search.bottom_up import BottomUpSearch
from synth.search.budget import Budget
from synth.search.enumerative import limits_for, solve_bottom_up, task_grammar
from synth.search.grammar import SearchGrammar
from synth.task import Task

pytest.importorskip("numba")

from synth.search.compiled import CompiledBottomUpSearch, unsupported_reason  # noqa: E402

D = get_domain("strings")
DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "strings"


def engines(task: Task, budget: Budget, **options):
    g = task_grammar(task, D)
    args = (D, g, [dict(e.inputs) for e in task.examples], [e.output for e in task.examples],
            budget, limits_for(task))
    return BottomUpSearch(*args, **options), CompiledBottomUpSearch(*args, **options)


def assert_same_run(py: BottomUpSearch, cc: CompiledBottomUpSearch):
    a, b = py.run(), cc.run()
    assert cc.engine == "compiled"
    assert (a.status, a.node, a.candidates, a.values, a.max_size_explored, a.stopped_by) == \
        (b.status, b.node, b.candidates, b.values, b.max_size_explored, b.stopped_by)
    return a, b


_chars = st.sampled_from(list("aAb .-,1") + ["é", "ß", "😀"])
_text = st.text(_chars, min_size=0, max_size=7)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), E=st.integers(1, 5), ops=st.sampled_from(["bustle", "smt"]))
def test_same_bank_level_by_level(data, E, ops):
    """Random string tasks, enumerated to a small size by both engines: the kept values agree
    per nonterminal and per cost, in order."""
    inputs = [{"s": data.draw(_text), "t": data.draw(_text)} for _ in range(E)]
    outputs = [data.draw(_text) for _ in range(E)]
    seen = {}
    for ins, out in zip(inputs, outputs):  # consistent examples only
        seen.setdefault((ins["s"], ins["t"]), out)
    pairs = [({"s": s, "t": t}, o) for (s, t), o in seen.items()]
    task = Task.from_examples(pairs, domain="strings", ops=ops)
    py, cc = engines(task, Budget(timeout=None, max_size=4, max_candidates=60_000))
    a, b = assert_same_run(py, cc)
    if a.status != "solved":
        levels = cc.bank_values()
        for nt in py.bank:
            want = [lv for lv in py.bank[nt]]
            got = levels[nt]
            while want and not want[-1]:
                want.pop()
            while got and not got[-1]:
                got.pop()
            assert got == want, nt


def test_same_candidate_count_when_the_budget_stops_it():
    task = Task.from_examples([({"s": "abc"}, "a completely unreachable output string 123")])
    py, cc = engines(task, Budget(timeout=None, max_candidates=123_457))
    a, _ = assert_same_run(py, cc)
    assert a.status == "timeout" and a.stopped_by == "candidates"


def test_banks_that_grow_by_copying_agree_with_the_python_engine(monkeypatch):
    """Where address space cannot be reserved, a bank grows by replacing its arrays with larger
    copies, many times in a search that starts small: the engine must then hand the kernels the
    new arrays, never ones it kept from before (it caches each production's argument arrays)."""
    from synth.search.compiled import engine as E
    from synth.search.compiled import valuebank as VB

    monkeypatch.setattr(VB, "can_reserve", lambda: False)
    monkeypatch.setattr(E, "_FIRST_CAPACITY", 16)
    task = Task.from_examples([({"s": "ab-cd e"}, "a completely unreachable output string 123"),
                               ({"s": "X.y z"}, "another unreachable output")])
    py, cc = engines(task, Budget(timeout=None, max_candidates=60_000))
    before = VB.ValueBank.replaced
    a, _ = assert_same_run(py, cc)
    assert a.stopped_by == "candidates"
    assert VB.ValueBank.replaced - before >= 5  # the arrays were replaced, again and again
    assert len(cc.banks["String"].el) < VB.RESERVED_BYTES  # a grown copy, not a reservation


@pytest.mark.parametrize("target", [None, "http://www.example.org/a/b/c.html--http://www.example.org/a/b/c.html"])
def test_long_concatenations_agree_with_the_python_engine(target):
    """The concatenation kernel commits each candidate only after writing (and hashing) the next
    one, written after it and moved down when it was a duplicate: long values (several 32-byte
    steps per move), many duplicates, bank growth with a candidate awaiting its commit, and a
    solution found at the candidate awaiting its commit must all go exactly as in the Python
    engine."""
    urls = ["http://www.example.org/a/b/c.html", "https://docs.python.org/3/library/mmap.html",
            "ftp://files.example.com/pub/some/long/path/archive.tar.gz"]
    outs = [u[::-1] if target is None else target.replace(urls[0], u) for u in urls]  # None: unreachable
    task = Task.from_examples([({"s": u, "t": "--"}, o) for u, o in zip(urls, outs)])
    py, cc = engines(task, Budget(timeout=None, max_candidates=150_000), concat_shortcut=False,
                     cond_shortcut=False, decompose=False)
    a, _ = assert_same_run(py, cc)
    assert a.status == ("timeout" if target is None else "solved")


def test_shortcuts_replay_identically():
    """Tasks solved through the concatenation, decomposition and conditional shortcuts."""
    for pairs in (
        [({"s": "Jane Doe"}, "J. Doe"), ({"s": "Mark Twain"}, "M. Twain")],
        [({"s": "Jane Doe"}, "J.D."), ({"s": "Mark Twain"}, "M.T."), ({"s": "Ada Love"}, "A.L.")],
        [({"s": "morning", "t": "8"}, "8 AM"), ({"s": "evening", "t": "7"}, "7 PM"),
         ({"s": "morning", "t": "10"}, "10 AM"), ({"s": "evening", "t": "11"}, "11 PM")],
    ):
        py, cc = engines(Task.from_examples(pairs), Budget(timeout=None, max_candidates=400_000))
        a, _ = assert_same_run(py, cc)
        assert a.status == "solved"


def test_value_hook_sees_the_same_values_in_order():
    task = Task.from_examples([({"s": "ab c"}, "zzz")])
    seen = {"py": [], "cc": []}
    g = task_grammar(task, D)
    for key, cls in (("py", BottomUpSearch), ("cc", CompiledBottomUpSearch)):
        cls(D, g, [{"s": "ab c"}], ["zzz"], Budget(timeout=None, max_size=3), limits_for(task),
            value_hook=lambda nt, vals, node, k=key: seen[k].append((nt, vals, node))).run()
    assert seen["py"] == seen["cc"] and len(seen["py"]) > 30


# a sample of BUSTLE tasks: both engines return the identical program
_SAMPLE = {
    "bustle_sygus89.json": ["bikes.sl", "dr-name.sl", "firstname.sl", "initials.sl", "lastname.sl",
                            "phone-1.sl", "phone-10.sl"],
    "bustle_handwritten38.json": ["addPlusSign", "appendAmOrPm", "capitalizeSentence",
                                  "dateTransformation1", "prependMrOrMs"],
}


@pytest.mark.parametrize("suite,name", [(s, n) for s, names in _SAMPLE.items() for n in names])
def test_bustle_sample_identical_programs(suite, name):
    tasks = {t.name: t for t in read_tasks(DATA / suite)}
    if name not in tasks:
        pytest.skip(f"{name} not in {suite}")
    py, cc = engines(tasks[name], Budget(timeout=None, max_candidates=150_000))
    assert_same_run(py, cc)


def test_production_without_kernel_is_evaluated_in_python():
    """A production whose function is not an op's (no kernel) feeds the same banks."""
    from dataclasses import replace

    from synth.search.grammar import Production

    task = Task.from_examples([({"s": "ab"}, "ab!ab!"), ({"s": "xyz"}, "xyz!xyz!")])
    g = task_grammar(task, D)
    twice = Production("String", ("String",), lambda s: s + "!" + s + "!", "TWICE_BANG")
    g2 = replace(g, productions=[twice, *g.productions])
    args = (D, g2, [dict(e.inputs) for e in task.examples], [e.output for e in task.examples],
            Budget(timeout=None, max_candidates=30_000), limits_for(task))
    a, b = assert_same_run(BottomUpSearch(*args), CompiledBottomUpSearch(*args))
    assert a.status == "solved" and b.node.op == "TWICE_BANG"


def test_unsupported_grammar_falls_back_to_python():
    task = Task.from_examples([({"s": "ab"}, "AB")])
    g = task_grammar(task, D)
    g2 = SearchGrammar(start=g.start, nonterminals=dict(g.nonterminals), productions=g.productions,
                       leaves=g.leaves, units=[("String", "String")])
    assert unsupported_reason(D, g2) == "the grammar has unit rules"
    s = CompiledBottomUpSearch(D, g2, [{"s": "ab"}], ["AB"], Budget(timeout=10))
    assert s.engine == "python" and s.run().status == "solved"


def test_big_ints_fall_back_to_python():
    task = Task.from_examples([({"s": "ab", "n": 10**12}, "AB")])
    g = task_grammar(task, D)
    s = CompiledBottomUpSearch(D, g, [{"s": "ab", "n": 10**12}], ["AB"], Budget(timeout=10),
                               limits_for(task))
    assert s.engine == "python"
    assert s.run().status == "solved"


def test_solve_bottom_up_engines_agree():
    task = Task.from_examples([({"s": "Jane Doe"}, "Doe, J."), ({"s": "Mark Twain"}, "Twain, M.")])
    budget = Budget(timeout=None, max_candidates=200_000)
    ref = solve_bottom_up(task, D, budget, engine="python")
    for engine in ("auto", "compiled"):
        out = solve_bottom_up(task, D, budget, engine=engine)
        assert (out.status, out.node, out.candidates) == (ref.status, ref.node, ref.candidates)
        assert out.extra.get("engine") == "compiled"


def test_unknown_engine_is_a_clear_error():
    task = Task.from_examples([({"s": "ab"}, "AB")])
    with pytest.raises(InvalidTask, match="unknown search engine"):
        solve_bottom_up(task, D, Budget(timeout=1), engine="fortran")


def test_cache_dir_falls_back_when_not_writable(tmp_path, monkeypatch):
    from synth.search.compiled import jit

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SYNTH_NUMBA_CACHE_DIR", str(blocker / "sub"))  # cannot be created
    monkeypatch.setattr(jit, "__file__", str(blocker / "x" / "jit.py"))  # in-tree: not writable
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    got = jit._cache_root()
    assert got is not None and str(got).startswith(str(tmp_path / "cache"))


def test_shortcut_answer_waits_for_the_time_share_in_both_engines():
    """A shortcut's answer is held until ``_PENDING_BUDGET_SHARE`` of a timed budget is spent,
    in the compiled engine as in the Python one: on phone-6 the concatenation shortcut finds a
    size-26 program early and the plain search cvc5's size-9 one later (about 715,000
    candidates); with time to spare both engines give the size-9 program. (The compiled engine
    used to return the shortcut's answer at its candidate deadline alone.)"""
    path = Path(__file__).resolve().parents[1] / "benchmarks/data/sygus/pbe-strings/v2/from_2018/phone-6.sl"
    task = read_tasks(str(path))[0]
    domain = get_domain(task.domain)
    budget = Budget(timeout=10_000, max_candidates=2_000_000)  # the time share is never spent
    outs = {engine: solve_bottom_up(task, domain, budget, engine=engine) for engine in ("python", "compiled")}
    assert {e: (o.status, node_size(o.node)) for e, o in outs.items()} == \
        {"python": ("solved", 9), "compiled": ("solved", 9)}
    assert outs["python"].node == outs["compiled"].node


@pytest.mark.parametrize("shortcuts", [False, True])
def test_replacements_of_one_text_and_pattern_agree(shortcuts):
    """SUBSTITUTE tries many replacements and patterns for each text (patterns absent from a
    text on every example skipped as a group), with and without the concatenation shortcut:
    the same values as the Python engine, ASCII and not."""
    pairs = [({"s": "a-b-c.d", "t": "-"}, "a+b+c.d"), ({"s": "x.y-z", "t": "."}, "x+y-z"),
             ({"s": "--", "t": "a"}, "++"), ({"s": "é-ß-é", "t": "é"}, "é+ß+é")]
    task = Task.from_examples(pairs, domain="strings", ops="bustle")
    py, cc = engines(task, Budget(timeout=None, max_size=4, max_candidates=200_000),
                     concat_shortcut=shortcuts, cond_shortcut=False, decompose=False)
    assert_same_run(py, cc)
    levels = cc.bank_values()
    for nt in py.bank:
        want, got = [lv for lv in py.bank[nt]], levels[nt]
        while want and not want[-1]:
            want.pop()
        while got and not got[-1]:
            got.pop()
        assert got == want, nt
