"""Everything the operator dashboard shows, gathered by one call from the rollups (and the
action queue from the orders it lists): the page and `GET /api/admin/analytics/dashboard`
both call `dashboard()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from shopora.models.base import utcnow
from shopora.services import analytics_rollups as rollups
from shopora.services.analytics import CategoryRevenue, DayPoint, Kpis, ProductSales
from shopora.services.analytics_base import DateRange
from shopora.services.analytics_queue import ActionQueue, action_queue
from shopora.services.shop_days import shop_day

QUEUE_ROWS = 8
TOP_PRODUCTS = 8


@dataclass(frozen=True)
class Dashboard:
    """The period's numbers; `partial_day` is today's shop day when the period includes it
    (its figures are still growing)."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date
    partial_day: date | None
    kpis: Kpis
    queue: ActionQueue
    by_day: list[DayPoint]
    by_category: list[CategoryRevenue]
    top: list[ProductSales]
    by_status: dict[str, int]


def dashboard(
    *,
    session: Session,
    period: DateRange,
    now: datetime | None = None,
    queue_rows: int = QUEUE_ROWS,
    top: int = TOP_PRODUCTS,
) -> Dashboard:
    """KPIs against the previous period, revenue per day, by category, top products, orders
    by status and the action queue, for the period."""
    moment = now or utcnow()
    today = shop_day(moment)
    partial = today if period.first_day <= today <= period.last_day else None
    return Dashboard(
        start=period.start,
        end=period.end,
        first_day=period.first_day,
        last_day=period.last_day,
        partial_day=partial,
        kpis=rollups.kpis(session=session, period=period, compare=True),
        queue=action_queue(session=session, now=moment, limit=queue_rows),
        by_day=rollups.revenue_by_day(session=session, period=period, partial_day=partial),
        by_category=rollups.revenue_by_category(session=session, period=period),
        top=rollups.top_products(session=session, period=period, limit=top),
        by_status=rollups.orders_by_status(session=session, period=period),
    )
