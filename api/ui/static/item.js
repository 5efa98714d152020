// The item page: the dismiss dialog (key 2 clicks its opener through ui.js), Enter to submit
// from the reason menu, notes that must be written before a decision, the 409 banner in focus.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    // Opening the dismiss dialog: the reason menu takes the focus.
    document.querySelectorAll("[data-dialog]").forEach(function (opener) {
      var dialog = document.getElementById(opener.dataset.dialog);
      if (!dialog) return;
      opener.addEventListener("click", function () {
        if (!dialog.open) dialog.showModal();
        var first = dialog.querySelector("select, textarea, input:not([type=hidden])");
        if (first) first.focus();
      });
      dialog.addEventListener("close", function () {
        opener.focus();
      });
      if (dialog.hasAttribute("data-open-on-load")) opener.click();
    });

    document.querySelectorAll("[data-close]").forEach(function (button) {
      button.addEventListener("click", function () {
        var dialog = document.getElementById(button.dataset.close);
        if (dialog) dialog.close();
      });
    });

    // Enter on the reason menu submits the dialog's form (a select does not do it by itself);
    // the browser still refuses an empty reason and says so.
    document.querySelectorAll("dialog select").forEach(function (select) {
      select.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey) return;
        event.preventDefault();
        var form = select.form;
        if (form && form.reportValidity()) form.requestSubmit();
      });
    });

    // A decision without its note: the note field takes the focus and its hint stands out.
    document.querySelectorAll(".act-note input[required], .act-comment textarea[required]").forEach(
      function (field) {
        field.addEventListener("invalid", function () {
          field.closest("form").classList.add("needs-note");
        });
        field.addEventListener("input", function () {
          field.closest("form").classList.remove("needs-note");
        });
      }
    );

    // One submission per form: a double press of a key does not send the decision twice.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) {
          event.preventDefault();
          return;
        }
        form.dataset.sent = "1";
      });
    });

    // A page restored from the back/forward cache may send again.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      document.querySelectorAll("form[data-sent]").forEach(function (form) {
        delete form.dataset.sent;
      });
    });

    // After a conflict the banner is read first.
    var conflict = document.getElementById("judul-konflik");
    if (conflict) conflict.focus();
  });
})();
