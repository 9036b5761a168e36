"""What a domain provides to the compiled engine: a kernel module (``synth.search.compiled.kernels.KERNELS``
names it) with

- ``KINDS``: domain type -> value layout (``table.SEQ`` or ``table.SCALAR``);
- ``kernel_code(op) -> int | None``: the kernel code of an ``Op`` (None: no kernel);
- ``encode(type, value)`` / ``decode(type, raw)``: Python value <-> bank entry (an int, or an
  int32 element array); ``encode`` returns None for a value the bank cannot hold;
- ``element_dtype(values)``: the element type of the sequence banks of a search whose leaves
  and target hold these sequence values (int32, or narrower where the ops keep values in range);
- ``value_caps(type, limits) -> (max_len, max_abs) | None``: the domain's ``value_ok`` as caps
  (longest sequence kept; bound on |int|, 0 for none), None when the bank cannot honour them;
- ``run_block(P, ids, els, ofs, ints, sizes, el, of, rints, table, vsize, prov, state,
  tel, tof, tints, rec, lo, hi, maskseen) -> (status, position)``: the batch kernel, with the parameter
  slots and results below; a kept value goes through ``table.commit_value`` with the flags
  ``P[P_FLAGS]`` and the tuple's position.
"""
from __future__ import annotations

# P[] slots of run_block's parameter array (int64)
P_OP, P_K, P_E, P_KIND, P_LIMIT, P_MAXABS, P_PROD, P_FLAGS, P_POS, P_END = range(10)
P_M = 10  # P[P_M + i]: number of values in argument i's level (1 for unused slots)
#: bit i set: argument i is of the result's nonterminal, so a result equal to it is a duplicate
#: (argument values are kept values) and needs no hashing
P_SAME = 14
P_LEN = 16

#: P[P_OP] value asking run_block only to commit the value the caller wrote at the bank's free
#: slot (a leaf, or a tuple evaluated in Python); it returns (table.DUP/NEW/SOLVED, P_POS)
OP_COMMIT = -1

# run_block results, each with a position in the block
DONE = 0      # every tuple up to P_END was evaluated
FULL = 1      # the result bank must grow before the tuple at the position
SOLVED = 2    # the tuple at the position produced the target
DEFERRED = 3  # the tuple at the position must be evaluated with the reference semantics
