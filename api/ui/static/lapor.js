// The public report form (/lapor): checks a chosen screenshot before anything is sent (its size,
// and its first bytes: PNG, JPEG or WebP, as the server checks them) and shows it. The server
// checks everything again; without this script the form works the same.
"use strict";

(function () {
  const form = document.getElementById("lapor-form");
  const input = document.getElementById("tangkapan");
  const message = document.getElementById("tangkapan-check");
  const preview = document.getElementById("tangkapan-pratinjau");
  if (!form || !input || !message || !preview) return;
  const maxBytes = Number(form.dataset.maxBytes || 0);
  let shown = null;

  function startsWith(bytes, prefix) {
    return prefix.every((value, i) => bytes[i] === value);
  }

  function isImage(bytes) {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    const jpeg = [0xff, 0xd8, 0xff];
    const riff = [0x52, 0x49, 0x46, 0x46];
    const webp = [0x57, 0x45, 0x42, 0x50];
    return startsWith(bytes, png) || startsWith(bytes, jpeg) ||
      (startsWith(bytes, riff) && startsWith(bytes.slice(8, 12), webp));
  }

  function refuse(text) {
    input.value = "";
    input.setAttribute("aria-invalid", "true");
    message.textContent = text;
    message.hidden = false;
    preview.hidden = true;
  }

  function clear() {
    input.removeAttribute("aria-invalid");
    message.textContent = "";
    message.hidden = true;
    if (shown) URL.revokeObjectURL(shown);
    shown = null;
    preview.hidden = true;
  }

  input.addEventListener("change", async () => {
    clear();
    const file = input.files && input.files[0];
    if (!file) return;
    if (maxBytes && file.size > maxBytes) {
      refuse(form.dataset.msgTooLarge);
      return;
    }
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    if (!isImage(head)) {
      refuse(form.dataset.msgNotImage);
      return;
    }
    shown = URL.createObjectURL(file);
    preview.src = shown;
    preview.hidden = false;
  });

  // After a refused send, take the reader to what needs fixing.
  const summary = document.getElementById("lapor-errors") || document.getElementById("lapor-alert");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();
