/* dedup report script: inlined into every page, no framework, nothing loaded.
   The page is complete without it (toggles are CSS checkboxes, links are anchors);
   this adds next/previous with a counter and keys, the counterpart highlight,
   table sorting, and unfolding for print. A difference is one mark per side, with
   ids "<prefix>e<n>-a" and "-b" and its type as class "t-<type>". */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  function shownTypes() {
    var shown = {};
    var boxes = doc.querySelectorAll("input.tog");
    for (var i = 0; i < boxes.length; i++) shown[boxes[i].getAttribute("data-t")] = boxes[i].checked;
    return shown;
  }

  function typeOf(el) {
    var m = /(?:^| )t-([a-z]+)/.exec(el.className);
    return m ? m[1] : "";
  }

  function sideOf(el) { return el.id.charAt(el.id.length - 1); }

  function partnerOf(el) {
    var other = sideOf(el) === "a" ? "b" : "a";
    return doc.getElementById(el.id.slice(0, -1) + other);
  }

  function openAround(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS" && !p.open) p.open = true;
    }
  }

  /* ---------------------------------------------------------- next / previous */
  var nav = doc.getElementById("nav");
  var counter = doc.getElementById("nav-count");
  var stops = [];
  var cur = -1;
  var curEl = null;

  function collect() {
    var shown = shownTypes();
    var all = doc.querySelectorAll(".cell.a .d[id]");
    stops = [];
    for (var i = 0; i < all.length; i++) {
      if (shown[typeOf(all[i])] !== false) stops.push(all[i]);
    }
    cur = curEl ? stops.indexOf(curEl) : -1;
    show();
  }

  function show() {
    if (!counter) return;
    counter.textContent = (cur >= 0 ? cur + 1 : "–") + " / " + stops.length;
  }

  function mark(el, on) {
    if (!el) return;
    el.classList.toggle("cur", on);
    var other = partnerOf(el);
    if (other) other.classList.toggle("cur", on);
  }

  function select(el) {
    mark(curEl, false);
    curEl = el;
    cur = stops.indexOf(el);
    mark(curEl, true);
    show();
  }

  /* The first stop after (step 1) or before (step -1) the current one; when the
     current one was switched off, its place in the page still counts. */
  function go(step) {
    if (!stops.length) return;
    var next;
    if (cur >= 0) {
      next = cur + step;
    } else if (curEl) {
      next = step > 0 ? stops.length : -1;
      for (var i = 0; i < stops.length; i++) {
        var after = curEl.compareDocumentPosition(stops[i]) & Node.DOCUMENT_POSITION_FOLLOWING;
        if (after) { next = step > 0 ? i : i - 1; break; }
      }
    } else {
      next = step > 0 ? 0 : stops.length - 1;
    }
    next = (next + stops.length) % stops.length;
    var el = stops[next];
    openAround(el);
    var other = partnerOf(el);
    if (other) openAround(other);
    select(el);
    el.scrollIntoView({ block: "center" });
  }

  if (nav) {
    nav.hidden = false;
    doc.getElementById("nav-next").addEventListener("click", function () { go(1); });
    doc.getElementById("nav-prev").addEventListener("click", function () { go(-1); });
    var boxes = doc.querySelectorAll("input.tog");
    for (var b = 0; b < boxes.length; b++) boxes[b].addEventListener("change", collect);
    collect();
  }

  doc.addEventListener("keydown", function (ev) {
    if (!nav || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) ||
              (t.tagName === "INPUT" && t.type !== "checkbox"))) return;
    var k = ev.key;
    if (k === "n" || k === "j") { go(1); ev.preventDefault(); }
    else if (k === "p" || k === "k") { go(-1); ev.preventDefault(); }
  });

  /* ---------------------------------------------------------- counterpart on hover */
  var lit = [];
  function light(el) {
    for (var i = 0; i < lit.length; i++) lit[i].classList.remove("hl");
    lit = [];
    if (!el) return;
    var other = partnerOf(el);
    lit = other ? [el, other] : [el];
    for (var j = 0; j < lit.length; j++) lit[j].classList.add("hl");
  }
  doc.addEventListener("mouseover", function (ev) {
    var el = ev.target.closest ? ev.target.closest(".d[id]") : null;
    light(el);
  });
  doc.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest(".d[id]") : null;
    if (!el || !nav) return;
    if (sideOf(el) === "b") el = partnerOf(el) || el;
    if (stops.indexOf(el) >= 0) select(el);
  });

  /* ---------------------------------------------------------- sortable tables */
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var heads = table.tHead.rows[0].cells;
    for (var h = 0; h < heads.length; h++) heads[h].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    rows.sort(function (r1, r2) {
      var v1 = parseFloat(r1.cells[col].getAttribute("data-v"));
      var v2 = parseFloat(r2.cells[col].getAttribute("data-v"));
      var o1 = parseFloat(r1.cells[0].getAttribute("data-v"));
      var o2 = parseFloat(r2.cells[0].getAttribute("data-v"));
      return (v1 - v2) * dir || o1 - o2;
    });
    for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
  }
  var tables = doc.querySelectorAll("table.sortable");
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var heads = table.tHead.rows[0].cells;
      for (var c = 0; c < heads.length; c++) {
        (function (th, col) {
          if (!th.hasAttribute("data-sort")) return;
          var button = doc.createElement("button");
          button.type = "button";
          while (th.firstChild) button.appendChild(th.firstChild);
          th.appendChild(button);
          button.addEventListener("click", function () { sortBy(table, col, th); });
        })(heads[c], c);
      }
    })(tables[t]);
  }

  /* ---------------------------------------------------------- print: unfold the tails */
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    var closed = doc.querySelectorAll("details.tail:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; reopened.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < reopened.length; i++) reopened[i].open = false;
    reopened = [];
  });
})();
