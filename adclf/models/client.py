"""The only way into a node's model actor: blocking calls for a worker's pipeline threads, that
survive the actor's death. Ray restarts the actor (max_restarts); a call lost with it raises
RayActorError here, so the client looks the actor up again and sends the call again, with
backoff, until MODEL_CALL_TIMEOUT_SECONDS have passed."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import ray
from ray.actor import ActorHandle

from adclf.models.actor import model_actor_name
from adclf.store.client import NAMESPACE

log = logging.getLogger("adclf.models")

BACKOFF_FIRST = 0.2
BACKOFF_MAX = 3.0


class ModelUnavailable(RuntimeError):
    """The node's model actor did not answer within the call's time budget."""


class ModelClient:
    def __init__(self, node: str, timeout: float) -> None:
        self.node = node
        self.timeout = timeout
        self.retries = 0  # calls sent again after the actor died (reported by the worker)
        self._handle: ActorHandle | None = None
        self._lock = threading.Lock()

    def _actor(self) -> ActorHandle:
        with self._lock:
            if self._handle is None:
                try:
                    self._handle = ray.get_actor(model_actor_name(self.node),
                                                 namespace=NAMESPACE)
                except ValueError as exc:
                    raise _NotFound(str(exc)) from exc
            return self._handle

    def _forget(self) -> None:
        with self._lock:
            self._handle = None

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + self.timeout
        delay = BACKOFF_FIRST
        while True:
            try:
                ref = getattr(self._actor(), method).remote(*args, **kwargs)
                return ray.get(ref, timeout=max(1.0, deadline - time.monotonic()))
            except ray.exceptions.GetTimeoutError as exc:
                raise ModelUnavailable(f"the model actor of node {self.node} did not answer a "
                                       f"{method} call in {self.timeout:.0f} s") from exc
            except (ray.exceptions.RayActorError, _NotFound) as exc:
                # The actor died with our call, is restarting, or is not created yet. A
                # RayTaskError (the model itself raised) is not caught: it reaches the
                # pipeline as the model's own error.
                self._forget()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ModelUnavailable(
                        f"the model actor of node {self.node} did not answer in "
                        f"{self.timeout:.0f} s ({type(exc).__name__})") from exc
                self.retries += 1
                log.warning("model actor of %s lost a %s call (%s); retrying in %.1f s",
                            self.node, method, type(exc).__name__, delay)
                time.sleep(min(delay, left))
                delay = min(BACKOFF_MAX, delay * 2)


class _NotFound(Exception):
    """No actor by that name (yet)."""
