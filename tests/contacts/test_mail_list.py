"""The README lists every mail the site sends (issue #20): a kind added without its row fails."""

from pathlib import Path

from contacts import mail

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_registered_mail():
    readme = README.read_text()
    section = readme[readme.index("## Every mail the site sends") :]
    section = section[: section.index("\n## ", 1)]

    missing = [kind.name for kind in mail.registered() if f"`{kind.name}`" not in section]

    assert mail.registered()
    assert not missing, f"README's mail table lacks {missing}"
