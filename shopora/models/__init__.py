"""SQLModel tables, one module per domain. Importing this package registers them all."""

from shopora.models.carts import MAX_LINE_QUANTITY, CartItem, GuestCart
from shopora.models.catalog import Category, Product
from shopora.models.discounts import DiscountCode, DiscountRedemption, DiscountReservation
from shopora.models.inventory import InventoryMovement, StockReservation
from shopora.models.orders import Order, OrderEvent, OrderItem
from shopora.models.payments import Installation, PaymentAttempt, ProcessedStripeEvent, Refund
from shopora.models.rollups import (
    ROLLUP_TABLES,
    RollupCustomerDay,
    RollupDay,
    RollupDiscountDay,
    RollupDurationDay,
    RollupProductDay,
    RollupStatusDay,
)
from shopora.models.status import (
    AttemptOutcome,
    DiscountKind,
    EventKind,
    MovementReason,
    OrderStatus,
    PaymentStatus,
    ReservationStatus,
    Role,
    ShippingMethod,
    VerifiedVia,
    WebhookDisposition,
)
from shopora.models.users import User

__all__ = [
    "AttemptOutcome",
    "DiscountReservation",
    "Installation",
    "PaymentAttempt",
    "WebhookDisposition",
    "MAX_LINE_QUANTITY",
    "ROLLUP_TABLES",
    "CartItem",
    "Category",
    "DiscountCode",
    "DiscountKind",
    "DiscountRedemption",
    "EventKind",
    "GuestCart",
    "InventoryMovement",
    "MovementReason",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "PaymentStatus",
    "ProcessedStripeEvent",
    "Product",
    "Refund",
    "ReservationStatus",
    "RollupCustomerDay",
    "RollupDay",
    "RollupDiscountDay",
    "RollupDurationDay",
    "RollupProductDay",
    "RollupStatusDay",
    "Role",
    "ShippingMethod",
    "StockReservation",
    "User",
    "VerifiedVia",
]
