"""Throughput of bottom-up enumeration: the compiled (numba) engine against the pure-Python one.

Both engines search the same fixed tasks to the same candidate budget, in one run, one after the
other, and must return identical outcomes (checked). Reported per domain: candidates per second
and new (kept) values per second, from wall-clock time of the searches alone (the compiled
kernels are loaded before the clock starts; start-up is measured separately). Each task is
searched ``--repeat`` times (default 3) by each engine in turn and counts at its fastest search:
on a shared VM a single sub-second compiled search varies by 2x (first-touch page faults, neighbours),
and the fastest of a few is the least disturbed. ``--repeat 1`` gives the single-pass figure.
All searches run in one process, so a compiled search reuses the bank memory of the compiled
searches before it (``synth.search.compiled.memory``), as in any process that runs many searches;
``SYNTH_RETAIN_MB=0`` measures every search on fresh memory instead (as a one-shot `synth solve`).

    python benchmarks/throughput.py                      # text report
    python benchmarks/throughput.py --format json        # {"strings": {"compiled": C, "python": P}, ...}
    python benchmarks/throughput.py --startup            # also cold/warm start-up of `synth solve`
    python benchmarks/throughput.py --instructions       # also instructions per candidate (compiled)
    python benchmarks/throughput.py --instructions-only --domains strings   # only those counts

Instructions per candidate (``--instructions``): wall time on this shared 2-core VM is noisy, the
count of executed instructions is not. Each compiled search runs once more in a child process of
its own (``--count-child DOMAIN:INDEX``) that loads the kernels, builds the search and only then
opens a counting window around ``search.run()`` alone, closing it right after: start-up, kernel
loading, task reading and the search's construction are outside the window, so nothing has to be
subtracted. The window is opened and closed by one of two counters (``--counter``):

- ``perf``: ``perf stat -e instructions:u --delay=-1 --control fifo:CTL,ACK`` (counting starts
  disabled); the child writes ``enable`` / ``disable`` to the control FIFO and waits for perf's
  ``ack`` each time. Needs hardware performance counters (absent on some VMs).
- ``callgrind``: ``valgrind --tool=callgrind --instr-atstart=no``; the child issues callgrind's
  START/STOP_INSTRUMENTATION client requests (the valgrind client-request instruction sequence,
  run through ctypes; a no-op outside valgrind). Exact and deterministic, but about 50x slower.
- ``auto`` (default): ``perf`` if ``perf stat -e instructions:u`` counts on this machine, else
  ``callgrind``.

Under valgrind, numba compiles the kernels anew for the CPU valgrind presents (no AVX-512: the
cached machine code is keyed by CPU features), so callgrind counts that build's instructions.
Before the 2026-12-05 kernel changes it counted 797 per candidate on the strings tasks, against
the ~790 perf had counted on native code (benchmarks/RESULTS.md).
Both count user-space instructions of the whole process inside the window: the kernels and the
engine's Python around them (block set-up, event replay, bank growth). The counted search returns
the same outcome as the timed ones (checked).

Tasks: strings, BUSTLE SyGuS tasks over BUSTLE's ops; deepcoder, ExeDec test tasks (NONE split) over
the DeepCoder DSL as a tree grammar (``synth.search.compiled.kernels.deepcoder.tree_grammar``). By default the
shortcuts (concatenation, conditional, decomposition) are off, so that what is timed is
enumeration, evaluation and deduplication; ``--shortcuts`` turns them on as in ``synth solve``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synth.dsl import get_domain  # noqa: E402
from synth.io import read_tasks  # noqa: E402
from synth.search.bottom_up import BottomUpSearch  # noqa: E402
from synth.search.budget import Budget  # noqa: E402
from synth.search.enumerative import limits_for, task_grammar  # noqa: E402

#: fixed task sets (none is solved within the default budgets without the shortcuts)
STRINGS_TASKS = ("bustle_sygus89.json", ["phone-10.sl", "initials.sl", "get-domain-name-from-url.sl",
                                         "stackoverflow1.sl"])
DEEPCODER_TASKS = ("NONE", [1, 2, 4, 9])
ONE_EXAMPLE_TASK = {"name": "upper-one", "domain": "strings",
                    "examples": [{"inputs": {"s": "hello world"}, "output": "HELLO WORLD"}]}


def strings_jobs():
    D = get_domain("strings")
    suite, names = STRINGS_TASKS
    tasks = {t.name: t for t in read_tasks(ROOT / "benchmarks" / "data" / "strings" / suite)}
    for name in names:
        t = tasks[name]
        yield name, D, task_grammar(t, D), [dict(e.inputs) for e in t.examples], \
            [e.output for e in t.examples], limits_for(t)


def deepcoder_jobs():
    from synth.search.compiled.kernels.deepcoder import tree_search_args
    from synth.exedec import load_exedec_tasks

    D = get_domain("deepcoder")
    split, indices = DEEPCODER_TASKS
    tasks = load_exedec_tasks("deepcoder", split, max(indices) + 1)
    for i in indices:
        t = tasks[i]
        grammar, inputs, target = tree_search_args(t, D)
        yield t.name, D, grammar, inputs, target, limits_for(t)


def measure(jobs, candidates: int, shortcuts: bool, log, repeat: int = 1) -> dict:
    """Run both engines on every job, ``repeat`` times in turn; totals per engine, each task
    counted at its fastest repeat (the least disturbed by whatever else the machine did)."""
    from synth.search.compiled import CompiledBottomUpSearch

    options = {} if shortcuts else dict(concat_shortcut=False, cond_shortcut=False, decompose=False)
    totals = {e: {"candidates": 0, "values": 0, "seconds": 0.0, "cpu": 0.0, "tasks": {}}
              for e in ("compiled", "python")}
    for name, D, grammar, inputs, target, limits in jobs:
        outcomes, best = {}, {}
        for _ in range(repeat):
            for engine, cls in (("compiled", CompiledBottomUpSearch), ("python", BottomUpSearch)):
                search = cls(D, grammar, inputs, target, Budget(timeout=None, max_candidates=candidates),
                             limits, **options)
                if engine == "compiled" and search.engine != "compiled":
                    raise SystemExit(f"{name}: the compiled engine cannot search it: {search.fallback_reason}")
                c0, w0 = time.process_time(), time.perf_counter()
                out = search.run()
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                key = (out.status, out.node, out.candidates, out.values)
                if outcomes.setdefault(engine, key) != key:
                    raise SystemExit(f"{name}: {engine} engine gave different outcomes on repeats")
                if engine not in best or wall < best[engine][0]:
                    best[engine] = (wall, cpu)
                log(f"  {name:32} {engine:8} {out.status:8} {out.candidates:>10,} candidates "
                    f"{out.values:>9,} values {wall:7.2f} s  {out.candidates / wall / 1e6:6.2f} M cand/s")
        for engine in ("compiled", "python"):
            tot = totals[engine]
            _, _, cands, values = outcomes[engine]
            tot["candidates"] += cands
            tot["values"] += values
            tot["seconds"] += best[engine][0]
            tot["cpu"] += best[engine][1]
            tot["tasks"][name] = {"status": outcomes[engine][0], "candidates": cands, "values": values,
                                  "seconds": best[engine][0]}
        if outcomes["compiled"] != outcomes["python"]:
            raise SystemExit(f"{name}: the engines disagree: {outcomes['compiled']} vs {outcomes['python']}")
    return totals


# ------------------------------------------------------------------------ instruction counting
_JOBS = {"strings": strings_jobs, "deepcoder": deepcoder_jobs}


class _Window:
    """The child's side of a counting window (see the module docstring)."""

    def __init__(self) -> None:
        self.ctl = os.environ.get("THROUGHPUT_PERF_CTL")
        self.ack = os.environ.get("THROUGHPUT_PERF_ACK")
        if self.ctl:
            self._ctl = open(self.ctl, "w")
            self._ack = open(self.ack, "r")
        else:  # callgrind client requests: rdx = request(rax -> args); ``default`` 0 outside valgrind
            import ctypes
            import mmap

            code = bytes.fromhex("4889f8" "31d2" "48c1c703" "48c1c70d" "48c1c73d" "48c1c733"
                                 "4887db" "4889d0" "c3")  # mov rax,rdi; xor edx,edx; preamble;
            self._buf = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            self._buf.write(code)                         # xchg rbx,rbx; mov rax,rdx; ret
            addr = ctypes.addressof(ctypes.c_char.from_buffer(self._buf))
            self._fn = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_void_p)(addr)
            self._args = (ctypes.c_uint64 * 6)()
            self._argp = ctypes.addressof(self._args)

    def _request(self, code: int) -> int:
        self._args[0] = code
        return self._fn(self._argp)

    def _perf(self, cmd: str) -> None:
        self._ctl.write(cmd + "\n")
        self._ctl.flush()
        if self._ack.readline().strip() != "ack":
            raise RuntimeError("perf did not acknowledge " + cmd)

    def open(self) -> None:
        if self.ctl:
            self._perf("enable")
        else:
            self._request(0x43540004)  # CALLGRIND_START_INSTRUMENTATION

    def close(self) -> None:
        if self.ctl:
            self._perf("disable")
        else:
            self._request(0x43540005)  # CALLGRIND_STOP_INSTRUMENTATION
            self._request(0x43540000)  # CALLGRIND_DUMP_STATS: this window's counts, in a file of its own


def count_child(spec: str, candidates: int, shortcuts: bool) -> None:
    """Child process: the compiled searches ``INDICES`` (comma-separated) of ``DOMAIN``'s jobs,
    each inside a counting window of its own; prints their outcomes as JSON lines."""
    from synth.search.compiled import CompiledBottomUpSearch
    from synth.search.compiled.kernels import kernel_module
    from synth.search.compiled.warmup import ensure_kernels

    domain, indices = spec.split(":")
    ensure_kernels(kernel_module(domain))
    jobs = list(_JOBS[domain]())
    options = {} if shortcuts else dict(concat_shortcut=False, cond_shortcut=False, decompose=False)
    window = _Window()
    for i in map(int, indices.split(",")):
        name, D, grammar, inputs, target, limits = jobs[i]
        search = CompiledBottomUpSearch(D, grammar, inputs, target,
                                        Budget(timeout=None, max_candidates=candidates), limits, **options)
        window.open()
        out = search.run()
        window.close()
        print(json.dumps({"name": name, "status": out.status, "candidates": out.candidates,
                          "values": out.values}), flush=True)


def perf_counts() -> bool:
    """Whether ``perf stat -e instructions:u`` counts on this machine (hardware counters)."""
    if not shutil.which("perf"):
        return False
    r = subprocess.run(["perf", "stat", "-x,", "-e", "instructions:u", "true"],
                       capture_output=True, text=True)
    return r.returncode == 0 and r.stderr.strip().split(",")[0].isdigit()


def count_instructions(domain: str, candidates: int, shortcuts: bool, counter: str, log) -> dict:
    """Instructions of each compiled search of ``domain`` (see the module docstring; perf: one
    child process per task, callgrind: one child for all, each task in a window of its own):
    {task: {"instructions", "candidates", "values", "status"}}."""
    py = sys.executable  # the counter must run python itself, not a wrapper script (a pyenv shim)
    with open(py, "rb") as f:
        if f.read(2) == b"#!":
            raise SystemExit(f"{py} is a script: run this with the python binary (or a venv's python)")
    n_jobs = len(STRINGS_TASKS[1] if domain == "strings" else DEEPCODER_TASKS[1])
    groups = [[i] for i in range(n_jobs)] if counter == "perf" else [list(range(n_jobs))]
    out = {}
    for group in groups:
        child = [py, str(Path(__file__).resolve()), "--count-child",
                 f"{domain}:{','.join(map(str, group))}", f"--{domain}-candidates", str(candidates)] \
            + (["--shortcuts"] if shortcuts else [])
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ)
            counts = Path(tmp) / "counts"
            if counter == "perf":
                ctl, ack = Path(tmp) / "ctl", Path(tmp) / "ack"
                os.mkfifo(ctl)
                os.mkfifo(ack)
                env.update(THROUGHPUT_PERF_CTL=str(ctl), THROUGHPUT_PERF_ACK=str(ack))
                cmd = ["perf", "stat", "-x,", "-e", "instructions:u", "--delay=-1",
                       "--control", f"fifo:{ctl},{ack}", "-o", str(counts), "--"] + child
            else:
                cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                       f"--callgrind-out-file={counts}"] + child
            r = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"{domain} tasks {group}: the counting child failed:\n{r.stderr[-3000:]}")
            results = [json.loads(l) for l in r.stdout.strip().splitlines()[-len(group):]]
            if counter == "perf":
                rows = [l.split(",") for l in counts.read_text().splitlines() if "instructions" in l]
                totals = [int(rows[-1][0])]
            else:  # one dump per window: counts.1, counts.2, ... (counts itself: after the last)
                totals = []
                for j in range(1, len(group) + 1):
                    text = Path(f"{counts}.{j}").read_text()
                    totals.append(int(next(l.split()[1] for l in text.splitlines()
                                           if l.startswith("totals:"))))
        for res, ins in zip(results, totals):
            res["instructions"] = ins
            name = res.pop("name")
            out[name] = res
            log(f"  {name:32} compiled {res['candidates']:>10,} candidates "
                f"{ins / 1e9:7.3f} G instructions  {ins / max(1, res['candidates']):7.1f} per candidate")
    return out


def startup(log) -> dict:
    """Wall time of `synth solve` on a one-example task: warm (default engine and forced compiled),
    cold (forced compiled, empty kernel cache) and the pure-Python engine."""
    synth = [sys.executable, "-m", "synth.cli"] if not (Path(sys.executable).parent / "synth").exists() \
        else [str(Path(sys.executable).parent / "synth")]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        task = Path(tmp) / "one.json"
        task.write_text(json.dumps(ONE_EXAMPLE_TASK))

        def run(label, **env):
            e = dict(os.environ, **env)
            t0 = time.perf_counter()
            subprocess.run(synth + ["solve", str(task)], env=e, check=True, capture_output=True)
            out[label] = round(time.perf_counter() - t0, 2)
            log(f"  {label:44} {out[label]:6.2f} s")

        run("warm, default engine (auto)")
        run("warm, default engine (auto), again")
        run("warm, compiled engine", SYNTH_ENGINE="compiled")
        run("warm, compiled engine, again", SYNTH_ENGINE="compiled")
        run("cold, compiled engine (empty kernel cache)", SYNTH_ENGINE="compiled",
            SYNTH_NUMBA_CACHE_DIR=str(Path(tmp) / "cache"))
        run("warm after cold (that cache)", SYNTH_ENGINE="compiled",
            SYNTH_NUMBA_CACHE_DIR=str(Path(tmp) / "cache"))
        run("python engine", SYNTH_ENGINE="python")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--strings-candidates", type=int, default=1_500_000)
    ap.add_argument("--deepcoder-candidates", type=int, default=400_000)
    ap.add_argument("--domains", default="strings,deepcoder",
                    help="comma-separated: which of strings, deepcoder to time (default both)")
    ap.add_argument("--shortcuts", action="store_true", help="search with the shortcuts on")
    ap.add_argument("--repeat", type=int, default=3,
                    help="searches per task and engine, in turn; each task counts at its fastest")
    ap.add_argument("--startup", action="store_true", help="also time `synth solve` start-up")
    ap.add_argument("--startup-only", action="store_true", help="only time `synth solve` start-up")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions per candidate of the compiled searches")
    ap.add_argument("--instructions-only", action="store_true",
                    help="only count instructions per candidate of the compiled searches (no timing)")
    ap.add_argument("--counter", choices=("auto", "perf", "callgrind"), default="auto",
                    help="instruction counter (default: perf where it counts, else callgrind)")
    ap.add_argument("--count-child", metavar="DOMAIN:INDEX", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.count_child:
        dom = args.count_child.split(":")[0]
        count_child(args.count_child, getattr(args, f"{dom}_candidates"), args.shortcuts)
        return
    quiet = args.format == "json"
    log = (lambda s: print(s, file=sys.stderr)) if quiet else print

    from synth.search.compiled.kernels import deepcoder as dk
    from synth.search.compiled.kernels import strings as sk
    from synth.search.compiled.warmup import ensure_kernels

    if args.startup_only:
        log("start-up of `synth solve` on a one-example task (wall, whole process):")
        startup(log)
        return
    loads = {"strings": ensure_kernels(sk), "deepcoder": ensure_kernels(dk)}
    log(f"kernels loaded (or compiled) in {loads['strings']:.2f} s (strings), "
        f"{loads['deepcoder']:.2f} s (deepcoder)")
    result = {}
    domains = [d.strip() for d in args.domains.split(",") if d.strip()]
    unknown = set(domains) - {"strings", "deepcoder"}
    if unknown or not domains:
        raise SystemExit(f"--domains: unknown or none: {', '.join(sorted(unknown)) or args.domains!r} "
                         "(choose from strings, deepcoder)")
    for domain, jobs, n in (("strings", strings_jobs, args.strings_candidates),
                            ("deepcoder", deepcoder_jobs, args.deepcoder_candidates)):
        if domain not in domains:
            continue
        counts = None
        if args.instructions or args.instructions_only:
            counter = args.counter
            if counter == "auto":
                counter = "perf" if perf_counts() else "callgrind"
            log(f"{domain}: instructions of each compiled search ({counter}; {n:,} candidates per task)")
            counts = count_instructions(domain, n, args.shortcuts, counter, log)
            ins = sum(c["instructions"] for c in counts.values())
            cands = sum(c["candidates"] for c in counts.values())
            log(f"{domain} total: {ins / 1e9:.3f} G instructions, {cands:,} candidates: "
                f"{ins / cands:.1f} instructions per candidate")
            result[domain] = {"instructions_per_candidate": round(ins / cands, 1)}
            if args.instructions_only:
                continue
        jobs = jobs()
        log(f"{domain}: {n:,} candidates per task, shortcuts {'on' if args.shortcuts else 'off'}, "
            f"fastest of {args.repeat}")
        totals = measure(jobs, n, args.shortcuts, log, args.repeat)
        c, p = totals["compiled"], totals["python"]
        result.setdefault(domain, {}).update(compiled=round(c["candidates"] / c["seconds"]),
                                             python=round(p["candidates"] / p["seconds"]))
        if counts is not None:
            for name, t in c["tasks"].items():
                got = counts[name]
                if (got["status"], got["candidates"], got["values"]) != \
                        (t["status"], t["candidates"], t["values"]):
                    raise SystemExit(f"{name}: the counted search gave a different outcome: {got} vs {t}")
                log(f"  {name:32} compiled {got['instructions'] / got['candidates']:7.1f} instructions "
                    f"per candidate, {t['candidates'] / t['seconds'] / 1e6:6.2f} M cand/s")
            log(f"{domain} compiled: {result[domain]['instructions_per_candidate']:.1f} instructions per "
                f"candidate at {c['candidates'] / c['seconds'] / 1e6:.2f} M cand/s")
        log(f"{domain} total: compiled {c['candidates'] / c['seconds'] / 1e6:.2f} M cand/s "
            f"({c['values'] / c['seconds'] / 1e6:.3f} M new values/s; per CPU second "
            f"{c['candidates'] / c['cpu'] / 1e6:.2f} M cand/s), python "
            f"{p['candidates'] / p['seconds'] / 1e6:.3f} M cand/s ({p['values'] / p['seconds'] / 1e6:.4f} "
            f"M new values/s): ratio {p['seconds'] / c['seconds']:.1f}x wall "
            f"({p['cpu'] / c['cpu']:.1f}x cpu)")
    if args.startup:
        log("start-up of `synth solve` on a one-example task (wall, whole process):")
        startup(log)
    if quiet:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
