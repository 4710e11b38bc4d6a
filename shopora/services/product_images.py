"""Product images: storing an upload by its content hash, recognising PNG, JPEG, WebP and
SVG by their bytes (refusing SVG that could run code), and which stored paths a product may
name.

Separate from `products_admin` because none of it touches the database: it is file handling
and format checks (an image is uploaded and stored before its product is saved).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath

from shopora.config import ROOT
from shopora.errors import ValidationFailed

MAX_IMAGE_BYTES = 2 * 1024 * 1024
UPLOAD_DIR = PurePosixPath("var/uploads")
IMAGE_EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp", "svg": "svg"}
# SVG is a document, not just a picture: anything that can run code or fetch is refused.
_SVG_START = re.compile(
    r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]", re.S
)
_SVG_ACTIVE = re.compile(r"<script|<foreignobject|<!entity|javascript:|\son[a-z]+\s*=", re.I)


def save_product_image(*, data: bytes, filename: str, root: Path = ROOT) -> str:
    """Store an uploaded PNG, JPEG, WebP or SVG (≤ 2 MB) by content hash; returns its path."""
    if not data:
        raise ValidationFailed("The file is empty.", field="image")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed("Images can be at most 2 MB.", field="image")
    kind = _image_kind(data)
    named = IMAGE_EXTENSIONS.get(PurePosixPath(filename.lower()).suffix.lstrip("."))
    if kind is None:
        raise ValidationFailed("Upload a PNG, JPEG, WebP or SVG image.", field="image")
    if named != kind:
        raise ValidationFailed(f"The file is a {kind.upper()} image; rename it.", field="image")
    suffix = "jpg" if kind == "jpeg" else kind
    relative = UPLOAD_DIR / f"{hashlib.sha256(data).hexdigest()}.{suffix}"
    target = root / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, target)  # readers never see half a file
    return str(relative)


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        return None
    if not _SVG_START.match(text[:4096].lower()):  # the opening is enough; bounded work
        return None
    if _SVG_ACTIVE.search(text):
        raise ValidationFailed(
            "SVG images cannot contain scripts or event handlers.", field="image"
        )
    return "svg"


def image_path_ok(image: str | None) -> bool:
    """Whether `image` is a short relative path (no "..") with an image extension."""
    if image is None:
        return True
    path = PurePosixPath(image)
    extension = path.suffix.lstrip(".").lower()
    safe = not path.is_absolute() and ".." not in path.parts
    return len(image) <= 255 and safe and extension in IMAGE_EXTENSIONS
