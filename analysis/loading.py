"""Load creator files of any reasonable shape, accounting for every input row.

The pipeline: :func:`analysis.readers.read_table` turns bytes into a table of
cells; :mod:`analysis.mapping` decides which column is which;
:mod:`analysis.values` parses each mapped column as a whole (so ambiguous
separators are decided per column); then rows are checked, post-level files
aggregated per creator, duplicate creators resolved and suspicious rows
flagged. Every data row ends up loaded or in ``report.rejected`` with a
reason; file-level problems raise :class:`LoadError` naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis import columns as col
from analysis.errors import LoadError
from analysis.mapping import ColumnMapping, detect_mapping, with_overrides
from analysis.posts import AGGREGATES, JoinReport, aggregate_posts, join_posts, looks_post_level
from analysis.quality import DUPLICATE_POLICIES, flag_suspicious, handle_key, resolve_duplicates
from analysis.readers import RawTable, read_table
from analysis.rows import build_canonical, first_problem_per_row, no_rows, raw_from_frame, raw_rejections, total_rows

#: File endings offered for the dashboard's data folder (compressed forms are read too).
SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".psv", ".parquet", ".pq", ".xlsx", ".json", ".jsonl", ".ndjson",
                      ".gz", ".zip")


@dataclass(frozen=True)
class LoadOptions:
    """How to read a file: column overrides, sheet, duplicate policy, post aggregation."""

    overrides: tuple[tuple[str, str | None], ...] = ()
    sheet: str | int | None = None
    duplicates: str = "first"
    aggregate: str = "mean"
    post_level: bool | None = None  # None: detect from repeated handles
    max_expanded_bytes: int = 2_000_000_000  # a compressed file expanding past this is refused

    def __post_init__(self) -> None:
        if self.duplicates not in DUPLICATE_POLICIES:
            raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}, got {self.duplicates!r}")
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}, got {self.aggregate!r}")

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, str | None], **kwargs: object) -> LoadOptions:
        return cls(overrides=tuple(sorted(overrides.items())), **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LoadReport:
    """What happened to every input row, and every decision taken reading the file.

    ``rejected``: one row per rejected input row (``row``, ``column``, ``value``,
    ``reason``). ``decisions``: how the file and each column were read.
    ``notes``: what is missing and what that means for the analysis.
    """

    source: str
    total: int
    rejected: pd.DataFrame
    mapping: ColumnMapping
    decisions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    creators: int = 0
    join: JoinReport | None = field(default=None, compare=False)
    columns: tuple[str, ...] = ()  # every column of the file, for editing the mapping
    sheets: tuple[str, ...] = ()  # an Excel workbook's sheets, for choosing another

    @property
    def loaded(self) -> int:
        return self.total - len(self.rejected)

    def reason_counts(self) -> dict[str, int]:
        reasons = self.rejected["reason"].str.replace(r" \(kept row \d+", " (kept row …", regex=True)
        return {str(k): int(v) for k, v in reasons.value_counts().items()}


@dataclass(frozen=True)
class LoadResult:
    """One row per creator (canonical columns, ``row`` = first file row, ``flags``) and the report."""

    frame: pd.DataFrame
    report: LoadReport

    @property
    def flagged(self) -> pd.DataFrame:
        return self.frame[self.frame["flags"] != ""]


def load_creators(path: str | Path | bytes, name: str | None = None, options: LoadOptions = LoadOptions(),
                  posts: str | Path | bytes | None = None, posts_name: str | None = None) -> LoadResult:
    """Read a creator file (any supported format) and, optionally, a posts file to join to it."""
    raw = read_table(path, name, sheet=options.sheet, max_expanded_bytes=options.max_expanded_bytes)
    if posts is None:
        return _finish(*_rows(raw, options), raw, options)
    posts_raw = read_table(posts, posts_name, max_expanded_bytes=options.max_expanded_bytes)
    return _join(raw, posts_raw, options)


def clean_creators(frame: pd.DataFrame, source: str = "data", options: LoadOptions = LoadOptions()) -> LoadResult:
    """:func:`load_creators` for a table already in memory (cells as text or numbers)."""
    raw = raw_from_frame(frame, source)
    return _finish(*_rows(raw, options), raw, options)


def _rows(raw: RawTable, options: LoadOptions,
          need_followers: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, ColumnMapping, list[str]]:
    """Canonical rows that passed every check, the rejections so far, the mapping, the decisions.

    A posts file joined to accounts may lack followers (``need_followers=False``).
    """
    headers = list(raw.frame.columns)
    mapping = with_overrides(detect_mapping(headers), dict(options.overrides), headers)
    if need_followers and mapping.source_for(col.FOLLOWERS) is None:
        raise LoadError(
            f"{raw.source}: no follower column found among {', '.join(map(repr, headers)) or 'no columns'}. "
            "Say which column holds follower counts (column mapping on the Data page, or --map followers=COLUMN)."
        )
    canonical, problems, decisions = build_canonical(raw, mapping)
    rejected = first_problem_per_row([raw_rejections(raw), problems])
    kept = canonical[~canonical["row"].isin(rejected["row"])]
    return kept.reset_index(drop=True), rejected, mapping, [*raw.notes, *decisions]


def _finish(kept: pd.DataFrame, rejected: pd.DataFrame, mapping: ColumnMapping, decisions: list[str],
            raw: RawTable, options: LoadOptions, join: JoinReport | None = None) -> LoadResult:
    headers = [str(h) for h in raw.frame.columns]
    key = handle_key(kept[col.HANDLE]) if col.HANDLE in kept.columns else None  # hashed once, used twice
    post_level = looks_post_level(kept, headers, key) if options.post_level is None else options.post_level
    if post_level and col.HANDLE in kept.columns:
        unattributed = kept[col.HANDLE].isna()
        rejected = _add(rejected, no_rows(kept[unattributed], col.HANDLE, "post without a handle: no creator"))
        posts_in = int((~unattributed).sum())
        kept = aggregate_posts(kept[~unattributed], options.aggregate)
        decisions.append(f"post-level file: {posts_in:,} posts averaged ({options.aggregate}) into "
                         f"{len(kept):,} creators")
    else:
        kept, duplicates = resolve_duplicates(kept, options.duplicates, key)
        rejected = _add(rejected, duplicates)
    kept = kept.assign(flags=flag_suspicious(kept)) if len(kept) else kept.assign(flags=pd.Series(dtype="string"))
    report = LoadReport(source=raw.source, total=total_rows(raw), rejected=rejected, mapping=mapping,
                        decisions=tuple(decisions), notes=_notes(kept, mapping), creators=len(kept), join=join,
                        columns=tuple(str(c) for c in raw.frame.columns), sheets=_sheets(raw))
    return LoadResult(frame=kept.reset_index(drop=True), report=report)


def _join(raw: RawTable, posts_raw: RawTable, options: LoadOptions) -> LoadResult:
    accounts, rejected, mapping, decisions = _rows(raw, options)
    accounts, duplicates = resolve_duplicates(accounts, options.duplicates)
    posts, posts_rejected, _, post_decisions = _rows(posts_raw, LoadOptions(aggregate=options.aggregate),
                                                     need_followers=False)
    if col.HANDLE not in accounts.columns or col.HANDLE not in posts.columns:
        raise LoadError(f"{raw.source} + {posts_raw.source}: both files need a handle column to be joined")
    unattributed = posts[col.HANDLE].isna()
    posts_rejected = _add(posts_rejected, no_rows(posts[unattributed], col.HANDLE, "post without a handle"))
    joined, report = join_posts(accounts, posts[~unattributed], options.aggregate)
    report = replace(report, posts_rejected=posts_rejected)
    decisions += [f"posts file {posts_raw.source}: {d}" for d in post_decisions]
    decisions.append(f"joined posts from {posts_raw.source}: {total_rows(posts_raw):,} rows, "
                     f"{len(posts_rejected):,} rejected, {len(report.posts_without_account):,} posts without an "
                     f"account, {len(report.accounts_without_posts):,} accounts without posts")
    result = _finish(joined, _add(rejected, duplicates), mapping, decisions, raw,
                     LoadOptions(duplicates="keep", post_level=False), join=report)
    return result


def _sheets(raw: RawTable) -> tuple[str, ...]:
    listed = json.loads(raw.details.get("sheets", "[]"))
    return tuple(str(name) for name in listed)


def _add(rejected: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    parts = [p for p in (rejected, more) if len(p)]
    if not parts:
        return rejected.reset_index(drop=True)
    return pd.concat(parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)


def _notes(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[str, ...]:
    notes = []
    given = mapping.source_for(col.ER_GIVEN)
    if mapping.source_for(col.LIKES) is None:
        can = "the file's own engagement rate (as_given)" if given else "follower counts and tiers only"
        notes.append(f"no likes column: engagement rates cannot be computed; the dashboard can show {can}")
    elif mapping.source_for(col.COMMENTS) is None:
        notes.append("no comments column: the engagement rate counts likes (plus shares and saves if present) only")
    for name in (col.LIKES,):
        if name in frame.columns and (n := int(frame[name].isna().sum())):
            notes.append(f"{n:,} creators have no {name}: they count per tier but have no engagement rate")
    if len(frame) and (flagged := int((frame["flags"] != "").sum())):
        notes.append(f"{flagged:,} creators are flagged as suspicious (kept; one toggle excludes them)")
    return tuple(notes)
