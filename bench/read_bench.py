"""Reading speed of real OCR pages: the largest file of ``../shared/ocr-real`` and its growth.

Why: reading is streaming; a page must read in well under a second (target:
the 1.4 MB NDNP ALTO page under 1 s). Prints the best and median of
``--repeat`` reads of every OCR file, largest first, with MB/s, and as a
baseline in the same run the time to parse the same bytes with lxml alone
(the floor any reader pays).

    python bench/read_bench.py --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.ingest import read  # noqa: E402

SHARED = ROOT.parent / "shared" / "ocr-real"


def _times(fn: object, path: Path, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=SHARED)
    args = parser.parse_args()
    from lxml import etree

    files = sorted(
        (p for p in args.folder.rglob("*") if p.suffix in (".xml", ".hocr")),
        key=lambda p: -p.stat().st_size,
    )
    print(f"{'file':<44} {'KB':>7} {'best s':>7} {'median':>7} {'MB/s':>6} {'lxml s':>7} {'×lxml':>6}")
    for path in files:
        mine = _times(read, path, args.repeat)
        floor = _times(lambda p: etree.parse(str(p)), path, args.repeat)
        size = path.stat().st_size
        print(
            f"{path.name:<44} {size / 1024:7.0f} {min(mine):7.3f} {statistics.median(mine):7.3f} "
            f"{size / 1e6 / min(mine):6.1f} {min(floor):7.3f} {min(mine) / min(floor):6.1f}"
        )


if __name__ == "__main__":
    main()
