"""Answers move from the student's kernel to the test kernel as plain data.

The student's kernel (which ran student code and may be subverted) is asked
for the values of the answer variables: the names the source notebook's
solution cells assign. It prints them as tagged JSON between two random
markers. The grader decodes that text strictly into numbers, strings,
booleans, ``None`` and lists, tuples, sets and dicts of those; anything else
counts as missing. The test kernel, which never runs student code, receives
the same JSON and rebuilds the values before each test cell. A subverted
kernel can therefore only claim values, which is no more than typing them.

The same markers carry a probe of IPython's input and AST transformers and
of the builtins, so the report can say when a notebook tampered with them.
"""

from __future__ import annotations

import ast
import json
import re
import secrets
from dataclasses import dataclass, field

from nbformat import NotebookNode

MAX_SNAPSHOT_BYTES = 1_000_000
TOO_LARGE = "too large to read"  # the reason an answer value could not be read
_MAX_DEPTH = 20
_NAME_LINE = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)", re.MULTILINE)

Missing = object()  # placeholder for "no readable value"


@dataclass
class Snapshot:
    """The answer values at one point of the notebook (name -> value)."""

    values: dict[str, object] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)  # name -> type that could not be read

    def to_json(self) -> str:
        return json.dumps({name: _tag(value) for name, value in self.values.items()})


def answer_names(cells: list[NotebookNode]) -> list[str]:
    """Names assigned at the top level of the code solution cells (the answer variables)."""
    names: list[str] = []
    for cell in cells:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not nbgrader.get("solution"):
            continue
        for name in _assigned(cell.get("source", "")):
            if name not in names:
                names.append(name)
    return names


def _assigned(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython syntax (magics): fall back to "name = ..." lines
        return _NAME_LINE.findall(source)
    found: list[str] = []

    def targets(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                targets(element)

    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                targets(target)
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets(statement.target)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(statement.name)
    return found


def new_marker() -> str:
    """A random marker the student's code cannot have guessed."""
    return "RK" + secrets.token_hex(16)


# Runs in the student's kernel. Everything it uses is looked up fresh, but a
# subverted kernel may still lie: the grader treats what comes back as claims.
_SNAPSHOT_CODE = r'''
def __rk_snapshot(names, marker, limit, TOO_LARGE):
    import builtins as _b, json as _j, sys as _s
    ns = get_ipython().user_ns
    def enc(v, depth=0):
        if depth > 20:
            raise ValueError("too deep")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return {"t": "float", "v": repr(float(v))}
        if isinstance(v, (list, tuple, set, frozenset)):
            kind = "tuple" if isinstance(v, tuple) else "set" if isinstance(v, (set, frozenset)) else "list"
            return {"t": kind, "v": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"t": "dict", "v": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        if type(v).__module__ == "numpy" and hasattr(v, "item"):
            return enc(v.item(), depth + 1)
        raise TypeError(type(v).__name__)
    out = {}
    for name in names:
        if name in ns:
            try:
                value = enc(ns[name])
            except Exception:
                out[name] = {"t": "unreadable", "v": type(ns[name]).__name__}
                continue
            try:  # an int of thousands of digits, or a huge list, cannot travel as data
                size = len(_j.dumps(value))
            except (ValueError, RecursionError):
                size = limit + 1
            out[name] = value if size <= limit else {"t": "unreadable", "v": TOO_LARGE}
    text = _j.dumps(out)
    if len(text) > limit:
        text = _j.dumps({n: {"t": "unreadable", "v": TOO_LARGE} for n in out})
    _s.stdout.write(marker + text + marker)
    _s.stdout.flush()
__rk_snapshot(%(names)r, %(marker)r, %(limit)d, %(too_large)r)
del __rk_snapshot
'''

_PROBE_CODE = r'''
def __rk_probe(marker):
    import builtins as _b, json as _j, sys as _s
    ip = get_ipython()
    def names(items):
        return [getattr(f, "__module__", "?") + "." + getattr(f, "__qualname__", type(f).__name__) for f in items]
    state = {
        "input_transformers_cleanup": names(ip.input_transformers_cleanup),
        "input_transformers_post": names(ip.input_transformers_post),
        "ast_transformers": names(ip.ast_transformers),
        "builtins": {k: str(id(v)) for k, v in vars(_b).items()},
    }
    _s.stdout.write(marker + _j.dumps(state) + marker)
    _s.stdout.flush()
__rk_probe(%(marker)r)
del __rk_probe
'''


def snapshot_code(names: list[str], marker: str) -> str:
    return _SNAPSHOT_CODE % {"names": names, "marker": marker, "limit": MAX_SNAPSHOT_BYTES, "too_large": TOO_LARGE}


def probe_code(marker: str) -> str:
    return _PROBE_CODE % {"marker": marker}


def between_markers(text: str, marker: str) -> str | None:
    """The text between the last pair of markers, or None."""
    end = text.rfind(marker)
    if end < 0:
        return None
    start = text.rfind(marker, 0, end)
    if start < 0:
        return None
    return text[start + len(marker):end]


class BadSnapshot(ValueError):
    """The student's kernel answered with something that is not a snapshot."""


def decode_snapshot(text: str, names: list[str]) -> Snapshot:
    """Decode the student kernel's JSON strictly; unknown names are dropped."""
    if len(text) > MAX_SNAPSHOT_BYTES + 1000:
        raise BadSnapshot("answer data too large")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise BadSnapshot(f"answer data is not JSON: {error}") from None
    if not isinstance(raw, dict):
        raise BadSnapshot("answer data is not an object")
    snapshot = Snapshot()
    for name in names:
        if name not in raw:
            continue
        try:
            snapshot.values[name] = _untag(raw[name], 0)
        except _Unreadable as why:
            snapshot.unreadable[name] = str(why)
        except (TypeError, ValueError, KeyError, RecursionError):
            snapshot.unreadable[name] = "malformed"
    return snapshot


class _Unreadable(Exception):
    pass


def _untag(item: object, depth: int) -> object:
    if depth > _MAX_DEPTH:
        raise ValueError("too deep")
    if item is None or isinstance(item, (bool, str, int)):
        return item
    if not isinstance(item, dict) or set(item) != {"t", "v"}:
        raise ValueError("not a tagged value")
    kind, value = item["t"], item["v"]
    if kind == "unreadable":
        raise _Unreadable(str(value)[:60])
    if kind == "float":
        return float(value)
    if kind in ("list", "tuple", "set"):
        if not isinstance(value, list):
            raise ValueError("not a list")
        elements = [_untag(x, depth + 1) for x in value]
        return {"list": list, "tuple": tuple, "set": _frozen_set}[kind](elements)
    if kind == "dict":
        if not isinstance(value, list):
            raise ValueError("not a list")
        return {_hashable(_untag(k, depth + 1)): _untag(x, depth + 1) for k, x in value}
    raise ValueError(f"unknown tag {kind!r}")


def _frozen_set(elements: list) -> set:
    return {_hashable(e) for e in elements}


def _hashable(value: object) -> object:
    hash(value)  # raises TypeError for lists and dicts as keys
    return value


def _tag(value: object) -> object:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [_tag(x) for x in value]}
    if isinstance(value, (set, frozenset)):
        return {"t": "set", "v": [_tag(x) for x in value]}
    if isinstance(value, list):
        return {"t": "list", "v": [_tag(x) for x in value]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[_tag(k), _tag(x)] for k, x in value.items()]}
    raise TypeError(type(value).__name__)


# Runs in the test kernel (pristine code only): rebuild the claimed values.
_INJECT_CODE = r'''
def __rk_inject(text, names):
    import json as _j
    def dec(item):
        if item is None or isinstance(item, (bool, str, int)):
            return item
        kind, value = item["t"], item["v"]
        if kind == "float":
            return float(value)
        if kind == "list":
            return [dec(x) for x in value]
        if kind == "tuple":
            return tuple(dec(x) for x in value)
        if kind == "set":
            return {dec(x) for x in value}
        if kind == "dict":
            return {dec(k): dec(x) for k, x in value}
        raise ValueError(kind)
    ns = get_ipython().user_ns
    values = _j.loads(text)
    for name in names:
        if name in values:
            ns[name] = dec(values[name])
        else:
            ns.pop(name, None)
__rk_inject(%(text)r, %(names)r)
del __rk_inject
'''


def inject_code(snapshot: Snapshot, names: list[str]) -> str:
    """Code for the test kernel that sets exactly the snapshot's answer variables."""
    return _INJECT_CODE % {"text": snapshot.to_json(), "names": names}


def tampering(before: dict, after: dict) -> list[str]:
    """Describe how the student's kernel changed IPython's transformers or the builtins."""
    found = []
    for key, label in (("input_transformers_cleanup", "IPython input transformers"),
                       ("input_transformers_post", "IPython input transformers"),
                       ("ast_transformers", "IPython AST transformers")):
        if before.get(key) != after.get(key) and label not in found:
            found.append(label)
    old, new = before.get("builtins", {}), after.get("builtins", {})
    if isinstance(old, dict) and isinstance(new, dict):
        changed = sorted(name for name, ident in old.items()
                         if new.get(name) != ident and not name.startswith("_") and name not in _KERNEL_SWAPS)
        if changed:
            shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
            found.append(f"builtins replaced ({shown})")
    return found


# builtins ipykernel itself replaces for every execution (to forward input())
_KERNEL_SWAPS = {"input", "raw_input", "getpass"}


def decode_probe(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
