"""Impressions and actions per day as a server-rendered SVG: no JavaScript library.

Impressions are bars, actions a line over them, on one scale (actions never outnumber
what was shown by much, and one axis is easier to read than two). The chart carries a
<title> and <desc> for screen readers; the page adds the same numbers as a table.
"""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 26  # room for the axis labels
GRID_STEPS = 4


@dataclass(frozen=True)
class Plot:
    """Where things go: values to pixels inside the plotting area."""

    count: int
    top_value: int

    @property
    def slot(self):
        return (WIDTH - LEFT - RIGHT) / max(self.count, 1)

    def x(self, index):
        return LEFT + self.slot * index

    def y(self, value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / self.top_value)


def nice_ceiling(value):
    """The smallest 1, 2, 4 or 5 × 10ⁿ at or above value, so grid labels stay round."""
    step = 1
    while True:
        for factor in (1, 2, 4, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def grid_top(value):
    """The smallest 1, 2, 4, 5 or 8 × 10ⁿ at or above value that the grid's steps divide
    into whole numbers: 0, 5, 10, 15, 20, never 0, 2, 5, 7, 10."""
    step = 1
    while True:
        for factor in (1, 2, 4, 5, 8):
            top = step * factor
            if top >= value and top % GRID_STEPS == 0:
                return top
        step *= 10


def daily_chart(days, chart_id="performance-chart"):
    """days: [{"date", "impressions", "actions"}, …] as insights.performance returns them."""
    highest = max([max(d["impressions"], d["actions"]) for d in days] + [0])
    plot = Plot(len(days), grid_top(highest))
    parts = [grid(plot), bars(plot, days), line(plot, days), axis_labels(plot, days)]
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, HEIGHT, chart_id, chart_id, chart_id, _("Impressions and actions per day"),
        chart_id, summary(days), mark_safe("".join(parts)))  # pieces from format_html


def summary(days):
    if not days:
        return _("No days in this period.")
    return _("%(impressions)s impressions and %(actions)s actions from %(start)s to %(end)s.") % {
        "impressions": sum(d["impressions"] for d in days),
        "actions": sum(d["actions"] for d in days),
        "start": date_format(days[0]["date"]), "end": date_format(days[-1]["date"]),
    }


def grid(plot):
    values = [plot.top_value * step // GRID_STEPS for step in range(GRID_STEPS + 1)]
    return "".join(
        format_html('<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="axis" x="{}" y="{}" text-anchor="end" dy="4">{}</text>',
                    LEFT, WIDTH - RIGHT, px(plot.y(v)), px(plot.y(v)), LEFT - 6, px(plot.y(v)), v)
        for v in values)


def bars(plot, days):
    width = px(plot.slot * 0.7)
    return "".join(
        format_html('<rect class="bar-impressions" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    px(plot.x(i) + plot.slot * 0.15), px(plot.y(d["impressions"])), width,
                    px(plot.y(0) - plot.y(d["impressions"])), point_label(d))
        for i, d in enumerate(days))


def line(plot, days):
    centre = [(px(plot.x(i) + plot.slot / 2), px(plot.y(d["actions"])))
              for i, d in enumerate(days)]
    points = " ".join(f"{x},{y}" for x, y in centre)
    dots = "".join(format_html('<circle class="dot-actions" cx="{}" cy="{}" r="3">'
                               "<title>{}</title></circle>", x, y, point_label(d))
                   for (x, y), d in zip(centre, days, strict=True))
    return format_html('<polyline class="line-actions" fill="none" points="{}"/>', points) + dots


def axis_labels(plot, days):
    """The first, middle and last day: enough to place the bars without crowding."""
    shown = sorted({0, len(days) // 2, len(days) - 1}) if days else []
    return "".join(
        format_html('<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                    px(plot.x(i) + plot.slot / 2), HEIGHT - 6,
                    date_format(days[i]["date"], "j M"))
        for i in shown)


def point_label(day):
    return _("%(date)s: %(impressions)s impressions, %(actions)s actions") % {
        "date": date_format(day["date"]), "impressions": day["impressions"],
        "actions": day["actions"]}


def px(value):
    return f"{value:.1f}"
