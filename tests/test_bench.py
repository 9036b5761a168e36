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
from synth.executors.base import Executor
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
    # PYTHONFAULTHANDLER: a driver that hangs prints its threads' stacks on SIGABRT (``_wait``)
    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    return subprocess.Popen(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)


def _synth_with_two_workers(*args):
    """``_synth``, returned once the driver and its two workers exist (or, on a slow start, after
    10 minutes, or once the driver has ended)."""
    p = _synth(*args)
    deadline = time.monotonic() + 600
    while p.poll() is None and time.monotonic() < deadline:
        out = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
        if len(out) >= 3:
            break
        time.sleep(0.05)
    return p


def _wait(p, timeout):
    """``p.communicate``; if it has not ended by then, fail with its threads' stacks and the
    processes left in its group."""
    try:
        return p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        group = subprocess.run(["ps", "-o", "pid,stat,wchan:24,etime,args", "-g", str(p.pid)],
                               capture_output=True, text=True).stdout
        os.kill(p.pid, signal.SIGABRT)
        time.sleep(1)
        os.killpg(p.pid, signal.SIGKILL)
        stdout, stderr = p.communicate()
        pytest.fail(f"no end {timeout} s after Ctrl-C\nprocesses:\n{group}\nstderr:\n{stderr}")


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
    stdout, stderr = _wait(p, 120)
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
    p = _synth_with_two_workers("solve", str(suite), "--timeout", "30", "--jobs", "2", "--format", "json")
    # no record to wait for: interrupt once the workers exist
    os.killpg(p.pid, signal.SIGINT)
    stdout, stderr = _wait(p, 120)
    assert "Traceback" not in stderr and p.returncode == 130, stderr
    assert "interrupted: 0 of 3 tasks done" in stderr
    assert stdout == ""
    # no worker is left behind
    left = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
    assert left == []


# ------------------------------------------------------------- Ctrl-C at a safe point
def _python_code_for_a_while():
    """Bytecode for 0.2 s: time for a signal to reach whichever thread takes it, and for
    Python to act on it in the main thread."""
    end = time.monotonic() + 0.2
    while time.monotonic() < end:
        pass


class _SelfInterruptingExecutor(Executor):
    """An executor whose ``submit`` is hit by Ctrl-C half-way, as pebble's ``schedule`` may be:
    the rest of ``submit`` must still run (a lock taken there is released)."""

    name = "fake"

    def __init__(self, take_signal):
        super().__init__(jobs=2)
        self.take_signal = take_signal
        self.finished_submits, self.inflight, self.stopped = 0, [], False

    def start(self, warmup, pending):
        pass

    def free_slots(self):
        return 2 - len(self.inflight)

    @property
    def running(self):
        return len(self.inflight)

    def submit(self, key, task_text, cfg_text, hard_limit):
        signal.pthread_kill(self.take_signal, signal.SIGINT)
        _python_code_for_a_while()  # where a pending KeyboardInterrupt would be raised
        self.inflight.append(key)
        self.finished_submits += 1

    def wait(self):
        self.waits = getattr(self, "waits", 0) + 1
        # the deferred Ctrl-C must end the run at the driver's next check: never wait forever
        assert self.waits < 1000, "the deferred Ctrl-C did not stop the run"
        time.sleep(0.01)
        return []

    def close(self):
        pass

    def stop(self):
        self.stopped = True
        self.inflight.clear()


@pytest.fixture
def python_sigint():
    """Ctrl-C handled by Python (``KeyboardInterrupt``) during the test, as in a terminal, even
    where pytest was started with SIGINT ignored (a background job of a shell without job
    control): the tests below send SIGINT to this process."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def test_ctrl_c_is_taken_between_executor_calls_not_inside_them(python_sigint):
    """As in a driver with numpy's or numba's threads: the main thread blocks SIGINT while it
    submits, the kernel hands the signal to another thread (here: sends it there), and Python
    would raise in the main thread anyway, inside ``submit``."""
    import threading

    other = threading.Event()
    helper = threading.Thread(target=other.wait, daemon=True)  # SIGINT not blocked there
    helper.start()
    ex = _SelfInterruptingExecutor(helper.ident)
    items = [bench.BenchItem(f"t{i}", "g", Task.from_dict(UPPER)) for i in range(3)]
    try:
        with pytest.raises(bench.Interrupted):
            bench.run_items(items, bench.BenchConfig(timeout=5), progress=None, executor=ex)
    finally:
        other.set()
    assert ex.finished_submits == 1 and ex.stopped
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored


def test_deferred_ctrl_c_waits_for_check_and_a_second_one_does_not(python_sigint):
    from synth.executors import interrupt

    with pytest.raises(KeyboardInterrupt):
        with interrupt.deferred():
            os.kill(os.getpid(), signal.SIGINT)
            _python_code_for_a_while()
            assert interrupt.requested()
            with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C: at once
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(1000):
                    pass
            assert not interrupt.requested()
            os.kill(os.getpid(), signal.SIGINT)
            _python_code_for_a_while()
    # noted after the last check: raised as the block ends
    assert not interrupt.requested()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # where Ctrl-C is ignored (a background job) it stays ignored
        with interrupt.deferred():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_driver_killed_outright(tmp_path):
    suite = tmp_path / "suite.json"
    suite.write_text(json.dumps({"tasks": [hard(1), hard(2), hard(3)]}))
    p = _synth_with_two_workers("solve", str(suite), "--timeout", "120", "--jobs", "2", "--format", "json")
    time.sleep(3)  # the workers have taken their tasks and search (idle ones end on their own)
    os.kill(p.pid, signal.SIGKILL)  # the driver only
    p.wait()
    deadline = time.monotonic() + 60  # the workers' own time limit is 120 s
    left = ["?"]
    while left and time.monotonic() < deadline:
        left = subprocess.run(["pgrep", "-g", str(p.pid)], capture_output=True, text=True).stdout.split()
        time.sleep(0.1)
    p.stdout.close()
    p.stderr.close()
    assert left == []
