"""A survey's timeline names its steps as its workflow table does, in the reader's language."""

from django.conf import settings
from django.utils import translation

from satisfaction.workflow import WORKFLOW

from .steps import post_action


def read(client, language, survey) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/satisfaction/{survey.number}/").content.decode()
    return page[page.index('<ol class="timeline">'):]


def test_a_sent_survey_is_named_send_and_says_when_the_answer_is_due(make_survey, agent_client, manager_client):
    survey = make_survey()
    with translation.override("zh-hans"):  # sent by the Chinese desk
        assert post_action(agent_client, survey, "send", note="首轮发送").status_code == 302
    for language in ("zh-hans", "en"):
        page = read(manager_client, language, survey)
        with translation.override(language):
            label, due = str(WORKFLOW.steps["send"].label), translation.gettext("Link sent; answer due %(due)s.")
        assert f"<strong>{label}</strong>" in page
        assert due.split("%(due)s")[0] in page and "首轮发送" in page
    assert "Link sent; answer due" in read(manager_client, "en", survey)
