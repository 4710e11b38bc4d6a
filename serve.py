"""ASGI entry: `streamlit run serve.py` (what `make run` does) serves UI, API and emulator."""

import logging

import streamlit as st

from shopora.config import get_settings
from shopora.server import (
    build_middleware,
    build_routes,
    lifespan,
    route_every_url_through_home,
    turn_nagle_off,
)
from shopora.ui.errors import on_script_error

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

route_every_url_through_home()
turn_nagle_off()

app = st.App(
    "Home.py",
    routes=build_routes(get_settings()),
    middleware=build_middleware(get_settings()),
    lifespan=lifespan,
    on_script_error=on_script_error,
)
