// Intersector's small client-side helpers. Pages work without this file; it only adds
// conveniences on top of htmx. No inline scripts anywhere (Content-Security-Policy).
"use strict";

// htmx 2 does not swap 4xx/5xx answers. Our forms answer 422 with the form and its errors,
// and 409 with a conflict view: swap those too, so the user sees why nothing was saved.
document.addEventListener("htmx:beforeSwap", function (event) {
  const status = event.detail.xhr.status;
  if (status === 422 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Worksheets autosave: when a save cannot reach the server (or the server fails), say so in
// the field's status region. The text stays in the field; the Save button retries.
function autosaveStatusFor(element) {
  const form = element && element.closest ? element.closest("form.autosave") : null;
  return form ? form.querySelector(".autosave__status") : null;
}
function showAutosaveError(event) {
  const status = autosaveStatusFor(event.detail.elt);
  if (!status) return;
  const message = document.createElement("span");
  message.className = "autosave__error";
  message.textContent = status.dataset.errorText || "Not saved — retry.";
  status.replaceChildren(message);
}
document.addEventListener("htmx:sendError", showAutosaveError);
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  if (status !== 422 && status !== 409) showAutosaveError(event);
});

// Copy buttons (the calendar address): shown only where JavaScript runs; without it the
// address is in a read-only field to select and copy by hand.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      const label = button.textContent;
      button.textContent = button.dataset.copiedText || "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
