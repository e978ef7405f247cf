"""Jupyter server hooks for the course's exercises.

:func:`strip_tool_views` is a ``FileContentsManager.pre_save_hook``: it saves
an exercise without its tools' widget views and without the widget state, so
a reopened exercise never shows JupyterLab's "Error displaying widget: model
not found" (the views would point at models of a kernel that is gone). The
learner's answers are not in the notebook but in its answers file, so nothing
is lost; choosing Kör → Kör alla celler shows the tools again, with the
answers. Set it in the server's configuration::

    c.FileContentsManager.pre_save_hook = "regionkurs.labhooks.strip_tool_views"

(`make setup` switches it on for the course's environment: `python -m regionkurs.labhooks`;
the hub's role configuration sets it too.)
"""

from __future__ import annotations

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_tool_views(model: dict, **_kwargs) -> None:
    """Remove widget views and saved widget state from a notebook model about to be saved."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    content = model["content"]
    if isinstance(content.get("metadata"), dict):
        content["metadata"].pop("widgets", None)
    for cell in content.get("cells", []):
        if cell.get("cell_type") == "code" and isinstance(cell.get("outputs"), list):
            cell["outputs"] = [o for o in cell["outputs"] if WIDGET_VIEW not in (o.get("data") or {})]


def install(prefix: str | None = None):
    """Switch the hook and the course's Formgrader "not found" page (:mod:`regionkurs.cohort.formgrader404`)
    on for every Jupyter server of this Python environment (``make setup`` does this)."""
    import json
    import sys
    from pathlib import Path

    folder = Path(prefix or sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.d"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "regionkurs.json"
    config = {"FileContentsManager": {"pre_save_hook": "regionkurs.labhooks.strip_tool_views"},
              "ServerApp": {"jpserver_extensions": {"regionkurs.cohort.formgrader404": True}}}
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {install()}")
