"""The ExeDec benchmark report: solved shares, generalization gaps and the auto column."""
import json

from synth.exedec.report import auto_run, compare


def _write(folder, domain, split, strategy, statuses):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"exedec-{domain}-{split}.jsonl", "w") as f:
        for i, st in enumerate(statuses):
            f.write(json.dumps({"name": f"{domain}/{split}/{i}", "domain": domain,
                                "strategy": strategy, "status": st, "seconds": 0.1}) + "\n")


def test_compare_gap_and_auto_column(tmp_path):
    enum, loop = tmp_path / "enum", tmp_path / "loop"
    _write(enum, "deepcoder", "NONE", "deepcoder-bottom-up", ["solved"] * 4)
    _write(enum, "deepcoder", "COMPOSE_NEW_OP", "deepcoder-bottom-up", ["solved", "timeout", "solved", "solved"])
    _write(loop, "deepcoder", "NONE", "exedec", ["solved", "timeout", "timeout", "timeout"])
    runs = [("enum", enum), ("exedec", loop)]
    assert auto_run(runs, "deepcoder") == ("enum", enum)   # deepcoder's auto is deepcoder-bottom-up
    assert auto_run(runs, "robustfill") is None             # no run of exedec-hybrid given
    text = compare(runs, auto=True)
    row = next(line for line in text.splitlines() if "| deepcoder | COMPOSE_NEW_OP |" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    # enum: 3/4 solved, gap = 100 - 75; exedec: no records; auto repeats enum and says so
    assert cells[3:5] == ["75.0 (3/4)", "+25.0"]
    assert cells[5:7] == ["-", "-"]
    assert cells[7:9] == ["75.0 (3/4) = enum", "+25.0"]
    none_row = next(line for line in text.splitlines() if "| deepcoder | NONE |" in line)
    assert "25.0 (1/4)" in none_row
