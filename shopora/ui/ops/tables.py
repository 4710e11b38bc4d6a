"""Tables for people (typed columns: money as numbers shown in the shop's currency) and their
CSV for spreadsheets (raw minor units, in columns that name the currency: revenue_eur_cents)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from shopora.formatting import column_format, minor_unit_column, to_major


def dollars(cents: int) -> float:
    """For a currency-formatted column only (whole units of the shop's currency): the cell
    shows "$12.34" and sorts as a number. Arithmetic and the CSV stay in minor units."""
    return float(to_major(cents))


def money_column(title: str | None = None, **more: Any) -> Any:
    return st.column_config.NumberColumn(title, format=column_format(), **more)


def raw_frame(rows: Sequence[Any]) -> pd.DataFrame:
    """The service's rows as they are: amounts stay integer cents, named *_cents."""
    return pd.DataFrame(
        [
            asdict(row) if is_dataclass(row) and not isinstance(row, type) else dict(row)
            for row in rows
        ]
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.rename(columns=_currency_named).to_csv(index=False).encode("utf-8")


def _currency_named(column: object) -> object:
    if isinstance(column, str) and column.endswith("_cents"):
        return minor_unit_column(column.removesuffix("_cents"))
    return column


def show_table(
    shown: pd.DataFrame,
    *,
    key: str,
    csv: pd.DataFrame | bytes | None = None,
    file_name: str | None = None,
    height: int | Literal["auto"] = "auto",
    column_config: dict[str, Any] | None = None,
) -> None:
    """A read-only table with a CSV download under it (the raw rows, or `shown` itself)."""
    if shown.empty:
        st.caption("Nothing in this period.")
        return
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=height,
        column_config=column_config,
        key=f"{key}_table",
    )
    data = csv if isinstance(csv, bytes) else csv_bytes(shown if csv is None else csv)
    download(data, key=key, file_name=file_name)


def download(
    data: pd.DataFrame | bytes,
    *,
    key: str,
    file_name: str | None = None,
    label: str = "Export CSV",
) -> None:
    st.download_button(
        label,
        data=data if isinstance(data, bytes) else csv_bytes(data),
        file_name=file_name or f"{key}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}_csv",
        on_click="ignore",
    )
