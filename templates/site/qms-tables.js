// Registers on the published manual (qmskit): a filter box and sortable columns for tables inside
// <div class="qms-sortable">, offline and keyboard accessible (the column headings become buttons).
// Cells are read with textContent (a day by its <time datetime>) and rows are moved, never rebuilt from text:
// nothing becomes markup.
// A register in <div class="qms-dated" data-from="N" data-to="M" data-label="..."> also gets a date picker that
// keeps the rows in effect on that day: from <= day <= to, where a "to" that is no date means "still".
(function () {
  "use strict";

  // qms-texts.js holds the words in the site's language (from qmskit's catalogue); English when it is missing
  function words() {
    var given = window.qmsTexts || {};
    return {filter: given.filter || "Filter", shown: given.shown || "shown", table: given.table || "Table"};
  }

  // What a cell sorts and filters by: a day's ISO form from its <time datetime> (the text is the language's
  // 27.11.2026, which sorts by the day of the month), otherwise the text.
  function key(cell) {
    if (!cell) return "";
    var time = cell.querySelector("time[datetime]");
    return time ? time.getAttribute("datetime") : cell.textContent.trim();
  }

  function enhance(box, index) {
    var table = box.querySelector("table");
    if (!table || !table.tBodies.length) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var texts = words();

    var label = document.createElement("label");
    label.className = "qms-filter";
    label.textContent = texts.filter + " ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "qms-filter-" + index;
    label.setAttribute("for", input.id);
    label.appendChild(input);
    var status = document.createElement("span");
    status.className = "qms-filter-count";
    status.setAttribute("role", "status");
    box.insertBefore(label, box.firstChild);
    box.insertBefore(status, label.nextSibling);

    function count() {
      var visible = rows.filter(function (r) { return !r.hidden; }).length;
      status.textContent = " " + visible + " / " + rows.length + " " + texts.shown;
    }
    var day = null;
    if (box.classList.contains("qms-dated")) {
      var dayLabel = document.createElement("label");
      dayLabel.className = "qms-filter";
      dayLabel.textContent = (box.getAttribute("data-label") || "") + " ";
      day = document.createElement("input");
      day.type = "date";
      day.id = "qms-day-" + index;
      dayLabel.setAttribute("for", day.id);
      dayLabel.appendChild(day);
      box.insertBefore(dayLabel, status.nextSibling);
    }
    var iso = /^\d{4}-\d{2}-\d{2}$/;
    function cellText(row, attribute) {
      return key(row.cells[parseInt(box.getAttribute(attribute), 10)]);
    }
    function inEffect(row, when) {
      var from = cellText(row, "data-from"), to = cellText(row, "data-to");
      return iso.test(from) && from <= when && (!iso.test(to) || when <= to);
    }
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var when = day && iso.test(day.value) ? day.value : "";
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; }) || (when !== "" && !inEffect(row, when));
      });
      count();
    }
    input.addEventListener("input", apply);
    if (day) {
      day.addEventListener("input", apply);
      day.addEventListener("change", apply);
    }
    count();

    var headers = Array.prototype.slice.call(table.tHead ? table.tHead.rows[0].cells : []);
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "qms-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // Wide tables and diagrams scroll sideways: their scroll area must be reachable by keyboard (WCAG 2.1.1).
  function focusable() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap, .qms-diagram"), function (el) {
      if (el.hasAttribute("tabindex")) return;
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      var heading = el.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      el.setAttribute("aria-label", heading ? heading.textContent.replace("\u00b6", "").trim() : words().table);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".qms-sortable"), enhance);
    focusable();
  }
  window.addEventListener("load", focusable);  // mkdocs-material wraps tables once its own script has run
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}());
