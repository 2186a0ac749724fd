"""The reading aids around the pairs of a compare page: type toggles, legend, overview strip.

Why apart from the rows: the same three pieces frame a single pair and every
pair of two compared pages; they read only counts and mark positions, never
the texts. Without the script they still work: the toggles are checkboxes
the stylesheet reads (``:has``), the strip is plain anchors, the legend a
``<details>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from dedup.model import EDIT_TYPES
from dedup.report.html.chrome import HIDDEN_BY_DEFAULT, TYPE_HELP, h, type_swatch

HIDDEN_NOTE = (
    "Whitespace, markup, punctuation and variant marks are hidden when the page "
    "opens: they come from typesetting and normalisation (full-width or half-width "
    "commas, line breaks, Markdown heading levels), not from the words, and a page "
    "has them by the dozen, which would bury the few wording, OCR and missing-text "
    "differences an archivist checks. They are still counted, and each box "
    "shows its type."
)

_STRIP_STEPS = 400  # the strip keeps one mark per type per 1/400 of its height


@dataclass
class Marks:
    """Overview-strip marks: (weight position, type, target id, tooltip).

    ``weight`` is the estimated height (in lines) laid out so far; rows add to
    it as they are built, so a mark's position is where its row will be.
    """

    weight: float = 0.0
    marks: list[tuple[float, str, str, str]] = field(default_factory=list)


def _toggle(t: str, count: int) -> etree._Element:
    """The checkbox that shows or hides the marks of type ``t``, with their count."""
    look, meaning = TYPE_HELP[t]
    attrs = {"type": "checkbox", "id": f"show-{t}", "class": "tog", "data-t": t}
    if t not in HIDDEN_BY_DEFAULT:
        attrs["checked"] = "checked"
    return h(
        "label",
        {"class": "tog-label", "title": f"{t} ({look}): {meaning}"},
        h("input", attrs),
        type_swatch(t),
        h("span", {"class": "n"}, str(count)),
    )


def toolbar(totals: Mapping[str, int]) -> etree._Element:
    """One toggle per type (with its total) and the next/previous controls.

    The controls start ``hidden``: only the script can move between
    differences, so it is the script that shows them.
    """
    nav = h(
        "div",
        {"class": "nav", "id": "nav", "hidden": "hidden"},
        h(
            "button",
            {"type": "button", "id": "nav-prev", "title": "previous difference (p or k)"},
            "◀ prev",
        ),
        h("span", {"id": "nav-count", "class": "count", "aria-live": "polite"}, "– / –"),
        h(
            "button",
            {"type": "button", "id": "nav-next", "title": "next difference (n or j)"},
            "next ▶",
        ),
        h("span", {"class": "keys"}, "keys n/j, p/k"),
    )
    return h(
        "div",
        {"class": "toolbar", "role": "region", "aria-label": "difference types"},
        h("div", {"class": "toggles"}, [_toggle(t, totals.get(t, 0)) for t in EDIT_TYPES]),
        nav,
    )


def legend() -> etree._Element:
    """What each mark looks like and means, and why the minor types start hidden."""
    rows = []
    for t in EDIT_TYPES:
        look, meaning = TYPE_HELP[t]
        state = "hidden at first" if t in HIDDEN_BY_DEFAULT else "shown"
        rows.append(
            h("tr", h("td", type_swatch(t)), h("td", look), h("td", meaning), h("td", state))
        )
    return h(
        "details",
        {"class": "legend", "id": "legend"},
        h(
            "summary",
            "Legend: what each mark means, and why whitespace, markup, punctuation "
            "and variant marks start hidden",
        ),
        h("p", HIDDEN_NOTE),
        h(
            "p",
            "A caret ⁁ marks where one side has nothing of a difference. Hover a mark "
            "to light up its counterpart on the other side; its tooltip says why it "
            "got its type. The strip on the right shows where the differences lie.",
        ),
        h(
            "table",
            h(
                "thead",
                h(
                    "tr",
                    h("th", "type"),
                    h("th", "mark"),
                    h("th", "meaning"),
                    h("th", "when opened"),
                ),
            ),
            h("tbody", rows),
        ),
    )


def overview(marks: Marks) -> etree._Element:
    """The strip: one link per type per step of height, to the first difference there.

    Why steps: a long pair has thousands of marks; one per type per 1/400 of
    the height is all a strip can show, and its tooltip says how many it stands for.
    """
    total = max(marks.weight, 1.0)
    kept: dict[tuple[int, str], tuple[float, str, str, int]] = {}
    for pos, t, target, tip in marks.marks:
        key = (int(_STRIP_STEPS * pos / total), t)
        if key in kept:
            p0, target0, tip0, n = kept[key]
            kept[key] = (p0, target0, tip0, n + 1)
        else:
            kept[key] = (pos, target, tip, 1)
    links = [
        h(
            "a",
            {
                "class": f"m t-{t}",
                "href": f"#{target}",
                "style": f"top:{100.0 * pos / total:.2f}%",
                "title": tip + (f" (and {n - 1} more rows with {t} here)" if n > 1 else ""),
            },
        )
        for (_step, t), (pos, target, tip, n) in sorted(
            kept.items(), key=lambda kv: (kv[1][0], kv[0][1])
        )
    ]
    return h("nav", {"class": "overview", "aria-label": "where the differences are"}, links)
