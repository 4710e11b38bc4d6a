"""An entity's input model (ProductInput, DiscountInput) checks itself with its Base's rules as
it is built; this turns the first broken rule into the ValidationFailed people read."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from shopora.errors import ValidationFailed

# Errors about the text itself rather than its length say what is wrong with it.
_TEXT_ERRORS = frozenset({"control_character", "invalid_unicode"})


def in_plain_words(exc: ValidationError, rules: Mapping[str, str], noun: str) -> ValidationFailed:
    """The refusal naming the first field in `exc`, with that field's message from `rules`."""
    error = exc.errors()[0]
    # A field's error names it; only input that is not a mapping at all has none.
    field = str(error["loc"][0]) if error["loc"] else None
    if field is None:
        message = f"{noun} fields are needed ({error['msg']})."
    elif error["type"] in _TEXT_ERRORS:
        message = f"The {field.replace('_', ' ')} {error['msg']}."
    else:
        message = rules.get(field, error["msg"])
    return ValidationFailed(message, field=field)
