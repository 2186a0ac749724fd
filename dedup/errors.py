"""Domain exceptions: every error the library raises on bad input derives from DedupError."""

from __future__ import annotations


class DedupError(Exception):
    """Base of every error dedup raises about its inputs."""


class ReadError(DedupError):
    """A file could not be read or decoded as text."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class FormatError(ReadError):
    """A file is text but not of the format it claims (malformed XML, unsafe entities)."""


class OutputError(DedupError):
    """The output folder cannot be used or written; the previous outputs are kept."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
