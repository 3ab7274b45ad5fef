"""Issue 12, without a browser: on every portal page each field a person sees has its <label for>,
each field in error says so (aria-invalid) and names its message (aria-describedby), the error
summary links to the fields, and each page has its own title. The browser's side (axe-core, the
keyboard) is tests/browser/test_portal_accessibility.py."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """The page's fields, labels, links, images, title and the text of every element with an id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.fields: list[dict] = []
        self.labels: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.links: list[str] = []
        self.images: list[dict] = []
        self.title = ""
        self._open: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("input", "select", "textarea") and attributes.get("type", "text") not in NOT_FIELDS:
            self.fields.append({"tag": tag, **attributes})
        if tag == "a":
            self.links.append(attributes.get("href", ""))
        if tag == "img":
            self.images.append(attributes)
        if "id" in attributes:
            self.texts.setdefault(attributes["id"], "")
        if tag not in VOID:
            self._open.append((tag, attributes))

    def handle_endtag(self, tag):
        while self._open:
            opened, attributes = self._open.pop()
            if opened == "label" and "for" in attributes:
                self.labels[attributes["for"]] = attributes.get("_text", "").strip()
            if opened == tag:
                break

    def handle_data(self, data):
        for tag, attributes in self._open:
            attributes["_text"] = attributes.get("_text", "") + data
            if "id" in attributes:
                self.texts[attributes["id"]] += data
            if tag == "title":
                self.title += data


def page(response) -> Page:
    return Page(response.content.decode())


def every_field_has_its_label(shown: Page):
    assert shown.fields
    for field in shown.fields:
        assert field.get("id"), field
        assert shown.labels.get(field["id"]), f"no <label for={field['id']}>"


def errors_tied_to_fields(shown: Page, in_error: list[str]):
    """The fields named are marked invalid and described by their message; no other field is."""
    marked = [field["name"] for field in shown.fields if field.get("aria-invalid") == "true"]
    assert marked == in_error
    for field in shown.fields:
        if field["name"] not in in_error:
            continue
        ids = field["aria-describedby"].split()
        assert all(one in shown.texts for one in ids), (field, ids)
        assert ids[0] == f"{field['name'].split('_')[0]}-errors" and shown.texts[ids[0]].strip()
    # The error summary: a link to each field in error, in the form's order.
    summary = [href for href in shown.links if href.startswith("#")]
    assert summary == [f"#{field['id']}" for field in shown.fields if field["name"] in in_error]
    assert shown.title.startswith("Error: ")


@pytest.mark.parametrize("path", ["portal:start", "portal:complaint", "portal:proposal", "portal:track"])
def test_every_field_on_every_portal_page_has_a_label(client, path):
    shown = page(client.get(reverse(path)))
    if path != "portal:start":
        every_field_has_its_label(shown)
    assert not [field for field in shown.fields if "aria-invalid" in field]


@pytest.mark.parametrize("kind, text", [("complaint", "description"), ("proposal", "content")])
def test_a_bad_submit_ties_each_message_to_its_field(client, kind, text):
    response = client.post(reverse(f"portal:{kind}"), {"name": "Li Na", "category": "other"})
    assert response.status_code == 400
    shown = page(response)
    every_field_has_its_label(shown)
    errors_tied_to_fields(shown, ["phone", "subject", text, "captcha_1"])


def test_a_refused_file_is_described_by_its_message_and_its_help(client):
    refused = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture")
    shown = page(client.post(reverse("portal:complaint"), {"files": [refused]}))
    [files] = [field for field in shown.fields if field["name"] == "files"]
    assert files["aria-invalid"] == "true" and files["aria-describedby"] == "files-errors files-help"
    assert "virus.png" in shown.texts["files-errors"] and "10 MB" in shown.texts["files-help"]


def test_the_captcha_picture_is_described(client):
    [picture] = page(client.get(reverse("portal:complaint"))).images
    assert picture["alt"] and picture["alt"].lower() != "captcha"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_portal_page_has_its_own_title_in_the_visitors_language(client, language):
    titles = {path: page(client.get(reverse(path), HTTP_ACCEPT_LANGUAGE=language)).title
              for path in ("portal:start", "portal:complaint", "portal:proposal", "portal:track")}
    titles["bad complaint"] = page(client.post(reverse("portal:complaint"), {}, HTTP_ACCEPT_LANGUAGE=language)).title
    assert len(set(titles.values())) == len(titles), titles
    expected = {"zh-hans": ("客户服务", "我要投诉", "我要提建议", "查询办理进度"),
                "en": ("Customer service", "Make a complaint", "Make a proposal", "Follow your case")}[language]
    assert [title.split(" · ")[0] for title in list(titles.values())[:4]] == list(expected)
