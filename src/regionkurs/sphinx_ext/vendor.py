"""Serve the npm-installed widget manager and require.js from the site itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

# (npm package folder, file or folder inside it, target under _static/widgets/)
VENDOR_FILES = (
    ("@jupyter-widgets/html-manager", "dist", "html-manager"),
    ("requirejs", "require.js", "require.js"),
)


def copy_vendor_files(app: Sphinx) -> Path:
    """Copy the vendor files into a build-side folder and return it for html_static_path.

    The files end up under ``_static/widgets/``. The whole ``dist/`` of the
    widget manager is copied: ``embed-amd.js`` loads its font files from
    beside itself.
    """
    node_modules = Path(app.srcdir) / app.config.regionkurs_node_modules
    target_root = Path(app.doctreedir).parent / "regionkurs-vendor"
    target = target_root / "widgets"
    for package, inner, name in VENDOR_FILES:
        source = node_modules / package / inner
        if not source.exists():
            raise ExtensionError(
                f"{source} is missing: install the front-end packages with `npm ci` "
                "(make book does this) before building the site."
            )
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination)
    return target_root
