"""The base model and timestamp parsing shared by every Ed object."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["FlexibleModel", "parse_timestamp"]


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse one of Ed's timestamps into a timezone-aware datetime.

    Ed sends ISO 8601 with a numeric offset (``+11:00``) or ``Z`` and 0 to 9
    fraction digits; digits past microseconds are dropped. Returns None for
    None, an empty string or text that is not a timestamp. A timestamp
    without an offset is taken as UTC.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    date_part, dot, rest = text.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{date_part}.{rest[: min(digits, 6)]:0<6}{rest[digits:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class FlexibleModel(BaseModel):
    """Base model that keeps undocumented response fields.

    Ed's API is undocumented and changes without notice, so every model keeps
    unknown fields (in ``model_extra``) and reads a JSON ``null`` in a field
    that has a default as that default.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    _defaulted_fields: ClassVar[frozenset[str] | None] = None

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaulted = cls.__dict__.get("_defaulted_fields")
        if defaulted is None:
            defaulted = frozenset(
                name
                for name, info in cls.model_fields.items()
                if not info.is_required()
                and info.get_default(call_default_factory=True) is not None
            )
            cls._defaulted_fields = defaulted
        if not any(data.get(name, 0) is None for name in defaulted):
            return data
        return {k: v for k, v in data.items() if not (v is None and k in defaulted)}

    def timestamp(self, field: str) -> datetime | None:
        """Return a timestamp field, such as ``"created_at"``, as a datetime."""
        value = getattr(self, field, None)
        if value is None and self.model_extra:
            value = self.model_extra.get(field)
        return parse_timestamp(value) if isinstance(value, str) else None
