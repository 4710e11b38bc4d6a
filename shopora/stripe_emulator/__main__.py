"""python -m shopora.stripe_emulator --port 12111 --state var/stripe-emulator.sqlite3"""

from __future__ import annotations

import argparse
from pathlib import Path

from .app import EmulatorConfig, create_app


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m shopora.stripe_emulator", description="Run the Stripe emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--state", type=Path, default=Path("var/stripe-emulator.sqlite3"))
    parser.add_argument("--public-url", help="URL browsers use (default http://HOST:PORT)")
    parser.add_argument("--webhook-url", help="where to POST events (default: record only)")
    parser.add_argument("--webhook-secret", default="whsec_emulator")
    parser.add_argument("--api-key", help="the only accepted key (default: any sk_test_ key)")
    return parser.parse_args()


def main() -> None:
    # uvicorn is imported here only: the package itself needs just starlette and httpx.
    import uvicorn

    args = _arguments()
    config = EmulatorConfig(
        state_path=args.state,
        public_url=args.public_url or f"http://{args.host}:{args.port}",
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        api_key=args.api_key,
    )
    app = create_app(config)
    print(f"Stripe emulator on {config.public_url} (state: {config.state_path})", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    finally:
        app.state.emulator.close()


if __name__ == "__main__":
    main()
