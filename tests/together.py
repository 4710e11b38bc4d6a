"""Run database calls at the same moment, each in its own thread and Session on one engine
(how two requests meet in production), collecting what they returned and raised."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

T = TypeVar("T")
JOIN_TIMEOUT_SECONDS = 60


@dataclass
class Outcomes(Generic[T]):
    results: list[T] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def at_once(engine: Engine, calls: Sequence[Callable[[Session], T]]) -> Outcomes[T]:
    """Start every call together (a Barrier); fail if one hangs."""
    barrier = threading.Barrier(len(calls), timeout=JOIN_TIMEOUT_SECONDS)
    outcomes: Outcomes[T] = Outcomes()
    guard = threading.Lock()

    def worker(call: Callable[[Session], T]) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                barrier.wait()
                result = call(session)
            with guard:
                outcomes.results.append(result)
        except BaseException as exc:  # collected and asserted on by the test
            with guard:
                outcomes.errors.append(exc)

    threads = [threading.Thread(target=worker, args=(call,), daemon=True) for call in calls]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a concurrent call hung"
    return outcomes
