"""Errors shown to users by the CLI and the dashboard. See also `app.engine.errors`."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.errors import CapplanError, MissingPriceError, ModelInputError

__all__ = [
    "CapplanError",
    "InputError",
    "InputIssue",
    "MissingPriceError",
    "ModelInputError",
]


@dataclass(frozen=True)
class InputIssue:
    """One problem in one input file: where it is and what was expected."""

    source: str  # file path as the user named it, or "upload", or "URL"
    line: int | None
    field: str  # dotted field path, e.g. "options[1].ptu"; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InputError(CapplanError):
    """A file, upload or URL parameter that does not pass validation. Carries every issue found."""

    def __init__(self, issues: list[InputIssue] | InputIssue):
        self.issues = [issues] if isinstance(issues, InputIssue) else list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))
