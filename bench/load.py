"""A bounded load run over loopback against one served instance, on SQLite and PostgreSQL.

    python -m bench.load [--seconds 15] [--readers 50] [--buyers 20] [--operators 5]

1. one client, kept-alive connection against a fresh connection per request (catalog page);
2. `readers` concurrent catalog readers on kept-alive connections;
3. `buyers` customers each buying through the API and the Stripe emulator's hosted page
   (cart → pending order → Checkout Session → pay → confirm) while `operators` poll the order
   console and the readers keep reading; then an integrity check: paid orders = successful
   purchases, stock moved by exactly the paid quantities.
`make bench` calls `run()` and adds `report()`'s section to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load_client import Stats
from bench.load_setup import World, integrity, postgres_database, prepare, served, server_env
from bench.load_setup import tokens as issue_tokens
from bench.load_users import HOST, buyer, operator, reader, single_client


@dataclass
class Result:
    database: str
    keep_alive_ms: float
    fresh_ms: float
    groups: list[Stats]
    problems: list[str] = field(default_factory=list)
    # The machine's 1-minute load average when the run ended: other work on a shared
    # machine takes its share of the cores, and the figures with it.
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])


async def phase(
    world: World,
    port: int,
    tokens: dict[int, str],
    paid: dict[int, dict[int, int]],
    *,
    seconds: float,
    readers: int = 0,
    buyers: bool = False,
    operators: int = 0,
    during: str = "",
) -> list[Stats]:
    """Run the given simulated users together for `seconds`; their stats, one per group."""
    until = time.perf_counter() + seconds
    groups: list[Stats] = []
    jobs: list[Coroutine[Any, Any, None]] = []
    if readers:
        groups.append(Stats(f"{readers} catalog readers{during}"))
        jobs += [reader(port, groups[-1], until) for _ in range(readers)]
    if buyers:
        groups.append(Stats(f"{len(world.buyer_ids)} purchasers{during}"))
        jobs += [
            buyer(port, tokens[uid], world.product_ids, groups[-1], paid, until)
            for uid in world.buyer_ids
        ]
    if operators:
        groups.append(Stats(f"{operators} polling operators{during}"))
        token = tokens[world.operator_id]
        jobs += [operator(port, token, groups[-1], until) for _ in range(operators)]
    started = time.perf_counter()
    await asyncio.gather(*jobs)
    for group in groups:
        group.elapsed = time.perf_counter() - started
    return groups


async def measure(
    world: World, port: int, tokens: dict[int, str], args: argparse.Namespace, label: str
) -> Result:
    keep_alive = await single_client(port, keep_alive=True)
    fresh = await single_client(port, keep_alive=False)
    paid: dict[int, dict[int, int]] = {}
    common = {"seconds": args.seconds}
    groups = await phase(world, port, tokens, paid, readers=args.readers, **common)
    groups += await phase(
        world, port, tokens, paid, buyers=True, operators=args.operators, **common
    )
    groups += await phase(
        world,
        port,
        tokens,
        paid,
        readers=args.readers,
        buyers=True,
        operators=args.operators,
        during=", all at once",
        **common,
    )
    await asyncio.sleep(2)  # let the emulator's webhooks land (they are idempotent no-ops)
    return Result(label, keep_alive, fresh, groups, integrity(world, paid))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def run_one(label: str, url: str, args: argparse.Namespace, tmp: Path) -> Result:
    world = prepare(url, args.buyers)
    port = free_port()
    env = server_env(url, port, tmp / f"{label}-emulator.sqlite3")
    tokens = issue_tokens(env, [*world.buyer_ids, world.operator_id])
    with served(env, port):
        result = asyncio.run(measure(world, port, tokens, args, label))
    for stats in result.groups:
        print(f"{label} {stats.summary()}")
    print(
        f"{label}: kept-alive p50 {result.keep_alive_ms:.1f} ms, fresh p50 {result.fresh_ms:.1f} ms"
    )
    print(f"{label}: integrity {'OK' if not result.problems else result.problems}")
    return result


TARGETS = (
    "50 readers ≥ 300 req/s, p99 ≤ 500 ms, 0 errors; kept-alive p50 ≤ 10 ms; "
    "purchasers 0 errors, p95 ≤ 1.5 s"
)


def report(results: list[Result], args: argparse.Namespace) -> str:
    """The `## Load` section of docs/PERFORMANCE.md."""
    lines = [
        "## Load",
        "",
        f"`python -m bench.load --seconds {args.seconds}` (part of `make bench`): one served "
        "instance (`python -m shopora.cli serve`), an asyncio load generator on the same "
        f"{os.cpu_count()}-core machine over loopback, each phase {args.seconds:g} s. Targets: "
        f"{TARGETS}.",
        "",
        "| database | what | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for stats in result.groups:
            median = statistics.median(stats.latencies) if stats.latencies else float("nan")
            lines.append(
                f"| {result.database} | {stats.name} | {len(stats.latencies)} "
                f"| {stats.rate:.0f} | {median:.1f} | {stats.percentile(0.95):.1f} "
                f"| {stats.percentile(0.99):.1f} | {stats.error_count} |"
            )
    lines += [
        "",
        "| database | one client: kept-alive p50 | fresh connection p50 | integrity "
        "| load average |",
        "|---|---:|---:|---|---:|",
    ]
    for result in results:
        verdict = "paid orders = purchases; stock moved by the paid quantities"
        if result.problems:
            verdict = "; ".join(result.problems[:5])
        lines.append(
            f"| {result.database} | {result.keep_alive_ms:.1f} ms | {result.fresh_ms:.1f} ms "
            f"| {verdict} | {result.load_average:.1f} |"
        )
    return "\n".join(lines) + "\n"


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument("--operators", type=int, default=5)
    parser.add_argument("--sqlite-only", action="store_true")
    return parser


def run(args: argparse.Namespace) -> list[Result]:
    """SQLite always; PostgreSQL when SHOPORA_TEST_DATABASE_URL names a server."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results.append(run_one("SQLite", f"sqlite:///{folder / 'load.sqlite3'}", args, folder))
        pg = os.environ.get("SHOPORA_TEST_DATABASE_URL")
        if pg and not args.sqlite_only:
            url, drop = postgres_database(pg)
            try:
                results.append(run_one("PostgreSQL", url, args, folder))
            finally:
                drop()
    return results


def main() -> None:
    args = parser().parse_args()
    print(report(run(args), args))


if __name__ == "__main__":
    main()
