"""Errors a user can cause. The root lives in the engine because every layer depends on it."""

from __future__ import annotations


class CapplanError(Exception):
    """An error with a message written for the person who caused it (no traceback is shown)."""


class ModelInputError(CapplanError):
    """Inputs that a model cannot work with, e.g. a traffic shape that cannot reach its peak."""


class MissingPriceError(ModelInputError):
    """A price the plan needs is not in the price sheet. A missing price is never a zero."""
