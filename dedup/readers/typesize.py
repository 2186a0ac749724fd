"""Type sizes on an OCR page: the body size, headings set larger, drop caps.

Sizes come from word boxes where the format has them (``type_size``), so a
speck or a column rule read as a tall word does not make a body line look
like a heading.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dedup.readers.ocrpage import OcrBlock, OcrLine, chars
from dedup.text import is_cjk

SIZE_CHANGE = 1.3  # a type this many times another is a different size
HEADING_LINES = 4  # a paragraph of more lines is body text, whatever its size


def median(values: list[int]) -> int | None:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else None



def type_size(line: OcrLine) -> int | None:
    """The height of a line's type: the height most of its words' characters have.

    Word boxes, not the line's box: one tall speck or column rule read as a
    word (``I`` at the margin) stretches the line's box, not its type.
    """
    if line.size is not None:
        return line.size
    sized = sorted((w.origin.bbox[3] - w.origin.bbox[1], len(w.text)) for w in line.words if w.origin.bbox is not None)
    total = sum(n for _h, n in sized)
    if not sized or 2 * sum(len(w.text) for w in line.words if w.origin.bbox is None) > total:
        return None if line.bbox is None else max(line.bbox[3] - line.bbox[1], 1)
    seen = 0
    for height, n in sized:
        seen += n
        if 2 * seen >= total:
            return max(height, 1)
    return max(sized[-1][0], 1)



def body_height(lines: list[OcrLine]) -> int | None:
    """The page's body type size: the line height that most of its characters are set in."""
    sized = sorted((h, len(chars(line).strip())) for line in lines if (h := type_size(line)) is not None)
    total = sum(n for _h, n in sized)
    seen = 0
    for height, n in sized:
        seen += n
        if 2 * seen >= total and total:
            return max(height, 1)
    return None


def _drop_cap(cap: list[OcrLine], lines: list[OcrLine], body: int | None) -> bool:
    """Is ``cap`` (a block of one line) a drop cap printed into the start of ``lines``?

    A drop cap is one or two letters, set taller than the body, with the
    paragraph's first line beginning at its right and beside it.
    """
    if len(cap) != 1 or not lines or body is None:
        return False
    b, first = cap[0].bbox, lines[0].bbox
    text = chars(cap[0]).strip()
    if b is None or first is None or not (0 < len(text) <= 2 and text.isalpha()):
        return False
    return (type_size(cap[0]) or 0) >= SIZE_CHANGE * body and first[0] >= b[2] - (b[2] - b[0]) // 2 and first[1] < b[3]


def _with_cap(cap: OcrLine, lines: list[OcrLine]) -> list[OcrLine]:
    """``lines`` with the drop cap joined to the first word; that line keeps the body's height.

    The first line's box (and its words') grew by the cap beside it; the line
    below gives the height its type really has.
    """
    first = lines[0]
    words = tuple(replace(w, joins_next=True) for w in cap.words) + first.words
    box = first.bbox
    below = type_size(lines[1]) if len(lines) > 1 else None
    if box is not None and below is not None:
        box = (box[0], max(box[1], box[3] - below), box[2], box[3])
    return [OcrLine(words, box, first.hyphen, below), *lines[1:]]


def kept_blocks(blocks: tuple[OcrBlock, ...]) -> list[list[OcrLine]]:
    """The blocks' lines with text, a drop cap's block joined to the block it begins."""
    kept = [[line for line in block.lines if chars(line).strip()] for block in blocks]
    kept = [lines for lines in kept if lines]
    body = body_height([line for lines in kept for line in lines])
    out: list[list[OcrLine]] = []
    k = 0
    while k < len(kept):
        if k + 1 < len(kept) and _drop_cap(kept[k], kept[k + 1], body):
            out.append(_with_cap(kept[k][0], kept[k + 1]))
            k += 2
            continue
        out.append(kept[k])
        k += 1
    return out


def _height(lines: list[OcrLine]) -> int | None:
    return median([h for line in lines if (h := type_size(line)) is not None])


def _heading_like(para: list[OcrLine]) -> bool:
    """Short enough for a heading and made of words: not body lines, not margin noise (``1111``)."""
    text = " ".join(w.text for line in para for w in line.words)
    letters = sum(1 for c in text if c.isalpha())
    # A word of three letters at least; CJK engines box each character alone.
    word = re.search(r"[^\W\d_]{3}", text) is not None or sum(1 for c in text if is_cjk(c) and c.isalpha()) >= 3
    return len(para) <= HEADING_LINES and word and 2 * letters >= len("".join(text.split()))


def heading_levels(paras: list[list[OcrLine]]) -> list[int]:
    """Markdown heading level of each paragraph: 1 or 2 when set larger than the body, else 0.

    The body size is the line height most of the page's characters are set
    in (``body_height``), not the median line, so a page of many short
    heading lines still has its body's size. A paragraph whose lines are
    ``SIZE_CHANGE`` times that is a heading when it looks like one (at most
    ``HEADING_LINES`` lines, mostly letters): level 1 when it is about as
    large as the page's largest, level 2 when smaller.
    """
    body = body_height([line for para in paras for line in para])
    sizes = [_height(para) if _heading_like(para) else None for para in paras]
    if body is None:
        return [0] * len(paras)
    big = [h for h in sizes if h is not None and h >= SIZE_CHANGE * body]
    top = max(big, default=0)
    return [
        0 if h is None or h < SIZE_CHANGE * body else 1 if h >= 0.9 * top else 2 for h in sizes
    ]

