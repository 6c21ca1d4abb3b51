"""The dedup key of a paper title.

The same paper reaches the library from several dumps, copied by different
browsers and editors: full-width or ligature characters, other case, curly or
straight quotes, a dash for a colon, doubled spaces. The key ignores all of
that and keeps the words.
"""

from __future__ import annotations

import re
import unicodedata

# Anything that is not a letter or a digit (punctuation, symbols, white space,
# the underscore) separates words; a run of separators is one.
_SEPARATORS = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The key under which two titles count as the same paper.

    Args:
        title: a title as found in a dump.

    Returns:
        The title NFKC-normalised and case-folded, with every run of
        punctuation, symbols and white space turned into one space, stripped.
        E.g. "Transformer-XL:  Attentive" -> "transformer xl attentive".
    """
    # Case folding can leave text that is no longer NFKC (and back): normalise
    # on both sides so that the key of a key is the key itself.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", title).casefold())
    return _SEPARATORS.sub(" ", folded).strip()
