"""Every entry of the strategy table (``synth.search.contract.STRATEGY_TABLE``) keeps the search
contract on a small task of each domain it serves: it stays within a candidate budget, ends with a
status of the one vocabulary, never prints, gives the same program twice, and ``api.solve``
rejects a misspelled option with ``InvalidArgument`` naming the valid ones."""
from __future__ import annotations

import inspect

import pytest

import synth
from synth.errors import InvalidArgument, SynthError
from synth.search.contract import STATUSES, STRATEGY_TABLE, load_target
from synth.task import Task

#: a candidate budget small enough for seconds per run; the timeout only guards against a hang
BUDGET = {"max_candidates": 2000, "timeout": 60}


def _strings():
    return Task.from_examples([({"x": "ab"}, "AB"), ({"x": "cd"}, "CD")], domain="strings", name="upper")


def _exedec(domain):
    from synth.exedec import load_exedec_tasks

    return load_exedec_tasks(domain, "NONE", 1)[0]


def _regex():
    return Task.from_dict({"name": "ends-in-1", "domain": "regex", "positive": ["1", "01", "11", "0101"],
                           "negative": ["", "0", "10", "110"]})


def _lia():
    return Task.from_dict({"name": "count-up", "domain": "lia", "vars": ["x", "n"],
                           "pre": "x == 0 and n >= 0", "guard": "x < n", "body": "x = x + 1",
                           "post": "x == n"})


#: domain -> a small task of it
TASKS = {"strings": _strings, "robustfill": lambda: _exedec("robustfill"),
         "deepcoder": lambda: _exedec("deepcoder"), "regex": _regex, "lia": _lia}

PAIRS = [(name, domain) for name, spec in sorted(STRATEGY_TABLE.items()) for domain in spec.domains]


def test_every_strategy_serves_a_domain_with_a_test_task():
    for name, spec in STRATEGY_TABLE.items():
        assert spec.domains, f"{name}: built-in strategies declare their domains"
        assert set(spec.domains) <= set(TASKS), f"{name}: add a small task of {spec.domains} to TASKS"


@pytest.mark.parametrize("name,domain", PAIRS)
def test_strategy_keeps_the_contract(name, domain, capsys):
    task = TASKS[domain]()
    first = synth.solve(task, strategy=name, **BUDGET)
    second = synth.solve(task, strategy=name, **BUDGET)
    out, err = capsys.readouterr()
    assert (out, err) == ("", ""), f"{name} printed"
    assert first.status in STATUSES, first.status
    assert first.strategy == name and first.domain == domain
    if first.stats.get("stopped_by") == "candidates":  # stopped at the budget, give or take a chunk
        assert first.status == "timeout" and first.candidates < 2 * BUDGET["max_candidates"]
    else:
        assert first.candidates <= BUDGET["max_candidates"] or first.status != "timeout"
    assert (first.status, str(first.program)) == (second.status, str(second.program)), \
        f"{name} is not deterministic under a candidate budget"
    if first.status == "solved":
        assert first.train_ok


@pytest.mark.parametrize("name,domain", PAIRS)
def test_misspelled_option_is_rejected_before_the_search(name, domain):
    with pytest.raises(InvalidArgument) as e:
        synth.solve(TASKS[domain](), strategy=name, max_candidates=10, not_an_option=1)
    assert isinstance(e.value, SynthError)
    message = str(e.value)
    assert "not_an_option" in message
    for option in STRATEGY_TABLE[name].option_names():
        assert option in message, f"{name}: the message does not name option {option}"


@pytest.mark.parametrize("name", sorted(STRATEGY_TABLE))
def test_declared_options_are_the_functions_parameters(name):
    """The table says what the function takes: each declared option is a keyword parameter of
    the strategy function (or of the search class it passes ``**options`` to), and each named
    keyword parameter of the function is declared."""
    spec = STRATEGY_TABLE[name]
    params = list(inspect.signature(load_target(spec.target)).parameters.values())
    named = {p.name for p in params[3:] if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    accepted = set(named)
    if any(p.kind == p.VAR_KEYWORD for p in params) and name in ("bottom-up", "guided"):
        init = load_target("synth.search.bottom_up:BottomUpSearch").__init__
        accepted |= set(inspect.signature(init).parameters)
    declared = set(spec.option_names())
    assert named <= declared, f"{name}: undeclared options {sorted(named - declared)}"
    assert declared <= accepted, f"{name}: declared options it does not take {sorted(declared - accepted)}"
    for option in spec.options:
        p = inspect.signature(load_target(spec.target)).parameters.get(option.name)
        if p is not None and p.default is not p.empty:
            assert p.default == option.default, f"{name}.{option.name}: default {p.default!r}"
