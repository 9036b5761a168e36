"""Program text: parse(str(p)) == p, typing of overloads, errors, and Program.to_python."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synth.dsl import get_domain
from synth.dsl.base import Apply, Const, Var
from synth.errors import EvaluationError, ProgramSyntaxError, UnknownOp

D = get_domain("strings")


@pytest.mark.parametrize("text", [
    'CONCATENATE(LEFT(name, 1), ". ")',
    'IF(GT(LEN(a), 3), a, "")',
    'FIND(".", x, 3)',
    'SUBSTITUTE(x, "a", "b", 2)',
    'str.++(str.at(x, 0), "-")',
    'ite(=(str.len(x), -1), str.++(x, "a\\"q\\\\"), str.from_int(-(3, 4)))',
    'ite(str.prefixof("a", x), str.substr(x, 1, +(1, -2)), x)',
    '-(x, -1)',
    'ite/Int' if False else 'str.to_int(x)',
])
def test_round_trip(text):
    p = D.parse(text)
    assert str(p) == text
    assert D.parse(str(p)) == p


def test_overloads_resolve_by_arity_and_type():
    assert D.parse('FIND(".", x)').node.op == "FIND"
    assert D.parse('FIND(".", x, 2)').node.op == "FIND/3"
    assert D.parse('=(x, "a")').node.op == "=/String"
    assert D.parse('=(n, 1)').node.op == "="
    assert D.parse('ite(true, 1, 2)').node.op == "ite/Int"
    assert D.parse('=(x, y)', {"x": "Bool", "y": "Bool"}).node.op == "=/Bool"


def test_old_smtlib_names_are_accepted():
    assert str(D.parse("str.to.int(int.to.str(3))")) == "str.to_int(str.from_int(3))"


@pytest.mark.parametrize("text,err", [
    ("LEFT(x, 1", ProgramSyntaxError), ("LEFT(x 1)", ProgramSyntaxError),
    ("FROB(x)", UnknownOp), ("LEFT(x)", ProgramSyntaxError), ('LEFT(1, "a")', ProgramSyntaxError),
])
def test_parse_errors(text, err):
    with pytest.raises(err):
        D.parse(text)


def test_evaluation_and_errors():
    p = D.parse('MID(s, FIND(" ", s), 99)')
    assert p(s="Jane Doe") == " Doe"
    with pytest.raises(EvaluationError, match="undefined"):
        p(s="nospace")
    assert p.run({"s": "nospace"}) is None
    with pytest.raises(EvaluationError, match="missing input"):
        p(t="x")


def test_to_python_is_standalone_and_equivalent():
    p = D.parse('CONCATENATE(PROPER(LEFT(s, FIND(" ", s))), TRIM(SUBSTITUTE(s, "a", "o", 1)))')
    src = p.to_python("fix")
    ns = {}
    exec(compile(src, "<generated>", "exec"), ns)  # no imports from synth needed
    for s in ["jane doe", "ab cd  ", "a a a b"]:
        assert ns["fix"](s) == p(s=s)
    with pytest.raises(ValueError):
        ns["fix"]("nospace")


# --- property test: random well-typed programs round-trip and evaluate identically after parsing
_S = ["LEFT", "RIGHT", "CONCATENATE", "TRIM", "UPPER", "str.++", "str.substr", "SUBSTITUTE", "IF"]


def programs(depth=3):
    strs = st.text(alphabet='ab ."\\,é', max_size=4)
    leaf_s = st.one_of(st.just(Var("x", "String")), strs.map(lambda v: Const(v, "String")))
    leaf_i = st.integers(-5, 5).map(lambda v: Const(v, "Int"))

    def extend(children):
        return st.one_of(
            st.tuples(children, leaf_i).map(lambda a: Apply("LEFT", a)),
            st.tuples(children, children).map(lambda a: Apply("CONCATENATE", a)),
            st.tuples(children, children).map(lambda a: Apply("str.++", a)),
            children.map(lambda a: Apply("TRIM", (a,))),
            st.tuples(children, leaf_i, leaf_i).map(lambda a: Apply("str.substr", a)),
            st.tuples(children, children).map(
                lambda a: Apply("IF", (Apply("EXACT", (a[0], a[1])), a[0], a[1]))),
        )
    return st.recursive(leaf_s, extend, max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(programs(), st.text(alphabet="ab .x", max_size=6))
def test_random_programs_round_trip(node, x):
    from synth.dsl.base import Program
    p = Program(node, D)
    q = D.parse(str(p), {"x": "String"})
    assert q == p
    assert q.run({"x": x}) == p.run({"x": x})
