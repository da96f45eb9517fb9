"""The lift in re-orders with its interval, per window, as a server-rendered SVG.

One row per window (30, 60, 90 days): the 95% interval as a bar, the lift as a dot, on
one axis of percentage points centred on zero, so "the bar crosses the zero line" reads
as "no proof yet" without a word of statistics. Drawn like charts.py: <title> and <desc>
for screen readers, the page adds the same numbers as a table.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kairos.campaigns.charts import nice_ceiling, px

WIDTH, ROW = 480, 34
LEFT, RIGHT, TOP, BOTTOM = 78, 14, 8, 24  # room for the window labels and the axis


def scale(lifts):
    """Points from the centre to either edge: round, and never under 10."""
    widest = max([abs(v) for lift in lifts for v in (lift["absolute_low"],
                                                     lift["absolute_high"])] + [0])
    return nice_ceiling(max(10, 100 * widest))


def lift_chart(lifts, chart_id="lift-chart"):
    """lifts: lift_report()["lift"]["reorder"]: {"days", "absolute", "absolute_low", …}."""
    edge = scale(lifts)
    height = TOP + ROW * max(len(lifts), 1) + BOTTOM

    def x(share):
        return LEFT + (WIDTH - LEFT - RIGHT) * (0.5 + 100 * share / (2 * edge))

    parts = [axis(x, edge, height)] + [row(x, lift, TOP + ROW * i + ROW / 2)
                                        for i, lift in enumerate(lifts)]
    return format_html(
        '<svg class="chart lift-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, chart_id, chart_id, chart_id,
        _("Lift in re-orders with its 95% interval"), chart_id, summary(lifts),
        mark_safe("".join(parts)))  # pieces from format_html


def axis(x, edge, height):
    ticks = (-edge, -edge / 2, 0, edge / 2, edge)
    return "".join(
        format_html('<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                    "zero" if tick == 0 else "grid", px(x(tick / 100)), px(x(tick / 100)),
                    TOP, height - BOTTOM, px(x(tick / 100)), height - 6, signed(tick))
        for tick in ticks)


def row(x, lift, y):
    words = describe(lift)
    return format_html(
        '<text class="axis" x="{}" y="{}" text-anchor="end" dy="4">{}</text>'
        '<line class="interval" x1="{}" x2="{}" y1="{}" y2="{}"><title>{}</title></line>'
        '<circle class="estimate" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
        LEFT - 8, px(y), _("%(days)s days") % {"days": lift["days"]},
        px(x(lift["absolute_low"])), px(x(lift["absolute_high"])), px(y), px(y), words,
        px(x(lift["absolute"])), px(y), words)


def describe(lift):
    return _("within %(days)s days: %(points)s points (95%% CI %(low)s to %(high)s)") % {
        "days": lift["days"], "points": signed(100 * lift["absolute"]),
        "low": signed(100 * lift["absolute_low"]), "high": signed(100 * lift["absolute_high"])}


def summary(lifts):
    if not lifts:
        return _("No customer followed long enough in both groups yet.")
    return "; ".join(describe(lift) for lift in lifts)


def signed(points):
    """5 -> "+5", -2.5 -> "−2.5", 0 -> "0": points with their sign, one decimal at most."""
    text = f"{abs(points):.1f}".removesuffix(".0")
    return "0" if text == "0" else ("+" if points > 0 else "−") + text
