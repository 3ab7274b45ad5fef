"""The README and docs/ stand on their own in a fresh clone: nothing points outside the repository
(no ../ paths, no specification kept elsewhere), and every relative link opens a file that exists.
What `make run` is documented to accept (HOST, PORT) it accepts."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_nothing_points_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    for outside in ("../", "..\\", "SPEC.md", "shared/"):
        assert outside not in text, f"{_name(document)} mentions {outside!r}"
    assert not re.search(r"\]\(/(?!/)", text), f"{_name(document)} links to an absolute path"


@pytest.mark.parametrize("document", DOCUMENTS, ids=_name)
def test_every_relative_link_opens_a_file_of_the_repository(document):
    text = document.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a web address, mailto:, or a heading of the same page
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{_name(document)}: {target} leaves the repository"
        assert path.exists(), f"{_name(document)}: {target} does not exist"


def test_the_domain_description_is_in_the_repository_and_the_readme_links_to_it():
    assert (ROOT / "docs" / "domain.md").stat().st_size > 1000
    assert "](docs/domain.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_make_run_takes_host_and_port_and_the_readme_says_so():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.M) and re.search(r"^PORT \?= 8000$", makefile, re.M)
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "runserver $(HOST):$(PORT)" in run and "--site http://$(HOST):$(PORT)" in run
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`HOST`" in readme and "`PORT`" in readme and "make run PORT=8765" in readme
