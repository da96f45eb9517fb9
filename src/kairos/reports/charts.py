"""NPS over time as a server-rendered SVG line (−100 to 100), gaps where no one scored.

Like campaigns/charts.py: no JavaScript, a <title> and <desc> for screen readers, and
the page shows the same numbers as a table beside it.
"""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kairos.campaigns.charts import px

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 12, 26
GRID = (-100, -50, 0, 50, 100)


def x_of(index, count):
    slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return LEFT + slot * (index + 0.5)


def y_of(score):
    return TOP + (HEIGHT - TOP - BOTTOM) * (100 - score) / 200


def nps_chart(buckets, unit, chart_id="nps-chart"):
    """buckets: [Bucket(start, summary)] as reports.home.period_figures returns them."""
    points = [(px(x_of(i, len(buckets))), px(y_of(b.summary.nps)), b)
              for i, b in enumerate(buckets) if b.summary.nps is not None]
    parts = [grid(), lines(points, buckets), dots(points, unit), labels(buckets, unit)]
    title = _("NPS per week") if unit == "week" else _("NPS per month")
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc"'
        ' preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, HEIGHT, chart_id, chart_id, chart_id, title, chart_id, summary(points, unit),
        mark_safe("".join(parts)))  # every piece built with format_html


def grid():
    return "".join(format_html(
        '<line class="grid{}" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="axis" x="{}" y="{}" text-anchor="end" dy="4">{}</text>',
        " zero" if score == 0 else "", LEFT, WIDTH - RIGHT, px(y_of(score)), px(y_of(score)),
        LEFT - 6, px(y_of(score)), score) for score in GRID)


def lines(points, buckets):
    """One polyline per run of neighbouring buckets that have a score."""
    runs, run, last = [], [], None
    for x, y, bucket in points:
        index = buckets.index(bucket)
        if last is not None and index != last + 1:
            runs.append(run)
            run = []
        run.append(f"{x},{y}")
        last = index
    runs.append(run)
    return format_html_join("", '<polyline class="line-nps" fill="none" points="{}"/>',
                            ((" ".join(r),) for r in runs if len(r) > 1))


def dots(points, unit):
    return format_html_join("", '<circle class="dot-nps" cx="{}" cy="{}" r="3.5">'
                                "<title>{}</title></circle>",
                            ((x, y, point_label(b, unit)) for x, y, b in points))


def labels(buckets, unit):
    shown = sorted({0, len(buckets) // 2, len(buckets) - 1}) if buckets else []
    return format_html_join("", '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                            ((px(x_of(i, len(buckets))), HEIGHT - 6,
                              bucket_name(buckets[i].start, unit)) for i in shown))


def bucket_name(start, unit):
    return date_format(start, "j M" if unit == "week" else "M Y")


def point_label(bucket, unit):
    return _("%(when)s: NPS %(nps)s from %(scored)s scores") % {
        "when": bucket_name(bucket.start, unit), "nps": bucket.summary.nps,
        "scored": bucket.summary.scored}


def summary(points, unit):
    if not points:
        return _("No scores in this period.")
    return "; ".join(point_label(bucket, unit) for _x, _y, bucket in points)
