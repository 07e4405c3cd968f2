"""Helpers for tests of every app (fixtures live in the root conftest.py)."""

import re

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")


def untranslated(html):
    """CJK text left in a page rendered in English, with a little context for the failure message.

    Render pages for this check with ASCII-named records: any Chinese left is then a
    string that was not marked for translation or has no English in the catalogue.
    The language switch itself (简体中文) is the one Chinese word an English page shows.
    """
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    found = []
    for match in CJK.finditer(text):
        if match.group() == "简体中文":
            continue
        found.append(text[max(0, match.start() - 40) : match.end() + 20].replace("\n", " "))
    return found


def in_english(client):
    """Switch the test client's pages to English, as the switch in the page does."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- Accessibility: axe-core in the browser tests ------------------------------------------

AXE_SOURCE = "node_modules/axe-core/axe.min.js"  # from npm, served to the tests only
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

_AUDIT = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " : " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")),
    })),
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    // What a screen reader reads with a control is found by id: a name that is on no element reads nothing.
    dangling: [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(element =>
      ["aria-describedby", "aria-labelledby"].flatMap(name =>
        (element.getAttribute(name) || "").split(/\\s+/).filter(id => id && !document.getElementById(id))
          .map(id => `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""} ${name}="${id}"`))).slice(0, 5),
  };
}"""


class PageAudit:
    """Runs axe-core on every page a browser test loads, and measures it against the viewport.

    ``attach(context)`` preloads axe into every document of a Playwright context (an init script,
    which the page's CSP does not apply to) and audits each page on its "load" event, so every page
    a test visits, desktop or phone, is checked as it is met; ``problems`` lists serious or critical
    WCAG 2.1 AA violations, descriptions and labels that name no element, pages wider than the screen,
    script errors and errors in the console, and assets that did not load. A page the test leaves before its audit
    finishes is skipped; the fixtures audit the last page again when the test ends.
    """

    def __init__(self):
        self.problems: list[str] = []
        self.audited: set[str] = set()

    def attach(self, context, page):
        context.add_init_script(path=AXE_SOURCE)
        page.on("load", lambda loaded: self.audit(loaded))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error: {error}"))
        page.on("console", lambda message: self._console(page, message))
        page.on("response", lambda response: self._response(page, response))

    def _console(self, page, message):
        """What the browser reports as an error in its console: a script's, htmx's (a swap without a
        target, a response it could not use) or a Content-Security-Policy refusal. A resource that
        failed to load is reported by its response (_response), where its address is known."""
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{page.url}: console error: {message.text}")

    def _response(self, page, response):
        """A script, style sheet, image or font of the page that did not load (a page of ours that
        answers 403 or 404 is often what a test means to reach, and is its own assertion)."""
        if response.status >= 400 and response.request.resource_type in ("script", "stylesheet", "image", "font"):
            self.problems.append(
                f"{page.url}: {response.request.resource_type} {response.url} answered {response.status}"
            )

    def audit(self, page):
        from playwright.sync_api import Error as PlaywrightError

        url = page.url
        if url in self.audited or not url.startswith("http"):
            return
        try:
            found = page.evaluate(_AUDIT % AXE_TAGS)
        except PlaywrightError:
            return  # the test navigated on; the page it reaches is audited in turn
        self.audited.add(url)
        for violation in found["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                nodes = "; ".join(violation["nodes"])
                self.problems.append(f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}: {nodes}")
        for reference in found["dangling"]:
            self.problems.append(f"{url}: {reference} names no element of the page")
        if found["width"] > found["viewport"]:
            self.problems.append(f"{url}: the page is {found['width']} px wide on a {found['viewport']} px screen")


# --- Link crawl: the product never shows a link its reader cannot follow -------------------

_HREF = re.compile(r'href="(/[^"#]*)')
_NOT_PAGES = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout/", "/api/")


def crawl(client, *, start="/", limit=400):
    """Follow every same-site link from ``start`` as ``client``'s user, breadth first, each URL once.

    Returns the broken ones as ``(url, status, found_on)``: any 4xx or 5xx answer to a link the
    product showed. Files (exports, documents) count as pages; only their links are not read.
    """
    from html import unescape

    seen, queue, broken = {start}, [(start, "")], []
    while queue and len(seen) <= limit:
        url, found_on = queue.pop(0)
        response = client.get(url)
        if response.status_code >= 400:
            broken.append((url, response.status_code, found_on))
            continue
        if response.status_code in (301, 302):
            target = response.headers["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _HREF.findall(response.content.decode()):
            href = unescape(href)
            if href in seen or href.startswith(_NOT_PAGES):
                continue
            seen.add(href)
            queue.append((href, url))
    return broken


# --- Two requests at the same moment ----------------------------------------------------------


def second_while_first_open(first, second, *, timeout=60):
    """Run ``first`` in a transaction held open until ``second``, started meanwhile in another thread
    on its own connection, waits on a lock (or is done); then commit. Returns what ``second`` returned
    and raises what it raised: do two requests at once queue up, or collide?

    PostgreSQL only (pg_locks shows the waiting); the test needs ``django_db(transaction=True)``.
    """
    import threading

    from django.db import connection, connections, transaction

    outcome = {}
    connected = threading.Event()

    def run_second():
        try:
            connection.ensure_connection()  # this thread's own connection
            outcome["pid"] = connection.connection.info.backend_pid
            connected.set()
            outcome["value"] = second()
        except Exception as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connected.set()
            connections.close_all()

    thread = threading.Thread(target=run_second)
    with transaction.atomic():
        first()
        thread.start()
        connected.wait(timeout)
        with connection.cursor() as cursor:
            # The second's own backend only: another test running beside this one may be waiting too.
            for _poll in range(int(timeout / 0.02)):
                cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [outcome.get("pid")])
                if cursor.fetchone()[0]:
                    break
                thread.join(0.02)  # done without waiting: nothing to hold open for
                if not thread.is_alive():
                    break
            else:
                raise AssertionError("the second request neither waited nor finished")
    thread.join(timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def undescribed(html: str) -> list[str]:
    """The ids a page's boxes name in aria-describedby (their help text, their errors) that no element
    of the page carries: what a screen reader would have read with the box, lost."""
    import re

    named = {i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()}
    return sorted(i for i in named if f'id="{i}"' not in html)


def redis_up(host="127.0.0.1", port=6379) -> bool:
    """Is a Redis server listening (the RQ tests skip without one)?"""
    import socket

    try:
        socket.create_connection((host, port), 1).close()
    except OSError:
        return False
    return True
