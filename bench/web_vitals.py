"""W1: lab Core Web Vitals in Chromium — LCP and CLS of the main pages, keystroke → "Saved".

    .venv/bin/python bench/web_vitals.py                 # scale seed, 20 samples each
    .venv/bin/python bench/web_vitals.py --seed demo --repeat 10

Serves the app as bench/load.py does (gunicorn, DEBUG=0, BENCH_PLAIN_HTTP=1 on 127.0.0.1;
bench/serving.py), signs in through the sign-in form as a partner and drives Debian's
Chromium with Playwright:

- LCP and CLS of the tool page, the stage page, the overview and the dashboard: each sample
  opens the page in a fresh browser context (empty HTTP cache, the session cookie kept),
  reads the buffered ``largest-contentful-paint`` and ``layout-shift`` entries once the page
  has loaded and settled, CLS as the largest session window (gaps < 1 s, windows ≤ 5 s).
- Keystroke → "Saved" painted on a worksheet answer: three keys typed into the answer's
  textarea, then the time until the status region holds a new "Saved …" message and a
  frame has been painted (a MutationObserver sees the swap, then requestAnimationFrame and
  a task after it). Measured from the last keystroke (includes the autosave pause of the
  textarea's ``hx-trigger``, read from the page), from the last keystroke minus that pause,
  and from the request being sent (``htmx:beforeSend``).

Prints p50 and p95 per metric and compares p95 with the W1 thresholds (LCP ≤ 2.5 s,
CLS ≤ 0.1, keystroke-to-status ≤ 200 ms; bench/README.md, /work/shared/quality-targets.md).
Loopback, no CPU or network throttling: a lab proxy, not field data.
"""

import argparse
import math
import os
import re
import statistics
import subprocess
import sys

from serving import (
    PYTHON,
    add_server_arguments,
    bench_script,
    ensure_database,
    manage,
    server_env,
    start_gunicorn,
    stop,
    wait_healthy,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/browser/conftest.py: the machine has no internet
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SEEDS = {
    "scale": {
        "slug": "scale-test",
        "email": "scale-0@example.org",
        "password": "intersector-scale",
        "script": ["seed_scale", "--partners", "150", "--answers", "5000"],
    },
    "demo": {
        "slug": "riverton-youth-jobs-compact",
        "email": "partner@example.org",
        "password": "intersector-demo",
        "command": ["seed_demo"],
    },
}
TOOL = "design/tools/identify-a-manager"
LCP_LIMIT_MS, CLS_LIMIT, KEYSTROKE_LIMIT_MS = 2500, 0.1, 200

# Runs before any page script (CDP, so the Content-Security-Policy does not apply).
OBSERVE_VITALS = """
(() => {
  const vitals = (window.__vitals = { lcp: null, lcpElement: null, shifts: [] });
  const describe = (el) =>
    !el ? "(removed)" : el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.classList.length ? "." + [...el.classList].slice(0, 2).join(".") : "");
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      vitals.lcp = entry.startTime;
      vitals.lcpElement = describe(entry.element);
    }
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) vitals.shifts.push([entry.startTime, entry.value]);
    }
  }).observe({ type: "layout-shift", buffered: true });
})();
"""

# After load: let late shifts and paints happen, then read what the observers saw.
READ_VITALS = """
async (settleMs) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await new Promise((r) => setTimeout(r, settleMs));
  const v = window.__vitals;
  let cls = 0, window_ = 0, first = null, previous = null;
  for (const [start, value] of v.shifts) {
    if (previous !== null && (start - previous > 1000 || start - first > 5000)) {
      window_ = 0;
      first = null;
    }
    if (first === null) first = start;
    window_ += value;
    previous = start;
    cls = Math.max(cls, window_);
  }
  const nav = performance.getEntriesByType("navigation")[0];
  return { lcp: v.lcp, lcpElement: v.lcpElement, cls, ttfb: nav ? nav.responseStart : null };
}
"""

# Watches one autosave form: last keydown, request sent, response, "Saved" swapped, painted.
PROBE_AUTOSAVE = """
(textarea) => {
  const form = textarea.closest("form.autosave");
  const status = form.querySelector(".autosave__status");
  const probe = (window.__save = {});
  window.__resetSave = () => {
    for (const key of ["key", "sent", "responded", "seen", "painted", "text"]) probe[key] = null;
  };
  window.__resetSave();
  textarea.addEventListener("keydown", (event) => { probe.key = event.timeStamp; }, true);
  document.addEventListener("htmx:beforeSend", (event) => {
    if (form.contains(event.detail.elt)) probe.sent = performance.now();
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (form.contains(event.detail.elt)) probe.responded = performance.now();
  });
  new MutationObserver((mutations) => {
    if (probe.sent === null || probe.seen !== null) return;
    const saved = status.querySelector(".autosave__ok");
    const isNew = mutations.some((m) => [...m.addedNodes].some((n) => n === saved));
    if (!saved || !isNew || !/saved/i.test(saved.textContent)) return;
    probe.seen = performance.now();
    probe.text = saved.textContent.trim();
    // requestAnimationFrame runs just before the frame is painted; the task posted from it
    // runs once that frame is out.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { probe.painted = performance.now(); };
      channel.port2.postMessage(null);
    });
  }).observe(status, { childList: true, subtree: true, characterData: true });
  const trigger = textarea.getAttribute("hx-trigger") || "";
  const delay = /delay:(\\d+)(ms|s)/.exec(trigger);
  return delay ? Number(delay[1]) * (delay[2] === "s" ? 1000 : 1) : 0;
}
"""


def nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def sign_in(browser, host: str, email: str, password: str) -> dict:
    context = browser.new_context(base_url=host)
    page = context.new_page()
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    state = context.storage_state()
    context.close()
    return state


def page_vitals(browser, host: str, state: dict, path: str, settle_ms: int) -> dict:
    context = browser.new_context(base_url=host, storage_state=state)
    context.add_init_script(OBSERVE_VITALS)
    try:
        page = context.new_page()
        response = page.goto(path, wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"{path} answered {response and response.status}")
        return page.evaluate(READ_VITALS, settle_ms)
    finally:
        context.close()


def keystroke_samples(browser, host: str, state: dict, path: str, repeat: int) -> tuple:
    context = browser.new_context(base_url=host, storage_state=state)
    page = context.new_page()
    page.goto(path, wait_until="load")
    textarea = page.locator("form.autosave textarea").first
    debounce_ms = textarea.evaluate(PROBE_AUTOSAVE)
    textarea.click()
    page.keyboard.press("Control+End")
    samples = []
    for i in range(repeat):
        page.evaluate("window.__resetSave()")
        page.keyboard.type(f" {i % 10}a", delay=40)  # a short burst of typing
        page.wait_for_function("() => window.__save.painted !== null", timeout=15_000)
        probe = page.evaluate("window.__save")
        samples.append(
            {
                "from last keystroke": probe["painted"] - probe["key"],
                "minus pause": probe["painted"] - probe["key"] - debounce_ms,
                "from request sent": probe["painted"] - probe["sent"],
                "request sent → response": probe["responded"] - probe["sent"],
                "text": probe["text"],
            }
        )
        page.wait_for_timeout(300)
    context.close()
    return debounce_ms, samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_arguments(parser)
    parser.add_argument("--seed", choices=sorted(SEEDS), default="scale")
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument("--repeat", type=int, default=20, help="samples per metric")
    parser.add_argument("--settle-ms", type=int, default=500, help="wait after load")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")

    from playwright.sync_api import sync_playwright

    seed = SEEDS[args.seed]
    slug = seed["slug"]
    pages = {
        "tool page": f"/c/{slug}/{TOOL}/",
        "stage page": f"/c/{slug}/design/",
        "overview": f"/c/{slug}/",
        "dashboard": f"/c/{slug}/dashboard/",
    }
    env = server_env(database_url=args.database_url, port=args.port, workers=args.workers)
    host = f"http://127.0.0.1:{args.port}"
    ensure_database(args.database_url)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    if not args.no_seed:
        if "script" in seed:
            bench_script(*seed["script"], env=env)
        else:
            manage(*seed["command"], env=env)
        code = f"import psycopg; psycopg.connect({args.database_url!r}, autocommit=True).execute('analyze')"
        subprocess.run([PYTHON, "-c", code], check=True)
    server = start_gunicorn(env)
    load_before = os.getloadavg()[0]
    try:
        wait_healthy(host)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(
                f"Chromium {browser.version} (headless, 1280×720, no throttling), gunicorn "
                f"{args.workers} sync workers on {host}, {args.seed} seed ({slug}), signed in as "
                f"{seed['email']}; {args.repeat} samples per metric; {os.cpu_count()} cores, "
                f"load average {load_before:.2f} at the start."
            )
            state = sign_in(browser, host, seed["email"], seed["password"])
            for path in pages.values():  # warm the server (first render, caches)
                page_vitals(browser, host, state, path, 0)
            loads = {name: [] for name in pages}
            for _ in range(args.repeat):  # interleaved, so drift in load hits every page
                for name, path in pages.items():
                    loads[name].append(page_vitals(browser, host, state, path, args.settle_ms))
            debounce_ms, saves = keystroke_samples(
                browser, host, state, pages["tool page"], args.repeat
            )
            browser.close()
    finally:
        stop(server)

    rows = []
    for name, samples in loads.items():
        lcp = [s["lcp"] for s in samples if s["lcp"] is not None]
        elements = statistics.mode(s["lcpElement"] for s in samples)
        rows.append((f"LCP, {name} (element: {elements})", lcp, "ms", LCP_LIMIT_MS))
        rows.append((f"CLS, {name}", [s["cls"] for s in samples], "", CLS_LIMIT))
        rows.append((f"TTFB, {name} (context)", [s["ttfb"] for s in samples], "ms", None))
    rows += [
        (
            f'keystroke → "Saved" painted, from last keystroke (incl. the {debounce_ms} ms pause)',
            [s["from last keystroke"] for s in saves],
            "ms",
            None,
        ),
        (
            f'keystroke → "Saved" painted, minus the {debounce_ms} ms autosave pause',
            [s["minus pause"] for s in saves],
            "ms",
            KEYSTROKE_LIMIT_MS,
        ),
        (
            'request sent → "Saved" painted',
            [s["from request sent"] for s in saves],
            "ms",
            KEYSTROKE_LIMIT_MS,
        ),
        (
            "request sent → response (context)",
            [s["request sent → response"] for s in saves],
            "ms",
            None,
        ),
    ]
    print("\n## W1: lab web vitals\n")
    print("| metric | n | p50 | p95 | W1 threshold | p95 within |")
    print("|---|---:|---:|---:|---:|---|")
    for label, values, unit, limit in rows:
        p50, p95 = statistics.median(values), nearest_rank(values, 0.95)
        number = (lambda v: f"{v:.3f}") if unit == "" else (lambda v: f"{v:,.0f} ms")
        verdict = "–" if limit is None else ("yes" if p95 <= limit else "**no**")
        print(
            f"| {label} | {len(values)} | {number(p50)} | {number(p95)} | "
            f"{'–' if limit is None else '≤ ' + number(limit)} | {verdict} |"
        )
    texts = sorted({re.sub(r"\d", "0", s["text"]) for s in saves})
    print(
        f"\nStatus after each save: {', '.join(texts)}. Load average at the end: "
        f"{os.getloadavg()[0]:.2f} (other work on the machine inflates every number)."
    )


if __name__ == "__main__":
    sys.exit(main())
