"""Parse untrusted XML and HTML safely, with one-line errors.

Every reader parses through these two functions, so the rules hold for all
formats: no entity is ever expanded, no DTD is loaded, nothing is fetched
from the network, and lxml's limits on huge documents stay on. A DOCTYPE that
declares entities (``<!ENTITY …>``: the XXE and "billion laughs" attacks) is
refused outright, before the parser sees it. Errors are ``FormatError`` with
the message ``<path>: <problem>`` on one line.

Note that the text is parsed as already decoded: an XML declaration is
blanked out (replaced by spaces of the same length, so line numbers stay
right) because lxml refuses a ``str`` that declares an encoding.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from dedup.errors import FormatError

_DECLARATION = re.compile(r"\A(\ufeff?\s*)(<\?xml\b[^>]*\?>)")
_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY\b", re.IGNORECASE)


def blank_declaration(text: str) -> str:
    """The text with its XML declaration replaced by spaces (offsets and lines kept)."""
    m = _DECLARATION.match(text)
    if m is None:
        return text
    return text[: m.start(2)] + " " * len(m.group(2)) + text[m.end(2) :]


def refuse_entities(text: str, path: str) -> None:
    """Raise FormatError when the document's DOCTYPE declares entities.

    Note that the check looks at every DOCTYPE, internal subset included; an
    entity declaration anywhere in one is refused, whatever it declares.
    """
    for m in _DOCTYPE.finditer(text):
        end = text.find(">", m.end())
        bracket = text.find("[", m.end())
        if bracket != -1 and (end == -1 or bracket < end):
            close = text.find("]", bracket)
            end = len(text) if close == -1 else close
        if end == -1:
            end = len(text)
        if _ENTITY.search(text, m.end(), end):
            raise FormatError(path, "refused: the DOCTYPE declares entities (never expanded)")


def _problem(exc: etree.LxmlSyntaxError) -> str:
    msg = str(getattr(exc, "msg", None) or exc)
    return " ".join(msg.split())


def parse_xml(text: str, path: str) -> etree._Element:
    """Parse an XML document safely and return its root element.

    Raises:
        FormatError: the DOCTYPE declares entities, or the XML is malformed.
    """
    refuse_entities(text, path)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(blank_declaration(text), parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(path, f"malformed XML: {_problem(exc)}") from None
    if root is None:  # pragma: no cover - lxml raises for an empty document
        raise FormatError(path, "malformed XML: no root element")
    return root


def parse_html(text: str, path: str) -> lxml.html.HtmlElement:
    """Parse an HTML (or XHTML) page leniently but safely and return its root.

    Comments and processing instructions are dropped by the parser.

    Raises:
        FormatError: the DOCTYPE declares entities, or the page has no content.
    """
    refuse_entities(text, path)
    parser = lxml.html.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=False,
    )
    source = blank_declaration(text)
    if not source.strip():
        raise FormatError(path, "malformed HTML: the page is empty")
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        raise FormatError(path, f"malformed HTML: {_problem(exc)}") from None
    return root
