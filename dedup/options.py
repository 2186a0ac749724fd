"""Every tunable of the pipeline in one validated record, each with why it is there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# The input formats a page can be read as (``auto`` detects it from the content).
Format = Literal["text", "html", "alto", "hocr", "page"]
FORMATS: tuple[Format, ...] = ("text", "html", "alto", "hocr", "page")
# The PAGE XML text levels a page can be read from (``auto`` prefers region, then line, then word).
# Pages longer than this get no page CER from ``compare`` (an edit distance over
# two whole pages that differ a lot grows with the product of their lengths:
# some 0.3 s at this length, 2 s at 85,000 characters, where it took two thirds
# of the comparison; a newspaper page holds 5,000 to 20,000);
# ``dedup.cer`` counts it for any length when asked directly.
PAGE_CER_MAX_CHARS = 50_000
PAGE_LEVELS = ("auto", "region", "line", "word")
# How bytes a codec cannot decode are treated: fail the page, or one U+FFFD each.
DECODE_ERRORS = ("strict", "replace")


@dataclass(frozen=True)
class Options:
    """Every tunable of the pipeline, passed by keyword to each stage.

    Thresholds are shares in 0..1. ``shingle`` is the character n-gram size for
    CJK text (words are used for Latin text); ``num_perm`` and ``bands``
    shaped the MinHash/LSH index of earlier versions; candidates now come from
    sketches (``dedup.candidates``), which ignore them, and they stay so that
    the options recorded in ``scan.json`` and in archives keep their shape. ``compare_pairs`` makes a scan explain every pair
    it finds (alignment and typed edits), not only list it. ``input_format``
    is ``auto`` (detect each file's format from its content) or one of
    ``FORMATS`` to read every input as that format. ``page_level`` is the
    PAGE XML text level to read (``auto``, ``region``, ``line``, ``word``; see
    ``dedup.readers.page``). ``match_files`` (scans with sides only, see
    ``dedup.sides``): "" pairs any pages of two sides, ``name`` only pages of the
    same name, a regular expression only pages whose matches agree.
    ``decode_errors`` is ``strict`` (a page with a
    byte its codec cannot decode fails) or ``replace`` (each such byte reads
    as U+FFFD and the page gets a warning; see ``dedup.ingest.decode``).
    """

    encoding: str | None = None
    traditional: bool = False
    shingle: int = 4
    word_shingle: int = 3
    num_perm: int = 96
    bands: int = 32
    candidate_threshold: float = 0.1
    similarity_threshold: float = 0.6
    containment_threshold: float = 0.6
    min_chars: int = 80
    jobs: int = 1
    seed: int = 1
    compare_pairs: bool = True
    input_format: str = "auto"
    page_level: str = "auto"
    match_files: str = ""
    decode_errors: str = "strict"
    # where a scan cuts articles found to hold two stories: (path, page offset);
    # set by the scan itself for its second reading (``dedup.recut``)
    cuts: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        for name in (
            "candidate_threshold",
            "similarity_threshold",
            "containment_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in 0..1, got {value}")
        if not 2 <= self.shingle <= 12:
            raise ValueError(f"shingle must be in 2..12, got {self.shingle}")
        if not 1 <= self.word_shingle <= 8:
            raise ValueError(f"word_shingle must be in 1..8, got {self.word_shingle}")
        if self.num_perm < 16 or self.num_perm % self.bands:
            raise ValueError(
                f"num_perm must be >= 16 and a multiple of bands, got {self.num_perm}/{self.bands}"
            )
        if self.jobs < 1:
            raise ValueError(f"jobs must be >= 1, got {self.jobs}")
        if self.page_level not in PAGE_LEVELS:
            raise ValueError(f"page_level must be one of {', '.join(PAGE_LEVELS)}, got {self.page_level!r}")
        if self.decode_errors not in DECODE_ERRORS:
            raise ValueError(f"decode_errors must be one of {', '.join(DECODE_ERRORS)}, got {self.decode_errors!r}")
        if self.input_format != "auto" and self.input_format not in FORMATS:
            raise ValueError(
                f"input_format must be auto or one of {', '.join(FORMATS)}, got {self.input_format!r}"
            )
