/* vn_officialdoc review page: sorting, filters and field <-> text highlighting.
   No network, no eval, no innerHTML: letter text is only ever read, never parsed. */
(function () {
  "use strict";
  var table = document.getElementById("letters");
  var tbody = table.tBodies[0];
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  var search = document.getElementById("f-text");
  var shown = document.getElementById("shown");
  var form = document.getElementById("filters");

  function rows() { return Array.prototype.slice.call(tbody.rows); }

  function applyFilters() {
    var needle = (search.value || "").trim().toLowerCase();
    var count = 0;
    rows().forEach(function (tr) {
      var ok = selects.every(function (sel) {
        if (sel.value === "*") { return true; }
        var have = tr.dataset[sel.dataset.key] || "";
        if (sel.dataset.key === "status") { return sel.value.split(" ").indexOf(have) >= 0; }
        return have === sel.value;
      });
      if (ok && needle) { ok = (tr.dataset.text || "").toLowerCase().indexOf(needle) >= 0; }
      tr.hidden = !ok;
      var art = document.getElementById(tr.dataset.id);
      if (art) { art.hidden = !ok; }
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + tbody.rows.length + " shown";
  }

  selects.forEach(function (sel) { sel.addEventListener("change", applyFilters); });
  search.addEventListener("input", applyFilters);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });

  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.dataset.key, num = th.dataset.num === "1";
      var asc = !th.classList.contains("sorted-asc");
      heads.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var sorted = rows().sort(function (a, b) {
        var x = a.dataset[key] || "", y = b.dataset[key] || "";
        var c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "vi");
        if (c === 0) { c = (parseFloat(a.dataset.rank) || 0) - (parseFloat(b.dataset.rank) || 0); }
        return asc ? c : -c;
      });
      sorted.forEach(function (tr) { tbody.appendChild(tr); });
    });
  });

  function clearActive(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll(".active"), function (el) {
      el.classList.remove("active");
    });
  }

  function activateRow(tr, scroll) {
    var art = tr.closest("article");
    clearActive(art);
    tr.classList.add("active");
    var first = null;
    (tr.dataset.s || "").split(" ").filter(Boolean).forEach(function (sid) {
      Array.prototype.forEach.call(art.querySelectorAll('.hl[data-s~="' + sid + '"]'), function (el) {
        el.classList.add("active");
        if (!first) { first = el; }
      });
    });
    if (!first) {
      (tr.dataset.lines || "").split(" ").filter(Boolean).forEach(function (no) {
        var ln = art.querySelector('.ln[data-no="' + no + '"]');
        if (ln) { ln.classList.add("active"); if (!first) { first = ln; } }
      });
    }
    if (first && scroll) { first.scrollIntoView({block: "center", behavior: "auto"}); }
  }

  Array.prototype.forEach.call(document.querySelectorAll(".fieldtable tr.linked"), function (tr) {
    tr.addEventListener("click", function () { activateRow(tr, true); });
    tr.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { activateRow(tr, true); } });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".source .hl"), function (el) {
    el.addEventListener("click", function () {
      var art = el.closest("article");
      var sids = (el.dataset.s || "").split(" ");
      var found = null;
      Array.prototype.forEach.call(art.querySelectorAll(".fieldtable tr.linked"), function (tr) {
        if (found) { return; }
        var mine = (tr.dataset.s || "").split(" ");
        if (sids.some(function (s) { return s && mine.indexOf(s) >= 0; })) { found = tr; }
      });
      if (found) { activateRow(found, false); found.scrollIntoView({block: "nearest"}); }
    });
  });

  document.documentElement.dataset.reviewReady = "1";
  applyFilters();
}());
