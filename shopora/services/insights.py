"""Everything the analytics page shows for a period, read from the rollups in one call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from shopora.services import analytics_rollups, analytics_rollups_ops
from shopora.services.analytics import CategoryRevenue, DateRange, ProductSales
from shopora.services.analytics_ops import FulfilmentSpeed, Funnel, RefundRate
from shopora.services.analytics_trends import CategoryShare, DiscountImpact, TrendPoint

WINDOW = 7


@dataclass(frozen=True)
class Insights:
    trend: list[TrendPoint]
    mix: list[CategoryShare]
    categories: list[CategoryRevenue]
    products: list[ProductSales]
    discounts: list[DiscountImpact]
    speed: FulfilmentSpeed
    funnel: Funnel
    refunds: RefundRate


def insights(*, session: Session, period: DateRange, window: int = WINDOW) -> Insights:
    """Revenue trend, weekly category mix, top categories and products, discount impact,
    fulfilment speed, the funnel and the refund rate of the period."""
    ops = analytics_rollups_ops
    return Insights(
        trend=ops.revenue_trend(session=session, period=period, window=window),
        mix=ops.category_mix(session=session, period=period, bucket="week"),
        categories=analytics_rollups.revenue_by_category(session=session, period=period),
        products=analytics_rollups.top_products(session=session, period=period, limit=10),
        discounts=ops.discount_impact(session=session, period=period),
        speed=ops.fulfilment_speed(session=session, period=period),
        funnel=ops.funnel(session=session, period=period),
        refunds=ops.refund_rate(session=session, period=period),
    )
