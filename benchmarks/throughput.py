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

Tasks: strings, BUSTLE SyGuS tasks over BUSTLE's ops; deepcoder, ExeDec test tasks (NONE split) over
the DeepCoder DSL as a tree grammar (``synth.search.compiled.kernels.deepcoder.tree_grammar``). By default the
shortcuts (concatenation, conditional, decomposition) are off, so that what is timed is
enumeration, evaluation and deduplication; ``--shortcuts`` turns them on as in ``synth solve``.
"""
from __future__ import annotations

import argparse
import json
import os
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
    totals = {e: {"candidates": 0, "values": 0, "seconds": 0.0, "cpu": 0.0} for e in ("compiled", "python")}
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
        if outcomes["compiled"] != outcomes["python"]:
            raise SystemExit(f"{name}: the engines disagree: {outcomes['compiled']} vs {outcomes['python']}")
    return totals


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
    args = ap.parse_args()
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
        jobs = jobs()
        log(f"{domain}: {n:,} candidates per task, shortcuts {'on' if args.shortcuts else 'off'}, "
            f"fastest of {args.repeat}")
        totals = measure(jobs, n, args.shortcuts, log, args.repeat)
        c, p = totals["compiled"], totals["python"]
        result[domain] = {"compiled": round(c["candidates"] / c["seconds"]),
                          "python": round(p["candidates"] / p["seconds"])}
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
