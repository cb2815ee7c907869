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
  window.addEventListener("load", () => {
    if (field) {
      const column = field.closest(".col");
      scrollWithin(column, field, 1 / 3);
      field.focus({ preventScroll: column !== null && column.scrollHeight > column.clientHeight });
    }
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    showSource(target && target.closest(".item"));
  });
  // The notice follows the reading: the paragraph of the task or statement
  // arrived at, or moved to with the keyboard, is marked and brought into
  // view in its column.
  const reading = document.querySelector(".review .reading");
  if (reading) {
    reading.addEventListener("focusin", (event) => showSource(event.target.closest(".item")));
  }
});

// scrollWithin scrolls a column so that el sits at the fraction of its
// height given; a column that does not scroll (on a phone) is left alone.
function scrollWithin(column, el, at) {
  if (column && column.scrollHeight > column.clientHeight) {
    const top = el.getBoundingClientRect().top - column.getBoundingClientRect().top;
    column.scrollTop += top - column.clientHeight * at;
  }
}

// showSource marks the notice's paragraph an item of the reading is read
// from and scrolls the notice to it.
function showSource(item) {
  const link = item ? item.querySelector("a.src") : null;
  const para = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
  if (!para) {
    return;
  }
  for (const other of document.querySelectorAll(".notice .here")) {
    other.classList.remove("here");
  }
  para.classList.add("here");
  const words = para.querySelector(`.seg[data-item="${item.id}"]`);
  if (words) {
    words.classList.add("here");
  }
  scrollWithin(para.closest(".col"), para, 1 / 4);
}
