"""Shared test ground: a small tree shaped like the demo, and the demo roles as personas.

    demo-county  (federation)            xianzong: federation viewer
    ├── demo-school  (union)             zhuxi: chair · bangfu: care officer · weiyuan: committee
    │   ├── demo-school-g1  (group)      xiaozu: group leader · huiyuan: member
    │   └── demo-school-g2  (group)
    └── demo-office  (union)             sibling of demo-school
    other-county (federation)            another root nobody above can see

Tests name what a persona may or may not do: ``test_group_leader_cannot_see_sibling_group``.
"""

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from core.testing import PageAudit
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role

PASSWORD = "gonghui-demo"
SCREENSHOTS = Path(__file__).resolve().parent / "var" / "screenshots"


@pytest.fixture
def units(db):
    add = OrgUnit.objects.add_child
    county = OrgUnit.objects.add_root(
        {"code": "demo-county", "name": "清河县总工会", "short_name": "县总工会", "kind": UnitKind.FEDERATION}
    )
    school = add(
        county,
        {
            "code": "demo-school",
            "name": "城关镇中心学校工会",
            "short_name": "城关中心校",
            "kind": UnitKind.UNION,
            "headcount": 40,
        },
    )
    add(school, {"code": "demo-school-g1", "name": "东关完小工会小组", "kind": UnitKind.GROUP, "headcount": 20})
    add(school, {"code": "demo-school-g2", "name": "西街完小工会小组", "kind": UnitKind.GROUP, "headcount": 15})
    add(county, {"code": "demo-office", "name": "县教育局机关工会", "kind": UnitKind.UNION, "headcount": 30})
    OrgUnit.objects.add_root({"code": "other-county", "name": "邻县总工会", "kind": UnitKind.FEDERATION})
    found = {u.code: u for u in OrgUnit.objects.all()}
    return {
        "county": found["demo-county"],
        "school": found["demo-school"],
        "g1": found["demo-school-g1"],
        "g2": found["demo-school-g2"],
        "office": found["demo-office"],
        "other": found["other-county"],
    }


def make_person(username, full_name, unit=None, role=None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, full_name=full_name)
    if unit is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def crowded_county(units):
    """The county with 50 more unions: more units below than one page of a per-unit table shows."""
    for number in range(50):
        OrgUnit.objects.add_child(
            OrgUnit.objects.get(pk=units["county"].pk),
            {"code": f"crowd-{number:02d}", "name": f"第{number + 1:02d}中学工会", "kind": UnitKind.UNION},
        )
    return OrgUnit.objects.get(pk=units["county"].pk)


@pytest.fixture
def zhuxi(units):
    return make_person("zhuxi", "王建国", units["school"], Role.CHAIR)


@pytest.fixture
def xiaozu(units):
    return make_person("xiaozu", "李秀英", units["g1"], Role.GROUP_LEADER)


@pytest.fixture
def bangfu(units):
    return make_person("bangfu", "赵丽", units["school"], Role.CARE_OFFICER)


@pytest.fixture
def xianzong(units):
    return make_person("xianzong", "陈志强", units["county"], Role.FEDERATION_VIEWER)


@pytest.fixture
def weiyuan(units):
    return make_person("weiyuan", "孙明", units["school"], Role.COMMITTEE)


@pytest.fixture
def huiyuan(units):
    return make_person("huiyuan", "周小红", units["g1"], Role.MEMBER)


@pytest.fixture
def outsider(units):
    """A chair of the neighbouring county: sees nothing of demo-county."""
    return make_person("linxian", "刘洋", units["other"], Role.CHAIR)


def pytest_runtest_setup(item):
    """A test marked postgres_only is skipped on another database: SQLite serialises writers, so there
    is no race to test and no row lock to see."""
    if item.get_closest_marker("postgres_only"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (row locks, concurrency)")


@pytest.fixture(autouse=True)
def default_language(settings):
    """Every test starts in the default language: a request in English leaves English active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path_factory):
    """Uploaded and generated files of a test go to a folder of its own, never to var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private")
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as that persona."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Browser tests -------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
    # from a thread with a running loop unless told that this is deliberate.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def settle(page):
    """Let the page's own requests end (a card fetched after the page, an htmx answer) before the test's
    database is emptied: a request still inside a transaction deadlocks with the TRUNCATE that empties it,
    and the next test starts on the rows left behind."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A page that polls (an import's progress) is never idle; its requests are short reads.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=5000)


def audited(context):
    """A new page of ``context`` on which axe-core checks every page it loads (core.testing.PageAudit);
    a generator for fixtures: a serious or critical WCAG 2.1 AA violation, a page wider than the
    screen, a script or console error or an asset that did not load fails the test when it ends."""
    page = context.new_page()
    page.set_default_timeout(15000)
    audit = PageAudit()
    audit.attach(context, page)
    yield page
    if not page.is_closed():
        settle(page)
        audit.audit(page)
    context.close()
    if audit.problems:
        pytest.fail(
            "The page audit (axe-core WCAG 2.1 AA, layout, console):\n" + "\n".join(audit.problems), pytrace=False
        )


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 860}, locale="zh-CN")
    yield from audited(context)


def phone_page(browser, live_server):
    """A phone-sized page (WeChat's browser on a mid-range Android), in a context of its own:
    a generator for fixtures, so that a test can hold two phones (a member's, an officer's)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    yield from audited(context)


@pytest.fixture
def phone(browser, live_server):
    yield from phone_page(browser, live_server)


def screenshot(page, name):
    """Save a full-page screenshot under var/screenshots/ to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/")


# --- A phone whose camera sees a QR code ----------------------------------------------------


def _camera_feed(path, text):
    """A Y4M video of ``text`` as a QR code, held as a hand holds a phone: its size and angle change a
    little from frame to frame. Chromium plays it as the phone's camera.

    Not one still picture, as a camera never shows one: html5-qrcode's decoder (ZXing, used before
    jsQR) could not read about 1 code in 20 at one given size and angle, so a test failed now and then."""
    import io

    import segno
    from PIL import Image

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=12, border=4)
    code = Image.open(io.BytesIO(out.getvalue())).convert("L")
    held = [(380, -2), (400, 1), (420, 0), (440, 2), (410, -1)]  # (size in pixels, degrees)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for size, angle in held * 4:
            shown = code.resize((size, size), Image.LANCZOS)
            frame = Image.new("L", (640, 480), 255)
            frame.paste(shown, ((640 - size) // 2, (480 - size) // 2))
            frame = frame.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            y, cb, cr = Image.merge("RGB", [frame] * 3).convert("YCbCr").split()
            half = (320, 240)
            video.write(b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes())


# The first frames a camera page decodes, on a busy 2-core machine: a page's actions wait this long
# (below), and so must the expect() that waits for the decoded code (its own default is 5 s).
CAMERA_DECODE_MS = 30_000


@contextlib.contextmanager
def camera_phone(browser, live_server, tmp_path, code_text):
    """A phone page (its own Chromium) whose camera shows the QR code of ``code_text``."""
    feed = tmp_path / "camera.y4m"
    _camera_feed(feed, code_text)
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={feed}",
        ],
    )
    try:
        context = camera_browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            permissions=["camera"],
        )
        page = context.new_page()
        page.set_default_timeout(CAMERA_DECODE_MS)
        log = _CameraLog(page)
        try:
            yield page
        except AssertionError as error:
            raise AssertionError(f"{error}\n\n{log.report(page)}") from error
        if not page.is_closed():
            settle(page)
    finally:
        camera_browser.close()


class _CameraLog:
    """What a camera page did, for the message of a check that fails: whether the video played, what
    the page printed, and which requests it made and how they ended (or did not)."""

    # The video as played and as laid out (where on the screen), how many frames the scanner looked at
    # without finding a code and how many codes it read (qrcheckin.js), what the page said, and the
    # canvas it decodes: its size and how dark it is on average (255: blank, no frame reached it).
    VIDEO = """() => ({
        viewport: [innerWidth, innerHeight, scrollY],
        misses: (document.querySelector('#qr-reader') || {dataset: {}}).dataset.misses,  // frames without a code
        reads: (document.querySelector('#qr-reader') || {dataset: {}}).dataset.reads,  // codes read (any text)
        result: (document.querySelector('#scan-result') || {}).textContent,  // what the page said
        videos: Array.from(document.querySelectorAll('video')).map(v => {
            const box = v.getBoundingClientRect();
            return {width: v.videoWidth, height: v.videoHeight, readyState: v.readyState, paused: v.paused,
                    currentTime: v.currentTime, shown: [v.clientWidth, v.clientHeight, box.top, box.bottom]};
        }),
        canvases: Array.from(document.querySelectorAll('#qr-reader canvas')).map(c => {
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let sum = 0;
            for (let i = 0; i < data.length; i += 4) sum += data[i];
            return {width: c.width, height: c.height, mean: data.length ? Math.round(sum / (data.length / 4)) : null};
        }),
    })"""

    def __init__(self, page):
        self.lines = []
        page.on("console", lambda message: self.lines.append(f"console {message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.lines.append(f"page error: {error}"))
        page.on("request", lambda request: self.lines.append(f"request {request.method} {request.url}"))
        page.on("response", lambda response: self.lines.append(f"response {response.status} {response.url}"))
        page.on("requestfailed", lambda request: self.lines.append(f"failed {request.url}: {request.failure}"))

    def report(self, page):
        try:
            seen = page.evaluate(self.VIDEO)
        except Exception as error:  # the page itself may be what broke
            seen = f"(not readable: {error})"
        return "Camera page:\n  {}\n  {}".format(seen, "\n  ".join(self.lines[-60:]))
