"""Namespace-blind lookups in OCR XML (ALTO, PAGE), whose namespaces change with each version."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree


def local_name(el: etree._Element) -> str:
    """The element's tag without its namespace ('' for comments and processing instructions)."""
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(el: etree._Element, name: str) -> list[etree._Element]:
    """Direct children called ``name``, in any namespace."""
    return [c for c in el if local_name(c) == name]


def descendants(el: etree._Element, name: str) -> list[etree._Element]:
    """``el`` and its descendants called ``name``, in any namespace, in document order."""
    return [c for c in el.iter() if local_name(c) == name]


def xpath_of(el: etree._Element, id_attr: str) -> str:
    """An XPath that finds ``el`` again: by its id where it has a usable one, else by position."""
    ident = el.get(id_attr)
    if ident and "'" not in ident:
        return f"//*[@{id_attr}='{ident}']"
    return str(el.getroottree().getpath(el))


def in_reading_order(
    elements: Sequence[etree._Element], refs: Sequence[str], id_attr: str
) -> list[etree._Element]:
    """``elements`` in the order ``refs`` (a reading order's ids) names them, the rest after.

    An id named twice keeps its first place; elements the reading order does
    not name keep their document order, after those it names.
    """
    rank: dict[str, int] = {}
    for k, ref in enumerate(refs):
        rank.setdefault(ref, k)
    listed = sorted((e for e in elements if e.get(id_attr) in rank), key=lambda e: rank[e.get(id_attr) or ""])
    return listed + [e for e in elements if e.get(id_attr) not in rank]
