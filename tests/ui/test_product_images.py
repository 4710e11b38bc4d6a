"""Product pictures resolve from the seed folder and from operator uploads."""

from __future__ import annotations

from shopora.config import ROOT
from shopora.services.product_images import save_product_image
from shopora.ui.components.product_card import PLACEHOLDER, image_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_seeded_image_is_found_under_data() -> None:
    assert image_path("images/placeholder.svg").endswith("data/images/placeholder.svg")


def test_an_uploaded_image_is_found_under_the_project_root(tmp_path: object) -> None:
    # given an operator upload (stored as var/uploads/<hash>.png relative to the root)
    stored = save_product_image(data=PNG, filename="lamp.png")
    try:
        # then the shop shows that file, not the placeholder
        assert image_path(stored) == str(ROOT / stored)
    finally:
        (ROOT / stored).unlink(missing_ok=True)


def test_a_missing_image_falls_back_to_the_placeholder() -> None:
    assert image_path("images/nope.svg") == str(PLACEHOLDER)
    assert image_path(None) == str(PLACEHOLDER)
