"""The ExeDec benchmark report (benchmarks/exedec_report.py, with the paper's figures in
benchmarks/exedec_paper.py): solved shares, generalization gaps and the auto column."""
import json
import runpy
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from exedec_report import auto_run, compare  # noqa: E402


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


def test_steps_of_counts_released_program_lengths():
    from exedec_report import steps_of
    assert steps_of("deepcoder", "x0 = INPUT | x1 = INPUT | x2 = Scanl1 (-) x0 | x3 = Map (*(-1)) x2") == 2
    assert steps_of("robustfill", "4 29|7 109 211|3 8 111 17 109 216") == 3


def test_by_steps_groups_a_run_by_ground_truth_length(tmp_path):
    from synth.exedec import read_records
    from exedec_report import by_steps, steps_of
    raw = read_records("deepcoder", "NONE", 3)
    _write(tmp_path, "deepcoder", "NONE", "exedec", ["solved", "timeout", "solved"])
    text = by_steps(tmp_path)
    expect: dict[int, list[int]] = {}
    for r, ok in zip(raw, [1, 0, 1]):
        c = expect.setdefault(steps_of("deepcoder", r["program"]), [0, 0])
        c[0] += ok
        c[1] += 1
    row = next(line for line in text.splitlines() if line.startswith("| NONE |"))
    assert row == "| NONE | " + " | ".join(f"{a}/{b}" for _, (a, b) in sorted(expect.items())) + " |"
    assert "robustfill" not in text   # no robustfill records: no robustfill table


def test_remeasured_column_gives_value_and_gap_or_missing(tmp_path):
    from exedec_paper import REMEASURED_PERCENT, remeasured_figure
    none, cno = REMEASURED_PERCENT[("deepcoder", "NONE")], REMEASURED_PERCENT[("deepcoder", "COMPOSE_NEW_OP")]
    assert remeasured_figure("deepcoder", "NONE") == f"{none:.1f}%"
    assert remeasured_figure("deepcoder", "COMPOSE_NEW_OP") == f"{cno:.1f}% (gap {none - cno:+.1f})"
    assert remeasured_figure("robustfill", "NONE") == f"{REMEASURED_PERCENT[('robustfill', 'NONE')]:.1f}%"
    assert remeasured_figure("lists", "NONE") == "missing"   # no figure: no guess
    _write(tmp_path, "deepcoder", "COMPOSE_NEW_OP", "exedec", ["solved"])
    text = compare([("exedec", tmp_path)])
    header = text.splitlines()[0]
    row = next(line for line in text.splitlines() if "| deepcoder | COMPOSE_NEW_OP |" in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == len(header.strip("|").split("|"))
    assert cells[-2:] == ["missing", remeasured_figure("deepcoder", "COMPOSE_NEW_OP")]


def test_report_names_where_the_remeasured_figures_come_from(tmp_path, capsys):
    from exedec_paper import REMEASURED_PERCENT, REMEASURED_SOURCE
    from exedec_report import main
    assert {d for d, _ in REMEASURED_PERCENT} <= set(REMEASURED_SOURCE)   # every figure has a source
    _write(tmp_path, "deepcoder", "NONE", "exedec", ["solved"])
    main([f"exedec={tmp_path}"])
    out = capsys.readouterr().out
    assert all(src in out for src in REMEASURED_SOURCE.values())


def test_a_run_can_be_read_from_several_folders_first_one_wins(tmp_path, capsys):
    from exedec_report import main
    new, old = tmp_path / "new", tmp_path / "old"
    _write(new, "deepcoder", "NONE", "exedec", ["solved", "solved"])       # redone: 2/2
    _write(old, "deepcoder", "NONE", "exedec", ["timeout", "timeout"])     # superseded: 0/2
    _write(old, "robustfill", "NONE", "exedec", ["solved", "timeout"])     # only here: 1/2
    main([f"exedec={new},{old}", "--limit", "2"])
    rows = {tuple(c.strip() for c in line.strip("|").split("|")[:2]): line
            for line in capsys.readouterr().out.splitlines() if line.startswith("| ")}
    assert "| 100.0 (2/2) |" in rows[("deepcoder", "NONE")]
    assert "| 50.0 (1/2) |" in rows[("robustfill", "NONE")]
    assert "| - | - |" in rows[("deepcoder", "COMPOSE_NEW_OP")]           # in neither folder


def test_the_old_module_entry_point_runs_the_report(tmp_path, capsys, monkeypatch):
    """``python -m synth.exedec.report ...`` (the commands recorded in benchmarks/RESULTS.md)
    still prints the report."""
    _write(tmp_path, "deepcoder", "NONE", "exedec", ["solved", "timeout"])
    monkeypatch.setattr(sys, "argv", ["synth.exedec.report", str(tmp_path)])
    ran = runpy.run_module("synth.exedec.report", run_name="__main__")
    assert ran["SCRIPT"] == BENCHMARKS / "exedec_report.py"
    row = next(line for line in capsys.readouterr().out.splitlines() if "| deepcoder | NONE |" in line)
    assert "| first 2 of 1000 | 1 | 50.0 |" in row
