"""Fuzz campaign: generate malformed (and some valid) task files of every kind synth reads, run
``synth solve FILE --timeout T`` on each in its own process, and sort the outcomes.

    python benchmarks/fuzz.py --count 2000 --seed 0 --out /tmp/fuzz --jobs 2 --timeout 1

Kinds: ``ok`` (exit 0/1, no traceback), ``error-ok`` (exit 2 with one ``synth: error:`` line on
stderr), ``traceback`` (a Python traceback on stderr), ``internal`` (``internal error`` anywhere,
or exit 3), ``bad-exit`` (any other exit status; exit 2 without a one-line message; exit 0/1 on
input the generator knows is invalid), ``hang`` (killed at timeout x tasks + --kill-after s, or
longer than timeout x tasks + --slack s of wall time). Everything but ok and error-ok is a
failure. Writes DIR/files/* (the inputs), DIR/results.jsonl (every run), DIR/failures.jsonl
(file, kind, exit code, last stderr line, how to rerun it) and DIR/summary.json.

The generators live in tests/fuzzgen.py (shared with tests/test_fuzz.py). ``--replay DIR`` reruns
the files of an earlier campaign (e.g. after a fix) without generating them again;
``--only-failures`` with it reruns just that campaign's failures.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzzgen  # noqa: E402  (tests/fuzzgen.py: the generators, one copy)

KINDS = ("ok", "error-ok", "traceback", "internal", "bad-exit", "hang")
FAILURE_KINDS = ("traceback", "internal", "bad-exit", "hang")


def synth_command() -> list[str]:
    """The installed ``synth`` next to this interpreter, else ``python -c`` on the CLI's main."""
    exe = Path(sys.executable).parent / "synth"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from synth.cli import main; main()"]


def classify(rc: int | None, stdout: str, stderr: str, wall: float, budget: float,
             slack: float, killed: bool, invalid: bool | None) -> tuple[str, str]:
    """(kind, note) of one run."""
    if killed:
        return "hang", f"killed after {wall:.1f} s"
    if "Traceback" in stderr or "Traceback (most recent call last)" in stdout:
        return "traceback", ""
    if "internal error" in stderr or "internal error" in stdout or rc == 3:
        return "internal", ""
    if wall > budget + slack:
        return "hang", f"took {wall:.1f} s (budget {budget:g} s + {slack:g} s)"
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if rc == 2:
        errors = [ln for ln in lines if ln.startswith("synth: error: ")]
        if len(errors) == 1 and len(lines) == 1:
            return "error-ok", ""
        return "bad-exit", f"exit 2 with {len(lines)} stderr line(s), {len(errors)} 'synth: error:'"
    if rc in (0, 1):
        if invalid:
            return "bad-exit", f"exit {rc} on input the generator knows is invalid"
        return "ok", ""
    return "bad-exit", f"exit {rc}"


def make_snapshot(kind: str, out: Path) -> Path | None:
    """A frozen copy of the synth package for the whole campaign (others may be editing the
    working tree meanwhile): ``worktree`` copies ROOT/synth as it is now, ``head`` the committed
    one; ``none`` runs the live tree. Returns the folder to put first on PYTHONPATH."""
    import shutil

    if kind == "none":
        return None
    snap = out / "snapshot"
    if snap.exists():
        shutil.rmtree(snap)
    snap.mkdir(parents=True)
    if kind == "worktree":
        shutil.copytree(ROOT / "synth", snap / "synth",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "synth"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(snap)], input=archive, check=True)
    return snap


def _env(snapshot: Path | None) -> dict:
    env = dict(os.environ)
    env.pop("SYNTH_DEBUG", None)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    if snapshot is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(snapshot)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def check_snapshot(snapshot: Path | None, warmup: bool) -> str | None:
    """Import the CLI (and compile the kernels ahead, outside every run's budget); an error
    message if the package does not even import."""
    env = _env(snapshot)
    probe = subprocess.run([sys.executable, "-c", "import synth, synth.cli, synth.io, synth.api; "
                            "print(synth.__file__)"], capture_output=True, text=True, env=env, cwd="/")
    if probe.returncode != 0:
        return probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else "import failed"
    print(f"synth under test: {probe.stdout.strip()}", flush=True)
    if warmup:
        print("compiling the search kernels (once per snapshot) ...", flush=True)
        subprocess.run([sys.executable, "-m", "synth.search.compiled.warmup"], env=env, cwd="/",
                       stdout=subprocess.DEVNULL)
    return None


def run_one(cmd: list[str], path: Path, case_args: list[str], via: str, timeout: float,
            budget: float, slack: float, kill_after: float, invalid: bool | None,
            snapshot: Path | None = None) -> dict:
    argv = cmd + ["solve", "-" if via == "stdin" else str(path), "--timeout", f"{timeout:g}", *case_args]
    env = _env(snapshot)
    stdin = open(path, "rb") if via == "stdin" else subprocess.DEVNULL
    started = time.monotonic()
    killed = False
    try:
        proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=str(path.parent), start_new_session=True)
        try:
            out, err = proc.communicate(timeout=budget + kill_after)
        except subprocess.TimeoutExpired:
            killed = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the process group this run started
            except ProcessLookupError:
                pass
            out, err = proc.communicate()
    finally:
        if via == "stdin":
            stdin.close()
    wall = time.monotonic() - started
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    kind, note = classify(None if killed else proc.returncode, stdout, stderr, wall, budget, slack,
                          killed, invalid)
    err_lines = [ln for ln in stderr.splitlines() if ln.strip()]
    return {"kind": kind, "rc": None if killed else proc.returncode, "wall": round(wall, 2),
            "note": note, "stderr_last": (err_lines[-1] if err_lines else "")[:400],
            "stderr_head": stderr[:2000] if kind in FAILURE_KINDS else "",
            "command": shlex.join(argv) + (f" < {shlex.quote(str(path))}" if via == "stdin" else "")}


def _table(rows: dict[str, collections.Counter], kinds: tuple[str, ...]) -> str:
    width = max([len(r) for r in rows] + [6])
    head = f"{'family':<{width}} " + " ".join(f"{k:>9}" for k in kinds) + f" {'total':>6}"
    lines = [head, "-" * len(head)]
    total = collections.Counter()
    for name in sorted(rows):
        c = rows[name]
        total.update(c)
        lines.append(f"{name:<{width}} " + " ".join(f"{c.get(k, 0):>9}" for k in kinds) +
                     f" {sum(c.values()):>6}")
    lines.append("-" * len(head))
    lines.append(f"{'all':<{width}} " + " ".join(f"{total.get(k, 0):>9}" for k in kinds) +
                 f" {sum(total.values()):>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=500, help="how many files to generate and run")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first case index (to resume or shard)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel")
    ap.add_argument("--timeout", type=float, default=1.0, help="synth solve --timeout, per task")
    ap.add_argument("--slack", type=float, default=5.0,
                    help="seconds over timeout x tasks before a finished run counts as a hang")
    ap.add_argument("--kill-after", type=float, default=15.0,
                    help="seconds over timeout x tasks before a run is killed (a hang)")
    ap.add_argument("--family", action="append", default=None,
                    help=f"only these families (repeatable): {', '.join(sorted(fuzzgen.FAMILIES))}")
    ap.add_argument("--generate-only", action="store_true", help="write the files, run nothing")
    ap.add_argument("--no-cli-extras", action="store_true",
                    help="no extra solve options and no standard-input runs")
    ap.add_argument("--replay", type=Path, default=None,
                    help="rerun the files of an earlier campaign folder (its cases.jsonl)")
    ap.add_argument("--only-failures", action="store_true", help="with --replay: only its failures")
    ap.add_argument("--snapshot", choices=["worktree", "head", "none"], default="worktree",
                    help="test a frozen copy of synth/ (worktree: as it is now, the default; head: "
                         "the last commit) or the live tree (none)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="do not compile the kernels of a snapshot before the runs")
    args = ap.parse_args(argv)

    files = args.out / "files"
    files.mkdir(parents=True, exist_ok=True)
    cases: list[dict] = []
    if args.replay:
        src = args.replay
        wanted = None
        if args.only_failures:
            wanted = {json.loads(l)["id"] for l in (src / "failures.jsonl").read_text().splitlines() if l.strip()}
        for line in (src / "cases.jsonl").read_text().splitlines():
            c = json.loads(line)
            if wanted is not None and c["id"] not in wanted:
                continue
            data = (src / "files" / c["file"]).read_bytes()
            (files / c["file"]).write_bytes(data)
            cases.append(c)
    else:
        i = args.start
        while len(cases) < args.count:
            case = fuzzgen.generate(args.seed, i, cli_extras=not args.no_cli_extras)
            if args.family and case.family not in args.family:
                i += 1
                if i - args.start > 200 * args.count:
                    break
                continue
            name = f"{i:05d}-{case.family}{case.suffix}"
            (files / name).write_bytes(case.data)
            cases.append({"id": i, "file": name, "family": case.family, "base": case.base,
                          "mutations": case.label, "invalid": case.invalid, "args": list(case.args),
                          "via": case.via, "tasks": case.tasks, "bytes": len(case.data)})
            i += 1
    with open(args.out / "cases.jsonl", "w") as f:
        for c in cases:
            f.write(json.dumps(c) + "\n")
    print(f"{len(cases)} files in {files}", flush=True)
    if args.generate_only:
        return 0

    snapshot = make_snapshot(args.snapshot, args.out)
    problem = check_snapshot(snapshot, warmup=snapshot is not None and not args.no_warmup)
    if problem:
        print(f"fuzz: synth does not import ({args.snapshot}): {problem}; try --snapshot head",
              file=sys.stderr)
        return 2
    cmd = synth_command()
    results: list[dict | None] = [None] * len(cases)
    started = time.monotonic()
    done = 0
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool, \
            open(args.out / "results.jsonl", "w") as rf:
        futs = {}
        for k, c in enumerate(cases):
            budget = args.timeout * max(1, c["tasks"])
            futs[pool.submit(run_one, cmd, files / c["file"], c["args"], c["via"], args.timeout,
                             budget, args.slack, args.kill_after, c["invalid"], snapshot)] = k
        try:
            for fut in cf.as_completed(futs):
                k = futs[fut]
                rec = {**cases[k], **fut.result()}
                results[k] = rec
                rf.write(json.dumps(rec) + "\n")
                rf.flush()
                done += 1
                if rec["kind"] in FAILURE_KINDS:
                    print(f"[{done}/{len(cases)}] {rec['kind']:<9} {rec['file']} ({rec['mutations']}): "
                          f"{rec['note'] or rec['stderr_last'][:160]}", flush=True)
                elif done % 50 == 0:
                    print(f"[{done}/{len(cases)}] {time.monotonic() - started:.0f} s", flush=True)
        except KeyboardInterrupt:
            for fut in futs:
                fut.cancel()
            print("interrupted; summarizing the runs done so far", file=sys.stderr)

    recs = [r for r in results if r is not None]
    by_family: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in recs:
        by_family[r["family"]][r["kind"]] += 1
    kinds = collections.Counter(r["kind"] for r in recs)
    with open(args.out / "failures.jsonl", "w") as f:
        for r in recs:
            if r["kind"] in FAILURE_KINDS:
                f.write(json.dumps({"file": str(files / r["file"]), "id": r["id"], "kind": r["kind"],
                                    "rc": r["rc"], "stderr_last": r["stderr_last"], "note": r["note"],
                                    "family": r["family"], "mutations": r["mutations"],
                                    "base": r["base"], "command": r["command"]}) + "\n")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    summary = {"count": len(recs), "seed": args.seed, "snapshot": args.snapshot, "head": head, "timeout": args.timeout, "jobs": args.jobs,
               "seconds": round(time.monotonic() - started, 1), "kinds": dict(kinds),
               "families": {k: dict(v) for k, v in by_family.items()}}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print()
    print(_table(by_family, KINDS))
    print(f"\n{len(recs)} runs in {summary['seconds']:.0f} s; "
          f"{sum(kinds[k] for k in FAILURE_KINDS)} failures in {args.out / 'failures.jsonl'}")
    return 1 if any(kinds[k] for k in FAILURE_KINDS) else 0


if __name__ == "__main__":
    sys.exit(main())
