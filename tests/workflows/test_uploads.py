import io
import zipfile

import pytest

from workflows.errors import BundleRefused
from workflows.uploads import zip_tree


def make_zip(entries: dict[str, bytes], *, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def refusal(data: bytes, **limits: int) -> str:
    with pytest.raises(BundleRefused) as refused:
        zip_tree(data, **limits)
    return str(refused.value)


def test_zip_tree_strips_the_common_folder_and_leaves_out_mac_junk():
    data = make_zip(
        {
            "models-main/grants/apply/apply.bpmn": b"<x/>",
            "models-main/grants/process_group.json": b"{}",
            "__MACOSX/models-main/._apply.bpmn": b"\x00\x05",
            "models-main/.DS_Store": b"\x00\x00",
        }
    )
    assert zip_tree(data) == {
        "grants/apply/apply.bpmn": b"<x/>",
        "grants/process_group.json": b"{}",
    }


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/cron.d/evil.bpmn", "'..' is not allowed"),
        ("models/../../evil.bpmn", "'..' is not allowed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("C:/Windows/evil.bpmn", "absolute paths are not allowed"),
        ("models\\..\\evil.bpmn", "backslashes"),
    ],
)
def test_zip_tree_refuses_path_traversal(name, reason):
    message = refusal(make_zip({"models/a.bpmn": b"<x/>", name: b"<x/>"}))
    assert reason in message


def test_zip_tree_refuses_symlinks():
    assert "symbolic links are not allowed" in refusal(make_zip({}, symlink="models/link.bpmn"))


def test_zip_tree_refuses_a_zip_bomb():
    bomb = make_zip({"bomb.json": b"0" * 30_000_000})
    assert len(bomb) < 100_000
    assert "unpacks to more than 20000000 bytes" in refusal(bomb)


def test_zip_tree_refuses_more_files_than_the_limit():
    many = make_zip({f"models/form{i}-schema.json": b"{}" for i in range(501)})
    assert "more than 500 files" in refusal(many)
    assert "more than 5 files" in refusal(
        make_zip({f"f{i}.json": b"{}" for i in range(6)}), max_files=5
    )


def test_zip_tree_refuses_text_that_is_not_utf8():
    message = refusal(make_zip({"m/form-schema.json": '{"title": "Hakemus"}'.encode("utf-16")}))
    assert "m/form-schema.json: text file is not UTF-8" in message
