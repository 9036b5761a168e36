"""Property signatures against hand-worked cases, and BUSTLE's reweighting rules."""
import numpy as np
import pytest

from synth.neural.signatures import (ALL_FALSE, ALL_TRUE, IO_ENTRIES, MAX_INPUTS, MIXED, PADDING,
                                     SINGLE, TYPE_MISMATCH, VALUE_ENTRIES, OutputContext,
                                     io_signature, value_signatures)

T, F, M, X = ALL_TRUE, ALL_FALSE, MIXED, TYPE_MISMATCH
OUT = OutputContext(["abc def", "hello"])


def test_sizes_are_bustles():
    assert VALUE_ENTRIES == 46 and IO_ENTRIES == 160 and SINGLE == 22


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
    assert sig[39:] == [X] * 7


def test_int_value_hand_worked():
    sig = value_signatures("Int", [(3, 5)], OUT)[0].tolist()
    assert sig[:14] == [X] * 14 and sig[21] == X
    #            =0 =1 =2 <0 (0,3] (3,9] >9
    assert sig[14:21] == [F, F, F, F, M, M, F]
    assert sig[22:39] == [X] * 17
    # vs output lengths 7 and 5:  <  <=  ==  >=  >  |d|<=1 |d|<=3
    assert sig[39:] == [M, T, M, M, F, M, M]


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
