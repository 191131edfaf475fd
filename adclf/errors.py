"""Domain errors. The API maps each to an HTTP status; workers turn them into a failed job's
reason."""

from __future__ import annotations


class AdclfError(Exception):
    """Base class: `str(err)` is a message fit to show a user."""

    http_status = 400


class NotFound(AdclfError):
    http_status = 404


class Forbidden(AdclfError):
    http_status = 403


class BadInput(AdclfError):
    http_status = 400


class Conflict(AdclfError):
    """The request is fine but the current state forbids it (say, a truth a running suite uses)."""

    http_status = 409


class TooLarge(AdclfError):
    http_status = 413


class TooMany(AdclfError):
    http_status = 429


class Unavailable(AdclfError):
    http_status = 503


class PipelineError(AdclfError):
    """A job cannot be completed; the message becomes the job's `error`."""


class FetchError(PipelineError):
    """A URL could not be fetched (refused by policy, network error, too big, not a video)."""


class JobCancelled(Exception):
    """Raised inside a worker when the job was deleted/aborted while running."""
