"""Pieces of the operator and analyst pages: period picker, KPI cards, charts, tables,
order actions and admin forms. Display only: every number comes from a service."""
