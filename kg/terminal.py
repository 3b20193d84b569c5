"""Text safe for a terminal: control characters from data shown, never acted on.

Light on purpose (no rdflib): the command group escapes every error line with it.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What a terminal would act on rather than show: C0 and C1 controls, DEL, line and paragraph
separators, bidirectional embeddings, overrides and isolates; and lone surrogates."""


def printable(text: str) -> str:
    r"""``text`` safe to print: a line break becomes a space, other control characters a visible
    escape (``\x1b``, ``\u202e``), a lone surrogate U+FFFD.

    >>> printable("Red\x1b]0;owned\x07 Hand\nArmy\r")
    'Red\\x1b]0;owned\\x07 Hand Army\\x0d'
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char == "\n":
        return " "
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
