/* dedup index script: draws the clusters, pairs and articles tables of index.html
   from the data files (index-data-NNN.js, each pushing one part onto
   window.dedupIndex), a page of rows at a time, with search, filters and sorting
   on every column. Nothing is loaded from the network; rows are built with DOM
   calls and textContent only, so no data is ever read as markup. */
(function () {
  "use strict";
  var doc = document;
  var PAGE = 100;
  doc.documentElement.classList.add("js");
  var parts = window.dedupIndex || [];
  var types = [], relations = [], files = [], rawArts = [], rawClusters = [], rawPairs = [];
  parts.forEach(function (p) {
    if (p.types) { types = p.types; relations = p.relations; files = p.files; }
    if (p.articles) rawArts = rawArts.concat(p.articles);
    if (p.clusters) rawClusters = rawClusters.concat(p.clusters);
    if (p.pairs) rawPairs = rawPairs.concat(p.pairs);
  });
  var MINOR = { whitespace: 1, markup: 1, punctuation: 1, variant: 1 };

  var articles = rawArts.map(function (r, n) {
    var file = r[0] >= 0 ? files[r[0]] : "";
    return { n: n, id: file + r[1], file: file, kind: r[2], title: r[3],
             first: r[4], last: r[5], lines: r[4], c: r[6] };
  });
  function art(ref) {
    return typeof ref === "number" ? articles[ref] : { id: String(ref), title: "", file: "" };
  }
  var clusters = rawClusters.map(function (r, n) {
    var canon = art(r[1]);
    return { n: n, id: r[0], canonical: canon.id, canon: canon, title: canon.title,
             reason: r[2], members: r[3].map(art), size: r[3].length };
  });
  articles.forEach(function (a) { a.cluster = a.c >= 0 ? clusters[a.c].id : ""; });
  var pairs = rawPairs.map(function (r, n) {
    var p = { n: n + 1, A: art(r[0]), B: art(r[1]), relation: relations[r[2]],
              cluster: r[3] >= 0 ? clusters[r[3]].id : "", similarity: r[4],
              containment: r[5], cer: r[6], compared: r[7].length > 0,
              report: r[8], note: r[9], minor: r[7].length ? 0 : -1 };
    p.a = p.A.id; p.b = p.B.id;
    for (var i = 0; i < types.length; i++) {
      var v = r[7].length ? r[7][i] : -1;
      p[types[i]] = v;
      if (MINOR[types[i]] && v > 0) p.minor += v;
    }
    return p;
  });

  /* ---------------------------------------------------------- cells */
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function td(child, cls) {
    var c = el("td", cls);
    if (child instanceof Node) c.appendChild(child); else c.textContent = child;
    return c;
  }
  function numTd(v, digits) {
    return td(v < 0 ? "–" : (digits ? v.toFixed(digits) : String(v)), "num");
  }
  function ref(a) {
    var s = el("span");
    s.appendChild(el("code", "", a.id));
    if (a.title) { s.appendChild(doc.createTextNode(" ")); s.appendChild(el("span", "t", a.title)); }
    return s;
  }
  function clusterLink(id) {
    if (!id) return doc.createTextNode("");
    var a = el("a", "", id);
    a.href = "#cluster-" + id;
    return a;
  }
  var draw = {
    clusters: function (c) {
      var tr = el("tr");
      tr.appendChild(td(clusterLink(c.id)));
      tr.appendChild(td(el("code", "", c.canonical)));
      tr.appendChild(td(c.title || "–"));
      var d = el("details"), ul = el("ul");
      d.appendChild(el("summary", "", c.size));
      c.members.forEach(function (m) {
        var li = el("li", m.id === c.canonical ? "canon-item" : "");
        li.appendChild(ref(m));
        ul.appendChild(li);
      });
      d.appendChild(ul);
      tr.appendChild(td(d, "num"));
      tr.appendChild(td(c.reason));
      return tr;
    },
    pairs: function (p) {
      var tr = el("tr");
      tr.appendChild(numTd(p.n));
      tr.appendChild(td(ref(p.A)));
      tr.appendChild(td(ref(p.B)));
      tr.appendChild(td(p.relation));
      tr.appendChild(td(clusterLink(p.cluster)));
      tr.appendChild(numTd(p.similarity, 4));
      tr.appendChild(numTd(p.containment, 4));
      tr.appendChild(numTd(p.cer, 4));
      ["ocr", "inversion", "wording", "missing", "extra", "truncation", "minor"].forEach(function (t) {
        tr.appendChild(numTd(p[t]));
      });
      if (p.report) { var a = el("a", "", "report"); a.href = p.report; tr.appendChild(td(a)); }
      else tr.appendChild(td(el("span", "muted", p.note)));
      return tr;
    },
    articles: function (a) {
      var tr = el("tr", "k-" + a.kind);
      tr.appendChild(td(el("code", "", a.id)));
      tr.appendChild(td(a.kind));
      tr.appendChild(td(a.title || "–"));
      tr.appendChild(td(a.first + "–" + a.last, "nowrap"));
      tr.appendChild(td(clusterLink(a.cluster)));
      return tr;
    }
  };
  function hay(row, view) {
    if (row._h === undefined) {
      var s;
      if (view === "pairs") s = [row.a, row.A.title, row.b, row.B.title, row.cluster];
      else if (view === "clusters") s = row.members.map(function (m) { return m.id + " " + m.title; }).concat([row.id]);
      else s = [row.id, row.title, row.cluster];
      row._h = s.join("\n").toLowerCase();
    }
    return row._h;
  }

  /* ---------------------------------------------------------- views */
  var data = { clusters: clusters, pairs: pairs, articles: articles };
  var views = {};
  function View(section) {
    this.name = section.getAttribute("data-view");
    this.section = section;
    this.all = data[this.name];
    this.body = section.querySelector("tbody");
    this.shown = section.querySelector(".shown");
    this.pager = section.querySelector(".pager");
    this.rows = this.all;
    this.page = 0;
    this.key = null;
    this.dir = 1;
    this.cluster = "";
    views[this.name] = this;
  }
  View.prototype.control = function (f) { return this.section.querySelector('[data-f="' + f + '"]'); };
  View.prototype.test = function () {
    var q = (this.control("q").value || "").trim().toLowerCase();
    var name = this.name, cluster = this.cluster, tests = [];
    if (q) tests.push(function (r) { return hay(r, name).indexOf(q) >= 0; });
    if (cluster) {
      tests.push(function (r) {
        return name === "clusters" ? r.id === cluster : r.cluster === cluster;
      });
    }
    if (name === "pairs") {
      var rel = this.control("relation").value;
      var lo = parseFloat(this.control("smin").value), hi = parseFloat(this.control("smax").value);
      var want = [];
      this.section.querySelectorAll('input[data-f="type"]:checked').forEach(function (b) { want.push(b.value); });
      if (rel) tests.push(function (r) { return r.relation === rel; });
      if (!isNaN(lo)) tests.push(function (r) { return r.similarity >= lo; });
      if (!isNaN(hi)) tests.push(function (r) { return r.similarity <= hi; });
      if (want.length) {
        tests.push(function (r) {
          for (var i = 0; i < want.length; i++) if (!(r[want[i]] > 0)) return false;
          return true;
        });
      }
    }
    return tests;
  };
  View.prototype.filter = function () {
    var tests = this.test();
    this.rows = !tests.length ? this.all.slice() : this.all.filter(function (r) {
      for (var i = 0; i < tests.length; i++) if (!tests[i](r)) return false;
      return true;
    });
    this.order();
    this.page = 0;
    this.render();
  };
  View.prototype.order = function () {
    var key = this.key, dir = this.dir;
    if (!key) return;
    this.rows.sort(function (r1, r2) {
      var v1 = r1[key], v2 = r2[key];
      if (v1 < v2) return -dir;
      if (v1 > v2) return dir;
      return r1.n - r2.n;
    });
  };
  View.prototype.sortBy = function (th) {
    var key = th.getAttribute("data-key");
    this.dir = this.key === key ? -this.dir : 1;
    this.key = key;
    this.section.querySelectorAll("th[data-key]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", this.dir > 0 ? "ascending" : "descending");
    this.order();
    this.page = 0;
    this.render();
  };
  View.prototype.render = function () {
    var start = this.page * PAGE, end = Math.min(this.rows.length, start + PAGE);
    var frag = doc.createDocumentFragment();
    for (var i = start; i < end; i++) frag.appendChild(draw[this.name](this.rows[i]));
    this.body.textContent = "";
    this.body.appendChild(frag);
    this.section.setAttribute("data-matched", String(this.rows.length));
    var total = this.all.length;
    this.shown.textContent = (this.rows.length ? (start + 1) + "–" + end + " of " : "none of ") +
      this.rows.length + (this.rows.length !== total ? " (of " + total + ")" : "") +
      (this.cluster ? " in cluster " + this.cluster : "");
    this.pages();
  };
  View.prototype.pages = function () {
    var self = this, count = Math.max(1, Math.ceil(this.rows.length / PAGE));
    this.pager.textContent = "";
    if (count < 2) return;
    function button(label, page, title) {
      var b = el("button", "", label);
      b.type = "button";
      b.title = title;
      b.disabled = page < 0 || page >= count || page === self.page;
      b.addEventListener("click", function () { self.page = page; self.render(); self.section.scrollIntoView(); });
      self.pager.appendChild(b);
    }
    button("«", 0, "first page");
    button("‹ prev", this.page - 1, "previous page");
    this.pager.appendChild(el("span", "count", "page " + (this.page + 1) + " of " + count));
    button("next ›", this.page + 1, "next page");
    button("»", count - 1, "last page");
  };
  View.prototype.wire = function () {
    var self = this, timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { self.filter(); }, 120); }
    this.section.querySelectorAll("[data-f]").forEach(function (c) {
      var f = c.getAttribute("data-f");
      if (f === "clear") {
        c.addEventListener("click", function () {
          self.section.querySelectorAll("input[data-f], select[data-f]").forEach(function (i) {
            if (i.type === "checkbox") i.checked = false; else i.value = "";
          });
          self.cluster = "";
          self.filter();
        });
      } else {
        c.addEventListener(f === "q" ? "input" : "change", f === "q" ? later : function () { self.filter(); });
      }
    });
    this.section.querySelectorAll("th[data-key]").forEach(function (th) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      th.addEventListener("click", function () { self.sortBy(th); });
      th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") self.sortBy(th); });
    });
  };

  var rel = doc.getElementById("pairs-relation");
  if (rel) relations.forEach(function (r) { var o = el("option", "", r); o.value = r; rel.appendChild(o); });
  doc.querySelectorAll("section.data-view").forEach(function (s) {
    var v = new View(s);
    v.wire();
    v.render();
  });

  /* #cluster-ID (a cluster link, or a pair report's way back) narrows clusters and pairs to it */
  function fromHash() {
    var m = /^#cluster-(.+)$/.exec(decodeURIComponent(location.hash));
    if (!m) return;
    ["clusters", "pairs"].forEach(function (n) {
      if (views[n]) { views[n].cluster = m[1]; views[n].filter(); }
    });
    if (views.clusters) views.clusters.section.scrollIntoView();
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
