"""Liveness for load balancers and the reviewer's first look."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from shopora.api.deps import SessionDep, SettingsDep
from shopora.config import StripeMode

log = logging.getLogger("shopora.api")
router = APIRouter(tags=["health"])


class Health(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [{"status": "ok", "database": "ok", "stripe_mode": "emulator"}]
        }
    }

    status: Literal["ok", "degraded"]
    database: Literal["ok", "error"]
    stripe_mode: StripeMode


@router.get(
    "/health",
    summary="Is the service up?",
    responses={503: {"model": Health, "description": "The database cannot be reached."}},
)
def health(session: SessionDep, settings: SettingsDep, response: Response) -> Health:
    """Whether the database answers, and which Stripe the payments go to."""
    try:
        session.execute(text("SELECT 1"))
        database: Literal["ok", "error"] = "ok"
    except SQLAlchemyError:
        log.exception("Health check: the database does not answer")
        database = "error"
        response.status_code = 503
    status: Literal["ok", "degraded"] = "ok" if database == "ok" else "degraded"
    return Health(status=status, database=database, stripe_mode=settings.stripe_mode)
