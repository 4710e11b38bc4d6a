"""Accepted connections send small responses at once (TCP_NODELAY), so a kept-alive request
costs what a fresh one does instead of waiting for the client's delayed ACK."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from uvicorn.protocols.http.h11_impl import H11Protocol

from shopora.server import _nodelay_first, turn_nagle_off


@pytest.fixture
def accepted() -> Iterator[socket.socket]:
    """A server-side socket accepted from a listener bound the way Streamlit binds it
    (protocol 0, which asyncio leaves with Nagle's algorithm on)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    server_side, _ = listener.accept()
    yield server_side
    for sock in (server_side, client, listener):
        sock.close()


class FakeTransport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str) -> Any:
        return self.sock if name == "socket" else None


def test_a_new_connection_gets_nodelay_before_the_protocol_sees_it(
    accepted: socket.socket,
) -> None:
    # given
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    seen: list[int] = []

    def connection_made(_self: object, transport: FakeTransport) -> None:
        seen.append(transport.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    # when
    _nodelay_first(connection_made)(object(), FakeTransport(accepted))

    # then
    assert seen == [1]


def test_the_servers_http_protocol_is_patched_once() -> None:
    turn_nagle_off()
    patched = H11Protocol.connection_made
    turn_nagle_off()

    assert getattr(H11Protocol, "_shopora_nodelay", False)
    assert H11Protocol.connection_made is patched
