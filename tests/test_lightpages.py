"""The pieces of the light-pages build step and of `make serve`, without a build:
the server's choice of precompressed copy and its headers, the precompressed
copies, the theme's icons as inline SVG, the search scripts, the trimmed
icon font and the tools' modules moved out of the saved widget state. The built site itself is checked in test_pages.py (browser)."""

from __future__ import annotations

import gzip
import json
import shutil
import urllib.request
from pathlib import Path

import brotli
import pytest
from fontTools.ttLib import TTFont
from myst_nb.core.render import sanitize_script_content

from regionkurs.serve import accepted_encodings, serve_in_thread
from regionkurs.sphinx_ext import csstrim, icons, lightpages, precompress, searchassets, widgetmodules

THEME_STATIC = lightpages.theme_fontawesome_js().parents[1]


# --- make serve -----------------------------------------------------------------

def test_accept_encoding_is_read_with_its_weights():
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("*") >= {"br", "gzip"}
    assert accepted_encodings("*, br;q=0") == {"*", "gzip"}
    assert accepted_encodings(None) == set()


def _get(url: str, encoding: str | None) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    page = "<!doctype html><title>Sida</title>" + "<p>Regional utveckling</p>" * 200
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "style.css").write_text("body { color: black; }\n" * 100, encoding="utf-8")
    (tmp_path / "tiny.js").write_text("let a = 1;\n", encoding="utf-8")
    precompress.precompress_tree(tmp_path)
    return tmp_path


def test_server_sends_the_smallest_copy_the_browser_accepts(site: Path):
    original = (site / "index.html").read_bytes()
    with serve_in_thread(site) as url:
        body, headers = _get(f"{url}/index.html", "gzip, deflate, br")
        assert headers["content-encoding"] == "br" and brotli.decompress(body) == original
        body, headers = _get(f"{url}/index.html?v=1", "gzip")
        assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == original
        body, headers = _get(f"{url}/index.html", None)
        assert "content-encoding" not in headers and body == original
        for _, headers in (_get(f"{url}/index.html", "br"), _get(f"{url}/index.html", None)):
            assert headers["vary"] == "Accept-Encoding"
            assert headers["content-type"].startswith("text/html")
        body, headers = _get(f"{url}/style.css", "br")
        assert headers["content-type"].startswith("text/css") and int(headers["content-length"]) == len(body)
        body, headers = _get(f"{url}/tiny.js", "br")  # too small to have copies
        assert "content-encoding" not in headers and "vary" not in headers and body == b"let a = 1;\n"
        body, headers = _get(f"{url}/", "br")  # a folder: its index.html, compressed
        assert headers["content-encoding"] == "br" and brotli.decompress(body) == original


# --- precompressed copies -------------------------------------------------------

def test_copies_are_written_once_and_follow_changes(site: Path):
    page = site / "index.html"
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == page.read_bytes()
    assert not (site / "tiny.js.gz").exists()
    assert precompress.precompress_tree(site) == 0, "unchanged files are not compressed again"
    page.write_text("<p>Ny text</p>" * 300, encoding="utf-8")
    assert precompress.precompress_tree(site) == 2
    assert brotli.decompress((site / "index.html.br").read_bytes()) == page.read_bytes()
    page.unlink()
    precompress.precompress_tree(site)
    assert not (site / "index.html.br").exists() and not (site / "index.html.gz").exists()


# --- icons ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def icon_set() -> icons.IconSet:
    return icons.load_icons(lightpages.theme_fontawesome_js())


def test_theme_icons_become_inline_svg(icon_set: icons.IconSet):
    page = ('<button><i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" aria-hidden="true"></i>'
            '<span class="fa-solid fa-bars"></span><i class="fas fa-search"></i><i class="fa-solid fa-no-such-icon"></i></button>')
    out = icons.inline_icons(page, icon_set)
    assert out.count("<svg ") == 3 and "fa-no-such-icon" in out
    sun = out[out.index("<svg "):out.index("</svg>")]
    assert 'class="svg-inline--fa fa-sun theme-switch fa-lg"' in sun and 'data-mode="light"' in sun
    assert 'aria-hidden="true"' in sun and 'viewBox="0 0 512 512"' in sun and '<path fill="currentColor" d="M' in sun
    assert 'data-icon="search"' in out, "aliases (fa-search) are found"
    assert "fa-solid" not in sun, "the font classes go, so no icon font is loaded for them"
    assert ".svg-inline--fa{" in icon_set.css and "--fa-font-solid" not in icon_set.css


def test_icon_script_and_search_scripts_are_removed():
    head = ('<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
            '<script src="../_static/searchtools.js"></script>\n<script src="../_static/language_data.js"></script>\n'
            '<script src="../searchindex.js"></script>\n<script src="../_static/doctools.js?v=2"></script>\n')
    out = searchassets.drop_search_scripts(icons.drop_fontawesome_script(head))
    assert out == '<script src="../_static/doctools.js?v=2"></script>\n'


def test_a_repeated_inline_declaration_is_dropped():
    config = '<script>const THEBE_JS_URL = "x"; const thebe_selector = ".cell"</script>\n'
    other = "<script>let y = 2</script>\n"
    page = config + other + config
    assert lightpages.drop_repeated_declarations(page) == config + other


# --- style sheets and the icon font ---------------------------------------------------

def test_icon_class_table_goes_and_the_font_keeps_only_the_glyphs_still_used(tmp_path: Path):
    sheet = tmp_path / "theme.css"
    sheet.write_text('.fa-sun:before{content:"\\f185"}.fa-bars::before,.fa-list:before{content:"\\f0c9"}'
                     '.admonition-title:after{content:var(--icon)}:root{--icon:"\\f05a"}'
                     '.onthispage:after{content:"\\f107"}.quote:before{content:"\\201c"}', encoding="utf-8")
    points = csstrim.drop_icon_classes(sheet)
    text = sheet.read_text(encoding="utf-8")
    assert "fa-sun" not in text and "fa-bars" not in text
    assert ".admonition-title:after" in text and ".onthispage:after" in text and ".quote:before" in text
    assert points == {0xF05A, 0xF107}
    font = tmp_path / "fa-solid-900.woff2"
    shutil.copy(THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / font.name, font)
    before = font.stat().st_size
    assert csstrim.subset_font(font, points)
    cmap = TTFont(font).getBestCmap()
    assert set(cmap) == points and font.stat().st_size < before / 20


def test_linked_stylesheets_follow_imports(tmp_path: Path):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "basic.css").write_text("p{}", encoding="utf-8")
    (tmp_path / "_static" / "styles" / "theme.css").write_text('@import "../basic.css";', encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text('<link href="_static/styles/theme.css?digest=1" rel="stylesheet" />'
                    '<link rel="stylesheet" href="https://example.org/x.css" />', encoding="utf-8")
    found = csstrim.linked_stylesheets([page], tmp_path)
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in found] == ["_static/basic.css", "_static/styles/theme.css"]


# --- the tools' modules -------------------------------------------------------------


def _widget_page(models: dict) -> str:
    # As myst-nb writes it (its "</script>" escaped).
    state = sanitize_script_content(json.dumps({"version_major": 2, "version_minor": 0, "state": models}))
    return (f'<html><head>\n<script type="{widgetmodules.STATE_TYPE}">{state}</script>\n'
            '<script defer src="../_static/widgets/regionkurs-widgets.js"></script>\n</head>\n'
            '<body><main>Text</main>\n</body></html>\n')


def test_each_tool_module_and_style_sheet_is_written_once_and_the_state_keeps_its_address(tmp_path: Path):
    module = 'export default { render({ el }) { el.innerHTML = "<b>x</b></script>"; } };'
    other = "export default { render() {} };"
    css = ".rk-tool { color: black; }"

    def tool(esm: str, **extra) -> dict:
        return {"model_module": "anywidget", "model_name": "AnyModel", "state": {"_esm": esm, "_css": css, **extra}}

    models = {"a": tool(module, label="Första"), "b": tool(module, label="Andra"), "c": tool(other),
              "layout": {"model_module": "@jupyter-widgets/base", "model_name": "LayoutModel", "state": {"width": "1px"}}}
    page = tmp_path / "exercises" / "f01.html"
    page.parent.mkdir()
    page.write_text(_widget_page(models), encoding="utf-8")
    new = widgetmodules.externalize(page, tmp_path)
    assert new is not None
    files = sorted(p.name for p in (tmp_path / "_static" / "widgets").iterdir())
    assert files == sorted({widgetmodules.file_name(module, ".js"), widgetmodules.file_name(other, ".js"),
                            widgetmodules.file_name(css, ".css")})
    assert (tmp_path / "_static" / "widgets" / widgetmodules.file_name(module, ".js")).read_text(encoding="utf-8") == module
    # The state now follows the content, and its "</script>" cannot end the script.
    assert new.index("<main>") < new.index(widgetmodules.STATE_TYPE) < new.index("</body>")
    assert module not in new and css not in new and "</script>\"" not in new
    script = new.split(f'<script type="{widgetmodules.STATE_TYPE}">')[1].split("</script>")[0]
    state = json.loads(script)["state"]
    assert state["a"]["state"]["_esm"] == state["b"]["state"]["_esm"] == "../_static/widgets/" + widgetmodules.file_name(module, ".js")
    assert state["c"]["state"]["_css"] == "../_static/widgets/" + widgetmodules.file_name(css, ".css")
    assert state["a"]["state"]["label"] == "Första" and state["layout"] == models["layout"]
    page.write_text(new, encoding="utf-8")
    assert widgetmodules.externalize(page, tmp_path) is None, "a second pass finds nothing to move"


def test_a_page_at_the_top_gets_a_dot_address_and_a_page_without_tools_is_left_alone(tmp_path: Path):
    page = tmp_path / "index.html"
    page.write_text(_widget_page({"a": {"model_module": "anywidget", "state": {"_esm": "export default {};"}}}),
                    encoding="utf-8")
    assert '"_esm":"./_static/widgets/tool-' in widgetmodules.externalize(page, tmp_path)
    plain = tmp_path / "plain.html"
    plain.write_text("<html><body><p>Text</p></body></html>", encoding="utf-8")
    assert widgetmodules.externalize(plain, tmp_path) is None
    assert widgetmodules.is_address("../_static/widgets/tool-1.js") and not widgetmodules.is_address("export default {};")
