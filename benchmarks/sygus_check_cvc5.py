"""Independent check of synth's PBE-strings solutions with cvc5 (not a synth dependency).

    pip install cvc5            # in any Python, e.g. a throw-away venv
    python benchmarks/sygus_check_cvc5.py RESULTS.jsonl DATA_DIR

For every solved record, cvc5 parses the printed ``(define-fun ...)`` together with the file's
constraints turned into one SMT-LIB assertion ``(not (and c1 c2 ...))``; ``unsat`` means cvc5
agrees that the function satisfies every constraint. Uses only the file text and cvc5, none of
synth's code, so it checks our reader, printer and interpreter from outside.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def top_level_forms(text: str) -> list[str]:
    """The top-level parenthesised forms of SMT-LIB text (strings and comments respected)."""
    forms, depth, start, i, n = [], 0, 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c == '"':
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    break
                i += 1
        elif c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                forms.append(text[start:i + 1])
        i += 1
    return forms


def smt_query(sl_text: str, solution: str) -> str:
    constraints = [f[len("(constraint"):-1].strip() for f in top_level_forms(sl_text)
                   if f.startswith("(constraint")]
    return "\n".join(["(set-logic ALL)", solution,
                      f"(assert (not (and true {' '.join(constraints)})))", "(check-sat)"])


def check(query: str) -> str:
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("strings-exp", "true")
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, query, "query")
    sm = parser.getSymbolManager()
    out = ""
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        out = cmd.invoke(solver, sm)
    return out.strip()


def main(argv=None) -> int:
    argv = argv or sys.argv[1:]
    results, data = Path(argv[0]), Path(argv[1])
    by_stem = {p.stem: p for p in data.rglob("*.sl")}
    ok = bad = 0
    for line in results.read_text().splitlines():
        rec = json.loads(line)
        if rec.get("status") != "solved" or not rec.get("solution"):
            continue
        path = by_stem[Path(rec["name"]).stem.replace(".sl", "")]
        answer = check(smt_query(path.read_text(), rec["solution"]))
        if answer == "unsat":
            ok += 1
        else:
            bad += 1
            print(f"{path.relative_to(data)}: cvc5 says {answer!r} for {rec['solution']}")
    print(f"cvc5 confirms {ok} solutions; {bad} not confirmed")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
