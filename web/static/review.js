// The plan page's keyboard help, for office staff who correct a notice
// without the mouse; every form works without it.
"use strict";

// With the script, the page fits the window and only its two columns
// scroll, so that going to a task moves its column and not the page (and
// the message above stays in view). Without it the columns are sized by
// the style sheet alone.
if (document.querySelector(".review")) {
  document.documentElement.classList.add("review-fit");
}

document.addEventListener("DOMContentLoaded", () => {
  // Enter in a task's text saves the form, as in every other field (a
  // task's text is one paragraph); Shift+Enter still breaks the line.
  for (const area of document.querySelectorAll("textarea[data-enter-submits]")) {
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        area.form.requestSubmit();
      }
    });
  }
  // Esc in an open form leaves it, back to the same place of the page.
  for (const form of document.querySelectorAll("form[data-cancel]")) {
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.isComposing) {
        window.location.assign(form.dataset.cancel);
      }
    });
  }
  // The field of an open form is focused and put a third of the way down
  // its column, once the page is laid out: the browser's autofocus gives
  // way to the address's #fragment, and scrolling the field into view would
  // move the whole page too.
  const field = document.querySelector(".review [autofocus]");
  if (field) {
    window.addEventListener("load", () => {
      const column = field.closest(".col");
      const scrolls = column !== null && column.scrollHeight > column.clientHeight;
      if (scrolls) {
        const top = field.getBoundingClientRect().top - column.getBoundingClientRect().top;
        column.scrollTop += top - column.clientHeight / 3;
      }
      field.focus({ preventScroll: scrolls });
    });
  }
});
