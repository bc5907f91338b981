"""The parser and the builder against the real published document."""

from __future__ import annotations

import sqlite3

import pytest

from bot import settings
from kb import parse
from kb.build import build, find_ages, parse_figure
from kb.query import KnowledgeBase

DOMAIN_RANGES = {
    "基本公共教育": (1, 8),
    "基本劳动就业创业": (9, 18),
    "基本社会保险": (19, 25),
    "基本医疗卫生": (26, 45),
    "基本社会服务": (46, 58),
    "基本住房保障": (59, 61),
    "基本公共文化体育": (62, 70),
    "残疾人基本公共服务": (71, 81),
}


@pytest.fixture(scope="module")
def document() -> parse.Document:
    return parse.parse_document(settings.KB_SOURCE.read_text(encoding="utf-8"))


def rows(kb_path, sql, params=()):
    with sqlite3.connect(kb_path) as connection:
        return connection.execute(sql, params).fetchall()


# --- parser --------------------------------------------------------------------------


def test_parser_counts(document):
    assert len(document.items) == 81
    assert len(document.indicators) == 20
    assert len(document.tasks) == 26
    assert [i.id for i in document.items] == list(range(1, 82))


def test_parser_keeps_published_text(document):
    items = {i.id: i for i in document.items}
    # Parsing corrects nothing: the typos are still there before the corrections step.
    assert items[47].departments.startswith("市民政厅")
    assert items[10].departments == "市人力资源社会保障局市财政局、人行廊坊中心支行"
    assert items[14].name == "职业技能培训和技能签定"


def test_parser_steps_over_known_defects(document):
    notes = " | ".join(f"{n.line}:{n.message}" for n in document.notes)
    assert "葡京官网" in notes
    assert "item 42" in notes
    assert "attachment number '2'" in notes


def test_parser_multi_paragraph_cells(document):
    items = {i.id: i for i in document.items}
    assert [s.label for s in items[48].sections] == [
        "重点救助对象",
        "低收入救助对象",
        "重特大疾病医疗救助对象",
        "疾病应急救助对象",
    ]
    assert [s.label for s in items[49].sections] == ["家庭对象", "个人对象"]
    assert items[48].target.count("\n") == 3  # every paragraph kept, whole
    assert items[48].standard.startswith("对重点救助对象参加城乡居民基本医疗保险")
    assert items[42].target == "育龄人群"  # the stray blank line is not a cell


@pytest.mark.parametrize(
    "text, expected",
    [
        ("95%", (95, "=")),
        (">25", (25, ">")),
        (">95", (95, ">")),
        ("30以上", (30, ">=")),
        ("103.78", (103.78, "=")),
        ("-", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_figure(text, expected):
    assert parse_figure(text) == expected


@pytest.mark.parametrize(
    "text, bounds",
    [
        ("65岁及以上老年人", (65, None)),
        ("0—6岁儿童", (0, 6)),
        ("0—3岁儿童", (0, 3)),
        ("年满60周岁、只生育一个子女", (60, None)),
        ("对80周岁以上低收入老年人", (80, None)),
        ("百岁以上老年人", (100, None)),
        ("未满16周岁的未成年人", (None, 15)),
    ],
)
def test_find_ages(text, bounds):
    (found,) = find_ages(text)
    assert found[1:3] == bounds


# --- built database ------------------------------------------------------------------


def test_items_and_domains(kb):
    items = kb.items()
    assert len(items) == 81
    for domain, (first, last) in DOMAIN_RANGES.items():
        assert [i.id for i in kb.items_by_domain(domain)] == list(
            range(first, last + 1)
        )
    assert [d.name for d in kb.domains()] == list(DOMAIN_RANGES)


def test_every_field_non_empty(kb):
    for item in kb.items():
        for name in ("name", "target", "standard", "funding", "domain"):
            assert getattr(item, name).strip(), (item.id, name)
        assert item.departments and all(item.departments), item.id


def test_specific_rows(kb):
    assert "小学生每生每年1000元" in kb.item(3).standard
    assert "初中生每生每年1250元" in kb.item(3).standard
    assert kb.item(51).departments == ("市司法局", "市财政局")
    assert kb.item(51).name == "法律援助"
    assert kb.item(1).departments == ("市教育局", "市财政局")
    assert kb.item(74).departments == (
        "市人力资源社会保障局",
        "市民政局",
        "市卫生计生委",
        "市残联",
    )


def test_corrections_applied_and_originals_kept(kb, kb_path):
    item47 = kb.item(47)
    assert item47.lead_department == "市民政局"
    assert item47.departments_original.startswith("市民政厅")
    assert kb.item(10).departments == (
        "市人力资源社会保障局",
        "市财政局",
        "人行廊坊中心支行",
    )
    assert kb.item(12).departments == ("市人力资源社会保障局", "市财政局")
    assert kb.item(59).departments == ("市房管局", "市财政局")
    assert kb.item(14).name == "职业技能培训和技能鉴定"
    assert kb.item(33).target == "原发性高血压患者和2型糖尿病患者"
    applied = {(c.record, c.key, c.field, c.original) for c in kb.corrections()}
    assert ("item", 47, "departments", "市民政厅") in applied
    assert ("item", 59, "departments", "市房管局局") in applied
    assert ("indicator", 8, "label", "婴儿死亡率(") in applied
    (count,) = rows(kb_path, "SELECT count(*) FROM corrections_applied")[0]
    assert count == len(kb.corrections()) >= 10


def test_indicators(kb):
    indicators = {i.name: i for i in kb.indicators()}
    assert len(indicators) == 20
    infant = indicators["婴儿死亡率"]
    assert (infant.value_2015, infant.target_2020, infant.unit) == ("8.3", "5.0", "‰")
    assert (infant.value_2015_num, infant.target_2020_num) == (8.3, 5.0)
    assert infant.domain == "基本医疗卫生"
    assert indicators["5岁以下儿童死亡率"].unit == "‰"
    jobs = indicators["城镇新增就业人数"]
    assert (jobs.unit, jobs.cumulative, jobs.cumulative_num, jobs.cumulative_cmp) == (
        "万人",
        ">25",
        25,
        ">",
    )
    assert jobs.value_2015 == "-" and jobs.value_2015_num is None
    beds = indicators["养老床位中护理型床位比例"]
    assert (beds.target_2020, beds.target_2020_num, beds.target_2020_cmp) == (
        "30以上",
        30,
        ">=",
    )
    assert indicators["九年义务教育巩固率"].value_2015_num == 95
    assert indicators["孕产妇死亡率"].unit == "1/10万"
    assert (
        indicators[
            "建档立卡贫困户、低保户、农村分散供养特困人员、贫困残疾人家庭等4类重点对象农村危房改造"
        ].cumulative_num
        == 1783
    )
    assert all(i.unit for i in kb.indicators())


def test_tasks(kb):
    tasks = kb.tasks()
    assert len(tasks) == 26
    assert tasks[4].units == ("市卫生计生委", "市食品药品监管局")
    assert tasks[21].units == ("市城乡规划局", "市国土资源局")
    assert tasks[25].units == ("市发展改革委",)  # corrected: the document lost 市
    assert tasks[22].text.startswith("建立健全服务标准体系")
    assert all(t.units for t in tasks)


def test_aliases(kb):
    vocabulary = kb.vocabulary()
    aliases = {a for item in kb.items() for a in item.aliases}
    assert len(aliases) >= 250
    for item in kb.items():
        assert len(item.aliases) >= 2, item.id
    for alias in (
        "低保",
        "五保",
        "特困",
        "公租房",
        "廉租房",
        "新农合",
        "医保",
        "养老金",
        "失业金",
        "打疫苗",
        "产检",
        "免费体检",
        "残疾证补贴",
        "法律援助",
        "12333",
        "助学金",
        "两癌筛查",
        "高血压",
        "糖尿病",
        "家庭医生",
        "计生奖励",
        "退役军人",
        "孤儿",
        "养老院",
        "图书馆",
        "健身",
        "广播电视",
    ):
        assert alias in vocabulary["service"], alias
    by_alias = {}
    for item in kb.items():
        for alias in item.aliases:
            by_alias.setdefault(alias, set()).add(item.id)
    assert {21, 23} <= by_alias["医保"]
    assert {19, 20} <= by_alias["养老保险"]
    assert {5, 7} <= by_alias["助学金"]


def test_every_alias_points_at_an_existing_item(kb_path):
    dangling = rows(
        kb_path,
        "SELECT alias, item_id FROM aliases WHERE item_id NOT IN (SELECT id FROM items)",
    )
    assert dangling == []


def test_groups(kb):
    names = {g.name for g in kb.groups()}
    for group in (
        "老年人",
        "残疾人",
        "儿童",
        "学生",
        "农民工",
        "退役军人",
        "低保户",
        "孕产妇",
        "失业人员",
        "高校毕业生",
        "农村居民",
        "城镇职工",
        "困难家庭",
    ):
        assert group in names
    assert 32 in [i.id for i in kb.items_by_group("老年人")]
    assert 32 in [i.id for i in kb.items_by_group("老人")]  # a synonym
    assert {71, 77, 81} <= {i.id for i in kb.items_by_group("残疾人")}
    assert {56, 57, 58} <= {i.id for i in kb.items_by_group("退役军人")}
    assert 31 in [i.id for i in kb.items_by_group("孕妇")]


def test_age_bounds(kb):
    assert (kb.item(32).min_age, kb.item(32).max_age) == (65, None)
    assert (kb.item(30).min_age, kb.item(30).max_age) == (0, 6)
    assert (kb.item(43).min_age, kb.item(43).max_age) == (60, None)
    assert (kb.item(54).min_age, kb.item(54).max_age) == (None, 15)
    # Several populations, only one of them with an age: no item-level bound …
    assert (kb.item(37).min_age, kb.item(37).max_age) == (None, None)
    # … but every phrase is kept with its source text.
    assert {(a.phrase, a.min_age, a.max_age) for a in kb.item(37).age_ranges} == {
        ("65岁以上", 65, None),
        ("0—3岁", 0, 3),
    }
    assert {(a.phrase, a.min_age) for a in kb.item(52).age_ranges} == {
        ("80周岁以上", 80),
        ("百岁以上", 100),
    }
    assert [(a.phrase, a.max_age) for a in kb.item(47).age_ranges] == [
        ("未满16周岁", 15)
    ]


def test_hotlines(kb):
    law = kb.hotline(51)
    assert (law.number, law.name, law.in_document, law.department) == (
        "12348",
        "法律服务热线",
        True,
        "市司法局",
    )
    labour = kb.hotline(15)
    assert labour.number == "12333" and labour.in_document
    assert labour.hours == "人工服务为5×8小时,自助语音服务为7×24小时"
    health = kb.hotline(32)
    assert (health.number, health.in_document) == ("12320", False)
    assert kb.hotline(77).number == "12385"  # lead 市残联
    assert kb.hotline(71).number == "12345"  # lead 市民政局 has no line of its own
    assert kb.hotline(45).number == "12315"
    assert (kb.hotline(1).number, kb.hotline(1).in_document) == ("12345", False)
    unknown = kb.hotline(999)
    assert (unknown.number, unknown.name) == ("12345", "政务服务便民热线")
    assert all(kb.hotline(item.id).number for item in kb.items())
    renamed = kb.department("卫健委")
    assert renamed.name == "市卫生计生委" and renamed.renamed_to == "市卫生健康委员会"


def test_items_by_department_short_forms(kb):
    expected = [i.id for i in kb.items_by_department("市司法局")]
    assert expected == [51]
    assert [i.id for i in kb.items_by_department("司法局")] == expected
    assert [i.id for i in kb.items_by_department("廊坊市司法局")] == expected
    assert 46 in [i.id for i in kb.items_by_department("民政局")]
    assert 15 in [i.id for i in kb.items_by_department("人社局")]
    assert [i.id for i in kb.items_by_domain("社保")] == list(range(19, 26))
    assert [i.id for i in kb.items_by_domain("社会保险")] == list(range(19, 26))


def test_meta(kb_path):
    meta = dict(rows(kb_path, "SELECT key, value FROM meta"))
    assert meta["schema_version"].isdigit()
    assert len(meta["source_sha256"]) == 64


def test_build_is_deterministic_and_reports(tmp_path, kb_path):
    again = tmp_path / "again.db"
    report = build(out=again)
    assert again.read_bytes() == kb_path.read_bytes()
    assert report.counts["items"] == 81
    assert report.counts["corrections"] == len(report.corrections)
    text = report.format()
    assert "市民政厅 → 市民政局" in text
    assert "items 81" in text and "indicators 20" in text and "tasks 26" in text
    with KnowledgeBase.open(again) as opened:
        assert len(opened.items()) == 81


def test_build_is_deterministic_across_processes(tmp_path, kb_path):
    """Another process with another hash seed (set order!) writes the same bytes."""
    import os
    import subprocess
    import sys

    out = tmp_path / "other-process.db"
    result = subprocess.run(
        [sys.executable, "-m", "kb", "build", "--out", str(out)],
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
        cwd=settings.ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == kb_path.read_bytes()
