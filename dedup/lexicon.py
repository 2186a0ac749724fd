"""Dictionary words around a changed character: lexical evidence of a misreading.

An editor who replaces a character writes another word (民意 → 民声, 建言 →
进言); a recognition error usually leaves a string that is no word at all
(论道 → 训道).  So when one side of a single-character substitution forms a
dictionary word with its neighbours and the other side forms none, the change
looks like a misreading rather than an edit.  This is only *supporting*
evidence: ``dedup.diff`` asks for it together with some visual likeness, never
alone.

The dictionary is jieba's (``jieba/dict.txt``, about 350,000 words with their
corpus frequencies), a maintained general-purpose Chinese lexicon.  Only the
file is read: jieba itself is never imported, so nothing is printed, no cache
file is written and no jieba warning can fire.  It is loaded on first use and
kept (about 0.5 s, some 30 MB).

Example:
    >>> broken_word(("干而", "道、"), "论", ("干而", "道、"), "训")
    ('论道', '训道', 'a')
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

__all__ = [
    "MAX_WORD",
    "broken_word",
    "dictionary_path",
    "is_word",
    "rival_words",
    "words",
    "words_through",
]

#: Longest dictionary word looked for around a changed character; the context
#: a caller passes needs ``MAX_WORD - 1`` characters on each side.
MAX_WORD = 4
_MIN_WORD = 2


def dictionary_path() -> Path:
    """Where jieba's dictionary file is, found without importing jieba.

    Raises:
        RuntimeError: jieba is not installed (it is a dependency of dedup).
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the jieba package (its dictionary) is needed: pip install jieba")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


@functools.cache
def words() -> frozenset[str]:
    """Every dictionary word of 2 to ``MAX_WORD`` characters (read once, then cached)."""
    found: set[str] = set()
    with dictionary_path().open(encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0].strip()
            if _MIN_WORD <= len(word) <= MAX_WORD:
                found.add(word)
    return frozenset(found)


def is_word(s: str) -> bool:
    """Whether ``s`` is a dictionary word of 2 to ``MAX_WORD`` characters."""
    return s in words()


def words_through(before: str, char: str, after: str) -> list[tuple[int, str]]:
    """Dictionary words of ``before + char + after`` that contain ``char``.

    Args:
        before: Text just before the character (its last characters count).
        char: The character (one or more characters: they stay together).
        after: Text just after it.

    Returns:
        ``(start, word)`` pairs, ``start`` relative to ``char`` (-1: the word
        begins one character before it), longest words first, then the ones
        starting at or after the character, so the first is the best witness.
    """
    found: list[tuple[int, str]] = []
    for left in range(min(len(before), MAX_WORD - 1) + 1):
        for right in range(min(len(after), MAX_WORD - 1) + 1):
            word = before[len(before) - left :] + char + after[:right]
            if len(word) >= _MIN_WORD and is_word(word):
                found.append((-left, word))
    found.sort(key=lambda sw: (-len(sw[1]), -sw[0], sw[1]))
    return found


def broken_word(
    context_a: tuple[str, str], char_a: str, context_b: tuple[str, str], char_b: str
) -> tuple[str, str, str] | None:
    """Whether a substitution turns a dictionary word into a non-word.

    Args:
        context_a: Text before and after the changed character in A.
        char_a: A's character.
        context_b: Text before and after it in B.
        char_b: B's character.

    Returns:
        ``(word, non_word, side)`` when exactly one side forms a dictionary
        word through its character: ``word`` is that side's best word,
        ``non_word`` the same stretch of the other side, ``side`` ``"a"`` or
        ``"b"`` (which side holds the word).  None when both sides form words
        (an editor's choice of word) or neither does (no evidence).
    """
    found_a = words_through(context_a[0], char_a, context_a[1])
    found_b = words_through(context_b[0], char_b, context_b[1])
    if bool(found_a) == bool(found_b):
        return None
    side = "a" if found_a else "b"
    start, word = (found_a or found_b)[0]
    before, char, after = (context_b[0], char_b, context_b[1]) if found_a else (
        context_a[0], char_a, context_a[1]
    )
    left, right = -start, len(word) + start - 1
    return word, before[len(before) - left :] + char + after[:right], side


def rival_words(
    context_a: tuple[str, str], char_a: str, context_b: tuple[str, str], char_b: str
) -> tuple[str, str] | None:
    """Both sides' best dictionary words through the changed character, if both form one.

    Two words in the same place (讲话/说话) are what an editor's choice of word
    looks like; ``dedup.diff`` then wants a close likeness before calling
    the change a misreading.

    Returns:
        ``(word_a, word_b)``, or None when either side forms no word.
    """
    found_a = words_through(context_a[0], char_a, context_a[1])
    found_b = words_through(context_b[0], char_b, context_b[1])
    if not found_a or not found_b:
        return None
    return found_a[0][1], found_b[0][1]
