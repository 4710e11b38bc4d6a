"""Who performed an action: recorded on every order event and ledger entry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("system")

    @classmethod
    def stripe(cls) -> Actor:
        return cls("stripe")
