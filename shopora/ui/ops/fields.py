"""Field-level errors for the admin forms: an empty slot under each field, filled when the
service refuses that field (a ShoporaError names it in `field`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from shopora.errors import ShoporaError
from shopora.ui import errors

T = TypeVar("T")


class Slots:
    """One placeholder per field name (several names may share one slot)."""

    def __init__(self) -> None:
        self._slots: dict[str, DeltaGenerator] = {}

    def under(self, *fields: str) -> None:
        """Reserve the space for these fields' errors right here."""
        slot = st.empty()
        for field in fields:
            self._slots[field] = slot

    def show(self, exc: ShoporaError) -> None:
        slot = self._slots.get(exc.field or "")
        if slot is None:
            errors.show(exc)
        else:
            slot.error(exc.message, icon=":material/error:")


def attempt(call: Callable[[], T], slots: Slots | None = None) -> T | None:
    """Run one facade call; a refusal is shown under its field (or on top), not raised."""
    try:
        return call()
    except ShoporaError as exc:
        (slots or Slots()).show(exc)
        return None


def succeeded(call: Callable[[], object], slots: Slots | None = None) -> bool:
    """`attempt`, for conditions: whether the use case went through."""
    return attempt(call, slots) is not None
