"""The plan's calendar (scope section H): which days files are examined, and how many.

Pure: no database. A day counts when it is one of the inspection's examination weekdays
and not a bank holiday; on it each inspector not on leave examines the plan's files per
inspector-day. Bank holidays come from the `holidays` library, so nobody types them in.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import holidays

# Plan value -> (country, subdivision) in the holidays library; "none" counts no bank holidays.
BANK_HOLIDAY_REGIONS: dict[str, tuple[str, str] | None] = {
    "england_and_wales": ("GB", "ENG"),
    "scotland": ("GB", "SCT"),
    "northern_ireland": ("GB", "NIR"),
    "none": None,
}
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# A plan or a team that can never finish stops the day-by-day walk after this long.
LONGEST_WALK_DAYS = 3 * 366


def default_weekdays(days_per_week: int) -> tuple[int, ...]:
    """The first `days_per_week` days of the week, Monday first (0 = Monday)."""
    return tuple(range(max(1, min(7, days_per_week))))


def weekdays_label(weekdays: tuple[int, ...] | list[int]) -> str:
    return ", ".join(WEEKDAY_NAMES[d] for d in sorted(weekdays))


@cache
def _bank_holidays(region: str, year: int) -> dict[datetime.date, str]:
    where = BANK_HOLIDAY_REGIONS.get(region)
    if where is None:
        return {}
    country, subdiv = where
    return dict(holidays.country_holidays(country, subdiv=subdiv, years=year).items())


@dataclass(frozen=True)
class WorkingCalendar:
    """An inspection's examination days, bank holidays and leave."""

    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    bank_holidays: str = "england_and_wales"
    # day -> inspectors on leave that day (each inspector counted once, whatever overlaps)
    away: dict[datetime.date, int] = field(default_factory=dict)

    def bank_holiday(self, day: datetime.date) -> str:
        """The bank holiday's name, or "" for any other day."""
        return _bank_holidays(self.bank_holidays, day.year).get(day, "")

    def is_examination_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.weekdays and not self.bank_holiday(day)

    def inspectors_on(self, day: datetime.date, team: int) -> int:
        """Inspectors examining files on `day`: the team less those on leave, none on other days."""
        if not self.is_examination_day(day):
            return 0
        return max(0, team - self.away.get(day, 0))

    def days(self, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
        day = start
        while day <= end:
            yield day
            day += datetime.timedelta(days=1)

    def examination_days(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        return [d for d in self.days(start, end) if self.is_examination_day(d)]

    def bank_holidays_between(self, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
        """Bank holidays that fall on examination weekdays (the others cost no examination day)."""
        return [
            (d, self.bank_holiday(d))
            for d in self.days(start, end)
            if d.weekday() in self.weekdays and self.bank_holiday(d)
        ]

    def inspector_days(self, start: datetime.date, end: datetime.date, team: int) -> int:
        return sum(self.inspectors_on(d, team) for d in self.days(start, end))

    def leave_days(self, start: datetime.date, end: datetime.date, team: int) -> int:
        """Inspector-days lost to leave on examination days."""
        return sum(min(team, self.away.get(d, 0)) for d in self.days(start, end) if self.is_examination_day(d))

    def finish(
        self, start: datetime.date, files: float, files_per_inspector_day: float, team: int
    ) -> datetime.date | None:
        """The examination day on which `files` are done at that pace, or None if never."""
        left = files
        if left <= 0:
            return start
        for i in range(LONGEST_WALK_DAYS):
            day = start + datetime.timedelta(days=i)
            left -= files_per_inspector_day * self.inspectors_on(day, team)
            if left <= 1e-9:
                return day
        return None


@dataclass(frozen=True)
class Workload:
    """The plan's arithmetic, as the scope states it: files ÷ pace = inspector-days;
    ÷ team = examination days; ÷ examination days a week = working weeks."""

    files: int
    team: int
    files_per_inspector_day: float
    examination_days_per_week: int

    @property
    def inspector_days(self) -> float:
        return self.files / self.files_per_inspector_day if self.files_per_inspector_day else 0.0

    @property
    def examination_days(self) -> float:
        return self.inspector_days / self.team if self.team else 0.0

    @property
    def working_weeks(self) -> float:
        return self.examination_days / self.examination_days_per_week if self.examination_days_per_week else 0.0

    @property
    def working_weeks_rounded(self) -> int:
        return round(self.working_weeks)
