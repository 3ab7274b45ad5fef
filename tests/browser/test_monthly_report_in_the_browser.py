"""The monthly report on a 1366 × 768 laptop screen, in Chinese and in English: every column of
every table is in view, none cut off behind a scroll bar (the headers wrap instead)."""

import pytest

from tests.reports.scene import october

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_column_fits_at_1366_pixels(person, live_server, manager, agent, language):
    october(agent)  # a unit over its limit with every support refusal, forum cases, repairs, forced closures
    page = person("manager")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/reports/monthly/?month=2026-10")
    tables = page.locator("table.report-table")
    assert tables.count() == 5
    for index in range(tables.count()):
        table = tables.nth(index)
        key = table.get_attribute("data-table")
        fit = table.evaluate("""t => ({table: t.scrollWidth, box: t.parentElement.clientWidth,
                                       page: document.documentElement.scrollWidth, screen: window.innerWidth})""")
        assert fit["table"] <= fit["box"], (language, key, fit)
        assert fit["page"] <= fit["screen"], (language, key, fit)
        # And each header cell lies inside the visible box (nothing hidden behind overflow).
        right = table.evaluate("t => t.parentElement.getBoundingClientRect().right")
        for edge in table.locator("thead th").evaluate_all("ths => ths.map(th => th.getBoundingClientRect().right)"):
            assert edge <= right + 0.5, (language, key)
    # The N column explains itself where the reader looks.
    assert page.locator("table[data-table=kpis] thead abbr[title]").count() >= 3
    assert page.locator("dl.legend[data-legend=kpis] dt").count() >= 3
