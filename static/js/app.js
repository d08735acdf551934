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
// @mentions: in a field with data-mentions (its value: the URL of the collaboration's
// names), typing "@" and the start of a name lists the members and organisations that match
// below the field. ArrowDown/ArrowUp move through the list (aria-activedescendant keeps
// the focus in the field), Enter or Tab chooses, Escape closes; a click chooses too. The
// server recognises the full name after "@", so typing it out works without this script.
const mentionNames = new Map(); // URL -> Promise of [{name, kind, kind_label, hint}]
let mentionCounter = 0;

function loadMentionNames(url) {
  if (!mentionNames.has(url)) {
    const request = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { names: [] }; })
      .then(function (data) { return data.names || []; })
      .catch(function () { mentionNames.delete(url); return []; });
    mentionNames.set(url, request);
  }
  return mentionNames.get(url);
}

// The "@word" being typed just before the caret, or null.
function mentionQuery(field) {
  const caret = field.selectionStart;
  if (caret !== field.selectionEnd) return null;
  const before = field.value.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0 || caret - at > 60) return null;
  if (at > 0 && /[\w@]/.test(before.charAt(at - 1))) return null; // an e-mail address
  const query = before.slice(at + 1);
  if (/\n/.test(query) || /^\s/.test(query)) return null;
  return { start: at, end: caret, text: query.toLocaleLowerCase() };
}

function mentionMatches(names, text) {
  return names.filter(function (entry) {
    const name = entry.name.toLocaleLowerCase();
    return name.startsWith(text) || name.split(/\s+/).some(function (word) { return word.startsWith(text); });
  }).slice(0, 8);
}

function mentionListFor(field) {
  if (field.mentionList) return field.mentionList;
  mentionCounter += 1;
  const list = document.createElement("ul");
  list.id = "mention-list-" + mentionCounter;
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", field.dataset.mentionsLabel || "Names to mention");
  list.hidden = true;
  field.insertAdjacentElement("afterend", list);
  field.parentElement.classList.add("mention-host");
  field.setAttribute("aria-controls", list.id);
  field.setAttribute("aria-autocomplete", "list");
  list.addEventListener("mousedown", function (event) {
    const option = event.target.closest("[role=option]");
    if (!option) return;
    event.preventDefault(); // keep the focus in the field
    chooseMention(field, Number(option.dataset.index));
  });
  field.mentionList = list;
  return list;
}

function closeMentions(field) {
  const list = field.mentionList;
  if (!list || list.hidden) return;
  list.hidden = true;
  list.replaceChildren();
  field.removeAttribute("aria-activedescendant");
  field.mentionState = null;
}

function setActiveMention(field, index) {
  const state = field.mentionState;
  const options = field.mentionList.querySelectorAll("[role=option]");
  state.active = (index + options.length) % options.length;
  options.forEach(function (option, i) {
    option.setAttribute("aria-selected", i === state.active ? "true" : "false");
  });
  field.setAttribute("aria-activedescendant", options[state.active].id);
}

function showMentions(field, query, matches) {
  const list = mentionListFor(field);
  if (!matches.length) { closeMentions(field); return; }
  list.replaceChildren();
  matches.forEach(function (entry, i) {
    const option = document.createElement("li");
    option.id = list.id + "-" + i;
    option.setAttribute("role", "option");
    option.dataset.index = String(i);
    option.className = "mention-list__option";
    const name = document.createElement("span");
    name.className = "mention-list__name";
    name.textContent = entry.name;
    const hint = document.createElement("span");
    hint.className = "mention-list__hint";
    hint.textContent = entry.kind_label + (entry.hint ? " · " + entry.hint : "");
    option.append(name, " ", hint);
    list.append(option);
  });
  list.style.top = field.offsetTop + field.offsetHeight + "px";
  list.style.left = field.offsetLeft + "px";
  list.style.minWidth = Math.min(field.offsetWidth, 360) + "px";
  list.hidden = false;
  field.mentionState = { query: query, matches: matches, active: 0 };
  setActiveMention(field, 0);
}

function chooseMention(field, index) {
  const state = field.mentionState;
  if (!state) return;
  const entry = state.matches[index];
  const value = field.value;
  const insert = "@" + entry.name + " ";
  field.value = value.slice(0, state.query.start) + insert + value.slice(state.query.end);
  const caret = state.query.start + insert.length;
  field.setSelectionRange(caret, caret);
  closeMentions(field);
  field.dispatchEvent(new Event("input", { bubbles: true })); // autosave sees the change
}

document.addEventListener("input", function (event) {
  const field = event.target;
  if (!(field instanceof HTMLTextAreaElement) || !field.dataset.mentions) return;
  const query = mentionQuery(field);
  if (!query) { closeMentions(field); return; }
  loadMentionNames(field.dataset.mentions).then(function (names) {
    const now = mentionQuery(field);
    if (!now || now.start !== query.start || document.activeElement !== field) return;
    showMentions(field, now, mentionMatches(names, now.text));
  });
});

document.addEventListener("keydown", function (event) {
  const field = event.target;
  if (!(field instanceof HTMLTextAreaElement) || !field.mentionState) return;
  const state = field.mentionState;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    setActiveMention(field, state.active + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    chooseMention(field, state.active);
  } else if (event.key === "Escape") {
    event.preventDefault();
    closeMentions(field);
  }
});

document.addEventListener("focusout", function (event) {
  const field = event.target;
  if (field instanceof HTMLTextAreaElement && field.mentionState) closeMentions(field);
});

// Live pages (worksheets/live.py): every element with data-live-poll is polled every 1.5 s
// while the tab is visible, with the ETag of its last answer, so an unchanged page costs a
// 304 and swaps nothing. The answer only carries the regions others write in (picked by id
// with hx-select-oob); a field someone is typing in is never part of it.
// A tool page polls each question while it is on screen (a phone shows one at a time).
// Others' saves must show within 2 s: the interval plus the poll's own answer time.
const LIVE_POLL_MS = 1500;
const onScreen = new WeakSet();
const watcher = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
  entries.forEach(function (entry) {
    const poller = entry.target.querySelector("[data-live-poll]");
    if (!poller) return;
    if (entry.isIntersecting) onScreen.add(poller);
    else onScreen.delete(poller);
  });
}) : null;
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-live-when-on-screen]").forEach(function (poller) {
    if (watcher) watcher.observe(poller.parentElement);
    else onScreen.add(poller);
  });
});
window.setInterval(function () {
  if (document.visibilityState !== "visible" || !window.htmx) return;
  document.querySelectorAll("[data-live-poll]").forEach(function (poller) {
    if (poller.hasAttribute("data-live-when-on-screen") && !onScreen.has(poller)) return;
    window.htmx.trigger(poller, "live:poll");
  });
}, LIVE_POLL_MS);
document.addEventListener("htmx:configRequest", function (event) {
  const poller = event.detail.elt;
  if (poller.hasAttribute("data-live-poll") && poller.dataset.etag) {
    event.detail.headers["If-None-Match"] = poller.dataset.etag;
  }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  const poller = event.detail.elt;
  if (!poller.hasAttribute || !poller.hasAttribute("data-live-poll")) return;
  const xhr = event.detail.xhr;
  if (xhr.status === 304) {
    event.detail.shouldSwap = false;
    return;
  }
  const etag = xhr.getResponseHeader("ETag");
  if (etag) poller.dataset.etag = etag;
});

// New or changed perspectives (data-live-item with a data-version) glow for a moment.
const seenVersions = new Map();
function markFresh(first) {
  document.querySelectorAll("[data-live-item]").forEach(function (item) {
    const before = seenVersions.get(item.id);
    if (!first && before !== item.dataset.version) {
      item.classList.add("is-fresh");
      window.setTimeout(function () { item.classList.remove("is-fresh"); }, 4000);
    }
    seenVersions.set(item.id, item.dataset.version);
  });
}
// A facilitator's editor keeps their text; a newer agreed answer is shown beside it.
function showNewerAgreedAnswers() {
  document.querySelectorAll("[data-agreed-live]").forEach(function (notice) {
    const section = notice.closest(".agreed");
    const base = section ? section.querySelector("input[name=base_version]") : null;
    notice.hidden = !base || notice.dataset.agreedVersion === base.value;
  });
}
function afterLiveSwap() {
  markFresh(false);
  showNewerAgreedAnswers();
}
document.addEventListener("htmx:oobAfterSwap", afterLiveSwap);
document.addEventListener("htmx:afterSettle", afterLiveSwap);
document.addEventListener("DOMContentLoaded", function () { markFresh(true); });

// Presenter view: arrow keys move between questions (outside form fields), a countdown
// timer the facilitator starts, and full screen.
document.addEventListener("keydown", function (event) {
  if (!document.querySelector("[data-presenter]")) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  const link = event.key === "ArrowLeft" ? document.querySelector("[data-present-prev]")
    : event.key === "ArrowRight" ? document.querySelector("[data-present-next]") : null;
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  const timer = document.querySelector("[data-timer]");
  if (timer) {
    timer.hidden = false;
    const display = timer.querySelector("[data-timer-display]");
    const announce = timer.querySelector("[data-timer-announce]");
    let ticking = null;
    const show = function (seconds) {
      const m = Math.floor(seconds / 60), s = seconds % 60;
      display.textContent = m + ":" + String(s).padStart(2, "0");
    };
    const stop = function () {
      if (ticking) window.clearInterval(ticking);
      ticking = null;
      timer.classList.remove("is-running", "is-over");
    };
    timer.querySelectorAll("[data-timer-start]").forEach(function (button) {
      button.addEventListener("click", function () {
        stop();
        const end = Date.now() + Number(button.dataset.timerStart) * 60000;
        timer.classList.add("is-running");
        announce.textContent = button.textContent.trim();
        const tick = function () {
          const left = Math.max(0, Math.round((end - Date.now()) / 1000));
          show(left);
          if (left === 0) {
            stop();
            timer.classList.add("is-over");
            announce.textContent = display.dataset.overText || "0:00";
          }
        };
        tick();
        ticking = window.setInterval(tick, 250);
      });
    });
    timer.querySelector("[data-timer-stop]").addEventListener("click", function () {
      stop();
      display.textContent = "–:––";
    });
  }
  const fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  }
});
