"""Synthetic training data for the strings guide, made the way BUSTLE makes it.

1. Random, realistic input columns (names, words, numbers, dates, times, e-mails, URLs, codes,
   prices, short sentences) for a few examples.
2. A plain bottom-up search over those inputs (with no target, under a candidate budget)
   fills a value bank with every distinct behaviour up to some size.
3. Target programs are sampled from that space: a bank value itself, or a concatenation or a
   conditional of bank values (larger than the bank reaches, as real tasks are).
4. Each explored value is labelled positive if it is the value of a sub-expression of the
   target, and a sample of the others is kept as negatives. A row is the target's I/O
   signature, the value's signature against the target output, and the label.

No benchmark task is ever read here: every input is made up by ``random_column``.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from synth.dsl.base import ERROR, Apply, Const, Node, iter_nodes, node_size, node_vars
from synth.neural.signatures import (IO_ENTRIES, VALUE_ENTRIES, OutputContext, io_signature,
                                     value_signatures)

# --------------------------------------------------------------------------- random inputs
FIRST = ("james mary john patricia robert jennifer michael linda william elizabeth david barbara "
         "richard susan joseph jessica thomas sarah charles karen chris nancy daniel lisa matthew "
         "betty anthony sandra mark ashley paul emily steven donna andrew michelle kevin carol "
         "brian amanda george melissa ada alan grace linus ken barbara jane doe ali chen maria "
         "jose wei yuki omar fatima ivan olga pierre hans anna luca sofia").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez "
        "lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson "
        "white harris sanchez clark ramirez lewis robinson walker young allen king wright scott "
        "torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter "
        "roberts lovelace turing hopper torvalds thompson ritchie knuth dijkstra").split()
WORDS = ("apple banana cherry table chair window house garden river mountain city street road "
         "market office school store paper pencil book phone laptop screen water coffee tea "
         "bread cheese music movie game ticket order invoice report status project team sales "
         "north south east west red green blue black white small large big new old open closed "
         "yes no true false none null pending active done completed started error warning info "
         "monday friday january march july december morning evening night total price amount "
         "item product customer account user admin email address name first last code id").split()
CITIES = ("new york,los angeles,chicago,houston,phoenix,boston,seattle,denver,austin,miami,"
          "portland,atlanta,london,paris,berlin,madrid,rome,tokyo,sydney,toronto,mountain view,"
          "san francisco,san diego,las vegas,salt lake city").split(",")
STATES = "ca ny tx wa ma fl il co or ga az nv ut nj pa oh mi".split()
TLDS = ("com", "org", "net", "edu", "io", "co.uk", "gov")
MONTHS = ("jan feb mar apr may jun jul aug sep oct nov dec").split()
MONTH_NAMES = ("january february march april may june july august september october november "
               "december").split()


def _case(rng: random.Random, s: str) -> str:
    r = rng.random()
    if r < 0.45:
        return s.title()
    if r < 0.75:
        return s.lower()
    if r < 0.9:
        return s.upper()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in s)


def _num(rng: random.Random, lo: int = 0, hi: int = 9999) -> str:
    return str(rng.randint(lo, hi))


def _person(rng):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    form = rng.random()
    if form < 0.5:
        return _case(rng, f"{f} {l}")
    if form < 0.7:
        return _case(rng, f"{l}, {f}")
    if form < 0.85:
        return _case(rng, f"{f} {rng.choice(string.ascii_lowercase)}. {l}")
    return _case(rng, f)


def _date(rng):
    y, m, d = rng.randint(1950, 2030), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}",
                       f"{d:02d}.{m:02d}.{y}", f"{d} {MONTHS[m - 1].title()} {y}",
                       f"{MONTH_NAMES[m - 1].title()} {d}, {y}", f"{m:02d}/{d:02d}", f"{y}{m:02d}{d:02d}"])


def _time(rng):
    h, mi = rng.randint(0, 23), rng.choice([0, 15, 30, 45, rng.randint(0, 59)])
    return rng.choice([f"{h}:{mi:02d}", f"{h:02d}:{mi:02d}", f"{(h % 12) or 12}:{mi:02d} {'AM' if h < 12 else 'PM'}",
                       f"{h:02d}:{mi:02d}:{rng.randint(0, 59):02d}"])


def _email(rng):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    user = rng.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}{rng.randint(1, 99)}", f"{f}_{l}"])
    return f"{user}@{rng.choice(WORDS + LAST)}.{rng.choice(TLDS)}"


def _url(rng):
    host = rng.choice(["www.", "", "mail.", "docs."]) + rng.choice(WORDS + LAST) + "." + rng.choice(TLDS)
    path = "/".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3)))
    return rng.choice(["http://", "https://", ""]) + host + ("/" + path if path else "")


def _code(rng):
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(1, 4)))
    sep = rng.choice(["-", "_", "", "/", ".", " "])
    return rng.choice([f"{letters}{sep}{_num(rng, 1, 99999)}", f"{_num(rng, 1, 999)}{sep}{letters}",
                       f"{letters}{sep}{_num(rng, 10, 99)}{sep}{rng.choice(string.ascii_uppercase)}"])


def _phone(rng):
    a, b, c = _num(rng, 200, 999), _num(rng, 100, 999), f"{rng.randint(0, 9999):04d}"
    return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}"])


def _money(rng):
    v = rng.randint(0, 99999) / rng.choice([1, 100])
    s = f"{v:.2f}" if rng.random() < 0.6 else str(int(v))
    return rng.choice(["$" + s, s, s + " USD", "-" + s, "USD " + s])


def _number(rng):
    r = rng.random()
    if r < 0.5:
        return _num(rng, 0, rng.choice([9, 99, 999, 99999]))
    if r < 0.7:
        return f"{rng.randint(0, 999)}.{rng.randint(0, 99)}"
    if r < 0.8:
        return "-" + _num(rng, 1, 999)
    if r < 0.9:
        return f"{rng.randint(0, 100)}%"
    return f"{rng.randint(1000, 9999999):,}"


def _words(rng):
    n = rng.randint(1, 5)
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    s = _case(rng, s)
    if rng.random() < 0.2:
        s = s + rng.choice(".!?")
    if rng.random() < 0.1:
        s = "  " + s.replace(" ", "  ", 1) + " "
    return s


def _place(rng):
    return _case(rng, rng.choice([f"{rng.choice(CITIES)}, {rng.choice(STATES)}",
                                  f"{_num(rng, 1, 9999)} {rng.choice(WORDS)} {rng.choice(['st', 'ave', 'rd', 'blvd'])}",
                                  rng.choice(CITIES)]))


def _word(rng):
    return _case(rng, rng.choice(WORDS + FIRST + LAST))


def _path(rng):
    parts = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
    lead = rng.choice(["/", "", "C:/", "~/"])
    ext = rng.choice(["", ".txt", ".py", ".csv", ".jpg", ".pdf"])
    return lead + "/".join(parts) + ext


def _separated(rng):
    sep = rng.choice([",", ";", "|", " - ", ", ", "/", ":", "_", "-"])
    return sep.join(rng.choice([rng.choice(WORDS), _num(rng, 0, 999)]) for _ in range(rng.randint(2, 4)))


def _bracketed(rng):
    a, b = rng.choice(["()", "[]", "<>", "{}", '""']), rng.choice(WORDS + LAST)
    s = a[0] + _case(rng, b) + a[1]
    return rng.choice([s, f"{_word(rng)} {s}", f"{s} {_word(rng)}"])


KINDS: dict[str, Callable[[random.Random], str]] = {
    "person": _person, "date": _date, "time": _time, "email": _email, "url": _url, "code": _code,
    "phone": _phone, "money": _money, "number": _number, "words": _words, "place": _place,
    "word": _word, "path": _path, "separated": _separated, "bracketed": _bracketed,
}


def random_column(rng: random.Random, n: int) -> list[str]:
    """``n`` values of one randomly chosen kind (one spreadsheet column)."""
    kind = rng.choice(list(KINDS))
    if rng.random() < 0.12:  # a categorical column: few distinct values, repeats allowed
        pool = [KINDS[kind](rng) for _ in range(rng.randint(2, 3))]
        return [rng.choice(pool) for _ in range(n)]
    return [KINDS[kind](rng)[:60] for _ in range(n)]


EXTRA_CONSTANTS = (" ", ",", ".", "-", "/", ":", "@", "(", ")", "$", "Mr. ", "Ms. ", ".com", "AM",
                   "PM", "N/A", "yes", "no", "true", "false", "0", "00", "000", "+", "#", "_", "x")


def random_inputs(rng: random.Random) -> list[dict[str, str]]:
    """One task's inputs: 1 to 3 columns (mostly 1) of 2 to 5 examples."""
    n = rng.choice([2, 3, 3, 4, 4, 4, 5, 5])
    ncols = rng.choices([1, 2, 3], weights=[0.6, 0.3, 0.1])[0]
    cols = [random_column(rng, n) for _ in range(ncols)]
    return [{f"var_{j}": cols[j][i] for j in range(ncols)} for i in range(n)]


# --------------------------------------------------------------------------- targets and labels
@dataclass
class Sample:
    """One value of one synthetic search, with the target it is scored against."""

    io: np.ndarray        # (IO_ENTRIES,) int8
    value: np.ndarray     # (VALUE_ENTRIES,) int8
    label: int
    size: int


class _BankFull(Exception):
    """Raised by the value hook to end a synthetic search at its value count."""


class SyntheticSearch:
    """A value bank explored by a plain bottom-up search over random inputs."""

    def __init__(self, rng: random.Random, max_values: int = 20_000):
        from synth.dsl import get_domain
        from synth.search.bottom_up import BottomUpSearch
        from synth.search.budget import Budget
        from synth.search.grammar import grammar_from_ops
        from synth.task import Example

        self.domain = get_domain("strings")
        self.rng = rng
        self.inputs = random_inputs(rng)
        examples = [Example(env, "") for env in self.inputs]
        extra = rng.sample(EXTRA_CONSTANTS, rng.randint(0, 3))
        consts = self.domain.constants(examples, extra)
        ops = self.domain.resolve_ops("bustle")
        grammar = grammar_from_ops(self.domain, ops, {k: "String" for k in self.inputs[0]}, consts,
                                   "String")
        impossible = tuple("\0impossible" for _ in self.inputs)
        # The bank is the first ``max_values`` values in enumeration order: stopping on a value
        # count (not a candidate budget, whose stopping point depends on how often the engine
        # checks it) makes the data independent of the engine's internals.
        counter = [0]

        def count(nt: str, vals: tuple, node: Node) -> None:
            counter[0] += 1
            if counter[0] >= max_values:
                raise _BankFull

        self.search = BottomUpSearch(self.domain, grammar, self.inputs, impossible,
                                     Budget(timeout=None, max_candidates=50 * max_values),
                                     concat_shortcut=False, cond_shortcut=False, decompose=False,
                                     value_hook=count)
        try:
            self.search.run()
        except _BankFull:
            pass
        # every non-leaf value: (type, values, node, size)
        self.values: list[tuple[str, tuple, Node]] = []
        for nt, seen in self.search.seen.items():
            for vals, node in seen.items():
                if isinstance(node, Apply):
                    self.values.append((nt, vals, node))
        self.by_type: dict[str, list[int]] = {}
        for i, (t, _, _) in enumerate(self.values):
            self.by_type.setdefault(t, []).append(i)

    def evaluate(self, node: Node) -> tuple | None:
        out = tuple(self.domain.evaluate(node, env) for env in self.inputs)
        return None if ERROR in out else out

    def _pick(self, type_: str, min_size: int = 1, mixed: bool = False) -> tuple[tuple, Node] | None:
        """A random bank value of ``type_`` that depends on an input (and, with ``mixed``,
        is not the same on every example)."""
        idx = self.by_type.get(type_)
        if not idx:
            return None
        for _ in range(30):
            t, vals, node = self.values[self.rng.choice(idx)]
            if _size(node) < min_size or not node_vars(node):
                continue
            if mixed and len(set(vals)) < 2:
                continue
            return vals, node
        return None

    def _part(self) -> Node | None:
        """A piece of a concatenation: a constant or input (sometimes), else a bank value."""
        if self.rng.random() < 0.3:
            leaves = [lf.node for lf in self.search.grammar.leaves
                      if lf.result == "String" and (not isinstance(lf.node, Const) or lf.node.value)]
            return self.rng.choice(leaves) if leaves else None
        got = self._pick("String")
        return None if got is None else got[1]

    def random_target(self) -> Node | None:
        """A target program over this bank: a bank value (BUSTLE's way), or a concatenation or
        conditional of bank values, which can be larger than anything in the bank."""
        r = self.rng.random()
        if r < 0.45:
            got = self._pick("String", min_size=2)
            return None if got is None else got[1]
        if r < 0.85:
            parts = [self._part() for _ in range(self.rng.choice([2, 2, 3]))]
            if any(p is None for p in parts) or not any(node_vars(p) for p in parts):
                return None
            node = parts[-1]
            for p in reversed(parts[:-1]):
                node = Apply("CONCATENATE", (p, node))
            return node
        test = self._pick("Bool", mixed=True)
        a, b = self._part(), self._part()
        if test is None or a is None or b is None:
            return None
        return Apply("IF", (test[1], a, b))

    def positives(self, node: Node, target_values: tuple) -> set[tuple[str, tuple]]:
        """(type, value) of every explored value that some proper, non-leaf sub-expression of
        the target program computes: the values a guide should keep cheap."""
        found: set[tuple[str, tuple]] = set()
        for sub in iter_nodes(node):
            if sub is node or not isinstance(sub, Apply):
                continue
            v = self.evaluate(sub)
            if v is None:
                continue
            t = _type_of(v[0])
            if isinstance(self.search.seen.get(t, {}).get(v), Apply):
                found.add((t, v))
        found.discard(("String", target_values))
        return found

    def samples(self, targets: int, negatives_per_positive: float = 3.0,
                min_negatives: int = 8) -> list[Sample]:
        """Labelled rows for ``targets`` random target programs of this bank."""
        out: list[Sample] = []
        seen_targets: set[tuple] = set()
        tries = 0
        while len(seen_targets) < targets and tries < targets * 5:
            tries += 1
            node = self.random_target()
            if node is None:
                continue
            tvals = self.evaluate(node)
            if tvals is None or tvals in seen_targets or any(len(v) >= 99 for v in tvals):
                continue
            if len(set(tvals)) == 1 and len(tvals) > 1:
                continue  # a constant output teaches little
            positives = self.positives(node, tvals)
            if not positives:
                continue
            seen_targets.add(tvals)
            nneg = max(min_negatives, int(round(negatives_per_positive * len(positives))))
            # sorted: a set's order depends on the string hash seed, the data must not
            chosen: list[tuple[str, tuple, int]] = [(t, v, 1) for t, v in sorted(positives, key=repr)]
            for _ in range(nneg):
                t, v, _n = self.values[self.rng.randrange(len(self.values))]
                if (t, v) not in positives and v != tvals:
                    chosen.append((t, v, 0))
            ctx = OutputContext(tvals, self.inputs)
            io = io_signature(self.inputs, tvals)
            by_t: dict[str, list[int]] = {}
            for i, (t, _, _) in enumerate(chosen):
                by_t.setdefault(t, []).append(i)
            for t, idx in by_t.items():
                sigs = value_signatures(t, [chosen[i][1] for i in idx], ctx)
                for row, i in zip(sigs, idx):
                    node_i = self.search.seen[t][chosen[i][1]]
                    out.append(Sample(io, row, chosen[i][2], _size(node_i)))
        return out


def _size(node: Node) -> int:
    return node_size(node)


def _type_of(v: Any) -> str:
    if isinstance(v, bool):
        return "Bool"
    if isinstance(v, int):
        return "Int"
    return "String"


@dataclass
class Dataset:
    """Rows of (io signature, value signature, size) with labels, as numpy arrays."""

    io: np.ndarray      # (n, IO_ENTRIES) int8
    value: np.ndarray   # (n, VALUE_ENTRIES) int8
    size: np.ndarray    # (n,) int16
    label: np.ndarray   # (n,) int8
    #: which synthetic search a row came from (to split train/validation by search)
    group: np.ndarray   # (n,) int32

    def __len__(self) -> int:
        return len(self.label)

    def save(self, path: str) -> None:
        np.savez_compressed(path, io=self.io, value=self.value, size=self.size, label=self.label,
                            group=self.group)

    @classmethod
    def load(cls, path: str) -> "Dataset":
        z = np.load(path)
        return cls(z["io"], z["value"], z["size"], z["label"], z["group"])

    @classmethod
    def concat(cls, parts: Sequence["Dataset"]) -> "Dataset":
        return cls(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("io", "value", "size", "label", "group")))

    def subset(self, mask: np.ndarray) -> "Dataset":
        return Dataset(self.io[mask], self.value[mask], self.size[mask], self.label[mask],
                       self.group[mask])


def generate(searches: int, seed: int = 0, targets_per_search: int = 40,
             max_values: int = 20_000, progress: Callable[[int], None] | None = None,
             first: int = 0) -> Dataset:
    """Rows from synthetic searches ``first`` .. ``first + searches - 1`` (each one is
    deterministic given ``seed`` and its number, so the data do not depend on how the work is
    split between processes)."""
    ios, vals, sizes, labels, groups = [], [], [], [], []
    for g in range(first, first + searches):
        rng = random.Random(seed * 1_000_003 + g)
        s = SyntheticSearch(rng, max_values=max_values)
        for smp in s.samples(targets_per_search):
            ios.append(smp.io)
            vals.append(smp.value)
            sizes.append(smp.size)
            labels.append(smp.label)
            groups.append(g)
        if progress is not None:
            progress(g + 1 - first)
    if not labels:
        return Dataset(np.zeros((0, IO_ENTRIES), np.int8), np.zeros((0, VALUE_ENTRIES), np.int8),
                       np.zeros(0, np.int16), np.zeros(0, np.int8), np.zeros(0, np.int32))
    return Dataset(np.stack(ios), np.stack(vals), np.array(sizes, np.int16),
                   np.array(labels, np.int8), np.array(groups, np.int32))
