"""The project's error type for unusable input."""

from __future__ import annotations


class LoadError(ValueError):
    """A file cannot be read as a creator table; the message names the file and says what to do."""
