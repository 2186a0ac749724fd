"""A batch never loses data: every bad input is one line, every output set is written atomically.

One test per case of the reliability table in ``docs/errors.md``: a folder of
the sample pages (a clean scan finds 2 pairs) plus one bad input or
situation each. Then a property test feeding random bytes, encodings and file
names through ``split`` and ``scan``, and runs killed (SIGINT, SIGKILL) while
they write, which must leave the previous output set or the new one, whole.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import gc
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dedup.discover
import dedup.outputs
from dedup.cli import cli
from dedup.engines.local import LocalExecutor
from dedup.errors import DedupError
from dedup.ingest import decode
from dedup.model import Document, Options
from dedup.pipeline import scan as run_scan
from dedup.report.json import scan_json
from dedup.segment import split
from tests.conftest import ROOT, SAMPLES, sample

CLEAN_PAIRS = 2


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def pages(tmp_path: Path) -> Path:
    """A folder of the five sample pages."""
    folder = tmp_path / "in"
    folder.mkdir()
    for page in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(page, folder / page.name)
    return folder


def scanned(out: Path) -> dict[str, object]:
    return json.loads((out / "scan.json").read_bytes().decode("utf-8"))


def one_line_each(err: str) -> list[str]:
    """The stderr lines, each of which must be one Error:/Warning: line."""
    lines = err.splitlines()
    assert all(line.startswith(("Error: ", "Warning: ")) for line in lines), lines
    return lines


def test_non_utf8_file_name_is_recorded_escaped_and_outputs_stay_utf8(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(odd, "wb") as f:
        f.write(b"A short English note about nothing in particular.\n")
    out = tmp_path / "out"
    code, _, err = run("scan", str(folder), "--out", str(out), "-q")
    assert code == 0, err
    data = scanned(out)
    assert "caf\\xe9.txt" in [d["path"] for d in data["documents"]]  # type: ignore[index]
    assert len(data["pairs"]) == CLEAN_PAIRS  # type: ignore[arg-type]
    result = CliRunner().invoke(cli, ["split", "--format", "json", str(folder)])
    assert result.exit_code == 0
    paths = [d["path"] for d in json.loads(result.stdout_bytes.decode("utf-8"))["documents"]]
    assert "caf\\xe9.txt" in paths


def test_newline_in_a_failing_name_stays_one_line(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    (folder / "bad\nError: fake.txt").write_bytes(b"\x00\x01\x02binary")
    code, _, err = run("split", str(folder))
    assert code == 1
    assert one_line_each(err) == ["Error: bad\\nError: fake.txt: binary file (NUL byte at offset 0)"]


def test_a_tree_1200_levels_deep_is_walked() -> None:
    # outside pytest's temporary folders: their recursive clean-up stops at such a depth
    base = Path(tempfile.mkdtemp(prefix="dedup-deep-"))
    deep = base
    try:
        for _ in range(1200):
            deep = deep / "d"
            deep.mkdir()
        shutil.copy(sample("000"), deep / "deep.txt")
        code, out, err = run("split", str(base))
    finally:  # bottom up
        (deep / "deep.txt").unlink(missing_ok=True)
        while deep != base:
            deep.rmdir()
            deep = deep.parent
        base.rmdir()
    assert code == 0, err
    assert f"{'d/' * 1200}deep.txt (utf-8, 7 articles)" in out


def test_symlinked_folder_is_scanned_and_a_loop_is_one_warning(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    real = tmp_path / "real"
    real.mkdir()
    shutil.move(str(folder / sample("001").name), real / "page.txt")
    (folder / "linked").symlink_to(real, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    out = tmp_path / "out"
    code, _, err = run("scan", str(folder), "--out", str(out), "-q")
    assert code == 0, err
    assert one_line_each(err) == ["Warning: loop: folder already read as . (symbolic link), skipped"]
    data = scanned(out)
    assert "linked/page.txt" in [d["path"] for d in data["documents"]]  # type: ignore[index]
    assert len(data["pairs"]) == CLEAN_PAIRS  # type: ignore[arg-type]


def test_unreadable_subfolder_is_an_error_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = pages(tmp_path)
    locked = folder / "locked"
    locked.mkdir()
    shutil.copy(sample("000"), locked / "x.txt")
    locked.chmod(0)
    if os.geteuid() == 0:  # permissions do not stop root: refuse the listing as the OS would
        real_scandir = os.scandir

        def scandir(path: object) -> object:
            if Path(str(path)) == locked:
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(dedup.discover.os, "scandir", scandir)
    try:
        out = tmp_path / "out"
        code, _, err = run("scan", str(folder), "--out", str(out), "-q")
    finally:
        locked.chmod(0o755)
    assert code == 1
    assert one_line_each(err) == ["Error: locked: cannot read folder: Permission denied"]
    data = scanned(out)
    assert data["failures"] == [{"path": "locked", "error": "cannot read folder: Permission denied"}]
    assert len(data["pairs"]) == CLEAN_PAIRS  # type: ignore[arg-type]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_detected(tmp_path: Path, codec: str) -> None:
    text = sample("000").read_text(encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_bytes(text.encode(codec))
    code, out, err = run("split", str(page))
    assert code == 0, err
    assert out.splitlines()[0].endswith(f"({codec}, 7 articles)")


def test_one_bad_byte_fails_strict_and_reads_with_replace(tmp_path: Path) -> None:
    text = sample("001").read_text(encoding="utf-8")[:5000]
    data = bytearray(text.encode("utf-8"))
    at = len(text[:2000].encode("utf-8"))  # the first byte of a character
    width = len(text[2000].encode("utf-8"))
    data[at] = 0xFF
    page = tmp_path / "page.txt"
    page.write_bytes(bytes(data))
    code, _, err = run("split", str(page))
    assert code == 1 and one_line_each(err)[0].startswith(f"Error: {page}: cannot detect the text encoding")
    code, _, err = run("split", "--decode-errors", "replace", "--format", "json", str(page))
    assert code == 0
    assert one_line_each(err) == [f"Warning: {page}: {width} undecodable bytes replaced by U+FFFD"]
    doc = decode(bytes(data), "p.txt", errors="replace")
    assert doc.replaced == width and doc.text.count("\ufffd") == width
    # offsets stay exact: every character after the bad one is where it was, shifted by the bytes
    assert doc.text[2000 + width :] == text[2001:]
    assert doc.text[:2000] == text[:2000]


def _split_seconds(text: str) -> float:
    """Seconds to split ``text``, the cyclic garbage collector off (its passes grow with the heap)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        split(Document("big.txt", text, "utf-8"))
        return time.perf_counter() - start
    finally:
        gc.enable()


def test_splitting_is_linear_in_the_size_of_one_big_file() -> None:
    unit = "".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    small = unit * max(1, 1_500_000 // len(unit))
    big = small * 4
    articles = split(Document("big.txt", big, "utf-8"))
    naive = big[: articles[-1].start]
    assert articles[-1].first_line == naive.count("\n") + naive.count("\r") - naive.count("\r\n") + 1
    ratio = min(_split_seconds(big) for _ in range(3)) / min(_split_seconds(small) for _ in range(3))
    assert ratio < 7, f"4x the text took {ratio:.1f}x the time (linear: 4, quadratic: 16)"


_PEAK = r"""
import resource, sys
from dedup.engines.local import scan
from dedup.model import Options
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = scan([sys.argv[1]], Options(jobs=1))
assert result.articles == 1, result.articles
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_one_very_long_line_needs_at_most_ten_times_the_file(tmp_path: Path) -> None:
    body = "".join(
        line
        for p in sorted(SAMPLES.glob("*.txt"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "本报"))
    )
    data = (body * (4_000_000 // len(body.encode("utf-8")) + 1)).encode("utf-8")
    page = tmp_path / "line.txt"
    page.write_bytes(data)
    # the imports are loaded before measuring; the scan's growth is what counts
    done = subprocess.run(
        [sys.executable, "-c", "import dedup.engines.local, dedup.pages\n" + _PEAK, str(page)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    base, peak = (int(x) * 1024 for x in done.stdout.split())
    assert peak - base <= 10 * len(data), f"{(peak - base) / len(data):.1f}x the file"


def test_out_that_cannot_be_used_fails_before_any_work(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker / "out", blocker, Path("/proc/dedup-out")):
        code, _, err = run("scan", str(folder), "--out", str(out))
        assert code == 2, (out, err)
        assert "--out" in err and "articles" not in err and "Traceback" not in err
    assert not Path("/proc/dedup-out").exists()


def test_disk_full_keeps_the_previous_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = pages(tmp_path)
    out = tmp_path / "out"
    assert run("scan", str(folder), "--out", str(out), "-q")[0] == 0
    before = _digest(out)
    calls = []

    def full(path: object, mode: str = "r") -> object:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return open(path, mode)  # type: ignore[call-overload]

    monkeypatch.setattr(dedup.outputs, "open", full, raising=False)
    code, _, err = run("scan", str(folder), "--out", str(out), "-q")
    assert code == 1
    assert one_line_each(err) == [f"Error: {out}: cannot write edits.jsonl: No space left on device"]
    assert _digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_stale_reports_of_a_reused_folder_are_removed(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert run("scan", str(folder), "--out", str(out), "-q")[0] == 0
    assert len(list((out / "pairs").iterdir())) == CLEAN_PAIRS
    for page in (sample("000"), sample("001")):
        (folder / page.name).unlink()  # fewer pages: fewer pairs
    assert run("scan", str(folder), "--out", str(out), "-q")[0] == 0
    assert run("scan", str(folder), "--out", str(fresh), "-q")[0] == 0
    assert _digest(out) == _digest(fresh)
    assert not (out / "pairs").exists()  # no pair left: no stale report either


def test_out_inside_an_input_is_refused(tmp_path: Path) -> None:
    folder = pages(tmp_path)
    for _ in range(2):
        code, _, err = run("scan", str(folder), "--out", str(folder / "reports"))
        assert code == 2 and "is inside the input" in err
    assert not (folder / "reports").exists()
    code, _, err = run("scan", str(folder), "--out", str(tmp_path))
    assert code == 2 and "holds the input" in err


def test_jsonl_corpus_with_the_local_engine(tmp_path: Path) -> None:
    corpus = tmp_path / "pages.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for page in sorted(SAMPLES.glob("*.txt")):
            f.write(json.dumps({"path": page.name, "text": page.read_text(encoding="utf-8")}) + "\n")
    out, direct = tmp_path / "out", tmp_path / "direct"
    code, _, err = run("scan", str(corpus), "--out", str(out))
    assert code == 0 and "20 articles in 5 files: 2 pairs" in err
    assert run("scan", str(SAMPLES), "--out", str(direct), "-q")[0] == 0
    assert scanned(out)["pairs"] == scanned(direct)["pairs"]


def test_nonexistent_input_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "d"
    code, _, err = run("scan", str(tmp_path / "nonexistent"), "--out", str(out))
    assert code == 1
    assert err.splitlines()[0] == f"Error: {(tmp_path / 'nonexistent').as_posix()}: no such file"
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_internal_error_is_exit_3_with_the_traceback_only_under_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dedup.cli.split as split_cli

    def broken(doc: Document) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(split_cli, "split", broken)
    code, _, err = run("split", str(sample("000")))
    assert code == 3 and err == "Internal error: RuntimeError: boom (--debug shows the traceback)\n"
    code, _, err = run("--debug", "split", str(sample("000")))
    assert code == 3 and "Traceback" in err and err.endswith("Internal error: RuntimeError: boom\n")
    code, out, _ = run("--help")
    assert code == 0 and "130 interrupted" in " ".join(out.split())


# --- random inputs ----------------------------------------------------------------

_CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "big5", "cp1252"]
_NAME = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b)


@st.composite
def _page(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    text = draw(st.text(max_size=300))
    codec = draw(st.sampled_from(_CODECS))
    return codecs.encode(text, codec, "replace")  # type: ignore[no-any-return]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(_NAME, _page()), min_size=1, max_size=4))
def test_random_bytes_encodings_and_names_give_results_or_dedup_errors(
    tmp_path: Path, files: list[tuple[bytes, bytes]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # examples share the test's tmp_path
    for name, data in files:
        if name in (b".", b".."):
            continue
        path = os.path.join(os.fsencode(folder), name + b".txt")
        with open(path, "wb") as f:
            f.write(data)
        for errors in ("strict", "replace"):
            try:
                doc = decode(data, os.fsdecode(name), errors=errors)
            except DedupError:
                continue
            for article in split(doc):
                assert 0 <= article.start <= article.end <= len(doc.text)
    result = run_scan([folder], Options(jobs=1), LocalExecutor(1))
    scan_json(result).encode("utf-8")  # every name and text is valid UTF-8
    names = {d.path for d in result.documents} | {p for p, _ in result.failures}
    assert len(names) == len({n for n, _ in files if n not in (b".", b"..")})


# --- killed while writing ---------------------------------------------------------


def _digest(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _cli(args: list[str], delay: float = 0.0) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DEDUP_WRITE_DELAY": str(delay)}
    return subprocess.Popen(
        [sys.executable, "-m", "dedup", *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _ok(args: list[str]) -> bool:
    """Run the command to its end; True when it succeeded."""
    return subprocess.run([sys.executable, "-m", "dedup", *args], cwd=ROOT, capture_output=True).returncode == 0


def _reached(proc: subprocess.Popen[bytes], out: Path, name: str | None) -> bool:
    """Wait until the run has made its staging folder (and written ``name`` into it)."""
    staging = out.with_name(f".{out.name}.dedup-{proc.pid}.new")
    while proc.poll() is None:
        if staging.is_dir() and (name is None or (staging / name).exists()):
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killing_a_scan_never_leaves_a_mixed_or_truncated_set(tmp_path: Path, sig: int) -> None:
    old_in, new_in = pages(tmp_path), tmp_path / "new"
    new_in.mkdir()
    for page in sorted(SAMPLES.glob("*.txt"))[1:]:
        shutil.copy(page, new_in / page.name)
    out, ref = tmp_path / "out", tmp_path / "ref"
    assert _ok(["scan", str(old_in), "--out", str(out), "-q", "-j1"])
    assert _ok(["scan", str(new_in), "--out", str(ref), "-q", "-j1"])
    old, new = _digest(out), _digest(ref)
    assert old != new
    seen = []
    # the writer pauses 0.25 s after each file and before the swap (DEDUP_WRITE_DELAY):
    # kill it before it writes, then at several points after its first file
    for wait in (None, 0.0, 0.15, 0.3, 0.45, 0.6, 0.9):
        proc = _cli(["scan", str(new_in), "--out", str(out), "-q", "-j1"], delay=0.25)
        # None: once the scan has started (its --out checked), before it writes
        assert _reached(proc, out, None if wait is None else "scan.json")
        time.sleep(wait or 0.0)
        proc.send_signal(sig)
        code = proc.wait()
        error = proc.stderr.read() if proc.stderr else b""
        if proc.stderr:
            proc.stderr.close()
        now = _digest(out)
        assert now in (old, new), f"killed {wait} s into writing: a mixed or truncated set"
        seen.append("new" if now == new else "old")
        if sig == signal.SIGINT and now == old:
            assert code == 130, error
        if now == new:  # put the old set back for the next kill
            assert _ok(["scan", str(old_in), "--out", str(out), "-q", "-j1"])
    assert seen[0] == "old" and "old" in seen[1:]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert sig == signal.SIGKILL or leftovers == []


def _mapped(proc: subprocess.Popen[bytes], name: str) -> bool:
    """Wait until the process has loaded a shared library whose path holds ``name``."""
    maps = Path(f"/proc/{proc.pid}/maps")
    while proc.poll() is None:
        with contextlib.suppress(OSError):
            if name in maps.read_text():
                return True
        time.sleep(0.005)
    return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="start-up is observed through /proc")
def test_ctrl_c_at_any_early_point_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """SIGINT while the command starts (its imports) or reads: the message, 130, the set kept."""
    folder, out = pages(tmp_path), tmp_path / "out"
    assert _ok(["scan", str(folder), "--out", str(out), "-q", "-j1"])
    before = _digest(out)
    # numpy is loaded by the package's own imports, before the command's try is in force;
    # the staging folder exists once the scan has started reading
    points = [("numpy", 0.0), ("numpy", 0.03), ("numpy", 0.1), ("numpy", 0.2), (None, 0.0), (None, 0.1)]
    for lib, wait in points:
        proc = _cli(["scan", str(SAMPLES), "--out", str(out), "-q", "-j1"], delay=0.25)
        assert _mapped(proc, "numpy") if lib else _reached(proc, out, None)
        time.sleep(wait)
        proc.send_signal(signal.SIGINT)
        code = proc.wait()
        error = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        assert code == 130, (lib, wait, error)
        assert error.strip() == "Interrupted; no output was changed unless the run had finished.", error
        assert _digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("forget", [False, True])
def test_an_interrupt_caught_inside_exec_still_exits_130(tmp_path: Path, forget: bool) -> None:
    """A KeyboardInterrupt raised in a string run by exec (a dataclass's ``__init__``), then caught:
    without ``forget_interrupt`` a ``-m`` module dies by SIGINT however it exits."""
    (tmp_path / "interrupted.py").write_text(
        "import os, signal, sys\n"
        "from dedup import interrupt\n"
        "try:\n"
        "    exec('os.kill(os.getpid(), signal.SIGINT)\\nfor i in range(99): pass')\n"
        "except KeyboardInterrupt:\n"
        f"    if {forget}:\n"
        "        interrupt.forget_interrupt()\n"
        "    sys.exit(130)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "interrupted"], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == (130 if forget else -signal.SIGINT), done.stderr
