"""ExeDec's benchmark (Shi et al., ICLR 2024): its released test sets as tasks, its data formats
and the split generators (``synth.exedec.splits``). The report of a run and the paper's figures
are with the benchmarks (``benchmarks/exedec_report.py``, ``benchmarks/exedec_paper.py``).
"""
from __future__ import annotations

import json
from pathlib import Path

from synth.errors import InvalidTask
from synth.task import Example, ExampleSpec, Task

#: ExeDec's six generalization splits: the one list (``synth bench exedec``, ``synth train
#: subgoal``, ``python -m synth.exedec``, the generators, the report and the paper's figures in
#: benchmarks/ and benchmarks/train_subgoals.sh all read it)
SPLITS = ("NONE", "LENGTH_GENERALIZATION", "COMPOSE_DIFFERENT_CONCEPTS", "SWITCH_CONCEPT_ORDER",
          "COMPOSE_NEW_OP", "ADD_OP_FUNCTIONALITY")
DOMAINS = ("robustfill", "deepcoder")
#: the released test sets, copied into the repository (see its PROVENANCE.md)
DATA_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "exedec"
#: the input name of ExeDec's RobustFill tasks
ROBUSTFILL_INPUT = "x"


def check_domain_split(domain: str, split: str) -> None:
    if domain not in DOMAINS:
        raise InvalidTask(f"unknown ExeDec domain {domain!r}; choose robustfill or deepcoder")
    if split not in SPLITS:
        raise InvalidTask(f"unknown ExeDec split {split!r}; choose one of {', '.join(SPLITS)}")


def test_file(domain: str, split: str, data_dir: Path | None = None) -> Path:
    check_domain_split(domain, split)
    path = Path(data_dir or DATA_DIR) / domain / f"{split}.jsonl"
    if not path.exists():
        raise InvalidTask(f"{path}: ExeDec test file missing (copy ../shared/benchmarks/exedec/"
                          f"test_data into benchmarks/data/exedec)")
    return path


def read_records(domain: str, split: str, limit: int | None = None,
                 data_dir: Path | None = None) -> list[dict]:
    """The raw records (index, inputs, outputs, program) of a released test file."""
    path = test_file(domain, split, data_dir)
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise InvalidTask(f"{path}:{i}: malformed JSON: {e.msg}") from None
            missing = {"index", "inputs", "outputs", "program"} - set(rec)
            if missing:
                raise InvalidTask(f"{path}:{i}: missing field(s) {', '.join(sorted(missing))}")
            out.append(rec)
    return out


def record_to_task(domain: str, split: str, rec: dict, origin: str = "") -> Task:
    """One released problem as a ``Task`` named ``DOMAIN/SPLIT/INDEX`` with its ground truth in
    ``spec.solution`` (in our program text)."""
    name = f"{domain}/{split}/{rec['index']}"
    if len(rec["inputs"]) != len(rec["outputs"]):
        raise InvalidTask(f"{origin or name}: {len(rec['inputs'])} inputs but {len(rec['outputs'])} outputs")
    if domain == "robustfill":
        from synth.exedec.robustfill_tokens import decode_program
        examples = [Example({ROBUSTFILL_INPUT: i}, o) for i, o in zip(rec["inputs"], rec["outputs"])]
        solution = str(decode_program(rec["program"], ROBUSTFILL_INPUT))
    else:
        from synth.dsl.deepcoder import DOMAIN
        from synth.exedec.deepcoder_text import parse_state, parse_value
        examples = [Example(parse_state(i), parse_value(o)) for i, o in zip(rec["inputs"], rec["outputs"])]
        solution = str(DOMAIN.parse(rec["program"]))
    return Task(name=name, domain=domain, examples=examples, origin=origin,
                spec=ExampleSpec(solution=solution, split=split,
                                 source="ExeDec test set (google-deepmind/exedec @ ef046ce)"))


def load_exedec_tasks(domain: str, split: str, limit: int | None = None,
                      data_dir: Path | None = None) -> list[Task]:
    """The first ``limit`` (default all 1000) test problems of a split as tasks."""
    path = test_file(domain, split, data_dir)
    return [record_to_task(domain, split, r, f"{path}:{r['index']}")
            for r in read_records(domain, split, limit, data_dir)]


__all__ = ["SPLITS", "DOMAINS", "DATA_DIR", "load_exedec_tasks", "read_records", "record_to_task"]
