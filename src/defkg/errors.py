"""The project's own exceptions. Anything else escaping the library is a bug."""

from __future__ import annotations


class DefkgError(Exception):
    """Base class of every error defkg reports to a user."""


class InputError(DefkgError):
    """An input article could not be read (empty, binary, too large, malformed...)."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = source or ""
        if source and line is not None:
            where = f"{source}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class StoreError(DefkgError):
    """The store could not be opened, locked or written."""


class QueryError(DefkgError):
    """A query could not be found, parsed, was refused (updates) or timed out."""


class ValidationError(DefkgError):
    """A graph does not conform to the SHACL shapes."""


class InputWarning:
    """Something odd about an input that was still read (not an error): e.g. a legacy encoding
    or an HTML page in a ``.txt`` file. ``str()`` gives ``"file: message"``."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source or ""
        if self.source and self.line is not None:
            where = f"{self.source}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def __repr__(self) -> str:
        return f"InputWarning({str(self)!r})"
