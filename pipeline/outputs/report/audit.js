// Filters, the year-over-year picker and the copy buttons of the audit report. Plain JS on data
// attributes: a finding carries data-region, data-year, data-rule and data-severity; an office
// section carries data-region and data-years.
(function () {
  "use strict";
  var FILTERS = ["region", "year", "rule", "severity"];

  function chosen() {
    var f = {};
    FILTERS.forEach(function (k) { f[k] = document.getElementById("filter-" + k).value; });
    return f;
  }

  function matches(el, f) {
    return FILTERS.every(function (k) { return !f[k] || el.getAttribute("data-" + k) === f[k]; });
  }

  function applyFilters() {
    var f = chosen();
    document.querySelectorAll("[data-finding]").forEach(function (el) {
      el.classList.toggle("filtered-out", !matches(el, f));
    });
    document.querySelectorAll("section.office").forEach(function (sec) {
      var years = (sec.getAttribute("data-years") || "").split(" ");
      var hide = (f.region && sec.getAttribute("data-region") !== f.region) ||
                 (f.year && years.indexOf(f.year) < 0);
      sec.classList.toggle("filtered-out", !!hide);
    });
    document.querySelectorAll("[data-count-of]").forEach(function (out) {
      var box = document.getElementById(out.getAttribute("data-count-of"));
      var all = box.querySelectorAll("[data-finding]");
      var shown = box.querySelectorAll("[data-finding]:not(.filtered-out)");
      out.textContent = shown.length + " / " + all.length;
    });
  }

  function pickPair(select) {
    var box = document.getElementById(select.getAttribute("data-yoy"));
    box.querySelectorAll("[data-pair]").forEach(function (el) {
      el.hidden = el.getAttribute("data-pair") !== select.value;
    });
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

  function visibleCorrections() {
    var lines = [];
    document.querySelectorAll("#evidence [data-finding]:not(.filtered-out) textarea.corr").forEach(function (ta) {
      lines.push(ta.value.replace(/\n+$/, ""));
    });
    return lines;
  }

  document.addEventListener("DOMContentLoaded", function () {
    FILTERS.forEach(function (k) {
      document.getElementById("filter-" + k).addEventListener("change", applyFilters);
    });
    document.getElementById("filter-reset").addEventListener("click", function () {
      FILTERS.forEach(function (k) { document.getElementById("filter-" + k).value = ""; });
      applyFilters();
    });
    document.querySelectorAll("select[data-yoy]").forEach(function (s) {
      s.addEventListener("change", function () { pickPair(s); });
    });
    document.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-copy]");
      if (!b) { return; }
      if (b.getAttribute("data-copy") === "visible") {
        var all = document.getElementById("all-corrections");
        all.value = all.getAttribute("data-header") + visibleCorrections().join("\n") + "\n";
        copyText(all.value, b);
      } else {
        copyText(document.getElementById(b.getAttribute("data-copy")).value, b);
      }
    });
    applyFilters();
  });
})();
