"""The API reference page: Scalar, served from this server so it works offline."""

from __future__ import annotations

import copy
import json
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
SCALAR_JS = STATIC / "scalar-standalone.js"

BEARER = "OAuth2PasswordBearer"  # the scheme's name in the schema FastAPI writes
# What the reference's auth panel asks for: the token, and nothing else. Scalar draws an
# OAuth2 password flow with Client ID and Client Secret fields, which this API never reads.
BEARER_ONLY = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT",
    "description": "Paste the `access_token` from `POST /auth/token` "
    '(`{"username": "customer", "password": "customer123"}`).',
}

# Nothing that reaches out to the internet: no web fonts, telemetry or hosted client.
SCALAR_CONFIG = {
    "withDefaultFonts": False,
    "telemetry": False,
    "hideClientButton": True,
    "showDeveloperTools": "never",
    "agent": {"disabled": True},
    "persistAuth": True,
    "authentication": {"preferredSecurityScheme": BEARER},
}

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Shopora API reference</title>
    <style>body {{ margin: 0; font-family: system-ui, sans-serif; }}</style>
  </head>
  <body>
    <noscript>The API reference needs JavaScript; the schema is at
      <a href="{root}/openapi.json">{root}/openapi.json</a>.</noscript>
    <script id="api-reference" data-url="{root}/docs/openapi.json"
            data-configuration="{config}"></script>
    <script src="{root}/docs/scalar.js"></script>
  </body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def reference(request: Request) -> HTMLResponse:
    """The interactive reference for this API, wherever it is mounted."""
    root = escape(str(request.scope.get("root_path", "")).rstrip("/"))
    config = escape(json.dumps(SCALAR_CONFIG))
    return HTMLResponse(PAGE.format(root=root, config=config))


def reference_schema(schema: dict[str, Any], root: str) -> dict[str, Any]:
    """The OpenAPI document as the reference page shows it: the same operations, "try it"
    aimed at the mount, and the bearer token as a plain HTTP bearer scheme (same name, so
    every operation keeps it)."""
    shown = copy.deepcopy(schema)
    if root:
        shown["servers"] = [{"url": root}]
    schemes = shown.get("components", {}).get("securitySchemes", {})
    if BEARER in schemes:
        schemes[BEARER] = dict(BEARER_ONLY)
    return shown


@router.get("/docs/openapi.json")
def reference_document(request: Request) -> JSONResponse:
    """The schema behind the reference page (/openapi.json stays the full OAuth2 form)."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return JSONResponse(reference_schema(request.app.openapi(), root))


@router.get("/docs/scalar.js")
def scalar_bundle() -> FileResponse:
    """@scalar/api-reference's standalone bundle, vendored (see static/LICENSE)."""
    return FileResponse(
        SCALAR_JS,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
