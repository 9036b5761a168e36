"""Property signatures against hand-worked cases, and BUSTLE's reweighting rules."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synth.neural.signatures import (ALL_FALSE, ALL_TRUE, IO_ENTRIES, MAX_INPUTS, MIXED, PADDING,
                                     SINGLE, TYPE_MISMATCH, VALUE_ENTRIES, OutputContext,
                                     io_signature, value_signatures)

T, F, M, X = ALL_TRUE, ALL_FALSE, MIXED, TYPE_MISMATCH
OUT = OutputContext(["abc def", "hello"])


def test_sizes_are_bustles_plus_int_vs_input():
    # BUSTLE's 22 single-value and 24 output-comparison entries, and our 8 int-vs-input ones
    assert VALUE_ENTRIES == 54 and IO_ENTRIES == 3 * 54 + 22 and SINGLE == 22


def test_string_value_hand_worked():
    sig = value_signatures("String", [("abc", "Hello")], OUT)[0].tolist()
    single = [F, F, T, M, F,          # empty, len 1, len <= 5, lowercase, uppercase
              F, F, F, F, F,          # space comma period dash slash
              F, F, T, T]             # has digit, only digits, has letter, only letters
    assert sig[:14] == single
    assert sig[14:22] == [X] * 8      # int and bool properties do not apply
    compare = [M, M, F, F, F, F,      # out contains/starts/ends with it; it contains/starts/ends with out
               T, T, M, M, M, M,      # the same ignoring case
               F, M,                  # equal, equal ignoring case
               M, M, F]               # same length, shorter, longer
    assert sig[22:39] == compare
    assert sig[39:46] == [X] * 7
    assert sig[46:] == [X] * 8        # no input given, and not an int anyway


def test_int_value_hand_worked():
    sig = value_signatures("Int", [(3, 5)], OUT)[0].tolist()
    assert sig[:14] == [X] * 14 and sig[21] == X
    #            =0 =1 =2 <0 (0,3] (3,9] >9
    assert sig[14:21] == [F, F, F, F, M, M, F]
    assert sig[22:39] == [X] * 17
    # vs output lengths 7 and 5:  <  <=  ==  >=  >  |d|<=1 |d|<=3
    assert sig[39:46] == [M, T, M, M, F, M, M]
    assert sig[46:] == [X] * 8        # no input to read the ints as positions in


def test_int_as_input_position_hand_worked():
    # input "ab cd" -> output "cd", input "x yz w" -> output "yz": the output starts after the
    # first space (1-based positions 4 and 3), which is at positions 3 and 2
    inputs = [{"s": "ab cd", "n": 1}, {"s": "x yz w", "n": 2}]
    ctx = OutputContext(["cd", "yz"], inputs)
    assert ctx.input_name == "s"
    sigs = value_signatures("Int", [(3, 2), (4, 3), (5, 4), (0, 7), (5, 6)], ctx)[:, 46:].tolist()
    #   position, space there, non-alnum there, word starts, word ends, output from, output up to, == len
    assert sigs[0] == [T, T, T, F, F, F, F, F]          # the spaces (FIND(" ", s))
    assert sigs[1] == [T, F, F, T, F, T, F, F]          # one past them: the output starts there
    assert sigs[2] == [T, F, F, F, T, F, T, M]          # "ab cd"[:5] and "x yz"[:4] end with it
    assert sigs[3] == [F, F, F, F, F, F, F, F]          # outside the input
    assert sigs[4] == [T, F, F, M, T, F, M, T]          # the lengths: "d" ends a word, "w" is one


def test_int_vs_input_needs_a_string_input_and_output():
    assert OutputContext(["a"], [{"n": 1}]).input_name is None
    assert OutputContext([1], [{"s": "a"}]).input_name is None
    sig = value_signatures("Int", [(1,)], OutputContext(["a"], [{"n": 1}]))[0]
    assert sig[46:].tolist() == [X] * 8


def test_bool_value_and_batch_rows_are_independent():
    sigs = value_signatures("Bool", [(True, True), (True, False), (False, False)], OUT)
    assert sigs[:, 21].tolist() == [T, M, F]
    assert (np.delete(sigs, 21, axis=1) == X).all()


def test_string_edge_cases():
    out = OutputContext(["A1", "b-2"])
    sig = value_signatures("String", [("", ""), ("A1", "B-2"), ("12", "3")], out)
    empty, same, digits = sig.tolist()
    assert empty[0] == T and empty[3] == T and empty[4] == T    # "" is lower- and uppercase
    assert empty[11] == F and empty[13] == F                    # but not "only digits/letters"
    assert empty[22] == T and empty[23] == T and empty[24] == T  # "" is in every output
    assert same[22 + 12] == M and same[22 + 13] == T            # equal only ignoring case
    assert same[8] == M                                         # contains a dash on one example
    assert digits[10] == T and digits[11] == T and digits[12] == F


def test_non_string_output_makes_comparisons_mismatch():
    out = OutputContext([3, 4])
    sig = value_signatures("String", [("a", "b")], out)[0]
    assert (sig[22:] == X).all() and sig[0] == F


def test_io_signature_layout():
    inputs = [{"a": "abc", "n": "x"}, {"a": "Hello", "n": "y"}]
    sig = io_signature(inputs, ["abc def", "hello"])
    first = value_signatures("String", [("abc", "Hello")], OUT)[0]
    assert sig.shape == (IO_ENTRIES,)
    assert (sig[:VALUE_ENTRIES] == first).all()
    assert (sig[2 * VALUE_ENTRIES:3 * VALUE_ENTRIES] == PADDING).all()  # only 2 inputs
    out_single = sig[MAX_INPUTS * VALUE_ENTRIES:]
    assert out_single[:5].tolist() == [F, F, M, T, F]  # both lowercase; length <= 5 on one
    assert out_single[5] == M                            # a space in one output


def test_non_ascii_strings():
    out = OutputContext(["café", "naïve x"])
    sig = value_signatures("String", [("é", "ï")], out)[0]
    assert sig[1] == T and sig[12] == T and sig[22] == T  # one letter, found in the output


def test_model_penalty_and_heuristic():
    from synth.neural.signatures import encode_strings
    from synth.neural.heuristics import string_heuristic
    from synth.search.guided import model_penalty

    assert model_penalty(np.array([0.7, 0.5, 0.4, 0.25, 0.0])).tolist() == [0, 1, 2, 3, 6]
    out_codes, out_lens = encode_strings(["abcd"])
    vals = ["abcd", "", "xy", "bc"]
    codes, lens = encode_strings(vals)
    h = string_heuristic(codes, lens, out_codes, out_lens, 1).tolist()
    # equal: 1 + 0 - 2 -> 0; "": distance 1 -> 1 + 3 - 2 = 2; "xy": lev 4, 2*4/10 = 0.8 -> 1 + 2;
    # "bc": a substring, lev 2, 2*2/8 = 0.5 -> 1 + 1 - 2 -> 0
    assert h == [0, 2, 3, 0]


@pytest.mark.parametrize("n", [0, 1, 5])
def test_batch_shapes(n):
    vals = [("x" * i, "y") for i in range(n)]
    assert value_signatures("String", vals, OUT).shape == (n, VALUE_ENTRIES)


def _heuristic_reference(values, outputs):
    """BUSTLE's string heuristic written directly from its definition (pure Python)."""
    def lev(a, b):
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]
    out = []
    for vals in values:
        worst = 0.0
        for v, o in zip(vals, outputs):
            d = lev(v, o)
            worst = max(worst, 0.0 if len(v) + len(o) + d == 0 else 2.0 * d / (len(v) + len(o) + d))
        h = 1 + int(np.floor(3.0 * worst)) - (2 if all(v in o for v, o in zip(vals, outputs)) else 0)
        out.append(max(h, 0))
    return out


_text = st.text(alphabet="ab c-1", max_size=12)


@given(st.lists(_text, min_size=1, max_size=3).flatmap(
    lambda outs: st.tuples(st.just(outs), st.lists(st.lists(_text, min_size=len(outs), max_size=len(outs)),
                                                   min_size=1, max_size=6))))
@settings(max_examples=200, deadline=None)
def test_string_heuristic_matches_its_definition(case):
    """The kernel skips distances its bounds make irrelevant; it must still agree exactly."""
    from synth.neural.heuristics import string_heuristic
    from synth.neural.signatures import encode_strings
    outputs, values = case
    out_codes, out_lens = encode_strings(outputs)
    codes, lens = encode_strings([s for vals in values for s in vals])
    got = string_heuristic(codes, lens, out_codes, out_lens, len(outputs)).tolist()
    assert got == _heuristic_reference(values, outputs)
