"""SyGuS-IF PBE problems: reading v1 and v2, grammar-restricted search, define-fun output and its
round trip, and the one-line errors for malformed, non-PBE and contradictory files."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.api import solve
from synth.cli import main
from synth.errors import InconsistentExamples, InvalidTask
from synth.io import read_tasks
from synth.search.sygus_grammar import sygus_task_grammar
from synth.io.sygus import read_sygus_problem
from synth.io.sygus_problem import PbeProblem
from synth.io.sygus_solution import failing_examples, format_solution, in_grammar, parse_solution, solution_size
from synth.io.sygus_terms import App, Sym

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "sygus"

V2 = """(set-logic SLIA)
(synth-fun f ((name String)) String
    ((Start String) (ntString String) (ntInt Int))
    ((Start String (ntString))
     (ntString String (name " " "." (str.++ ntString ntString) (str.at ntString ntInt)
                       (str.substr ntString ntInt ntInt)))
     (ntInt Int (0 1 (- 1) (+ ntInt ntInt) (str.indexof ntString ntString ntInt)))))
(declare-var name String)
(constraint (= (f "Nancy FreeHafer") "N."))
(constraint (= (f "Andrew Cencici") "A."))
(constraint (= (f "Jan Kotas") "J."))
(check-synth)
"""

V1 = """(set-logic SLIA)
(synth-fun f ((name String)) String
    ((Start String (ntString))
     (ntString String (name " " (str.++ ntString ntString) (int.to.str ntInt)))
     (ntInt Int (0 1 -1 (+ ntInt ntInt) (str.to.int ntString)))))
(declare-var name String)
(constraint (= (f "12") "11"))
(constraint (= (f "40") "39"))
(check-synth)
"""


def write(tmp_path, text, name="p.sl"):
    p = tmp_path / name
    p.write_text(text)
    return p


def solve_and_check(path, **budget):
    (task,) = read_tasks(path)
    res = solve(task, timeout=None, **budget)
    assert res.status == "solved", res
    text = format_solution(task, res.program)
    problem = task.spec.sygus
    body = parse_solution(text, problem)  # the round trip through our reader
    assert failing_examples(problem, body) == []  # every constraint of the file, repeats included
    assert in_grammar(problem, body)
    return text, body


def test_v2_problem_and_solution(tmp_path):
    p = write(tmp_path, V2)
    prob = read_sygus_problem(p)
    assert isinstance(prob, PbeProblem) and prob.version == 2
    assert prob.fun.params == (("name", "String"),) and prob.fun.sort == "String"
    assert [e.output for e in prob.examples] == ["N.", "A.", "J."]
    text, body = solve_and_check(p, max_candidates=200_000)
    assert text == '(define-fun f ((name String)) String (str.++ (str.at name 0) "."))'
    assert solution_size(body) == 5


def test_v1_names_and_negative_literals_are_printed_v1(tmp_path):
    p = write(tmp_path, V1)
    prob = read_sygus_problem(p)
    assert prob.version == 1
    text, body = solve_and_check(p, max_candidates=200_000)
    assert text == "(define-fun f ((name String)) String (int.to.str (+ -1 (str.to.int name))))"
    assert body == App("str.from_int", (App("+", (-1, App("str.to_int", (Sym("name"),)))),))


def test_grammar_nonterminals_of_one_sort_stay_distinct(tmp_path):
    # Start can only be  x ++ B  with B -> "!" | "?": so "!x" must not be found, "x!" must
    text = """(set-logic SLIA)
(synth-fun f ((x String)) String ((Start String) (A String) (B String))
  ((Start String ((str.++ A B))) (A String (x)) (B String ("!" "?" (str.++ B B)))))
(constraint (= (f "a") "{out}"))
(constraint (= (f "bc") "{out2}"))
(check-synth)
"""
    ok = write(tmp_path, text.format(out="a!", out2="bc!"), "ok.sl")
    solve_and_check(ok, max_candidates=100_000)
    (task,) = read_tasks(write(tmp_path, text.format(out="!a", out2="!bc"), "no.sl"))
    res = solve(task, timeout=None, max_candidates=100_000, max_size=9)
    assert res.status != "solved"
    g = sygus_task_grammar(task)
    assert {"A", "B"} <= set(g.nonterminals)


def test_nested_template_production(tmp_path):
    text = """(set-logic SLIA)
(synth-fun f ((x String)) String ((Start String) (I Int))
  ((Start String (x (str.++ "<" (str.++ Start ">")) (str.substr x 0 I))) (I Int (1 2))))
(constraint (= (f "ab") "<<ab>>"))
(constraint (= (f "c") "<<c>>"))
(check-synth)
"""
    p = write(tmp_path, text)
    text_out, body = solve_and_check(p, max_candidates=100_000)
    assert text_out.endswith('(str.++ "<" (str.++ (str.++ "<" (str.++ x ">")) ">")))')
    (task,) = read_tasks(p)
    assert any(prod.op.startswith("template:") for prod in sygus_task_grammar(task).productions)


def test_cli_prints_define_fun_and_json(tmp_path):
    p = write(tmp_path, V2)
    r = CliRunner().invoke(main, ["solve", str(p), "--timeout", "20"])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == '(define-fun f ((name String)) String (str.++ (str.at name 0) "."))'
    r = CliRunner().invoke(main, ["solve", str(p), "--timeout", "20", "--format", "json"])
    rec = json.loads(r.stdout)
    assert rec["status"] == "solved" and rec["solution"].startswith("(define-fun f ")


CONTRA = V2.replace('(constraint (= (f "Jan Kotas") "J."))',
                    '(constraint (= (f "Jan Kotas") "J."))\n(constraint (= (f "Andrew Cencici") "A"))')


def test_contradictory_examples_are_reported(tmp_path):
    p = write(tmp_path, CONTRA)
    with pytest.raises(InconsistentExamples) as e:
        read_sygus_problem(p)
    msg = str(e.value)
    assert "lines 10 and 12" in msg and '"A."' in msg and '"A"' in msg and "\n" not in msg
    assert e.value.conflicting == (1, 3)
    r = CliRunner().invoke(main, ["solve", str(p)])
    assert r.exit_code == 2 and "contradictory examples" in r.stderr


@pytest.mark.parametrize("text,needle", [
    (V2 + ")", "unbalanced parentheses: ')'"),
    (V2.replace("(check-synth)", "(check-synth"), "unbalanced parentheses: the '(' on line 12"),
    (V2.replace("(declare-var name String)", "(declare-var name Strin)"), ":8: unknown sort Strin"),
    (V2.replace("(str.at ntString ntInt)", "(str.att ntString ntInt)"), "undeclared function str.att"),
    (V2.replace('(f "Jan Kotas")', '(g "Jan Kotas")'), ":11: undeclared function g"),
    (V2.replace("(declare-var name String)", "(declare-datatypes ((T 0)) (((a))))"),
     "unsupported command declare-datatypes"),
    (V2.replace("(str.++ ntString ntString)", "(str.++ ntString ntInt)"), "ill-sorted term"),
    (V2.replace('"N.")', "(str.++ name name))"), "not a PBE problem"),
    (V2.replace("String)) String", "(_ BitVec 8))) String"), "unsupported sort (_ BitVec 8)"),
])
def test_malformed_files_one_line_error(tmp_path, text, needle):
    p = write(tmp_path, text)
    with pytest.raises(InvalidTask) as e:
        read_tasks(p)
    assert needle in str(e.value), str(e.value)
    assert str(e.value).startswith(str(p)) and "\n" not in str(e.value)
    r = CliRunner().invoke(main, ["solve", str(p)])
    assert r.exit_code == 2 and needle in r.stderr


# ------------------------------------------------------------------------- benchmark files

needs_bench = pytest.mark.skipif(not BENCH.exists(), reason="benchmark data not present")


@needs_bench
@pytest.mark.parametrize("name", ["univ_3-long-repeat", "univ_4-long-repeat", "univ_5-long-repeat",
                                  "univ_6-long-repeat"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_unrealizable_files_are_contradictory(name, version):
    with pytest.raises(InconsistentExamples) as e:
        read_tasks(BENCH / "pbe-strings" / version / "from_2018" / f"{name}.sl")
    assert "contradictory examples: the constraints on lines" in str(e.value)


#: easy files of both halves, solved within a candidate budget (deterministic, no clock)
SAMPLE = ["from_2018/phone.sl", "from_2018/firstname_small.sl", "from_2018/reverse-name-long-repeat.sl",
          "from_2018/phone-2_short.sl", "euphony/get-first-word.sl", "euphony/convert-numbers-to-text.sl",
          "euphony/cell-contains-number.sl", "euphony/19558979.sl", "euphony/remove-text-by-matching.sl"]


@needs_bench
@pytest.mark.parametrize("rel", SAMPLE)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_benchmark_sample_solutions_check_out(rel, version):
    text, body = solve_and_check(BENCH / "pbe-strings" / version / rel, max_candidates=300_000)
    assert text.startswith("(define-fun ")
    if version == "v1":
        assert "str.to_int" not in text and "str.from_int" not in text


@needs_bench
def test_every_pbe_file_reads_and_v1_matches_v2():
    """All 2 x 210 PBE-strings files: 205 tasks, the 4 contradictory ones, and max3 (not PBE);
    a v1 file and its v2 conversion give the same examples and the same grammar."""
    outcome = {}
    for version in ("v1", "v2"):
        for f in sorted((BENCH / "pbe-strings" / version).rglob("*.sl")):
            key = str(f.relative_to(BENCH / "pbe-strings" / version))
            try:
                outcome[version, key] = read_sygus_problem(f)
            except InconsistentExamples:
                outcome[version, key] = "contradictory"
            except InvalidTask as e:
                assert "not a PBE problem" in str(e)
                outcome[version, key] = "not PBE"
    for version in ("v1", "v2"):
        values = [v for (ver, _), v in outcome.items() if ver == version]
        assert len(values) == 210
        assert values.count("contradictory") == 4 and values.count("not PBE") == 1
    for (version, key), p1 in outcome.items():
        if version != "v1" or isinstance(p1, str):
            continue
        p2 = outcome["v2", key]
        assert (p1.version, p2.version) == (1, 2)
        assert [(e.inputs, e.output) for e in p1.examples] == [(e.inputs, e.output) for e in p2.examples]
        assert p1.fun.params == p2.fun.params and p1.fun.grammar.nonterminals == p2.fun.grammar.nonterminals
        assert {k: len(v) for k, v in p1.fun.grammar.rules.items()} == \
               {k: len(v) for k, v in p2.fun.grammar.rules.items()}


@pytest.mark.slow
@needs_bench
def test_every_inv_file_in_the_repo_reads():
    from synth.io.sygus_problem import InvProblem

    files = sorted((BENCH / "inv").rglob("*.sl"))
    assert len(files) == 127 + 276
    assert all(isinstance(read_sygus_problem(f), InvProblem) for f in files)


def test_reader_module_reexports_the_split_names():
    """``synth.io.sygus`` was split (problem types, command checker, solutions); the names it
    exported before stay importable from it (``synth.bench`` prints ``format_solution``)."""
    import synth.io.sygus as reader
    import synth.io.sygus_problem as problem
    import synth.io.sygus_solution as solution

    for name in reader.__all__:
        assert hasattr(reader, name), name
    assert reader.format_solution is solution.format_solution
    assert reader.PbeProblem is problem.PbeProblem and reader.InvProblem is problem.InvProblem
