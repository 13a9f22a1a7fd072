import pytest

from app.attachments.rules import FileRefused, check_file, clean_name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\anna\\budget.xlsx", "budget.xlsx"),
        ("plan\x00\x1f.pdf", "plan.pdf"),
        ("..", "attachment"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # shown as "invoiceexe.pdf"
        ("\u202aplan\u202b\u202c\u202d.pdf", "plan.pdf"),
        ("\u2066budget\u2067\u2068\u2069.xlsx", "budget.xlsx"),
        ("\u200eplan\u200f\u061c.pdf", "plan.pdf"),
        ("line\u2028break\u2029\x85\x9b.pdf", "linebreak.pdf"),
        (
            "\u0633\u0644\u0627\u0645 s\u00e4\u00e4nn\u00f6t.pdf",
            "\u0633\u0644\u0627\u0645 s\u00e4\u00e4nn\u00f6t.pdf",
        ),
    ],
)
def test_a_file_name_loses_its_path_and_control_characters(sent, kept):
    assert clean_name(sent) == kept


def test_the_content_must_match_the_extension():
    assert check_file("scan.png", b"\x89PNG\r\n\x1a\n", 10).content_type == "image/png"
    with pytest.raises(FileRefused, match="is not a real PNG file"):
        check_file("scan.png", b"%PDF-1.4", 10)


def test_a_name_that_hides_its_extension_behind_a_bidi_override_is_judged_as_shown():
    with pytest.raises(FileRefused, match="“invoicefdp.exe” is not an allowed type"):
        check_file(clean_name("invoice\u202efdp.exe"), b"MZ", 10)
