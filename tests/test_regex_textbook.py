"""Regexes that generalize: the textbook development set (benchmarks/data/regex/textbook.json)
and the search's preference for general answers over ones that count the examples' lengths."""
import json
import sys
from pathlib import Path

import pytest

import synth
from synth.dsl.regex.syntax import parse_regex, to_python_pattern
from synth.search.regex_rank import rank_fits
from synth.search.regex_search import DEFAULT_COSTS, InfixSpace
from synth.task import Task

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from regex_textbook import first_disagreement, predicate  # noqa: E402

TEXTBOOK = ROOT / "benchmarks" / "data" / "regex" / "textbook.json"


def _tasks():
    with open(TEXTBOOK, encoding="utf-8") as f:
        return json.load(f)["tasks"]


def test_textbook_file_parses_and_is_large_enough():
    tasks = _tasks()
    assert len(tasks) >= 40
    assert len({t["name"] for t in tasks}) == len(tasks)
    for t in tasks:
        assert set(t) >= {"name", "description", "alphabet", "predicate", "positive", "negative"}
        assert 3 <= len(t["positive"]) <= 8 and 4 <= len(t["negative"]) <= 8
        assert all(w and set(w) <= set(t["alphabet"]) for w in t["positive"] + t["negative"])
        Task.from_dict({"name": t["name"], "domain": "regex", "positive": t["positive"],
                        "negative": t["negative"]}).validate()


@pytest.mark.parametrize("t", _tasks(), ids=lambda t: t["name"])
def test_predicate_agrees_with_its_examples_and_reference(t):
    f = predicate(t["predicate"])
    assert all(f(w) for w in t["positive"])
    assert not any(f(w) for w in t["negative"])
    # the hand-written regex is the same language on short strings
    assert first_disagreement(to_python_pattern(parse_regex(t["reference"])), f, t["alphabet"], 7) is None


def test_predicate_eval_is_restricted():
    with pytest.raises(ValueError):
        predicate("s.__class__")
    with pytest.raises(NameError):
        predicate("open('x')")("0")


def _solve(pos, neg, **kw):
    return synth.solve(Task.from_dict({"name": "t", "domain": "regex", "positive": pos, "negative": neg}),
                       timeout=None, max_candidates=2_000_000, **kw)


def test_ends_with_1_is_the_general_answer():
    res = _solve(["1", "01", "11", "0101", "111", "0001"], ["0", "10", "110", "0100"])
    assert res.status == "solved" and res.stats["verified"] == "proved"
    assert str(res.program) == "[01]*1"


def test_multiple_of_3_is_a_star_not_a_list_of_lengths():
    # before: [01]{3}|[01]{6}, which counts the lengths shown
    res = _solve(["000", "101", "111", "011", "000000", "010111"], ["0", "1", "00", "11", "0000", "01011"])
    assert res.status == "solved" and res.stats["verified"] == "proved"
    f = lambda s: len(s) % 3 == 0  # noqa: E731
    assert first_disagreement(res.stats["also"]["python re"], f, "01", 10) is None


def test_at_least_three_is_unbounded():
    res = _solve(["000", "0111", "01001", "100", "111011"], ["0", "1", "00", "10", "01", "11"])
    assert res.status == "solved"
    f = lambda s: len(s) >= 3  # noqa: E731
    assert first_disagreement(res.stats["also"]["python re"], f, "01", 10) is None


def test_counted_copies_of_a_pattern_cost_what_spelling_them_out_does():
    c = DEFAULT_COSTS
    assert c.of(parse_regex("(1*0){2}")) == c.of(parse_regex("1*01*0"))
    assert c.of(parse_regex("[01]{1,3}")) == c.of(parse_regex("[01][01]?[01]?"))
    assert c.of(parse_regex("[01]*1")) < c.of(parse_regex("[01]{3}|[01]{6}"))


def test_ranking_prefers_the_fit_whose_language_explains_the_positives():
    pos, neg = ["0000", "1011", "0111", "1101", "0010"], ["0", "1", "001", "10101"]
    fits = [(DEFAULT_COSTS.of(parse_regex(r)), parse_regex(r)) for r in ("([01][01])*", "[01]{4}")]
    assert rank_fits(fits, pos, neg, InfixSpace)[0] == 1  # every positive has length 4
    pos2 = ["00", "0000", "1011", "011011", "01"]  # lengths 2, 4, 6: the star, not the list
    fits2 = [(DEFAULT_COSTS.of(parse_regex(r)), parse_regex(r)) for r in ("[01]{2}|[01]{4}|[01]{6}", "([01][01])*")]
    assert rank_fits(fits2, pos2, neg, InfixSpace)[0] == 1


def test_distinguishing_question_between_answer_and_runner_up():
    res = _solve(["ab", "abab"], ["a", "b"])
    assert res.solved
    d = res.stats.get("distinguishing")
    assert d is not None and d["other"] != str(res.program)
