// duban's one script, and the pages work without it: it only saves a click
// or guards against a slip. Loaded from the server itself, as the
// Content-Security-Policy requires.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A filter form marked data-autosubmit applies a choice at once.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.requestSubmit());
    }
  }
  // A checkbox marked data-check-all ticks or unticks every box of its
  // form named as its value says: the review queue's "all".
  for (const all of document.querySelectorAll("input[data-check-all]")) {
    all.addEventListener("change", () => {
      for (const box of all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)) {
        box.checked = all.checked;
      }
    });
  }
  // A button with data-confirm asks before it submits its form.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }
});
