"""Executors (synth.executors): tasks sent as JSON, the local pebble pool, and Ray on a local
2-CPU cluster started inside the test run: the same records as the local pool, a hung task
killed and recorded, a dead worker recorded, a killed driver resumed with every task once."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import synth.bench as bench
import synth.records as records
from synth.cli import main
from synth.executors.wire import task_from_wire, task_to_wire
from synth.io import read_tasks
from synth.task import Task

ROOT = Path(__file__).resolve().parents[1]
UPPER = {"name": "up", "examples": [{"inputs": {"s": "ab"}, "output": "AB"}]}
LOWER = {"name": "low", "examples": [{"inputs": {"s": "AB"}, "output": "ab"}]}
EXHAUSTED = {"name": "exhausted", "ops": ["UPPER"], "examples": [{"inputs": {"s": "abc"}, "output": "abcabc"}]}


def hard(i):
    return {"name": f"hard{i}", "examples": [{"inputs": {"s": "abc"}, "output": 987_654_321 + i}]}


def item(d):
    t = Task.from_dict(d)
    return bench.BenchItem(t.name, "g", t)


def mixed_suites(tmp_path):
    """Every domain, both wire forms (JSON; a SyGuS file), and each way a search ends."""
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"tasks": [hard(1), EXHAUSTED]}))
    files = ["examples/suite.json", "examples/robustfill/product_code.json",
             "examples/deepcoder/sum_of_evens.json", "examples/regex/zip-code.json",
             "examples/lia/count-up.json", "benchmarks/data/sygus/pbe-strings/v2/from_2018/bikes.sl"]
    return [str(ROOT / f) for f in files if (ROOT / f).exists()] + [str(extra)]


def bench_records(out):
    return sorted((json.loads(x) for p in sorted(out.glob("*.jsonl")) for x in p.read_text().splitlines()),
                  key=lambda r: (r["group"], r["item"]))


def outcome(records):
    return [(r["item"], r["status"], r["program"]) for r in records]


# ------------------------------------------------------------------------------------- wire
def test_tasks_travel_as_json_and_come_back_equal():
    for f in ["examples/suite.json", "examples/deepcoder/take_sorted.json", "examples/regex/zip-code.json",
              "examples/lia/suite.json"]:
        for t in read_tasks(ROOT / f):
            text = task_to_wire(t)
            assert json.loads(text)["task"] == json.loads(json.dumps(t.to_dict()))
            assert task_from_wire(text) == t
    for f in ["benchmarks/data/sygus/pbe-strings/v2/from_2018/bikes.sl", "benchmarks/data/code2inv/c/1.c"]:
        if not (ROOT / f).exists():
            continue
        t = read_tasks(ROOT / f)[0]
        t.origin = f  # as given on the command line
        text = json.loads(task_to_wire(t))  # a parsed specification: the file's text travels
        assert "task" not in text and text["file"]["name"] == Path(f).name
        back = task_from_wire(json.dumps(text))
        assert (back.name, back.domain, back.examples, back.origin, back.spec.source) == \
            (t.name, t.domain, t.examples, t.origin, t.spec.source)


# ------------------------------------------------------------------------------------ local
def test_local_dead_worker_is_an_error_record_and_the_run_goes_on(monkeypatch, tmp_path):
    real = records.solve_record

    def crash_one(task, cfg):
        if task.name == "low":
            os._exit(7)
        return real(task, cfg)
    monkeypatch.setattr(records, "solve_record", crash_one)  # the forked workers run it
    out = tmp_path / "r.jsonl"
    recs = bench.run_items([item(UPPER), item(LOWER), item({**UPPER, "name": "up2"})],
                           bench.BenchConfig(timeout=30, max_candidates=10000, jobs=2), out)
    assert [r["status"] for r in recs] == ["solved", "error", "solved"]
    assert recs[1]["error"] == "worker died (exit code 7)" and recs[1]["wall"] >= 0
    assert sorted(json.loads(x)["item"] for x in out.read_text().splitlines()) == ["low", "up", "up2"]


def test_local_workers_tune_their_garbage_collector_and_leave_the_driver_s(monkeypatch, tmp_path):
    import gc

    from synth.executors.wire import WORKER_GC_THRESHOLD

    def report_gc(task, cfg):
        return {"name": task.name, "status": "solved", "program": None, "seconds": 0.0,
                "threshold": list(gc.get_threshold()), "frozen": gc.get_freeze_count()}
    monkeypatch.setattr(records, "solve_record", report_gc)  # the forked workers run it
    driver = gc.get_threshold()
    recs = bench.run_items([item(UPPER)], bench.BenchConfig(timeout=30, jobs=1), tmp_path / "r.jsonl")
    assert recs[0]["threshold"] == list(WORKER_GC_THRESHOLD) and recs[0]["frozen"] > 0
    assert gc.get_threshold() == driver


def test_solve_many_returns_results_in_order_and_resumes(tmp_path):
    from synth import solve_many

    tasks = [Task.from_dict(UPPER), Task.from_dict(hard(1)), Task.from_dict(LOWER)]
    out = tmp_path / "many.jsonl"
    res = solve_many(tasks, jobs=2, timeout=30, max_candidates=20000, out=out)
    assert [r.name for r in res] == ["up", "hard1", "low"]
    assert [r.status for r in res] == ["solved", "timeout", "solved"]
    assert res[0].program(s="xy") == "XY" and str(res[2].program) == "LOWER(s)"
    assert res[1].stats["stopped_by"] == "candidates" and "wall" in res[0].stats
    again = solve_many(tasks, jobs=2, timeout=30, max_candidates=20000, out=out)
    assert [str(r.program) for r in again] == [str(r.program) for r in res]
    assert len(out.read_text().splitlines()) == 3  # nothing solved twice


# -------------------------------------------------------------------------- without Ray
def test_executor_ray_without_ray_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # "import ray" raises ImportError
    path = tmp_path / "t.json"
    path.write_text(json.dumps(UPPER))
    for args in (["bench", str(path), "--executor", "ray", "--out", str(tmp_path / "o")],
                 ["solve", str(path), "--executor", "ray"]):
        r = CliRunner().invoke(main, args, catch_exceptions=False)
        assert r.exit_code == 2, r.output
        assert r.stderr.count("\n") == 1 and "pip install 'synth[ray]'" in r.stderr, r.stderr
        assert r.stderr.startswith("synth: error: ")
    from synth import solve_many
    from synth.executors.ray_pool import MissingDependency
    with pytest.raises(MissingDependency, match="synth\\[ray\\]"):
        solve_many([Task.from_dict(UPPER)], executor="ray")
    r = CliRunner().invoke(main, ["bench", str(path), "--address", "auto"], catch_exceptions=False)
    assert r.exit_code == 2 and "--address is for --executor ray" in r.stderr


# -------------------------------------------------------------------------------------- Ray
@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray cluster with 2 CPUs and a small object store, for this module's tests."""
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        ray.shutdown()
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 2**20,
             logging_level="WARNING")
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def test_ray_gives_the_local_pool_s_statuses_and_programs(ray_cluster, tmp_path):
    suites = mixed_suites(tmp_path)
    budget = ["--timeout", "60", "--max-candidates", "200000"]
    runs = {}
    for executor in ("local", "ray"):
        out = tmp_path / executor
        args = ["bench", *suites, *budget, "--executor", executor, "--out", str(out)]
        args += ["--jobs", "2"] if executor == "local" else ["--address", ray_cluster]
        r = CliRunner().invoke(main, args, catch_exceptions=False)
        assert r.exit_code == 1, r.output  # the hard and the exhausted task
        runs[executor] = bench_records(out)
    assert outcome(runs["ray"]) == outcome(runs["local"])
    assert {"solved", "timeout", "exhausted"} <= {r["status"] for r in runs["local"]}
    assert len(runs["ray"]) == 10 and len({(r["group"], r["item"]) for r in runs["ray"]}) == 10


def test_ray_kills_a_hung_task_and_records_a_dead_worker(ray_cluster, monkeypatch, tmp_path):
    from synth.executors.ray_pool import RayExecutor

    def flaky(task, cfg):  # runs in the actors (sent by value: a closure)
        import os
        import time

        from synth.records import solve_record
        if task.name == "hang":
            time.sleep(600)
        if task.name == "crash":
            os._exit(3)
        return solve_record(task, cfg)
    monkeypatch.setattr(bench, "GRACE_SECONDS", 1.0)  # the driver applies the hard limit
    items = [item({**UPPER, "name": "hang"}), item({**UPPER, "name": "crash"}), item(UPPER), item(LOWER)]
    out = tmp_path / "r.jsonl"
    started = time.perf_counter()
    recs = bench.run_items(items, bench.BenchConfig(timeout=1, max_candidates=10000), out, progress=None,
                           executor=RayExecutor(jobs=2, solve_fn=flaky))
    assert time.perf_counter() - started < 60
    by = {r["item"]: r for r in recs}
    assert by["hang"]["status"] == "timeout" and by["hang"]["stopped_by"] == "hard-kill"
    assert 2.0 <= by["hang"]["seconds"] < 10
    assert by["crash"]["status"] == "error" and by["crash"]["error"].startswith("worker died (")
    assert "ActorDiedError" in by["crash"]["error"]
    assert by["up"]["status"] == by["low"]["status"] == "solved"  # the run went on
    assert len(out.read_text().splitlines()) == 4


def test_ray_ctrl_c_stops_the_actors_and_keeps_the_records(ray_cluster, tmp_path):
    from synth.executors.ray_pool import RayExecutor

    def stop_after_first(it, rec):
        raise KeyboardInterrupt
    ex = RayExecutor(jobs=2)
    out = tmp_path / "r.jsonl"
    with pytest.raises(bench.Interrupted) as exc:
        bench.run_items([item(UPPER), item(hard(1)), item(hard(2))], bench.BenchConfig(timeout=30),
                        out, on_record=stop_after_first, progress=None, executor=ex)
    assert exc.value.recorded == 1 and len(out.read_text().splitlines()) == 1
    assert ex._slots == [] and ex.running == 0


def test_ray_driver_killed_midway_then_rerun_records_every_task_once(ray_cluster, tmp_path):
    names = [f"hard{i}" for i in range(6)]
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"tasks": [hard(i) for i in range(6)]}))
    out = tmp_path / "out"
    results = out / "suite.jsonl"
    exe = Path(sys.executable).with_name("synth")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "synth.cli"]
    cmd += ["bench", str(suite), "--executor", "ray", "--address", ray_cluster, "--timeout", "1",
            "--out", str(out)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    deadline = time.monotonic() + 120
    while not (results.exists() and results.read_text().strip()):
        assert p.poll() is None, p.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL)  # the driver dies at once: no clean-up of its own
    p.communicate(timeout=30)
    first = len(results.read_text().splitlines())
    assert 1 <= first < 6
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert p.returncode == 1, p.stderr  # none of the hard tasks is solved
    recs = [json.loads(x) for x in results.read_text().splitlines()]
    assert sorted(r["item"] for r in recs) == names  # every task exactly once
    assert all(r["status"] == "timeout" for r in recs)
