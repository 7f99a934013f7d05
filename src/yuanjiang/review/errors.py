"""The refusal every closed-period rule raises (review.guard, review.invariant)."""

from django.core.exceptions import ValidationError


class PeriodClosedError(ValidationError):
    """A write into a closed period. A ValidationError, so forms and views show its message."""
