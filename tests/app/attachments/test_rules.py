import pytest

from app.attachments.rules import FileRefused, check_file, clean_name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\anna\\budget.xlsx", "budget.xlsx"),
        ("plan\x00\x1f.pdf", "plan.pdf"),
        ("..", "attachment"),
    ],
)
def test_a_file_name_loses_its_path_and_control_characters(sent, kept):
    assert clean_name(sent) == kept


def test_the_content_must_match_the_extension():
    assert check_file("scan.png", b"\x89PNG\r\n\x1a\n", 10).content_type == "image/png"
    with pytest.raises(FileRefused, match="is not a real PNG file"):
        check_file("scan.png", b"%PDF-1.4", 10)
