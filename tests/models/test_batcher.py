"""The model actor's batcher, on a real event loop and real threads (no Ray)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from adclf.models.batcher import Batcher, DeadlineExceeded


def _gate() -> tuple[threading.Event, threading.Event, list[list[int]]]:
    return threading.Event(), threading.Event(), []


def test_requests_that_arrive_while_a_batch_runs_form_the_next_batch() -> None:
    started, release, seen = _gate()

    def double(items: list[int]) -> list[int]:
        seen.append(list(items))
        if len(seen) == 1:
            started.set()
            release.wait(30)
        return [2 * i for i in items]

    async def main() -> list[int]:
        with ThreadPoolExecutor(2) as pool:
            b: Batcher[int, int] = Batcher(double, max_batch=8, wait=0.0, executor=pool)
            first = asyncio.ensure_future(b.submit(1, timeout=30))
            await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
            rest = [asyncio.ensure_future(b.submit(i, timeout=30)) for i in range(2, 7)]
            while b.queued < 5:  # all five wait behind the running batch
                await asyncio.sleep(0)
            release.set()
            return list(await asyncio.gather(first, *rest))

    assert asyncio.run(main()) == [2, 4, 6, 8, 10, 12]
    assert seen == [[1], [2, 3, 4, 5, 6]]


def test_a_batch_never_exceeds_max_batch_and_keeps_order() -> None:
    seen: list[list[int]] = []

    def ident(items: list[int]) -> list[int]:
        seen.append(list(items))
        return items

    async def main() -> list[int]:
        b: Batcher[int, int] = Batcher(ident, max_batch=3, wait=60.0)
        # a 60 s window: only the size limit can start these batches
        return list(await asyncio.gather(*(b.submit(i, timeout=120) for i in range(6))))

    assert asyncio.run(main()) == list(range(6))
    assert seen == [[0, 1, 2], [3, 4, 5]]


def test_a_request_past_its_deadline_is_not_run_and_its_caller_gets_an_error() -> None:
    started, release, seen = _gate()

    def hold(items: list[int]) -> list[int]:
        seen.append(list(items))
        if len(seen) == 1:
            started.set()
            release.wait(30)
        return items

    async def main() -> tuple[int, BaseException | int]:
        b: Batcher[int, int] = Batcher(hold, max_batch=8, wait=0.0)
        first = asyncio.ensure_future(b.submit(1, timeout=30))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
        late = asyncio.ensure_future(b.submit(2, timeout=0.0))  # already due when it would run
        while b.queued < 1:
            await asyncio.sleep(0)
        release.set()
        got = await asyncio.gather(first, late, return_exceptions=True)
        return got[0], got[1]

    first, late = asyncio.run(main())
    assert first == 1
    assert isinstance(late, DeadlineExceeded)
    assert seen == [[1]]


def test_an_error_of_the_model_reaches_every_caller_of_its_batch() -> None:
    def boom(items: list[int]) -> list[int]:
        raise ValueError("model exploded")

    async def main() -> list[BaseException | int]:
        b: Batcher[int, int] = Batcher(boom, max_batch=2, wait=60.0)
        return list(await asyncio.gather(b.submit(1, 30), b.submit(2, 30),
                                         return_exceptions=True))

    got = asyncio.run(main())
    assert len(got) == 2
    assert all(isinstance(e, ValueError) and "exploded" in str(e) for e in got)


def test_with_two_slots_two_batches_run_at_the_same_time() -> None:
    # each call waits until both have started: with one batch at a time this would time out
    both = threading.Barrier(2, timeout=10)
    seen: list[list[int]] = []

    def meet(items: list[int]) -> list[int]:
        seen.append(list(items))
        both.wait()
        return items

    async def main() -> list[int]:
        with ThreadPoolExecutor(4) as pool:
            b: Batcher[int, int] = Batcher(meet, max_batch=8, wait=0.0, executor=pool,
                                           parallel=2)
            return list(await asyncio.gather(b.submit(1, 30), b.submit(2, 30)))

    assert asyncio.run(main()) == [1, 2]
    # one job's two frames on an idle actor: shared between the idle slots, not one batch
    assert sorted(seen) == [[1], [2]]


def test_while_every_slot_is_busy_waiting_requests_form_one_batch() -> None:
    started = threading.Barrier(3, timeout=10)  # the two first batches and the test
    release = threading.Event()
    seen: list[list[int]] = []

    def hold(items: list[int]) -> list[int]:
        seen.append(list(items))
        if len(seen) <= 2:
            started.wait()
            release.wait(30)
        return items

    async def main() -> list[int]:
        with ThreadPoolExecutor(4) as pool:
            b: Batcher[int, int] = Batcher(hold, max_batch=8, wait=0.0, executor=pool,
                                           parallel=2)
            first = [asyncio.ensure_future(b.submit(i, 30)) for i in (1, 2)]
            await asyncio.get_running_loop().run_in_executor(None, started.wait)
            rest = [asyncio.ensure_future(b.submit(i, 30)) for i in range(3, 8)]
            while b.queued < 5:
                await asyncio.sleep(0)
            release.set()
            return list(await asyncio.gather(*first, *rest))

    assert asyncio.run(main()) == list(range(1, 8))
    assert sorted(seen[:2]) == [[1], [2]]
    # both slots free up at about the same time: the five waiting share them, or one takes all
    assert sorted(x for batch in seen[2:] for x in batch) == [3, 4, 5, 6, 7]
    assert len(seen) <= 4
