"""Number parsing, rounding and formatting for Flash Fill-style spreadsheet transformations.

One op, ``NUMTEXT(text, format, step, shift)``: parse a number out of a cell, optionally round it
to a multiple of a step (and shift it by whole steps, for ranges such as "10-20"), and print it
with an Excel-style number format. Its reference semantics are ``numtext`` and its four helpers
(``numtext_parse``, ``numtext_round``, ``numtext_format_spec``, ``numtext_format``): together
they are self-contained (builtins, and ``decimal``/``re`` imported inside the functions; helpers
call each other by their module-level names) so ``Program.to_python`` can copy them into
generated code. All arithmetic is exact ``decimal.Decimal`` arithmetic, never float.

The rest of the module serves the synthesizer (``synth/search/deductive``): ``parse_number``,
``NUMBER_TOKEN`` (a regex for numbers inside longer text), ``STEPS`` (step strings worth trying),
``round_value``, ``format_number`` and ``witness`` (the output formats that render a value as a
given piece of the target text).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

from synth.dsl.base import Op

# ------------------------------------------------------------------ reference semantics (the op)


def numtext_parse(text):
    """The number a cell's text denotes, as an exact ``decimal.Decimal``; None if it is none.

    Accepted, with whitespace allowed around and between the parts:

    * digits with an optional decimal point: ``12``, ``12.5``, ``12.``, ``.5``; leading zeros
      are fine (``007`` = 7, ``03.3`` = 3.3);
    * thousands separators ``,`` only between groups of exactly three digits in the integer
      part: ``1,234,567.5`` is accepted, ``1,23`` and ``12,34`` are not;
    * an optional exponent of at most two digits (after an optional leading zero): ``1.5e3``, ``2E-02``, ``5.58E-001``;
    * one optional sign: a leading ``-``, ``+`` or ``\u2212`` (before or after a leading
      currency symbol: ``-$5``, ``$-5``), or a trailing ``-`` (``12.50-``);
    * accounting parentheses for negatives: ``(12.50)`` = -12.5 (no other sign then);
    * one optional currency symbol, before or after the number: ``$ \u20ac \u00a3 \u00a5 \u20b9``;
    * a trailing ``%`` (not together with a currency symbol) divides by 100: ``25%`` = 0.25.

    The empty text, text over 100 characters (after stripping) and anything else give None.
    ``-0`` is returned as 0. Results are cached on the function (a bounded dict).
    """
    st = numtext_parse.__dict__.get("_state")
    if st is None:
        import decimal
        import re

        body = re.compile(
            r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?0?[0-9]{1,2})?"
            r"|\.[0-9]+(?:[eE][-+]?0?[0-9]{1,2})?"
        ).fullmatch
        st = numtext_parse._state = (body, {}, decimal.Decimal, decimal.Context(prec=1000))
    body, cache, Decimal, ctx = st
    if text in cache:
        return cache[text]
    s = text.strip()
    v = None
    if 0 < len(s) <= 100:
        neg = paren = False
        signs = currencies = 0
        currency = "$\u20ac\u00a3\u00a5\u20b9"
        if s[0] == "(" and s[-1] == ")":
            paren = neg = True
            s = s[1:-1].strip()
        if s[:1] in ("-", "+", "\u2212"):
            signs += 1
            neg = s[0] != "+"
            s = s[1:].lstrip()
        if s[:1] and s[0] in currency:
            currencies += 1
            s = s[1:].lstrip()
            if s[:1] in ("-", "+", "\u2212"):
                signs += 1
                neg = s[0] != "+"
                s = s[1:].lstrip()
        if s[-1:] == "-":
            signs += 1
            neg = True
            s = s[:-1].rstrip()
        if s[-1:] and s[-1] in currency:
            currencies += 1
            s = s[:-1].rstrip()
        pct = s[-1:] == "%"
        if pct:
            s = s[:-1].rstrip()
        if (s and signs <= 1 and currencies <= 1 and not (paren and signs)
                and not (pct and currencies) and body(s)):
            v = Decimal(s.replace(",", "") if "," in s else s)
            if pct:
                v = v.scaleb(-2, ctx)
            if v.is_zero():
                v = v.copy_abs()
            elif neg:
                v = v.copy_negate()
    if len(cache) >= 8192:
        cache.clear()
    cache[text] = v
    return v


def numtext_round(v, step, shift):
    """Round the Decimal ``v`` to a multiple of a step, then add ``shift`` steps; None if the
    step is malformed.

    ``step`` is ``""`` (no rounding: ``shift`` must then be 0, else None) or ``"<mode> <n>"``
    with a single space, ``mode`` one of ``floor`` (towards -infinity), ``ceil`` (towards
    +infinity), ``up`` (away from zero, Excel's ROUNDUP), ``down`` (towards zero, ROUNDDOWN)
    or ``round`` (to the nearest multiple, halves away from zero: 2.5 -> 3, -2.5 -> -3), and ``n`` a positive decimal written with digits and at most one point
    (``1``, ``10``, ``0.25``, ``.5``; at most 30 characters). The result is exact:
    ``(q + shift) * n`` where ``q`` is the rounded quotient ``v / n``; so ``floor 10`` with
    shift 0 and 1 gives the ends of the range "10-20" for 17. A step may name the size of the
    shift, ``"<mode> <n> by <u>"`` (``u`` written as ``n`` is): ``q * n + shift * u``, so
    ``floor 10 by 1`` with shift 9 gives 19, the last whole number of the range "10-19".
    Mode ``times`` scales instead of rounding: ``"times 0.01"`` gives ``v * 0.01`` (shift 0).
    """
    if step == "":
        return v if shift == 0 else None
    st = numtext_round.__dict__.get("_state")
    if st is None:
        import decimal
        import re

        num = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+").fullmatch
        st = numtext_round._state = (num, {}, decimal.Decimal, decimal.Context(prec=1000))
    num, cache, Decimal, ctx = st
    spec = cache.get(step)
    if spec is None:
        spec = False
        mode, _, n = step.partition(" ")
        n, _, by = n.partition(" by ")
        if mode in ("floor", "ceil", "round", "up", "down", "times") and len(n) <= 30 and num(n) \
                and (by == "" or mode != "times" and len(by) <= 30 and num(by)):
            n = Decimal(n)
            by = Decimal(by) if by else None
            if n > 0 and (by is None or by > 0):
                spec = (mode, n, by)
        if len(cache) >= 1024:
            cache.clear()
        cache[step] = spec
    if not spec or not -10 ** 9 <= shift <= 10 ** 9:
        return None
    mode, n, by = spec
    if mode == "times":
        if shift != 0:
            return None
        out = ctx.multiply(v, n)
        return out.copy_abs() if out.is_zero() else out
    q = ctx.divide_int(v, n)  # truncated towards zero
    r = ctx.subtract(v, ctx.multiply(q, n))  # exact, with the sign of v
    if mode == "floor":
        if r < 0:
            q = ctx.subtract(q, 1)
    elif mode == "ceil":
        if r > 0:
            q = ctx.add(q, 1)
    elif mode == "up":
        if r != 0:
            q = ctx.add(q, 1 if r > 0 else -1)
    elif mode == "down":
        pass
    elif ctx.multiply(r.copy_abs(), 2) >= n:
        q = ctx.add(q, 1 if r > 0 else -1)
    if by is None:
        out = ctx.multiply(ctx.add(q, shift), n)
    else:
        out = ctx.add(ctx.multiply(q, n), ctx.multiply(shift, by))
    return out.copy_abs() if out.is_zero() else out


def numtext_format_spec(fmt):
    """Parse an Excel-style number format into a tuple of 1 to 3 sections (positive; negative;
    zero), each ``(prefix, suffix, general, min_int, grouping, min_dec, max_dec, scale)``;
    None if the format is not in the supported subset. See ``numtext`` for the syntax.
    """
    if not isinstance(fmt, str) or len(fmt) > 200:
        return None
    # split into items: ("lit", text) for literal text, ("sp", char) for unquoted special chars
    sections, items, i, n = [], [], 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == '"':
            j = fmt.find('"', i + 1)
            if j < 0:
                return None
            items.append(("lit", fmt[i + 1:j]))
            i = j + 1
            continue
        if c == "\\":
            if i + 1 >= n:
                return None
            items.append(("lit", fmt[i + 1]))
            i += 2
            continue
        if c == ";":
            sections.append(items)
            items = []
        elif c in "0#.,%":
            items.append(("sp", c))
        elif c in "Gg" and fmt[i:i + 7].lower() == "general":
            items.append(("sp", "G"))
            i += 7
            continue
        else:
            items.append(("lit", c))
        i += 1
    sections.append(items)
    if len(sections) > 3:
        return None
    out = []
    for items in sections:
        n = len(items)
        # the numeric part starts at the first 0, #, General, or a '.' followed by 0 or #
        start = 0
        while start < n:
            k, c = items[start]
            if k == "sp" and (c in "0#G" or (c == "." and start + 1 < n and items[start + 1][0] == "sp"
                                             and items[start + 1][1] in "0#")):
                break
            start += 1
        if start == n:
            return None
        pct = 0
        prefix = []
        for k, c in items[:start]:
            pct += c == "%" and k == "sp"
            prefix.append(c)
        general, int_ph, frac, grouping, commas = False, "", "", False, 0
        i = start
        if items[i][1] == "G":
            general = True
            i += 1
        else:
            while i < n and items[i][0] == "sp" and items[i][1] in "0#,":
                c = items[i][1]
                if c == ",":
                    commas += 1
                else:
                    if commas and int_ph:
                        grouping = True
                    commas = 0
                    int_ph += c
                i += 1
            if (i + 1 < n and items[i] == ("sp", ".") and items[i + 1][0] == "sp"
                    and items[i + 1][1] in "0#"):
                i += 1
                while i < n and items[i][0] == "sp" and items[i][1] in "0#":
                    frac += items[i][1]
                    i += 1
                while i < n and items[i] == ("sp", ","):
                    commas += 1
                    i += 1
        suffix = []
        for k, c in items[i:]:
            if k == "sp" and c in "0#G":
                return None
            pct += c == "%" and k == "sp"
            suffix.append(c)
        if len(int_ph) > 50 or len(frac) > 50 or commas > 10 or pct > 10:
            return None
        out.append(("".join(prefix), "".join(suffix), general, int_ph.count("0"), grouping,
                    frac.rfind("0") + 1, len(frac), 2 * pct - 3 * commas))
    return tuple(out)


def numtext_format(v, fmt):
    """Print the Decimal ``v`` with the number format ``fmt`` (see ``numtext``); None if the
    format is not in the supported subset. Parsed formats are cached on the function."""
    st = numtext_format.__dict__.get("_state")
    if st is None:
        import decimal

        st = numtext_format._state = (
            {}, decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP), decimal.Decimal)
    cache, ctx, Decimal = st
    spec = cache.get(fmt)
    if spec is None:
        spec = numtext_format_spec(fmt)
        if spec is None:
            spec = ()
        else:
            # the quantum of each section's rounding, computed once
            spec = tuple(s + (Decimal(1).scaleb(-s[6]),) for s in spec)
        if len(cache) >= 4096:
            cache.clear()
        cache[fmt] = spec
    if not spec:
        return None
    sign = ""
    if v < 0:
        if len(spec) > 1:
            sec = spec[1]  # its own negative section: the absolute value, no sign added
            v = v.copy_abs()
        else:
            sec = spec[0]
            sign = "-"
    elif v.is_zero() and len(spec) > 2:
        sec = spec[2]
    else:
        sec = spec[0]
    prefix, suffix, general, min_int, grouping, min_dec, max_dec, scale, quantum = sec
    if scale:
        v = v.scaleb(scale, ctx)
    v = v.copy_abs()
    if general:
        if v.is_zero():
            return prefix + "0" + suffix
        return sign + prefix + format(v.normalize(ctx), "f") + suffix
    q = v.quantize(quantum, context=ctx)
    if q.is_zero():
        sign = ""
    s = format(q, "f")
    if max_dec:
        ip, _, fp = s.partition(".")
        if min_dec < max_dec:
            fp = fp.rstrip("0")
            if len(fp) < min_dec:
                fp += "0" * (min_dec - len(fp))
    else:
        ip, fp = s, ""
    if ip == "0" and min_int != 1:
        ip = "" if min_int == 0 else ip.zfill(min_int)
    elif len(ip) < min_int:
        ip = ip.zfill(min_int)
    if grouping and len(ip) > 3:
        h = len(ip) % 3 or 3
        ip = ip[:h] + "".join("," + ip[j:j + 3] for j in range(h, len(ip), 3))
    if fp:
        ip = ip + "." + fp
    return sign + prefix + ip + suffix


def numtext(text, out_format, step, shift):
    """NUMTEXT(text, format, step, shift): parse a number from ``text``, round it, and print it
    with an Excel-style number format; None (undefined) where any part fails. Never raises.

    Parsing (``numtext_parse``): surrounding whitespace; digits with an optional ``.``
    (``12``, ``12.5``, ``.5``, leading zeros fine); ``,`` thousands separators only between
    groups of three digits (``1,234`` yes, ``1,23`` no); an optional exponent of at most two (after a leading zero)
    digits (``1.5e3``); one sign: leading ``-``/``+``/``\u2212`` (also after a leading currency
    symbol) or a trailing ``-``; accounting parentheses ``(12.50)`` = -12.5; one currency symbol
    ``$ \u20ac \u00a3 \u00a5 \u20b9`` before or after; a trailing ``%`` divides by 100 (not
    with a currency symbol). Empty or other text is undefined. An int ``text`` is read as its
    decimal digits.

    Rounding (``numtext_round``): ``step`` is ``""`` (none; ``shift`` must be 0) or
    ``"floor n"``, ``"ceil n"`` or ``"round n"`` (one space; n a positive decimal such as
    ``10``, ``0.25``, ``1000``): the value becomes ``(q + shift) * n`` where ``q`` is ``v / n``
    rounded down, up, or to the nearest integer with halves away from zero.

    Formatting (``numtext_format``), an Excel number format subset:

    * up to three sections separated by ``;``: positive; negative; zero. With a negative
      section a negative value is printed with it, as its absolute value and with no ``-``
      added (``0.00;(0.00)`` prints -5 as ``(5.00)``); the choice uses the value before the
      format rounds it, as Excel does. With a zero section an exact zero uses it;
    * each section: literal prefix text, a numeric part, literal suffix text. Literal text is
      ``"quoted"``, ``\\c`` (one escaped character) or any plain character other than
      ``0 # . , % " \\ ;``; a ``.`` or ``,`` that is not part of the numeric part is literal
      too (``No. 0``, ``0 pcs.``). ``%`` anywhere outside quotes prints ``%`` and multiplies
      the value by 100;
    * the numeric part: integer placeholders ``0`` (a digit, zero padded: ``000`` prints 91 as
      ``091``) and ``#`` (a digit only if needed: ``#.00`` prints 0.5 as ``.50``, and ``#``
      prints 0 as the empty string); a ``,`` between placeholders turns on thousands
      separators (``#,##0``); then optionally ``.`` and decimal placeholders: ``0`` a
      required decimal, ``#`` an optional one (``0.0#``: one or two decimals; ``0.###``: up to
      three, trailing zeros dropped; the ``.`` is printed only when a decimal is); each ``,``
      right after the last placeholder divides by 1000 (``0.000,`` prints 25949 as
      ``25.949``). The value is rounded to the number of decimal placeholders, halves away
      from zero. The integer part may be empty (``.00``) when decimals follow;
    * or the word ``General`` (any case) as the numeric part: the number with no trailing
      zeros and no exponent (``89.0`` -> ``89``, ``0.0125`` -> ``0.0125``);
    * a negative value printed by a one-section format gets a leading ``-`` before the whole
      text (``$0.00`` prints -5 as ``-$5.00``), unless it rounds to zero (-0.0125 with
      ``0.0`` prints ``0.0``).

    Not supported (undefined): formats without a numeric part, two numeric parts, exponent
    formats (``0.00E+00``), ``?`` alignment, colours and conditions in ``[...]`` (these
    characters are taken as literal text), more than 3 sections, and an empty section.
    Differences from Excel: ``0.##`` prints 5 as ``5``, not ``5.``.
    """
    if type(text) is int:
        text = str(text)
    if not (isinstance(text, str) and isinstance(out_format, str) and isinstance(step, str)
            and isinstance(shift, int)):
        return None
    try:
        v = numtext_parse(text)
        if v is None:
            return None
        if step or shift:
            v = numtext_round(v, step, shift)
            if v is None:
                return None
        return numtext_format(v, out_format)
    except Exception:
        return None


NUMBER_OPS = [
    Op("NUMTEXT", ("String", "String", "String", "Int"), "String", numtext,
       doc="parse a number from text, round it to a step (plus shift steps), print it with a "
           "number format",
       helpers=(numtext_parse, numtext_round, numtext_format_spec, numtext_format)),
]

# ----------------------------------------------------------------------- synthesis helpers

#: a regex (``re`` syntax) for number-looking substrings of longer text: an optional sign that
#: does not follow a letter, digit or point (so "3-5" holds 3 and 5, "A-12" holds 12), an
#: optional leading currency symbol (not with a ``%``), digits with ``,`` thousands groups (or plain digits), an
#: optional fraction (or a bare ``.5``), an optional ``%``. Every match parses with
#: ``parse_number``. Accounting parentheses and trailing signs/currencies are not included.
_TOKEN_DIGITS = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?|(?<![0-9])\.[0-9]+)"
NUMBER_TOKEN = (
    r"(?:(?<![\w.])[-+])?(?:[$\u20ac\u00a3\u00a5\u20b9]" + _TOKEN_DIGITS + "|" + _TOKEN_DIGITS + "%?)"
)

#: step strings worth trying, the empty step (no rounding) first, then the most common steps
STEPS = [""] + [
    f"{mode} {n}"
    for n in ("1", "10", "100", "1000", "5", "50", "500", "25", "20",
              "0.5", "0.1", "0.01", "0.25", "0.05")
    for mode in ("round", "floor", "ceil")
] + [f"{mode} {n}" for n in ("1", "10", "100", "0.1", "0.01") for mode in ("up", "down")] \
    + [f"floor {n} by 1" for n in ("10", "5", "100", "20", "50", "25", "1000")] \
    + [f"times {n}" for n in ("100", "0.01", "1000", "0.001", "10", "0.1")]


def _as_decimal(v):
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, (str, float)):
        try:
            d = Decimal(str(v))
        except ArithmeticError:
            return None
        return d if d.is_finite() else None
    return None


def parse_number(text) -> Decimal | None:
    """The number a cell denotes (the same rules as NUMTEXT's parsing), or None."""
    if type(text) is int:
        text = str(text)
    if not isinstance(text, str):
        return None
    try:
        return numtext_parse(text)
    except Exception:
        return None


def round_value(v, step: str, shift: int = 0) -> Decimal | None:
    """``v`` rounded to the step and shifted by ``shift`` steps (NUMTEXT's rounding), or None."""
    v = _as_decimal(v)
    if v is None or not isinstance(step, str) or not isinstance(shift, int):
        return None
    try:
        return numtext_round(v, step, shift)
    except Exception:
        return None


def format_number(v, out_format: str) -> str | None:
    """``v`` printed with the number format (NUMTEXT's formatting), or None."""
    v = _as_decimal(v)
    if v is None or not isinstance(out_format, str):
        return None
    try:
        return numtext_format(v, out_format)
    except Exception:
        return None


_TARGET = re.compile(r"(\(?)(-?)([$\u20ac\u00a3\u00a5\u20b9]?)([0-9]+(?:,[0-9]{3})*|)(?:\.([0-9]*))?(%?)")
#: what may not follow a rendering in the target: more of the same number (a digit, a
#: fraction, a thousands group, a percent sign)
_CUT = re.compile(r"[0-9%]|\.[0-9]|,[0-9]{3}(?![0-9])").match
_ONE = Decimal(1)
_CTX = Context(prec=1000, rounding=ROUND_HALF_UP)


def _cost(fmt: str) -> int:
    return 1 if fmt == "General" else len(fmt)


def witness(v, target: str, pos: int = 0) -> list[tuple[str, str]]:
    """The output formats whose rendering of ``v`` is a non-empty prefix of ``target[pos:]``,
    each with its rendering, simplest (shortest) first. Renderings that would cut a number of
    the target short (followed there by a digit, ``.`` and a digit, ``,`` and a group of three
    digits, or ``%``) are left out: "2345" is no witness in "2345.233".

    Candidates are generated from the text at ``pos`` (a sign or ``(``, a currency symbol, the
    integer digits and their ``,`` separators, the decimals, a ``%``) and then checked:
    integer parts ``0``, ``#,##0`` (when the target groups, or shows at most 3 digits),
    ``#`` (for ``.5``-style targets, or when the integer part is nonzero), zero padding
    ``00``.. up to the target's digit count (at most 8); decimal parts none, exactly the
    target's count of ``0``, up to max(6, that count) ``#``, and ``0``s followed by ``#``s;
    scaling by 1000 (0 to 3 trailing ``,``, those that fit the size of the target's digits)
    or ``%`` when the target has one; the target's currency symbol as a prefix; ``General``;
    and two-section formats: ``f;(f)`` for a target in parentheses, ``f;f`` for a negative value
    written without ``-``, and both for a non-negative value, only for the simple ``f`` (integer
    part ``0`` or ``#,##0``, exactly the target's decimals) so that a family consistent with
    negative examples exists.
    Candidates that render the same text are all kept (the synthesizer needs the family that
    is consistent across examples), ordered by length.
    """
    v = _as_decimal(v)
    if v is None or not isinstance(target, str) or not isinstance(pos, int) or not 0 <= pos < len(target):
        return []
    m = _TARGET.match(target, pos)
    paren, sign, cur, ip, frac, pct = m.groups()
    digits = ip.replace(",", "")
    d = len(frac) if frac else 0
    if not digits and not d:
        return []
    neg = v < 0
    if (sign or paren) and not neg:
        return []
    av = abs(v)
    # scalings that fit: the rounded integer part within 1 of the target's
    if pct:
        scales = [("%", av.scaleb(2, _CTX))]
    else:
        scales = [("," * s, av.scaleb(-3 * s, _CTX)) for s in range(4)]
    t_int = int(digits) if digits else 0
    fits = []
    for tail, w in scales:
        try:
            wi = int(w.quantize(_ONE.scaleb(-d), context=_CTX))
        except ArithmeticError:
            continue
        if abs(wi - t_int) <= 1:
            fits.append(tail)
    if not fits:
        return []
    grouped = "," in ip
    int_specs = []
    if digits:
        int_specs.append("0")
        if grouped or len(digits) <= 3:
            int_specs.append("#,##0")
        if not grouped:
            int_specs += ["0" * k for k in range(2, min(len(digits), 8) + 1)]
        if digits[0] != "0":
            int_specs.append("#")
    else:
        int_specs.append("#")
    big = max(6, d)
    frac_specs = [""]
    if d:
        frac_specs.append("." + "0" * d)
    frac_specs += ["." + "#" * k for k in range(1, big + 1)]
    frac_specs += ["." + "0" * z + "#" * (k - z)
                   for z in range(1, d + 1) for k in range(max(z + 1, d), big + 1)]
    cores = []  # (format, penalty): a "#" integer part ranks after the others of its length
    simple = []  # the cores with "0" or "#,##0" and no optional decimals, for two-section formats
    exact = ("", "." + "0" * d)
    for tail in fits:
        for fs in frac_specs:
            for ins in int_specs:
                if ins == "#" and not fs:
                    continue
                cores.append((cur + ins + fs + tail, ins == "#"))
                if fs in exact and ins in ("0", "#,##0"):
                    simple.append((cur + ins + fs + tail, False))
    if not pct and not fits[0] and not paren:
        cores.append((cur + "General", False))
    if paren:  # a negative value in accounting parentheses
        fmts = [(f"{c};({c})", p) for c, p in cores]
    elif sign:
        fmts = cores
    else:  # a negative value may be printed without a sign, a positive one by a two-section format
        fmts = cores + [(f"{c};{c}", p) for c, p in (cores if neg else simple)]
        if not neg:
            fmts += [(f"{c};({c})", p) for c, p in simple]
    found: dict[str, tuple] = {}
    for f, p in fmts:
        if f in found:
            continue
        r = format_number(v, f)
        if r and target.startswith(r, pos) and not _CUT(target, pos + len(r)):
            found[f] = (_cost(f), p, len(found), r)
    return [(f, c[3]) for f, c in sorted(found.items(), key=lambda fc: fc[1])]
