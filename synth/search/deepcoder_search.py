"""Search for DeepCoder programs: bottom-up over values, plus inverted last steps.

A DeepCoder program is straight-line code whose statements apply one op to the inputs and earlier
statements. The search

1. enumerates values bottom-up by the number of op applications (counted as a tree), keeping
   one program per distinct output tuple (one entry per value on all examples) and dropping
   every value ExeDec's range check rejects;
2. before that, inverts the target through the unary steps that have a unique inverse (Map by
   ``(+1) (-1) (*2) (*(-1)) (*3) (*4)``, Reverse, Scanl1 by ``(+) (-) (*)``), up to two steps, so a
   value that reaches one of those subgoals is a solution one or two statements early;
3. after each level, tries ``ZipWith`` as the last statement: for every list value ``xs`` and
   ``g`` in ``(+) (-) (*)`` the other argument is determined, and is looked up among the values;
4. counts a two-argument op over a value and one of its own subprograms (``ZipWith g x1 x3``
   where x3 is computed from x1) as one statement more than that value, not as the sum of the
   two trees, so such shared programs are reached as early as their length says.

The found tree becomes statements by merging equal subtrees, so a value used twice is computed
once. ``Statement``s use the domain's reference ops: the fast kernels below are only used inside
the search, and every program found is re-run with the reference interpreter.
"""
from __future__ import annotations

from typing import Any, Callable

from synth.dsl.base import Const, Domain, Var
from synth.dsl.deepcoder import Ref, Statement, program_node
from synth.dsl.deepcoder.ops import (FN1, FN2, LAMBDA_BY_TEXT, MAX_INT, MAX_VARIABLES, MIN_INT,
                                     PRED)
from synth.search.contract import BudgetExceeded, SearchOutcome
from synth.search.budget import Budget, Clock
from synth.task import Task

#: a search node: ("in", name) for an input, or (op, lambda text or None, child nodes...)
Node = tuple


def _ok_list(r: tuple):
    if r and (min(r) < MIN_INT or max(r) > MAX_INT):
        return None
    return r


def _ok_int(v):
    return v if MIN_INT <= v <= MAX_INT else None


# ----------------------------------------------------------------------- kernels on tuples
# Each kernel takes one example's argument values (lists as tuples) and returns the result or
# None, exactly like the reference op in synth.dsl.deepcoder.ops (tests check they agree).

def _k_head(xs):
    return xs[0] if xs else None


def _k_last(xs):
    return xs[-1] if xs else None


def _k_min(xs):
    return min(xs) if xs else None


def _k_max(xs):
    return max(xs) if xs else None


def _k_sum(xs):
    return _ok_int(sum(xs))


def _k_reverse(xs):
    return xs[::-1]


def _k_sort(xs):
    return tuple(sorted(xs))


def _k_take(n, xs):
    return xs[:n]


def _k_drop(n, xs):
    return xs[n:]


def _k_access(n, xs):
    return xs[n] if 0 <= n < len(xs) else None


def _map_kernel(f):
    def k(xs):
        return _ok_list(tuple(f(x) for x in xs))
    return k


def _filter_kernel(p):
    def k(xs):
        return tuple(x for x in xs if p(x))
    return k


def _count_kernel(p):
    def k(xs):
        return sum(1 for x in xs if p(x))
    return k


def _scanl1_kernel(g):
    def k(xs):
        if not xs:
            return xs
        acc = xs[0]
        out = [acc]
        for x in xs[1:]:
            acc = g(acc, x)
            if acc < MIN_INT or acc > MAX_INT:
                return None
            out.append(acc)
        return tuple(out)
    return k


def _zip_kernel(g):
    def k(xs, ys):
        return _ok_list(tuple(g(x, y) for x, y in zip(xs, ys)))
    return k


#: unary kernels over one list: (op, lambda text or None, result type, kernel)
LIST_UNARY: list[tuple[str, str | None, str, Callable]] = [
    ("Head", None, "Int", _k_head), ("Last", None, "Int", _k_last),
    ("Minimum", None, "Int", _k_min), ("Maximum", None, "Int", _k_max),
    ("Sum", None, "Int", _k_sum), ("Reverse", None, "List", _k_reverse),
    ("Sort", None, "List", _k_sort),
]
LIST_UNARY += [("Map", f.text, "List", _map_kernel(f.fn)) for f in FN1]
LIST_UNARY += [("Filter", p.text, "List", _filter_kernel(p.fn)) for p in PRED]
LIST_UNARY += [("Count", p.text, "Int", _count_kernel(p.fn)) for p in PRED]
LIST_UNARY += [("Scanl1", g.text, "List", _scanl1_kernel(g.fn)) for g in FN2]
#: (Int, List) kernels
INT_LIST: list[tuple[str, str, Callable]] = [("Take", "List", _k_take), ("Drop", "List", _k_drop),
                                             ("Access", "Int", _k_access)]
#: ZipWith kernels: (lambda text, commutative, kernel)
ZIPS: list[tuple[str, bool, Callable]] = [(g.text, g.text in ("(+)", "(*)", "(min)", "(max)"),
                                           _zip_kernel(g.fn)) for g in FN2]


# --------------------------------------------------------------- unique inverses of one step

def _inv_map(f_inv):
    def inv(ys):
        out = []
        for y in ys:
            x = f_inv(y)
            if x is None or x < MIN_INT or x > MAX_INT:
                return None
            out.append(x)
        return tuple(out)
    return inv


def _exact_div(k):
    return lambda y: y // k if y % k == 0 else None


def _inv_scan_plus(ys):
    return _ok_list(tuple(y if i == 0 else y - ys[i - 1] for i, y in enumerate(ys)))


def _inv_scan_minus(ys):
    return _ok_list(tuple(y if i == 0 else ys[i - 1] - y for i, y in enumerate(ys)))


def _inv_scan_times(ys):
    out = []
    for i, y in enumerate(ys):
        if i == 0:
            out.append(y)
        elif ys[i - 1] == 0 or y % ys[i - 1]:
            return None  # 0 * x is 0 for every x: not unique
        else:
            out.append(y // ys[i - 1])
    return _ok_list(tuple(out))


#: (op, lambda, inverse on one example's list or None)
LIST_INVERSES: list[tuple[str, str | None, Callable]] = [
    ("Map", "(+1)", _inv_map(lambda y: y - 1)), ("Map", "(-1)", _inv_map(lambda y: y + 1)),
    ("Map", "(*2)", _inv_map(_exact_div(2))), ("Map", "(*(-1))", _inv_map(lambda y: -y)),
    ("Map", "(*3)", _inv_map(_exact_div(3))), ("Map", "(*4)", _inv_map(_exact_div(4))),
    ("Reverse", None, lambda ys: ys[::-1]),
    ("Scanl1", "(+)", _inv_scan_plus), ("Scanl1", "(-)", _inv_scan_minus),
    ("Scanl1", "(*)", _inv_scan_times),
]
#: ZipWith g xs ys = t  =>  ys = inverse(t, xs), when len(xs) == len(t)
ZIP_INVERSES: list[tuple[str, Callable]] = [
    ("(+)", lambda t, x: t - x), ("(-)", lambda t, x: x - t),
    ("(*)", lambda t, x: (t // x if t % x == 0 else None) if x != 0 else None),
]


class _Found(Exception):
    def __init__(self, node: Node):
        self.node = node


class ValueSearch:
    """One bottom-up search; ``inputs`` maps each input name to its values on the examples."""

    def __init__(self, inputs: dict[str, tuple], target: tuple, clock: Clock, max_level: int = 10,
                 ops: frozenset[str] | None = None):
        self.clock = clock
        ok = (lambda name: True) if ops is None else (lambda name: name in ops)
        #: the kernels and inverses of the allowed ops (all by default)
        self.list_unary = [k for k in LIST_UNARY if ok(k[0])]
        self.int_list = [k for k in INT_LIST if ok(k[0])]
        self.zips = ZIPS if ok("ZipWith") else []
        self.zip_inverses = ZIP_INVERSES if ok("ZipWith") else []
        self.list_inverses = [k for k in LIST_INVERSES if ok(k[0])]
        self.target = target
        self.n = len(target)
        self.max_level = max_level
        self.ints: list[list[tuple]] = [[]]
        self.lists: list[list[tuple]] = [[]]
        self.node: dict[tuple, Node] = {}
        #: id of a kept node -> its value (to reuse a program's own subprograms)
        self.vals_of: dict[int, tuple] = {}
        self._ticks = 0
        #: subgoal value -> the ops (outermost last) that turn it into the target
        self.goals: dict[tuple, list[tuple[str, str | None]]] = {target: []}
        self.target_is_list = type(target[0]) is tuple
        self.level = 0
        self.inputs = inputs

    # -- bank ------------------------------------------------------------------------------
    def _tick(self) -> None:
        self._ticks += 1
        if self._ticks >= 512:
            self.clock.candidates += self._ticks
            self._ticks = 0
            if self.clock.exceeded():
                raise BudgetExceeded

    def _add(self, level: int, vals: tuple, node: Node, is_list: bool) -> None:
        if vals in self.node:
            return
        self.node[vals] = node
        self.vals_of[id(node)] = vals
        bank = self.lists if is_list else self.ints
        while len(bank) <= level:
            bank.append([])
        bank[level].append(vals)
        chain = self.goals.get(vals)
        if chain is not None:
            for op, lam in chain:
                node = (op, lam, node)
            self._found(node)

    def _found(self, node: Node) -> None:
        """Stop with ``node`` unless its program needs more statements than the variable limit
        allows (then the search goes on for another one)."""
        if statement_count(node) <= self.max_level:
            raise _Found(node)

    # -- subgoals by inverting the last steps -------------------------------------------------
    def invert_target(self, depth: int = 2) -> None:
        if not self.target_is_list:
            return
        frontier = [self.target]
        for _ in range(depth):
            nxt = []
            for goal in frontier:
                for op, lam, inv in self.list_inverses:
                    pre = tuple(inv(ys) for ys in goal)
                    if any(p is None for p in pre) or pre in self.goals:
                        continue
                    self.goals[pre] = [(op, lam)] + self.goals[goal]
                    nxt.append(pre)
            frontier = nxt

    # -- one level -----------------------------------------------------------------------------
    def level_up(self) -> None:
        """Every value whose tree has exactly ``self.level + 1`` op applications."""
        k = self.level + 1
        add, tick, node = self._add, self._tick, self.node
        lists_prev = self.lists[k - 1] if k - 1 < len(self.lists) else []
        for vals in lists_prev:
            nd = node[vals]
            for op, lam, rtype, fn in self.list_unary:
                tick()
                out = tuple(map(fn, vals))
                if None in out:
                    continue
                if out not in node:
                    add(k, out, (op, lam, nd), rtype == "List")
        # (Int, List) ops and ZipWith over every split of the remaining k - 1 applications
        for a in range(k):
            b = k - 1 - a
            ints_a = self.ints[a] if a < len(self.ints) else []
            lists_b = self.lists[b] if b < len(self.lists) else []
            for iv in ints_a:
                ind = node[iv]
                for lv in lists_b:
                    lnd = None
                    for op, rtype, fn in self.int_list:
                        tick()
                        out = tuple(map(fn, iv, lv))
                        if None in out or out in node:
                            continue
                        lnd = lnd or node[lv]
                        add(k, out, (op, None, ind, lnd), rtype == "List")
            lists_a = self.lists[a] if a < len(self.lists) else []
            for i, xv in enumerate(lists_a):
                xnd = node[xv]
                for j, yv in enumerate(lists_b):
                    for lam, comm, fn in self.zips:
                        if comm and (a > b or (a == b and j < i)):
                            continue
                        tick()
                        out = tuple(map(fn, xv, yv))
                        if None in out or out in node:
                            continue
                        add(k, out, ("ZipWith", lam, xnd, node[yv]), True)
        self.reuse(k)
        self.level = k

    def reuse(self, k: int) -> None:
        """Two-argument ops whose arguments are a value of level ``k - 1`` and one of its own
        subprograms: the pair needs no new statements beyond that value's, so the result is a
        program of ``k`` statements (the tree count would say more)."""
        add, tick, vals_of = self._add, self._tick, self.vals_of
        prev = [(v, True) for v in (self.lists[k - 1] if k - 1 < len(self.lists) else [])]
        prev += [(v, False) for v in (self.ints[k - 1] if k - 1 < len(self.ints) else [])]
        for bv, b_is_list in prev:
            bnd = self.node[bv]
            seen = set()
            stack = list(bnd[2:])
            while stack:
                sub = stack.pop()
                if sub[0] == "in" or id(sub) in seen:
                    continue
                seen.add(id(sub))
                stack.extend(sub[2:])
                av = vals_of[id(sub)]
                a_is_list = type(av[0]) is tuple
                if a_is_list and b_is_list:
                    for lam, comm, fn in self.zips:
                        for xv, yv, xn, yn in ((av, bv, sub, bnd), (bv, av, bnd, sub))[:1 if comm else 2]:
                            tick()
                            out = tuple(map(fn, xv, yv))
                            if None not in out and out not in self.node:
                                add(k, out, ("ZipWith", lam, xn, yn), True)
                elif a_is_list != b_is_list:
                    iv, lv, inn, lnn = (bv, av, bnd, sub) if a_is_list else (av, bv, sub, bnd)
                    for op, rtype, fn in self.int_list:
                        tick()
                        out = tuple(map(fn, iv, lv))
                        if None not in out and out not in self.node:
                            add(k, out, (op, None, inn, lnn), rtype == "List")

    def zip_last(self) -> None:
        """ZipWith as the last statement, with one argument any known list value."""
        if not self.target_is_list:
            return
        t = self.target
        for lam, inv in self.zip_inverses:
            for level in self.lists:
                for xv in level:
                    self._tick()
                    if any(len(x) != len(ty) for x, ty in zip(xv, t)):
                        continue
                    ys = []
                    for x, ty in zip(xv, t):
                        y = tuple(inv(a, b) for a, b in zip(ty, x))
                        if None in y or (y and (min(y) < MIN_INT or max(y) > MAX_INT)):
                            break
                        ys.append(y)
                    else:
                        yv = tuple(ys)
                        if yv in self.node:
                            self._found(("ZipWith", lam, self.node[xv], self.node[yv]))

    def identity(self) -> Node | None:
        """A program for a target that is one of the inputs (a program needs a statement):
        one op that leaves it unchanged, or Reverse twice."""
        name = next(n for n, v in self.inputs.items() if v == self.target)
        arg = ("in", name)
        if self.target_is_list:
            for op, lam, _rtype, fn in self.list_unary:
                if tuple(map(fn, self.target)) == self.target:
                    return (op, lam, arg)
            reverse = [k for k in self.list_unary if k[0] == "Reverse"]
            return ("Reverse", None, ("Reverse", None, arg)) if reverse else None
        for lname, lv in self.inputs.items():
            if type(lv[0]) is tuple:
                for op, lam, _rtype, fn in self.list_unary:
                    if tuple(map(fn, lv)) == self.target:
                        return (op, lam, ("in", lname))
        return None

    def run(self) -> tuple[str, Node | None, str | None]:
        try:
            self.invert_target()
            if self.target in self.inputs.values():
                node = self.identity()
                return ("solved", node, None) if node else ("exhausted", None, None)
            for name, vals in self.inputs.items():
                self._add(0, vals, ("in", name), is_list=type(vals[0]) is tuple)
            last_nonempty = 0
            while self.level < self.max_level:
                if self.level > 2 * last_nonempty:
                    return "exhausted", None, None  # no op can reach a bigger tree
                before = len(self.node)
                self.level_up()
                if len(self.node) > before:
                    last_nonempty = self.level
                self.zip_last()
            return "exhausted", None, None
        except _Found as f:
            return "solved", f.node, None
        except BudgetExceeded:
            return "timeout", None, self.clock.exceeded() or "time"
        finally:
            self.clock.candidates += self._ticks
            self._ticks = 0


def statement_count(node: Node) -> int:
    """How many statements a search tree becomes (one per distinct subtree that is not an input)."""
    seen: set = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n[0] == "in" or n in seen:
            continue
        seen.add(n)
        stack.extend(n[2:])
    return len(seen)


def to_program(node: Node, inputs: dict[str, str]) -> Any:
    """Statements computing a search tree, one per distinct subtree, in dependency order."""
    names: dict[Node, str] = {}
    types: dict[str, str] = dict(inputs)
    statements: list[Statement] = []
    used = set(inputs)
    counter = [len(inputs)]

    def fresh() -> str:
        while f"x{counter[0]}" in used:
            counter[0] += 1
        name = f"x{counter[0]}"
        used.add(name)
        return name

    def visit(n: Node) -> str:
        if n[0] == "in":
            return n[1]
        if n in names:
            return names[n]
        op, lam, *kids = n
        args = [visit(k) for k in kids]
        name = fresh()
        parts: list[Any] = []
        if lam is not None:
            parts.append(Const(LAMBDA_BY_TEXT[lam], LAMBDA_BY_TEXT[lam].kind))
        parts += [Ref(a, types[a]) for a in args]
        rtype = "Int" if op in ("Head", "Last", "Minimum", "Maximum", "Sum", "Count", "Access") else "List"
        types[name] = rtype
        statements.append(Statement(op, tuple(parts), name, rtype))
        names[n] = name
        return name

    visit(node)
    return program_node([Var(n, t) for n, t in inputs.items()], statements)


def solve_deepcoder(task: Task, domain: Domain, budget: Budget, **options: Any) -> SearchOutcome:
    """The ``deepcoder-bottom-up`` strategy."""
    domain.check_task(task)
    clock = Clock(budget)
    names = task.input_names
    inputs = {n: tuple(_freeze(e.inputs[n]) for e in task.examples) for n in names}
    target = tuple(_freeze(e.output) for e in task.examples)
    in_types = {n: domain.type_of(task.examples[0].inputs[n]) for n in names}
    ops = None if task.ops is None else frozenset(op.name for op in domain.resolve_ops(task.ops))
    search = ValueSearch(inputs, target, clock,
                         max_level=min(budget.max_size or 10, MAX_VARIABLES - len(names)), ops=ops)
    status, node, stopped = search.run()
    program = None
    if node is not None:
        program = to_program(node, in_types)
    return SearchOutcome(status=status, node=program, candidates=clock.candidates,
                         values=len(search.node), max_size_explored=search.level,
                         seconds=clock.elapsed(), stopped_by=stopped,
                         extra={"level": search.level})


def _freeze(v):
    return tuple(v) if isinstance(v, list) else v
