"""Bad documents, bad databases and hostile text get clear answers, never tracebacks."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import pytest

from bot import settings
from kb.build import BuildError, build
from kb.parse import ParseError, parse_document
from kb.query import KnowledgeBase, KnowledgeBaseError

SOURCE_LINES = settings.KB_SOURCE.read_text(encoding="utf-8").split("\n")


def write(tmp_path, lines, name="doc.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def line_of(text: str, start: int = 0) -> int:
    """0-based index of the first line equal to ``text`` at or after ``start``."""
    return SOURCE_LINES.index(text, start)


@pytest.fixture
def good_db(tmp_path, kb_path):
    """A copy of a good database that a failed build must leave untouched."""
    path = tmp_path / "out" / "kb.db"
    path.parent.mkdir()
    shutil.copyfile(kb_path, path)
    return path


def assert_build_fails(source, good_db, *fragments):
    before = good_db.read_bytes()
    with pytest.raises(BuildError) as failure:
        build(source=source, out=good_db)
    message = str(failure.value)
    for fragment in fragments:
        assert fragment in message, message
    assert good_db.read_bytes() == before
    assert [p.name for p in good_db.parent.iterdir()] == ["kb.db"]  # no temp file left
    return message


def test_truncated_document(tmp_path, good_db):
    cut = line_of("农村留守儿童关爱保护") + 1  # inside item 54
    source = write(tmp_path, SOURCE_LINES[:cut])
    message = assert_build_fails(source, good_db, "item 54", "line")
    assert "truncated" in message


def test_truncated_inside_the_indicator_table(tmp_path, good_db):
    source = write(tmp_path, SOURCE_LINES[:150])
    assert_build_fails(source, good_db, "indicator")


def test_missing_cell(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    del lines[line_of("经济困难公民和特殊案件当事人")]  # item 51's 服务对象
    source = write(tmp_path, lines)
    assert_build_fails(source, good_db, "item 51", "line 1270", "found 4")


def test_missing_department_cell(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    del lines[
        line_of("市卫生计生委", line_of("老年人健康管理"))
    ]  # item 32's 牵头负责部门
    message = assert_build_fails(write(tmp_path, lines), good_db, "item 32")
    assert "missing" in message


def test_missing_item_number(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    del lines[line_of("60", line_of("公共租赁住房"))]
    assert_build_fails(
        write(tmp_path, lines), good_db, "item 60 was expected", "line 1391"
    )


def test_missing_domain_heading(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    del lines[line_of("六、基本住房保障")]
    assert_build_fails(write(tmp_path, lines), good_db, "基本住房保障")


def test_missing_indicator_cell(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    del lines[line_of("20.2")]  # 孕产妇死亡率 2015
    assert_build_fails(
        write(tmp_path, lines), good_db, "indicator table", "cell is missing"
    )


def test_missing_task(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    start = line_of("26", line_of("重点任务分工方案", 1000))
    del lines[start : start + 6]
    assert_build_fails(write(tmp_path, lines), good_db, "found 25 tasks")


def test_empty_and_binary_documents(tmp_path, good_db):
    assert_build_fails(write(tmp_path, [""]), good_db, "empty")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert_build_fails(binary, good_db, "not UTF-8")
    assert_build_fails(tmp_path / "absent.txt", good_db, "not found")


def test_correction_whose_original_is_gone_fails_loudly(tmp_path, good_db):
    fixed = [line.replace("市房管局局", "市住建局局") for line in SOURCE_LINES]
    assert_build_fails(
        write(tmp_path, fixed),
        good_db,
        "corrections.csv",
        "市房管局局",
        "found 0 times",
    )


def test_correction_already_in_document_fails_loudly(tmp_path, good_db):
    fixed = [line.replace("市民政厅", "市民政局") for line in SOURCE_LINES]
    assert_build_fails(
        write(tmp_path, fixed), good_db, "corrections.csv", "already contains"
    )


def test_parse_error_names_the_place():
    lines = list(SOURCE_LINES)
    del lines[line_of("寄宿生生活补助")]
    with pytest.raises(ParseError, match=r"item 3 \(line 674\)"):
        parse_document("\n".join(lines))


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        cwd=settings.ROOT,
    )


def test_cli_build_failure_is_one_clear_message(tmp_path, good_db):
    source = write(tmp_path, SOURCE_LINES[:900])
    before = good_db.read_bytes()
    result = run_cli("build", "--source", str(source), "--out", str(good_db))
    assert result.returncode == 2
    assert "kb build failed" in result.stderr and "Traceback" not in result.stderr
    assert "untouched" in result.stderr
    assert good_db.read_bytes() == before


def test_cli_user_mistakes(tmp_path, kb_path):
    for args in (
        ("item", "99", "--db", str(kb_path)),
        ("item", "abc", "--db", str(kb_path)),
    ):
        result = run_cli(*args)
        assert result.returncode == 2 and "1 到 81" in result.stderr
        assert "Traceback" not in result.stderr
    missing = run_cli("stats", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "make kb" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_search_and_item(kb_path):
    result = run_cli("search", "我爸70岁社区能免费体检吗", "--db", str(kb_path))
    assert (
        result.returncode == 0
        and "[32] 老年人健康管理" in result.stdout.splitlines()[0]
    )
    item = run_cli("item", "51", "--db", str(kb_path))
    assert item.returncode == 0
    assert "市司法局、市财政局" in item.stdout and "12348" in item.stdout


# --- databases -----------------------------------------------------------------------


def assert_open_fails(path, *fragments):
    with pytest.raises(KnowledgeBaseError) as failure:
        KnowledgeBase.open(path)
    message = str(failure.value)
    assert "make kb" in message and "python -m kb build" in message, message
    for fragment in fragments:
        assert fragment in message, message


def test_missing_database(tmp_path):
    assert_open_fails(tmp_path / "nothing.db", "not found")


def test_empty_database(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert_open_fails(empty, "empty")


def test_corrupt_database(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    assert_open_fails(corrupt, "not a knowledge base")


def test_other_sqlite_database(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE x (y)")
    connection.close()
    assert_open_fails(other, "not a knowledge base")


def test_wrong_schema_version(tmp_path, kb_path):
    old = tmp_path / "old.db"
    shutil.copyfile(kb_path, old)
    connection = sqlite3.connect(old)
    with connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    connection.close()
    assert_open_fails(old, "schema version 0")


def test_database_opened_read_only(kb):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        kb._connection.execute("DELETE FROM items")


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE items; --",
        '" OR 1=1 --',
        "低保 AND NOT 医保",
        "NEAR(低保 医保)",
        "低保*",
        "{name}: 低保",
        "👴🏻我爸想问低保😀🙏",
        "\x00\x1b[31m低保\u200b\u202e",
        "低保" * 1000,
        "。，！？",
    ],
)
def test_hostile_text_searches_normally(kb, text):
    hits = kb.search(text)
    assert isinstance(hits, list)
    kb.match_terms(text)
    kb.find_indicators(text)
    assert len(kb.items()) == 81
    if "低保" in text:
        assert hits and hits[0].item.id == 46


def test_item_count_not_81(tmp_path, good_db):
    lines = list(SOURCE_LINES)
    start = line_of("81", line_of("残疾人文化体育"))
    del lines[start : start + 12]  # item 81: number and five cells with their separators
    assert_build_fails(write(tmp_path, lines), good_db, "found 80 items, expected 81")


def build_with_a_curated_row(tmp_path, good_db, name: str, row: str) -> str:
    """Builds with `row` appended to a copy of kb/curated/`name`; the build must fail
    and leave the good database untouched. Returns the error message."""
    curated = tmp_path / "curated"
    shutil.copytree(settings.ROOT / "kb" / "curated", curated)
    with (curated / name).open("a", encoding="utf-8") as handle:
        handle.write(f"{row}\n")
    before = good_db.read_bytes()
    with pytest.raises(BuildError) as failure:
        build(out=good_db, curated=curated)
    assert good_db.read_bytes() == before
    return str(failure.value)


@pytest.mark.parametrize(
    "topic, fragment",
    [
        ("养老保险", "is an alias"),
        ("最低生活保障", "item 46 mentions"),
        ("x", "two"),
        ("公积金", "is listed on line 2 too"),
    ],
)
def test_not_in_list_topic_the_list_covers_fails_loudly(
    tmp_path, good_db, topic, fragment
):
    """A 'not in the list' topic that the list does cover would hide a real answer."""
    message = build_with_a_curated_row(
        tmp_path, good_db, "not_in_list.csv", f"{topic},added by the test"
    )
    assert "not_in_list.csv" in message
    assert fragment in message


@pytest.mark.parametrize(
    "name, row, fragment",
    [
        ("examples.csv", "82,孩子爹妈都进去了没人管", "not an item number"),
        ("examples.csv", "53 54,孩子爹妈都进去了没人管", "exactly one item"),
        ("examples.csv", "53,没人管", "four characters"),
        (
            "examples.csv",
            "53,孩子爹妈都进去了没人管\n54,孩子爹妈都进去了没人管",
            "the same text as line",
        ),
        ("situations.csv", "独生子+没了,82,", "not an item number"),
        ("situations.csv", "独生子,44,", "2–4 parts"),
        ("situations.csv", "独生子++没了,44,", "2–4 parts"),
        ("situations.csv", "a+b+c+d+e,44,", "2–4 parts"),
        ("situations.csv", "子|独生子+没了,44,", "'子' is one character"),
        ("situations.csv", "独生子+没了,,", "name the item"),
        ("situations.csv", "独生子+没了,44,\n独生子+没了,43,", "the same words as line"),
    ],
)
def test_a_bad_example_question_or_situation_fails_the_build_and_names_its_line(
    tmp_path, good_db, name, row, fragment
):
    message = build_with_a_curated_row(tmp_path, good_db, name, row)
    assert f"{name}, line" in message
    assert fragment in message
