"""The API reference page: Scalar, served from this server so it works offline."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
SCALAR_JS = STATIC / "scalar-standalone.js"

# Nothing that reaches out to the internet: no web fonts, telemetry or hosted client.
SCALAR_CONFIG = {
    "withDefaultFonts": False,
    "telemetry": False,
    "hideClientButton": True,
    "showDeveloperTools": "never",
    "agent": {"disabled": True},
    "persistAuth": True,
    # Sign in right on the page: the password flow posts to /auth/token.
    "authentication": {"preferredSecurityScheme": "OAuth2PasswordBearer"},
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
    <script id="api-reference" data-url="{root}/openapi.json"
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


@router.get("/docs/scalar.js")
def scalar_bundle() -> FileResponse:
    """@scalar/api-reference's standalone bundle, vendored (see static/LICENSE)."""
    return FileResponse(
        SCALAR_JS,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
