"""Running a SyGuS transition system concretely: evaluating the Inv track's terms on values
(``eval_term``), and finding successors and initial states without Z3 where ``pre``/``trans`` are
made of definitions ``v! = e`` (the Lustre files): ``sygus_stepper`` and
``sygus_initial_sampler``, each state they give checked against the formula. The transition
system (``synth.verify.transition``) tries these before asking Z3.
"""
from __future__ import annotations

from typing import Any, Mapping

#: initial values are drawn from [-R, R] when a variable is free
SAMPLE_RANGE = 16


def eval_term(t, env: Mapping):
    """Evaluate a SyGuS term (``synth.io.sygus_terms``) of the Inv track on concrete values."""
    from synth.io.sygus_terms import App, Sym

    if isinstance(t, bool) or isinstance(t, int):
        return t
    if isinstance(t, Sym):
        return env[t.name]
    if not isinstance(t, App):
        raise TypeError(f"cannot evaluate {t!r}")
    op = t.op
    if op == "and":
        return all(eval_term(a, env) for a in t.args)
    if op == "or":
        return any(eval_term(a, env) for a in t.args)
    if op == "ite":
        return eval_term(t.args[1] if eval_term(t.args[0], env) else t.args[2], env)
    a = [eval_term(x, env) for x in t.args]
    if op == "not":
        return not a[0]
    if op == "=>":
        r = a[-1]
        for x in reversed(a[:-1]):
            r = (not x) or r
        return r
    if op == "=":
        return all(x == y for x, y in zip(a, a[1:]))
    if op == "distinct":
        return len(set(a)) == len(a)
    if op == "+":
        return sum(a)
    if op == "-":
        return -a[0] if len(a) == 1 else a[0] - sum(a[1:])
    if op == "*":
        r = 1
        for x in a:
            r *= x
        return r
    if op in ("div", "mod"):
        if a[1] == 0:
            raise ArithmeticError("division by zero")
        q = a[0] // abs(a[1]) * (1 if a[1] > 0 else -1)  # SMT-LIB: remainder never negative
        return q if op == "div" else a[0] - a[1] * q
    if op == "abs":
        return abs(a[0])
    cmp = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
           ">=": lambda x, y: x >= y}.get(op)
    if cmp is not None:
        return all(cmp(x, y) for x, y in zip(a, a[1:]))
    raise TypeError(f"cannot evaluate op {op}")


def _smt_mod(a, b, div=False):
    if b == 0:
        raise ArithmeticError("division by zero")
    q = a // abs(b) * (1 if b > 0 else -1)  # SMT-LIB: the remainder is never negative
    return q if div else a - b * q


def _chain(cmp):
    return lambda xs: all(cmp(x, y) for x, y in zip(xs, xs[1:]))


def _implies(xs):
    r = xs[-1]
    for x in reversed(xs[:-1]):
        r = (not x) or r
    return r


def _product(xs):
    r = 1
    for x in xs:
        r *= x
    return r


#: the Inv track's ops on evaluated arguments (as ``eval_term``)
_EVAL_OPS = {
    "not": lambda xs: not xs[0],
    "=>": _implies,
    "=": _chain(lambda x, y: x == y),
    "distinct": lambda xs: len(set(xs)) == len(xs),
    "+": sum,
    "-": lambda xs: -xs[0] if len(xs) == 1 else xs[0] - sum(xs[1:]),
    "*": _product,
    "div": lambda xs: _smt_mod(xs[0], xs[1], True),
    "mod": lambda xs: _smt_mod(xs[0], xs[1]),
    "abs": lambda xs: abs(xs[0]),
    "<": _chain(lambda x, y: x < y),
    "<=": _chain(lambda x, y: x <= y),
    ">": _chain(lambda x, y: x > y),
    ">=": _chain(lambda x, y: x >= y),
    "xor": lambda xs: sum(bool(x) for x in xs) % 2 == 1,
}


def _eval_shared(t, env: Mapping, memo: dict):
    """``eval_term`` with a memo over shared subterms (the reader's terms are DAGs: an
    expanded ``let`` is one object used many times)."""
    from synth.io.sygus_terms import App, Sym

    if isinstance(t, Sym):
        return env[t.name]
    if not isinstance(t, App):
        return t
    key = id(t)
    if key in memo:
        return memo[key]
    op = t.op
    if op == "and":
        out = all(_eval_shared(a, env, memo) for a in t.args)
    elif op == "or":
        out = any(_eval_shared(a, env, memo) for a in t.args)
    elif op == "ite":
        branch = t.args[1] if _eval_shared(t.args[0], env, memo) else t.args[2]
        out = _eval_shared(branch, env, memo)
    else:
        f = _EVAL_OPS.get(op)
        if f is None:
            raise TypeError(f"cannot evaluate op {op}")
        out = f([_eval_shared(a, env, memo) for a in t.args])
    memo[key] = out
    return out


def _concrete_solver(term, unknown_sort: Mapping[str, str], near: Mapping[str, str]):
    """``attempt(known, rng)``: values for the ``unknown_sort`` symbols that make ``term`` true
    given the ``known`` ones, or None. Equations ``v = e`` give ``v`` once ``e``'s symbols have
    values, a disjunction takes a random branch, a symbol no equation defines (an input, a
    variable the term leaves free) gets a random value (an integer often near the known value of
    ``near[v]``), and the whole term is evaluated on the result: only a true model is returned."""
    from synth.io.sygus_terms import App, Sym, free_symbols

    fv_cache: dict[int, frozenset] = {}

    def fv(t) -> frozenset:
        k = id(t)
        r = fv_cache.get(k)
        if r is None:
            r = fv_cache[k] = frozenset(free_symbols(t) & unknown_sort.keys())
        return r

    made: dict[int, tuple] = {}

    def synthetic(t, make):
        """One equation object per literal (schedules are cached by the equations' ids)."""
        got = made.get(id(t))
        if got is None:
            got = made[id(t)] = (t, make())
        return got[1]

    def pick(t, rng, eqs: list, checks: list, depth=0) -> None:
        """Flatten ``t`` into equations and checks, taking a random branch of each ``or``."""
        if isinstance(t, App) and t.op == "and":
            for a in t.args:
                pick(a, rng, eqs, checks, depth)
        elif isinstance(t, App) and t.op == "or" and depth < 8 and any(fv(a) for a in t.args):
            pick(t.args[rng.randrange(len(t.args))], rng, eqs, checks, depth + 1)
        elif isinstance(t, App) and t.op == "=" and len(t.args) == 2:
            eqs.append(t)
        elif isinstance(t, Sym) and t.name in unknown_sort:
            eqs.append(synthetic(t, lambda: App("=", (t, True))))
        elif isinstance(t, App) and t.op == "not" and isinstance(t.args[0], Sym) and \
                t.args[0].name in unknown_sort:
            eqs.append(synthetic(t, lambda: App("=", (t.args[0], False))))
        else:
            checks.append(t)

    def random_value(sym: str, known: Mapping, rng) -> Any:
        if unknown_sort[sym] == "Bool":
            return rng.random() < getattr(rng, "bool_p", 0.5)
        base = near.get(sym)
        if base is not None and base in known and rng.random() < getattr(rng, "int_stay", 0.0):
            return known[base]  # an input that keeps its value (a parameter read every step)
        if base is not None and base in known and rng.random() < 0.5:
            return known[base] + rng.randint(-2, 2)
        if rng.random() < 0.9:
            return rng.randint(-SAMPLE_RANGE, SAMPLE_RANGE)
        return rng.randint(-1000, 1000)

    schedules: dict[tuple, list] = {}

    def schedule(eqs: list) -> list:
        """The order in which the equations give values: ``(symbol, term)`` (its value) or
        ``(symbol, None)`` (a random value), for one choice of ``or`` branches."""
        key = tuple(id(e) for e in eqs)
        out = schedules.get(key)
        if out is not None:
            return out
        out = []
        done: set = set()
        pending = list(eqs)
        while pending:
            progress = False
            rest = []
            for e in pending:
                a, b = e.args
                for lhs, rhs in ((a, b), (b, a)):
                    if isinstance(lhs, Sym) and lhs.name in unknown_sort and lhs.name not in done \
                            and fv(rhs) <= done:
                        out.append((lhs.name, rhs))
                        done.add(lhs.name)
                        progress = True
                        break
                else:
                    rest.append(e)
            pending = rest
            if pending and not progress:
                # a symbol no pending equation can define yet: a free one first
                definable = {x.name for e in pending for x in e.args if isinstance(x, Sym)}
                free = sorted({x for e in pending for x in fv(e)} - done)
                if not free:
                    break  # equations over known values: checked at the end
                sym = ([x for x in free if x not in definable] or free)[0]
                out.append((sym, None))
                done.add(sym)
        out += [(sym, None) for sym in unknown_sort if sym not in done]
        schedules[key] = out
        return out

    def attempt(known: Mapping, rng) -> dict | None:
        env = dict(known)
        memo: dict = {}  # values only ever get added to env: a subterm's value stays valid
        eqs: list = []
        checks: list = []
        pick(term, rng, eqs, checks)
        for sym, rhs in schedule(eqs):
            env[sym] = random_value(sym, known, rng) if rhs is None else _eval_shared(rhs, env, memo)
        if not bool(_eval_shared(term, env, memo)):
            return None
        return env

    return attempt


def sygus_stepper(problem, sorts: Mapping[str, str]):
    """A concrete ``step(state, rng)`` for a SyGuS ``trans`` (``_concrete_solver`` over the primed
    variables and the inputs): every state it gives is a true successor. A step that changes
    nothing is returned only when no other one is found; None when none is."""
    names = problem.state_names
    primed = {problem.primed(n): n for n in names}
    unknown_sort = {p: sorts[n] for p, n in primed.items()}
    unknown_sort.update({n: s for n, s in problem.inputs})
    if any(s not in ("Int", "Bool") for s in unknown_sort.values()):
        return None
    attempt = _concrete_solver(problem.trans, unknown_sort, primed)

    def step(state: dict, rng) -> dict | None:
        stutter = None
        for _ in range(8):
            try:
                env = attempt(state, rng)
            except (ArithmeticError, KeyError, TypeError, RecursionError):
                return None
            if env is not None:
                nxt = {n: env[problem.primed(n)] for n in names}
                if any(nxt[n] != state[n] for n in names):
                    return nxt
                stutter = nxt
        return stutter

    return step


def sygus_initial_sampler(problem, sorts: Mapping[str, str]):
    """``sample(rng, tries)``: initial states of a SyGuS system found concretely
    (``_concrete_solver`` on ``pre``), each one a true model of ``pre``."""
    names = problem.state_names
    unknown_sort = {n: sorts[n] for n in names}
    unknown_sort.update({n: s for n, s in problem.inputs})
    if any(s not in ("Int", "Bool") for s in unknown_sort.values()):
        return None
    attempt = _concrete_solver(problem.pre, unknown_sort, {})

    def sample(rng, tries: int) -> list[dict]:
        out = []
        for _ in range(tries):
            try:
                env = attempt({}, rng)
            except (ArithmeticError, KeyError, TypeError, RecursionError):
                return out
            if env is not None:
                out.append({n: env[n] for n in names})
        return out

    return sample


__all__ = ["SAMPLE_RANGE", "eval_term", "sygus_stepper", "sygus_initial_sampler"]
