// The queue page: j/k move a visible selection through the rows, Enter opens the selected item,
// x ticks its checkbox; "select all on this page" and the count of rows ticked. The global keys
// (/ to search, ? for help) are in ui.js. Keys typed into a text field are left alone.
(function () {
  "use strict";

  var TEXT_INPUTS = ["text", "search", "number", "date", "email", "url", "tel", "password"];

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return true;
    if (tag !== "INPUT") return false;
    var type = (target.getAttribute("type") || "text").toLowerCase();
    return TEXT_INPUTS.indexOf(type) !== -1 || target.list != null;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue] tbody tr[data-row]"));
  }

  var current = -1;

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) {
      row.setAttribute("aria-selected", i === current ? "true" : "false");
    });
    var row = all[current];
    row.scrollIntoView({ block: "nearest" });
    var link = row.querySelector("[data-open]");
    if (link) {
      link.focus({ preventScroll: true });
    } else {
      if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
      row.focus({ preventScroll: true });
    }
  }

  function selectedRow() {
    var all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function updateCount() {
    var output = document.querySelector("[data-selected-count]");
    var boxes = document.querySelectorAll("[data-select]");
    var ticked = document.querySelectorAll("[data-select]:checked").length;
    if (output) {
      output.textContent = (output.dataset.words || "{n}").replace("{n}", String(ticked));
    }
    var all = document.querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      var step = event.key === "j" ? 1 : -1;
      select(current < 0 ? 0 : current + step);
      return;
    }
    var row = selectedRow();
    if (!row) return;
    if (event.key === "x") {
      var box = row.querySelector("[data-select]");
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
        updateCount();
      }
      return;
    }
    if (event.key === "Enter") {
      var target = event.target;
      // A focused link or button answers Enter itself (the row's link included).
      if (target && (target.tagName === "A" || target.tagName === "BUTTON" || target.tagName === "SUMMARY")) return;
      // Elsewhere (another row's checkbox, a form), Enter is not about the selected row.
      var page = target === document.body || (target && target.tagName === "MAIN");
      if (target && !page && !row.contains(target)) return;
      var link = row.querySelector("[data-open]");
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-select-all]")) {
      document.querySelectorAll("[data-select]").forEach(function (box) {
        box.checked = target.checked;
      });
      updateCount();
    } else if (target.matches && target.matches("[data-select]")) {
      updateCount();
    }
  });

  // A click on a row (not on its link or checkbox) selects it for the keys.
  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-queue] tbody tr[data-row]");
    if (!row) return;
    var index = rows().indexOf(row);
    if (index === -1) return;
    current = index;
    rows().forEach(function (other, i) {
      other.setAttribute("aria-selected", i === current ? "true" : "false");
    });
  });

  document.addEventListener("DOMContentLoaded", updateCount);
})();
