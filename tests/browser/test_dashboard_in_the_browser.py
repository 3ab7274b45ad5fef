"""The dashboard's chart is drawn under the Content-Security-Policy (scripts from the app only),
in both languages; the `person` fixture fails the test on any policy violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language, heading", [("zh-hans", "仪表盘"), ("en", "Dashboard")])
def test_the_trend_chart_is_drawn_with_the_policy_in_force(person, live_server, manager, language, heading):
    page = person("manager")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    response = page.goto(f"{live_server.url}/reports/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("#trend-chart[data-ready=true]")
    assert heading in page.locator("h1").inner_text()
