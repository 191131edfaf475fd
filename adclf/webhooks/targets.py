"""Submit-time policy for callback URLs: the same SSRF rules as URL jobs (adclf.net.urls: scheme,
allow/deny lists, literal private addresses, URL_ALLOW_PRIVATE), checked without DNS. The
deliverer checks again at each attempt, with the addresses the host really resolves to.

A callback needs WEBHOOK_SECRET: an unsigned callback could be forged by anyone who can reach
the receiver, so adclf refuses to send one rather than send it unsigned."""

from __future__ import annotations

from adclf.config import Settings
from adclf.errors import AdclfError, BadInput
from adclf.net.urls import validate_url


def callback_for(requested: str | None, settings: Settings) -> str | None:
    """The callback URL of a submission: `requested`, else WEBHOOK_DEFAULT_URL; "" opts out of
    the default. Normalised; raises BadInput (400) when it is refused."""
    url = settings.WEBHOOK_DEFAULT_URL if requested is None else requested.strip()
    if not url:
        return None
    if not settings.WEBHOOK_SECRET:
        raise BadInput("callback_url needs a webhook secret on the server (WEBHOOK_SECRET): "
                       "adclf signs every callback and sends none unsigned")
    try:
        return validate_url(url, settings)
    except AdclfError as exc:
        raise BadInput(f"callback_url refused: {exc}") from None
