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
  // A button with data-print prints the page (a supervision notice).
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.addEventListener("click", () => window.print());
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
  // A form sent after the session ended comes back after sign-in: the
  // server hands what it carried to the page it was on (data-draft), and
  // the form is filled in again for the person to check and send.
  const draft = document.body.dataset.draft;
  if (draft) {
    restoreDraft(JSON.parse(draft));
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

// restoreDraft fills the form the draft was sent from with its fields: a
// text field or a select by name (the n-th of a name with the n-th value),
// a checkbox or a radio button ticked when its value was sent. A form
// folded in a <details> is opened, and the first field filled is focused.
function restoreDraft(draft) {
  const form = [...document.forms].find((f) => new URL(f.action, location.href).pathname === draft.action);
  if (!form) {
    return;
  }
  let first = null;
  for (const [name, values] of Object.entries(draft.fields)) {
    const fields = [...form.elements].filter((e) => e.name === name);
    fields.forEach((field, i) => {
      if (field.type === "hidden") {
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.includes(field.value);
      } else if (i < values.length) {
        field.value = values[i];
      }
      first = first || field;
    });
  }
  for (let d = form.closest("details"); d; d = d.parentElement.closest("details")) {
    d.open = true;
  }
  if (first) {
    first.focus();
  }
}
