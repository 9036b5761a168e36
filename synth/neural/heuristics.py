"""BUSTLE's hand-written value heuristics for the strings domain (numba kernels).

A string value close to the output (small normalised edit distance), and above all one that
occurs inside the output on every example, is more likely a part of the solution than one far
from it. ``string_heuristic`` turns that into an extra cost for guided search.
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _levenshtein(a, na, b, nb, row):
    for j in range(nb + 1):
        row[j] = j
    for i in range(1, na + 1):
        prev = row[0]
        row[0] = i
        ai = a[i - 1]
        for j in range(1, nb + 1):
            cur = row[j]
            cost = 0 if ai == b[j - 1] else 1
            v = prev + cost
            if row[j] + 1 < v:
                v = row[j] + 1
            if row[j - 1] + 1 < v:
                v = row[j - 1] + 1
            row[j] = v
            prev = cur
    return row[nb]


@numba.njit(cache=True)
def string_heuristic(codes, lens, out_codes, out_lens, nex):
    """BUSTLE's heuristic extra cost of string values (rows ``v * nex + e``): 1 + floor(3 * the
    largest normalised edit distance 2 lev / (|x| + |y| + lev)), minus 2 if the value occurs in
    the output on every example; at least 0."""
    n = codes.shape[0] // nex
    out = np.zeros(n, np.int64)
    row = np.zeros(out_codes.shape[1] + 1, np.int64)
    for v in range(n):
        worst = 0.0
        inside = True
        for e in range(nex):
            r = v * nex + e
            s = codes[r]
            ns = lens[r]
            o = out_codes[e]
            no = out_lens[e]
            # d = 2 lev / (ns + no + lev) grows with lev, and lev <= max(ns, no): where that
            # bound gives a floor(3 d) no higher than the worst so far, the distance cannot
            # change the result and is not computed
            hi = ns if ns > no else no
            d_hi = 0.0 if ns + no + hi == 0 else 2.0 * hi / (ns + no + hi)
            if np.floor(3.0 * d_hi) > np.floor(3.0 * worst):
                lev = _levenshtein(s, ns, o, no, row)
                total = ns + no + lev
                d = 0.0 if total == 0 else 2.0 * lev / total
                if d > worst:
                    worst = d
            if inside:
                found = ns == 0
                for i in range(no - ns + 1):
                    ok = True
                    for j in range(ns):
                        if o[i + j] != s[j]:
                            ok = False
                            break
                    if ok:
                        found = True
                        break
                inside = found
        h = 1 + int(np.floor(3.0 * worst))
        if inside:
            h -= 2
        out[v] = h if h > 0 else 0
    return out
