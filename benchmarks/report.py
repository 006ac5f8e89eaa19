"""The shape every benchmark reports in, so that `make bench` prints one set of tables.

A benchmark module `benchmarks/bench_<topic>.py` defines `run(scale: str) -> list[Table]`
(scale is "full" for `make bench`, "quick" for a smoke run). Each table compares a measured
thing with its peers and limits in the same run, as ratios.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[object]]
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        cells = [[str(c) for c in self.columns]] + [[_fmt(v) for v in row] for row in self.rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = [f"## {self.title}", ""]
        for n, row in enumerate(cells):
            lines.append("| " + " | ".join(_pad(v, widths[i], i) for i, v in enumerate(row)) + " |")
            if n == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, index: int) -> str:
    gap = " " * (width - _width(text))
    return gap + text if index > 0 and _numeric(text) else text + gap


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("×", "").replace("-", "").replace("%", "").strip().isdigit()
