"""When a failed callback is tried again: exponential, jittered, capped, within the window."""

from __future__ import annotations

import random

from adclf.config import Settings
from adclf.webhooks.backoff import delay, next_attempt


def test_delays_double_with_jitter_in_the_upper_half_and_stop_at_the_cap() -> None:
    rand = random.Random(7)
    for attempts, nominal in ((1, 10), (2, 20), (3, 40), (4, 80), (12, 3600), (40, 3600)):
        got = [delay(attempts, 10, 3600, rand) for _ in range(200)]
        assert all(nominal / 2 <= d <= nominal for d in got), (attempts, min(got), max(got))
        assert max(got) - min(got) > nominal / 4  # really jittered, not a constant


def test_retries_end_at_the_windows_end(tmp_path: object) -> None:
    settings = Settings(WEBHOOK_RETRY_BASE_SECONDS=10, WEBHOOK_RETRY_MAX_SECONDS=3600,
                        WEBHOOK_RETRY_HOURS=24)
    first = 1_000_000.0
    end = first + 24 * 3600
    assert first + 5 <= (next_attempt(1, first, first, settings) or 0) <= first + 10
    assert next_attempt(30, first, end - 60, settings) == end  # the last try is at the end
    assert next_attempt(31, first, end, settings) is None
    # over a day the attempts number about 24 capped hours plus the ramp, not thousands
    now, attempts = first, 0
    while (nxt := next_attempt(attempts + 1, first, now, settings)) is not None:
        attempts, now = attempts + 1, nxt
    assert 25 <= attempts <= 60
