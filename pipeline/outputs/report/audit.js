// The audit report's script: the filters (and the overview's numbers, charts and ranking under
// them), the corrections editor and its copy buttons, the enlarged crops, and the comparison of
// offices in one year. Plain JS on data attributes and on the page's data island
// (#audit-data: reports, files and one finding per report with where they are; the values to
// compare). A finding carries data-region, data-year, data-level, data-office, data-rule and
// data-severity; an office section data-region, data-years and data-level.
(function () {
  "use strict";
  var FILTERS = ["region", "year", "level", "rule", "severity"];
  var DATA = {};

  function chosen() {
    var f = {};
    FILTERS.forEach(function (k) { f[k] = document.getElementById("filter-" + k).value; });
    return f;
  }

  // [region, year, level, office, ...] rows of the data island
  function placed(row, f) {
    return (!f.region || row[0] === f.region) && (!f.year || row[1] === f.year) && (!f.level || row[2] === f.level);
  }

  function counted(row, f) {
    return placed(row, f) && (!f.rule || row[4] === f.rule) && (!f.severity || row[5] === f.severity);
  }

  function setStat(key, n) {
    var el = document.querySelector('[data-stat="' + key + '"] b');
    if (el) { el.textContent = String(n); }
  }

  function redrawChart(name, counts) {
    var svg = document.querySelector('svg[data-chart="' + name + '"]');
    if (!svg) { return; }
    var width = Number(svg.getAttribute("data-bar-width")), left = Number(svg.getAttribute("data-label-width"));
    var top = 1;
    Object.keys(counts).forEach(function (k) { top = Math.max(top, counts[k]); });
    svg.querySelectorAll("g.bar").forEach(function (g) {
      var n = counts[g.getAttribute("data-key")] || 0;
      var w = width * n / top;
      g.querySelector("rect").setAttribute("width", String(Math.max(w, 1)));
      var label = g.querySelector("text.n");
      label.textContent = String(n);
      label.setAttribute("x", String(left + w + 4));
      g.classList.toggle("zero", n === 0);
    });
  }

  function tally(rows, pick) {
    var out = {};
    rows.forEach(function (r) { var k = pick(r); out[k] = (out[k] || 0) + 1; });
    return out;
  }

  function redrawOverview(f) {
    if (!DATA.reports) { return; }
    var reports = DATA.reports.filter(function (r) { return placed(r, f); });
    var files = DATA.files.filter(function (r) { return placed(r, f); });
    var findings = DATA.findings.filter(function (r) { return counted(r, f); });
    setStat("reports", reports.length);
    setStat("files", files.length);
    setStat("offices", Object.keys(tally(reports.filter(function (r) { return r[3]; }), function (r) { return r[3]; })).length);
    var status = tally(reports, function (r) { return r[4]; });
    document.querySelectorAll('[data-stat^="status-"]').forEach(function (el) {
      setStat(el.getAttribute("data-stat"), status[el.getAttribute("data-stat").slice(7)] || 0);
    });
    var severity = tally(findings, function (r) { return r[5]; });
    document.querySelectorAll('[data-stat^="severity-"]').forEach(function (el) {
      setStat(el.getAttribute("data-stat"), severity[el.getAttribute("data-stat").slice(9)] || 0);
    });
    var errors = findings.filter(function (r) { return r[5] === "error"; });
    redrawChart("status", status);
    redrawChart("rule", tally(errors, function (r) { return r[4]; }));
    redrawChart("region", tally(errors, function (r) { return r[0]; }));
    var byRule = tally(findings, function (r) { return r[4] + "|" + r[5]; });
    document.querySelectorAll("#rules-found tr[data-rule-row]").forEach(function (tr) {
      var n = byRule[tr.getAttribute("data-rule-row") + "|" + tr.getAttribute("data-severity")] || 0;
      tr.querySelector("[data-n]").textContent = String(n);
      tr.hidden = n === 0;
    });
    rank(tally(errors.filter(function (r) { return r[3]; }), function (r) { return r[3]; }));
  }

  function rank(counts) {
    var body = document.querySelector("#top-offices tbody");
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-office-row]"));
    rows.forEach(function (tr) {
      tr.querySelector("[data-n]").textContent = String(counts[tr.getAttribute("data-office-row")] || 0);
    });
    rows.sort(function (a, b) {
      var d = (counts[b.getAttribute("data-office-row")] || 0) - (counts[a.getAttribute("data-office-row")] || 0);
      return d || (a.getAttribute("data-office-row") < b.getAttribute("data-office-row") ? -1 : 1);
    });
    rows.forEach(function (tr, i) {
      body.appendChild(tr);
      tr.hidden = i >= 10 || !(counts[tr.getAttribute("data-office-row")] > 0);
    });
  }

  function applyFilters() {
    var f = chosen();
    document.querySelectorAll("[data-finding]").forEach(function (el) {
      el.classList.toggle("filtered-out", !FILTERS.every(function (k) { return !f[k] || el.getAttribute("data-" + k) === f[k]; }));
    });
    document.querySelectorAll("section.office, #corrections tbody tr").forEach(function (sec) {
      var years = (sec.getAttribute("data-years") || sec.getAttribute("data-year") || "").split(" ");
      var hide = (f.region && sec.getAttribute("data-region") !== f.region) ||
                 (f.year && years.indexOf(f.year) < 0) || (f.level && sec.getAttribute("data-level") !== f.level);
      sec.classList.toggle("filtered-out", !!hide);
    });
    document.querySelectorAll("[data-count-of]").forEach(function (out) {
      var box = document.getElementById(out.getAttribute("data-count-of"));
      var all = box.querySelectorAll("[data-finding]");
      var shown = box.querySelectorAll("[data-finding]:not(.filtered-out)");
      var n = function (list) {
        return Array.prototype.reduce.call(list, function (a, e) { return a + Number(e.getAttribute("data-n") || 1); }, 0);
      };
      out.textContent = n(shown) + " / " + n(all);
    });
    redrawOverview(f);
  }

  // ---- corrections ----------------------------------------------------------------------------

  function csvField(s) {
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  // The changed lines of one card's editor: [key, line]; a value equal to what was read is no line.
  function changedLines(box) {
    var who = document.getElementById("fix-who").value.trim();
    var out = [];
    box.querySelectorAll("tr[data-fix]").forEach(function (tr) {
      var input = tr.querySelector("input.fix-value");
      if (input.value.trim() === input.defaultValue.trim()) { return; }
      var code = tr.getAttribute("data-fix");
      var dot = code.indexOf("."), last = code.lastIndexOf(".");
      var parts = [box.getAttribute("data-report-id"), box.getAttribute("data-office-id"), box.getAttribute("data-year"),
                   code.slice(0, dot), code.slice(dot + 1, last), code.slice(last + 1), input.value.trim(),
                   tr.querySelector("input.fix-note").value.trim(), who];
      out.push([tr.getAttribute("data-key"), parts.map(csvField).join(",")]);
    });
    return out;
  }

  // Each cell once: the same cell edited in two cards gives one line; two different values are said.
  function uniqueLines(pairs) {
    var seen = {}, lines = [], clash = [];
    pairs.forEach(function (p) {
      if (!(p[0] in seen)) { seen[p[0]] = p[1]; lines.push(p[1]); return; }
      if (seen[p[0]] !== p[1]) { clash.push(p[0]); lines.push(p[1]); }
    });
    return {lines: lines, clash: clash};
  }

  function mirror(input) {              // one cell, one value: its other editors follow
    var key = input.closest("tr[data-key]").getAttribute("data-key");
    var cls = input.classList.contains("fix-value") ? "fix-value" : "fix-note";
    document.querySelectorAll('tr[data-key="' + key.replace(/"/g, '\\"') + '"] input.' + cls).forEach(function (other) {
      if (other !== input) { other.value = input.value; }
    });
  }

  function say(text) {
    var el = document.getElementById("fix-status");
    if (el) { el.textContent = text; }
  }

  function copyLines(boxes, button) {
    var pairs = [];
    boxes.forEach(function (box) { pairs = pairs.concat(changedLines(box)); });
    var u = uniqueLines(pairs);
    var all = document.getElementById("all-corrections");
    all.value = all.getAttribute("data-header") + u.lines.join("\n") + (u.lines.length ? "\n" : "");
    if (!u.lines.length) {
      say("没有改动的数值 (no value was changed)");
      button.textContent = button.getAttribute("data-label");
      return;
    }
    say(u.lines.length + " 行 lines" + (u.clash.length ? "；注意：同一单元格有不同的值 (one cell, two values): " + u.clash.join(" ") : ""));
    copyText(all.value, button);
  }

  // The textarea route first: it is synchronous and works from file:// in every browser; the
  // asynchronous clipboard API only where that fails.
  function copyText(text, button) {
    var ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    if (ok || !(navigator.clipboard && window.isSecureContext)) {
      button.textContent = ok ? "已复制 copied" : "请手动复制 copy by hand";
      return;
    }
    navigator.clipboard.writeText(text).then(
      function () { button.textContent = "已复制 copied"; },
      function () { button.textContent = "请手动复制 copy by hand"; });
  }

  // ---- crops ------------------------------------------------------------------------------------

  function zoom(img) {
    var layer = document.getElementById("zoom");
    var big = layer.querySelector("img");
    big.src = img.src;
    big.alt = img.alt;
    big.style.width = img.naturalWidth + "px";
    layer.hidden = false;
  }

  // ---- offices side by side in one year --------------------------------------------------------

  function shownValue(v, percent) {
    if (typeof v === "number") {
      if (percent) { return (100 * v).toFixed(1) + "%"; }
      return String(Math.round(v * 1e6) / 1e6);
    }
    var kinds = DATA.compare.kinds;
    return {b: kinds.blank, n: kinds.na, u: kinds.unread, a: kinds.absent, x: "–"}[v] || v.slice(1);
  }

  function interesting(values) {
    return values.some(function (v) { return (typeof v === "number" && v !== 0) || v === "u" || (typeof v === "string" && v[0] === "t"); });
  }

  function comparison() {
    var c = DATA.compare;
    var year = Number(document.getElementById("compare-year").value);
    var ticked = Array.prototype.map.call(document.querySelectorAll("#compare-offices input:checked"), function (i) { return i.value; });
    var cols = c.columns.filter(function (col) { return col.year === year && ticked.indexOf(col.office) >= 0; });
    var every = document.getElementById("compare-all").checked;
    var rows = [];
    c.lines.forEach(function (line, i) {
      var values = cols.map(function (col) { return col.values[i]; });
      if (values.every(function (v) { return v === "a"; })) { return; }
      if (line[0] === "cell" && !every && !interesting(values)) { return; }
      rows.push({line: line, values: values});
    });
    return {cols: cols, rows: rows, year: year};
  }

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (ch) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[ch]; });
  }

  function drawComparison() {
    var out = document.getElementById("compare-out");
    var t = comparison();
    if (!t.cols.length) {
      out.innerHTML = '<p class="note">勾选至少一个有该年度报告的机关 (tick at least one office with a report that year)</p>';
      return;
    }
    var html = ['<table class="compare" id="compare-table"><thead><tr><th>项目 ' + t.year + '</th>'];
    t.cols.forEach(function (col) { html.push('<th><a href="#' + col.anchor + '">' + esc(col.name) + "</a></th>"); });
    html.push("</tr></thead><tbody>");
    var part = null;
    t.rows.forEach(function (r) {
      if (r.line[3] !== part) {
        part = r.line[3];
        html.push('<tr class="part"><th colspan="' + (t.cols.length + 1) + '">' + esc(part) + "</th></tr>");
      }
      html.push('<tr title="' + esc(r.line[1]) + '"><th>' + esc(r.line[2]) + "</th>");
      r.values.forEach(function (v) {
        var cls = typeof v === "number" ? "num" : "kind-" + ({b: "blank", n: "na", u: "unread", a: "absent", x: "none"}[v] || "text");
        html.push('<td class="' + cls + '">' + esc(shownValue(v, r.line[4])) + "</td>");
      });
      html.push("</tr>");
    });
    html.push("</tbody></table>");
    out.innerHTML = html.join("");
  }

  function comparisonCsv() {
    var t = comparison();
    var lines = [["项目", "代码"].concat(t.cols.map(function (c) { return c.name + " " + t.year; }))];
    t.rows.forEach(function (r) {
      lines.push([r.line[2], r.line[1]].concat(r.values.map(function (v) { return shownValue(v, r.line[4]); })));
    });
    return "\ufeff" + lines.map(function (l) { return l.map(function (x) { return csvField(String(x)); }).join(","); }).join("\r\n") + "\r\n";
  }

  function download(name, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
  }

  function pickYear() {
    var year = document.getElementById("compare-year").value;
    document.querySelectorAll("#compare-offices label").forEach(function (l) {
      var has = (l.getAttribute("data-years") || "").split(" ").indexOf(year) >= 0;
      l.classList.toggle("unavailable", !has);
      l.querySelector("input").disabled = !has;
    });
    drawComparison();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var island = document.getElementById("audit-data");
    DATA = island ? JSON.parse(island.textContent) : {};
    FILTERS.forEach(function (k) {
      document.getElementById("filter-" + k).addEventListener("change", applyFilters);
    });
    document.getElementById("filter-reset").addEventListener("click", function () {
      FILTERS.forEach(function (k) { document.getElementById("filter-" + k).value = ""; });
      applyFilters();
    });
    document.querySelectorAll("button[data-copy]").forEach(function (b) { b.setAttribute("data-label", b.textContent); });
    document.addEventListener("input", function (e) {
      if (e.target.matches("tr[data-key] input")) { mirror(e.target); }
    });
    document.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-copy]");
      if (b) {
        var which = b.getAttribute("data-copy");
        copyLines(which === "visible"
          ? Array.prototype.slice.call(document.querySelectorAll("#evidence [data-finding]:not(.filtered-out) .fix"))
          : [document.getElementById(which)], b);
        return;
      }
      var z = e.target.closest("button.zoom");
      if (z) { zoom(z.querySelector("img")); return; }
      if (e.target.closest("#zoom")) { document.getElementById("zoom").hidden = true; }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { document.getElementById("zoom").hidden = true; }
    });
    if (document.getElementById("compare-year")) {
      document.getElementById("compare-year").addEventListener("change", pickYear);
      document.getElementById("compare-offices").addEventListener("change", drawComparison);
      document.getElementById("compare-all").addEventListener("change", drawComparison);
      document.getElementById("compare-csv").addEventListener("click", function () {
        download("机关对比_" + document.getElementById("compare-year").value + ".csv", comparisonCsv());
      });
      document.getElementById("compare-print").addEventListener("click", function () {
        document.body.classList.add("print-compare");
        window.print();
        document.body.classList.remove("print-compare");
      });
      pickYear();
    }
    applyFilters();
  });
})();
