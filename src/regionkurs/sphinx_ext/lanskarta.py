"""The ``{lanskarta}`` directive: Sweden's 21 counties as an inline SVG tile schematic, with a table.

Each county is one square tile, placed roughly where the county lies (north
at the top). The tiles carry the county's short name and code as text, so
nothing depends on colour. The figures come from ``data/regions.csv`` (the
course's single data source); the SVG has a title and a description that give
its message, and a data table with header cells follows it. Nothing is loaded
from another site: the SVG is part of the page.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..errors import DataError
from ..regions import COUNTY_CODES, load_national, load_regions
from ..swedish import number

#: (column, row) of each county's tile: a schematic, not a map. North is row 0.
TILES = {
    "25": (2, 0), "24": (1, 1), "23": (0, 2), "22": (1, 2), "20": (0, 3), "21": (1, 3),
    "17": (0, 4), "19": (1, 4), "03": (2, 4), "14": (0, 5), "18": (1, 5), "04": (2, 5),
    "01": (3, 5), "13": (0, 6), "06": (1, 6), "05": (2, 6), "09": (3, 6), "07": (1, 7),
    "08": (2, 7), "12": (1, 8), "10": (2, 8),
}
TILE, GAP = 104, 6
SMALL = ' font-size="11"'  # for names longer than 12 letters


def short_name(name: str) -> str:
    """``Västra Götalands län`` → ``Västra Götaland``; ``Uppsala län`` → ``Uppsala``."""
    return name.removesuffix(" län").removesuffix("s")


def tile_svg(regions, total: int) -> str:
    """The SVG markup: one labelled tile per county, with a title and a description.

    ``total`` is the national population, for the description."""
    columns = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    width, height = columns * (TILE + GAP), rows * (TILE + GAP)
    description = (
        f"Schematisk bild av Sveriges 21 län. Varje län är en ruta med länets namn, länskod och "
        f"folkmängd den 31 december 2023. Norr är uppåt. Norrbotten ligger överst och Skåne och "
        f"Blekinge längst ned. Rutorna är lika stora, oavsett länets yta. Sammanlagt "
        f"{number(total)} invånare. Samma uppgifter finns i tabellen under bilden.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lanskarta" role="img" '
        f'viewBox="0 0 {width} {height}" style="width:100%;max-width:30rem;height:auto" '
        f'aria-labelledby="lanskarta-titel lanskarta-beskrivning">',
        '<title id="lanskarta-titel">Sveriges 21 län som rutor</title>',
        f'<desc id="lanskarta-beskrivning">{escape(description)}</desc>',
    ]
    for code, (col, row) in TILES.items():
        county = regions.loc[code]
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        name = short_name(str(county["lan"]))
        people = number(int(county["folkmangd_2023"]))
        lines = name.split(" ") if len(name) > 13 else [name]
        label = "".join(
            f'<text x="{x + TILE / 2}" y="{y + 24 + 15 * i}" text-anchor="middle" font-weight="bold"'
            f'{SMALL if len(line) > 12 else ""}>{escape(line)}</text>'
            for i, line in enumerate(lines))
        parts.append(
            f'<g class="lanskarta-lan" font-size="12" fill="#1a1a1a">'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="#ffffff" '
            f'stroke="#1a1a1a" stroke-width="1.5"/>{label}'
            f'<text x="{x + TILE / 2}" y="{y + 68}" text-anchor="middle">{escape(code)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 86}" text-anchor="middle">{escape(people)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def table_node(regions) -> nodes.table:
    """A docutils table with header cells: code, county, population, municipalities, land area."""
    headers = ("Länskod", "Län", "Folkmängd 31 dec 2023", "Kommuner", "Landareal, km²")
    table = nodes.table(classes=["lanskarta-tabell"])
    table += nodes.title(text="Sveriges 21 län: folkmängd, antal kommuner och landareal")
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for code in COUNTY_CODES:
        county = regions.loc[code]
        area = county["landareal_km2"]
        body += _row((code, str(county["lan"]), number(int(county["folkmangd_2023"])),
                      number(int(county["antal_kommuner"])),
                      "saknas i underlaget" if area is None or str(area) == "<NA>" else number(int(area))))
    return table


def _row(cells) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=text)
        row += entry
    return row


class LanskartaDirective(SphinxDirective):
    """``{lanskarta}``: no arguments, no content."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        data = Path(self.env.srcdir) / self.config.regionkurs_data_dir
        where = f"{self.env.doc2path(self.env.docname)}:{self.lineno}"
        try:
            regions = load_regions(data / "regions.csv", data / "riket.csv")
            total = int(load_national(data / "riket.csv")["folkmangd_2023"])
        except (DataError, OSError) as exc:
            raise ExtensionError(f"{where}: {{lanskarta}}: {exc}") from exc
        for name in ("regions.csv", "riket.csv"):
            self.env.note_dependency(str(data / name))
        figure = nodes.container(classes=["lanskarta-figur"])
        figure += nodes.raw("", tile_svg(regions, total), format="html")
        return [figure, table_node(regions)]
