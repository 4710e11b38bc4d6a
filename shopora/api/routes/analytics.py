"""Headline sales numbers for operators and analysts."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from shopora.api.deps import SessionDep, SettingsDep, StaffUser
from shopora.api.errors import errors
from shopora.api.schemas_common import UtcDatetime
from shopora.services import analytics
from shopora.services.analytics_base import DateRange, Preset

router = APIRouter(prefix="/admin/analytics", tags=["analytics"], responses=errors(401, 403))


class Kpi(BaseModel):
    value: int | float = Field(
        description="This period (cents for *_cents, a 0-1 ratio for conversion)."
    )
    previous: int | float = Field(description="The period of equal length just before.")
    delta_percent: float | None = Field(
        description="Change from previous, in percent; null when the previous was 0."
    )


class AnalyticsSummary(BaseModel):
    """Paid orders count by when they were paid; `orders_placed` and `conversion` by when
    they were placed; refunds by when they were made."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "range": "7d",
                    "start": "2025-01-25T00:00:00Z",
                    "end": "2025-02-01T00:00:00Z",
                    "currency": "usd",
                    "kpis": {
                        "revenue_cents": {
                            "value": 182300,
                            "previous": 150000,
                            "delta_percent": 21.5,
                        },
                        "paid_orders": {"value": 14, "previous": 0, "delta_percent": None},
                    },
                }
            ]
        }
    }

    range: Preset
    start: UtcDatetime
    end: UtcDatetime
    currency: str
    kpis: dict[str, Kpi] = Field(
        description="revenue_cents, refunds_cents, net_revenue_cents, paid_orders, aov_cents, "
        "items_sold, orders_placed, conversion, refund_count."
    )


@router.get("/summary", responses=errors(422), summary="KPIs with previous-period deltas")
def summary(
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    preset: Annotated[
        Preset, Query(alias="range", description="Whole UTC days ending today.")
    ] = "30d",
) -> AnalyticsSummary:
    """Revenue, refunds, orders, average order value, items sold and conversion for the
    range, each with the previous period of the same length and the change in percent."""
    period = DateRange.preset(preset)
    current = analytics.kpis(session=session, period=period, compare=True)
    previous = current.previous or current
    kpis: dict[str, Kpi] = {}
    for field in fields(current):
        if field.name == "previous":
            continue
        now, before = getattr(current, field.name), getattr(previous, field.name)
        kpis[field.name] = Kpi(
            value=now, previous=before, delta_percent=analytics.delta(now, before)
        )
    return AnalyticsSummary(
        range=preset, start=period.start, end=period.end, currency=settings.currency, kpis=kpis
    )
