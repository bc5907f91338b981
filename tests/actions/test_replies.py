"""The pure reply builders: document text display, parts of a cell, eligibility rules."""

from __future__ import annotations

import pytest

from actions import eligibility, facets, replies
from actions.numbers import Age


def test_display_makes_scraped_punctuation_chinese():
    assert replies.display("小学生1000元,初中生1250元;(含县镇)") == (
        "小学生1000元，初中生1250元；（含县镇）"
    )
    assert replies.display("1,000") == "1,000"


@pytest.mark.parametrize(
    "message, expected",
    [("小学生呢", ["小学生每生每年1000元"]), ("初中生多少", ["初中生每生每年1250元"]),
     ("多少钱", [])],
)
def test_matching_clauses(kb, message, expected):
    assert replies.matching_clauses(kb.item(3).standard, message) == expected


@pytest.mark.parametrize(
    "message, label",
    [("个人的呢", "个人对象"), ("我们家里着火了", None), ("家庭对象", "家庭对象")],
)
def test_matching_section(kb, message, label):
    section = replies.matching_section(kb.item(49), message)
    assert (section.label if section else None) == label


@pytest.mark.parametrize(
    "item_id, age, fits, words",
    [
        (32, Age(63), False, ["65岁及以上老年人", "满65岁后"]),
        (32, Age(65), True, ["符合"]),
        (32, Age(60, approximate=True), None, ["要看具体年龄"]),  # 60多岁 spans 65
        (37, Age(63), None, ["其他服务对象"]),  # its age bounds cover only some users
        (30, Age(7), False, ["0—6岁"]),
        (51, Age(40), None, None),  # no age condition at all
    ],
)
def test_check_age(kb, item_id, age, fits, words):
    verdict = eligibility.check_age(kb.item(item_id), age)
    if words is None:
        assert verdict is None
        return
    assert verdict.fits is fits
    for word in words:
        assert word in verdict.reason


def test_check_reply_always_leaves_the_decision_to_the_department(kb):
    reply = eligibility.check_reply(kb, kb.item(23), "我是农村户口", None)
    assert "您说的情况符合「第23项 城乡居民基本医疗保险」" in reply
    assert reply.splitlines()[-2] == "最终能否享受，以市人力资源社会保障局的审核认定为准。"


@pytest.mark.parametrize(
    ("item_id", "facet", "message", "first", "second"),
    [
        # Who, then how much as well.
        (5, facets.ELIGIBILITY, "职高的助学金一年给多少 啥样的学生能领", "服务对象是", "2000元"),
        (4, facets.ELIGIBILITY, "普惠园困难家庭的娃 能资助多少", "服务对象是", "500—1000元"),
        # How much, then who as well.
        (5, facets.STANDARD, "职高的助学金一年给多少 啥样的学生能领", "服务标准", "服务对象：中等职业学校"),
        # A 服务对象 that is only a group: what the item gives them, too.
        (75, facets.ELIGIBILITY, "残疾人申请公租房能排前头不", "服务对象是：残疾人", "优先轮候"),
        # Whether a group gets a price cut: who, then the cut.
        (68, facets.ELIGIBILITY, "老年人去看文物古迹 门票给减免不", "服务对象是", "门票减免"),
        # What the household pays is in the 支出责任.
        (60, facets.STANDARD, "棚户区改造 老百姓自己得掏钱不", "服务标准", "住户承担一部分"),
        (61, facets.INFO, "危房改造 自己还得出钱不", "服务内容", "个人自筹"),
    ],
)
def test_a_second_fact_asked_is_answered_after_the_first(
    kb, item_id, facet, message, first, second
):
    reply = replies.compose(kb, kb.item(item_id), facet, message)
    assert first in reply and second in reply, reply
    assert reply.index(first) < reply.index(second)


@pytest.mark.parametrize(
    ("item_id", "facet", "message", "absent"),
    [
        (32, facets.ELIGIBILITY, "多少岁能做免费体检", "服务标准"),  # an age bound
        (5, facets.STANDARD, "职高助学金一年给多少", "服务对象"),
        (5, facets.ELIGIBILITY, "职高助学金谁能领", "服务标准"),
        # 免费义务教育's 支出责任 names no share of the family's.
        (1, facets.STANDARD, "孩子上小学 课本费还用自己掏不", "支出责任"),
    ],
)
def test_a_single_question_gets_a_single_fact(kb, item_id, facet, message, absent):
    assert absent not in replies.compose(kb, kb.item(item_id), facet, message)


def test_a_topic_clause_is_quoted_with_what_it_introduces(kb):
    # Item 57: "自主就业的," alone says nothing; the reply quotes it whole.
    reply = replies.compose(kb, kb.item(57), facets.STANDARD, "退伍回来选的自主就业 有啥扶持")
    assert "自主就业的，在领取退役金后，按规定享受扶持就业优惠政策" in reply


def test_how_much_adds_the_amount_when_the_matching_clause_has_none(kb):
    reply = replies.compose(kb, kb.item(4), facets.STANDARD, "俺家是困难户 保育费能减免多少")
    assert "减免保育教育费" in reply and "500—1000元" in reply
    # A clause that already holds the amount is the whole answer.
    reply = replies.compose(kb, kb.item(3), facets.STANDARD, "寄宿的小学生补多少")
    assert "1000元" in reply and "1250" not in reply


def test_a_summary_adds_the_sentence_the_question_is_about(kb):
    reply = replies.compose(kb, kb.item(14), facets.INFO, "想考个电工证 鉴定费有补贴没")
    assert "职业技能鉴定补贴" in reply
    # Naming the item alone picks no sentence.
    assert "其中" not in replies.compose(kb, kb.item(14), facets.INFO, "职业技能培训和技能鉴定")


def test_a_summary_adds_the_asked_sentence_past_the_one_it_shows(kb):
    # The opening sentence about 见习 is in the summary; 生活费 asks for 生活补助.
    reply = replies.compose(
        kb, kb.item(12), facets.INFO, "大学毕业还没工作 听说政府组织见习 见习期间给不给生活费"
    )
    assert "其中：为见习人员提供基本生活补助" in reply


def test_who_gets_one_of_two_benefits_quotes_that_ones_sentence(kb):
    reply = replies.compose(kb, kb.item(71), facets.ELIGIBILITY, "重度残疾人那个护理补贴 啥人能领")
    assert "一级、二级" in reply and "生活补贴" not in reply.split("写明：")[1]
    reply = replies.compose(kb, kb.item(71), facets.ELIGIBILITY, "困难残疾人生活补贴谁能领")
    assert "为低保家庭中的残疾人提供生活补贴" in reply


def test_an_age_check_quotes_the_standard_for_that_age(kb):
    reply = eligibility.check_reply(kb, kb.item(52), "俺娘今年102了", Age(102))
    assert "百岁以上老年人的高龄津贴每人每月不少于300元" in reply
    reply = eligibility.check_reply(kb, kb.item(52), "俺爸83了", Age(83))
    assert "80周岁以上低收入老年人给予高龄津贴" in reply and "300" not in reply


def test_an_age_that_fits_shows_the_rest_of_the_condition(kb):
    # 65 meets 年满60周岁, but the reward also asks 只生育一个子女或两个女孩: the reply
    # must not let the age alone read as the whole condition.
    reply = eligibility.check_reply(kb, kb.item(43), "俺哥六十五了 他能领不", Age(65))
    assert "65岁符合这个年龄条件" in reply and "只生育一个子女或两个女孩" in reply
    # Where the age phrase is one of the populations served, it is the whole condition.
    reply = eligibility.check_reply(kb, kb.item(37), "娃两岁半 能做中医调养不", Age(2))
    assert "2岁符合这个年龄条件" in reply and "服务对象是" not in reply


def test_an_age_the_item_does_not_bound_leaves_the_groups_served_to_show(kb):
    # 参观文化遗产 has no age bound: 11 is checked by the groups it serves.
    reply = eligibility.check_reply(kb, kb.item(68), "带11岁的孩子去看文物古迹 门票能减免不", Age(11))
    assert "服务对象是：未成年人" in reply


def test_the_child_in_a_childs_relative_is_no_group_of_the_asker(kb):
    reply = eligibility.check_reply(kb, kb.item(32), "那孩子姥爷63呢", Age(63))
    assert "63岁不在这个范围内" in reply and "孩子" not in reply


def test_a_check_adds_the_standards_sentence_about_the_situation(kb):
    # The opening sentences of 医疗救助 are about premiums; the question is about what
    # is left after 医保 pays for a hospital stay (…70%).
    # Told in the document's words (报销, 个人负担) it is that sentence alone …
    message = "俺家吃低保 住院报完自己还得掏一万多 还能再给救助点不"
    reply = eligibility.check_reply(kb, kb.item(48), message, None)
    assert "清单的服务标准写明：" in reply and "不低于70%" in reply
    assert reply.index("70%") < reply.index("最终能否享受")
    # … and told with fewer of them, the opening sentences come first.
    message = "俺家吃低保 住院花了不少 还能再给救助点不"
    reply = eligibility.check_reply(kb, kb.item(48), message, None)
    assert "个人缴费部分进行补贴" in reply


@pytest.mark.parametrize(
    "message, excluded",
    [("孩子学的舞蹈表演 也能免吗", True), ("孩子学的是汽修", False), ("城市学生能免吗", False)],
)
def test_a_check_names_the_clause_that_leaves_the_user_out(kb, message, excluded):
    reply = eligibility.check_reply(kb, kb.item(6), message, None)
    assert ("清单写明：艺术类相关表演专业学生除外。" in reply) is excluded
    if excluded:
        assert reply.startswith("按清单的条件，您说的情况可能暂不符合")


def test_citizens_words_read_as_the_documents():
    assert "个人负担" in replies.in_document_words("医保报完自己还得掏好几千")
    assert "职业技能鉴定" in replies.in_document_words("考个焊工证能有补贴不")
    # Beside a course, 考证 is where the training ends: the training sentence answers.
    assert "鉴定" not in replies.in_document_words("想学电焊考个证 培训能给补贴么")


def test_info_about_a_certificate_quotes_the_assessment_subsidy(kb):
    reply = replies.compose(kb, kb.item(14), facets.INFO, "考个焊工证能有补贴不")
    assert "职业技能鉴定补贴" in reply


def test_how_much_prefers_the_sentence_with_the_amount(kb):
    # Two sentences of 医疗救助 speak of what is left after 报销; "多少" asks the 70%.
    message = "婆婆尿毒症一直透析 俺家是低保户 报完剩下自己掏的那部分还能救助多少"
    reply = eligibility.check_reply(kb, kb.item(48), message, None)
    assert "不低于70%" in reply
