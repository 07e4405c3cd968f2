"""Walking the demo county as a person does: from the home page, following the product's own links."""

from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.urls import Resolver404, resolve

# Leaving, the administrators' site, the JSON API (tested on its own) and files.
SKIPPED = ("/accounts/logout/", "/admin/", "/api/", "/static/", "/media/", "/files/")
PAGES_PER_KIND = 2
MAX_PAGES = 500


def route(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def walk(client, on_page=None, stop=None):
    """The pages reachable from the home page (two of each URL pattern), and the POST forms on them as
    (page, action, form). ``on_page(path, response)`` is called for each page opened; a path for which
    ``stop(path)`` is true is not opened (a download the caller keeps for itself)."""
    queue, queued, per_route, forms = deque(["/"]), {"/"}, Counter(), {}
    while queue and sum(per_route.values()) < MAX_PAGES:
        path = queue.popleft()
        kind = route(path)
        if kind is None or per_route[kind] >= PAGES_PER_KIND or (stop and stop(path)):
            continue
        per_route[kind] += 1
        response = client.get(path)
        if on_page:
            on_page(path, response)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = lxml.html.fromstring(response.content, base_url=f"http://testserver{path}")
        for href in page.xpath("//a/@href"):
            target = urlsplit(urljoin(f"http://testserver{path}", href))
            if target.netloc == "testserver" and target.path not in queued and not target.path.startswith(SKIPPED):
                queued.add(target.path)
                queue.append(target.path)
        for form in page.forms:
            if (form.method or "GET").upper() == "POST":
                action = urlsplit(urljoin(f"http://testserver{path}", form.action or path)).path
                fields = tuple(sorted({element.get("name") or "" for element in form.inputs} - {"csrfmiddlewaretoken"}))
                key = (route(action), fields)
                if key[0] and not action.startswith(SKIPPED) and key not in forms:
                    forms[key] = (path, action, form)
    return per_route, list(forms.values())
