"""The layering of synth's modules (docs/ARCHITECTURE.md, "Layers"), checked on the import graph.

Every ``import`` of a ``synth`` module in every module of ``synth/`` counts, including imports
inside functions (a lazy import is still a dependency). A module may import modules of its own
layer or of lower ones, never of a higher one, and no two modules may import each other, directly
or through others.
"""
from __future__ import annotations

import ast
from pathlib import Path

SYNTH = Path(__file__).resolve().parent.parent / "synth"

#: the layers, bottom up; a module belongs to the layer of the longest prefix that names it
LAYERS: list[tuple[str, ...]] = [
    # 0: utilities that know nothing of synth's concepts
    ("synth.errors", "synth.deadline", "synth.kernelmode", "synth.z3util"),
    # 1: the DSLs: ops, domains, program syntax and the reference interpreter
    ("synth.dsl",),
    # 2: what a search is given and what it returns, and the warnings on a result's program
    ("synth.task", "synth.result", "synth.plausibility"),
    # 3: task readers; inference-only models; ExeDec's data (text formats, samplers, splits,
    # the subgoal model)
    ("synth.io", "synth.neural", "synth.exedec"),
    # 4: Z3 checks
    ("synth.verify",),
    # 5: the search engine and its strategies (the numba kernels under search.compiled.kernels)
    ("synth.search",),
    # 6: the public Python API, and a solve as a result record (what the CLI prints and the
    # workers of synth.executors send back)
    ("synth.api", "synth.records"),
    # 7: running many tasks (bench, the executors that run them in worker processes) and
    # training (data generation runs searches)
    ("synth.bench", "synth.executors", "synth.training", "synth.session"),
    # 8: command lines (synth.exedec.report: ``python -m`` of benchmarks/exedec_report.py)
    ("synth.cli", "synth.cli_train", "synth.exedec.__main__", "synth.exedec.report"),
    # 9: the package facade ``import synth``
    ("synth",),
]

#: (importer, imported) edges allowed although they break the rule, each with the reason it
#: stands and what removes it. Keep this list short; an entry is a debt, not a design.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def module_files() -> dict[str, Path]:
    mods = {}
    for path in SYNTH.rglob("*.py"):
        parts = list(path.relative_to(SYNTH.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def import_graph() -> dict[str, set[str]]:
    """module -> the synth modules it imports anywhere in its body (``from pkg import name``
    counts as an import of ``pkg.name`` where that is a module, else of ``pkg``)."""
    mods = module_files()

    def owner(name: str) -> str:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                out.update(owner(a.name) for a in node.names if a.name.split(".")[0] == "synth")
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                if base.split(".")[0] != "synth":
                    continue
                for a in node.names:
                    out.add(f"{base}.{a.name}" if f"{base}.{a.name}" in mods else owner(base))
        out.discard(mod)
        out.discard("")
        graph[mod] = out
    return graph


def layer_of(mod: str) -> int:
    best, layer = -1, None
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if (mod == p or mod.startswith(p + ".")) and len(p) > best:
                best, layer = len(p), i
    assert layer is not None, f"{mod} is in no layer: add it to LAYERS in {__file__}"
    return layer


def test_every_module_has_a_layer():
    for mod in module_files():
        layer_of(mod)


def test_no_module_imports_from_a_higher_layer():
    graph = import_graph()
    upward = sorted(f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})"
                    for a, targets in graph.items() for b in targets
                    if layer_of(b) > layer_of(a) and (a, b) not in KNOWN_EXCEPTIONS)
    assert not upward, "imports from a higher layer:\n  " + "\n  ".join(upward)


def test_known_exceptions_are_still_needed():
    graph = import_graph()
    stale = [edge for edge in KNOWN_EXCEPTIONS if edge[1] not in graph.get(edge[0], ())]
    assert not stale, f"remove these from KNOWN_EXCEPTIONS, the import is gone: {stale}"


def test_no_import_cycles():
    graph = import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(mod: str) -> None:
        state[mod] = 1
        stack.append(mod)
        for nxt in sorted(graph.get(mod, ())):
            if (mod, nxt) in KNOWN_EXCEPTIONS:
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[mod] = 2

    for mod in sorted(graph):
        if mod not in state:
            visit(mod)
    assert not cycles, "import cycles:\n  " + "\n  ".join(" -> ".join(c) for c in cycles)
