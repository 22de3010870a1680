"""Parse whole columns of cell text into counts, rates and yes/no flags.

Every cell ends up as a value, a blank (missing, empty or a placeholder such
as ``N/A``) or a problem whose reason names the column; a cell that does not
parse never becomes a number. Each distinct text is parsed once, with
vectorised string operations. Numeric columns (and boolean ones, for flags)
pass through without a round trip through text.

Separators (US ``1,234.5``, European ``1.234,5``) are decided per column,
from all its cells; ``style`` says what was decided:

1. A cell only one convention can read decides. US: ``1,234.5``,
   ``1,234,567``, Indian ``2,28,00,000``, and any decimal point that cannot
   be a thousands separator (``12.5``, ``1234.567``), the dot being the
   default decimal mark. European: ``1.234.567``, ``1.234,5``, ``1 234,5``;
   in rates also any decimal comma (``1,39%``).
2. Deciding cells of both kinds make the column *mixed*: cells with a single
   reading are read, cells that read differently either way are problems.
3. Nothing decides, and there are cells without a unit that have one dot and
   exactly three digits after it (``10.000``): if some cell has a comma
   (``1,234`` or ``12,5``) the column is *undecided* and those cells are
   problems; otherwise counts are read as European thousands, because counts
   are whole numbers (``10.000`` = ten thousand), and rates as decimals.
4. Otherwise US: ``1,234`` is 1234 in counts. In rates, where commas are
   usually decimal marks, ``1,250%`` with nothing to decide is a problem.
5. In counts a lone decimal comma (``12,5``) decides nothing and is read only
   in a European column; elsewhere it is a problem, "ambiguous (decimal comma
   or thousands?)".
6. Next to a unit word (``3.3k``, ``1,2 Mio``) or an exponent (``1.5e6``) a
   single separator is a decimal mark in any column and decides nothing,
   except with exactly three digits after it: ``1.234k`` is read like
   ``1.234`` (1,234 in a US column, 1,234,000 in a European one).

Counts take the units in :data:`COUNT_UNITS` in any case, with or without a
space before them. A trailing ``+`` (``12K+``) is a lower bound, not a count:
a problem. Negative numbers parse (callers reject them with their own
reason); counts above 1e13 are problems ("implausibly large").
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd

from analysis.distinct import distinct_cells
from analysis.numbers import SPACES, choose, decide, describe, lookup, no_text, normalise, read_numbers

#: Cell texts that mean "no value", compared after :func:`normalise`; each may also end in "%" ("NaN%").
BLANKS: Final = frozenset({
    "", "na", "n/a", "n.a.", "n.a", "#n/a", "nan", "none", "null", "nil", "-", "--", "—", "–", "?", "unknown",
})
_BLANK_TEXTS: Final = BLANKS | {f"{b}{end}" for b in BLANKS for end in ("%", " %")}
#: Units of counts (lower case; a trailing dot is allowed) and their powers of ten.
COUNT_UNITS: Final = {
    "": 0, "k": 3, "thousand": 3, "thousands": 3, "tsd": 3, "m": 6, "mm": 6, "mn": 6, "mln": 6, "mio": 6,
    "million": 6, "millions": 6, "b": 9, "bn": 9, "bln": 9, "billion": 9, "billions": 9, "mrd": 9,
    "lakh": 5, "lakhs": 5, "lac": 5, "lacs": 5, "crore": 7, "crores": 7, "cr": 7,
}
_RATE_UNITS: Final = {"": 0, "%": 0}
#: Flag spellings (compared after :func:`normalise`) and what they mean.
FLAG_WORDS: Final = {
    **dict.fromkeys(("true", "t", "yes", "y", "1", "1.0", "ja", "j", "sí", "si", "oui", "x", "✓", "✔", "☑",
                     "sponsored", "paid", "ad", "#ad", "ads", "#sponsored", "werbung", "anzeige"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0", "0.0", "nein", "non", "✗", "✘", "organic", "unpaid",
                     "not sponsored"), False),
}
_COUNT_LIMIT: Final = 1e13


@dataclass(frozen=True)
class ParsedColumn:
    """One parsed column; the three series share the input's index.

    Attributes
    ----------
    values : pandas.Series
        float64 for counts and rates (NaN where blank or a problem), pandas
        "boolean" for flags (<NA> where blank or a problem).
    problems : pandas.Series
        "string": <NA> where the cell is fine or blank, else a short reason
        naming the column, e.g. ``"likes: 'abc' is not a number"``.
    blank : pandas.Series
        bool: the cell was missing, empty or a placeholder (:data:`BLANKS`).
    style : str
        The per-column decision in words, e.g. ``"percent (1.39% = 0.0139)"``.
    """

    values: pd.Series
    problems: pd.Series
    blank: pd.Series
    style: str


def blank_mask(column: pd.Series) -> pd.Series:
    """True where a cell is missing, empty or a placeholder such as ``N/A``, ``—`` or ``NaN%``."""
    if _is_numeric(column) or pd.api.types.is_bool_dtype(column):
        return column.isna()
    cells = _Distinct.of(column)
    return cells.spread(cells.blank, True).astype(bool)


def parse_counts(column: pd.Series, name: str) -> ParsedColumn:
    """Parse counts such as ``3.3k``, ``475.8M``, ``12,000``, ``10.000`` or ``2,28,00,000``.

    Separators are decided per column (rules in the module docstring);
    ``style`` records the decision, e.g. ``"abbreviated counts (k/m/b); US
    thousands separators (12,000)"``.
    """
    if _is_numeric(column):
        return _given_numbers(column, name, _COUNT_LIMIT, "numbers (already numeric)")
    cells = _Distinct.of(column)
    readings = read_numbers(cells.text, COUNT_UNITS)
    convention = decide(readings, whole=True)
    value, issue = choose(readings, convention, whole=True)
    read = readings[value.notna()]
    words = ["abbreviated counts (k/m/b)"] if (read["unit"] != "").any() else []
    words += describe(read, convention, rates=False)
    return cells.finish(value, issue, name, "; ".join(words) or "plain numbers", _COUNT_LIMIT)


def parse_rates(column: pd.Series, name: str) -> ParsedColumn:
    """Parse rates as fractions: ``1.39%``, ``1,39%``, ``0.0139`` and ``1.39`` can all mean 0.0139.

    Per column: any ``%`` means percent (cells without one are then percent
    numbers too); otherwise, if the 95th percentile of the absolute values is
    above 1, percent numbers without %; otherwise fractions.
    """
    if _is_numeric(column):
        parsed = _given_numbers(column, name, np.inf, "")
        percent = _percent_numbers(parsed.values)
        return replace(parsed, values=parsed.values / 100 if percent else parsed.values,
                       style=_scale_words(percent, marked=False))
    cells = _Distinct.of(column)
    readings = read_numbers(cells.text, _RATE_UNITS)
    convention = decide(readings, whole=False)
    value, issue = choose(readings, convention, whole=False)
    marked = bool((readings["unit"] == "%").any())  # the unit is kept only on texts that are numbers
    percent = marked or _percent_numbers(cells.finish(value, issue, name, "", np.inf).values)
    if percent:
        # Divide by 100 in the text, so that "1.62%" is exactly 0.0162.
        value, issue = choose(read_numbers(cells.text, _RATE_UNITS, shift=-2), convention, whole=False)
    words = [_scale_words(percent, marked), *describe(readings[value.notna()], convention, rates=True)]
    return cells.finish(value, issue, name, "; ".join(words), np.inf)


def parse_flags(column: pd.Series, name: str) -> ParsedColumn:
    """Parse yes/no cells (:data:`FLAG_WORDS`, any case) into a "boolean" series.

    Boolean columns pass through; numeric columns must hold 0 or 1 (NaN = blank).
    """
    if pd.api.types.is_bool_dtype(column):
        values = column.astype("boolean")
        problems = no_text(column.index)
        return ParsedColumn(values, problems, values.isna().astype(bool), "booleans")
    if _is_numeric(column):
        given = pd.Series(column.to_numpy("float64", na_value=np.nan), index=column.index)
        bad = given.notna() & ~given.isin([0, 1])
        reason = pd.Series("is not a yes/no value (0 or 1)", index=column.index, dtype="string").where(bad)
        problems = _messages(name, given, reason)
        return ParsedColumn(given.eq(1).astype("boolean").mask(given.isna() | bad), problems, given.isna(),
                            "0/1 numbers")
    # Numbers inside a text column are matched as text: 1 -> "1", 1.0 -> "1.0", True -> "true".
    cells = replace(_Distinct.of(column, merged=True), given=None)  # the style lists each word once
    truth = lookup(cells.text, FLAG_WORDS)
    issue = pd.Series("is not a yes/no value", index=truth.index, dtype="string").where(truth.isna())
    seen = sorted(cells.text[truth.notna()])
    style = "yes/no words (" + ", ".join(seen[:8]) + (", …)" if len(seen) > 8 else ")")
    parsed = cells.finish(truth, issue, name, style, np.inf)
    return replace(parsed, values=parsed.values.astype("boolean"))


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _percent_numbers(values: pd.Series) -> bool:
    """Whether numbers without % are percents: the 95th percentile of their sizes is above 1."""
    sizes = values.abs().dropna()
    return len(sizes) > 0 and float(sizes.quantile(0.95)) > 1


def _scale_words(percent: bool, marked: bool) -> str:
    if marked:
        return "percent (1.39% = 0.0139)"
    return "percent numbers without % (values above 1)" if percent else "fractions (0.0139)"


def _given_numbers(column: pd.Series, name: str, limit: float, style: str) -> ParsedColumn:
    """A numeric column as float64, with problems only for infinite and out-of-range values."""
    values = pd.Series(column.to_numpy("float64", na_value=np.nan), index=column.index)
    issue = _range_issue(values, limit)
    return ParsedColumn(values.mask(issue.notna()), _messages(name, values, issue), values.isna(), style)


def _range_issue(values: pd.Series, limit: float) -> pd.Series:
    """Why a number is unusable: infinite, or larger than ``limit`` in size (<NA> elsewhere)."""
    infinite = np.isinf(values.to_numpy())
    large = ~infinite & (values.abs() > limit).to_numpy()
    issue = no_text(values.index)
    if large.any() or infinite.any():
        issue[large] = f"is implausibly large (over {limit:.0e})"
        issue[infinite] = "is not a finite number"
    return issue


def _messages(name: str, shown: pd.Series, reason: pd.Series) -> pd.Series:
    """``name: 'cell' reason`` where ``reason`` is set, else <NA>; numbers shown as ``{:g}``, long text cut."""
    messages = no_text(reason.index)
    bad = reason.notna().to_numpy(bool)
    if bad.any():  # only the problem cells are formatted
        cells = shown[bad].map("{:g}".format) if pd.api.types.is_numeric_dtype(shown) else shown[bad]
        text = cells.astype("string").str.replace(SPACES, " ", regex=True).str.strip()
        text = text.where(text.str.len() <= 40, text.str.slice(0, 39) + "…")
        messages[bad] = (f"{name}: '" + text + "' " + reason[bad]).to_numpy()
    return messages


def _number_or_nan(value: object) -> float:
    """A real number found in a text column as float (±inf when too large for one); NaN for anything else."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return np.nan
    try:
        return float(value)
    except OverflowError:
        return -math.inf if value < 0 else math.inf


@dataclass(frozen=True)
class _Distinct:
    """A column as its distinct cells: each is parsed once, then spread back to the cells by ``codes``."""

    index: pd.Index
    codes: np.ndarray  # per cell, position among the distinct cells; -1 = missing (None, NaN, <NA>)
    raw: pd.Series  # distinct cells as given
    text: pd.Series  # normalised distinct texts ("string")
    blank: pd.Series  # bool per distinct cell
    given: pd.Series | None  # float where a distinct cell already is a number (object columns), else NaN

    @classmethod
    def of(cls, column: pd.Series, merged: bool = False) -> _Distinct:
        """``merged``: merge equal cells in every column (a result listing the distinct texts needs that)."""
        codes, raw = distinct_cells(column, always_merge=merged)
        given = None
        if pd.api.types.infer_dtype(raw, skipna=True) not in ("string", "empty"):
            # Numbers in a text column (Excel, JSON) are taken as they are, not re-read from text.
            given = raw.map(_number_or_nan).astype("float64")
        text = normalise(raw)
        blank = text.isin(_BLANK_TEXTS).to_numpy(bool)
        if given is not None:
            blank = blank & given.isna().to_numpy()
        return cls(column.index, np.asarray(codes), raw, text, pd.Series(blank, index=raw.index), given)

    def spread(self, per_distinct: pd.Series, missing: object) -> pd.Series:
        """Per-cell values from per-distinct ones, with ``missing`` for missing cells."""
        return pd.Series(per_distinct.array.take(self.codes, allow_fill=True, fill_value=missing), index=self.index)

    def finish(self, value: pd.Series, issue: pd.Series, name: str, style: str, limit: float) -> ParsedColumn:
        """Range-check the per-distinct results, word the reasons and spread everything to the cells."""
        if self.given is not None:
            value = value.where(self.given.isna(), self.given)
            issue = issue.where(self.given.isna())
        issue = issue.fillna(_range_issue(value, limit)).where(~self.blank)
        values = value.where(issue.isna() & ~self.blank).astype("float64")
        return ParsedColumn(self.spread(values, np.nan), self.spread(_messages(name, self.raw, issue), pd.NA),
                            self.spread(self.blank, True).astype(bool), style)
