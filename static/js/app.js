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
