"""The rows a backup and a restore hold at once: pages of at most PAGE rows and PAGE_BYTES bytes, so that a table of
file bytes (documents, unit templates, scorecard evidence of up to 10 MB each) is never held a thousand rows at a
time: a page holds a few files, or one when a file alone is larger than a page."""
from __future__ import annotations

from factories import NOW
from sqlalchemy import insert, text

from backup.archives import backed_up, restored
from backup.test_backup import snapshot
from dvflow.services.backup import dump, rows


def test_pages_are_cut_by_count_and_by_size():
    sized = [("a", 3), ("b", 3), ("c", 10), ("d", 1), ("e", 1), ("f", 1)]
    assert list(rows.pages(sized, budget=6, most=2)) == [["a", "b"], ["c"], ["d", "e"], ["f"]]
    assert list(rows.pages(sized, budget=7, most=10)) == [["a", "b"], ["c"], ["d", "e", "f"]]
    assert list(rows.pages(sized, budget=100, most=1000)) == [["a", "b", "c", "d", "e", "f"]]
    assert list(rows.pages([], budget=6, most=2)) == []


def test_the_tables_of_file_bytes():
    blobs = {t.name: rows.blob_columns(t) for t in rows.portable_tables() if rows.blob_columns(t)}
    assert blobs == {"documents": ["content", "pdf"], "unit_templates": ["content"], "scorecard_evidence": ["content"]}


def test_a_table_of_file_bytes_is_read_in_pages_by_size(tmp_path, workflows):
    [templates] = [t for t in rows.portable_tables() if t.name == "unit_templates"]
    with backed_up(tmp_path, workflows) as (source, _archive):
        with source.extensions["dvflow.bind"].begin() as conn:
            unit = conn.scalar(text("SELECT MIN(id) FROM units"))
            sizes = [100, 100, 300, 50, 50, 50]
            ids = [conn.execute(insert(templates).values(unit_id=unit, type=f"mau_{i}", content=b"x" * n,
                                                         filename="mau.docx", uploaded_at=NOW)).inserted_primary_key[0]
                   for i, n in enumerate(sizes)]
            assert dump.blob_pages(conn, templates, budget=200) == [(ids[0], ids[1]), (ids[2], ids[2]),
                                                                    (ids[3], ids[5])]
            assert dump.blob_pages(conn, templates, budget=1) == [(i, i) for i in ids]  # a file alone
            assert dump.blob_pages(conn, templates, budget=10_000) == [(ids[0], ids[-1])]


def test_a_round_trip_in_pages_of_one_file(tmp_path, workflows, monkeypatch):
    """With pages of one byte, the backup reads and the restore writes each row of a table of files alone."""
    cut: dict[str, list[int]] = {}
    original = rows.pages

    def recorded(sized, budget, most):
        for page in original(sized, budget, most):
            cut.setdefault("pages", []).append(len(page))
            yield page

    monkeypatch.setattr(rows, "PAGE_BYTES", 1)
    monkeypatch.setattr(rows, "pages", recorded)
    with backed_up(tmp_path, workflows) as (source, archive):
        with restored(tmp_path, archive) as (out, target):
            assert out.exit_code == 0, out.output
            assert snapshot(target.extensions["dvflow.bind"]) == snapshot(source.extensions["dvflow.bind"])
    assert cut["pages"] and set(cut["pages"]) == {1}
