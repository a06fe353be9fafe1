"""The ledger's pages: in-process (JSON twins, forms, the token, no personal data
without it) and in headless Chromium against a real ``gongkai serve``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongkai.ledger.model import Application, Event
from gongkai.ledger.store import Ledger
from gongkai.web import Limits, Settings
from test_web_api import App
from webserver import serve

D = dt.date
TOKEN = "a-long-enough-ledger-token"


def seed(url: str) -> None:
    with Ledger.open(url) as ledger:
        ledger.set_meta("agency", "青山区民政局")
        ledger.add(
            Application("L1", D(2024, 9, 20), "in_person", "natural_person", "张三", "13800000000")
        )
        ledger.add(Application("L2", D(2024, 10, 21), "online", "commercial", "某公司", "010"))
        ledger.add(Application("L3", D(2024, 11, 4), "online", "research"))
        ledger.append(
            "L3",
            Event(
                "fee_noticed",
                D(2024, 11, 8),
                fee={"method": "per_volume", "quantity": 40, "yuan": 100},
            ),
        )
        ledger.add(Application("L4", D(2024, 3, 4), "fax", "other", "<script>alert(1)</script>"))
        ledger.append("L4", Event("answered", D(2024, 3, 20), outcome="granted"))


@pytest.fixture
def web(tmp_path: Path) -> Iterator[App]:
    url = str(tmp_path / "ledger.db")
    seed(url)
    limits = Limits(workers=1, checks_per_minute=0, seconds=60, memory_mb=1024)
    app = App(Settings(db=url, token=TOKEN, limits=limits))
    yield app
    app.close()
    app.app.state.engine.dispose()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_list_json_twin_colours_and_no_personal_data(web: App) -> None:
    r = web.get("/ledger.json?today=2024-11-14")
    assert r.status_code == 200
    data = r.json()
    flags = {i["number"]: i["flag"] for i in data["items"]}
    assert flags == {"L1": "overdue", "L2": "due_soon", "L3": "paused"}
    assert data["years"] == [2024]
    html = web.get("/ledger?today=2024-11-14").text
    assert (
        'class="due-overdue"' in html
        and 'class="due-due_soon"' in html
        and 'class="due-paused"' in html
    )
    assert "张三" not in html and "张三" not in r.text


def test_application_page_shows_personal_data_only_with_the_token(web: App) -> None:
    data = web.get("/ledger/app/L1.json").json()
    assert "applicant_name" not in data["application"] and data["personal_shown"] is False
    assert data["due"] == "2024-10-23"
    assert any("调休上班日（国庆节）" in d["text"] for d in data["days"])
    assert data["days"][-1]["kind"] in ("counted", "makeup")
    with_token = web.get("/ledger/app/L1.json", headers=AUTH).json()
    assert with_token["application"]["applicant_name"] == "张三"
    html = web.get("/ledger/app/L4", headers=AUTH).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert web.get("/ledger/app/nope").status_code == 404


def test_register_and_append_need_the_token(web: App) -> None:
    form = {
        "received": "2024/12/2",
        "applicant_type": "legal_services",
        "channel": "online",
        "name": "李四",
    }
    assert web.post("/ledger/new", data=form).status_code in (401, 403)
    r = web.post("/ledger/new", data=form, headers=AUTH)
    assert r.status_code == 303 and r.headers["location"] == "/ledger/app/2024-0001"
    r = web.post("/ledger/new", data={**form, "received": "someday"}, headers=AUTH)
    assert r.status_code == 400 and "someday" in r.text
    r = web.post("/ledger/new", data={**form, "number": "L1"}, headers=AUTH)
    assert r.status_code == 400 and "L1" in r.text
    ev = {"kind": "extended", "date": "2024-12-03", "reason": "档案多"}
    assert web.post("/ledger/app/2024-0001/event", data=ev).status_code in (401, 403)
    assert web.post("/ledger/app/2024-0001/event", data=ev, headers=AUTH).status_code == 303
    r = web.post("/ledger/app/2024-0001/event", data=ev, headers=AUTH)
    assert r.status_code == 409 and "只能延长一次" in r.text
    data = web.get("/ledger/app/2024-0001.json").json()
    assert [e["kind"] for e in data["events"]] == ["extended"]


def test_tables_page_and_its_record(web: App) -> None:
    data = web.get("/ledger/tables/2024.json").json()
    assert data["edition"] == "2021" and data["errors"] == []
    assert data["record"]["table3"]["new"] == [1, 1, 1, 0, 0, 1, 4]
    assert data["record"]["table3"]["granted"][6] == 1
    assert data["applications"] == 4
    html = web.get("/ledger/tables/2024").text
    assert 'id="cell-table3.new.6"' in html
    r = web.get("/ledger/tables/2024/record.json")
    assert r.json() == data["record"] and "attachment" in r.headers["content-disposition"]
    assert web.get("/ledger/tables/2017").status_code == 404
    en = web.get("/ledger/tables/2024?lang=en").text
    assert "Tables 3 and 4" in en


def test_without_a_database_the_pages_say_how(tmp_path: Path) -> None:
    app = App(Settings(limits=Limits(workers=1, checks_per_minute=0, seconds=60, memory_mb=1024)))
    try:
        r = app.get("/ledger.json")
        assert r.status_code == 404 and "--db" in r.json()["detail"]
    finally:
        app.close()


# ------------------------------------------------------------------ Chromium

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)


@pytest.mark.browser
@pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package chromium)"
)
def test_ledger_in_a_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = str(tmp_path / "ledger.db")
    seed(url)
    # screenshots into docs/images with GONGKAI_SCREENSHOTS=1, as the other browser tests
    shots = Path(__file__).resolve().parents[1] / "docs" / "images"
    if not os.environ.get("GONGKAI_SCREENSHOTS"):
        shots = tmp_path / "shots"
    shots.mkdir(exist_ok=True)
    with (
        serve("--db", url, "--token", TOKEN, "--workers", "1", log=tmp_path / "serve.log") as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text))
            page.on("dialog", lambda d: (console.append("dialog " + d.message), d.dismiss()))
            # the list: colours by flag
            page.goto(f"{base}/ledger?today=2024-11-14")
            overdue = page.locator("tr.due-overdue")
            assert overdue.count() == 1 and overdue.get_attribute("data-number") == "L1"
            colour = overdue.evaluate("e => getComputedStyle(e).backgroundColor")
            soon = page.locator("tr.due-due_soon").evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            paused = page.locator("tr.due-paused").evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            assert len({colour, soon, paused}) == 3 and "rgba(0, 0, 0, 0)" not in (
                colour,
                soon,
                paused,
            )
            page.screenshot(path=str(shots / "ledger-list.png"))
            assert page.locator("#new").count() == 0  # read-only without the token
            # the token, then register an application
            page.goto(f"{base}/token")
            page.fill("input[name=token]", TOKEN)
            with page.expect_navigation():
                page.click("button[type=submit]")
            page.goto(f"{base}/ledger/new")
            page.fill("#received", "2024-09-20")
            page.select_option("#applicant_type", "public_interest")
            page.fill("#name", "王五")
            with page.expect_navigation():
                page.click("#submit")
            assert page.url.endswith("/ledger/app/2024-0001")
            assert page.locator("#due").inner_text() == "2024-10-23"
            assert page.locator("li.day-makeup").count() == 2
            assert page.locator("li.day-holiday").count() == 7
            assert "王五" in page.locator("dd.personal").first.inner_text()
            # append an event in the page, then an impossible one
            page.select_option("#kind", "extended")
            page.fill("#date", "2024-10-10")
            page.fill("#reason", "需调取档案")
            with page.expect_navigation():
                page.click("#append")
            assert page.locator("#due").inner_text() == "2024-11-20"
            assert page.locator("li.event").count() == 1
            page.select_option("#kind", "answered")
            page.fill("#date", "2024-10-15")
            with page.expect_navigation():
                page.click("#append")
            assert page.locator("#error").inner_text() == "作出答复须选择「办理结果（表三的行）」"
            page.screenshot(path=str(shots / "ledger-app.png"), full_page=True)
            # the year's tables
            page.goto(f"{base}/ledger/tables/2024")
            assert page.locator("#errors").inner_text() == "0"
            assert page.locator('td[id="cell-table3.new.6"]').inner_text().strip() == "5"
            page.screenshot(path=str(shots / "ledger-tables.png"), full_page=True)
            assert not [
                c for c in console if "Content Security Policy" in c or c.startswith("dialog")
            ]
        finally:
            browser.close()
