"""Charts for the PDF, drawn as SVG strings: WeasyPrint draws them as vectors, sharp at print size."""

from decimal import Decimal
from xml.sax.saxutils import escape

from .tables import GroupRow, QuestionTable

# The Government Analysis Function's accessible categorical palette, in its given order,
# with the text colour that reads on each.
PALETTE = [
    ("#12436D", "#FFFFFF"),
    ("#28A197", "#0B0C0C"),
    ("#801650", "#FFFFFF"),
    ("#F46A25", "#0B0C0C"),
    ("#3D3D3D", "#FFFFFF"),
    ("#A285D1", "#0B0C0C"),
]
SMALL_OPACITY = "0.45"

WIDTH = 680  # user units; drawn 170 mm wide, so 4 units a millimetre
LABEL_WIDTH = 190
BAR_WIDTH = 430
BAR_HEIGHT = 18
ROW_GAP = 6
# The font family is set once, on the root, and is a single family: WeasyPrint resolves
# the font for every <text>, and a fallback list makes thousands of labels slower to draw.
FONT_FAMILY = "Arial"
CHAR_WIDTH = 5.3  # average width of a character at font-size 10, to lay out the legend


def colour(index: int) -> tuple[str, str]:
    return PALETTE[index % len(PALETTE)]


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _svg(height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'font-family="{FONT_FAMILY}" width="170mm" height="{height / 4:.1f}mm" role="img">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _legend(labels: list[str], top: float) -> tuple[list[str], float]:
    """Legend swatches laid out left to right, wrapping; returns the elements and the height used."""
    parts, x, y = [], LABEL_WIDTH, top
    for index, label in enumerate(labels):
        width = 16 + CHAR_WIDTH * len(label) + 18
        if x + width > WIDTH and x > LABEL_WIDTH:
            x, y = LABEL_WIDTH, y + 16
        fill, _ = colour(index)
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{fill}"/>')
        parts.append(f'<text x="{x + 14}" y="{y + 9}" font-size="10">{escape(label)}</text>')
        x += width
    return parts, y + 16 - top


def stacked_bars(table: QuestionTable, rows: list[GroupRow]) -> str:
    """One 100% bar per group, split by option (not applicable left out, as it is of the percentages)."""
    options = table.real_options
    body: list[str] = []
    y = 4.0
    for row in rows:
        label = f"{row.label} (n={row.n})" + (" †" if row.small else "")
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" font-size="10" text-anchor="end">{escape(label)}</text>')
        if not row.n:
            body.append(f'<text x="{LABEL_WIDTH}" y="{y + 13}" font-size="10" fill="#505a5f">no answers</text>')
        x = float(LABEL_WIDTH)
        opacity = f' fill-opacity="{SMALL_OPACITY}"' if row.small else ""
        for index, (_, count, pct) in enumerate(row.answered_cells):
            if not count or not row.n:
                continue
            width = BAR_WIDTH * count / row.n
            fill, ink = colour(index)
            body.append(f'<rect x="{x:.2f}" y="{y}" width="{width:.2f}" height="{BAR_HEIGHT}" fill="{fill}"{opacity}/>')
            if width >= 30:
                text_colour = "#0B0C0C" if row.small else ink
                body.append(
                    f'<text x="{x + width / 2:.2f}" y="{y + 13}" font-size="9.5" text-anchor="middle" '
                    f'fill="{text_colour}">{_fmt(pct)}%</text>'
                )
            x += width
        y += BAR_HEIGHT + ROW_GAP
    legend, height = _legend([o.label for o in options], y + 2)
    body += legend
    return _svg(y + 2 + height + 4, body, f"{table.code}: answers by group, as percentages")


def option_bars(table: QuestionTable, row: GroupRow) -> str:
    """Multiple choice: one bar per option, its share of the files answering (these can add up to over 100)."""
    body: list[str] = []
    y = 4.0
    for option, _count, pct in row.answered_cells:
        label = option.label if len(option.label) <= 34 else option.label[:33] + "…"
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" font-size="10" text-anchor="end">{escape(label)}</text>')
        width = BAR_WIDTH * float(pct or 0) / 100
        fill, _ = colour(0)
        if width:
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.2f}" height="{BAR_HEIGHT}" fill="{fill}"/>')
        body.append(f'<text x="{LABEL_WIDTH + width + 4:.2f}" y="{y + 13}" font-size="9.5">{_fmt(pct) or "–"}%</text>')
        y += BAR_HEIGHT + ROW_GAP
    return _svg(y + 2, body, f"{table.code}: share of files giving each answer")


def question_chart(table: QuestionTable, breakdown: str | None) -> str:
    """The chart for a question: overall plus the groups of one breakdown (if any)."""
    if table.is_multi:
        return option_bars(table, table.overall)
    rows = [table.overall]
    if breakdown:
        rows += table.breakdown(breakdown).rows
    return stacked_bars(table, rows)
