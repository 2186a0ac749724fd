"""Dictionary words around a changed character: lexical evidence of a misreading.

An editor who replaces a character writes another word (民意 → 民声, 建言 →
进言); a recognition error usually leaves a string that is no word at all
(论道 → 训道).  So when one side of a single-character substitution forms a
dictionary word with its neighbours and the other side forms none, the change
looks like a misreading rather than an edit.  This is only *supporting*
evidence: ``dedup.classify`` asks for it together with some visual likeness,
never alone.

The words are those of 2 to ``MAX_WORD`` characters from jieba's dictionary
(``jieba/dict.txt`` of jieba 0.42.1, MIT License, Copyright (c) 2013 Sun
Junyi), a general-purpose Chinese lexicon of about 350,000 words.  They are
shipped as package data, ``dedup/data/words.txt`` (330,415 words, about 3 MB,
built by ``tools/build_wordlist.py``, whose header holds the source and the
licence), so dedup does not depend on jieba.  The list is sorted; a question
is answered by bisection over the file's bytes (``dedup.sortedlines``, read
once: 2 ms), and only after ``_SET_AFTER`` questions, when a long pair or a
scan asks many, is the whole list built into a set (some 0.1 to 0.3 s, some 30 MB),
so that one ``dedup compare`` does not pay for it.

Example:
    >>> broken_word(("干而", "道、"), "论", ("干而", "道、"), "训")
    ('论道', '训道', 'a')
"""

from __future__ import annotations

import functools
from collections.abc import Set as AbstractSet

from dedup.sortedlines import SortedLines, package_data

__all__ = [
    "MAX_WORD",
    "MIN_WORD",
    "broken_word",
    "common_words",
    "is_common",
    "is_word",
    "rival_words",
    "words",
    "words_through",
]

#: Longest dictionary word looked for around a changed character; the context
#: a caller passes needs ``MAX_WORD - 1`` characters on each side.
MAX_WORD = 4
#: Shortest word looked for: one character is no evidence.
MIN_WORD = 2

_RESOURCE = "words.txt"  # in dedup/data
# Questions answered by bisection (some 10 to 30 µs each) before the whole list
# is built into a set (0.1 to 0.3 s): one page pair asks a few hundred.
_SET_AFTER = 2_000
_SLICE = 1 << 18  # bytes of the list split and added to the set at a time (``words``)
_asked = [0]  # questions answered by bisection so far
_built: list[AbstractSet[str]] = []  # the set, once built: then every question is one lookup


def _data() -> bytes:
    return package_data(_RESOURCE)


@functools.cache
def _sorted() -> SortedLines:
    """The raw sorted list, for bisection (read once, then cached)."""
    return SortedLines(_data())


@functools.cache
def words() -> AbstractSet[str]:
    """Every dictionary word of ``MIN_WORD`` to ``MAX_WORD`` characters (read once, then cached).

    The shipped list holds only such words, one a line, after header lines
    that start with ``#``. It is built a slice of ``_SLICE`` bytes at a time:
    a split and a set update in C take a few milliseconds per slice, where
    the whole list in one call holds the interpreter for 0.1 s or more, and
    other threads of the process (those that hand a process pool its tasks
    and take its results) would wait that long.
    """
    data = _data()
    found: set[str] = set()
    head: list[str] = []
    at = 0
    while at < len(data):
        end = data.find(b"\n", min(at + _SLICE, len(data)))
        end = len(data) if end < 0 else end + 1
        lines = data[at:end].decode("utf-8").split("\n")
        head += lines[: max(0, 64 - len(head))]  # the header is within the first 64 lines
        found.update(lines)
        at = end
    found.difference_update([line for line in head if line.startswith("#")], [""])
    return found


def is_word(s: str) -> bool:
    """Whether ``s`` is a dictionary word of ``MIN_WORD`` to ``MAX_WORD`` characters."""
    if _built:
        return s in _built[0]  # the set holds only words of MIN_WORD to MAX_WORD characters
    if not MIN_WORD <= len(s) <= MAX_WORD:
        return False
    if words.cache_info().currsize or _asked[0] >= _SET_AFTER:
        _built.append(words())
        return s in _built[0]
    _asked[0] += 1
    return _sorted().contains(s.encode("utf-8"))


@functools.cache
def common_words() -> frozenset[str]:
    """The most frequent dictionary words (``dedup/data/common_words.txt``, read once).

    The words jieba counts most often, from the top down until they make 60%
    of all its word occurrences (some 3,300; ``tools/build_wordlist.py``).
    """
    lines = package_data("common_words.txt").decode("utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common(s: str) -> bool:
    """Whether ``s`` is one of the most frequent dictionary words (通过, 推动, 提高).

    An editor who swaps a word mostly writes another common word; a
    misreading that leaves a word at all mostly leaves a rare one (营建, 曲牌).

    >>> is_common("推动"), is_common("曲牌")
    (True, False)
    """
    return s in common_words()


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
            if len(word) >= MIN_WORD and is_word(word):
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
    looks like; ``dedup.classify`` then wants a close likeness before calling
    the change a misreading.

    Returns:
        ``(word_a, word_b)``, or None when either side forms no word.
    """
    found_a = words_through(context_a[0], char_a, context_a[1])
    found_b = words_through(context_b[0], char_b, context_b[1])
    if not found_a or not found_b:
        return None
    return found_a[0][1], found_b[0][1]
