"""Text safe for a terminal: control characters from data shown, never acted on.

Light on purpose (no rdflib): the command group escapes every error line with it.
"""

from __future__ import annotations

import re

FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Unicode's format characters (category Cf, as of Unicode 15), as a regular expression class: bidi
marks, embeddings, overrides and isolates, zero-width spaces and joiners, the soft hyphen, the BOM..."""
_UNPRINTABLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{FORMAT}]")
"""What a terminal would act on or hide rather than show: C0 and C1 controls, DEL, line and paragraph
separators, format characters (:data:`FORMAT`); and lone surrogates."""


def printable(text: str) -> str:
    r"""``text`` safe to print: a line break becomes a space, other control and format characters a
    visible escape (``\x1b``, ``\u202e``, ``\u200b``), a lone surrogate U+FFFD.

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
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
