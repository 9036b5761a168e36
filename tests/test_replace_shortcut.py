"""The replace shortcut (synth.search.replace_shortcut): an input with one fixed piece of text
replaced, found from the examples' differences and spelled from the grammar's constants."""
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from synth.dsl.strings.ops import str_replace
from synth.search import replace_shortcut as rs
from synth.search.budget import Budget
from synth.search.enumerative import solve_bottom_up, task_grammar

UNIV_6 = Path(__file__).resolve().parents[1] / "benchmarks/data/sygus/pbe-strings/v2/from_2018/univ_6.sl"

text = st.text(alphabet="ab ,N", max_size=8)


@settings(max_examples=300, deadline=None)
@given(text, text, text, text)
def test_replace_pairs_are_exactly_the_replacements(pre, a, b, post):
    """Every pair found turns v into t with the reference op, and the pair that made t is found
    when its text first occurs where it was replaced."""
    v = pre + a + post
    t = str_replace(v, a, b) if a else v
    if v == t:
        return
    pairs = rs.replace_pairs(v, t)
    assert all(x and str_replace(v, x, y) == t for x, y in pairs)
    if a and v.find(a) == len(pre):
        assert (a, b) in pairs


def test_spell_is_the_cheapest_concatenation_of_constants():
    task = synth.load_tasks(str(UNIV_6))[0]
    g = task_grammar(task, synth.get_domain(task.domain))
    consts = [(lf.node.value, lf.node) for lf in g.leaves if type(getattr(lf.node, "value", None)) is str]
    concat = next(p for p in g.productions if p.concat)
    assert str(rs.spell("NY", consts, concat)) == str(next(n for c, n in consts if c == "NY"))
    spelled = rs.spell(" New York", consts, concat)
    assert spelled.op == "str.++" and synth.get_domain("strings").evaluate(spelled, {}) == " New York"
    assert rs.spell("Zq", consts, concat) is None


def test_an_input_with_one_piece_replaced_is_found_before_any_enumeration():
    """The addresses that name the USA: New York becomes NY (univ_6's six such examples);
    a size-7 program that enumeration among univ_6's 57 constants reaches only after seconds."""
    task = synth.load_tasks(str(UNIV_6))[0]
    domain = synth.get_domain(task.domain)
    usa = [e for e in task.examples if "USA" in e.inputs["col2"]]
    node = rs.replace_program(task_grammar(task, domain), [e.inputs for e in usa], [e.output for e in usa])
    assert node is not None and node.op == "str.replace"
    assert all(domain.evaluate(node, e.inputs) == e.output for e in usa)
    sub = task.__class__(**{**task.__dict__, "examples": usa})
    out = solve_bottom_up(sub, domain, Budget(timeout=None, max_candidates=400_000), engine="python")
    assert out.status == "solved" and out.node == node


def test_no_replacement_when_an_unchanged_example_holds_the_text():
    task = synth.load_tasks(str(UNIV_6))[0]
    domain = synth.get_domain(task.domain)
    # all eight examples: the ones without "USA" gain ", USA", which no single replacement does
    assert rs.replace_program(task_grammar(task, domain), [e.inputs for e in task.examples],
                              [e.output for e in task.examples]) is None
