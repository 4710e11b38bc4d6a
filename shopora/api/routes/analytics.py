"""Headline sales numbers for operators and analysts."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from shopora.api.deps import SessionDep, SettingsDep, StaffUser
from shopora.api.errors import errors
from shopora.api.schemas_common import UtcDatetime
from shopora.services import analytics, analytics_rollups
from shopora.services.analytics import CategoryRevenue, DayPoint, Kpis, ProductSales
from shopora.services.analytics_base import DateRange, Preset
from shopora.services.analytics_queue import ActionQueue
from shopora.services.dashboard import dashboard

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
        Preset, Query(alias="range", description="Whole shop days ending today.")
    ] = "30d",
) -> AnalyticsSummary:
    """Revenue, refunds, orders, average order value, items sold and conversion for the
    range, each with the previous period of the same length and the change in percent."""
    period = DateRange.preset(preset)
    current = analytics_rollups.kpis(session=session, period=period, compare=True)
    return AnalyticsSummary(
        range=preset,
        start=period.start,
        end=period.end,
        currency=settings.currency,
        kpis=kpi_map(current),
    )


def kpi_map(current: Kpis) -> dict[str, Kpi]:
    """Each headline number with its previous-period value and the change in percent."""
    previous = current.previous or current
    kpis: dict[str, Kpi] = {}
    for field in fields(current):
        if field.name == "previous":
            continue
        now, before = getattr(current, field.name), getattr(previous, field.name)
        kpis[field.name] = Kpi(
            value=now, previous=before, delta_percent=analytics.delta(now, before)
        )
    return kpis


class DashboardData(BaseModel):
    """What the operator dashboard shows, in the shape the page uses. Days are shop days
    (`SHOP_TIMEZONE`); sales count by when orders were paid, `by_status` by when they were
    placed (their status now), refunds by when they were made. `partial_day` is today when
    the range includes it: its figures are still growing (`by_day[].partial`)."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "range": "today",
                    "start": "2026-12-06T00:00:00Z",
                    "end": "2026-12-07T00:00:00Z",
                    "first_day": "2026-12-06",
                    "last_day": "2026-12-06",
                    "partial_day": "2026-12-06",
                    "currency": "usd",
                    "kpis": {
                        "revenue_cents": {"value": 96346, "previous": 84097, "delta_percent": 14.6}
                    },
                    "by_day": [
                        {
                            "day": "2026-12-06",
                            "revenue_cents": 96346,
                            "orders": 6,
                            "refunds_cents": 0,
                            "partial": True,
                        }
                    ],
                    "by_category": [
                        {"category_id": 2, "category": "Audio", "revenue_cents": 52000, "units": 4}
                    ],
                    "top_products": [
                        {
                            "product_id": 7,
                            "name": "Studio Headphones",
                            "sku": "AUD-001",
                            "units": 2,
                            "revenue_cents": 31998,
                        }
                    ],
                    "by_status": {
                        "pending": 3,
                        "paid": 6,
                        "processing": 0,
                        "shipped": 0,
                        "delivered": 0,
                        "cancelled": 0,
                    },
                    "queue": {
                        "awaiting_fulfilment": [],
                        "needs_attention": [],
                        "low_stock": [],
                        "sold_out": [],
                        "awaiting_total": 0,
                        "attention_total": 0,
                    },
                }
            ]
        }
    }

    range: Preset
    start: UtcDatetime
    end: UtcDatetime
    first_day: date
    last_day: date
    partial_day: date | None
    currency: str
    kpis: dict[str, Kpi] = Field(description="As in /summary.")
    by_day: list[DayPoint] = Field(description="Every shop day of the range, zeros included.")
    by_category: list[CategoryRevenue] = Field(description="Goods revenue, largest first.")
    top_products: list[ProductSales] = Field(description="By goods revenue, then units.")
    by_status: dict[str, int] = Field(description="Orders placed in the range, every status.")
    queue: ActionQueue = Field(description="Work now: to fulfil, flagged, low and sold out.")


@router.get("/dashboard", responses=errors(422), summary="Everything the dashboard shows")
def dashboard_data(
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    preset: Annotated[
        Preset, Query(alias="range", description="Whole shop days ending today.")
    ] = "30d",
) -> DashboardData:
    """KPIs against the previous period, revenue per day, revenue by category, top
    products, orders by status and the action queue, read from the daily rollups (the same
    call the dashboard page makes)."""
    board = dashboard(session=session, period=DateRange.preset(preset))
    return DashboardData(
        range=preset,
        start=board.start,
        end=board.end,
        first_day=board.first_day,
        last_day=board.last_day,
        partial_day=board.partial_day,
        currency=settings.currency,
        kpis=kpi_map(board.kpis),
        by_day=board.by_day,
        by_category=board.by_category,
        top_products=board.top,
        by_status=board.by_status,
        queue=board.queue,
    )
