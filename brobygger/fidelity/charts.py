"""Charts drawn on the server as SVG: no script, no inline style (the CSP forbids both), and every chart has the
same figures in a table beside it for screen readers and for reading exact values."""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 44, 16, 44


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Series:
    label: str
    index: int
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass(frozen=True)
class LineChart:
    series: list[Series]
    x_labels: list[Point]
    y_ticks: list[Point]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def line_chart(
    x_labels: list[str], series: list[tuple[str, list[float | Decimal | None]]], y_min: float, y_max: float
) -> LineChart:
    """Lines over the same x positions (review dates); a missing value leaves a gap in that series' points."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(x_labels) - 1, 1)

    def x(index: int) -> float:
        return LEFT + (step * index if len(x_labels) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return TOP + plot_height * (1 - (value - y_min) / (y_max - y_min))

    drawn = [
        Series(
            label=label,
            index=number,
            points=[
                Point(x(i), y(float(value)), f"{label}, {x_labels[i]}: {_fmt(value)}")
                for i, value in enumerate(values)
                if value is not None
            ],
        )
        for number, (label, values) in enumerate(series, start=1)
    ]
    ticks = [Point(LEFT, y(tick), _fmt(tick)) for tick in _ticks(y_min, y_max)]
    return LineChart(
        series=drawn,
        x_labels=[Point(x(i), HEIGHT - BOTTOM + 18, text) for i, text in enumerate(x_labels)],
        y_ticks=ticks,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: float
    width: float
    index: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Point] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    left: int = 190
    bar_height: int = 22


def bar_chart(rows: list[tuple[str, float | Decimal, str, int]], maximum: float) -> BarChart:
    """Horizontal bars: (label, value, value text, colour index), scaled to ``maximum``."""
    left, gap, bar_height = 190, 10, 22
    plot_width = WIDTH - left - 60
    bars = [
        Bar(
            label=label,
            value_text=text,
            y=TOP + i * (bar_height + gap),
            width=plot_width * float(value) / maximum,
            index=index,
        )
        for i, (label, value, text, index) in enumerate(rows)
    ]
    height = TOP + len(rows) * (bar_height + gap) + 28
    ticks = [Point(left + plot_width * tick / 100, height - 10, f"{tick} %") for tick in (0, 25, 50, 75, 100)]
    return BarChart(bars=bars, ticks=ticks, height=height, left=left, bar_height=bar_height)


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = 1.0 if span <= 5 else 25.0 if span <= 125 else 50.0
    ticks, value = [], low
    while value <= high + 1e-9:
        ticks.append(value)
        value += step
    return ticks


def _fmt(value: float | Decimal) -> str:
    text = format(Decimal(str(round(float(value), 1))).normalize(), "f")
    return text.replace(".", ",")
