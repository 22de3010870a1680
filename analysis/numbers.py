"""Read number text two ways and choose one way per column.

A cell such as ``1.234`` means 1.234 to a reader who writes ``1,234.5``
("US": comma thousands, dot decimal; Indian ``12,34,567`` groups included)
and 1234 to one who writes ``1.234,5`` ("European": dot thousands, comma
decimal). :func:`read_numbers` reads every distinct text both ways,
:func:`decide` picks a convention for the whole column from the cells that
only one convention can read, and :func:`choose` applies it, leaving cells
that stay ambiguous unread. Spaces and apostrophes between groups of three
(``1 234 567``, ``1'234'567``) read the same either way. The rules, in words,
are in :mod:`analysis.values`.

Texts come in normalised (:func:`normalise`): trimmed, lower-case, single
ASCII spaces, ``'`` for apostrophes, ``-`` for minus signs.
Everything here is a vectorised string operation; callers pass distinct
texts, so each is read once however often it occurs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

# A whole cell: sign, digits with separators, exponent, unit word or %, and "+" for "or more".
_CELL = r"[+-]? ?(?:[0-9](?:[0-9.,' ]*[0-9])?|[.,][0-9]+)(?:e[+-]?[0-9]{1,3})? ?(?:[a-z%]+\.?)?\+?"
_GROUPS3 = r"[1-9][0-9]{0,2}(?:[ '][0-9]{3})+"  # neutral groups, the same in both conventions
_US = rf"(?:[0-9]+|[1-9][0-9]{{0,2}}(?:,[0-9]{{3}})+|[1-9][0-9]?(?:,[0-9]{{2}})+,[0-9]{{3}}|{_GROUPS3})?(?:\.[0-9]+)?"
_EU = rf"(?:[0-9]+|[1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+|{_GROUPS3})?(?:,[0-9]+)?"
_NUMBER_CHARS = "0123456789.,' +-"
_UNIT_CHARS = "abcdefghijklmnopqrstuvwxyz%.+ "
_FLAGS = ("dot", "comma", "groups", "indian")
#: Runs of space characters, spelled out: ``\s`` makes pandas leave pyarrow for slow per-cell ``re``,
#: and RE2's ``\s`` misses U+00A0.
SPACES = "[\t\n\r\f\v \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"


class Convention(enum.Enum):
    """How a column writes its numbers."""

    US = "US (1,234.5)"
    EUROPEAN = "European (1.234,5)"
    MIXED = "mixed"  # cells only one convention can read, of both kinds
    UNDECIDED = "undecided"  # 1.234 and 1,234 forms and nothing to say which is which


def no_text(index: pd.Index) -> pd.Series:
    """A "string" Series of <NA> only, as ``pd.Series(pd.NA, index=index, dtype="string")`` but made
    without a Python object per cell."""
    return pd.Series(pd.array(pa.nulls(len(index), pa.large_string()), dtype="string"), index=index)


def normalise(text: pd.Series) -> pd.Series:
    """Trimmed lower-case text: space runs (non-breaking, thin …) as one space, ’ as ', − as -."""
    text = text.astype("string").str.strip().str.lower()
    odd = text.str.contains("[^ -~]|  ", regex=True).fillna(False)  # beyond printable ASCII, or double spaces
    if not odd.any():
        return text
    fixed = (text[odd].str.replace("[\u200b\u200c\u200d\u2060\ufeff]", "", regex=True)
             .str.replace(SPACES, " ", regex=True).str.strip()
             .str.replace("[\u2019\u02bc\u00b4`]", "'", regex=True).str.replace("\u2212", "-", regex=False))
    return text.mask(odd, fixed)


def read_numbers(text: pd.Series, units: Mapping[str, int], shift: int = 0) -> pd.DataFrame:
    """Read each text both ways.

    Parameters
    ----------
    text : pandas.Series
        Normalised cell texts ("string" dtype), typically one per distinct cell.
    units : mapping
        Allowed units (lower case, no trailing dot) to powers of ten; ``""``
        (no unit) must be present for plain numbers to be read.
    shift : int
        A power of ten applied while the value is still text, so that ``1.62%``
        read with ``shift=-2`` is exactly 0.0162, not 1.62 / 100.

    Returns
    -------
    pandas.DataFrame
        Same index as ``text``: ``us`` and ``eu`` (float, NaN where that
        convention cannot read the text), ``issue`` ("string", why the text is
        no number either way, else <NA>), ``unit`` (``""`` for none or where
        there is an issue) and the bool flags ``dot`` and ``comma`` (the
        separator in a cell whose reading depends on the convention), ``groups``
        (space/apostrophe groups) and ``indian`` (a two-digit comma group).
    """
    # Plain digit strings are most cells of large files; they skip the regex work.
    plain = text.str.fullmatch("[0-9]+").fillna(False).to_numpy(bool)
    simple = (text[plain] + f"e{shift}").astype("float64")
    frame = pd.DataFrame({
        "us": simple, "eu": simple, "issue": no_text(simple.index),
        "unit": pd.Series("", index=simple.index, dtype="string"), **dict.fromkeys(_FLAGS, False),
    })
    if not plain.all():
        frame = pd.concat([frame, _read_separated(text[~plain], units, shift)]).reindex(text.index)
    return frame.astype(dict.fromkeys(_FLAGS, bool))


def _read_separated(text: pd.Series, units: Mapping[str, int], shift: int) -> pd.DataFrame:
    """:func:`read_numbers` for texts that are not plain digit strings."""
    body, unit, power, has_exponent, minus = _split(text, units, shift)
    issue = _issue(text, unit, power)
    # With a unit word or an exponent the number is short: one separator is a decimal mark either way
    # ("1,2 mio", "3.3k", "1.5e6"), except three digits after it with a unit ("1.234k"), which stays ambiguous.
    single = body.str.fullmatch("[0-9]*[.,][0-9]+").fillna(False)
    three = body.str.fullmatch("[0-9]*[.,][0-9]{3}").fillna(False)
    either = single & (((unit != "") & (unit != "%") & ~three) | has_exponent)
    us_ok = (body.str.fullmatch(_US).fillna(False) | either) & issue.isna()
    eu_ok = (body.str.fullmatch(_EU).fillna(False) | either) & issue.isna()
    groups = body.str.contains("[ ']", regex=True).fillna(False)
    spaced = _drop(body, " '") if groups.any() else body
    decimal = body.str.replace(",", ".", regex=False)
    us_digits = _drop(spaced, ",").where(~either, decimal)
    eu_digits = _drop(spaced, ".").str.replace(",", ".", regex=False).where(~either, decimal)
    return pd.DataFrame({
        "us": _to_float(us_digits, minus, power, us_ok), "eu": _to_float(eu_digits, minus, power, eu_ok),
        "issue": issue.mask(~us_ok & ~eu_ok & issue.isna(), "has misplaced digit separators"),
        "unit": unit.where(issue.isna(), ""),
        "dot": body.str.contains(".", regex=False).fillna(False) & ~either,
        "comma": body.str.contains(",", regex=False).fillna(False) & ~either,
        "groups": groups, "indian": body.str.contains(",[0-9]{2},", regex=True).fillna(False) & us_ok,
    })


def _split(text: pd.Series, units: Mapping[str, int], shift: int) -> tuple[pd.Series, ...]:
    """Digits with separators, unit, power of ten (NaN for an unknown unit), has-exponent, is-negative."""
    tail = text.str.lstrip(_NUMBER_CHARS).str.rstrip("+")
    has_exponent = tail.str.fullmatch("e[+-]?[0-9]{1,3}").fillna(False)
    unit = tail.where(~has_exponent, "").str.rstrip(".")
    number = text.str.rstrip(_UNIT_CHARS)
    power = lookup(unit, units) + shift
    if has_exponent.any():
        number = number.str.replace("e.*$", "", regex=True)
        power += pd.to_numeric(tail.where(has_exponent).str.slice(1), errors="coerce").fillna(0)
    minus = number.str.startswith("-").fillna(False)
    return number.str.lstrip("+- "), unit, power, has_exponent, minus


def _issue(text: pd.Series, unit: pd.Series, power: pd.Series) -> pd.Series:
    """Why a text is no number whatever the convention (<NA> where it may be one)."""
    issue = no_text(text.index)
    # Later reasons replace earlier ones: the most basic reason is the one reported.
    issue = issue.mask(text.str.endswith("+").fillna(False), "is a lower bound ('or more'), not a number")
    issue = issue.mask(power.isna(), "has an unknown unit '" + unit + "'")
    return issue.mask(~text.str.fullmatch(_CELL).fillna(False), "is not a number")


def _drop(text: pd.Series, characters: str) -> pd.Series:
    for character in characters:
        text = text.str.replace(character, "", regex=False)
    return text


def _to_float(digits: pd.Series, minus: pd.Series, power: pd.Series, ok: pd.Series) -> pd.Series:
    """``-digits e power`` as float where ``ok``; parsing the exponent as text keeps ``475.8m`` exact."""
    codes, powers = pd.factorize(power.where(ok))
    exponent = pd.array([f"e{p:.0f}" for p in powers], dtype="string").take(codes, allow_fill=True)
    signed = ("-" + digits).where(minus, digits)
    return (signed + pd.Series(exponent, index=digits.index)).where(ok).astype("float64")


def lookup(text: pd.Series, table: Mapping[str, float]) -> pd.Series:
    """``table[text]`` per row as float, NaN where absent (vectorised, unlike ``Series.map``)."""
    codes = pd.Index(list(table), dtype="string").get_indexer(pd.Index(text))
    values = np.append(np.asarray(list(table.values()), dtype="float64"), np.nan)
    return pd.Series(values[codes], index=text.index)


def decide(readings: pd.DataFrame, whole: bool) -> Convention:
    """Pick the column's convention from all its cells.

    ``whole`` is true for counts: there a lone decimal comma (``12,5``) does
    not make a column European, and a column whose only separators are dots
    followed by exactly three digits (``10.000``) is read as European
    thousands, because counts are whole numbers.
    """
    us, eu = readings["us"], readings["eu"]
    ambiguous = us.notna() & eu.notna() & (us != eu)
    eu_only = eu.notna() & us.isna()
    eu_says = (eu_only & (readings["dot"] | readings["groups"] | (not whole))).any()
    us_says = (us.notna() & eu.isna()).any()
    if eu_says and us_says:
        return Convention.MIXED
    if eu_says or us_says:
        return Convention.EUROPEAN if eu_says else Convention.US
    # "1.234k" is a whole number either way, so only unit-less cells like "10.000" argue for thousands.
    dots = (ambiguous & readings["dot"] & (readings["unit"] == "")).any()
    commas = ((ambiguous | eu_only) & readings["comma"]).any()
    if dots and commas:
        return Convention.UNDECIDED
    if dots:
        return Convention.EUROPEAN if whole else Convention.US
    return Convention.UNDECIDED if commas and not whole else Convention.US


def choose(readings: pd.DataFrame, convention: Convention, whole: bool) -> tuple[pd.Series, pd.Series]:
    """Values under ``convention`` and, per text, why it has none (<NA> where it has one).

    Under ``MIXED`` and ``UNDECIDED`` a text is read only when it has one
    reading (except a lone decimal comma in counts); texts that read
    differently either way are ambiguous.
    """
    us, eu = readings["us"], readings["eu"]
    if convention is Convention.US:
        value = us
    elif convention is Convention.EUROPEAN:
        value = eu
    else:
        eu_alone = us.isna() & (readings["dot"] | readings["groups"] | (not whole))
        value = us.where(eu.isna() | (us == eu)).fillna(eu.where(eu_alone))
    unread = value.isna() & (us.notna() | eu.notna())
    mark = pd.Series("comma", index=value.index, dtype="string").where(readings["comma"], "point")
    issue = readings["issue"].mask(unread, "is ambiguous (decimal " + mark + " or thousands?)")
    return value.astype("float64"), issue.astype("string")


def describe(read: pd.DataFrame, convention: Convention, rates: bool) -> list[str]:
    """The separators a column was read with, in words, from the readings of the texts that were read."""
    words = {
        Convention.MIXED: "mixed US (1,234.5) and European (1.234,5) separators: cells that read both ways are "
                          "problems",
        Convention.UNDECIDED: "undecided separators (1.234 and 1,234 forms, nothing to tell them apart): "
                              "those cells are problems",
        Convention.EUROPEAN: "decimal commas (1,39%)" if rates else
                             "European thousands separators (10.000 = ten thousand)",
    }
    parts = [words[convention]] if convention in words else []
    if convention is Convention.US and read["indian"].any():
        parts.append("Indian digit grouping (2,28,00,000 = 22,800,000)")
    elif convention is Convention.US and read["comma"].any():
        parts.append("US thousands separators (12,000)")
    if read["groups"].any():
        parts.append("space/apostrophe digit groups (1 234 567)")
    return parts
