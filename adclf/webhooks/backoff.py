"""When a failed callback is tried again: exponential backoff with jitter, capped, for a window
(WEBHOOK_RETRY_HOURS) counted from the job's end. The last attempt is at the window's end."""

from __future__ import annotations

import random

from adclf.config import Settings


def delay(attempts: int, base: float, cap: float, rand: random.Random | None = None) -> float:
    """Seconds before the attempt after `attempts` failed ones: base·2^(attempts-1) up to `cap`,
    of which the upper half is random ("equal jitter"), so receivers that come back are not hit
    by every sender at once, and no retry comes sooner than half the nominal delay."""
    nominal = min(cap, base * 2 ** max(0, attempts - 1))
    return nominal / 2 + (rand or random).uniform(0, nominal / 2)


def next_attempt(attempts: int, first_due: float, now: float, settings: Settings,
                 rand: random.Random | None = None) -> float | None:
    """When to try again after `attempts` failed attempts, or None to give up."""
    end = first_due + settings.WEBHOOK_RETRY_HOURS * 3600
    if now >= end:
        return None
    wait = delay(attempts, settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS,
                 rand)
    return min(now + wait, end)
