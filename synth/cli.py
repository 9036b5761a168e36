"""The ``synth`` command line. Exit status: 0 all solved, 1 some unsolved, 2 bad input or usage."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from synth.errors import SynthError

STRATEGY_HELP = "search strategy: auto (the domain's best), bottom-up, or a domain-specific one"


class SynthGroup(click.Group):
    """Turns every ``SynthError`` into a one-line message and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SynthError as e:
            click.echo(f"synth: error: {e}", err=True)
            sys.exit(2)


@click.group(cls=SynthGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="synth", prog_name="synth")
def main() -> None:
    """synth: programming by example. Give input/output examples, get a small program."""


def _budget_options(f):
    f = click.option("--max-size", type=click.IntRange(min=1), default=None,
                     help="largest program size (AST nodes) to enumerate")(f)
    f = click.option("--max-memory", "max_memory_mb", type=click.FloatRange(min=1), default=4096.0,
                     show_default=True, help="memory budget of one search, MiB")(f)
    f = click.option("--max-candidates", type=click.IntRange(min=1), default=None,
                     help="stop after this many candidate programs")(f)
    return f


def _read_all(files: tuple[str, ...], domain: str | None, ops: str | None):
    from synth.io import read_tasks

    tasks = []
    for f in files:
        for t in read_tasks(f):
            if domain:
                t.domain = domain
            if ops:
                t.ops = ops
            tasks.append(t)
    return tasks


def _check_domains(tasks, strategy: str = "auto") -> None:
    """Fail early (exit 2) on an unknown domain, op or strategy, before any search starts."""
    from synth.dsl import get_domain
    from synth.search import get_strategy

    if strategy != "auto":
        get_strategy(strategy)
    for t in tasks:
        d = get_domain(t.domain)
        if t.ops is not None:
            d.resolve_ops(t.ops)


def _solution_text(task, rec: dict[str, Any]) -> str:
    if rec.get("solution"):
        return rec["solution"]
    return rec.get("program") or ""


# --------------------------------------------------------------------------------------- solve
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--domain", default=None, help="domain of the tasks (default: from the file or inferred)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True,
              help="seconds per task")
@click.option("--strategy", default="auto", show_default=True, help=STRATEGY_HELP)
@click.option("--ops", default=None, help="restrict ops: an op-set name (bustle, smt, all) or a comma list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="tasks solved in parallel (each in its own process)")
@_budget_options
def solve(files, domain, timeout, strategy, ops, fmt, jobs, max_candidates, max_memory_mb, max_size):
    """Find a program for each task in FILES (.json, .jsonl or SyGuS .sl)."""
    from synth.bench import BenchConfig, BenchItem, run_items

    tasks = _read_all(files, domain, ops)
    _check_domains(tasks, strategy)
    options = {"max_size": max_size} if max_size else {}
    cfg = BenchConfig(timeout=timeout, strategy=strategy, jobs=jobs, max_candidates=max_candidates,
                      max_memory_mb=max_memory_mb, options=options)
    items = [BenchItem(name=f"{i}:{t.name}", group="", task=t) for i, t in enumerate(tasks)]
    if jobs == 1:
        from synth.bench import _solve_record
        with _spinner(f"searching ({len(tasks)} task{'s' if len(tasks) > 1 else ''}, {timeout:g} s each)"):
            records = [_solve_record(t, cfg) for t in tasks]
    else:
        records = run_items(items, cfg)
    all_ok = True
    for task, rec in zip(tasks, records):
        rec["name"] = task.name
        rec.pop("group", None)
        rec.pop("item", None)
        ok = rec["status"] == "solved"
        all_ok &= ok
        if fmt == "json":
            click.echo(json.dumps(rec))
            continue
        prefix = f"{task.name}: " if len(tasks) > 1 else ""
        if ok:
            click.echo(prefix + _solution_text(task, rec))
            for label, text in (rec.get("also") or {}).items():
                click.echo(f"  {label}: {text}")
            note = f"solved in {rec['seconds']:.2f} s, {rec['candidates']} candidates, size {rec['size']}"
            if rec.get("test_ok") is False:
                note += "; WARNING: wrong on the task's held-out tests"
            click.echo(f"{task.name}: {note}", err=True)
        else:
            if len(tasks) > 1:
                click.echo(f"{prefix}[{rec['status']}]")
            click.echo(f"synth: {task.name}: {_failure_message(rec, timeout)}", err=True)
    if any(r["status"] == "error" and r.get("error", "").startswith("internal") for r in records):
        sys.exit(2)
    sys.exit(0 if all_ok else 1)


def _failure_message(rec: dict, timeout: float) -> str:
    st = rec["status"]
    if st == "timeout":
        by = rec.get("stopped_by") or "time"
        what = {"time": f"the {timeout:g} s timeout", "candidates": "the candidate budget",
                "memory": "the memory budget", "hard-kill": f"the {timeout:g} s timeout"}.get(by, by)
        return (f"no program found within {what} ({rec['candidates']} candidates; sizes up to "
                f"{rec.get('max_size_explored', '?')} fully searched); try a longer --timeout or fewer --ops")
    if st == "exhausted":
        return (f"no program of size <= {rec.get('max_size_explored')} fits the examples: the DSL (or "
                f"the op set) cannot express this task")
    return rec.get("error") or st


class _spinner:
    """A rich status line on stderr while a search runs (only when stderr is a terminal)."""

    def __init__(self, text: str):
        self.text = text
        self.status = None

    def __enter__(self):
        if sys.stderr.isatty():
            from rich.console import Console
            self.status = Console(stderr=True).status(self.text)
            self.status.__enter__()
        return self

    def __exit__(self, *exc):
        if self.status is not None:
            self.status.__exit__(*exc)
        return False


# ----------------------------------------------------------------------------------------- run
@main.command()
@click.argument("program")
@click.option("--domain", required=True, help="domain whose grammar PROGRAM is written in")
@click.option("--input", "input_json", required=True,
              help='JSON object of named inputs, e.g. \'{"name": "Ada Lovelace"}\'')
def run(program, domain, input_json):
    """Evaluate PROGRAM on one input and print the output as JSON."""
    from synth.dsl import get_domain
    from synth.errors import InvalidTask

    d = get_domain(domain)
    try:
        inputs = json.loads(input_json)
    except json.JSONDecodeError as e:
        raise InvalidTask(f"--input is not valid JSON: {e.msg} at column {e.colno}") from None
    if not isinstance(inputs, dict):
        raise InvalidTask("--input must be a JSON object of named inputs")
    var_types = {}
    for k, v in inputs.items():
        try:
            var_types[k] = d.type_of(v)
        except TypeError as e:
            raise InvalidTask(f"--input {k}: {e}") from None
    p = d.parse(program, var_types)
    click.echo(json.dumps(p(**inputs), ensure_ascii=False))


# ----------------------------------------------------------------------------------------- dsl
@main.group(cls=SynthGroup)
def dsl():
    """List the domains, or show one's grammar and ops."""


@dsl.command("list")
def dsl_list():
    """Print each domain with a one-line description."""
    from synth.dsl import available_domains, get_domain

    for name in available_domains():
        d = get_domain(name)
        click.echo(f"{name:12s} {d.description}")


@dsl.command("show")
@click.argument("domain")
def dsl_show(domain):
    """Print DOMAIN's grammar, types, op sets and ops."""
    from synth.dsl import get_domain

    d = get_domain(domain)
    click.echo(f"# domain {d.name}: {d.description}\n")
    click.echo(f"types: {', '.join(d.types)}")
    for name, ops in d.op_sets.items():
        mark = " (default)" if name == d.default_op_set else ""
        click.echo(f"op set {name}{mark}: {len(ops)} ops")
    click.echo("\n# ops")
    for op in d.ops.values():
        doc = f"  -- {op.doc}" if op.doc else ""
        click.echo(f"{op.signature()}{doc}")
    if d.grammar_file:
        click.echo("\n# grammar (Lark)\n")
        click.echo(d.grammar_text().rstrip())


# ---------------------------------------------------------------------------------------- fill
@main.command()
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--output", "column", required=True, help="the column to fill")
@click.option("--inputs", default=None, help="comma list of input columns (default: every other column)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True)
@click.option("--ops", default=None, help="restrict ops (op-set name or comma list)")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="write the filled table here (default: standard output)")
def fill(csv_file, column, inputs, timeout, ops, out_path):
    """Fill the empty cells of a CSV column from the rows where it is filled (strings domain)."""
    import csv

    from synth.api import solve
    from synth.errors import InvalidTask
    from synth.task import Task

    path = Path(csv_file)
    if not path.exists():
        raise InvalidTask(f"{path}: no such file")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise InvalidTask(f"{path}: no data rows (the first line must name the columns)")
    header = list(rows[0])
    if column not in header:
        raise InvalidTask(f"{path}: no column {column!r}; columns are {', '.join(header)}")
    names = [c.strip() for c in inputs.split(",")] if inputs else [c for c in header if c != column]
    for n in names:
        if n not in header:
            raise InvalidTask(f"{path}: no input column {n!r}")
    safe = {n: (n if n.isidentifier() else f"col{i}") for i, n in enumerate(names)}
    filled = [r for r in rows if (r[column] or "").strip()]
    empty = [r for r in rows if not (r[column] or "").strip()]
    if not filled:
        raise InvalidTask(f"{path}: column {column!r} has no filled cells to learn from")
    task = Task.from_examples([({safe[n]: r[n] or "" for n in names}, r[column]) for r in filled],
                              name=f"fill {column}", domain="strings",
                              **({"ops": ops} if ops else {}))
    res = solve(task, timeout=timeout)
    if not res.solved:
        click.echo(f"synth: fill {column}: {_failure_message(res.to_record(), timeout)}", err=True)
        sys.exit(1)
    click.echo(f"{column} = {res.program}", err=True)
    failed = 0
    for r in empty:
        out = res.program.run({safe[n]: r[n] or "" for n in names})
        if out is None:
            failed += 1
        else:
            r[column] = out
    target = open(out_path, "w", newline="", encoding="utf-8") if out_path else sys.stdout
    try:
        w = csv.DictWriter(target, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    finally:
        if out_path:
            target.close()
    if failed:
        click.echo(f"synth: fill {column}: the program is undefined on {failed} row(s), left empty", err=True)
        sys.exit(1)


# --------------------------------------------------------------------------------------- bench
EXEDEC_SPLITS = ("NONE", "LENGTH_GENERALIZATION", "COMPOSE_DIFFERENT_CONCEPTS", "SWITCH_CONCEPT_ORDER",
                 "COMPOSE_NEW_OP", "ADD_OP_FUNCTIONALITY")


@main.command()
@click.argument("suites", nargs=-1, required=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="seconds per task (the worker is killed a few seconds later)")
@click.option("--strategy", default="auto", show_default=True, help=STRATEGY_HELP)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="worker processes")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="only the first N tasks of each suite")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="benchmarks/out", show_default=True,
              help="folder for the JSONL results and the cactus plot")
@click.option("--resume/--fresh", default=True, show_default=True,
              help="skip tasks already in the results file (--fresh starts it anew)")
@click.option("--domain", default=None, help="exedec: robustfill or deepcoder; else overrides the tasks' domain")
@click.option("--split", default=None, help="exedec: a split name or 'all'")
@click.option("--ops", default=None, help="restrict ops (op-set name or comma list)")
@click.option("--max-candidates", type=click.IntRange(min=1), default=None,
              help="candidate budget per task (e.g. 50000, CrossBeam's convention)")
def bench(suites, timeout, strategy, jobs, limit, out_dir, resume, domain, split, ops, max_candidates):
    """Solve every task of SUITES (task files, folders of them, or 'exedec'), record and summarize.

    Each task runs in its own process with a hard time limit. Results are appended to
    OUT/<suite>.jsonl (a rerun resumes), a summary table is printed, and a cactus plot is
    written to OUT/<suite>.png.
    """
    from synth.bench import (BenchConfig, cactus_plot, print_summary, run_items, summarize)

    out = Path(out_dir)
    runs = _bench_runs(suites, domain, split, ops, limit)
    _check_domains([it.task for _, items in runs for it in items if it.task is not None], strategy)
    cfg = BenchConfig(timeout=timeout, strategy=strategy, jobs=jobs, max_candidates=max_candidates)
    all_records: list[dict] = []
    label = "-".join(r[0] for r in runs) if len(runs) <= 3 else f"{runs[0][0]}-and-{len(runs) - 1}-more"
    for run_label, items in runs:
        path = out / f"{run_label}.jsonl"
        if not resume and path.exists():
            path.unlink()
        records = _run_with_progress(items, cfg, path, run_label)
        all_records.extend(records)
        click.echo(f"results: {path}", err=True)
    rows = summarize(all_records)
    print_summary(rows)
    png = out / f"{label}.png"
    cactus_plot(all_records, png, title=f"{label} ({timeout:g} s per task)")
    click.echo(f"cactus plot: {png}", err=True)
    sys.exit(0 if all(r["solved"] == r["tasks"] for r in rows) else 1)


def _bench_runs(suites, domain, split, ops, limit):
    """[(label, [BenchItem])] for the suites named on the command line."""
    from synth.bench import BenchItem
    from synth.errors import InvalidTask
    from synth.io import READERS, read_tasks

    runs = []
    for suite in suites:
        if suite == "exedec":
            if domain not in ("robustfill", "deepcoder"):
                raise InvalidTask("synth bench exedec needs --domain robustfill or --domain deepcoder")
            from synth.exedec import load_exedec_tasks
            splits = EXEDEC_SPLITS if split in (None, "all") else (split,)
            for s in splits:
                if s not in EXEDEC_SPLITS:
                    raise InvalidTask(f"unknown split {s!r}; choose one of {', '.join(EXEDEC_SPLITS)} or all")
                tasks = load_exedec_tasks(domain, s, limit)
                runs.append((f"exedec-{domain}-{s}", [BenchItem(t.name, s, t) for t in tasks]))
            continue
        path = Path(suite)
        if not path.exists():
            raise InvalidTask(f"{suite}: no such file or folder (or give 'exedec')")
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in READERS) if path.is_dir() else [path]
        if not files:
            raise InvalidTask(f"{suite}: no task files (.json, .jsonl, .sl) in this folder")
        items = []
        for f in files:
            rel = str(f.relative_to(path)) if path.is_dir() else f.name
            try:
                tasks = read_tasks(f)
            except SynthError as e:
                items.append(BenchItem(rel, path.stem, None, str(e)))
                continue
            for t in tasks:
                if domain:
                    t.domain = domain
                if ops:
                    t.ops = ops
                name = rel if path.is_dir() and len(tasks) == 1 else t.name
                items.append(BenchItem(name, path.stem, t))
        if limit:
            items = items[:limit]
        runs.append((path.stem, items))
    return runs


def _run_with_progress(items, cfg, path: Path, label: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from synth.bench import counts_as_solved, run_items

    solved = [0]
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("solved {task.fields[solved]}"), TimeElapsedColumn(),
                  transient=False, disable=not sys.stderr.isatty()) as progress:
        bar = progress.add_task(label, total=len(items), solved=0)

        def on_record(item, rec):
            solved[0] += counts_as_solved(rec)
            progress.update(bar, advance=1, solved=solved[0])
            if not sys.stderr.isatty():
                click.echo(f"[{label}] {item.name}: {rec['status']} {rec.get('seconds', 0):.2f}s "
                           f"{rec.get('program') or rec.get('error') or ''}"[:200], err=True)

        from synth.bench import load_records
        done = load_records(path)
        already = sum(1 for it in items if it.name in done)
        if already:
            solved[0] = sum(counts_as_solved(done[it.name]) for it in items if it.name in done)
            progress.update(bar, advance=already, solved=solved[0])
        return run_items(items, cfg, path, on_record)


def _register_train() -> None:
    from synth.cli_train import train

    main.add_command(train)


_register_train()

if __name__ == "__main__":  # pragma: no cover
    main()
