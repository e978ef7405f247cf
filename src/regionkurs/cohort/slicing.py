"""Which of the teacher's locked cells a kernel needs to run.

Most of an exercise's locked code only shows widgets (a case explorer, a
self-assessment, a journal) and takes most of the time a notebook needs to
run. Grading needs only the cells that define names something else uses:
the setup cell the tests import their checks from, for example. This module
finds them from the cells' source (Python's ``ast``): starting from the
cells that must run, it adds every optional cell defining a name they use,
then the names those cells use, until nothing changes.

When a cell that must run cannot be analysed (IPython syntax, ``eval``,
``exec``, ``globals()`` and the like), every cell runs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

_DYNAMIC = {"eval", "exec", "globals", "locals", "vars", "get_ipython", "__import__", "__builtins__"}


@dataclass(frozen=True)
class Names:
    defined: frozenset[str]
    used: frozenset[str]
    star: bool          # "from x import *": defines names we cannot know
    dynamic: bool       # reaches names in ways the analysis cannot follow


def analyse(source: str) -> Names | None:
    """The names a cell defines and uses; None if it is not plain Python."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    defined: set[str] = set()
    used: set[str] = set()
    star = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, (ast.Store, ast.Del)) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    star = True
                else:
                    defined.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Global):
            defined.update(node.names)
    return Names(frozenset(defined), frozenset(used), star, bool(used & _DYNAMIC))


def needed(required: list[str], optional: list[str], given: frozenset[str] = frozenset()) -> set[int] | None:
    """Indexes into ``optional`` that the ``required`` cells need, or None for "run them all".

    ``given`` names are provided from elsewhere (the answers set in the test kernel).
    """
    wanted: set[str] = set()
    for source in required:
        names = analyse(source)
        if names is None or names.dynamic:
            return None
        wanted |= names.used
    wanted -= given
    analysed = [analyse(source) for source in optional]
    chosen: set[int] = set()
    changed = True
    while changed:
        changed = False
        for index, names in enumerate(analysed):
            if index in chosen:
                continue
            if names is None or names.star or names.defined & wanted:
                chosen.add(index)
                if names is not None:
                    wanted |= names.used
                changed = True
    return chosen
