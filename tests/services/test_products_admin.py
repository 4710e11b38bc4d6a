"""Operators' product management: validation of every field, archive versus delete, images."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from shopora.errors import AlreadyExists, NotFound, ValidationFailed
from shopora.models import (
    CartItem,
    Category,
    MovementReason,
    Order,
    OrderItem,
    Product,
    StockReservation,
)
from shopora.services import inventory
from shopora.services.actors import Actor
from shopora.services.product_images import save_product_image
from shopora.services.products_admin import (
    ProductInput,
    archive_product,
    create_product,
    delete_product,
    restore_product,
    stock_overview,
    update_product,
)
from tests.factories import make_category, make_product, make_user

OPS = Actor("ops", None)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'


@pytest.fixture
def kitchen(session: Session) -> Category:
    return make_category(session, slug="kitchen", name="Kitchen")


def lamp_input(category: Category, **changes: Any) -> ProductInput:
    return ProductInput(
        **{"name": "Desk Lamp", "sku": "lamp-01", "category_id": category.id or 0,
           "price_cents": 2500, **changes}
    )  # fmt: skip


def create(session: Session, category: Category, **changes: Any) -> Product:
    return create_product(session=session, data=lamp_input(category, **changes), actor=OPS)


# --- create and edit ----------------------------------------------------------------------


def test_a_new_product_gets_a_slug_an_uppercase_sku_and_no_stock(
    session: Session, kitchen: Category
) -> None:
    # when
    product = create(session, kitchen, name="  Café   Desk Lamp ", description=" Warm light. ")

    # then
    assert (product.name, product.slug, product.sku) == (
        "Café Desk Lamp",
        "cafe-desk-lamp",
        "LAMP-01",
    )
    assert (product.stock_on_hand, product.reserved, product.active) == (0, 0, True)
    assert product.description == "Warm light."
    assert inventory.ledger(session=session, product_id=product.id or 0) == []


def test_initial_stock_is_a_restock_in_the_ledger(session: Session, kitchen: Category) -> None:
    # given
    product = create(session, kitchen)

    # when
    inventory.adjust_stock(
        session=session, product_id=product.id or 0, delta=12, actor=OPS, note="First delivery",
        reason=MovementReason.RESTOCK,
    )  # fmt: skip

    # then
    assert product.stock_on_hand == 12
    assert [m.reason for m in inventory.ledger(session=session, product_id=product.id or 0)] == [
        "restock"
    ]


def test_two_products_with_the_same_name_get_different_slugs(
    session: Session, kitchen: Category
) -> None:
    # when
    first = create(session, kitchen, sku="LAMP-01")
    second = create(session, kitchen, sku="LAMP-02")
    third = create(session, kitchen, sku="LAMP-03")

    # then
    assert [first.slug, second.slug, third.slug] == ["desk-lamp", "desk-lamp-2", "desk-lamp-3"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "A"}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "   "}, "name"),
        ({"sku": "AB"}, "sku"),
        ({"sku": "AB_12"}, "sku"),
        ({"sku": "AB 12"}, "sku"),
        ({"sku": "A" * 41}, "sku"),
        ({"price_cents": 0}, "price_cents"),
        ({"price_cents": 100_000_000}, "price_cents"),
        ({"price_cents": True}, "price_cents"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
        ({"low_stock_threshold": 10_001}, "low_stock_threshold"),
        ({"description": "x" * 5001}, "description"),
        ({"image": "../secrets.png"}, "image"),
        ({"image": "/etc/lamp.png"}, "image"),
        ({"image": "var/uploads/lamp.exe"}, "image"),
        ({"category_id": 999}, "category_id"),
    ],
)
def test_invalid_products_are_refused_naming_the_field(
    session: Session, kitchen: Category, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(session, kitchen, **changes)
    assert refused.value.field == field
    assert session.exec(select(Product)).all() == []


def test_the_limits_themselves_are_accepted(session: Session, kitchen: Category) -> None:
    # when
    product = create(
        session, kitchen, name="Ab", sku="A-1", price_cents=99_999_999, low_stock_threshold=0,
        image="var/uploads/abc.webp",
    )  # fmt: skip

    # then
    assert (product.price_cents, product.low_stock_threshold) == (99_999_999, 0)


def test_a_sku_is_unique_whatever_its_case(session: Session, kitchen: Category) -> None:
    # given
    make_product(session, sku="LAMP-01")

    # when / then
    with pytest.raises(AlreadyExists) as refused:
        create(session, kitchen, sku="lamp-01")
    assert refused.value.field == "sku"


def test_editing_changes_the_details_but_keeps_the_slug(
    session: Session, kitchen: Category
) -> None:
    # given
    product = create(session, kitchen)
    other = make_category(session, name="Office")

    # when
    data = ProductInput.of(product).but(
        name="Office Lamp", category_id=other.id or 0, price_cents=2999,
        featured=True, active=False, low_stock_threshold=2,
    )  # fmt: skip
    updated = update_product(session=session, product_id=product.id or 0, data=data, actor=OPS)

    # then
    assert (updated.name, updated.slug, updated.sku) == ("Office Lamp", "desk-lamp", "LAMP-01")
    assert (updated.category_id, updated.price_cents) == (other.id, 2999)
    assert (updated.featured, updated.active, updated.low_stock_threshold) == (True, False, 2)


def test_editing_cannot_take_another_products_sku(session: Session, kitchen: Category) -> None:
    # given
    product = create(session, kitchen)
    make_product(session, sku="MUG-01")

    # when / then
    with pytest.raises(AlreadyExists):
        update_product(
            session=session, product_id=product.id or 0, data=lamp_input(kitchen, sku="mug-01"),
            actor=OPS,
        )  # fmt: skip


def test_a_refused_edit_leaves_nothing_locked(
    session: Session, engine: Engine, kitchen: Category
) -> None:
    # given
    product = create(session, kitchen)
    with pytest.raises(NotFound):
        update_product(session=session, product_id=999, data=lamp_input(kitchen), actor=OPS)
    # (an unknown category is refused by the service, after it locked the product)
    data = lamp_input(kitchen, category_id=999)
    with pytest.raises(ValidationFailed):
        update_product(session=session, product_id=product.id or 0, data=data, actor=OPS)

    # when: another connection writes (SQLite would wait for a held write lock)
    with Session(engine) as other:
        other.add(Category(slug="office", name="Office"))
        other.commit()

    # then
    assert len(session.exec(select(Category)).all()) == 2


def test_editing_an_unknown_product_is_not_found(session: Session, kitchen: Category) -> None:
    with pytest.raises(NotFound):
        update_product(session=session, product_id=999, data=lamp_input(kitchen), actor=OPS)


# --- archive and delete -------------------------------------------------------------------


def test_archiving_and_restoring_toggle_the_shop_visibility(
    session: Session, kitchen: Category
) -> None:
    # given
    product = create(session, kitchen)

    # when / then
    assert archive_product(session=session, product_id=product.id or 0, actor=OPS).active is False
    assert restore_product(session=session, product_id=product.id or 0, actor=OPS).active is True


def test_a_product_nothing_refers_to_is_deleted_with_its_cart_lines(
    session: Session, kitchen: Category
) -> None:
    # given
    product = create(session, kitchen)
    user = make_user(session)
    session.add(CartItem(user_id=user.id or 0, product_id=product.id or 0, quantity=1))
    session.commit()

    # when
    outcome = delete_product(session=session, product_id=product.id or 0, actor=OPS)

    # then
    assert outcome == "deleted"
    assert session.exec(select(Product)).all() == []
    assert session.exec(select(CartItem)).all() == []


def _ordered(session: Session, product: Product) -> None:
    user = make_user(session)
    order = Order(
        number="SO-1", user_id=user.id or 0, subtotal_cents=1500, total_cents=1500,
        email=user.email, shipping_name="A", shipping_line1="1 Main St", shipping_city="X",
        shipping_postal_code="12345", shipping_country="US",
    )  # fmt: skip
    session.add(order)
    session.flush()
    session.add(
        OrderItem(
            order_id=order.id or 0, product_id=product.id or 0, sku=product.sku, name=product.name,
            unit_price_cents=1500, quantity=1, line_total_cents=1500,
        )
    )  # fmt: skip
    session.add(StockReservation(order_id=order.id or 0, product_id=product.id or 0, quantity=1))
    session.commit()


@pytest.mark.parametrize("reference", ["order", "ledger"])
def test_a_product_with_history_is_archived_instead_of_deleted(
    session: Session, reference: str
) -> None:
    # given: make_product writes a seed ledger entry; an order adds an item and a hold
    product = make_product(session, stock_on_hand=5 if reference == "ledger" else 0)
    if reference == "order":
        _ordered(session, product)

    # when
    outcome = delete_product(session=session, product_id=product.id or 0, actor=OPS)

    # then
    assert outcome == "archived"
    session.refresh(product)
    assert product.active is False


def test_deleting_an_unknown_product_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        delete_product(session=session, product_id=999, actor=OPS)


# --- stock overview -----------------------------------------------------------------------


def test_the_stock_overview_shows_held_available_and_alerts(
    session: Session, kitchen: Category
) -> None:
    # given
    make_product(session, name="Kettle", category_id=kitchen.id, stock_on_hand=10, reserved=2)
    make_product(session, name="Mug", category_id=kitchen.id, stock_on_hand=4, reserved=1,
                 low_stock_threshold=3)  # fmt: skip
    make_product(session, name="Pan", category_id=kitchen.id, stock_on_hand=2, reserved=2)
    make_product(session, name="Retired", category_id=kitchen.id, active=False)

    # when
    rows = stock_overview(session=session)
    live = stock_overview(session=session, include_inactive=False)

    # then
    facts = [(r.name, r.on_hand, r.reserved, r.available, r.low, r.sold_out) for r in rows]
    assert facts == [
        ("Kettle", 10, 2, 8, False, False),
        ("Mug", 4, 1, 3, True, False),
        ("Pan", 2, 2, 0, False, True),
        ("Retired", 10, 0, 10, False, False),
    ]
    assert rows[0].category == "Kitchen"
    assert [r.name for r in live] == ["Kettle", "Mug", "Pan"]


# --- images -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "extension"),
    [(PNG, "a.png", "png"), (JPEG, "a.JPEG", "jpg"), (JPEG, "a.jpg", "jpg"),
     (WEBP, "a.webp", "webp"), (SVG, "a.svg", "svg")],
)  # fmt: skip
def test_images_are_stored_by_content_hash(
    tmp_path: Path, data: bytes, filename: str, extension: str
) -> None:
    # when
    path = save_product_image(data=data, filename=filename, root=tmp_path)

    # then
    assert path == f"var/uploads/{hashlib.sha256(data).hexdigest()}.{extension}"
    assert (tmp_path / path).read_bytes() == data


def test_the_same_image_twice_is_stored_once(tmp_path: Path) -> None:
    first = save_product_image(data=PNG, filename="a.png", root=tmp_path)
    second = save_product_image(data=PNG, filename="b.png", root=tmp_path)
    assert first == second
    assert len(list((tmp_path / "var" / "uploads").iterdir())) == 1


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "a.png"),
        (PNG + b"\x00" * (2 * 1024 * 1024), "a.png"),
        (b"GIF89a" + b"\x00" * 16, "a.gif"),
        (b"MZ\x90\x00", "a.png"),
        (PNG, "a.jpg"),
        (PNG, "a.exe"),
        (b"<html><body>hi</body></html>", "a.svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a.svg"),
        (b'<svg><a href="javascript:alert(1)"><rect/></a></svg>', "a.svg"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>', "a.svg"),
    ],
)
def test_files_that_are_not_safe_images_are_refused(
    tmp_path: Path, data: bytes, filename: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_product_image(data=data, filename=filename, root=tmp_path)
    assert refused.value.field == "image"
    assert not (tmp_path / "var" / "uploads").exists()
