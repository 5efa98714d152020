// Netra's UI: keyboard shortcuts shared by every page, and the sign-in link.
// A page marks what a key does with data-key="…" on a link or button; this file clicks it.
(function () {
  "use strict";

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function openDialog() {
    return document.querySelector("dialog[open]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (openDialog() && event.key !== "?") return;
    if (event.key === "?") {
      var help = document.getElementById("pintasan");
      if (help && !help.open) help.showModal();
      event.preventDefault();
      return;
    }
    if (event.key === "/") {
      var search = document.querySelector("[data-search]");
      if (search) {
        search.focus();
        event.preventDefault();
      }
      return;
    }
    var target = document.querySelector('[data-key="' + CSS.escape(event.key) + '"]');
    if (target && !target.disabled) {
      event.preventDefault();
      target.click();
    }
  });

  // The sign-in link carries the token in the fragment (#token=…), which no server sees: put it
  // in the form, forget it from the address bar, and sign in.
  // A link opened while the sign-in page is already shown changes only the fragment: no new
  // page loads, so the fragment is also read when it changes.
  function signInFromFragment() {
    var form = document.getElementById("masuk");
    if (!form || !location.hash.startsWith("#token=")) return;
    var token = decodeURIComponent(location.hash.slice("#token=".length));
    history.replaceState(null, "", location.pathname + location.search);
    form.querySelector("[name=token]").value = token;
    form.submit();
  }
  document.addEventListener("DOMContentLoaded", signInFromFragment);
  window.addEventListener("hashchange", signInFromFragment);

  // For pages that act with fetch: the session's CSRF token rides in a header.
  window.netra = {
    csrf: function () {
      return document.body.dataset.csrf || "";
    },
    post: function (url, data) {
      return fetch(url, {
        method: "POST",
        headers: { "X-CSRF-Token": window.netra.csrf(), "Accept": "application/json" },
        body: data instanceof FormData ? data : new URLSearchParams(data || {}),
        credentials: "same-origin",
      });
    },
  };
})();
