"""Text that is safe to print on a teacher's terminal.

Student ids, folder names, file names and reasons can come from a student:
a folder called ``alice\\x1b]52;c;…\\x07`` would set the teacher's clipboard,
and one with a newline could fake a line of the report. :func:`safe` shows
every control character (C0, DEL, C1, and the Unicode line and bidi
controls) as a visible escape such as ``\\x1b`` or ``\\u202e``, and bytes
that are not UTF-8 (from :func:`os.fsdecode`) as ``\\xff``; printable text,
Swedish letters included, is unchanged.
"""

from __future__ import annotations

import unicodedata

__all__ = ["safe", "safe_lines", "is_clean"]


def _visible(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    if char == "\\":
        return False
    category = unicodedata.category(char)
    # Cc: C0/C1 controls and DEL; Cf: format controls (bidi overrides, zero-width);
    # Zl/Zp: line and paragraph separators; Cs: lone surrogates (undecodable bytes)
    return category in ("Cc", "Cf", "Zl", "Zp", "Cs")


def safe(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (never raw)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    text = str(text)
    if not any(_unsafe(c) for c in text):
        return text
    return "".join(c if not _unsafe(c) or (keep_newlines and c == "\n") else _visible(c) for c in text)


def safe_lines(text: object) -> str:
    """Like :func:`safe` but keeps line breaks (for multi-line logs the program wrote)."""
    return safe(text, keep_newlines=True)


def is_clean(text: str) -> bool:
    """True when ``text`` has no control characters at all (it prints as itself)."""
    return not any(_unsafe(c) for c in text)
