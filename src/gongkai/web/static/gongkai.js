// gongkai web: progressive enhancement only; every page works without this file.
// Tables with class "sortable" sort by a click on a header (numbers as numbers).
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var raw = cell.getAttribute("data-sort") || cell.textContent || "";
    var num = parseFloat(raw.replace(/[,\s%]/g, ""));
    return isNaN(num) ? raw.trim() : num;
  }
  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var asc = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (x === y) { return 0; }
      var less = (typeof x === typeof y) ? x < y : String(x) < String(y);
      return (less ? -1 : 1) * (asc ? 1 : -1);
    });
    Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", asc ? "ascending" : "descending");
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      Array.prototype.forEach.call(heads, function (th, index) {
        if (th.classList.contains("nosort")) { return; }
        th.tabIndex = 0;
        th.classList.add("sort");
        th.addEventListener("click", function (event) {
          if (event.target.tagName === "A" && !table.classList.contains("client-sort")) { return; }
          event.preventDefault();
          sortBy(table, index, th);
        });
      });
    });
  });
})();
