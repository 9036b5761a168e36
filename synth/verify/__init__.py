"""Z3 verification of candidates: regexes against examples and each other (``verify.regex``) and
loop invariants against initiation, consecution and safety (``verify.invariant``).

z3 is imported inside the functions, so importing synth never needs it.
"""
