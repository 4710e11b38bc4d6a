"""SQLite state: Stripe objects as JSON blobs, idempotency keys and the webhook queue.

One connection shared by the request threads and the background worker, guarded by a
re-entrant lock; `atomic()` makes a use case (state change + its events + its webhook
deliveries) commit together, so a restart never finds half of one.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS objects_by_kind ON objects (kind, seq);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS deliveries (
    event_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    attempted_at REAL NOT NULL,
    url TEXT NOT NULL,
    http_status INTEGER,
    error TEXT,
    response TEXT,
    next_retry_at REAL
);
"""


@dataclass
class Record:
    """A stored object: the public Stripe shape plus emulator-only `extra` data."""

    id: str
    seq: int
    data: dict[str, Any]
    extra: dict[str, Any]


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        # WAL + NORMAL survives a process crash or restart, which is what the emulator needs.
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(f"BEGIN;{_SCHEMA}COMMIT;")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def execute(self, sql: str, args: Sequence[Any] = ()) -> int:
        with self._lock:
            return self._conn.execute(sql, args).rowcount

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # --- Stripe objects ---------------------------------------------------------------

    def insert(self, kind: str, data: dict[str, Any], extra: Mapping[str, Any] = {}) -> None:
        self.execute(
            "INSERT INTO objects (id, kind, data, extra) VALUES (?, ?, ?, ?)",
            (data["id"], kind, _dump(data), _dump(dict(extra))),
        )

    def save(self, record: Record) -> None:
        self.execute(
            "UPDATE objects SET data = ?, extra = ? WHERE id = ?",
            (_dump(record.data), _dump(record.extra), record.id),
        )

    def get(self, kind: str, object_id: str) -> Record | None:
        rows = self.query("SELECT * FROM objects WHERE kind = ? AND id = ?", (kind, object_id))
        return _record(rows[0]) if rows else None

    def where(self, kind: str, filters: Mapping[str, Any], order: str = "DESC") -> list[Record]:
        """All objects of a kind whose top-level fields equal `filters`, by creation order."""
        sql, args = _filtered(kind, filters)
        rows = self.query(f"{sql} ORDER BY seq {order}", args)
        return [_record(row) for row in rows]

    def page(
        self,
        kind: str,
        filters: Mapping[str, Any],
        *,
        limit: int,
        after_seq: int | None = None,
        before_seq: int | None = None,
    ) -> tuple[list[Record], bool]:
        """Newest first; `after_seq`/`before_seq` are Stripe's starting_after/ending_before."""
        sql, args = _filtered(kind, filters)
        order = "DESC"
        if after_seq is not None:
            sql, args = sql + " AND seq < ?", [*args, after_seq]
        elif before_seq is not None:
            sql, args, order = sql + " AND seq > ?", [*args, before_seq], "ASC"
        rows = self.query(f"{sql} ORDER BY seq {order} LIMIT ?", [*args, limit + 1])
        records = [_record(row) for row in rows[:limit]]
        if order == "ASC":
            records.reverse()
        return records, len(rows) > limit


def _filtered(kind: str, filters: Mapping[str, Any]) -> tuple[str, list[Any]]:
    sql = "SELECT * FROM objects WHERE kind = ?"
    args: list[Any] = [kind]
    for field, value in filters.items():
        sql += " AND json_extract(data, ?) = ?"
        args += [f"$.{field}", value]
    return sql, args


def _record(row: sqlite3.Row) -> Record:
    return Record(row["id"], row["seq"], json.loads(row["data"]), json.loads(row["extra"]))
