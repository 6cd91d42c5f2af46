"""The burndown as a PNG for documents: open tasks per week and the ideal line down to the target date.

matplotlib is imported on first use (it costs a few hundred milliseconds and `coordinator --help` needs
none of it) and drives the Agg canvas directly, without pyplot: no global figure state, so charts can be
drawn from several job threads at once. The size is chosen for Word's page width: 16 cm wide at 150 dpi.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from assistant.domain.burndown import Burndown

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_CM = 16.0  # the width the Word template shows the chart at
HEIGHT_CM = 7.0
DPI = 150
ACTUAL = "#1f5fa8"
IDEAL = "#7f7f7f"


def burndown_png(chart: Burndown, as_of: dt.date | None = None) -> bytes:
    """PNG bytes; `as_of` (default: the last point's day) is marked so a reader sees where "now" is."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    inch = 2.54
    opened = [p.open for p in chart.points]
    figure = Figure(figsize=(WIDTH_CM / inch, HEIGHT_CM / inch), dpi=DPI)
    # Fixed margins (constrained layout would draw everything twice), the left one wide enough for the counts.
    digits = len(str(max([*opened, 1])))
    figure.subplots_adjust(left=(0.38 + 0.075 * digits) * inch / WIDTH_CM, right=0.98, bottom=0.17, top=0.88)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _draw_open(axes, chart)
    _draw_ideal(axes, chart)
    now = as_of or (chart.points[-1].day if chart.points else None)
    if now is not None:
        _mark_now(axes, now)
    _style(axes, chart, max([*opened, 1]))
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _draw_open(axes: Axes, chart: Burndown) -> None:
    from matplotlib.dates import date2num

    days = [float(date2num(p.day)) for p in chart.points]
    opened = [p.open for p in chart.points]
    axes.plot(days, opened, color=ACTUAL, marker="o", markersize=3.5, linewidth=2, label="Open tasks")
    if days:
        axes.annotate(
            f"{opened[-1]}",
            (days[-1], opened[-1]),
            textcoords="offset points",
            xytext=(-5, 5),
            ha="right",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _draw_ideal(axes: Axes, chart: Burndown) -> None:
    """The straight line from the point that carries the ideal (today's) down to zero on the target date."""
    from matplotlib.dates import date2num

    start = next((p for p in chart.points if p.ideal is not None), None)
    if chart.target is None or start is None or start.ideal is None:
        return
    target = float(date2num(chart.target))
    label = f"Ideal, to zero by {_day(chart.target)}"
    axes.plot([float(date2num(start.day)), target], [start.ideal, 0], color=IDEAL, linestyle="--", label=label)
    axes.plot([target], [0], marker="D", markersize=4, color=IDEAL)


def _mark_now(axes: Axes, now: dt.date) -> None:
    from matplotlib.dates import date2num

    x = float(date2num(now))
    axes.axvline(x, color="#c0c0c0", linewidth=0.8, zorder=0)
    axes.annotate(
        f"as of {_day(now)}",
        (x, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        va="top",
        fontsize=7,
        color="#606060",
    )


def _style(axes: Axes, chart: Burndown, most: int) -> None:
    from matplotlib.dates import date2num
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    axes.set_ylabel("Open tasks", fontsize=9)
    axes.set_xlabel("Week ending", fontsize=9)
    axes.set_ylim(bottom=0, top=most * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    if chart.points:
        ticks = _ticks(chart.points[0].day, chart.points[-1].day, chart.target)
        axes.xaxis.set_major_locator(FixedLocator([float(date2num(day)) for day in ticks]))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _tick(value)))
    axes.tick_params(labelsize=8)
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, borderaxespad=0.2)


def _ticks(first: dt.date, now: dt.date, target: dt.date | None, most: int = 9) -> list[dt.date]:
    """Every week (or every few weeks) back from `now` and on to the target, so labels sit on the points."""
    last = max(now, target or now)
    weeks = (last - first).days // 7 + 1
    step = dt.timedelta(weeks=max(1, -(-weeks // most)))
    back = [now - k * step for k in range((now - first) // step + 1)]
    ahead = [now + k * step for k in range(1, (last - now) // step + 1)]
    return sorted(back + ahead)


def _tick(value: float) -> str:
    from matplotlib.dates import num2date

    day = num2date(value).date()
    return f"{day.day} {day:%b}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"
