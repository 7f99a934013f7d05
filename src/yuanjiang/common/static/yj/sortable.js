// Sorts a table.sortable by the column whose header button is clicked (again: the other way). Numbers
// sort as numbers (1,234.56 · 82.9% · 严重2 5), a dash or "—" last; the tfoot (totals) stays put.
(function () {
  "use strict";
  function key(cell) {
    var text = (cell ? cell.textContent : "").trim();
    var numbers = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/g);
    if (cell && cell.classList.contains("num")) {
      if (!numbers) return { n: null, t: text };
      return { n: parseFloat(numbers[numbers.length - 1]), t: text };
    }
    return { n: null, t: text };
  }
  function compare(a, b, dir) {
    if (a.n !== null || b.n !== null) {
      if (a.n === null) return 1;
      if (b.n === null) return -1;
      return (a.n - b.n) * dir;
    }
    return a.t.localeCompare(b.t, "zh-Hans-CN") * dir;
  }
  function sort(table, index, th) {
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) { return compare(key(r1.cells[index]), key(r2.cells[index]), dir); });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function start() {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.tHead) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = th.querySelector("button");
        if (button) button.addEventListener("click", function () { sort(table, index, th); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
