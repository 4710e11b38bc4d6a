"""Page layout shared by the emulator's HTML pages: one inline stylesheet, no assets."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

BANNER = "TEST MODE — Stripe emulator, no real money moves"

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif;color:#1a1f36;background:#fff}
a{color:#635bff}
.banner{background:#ffde92;color:#5a3c00;text-align:center;font-weight:600;
padding:8px 12px;font-size:13px;letter-spacing:.02em}
.checkout{display:flex;flex-wrap:wrap;min-height:calc(100vh - 37px)}
.summary{flex:1 1 380px;background:#f6f9fc;padding:48px 6vw 32px;
border-right:1px solid #e3e8ee}
.payment{flex:1 1 380px;padding:48px 6vw 32px;max-width:640px}
.back{display:inline-block;color:#697386;text-decoration:none;margin-bottom:28px}
.back:hover{color:#1a1f36}
.pay-label{color:#697386;font-weight:500}
.pill{background:#ffde92;color:#5a3c00;border-radius:4px;font-size:11px;font-weight:700;
padding:2px 6px;margin-left:8px;text-transform:uppercase;vertical-align:middle}
.amount{font-size:36px;font-weight:600;margin:4px 0 28px}
.items{list-style:none;margin:0;padding:0}
.item{display:flex;gap:14px;align-items:flex-start;padding:10px 0}
.item img{width:42px;height:42px;border-radius:6px;object-fit:cover;background:#e3e8ee}
.item-main{flex:1}
.item-name{font-weight:500}
.muted{color:#697386;font-size:13px}
.item-amount{font-weight:500;white-space:nowrap}
.totals{margin:18px 0 0;border-top:1px solid #e3e8ee;padding-top:12px}
.totals div{display:flex;justify-content:space-between;padding:5px 0}
.totals dt{color:#3c4257}.totals dd{margin:0}
.totals .grand{border-top:1px solid #e3e8ee;margin-top:6px;padding-top:12px;font-weight:600}
h1{font-size:20px;font-weight:600;margin:0 0 20px}
label{display:block;font-size:13px;font-weight:500;color:#3c4257;margin:16px 0 6px}
input,select{width:100%;font:inherit;padding:10px 12px;border:1px solid #d5dbe1;
border-radius:6px;background:#fff;color:#1a1f36}
input:focus,select:focus{outline:none;border-color:#635bff;box-shadow:0 0 0 3px #635bff33}
.group input,.group select{border-radius:0;margin-top:-1px}
.group>:first-child{border-radius:6px 6px 0 0;margin-top:0}
.group .row{display:flex}.group .row>*{flex:1}
.group .row>:first-child{border-radius:0 0 0 6px}
.group .row>:last-child{border-radius:0 0 6px 0;margin-left:-1px}
.group>:last-child:not(.row){border-radius:0 0 6px 6px}
.invalid{border-color:#df1b41!important;color:#df1b41}
.field-error{color:#df1b41;font-size:13px;margin-top:4px}
.alert{background:#fde8ec;color:#a41c2f;border:1px solid #f5b6c2;border-radius:6px;
padding:10px 12px;margin-bottom:16px}
button{width:100%;margin-top:24px;padding:12px;border:0;border-radius:6px;
background:#635bff;color:#fff;font:inherit;font-weight:600;font-size:16px;cursor:pointer}
button:hover{background:#5145e5}button:disabled{opacity:.7;cursor:progress}
details{margin-top:28px;font-size:13px;color:#3c4257}
summary{cursor:pointer;color:#635bff;font-weight:500}
table{border-collapse:collapse;width:100%;margin-top:8px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e8ee;font-size:13px}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
.use{cursor:pointer;color:#635bff;white-space:nowrap}
.notice{max-width:560px;margin:72px auto;padding:0 24px;text-align:center}
.notice a{display:inline-block;margin-top:18px}
.ops{max-width:1100px;margin:32px auto;padding:0 24px}
.ok{color:#0e6245}.bad{color:#a41c2f}.pending{color:#8a6100}
.footer{color:#697386;font-size:12px;margin-top:32px}
"""


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def page(title: str, body: str, status: int = 200, script: str = "") -> HTMLResponse:
    """A full HTML page: banner first, so nobody mistakes it for real Stripe."""
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{esc(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        f'<div class="banner" id="test-mode-banner" role="note">{esc(BANNER)}</div>'
        f"{body}"
        f"{f'<script>{script}</script>' if script else ''}"
        "</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def notice(
    title: str, message: str, link: tuple[str, str, str] | None, status: int
) -> HTMLResponse:
    """A one-message page; `link` is (element id, href, label)."""
    anchor = ""
    if link is not None:
        anchor = f'<a id="{esc(link[0])}" href="{esc(link[1])}">{esc(link[2])}</a>'
    body = f'<div class="notice"><h1>{esc(title)}</h1><p>{esc(message)}</p>{anchor}</div>'
    return page(title, body, status)
