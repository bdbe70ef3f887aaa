"""Charts for the PDF: the bars drawn as SVG (vectors, sharp at print size), every word of
text in HTML beside them.

Text inside SVG was most of the drawing time (WeasyPrint lays out each <text> on its own:
about 2,800 of them in the full annex), so the labels, values and legend are HTML, laid out
with the rest of the page: they wrap rather than being cut short. The SVG's <title> is the
chart's text alternative (WeasyPrint writes it as the figure's /Alt in the tagged PDF).
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .tables import GroupRow, QuestionTable

# The Government Analysis Function's accessible categorical palette, in its given order
# (the template's stylesheet has the same colours for the legend's swatches, .c0–.c5).
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
SMALL_OPACITY = "0.45"

BAR_WIDTH = 500  # user units; drawn 125 mm wide, so 4 units a millimetre
BAR_HEIGHT = 18
ROW_GAP = 6
LINE = 12  # a label line's height, in the same units (3 mm)
LABEL_CHARACTERS = 27  # fewer than fit on a 44 mm label line at 8 pt, so a label never needs more lines than given


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _fmt(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def wrap(label: str, width: int = LABEL_CHARACTERS) -> list[str]:
    """The label in lines of at most `width` characters, broken between words (never cut short)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class Bar:
    label: str
    lines: int  # lines the label takes, so the bar's row is as tall as its label
    small: bool = False

    @property
    def height(self) -> int:
        return max(BAR_HEIGHT, LINE * self.lines) + ROW_GAP

    @property
    def label_lines(self) -> list[str]:
        """The label broken where its row's height assumed, so label and bar stay level (a label
        the page could fit on fewer lines would otherwise sit above its bar)."""
        return wrap(self.label)


def _svg(bars: list[Bar], shapes: list[str], title: str) -> str:
    height = sum(b.height for b in bars) + 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" viewBox="0 0 {BAR_WIDTH} {height}" '
        f'width="{BAR_WIDTH / 4:.0f}mm" height="{height / 4:.2f}mm" role="img">'
        f"<title>{escape(title)}</title>" + "".join(shapes) + "</svg>"
    )


def _render(bars: list[Bar], svg: str, legend: list[tuple[int, str]]) -> SafeString:
    return SafeString(render_to_string("reports/_chart.html", {"bars": bars, "svg": SafeString(svg), "legend": legend}))


def stacked_bars(table: QuestionTable, rows: list[GroupRow]) -> SafeString:
    """One 100% bar per group, split by option (not applicable left out, as it is of the percentages).

    The percentages are in the table under the chart, not printed on the bars."""
    bars: list[Bar] = []
    shapes: list[str] = []
    y = 2
    for row in rows:
        label = f"{row.label} (n={row.n})" + (" †" if row.small else "") + ("" if row.n else ": no answers")
        bar = Bar(label, len(wrap(label)), row.small)
        top = y + (bar.height - ROW_GAP - BAR_HEIGHT) / 2
        x = 0.0
        opacity = f' fill-opacity="{SMALL_OPACITY}"' if row.small else ""
        for index, (_, count, _pct) in enumerate(row.answered_cells):
            if not count or not row.n:
                continue
            width = BAR_WIDTH * count / row.n
            shapes.append(
                f'<rect x="{x:.2f}" y="{top:.1f}" width="{width:.2f}" height="{BAR_HEIGHT}" '
                f'fill="{colour(index)}"{opacity}/>'
            )
            x += width
        bars.append(bar)
        y += bar.height
    alternative = (
        f"Stacked bar chart of the answers to {table.code}, as percentages of the files answering: "
        + "; ".join(
            f"{row.label}, n={row.n}: " + ", ".join(f"{o.label} {_fmt(p)}%" for o, _c, p in row.answered_cells)
            for row in rows
        )
    )
    legend = [(index % len(PALETTE), option.label) for index, option in enumerate(table.real_options)]
    return _render(bars, _svg(bars, shapes, alternative), legend)


def option_bars(table: QuestionTable, row: GroupRow) -> SafeString:
    """Multiple choice: one bar per option, its share of the files answering (these can add up to over 100)."""
    bars: list[Bar] = []
    shapes: list[str] = []
    y = 2
    for option, _count, pct in row.answered_cells:
        label = f"{option.label}: {_fmt(pct)}%"
        bar = Bar(label, len(wrap(label)))
        top = y + (bar.height - ROW_GAP - BAR_HEIGHT) / 2
        width = BAR_WIDTH * float(pct or 0) / 100
        if width:
            shapes.append(f'<rect x="0" y="{top:.1f}" width="{width:.2f}" height="{BAR_HEIGHT}" fill="{colour(0)}"/>')
        bars.append(bar)
        y += bar.height
    alternative = f"Bar chart of the share of the {row.n} files answering {table.code} that gave each answer: " + (
        "; ".join(f"{o.label} {_fmt(p)}%" for o, _c, p in row.answered_cells)
    )
    return _render(bars, _svg(bars, shapes, alternative), [])


def chart_height_mm(table: QuestionTable, breakdown: str | None) -> float:
    """About how tall question_chart draws (bars and their labels, legend), in millimetres."""
    if table.is_multi:
        labels = [f"{option.label}: 100.0%" for option in table.real_options]
        legend = 0
    else:
        rows = [table.overall, *(table.breakdown(breakdown).rows if breakdown else [])]
        labels = [f"{row.label} (n={row.n})" for row in rows]
        legend = len(table.real_options)
    return sum(Bar(label, len(wrap(label))).height for label in labels) / 4 + 4.5 * legend


def question_chart(table: QuestionTable, breakdown: str | None) -> SafeString:
    """The chart for a question: overall plus the groups of one breakdown (if any)."""
    if table.is_multi:
        return option_bars(table, table.overall)
    rows = [table.overall]
    if breakdown:
        rows += table.breakdown(breakdown).rows
    return stacked_bars(table, rows)
