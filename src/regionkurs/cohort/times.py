"""Times in the course's time zone (Europe/Stockholm unless ``c.CourseTime.timezone`` says otherwise).

nbgrader stores times as naive UTC. The teacher types and reads them in the
course's zone, and every time shown or exported carries the zone's name.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from traitlets import Unicode
from traitlets.config import Config, Configurable

DEFAULT_ZONE = "Europe/Stockholm"


class CourseTime(Configurable):
    timezone = Unicode(DEFAULT_ZONE, help="the course's time zone (an IANA name)").tag(config=True)


def zone(config: Config | None = None) -> ZoneInfo:
    """The course's time zone, from its nbgrader configuration."""
    from .course import CourseError
    name = CourseTime(config=config).timezone if config is not None else DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(f"unknown time zone {name!r} in c.CourseTime.timezone (nbgrader_config.py); "
                          f"write an IANA name such as {DEFAULT_ZONE!r}") from None


def parse_local(text: str, tz: ZoneInfo) -> datetime:
    """A time like ``2025-03-14 17:00`` (in ``tz`` unless it names an offset), as naive UTC."""
    from .course import CourseError
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CourseError(f"cannot read the time {text!r}; write it like 2025-03-14 17:00 "
                          f"(times are {tz.key} time)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def show(moment: datetime | None, tz: ZoneInfo) -> str:
    """A naive-UTC (or aware) time as ``2026-12-01 20:06 CET`` in ``tz``; empty for None."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(tz)
    text = local.strftime("%Y-%m-%d %H:%M")
    if local.second or local.microsecond:
        text = local.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text} {local.tzname()}"
