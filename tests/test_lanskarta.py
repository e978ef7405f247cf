"""The {lanskarta} tile schematic on the orientation page: one labelled tile per county,
a text alternative with the message, and a table with the same figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from docutils import nodes

from regionkurs.regions import COUNTY_CODES, load_national, load_regions
from regionkurs.sphinx_ext.lanskarta import TILE, TILES, short_name, table_node, tile_svg
from regionkurs.swedish import number

SVG = "{http://www.w3.org/2000/svg}"


def test_every_county_has_one_tile_and_no_two_tiles_share_a_place():
    assert sorted(TILES) == sorted(COUNTY_CODES)
    assert len(set(TILES.values())) == len(TILES)


def test_the_svg_names_each_county_with_code_and_population_as_text():
    regions = load_regions()
    svg = ET.fromstring(tile_svg(regions, int(load_national()["folkmangd_2023"])))
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    ids = {element.get("id"): element for element in svg.iter() if element.get("id")}
    assert [ids[i].tag for i in labelled] == [f"{SVG}title", f"{SVG}desc"]
    assert "10 551 707" in ids[labelled[1]].text and "tabellen" in ids[labelled[1]].text
    tiles = svg.findall(f"{SVG}g")
    assert len(tiles) == 21
    for code, tile in zip(TILES, tiles):
        texts = " ".join(t.text for t in tile.findall(f"{SVG}text"))
        name = short_name(str(regions.loc[code, "lan"]))
        assert texts.replace(" ", "") == f"{name}{code}{number(int(regions.loc[code, 'folkmangd_2023']))}".replace(" ", "")
        rect = tile.find(f"{SVG}rect")
        assert float(rect.get("width")) == TILE
        assert rect.get("fill") == "#ffffff" and tile.get("fill") == "#1a1a1a"  # dark text on white


def test_short_names_drop_the_genitive_and_the_word_lan():
    assert short_name("Västra Götalands län") == "Västra Götaland"
    assert short_name("Uppsala län") == "Uppsala"
    assert short_name("Dalarnas län") == "Dalarna"


def test_the_table_has_header_cells_and_a_row_per_county_with_missing_areas_said():
    table = table_node(load_regions())
    header = [entry.astext() for entry in next(table.findall(nodes.thead)).findall(nodes.entry)]
    assert header == ["Länskod", "Län", "Folkmängd 31 dec 2023", "Kommuner", "Landareal, km²"]
    rows = list(next(table.findall(nodes.tbody)).findall(nodes.row))
    assert [row.children[0].astext() for row in rows] == list(COUNTY_CODES)
    by_code = {row.children[0].astext(): [cell.astext() for cell in row.children] for row in rows}
    assert by_code["25"] == ["25", "Norrbottens län", "248 480", "14", "97 239"]
    assert by_code["05"][4] == "saknas i underlaget" and by_code["14"][4] == "saknas i underlaget"
    assert all(re.fullmatch(r"[\d ]+|saknas i underlaget", cells[4]) for cells in by_code.values())
