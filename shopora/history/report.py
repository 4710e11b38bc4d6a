"""The summary of a written demo history, as `seed` prints it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from shopora.formatting import money
from shopora.history.world import WINDOW, Customer, Plan, World
from shopora.models import OrderStatus, PaymentStatus


@dataclass(frozen=True)
class HistoryReport:
    customers: int
    orders: int
    by_status: dict[str, int]
    by_payment_status: dict[str, int]
    refunds: int
    redemptions: int
    net_revenue_cents: int

    def __str__(self) -> str:
        statuses = ", ".join(f"{count} {status}" for status, count in self.by_status.items())
        return (
            f"{self.orders} demo orders from {self.customers} new customers over the last "
            f"{WINDOW.days} days ({statuses}); {self.refunds} refunds, "
            f"{self.redemptions} discount redemptions, net revenue "
            f"{money(self.net_revenue_cents)}"
        )


def build_report(customers: list[Customer], plans: list[Plan], world: World) -> HistoryReport:
    statuses = Counter(plan.status for plan in plans)
    payments = Counter(plan.payment_status for plan in plans)
    paid = [plan for plan in plans if plan.fate == "paid"]
    refunds = [plan.refund for plan in paid if plan.refund is not None]
    return HistoryReport(
        customers=sum(1 for c in customers if c.user is not world.demo),
        orders=len(plans),
        by_status={s.value: statuses[s] for s in OrderStatus if statuses[s]},
        by_payment_status={s.value: payments[s] for s in PaymentStatus if payments[s]},
        refunds=len(refunds),
        redemptions=sum(1 for plan in paid if plan.code is not None),
        net_revenue_cents=sum(p.totals.total_cents for p in paid) - sum(r.amount for r in refunds),
    )
