"""Readers of task files: our JSON/JSONL task format and SyGuS-IF ``.sl`` problems."""
from __future__ import annotations

import importlib
import json
from pathlib import Path

from synth.errors import InvalidTask
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
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)(path)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InvalidTask(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None


def _loads(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidTask(f"{where}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None


def read_json_tasks(path: Path) -> list[Task]:
    data = _loads(_read_text(path), str(path))
    if isinstance(data, dict) and "tasks" in data:
        if not isinstance(data["tasks"], list):
            raise InvalidTask(f"{path}: 'tasks' must be a list of task objects")
        if not data["tasks"]:
            raise InvalidTask(f"{path}: the suite has no tasks")
        return [Task.from_dict(t, str(path)) for t in data["tasks"]]
    if isinstance(data, list):
        raise InvalidTask(f"{path}: a suite must be an object {{\"tasks\": [...]}}, not a bare list")
    return [Task.from_dict(data, str(path))]


def read_jsonl_tasks(path: Path) -> list[Task]:
    tasks = []
    for i, line in enumerate(_read_text(path).splitlines(), 1):
        if line.strip():
            tasks.append(Task.from_dict(_loads(line, f"{path}:{i}"), f"{path}:{i}"))
    if not tasks:
        raise InvalidTask(f"{path}: the file has no tasks")
    return tasks
