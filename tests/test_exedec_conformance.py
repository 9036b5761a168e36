"""All 12,000 released ExeDec ground-truth programs run through our interpreters and reproduce
every stated output exactly; the released program text survives our parse/print (token ids for
RobustFill, statement text for DeepCoder)."""
import json

import pytest

from synth.api import fits
from synth.dsl import get_domain
from synth.exedec import DATA_DIR, SPLITS, load_exedec_tasks, read_records
from synth.exedec.deepcoder_text import format_value, parse_state
from synth.exedec.robustfill_tokens import decode_program, encode_program

RF = get_domain("robustfill")
DC = get_domain("deepcoder")


@pytest.mark.parametrize("split", SPLITS)
def test_robustfill_ground_truth_reproduces(split):
    recs = read_records("robustfill", split)
    assert len(recs) == 1000
    for r in recs:
        p = decode_program(r["program"])
        assert encode_program(p) == r["program"]
        assert RF.parse(str(p)) == p
        for i, o in zip(r["inputs"], r["outputs"], strict=True):
            assert p(x=i) == o, (r["index"], str(p), i, o)


@pytest.mark.parametrize("split", SPLITS)
def test_deepcoder_ground_truth_reproduces(split):
    recs = read_records("deepcoder", split)
    assert len(recs) == 1000
    for r in recs:
        p = DC.parse(r["program"])
        assert str(p) == r["program"]
        for i, o in zip(r["inputs"], r["outputs"], strict=True):
            out = p.run(parse_state(i))
            assert out is not None and format_value(out) == o, (r["index"], r["program"], i, o)


@pytest.mark.parametrize("domain", ["robustfill", "deepcoder"])
def test_tasks_carry_the_solution(domain):
    tasks = load_exedec_tasks(domain, "COMPOSE_NEW_OP", limit=20)
    assert [t.name for t in tasks[:2]] == [f"{domain}/COMPOSE_NEW_OP/0", f"{domain}/COMPOSE_NEW_OP/1"]
    d = get_domain(domain)
    for t in tasks:
        assert len(t.examples) == (4 if domain == "robustfill" else 3)
        assert fits(d.parse(t.spec.solution), t.examples)


def test_data_files_are_the_released_ones():
    for domain in ("robustfill", "deepcoder"):
        for split in SPLITS:
            first = json.loads((DATA_DIR / domain / f"{split}.jsonl").open().readline())
            assert first["index"] == 0 and set(first) == {"index", "inputs", "outputs", "program"}


def test_unknown_split_or_domain():
    from synth.errors import InvalidTask
    with pytest.raises(InvalidTask, match="split"):
        load_exedec_tasks("robustfill", "EASY")
    with pytest.raises(InvalidTask, match="domain"):
        load_exedec_tasks("lia", "NONE")


@pytest.mark.parametrize("domain", ["robustfill", "deepcoder"])
def test_tasks_round_trip_through_the_json_task_format(domain, tmp_path):
    from synth.io import read_tasks
    tasks = load_exedec_tasks(domain, "NONE", limit=3)
    path = tmp_path / "tasks.jsonl"
    path.write_text("".join(json.dumps(t.to_dict()) + "\n" for t in tasks))
    back = read_tasks(path)
    assert [(t.name, t.domain, t.examples, t.spec) for t in back] == \
        [(t.name, t.domain, t.examples, t.spec) for t in tasks]
