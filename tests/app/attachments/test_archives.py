"""Office documents are checked as zip archives before they are kept."""

import io
import struct
import zipfile
from pathlib import Path

import pytest

from app.attachments.archives import check_archive
from app.attachments.rules import FileRefused
from tests.app.attachments.helpers import stored, upload

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Budget</w:t></w:r></w:p></w:body>'
    "</w:document>"
)


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal valid Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            "openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", DOCUMENT)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(megabytes: int = 200) -> bytes:
    """A DOCX-looking archive whose one part inflates to `megabytes` MB of zeros (about 200 KB
    compressed), written in 1 MB chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(zeros)
    return buffer.getvalue()


def check(tmp_path: Path, content: bytes, name: str = "plan.docx", **limits: int) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    check_archive(path, name, name.rsplit(".", 1)[-1], **limits)


def test_a_real_docx_passes(tmp_path):
    check(tmp_path, docx())


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it(tmp_path):
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(FileRefused, match="“plan.docx” is compressed suspiciously tightly"):
        check(tmp_path, bomb)


def test_an_archive_of_too_many_parts_is_refused(tmp_path):
    parts = {f"word/media/image{n}.xml": b"<x/>" for n in range(1000)}
    with pytest.raises(FileRefused, match="“plan.docx” holds more than 1000 parts"):
        check(tmp_path, docx(parts))


def test_parts_that_unpack_to_more_than_the_setting_are_refused(tmp_path):
    content = docx({"word/big.xml": b"<x/>" * 100_000})  # 400 KB, compresses well under 100:1
    with pytest.raises(FileRefused, match="“plan.docx” unpacks to more than 0 MB"):
        check(tmp_path, content, max_unpacked=300_000)


@pytest.mark.parametrize("member", ["../../evil.xml", "/etc/evil.xml", "word\\evil.xml"])
def test_a_part_with_an_unsafe_path_is_refused(tmp_path, member):
    with pytest.raises(FileRefused, match="“plan.docx” holds a part with an unsafe path"):
        check(tmp_path, docx({member: b"<x/>"}))


def test_a_zip_without_the_parts_of_the_format_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    with pytest.raises(FileRefused, match="“plan.docx” is not a real DOCX file"):
        check(tmp_path, buffer.getvalue())
    with pytest.raises(FileRefused, match="“plan.odt” is not a real ODT file"):
        check(tmp_path, docx(), name="plan.odt")  # a Word file renamed


def test_an_odf_text_document_passes_only_with_its_mimetype(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    check(tmp_path, buffer.getvalue(), name="plan.odt")
    with pytest.raises(FileRefused, match="“plan.ods” is not a real ODS file"):
        check(tmp_path, buffer.getvalue(), name="plan.ods")


def test_a_part_holding_more_than_its_declared_size_is_refused_as_damaged(tmp_path):
    """The central directory says 1,000 bytes; the part inflates to 2 MB."""
    content = bytearray(docx({"word/big.xml": bytes(2 * 1024 * 1024)}))
    central = content.rindex(b"PK\x01\x02")  # the last part's central directory header
    content[central + 24 : central + 28] = struct.pack("<I", 1000)
    with pytest.raises(FileRefused, match="“plan.docx” is not a real DOCX file: it is damaged"):
        check(tmp_path, bytes(content))


def test_a_truncated_archive_is_refused_as_damaged(tmp_path):
    with pytest.raises(FileRefused, match="it is damaged"):
        check(tmp_path, docx()[:200])


def test_a_zip_bomb_upload_is_refused_in_the_page_language_and_nothing_is_kept(
    app, invited, csrf_token
):
    app.config["MAX_CONTENT_LENGTH"] = 32 * 1024 * 1024
    invited.post("/language", data={"language": "fi", "csrf_token": csrf_token(invited)})
    response = upload(invited, csrf_token, "budjetti.docx", zip_bomb())
    assert response.status_code == 422
    assert "”budjetti.docx” on pakattu epäilyttävän tiiviisti" in response.get_data(as_text=True)
    assert stored(app) == (0, [])


def test_a_real_docx_upload_is_kept(app, invited, csrf_token):
    document = docx()
    assert upload(invited, csrf_token, "plan.docx", document).status_code == 302
    rows, files = stored(app)
    assert rows == 1
    assert [path.read_bytes() for path in files] == [document]
