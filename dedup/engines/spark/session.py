"""The Spark session a scan runs in, and the dedup code its executors run.

pyspark is an optional dependency (``pip install 'dedup[spark]'``) and is
imported only when the spark engine runs; it needs Java 17 or later.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from dedup.engines.base import EngineUnavailable

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"

_SHIPPED: set[str] = set()  # Spark applications that already have this package


def require() -> None:
    """Check that pyspark and Java are here; raise EngineUnavailable saying what to install."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EngineUnavailable(
            "the spark engine needs pyspark: pip install 'dedup[spark]'"
        ) from None
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        raise EngineUnavailable(
            "the spark engine needs Java 17 or later "
            "(Debian: apt-get install openjdk-17-jre-headless), on PATH or in JAVA_HOME"
        )


def session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The SparkSession a scan runs in: the active one, or a new one on ``master``.

    Under ``spark-submit`` the master and resources come from spark-submit;
    otherwise ``master`` defaults to ``local[2]``. A new local session binds to
    the loopback address, has no web UI and no console progress bar, logs
    errors only, runs its Python workers with this interpreter (unless
    ``PYSPARK_PYTHON`` says otherwise) and gets ``SPARK_DRIVER_MEMORY``
    (default 4g) of memory.
    ``conf`` adds Spark settings to a new session (they win over these).
    """
    require()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("dedup")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # launched by spark-submit
    if master is None and not submitted:
        master = DEFAULT_MASTER
    if master is not None:
        builder = builder.master(master)
    local = master is not None and master.startswith("local") and not submitted
    settings = dict(conf or {})
    if local:
        assert master is not None
        cores = _local_cores(master)
        quiet = f"-Dlog4j2.configurationFile={_log_config()}"
        java = settings.get("spark.driver.extraJavaOptions", "")
        settings["spark.driver.extraJavaOptions"] = f"{quiet} {java}".strip()
        for key, value in {
            "spark.driver.memory": os.environ.get("SPARK_DRIVER_MEMORY", "4g"),
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": str(4 * cores),
            "spark.default.parallelism": str(2 * cores),
        }.items():
            builder = builder.config(key, value)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if local and "PYSPARK_PYTHON" not in os.environ:
        # local workers run this interpreter, not whatever python3 is on PATH
        spark.sparkContext.pythonExec = sys.executable
    return spark


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = stderr
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


def _log_config() -> str:
    """A log4j2 configuration that lets only errors through (Spark's default says much more)."""
    handle, name = tempfile.mkstemp(prefix="dedup-log4j2-", suffix=".properties")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(_LOG4J2)
    return name


def _local_cores(master: str) -> int:
    """Cores of a local master URL (``local[N]``, ``local``, ``local[*]``): partition counts follow."""
    found = re.fullmatch(r"local\[(\d+)(?:,\d+)?\]", master)
    if found:
        return max(1, int(found.group(1)))
    if master == "local":
        return 1
    return os.cpu_count() or 1


def ship_package(sc: Any) -> None:
    """Send this dedup package to the executors, so that they run the driver's code."""
    app = str(sc.applicationId)
    if app in _SHIPPED:
        return
    import dedup

    root = Path(dedup.__file__).resolve().parent
    target = Path(tempfile.mkdtemp(prefix="dedup-spark-")) / "dedup.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(root.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                zf.write(file, str(PurePosixPath("dedup", *file.relative_to(root).parts)))
    sc.addPyFile(str(target))
    _SHIPPED.add(app)
