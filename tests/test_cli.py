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
    t = {"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": 987654321}]}
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
                       {"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": 987654999}]}]}
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
    import synth.records as records
    monkeypatch.setattr(records, "solve_record", stuck)
    from synth.task import Task
    items = [bench.BenchItem("stuck", "g", Task.from_dict(UPPER))]
    recs = bench.run_items(items, bench.BenchConfig(timeout=0.2))
    assert recs[0]["status"] == "timeout" and recs[0]["stopped_by"] == "hard-kill"


def test_fill_csv(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("name,first\nJane Doe,Jane\nAl Bo,Al\nMark Twain,\nGrace Hopper,\n")
    r = run("fill", str(p), "--column", "first")
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[3] == "Mark Twain,Mark" and lines[4] == "Grace Hopper,Grace"
    assert run("fill", str(p), "--output", "nope").exit_code == 2
    q = tmp_path / "e.csv"
    q.write_text("a,b\nx,\n")
    r = run("fill", str(q), "--column", "b")
    assert r.exit_code == 2 and "no filled cells" in r.stderr


def test_fill_reads_the_column_and_names_rows_it_cannot_fill(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("full name,last\nJohn Smith,Smith\nAda Lovelace,\nGrace Brewster Hopper,\nX,\n")
    r = run("fill", str(p), "--column", "last", "--timeout", "10", "--fill-unsure")
    lines = r.stdout.strip().splitlines()
    assert lines[2] == "Ada Lovelace,Lovelace" and lines[3] == "Grace Brewster Hopper,Hopper"
    assert "full_name" in r.stderr  # the header, not col0
    q = tmp_path / "u.csv"
    q.write_text("code,num\nab-12,12\ncd-7,\nnone,\n")
    r = run("fill", str(q), "--column", "num", "--timeout", "10")
    assert r.exit_code == 1 and "(CSV line 4)" in r.stderr, r.stderr
    assert r.stdout.strip().splitlines()[2] == "cd-7,7"


def test_bench_examples_and_protocol_options(tmp_path):
    suite = tmp_path / "s.json"
    rows = [{"inputs": {"s": f"{a} {b}"}, "output": b} for a, b in
            [("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper"), ("Edsger", "Dijkstra")]]
    suite.write_text(json.dumps({"tasks": [{"name": "last", "description": "Substring",
                                            "examples": rows[:3], "tests": rows[3:]}]}))
    out = tmp_path / "out"
    r = run("bench", str(suite), "--timeout", "5", "--out", str(out), "--examples", "1",
            "--tests-as-inputs", "--by-tag")
    assert r.exit_code == 0, r.output
    assert "Substring" in r.stdout
    rec = json.loads((out / "s.jsonl").read_text().splitlines()[0])
    assert rec["test_ok"] is True
    r = run("bench", str(suite), "--timeout", "5", "--out", str(out), "--fresh", "--interactive")
    assert r.exit_code == 0, r.output
    rec = json.loads((out / "s.jsonl").read_text().splitlines()[0])
    assert rec["examples_needed"] == 1 and "mean examples" in r.stdout


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


# ------------------------------------------------------------------- standard input, many files
def run_in(text, *args):
    return CliRunner().invoke(main, list(args), input=text, catch_exceptions=False)


def test_solve_reads_a_task_from_stdin():
    r = run_in(json.dumps(UPPER), "solve", "-", "--max-candidates", "10000")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == "UPPER(s)"


def test_solve_reads_a_suite_and_jsonl_from_stdin():
    low = {"name": "low", "examples": [{"inputs": {"s": "AB"}, "output": "ab"}]}
    for text in (json.dumps({"tasks": [UPPER, low]}), json.dumps(UPPER) + "\n" + json.dumps(low) + "\n"):
        r = run_in(text, "solve", "-", "--max-candidates", "10000", "--format", "json")
        assert r.exit_code == 0, r.output
        recs = [json.loads(line) for line in r.stdout.splitlines()]
        assert [(x["name"], x["program"]) for x in recs] == [("up", "UPPER(s)"), ("low", "LOWER(s)")]


@pytest.mark.parametrize("text,needle", [("{bad json", "malformed JSON"), ("", "no task"),
                                         ("  \n", "no task")])
def test_solve_bad_stdin_exit_2_one_line(text, needle):
    r = run_in(text, "solve", "-")
    assert r.exit_code == 2
    assert r.stderr.startswith("synth: error: <stdin>: ") and r.stderr.count("\n") == 1
    assert needle in r.stderr and "synth-stdin" not in r.stderr  # no temporary file name


def test_solve_reports_each_bad_file_and_solves_the_rest(tmp_path):
    good = write(tmp_path, UPPER, "good.json")
    bad = write(tmp_path, "{bad json", "bad.json")
    missing = str(tmp_path / "missing.json")
    r = run("solve", bad, good, missing, "--max-candidates", "10000")
    assert r.exit_code == 2
    assert r.stdout.strip() == "UPPER(s)"
    errors = [line for line in r.stderr.splitlines() if line.startswith("synth: error: ")]
    assert [e.split(": ")[2] for e in errors] == [bad, missing]
    assert "Traceback" not in r.output
    r = run("solve", bad, good, "--max-candidates", "10000", "--format", "json")
    assert r.exit_code == 2
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(x["name"], x["status"]) for x in recs] == [(bad, "error"), ("up", "solved")]
    assert "malformed JSON" in recs[0]["error"] and recs[0]["file"] == bad


def test_solve_sygus_folder_with_a_non_pbe_file():
    """The SyGuS set ships a non-PBE file (max3.sl): it is reported, the others are solved."""
    from pathlib import Path
    folder = Path("benchmarks/data/sygus/pbe-strings/v2/from_2018")
    bad, good = folder / "max3.sl", folder / "bikes.sl"
    if not (bad.exists() and good.exists()):
        pytest.skip("SyGuS benchmark files not present")
    r = run("solve", str(bad), str(good), "--max-candidates", "200000")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"synth: error: {bad}:") and "not a PBE problem" in r.stderr
    assert r.stdout.strip().startswith("(define-fun f ")


def test_exit_status_precedence(tmp_path):
    """2 (a bad file) beats 1 (an unsolved task) beats 0."""
    hard = write(tmp_path, {"name": "hard", "examples": [{"inputs": {"s": "abc"}, "output": 987612345}]},
                 "hard.json")
    r = run("solve", hard, write(tmp_path, UPPER, "up.json"), "--max-candidates", "2000")
    assert r.exit_code == 1
    r = run("solve", hard, write(tmp_path, "{", "bad.json"), "--max-candidates", "2000")
    assert r.exit_code == 2


# ------------------------------------------------------------------------ strategy vs. domain
@pytest.mark.parametrize("strategy", ["exedec", "cegis", "regex-enum", "robustfill-decompose"])
def test_strategy_that_does_not_serve_the_domain_exit_2(tmp_path, monkeypatch, strategy):
    import synth.records as records

    def no_search(*a, **k):
        raise AssertionError("searched")
    monkeypatch.setattr(records, "solve_record", no_search)
    r = run("solve", write(tmp_path, UPPER), "--strategy", strategy)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"synth: error: strategy {strategy!r} does not search the strings domain")
    assert r.stderr.count("\n") == 1 and "bottom-up" in r.stderr
    out = tmp_path / "out"
    r = run("bench", write(tmp_path, UPPER), "--strategy", strategy, "--out", str(out))
    assert r.exit_code == 2 and "does not search the strings domain" in r.stderr
    assert not out.exists()  # before any search


def test_strategy_serves_table():
    from synth.search import strategy_serves
    assert strategy_serves("bottom-up", "strings") and strategy_serves("guided", "strings")
    assert strategy_serves("exedec", "deepcoder") and strategy_serves("exedec", "robustfill")
    assert strategy_serves("cegis", "lia") and strategy_serves("regex-enum", "regex")
    assert not strategy_serves("exedec", "strings") and not strategy_serves("bottom-up", "robustfill")
    assert not strategy_serves("deepcoder-bottom-up", "robustfill")
    from synth.api import default_strategy
    from synth.dsl import available_domains
    for d in available_domains():  # every domain's own choice is allowed
        assert strategy_serves(default_strategy(d), d)


# ---------------------------------------------------------------- internal errors, encodings
def test_internal_error_is_one_line_exit_3(tmp_path, monkeypatch):
    import synth.cli as cli

    def broken(*a, **k):
        raise RuntimeError("something broke\nsecond line")
    monkeypatch.setattr(cli, "_read_file", broken)
    monkeypatch.delenv("SYNTH_DEBUG", raising=False)
    r = run("solve", write(tmp_path, UPPER))
    assert r.exit_code == 3
    assert r.stderr.startswith("synth: internal error: RuntimeError: something broke")
    assert "rerun with SYNTH_DEBUG=1" in r.stderr and r.stderr.count("\n") == 1
    assert "Traceback" not in r.output
    monkeypatch.setenv("SYNTH_DEBUG", "1")
    with pytest.raises(RuntimeError):
        run("solve", write(tmp_path, UPPER))


def test_internal_error_in_a_search_exit_3(tmp_path, monkeypatch):
    import synth.api

    def broken(*a, **k):
        raise ZeroDivisionError("oops")
    monkeypatch.setattr(synth.api, "solve", broken)
    r = run("solve", write(tmp_path, UPPER))
    assert r.exit_code == 3 and "internal error" in r.stderr and "Traceback" not in r.output


def test_lone_surrogate_is_printed_escaped(tmp_path):
    r = run("run", 'CONCATENATE(s, "x")', "--domain", "strings", "--input", '{"s": "\\ud800"}')
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == "\ud800x"
    t = {"name": "sur\ud800", "constants": ["\ud800"],
         "examples": [{"inputs": {"s": "a"}, "output": "a\ud800"}, {"inputs": {"s": "bc"}, "output": "bc\ud800"}]}
    r = run("solve", write(tmp_path, t), "--max-candidates", "20000")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == 'CONCATENATE(s, "\\ud800")'
    assert r.stderr.startswith("sur\\ud800: solved")


# -------------------------------------------------------------------- kernels before the fork
def test_kernels_compiled_once_before_forking(tmp_path, monkeypatch):
    import synth.executors.wire as wire
    calls = []
    monkeypatch.setattr(wire, "ensure_compiled", lambda domains, progress=None, **k: calls.append(set(domains)))
    path = write(tmp_path, UPPER)
    assert run("solve", path, "--max-candidates", "10000").exit_code == 0
    assert calls == []  # the in-process path (jobs 1) leaves it to the search
    assert run("solve", path, path, "--jobs", "2", "--max-candidates", "10000").exit_code == 0
    assert calls == [{"strings"}]
    out = tmp_path / "out"
    assert run("bench", path, "--out", str(out), "--max-candidates", "10000").exit_code == 0
    assert calls == [{"strings"}, {"strings"}]
    assert run("bench", path, "--out", str(out), "--max-candidates", "10000").exit_code == 0
    assert len(calls) == 2  # nothing left to run: nothing compiled


def test_solved_but_wrong_on_held_out_tests_exits_1(tmp_path):
    """A program that fits the examples but not the task's own tests is not a success."""
    import json as _json

    from click.testing import CliRunner

    from synth.cli import main

    task = {"name": "constant-fit", "domain": "strings",
            "examples": [{"inputs": {"s": "abc"}, "output": "xy"}, {"inputs": {"s": "def"}, "output": "xy"}],
            "tests": [{"inputs": {"s": "ghi"}, "output": "gh"}]}
    path = tmp_path / "t.json"
    path.write_text(_json.dumps(task))
    res = CliRunner().invoke(main, ["solve", str(path), "--max-candidates", "100000"])
    assert res.exit_code == 1, res.output
    assert "wrong on the task's held-out tests" in res.output


def test_fill_preview_names_unsure_rows(tmp_path):
    p = tmp_path / "g.csv"
    p.write_text("full name,last\nAda Lovelace,Lovelace\nGrace Brewster Hopper,\nAlan Turing,\n")
    r = run("fill", str(p), "--column", "last", "--preview", "--timeout", "10")
    assert r.exit_code == 1
    out = r.stdout.splitlines()
    assert out[0].startswith("line    2  given") and out[1].startswith("line    3  unsure")
    assert out[2].startswith('line    4  filled  "Turing"')
    assert "differ on 1 row(s), left empty (CSV line 3)" in r.stderr
    r = run("fill", str(p), "--column", "last", "--timeout", "10", "--fill-unsure")
    assert r.stdout.splitlines()[2] in ("Grace Brewster Hopper,Hopper", "Grace Brewster Hopper,Brewster")
    assert run("fill", str(p), "--timeout", "10").exit_code == 2  # no --column


def test_fill_interactive_in_a_terminal(tmp_path):
    """The whole loop in a pseudo-terminal: synth asks about the row where its programs differ,
    the user types the answer, synth relearns and fills the rest."""
    import sys
    from pathlib import Path

    pexpect = pytest.importorskip("pexpect")
    p = tmp_path / "g.csv"
    p.write_text("full name,last\nAda Lovelace,Lovelace\nGrace Brewster Hopper,\nAlan Turing,\n"
                 "Edsger Wybe Dijkstra,\n")
    exe = Path(sys.executable).with_name("synth")
    child = pexpect.spawn(str(exe), ["fill", str(p), "--column", "last", "--interactive",
                                     "--timeout", "10"], encoding="utf-8", timeout=120)
    child.expect(r"line [35] \(full name='(Grace Brewster Hopper|Edsger Wybe Dijkstra)'\)")
    asked = child.match.group(1)
    child.expect(r"\? type its last")
    child.sendline(asked.split()[-1])
    child.expect(pexpect.EOF)
    child.close()
    text = child.before
    assert child.exitstatus == 0, text
    assert "Edsger Wybe Dijkstra,Dijkstra" in text and "Grace Brewster Hopper,Hopper" in text
