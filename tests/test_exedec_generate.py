"""The split generators: a sample of every (domain, split, train/test) obeys the split's definition
(lengths, op pools, concept order, Compose/Scanl1 placement) and ExeDec's validity checks, and its
programs round-trip through parse/print."""
import re

import pytest

from synth.api import fits
from synth.dsl import get_domain
from synth.dsl.deepcoder import Ref, Statement, statements_of
from synth.dsl.deepcoder.ops import GROUP_A, in_range
from synth.dsl.robustfill import expression_kind
from synth.dsl.robustfill.ops import SUBSTRING_NAMES
from synth.exedec import SPLITS
from synth.exedec.robustfill_tokens import decode_program, encode_program
from synth.exedec.splits import deepcoder_concepts, generate, robustfill_concepts, to_task

N = 25
RF = get_domain("robustfill")
DC = get_domain("deepcoder")


def _samples(domain, split, kind):
    return list(generate(domain, split, kind, N, seed=7))


# what the concept string of every program must look like (S substring, M modification or
# ConstStr, C Compose; A first-order or Map, B Filter/Count/ZipWith/Scanl1)
RF_RULES = {
    ("NONE", "train"): r"[SMC]{1,10}", ("NONE", "test"): r"[SMC]{1,10}",
    ("LENGTH_GENERALIZATION", "train"): r"[SMC]{1,6}", ("LENGTH_GENERALIZATION", "test"): r"[SMC]{7,10}",
    ("COMPOSE_DIFFERENT_CONCEPTS", "train"): r"S{2,6}|M{2,6}",
    ("COMPOSE_DIFFERENT_CONCEPTS", "test"): r"(?=.*S)(?=.*M)[SM]{2,6}",
    ("SWITCH_CONCEPT_ORDER", "train"): r"SM|SMM|SSMM|SSMMM|SSSMMM",
    ("SWITCH_CONCEPT_ORDER", "test"): r"MS|MSS|MMSS|MMSSS|MMMSSS",
    ("COMPOSE_NEW_OP", "train"): r"C|[SM]{2,6}", ("COMPOSE_NEW_OP", "test"): r"(?=.*C)[SMC]{2,6}",
    ("ADD_OP_FUNCTIONALITY", "train"): r"[SMC]{1,6}", ("ADD_OP_FUNCTIONALITY", "test"): r"(?=.*C)[SMC]{1,6}",
}
DC_RULES = {
    ("NONE", "train"): r"[AB]{1,5}", ("NONE", "test"): r"[AB]{1,5}",
    ("LENGTH_GENERALIZATION", "train"): r"[AB]{1,4}", ("LENGTH_GENERALIZATION", "test"): r"[AB]{5}",
    ("COMPOSE_DIFFERENT_CONCEPTS", "train"): r"A{2,4}|B{2,4}",
    ("COMPOSE_DIFFERENT_CONCEPTS", "test"): r"(?=.*A)(?=.*B)[AB]{2,4}",
    ("SWITCH_CONCEPT_ORDER", "train"): r"BA|BAA|BBAA", ("SWITCH_CONCEPT_ORDER", "test"): r"AB|ABB|AABB",
    ("COMPOSE_NEW_OP", "train"): r"B|[AB]{2,4}", ("COMPOSE_NEW_OP", "test"): r"[AB]{2,4}",
    ("ADD_OP_FUNCTIONALITY", "train"): r"[AB]{1,4}", ("ADD_OP_FUNCTIONALITY", "test"): r"[AB]{1,4}",
}


@pytest.mark.parametrize("kind", ["train", "test"])
@pytest.mark.parametrize("split", SPLITS)
def test_robustfill_split(split, kind):
    for s in _samples("robustfill", split, kind):
        p = s.program
        concepts = robustfill_concepts(p)
        assert re.fullmatch(RF_RULES[split, kind], concepts), (concepts, str(p))
        exprs = p.node.args
        composes_substring = [e for e in exprs if expression_kind(e) == "compose"
                              and e.args[-1].op in SUBSTRING_NAMES]
        if split == "ADD_OP_FUNCTIONALITY":
            assert bool(composes_substring) == (kind == "test"), str(p)
        if split == "COMPOSE_NEW_OP" and kind == "train" and concepts == "C":
            assert len(exprs) == 1
        # validity: 4 examples, inputs of at most 20 characters, every expression non-empty
        assert len(s.inputs) == 4 and all(1 <= len(i) <= 20 for i in s.inputs)
        for e in exprs:
            for i in s.inputs:
                assert RF.evaluate(e, {"x": i}) != ""
        assert [p(x=i) for i in s.inputs] == s.outputs
        # round trips: our text and ExeDec's token ids
        assert RF.parse(str(p)) == p
        assert decode_program(encode_program(p)).node == p.node


@pytest.mark.parametrize("kind", ["train", "test"])
@pytest.mark.parametrize("split", SPLITS)
def test_deepcoder_split(split, kind):
    for s in _samples("deepcoder", split, kind):
        p = s.program
        concepts = deepcoder_concepts(p)
        assert re.fullmatch(DC_RULES[split, kind], concepts), (concepts, str(p))
        sts = statements_of(p.node)
        scan_lambdas = [st.args[0].value.text for st in sts if st.op == "Scanl1"]
        if split == "COMPOSE_NEW_OP":
            if kind == "test":
                assert scan_lambdas, str(p)
            elif len(sts) == 1:
                assert sts[0].op == "Scanl1"
            else:
                assert not scan_lambdas, str(p)
        if split == "ADD_OP_FUNCTIONALITY":
            if kind == "train":
                assert set(scan_lambdas) <= {"(-)", "(min)"}, str(p)
            else:
                assert set(scan_lambdas) & {"(+)", "(*)", "(max)"}, str(p)
        if split == "COMPOSE_DIFFERENT_CONCEPTS" and kind == "train":
            assert all(st.op in GROUP_A for st in sts) or not any(st.op in GROUP_A for st in sts)
        # validity: ExeDec's input distribution and checks
        assert len(s.inputs) == 3 and 1 <= len(s.inputs[0]) <= 2
        assert any(isinstance(v, list) for v in s.inputs[0].values())
        assert len({repr(i) for i in s.inputs}) == 3, "example inputs must differ"
        assert len({repr(o) for o in s.outputs}) == 3, "outputs must differ between examples"
        for ex in s.inputs:
            for v in ex.values():
                assert isinstance(v, int) and 0 <= v <= 5 or isinstance(v, list) and len(v) <= 5
        used = {a.name for st in sts for a in st.args if isinstance(a, Ref)}
        assert all(st.target in used for st in sts[:-1]), "dead code"
        states = [dict(ex) for ex in s.inputs]
        for st in sts:
            vals = [DC.run_statement(st, state) for state in states]
            assert all(v is not None and in_range(v) for v in vals)
            assert not any(all(state[k] == v for state, v in zip(states, vals)) for k in states[0]), \
                f"redundant statement {st.target} in {p}"
            for state, v in zip(states, vals):
                state[st.target] = v
        assert [p.run(i) for i in s.inputs] == s.outputs
        in_types = {v.name: v.type for v in p.node.args if not isinstance(v, Statement)}
        assert DC.parse(str(p), in_types) == p and str(DC.parse(str(p))) == str(p)


@pytest.mark.parametrize("domain", ["robustfill", "deepcoder"])
def test_generation_is_reproducible_and_makes_tasks(domain):
    a = [str(s.program) for s in generate(domain, "NONE", "train", 5, seed=3)]
    b = [str(s.program) for s in generate(domain, "NONE", "train", 5, seed=3)]
    c = [str(s.program) for s in generate(domain, "NONE", "train", 5, seed=4)]
    assert a == b and a != c
    s = next(generate(domain, "NONE", "test", 1, seed=0))
    t = to_task(s, "gen/0", domain, "NONE")
    assert fits(get_domain(domain).parse(t.spec.solution), t.examples)
    rec = s.to_record()
    assert set(rec) >= {"inputs", "outputs", "program"}


def test_bad_generator_arguments():
    from synth.errors import InvalidTask
    with pytest.raises(InvalidTask, match="kind"):
        next(generate("robustfill", "NONE", "valid", 1))
    with pytest.raises(InvalidTask, match="split"):
        next(generate("deepcoder", "HARD", "train", 1))


def test_decomposition_steps_rebuild_the_outputs():
    from synth.exedec.decompose import steps
    for s in generate("robustfill", "NONE", "train", 5, seed=11):
        st = steps("robustfill", s.program, s.inputs)
        assert len(st) == len(s.program.node.args) and st[-1].last
        assert st[0].remaining == s.outputs
        assert ["".join(parts) for parts in zip(*[x.subgoal for x in st])] == s.outputs
        assert all(RF.parse(f"Concat({x.code})") for x in st)
    for s in generate("deepcoder", "NONE", "train", 5, seed=11):
        st = steps("deepcoder", s.program, s.inputs)
        assert len(st) == len(statements_of(s.program.node))
        assert st[-1].subgoal == s.outputs and all(x.remaining == s.outputs for x in st)
        assert st[0].inputs == s.inputs


def test_module_command_writes_jsonl(capsys):
    import json

    from synth.exedec.__main__ import main
    assert main(["--domain", "robustfill", "--split", "COMPOSE_NEW_OP", "--kind", "test", "-n", "2",
                 "--steps"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    rec = json.loads(lines[0])
    p = decode_program(rec["exedec_program"])
    assert str(p) == rec["program"] and [p(x=i) for i in rec["inputs"]] == rec["outputs"]
    assert rec["steps"][-1]["last"]
