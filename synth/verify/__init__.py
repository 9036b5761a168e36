"""Z3 verification of candidates: regexes against examples and each other (``verify.regex``) and
loop invariants against initiation, consecution and safety (``verify.inductive``) over a
transition system (``verify.transition``, with its atoms and cone of influence in
``verify.cone`` and its concrete SyGuS steps in ``verify.concrete``).

z3 is imported inside the functions, so importing synth never needs it.
"""
