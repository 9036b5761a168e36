"""Dates and times for Flash Fill-style spreadsheet transformations: the ``DATETEXT`` op and the
helpers a synthesizer uses to find its arguments.

``DATETEXT(text, in_formats, out_format, step, shift)`` parses a cell as a date and/or time,
optionally rounds it to a grid (and moves it along the grid), and renders it again::

    DATETEXT("3/30/2002", "{m}/{d}/{yyyy}", "{yyyy}-{mm}-{dd}", "", 0)   -> "2002-03-30"
    DATETEXT("18:25:57", "{H}:{nn}:{ss}", "{h}{AM}", "floor 2 hour", 1)  -> "8PM"

Patterns
--------
A pattern is literal text with ``{field}`` placeholders; ``{{`` and ``}}`` are literal braces.
``in_formats`` holds one or more patterns separated by ``|`` (so an input pattern cannot hold a
literal ``|``; ``out_format`` is a single pattern and may). The text, stripped of surrounding
whitespace, must match a whole pattern; the patterns are tried in order and the first under
which the text parses to a *valid* value wins (a text that matches the first pattern's shape
but is an invalid date there, e.g. 13/25/2024 under ``{m}/{d}/{yyyy}``, goes on to the next).
Matching is case-insensitive (literals too); digits are ASCII only. The alternative ``*md``
stands for every common pattern (``INPUT_PATTERNS``) except the numeric ones that read the day
before the month, ``*dm`` for all but those that read the month before the day: a list ending in
``*md`` reads formats the examples did not show without ever swapping day and month.

=======  =====================================  ==========================================
field    formatting                             parsing
=======  =====================================  ==========================================
yyyy     year, 4 digits (0999)                  4 digits, 0001-9999
yy       year mod 100, 2 digits                 2 digits: 00-29 -> 2000s, 30-99 -> 1900s
m        month, no padding (3)                  1-2 digits (leading zero accepted)
mm       month, 2 digits (03)                   2 digits
mmm      month abbreviation (Mar)               a month name: Mar, Mar., March, Sept, ...
mmmm     month name (March)                     same as mmm
MMM      upper-case abbreviation (MAR)          same as mmm
MMMM     upper-case name (MARCH)                same as mmm
d, dd    day, unpadded / 2 digits               1-2 / 2 digits
do       ordinal day (1st, 2nd, 23rd, 11th)     digits + the correct suffix
ddd      weekday abbreviation (Mon)             a weekday name (Mon, Mon., Monday, Tues,
dddd     weekday name (Monday)                  Thurs, ...); must agree with the date when
DDD      upper-case abbreviation (MON)          the value has a full date, else ignored
DDDD     upper-case name (MONDAY)
q        quarter 1-4                            1-4; must agree with the month if any
ww, w    ISO 8601 week number, 2 digits /       2 / 1-2 digits; must agree with a full
         unpadded                               date, else ignored (but see GGGG)
GGGG     ISO 8601 week-numbering year, 4        4 digits; with ww/w and a weekday name it
         digits (1 Jan 1999 is in 1998W53)      names the day (an ISO week date)
j, jjj   day of the year, unpadded / 3 digits   1-3 / 3 digits; with a year it names the
                                                month and day
H, HH    hour 0-23, unpadded / 2 digits         1-2 / 2 digits
h, hh    hour 1-12, unpadded / 2 digits         0-12 (0 AM is 12 AM); the pattern needs {AM}
nn, n    minutes, 2 digits / unpadded           2 / 1-2 digits
ss, s    seconds, 2 digits / unpadded           2 / 1-2 digits
AM       AM or PM                               am, pm, a.m., A.M., a.m (any case)
am       am or pm                               same as AM
=======  =====================================  ==========================================

An unknown field name or an unbalanced brace makes the pattern (and the op) undefined.

Values
------
A value has optional year, month and day and an optional time of day (seconds since midnight,
no fractions). A date part may be partial ("{d} {mmm}" has no year, "{mmm} {yyyy}" no day;
February 29 without a year is accepted). A time needs an hour; missing minutes and seconds are
0 ("8PM" is 20:00:00). Minutes or seconds without an hour, a 12-hour hour without AM/PM, an hour
with AM/PM outside 0-12, or a pattern with no fields do not parse. Two fields giving the same
part must agree. Formatting a field the value lacks (a year of "{d} {mmm}", an hour of a date,
a weekday of a date without a year) is undefined: nothing is invented.

Steps
-----
``step`` is "" (no rounding; ``shift`` must then be 0) or "<mode> <n> <unit>" with mode
``floor``/``ceil``/``round``, a positive integer n and unit ``sec``/``min``/``hour``/``day``/
``week``/``month``/``year`` (exactly these spellings). The value is moved to a grid point of
n-unit blocks, then ``shift * n`` units are added (``floor 2 hour`` with shift 1 gives the end
of the 2-hour block, for ranges such as "6PM to 8PM"). ``round`` picks the nearer grid point,
ties going up (later). The grids:

* sec/min/hour: blocks of n units from midnight of the value's day; a block that would cross
  midnight ends there (with "floor 7 hour": 0, 7, 14, 21, 24). Needs a time. A result past
  midnight carries into the date when the value has a full date, wraps around the 24-hour clock
  when it has no date part, and is undefined when its date is partial.
* day: blocks of n days from the 1st of the month, the last one ending at the month's end.
  Needs a full date; the time (if any) becomes 00:00:00.
* week: blocks of 7n days of weeks starting on Monday, counted from Monday 0001-01-01 (for
  n = 1 simply: Monday of the week). Needs a full date; the time becomes 00:00:00.
* month: blocks of n months from January, the last ending at the year's end (n = 3:
  quarters). Needs a year and a month; a missing day counts as the 1st and stays missing.
  The result is the first of a month at 00:00:00.
* year: years that are multiples of n (n = 10: decades). Needs a year; missing month/day
  count as January/1st and stay missing.

A result outside the years 1-9999 is undefined.

Self-containment
----------------
``Program.to_python`` copies ``datetext`` and the functions in ``DATETEXT_HELPERS`` into
generated code, so these only import inside themselves, keep their tables in ``_dt_names`` and
refer to each other by their module-level names. Their compiled patterns are memoized in the
functions' own ``__dict__`` (which works the same in the generated copy).

The synthesis helpers below them (``INPUT_PATTERNS``, ``parse_patterns``, ``parse``, ``render``,
``round_value``, ``STEPS``, ``witness``, ``output_pattern``...) are ordinary module code.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable, Sequence

from synth.dsl.base import Op

# ------------------------------------------------------------------ the op and its helpers
# Everything from here to DATETEXT_HELPERS is copied into generated code: self-contained.


def _dt_names():
    """The tables DATETEXT needs: (month names, weekday names from Monday, field names)."""
    return (
        ("January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"),
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        ("yyyy", "yy", "m", "mm", "mmm", "mmmm", "MMM", "MMMM", "d", "dd", "do", "ddd", "dddd",
         "DDD", "DDDD", "q", "ww", "w", "H", "HH", "h", "hh", "nn", "n", "ss", "s", "AM", "am",
         "j", "jjj", "GGGG"),
    )


def _dt_tokens(pattern):
    """A pattern as a tuple of ("lit", text) and ("field", name) pieces, or None if malformed."""
    cache = _dt_tokens.__dict__.setdefault("cache", {})
    got = cache.get(pattern, False)
    if got is not False:
        return got
    fields = _dt_names()[2]
    out = []
    lit = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "{" or c == "}":
            if pattern.startswith(c + c, i):
                lit.append(c)
                i += 2
                continue
            j = pattern.find("}", i + 1)
            if c == "}" or j < 0 or pattern[i + 1:j] not in fields:
                out = None
                break
            if lit:
                out.append(("lit", "".join(lit)))
                lit = []
            out.append(("field", pattern[i + 1:j]))
            i = j + 1
        else:
            lit.append(c)
            i += 1
    if out is not None:
        if lit:
            out.append(("lit", "".join(lit)))
        out = tuple(out)
    if len(cache) > 4096:
        cache.clear()
    cache[pattern] = out
    return out


def _dt_regex(pattern):
    """The compiled regex matching a pattern (one group per field, in order), or None."""
    import re

    cache = _dt_regex.__dict__.setdefault("cache", {})
    got = cache.get(pattern, False)
    if got is not False:
        return got
    toks = _dt_tokens(pattern)
    rx = None
    if toks is not None:
        months, days, _ = _dt_names()

        def names(full, extra):
            alts = []
            for name in full:
                a, rest = name[:3].lower(), name[3:].lower()
                opts = ([rest] if rest else []) + extra.get(a, []) + [r"\."]
                alts.append(a + "(?:" + "|".join(opts) + ")?")
            return "|".join(alts)

        month = names(months, {"sep": [r"t\.?"]})
        weekday = names(days, {"tue": [r"s\.?"], "thu": [r"rs?\.?"]})
        one2, two = "[0-9]{1,2}", "[0-9]{2}"
        frag = {
            "yyyy": "[0-9]{4}", "yy": two, "m": one2, "mm": two, "d": one2, "dd": two,
            "do": "[0-9]{1,2}(?:st|nd|rd|th)", "q": "[1-4]", "ww": two, "w": one2,
            "H": one2, "HH": two, "h": one2, "hh": two, "nn": two, "n": one2, "ss": two,
            "s": one2, "AM": r"[ap]\.?m\.?", "am": r"[ap]\.?m\.?",
            "j": "[0-9]{1,3}", "jjj": "[0-9]{3}", "GGGG": "[0-9]{4}",
            "mmm": month, "mmmm": month, "MMM": month, "MMMM": month,
            "ddd": weekday, "dddd": weekday, "DDD": weekday, "DDDD": weekday,
        }
        rx = re.compile("".join(re.escape(t) if k == "lit" else "(" + frag[t] + ")"
                                for k, t in toks), re.IGNORECASE | re.ASCII)
    if len(cache) > 4096:
        cache.clear()
    cache[pattern] = rx
    return rx


def _dt_ordinal(y, m, d):
    """Day number of a proleptic Gregorian date like ``date.toordinal`` (any y, 1 <= m <= 12)."""
    p = y - 1
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    before = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)[m - 1]
    return p * 365 + p // 4 - p // 100 + p // 400 + before + (1 if m > 2 and leap else 0) + d


def _dt_parse1(text, pattern):
    """The value (year, month, day, seconds) - each None where absent - of text under one
    pattern, or None where it does not match or is invalid."""
    import datetime

    rx = _dt_regex(pattern)
    if rx is None:
        return None
    mt = rx.fullmatch(text.strip())
    if mt is None:
        return None
    toks = _dt_tokens(pattern)
    months, days, _ = _dt_names()
    got = {}
    for name, g in zip([t for k, t in toks if k == "field"], mt.groups()):
        c = name[0]
        if name == "yyyy":
            key, v = "y", int(g)
        elif name == "yy":
            v = int(g)
            key, v = "y", v + (2000 if v < 30 else 1900)
        elif c == "m" or c == "M":
            key = "m"
            v = int(g) if c == "m" and len(name) <= 2 else \
                [x[:3].lower() for x in months].index(g[:3].lower()) + 1
        elif name == "do":
            v = int(g[:-2])
            suffix = "th" if 11 <= v % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(v % 10, "th")
            if g[-2:].lower() != suffix:
                return None
            key = "d"
        elif name == "d" or name == "dd":
            key, v = "d", int(g)
        elif c == "d" or c == "D":
            key, v = "wd", [x[:3].lower() for x in days].index(g[:3].lower())
        elif c == "H":
            key, v = "H", int(g)
        elif c == "h":
            key, v = "h", int(g)
        elif c == "n":
            key, v = "n", int(g)
        elif c == "s":
            key, v = "s", int(g)
        elif c == "A" or c == "a":
            key, v = "ap", 1 if g[0] in "pP" else 0
        elif c == "q":
            key, v = "q", int(g)
        elif c == "j":
            key, v = "j", int(g)
        elif c == "G":
            key, v = "G", int(g)
        else:  # ww, w
            key, v = "ww", int(g)
        if got.setdefault(key, v) != v:
            return None
    y, m, d = got.get("y"), got.get("m"), got.get("d")
    if "G" in got:  # an ISO week date: ISO year, week and weekday name the day
        if "ww" not in got or "wd" not in got or not 1 <= got["G"] <= 9999:
            return None
        try:
            date = datetime.date.fromisocalendar(got["G"], got["ww"], got["wd"] + 1)
        except ValueError:
            return None
        if any(a is not None and a != b for a, b in ((y, date.year), (m, date.month), (d, date.day))):
            return None
        y, m, d = date.year, date.month, date.day
    if "j" in got:  # a day of the year names the month and day
        if y is None or not 1 <= y <= 9999 or not 1 <= got["j"] <= 366:
            return None
        date = datetime.date.fromordinal(_dt_ordinal(y, 1, 1) + got["j"] - 1)
        if date.year != y or m is not None and m != date.month or d is not None and d != date.day:
            return None
        m, d = date.month, date.day
    if y is not None and y < 1 or m is not None and not 1 <= m <= 12 \
            or d is not None and not 1 <= d <= 31:
        return None
    full = y is not None and m is not None and d is not None
    if full:
        if d > 28 and d > _dt_ordinal(y + m // 12, m % 12 + 1, 1) - _dt_ordinal(y, m, 1):
            return None
    elif m is not None and d is not None \
            and d > (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]:
        return None
    if "q" in got and m is not None and (m - 1) // 3 + 1 != got["q"]:
        return None
    if full and "wd" in got and datetime.date(y, m, d).weekday() != got["wd"]:
        return None
    if full and "ww" in got and datetime.date(y, m, d).isocalendar()[1] != got["ww"]:
        return None
    hour = None
    ap = got.get("ap")
    for key in ("H", "h"):
        if key in got:
            v = got[key]
            if ap is not None:
                if not 0 <= v <= 12:  # "0:30 AM" is written for 12:30 AM too
                    return None
                v = v % 12 + 12 * ap
            elif key == "h":
                return None
            if hour is not None and hour != v:
                return None
            hour = v
    secs = None
    if hour is not None:
        mi, s = got.get("n", 0), got.get("s", 0)
        if hour > 23 or mi > 59 or s > 59:
            return None
        secs = hour * 3600 + mi * 60 + s
    elif "n" in got or "s" in got:
        return None
    if y is None and m is None and d is None and secs is None:
        return None
    return (y, m, d, secs)


def _dt_parse(text, in_formats):
    """The value of text under the first of the ``|``-separated patterns it parses under; the
    alternative ``*md`` (``*dm``) stands for every common pattern (``_dt_patterns``) except the
    numeric ones that read the day before the month (the month before the day)."""
    for pattern in in_formats.split("|"):
        if pattern in ("*md", "*dm"):
            cache = _dt_parse.__dict__.setdefault("common", {})
            if pattern not in cache:
                skip = "{d}" if pattern == "*md" else "{m}"
                other = "{m}" if pattern == "*md" else "{d}"
                keep = []
                for p in _dt_patterns():
                    q = p.replace("{dd}", "{d}").replace("{mm}", "{m}")
                    if skip in q and other in q and q.index(skip) < q.index(other):
                        continue  # numeric day and month in the other order
                    keep.append(p)
                cache[pattern] = keep
            for p in cache[pattern]:
                v = _dt_parse1(text, p)
                if v is not None:
                    return v
            continue
        v = _dt_parse1(text, pattern)
        if v is not None:
            return v
    return None


def _dt_render(v, field):
    """One field of a value (year, month, day, seconds) as text, or None if the value lacks it."""
    import datetime

    y, m, d, secs = v
    c = field[0]
    if c == "y":
        if y is None:
            return None
        return "%04d" % y if field == "yyyy" else "%02d" % (y % 100)
    if field == "m" or field == "mm" or field == "q":
        if m is None:
            return None
        return str(m) if field == "m" else "%02d" % m if field == "mm" else str((m - 1) // 3 + 1)
    if c == "m" or c == "M":
        if m is None:
            return None
        name = _dt_names()[0][m - 1]
        name = name if len(field) == 4 else name[:3]
        return name.upper() if c == "M" else name
    if field == "d" or field == "dd" or field == "do":
        if d is None:
            return None
        if field == "d":
            return str(d)
        if field == "dd":
            return "%02d" % d
        return str(d) + ("th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th"))
    if c == "d" or c == "D" or c == "w":
        if y is None or m is None or d is None:
            return None
        date = datetime.date(y, m, d)
        if c == "w":
            week = date.isocalendar()[1]
            return str(week) if field == "w" else "%02d" % week
        name = _dt_names()[1][date.weekday()]
        name = name if len(field) == 4 else name[:3]
        return name.upper() if c == "D" else name
    if c == "j" or c == "G":
        if y is None or m is None or d is None:
            return None
        if c == "G":
            return "%04d" % datetime.date(y, m, d).isocalendar()[0]
        day = _dt_ordinal(y, m, d) - _dt_ordinal(y, 1, 1) + 1
        return str(day) if field == "j" else "%03d" % day
    if secs is None:
        return None
    if c == "H" or c == "h":
        hour = secs // 3600
        if c == "h":
            hour = hour % 12 or 12
        return str(hour) if len(field) == 1 else "%02d" % hour
    if c == "n":
        return "%02d" % (secs // 60 % 60) if field == "nn" else str(secs // 60 % 60)
    if c == "s":
        return "%02d" % (secs % 60) if field == "ss" else str(secs % 60)
    if field == "AM":
        return "PM" if secs >= 43200 else "AM"
    if field == "am":
        return "pm" if secs >= 43200 else "am"
    return None


def _dt_format(v, pattern, render=None):
    """A value rendered with a pattern, or None (bad pattern, or a field the value lacks);
    ``render(v, field)`` renders one field (``_dt_render`` unless the caller remembers its
    answers)."""
    toks = _dt_tokens(pattern)
    if toks is None:
        return None
    render = render or _dt_render
    out = []
    for kind, t in toks:
        if kind == "lit":
            out.append(t)
        else:
            r = render(v, t)
            if r is None:
                return None
            out.append(r)
    return "".join(out)


def _dt_round(v, step, shift):
    """A value moved to the grid of ``step`` ("floor 15 min") and then ``shift`` steps on, or
    None (bad step, missing parts, out of range); step "" leaves it (shift must be 0). A time
    step may name the size of the shift: "round 30 min by 15 min" moves ``shift`` quarter hours
    from the nearest half hour."""
    import datetime

    parts = step.split()
    if not parts:
        return v if shift == 0 else None
    by = None
    if len(parts) == 6 and parts[3] == "by" and parts[5] in ("sec", "min", "hour") \
            and parts[4].isascii() and parts[4].isdigit() and int(parts[4]) >= 1:
        by = int(parts[4]) * (1 if parts[5] == "sec" else 60 if parts[5] == "min" else 3600)
        parts = parts[:3]
    if len(parts) != 3 or parts[0] not in ("floor", "ceil", "round") \
            or not (parts[1].isascii() and parts[1].isdigit()) or int(parts[1]) < 1:
        return None
    mode, n, unit = parts[0], int(parts[1]), parts[2]
    if by is not None and unit not in ("sec", "min", "hour"):
        return None
    y, m, d, secs = v
    s = secs or 0

    def pick(t, lo, hi):  # the grid point for t in the block [lo, hi)
        if mode == "floor" or t == lo:
            return lo
        if mode == "ceil":
            return hi
        return lo if t - lo < hi - t else hi

    full = y is not None and m is not None and d is not None
    if unit in ("sec", "min", "hour"):
        if secs is None:
            return None
        size = n * (1 if unit == "sec" else 60 if unit == "min" else 3600)
        lo = secs // size * size
        carry, t = divmod(pick(secs, lo, min(lo + size, 86400)) + shift * (by or size), 86400)
        if carry:
            if full:
                o = _dt_ordinal(y, m, d) + carry
                if not 1 <= o <= 3652059:
                    return None
                date = datetime.date.fromordinal(o)
                y, m, d = date.year, date.month, date.day
            elif y is not None or m is not None or d is not None:
                return None
        return (y, m, d, t)
    if unit == "day" or unit == "week":
        if not full:
            return None
        if unit == "day":
            first = _dt_ordinal(y, m, 1)
            end = (_dt_ordinal(y + m // 12, m % 12 + 1, 1) - first) * 86400
            t, size = (d - 1) * 86400 + s, n * 86400
            lo = t // size * size
            o = first + pick(t, lo, min(lo + size, end)) // 86400 + shift * n
        else:
            t, size = (_dt_ordinal(y, m, d) - 1) * 86400 + s, 7 * n * 86400
            lo = t // size * size
            o = 1 + pick(t, lo, lo + size) // 86400 + shift * 7 * n
        if not 1 <= o <= 3652059:
            return None
        date = datetime.date.fromordinal(o)
        return (date.year, date.month, date.day, None if secs is None else 0)
    if unit == "month":
        if y is None or m is None:
            return None
        t = _dt_ordinal(y, m, d or 1) * 86400 + s
        b = (m - 1) // n * n  # the block's first month, 0-based
        lo = _dt_ordinal(y, b + 1, 1) * 86400
        hi = _dt_ordinal(y, b + n + 1, 1) if b + n < 12 else _dt_ordinal(y + 1, 1, 1)
        months = y * 12 + (b if pick(t, lo, hi * 86400) == lo else min(b + n, 12)) + shift * n
        y, m = months // 12, months % 12 + 1
        if not 1 <= y <= 9999:
            return None
        return (y, m, None if d is None else 1, None if secs is None else 0)
    if unit == "year":
        if y is None:
            return None
        t = _dt_ordinal(y, m or 1, d or 1) * 86400 + s
        b = y // n * n
        lo = _dt_ordinal(b, 1, 1) * 86400
        y = (b if pick(t, lo, _dt_ordinal(b + n, 1, 1) * 86400) == lo else b + n) + shift * n
        if not 1 <= y <= 9999:
            return None
        return (y, None if m is None else 1, None if d is None else 1, None if secs is None else 0)
    return None


def datetext(text, in_formats, out_format, step, shift):
    """Parse text with the first of the "|"-separated in_formats it fits (e.g. "{m}/{d}/{yyyy}"),
    round it by step ("", "floor 15 min", "ceil 1 month"...) plus shift steps, and render it
    with out_format (e.g. "{yyyy}-{mm}-{dd}"); error where it does not parse or a field is
    missing. See synth/dsl/strings/dates.py for the fields and the rounding rules."""
    try:
        v = _dt_parse(text, in_formats)
        if v is None:
            return None
        v = _dt_round(v, step, shift)
        if v is None:
            return None
        return _dt_format(v, out_format)
    except (ValueError, OverflowError, IndexError, TypeError, AttributeError):
        return None


#: the module-level functions datetext calls; Program.to_python copies them beside it
def _dt_patterns():
    """The common ways people type dates and times, generated (most usual first)."""
    out: dict[str, None] = {}
    seps = ["/", "-", ".", " ", "--", "//"]
    numeric = ["{yyyy}-{mm}-{dd}"]
    for sep in seps:
        numeric += [f"{{m}}{sep}{{d}}{sep}{{yyyy}}", f"{{d}}{sep}{{m}}{sep}{{yyyy}}",
                    f"{{yyyy}}{sep}{{m}}{sep}{{d}}"]
    for sep in seps:
        numeric += [f"{{m}}{sep}{{d}}{sep}{{yy}}", f"{{d}}{sep}{{m}}{sep}{{yy}}"]
    numeric += ["{yyyy}{mm}{dd}", "{mm}{dd}{yyyy}", "{dd}{mm}{yyyy}", "{m}{dd}{yyyy}"]
    # {mmm} parses abbreviations and full names alike (with an optional "."), as do {ddd}
    named = ["{mmm} {d}, {yyyy}", "{mmm} {d} {yyyy}", "{d} {mmm} {yyyy}", "{d} {mmm}, {yyyy}",
             "{d}. {mmm} {yyyy}",
             "{d}-{mmm}-{yyyy}", "{d}-{mmm}-{yy}", "{d}/{mmm}/{yyyy}", "{d} {mmm} {yy}",
             "{mmm}-{d}-{yyyy}", "{yyyy}-{mmm}-{d}", "{d}{mmm}{yyyy}", "{mmm} {do}, {yyyy}",
             "{mmm} {do} {yyyy}", "{do} {mmm} {yyyy}", "{do} of {mmm} {yyyy}",
             "{ddd}, {mmm} {d}, {yyyy}", "{ddd} {mmm} {d} {yyyy}", "{ddd}, {d} {mmm} {yyyy}",
             "{ddd} {d} {mmm} {yyyy}", "{ddd} {m}/{d}/{yyyy}"]
    partial = ["{mmm} {d}", "{d} {mmm}", "{mmm} {do}", "{do} {mmm}", "{mmm} {yyyy}",
               "{mmm}, {yyyy}", "{mmm}-{yyyy}", "{mmm}-{yy}", "{m}/{d}", "{d}/{m}", "{m}/{yyyy}",
               "{yyyy}-{mm}", "{ddd}, {mmm} {d}", "{ddd} {d} {mmm}"]
    # a day of the year after its year; ISO week dates with the weekday's name
    ordinal = ["{yyyy} {j}", "{ddd}, {GGGG}W{ww}", "{ddd} {GGGG}W{ww}", "{GGGG}-W{ww}-{ddd}"]
    times = ["{H}:{nn}", "{H}:{nn}:{ss}", "{H}.{nn}", "{h}:{nn}{AM}", "{h}:{nn} {AM}", "{h}{AM}", "{h} {AM}",
             "{h}:{nn}:{ss}{AM}", "{h}:{nn}:{ss} {AM}"]
    for p in numeric + named + partial + ordinal + times:
        out[p] = None
    for p in ("{yyyy}-{mm}-{dd}", "{yyyy}-{m}-{d}"):
        for t in ("{H}:{nn}", "{H}:{nn}:{ss}"):
            out[f"{p}T{t}"] = None
            out[f"{p}T{t}Z"] = None
    for p in numeric + named:
        for t in times:
            out[f"{p} {t}"] = None
    for p in named:
        for t in times:
            out[f"{p}, {t}"] = None
            out[f"{p} at {t}"] = None
    return list(out)


DATETEXT_HELPERS = (_dt_names, _dt_tokens, _dt_regex, _dt_ordinal, _dt_parse1, _dt_parse,
                    _dt_render, _dt_format, _dt_round, _dt_patterns)

DATE_OPS = [
    Op("DATETEXT", ("String", "String", "String", "String", "Int"), "String", datetext,
       doc="DATETEXT(text, in_formats, out_format, step, shift): reformat a date/time, e.g. "
           "DATETEXT(x, \"{m}/{d}/{yyyy}\", \"{yyyy}-{mm}-{dd}\", \"\", 0); step rounds "
           "(\"floor 2 hour\") and shift moves on by steps",
       helpers=DATETEXT_HELPERS),
]

# ------------------------------------------------------------------------ synthesis helpers


@dataclass(frozen=True)
class DateValue:
    """A parsed cell: optional year, month, day and time of day (seconds since midnight)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    seconds: int | None = None

    @property
    def has_date(self) -> bool:
        """Whether the value has a full date (year, month and day)."""
        return self.year is not None and self.month is not None and self.day is not None

    @property
    def has_time(self) -> bool:
        return self.seconds is not None

    @property
    def date(self) -> datetime.date | None:
        return datetime.date(self.year, self.month, self.day) if self.has_date else None

    @property
    def time(self) -> datetime.time | None:
        if self.seconds is None:
            return None
        return datetime.time(self.seconds // 3600, self.seconds // 60 % 60, self.seconds % 60)

    def astuple(self) -> tuple:
        return (self.year, self.month, self.day, self.seconds)

    @classmethod
    def of(cls, value: datetime.datetime | datetime.date | datetime.time) -> "DateValue":
        """The value of a datetime (date and time), date or time (microseconds dropped)."""
        if isinstance(value, datetime.datetime):
            return cls(value.year, value.month, value.day,
                       value.hour * 3600 + value.minute * 60 + value.second)
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        return cls(seconds=value.hour * 3600 + value.minute * 60 + value.second)


#: patterns of dates and times as people type them, most usual first: numeric dates with the
#: separators / - . space -- // in month-first, day-first and year-first order (4- and 2-digit
#: years; {m} and {d} accept leading zeros), compact 8-digit dates, dates with month and weekday
#: names, partial dates (no year / no day), 24- and 12-hour times, and date-time combinations
INPUT_PATTERNS: list[str] = _dt_patterns()

#: the field names usable in patterns (input and output), without braces
OUTPUT_FIELDS: tuple[str, ...] = _dt_names()[2]

#: step strings worth trying (the first, "", is no rounding)
STEPS: list[str] = [""] + [f"floor {s}" for s in (
    "1 hour", "30 min", "15 min", "10 min", "5 min", "1 min", "2 hour", "3 hour", "4 hour",
    "6 hour", "12 hour", "1 day", "1 week", "1 month", "3 month", "6 month", "1 year",
    "10 year")] + [f"round {s}" for s in (
        "1 hour", "30 min", "15 min", "10 min", "5 min", "1 min", "1 day", "1 month", "1 year")] \
    + [f"ceil {s}" for s in ("1 hour", "30 min", "15 min", "10 min", "5 min", "2 hour", "1 day",
                             "1 week", "1 month", "3 month")] \
    + [f"{mode} {s}" for mode in ("round", "floor") for s in ("30 min by 15 min", "1 hour by 30 min",
                                                              "1 hour by 15 min", "2 hour by 1 hour")] \
    + [f"floor {s} by 1 min" for s in ("1 hour", "30 min", "15 min", "10 min", "5 min", "2 hour")]


def _tuple(value: DateValue | tuple) -> tuple:
    return value.astuple() if isinstance(value, DateValue) else tuple(value)


def parse(text: str, pattern: str) -> DateValue | None:
    """The value of text under a pattern (or "|"-separated patterns, the first that fits)."""
    try:
        v = _dt_parse(text, pattern)
    except (ValueError, OverflowError, IndexError, TypeError, AttributeError):
        return None
    return None if v is None else DateValue(*v)


def parse_patterns(text: str, patterns: Sequence[str] | None = None) -> list[str]:
    """The patterns of INPUT_PATTERNS (or of ``patterns``), in order, under which text parses."""
    text = text.strip()
    sig = _signature(text)
    if patterns is None:
        if not any("0" <= c <= "9" for c in text):  # every input pattern has a numeric field
            return []
        candidates = _input_index().get(sig, ())
    else:
        candidates = [p for p in patterns if _pattern_signature(p) == sig]
    return [p for p in candidates if _dt_parse1(text, p) is not None]


def _signature(text: str) -> frozenset:
    """The characters of a text that no field can match (fields match ASCII letters and digits
    and "."): a text can only match a pattern whose literals have exactly these."""
    return frozenset(c for c in text if not (c.isascii() and c.isalnum()) and c != ".")


_PATTERN_SIGNATURES: dict[str, frozenset] = {}


def _pattern_signature(pattern: str) -> frozenset | None:
    sig = _PATTERN_SIGNATURES.get(pattern)
    if sig is None:
        toks = _dt_tokens(pattern) or ()
        sig = _signature("".join(t for k, t in toks if k == "lit"))
        if len(_PATTERN_SIGNATURES) > 4096:
            _PATTERN_SIGNATURES.clear()
        _PATTERN_SIGNATURES[pattern] = sig
    return sig


_INPUT_INDEX: dict[frozenset, list[str]] = {}


def _input_index() -> dict[frozenset, list[str]]:
    """INPUT_PATTERNS grouped by signature, each group in INPUT_PATTERNS order."""
    if not _INPUT_INDEX:
        index: dict[frozenset, list[str]] = {}
        for p in INPUT_PATTERNS:
            index.setdefault(_pattern_signature(p), []).append(p)
        _INPUT_INDEX.update(index)
    return _INPUT_INDEX


def common_patterns(texts: Iterable[str], patterns: Sequence[str] | None = None) -> list[str]:
    """The patterns (of INPUT_PATTERNS by default), in order, under which every text parses;
    e.g. a row "25/12/2024" rules out the month-first patterns for the whole column."""
    out = list(INPUT_PATTERNS if patterns is None else patterns)
    for text in texts:
        out = parse_patterns(text, out)
        if not out:
            break
    return out


def render(value: DateValue, field: str) -> str | None:
    """One field (a name of OUTPUT_FIELDS, no braces) of a value as DATETEXT renders it, or None
    where the value lacks that part or the field is unknown."""
    if field not in OUTPUT_FIELDS:
        return None
    return _dt_render(_tuple(value), field)


#: (value tuple, field) -> _dt_render's answer: the synthesizer renders the same fields of the
#: same rows under many patterns
_RENDERED: dict = {}
_MISSING = object()


def _render_memo(v: tuple, field: str) -> str | None:
    key = (v, field)
    got = _RENDERED.get(key, _MISSING)
    if got is _MISSING:
        if len(_RENDERED) >= 200_000:
            _RENDERED.clear()
        got = _RENDERED[key] = _dt_render(v, field)
    return got


def render_pattern(value: DateValue, pattern: str) -> str | None:
    """A value rendered with an output pattern, as DATETEXT does (``_dt_format``, with each
    field's rendering remembered), or None."""
    return _dt_format(_tuple(value), pattern, _render_memo)


def round_value(value: DateValue, step: str, shift: int = 0) -> DateValue | None:
    """The value rounded by step and moved on ``shift`` steps, as DATETEXT does, or None."""
    try:
        v = _dt_round(_tuple(value), step, shift)
    except (ValueError, OverflowError):
        return None
    return None if v is None else DateValue(*v)


def witness(value: DateValue, target: str, pos: int) -> list[tuple[str, str]]:
    """Every (field, rendering) of OUTPUT_FIELDS with a non-empty rendering of the value that
    occurs in target at pos."""
    if pos < 0:
        return []
    v = _tuple(value)
    out = []
    for field in OUTPUT_FIELDS:
        r = _render_memo(v, field)
        if r and target.startswith(r, pos):
            out.append((field, r))
    return out


def escape(text: str) -> str:
    """Literal text as pattern text (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def output_pattern(pieces: Iterable[tuple[str, str]]) -> str:
    """An out_format from ("field", name) and ("lit", text) pieces, escaping literal braces."""
    out = []
    for kind, text in pieces:
        if kind == "field":
            if text not in OUTPUT_FIELDS:
                raise ValueError(f"unknown date field {text!r}")
            out.append("{" + text + "}")
        elif kind == "lit":
            out.append(escape(text))
        else:
            raise ValueError(f"a pattern piece is ('field', name) or ('lit', text), not {kind!r}")
    return "".join(out)


def pattern_pieces(pattern: str) -> list[tuple[str, str]] | None:
    """The inverse of output_pattern: a pattern's pieces, or None if it is malformed."""
    toks = _dt_tokens(pattern)
    return None if toks is None else list(toks)
