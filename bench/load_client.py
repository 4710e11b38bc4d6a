"""A small asyncio HTTP/1.1 client for the load run: one kept-alive connection per simulated
user, so thousands of requests cost the generator little next to the server it measures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One client connection to host:port; reopened when the server closes it."""

    def __init__(self, host: str, port: int, *, keep_alive: bool = True) -> None:
        self.host, self.port, self.keep_alive = host, port, keep_alive
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = b""
        head = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if json_body is not None:
            body, head["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        head["Content-Length"] = str(len(body))
        head["Connection"] = "keep-alive" if self.keep_alive else "close"
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write("\r\n".join(lines).encode() + body)
        response = await _read_response(self.reader)
        if not self.keep_alive or response.headers.get("connection") == "close":
            await self.close()
        return response

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _read_response(reader: asyncio.StreamReader) -> Response:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("server closed the connection")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        return Response(status, headers, await _read_chunks(reader))
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Response(status, headers, body)


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while size := int((await reader.readline()).split(b";")[0], 16):
        parts.append(await reader.readexactly(size))
        await reader.readline()
    await reader.readline()
    return b"".join(parts)


@dataclass
class Stats:
    """Latencies (ms) of one group of simulated users, and what went wrong."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def ok(self, started: float) -> None:
        self.latencies.append((time.perf_counter() - started) * 1000)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def summary(self) -> str:
        median = statistics.median(self.latencies) if self.latencies else float("nan")
        errors = ", ".join(f"{k} ×{v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"{self.name}: {len(self.latencies)} ok in {self.elapsed:.1f} s "
            f"({self.rate:.0f}/s), p50 {median:.1f} ms, p95 {self.percentile(0.95):.1f} ms, "
            f"p99 {self.percentile(0.99):.1f} ms, errors: {errors}"
        )
