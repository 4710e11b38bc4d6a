"""Browser tests: Debian's Chromium driven by Playwright against a real `shopora serve`.

Without Chromium (a laptop) these skip with a reason; in CI (CI=true) they must run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopora.config import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
# The README's tour (committed). SHOPORA_SCREENSHOTS=var/screenshots keeps a run from
# touching the tracked images.
SCREENSHOTS = Path(os.environ.get("SHOPORA_SCREENSHOTS", ROOT / "docs" / "screenshots"))

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if IN_CI:
        pytest.fail("CI must run the browser tests, but /usr/bin/chromium is missing", False)
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database_url: str
    process: subprocess.Popen[bytes] | None
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def _wait_until_up(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log()}")
        try:
            ui = httpx.get(f"{server.url}/_stcore/health", timeout=2)
            api = httpx.get(f"{server.url}/api/health", timeout=2)
            if ui.status_code == 200 and api.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server did not come up in {timeout}s:\n{server.log()}")


def start_server(workdir: Path, *, history: bool = False) -> LiveServer:
    """Migrate, seed and serve a fresh shop (emulator mode) on a free port."""
    port = free_port()
    database_url = f"sqlite:///{workdir / 'shop.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "APP_BASE_URL": f"http://127.0.0.1:{port}",
        "STRIPE_EMULATOR_STATE": str(workdir / "stripe-emulator.sqlite3"),
        "SHOPORA_ENV": "test",
        "STRIPE_SECRET_KEY": "",
        "STRIPE_WEBHOOK_SECRET": "",
    }
    cli = [sys.executable, "-m", "shopora.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, cwd=ROOT, capture_output=True)
    seed = [*cli, "seed"] + ([] if history else ["--no-history"])
    subprocess.run(seed, env=env, check=True, cwd=ROOT, capture_output=True)
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", database_url, process, log_path)
    try:
        _wait_until_up(server)
    except RuntimeError:
        stop_server(server)
        raise
    return server


def stop_server(server: LiveServer) -> None:
    if server.process is not None and server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the whole browser suite (each start costs seconds): tests that change
    data a later test reads (a cart, stock) use their own account or measure differences."""
    _require_chromium()
    if os.environ.get("SHOPORA_E2E_URL"):  # developing the tests against a running server
        yield LiveServer(os.environ["SHOPORA_E2E_URL"], "", None, Path("/dev/null"))
        return
    server = start_server(tmp_path_factory.mktemp("live"))
    yield server
    stop_server(server)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A server nobody has requested anything from yet (the `pages/` pitfall)."""
    _require_chromium()
    server = start_server(tmp_path)
    yield server
    stop_server(server)


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def wait_for_app(page: object, timeout: float = 30_000) -> None:
    """Streamlit renders over a websocket: wait until the page has content, the script has
    stopped running and the widgets' code has loaded."""
    page.wait_for_load_state("networkidle", timeout=timeout)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            const running = document.querySelector('[data-testid="stStatusWidget"]');
            // widgets whose code is still loading draw as skeletons (seen on a busy machine)
            const loading = document.querySelector(
                '[data-testid="stSkeleton"], [data-testid="stSkeletonElement"], '
                + '[data-testid="stAppSkeleton"]');
            return main && main.innerText.trim().length > 0 && !running && !loading;
        }""",
        timeout=timeout,
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]


def tile(page: Any, name: str) -> Any:
    """A product's tile on the shop page."""
    return (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has=page.get_by_role("button", name=name, exact=True))
        .last
    )


def add_to_cart(page: Any, name: str) -> None:
    tile(page, name).get_by_role("button", name="Add to cart").click()
    page.get_by_text(f"× {name} to your cart").first.wait_for(timeout=15_000)
    wait_for_app(page)


def sign_in(
    page: object, server: LiveServer, username: str, password: str, *, in_app: bool = False
) -> None:
    """Through the form, then wait until the cookie is stored and the front page is open.

    `in_app`: follow the app's own link (the same Streamlit session, so an anonymous cart
    held in it survives), instead of loading /account afresh."""
    if in_app:
        page.get_by_role("link", name="Sign in", exact=True).click()  # type: ignore[attr-defined]
    else:
        page.goto(f"{server.url}/account")  # type: ignore[attr-defined]
    wait_for_app(page)
    page.get_by_label("Username or email").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password", exact=True).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.cookie.includes('shopora_auth')", timeout=15_000
    )
    _leaves_account_page(page)
    page.get_by_text("Signed in as").first.wait_for(timeout=15_000)  # type: ignore[attr-defined]


def _leaves_account_page(page: object) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_url(lambda url: "/account" not in url, timeout=20_000)  # type: ignore[attr-defined]
    except PlaywrightTimeout as exc:
        body = page.inner_text("body")  # type: ignore[attr-defined]
        raise AssertionError(f"still on the account page after 20 s:\n{body[:1500]}") from exc
    wait_for_app(page)


def sign_out(page: object, server: LiveServer) -> None:
    page.goto(f"{server.url}/account?signout=1")  # type: ignore[attr-defined]
    page.get_by_text("signed out", exact=False).first.wait_for(timeout=15_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.cookie.includes('shopora_auth')", timeout=10_000
    )
    _leaves_account_page(page)
