"""Which source column is which canonical column: detected from names, with a confidence.

Files name the same thing many ways (``#Followers``, ``Subscribers``, the typo
``Suscribers``, ``num_followers``, ``edge_followed_by``). Detection scores every
(source, canonical) pair from the header text alone, then assigns greedily,
best score first, one source per canonical column. The analyst can override
any choice; the mapping is part of a dataset's identity (:meth:`ColumnMapping.key`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis import columns as col

#: Header spellings per canonical column, compared after :func:`normalise` (lower case, words only).
SYNONYMS: dict[str, tuple[str, ...]] = {
    col.HANDLE: ("handle", "username", "user name", "user", "channel info", "channel", "account", "creator",
                 "influencer", "tiktoker name", "instagram name", "screen name", "profile", "name", "channel name"),
    col.FOLLOWERS: ("followers", "follower", "followers count", "follower count", "num followers",
                    "number of followers", "subscribers", "subscribers count", "subscriber count", "subs",
                    "fans", "audience", "edge followed by", "followers total"),
    col.LIKES: ("likes", "avg likes", "likes avg", "average likes", "mean likes", "likes per post", "like count",
                "edge liked by", "hearts", "avg hearts", "digg count"),
    col.COMMENTS: ("comments", "avg comments", "comments avg", "average comments", "comment count",
                   "comments per post", "edge media to comment"),
    col.SHARES: ("shares", "avg shares", "shares avg", "average shares", "share count", "reposts", "retweets"),
    col.SAVES: ("saves", "avg saves", "saved", "save count", "bookmarks"),
    col.VIEWS: ("views", "avg views", "views avg", "average views", "view count", "video views", "plays",
                "play count"),
    col.POSTS: ("posts", "post count", "posts count", "media count", "number of posts", "uploads", "videos",
                "video count"),
    col.PLATFORM: ("platform", "network", "social network", "site"),
    col.CATEGORY: ("category", "categories", "niche", "topic", "vertical", "genre"),
    col.COUNTRY: ("country", "location", "nation", "region", "audience country"),
    col.SPONSORED: ("sponsored", "is sponsored", "paid", "is paid", "ad", "is ad", "paid partnership",
                    "branded content", "sponsorship"),
    col.POST_DATE: ("date", "post date", "posted at", "posted", "timestamp", "created at", "published at",
                    "upload date"),
    col.ER_GIVEN: ("engagement rate", "eng rate", "er", "engagement", "avg engagement rate", "60 day eng rate",
                   "engagement rate percent"),
}
#: Headers that usually, not always, mean the column: a guess of lower confidence.
WEAK_SYNONYMS: dict[str, tuple[str, ...]] = {
    col.VIEWS: ("visits", "impressions"),
    col.HANDLE: ("title", "tiktok name", "youtuber"),
    col.FOLLOWERS: ("reach",),
}
#: Words that make a header something else even when it contains a synonym ("total_likes" is not per post).
_DISQUALIFIERS: dict[str, frozenset[str]] = {
    col.LIKES: frozenset({"total", "new", "rate", "ratio"}),
    col.COMMENTS: frozenset({"total", "rate", "ratio", "disabled"}),
    col.VIEWS: frozenset({"total", "rate"}),
    col.FOLLOWERS: frozenset({"growth", "gain", "change", "rate", "fake", "new", "following"}),
    col.POSTS: frozenset({"since", "per", "time"}),
    col.HANDLE: frozenset({"display", "full", "real"}),
    col.POST_DATE: frozenset({"since", "ago"}),  # "Time since posted: 11 hours" has no date to anchor it
}
_EXACT, _WORDS, _FUZZY = 1.0, 0.8, 0.6


@dataclass(frozen=True)
class ColumnChoice:
    """One canonical column's source (None: not in the file), how sure, and why."""

    canonical: str
    source: str | None
    confidence: float
    reason: str


@dataclass(frozen=True)
class ColumnMapping:
    """The detected (or edited) mapping, one choice per canonical column."""

    choices: tuple[ColumnChoice, ...]

    def source_for(self, canonical: str) -> str | None:
        return next((c.source for c in self.choices if c.canonical == canonical), None)

    def as_dict(self) -> dict[str, str]:
        """Canonical -> source for the mapped columns only."""
        return {c.canonical: c.source for c in self.choices if c.source is not None}

    def key(self) -> str:
        """A stable text form (sorted JSON) for content addresses and links."""
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)


def normalise(header: str) -> str:
    """'#Followers', 'Likes avg.', 'num_followers' -> 'followers', 'likes avg', 'num followers'."""
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header))
    return " ".join(re.findall(r"[a-z0-9]+", words.lower()))


def score(header: str, canonical: str) -> tuple[float, str]:
    """How well ``header`` names ``canonical`` (0 to 1) and the reason in words."""
    name = normalise(header)
    words = set(name.split())
    if words & _DISQUALIFIERS.get(canonical, frozenset()):
        return 0.0, ""
    synonyms = SYNONYMS[canonical]
    if name in synonyms:
        return _EXACT, f"header '{header}' is a known name"
    for synonym in synonyms:
        if len(synonym) > 2 and set(synonym.split()) <= words:
            return _WORDS, f"header '{header}' contains '{synonym}'"
    close = difflib.get_close_matches(name, synonyms, n=1, cutoff=0.85)
    if close and len(name) > 4:
        return _FUZZY, f"header '{header}' is close to '{close[0]}' (a typo?)"
    if name in WEAK_SYNONYMS.get(canonical, ()):
        return _FUZZY, f"header '{header}' often means {canonical}"
    return 0.0, ""


def detect_mapping(headers: Iterable[str]) -> ColumnMapping:
    """Assign source columns to canonical columns, best-scoring pairs first.

    Ties go to the earlier column (a file that carries a metric twice, as text
    and as a number, maps its first copy; either parses to the same values).
    """
    names = list(headers)
    candidates = [
        (value, -position, canonical, name, reason)
        for position, name in enumerate(names)
        for canonical in SYNONYMS
        for value, reason in [score(name, canonical)]
        if value > 0
    ]
    taken: dict[str, ColumnChoice] = {}
    used: set[str] = set()
    for value, _, canonical, name, reason in sorted(candidates, reverse=True):
        if canonical not in taken and name not in used:
            taken[canonical] = ColumnChoice(canonical, name, value, reason)
            used.add(name)
    return ColumnMapping(tuple(taken.get(c, ColumnChoice(c, None, 0.0, "no matching header")) for c in SYNONYMS))


def with_overrides(
    mapping: ColumnMapping, overrides: Mapping[str, str | None], headers: Iterable[str]
) -> ColumnMapping:
    """``mapping`` with the analyst's choices applied (``None`` or ``""`` unmaps a column).

    A source column chosen for one canonical column is taken away from any other.
    Raises ``ValueError`` naming the unknown canonical or source column.
    """
    names = list(headers)
    for canonical, source in overrides.items():
        if canonical not in SYNONYMS:
            raise ValueError(f"unknown column {canonical!r}; choose one of: {', '.join(SYNONYMS)}")
        if source and source not in names:
            raise ValueError(f"no column {source!r} in the file; columns are: {', '.join(names)}")
    chosen = {s for s in overrides.values() if s}
    choices = []
    for choice in mapping.choices:
        if choice.canonical in overrides:
            source = overrides[choice.canonical] or None
            choices.append(ColumnChoice(choice.canonical, source, 1.0, "set by you" if source else "unmapped by you"))
        elif choice.source in chosen:
            choices.append(ColumnChoice(choice.canonical, None, 0.0, f"'{choice.source}' was given to another column"))
        else:
            choices.append(choice)
    return ColumnMapping(tuple(choices))


def parse_overrides(pairs: Iterable[str]) -> dict[str, str | None]:
    """``["followers=Subscribers", "views="]`` -> ``{"followers": "Subscribers", "views": None}``."""
    overrides: dict[str, str | None] = {}
    for pair in pairs:
        canonical, sep, source = pair.partition("=")
        if not sep:
            raise ValueError(f"mapping {pair!r} must look like canonical=source, e.g. followers=Subscribers")
        overrides[canonical.strip()] = source.strip() or None
    return overrides
