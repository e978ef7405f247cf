"""The package stands on its own: the built wheel, installed in a new venv, works
away from the repository (cohort CLI, data, Sphinx extension, feedback template).

The new venv gets only the wheel; its dependencies are borrowed from the test
venv through a ``.pth`` line (installing pandas, nbgrader, Sphinx … afresh
would take minutes). The editable install of the test venv is not visible
there: the test checks that ``regionkurs`` is imported from the new venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, VENV_BIN

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """Build the wheel, install it in a new venv; return its python and a work folder."""
    root = tmp_path_factory.mktemp("wheel")
    checkout = root / "checkout"  # a copy, so the build's own folders stay out of the repository
    checkout.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"):
        shutil.copy2(REPO / name, checkout / name)
    shutil.copytree(REPO / "src", checkout / "src", symlinks=True, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(REPO / "data", checkout / "data")  # src/regionkurs/data links here
    (checkout / "book").mkdir()
    shutil.copy2(REPO / "book" / "references.bib", checkout / "book" / "references.bib")
    wheels = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(checkout)],
                   check=True, capture_output=True, cwd=root, timeout=600)
    (wheel,) = wheels.glob("regionkurs-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    work = root / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGIONKURS_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"  # alembic by name
    env["JUPYTER_PATH"] = str(VENV_BIN.parent / "share" / "jupyter")  # nbconvert's own templates, borrowed too
    return {"python": python, "venv": venv, "work": work, "env": env, "wheel": wheel}


def run(installed: dict, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["python"]), *args], capture_output=True, text=True,
                          cwd=installed["work"], env={**installed["env"], **(env or {})}, timeout=600, **kwargs)


def test_the_installed_package_reads_its_own_data_and_sources(installed):
    code = textwrap.dedent("""
        import json, regionkurs
        from regionkurs.factors import load_factors
        from regionkurs.paths import data_dir
        from regionkurs.references import bibliography_path
        print(json.dumps({"module": regionkurs.__file__, "data": str(data_dir()),
                          "factors": len(load_factors()), "bib": str(bibliography_path())}))
    """)
    result = run(installed, "-c", code)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    venv = str(installed["venv"])
    assert found["module"].startswith(venv), f"regionkurs came from {found['module']}, not the new venv"
    assert found["data"].startswith(venv) and found["bib"].startswith(venv)
    assert found["factors"] == 14


def test_every_file_the_package_reads_is_in_the_wheel(installed):
    """Static files, templates, translations, the widgets' front-end modules, data: all of src/regionkurs."""
    source = REPO / "src" / "regionkurs"
    wanted = {str(p.relative_to(source)) for p in source.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    site = Path(run(installed, "-c", "import regionkurs, os; print(os.path.dirname(regionkurs.__file__))").stdout.strip())
    shipped = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert wanted - shipped == set(), f"missing from the wheel: {sorted(wanted - shipped)}"


def small_course_folder(root: Path) -> Path:
    """A course folder (as a checkout holds it) with one solution: grading setup stays quick."""
    folder = root / "kursrepo"
    shutil.copytree(REPO / "data", folder / "data")
    (folder / "solutions").mkdir()
    shutil.copy2(REPO / "solutions" / "f01.ipynb", folder / "solutions" / "f01.ipynb")
    shutil.copy2(REPO / "_config.yml", folder / "_config.yml")
    return folder


def test_the_cli_says_where_the_course_folder_is_missing_and_uses_the_one_it_is_given(installed, tmp_path):
    lost = run(installed, "-m", "regionkurs", "exercises", "generate", "--check")
    assert lost.returncode == 2
    assert "No course folder found" in lost.stderr and "Traceback" not in lost.stderr
    course = tmp_path / "kurs"
    made = run(installed, "-m", "regionkurs", "cohort", "init", str(course),
               env={"REGIONKURS_COURSE": str(small_course_folder(tmp_path))})
    assert made.returncode == 0, made.stdout + made.stderr
    assert [p.name for p in (course / "source").iterdir()] == ["f01"]
    assert (course / "source" / "f01" / "f01.ipynb").is_file()
    assert "feedback_config()" in (course / "nbgrader_config.py").read_text(encoding="utf-8")
    templates = run(installed, "-c", "from regionkurs.cohort.feedback import FEEDBACK_TEMPLATES as t; print(t)")
    assert templates.stdout.strip().startswith(str(installed["venv"]))
    assert (Path(templates.stdout.strip()) / "aterkoppling" / "index.html.j2").is_file()


def test_the_feedback_template_renders_in_swedish_from_the_wheel(installed):
    code = textwrap.dedent("""
        import nbformat
        from pathlib import Path
        import nbgrader
        from nbconvert import HTMLExporter
        from regionkurs.cohort.feedback import FEEDBACK_TEMPLATES
        # bootstrap.min.css, as nbgrader's GenerateFeedback adds it
        css = Path(nbgrader.__file__).parent / "server_extensions/formgrader/static/node_modules/bootstrap/dist/css"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Mitt svar")])
        exporter = HTMLExporter(extra_template_basedirs=[str(FEEDBACK_TEMPLATES)], extra_template_paths=[str(css)],
                                template_name="aterkoppling")
        html, _ = exporter.from_notebook_node(nb, resources={"nbgrader": {"notebook": "f01", "score": 3, "max_score": 4, "late_penalty": 0}})
        print(html)
    """)
    result = run(installed, "-c", code)
    assert result.returncode == 0, result.stderr
    assert '<html lang="sv">' in result.stdout and "Återkoppling på f01" in result.stdout


def test_the_sphinx_extension_brings_its_static_files_and_swedish_interface(installed, tmp_path):
    source = tmp_path / "bok"
    source.mkdir()
    (source / "conf.py").write_text(textwrap.dedent(f"""
        extensions = ["myst_parser", "regionkurs.sphinx_ext"]
        language = "sv"
        regionkurs_node_modules = {str(REPO / "node_modules")!r}
    """), encoding="utf-8")
    (source / "index.md").write_text("# Kursen\n\nText.\n", encoding="utf-8")
    out = tmp_path / "html"
    result = run(installed, "-m", "sphinx", "-b", "html", "-q", str(source), str(out))
    assert result.returncode == 0, result.stderr
    for name in ("regionkurs.css", "intervju.js", "widgets/regionkurs-widgets.js"):
        assert (out / "_static" / name).is_file(), f"_static/{name} missing from the build"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Länk till den här rubriken" in page  # from the package's sv.po
