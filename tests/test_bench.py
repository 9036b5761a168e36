"""The benchmark runner: results files (cut-off lines, resuming) and stopping cleanly on Ctrl-C."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import synth.bench as bench
import synth.executors.wire as wire
import synth.records as records
from synth.task import Task

UPPER = {"name": "up", "examples": [{"inputs": {"s": "ab"}, "output": "AB"}]}
LOWER = {"name": "low", "examples": [{"inputs": {"s": "AB"}, "output": "ab"}]}


def hard(i):
    # no op reaches this number from a string (a constant text output, by contrast, is a program)
    return {"name": f"hard{i}", "examples": [{"inputs": {"s": "abc"}, "output": 987_654_321 + i}]}


def record(name, status="solved"):
    return {"name": name, "item": name, "status": status, "seconds": 0.1}


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------------------- results files
def test_load_records_skips_a_malformed_line_with_a_warning(tmp_path, capsys):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record("a")) + "\n" + '{"name": "b", "sta\n' + "\n" + "[1, 2]\n"
                    + json.dumps(record("c")) + "\n")
    done = bench.load_records(path)
    assert sorted(done) == ["a", "c"]
    err = capsys.readouterr().err
    assert f"{path}:2: malformed JSON" in err and f"{path}:4: not a result record" in err
    assert f"{path}:3" not in err  # a blank line is no record, and no error
    assert bench.load_records(path, warn=None) == done
    assert capsys.readouterr().err == ""


def test_append_after_a_cut_off_line_starts_a_new_line(tmp_path, capsys):
    """A run killed mid-write leaves a line without its newline: the next record must not be
    glued onto it."""
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record("a")) + "\n" + '{"name": "b", "status": "sol')
    bench._append(path, record("c"))
    assert [json.loads(x)["name"] for x in lines(path)] == ["a", "c"]  # the fragment is cut off
    path.write_text(json.dumps(record("a")) + "\n" + json.dumps(record("b")))  # whole, no newline
    bench._append(path, record("c"))
    assert [json.loads(x)["name"] for x in lines(path)] == ["a", "b", "c"]
    path.write_text('{"name": "a", "st')  # a fragment as the only line
    bench._append(path, record("c"))
    assert [json.loads(x)["name"] for x in lines(path)] == ["c"]
    assert capsys.readouterr().err == ""


def test_run_items_resumes_after_a_cut_off_line(tmp_path, capsys):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record("up")) + "\n" + '{"name": "low", "item": "low", "stat')
    items = [bench.BenchItem("up", "g", Task.from_dict(UPPER)), bench.BenchItem("low", "g", Task.from_dict(LOWER))]
    recs = bench.run_items(items, bench.BenchConfig(timeout=30, max_candidates=10000), path)
    assert [r["status"] for r in recs] == ["solved", "solved"]
    assert [json.loads(x)["name"] for x in lines(path)] == ["up", "low"]  # "up" not run again
    assert f"{path}:2: malformed JSON" in capsys.readouterr().err


def test_kernels_compiled_before_the_first_fork(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(wire, "ensure_compiled", lambda domains, progress=None, **k: calls.append(set(domains)))
    items = [bench.BenchItem("up", "g", Task.from_dict(UPPER))]
    cfg = bench.BenchConfig(timeout=30, max_candidates=10000)
    out = tmp_path / "r.jsonl"
    assert bench.run_items(items, cfg, out)[0]["status"] == "solved"
    assert calls == [{"strings"}]
    bench.run_items(items, cfg, out)  # all recorded: nothing to fork, nothing to compile
    assert calls == [{"strings"}]
    monkeypatch.setattr(wire, "ensure_compiled", None)  # numba (or the warm-up module) missing
    assert bench.run_items(items, cfg)[0]["status"] == "solved"


def test_interrupt_kills_the_workers_and_keeps_the_records(monkeypatch):
    """KeyboardInterrupt in the parent: workers killed, ``Interrupted`` carries what finished."""
    import multiprocessing as mp

    real_sleep = time.sleep
    state = {"polls": 0}

    def sleep(s):
        state["polls"] += 1
        if state["polls"] == 5:
            raise KeyboardInterrupt
        real_sleep(s)
    monkeypatch.setattr(bench.time, "sleep", sleep)

    def slow(task, cfg):
        real_sleep(60)
    monkeypatch.setattr(records, "solve_record", slow)
    monkeypatch.setattr(wire, "ensure_compiled", None)
    items = [bench.BenchItem(f"t{i}", "g", Task.from_dict(UPPER)) for i in range(3)]
    with pytest.raises(bench.Interrupted) as exc:
        bench.run_items(items, bench.BenchConfig(timeout=60, jobs=2))
    assert exc.value.records == {} and exc.value.total == 3
    assert mp.active_children() == []


# ------------------------------------------------------------------------------ Ctrl-C, CLI
def _synth(*args, **kw):
    exe = Path(sys.executable).with_name("synth")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "synth.cli"]
    # a terminal's Ctrl-C: SIGINT to the whole process group, with SIGINT not ignored (as it
    # is in a background job, which this test may run in)
    return subprocess.Popen(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)


def test_bench_ctrl_c_stops_cleanly_and_a_rerun_resumes(tmp_path):
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"tasks": [UPPER, hard(1), hard(2)]}))
    out = tmp_path / "out"
    results = out / "suite.jsonl"
    args = ["bench", str(suite), "--timeout", "1", "--jobs", "1", "--out", str(out)]
    p = _synth(*args)
    deadline = time.monotonic() + 600  # only so that a broken run cannot hang the test suite
    while not (results.exists() and results.read_text().strip()):
        assert p.poll() is None, p.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGINT)
    stdout, stderr = p.communicate(timeout=120)
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert p.returncode == 130, stderr
    recorded = len(lines(results))
    assert 1 <= recorded < 3
    assert f"interrupted: {recorded} of 3 tasks recorded in {results}; rerun the same command to resume" \
        in stderr
    assert all(json.loads(x) for x in lines(results))
    # the rerun runs only the rest
    p = _synth(*args)
    stdout, stderr = p.communicate(timeout=600)
    assert p.returncode == 1, stderr  # the two hard tasks are not solved
    recs = [json.loads(x) for x in lines(results)]
    assert sorted(r["name"] for r in recs) == ["hard1", "hard2", "up"]


def test_solve_jobs_ctrl_c_stops_cleanly(tmp_path):
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"tasks": [hard(1), hard(2), hard(3)]}))
    p = _synth("solve", str(suite), "--timeout", "30", "--jobs", "2", "--format", "json")
    # no record to wait for: interrupt once the workers exist (or, on a slow start, earlier)
    deadline = time.monotonic() + 600
    while p.poll() is None and time.monotonic() < deadline:
        out = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
        if len(out) >= 3:  # the parent and two workers
            break
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGINT)
    stdout, stderr = p.communicate(timeout=120)
    assert "Traceback" not in stderr and p.returncode == 130, stderr
    assert "interrupted: 0 of 3 tasks done" in stderr
    assert stdout == ""
    # no worker is left behind
    left = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
    assert left == []
