"""The scan's progress display: one clean line per stage, only on a terminal (or with --verbose)."""

from __future__ import annotations

import io

from dedup.cli.common import Progress


class Tty(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def _run(stream: Tty, **kw: bool) -> str:
    t = [0.0]
    p = Progress(kw.get("enabled", True), kw.get("verbose", False), stream, clock=lambda: t[0])
    for done in range(0, 476244, 1000):
        t[0] = done / 10000
        p("reading", done, 476243)
    p("reading", 476243, 476243)
    t[0] += 1.0
    p("verifying", 0, 77)
    t[0] += 2.0
    p("verifying", 77, 77)
    p.close()
    return stream.getvalue()


def test_terminal_gets_one_finished_line_per_stage_erased_to_its_end() -> None:
    out = _run(Tty(True))
    lines = out.split("\n")
    assert len(lines) == 3 and lines[2] == ""
    finished = [line.rsplit("\r", 1)[-1] for line in lines[:2]]
    assert finished[0].startswith("reading    [####################] 476243/476243")
    assert finished[1].startswith("verifying  [####################] 77/77") and "0:02" in finished[1]
    assert all(seg.endswith("\x1b[K") for line in lines[:2] for seg in line.split("\r")[1:])
    assert "ETA" in out and "/s" in out


def test_not_a_terminal_prints_nothing_unless_verbose() -> None:
    assert _run(Tty(False)) == ""
    assert _run(Tty(True), enabled=False) == ""
    log = _run(Tty(False), verbose=True)
    assert log.count("\n") == 2 and "\r" not in log and "\x1b" not in log
    assert log.splitlines()[0].startswith("reading") and log.splitlines()[1].startswith("verifying")
