"""Input types of the API with the bounds every door shares (rules/bounds.py), so the schema states them and a date
in year 9999 or a text of a million characters is a 422 per field, before any service computes on it."""

from datetime import date
from typing import Annotated

from annotated_types import Ge, Le, MaxLen

from brobygger.rules import bounds

Day = Annotated[date, Ge(bounds.EARLIEST_DATE), Le(bounds.LATEST_DATE)]
Text = Annotated[str, MaxLen(bounds.TEXT_MAX_LENGTH)]
Line = Annotated[str, MaxLen(bounds.LINE_MAX_LENGTH)]
Search = Annotated[str, MaxLen(bounds.SEARCH_MAX_LENGTH)]
