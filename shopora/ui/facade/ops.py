"""The operator and analyst pages' only way to the domain: each function opens one session,
calls one service use case (or a few reads), and returns plain results. Pages and
components never open sessions themselves; refusals come out as the services' ShoporaError.

Stripe is reached only from the actions here (cancel, refund), never from a read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from shopora.db import session_scope
from shopora.models import Category, DiscountCode, MovementReason, Order, OrderEvent, Product
from shopora.models.base import utcnow
from shopora.payments import checkout, refunds
from shopora.services import (
    admin_orders,
    analytics,
    analytics_rollups_ops,
    catalog,
    discounts_admin,
    inventory,
    lifecycle,
    ops_console,
    products_admin,
)
from shopora.services import dashboard as dashboard_service
from shopora.services import insights as insights_service
from shopora.services.actors import Actor
from shopora.services.admin_order_filter import OrderFilter
from shopora.services.admin_orders import OrderDetail, OrderPage, OrderRow
from shopora.services.analytics import ActionQueue, CategoryShare, DateRange
from shopora.services.analytics_trends import Bucket
from shopora.services.dashboard import Dashboard
from shopora.services.discounts_admin import CodeUsage, DiscountInput
from shopora.services.insights import Insights
from shopora.services.ops_console import LedgerRow
from shopora.services.products_admin import ProductInput, StockRow

T = TypeVar("T")
TREND_WINDOW = insights_service.WINDOW


def _call(use_case: Callable[..., T], **arguments: Any) -> T:
    """One use case in one session (the service commits what it changes)."""
    with session_scope() as session:
        return use_case(session=session, **arguments)


# --- dashboard and analytics ---


def dashboard(period: DateRange) -> Dashboard:
    """Every number on the dashboard, read from the rollups by one service call."""
    return _call(dashboard_service.dashboard, period=period)


def action_queue(limit: int) -> ActionQueue:
    return _call(analytics.action_queue, now=utcnow(), limit=limit)


def newest_unfulfilled() -> OrderRow | None:
    """The most recently placed order still to ship: the queue lists the oldest first, and
    the order just paid must be visible too."""
    newest = replace(ops_console.saved_view("unfulfilled").filters, sort="newest", per_page=1)
    rows = _call(admin_orders.search_orders, filters=newest).rows
    return rows[0] if rows else None


def insights(period: DateRange) -> Insights:
    """Every analytics number for the period, read from the rollups by one service call."""
    return _call(insights_service.insights, period=period, window=TREND_WINDOW)


def category_mix(period: DateRange, bucket: Bucket) -> list[CategoryShare]:
    return _call(analytics_rollups_ops.category_mix, period=period, bucket=bucket)


# --- orders ---


def search_orders(filters: OrderFilter) -> OrderPage:
    """One keyset page of matching orders (`filters.after`: the previous page's cursor)."""
    return _call(admin_orders.search_orders, filters=filters)


def orders_csv(filters: OrderFilter) -> str:
    return _call(admin_orders.orders_csv, filters=filters)


def view_counts() -> dict[str, int]:
    return _call(ops_console.view_counts)


def order_id_for(number: str) -> int | None:
    return _call(ops_console.order_id_for, number=number)


def order_detail(order_id: int) -> OrderDetail:
    return _call(admin_orders.order_detail, order_id=order_id)


def start_processing(*, order_id: int, actor: Actor) -> Order:
    return _call(lifecycle.start_processing, order_id=order_id, actor=actor)


def bulk_start_processing(*, order_ids: list[int], actor: Actor) -> tuple[list[str], list[str]]:
    return _call(lifecycle.bulk_start_processing, order_ids=order_ids, actor=actor)


def bulk_deliver(*, order_ids: list[int], actor: Actor) -> tuple[list[str], list[str]]:
    return _call(lifecycle.bulk_deliver, order_ids=order_ids, actor=actor)


def ship(*, order_id: int, actor: Actor, carrier: str, tracking_number: str) -> Order:
    return _call(
        lifecycle.ship,
        order_id=order_id,
        actor=actor,
        carrier=carrier,
        tracking_number=tracking_number,
    )


def deliver(*, order_id: int, actor: Actor) -> Order:
    return _call(lifecycle.deliver, order_id=order_id, actor=actor)


def resolve_attention(*, order_id: int, actor: Actor, note: str) -> Order:
    return _call(lifecycle.resolve_attention, order_id=order_id, actor=actor, note=note)


def add_note(*, order_id: int, actor: Actor, note: str) -> OrderEvent:
    return _call(lifecycle.add_note, order_id=order_id, actor=actor, note=note)


def cancel_order(*, order_id: int, actor: Actor, reason: str) -> Order:
    """Expires the order's Stripe session first (a network call), then cancels it."""
    return _call(checkout.cancel_order, order_id=order_id, actor=actor, reason=reason)


def refund_order(
    *,
    order_id: int,
    actor: Actor,
    amount_cents: int | None = None,
    restock: bool = False,
    restock_items: Mapping[int, int] | None = None,
    cancel: bool = False,
    reason: str = "requested_by_customer",
    note: str = "",
) -> Order:
    """A refund through Stripe, mirrored locally."""
    return _call(
        refunds.refund_order,
        order_id=order_id,
        actor=actor,
        amount_cents=amount_cents,
        restock=restock,
        restock_items=restock_items,
        cancel=cancel,
        reason=reason,
        note=note,
    )


# --- products and stock ---


def stock_overview(include_archived: bool) -> tuple[list[StockRow], list[Category]]:
    with session_scope() as session:
        rows = products_admin.stock_overview(session=session, include_inactive=include_archived)
        return rows, catalog.list_categories(session=session)


def product(product_id: int) -> Product:
    return _call(catalog.get_product, product_id=product_id, include_inactive=True)


def ledger(product_id: int) -> list[LedgerRow]:
    return _call(ops_console.ledger, product_id=product_id)


def adjust_stock(
    *, product_id: int, delta: int, actor: Actor, note: str, reason: MovementReason
) -> Product:
    return _call(
        inventory.adjust_stock,
        product_id=product_id,
        delta=delta,
        actor=actor,
        note=note,
        reason=reason,
    )


def create_product(*, data: ProductInput, actor: Actor) -> Product:
    return _call(products_admin.create_product, data=data, actor=actor)


def update_product(*, product_id: int, data: ProductInput, actor: Actor) -> Product:
    return _call(products_admin.update_product, product_id=product_id, data=data, actor=actor)


def archive_product(*, product_id: int, actor: Actor) -> Product:
    return _call(products_admin.archive_product, product_id=product_id, actor=actor)


def restore_product(*, product_id: int, actor: Actor) -> Product:
    return _call(products_admin.restore_product, product_id=product_id, actor=actor)


def delete_product(*, product_id: int, actor: Actor) -> str:
    """ "deleted", or "archived" when history refers to the product."""
    return _call(products_admin.delete_product, product_id=product_id, actor=actor)


# --- discount codes ---


def code_usage() -> list[CodeUsage]:
    return _call(discounts_admin.code_usage)


def discount_code(code_id: int) -> DiscountCode:
    return _call(discounts_admin.get_code, code_id=code_id)


def create_code(data: DiscountInput) -> DiscountCode:
    return _call(discounts_admin.create_code, data=data)


def update_code(code_id: int, data: DiscountInput) -> DiscountCode:
    return _call(discounts_admin.update_code, code_id=code_id, data=data)


def set_code_active(code_id: int, active: bool) -> DiscountCode:
    use_case = discounts_admin.activate_code if active else discounts_admin.deactivate_code
    return _call(use_case, code_id=code_id)
