"""``dedup split``: list the articles of each page."""

from __future__ import annotations

from typing import Any

import click

from dedup.batch import Report, read_all
from dedup.cli.common import echo_report, input_options
from dedup.model import Options
from dedup.report import json as report_json
from dedup.segment import split

EXAMPLES = """
\b
Examples:
  dedup split samples                      # a line per article of every page
  dedup split page.html --format json      # articles with their paragraph spans
  dedup split scan.xml --format-in alto    # read OCR output as ALTO

\b
Exit status: 0 done; 1 a file could not be read (the others are still listed).
"""


@click.command(name="split", epilog=EXAMPLES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a line per article; json: articles with paragraph spans.",
)
@input_options
def split_command(
    paths: tuple[str, ...],
    fmt: str,
    reading: dict[str, Any],
) -> None:
    """List the articles of each page (FILE or folder): title, lines, paragraphs, jumps."""
    options = Options(**reading)
    report = Report()
    documents = []
    for doc in read_all(paths, options, report):
        articles = split(doc)
        if fmt == "json":
            documents.append(
                {
                    "path": doc.path,
                    "encoding": doc.encoding,
                    "articles": [report_json.article_json(a) for a in articles],
                }
            )
            continue
        click.echo(f"{doc.path} ({doc.encoding}, {len(articles)} articles)")
        for a in articles:
            body = sum(1 for p in a.paragraphs if p.kind in ("body", "subhead"))
            marks = ""
            if a.continued_from:
                marks += f"  [from page {a.continued_from}]"
            if a.jump:
                marks += f"  [continued on page {a.jump}]"
            title = a.title or ("(furniture)" if a.kind == "furniture" else "(untitled)")
            click.echo(
                f"  #{a.index:<3} {a.kind:<12} lines {a.first_line}-{a.last_line:<6} "
                f"{body:>3} paragraphs  {title}{marks}"
            )
    if fmt == "json":
        click.echo(report_json.dumps({"documents": documents}), nl=False)
    echo_report(report)
    raise SystemExit(report.return_code)


