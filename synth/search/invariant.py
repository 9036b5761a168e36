"""ICE learning of loop invariants: candidate atoms, clause spaces, and a Houdini learner.

The learner keeps ICE data — positive states (reachable: sampled runs, failed initiation checks),
implication pairs (s, s') from failed consecution checks, and negative states from failed safety
checks — and proposes the strongest conjunction of candidate clauses consistent with it. A
candidate clause is a disjunction of one to three literals over linear atoms built from the
program's variables and constants (bounds, octagon relations ``u ± v ⋈ k``, equalities of the
data's affine hull, and of the hull of the states where one boolean variable has one value, for
clauses ``¬b ∨ Σ c·x == k``: counters that sum to a total while a history flag holds; the
program's own comparisons), and single-literal residues ``e % m == r``
of a variable or of the sum or difference of two where every sampled state agrees (a loop
``x = x + 2`` from 0: ``x % 2 == 0``). When a negative state satisfies the strongest
consistent conjunction, no conjunction of the current clauses can work, and the next, larger
clause space is tried with the same data.

The strongest conjunction is what Houdini (Flanagan & Leino) computes; the data-driven filtering
and the escalation over clause spaces follow the ICE framework (Garg et al., CAV 2014).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from synth.dsl.base import Apply, Const, Node, Var
from synth.dsl.lia.syntax import mk_and, mk_not, mk_or

_OPS = ("<=", ">=", "==")


@dataclass(frozen=True)
class Atom:
    """``Σ coef·var + k ⋈ 0`` (``op`` in <=, >=, ==) as a coefficient vector over the system's
    variables, or ``(Σ coef·var + k) mod m == 0`` (``op == "mod"``, modulus ``m`` ≥ 2), or a
    boolean variable (``op == "bool"``), or any other lia comparison (``op == "node"``:
    evaluated one state at a time)."""

    node: Node
    op: str
    coefs: tuple = ()
    k: int = 0
    #: the variable names the coefficients refer to
    names: tuple = field(default=(), compare=False)
    #: the modulus of a ``mod`` atom
    m: int = 0


def linear(node: Node) -> tuple[dict, Fraction] | None:
    """``node`` as ``(coefficients, constant)`` when it is linear in integer variables."""
    if isinstance(node, Var):
        return ({node.name: Fraction(1)}, Fraction(0)) if node.type == "Int" else None
    if isinstance(node, Const):
        return ({}, Fraction(node.value)) if node.type == "Int" else None
    if not isinstance(node, Apply):
        return None
    if node.op in ("+", "-"):
        a, b = linear(node.args[0]), linear(node.args[1])
        if a is None or b is None:
            return None
        sign = 1 if node.op == "+" else -1
        co = dict(a[0])
        for v, c in b[0].items():
            co[v] = co.get(v, 0) + sign * c
        return co, a[1] + sign * b[1]
    if node.op == "neg":
        a = linear(node.args[0])
        return None if a is None else ({v: -c for v, c in a[0].items()}, -a[1])
    if node.op == "*":
        a, b = linear(node.args[0]), linear(node.args[1])
        if a is None or b is None:
            return None
        if not a[0]:
            a, b = b, a
        if b[0]:
            return None  # nonlinear
        return {v: c * b[1] for v, c in a[0].items()}, a[1] * b[1]
    return None


def atom_from_node(node: Node, names: Sequence[str]) -> Atom | None:
    """An ``Atom`` for a comparison or boolean variable over ``names``."""
    if isinstance(node, Var):
        return Atom(node, "bool") if node.type == "Bool" and node.name in names else None
    if not isinstance(node, Apply) or node.op not in ("<=", "<", ">=", ">", "==", "!="):
        return None
    a, b = linear(node.args[0]), linear(node.args[1])
    if a is None or b is None:
        return Atom(node, "node")
    co = dict(a[0])
    for v, c in b[0].items():
        co[v] = co.get(v, 0) - c
    k = a[1] - b[1]
    if any(v not in names for v in co):
        return None
    # clear denominators
    den = 1
    for c in list(co.values()) + [k]:
        den = den * c.denominator // math.gcd(den, c.denominator)
    co = {v: int(c * den) for v, c in co.items() if c != 0}
    k = int(k * den)
    op = node.op
    if op == "<":  # e < 0  <=>  e + 1 <= 0
        op, k = "<=", k + 1
    elif op == ">":
        op, k = ">=", k - 1
    elif op == "!=":
        return None  # its negation (==) is an atom
    if not co:
        return None  # a constant comparison
    return Atom(node, op, tuple(co.get(v, 0) for v in names), k, tuple(names))


def _render(coefs: Sequence[int], names: Sequence[str], k: int, op: str) -> Node:
    """A readable node for ``Σ coefs·names + k op 0``: positive terms left, the rest right."""
    left: Node | None = None
    right: Node | None = None

    def add(side, term):
        return term if side is None else Apply("+", (side, term))

    def term(c, v):
        var = Var(v, "Int")
        return var if abs(c) == 1 else Apply("*", (Const(abs(c), "Int"), var))

    for c, v in zip(coefs, names):
        if c > 0:
            left = add(left, term(c, v))
        elif c < 0:
            right = add(right, term(c, v))
    const = -k
    if left is None:  # only negative terms: flip sides
        left, right, const = right, None, k
        op = {"<=": ">=", ">=": "<=", "==": "=="}[op]
    rhs: Node
    if right is None:
        rhs = Const(const, "Int")
    elif const > 0:
        rhs = Apply("+", (right, Const(const, "Int")))
    elif const < 0:
        rhs = Apply("-", (right, Const(-const, "Int")))
    else:
        rhs = right
    return Apply(op, (left, rhs))


def make_atom(coefs: Sequence[int], names: Sequence[str], k: int, op: str) -> Atom:
    # normalize: divide by the gcd of coefficients (tightening k for inequalities)
    cg = 0
    for c in coefs:
        if c:
            cg = math.gcd(cg, int(c))
    if cg > 1:
        if op == "==":
            if k % cg:
                return Atom(Const(False, "Bool"), "false")
            coefs, k = [c // cg for c in coefs], k // cg
        elif op == "<=":  # Σ + k <= 0  ->  Σ/cg <= -k/cg  -> floor
            coefs, k = [c // cg for c in coefs], -((-k) // cg)
        else:  # Σ + k >= 0 -> Σ/cg >= -k/cg -> ceil
            coefs, k = [c // cg for c in coefs], (k // cg)
    node = _render(coefs, names, k, op)
    return Atom(node, op, tuple(int(c) for c in coefs), int(k), tuple(names))


def make_mod_atom(coefs: Sequence[int], names: Sequence[str], residue: int, m: int) -> Atom:
    """``(Σ coefs·names) mod m == residue`` (``m`` ≥ 2, ``0 <= residue < m``), rendered as
    ``e % m == residue`` with ``e`` the readable sum (positive terms first)."""
    residue %= m
    pos = [(c, v) for c, v in zip(coefs, names) if c > 0]
    neg = [(-c, v) for c, v in zip(coefs, names) if c < 0]
    if not pos:  # -e mod m == r  <=>  e mod m == -r mod m
        pos, neg, residue = neg, [], (-residue) % m
        coefs = [-c for c in coefs]

    def term(c, v):
        var = Var(v, "Int")
        return var if c == 1 else Apply("*", (Const(c, "Int"), var))

    e: Node | None = None
    for c, v in pos:
        e = term(c, v) if e is None else Apply("+", (e, term(c, v)))
    for c, v in neg:
        e = Apply("-", (e, term(c, v)))
    node = Apply("==", (Apply("%", (e, Const(m, "Int"))), Const(residue, "Int")))
    return Atom(node, "mod", tuple(int(c) for c in coefs), -int(residue), tuple(names), int(m))


# ---------------------------------------------------------------------------------- states
class StateTable:
    """States as rows of an integer matrix (booleans as 0/1) over the system's variables."""

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.rows: list[tuple] = []
        self.index: dict[tuple, int] = {}

    def key(self, state: dict) -> tuple:
        return tuple(int(state[v]) for v in self.names)

    def add(self, state: dict) -> int:
        k = self.key(state)
        i = self.index.get(k)
        if i is None:
            i = len(self.rows)
            self.index[k] = i
            self.rows.append(k)
        return i

    def matrix(self, rows: Sequence[int] | None = None) -> np.ndarray:
        data = self.rows if rows is None else [self.rows[i] for i in rows]
        if not data:
            return np.zeros((0, len(self.names)), dtype=np.int64)
        big = max(abs(x) for r in data for x in r) if data and self.names else 0
        return np.asarray(data, dtype=np.int64 if big < 2**40 else object).reshape(len(data), len(self.names))


class AtomArrays:
    """The coefficient matrices of a list of atoms, built once (``atom_values`` on many small
    batches of states would otherwise rebuild them every time)."""

    def __init__(self, atoms: Sequence[Atom]):
        self.n = len(atoms)
        self.groups = []  # (kind, atom indices, C, K, ops-or-moduli, big)
        for kind in ("lin", "mod"):
            idx = [j for j, a in enumerate(atoms)
                   if (a.op in _OPS if kind == "lin" else a.op == "mod")]
            if not idx:
                continue
            big = any(abs(x) >= 2**40 for j in idx for x in (atoms[j].k, *atoms[j].coefs))
            dt = object if big else np.int64
            C = np.asarray([atoms[j].coefs for j in idx], dtype=dt).T
            K = np.asarray([atoms[j].k for j in idx], dtype=dt)
            extra = (np.asarray([_OPS.index(atoms[j].op) for j in idx]) if kind == "lin"
                     else np.asarray([atoms[j].m for j in idx], dtype=dt))
            self.groups.append((kind, np.asarray(idx, dtype=np.int64), C, K, extra, big))
        self.others = [(j, a) for j, a in enumerate(atoms) if a.op not in _OPS and a.op != "mod"]


def atom_values(atoms: Sequence[Atom], names: Sequence[str], M: np.ndarray,
                arrays: AtomArrays | None = None) -> np.ndarray:
    """Truth of each atom (columns) on each state (rows of ``M``)."""
    from synth.dsl.lia.statements import eval_expr

    out = np.zeros((M.shape[0], len(atoms)), dtype=bool)
    if M.shape[0] == 0 or not atoms:
        return out
    if arrays is None:
        arrays = AtomArrays(atoms)
    for kind, idx, C, K, extra, big in arrays.groups:
        if big or M.dtype == object:  # a constant beyond int64's comfortable range: exact integers
            Mx, C, K, extra = M.astype(object), C.astype(object), K.astype(object), extra
            if kind == "mod":
                extra = extra.astype(object)
        else:
            Mx = M
        V = Mx @ C + K
        if kind == "lin":
            res = np.where(extra == 0, V <= 0, np.where(extra == 1, V >= 0, V == 0))
        else:
            res = V % extra == 0  # Python/numpy %: never negative for a positive modulus
        out[:, idx] = np.asarray(res, dtype=bool)
    pos = {v: i for i, v in enumerate(names)}
    for j, a in arrays.others:
        if a.op == "bool":
            out[:, j] = M[:, pos[a.node.name]] != 0
        elif a.op == "node":
            for r in range(M.shape[0]):
                env = {v: int(M[r, i]) for i, v in enumerate(names)}
                try:
                    out[r, j] = bool(eval_expr(a.node, env))
                except (ArithmeticError, KeyError):
                    out[r, j] = False
        elif a.op == "false":
            out[:, j] = False
    return out


# ----------------------------------------------------------------------------- candidates
def affine_equalities(M: np.ndarray, cols: Sequence[int]) -> list[tuple[list[int], int]]:
    """Integer equalities ``Σ c·x + k == 0`` true on every row of ``M`` (over ``cols``): a basis
    of the null space of ``[M | 1]``, by exact elimination over the rationals."""
    if M.shape[0] == 0 or not cols:
        return []
    full = M
    if M.shape[0] > 4 * (len(cols) + 1):  # a few rows span the data; check the rest after
        pick = np.random.default_rng(0).choice(M.shape[0], 4 * (len(cols) + 1), replace=False)
        M = M[np.sort(pick)]
    rows = [[Fraction(int(M[r, c])) for c in cols] + [Fraction(1)] for r in range(M.shape[0])]
    n = len(cols) + 1
    # reduced row echelon form
    pivots: list[int] = []
    r = 0
    for c in range(n):
        p = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        piv = rows[r][c]
        rows[r] = [x / piv for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    free = [c for c in range(n) if c not in pivots]
    out = []
    for fcol in free:
        vec = [Fraction(0)] * n
        vec[fcol] = Fraction(1)
        for i, pc in enumerate(pivots):
            vec[pc] = -rows[i][fcol]
        den = 1
        for x in vec:
            den = den * x.denominator // math.gcd(den, x.denominator)
        ints = [int(x * den) for x in vec]
        if any(ints[:-1]):
            out.append((ints[:-1], ints[-1]))
    if full is not M:
        sub = full[:, list(cols)]
        if sub.dtype != object and any(abs(x) >= 2**40 for co, k in out for x in (k, *co)):
            sub = sub.astype(object)
        out = [(co, k) for co, k in out
               if (sub @ np.asarray(co, dtype=sub.dtype) + k == 0).all()]
    return out


#: largest modulus of a ``mod`` atom found in the data (beyond it, or beyond the program's
#: constants, a common residue is more likely an artefact of few samples)
MAX_MODULUS = 16


def _divisors(g: int) -> list[int]:
    return [d for d in range(2, g + 1) if g % d == 0]


def modular_facts(forms: Sequence[Sequence[int]], positives: np.ndarray,
                  constants: Sequence[int]) -> list[tuple[Sequence[int], int, int]]:
    """``(coefs, residue, m)`` with ``Σ coefs·x ≡ residue (mod m)`` on every positive state, for
    each linear form: ``m`` runs over the divisors ≥ 2 of the gcd of the form's differences on
    the data, up to ``MAX_MODULUS`` or a program constant. A form with fewer than three distinct
    values on the data is left out (its bounds or equality say more)."""
    if positives.shape[0] < 3 or positives.dtype == object:
        return []
    allowed = {abs(int(c)) for c in constants if 2 <= abs(int(c)) <= 1000}
    out = []
    for c in forms:
        vals = positives @ np.asarray(c, dtype=positives.dtype)
        if np.unique(vals).size < 3:
            continue
        g = int(np.gcd.reduce(np.abs(vals - vals[0])))
        if g < 2:
            continue
        for m in _divisors(g):
            if m <= MAX_MODULUS or m in allowed:
                out.append((c, int(vals[0]) % m, m))
    return out


def constant_pool(program_constants: Sequence[int], limit: int = 14) -> list[int]:
    pool = {0, 1, -1}
    for c in program_constants:
        for d in (c, c - 1, c + 1, -c):
            pool.add(int(d))
    return sorted(pool, key=lambda x: (abs(x), x))[:max(limit, 3 + 3 * len(program_constants))]


@dataclass
class CandidateAtoms:
    atoms: list[Atom]
    #: indices of atoms that come from the program text (conditions worth splitting cases on)
    conditions: list[int]
    #: indices of "simple" atoms (bounds, program atoms) used in wider disjunctions
    simple: list[int]


def candidate_atoms(names: Sequence[str], sorts: dict, relevant: Sequence[str], hints: Sequence[Node],
                    constants: Sequence[int], positives: np.ndarray) -> CandidateAtoms:
    """The atoms candidate invariants are built from (see the module docstring)."""
    ints = [v for v in relevant if sorts.get(v) != "Bool"]
    bools = [v for v in relevant if sorts.get(v) == "Bool"]
    col = {v: i for i, v in enumerate(names)}
    n = len(names)
    seen: dict[tuple, int] = {}
    atoms: list[Atom] = []
    conditions: list[int] = []
    simple: list[int] = []

    def add(atom: Atom | None, *, cond=False, simp=False) -> None:
        if atom is None or atom.op == "false":
            return
        key = ((atom.op, atom.coefs, atom.k) if atom.op in _OPS else
               (atom.op, atom.coefs, atom.k, atom.m) if atom.op == "mod" else (atom.op, atom.node))
        i = seen.get(key)
        if i is None:
            i = len(atoms)
            seen[key] = i
            atoms.append(atom)
        if cond and i not in conditions:
            conditions.append(i)
        if simp and i not in simple:
            simple.append(i)

    def vec(**c):
        v = [0] * n
        for name, x in c.items():
            v[col[name]] = x
        return v

    for b in bools:
        add(Atom(Var(b, "Bool"), "bool"), cond=True, simp=True)
    for h in hints:
        add(atom_from_node(h, names), cond=True, simp=True)
    pool = constant_pool(constants)
    for v in ints:
        for k in pool:
            for op in _OPS:
                add(make_atom(_one(n, col[v], 1), names, -k, op), simp=True)
    pairs = list(itertools.combinations(ints, 2))
    small = [k for k in pool if abs(k) <= 2] or [0]
    for u, w in pairs:
        for sign in (-1, 1):
            c = [0] * n
            c[col[u]], c[col[w]] = 1, sign
            for k in pool if sign == -1 else small:
                for op in _OPS:
                    add(make_atom(c, names, -k, op), simp=(k == 0 and sign == -1))
    # bounds of the data: tightest octagon facts on the positive states
    if positives.shape[0]:
        forms = [_one(n, col[v], 1) for v in ints]
        for u, w in pairs:
            for sign in (-1, 1):
                c = [0] * n
                c[col[u]], c[col[w]] = 1, sign
                forms.append(c)
        reach = max(abs(k) for k in pool) + 1  # data bounds beyond the program's constants are
        for c in forms:                           # artefacts of how long the sampled runs were
            vals = positives @ np.asarray(c, dtype=positives.dtype)
            lo, hi = int(vals.min()), int(vals.max())
            if abs(lo) <= reach:
                add(make_atom(c, names, -lo, ">="))
            if abs(hi) <= reach:
                add(make_atom(c, names, -hi, "<="))
        for co, k in affine_equalities(positives, [col[v] for v in ints]):
            full = [0] * n
            for v, x in zip(ints, co):
                full[col[v]] = x
            add(make_atom(full, names, k, "=="), simp=True)
        # equalities that hold where a boolean variable has one value (``b ∨ Σ c·x + k == 0``
        # in the case-split space): counters that sum to a total while a history flag holds
        for b in bools:
            for val in (1, 0):
                rows = positives[positives[:, col[b]] == val]
                if rows.shape[0] < 3 or rows.shape[0] == positives.shape[0]:
                    continue
                for co, k in affine_equalities(rows, [col[v] for v in ints]):
                    full = [0] * n
                    for v, x in zip(ints, co):
                        full[col[v]] = x
                    add(make_atom(full, names, k, "=="))
        # parity and divisibility: a variable, or a difference or sum of two, with one residue
        # on every positive state (a loop ``x = x + 2`` from 0: ``x % 2 == 0``)
        # (single literals only: inside disjunctions they would mostly add coincidences)
        single = {}
        for c, r, m in modular_facts([_one(n, col[v], 1) for v in ints], positives, constants):
            single.setdefault(c.index(1), set()).add(m)
            add(make_mod_atom(c, names, r, m))
        tied = set()  # pairs of variables in a two-variable equality of the data (u == w + k)
        for a in atoms:
            if a.op == "==" and a.names and sum(1 for x in a.coefs if x) == 2:
                tied.add(tuple(x for x, y in enumerate(a.coefs) if y))
        pair_forms = [f for f in forms[len(ints):]]
        for c, r, m in modular_facts(pair_forms, positives, constants):
            i, j = [x for x, y in enumerate(c) if y]
            if (m in single.get(i, ()) and m in single.get(j, ())) or (i, j) in tied:
                continue  # implied by the variables' own residues, or by their equality
            add(make_mod_atom(c, names, r, m))
    return CandidateAtoms(atoms, conditions, simple)


def _one(n, i, x):
    v = [0] * n
    v[i] = x
    return v


# ------------------------------------------------------------------------------ clauses
Literal = tuple[int, bool]  # (atom index, polarity)
Clause = tuple[Literal, ...]


def literal_node(atoms: Sequence[Atom], lit: Literal) -> Node:
    atom = atoms[lit[0]]
    if lit[1]:
        return atom.node
    if atom.op == "<=" and atom.names:  # not (e <= 0)  <=>  e - 1 >= 0
        return make_atom(atom.coefs, atom.names, atom.k - 1, ">=").node
    if atom.op == ">=" and atom.names:  # not (e >= 0)  <=>  e + 1 <= 0
        return make_atom(atom.coefs, atom.names, atom.k + 1, "<=").node
    return mk_not(atom.node)


def clause_node(atoms: Sequence[Atom], clause: Clause) -> Node:
    return mk_or(*(literal_node(atoms, l) for l in clause))


def conjunction_node(atoms: Sequence[Atom], clauses: Sequence[Clause]) -> Node:
    return mk_and(*(clause_node(atoms, c) for c in clauses))


def _clause_columns(clauses: Sequence[Clause]) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each literal position, the atom index and polarity of every clause's literal there
    (a shorter clause repeats its first literal)."""
    if not clauses:
        return []
    width = max(len(c) for c in clauses)
    out = []
    for pos in range(width):
        idx = np.asarray([c[pos][0] if pos < len(c) else c[0][0] for c in clauses], dtype=np.int64)
        pol = np.asarray([c[pos][1] if pos < len(c) else c[0][1] for c in clauses], dtype=bool)
        out.append((idx, pol))
    return out


def clause_values(clauses: Sequence[Clause], A: np.ndarray, columns=None) -> np.ndarray:
    """Truth of each clause (columns) on states whose atom values are the rows of ``A``."""
    out = np.zeros((A.shape[0], len(clauses)), dtype=bool)
    if not clauses or A.shape[0] == 0:
        return out
    for idx, pol in (columns if columns is not None else _clause_columns(clauses)):
        vals = A[:, idx]
        out |= vals == pol
    return out


@dataclass
class IceData:
    """Positive states, negative states and implication pairs, as row indices of one table."""

    table: StateTable
    positives: list[int] = field(default_factory=list)
    negatives: list[int] = field(default_factory=list)
    implications: list[tuple[int, int]] = field(default_factory=list)

    def add_positive(self, s: dict) -> int:
        i = self.table.add(s)
        if i not in self.positives:
            self.positives.append(i)
        return i

    def add_negative(self, s: dict) -> int:
        i = self.table.add(s)
        if i not in self.negatives:
            self.negatives.append(i)
        return i

    def add_implication(self, s: dict, t: dict) -> None:
        pair = (self.table.add(s), self.table.add(t))
        if pair not in self.implications:
            self.implications.append(pair)


class AtomTable:
    """Truth of a fixed list of atoms on the states of a table, computed once per state (states
    are only ever appended to the table); shared by the clause spaces of one search."""

    def __init__(self, atoms: Sequence[Atom], table: StateTable):
        self.atoms, self.table = atoms, table
        self.arrays = AtomArrays(atoms)
        self.A = np.zeros((0, len(atoms)), dtype=bool)

    def rows(self, idx: Sequence[int]) -> np.ndarray:
        n = len(self.table.rows)
        if self.A.shape[0] < n:
            new = list(range(self.A.shape[0], n))
            A = atom_values(self.atoms, self.table.names, self.table.matrix(new), self.arrays)
            self.A = np.concatenate([self.A, A])
        return self.A[np.asarray(idx, dtype=np.int64)]


class ClauseValues:
    """Truth of a fixed list of clauses on the states of a table, computed once per state
    (states are only ever appended to the table)."""

    def __init__(self, clauses: Sequence[Clause], atoms: Sequence[Atom], table: StateTable,
                 atom_table: AtomTable | None = None):
        self.clauses, self.atoms, self.table = list(clauses), atoms, table
        self.atom_table = atom_table if atom_table is not None else AtomTable(atoms, table)
        self.V = np.zeros((0, len(self.clauses)), dtype=bool)
        self._buf = self.V
        self.columns = _clause_columns(self.clauses)

    def rows(self, idx: Sequence[int]) -> np.ndarray:
        n = len(self.table.rows)
        have = self.V.shape[0]
        if have < n:
            A = self.atom_table.rows(range(have, n))
            if self._buf.shape[0] < n:  # room for twice as many states: no copy every round
                buf = np.zeros((2 * n, len(self.clauses)), dtype=bool)
                buf[:have] = self.V
                self._buf = buf
            self._buf[have:n] = clause_values(self.clauses, A, self.columns)
            self.V = self._buf[:n]
        return self.V[np.asarray(idx, dtype=np.int64)]


def strongest_consistent(values: ClauseValues, data: IceData,
                         alive: np.ndarray | None = None, positives_from: int = 0) -> np.ndarray:
    """The clauses of the strongest conjunction consistent with the positives and implications
    (a boolean mask): drop clauses false on a positive, then, while some implication pair has
    its source inside the conjunction, drop the clauses false on its target. With
    ``positives_from``, the first positives are known to be inside ``alive`` already."""
    keep = np.ones(len(values.clauses), dtype=bool) if alive is None else alive.copy()
    if len(data.positives) > positives_from:
        keep &= values.rows(data.positives[positives_from:]).all(axis=0)
    if data.implications:
        Vs = values.rows([s for s, _ in data.implications])
        Vt = values.rows([t for _, t in data.implications])
        while True:
            inside = (Vs | ~keep).all(axis=1)
            if not inside.any():
                break
            new = keep & Vt[inside].all(axis=0)
            if (new == keep).all():
                break
            keep = new
    return keep


def admits_negative(values: ClauseValues, data: IceData, keep: np.ndarray) -> int | None:
    """A negative state that satisfies every kept clause (then no subset of them can work)."""
    if not data.negatives:
        return None
    V = values.rows(data.negatives)
    inside = (V | ~keep).all(axis=1)
    hit = np.flatnonzero(inside)
    return None if not hit.size else data.negatives[int(hit[0])]


# ------------------------------------------------------------------------- clause spaces
def literal_key(atoms: Sequence[Atom], lit: Literal) -> tuple:
    """A key equal for literals that mean the same: ``not (e <= 0)`` is ``e - 1 >= 0``, and
    every inequality is keyed as ``Σ c·x + k >= 0``."""
    i, pol = lit
    a = atoms[i]
    if a.op == "<=":
        co, k = tuple(-c for c in a.coefs), -a.k  # Σ + k <= 0  <=>  -Σ - k >= 0
        if not pol:
            return ("ge", a.coefs, a.k - 1)  # Σ + k >= 1
        return ("ge", co, k)
    if a.op == ">=":
        if not pol:
            return ("ge", tuple(-c for c in a.coefs), -a.k - 1)  # Σ + k <= -1
        return ("ge", a.coefs, a.k)
    return lit


def _dedupe(atoms: Sequence[Atom], clauses) -> list[Clause]:
    """The clauses, each meaning once (the first clause of each meaning, in order)."""
    seen: set = set()
    out = []
    for c in clauses:
        key = frozenset(literal_key(atoms, l) for l in c)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def unit_clauses(atoms: CandidateAtoms) -> list[Clause]:
    """Every literal alone, except ``a != b`` for equalities that are not the program's own:
    almost never an invariant by itself, and each counterexample state only rules out one of
    them (they stay available inside disjunctions). Literals that mean the same (``x <= 2``
    negated and ``x >= 3``) appear once."""
    conds = set(atoms.conditions)
    return _dedupe(atoms.atoms, [((i, p),) for i, a in enumerate(atoms.atoms) for p in (True, False)
                                 if p or a.op != "==" or i in conds])


def _literal_values(A: np.ndarray | None, lits: Sequence[Literal]) -> np.ndarray | None:
    """Truth of each literal (columns) on the states whose atom values are the rows of ``A``."""
    if A is None or A.shape[0] == 0:
        return None
    idx = np.asarray([i for i, _ in lits], dtype=np.int64)
    pol = np.asarray([p for _, p in lits], dtype=bool)
    return A[:, idx] == pol


def pair_clauses(atoms: CandidateAtoms, left: Sequence[int], right: Sequence[int],
                 skip: set, positives: np.ndarray | None = None,
                 limit: int | None = None) -> list[Clause]:
    """``l ∨ r`` for literals of atoms in ``left`` and ``right`` (both polarities), leaving out
    pairs with a literal in ``skip`` (literals already known to be invariant). With
    ``positives`` (atom values on the positive states, one row each), only the pairs true on
    every positive state (found with one matrix product, not pair by pair); at most ``limit``."""
    lits_l = [(i, p) for i in left for p in (True, False) if (i, p) not in skip]
    lits_r = [(i, p) for i in right for p in (True, False) if (i, p) not in skip]
    out: dict[Clause, None] = {}
    Vl, Vr = _literal_values(positives, lits_l), _literal_values(positives, lits_r)
    if Vl is not None and lits_l and lits_r:
        # both false together on no positive state
        both = (~Vr).T.astype(np.float32) @ (~Vl).astype(np.float32)
        # right literal by right literal: when ``limit`` cuts the space, every left literal
        # (a case split) keeps its pairs with the first right atoms (bounds before relations)
        for y, x in zip(*np.nonzero(both == 0)):
            a, b = lits_l[x], lits_r[y]
            if a[0] == b[0]:
                continue
            out.setdefault(tuple(sorted((a, b))), None)
            if limit is not None and len(out) >= limit:
                break
        return _dedupe(atoms.atoms, out)
    for a in lits_l:
        for b in lits_r:
            if a[0] == b[0]:
                continue
            c = tuple(sorted((a, b)))
            out.setdefault(c, None)
    return _dedupe(atoms.atoms, out)


def triple_clauses(atoms: CandidateAtoms, conds: Sequence[int], right: Sequence[int],
                   skip: set, positives: np.ndarray | None = None,
                   limit: int | None = None) -> list[Clause]:
    """``c1 ∨ c2 ∨ r`` for two condition literals and one literal of ``right`` (with
    ``positives``: only those true on every positive state; at most ``limit``)."""
    cl = [(i, p) for i in conds for p in (True, False) if (i, p) not in skip]
    rl = [(i, p) for i in right for p in (True, False) if (i, p) not in skip]
    out: dict[Clause, None] = {}
    Vc, Vr = _literal_values(positives, cl), _literal_values(positives, rl)
    if Vc is not None and cl and rl:
        falseR = (~Vr).astype(np.float32)
        for x, y in itertools.combinations(range(len(cl)), 2):
            a, b = cl[x], cl[y]
            if a[0] == b[0]:
                continue
            where = ~Vc[:, x] & ~Vc[:, y]
            ok = (where.astype(np.float32) @ falseR) == 0
            for z in np.flatnonzero(ok):
                r = rl[z]
                if r[0] in (a[0], b[0]):
                    continue
                out.setdefault(tuple(sorted((a, b, r))), None)
            if limit is not None and len(out) >= limit:
                break
        return _dedupe(atoms.atoms, out)
    for a, b in itertools.combinations(cl, 2):
        if a[0] == b[0]:
            continue
        for r in rl:
            if r[0] in (a[0], b[0]):
                continue
            out.setdefault(tuple(sorted((a, b, r))), None)
    return _dedupe(atoms.atoms, out)
