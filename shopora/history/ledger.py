"""The demo stock ledger: sales, restocking refunds, deliveries and each product's opening stock."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from shopora.history.world import OPERATOR, WINDOW, Plan, S, World, placed
from shopora.models import InventoryMovement, MovementReason, Product
from shopora.models.base import pk


@dataclass(frozen=True)
class Move:
    at: datetime
    product: Product
    delta: int
    reason: MovementReason
    plan: Plan | None = None
    actor: str = "system"
    note: str = ""


def plan_ledger(rng: random.Random, plans: list[Plan], world: World) -> list[Move]:
    """Sales and restocking refunds as they happened, restocks mid-way, and one opening
    `seed` entry per product sized so that it ends exactly at its stock_on_hand."""
    moves = _order_moves_never_short(plans, world)
    moves += _restocks(rng, moves, world)
    moves += _openings(moves, world)
    return sorted(moves, key=lambda m: m.at)


def ledger_rows(moves: list[Move]) -> list[InventoryMovement]:
    return [
        InventoryMovement(
            product_id=pk(m.product),
            delta=m.delta,
            reason=m.reason,
            order_id=pk(placed(m.plan)) if m.plan else None,
            actor=m.actor,
            note=m.note,
            created_at=m.at,
        )
        for m in moves
    ]


def _order_moves_never_short(plans: list[Plan], world: World) -> list[Move]:
    moves = _order_moves(plans)
    while short := _short_products(moves, world):
        # A late return of a product that is now sold out would need stock it never had:
        # such a refund did not go back on the shelf.
        for plan in reversed(plans):
            refund = plan.refund
            if refund and refund.restock and any(pk(p) in short for p, _ in plan.lines):
                refund.restock = False
                break
        moves = _order_moves(plans)
    return moves


def _order_moves(plans: list[Plan]) -> list[Move]:
    moves: list[Move] = []
    for plan in plans:
        if plan.fate != "paid":
            continue
        for product, quantity in plan.lines:
            moves.append(
                Move(plan.steps[S.PAID], product, -quantity, MovementReason.SALE, plan, "stripe")
            )
        moves += _restocking_refund(plan)
    return moves


def _restocking_refund(plan: Plan) -> list[Move]:
    refund = plan.refund
    if refund is None or not refund.restock:
        return []
    note = f"Refund re_demo_{plan.tag}: back in stock"
    return [
        Move(refund.at, product, quantity, MovementReason.REFUND, plan, OPERATOR, note)
        for product, quantity in plan.lines
    ]


def _opening(moves: list[Move], product: Product) -> int:
    """The stock level before every move, so that the moves end at `stock_on_hand`."""
    return product.stock_on_hand - sum(m.delta for m in moves if m.product is product)


def _openings(moves: list[Move], world: World) -> list[Move]:
    opened, seed = world.now - WINDOW, MovementReason.SEED
    openings: list[Move] = []
    for product in world.products:
        opening = _opening(moves, product)
        if opening:
            openings.append(Move(opened, product, opening, seed, note="Opening stock"))
    return openings


def _lowest_balance(moves: list[Move], product: Product, until: datetime | None = None) -> int:
    """The lowest stock level, before `until`, counted from an opening level of zero."""
    level = lowest = 0
    for move in sorted((m for m in moves if m.product is product), key=lambda m: m.at):
        if until is not None and move.at >= until:
            break
        level += move.delta
        lowest = min(lowest, level)
    return lowest


def _short_products(moves: list[Move], world: World) -> set[int]:
    short: set[int] = set()
    for product in world.products:
        if _opening(moves, product) + _lowest_balance(moves, product) < 0:
            short.add(pk(product))
    return short


def _restocks(rng: random.Random, moves: list[Move], world: World) -> list[Move]:
    """One supplier delivery mid-window for the products that sell."""
    restocks: list[Move] = []
    for product in world.products:
        own = [m for m in moves if m.product is product]
        restock = _restock(rng, product, own, world)
        if restock is not None:
            restocks.append(restock)
    return restocks


def _restock(rng: random.Random, product: Product, own: list[Move], world: World) -> Move | None:
    """The opening stock shrinks by the delivery, never so far that the shelf would have run
    empty before it arrived."""
    sold = -sum(m.delta for m in own if m.reason == MovementReason.SALE)
    at = world.now - WINDOW * rng.uniform(0.35, 0.65)
    wanted = rng.choice((12, 24, 36, 48))
    if sold < 15:
        return None
    room = _opening(own, product) + _lowest_balance(own, product, until=at) - 1
    quantity = min(wanted, room) // 6 * 6
    if quantity < 6:
        return None
    return Move(at, product, quantity, MovementReason.RESTOCK, None, OPERATOR, "Supplier delivery")
