"""Readers of task files: our JSON/JSONL task format and SyGuS-IF ``.sl`` problems."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

from synth.errors import InvalidTask
from synth.io.limits import MAX_FILE_BYTES, MAX_JSON_NESTING, MAX_LITERAL_DIGITS, json_too_deep, line_at
from synth.task import Task

#: file suffix -> "module:function" returning list[Task] for a path
READERS = {
    ".json": "synth.io:read_json_tasks",
    ".jsonl": "synth.io:read_jsonl_tasks",
    ".sl": "synth.io.sygus:read_sygus_tasks",
    ".c": "synth.io.c_loops:read_c_tasks",
}


def read_tasks(path: str | Path) -> list[Task]:
    """Read every task of a file (one task, a suite ``{"tasks": [...]}``, JSONL, or ``.sl``)."""
    path = Path(path)
    if not path.exists():
        raise InvalidTask(f"{path}: no such file")
    if path.is_dir():
        raise InvalidTask(f"{path}: is a folder; give a task file (.json, .jsonl, .sl or .c)")
    target = READERS.get(path.suffix.lower())
    if target is None:
        raise InvalidTask(f"{path}: unknown task file type {path.suffix!r}; "
                          f"use one of {', '.join(sorted(READERS))}")
    check_file_size(path)
    module, func = target.split(":")
    try:
        return getattr(importlib.import_module(module), func)(path)
    except RecursionError:  # backstop: the readers check nesting before anything recursive runs
        raise InvalidTask(f"{path}: nested too deeply to read; simplify the file") from None


def check_file_size(path: Path) -> None:
    """``InvalidTask`` for a file over ``MAX_FILE_BYTES`` (or one that cannot be examined)."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InvalidTask(f"{path}: cannot read ({e.strerror or e})") from None
    if size > MAX_FILE_BYTES:
        raise InvalidTask(f"{path}: {size / 2**20:.0f} MB; task files may be at most "
                          f"{MAX_FILE_BYTES // 2**20} MB (split the suite into several files)")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidTask(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise InvalidTask(f"{path}: cannot read ({e.strerror or e})") from None


def _parse_int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_LITERAL_DIGITS:
        raise _TooLong(digits)
    return int(text)


class _TooLong(Exception):
    def __init__(self, digits: int):
        super().__init__(digits)
        self.digits = digits


def _loads(text: str, where: str):
    """JSON text to Python, with the nesting and integer-length limits of ``synth.io.limits``."""
    at = json_too_deep(text)
    if at is not None:
        raise InvalidTask(f"{where}: JSON nested deeper than {MAX_JSON_NESTING} levels (line "
                          f"{line_at(text, at)}); a task needs only a few levels")
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise InvalidTask(f"{where}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except _TooLong as e:
        raise InvalidTask(f"{where}: an integer of {e.digits:,} digits; task files may hold integers "
                          f"of at most {MAX_LITERAL_DIGITS:,} digits") from None
    except RecursionError:  # backstop: json_too_deep should have caught it
        raise InvalidTask(f"{where}: JSON nested too deeply to read") from None


def read_json_tasks(path: Path) -> list[Task]:
    return json_tasks(_read_text(path), str(path))


def read_jsonl_tasks(path: Path) -> list[Task]:
    return jsonl_tasks(_read_text(path), str(path))


def json_tasks(text: str, where: str) -> list[Task]:
    """The tasks of JSON text: one task object or a suite ``{"tasks": [...]}``."""
    data = _loads(text, where)
    if isinstance(data, dict) and "tasks" in data:
        if not isinstance(data["tasks"], list):
            raise InvalidTask(f"{where}: 'tasks' must be a list of task objects")
        if not data["tasks"]:
            raise InvalidTask(f"{where}: the suite has no tasks")
        return [Task.from_dict(t, where) for t in data["tasks"]]
    if isinstance(data, list):
        raise InvalidTask(f"{where}: a suite must be an object {{\"tasks\": [...]}}, not a bare list")
    return [Task.from_dict(data, where)]


def jsonl_tasks(text: str, where: str) -> list[Task]:
    """The tasks of JSONL text, one task object per line."""
    tasks = []
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip():
            tasks.append(Task.from_dict(_loads(line, f"{where}:{i}"), f"{where}:{i}"))
    if not tasks:
        raise InvalidTask(f"{where}: the file has no tasks")
    return tasks


def read_tasks_text(text: str, where: str = "<stdin>") -> list[Task]:
    """The tasks of JSON or JSONL text that did not come from a file (standard input), with the
    same checks and limits as a file; messages and the tasks' origin name ``where``. Text that
    is not one JSON value but whose first line is one is read as JSONL."""
    try:
        return json_tasks(text, where)
    except InvalidTask as e:
        if "malformed JSON" not in str(e):
            raise
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise
        try:
            _loads(lines[0], where)
        except InvalidTask:
            raise e from None
        return jsonl_tasks(text, where)
