"""DATETEXT (synth/dsl/strings/dates.py): parsing, formatting, rounding, the synthesis helpers,
and that the op's copied source runs standalone (what Program.to_python relies on)."""
from __future__ import annotations

import ast
import builtins
import datetime as dt
import dis
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synth.dsl.base import Apply, Const, Var, function_source, op_functions_source
from synth.dsl.strings import dates as D
from synth.dsl.strings.dates import (
    DATE_OPS, INPUT_PATTERNS, OUTPUT_FIELDS, STEPS, DateValue, common_patterns, datetext,
    output_pattern, parse, parse_patterns, pattern_pieces, render, render_pattern, round_value,
    witness,
)

ISO = "{yyyy}-{mm}-{dd}"
ISO_T = "{yyyy}-{mm}-{dd} {HH}:{nn}:{ss}"


def fmt(text, in_formats, out_format, step="", shift=0):
    return datetext(text, in_formats, out_format, step, shift)


# ------------------------------------------------------------------------------- the op


def test_brief_examples():
    assert fmt("3/30/2002", "{m}/{d}/{yyyy}", ISO) == "2002-03-30"
    assert fmt("18:25:57", "{H}:{nn}:{ss}", "{h}{AM}", "floor 2 hour", 1) == "8PM"
    assert fmt("18:25:57", "{H}:{nn}:{ss}", "{h}{AM}", "floor 2 hour", 0) == "6PM"


def test_op_declaration():
    (op,) = DATE_OPS
    assert op.name == "DATETEXT" and op.symbol == "DATETEXT"
    assert op.arg_types == ("String", "String", "String", "String", "Int")
    assert op.ret_type == "String" and op.fn is datetext and op.doc
    assert set(op.helpers) == set(D.DATETEXT_HELPERS)


@pytest.mark.parametrize("text,ok", [
    ("2/29/2024", True), ("2/29/2023", False), ("2/29/2000", True), ("2/29/1900", False),
    ("4/31/2024", False), ("12/31/2024", True), ("13/1/2024", False), ("0/1/2024", False),
    ("1/0/2024", False), ("1/32/2024", False), ("1/1/0000", False),
])
def test_leap_days_and_invalid_dates(text, ok):
    assert (fmt(text, "{m}/{d}/{yyyy}", ISO) is not None) == ok


def test_partial_dates():
    assert fmt("29 Feb", "{d} {mmm}", "{mm}/{dd}") == "02/29"  # no year: Feb 29 possible
    assert fmt("30 Feb", "{d} {mmm}", "{mm}/{dd}") is None
    assert fmt("29 Feb", "{d} {mmm}", "{yyyy}") is None  # never an invented year
    assert fmt("29 Feb", "{d} {mmm}", "{ddd}") is None  # no weekday without a year
    assert fmt("Mar 2024", "{mmm} {yyyy}", "{yyyy}-{mm}") == "2024-03"
    assert fmt("Mar 2024", "{mmm} {yyyy}", "{d}") is None
    assert fmt("Mar 2024", "{mmm} {yyyy}", "Q{q} {yyyy}") == "Q1 2024"


@pytest.mark.parametrize("text,pattern,out", [
    ("12:30AM", "{h}:{nn}{AM}", "00:30"), ("12:30PM", "{h}:{nn}{AM}", "12:30"),
    ("12AM", "{h}{AM}", "00:00"), ("12PM", "{h}{AM}", "12:00"), ("1 pm", "{h} {AM}", "13:00"),
    ("11:59 p.m.", "{h}:{nn} {AM}", "23:59"), ("7:05 A.M.", "{h}:{nn} {AM}", "07:05"),
    ("9:15:07 am", "{h}:{nn}:{ss} {AM}", "09:15"), ("0:30 AM", "{h}:{nn} {AM}", "00:30"), ("13:30 PM", "{h}:{nn} {AM}", None),
    ("13:00 PM", "{h}:{nn} {AM}", None), ("9:15", "{h}:{nn}", None),  # 12-hour needs AM/PM
    ("9:15 PM", "{H}:{nn} {AM}", "21:15"), ("24:00", "{H}:{nn}", None), ("23:60", "{H}:{nn}", None),
    ("23:59:60", "{H}:{nn}:{ss}", None), ("7:5", "{H}:{n}", "07:05"),
])
def test_twelve_hour_clock(text, pattern, out):
    assert fmt(text, pattern, "{HH}:{nn}") == out


def test_formatting_hours():
    def at(hh, mm):
        return fmt(f"{hh}:{mm:02d}", "{H}:{nn}", "{h}:{nn} {AM} {hh}{am} {H} {HH}")
    assert at(0, 5) == "12:05 AM 12am 0 00"
    assert at(12, 0) == "12:00 PM 12pm 12 12"
    assert at(23, 59) == "11:59 PM 11pm 23 23"
    assert at(9, 7) == "9:07 AM 09am 9 09"
    assert fmt("9:07:03", "{H}:{nn}:{ss}", "{n}m{s}s {ss}") == "7m3s 03"


def test_two_digit_years():
    assert fmt("1/1/29", "{m}/{d}/{yy}", "{yyyy}") == "2029"
    assert fmt("1/1/30", "{m}/{d}/{yy}", "{yyyy}") == "1930"
    assert fmt("1/1/00", "{m}/{d}/{yy}", "{yyyy}") == "2000"
    assert fmt("1/1/99", "{m}/{d}/{yy}", "{yyyy}") == "1999"
    assert fmt("1999-01-01", ISO, "{yy}") == "99"
    assert fmt("2005-01-01", ISO, "{yy}") == "05"
    assert fmt("0999-01-01", ISO, "{yyyy}") == "0999"


def test_day_first_vs_month_first():
    assert parse_patterns("25/12/2024") == ["{d}/{m}/{yyyy}"]
    assert fmt("25/12/2024", "{m}/{d}/{yyyy}", ISO) is None
    assert fmt("25/12/2024", "{d}/{m}/{yyyy}", ISO) == "2024-12-25"
    both = parse_patterns("3/4/2024")
    assert both.index("{m}/{d}/{yyyy}") < both.index("{d}/{m}/{yyyy}")
    common = common_patterns(["3/4/2024", "25/12/2024", "01/02/2023"])
    assert "{d}/{m}/{yyyy}" in common and "{m}/{d}/{yyyy}" not in common
    assert common_patterns(["3/4/2024", "2024-01-05"]) == []


def test_alternative_in_formats():
    alts = "{yyyy}-{mm}-{dd}|{m}/{d}/{yyyy}|{d}/{m}/{yyyy}"
    assert fmt("2024-03-05", alts, "{d} {mmm}") == "5 Mar"
    assert fmt("3/5/2024", alts, "{d} {mmm}") == "5 Mar"
    # the first pattern under which the text is a valid date wins
    assert fmt("25/3/2024", alts, "{d} {mmm}") == "25 Mar"
    assert fmt("garbage", alts, "{d} {mmm}") is None


def test_month_and_weekday_names():
    assert fmt("Sept 5, 2024", "{mmm} {d}, {yyyy}", ISO) == "2024-09-05"
    assert fmt("sep. 5, 2024", "{mmm} {d}, {yyyy}", ISO) == "2024-09-05"
    assert fmt("SEPTEMBER 5, 2024", "{mmmm} {d}, {yyyy}", ISO) == "2024-09-05"
    assert fmt("September 5, 2024", "{mmm} {d}, {yyyy}", ISO) == "2024-09-05"  # lenient
    assert fmt("Septober 5, 2024", "{mmm} {d}, {yyyy}", ISO) is None
    assert fmt("2024-09-05", ISO, "{mmm}|{mmmm}|{MMM}|{MMMM}") == "Sep|September|SEP|SEPTEMBER"
    assert fmt("2024-03-04", ISO, "{ddd} {dddd} {DDD} {DDDD}") == "Mon Monday MON MONDAY"
    assert fmt("Monday, March 4, 2024", "{dddd}, {mmmm} {d}, {yyyy}", ISO) == "2024-03-04"
    assert fmt("Tues, March 5, 2024", "{ddd}, {mmm} {d}, {yyyy}", ISO) == "2024-03-05"
    assert fmt("Thurs 7 Mar 2024", "{ddd} {d} {mmm} {yyyy}", ISO) == "2024-03-07"
    assert fmt("Tuesday, March 4, 2024", "{dddd}, {mmmm} {d}, {yyyy}", ISO) is None  # disagrees
    assert fmt("Mon 4 Mar", "{ddd} {d} {mmm}", "{d}/{m}") == "4/3"  # no year: not checked


def test_ordinals_quarters_weeks():
    days = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th",
            21: "21st", 22: "22nd", 23: "23rd", 30: "30th", 31: "31st"}
    for d, text in days.items():
        assert fmt(f"2024-01-{d:02d}", ISO, "{do}") == text
        assert fmt(f"January {text}, 2024", "{mmmm} {do}, {yyyy}", "{d}") == str(d)
    assert fmt("January 22th, 2024", "{mmmm} {do}, {yyyy}", "{d}") is None
    assert [fmt(f"2024-{m:02d}-01", ISO, "{q}") for m in range(1, 13)] == list("111222333444")
    assert fmt("Q2 2024-05-01", "Q{q} " + ISO, "{m}") == "5"
    assert fmt("Q1 2024-05-01", "Q{q} " + ISO, "{m}") is None
    assert fmt("2024-12-30", ISO, "W{ww}") == "W01"
    assert fmt("2021-01-03", ISO, "W{ww} {w}") == "W53 53"
    assert fmt("2024-01-08", ISO, "{w}") == "2"


def test_missing_parts_are_never_invented():
    assert fmt("10:30", "{H}:{nn}", "{yyyy}") is None
    assert fmt("10:30", "{H}:{nn}", "{d}") is None
    assert fmt("2024-03-05", ISO, "{H}") is None
    assert fmt("2024-03-05", ISO, "{AM}") is None
    assert fmt("8PM", "{h}{AM}", "{HH}:{nn}:{ss}") == "20:00:00"  # minutes/seconds of 8PM are 0
    assert fmt("2024", "{yyyy}", "{yyyy}") == "2024"
    assert fmt("30", "{nn}", "{nn}") is None  # minutes without an hour
    assert fmt("abc", "abc", "x") is None  # a pattern without fields parses nothing


def test_patterns_are_checked():
    assert fmt("2024-03-05", "{yyyy-{mm}-{dd}", ISO) is None
    assert fmt("2024-03-05", "{year}-{mm}-{dd}", ISO) is None
    assert fmt("2024-03-05", ISO, "{yyyy") is None
    assert fmt("2024-03-05", ISO, "yyyy}") is None
    assert fmt("2024-03-05", ISO, "{{{yyyy}}} | {{}}") == "{2024} | {}"
    assert fmt("{2024}", "{{{yyyy}}}", "{yyyy}") == "2024"
    assert fmt("2024-03-05", ISO, "") == ""
    assert fmt("2024-03-05", "", ISO) is None


def test_whitespace_empty_and_garbage():
    assert fmt("  2024-03-05 \t", ISO, "{d}") == "5"
    assert fmt("", ISO, "{d}") is None
    assert fmt("   ", "{H}:{nn}", "{H}") is None
    assert fmt("2024-03-05x", ISO, "{d}") is None
    assert fmt("२०२४-03-05", ISO, "{d}") is None  # ASCII digits only
    assert fmt("hello world", "|".join(INPUT_PATTERNS), "{d}") is None
    assert parse_patterns("") == [] and parse_patterns("hello") == []


# ------------------------------------------------------------------------------- rounding


@pytest.mark.parametrize("text,step,shift,out", [
    ("2024-12-31 23:59:59", "floor 1 hour", 0, "2024-12-31 23:00:00"),
    ("2024-12-31 23:30:00", "ceil 1 hour", 0, "2025-01-01 00:00:00"),
    ("2024-12-31 23:00:00", "ceil 1 hour", 0, "2024-12-31 23:00:00"),
    ("2024-12-31 23:10:00", "floor 1 hour", 1, "2025-01-01 00:00:00"),
    ("2024-01-01 00:10:00", "floor 1 hour", -1, "2023-12-31 23:00:00"),
    ("2024-03-05 10:07:30", "round 15 min", 0, "2024-03-05 10:15:00"),  # ties go up
    ("2024-03-05 10:07:29", "round 15 min", 0, "2024-03-05 10:00:00"),
    ("2024-03-05 10:29:59", "floor 30 min", 0, "2024-03-05 10:00:00"),
    ("2024-03-05 10:29:59", "round 1 min", 0, "2024-03-05 10:30:00"),
    ("2024-03-05 10:29:29", "floor 10 sec", 0, "2024-03-05 10:29:20"),
    ("2024-03-05 22:00:00", "ceil 7 hour", 0, "2024-03-06 00:00:00"),  # blocks end at midnight
    ("2024-03-05 22:00:00", "floor 7 hour", 0, "2024-03-05 21:00:00"),
    ("2024-02-29 10:00:00", "ceil 1 day", 0, "2024-03-01 00:00:00"),
    ("2024-02-29 10:00:00", "floor 1 day", 0, "2024-02-29 00:00:00"),
    ("2024-02-29 12:00:00", "round 1 day", 0, "2024-03-01 00:00:00"),
    ("2024-01-31 10:00:00", "floor 2 day", 0, "2024-01-31 00:00:00"),  # blocks from the 1st
    ("2024-01-30 10:00:00", "floor 2 day", 0, "2024-01-29 00:00:00"),
    ("2024-01-31 10:00:00", "ceil 2 day", 0, "2024-02-01 00:00:00"),
    ("2024-03-10 18:00:00", "floor 1 week", 0, "2024-03-04 00:00:00"),  # Sunday -> Monday
    ("2024-03-10 18:00:00", "ceil 1 week", 0, "2024-03-11 00:00:00"),
    ("2024-03-04 00:00:00", "ceil 1 week", 0, "2024-03-04 00:00:00"),
    ("2024-03-10 18:00:00", "floor 1 week", 1, "2024-03-11 00:00:00"),
    ("2024-11-15 08:00:00", "floor 3 month", 0, "2024-10-01 00:00:00"),
    ("2024-11-15 08:00:00", "ceil 3 month", 0, "2025-01-01 00:00:00"),
    ("2024-11-15 08:00:00", "floor 1 month", -11, "2023-12-01 00:00:00"),
    ("2024-02-15 00:00:00", "round 1 month", 0, "2024-02-01 00:00:00"),
    ("2024-02-15 12:00:00", "round 1 month", 0, "2024-03-01 00:00:00"),  # midpoint: up
    ("2024-12-15 00:00:00", "ceil 5 month", 0, "2025-01-01 00:00:00"),  # Jan-May, Jun-Oct, Nov-Dec
    ("2024-06-30 23:00:00", "round 1 year", 0, "2024-01-01 00:00:00"),
    ("2024-07-02 00:00:00", "round 1 year", 0, "2025-01-01 00:00:00"),
    ("2024-05-05 00:00:00", "floor 10 year", 0, "2020-01-01 00:00:00"),
    ("2020-01-01 00:00:00", "ceil 10 year", 0, "2020-01-01 00:00:00"),
    ("2020-01-01 00:00:01", "ceil 10 year", 0, "2030-01-01 00:00:00"),
    ("9999-12-31 23:30:00", "ceil 1 hour", 0, None),  # past year 9999
    ("0001-01-01 00:30:00", "floor 1 hour", -1, None),
    ("2024-03-05 10:00:00", "", 1, None),  # a shift needs a step
    ("2024-03-05 10:00:00", "floor 0 hour", 0, None),
    ("2024-03-05 10:00:00", "floor x hour", 0, None),
    ("2024-03-05 10:00:00", "floor 1 hours", 0, None),
    ("2024-03-05 10:00:00", "flor 1 hour", 0, None),
    ("2024-03-05 10:00:00", "floor 1", 0, None),
    ("2024-03-05 10:00:00", "floor -1 hour", 0, None),
    ("2024-03-05 10:00:00", "floor ² hour", 0, None),
    ("2024-03-05 10:00:00", "floor 1 hour", 10 ** 30, None),
])
def test_rounding(text, step, shift, out):
    assert fmt(text, ISO_T, ISO_T, step, shift) == out


def test_rounding_time_only_wraps_and_needs_parts():
    assert fmt("23:30", "{H}:{nn}", "{H}:{nn}", "ceil 1 hour") == "0:00"
    assert fmt("00:10", "{H}:{nn}", "{H}:{nn}", "floor 1 hour", -1) == "23:00"
    assert fmt("23:10", "{H}:{nn}", "{H}:{nn}", "floor 1 hour", 25) == "0:00"
    assert fmt("23:10", "{H}:{nn}", "{H}:{nn}", "floor 1 day") is None  # no date
    assert fmt("2024-03-05", ISO, ISO, "floor 1 hour") is None  # no time
    assert fmt("2024-03-05", ISO, ISO, "floor 1 week") == "2024-03-04"
    assert fmt("2024-03-05", ISO, "{H}", "floor 1 week") is None  # a date stays timeless
    assert fmt("Mar 5 23:30", "{mmm} {d} {H}:{nn}", "{H}:{nn}", "ceil 1 hour") is None  # partial
    assert fmt("Mar 5 23:10", "{mmm} {d} {H}:{nn}", "{d} {H}:{nn}", "floor 1 hour") == "5 23:00"
    assert fmt("Nov 2024", "{mmm} {yyyy}", "{mmm} {yyyy}", "ceil 3 month") == "Jan 2025"
    assert fmt("Nov 2024", "{mmm} {yyyy}", "{d}", "floor 3 month") is None  # day stays missing
    assert fmt("2024", "{yyyy}", "{yyyy}s", "floor 10 year") == "2020s"


def test_ranges_with_shift():
    def rng(t):
        return (fmt(t, "{H}:{nn}", "{h}{AM}", "floor 2 hour", 0) + " to "
                + fmt(t, "{H}:{nn}", "{h}{AM}", "floor 2 hour", 1))
    assert rng("18:25") == "6PM to 8PM"
    assert rng("11:59") == "10AM to 12PM"
    assert rng("23:00") == "10PM to 12AM"
    assert fmt("2024-05-17", ISO, "{mmm}-{mmm}", "floor 3 month") == "Apr-Apr"
    q = [fmt("2024-05-17", ISO, "{mmm} {yyyy}", "floor 3 month", k) for k in (-1, 0, 1, 2)]
    assert q == ["Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024"]
    # a shift of another size than the grid: quarter hours around the nearest half hour
    around = [fmt("23:48", "{H}:{nn}", "{h}:{nn}{AM}", "round 30 min by 15 min", k) for k in (-1, 1)]
    assert around == ["11:45PM", "12:15AM"]
    assert fmt("2024-05-17", ISO, "{mmm}", "floor 1 month by 15 min", 1) is None


_DATETIMES = st.datetimes(min_value=dt.datetime(1930, 1, 1), max_value=dt.datetime(2029, 12, 31))


def _oracle_round(t: dt.datetime, step: str, shift: int) -> dt.datetime:
    """Rounding computed with datetime arithmetic, for grids that divide days/months/years."""
    parts = step.split()
    mode, n, unit = parts[:3]
    n = int(n)
    if unit in ("sec", "min", "hour"):
        size = dt.timedelta(seconds=n * {"sec": 1, "min": 60, "hour": 3600}[unit])
        by = size if len(parts) == 3 else \
            dt.timedelta(seconds=int(parts[4]) * {"sec": 1, "min": 60, "hour": 3600}[parts[5]])
        lo = t - (t - dt.datetime.min) % size
        hi = lo + size
        step_of = lambda x, k: x + k * by  # noqa: E731
    elif unit == "day":
        assert n == 1
        lo = dt.datetime(t.year, t.month, t.day)
        hi = lo + dt.timedelta(days=1)
        step_of = lambda x, k: x + dt.timedelta(days=k)  # noqa: E731
    elif unit == "week":
        lo = dt.datetime(t.year, t.month, t.day) - dt.timedelta(days=t.weekday())
        if n > 1:
            lo -= dt.timedelta(days=(lo.toordinal() - 1) // 7 % n * 7)
        hi = lo + dt.timedelta(days=7 * n)
        step_of = lambda x, k: x + dt.timedelta(days=7 * n * k)  # noqa: E731
    else:
        def step_of(x, k):
            if unit == "year":
                return x.replace(year=x.year + n * k)
            months = x.year * 12 + x.month - 1 + n * k
            return x.replace(year=months // 12, month=months % 12 + 1)
        if unit == "month":
            assert 12 % n == 0
            lo = dt.datetime(t.year, (t.month - 1) // n * n + 1, 1)
        else:
            lo = dt.datetime(t.year // n * n, 1, 1)
        hi = step_of(lo, 1)
    if mode == "floor" or t == lo:
        r = lo
    elif mode == "ceil":
        r = hi
    else:
        r = lo if t - lo < hi - t else hi
    return step_of(r, shift)


@settings(max_examples=300, deadline=None)
@given(t=_DATETIMES.map(lambda x: x.replace(microsecond=0)), step=st.sampled_from(STEPS[1:]),
       shift=st.integers(-3, 3))
def test_rounding_matches_datetime_arithmetic(t, step, shift):
    expect = _oracle_round(t, step, shift)
    assert fmt(t.strftime("%Y-%m-%d %H:%M:%S"), ISO_T, ISO_T, step, shift) \
        == expect.strftime("%Y-%m-%d %H:%M:%S")
    v = round_value(DateValue.of(t), step, shift)
    assert v == DateValue.of(expect)


# ----------------------------------------------------------------------- round trips


def _field_parts(pattern: str, needed: bool = False) -> set[str]:
    """Which parts of a value a pattern carries (needed=False: when parsing) or needs (True:
    when formatting): y, m, d, H (hour), n (minute), s (second)."""
    parts = set()
    for kind, f in pattern_pieces(pattern):
        if kind != "field":
            continue
        if f in ("yyyy", "yy"):
            parts.add("y")
        elif f in ("ddd", "dddd", "DDD", "DDDD", "ww", "w"):  # these need a full date
            parts |= {"y", "m", "d"} if needed else set()
        elif f == "q":
            parts |= {"m"} if needed else set()
        elif f in ("j", "jjj"):  # with its year a day of the year names month and day
            parts |= {"y", "m", "d"} if needed else {"m", "d"}
        elif f == "GGGG":  # in an input pattern always with a week and a weekday: the day
            parts |= {"y", "m", "d"}
        elif f in ("AM", "am"):
            parts |= {"H"} if needed else set()
        elif f[0] in "mM":
            parts.add("m")
        elif f in ("d", "dd", "do"):
            parts.add("d")
        elif f[0] in "Hh":
            parts.add("H")
        elif f[0] in "ns":
            parts.add(f[0])
    return parts


def _project(t: dt.datetime, parts: set[str]) -> DateValue:
    secs = None
    if "H" in parts:
        secs = t.hour * 3600 + ("n" in parts) * t.minute * 60 + ("s" in parts) * t.second
    return DateValue(t.year if "y" in parts else None, t.month if "m" in parts else None,
                     t.day if "d" in parts else None, secs)


OUT_PATTERNS = [ISO, ISO_T, "{dddd}, {mmmm} {do} {yy}", "{h}:{nn} {AM} Q{q} W{ww}", "{m}/{d}",
                "{H}h{n}m{s}s", "{MMM} {DDD} {am}"]


def _check_round_trip(t: dt.datetime, p: str) -> None:
    """Text written with input pattern p parses back under p (and parse_patterns finds p), to
    the parts of t that p carries, and DATETEXT renders it with any output pattern as it should."""
    v = DateValue.of(t)
    text = render_pattern(v, p)
    assert text is not None, p
    w = parse(text, p)
    assert w == _project(t, _field_parts(p)), (p, text)
    if _field_parts(p, needed=True) <= _field_parts(p):  # not "{ddd} {d} {mmm}"
        assert render_pattern(w, p) == text, p
    assert p in parse_patterns(text), (p, text)
    for p2 in OUT_PATTERNS:
        assert datetext(text, p, p2, "", 0) == render_pattern(w, p2), (p, p2)
        if _field_parts(p2, needed=True) <= _field_parts(p):  # p2 needs only what p has
            assert datetext(text, p, p2, "", 0) == render_pattern(v, p2), (p, p2)


@pytest.mark.parametrize("t", [dt.datetime(2024, 12, 25, 18, 5, 7), dt.datetime(1931, 2, 3),
                               dt.datetime(2029, 11, 11, 12, 59, 59)])
def test_round_trip_every_input_pattern(t):
    for p in INPUT_PATTERNS:
        _check_round_trip(t, p)


@settings(max_examples=300, deadline=None)
@given(t=_DATETIMES, p=st.sampled_from(INPUT_PATTERNS))
def test_round_trip_property(t, p):
    _check_round_trip(t.replace(microsecond=0), p)


@settings(max_examples=200, deadline=None)
@given(t=st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_formatting_matches_strftime(t):
    text = t.strftime("%Y-%m-%d %H:%M:%S")
    if t.year < 1000:
        text = "%04d" % t.year + text[text.index("-"):]  # strftime may not pad the year
    got = fmt(text, ISO_T, "{dddd}|{ddd}|{mmmm}|{mmm}|{dd}|{mm}|{HH}|{hh}|{AM}|{nn}|{ss}|{ww}|{GGGG}|{jjj}|{j}")
    iso = t.isocalendar()
    day = t.timetuple().tm_yday
    expect = t.strftime("%A|%a|%B|%b|%d|%m|%H|%I|%p|%M|%S|") + "%02d|%04d|%03d|%d" % (iso[1], iso[0], day, day)
    assert got == expect


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=dt.date(1, 1, 4), max_value=dt.date(9999, 12, 28)))
def test_iso_week_dates_and_days_of_the_year_parse_back(d):
    """An ISO week date (ISO year, week, weekday name) and a year with its day of the year
    each name one day: parsing them gives the date back, as Python's calendar says."""
    iso = d.isocalendar()
    text = "%s, %04dW%02d" % (d.strftime("%A"), iso[0], iso[1])
    assert fmt(text, "{dddd}, {GGGG}W{ww}", "{yyyy}-{mm}-{dd}") == "%04d-%02d-%02d" % (d.year, d.month, d.day)
    text = "%04d %d" % (d.year, d.timetuple().tm_yday)
    assert fmt(text, "{yyyy} {j}", "{yyyy}-{mm}-{dd}") == "%04d-%02d-%02d" % (d.year, d.month, d.day)


def test_iso_week_dates_and_days_of_the_year():
    assert fmt("1 Jan 1999", "{d} {mmm} {yyyy}", "{dddd}, {GGGG}W{ww}") == "Friday, 1998W53"
    assert fmt("30 Dec 1997", "{d} {mmm} {yyyy}", "{GGGG}W{ww}") == "1998W01"
    assert fmt("Sunday, 2143W12", "*md", "{d} {m} {yyyy}") == "24 3 2143"
    assert fmt("Monday, 2143W12", "{dddd}, {GGGG}W{ww}", "{d}") == "18"
    assert fmt("2143W12", "{GGGG}W{ww}", "{d}") is None  # no weekday: no day
    assert fmt("Sunday, 2143W54", "{dddd}, {GGGG}W{ww}", "{d}") is None
    assert fmt("1846 231", "*md", "{d} {mmm}") == "19 Aug"
    assert fmt("2024 366", "{yyyy} {j}", "{mm}-{dd}") == "12-31"
    assert fmt("2023 366", "{yyyy} {j}", "{mm}-{dd}") is None
    assert fmt("2023 0", "{yyyy} {j}", "{mm}-{dd}") is None
    assert fmt("231", "{j}", "{mm}-{dd}") is None  # no year: no day
    assert fmt("2024-02-01 032", "{yyyy}-{mm}-{dd} {jjj}", "{j}") == "32"
    assert fmt("2024-02-02 032", "{yyyy}-{mm}-{dd} {jjj}", "{j}") is None  # must agree
    assert fmt("8142089", "*md", "{yyyy}-{mm}-{dd}") == "2089-08-14"  # month without its zero
    assert fmt("11071712", "*md", "{yyyy}-{mm}-{dd}") == "1712-11-07"
    assert fmt("Feb 3", "{mmm} {d}", "{j}") is None  # a partial date has no day of the year


# -------------------------------------------------------------------- never raising


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=30) | st.sampled_from(["2024-03-05", "3/4/24 8:30 PM", "12AM"]),
       fin=st.sampled_from(INPUT_PATTERNS[:60])
       | st.text(alphabet="{}|ymdHhnsAMqwo -/:", max_size=20),
       fout=st.sampled_from(OUT_PATTERNS) | st.text(alphabet="{}ymdHhnsAMqwDo -/:", max_size=20),
       step=st.sampled_from(STEPS) | st.text(max_size=15),
       shift=st.integers(-10 ** 20, 10 ** 20) | st.integers(-5, 5))
def test_never_raises(text, fin, fout, step, shift):
    out = datetext(text, fin, fout, step, shift)
    assert out is None or isinstance(out, str)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="0123456789/-.: APMapmJanFebSeptMonday,", max_size=25))
def test_never_raises_on_date_like_text(text):
    found = parse_patterns(text)
    for p in found:
        assert parse(text, p) is not None
    out = datetext(text, "|".join(INPUT_PATTERNS), "{yyyy}|{mm}|{dd}|{H}", "", 0)
    assert out is None or found


# ----------------------------------------------------------------- synthesis helpers


def test_input_patterns_list():
    assert len(INPUT_PATTERNS) == len(set(INPUT_PATTERNS))
    assert INPUT_PATTERNS[0] == "{yyyy}-{mm}-{dd}"
    for p in ["{yyyy}-{m}-{d}", "{m}/{d}/{yyyy}", "{d}/{m}/{yyyy}", "{m}/{d}/{yy}",
              "{d}.{m}.{yyyy}", "{mmm} {d} {yyyy}", "{mmm} {d}, {yyyy}", "{d}-{mmm}-{yy}",
              "{d}-{mmm}-{yyyy}", "{d} {mmm}", "{mm}{dd}{yyyy}", "{yyyy}{mm}{dd}",
              "{yyyy}--{m}--{d}", "{H}:{nn}", "{H}:{nn}:{ss}", "{h}:{nn}{AM}", "{h}:{nn} {AM}",
              "{h}{AM}", "{h}:{nn}:{ss} {AM}", "{m}/{d}/{yyyy} {h}:{nn} {AM}",
              "{yyyy}-{mm}-{dd}T{H}:{nn}:{ss}"]:
        assert p in INPUT_PATTERNS, p
    for p in INPUT_PATTERNS:
        assert pattern_pieces(p) is not None and "|" not in p
    assert 1 <= len(STEPS) <= 60 and STEPS[0] == "" and len(set(STEPS)) == len(STEPS)
    v = DateValue(2024, 3, 5, 3600)
    assert all(round_value(v, s, 1) is not None for s in STEPS[1:])


def test_parse_patterns_examples():
    assert parse_patterns("2024-03-05")[:2] == ["{yyyy}-{mm}-{dd}", "{yyyy}-{m}-{d}"]
    assert parse_patterns("2024-3-5") == ["{yyyy}-{m}-{d}"]
    assert parse_patterns("18:25:57") == ["{H}:{nn}:{ss}"]
    assert parse_patterns("6:25 PM") == ["{h}:{nn} {AM}"]
    assert "{mmm} {do}, {yyyy}" in parse_patterns("Sept. 5th, 2024")
    assert parse_patterns("2024-03-05T10:30:00Z") == ["{yyyy}-{mm}-{dd}T{H}:{nn}:{ss}Z",
                                                      "{yyyy}-{m}-{d}T{H}:{nn}:{ss}Z"]
    assert parse_patterns("13/13/2024") == []


def test_parse_render_value():
    v = parse("3/30/2002 6:05 PM", "{m}/{d}/{yyyy} {h}:{nn} {AM}")
    assert v == DateValue(2002, 3, 30, 18 * 3600 + 5 * 60)
    assert v.has_date and v.has_time
    assert v.date == dt.date(2002, 3, 30) and v.time == dt.time(18, 5)
    assert parse("12:30AM", "{h}:{nn}{AM}") == DateValue(seconds=30 * 60)
    assert parse("12PM", "{h}{AM}").time == dt.time(12)
    assert parse("nope", "{H}:{nn}") is None
    assert render(v, "yyyy") == "2002" and render(v, "mmmm") == "March" and render(v, "h") == "6"
    assert render(v, "AM") == "PM" and render(v, "am") == "pm" and render(v, "do") == "30th"
    assert render(v, "nope") is None
    assert render(DateValue(seconds=60), "yyyy") is None
    assert set(OUTPUT_FIELDS) == {"yyyy", "yy", "m", "mm", "mmm", "mmmm", "MMM", "MMMM", "d",
                                  "dd", "do", "ddd", "dddd", "DDD", "DDDD", "q", "ww", "w", "H",
                                  "HH", "h", "hh", "nn", "n", "ss", "s", "AM", "am", "j", "jjj", "GGGG"}
    for f in OUTPUT_FIELDS:  # every field renders, and agrees with DATETEXT
        r = render(v, f)
        assert r and datetext("3/30/2002 6:05 PM", "{m}/{d}/{yyyy} {h}:{nn} {AM}", "{" + f + "}",
                              "", 0) == r


def test_round_value():
    v = DateValue(2024, 3, 5, 18 * 3600 + 25 * 60)
    assert round_value(v, "floor 2 hour", 1) == DateValue(2024, 3, 5, 20 * 3600)
    assert round_value(v, "", 0) == v
    assert round_value(v, "", 1) is None
    assert round_value(v, "ceil 1 month", 0) == DateValue(2024, 4, 1, 0)
    assert round_value(DateValue(seconds=0), "floor 1 day", 0) is None


def test_witness():
    v = DateValue(2024, 3, 5, 18 * 3600 + 5 * 60)
    target = "Mar 5, 6:05PM (2024)"
    assert witness(v, target, 0) == [("mmm", "Mar")]
    assert witness(v, target, 4) == [("d", "5"), ("n", "5")]
    assert set(witness(v, target, 7)) == {("h", "6")}
    assert set(witness(v, target, 9)) == {("dd", "05"), ("nn", "05"), ("s", "0")}
    assert witness(v, target, 11) == [("AM", "PM")]
    assert set(witness(v, target, 15)) == {("yyyy", "2024"), ("GGGG", "2024")}  # its ISO year too
    assert set(witness(v, target, 17)) == {("yy", "24")}
    assert witness(v, target, 3) == [] and witness(v, target, len(target)) == []
    assert witness(v, "March", 0) == [("mmm", "Mar"), ("mmmm", "March")]
    for pos in range(len(target)):
        for f, r in witness(v, target, pos):
            assert render(v, f) == r and target[pos:pos + len(r)] == r


def test_output_pattern():
    pieces = [("field", "dddd"), ("lit", ", {"), ("field", "mmm"), ("lit", "} |"),
              ("field", "yyyy")]
    p = output_pattern(pieces)
    assert p == "{dddd}, {{{mmm}}} |{yyyy}"
    assert pattern_pieces(p) == pieces
    assert datetext("2024-03-04", ISO, p, "", 0) == "Monday, {Mar} |2024"
    assert output_pattern([]) == ""
    with pytest.raises(ValueError):
        output_pattern([("field", "year")])
    with pytest.raises(ValueError):
        output_pattern([("text", "x")])


# ------------------------------------------------------ standalone source (to_python)


@functools.cache
def _standalone_namespace() -> dict:
    (op,) = DATE_OPS
    src = "\n\n\n".join([function_source(h) for h in op.helpers] + [function_source(op.fn)])
    for node in ast.walk(ast.parse(src)):
        assert not isinstance(node, ast.ImportFrom) or not node.module.startswith("synth")
        assert not isinstance(node, ast.Import) or all("synth" not in a.name for a in node.names)
    ns: dict = {"__builtins__": builtins}
    exec(compile(src, "<datetext>", "exec"), ns)
    return ns


def test_standalone_source_uses_only_its_helpers_and_builtins():
    (op,) = DATE_OPS
    allowed = {h.__name__ for h in op.helpers} | set(dir(builtins))

    def global_names(code):
        for ins in dis.get_instructions(code):
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME", "STORE_GLOBAL"):
                yield ins.argval
        for c in code.co_consts:
            if hasattr(c, "co_code"):
                yield from global_names(c)

    for fn in op.helpers + (op.fn,):
        assert set(global_names(fn.__code__)) <= allowed, fn.__name__


SAMPLES = [
    ("3/30/2002", "{m}/{d}/{yyyy}", "{yyyy}-{mm}-{dd}", "", 0),
    ("18:25:57", "{H}:{nn}:{ss}", "{h}{AM}", "floor 2 hour", 1),
    ("Monday, March 4, 2024 6:05 PM", "{dddd}, {mmmm} {d}, {yyyy} {h}:{nn} {AM}",
     "{DDD} {do} {MMM} {yy} W{ww} Q{q} {HH}{nn}{ss}", "round 15 min", 0),
    ("25/12/2024", "{m}/{d}/{yyyy}|{d}/{m}/{yyyy}", "{{{dddd}}}", "ceil 1 week", -1),
    ("2024-11-15 08:00", "{yyyy}-{mm}-{dd} {HH}:{nn}", "{mmmm} {yyyy}", "floor 3 month", 1),
    ("2024", "{yyyy}", "{yyyy}", "floor 10 year", 0),
    ("Nov 2024", "{mmm} {yyyy}", "{mmm} {yyyy}", "round 1 year", 0),
    ("2/29/2023", "{m}/{d}/{yyyy}", "{d}", "", 0),
    ("23:30", "{H}:{nn}", "{H}:{nn} {am}", "ceil 1 hour", 3),
    ("2024-01-31 10:00:00", ISO_T, ISO_T, "ceil 2 day", 0),
    ("", "{H}", "{H}", "", 0),
    ("garbage", "{bad", "{H}", "bad step", 0),
]


def test_standalone_source_behaves_like_the_module():
    ns = _standalone_namespace()
    for args in SAMPLES:
        assert ns["datetext"](*args) == datetext(*args), args


@settings(max_examples=100, deadline=None)
@given(t=_DATETIMES, fin=st.sampled_from(INPUT_PATTERNS), fout=st.sampled_from(OUT_PATTERNS),
       step=st.sampled_from(STEPS), shift=st.integers(-3, 3))
def test_standalone_source_property(t, fin, fout, step, shift):
    ns = _standalone_namespace()
    text = render_pattern(DateValue.of(t), fin)
    assert ns["datetext"](text, fin, fout, step, shift) == datetext(text, fin, fout, step, shift)


class _OneOpDomain:
    """Just enough of a Domain for op_functions_source (the strings domain adds DATETEXT)."""

    name = "strings"

    def op(self, name):
        assert name == "DATETEXT"
        return DATE_OPS[0]

    def format(self, node):
        return "DATETEXT(x, ...)"


def test_program_source_runs_standalone():
    node = Apply("DATETEXT", (Var("x", "String"), Const("{m}/{d}/{yyyy}", "String"),
                              Const("{yyyy}-{mm}-{dd}", "String"), Const("", "String"),
                              Const(0, "Int")))
    src = op_functions_source(_OneOpDomain(), node)
    assert "import synth" not in src and "from synth" not in src
    ns: dict = {}
    exec(compile(src, "<program>", "exec"), ns)
    assert ns["program"]("3/30/2002") == "2002-03-30"
    with pytest.raises(ValueError):
        ns["program"]("2/30/2002")


@given(t=_DATETIMES, p=st.sampled_from(OUT_PATTERNS + INPUT_PATTERNS[:40]),
       drop=st.sets(st.sampled_from(["date", "time", "year"])))
def test_render_pattern_is_the_reference_format(t, p, drop):
    """render_pattern remembers field renderings; it must agree with the op's _dt_format."""
    from synth.dsl.strings.dates import _dt_format

    v = DateValue.of(t)
    y, m, d, s = v.astuple()
    v = DateValue(None if {"date", "year"} & drop else y, None if "date" in drop else m,
                  None if "date" in drop else d, None if "time" in drop else s)
    assert render_pattern(v, p) == _dt_format(v.astuple(), p)
    assert render_pattern(v, p) == render_pattern(v, p)
