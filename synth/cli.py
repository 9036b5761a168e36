"""The ``synth`` command line. Exit status: 0 all solved, 1 some unsolved, 2 bad input or usage,
3 an internal error (a bug), 130 interrupted (Ctrl-C)."""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from synth.errors import InvalidTask, SynthError
from synth.search.budget import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT

STRATEGY_HELP = "search strategy: auto (the domain's best), bottom-up, or a domain-specific one"
#: what names standard input in messages (``synth solve -``)
STDIN = "<stdin>"


class SynthGroup(click.Group):
    """Turns every ``SynthError`` into a one-line message and exit status 2, Ctrl-C into exit
    status 130, and any other exception (a bug) into a one-line ``internal error`` and exit
    status 3 (``SYNTH_DEBUG=1`` shows its traceback instead)."""

    def invoke(self, ctx):
        _tolerant_streams()
        try:
            return super().invoke(ctx)
        except SynthError as e:
            click.echo(f"synth: error: {e}", err=True)
            sys.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort,
                BrokenPipeError):  # click ends quietly when the reader of stdout has left
            raise
        except KeyboardInterrupt:
            _ignore_sigint()
            click.echo("synth: interrupted", err=True)
            sys.exit(130)
        except Exception as e:
            if os.environ.get("SYNTH_DEBUG", "") not in ("", "0"):
                raise
            click.echo(f"synth: internal error: {_describe_bug(e)} "
                       f"(please report; rerun with SYNTH_DEBUG=1 for the traceback)", err=True)
            sys.exit(3)


def _escape_unencodable(e: UnicodeError):
    """Error handler ``synth-escape``: undecodable bytes kept as ``surrogateescape`` keeps them
    (file names), anything else unencodable written as a backslash escape."""
    import codecs

    if isinstance(e, UnicodeEncodeError):
        try:
            return codecs.lookup_error("surrogateescape")(e)
        except UnicodeEncodeError:
            return codecs.lookup_error("backslashreplace")(e)
    raise e


def _tolerant_streams() -> None:
    """Text that cannot be encoded (a lone surrogate such as "\\ud800" in an example) is written
    escaped instead of raising UnicodeEncodeError."""
    import codecs

    try:
        codecs.lookup_error("synth-escape")
    except LookupError:
        codecs.register_error("synth-escape", _escape_unencodable)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if getattr(stream, "errors", None) in ("strict", "surrogateescape"):
                stream.reconfigure(errors="synth-escape")


def _ignore_sigint() -> None:
    """While synth winds down after Ctrl-C, a second one changes nothing."""
    import signal

    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _first_line(text: str, limit: int | None = None) -> str:
    line = (text.strip().splitlines() or [""])[0]
    return line if limit is None or len(line) <= limit else line[:limit - 1] + "…"


def _describe_bug(e: BaseException) -> str:
    """``Type: message, at file:line`` (the innermost frame in synth, else the innermost)."""
    import traceback

    text = f"{type(e).__name__}: {_first_line(str(e), 300)}" if str(e) else type(e).__name__
    frames = traceback.extract_tb(e.__traceback__)
    ours = [f for f in frames if f"{os.sep}synth{os.sep}" in f.filename] or frames
    if ours:
        f = ours[-1]
        where = f.filename
        with contextlib.suppress(ValueError):
            where = os.path.relpath(f.filename, Path(__file__).resolve().parents[1])
        text += f", at {where}:{f.lineno}"
    return text


@click.group(cls=SynthGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="synth", prog_name="synth")
def main() -> None:
    """synth: programming by example. Give input/output examples, get a small program."""


def _budget_options(f):
    f = click.option("--max-size", type=click.IntRange(min=1), default=None,
                     help="largest program size (AST nodes) to enumerate")(f)
    f = click.option("--max-memory", "max_memory_mb", type=click.FloatRange(min=1),
                     default=DEFAULT_MAX_MEMORY_MB, show_default=True, help="memory budget of one search, MiB")(f)
    f = click.option("--max-candidates", type=click.IntRange(min=1), default=None,
                     help="stop after this many candidate programs")(f)
    return f


def _executor_options(f):
    """``--executor`` and ``--address`` (the executors are in ``synth.executors``)."""
    f = click.option("--address", default=None,
                     help="with --executor ray: the cluster's address ('auto': the one `ray start` "
                          "runs on this machine); default: start a local Ray cluster")(f)
    f = click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                     help="where the workers run: processes on this machine, or Ray actors "
                          "(pip install 'synth[ray]')")(f)
    return f


def _make_executor(executor: str, jobs: int | None, address: str | None):
    """The executor of ``--executor``/``--jobs``/``--address`` (a missing Ray or an
    ``--address`` without ``--executor ray``: one-line error, exit 2, before any task is read)."""
    from synth.executors import make_executor

    if address is not None and executor != "ray":
        raise InvalidTask("--address is for --executor ray")
    return make_executor(executor, jobs=jobs, address=address,
                         progress=lambda line: click.echo(line, err=True))


def _read_file(f: str, domain: str | None, ops: str | None):
    """The tasks of one file (``-``: standard input), with ``--domain``/``--ops`` applied and
    each task's own domain and ops checked."""
    from synth.dsl import get_domain
    from synth.io import read_tasks

    tasks = _read_stdin() if f == "-" else read_tasks(f)
    for t in tasks:
        if domain:
            t.domain = domain
        if ops:
            t.ops = ops
        try:
            d = get_domain(t.domain)
            if not ops and t.ops is not None:  # --ops is checked once, not per file
                d.resolve_ops(t.ops)
        except SynthError as e:
            e.args = (f"task {t.name!r}: {e}",) + e.args[1:]
            raise
    return tasks


def _read_stdin():
    """The tasks on standard input: a JSON task or suite ``{"tasks": [...]}``, or JSONL.

    ``synth.io`` reads files only, so the text goes through a temporary ``stdin.json`` (or
    ``.jsonl``) file; messages and the tasks' origin name ``<stdin>`` instead of it."""
    import shutil
    import tempfile

    from synth.io import read_tasks

    stdin = sys.stdin
    if stdin is None:
        raise InvalidTask(f"{STDIN}: standard input is closed")
    raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode("utf-8", "surrogatepass")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidTask(f"{STDIN}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    if not text.strip():
        raise InvalidTask(f"{STDIN}: no task on standard input (give a task as JSON, "
                          f"e.g. synth solve - < task.json)")
    suffix = ".json"
    try:
        json.loads(text)
    except RecursionError:  # the reader names the nesting limit
        pass
    except json.JSONDecodeError:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            with contextlib.suppress(json.JSONDecodeError, RecursionError):
                json.loads(lines[0])
                suffix = ".jsonl"  # one task per line
    folder = tempfile.mkdtemp(prefix="synth-stdin-")
    path = Path(folder) / f"stdin{suffix}"
    try:
        path.write_text(text, encoding="utf-8")
        try:
            tasks = read_tasks(path)
        except SynthError as e:
            e.args = (str(e).replace(str(path), STDIN),) + e.args[1:]
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for t in tasks:
        t.origin = t.origin.replace(str(path), STDIN)
    return tasks


def _file_error(f: str, e: SynthError) -> str:
    """The message of a file that could not be read, starting with the file's name."""
    name = STDIN if f == "-" else f
    msg = _first_line(str(e))
    return msg if msg.startswith(name) else f"{name}: {msg}"


def _check_strategy_name(strategy: str) -> None:
    from synth.search import get_strategy

    if strategy != "auto":
        get_strategy(strategy)  # unknown: InvalidTask naming the choices


def _check_strategy_serves(tasks, strategy: str) -> None:
    """A strategy that does not search some task's domain: one error (exit 2) before any search."""
    from synth.search import STRATEGIES, strategy_serves

    if strategy == "auto":
        return
    first: dict[str, Any] = {}
    for t in tasks:
        if t.domain not in first and not strategy_serves(strategy, t.domain):
            first[t.domain] = t
    if not first:
        return
    d, t = next(iter(first.items()))
    others = f" (and {len(first) - 1} more domain{'s' if len(first) > 2 else ''})" if len(first) > 1 else ""
    fits = [s for s in sorted(STRATEGIES) if strategy_serves(s, d)]
    raise InvalidTask(f"strategy {strategy!r} does not search the {d} domain (task {t.name!r}){others}; "
                      f"for {d} tasks use auto or {', '.join(fits)}")


def _check_domains(tasks, strategy: str = "auto") -> None:
    """Fail early (exit 2) on an unknown domain, op or strategy, or a strategy that does not
    search some task's domain, before any search starts."""
    from synth.dsl import get_domain

    _check_strategy_name(strategy)
    for t in tasks:
        d = get_domain(t.domain)
        if t.ops is not None:
            d.resolve_ops(t.ops)
    _check_strategy_serves(tasks, strategy)


def _solution_text(task, rec: dict[str, Any]) -> str:
    """What ``synth solve`` prints for a solved task: the record's ``solution`` (the ``Result``'s
    ``define-fun`` rendering, for a task from a SyGuS file), else the program's text."""
    if rec.get("solution"):
        return rec["solution"]
    return rec.get("program") or ""


# --------------------------------------------------------------------------------------- solve
def _alternative_text(alt: dict) -> str:
    """One other fit as ``synth solve --top`` prints it: where it differs from the answer."""
    def show(v):
        return "(undefined)" if v is None else json.dumps(v, ensure_ascii=False)

    program = str(alt["program"]).replace("\n", "; ")
    if "outputs" in alt:
        shown = ", ".join(show(o) for o in alt["outputs"][:5])
        return f"{program}  (on the unlabeled rows: {shown}{', ...' if len(alt['outputs']) > 5 else ''})"
    if "answers" in alt:
        return (f"{program}  (on {show(alt['differs_on'])}: {show(alt['answers'][1])}, "
                f"the answer gives {show(alt['answers'][0])})")
    return f"{program}  (differs on {alt['differs_on']!r}: accepted by {alt['accepted_by']})"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--domain", default=None, help="domain of the tasks (default: from the file or inferred)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
              show_default=True, help="seconds per task")
@click.option("--strategy", default="auto", show_default=True, help=STRATEGY_HELP)
@click.option("--ops", default=None, help="restrict ops: an op-set name (bustle, smt, all) or a comma list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="tasks solved in parallel, each in a worker process  [default: 1 (in this process) "
                   "with --executor local; one per CPU of the cluster with ray]")
@_executor_options
@_budget_options
@click.option("--top", type=click.IntRange(min=1), default=1, show_default=True,
              help="also print up to K-1 other programs that fit the examples but behave differently: "
                   "strings (deductive strategy) on the task's unlabeled rows, deepcoder one-edit variants, "
                   "regex the next ranked fits")
def solve(files, domain, timeout, strategy, ops, fmt, jobs, executor, address, max_candidates, max_memory_mb,
          max_size, top):
    """Find a program for each task in FILES (.json, .jsonl or SyGuS .sl; - reads a JSON task,
    suite or JSONL from standard input).

    A file that cannot be read is reported (synth: error: FILE: ...) and the others are solved;
    the exit status is then 2.
    """
    from synth import records as recs
    from synth.bench import BenchConfig, BenchItem, Interrupted, run_items
    from synth.dsl import get_domain

    _check_strategy_name(strategy)
    if domain:
        get_domain(domain)
    in_process = executor == "local" and (jobs or 1) == 1
    pool = None if in_process else _make_executor(executor, jobs, address)
    files_tasks: list[tuple[str, list | None, str | None]] = []  # (file, tasks, error)
    tasks = []
    for f in files:
        try:
            ts = _read_file(f, domain, ops)
        except SynthError as e:
            msg = _file_error(f, e)
            click.echo(f"synth: error: {msg}", err=True)
            files_tasks.append((f, None, msg))
            continue
        files_tasks.append((f, ts, None))
        tasks.extend(ts)
    if ops:
        for d in sorted({t.domain for t in tasks}):
            get_domain(d).resolve_ops(ops)
    _check_strategy_serves(tasks, strategy)
    options = {"max_size": max_size} if max_size else {}
    if top > 1:
        options["top"] = top
    cfg = BenchConfig(timeout=timeout, strategy=strategy, jobs=jobs, max_candidates=max_candidates,
                      max_memory_mb=max_memory_mb, options=options, executor=executor, address=address)
    items = [BenchItem(name=f"{i}:{t.name}", group="", task=t) for i, t in enumerate(tasks)]
    records: list[dict | None] = [None] * len(tasks)
    interrupted = False
    if not tasks:
        pass
    elif in_process:  # in this process (the kernels load here, once; no workers to fork)
        try:
            with _spinner(f"searching ({len(tasks)} task{'s' if len(tasks) > 1 else ''}, {timeout:g} s each)"):
                for i, t in enumerate(tasks):
                    records[i] = recs.solve_record(t, cfg)
        except KeyboardInterrupt:
            interrupted = True
    else:
        try:
            records = run_items(items, cfg, progress=lambda line: click.echo(line, err=True), executor=pool)
        except Interrupted as e:
            interrupted = True
            records = [e.records.get(it.name) for it in items]
        finally:
            pool.shutdown()
    if interrupted:
        _ignore_sigint()
    status = 0
    many = len(tasks) > 1
    at = 0
    for f, ts, error in files_tasks:
        if ts is None:
            status = max(status, 2)
            if fmt == "json":
                rec = recs.error_record(STDIN if f == "-" else f, "?", strategy, error)
                rec["file"] = STDIN if f == "-" else f
                click.echo(json.dumps(rec))
            continue
        for task, rec in zip(ts, records[at:at + len(ts)]):
            if rec is not None:
                status = max(status, _exit_status(rec))
                _print_record(task, rec, fmt, many, timeout)
        at += len(ts)
    if interrupted:
        done = sum(r is not None for r in records)
        above = " (their results are above)" if done else ""
        click.echo(f"synth: interrupted: {done} of {len(tasks)} tasks done{above}", err=True)
        sys.exit(130)
    sys.exit(status)


def _exit_status(rec: dict) -> int:
    """0 solved, 1 not solved (a budget, the DSL, a worker that died) or solved but wrong on the
    task's own held-out tests, 2 bad input found by the search, 3 an internal error (a bug)."""
    if rec["status"] == "solved":
        return 1 if rec.get("test_ok") is False else 0
    if rec["status"] != "error":
        return 1
    error = rec.get("error") or ""
    if error.startswith("internal"):
        return 3
    if error.startswith("worker died"):
        return 1
    return 2


def _print_record(task, rec: dict, fmt: str, many: bool, timeout: float) -> None:
    rec["name"] = task.name
    rec.pop("group", None)
    rec.pop("item", None)
    if fmt == "json":
        click.echo(json.dumps(rec))
        return
    prefix = f"{task.name}: " if many else ""
    if rec["status"] == "solved":
        click.echo(prefix + _solution_text(task, rec))
        for label, text in (rec.get("also") or {}).items():
            click.echo(f"  {label}: {text}")
        for i, alt in enumerate(rec.get("alternatives") or [], start=2):
            click.echo(f"  fit {i}: {_alternative_text(alt)}")
        ask = rec.get("ask")
        if ask:
            answers = ["(undefined)" if a is None else json.dumps(a, ensure_ascii=False) for a in ask["answers"]]
            other = f"or {answers[1]} (next fit)" if len(answers) > 1 else "(it looks unlike the examples)"
            click.echo(f"  ask about: {json.dumps(ask['input'], ensure_ascii=False)} -> {answers[0]} (answer) "
                       f"{other}")
        note = f"solved in {rec['seconds']:.2f} s, {rec['candidates']} candidates, size {rec['size']}"
        if rec.get("test_ok") is False:
            note += "; WARNING: wrong on the task's held-out tests"
        click.echo(f"{task.name}: {note}", err=True)
        for w in rec.get("warnings") or []:
            click.echo(f"{task.name}: warning: {w}", err=True)
    else:
        if many:
            click.echo(f"{prefix}[{rec['status']}]")
        # bad input that only the search found is reported like any other bad input
        label = "error: " if _exit_status(rec) == 2 else ""
        name = f"{task.name}: " if task.name else ""
        click.echo(f"synth: {label}{name}{_failure_message(rec, timeout)}", err=True)


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
@click.option("--column", "column", default=None, help="the column to fill (required)")
@click.option("--output", "old_column", default=None, hidden=True)  # the old name of --column
@click.option("--inputs", default=None, help="comma list of input columns (default: every other column)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT,
              show_default=True)
@click.option("--ops", default=None, help="restrict ops (op-set name or comma list)")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="write the filled table here (default: standard output)")
@click.option("--preview", is_flag=True,
              help="print each row to fill with its value and status (filled, unsure, failed) instead of the table")
@click.option("--interactive", is_flag=True,
              help="ask for the output of the row worth asking about, relearn, and repeat until no row is unsure")
@click.option("--fill-unsure", is_flag=True, help="also write the values of unsure rows")
def fill(csv_file, column, old_column, inputs, timeout, ops, out_path, preview, interactive, fill_unsure):
    """Fill the empty cells of a CSV column from the rows where it is filled (strings domain).

    Each row to fill is filled (the best programs agree on it), unsure (they differ: left empty
    unless --fill-unsure) or failed (no output). Unsure and failed rows are named by CSV line
    and make the exit status 1.
    """
    import csv

    from synth.errors import InvalidTask
    from synth.session import Session

    column = column or old_column
    if column is None:
        raise click.UsageError("name the column to fill with --column")
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
    safe = _input_names(names)
    lines = {id(r): i for i, r in enumerate(rows, start=2)}  # line 1 is the header

    def cells(r):
        return {safe[n]: r[n] or "" for n in names}

    def given(r):
        return bool((r[column] or "").strip())

    if not any(given(r) for r in rows):
        raise InvalidTask(f"{path}: column {column!r} has no filled cells to learn from")
    session = Session(domain="strings", timeout=timeout, top=3, ops=ops)
    for r in rows:
        if given(r):
            session.add_example(cells(r), r[column])
    # the rows to fill are the column's unlabeled rows: the ranking prefers a program that
    # reads them the way it reads the examples, and the alternatives are told apart on them
    session.add_inputs([cells(r) for r in rows if not given(r)])
    while True:
        res = session.learn()
        if not res.solved:
            click.echo(f"synth: fill {column}: {_failure_message(res.to_record(), timeout)}", err=True)
            sys.exit(1)
        todo = [r for r in rows if not given(r)]
        preds = dict(zip(map(id, todo), session.predict([cells(r) for r in todo])))
        unsure = [r for r in todo if preds[id(r)].status == "unsure"]
        if not (interactive and unsure):
            break
        ask = session.ask()
        r = next((r for r in unsure if cells(r) == ask), unsure[0])
        p = preds[id(r)]
        shown = ", ".join(f"{n}={r[n]!r}" for n in names)
        options = " or ".join(_distinct_values((p.output,) + p.others))
        answer = click.prompt(f"line {lines[id(r)]} ({shown}): {options}? type its {column} "
                              f"(Enter: {json.dumps(p.output, ensure_ascii=False)}; q: stop asking)",
                              default=p.output, show_default=False, err=True)
        if answer.strip().lower() == "q":
            break
        r[column] = answer
        session.add_example(cells(r), answer)
    click.echo(f"{column} = {res.program}", err=True)
    status: dict[int, str] = {}
    for r in rows:
        if given(r):
            continue
        p = preds[id(r)]
        status[id(r)] = p.status
        if p.status == "filled" or p.status == "sure" or (p.status == "unsure" and fill_unsure):
            r[column] = p.output
    if preview:
        for r in rows:
            st = status.get(id(r), "given")
            st = "filled" if st == "sure" else st
            value = "" if r[column] is None else r[column]
            shown = ", ".join(f"{n}={r[n]!r}" for n in names)
            extra = ""
            if st == "unsure":
                p = preds[id(r)]
                extra = "  (or " + " or ".join(_distinct_values(p.others, p.output)) + ")"
                value = p.output
            click.echo(f"line {lines[id(r)]:>4}  {st:<7} {json.dumps(value, ensure_ascii=False)}  <- {shown}{extra}")
    else:
        target = open(out_path, "w", newline="", encoding="utf-8") if out_path else sys.stdout
        try:
            w = csv.DictWriter(target, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        finally:
            if out_path:
                target.close()
    bad = False
    for kind, what in (("unsure", "the best programs differ on"), ("failed", "the program is undefined on")):
        ls = [lines[i] for i, st in status.items() if st == kind]
        if ls:
            bad = True
            shown = ", ".join(map(str, ls[:10])) + (f" and {len(ls) - 10} more" if len(ls) > 10 else "")
            left = "filled anyway (--fill-unsure)" if kind == "unsure" and fill_unsure else "left empty"
            click.echo(f"synth: fill {column}: {what} {len(ls)} row(s), {left} "
                       f"(CSV line{'s' if len(ls) > 1 else ''} {shown})", err=True)
    if bad:
        sys.exit(1)


def _distinct_values(values, but=object()) -> list[str]:
    """Each value once, as JSON (undefined for None), leaving out ``but``."""
    out: list[str] = []
    for v in values:
        text = "undefined" if v is None else json.dumps(v, ensure_ascii=False)
        if v != but and text not in out:
            out.append(text)
    return out


def _input_names(names: list[str]) -> dict[str, str]:
    """Program input names for CSV column headers: the header where it is an identifier, else
    the header with other characters as ``_`` ("full name" -> full_name), all distinct."""
    from synth.dsl.base import python_name

    taken: set[str] = set()
    return {n: python_name(n.strip(), taken) for n in names}


# --------------------------------------------------------------------------------------- bench
@main.command()
@click.argument("suites", nargs=-1, required=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="seconds per task (the worker is killed a few seconds later)")
@click.option("--strategy", default="auto", show_default=True, help=STRATEGY_HELP)
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="worker processes  [default: 1 with --executor local; one per CPU of the cluster with ray]")
@_executor_options
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
@click.option("--examples", "n_examples", type=click.IntRange(min=1), default=None,
              help="give each task its first N rows (examples, then tests) as examples, the rest as tests "
                   "(at least one row is kept as a test)")
@click.option("--tests-as-inputs", is_flag=True,
              help="give each task its tests' inputs as unlabeled rows (a spreadsheet column's other rows)")
@click.option("--interactive", is_flag=True,
              help="the examples-needed protocol: start from the first row, add the first wrong row, "
                   "relearn, up to --max-rows examples; reports the mean number of examples")
@click.option("--ask", "ask_next", is_flag=True,
              help="with --interactive: add the row synth asks about (where its best programs differ) "
                   "instead of the first wrong row")
@click.option("--max-rows", type=click.IntRange(min=1), default=5, show_default=True,
              help="with --interactive: most rows given as examples")
@click.option("--by-tag", is_flag=True, help="also summarize by feature tag (the tasks' comma-separated descriptions)")
def bench(suites, timeout, strategy, jobs, executor, address, limit, out_dir, resume, domain, split, ops,
          max_candidates, n_examples, tests_as_inputs, interactive, ask_next, max_rows, by_tag):
    """Solve every task of SUITES (task files, folders of them, or 'exedec'), record and summarize.

    Each task runs in a worker process with a hard time limit: processes on this machine
    (--executor local) or Ray actors on a cluster (--executor ray). Results are appended to
    OUT/<suite>.jsonl (a rerun resumes), a summary table is printed, and a cactus plot is
    written to OUT/<suite>.png.
    """
    from synth.bench import BenchConfig, Interrupted, cactus_plot, print_summary, summarize

    _check_strategy_name(strategy)
    if ask_next and not interactive:
        raise click.UsageError("--ask chooses the next row of --interactive; give both")
    if executor == "local" and jobs is None:
        jobs = 1
    pool = _make_executor(executor, jobs, address)
    out = Path(out_dir)
    runs = _bench_runs(suites, domain, split, ops, limit)
    for _, items in runs:
        for it in items:
            if it.task is not None:
                _reshape_rows(it.task, n_examples, tests_as_inputs)
    _check_domains([it.task for _, items in runs for it in items if it.task is not None], strategy)
    cfg = BenchConfig(timeout=timeout, strategy=strategy, jobs=jobs, max_candidates=max_candidates,
                      executor=executor, address=address,
                      protocol=("ask" if ask_next else "first-wrong") if interactive else None,
                      max_rows=max_rows)
    all_records: list[dict] = []
    label = "-".join(r[0] for r in runs) if len(runs) <= 3 else f"{runs[0][0]}-and-{len(runs) - 1}-more"
    try:
        for run_label, items in runs:
            path = out / f"{run_label}.jsonl"
            if not resume and path.exists():
                path.unlink()
            try:
                records = _run_with_progress(items, cfg, path, run_label, pool)
            except Interrupted as e:  # the workers are gone; every finished record is in the file
                _ignore_sigint()
                click.echo(f"synth: interrupted: {e.recorded} of {e.total} tasks recorded in {path}; "
                           f"rerun the same command to resume", err=True)
                sys.exit(130)
            all_records.extend(records)
            click.echo(f"results: {path}", err=True)
    finally:
        pool.shutdown()
    rows = summarize(all_records)
    print_summary(rows)
    if by_tag:
        from synth.bench import print_tag_summary, summarize_tags
        described = {it.name: it.task.description for _, items in runs for it in items if it.task is not None}
        print_tag_summary(summarize_tags([{**r, "description": described.get(r.get("item", r.get("name")), "")}
                                          for r in all_records]))
    png = out / f"{label}.png"
    cactus_plot(all_records, png, title=f"{label} ({timeout:g} s per task)")
    click.echo(f"cactus plot: {png}", err=True)
    sys.exit(0 if all(r["solved"] == r["tasks"] for r in rows) else 1)


def _reshape_rows(task, n_examples, tests_as_inputs) -> None:
    """``--examples N`` and ``--tests-as-inputs`` on one example-based task (others untouched)."""
    if not task.examples:
        return
    if n_examples is not None:  # at most N, leaving at least one row held out when there are 2+
        rows = list(task.examples) + list(task.tests)
        k = max(1, min(n_examples, len(rows) - 1))
        task.examples, task.tests = rows[:k], rows[k:]
    if tests_as_inputs:
        task.inputs = [dict(e.inputs) for e in task.tests]


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
            from synth.exedec import SPLITS, load_exedec_tasks
            splits = SPLITS if split in (None, "all") else (split,)
            for s in splits:
                if s not in SPLITS:
                    raise InvalidTask(f"unknown split {s!r}; choose one of {', '.join(SPLITS)} or all")
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


def _run_with_progress(items, cfg, path: Path, label: str, executor=None):
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
        return run_items(items, cfg, path, on_record, done=done, executor=executor)


def _register_train() -> None:
    from synth.cli_train import train

    main.add_command(train)


_register_train()

if __name__ == "__main__":  # pragma: no cover
    main()
