"""The command line: outputs, exit codes (0 solved, 1 unsolved, 2 bad input), one-line errors."""
import json

import pytest
from click.testing import CliRunner

from synth.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp_path, obj, name="t.json"):
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


UPPER = {"name": "up", "examples": [{"inputs": {"s": "ab"}, "output": "AB"}],
         "tests": [{"inputs": {"s": "q"}, "output": "Q"}]}


def test_solve_prints_program(tmp_path):
    r = run("solve", write(tmp_path, UPPER))
    assert r.exit_code == 0
    assert r.stdout.strip() == "UPPER(s)"


def test_solve_json_record(tmp_path):
    r = run("solve", write(tmp_path, UPPER), "--format", "json")
    rec = json.loads(r.stdout)
    assert rec["status"] == "solved" and rec["program"] == "UPPER(s)" and rec["test_ok"] is True


def test_solve_bundled_example():
    r = run("solve", "examples/initials.json")
    assert r.exit_code == 0, r.output
    from synth.dsl import get_domain
    p = get_domain("strings").parse(r.stdout.strip())
    assert p(name="Alan Turing") == "A. Turing"


def test_unsolved_exit_1(tmp_path):
    t = {"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": "an unreachable output 12345"}]}
    r = run("solve", write(tmp_path, t), "--timeout", "0.3")
    assert r.exit_code == 1
    assert "no program found" in r.stderr


def test_exhausted_message(tmp_path):
    t = {"name": "x", "ops": ["UPPER"], "examples": [{"inputs": {"s": "abc"}, "output": "abcabc"}]}
    r = run("solve", write(tmp_path, t))
    assert r.exit_code == 1 and "cannot express" in r.stderr


@pytest.mark.parametrize("content,needle", [
    ("{bad json", "malformed JSON"),
    (json.dumps({"name": "t", "examples": []}), "empty"),
    (json.dumps({"name": "t", "domain": "nope", "examples": [{"inputs": {"s": "a"}, "output": "b"}]}),
     "unknown domain"),
    (json.dumps({"name": "t", "ops": ["NOPE"], "examples": [{"inputs": {"s": "a"}, "output": "b"}]}),
     "unknown op"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"s": "a"}, "output": "b"},
                                           {"inputs": {"s": "a"}, "output": "c"}]}), "different outputs"),
    (json.dumps({"name": "t", "examples": [{"inputs": {"s": "a"}, "output": "b"},
                                           {"inputs": {"s": 1}, "output": "c"}]}), "same types"),
])
def test_bad_input_exit_2_one_line(tmp_path, content, needle):
    r = run("solve", write(tmp_path, content))
    assert r.exit_code == 2
    assert needle in r.stderr
    assert r.stderr.startswith("synth: error: ") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.output


def test_missing_file_and_bad_option(tmp_path):
    assert run("solve", str(tmp_path / "missing.json")).exit_code == 2
    assert run("solve", write(tmp_path, UPPER), "--timeout", "-1").exit_code == 2
    assert run("solve", write(tmp_path, UPPER), "--strategy", "magic").exit_code == 2


def test_run_command():
    r = run("run", 'CONCATENATE(LEFT(name, 1), ".")', "--domain", "strings", "--input", '{"name": "Ada"}')
    assert r.exit_code == 0 and json.loads(r.stdout) == "A."
    assert run("run", "LEFT(name", "--domain", "strings", "--input", '{"name": "A"}').exit_code == 2
    assert run("run", "LEFT(name, 1)", "--domain", "strings", "--input", "{x").exit_code == 2
    r = run("run", 'FIND("z", s)', "--domain", "strings", "--input", '{"s": "abc"}')
    assert r.exit_code == 2 and "undefined" in r.stderr


def test_dsl_list_and_show():
    r = run("dsl", "list")
    assert r.exit_code == 0 and "strings" in r.stdout
    r = run("dsl", "show", "strings")
    assert "CONCATENATE(String, String) -> String" in r.stdout and "?start" in r.stdout
    assert run("dsl", "show", "klingon").exit_code == 2


def test_bench_writes_results_and_resumes(tmp_path):
    suite = {"tasks": [UPPER, {"name": "low", "examples": [{"inputs": {"s": "AB"}, "output": "ab"}]},
                       {"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": "unreachable output 999"}]}]}
    path = write(tmp_path, suite, "suite.json")
    out = tmp_path / "out"
    r = run("bench", path, "--timeout", "0.5", "--out", str(out), "--jobs", "2")
    assert r.exit_code == 1  # one task unsolved
    recs = [json.loads(line) for line in (out / "suite.jsonl").read_text().splitlines()]
    assert sorted(r["name"] for r in recs) == ["hard", "low", "up"]
    assert {r["name"]: r["status"] for r in recs} == {"up": "solved", "low": "solved", "hard": "timeout"}
    assert (out / "suite.png").exists()
    assert "benchmark summary" in r.stdout
    r = run("bench", path, "--timeout", "0.5", "--out", str(out))
    assert len((out / "suite.jsonl").read_text().splitlines()) == 3  # resumed: nothing re-run


def test_bench_hard_kill(monkeypatch, tmp_path):
    """A worker that ignores its budget is killed at the hard limit and recorded as a timeout."""
    import synth.bench as bench
    monkeypatch.setattr(bench, "GRACE_SECONDS", 0.2)

    def stuck(task, cfg):
        import time
        time.sleep(60)
    monkeypatch.setattr(bench, "_solve_record", stuck)
    from synth.task import Task
    items = [bench.BenchItem("stuck", "g", Task.from_dict(UPPER))]
    recs = bench.run_items(items, bench.BenchConfig(timeout=0.2))
    assert recs[0]["status"] == "timeout" and recs[0]["stopped_by"] == "hard-kill"


def test_fill_csv(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,first\nJane Doe,Jane\nAl Bo,Al\nMark Twain,\nGrace Hopper,\n")
    r = run("fill", str(p), "--output", "first")
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[3] == "Mark Twain,Mark" and lines[4] == "Grace Hopper,Grace"
    assert run("fill", str(p), "--output", "nope").exit_code == 2
    q = tmp_path / "e.csv"
    q.write_text("a,b\nx,\n")
    r = run("fill", str(q), "--output", "b")
    assert r.exit_code == 2 and "no filled cells" in r.stderr


def test_bench_folder_resumes_by_path(tmp_path):
    d = tmp_path / "suite"
    (d / "a").mkdir(parents=True)
    (d / "a" / "one.json").write_text(json.dumps(UPPER))
    (d / "two.json").write_text(json.dumps({**UPPER, "name": "other"}))
    out = tmp_path / "out"
    assert run("bench", str(d), "--timeout", "2", "--out", str(out)).exit_code == 0
    lines = (out / "suite.jsonl").read_text().splitlines()
    assert sorted(json.loads(x)["item"] for x in lines) == ["a/one.json", "two.json"]
    run("bench", str(d), "--timeout", "2", "--out", str(out))
    assert len((out / "suite.jsonl").read_text().splitlines()) == 2
