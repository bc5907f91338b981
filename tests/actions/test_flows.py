"""Multi-turn flows of issue #3, played with the real actions, rules and knowledge base.

Each test is one conversation; each turn gives the intent (and entities) NLU is
expected to produce for the text, so what is tested here is the dialogue: context,
follow-ups, choices and the wording of the answers.
"""

from __future__ import annotations

import pytest

from tests.actions.facts import assert_from_kb


def ent(entity: str, value: str) -> dict:
    return {"entity": entity, "value": value}


def svc(value: str) -> dict:
    return ent("service", value)


def check(kb, reply: str, *expected: str) -> None:
    for text in expected:
        assert text in reply, f"{text!r} not in reply:\n{reply}"
    assert_from_kb(kb, reply)


def test_item_persists_across_turns(kb, conversation):
    reply = conversation.say("法律援助找哪个部门", "ask_department", [svc("法律援助")])
    check(kb, reply, "「第51项 法律援助」由市司法局牵头负责", "市财政局", "12348")
    assert reply.index("市司法局") < reply.index("12348")  # important fact first
    reply = conversation.say("电话多少", "ask_hotline")
    check(kb, reply, "第51项 法律援助", "12348（法律服务热线，规划文件写明）", "12345")
    reply = conversation.say("谁能领", "ask_eligibility")
    check(kb, reply, "服务对象是：经济困难公民和特殊案件当事人")
    reply = conversation.say("钱谁出", "ask_funding")
    check(kb, reply, "市、县政府负责")
    assert conversation.slots["item_id"] == 51


def test_switching_item_keeps_the_question(kb, conversation):
    reply = conversation.say("工伤保险归哪个部门", "ask_department", [svc("工伤保险")])
    check(kb, reply, "「第25项 工伤保险」由市人力资源社会保障局牵头负责")
    reply = conversation.say("那生育保险呢", "ask_service_info", [svc("生育保险")])
    check(kb, reply, "「第22项 生育保险」由市人力资源社会保障局牵头负责", "12333")
    assert conversation.slots["facet"] == "department"


def test_a_follow_up_naming_several_items_means_the_one_like_the_current(kb, conversation):
    conversation.say("中职免学费多少钱", "ask_standard", [svc("中职免学费")])
    reply = conversation.say("那助学金呢", "ask_service_info", [svc("助学金")])
    check(kb, reply, "「第5项 中等职业教育国家助学金」")
    conversation.say("普通高中免学费谁能享受", "ask_eligibility", [svc("免学费")])
    reply = conversation.say("那助学金呢", "ask_service_info", [svc("助学金")])
    check(kb, reply, "「第7项 普通高中国家助学金」")


def test_a_follow_up_calling_the_other_item_of_a_pair_switches_to_it(kb, conversation):
    conversation.say("医保钱谁出", "ask_funding", [svc("医保")])
    reply = conversation.say("城乡居民的那个", "choose")
    check(kb, reply, "「第23项 城乡居民基本医疗保险」的资金")
    # 职工 is no item's name alone, but it calls 21, the other 医保.
    reply = conversation.say("那职工的呢", "ask_service_info")
    check(kb, reply, "「第21项 职工基本医疗保险」的资金", "6%")
    # A group the other item serves is not its name: the same item, for them.
    conversation.say("城乡居民养老保险谁出钱", "ask_funding", [svc("城乡居民养老保险")])
    reply = conversation.say("那残疾人呢", "ask_service_info", [ent("group", "残疾人")])
    check(kb, reply, "「第20项 城乡居民基本养老保险」的资金")


def test_a_follow_up_keeps_the_question_though_the_name_has_a_facet_word(
    kb, conversation
):
    conversation.say("营养改善的钱谁出", "ask_funding", [svc("营养改善")])
    # 补助 is part of what the citizen calls the item, not a question about the amount.
    reply = conversation.say("那住校生的生活补助呢", "ask_service_info")
    check(kb, reply, "「第3项 寄宿生生活补助」的资金")


def test_a_group_the_item_serves_keeps_the_item(kb, conversation):
    conversation.say("儿童健康管理找哪个部门", "ask_department", [svc("儿童健康管理")])
    reply = conversation.say("多大的孩子能享受", "ask_eligibility", [ent("group", "孩子")])
    check(kb, reply, "「第30项 儿童健康管理」的服务对象是：0—6岁儿童")
    # "那X呢" with a group's word in it names another item.
    conversation.say("中专免学费的标准是多少", "ask_standard", [svc("中专免学费")])
    reply = conversation.say("那寄宿生补助呢", "ask_service_info", [ent("group", "寄宿生")])
    check(kb, reply, "「第3项 寄宿生生活补助」", "1250")


def test_follow_up_refines_the_standard(kb, conversation):
    reply = conversation.say("寄宿生生活补助多少钱", "ask_standard", [svc("寄宿生生活补助")])
    check(kb, reply, "第3项 寄宿生生活补助", "小学生每生每年1000元", "初中生每生每年1250元")
    reply = conversation.say("小学生呢", "ask_service_info", [ent("group", "小学生")])
    check(kb, reply, "「第3项 寄宿生生活补助」：小学生每生每年1000元")
    assert "1250" not in reply
    reply = conversation.say("初中生呢", "ask_service_info")
    check(kb, reply, "初中生每生每年1250元")
    assert "1000" not in reply


def test_multi_paragraph_cell_answers_the_fitting_part(kb, conversation):
    conversation.say("临时救助谁能申请", "ask_eligibility", [svc("临时救助")])
    reply = conversation.say("个人的呢", "ask_service_info")
    check(kb, reply, "「第49项 临时救助」的个人对象是：因遭遇火灾")
    assert "家庭对象" not in reply
    reply = conversation.say("那家庭对象呢", "ask_service_info")
    check(kb, reply, "的家庭对象是：")


def test_close_candidates_then_number(kb, conversation):
    reply = conversation.say("养老保险每月发多少", "ask_standard", [svc("养老保险")])
    check(kb, reply, "第20项 城乡居民基本养老保险", "第19项 职工基本养老保险", "请回复序号 1/2")
    assert [b["payload"] for b in conversation.buttons] == ["1", "2"]
    candidates = conversation.slots["candidates"]
    assert sorted(candidates) == [19, 20]
    reply = conversation.say("2", "choose", [{"entity": "number", "value": "2"}])
    second = kb.item(candidates[1])
    check(kb, reply, f"「第{second.id}项 {second.name}」的服务标准")
    assert conversation.slots["item_id"] == second.id
    assert conversation.slots["candidates"] is None


@pytest.mark.parametrize(
    "reply_text, entities, expected",
    [
        ("第二个", [{"entity": "number", "value": "2"}], 2),
        ("第二个", [], 2),
        ("1", [], 1),
        ("最后一个", [], 2),
        ("城乡居民的", [], 23),
        ("职工那个", [], 21),
    ],
)
def test_choice_by_ordinal_or_name(kb, conversation, reply_text, entities, expected):
    # The order of close candidates follows search scores; positions are read from it.
    reply = conversation.say("医保报销多少", "ask_standard", [svc("医保")])
    candidates = conversation.slots["candidates"]
    assert sorted(candidates) == [21, 23] and "请回复序号" in reply
    item_id = expected if expected > 2 else candidates[expected - 1]
    reply = conversation.say(reply_text, "choose", entities)
    check(kb, reply, f"「第{item_id}项 {kb.item(item_id).name}」的服务标准")


def test_number_beyond_the_list_is_not_an_item_number(kb, conversation):
    """With a list on screen "第九个" is a bad position, not item 9; "第9项" is item 9."""
    conversation.say("医保报销多少", "ask_standard", [svc("医保")])
    reply = conversation.say("第九个", "choose")
    check(kb, reply, "没有看懂您选的是哪一项", "1. 第2")
    reply = conversation.say("第9项", "choose")
    check(kb, reply, "「第9项 基本公共就业服务」")


def test_eligibility_by_age(kb, conversation):
    conversation.say("老年人免费体检谁能享受", "ask_eligibility", [svc("老年人健康管理")])
    reply = conversation.say("我爸63岁能享受吗", "check_eligibility", [ent("age", "63")])
    check(kb, reply, "暂不符合「第32项 老年人健康管理」", "65岁及以上", "63岁", "满65岁后",
          "以市卫生计生委（现市卫生健康委员会）的审核认定为准")
    reply = conversation.say("那七十岁呢", "ask_service_info", [ent("age", "70")])
    check(kb, reply, "您说的情况符合「第32项 老年人健康管理」", "70岁符合这个年龄条件", "审核认定为准")


def test_eligibility_by_group(kb, conversation):
    conversation.say("城乡居民医保谁能参加", "ask_eligibility", [svc("城乡居民基本医疗保险")])
    reply = conversation.say("我是农村户口", "check_eligibility", [ent("group", "农村户口")])
    check(kb, reply, "您说的情况符合「第23项 城乡居民基本医疗保险」", "农村人口", "审核认定为准")


def test_group_statement_without_topic_lists_services(kb, conversation):
    reply = conversation.say("我是残疾人", "check_eligibility", [ent("group", "残疾人")])
    check(kb, reply, "第71项 困难残疾人生活补贴和重度残疾人护理补贴", "回复序号查看详情")


def test_list_by_group_then_pick(kb, conversation):
    reply = conversation.say("我是残疾人，能享受哪些服务", "list_services")
    check(kb, reply, "【残疾人基本公共服务】", "第77项 残疾人康复", "回复序号查看详情")
    position = next(
        line.split(".")[0] for line in reply.splitlines() if "第77项" in line
    )
    reply = conversation.say(position, "choose")
    check(kb, reply, "「第77项 残疾人康复」属于残疾人基本公共服务", "市残联")
    reply = conversation.say("电话多少", "ask_hotline")
    check(kb, reply, "12385", "清单未列出")


@pytest.mark.parametrize(
    "text, listed",
    [
        ("当过兵的 退伍以后都能享受哪些", ["1. 第56项", "2. 第57项", "3. 第58项"]),
        ("怀孕生孩子的能享受啥服务", ["第22项 生育保险", "第31项 孕产妇健康管理", "第40项"]),
        ("俺是退伍回来的 有啥政策能享受", ["1. 第56项", "2. 第57项", "3. 第58项"]),
        ("看病卫生这块都有啥基本公共服务", ["【基本医疗卫生】", "6. 第31项"]),
        ("房子这块政府都管啥", ["1. 第59项", "2. 第60项", "3. 第61项"]),
        ("有病的人都能享受啥服务", ["2. 第33项 慢性病患者管理", "第48项 医疗救助"]),
        ("俺是复员回来的老兵 国家对俺们这号人都有啥政策", ["1. 第56项", "3. 第58项"]),
        # No group: the item word 计划生育 is shared by three items, and all are listed.
        ("计划生育方面国家有啥政策", ["1. 第42项", "2. 第43项", "3. 第44项"]),
    ],
)
def test_what_a_group_can_have_is_listed_though_an_item_word_is_in_it(
    kb, conversation, text, listed
):
    check(kb, conversation.say(text, "list_services"), *listed, "回复序号查看详情")


def test_a_field_list_answers_a_number_with_its_entry(kb, conversation):
    conversation.say("计划生育方面国家有啥政策", "list_services")
    reply = conversation.say("我要2吧", "choose")
    check(kb, reply, "「第43项 农村部分计划生育家庭奖励扶助」")


@pytest.mark.parametrize("text, item", [("老人高龄津贴有哪些", 52), ("孕妇产检有啥服务", 31)])
def test_one_named_service_is_answered_not_listed(kb, conversation, text, item):
    reply = conversation.say(text, "list_services")
    assert reply.startswith(f"「第{item}项") and "回复序号" not in reply


def test_group_list_puts_the_group_s_own_domain_first(kb, conversation):
    reply = conversation.say("残疾人都能享受哪些服务", "list_services")
    check(
        kb,
        reply,
        "专门面向残疾人的服务在前",
        "【残疾人基本公共服务】\n1. 第71项",
        "9. 第79项 残疾人职业培训和就业服务",
        "12. 第4项 普惠性学前教育资助",
    )
    reply = conversation.say("第9个吧", "choose", [ent("number", "9")])
    check(kb, reply, "「第79项 残疾人职业培训和就业服务」")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("社会保险都包括哪些", ["【基本社会保险】", "1. 第19项 职工基本养老保险", "7. 第25项 工伤保险"]),
        ("市司法局负责哪些服务", ["1. 第51项 法律援助"]),
        ("卫健委管哪些服务", ["第32项 老年人健康管理"]),
        ("有哪些服务", ["共81项", "基本公共教育（第1—8项）"]),
        ("退役军人能享受什么", ["第57项 退役军人安置", "第58项 重点优抚对象集中供养"]),
    ],
)
def test_lists(kb, conversation, text, expected):
    check(kb, conversation.say(text, "list_services"), *expected)


def test_indicator(kb, conversation):
    reply = conversation.say("2020年婴儿死亡率要降到多少", "ask_indicator")
    check(kb, reply, "婴儿死亡率：2020年目标为5.0‰，2015年为8.3‰")
    assert "孕产妇" not in reply


def test_a_year_said_as_er_ling_nian_asks_for_a_target(kb, conversation):
    # 锻炼 also names 全民健身服务; "到二零年…占比" asks the 2020 target.
    reply = conversation.say("到二零年经常锻炼身体的人占比定的多少", "ask_indicator")
    check(kb, reply, "经常参加体育锻炼人数比例：2020年目标为38%")


def test_a_word_naming_both_a_group_and_an_item_lists_for_the_group(kb, conversation):
    # 退伍兵 is an alias of 退役军人安置 and a word for the group 退役军人.
    reply = conversation.say("退伍兵能享受的服务都有啥", "list_services")
    check(kb, reply, "第56项 优待抚恤", "第57项 退役军人安置", "第58项 重点优抚对象集中供养")


def test_a_plan_target_read_as_an_item_question_gets_the_indicator(kb, conversation):
    # 锻炼身体 names 全民健身服务, whose standard has no rate; 2020 + 比例 ask the plan.
    reply = conversation.say("2020年经常锻炼身体的人要占多大比例", "ask_eligibility")
    check(kb, reply, "经常参加体育锻炼人数比例：2020年目标为38%")
    # A rate the item's own standard states stays the item's.
    reply = conversation.say("孕产妇健康管理率2020年要达到多少", "ask_standard")
    check(kb, reply, "「第31项 孕产妇健康管理」", "90%")


def test_a_question_read_as_an_indicator_without_target_words_is_about_its_item(
    kb, conversation
):
    # No rate, target or year: what search finds (残疾人教育) is meant.
    reply = conversation.say("残疾娃上学 是12年都免费吗", "ask_indicator")
    check(kb, reply, "「第78项 残疾人教育」", "12年免费教育")


def test_indicator_follow_up_asks_the_same_of_another_indicator(kb, conversation):
    conversation.say("婴儿死亡率2020年目标是多少", "ask_indicator")
    # NLU may label the bare follow-up ask_service_info; the context decides.
    reply = conversation.say("那孕产妇死亡率呢", "ask_service_info")
    check(kb, reply, "孕产妇死亡率：2020年目标为14.0")
    reply = conversation.say("那5岁以下儿童的呢", "ask_service_info")
    check(kb, reply, "5岁以下儿童死亡率：2020年目标为7.0")
    conversation.say("婴儿死亡率2020年目标是多少", "ask_indicator")
    reply = conversation.say("5岁以下小孩的呢", "ask_service_info")  # 小孩 is 儿童
    check(kb, reply, "5岁以下儿童死亡率：2020年目标为7.0")
    # Particles around the topic; an item's name with 目标 asks for its target.
    reply = conversation.say("那要是农村危房改造那块呢", "ask_service_info")
    check(kb, reply, "农村危房改造：“十三五”期间累计1783户")
    reply = conversation.say("那棚户区改造的目标呢", "ask_service_info")
    check(kb, reply, "城镇棚户区住房改造：“十三五”期间累计4.8万套")
    # An alias for several items stands for the part of their names the indicator uses.
    reply = conversation.say("那医保参保率呢", "ask_service_info", [svc("医保")])
    check(kb, reply, "基本医疗保险参保率")
    # A measure (比例) in everyday words: the indicator search ranks first.
    reply = conversation.say("那经常锻炼身体的人比例呢", "ask_service_info", [svc("锻炼身体")])
    check(kb, reply, "经常参加体育锻炼人数比例", "38")


def test_a_question_naming_no_indicator_asks_about_the_last_one(kb, conversation):
    conversation.say("2020年孕产妇死亡率目标多少", "ask_indicator")
    conversation.say("那5岁以下儿童的呢", "ask_service_info")
    reply = conversation.say("2015年是多少来着", "ask_indicator")
    check(kb, reply, "5岁以下儿童死亡率", "2015年为11.2")
    assert "孕产妇" not in reply
    # Once an item is answered, the indicators are forgotten.
    conversation.say("低保找哪个部门", "ask_department", [svc("低保")])
    reply = conversation.say("2015年是多少来着", "ask_indicator")
    assert "规划列出了" in reply


def test_this_ones_target_is_the_indicator_of_the_item_under_discussion(kb, conversation):
    conversation.say("棚户区改造谁出钱", "ask_funding", [svc("棚户区改造")])
    reply = conversation.say("这个到2020年一共要改多少套", "ask_indicator")
    check(kb, reply, "城镇棚户区住房改造：“十三五”期间累计4.8万套")
    reply = conversation.say("那农村危房改造呢", "ask_service_info", [svc("农村危房改造")])
    check(kb, reply, "1783")


def test_after_an_indicator_a_short_topic_is_an_item(kb, conversation):
    conversation.say("婴儿死亡率2020年目标是多少", "ask_indicator")
    reply = conversation.say("那低保呢", "ask_service_info", [svc("低保")])
    check(kb, reply, "「第46项 最低生活保障」")


def test_an_age_range_describes_who_and_is_not_the_users_age(kb, conversation):
    # NLU labels it check_eligibility; nobody said how old they are.
    reply = conversation.say("65岁以上老人免费体检吗", "check_eligibility")
    check(kb, reply, "「第32项 老年人健康管理」", "65岁及以上")
    assert "情况符合" not in reply


def test_handoff_gives_topic_hotline_with_hours(kb, conversation):
    conversation.say("失业保险找哪个部门", "ask_department", [svc("失业保险")])
    reply = conversation.say("转人工", "human_handoff")
    check(kb, reply, "第24项 失业保险", "12333", "5×8小时", "7×24小时", "12345")


def test_a_word_holding_rengong_asks_for_no_person(kb, conversation):
    # 个人工资 is 个人 + 工资; the question is who pays what share.
    reply = conversation.say(
        "单位给职工交医疗保险，单位交百分之几，个人工资里又扣百分之几",
        "ask_funding",
        [svc("医疗保险")],
    )
    check(kb, reply, "第21项 职工基本医疗保险", "6%", "2%")
    assert "不能直接转接人工" not in reply


def test_handoff_without_topic(kb, conversation):
    reply = conversation.say("我要找人工客服", "human_handoff")
    check(kb, reply, "不能直接转接人工", "12345政务服务便民热线")


def test_fallback_answers_a_strong_item_as_a_guess_and_keeps_it(kb, conversation):
    reply = conversation.say("高龄津贴咋领呀", "nlu_fallback")
    check(kb, reply, "不太确定", "「第52项 老年人福利补贴」属于基本社会服务", "服务对象",
          "换个说法", "12345")
    assert conversation.slots["item_id"] == 52
    reply = conversation.say("电话多少", "ask_hotline")
    check(kb, reply, "「第52项 老年人福利补贴」可拨打")


def test_fallback_answers_the_item_a_curated_example_question_points_to(kb, conversation):
    # No term names 基本药物制度; its example questions do. The standard is what a
    # question with 多少 / 加价 wants; an info answer shows its opening too.
    reply = conversation.say("卫生院卖药加不加价", "nlu_fallback")
    check(kb, reply, "不太确定", "「第41项 基本药物制度」", "零差率")


def test_fallback_answers_the_facet_its_words_ask_for(kb, conversation):
    reply = conversation.say("儿子在技校念二年级 学的农机 国家给的助学金有多少", "nlu_fallback")
    check(kb, reply, "不太确定", "「第5项 中等职业教育国家助学金」", "2000")


def test_handoff_after_an_offer_gives_the_offered_item_s_hotline(kb, conversation):
    conversation.say("高龄津贴咋领呀", "nlu_fallback")
    reply = conversation.say("还是转人工吧", "human_handoff")
    check(kb, reply, "不能直接转接人工", "「第52项 老年人福利补贴」", "12345")
    conversation.say("孩子残疾了想做康复训练咋申请", "nlu_fallback")
    reply = conversation.say("转人工", "human_handoff")
    check(kb, reply, "「第77项 残疾人康复」", "12385")


def test_a_person_asked_for_in_an_unclear_message_gets_the_handoff(kb, conversation):
    conversation.say("城乡居民养老保险谁出钱", "ask_funding")
    reply = conversation.say("还是不太明白 转人工吧", "nlu_fallback")
    check(kb, reply, "不能直接转接人工", "「第20项 城乡居民基本养老保险」", "12333", "12345")


def test_also_points_back_at_the_item_under_discussion(kb, conversation):
    conversation.say("中职免学费在市区能免多少", "ask_standard")
    # 孩子 alone suggests children's items; "也能免吗" asks about this one.
    reply = conversation.say("孩子学的舞蹈表演 也能免吗", "ask_eligibility")
    check(kb, reply, "「第6项 中等职业教育免学费」")


def test_deny_clears_the_offer(kb, conversation):
    conversation.say("高龄津贴咋领呀", "nlu_fallback")
    reply = conversation.say("不是", "deny")
    check(kb, reply, "换个说法", "12345")
    assert conversation.slots["candidates"] is None


def test_nothing_found(kb, conversation):
    reply = conversation.say("怎么给多肉植物浇水", "ask_service_info")
    check(kb, reply, "没有在", "找到", "12345")
    # A topic known to be outside the list is named as such.
    reply = conversation.say("怎么办理护照", "ask_service_info")
    check(kb, reply, "“护照”不在", "12345")


def test_facet_without_item_asks_which(kb, conversation):
    reply = conversation.say("找哪个部门", "ask_department")
    check(kb, reply, "您想了解哪项服务")
    reply = conversation.say("低保", "ask_service_info", [svc("低保")])
    check(kb, reply, "第46项 最低生活保障")


@pytest.mark.parametrize(
    "intent, expected",
    [("greet", "您好"), ("help", "81项服务"), ("thanks", "不客气"),
     ("goodbye", "再见"), ("out_of_scope", "12345")],
)
def test_responses(conversation, intent, expected):
    assert expected in conversation.say("…", intent)


def test_renamed_department_is_named_both_ways(kb, conversation):
    reply = conversation.say("预防接种找哪个部门", "ask_department", [svc("预防接种")])
    check(kb, reply, "市卫生计生委（现市卫生健康委员会）", "12320（卫生健康服务热线，全国统一号码，清单未列出）")


def test_item_referred_to_by_its_number(kb, conversation):
    reply = conversation.say("第51项找哪个部门", "ask_department")
    check(kb, reply, "「第51项 法律援助」由市司法局牵头负责")


def test_list_request_naming_one_item_answers_it(kb, conversation):
    reply = conversation.say("全民健身有什么服务", "list_services")
    check(kb, reply, "「第70项 全民健身服务」的服务标准：提供科学健身指导")


def test_asking_for_a_person_in_other_words_is_a_handoff(kb, conversation):
    conversation.say("失业保险找哪个部门", "ask_department", [svc("失业保险")])
    reply = conversation.say("找个工作人员跟我说", "ask_service_info")
    check(kb, reply, "不能直接转接人工", "第24项 失业保险", "12333", "12345")


def test_age_conditions_in_the_standard_are_quoted(kb, conversation):
    reply = conversation.say("高龄津贴多大年纪才有", "ask_eligibility", [svc("高龄津贴")])
    check(kb, reply, "第52项 老年人福利补贴", "对80周岁以上低收入老年人给予高龄津贴")


def test_standard_part_for_a_place(kb, conversation):
    reply = conversation.say("市区中职学校免学费标准多少", "ask_standard")
    check(kb, reply, "「第6项 中等职业教育免学费」：市区的学校平均每生每年2300元")
    assert "1600" not in reply


def test_fallback_offer_names_department_and_hotline(kb, conversation):
    reply = conversation.say("农村夫妻备孕能免费检查吗", "nlu_fallback")
    check(kb, reply, "不太确定", "「第40项 免费孕前优生健康检查」", "市卫生计生委", "12320")


def test_situation_pointing_at_one_item_is_checked_against_it(kb, conversation):
    reply = conversation.say("农村独生子女父母60岁有奖励吗", "check_eligibility")
    check(kb, reply, "您说的情况符合「第43项 农村部分计划生育家庭奖励扶助」", "年满60周岁", "审核认定为准")


def test_age_alone_lists_the_items_with_that_age(kb, conversation):
    reply = conversation.say("我70岁了", "check_eligibility", [ent("age", "70")])
    check(kb, reply, "第32项 老年人健康管理", "第37项 中医药健康管理", "回复序号查看详情")
    assert "第30项" not in reply  # 0—6岁


def test_standard_adds_the_items_plan_indicator(kb, conversation):
    reply = conversation.say("棚户区改造计划改多少套", "ask_standard")
    check(kb, reply, "第60项 城镇棚户区住房改造", "城镇棚户区住房改造：“十三五”期间累计4.8万套")


@pytest.mark.parametrize(
    "text, expected",
    [("城乡居民养老保险参保率2020年要达到多少", "2020年目标为90%以上"),
     ("城镇新增就业人数目标", "累计25万人以上")],
)
def test_indicator_wording(kb, conversation, text, expected):
    check(kb, conversation.say(text, "ask_indicator"), expected)


def test_out_of_scope_does_not_answer_about_the_previous_item(kb, conversation):
    conversation.say("低保找哪个部门", "ask_department", [svc("低保")])
    reply = conversation.say("附近哪家饭馆好吃", "out_of_scope")
    check(kb, reply, "超出了我能回答的范围", "12345")
    assert "最低生活保障" not in reply


def test_out_of_scope_that_names_an_item_answers_it(kb, conversation):
    # NLU said out_of_scope, but 拆迁 is a curated alias of an item: answer it as a
    # guess, don't refuse; a follow-up is then about it.
    reply = conversation.say("拆迁的事你们管不管", "out_of_scope")
    check(kb, reply, "不太确定", "第60项 城镇棚户区住房改造", "市房管局", "12345")
    assert "超出了" not in reply
    reply = conversation.say("谁出钱", "ask_funding")
    check(kb, reply, "第60项 城镇棚户区住房改造", "资金")


@pytest.mark.parametrize("intent", ["affirm", "deny"])
def test_a_number_read_as_yes_or_no_still_chooses(kb, conversation, intent):
    conversation.say("医保报销多少", "ask_standard", [svc("医保")])
    candidates = conversation.slots["candidates"]
    reply = conversation.say("对，第二个", intent)
    check(kb, reply, f"「第{candidates[1]}项 {kb.item(candidates[1]).name}」的服务标准")


def test_a_statement_after_a_standard_question_refines_the_standard(kb, conversation):
    # NLU reads "我家的念初中" as a stated situation; after "多少钱" it asks how much for
    # them, and item 3's standard has a part for 初中生.
    conversation.say("寄宿生生活补助一年给多少", "ask_standard", [svc("寄宿生生活补助")])
    reply = conversation.say("我家的念初中", "check_eligibility")
    check(kb, reply, "「第3项 寄宿生生活补助」：初中生每生每年1250元")
    # Without a standard question before it, the same statement is an eligibility check
    # (the verdict first; the part of the standard it names follows).
    conversation.say("寄宿生生活补助谁能领", "ask_eligibility", [svc("寄宿生生活补助")])
    reply = conversation.say("我家的念初中", "check_eligibility")
    assert reply.startswith("「第3项 寄宿生生活补助」的服务对象是")
    assert reply.index("审核认定为准") > reply.index("服务标准：初中生每生每年1250元")


def test_a_facet_question_naming_only_a_domain_lists_it(kb, conversation):
    # No item, but a domain: its services, not "not found".
    reply = conversation.say("文化体育方面政府都给些啥", "ask_standard")
    check(kb, reply, "基本公共文化体育", "第62项 公共文化设施免费开放", "回复序号")
    assert len(conversation.slots["candidates"]) == 9


def test_an_indicator_reading_of_an_item_question_answers_the_item(kb, conversation):
    # Shares words with the indicator 特困人员集中供养率, but asks for no rate or target.
    reply = conversation.say("特困人员供养都包括什么", "ask_indicator")
    check(kb, reply, "「第47项 特困人员救助供养」")
    reply = conversation.say("特困人员集中供养率要提高到多少", "ask_indicator")
    check(kb, reply, "生活不能自理特困人员集中供养率：2020年目标为50%")


@pytest.mark.parametrize("intent", ["ask_service_info", "ask_funding", "out_of_scope",
                                    "list_services", "nlu_fallback"])
def test_a_topic_the_list_does_not_cover_is_said_to_be_outside_it(
    kb, conversation, intent
):
    conversation.say("低保找哪个部门", "ask_department", [svc("低保")])
    reply = conversation.say("住房公积金怎么取出来", intent)
    check(kb, reply, "“公积金”不在《廊坊市“十三五”基本公共服务清单》", "12345")
    assert "第" not in reply  # no item guessed (住房 names a domain)
    assert conversation.slots["item_id"] is None


def test_a_list_item_named_beside_an_outside_topic_is_answered(kb, conversation):
    reply = conversation.say("公积金和公租房都找谁", "ask_department", [svc("公租房")])
    check(kb, reply, "「第59项 公共租赁住房」由市房管局牵头负责")


def test_a_numbered_choice_previews_the_asked_fact(kb, conversation):
    reply = conversation.say("医保住院能报多少", "ask_standard", [svc("医保")])
    lines = reply.splitlines()
    assert lines[1].startswith("1. 第21项 职工基本医疗保险（") and "75%" in lines[1]
    assert lines[2].startswith("2. 第23项 城乡居民基本医疗保险（") and "75%" in lines[2]
    assert "请回复序号 1/2" in reply
    assert_from_kb(kb, reply)
    reply = conversation.say("医保归哪个部门管", "ask_department", [svc("医保")])
    assert reply.count("（牵头部门：市人力资源社会保障局）") == 2


def test_an_item_named_as_a_choice_with_no_list_keeps_the_question(kb, conversation):
    conversation.say("工伤保险谁出钱", "ask_funding", [svc("工伤保险")])
    reply = conversation.say("失业保险那个呢", "choose", [svc("失业保险")])
    check(kb, reply, "「第24项 失业保险」的资金（支出责任）")


def test_an_unsure_follow_up_still_refines_the_standard(kb, conversation):
    conversation.say("中职免学费一年免多少", "ask_standard", [svc("中职免学费")])
    reply = conversation.say("那要是在市区读呢", "nlu_fallback")
    check(kb, reply, "市区的学校平均每生每年2300元")


def test_a_situation_read_as_eligibility_after_a_standard_question_refines_it(
    kb, conversation
):
    conversation.say("中职免学费一年免多少", "ask_standard", [svc("中职免学费")])
    reply = conversation.say("我们学校在市区", "ask_eligibility")
    check(kb, reply, "市区的学校平均每生每年2300元")
    reply = conversation.say("学校在市区的谁能申请", "ask_eligibility")
    assert "2300" not in reply  # asks who: 谁能


def test_a_list_for_several_groups_is_in_list_order(kb, conversation):
    reply = conversation.say("退役军人和低保户能享受哪些服务", "list_services")
    numbers = [int(line.split("第")[1].split("项")[0])
               for line in reply.splitlines() if "项 " in line]
    assert numbers == sorted(numbers) and {56, 57, 46} <= set(numbers)


def test_a_statement_naming_another_item_still_refines_the_standard(kb, conversation):
    # 上小学 also names 免费义务教育; right after "how much", it says which part applies.
    conversation.say("寄宿生补助给多少钱", "ask_standard", [svc("寄宿生补助")])
    reply = conversation.say("我家孩子上小学", "check_eligibility", [svc("上小学")])
    check(kb, reply, "第3项 寄宿生生活补助", "小学生每生每年1000元")
    assert conversation.slots["item_id"] == 3
    # A question naming another item is still a new question.
    reply = conversation.say("上小学要交学杂费吗", "ask_standard", [svc("上小学")])
    assert "第1项 免费义务教育" in reply


def test_an_age_read_as_a_choice_with_no_list_checks_the_item(kb, conversation):
    conversation.say("老年人健康管理多大岁数能享受", "ask_eligibility", [svc("老年人健康管理")])
    reply = conversation.say("俺妈都68了 她能去做吧", "choose", [ent("age", "68")])
    check(kb, reply, "第32项 老年人健康管理", "65")
    assert "符合" in reply


def test_an_indicator_follow_up_by_the_items_name(kb, conversation):
    conversation.say("2020年婴儿死亡率目标是多少", "ask_indicator")
    reply = conversation.say("农村危房改造的指标呢", "ask_service_info", [svc("农村危房改造")])
    check(kb, reply, "1783")


def test_a_check_that_also_asks_how_much_gets_the_fitting_standard(kb, conversation):
    reply = conversation.say(
        "俺家小子在市区念中职 农村户口 学费能免多少", "check_eligibility"
    )
    check(kb, reply, "您说的情况符合「第6项 中等职业教育免学费」", "2300元")
    assert "1600" not in reply  # the 县 part is not theirs


def test_a_fitting_group_is_not_undone_by_a_word_for_whom_they_ask(kb, conversation):
    reply = conversation.say("建档立卡户孩子上公办高中 学费还交不交", "check_eligibility")
    check(kb, reply, "您说的情况符合「第8项", "免除学费")
    assert "孩子" not in reply.split("\n")[1]


def test_a_check_quotes_the_standards_condition_on_the_stated_situation(
    kb, conversation
):
    reply = conversation.say("俺闺女一级残疾 躺床上要人伺候 能领护理补贴吗", "check_eligibility")
    check(kb, reply, "第71项", "一级、二级且需要长期照护")
    # Naming the item is no situation: nothing is quoted for it.
    reply = conversation.say("我家是低保户，可以申请临时救助吗", "check_eligibility")
    assert "服务标准写明" not in reply


def test_who_gets_a_benefit_inside_an_item_quotes_the_standard(kb, conversation):
    # 职业培训补贴 is in 14's standard, which names who gets it.
    reply = conversation.say("学电焊考证 培训补贴谁能享受", "ask_eligibility")
    check(kb, reply, "第14项", "可按规定享受职业培训补贴")
    reply = conversation.say("高龄津贴多大岁数能领", "ask_eligibility")
    assert reply.count("对80周岁以上低收入老年人给予高龄津贴") == 1  # quoted once


def test_an_indicator_follow_up_means_the_current_item_s_indicator(kb, conversation):
    conversation.say("城乡居民养老保险一个月领多少", "ask_standard", [svc("城乡居民养老保险")])
    reply = conversation.say("2020年这个参保率目标是多少", "ask_indicator")
    check(kb, reply, "城乡居民基本养老保险参保率：2020年目标为90%以上")
    assert "基本医疗保险参保率" not in reply
    # Without an item under discussion both rates are shown.
    conversation.slots = {}  # a new conversation
    reply = conversation.say("2020年参保率目标是多少", "ask_indicator")
    check(kb, reply, "城乡居民基本养老保险参保率", "基本医疗保险参保率")


def test_a_rate_the_current_item_s_standard_sets_is_answered_from_it(kb, conversation):
    conversation.say("孕妇产检社区管吗", "ask_service_info", [svc("孕产妇健康管理")])
    reply = conversation.say("那这个管理率得达到多少", "ask_indicator")
    check(kb, reply, "第31项 孕产妇健康管理", "孕产妇健康管理率逐步达到90%以上")
    reply = conversation.say("2020年孕产妇死亡率要降到多少", "ask_indicator")
    check(kb, reply, "孕产妇死亡率：2020年目标为")


def test_an_indicator_follow_up_naming_a_rate(kb, conversation):
    conversation.say("2020年广播电视覆盖率目标多少", "ask_indicator")
    reply = conversation.say("那阅读率呢", "ask_service_info")
    check(kb, reply, "国民综合阅读率：2020年目标为")
    conversation.say("2020年婴儿死亡率要降到多少", "ask_indicator")
    reply = conversation.say("孕产妇呢", "ask_service_info")
    check(kb, reply, "孕产妇死亡率：2020年目标为")


def test_an_indicator_asked_by_an_items_everyday_name(kb, conversation):
    reply = conversation.say("十三五棚改一共计划改多少万套", "ask_indicator")
    check(kb, reply, "城镇棚户区住房改造", "4.8万套")


@pytest.mark.parametrize("intent", ["ask_standard", "choose"])
def test_a_choice_in_other_words_while_a_list_is_on_screen(kb, conversation, intent):
    reply = conversation.say("养老保险一个月能领多少", "ask_standard", [svc("养老保险")])
    assert "第19项" in reply and "第20项" in reply
    reply = conversation.say("村里老百姓自己交的那个", intent)
    check(kb, reply, "第20项 城乡居民基本养老保险")


@pytest.mark.parametrize("intent", ["list_services", "ask_standard", "check_eligibility"])
def test_a_statement_after_a_standard_question_refines_it_however_nlu_reads_it(
    kb, conversation, intent
):
    # 孩子 + 学校 would suggest 农村留守儿童关爱保护 to a search: the statement says
    # whose part of the standard under discussion applies.
    conversation.say("中职免学费一年能免多少", "ask_standard", [svc("中职免学费")])
    reply = conversation.say("孩子在市区的学校上", intent, [ent("group", "孩子")])
    check(kb, reply, "2300元")
    reply = conversation.say("要是转到县里的学校呢", "ask_service_info")
    check(kb, reply, "1600元")


def test_an_age_in_chinese_numerals_before_a_follow_up(kb, conversation):
    conversation.say("中医体质辨识多大岁数能做", "ask_eligibility", [svc("中医体质辨识")])
    reply = conversation.say("俺老伴都六十八了 她呢", "nlu_fallback")
    check(kb, reply, "68岁", "65")


def test_this_points_back_to_the_item_under_discussion(kb, conversation):
    conversation.say("村里学校中午那顿饭有补助没", "ask_service_info")
    reply = conversation.say("啥样的学生能吃上这个", "ask_eligibility", [ent("group", "学生")])
    check(kb, reply, "第2项 农村义务教育学生营养改善")
    assert "您想问的是哪一项" not in reply


@pytest.mark.parametrize(
    "text, intent, expected, absent",
    [
        # NLU unsure: the fallback still reads it as the place of the school.
        ("在市区上的学", "nlu_fallback", ("第6项 中等职业教育免学费", "市区的学校平均每生每年2300元"), "1600"),
        # The standard says "县（市）城区和乡镇的学校"; citizens say 县城 …
        ("俺们学校在县城", "nlu_fallback", ("1600元",), "2300"),
        # … or name the second place of that subject …
        ("要是在乡镇上的学校呢", "ask_service_info", ("1600元",), "2300"),
        # … or their county or district (kb.places).
        ("就在燕郊本地的学校上", "check_eligibility", ("1600元",), "2300"),
        ("那要是去广阳区念呢", "ask_service_info", ("2300元",), "1600"),
    ],
)
def test_the_schools_place_after_a_standard_question_picks_its_part(
    kb, conversation, text, intent, expected, absent
):
    conversation.say("中职免学费一年能免多少", "ask_standard", [svc("中职免学费")])
    reply = conversation.say(text, intent)
    check(kb, reply, *expected)
    assert absent not in reply


@pytest.mark.parametrize("intent", ["ask_eligibility", "check_eligibility"])
def test_which_grade_qualifies_quotes_the_standard_s_grades(kb, conversation, intent):
    reply = conversation.say("重度残疾护理补贴 几级才给", intent, [svc("护理补贴")])
    check(kb, reply, "第71项", "残疾等级被评定为一级、二级且需要长期照护的重度残疾人提供护理补贴")


def test_right_after_an_indicator_a_bare_or_spread_topic_names_another(kb, conversation):
    conversation.say("2020年婴儿死亡率目标多少", "ask_indicator")
    # No 那…呢, and no question word: the topic alone, read against the measure.
    reply = conversation.say("5岁以下的", "ask_service_info", [ent("age", "5")])
    check(kb, reply, "5岁以下儿童死亡率：2020年目标为7.0")
    conversation.say("十三五期间城镇新增就业定的是多少", "ask_indicator")
    # 农民工培训 is 农民工综合培训 with a word left out.
    reply = conversation.say("那农民工培训呢", "ask_service_info", [ent("group", "农民工")])
    check(kb, reply, "农民工综合培训")
    assert "第14项" not in reply


def test_right_after_an_indicator_a_short_topic_keeps_its_measure(kb, conversation):
    conversation.say("2020年孕产妇死亡率要降到多少", "ask_indicator")
    reply = conversation.say("婴儿的呢", "ask_service_info", [ent("group", "婴儿")])
    check(kb, reply, "婴儿死亡率：2020年目标为5.0")
    reply = conversation.say("那五岁以下的小孩呢", "ask_service_info", [ent("group", "小孩")])
    check(kb, reply, "5岁以下儿童死亡率：2020年目标为7.0")
    # NLU unsure of a bare topic: the indicator answer just given still decides.
    reply = conversation.say("孕产妇呢", "nlu_fallback", [ent("group", "孕产妇")])
    check(kb, reply, "孕产妇死亡率：2020年目标为14.0")
    # NLU may read a question about the 2015 value as one about an item's standard.
    reply = conversation.say("2015年的时候是多少", "ask_standard")
    check(kb, reply, "孕产妇死亡率", "2015年为20.2")
    conversation.say("城乡居民养老保险参保率2020年目标多少", "ask_indicator")
    reply = conversation.say("医保的参保率呢", "ask_indicator", [svc("医保")])
    check(kb, reply, "基本医疗保险参保率：2020年目标为95%")
    assert "养老" not in reply
    # An item with an indicator of its own, named bare, asks for that indicator.
    reply = conversation.say("那个农村危房改造呢", "ask_service_info", [svc("农村危房改造")])
    check(kb, reply, "1783户")
    reply = conversation.say("那棚户区改造呢", "ask_service_info", [svc("棚户区改造")])
    check(kb, reply, "4.8万套")


def test_a_plan_target_naming_nothing_is_the_chosen_items(kb, conversation):
    conversation.say("住房保障都有啥", "list_services", [ent("domain", "住房保障")])
    conversation.say("我要2", "choose")
    reply = conversation.say("十三五要改多少套", "ask_indicator")
    check(kb, reply, "城镇棚户区住房改造：“十三五”期间累计4.8万套")


def test_what_if_refines_the_standard_under_discussion(kb, conversation):
    conversation.say("孩子住校 国家一年给补多少", "ask_standard", [svc("住校")])
    reply = conversation.say("那要是念小学呢", "ask_service_info")
    check(kb, reply, "「第3项 寄宿生生活补助」：小学生每生每年1000元")
    conversation.say("中职免学费 一年能免多少钱", "ask_standard", [svc("中职免学费")])
    reply = conversation.say("孩子要是转到市区的学校呢 免多少", "ask_standard",
                             [ent("group", "孩子")])
    check(kb, reply, "「第6项 中等职业教育免学费」：市区的学校平均每生每年2300元")


def test_a_follow_up_for_the_other_kind_switches_within_the_pair(kb, conversation):
    conversation.say("养老保险个人交多少钱", "ask_funding", [svc("养老保险")])
    conversation.say("农村的那种", "choose", [ent("group", "农村")])
    reply = conversation.say("那上班的那种呢", "ask_service_info", [ent("group", "上班的")])
    check(kb, reply, "「第19项 职工基本养老保险」的资金", "8%")


def test_an_item_called_by_the_term_wins_over_the_topic_under_discussion(kb, conversation):
    conversation.say("公租房都谁能申请", "ask_eligibility", [svc("公租房")])
    # 住房 is in 残疾人基本住房保障's name too; 危房改造 is what 农村危房改造 is called.
    reply = conversation.say("那危房改造呢", "ask_service_info", [svc("危房改造")])
    check(kb, reply, "「第61项 农村危房改造」")


def test_a_fathers_age_told_bare_decides_between_health_checks(kb, conversation):
    reply = conversation.say("俺爹六十四 村医说得明年才给免费查体 咋回事",
                             "check_eligibility", [svc("免费查体")])
    check(kb, reply, "「第32项 老年人健康管理」", "65岁及以上", "64岁")


def test_a_choice_in_words_with_no_list_is_about_the_item_under_discussion(kb, conversation):
    conversation.say("护理补贴一个月给多少", "ask_standard", [svc("护理补贴")])
    reply = conversation.say("残疾人的那个", "choose", [ent("group", "残疾人")])
    check(kb, reply, "「第71项 困难残疾人生活补贴和重度残疾人护理补贴」")


def test_what_the_citizen_is_not_picks_nothing(kb, conversation):
    conversation.say("医保住院报销比例是多少", "ask_standard", [svc("医保")])
    # 上班 would speak for 职工; "不是上班那种" says the opposite.
    reply = conversation.say("俺是农村的 不是上班那种", "choose")
    check(kb, reply, "「第23项 城乡居民基本医疗保险」")


def test_a_facet_question_under_a_list_asks_which_entry(kb, conversation):
    conversation.say("残疾人能享受哪些", "list_services", [ent("group", "残疾人")])
    reply = conversation.say("找哪个部门办", "ask_department")
    check(kb, reply, "请先回复序号", "1. 第71项", "（牵头部门：市民政局）")
    reply = conversation.say("2", "choose")
    check(kb, reply, "「第72项 无业重度残疾人最低生活保障」由市民政局牵头负责")


def test_a_childs_health_check_then_the_ages_of_two_children(kb, conversation):
    reply = conversation.say("社区给小孩做免费体检 管到几岁", "ask_eligibility",
                             [ent("group", "小孩"), svc("免费体检")])
    check(kb, reply, "「第30项 儿童健康管理」的服务对象是：0—6岁儿童")
    # The tagger may read 老二五 as 25; the text says the second child is five.
    reply = conversation.say("俺家老二五岁", "check_eligibility", [ent("age", "二五")])
    check(kb, reply, "5岁符合")
    reply = conversation.say("老大八岁了 还能做不", "check_eligibility", [ent("age", "8")])
    check(kb, reply, "8岁不在这个范围内")


def test_a_number_that_begins_a_story_is_no_item_number(kb, conversation):
    # No list on screen: "51" is item 51, but "1 让冰雹砸的" tells what happened.
    reply = conversation.say("1 让冰雹砸的", "choose", [svc("冰雹")])
    check(kb, reply, "「第50项 受灾人员救助」")
    reply = conversation.say("51", "choose", [ent("number", "51")])
    check(kb, reply, "「第51项 法律援助」")


def test_a_course_the_list_leaves_out_is_checked_against_the_item_under_discussion(
    kb, conversation
):
    conversation.say("中职免学费一年免多少", "ask_standard")
    conversation.say("俺家孩子在市区的学校念", "check_eligibility")
    # 唱戏 also names 送地方戏; the 表演 the list leaves out of 中职免学费 keeps it.
    reply = conversation.say("学唱戏表演的也给免么", "ask_eligibility")
    check(kb, reply, "「第6项 中等职业教育免学费」", "艺术类相关表演专业学生除外", "市教育局")


def test_a_situation_told_with_a_group_word_is_its_item_not_a_list(kb, conversation):
    reply = conversation.say(
        "听说社区给老年人免费做健康管理，具体都包括些啥内容",
        "list_services",
        [ent("group", "老年人")],
    )
    check(kb, reply, "第32项 老年人健康管理", "体格检查")
    assert "回复序号" not in reply


def test_a_clause_whose_subject_is_the_government_picks_no_part(kb, conversation):
    # Item 50's last clause starts "受灾地区政府应当为…": 受灾 there names who acts.
    reply = conversation.say(
        "去年夏天发大水，村里不少房子泡塌了，对这些受灾的人政府都给些什么救助",
        "ask_standard",
        [ent("group", "受灾的")],
    )
    check(kb, reply, "第50项 受灾人员救助", "过渡性安置", "基本生活救助")


def test_a_pick_told_first_wins_over_the_story_after_it(kb, conversation):
    reply = conversation.say("医保住院能报多少", "ask_standard", [svc("医保")])
    check(kb, reply, "第21项", "第23项")
    # 厂里上班 and 单位给交 name labour items too; "职工的" first is the pick.
    reply = conversation.say(
        "职工的 村里小伙在厂里上班单位给交的", "ask_service_info", [ent("group", "职工")]
    )
    check(kb, reply, "第21项 职工基本医疗保险", "75%")
    reply = conversation.say("单位和个人各交多少", "ask_funding")
    check(kb, reply, "第21项 职工基本医疗保险", "6%", "2%")


def test_courtesy_words_do_not_settle_an_ambiguous_question(kb, conversation):
    reply = conversation.say("再问下医保住院能报多少", "ask_standard", [svc("医保")])
    check(kb, reply, "第21项", "第23项", "回复序号")


def test_a_check_quotes_the_sentence_told_in_citizens_words(kb, conversation):
    # 报完 / 自己还得掏 are the document's 报销 / 个人负担: the 70% sentence is the answer.
    reply = conversation.say(
        "俺家是低保户 住院报完了自己还得掏好几千 还能再给报点不",
        "check_eligibility",
        [ent("group", "低保户")],
    )
    check(kb, reply, "第48项 医疗救助", "70%")


def test_a_check_adds_what_the_household_pays_when_asked(kb, conversation):
    reply = conversation.say(
        "老城区要拆迁改造 住户自己还得往里搭钱吗", "check_eligibility", [svc("拆迁改造")]
    )
    check(kb, reply, "第60项", "住户承担一部分")


def test_a_check_that_asks_how_much_gets_the_amount_of_the_fee_it_names(kb, conversation):
    reply = conversation.say(
        "娃上的普惠幼儿园 俺家是困难户 保育费能减免多少啊",
        "check_eligibility",
        [svc("普惠幼儿园"), ent("group", "困难户")],
    )
    check(kb, reply, "第4项", "500")


def test_a_rate_of_the_item_named_is_its_standard_not_an_indicator(kb, conversation):
    reply = conversation.say(
        "卫生院墙上贴的 传染病报告率及报告及时率达到 后面看不清了 多少来着",
        "ask_indicator",
        [svc("传染病报告")],
    )
    check(kb, reply, "第29项", "95%")


def test_what_it_is_and_who_gets_both(kb, conversation):
    reply = conversation.say(
        "光荣院是干嘛的 啥人能住进去", "ask_eligibility", [svc("光荣院")]
    )
    check(kb, reply, "第58项 重点优抚对象集中供养", "服务对象", "光荣院")


def test_a_school_named_after_a_subsidy_asks_its_part_not_another_item(kb, conversation):
    # 上小学 is also an alias of 免费义务教育; after 寄宿生生活补助 it says whose part.
    conversation.say("孙子住校 家里困难 一年补多少", "ask_standard", [svc("住校")])
    reply = conversation.say("他妹妹上小学呢", "check_eligibility", [svc("上小学")])
    check(kb, reply, "第3项 寄宿生生活补助", "1000元")
    assert "第1项" not in reply
    conversation.say("寄宿生补助啥条件能领", "ask_eligibility", [svc("寄宿生补助")])
    reply = conversation.say("上小学的一年给多少", "ask_standard", [svc("上小学")])
    check(kb, reply, "第3项 寄宿生生活补助", "1000元")
    # Naming the other item by its name still switches.
    reply = conversation.say("那义务教育呢", "ask_service_info", [svc("义务教育")])
    check(kb, reply, "第1项 免费义务教育")


def test_first_one_with_no_list_on_screen_is_the_item_just_answered(kb, conversation):
    conversation.say("生孩子能报销多少", "ask_standard", [svc("生孩子")])
    reply = conversation.say("第一个", "choose", [ent("number", "1")])
    check(kb, reply, "第22项 生育保险", "生育津贴")
    reply = conversation.say("第二个", "choose", [ent("number", "2")])
    check(kb, reply, "刚才回答的是「第22项 生育保险」，没有列出可选的序号")
    # So is a small bare number: a position the citizen expected, not the list's item 2.
    reply = conversation.say("2", "choose", [ent("number", "2")])
    check(kb, reply, "没有列出可选的序号", "第N项")
    # A larger number, or 第N项, is an item's number.
    reply = conversation.say("51", "choose", [ent("number", "51")])
    check(kb, reply, "第51项 法律援助")
    reply = conversation.say("第2项", "choose", [ent("number", "2")])
    check(kb, reply, "第2项 农村义务教育学生营养改善")


def test_saying_what_one_is_not_keeps_the_item(kb, conversation):
    conversation.say(
        "对象得了尿毒症 透析报完医保还剩一大截 有啥救助没",
        "ask_service_info",
        [svc("尿毒症"), svc("医保")],
    )
    reply = conversation.say("俺家不是低保 也能申请不", "check_eligibility", [svc("低保")])
    check(kb, reply, "第48项 医疗救助")


def test_an_old_age_outweighs_where_one_lives(kb, conversation):
    reply = conversation.say(
        "俺爹66了 在大城农村 村里那个免费体检能做不",
        "check_eligibility",
        [ent("group", "农村"), svc("免费体检")],
    )
    # The age fits 65岁及以上; living in the countryside takes nothing away.
    check(kb, reply, "您说的情况符合「第32项 老年人健康管理」", "66岁符合")
    reply = conversation.say("那俺娘62呢", "check_eligibility")
    check(kb, reply, "可能暂不符合「第32项 老年人健康管理」", "62岁不在这个范围内")


@pytest.mark.parametrize("text", ["俺爹64了 农村 卫生院免费体检", "俺妈62了 农村的 免费体检"])
def test_an_old_age_below_the_bound_is_still_the_elderlys_check(kb, conversation, text):
    # 农村 is in 孕前优生健康检查's 服务对象, but an old parent is one of the 老年人:
    # the check explains 65岁及以上 rather than approving the pre-pregnancy check.
    reply = conversation.say(
        text, "check_eligibility", [ent("group", "农村"), svc("免费体检")]
    )
    check(kb, reply, "可能暂不符合「第32项 老年人健康管理」", "满65岁后")
    assert "第40项" not in reply


@pytest.mark.parametrize(
    "text", ["我婆婆64了天天在家带孩子 社区免费查体她有份没", "我妈63 帮我带孩子 社区免费体检能做不"]
)
def test_a_grandmother_minding_a_child_asks_about_her_own_check_up(kb, conversation, text):
    # 孩子 is whom she looks after; it does not make it 孕前优生健康检查, whose 服务对象
    # no age holds. An old age speaks for the elderly's check even below its bound.
    reply = conversation.say(text, "check_eligibility", [svc("免费体检")])
    check(kb, reply, "可能暂不符合「第32项 老年人健康管理」", "满65岁后")
    assert "第40项" not in reply


def test_a_babys_age_in_a_follow_up_keeps_the_item(kb, conversation):
    # 刚满月 is an alias of 儿童健康管理, but after 预防接种 it is the baby's age.
    conversation.say("老大7岁了 还能在社区打免费疫苗吗", "check_eligibility", [svc("疫苗")])
    reply = conversation.say("那老二呢 刚满月", "check_eligibility", [svc("刚满月")])
    check(kb, reply, "「第28项 预防接种」")
    assert "第30项" not in reply
    # Asked afresh, it is still the month-old's check-up.
    reply = conversation.say("刚满月的孩子要去社区卫生院查啥", "ask_service_info", [svc("刚满月")])
    check(kb, reply, "「第30项 儿童健康管理」")


def test_a_groups_own_name_alone_does_not_own_the_general_topic(kb, conversation):
    # 职业培训 is in 残疾人职业培训和就业服务's name, but nobody said 残疾人.
    reply = conversation.say("职业培训找哪个部门", "ask_department", [svc("职业培训")])
    check(kb, reply, "第14项 职业技能培训和技能鉴定", "第79项 残疾人职业培训和就业服务")
    reply = conversation.say("盲人职业培训找哪个部门", "ask_department", [svc("职业培训")])
    check(kb, reply, "「第79项 残疾人职业培训和就业服务」由市残联牵头负责")


def test_a_department_named_picks_its_own_item_for_the_group(kb, conversation):
    reply = conversation.say(
        "俺弟耳朵听不见 想学门手艺 残联那边管培训不",
        "ask_service_info",
        [svc("学门手艺"), ent("department", "残联")],
    )
    check(kb, reply, "第79项 残疾人职业培训和就业服务")
    reply = conversation.say("我们是农村的", "check_eligibility", [ent("group", "农村")])
    # 城乡残疾人 includes the countryside, and the standard has a sentence for it.
    check(kb, reply, "您说的情况符合", "“农村”也在其中", "农业实用技术培训")


def test_the_second_service_of_a_joined_name_alone_asks_back(kb, conversation):
    # 护理补贴 is 老年人福利补贴's too; "困难残疾人生活补贴和重度残疾人护理补贴" does
    # not own it by its name.
    reply = conversation.say("护理补贴啥人能领", "ask_eligibility", [svc("护理补贴")])
    check(kb, reply, "第52项 老年人福利补贴", "第71项 困难残疾人生活补贴和重度残疾人护理补贴")
    reply = conversation.say("老人那个", "choose")
    check(kb, reply, "第52项 老年人福利补贴", "失能")


def test_what_the_citizen_wants_to_do_outweighs_their_story(kb, conversation):
    reply = conversation.say(
        "包工头欠俺们仨月工钱 想申请劳动仲裁 找哪个部门",
        "ask_department",
        [svc("包工头"), svc("劳动仲裁")],
    )
    check(kb, reply, "「第17项 劳动人事争议调解仲裁」由市人力资源社会保障局牵头负责")


@pytest.mark.parametrize(
    "text, expected",
    [
        # 孩子…免费体检 tells of 儿童健康管理 (0—6岁); a 67-year-old asks for themselves.
        ("俺67了 在固安帮闺女带孩子 社区能免费体检不", "符合「第32项 老年人健康管理」"),
        # With an age for each person the story stands.
        ("俺67了 孙子3岁 在固安帮闺女带孩子 社区能免费体检不", "第30项 儿童健康管理"),
    ],
)
def test_the_askers_one_age_undoes_a_story_that_rules_it_out(
    kb, conversation, text, expected
):
    reply = conversation.say(
        text, "check_eligibility", [ent("group", "孩子"), svc("免费体检")]
    )
    check(kb, reply, expected)


def test_a_group_said_inside_a_term_picks_its_own_counterpart(kb, conversation):
    reply = conversation.say(
        "残疾人找工作学技术 有啥电话能咨询",
        "ask_hotline",
        [svc("残疾人找工作"), svc("学技术")],
    )
    check(kb, reply, "「第79项 残疾人职业培训和就业服务」可拨打12385")


def test_what_is_there_for_an_item_with_nothing_to_list_by(kb, conversation):
    conversation.say(
        "孙子12 在香河农村跟着俺 爸妈都出去打工了 算留守儿童不",
        "check_eligibility",
        [ent("group", "农村"), svc("留守儿童")],
    )
    reply = conversation.say("有啥帮扶", "list_services")
    check(kb, reply, "「第54项 农村留守儿童关爱保护」的服务标准")
    reply = conversation.say("你们都管哪些事", "list_services")
    check(kb, reply, "共81项，分8个领域")


def test_a_story_lifting_another_item_in_search_keeps_the_named_topic(kb, conversation):
    # Search ranks 残疾人教育 first for all the story's group words; nothing of it is 低保.
    reply = conversation.say(
        "俺家男人去年瘫在床上了 俺也没个正经活 俩孩子还上学 家里一点进项没有 能吃低保不",
        "check_eligibility",
        [ent("group", "瘫在床上"), ent("group", "孩子"), svc("吃低保")],
    )
    check(kb, reply, "「第46项 最低生活保障」")
    # A topic the named item's name is part of still overrides it.
    reply = conversation.say(
        "重度残疾的成年人能单独吃低保吗",
        "ask_eligibility",
        [ent("group", "重度残疾"), svc("吃低保")],
    )
    check(kb, reply, "「第72项 无业重度残疾人最低生活保障」")


def test_a_no_after_an_answer_closes_and_after_a_list_asks_again(kb, conversation):
    conversation.say("低保找哪个部门", "ask_department", [svc("低保")])
    reply = conversation.say("没了 就这些", "deny")
    check(kb, reply, "还有问题随时问我", "12345")
    conversation.say("养老保险一个月领多少", "ask_standard", [svc("养老保险")])
    reply = conversation.say("不是", "deny")
    check(kb, reply, "换个说法再问一次")


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        # Curated situations: words no single term holds, told around the question.
        ("儿子儿媳离了婚 谁都不管孙子 扔给我这当奶奶的带 国家给管不", "check_eligibility", "第53项 困境儿童保障"),
        ("见习期间的生活补助谁给", "ask_funding", "第12项 就业见习服务"),
        ("老伴刚走 家里困难 丧葬这块政府能给减免啥", "ask_standard", "第55项 基本殡葬服务"),
        # Parents working away is 留守儿童; 丧葬补助金 of 失业保险 is paid, not waived.
        ("儿子儿媳都出去打工了 孙子跟着俺 算留守儿童不", "check_eligibility", "第54项 农村留守儿童关爱保护"),
        ("失业保险的丧葬补助金给多少", "ask_standard", "第24项 失业保险"),
    ],
)
def test_situations_told_around_the_question(kb, conversation, text, intent, expected):
    check(kb, conversation.say(text, intent), expected)


def test_who_pays_names_an_item_after_an_indicator_answer(kb, conversation):
    # "棚改这钱谁掏" right after the 棚户区 indicator asks the item's 支出责任, not the
    # indicator again: 谁掏 is a funding question of its own.
    conversation.say("城镇棚户区改造十三五要改多少套", "ask_indicator")
    reply = conversation.say("棚改这钱谁掏", "ask_funding", [svc("棚改")])
    check(kb, reply, "第60项 城镇棚户区住房改造", "住户承担一部分")


def test_when_people_answer_a_line_is_answered_with_its_hours(kb, conversation):
    reply = conversation.say("12333人工几点有人接", "ask_hotline", [svc("12333")])
    check(kb, reply, "第15项", "12333", "5×8小时")
    assert "不能直接转接人工" not in reply
    # Asking to be put through is still told plainly that the assistant cannot.
    reply = conversation.say("12333人工几点有人 给俺转人工", "human_handoff", [svc("12333")])
    check(kb, reply, "不能直接转接人工", "12333", "5×8小时")


def test_a_handoff_naming_a_field_with_one_hotline_gives_it(kb, conversation):
    # No item, but every item of 社会保险 is answered at 12333: its hours, not only 12345.
    reply = conversation.say(
        "社保的事儿一肚子疑问 人社那边有咨询电话没 人工啥时候有人接", "ask_hotline"
    )
    check(kb, reply, "关于基本社会保险方面的问题", "12333", "5×8小时", "12345")
    # It asks when people answer, not to be put through: no "cannot put you through".
    assert "不能直接转接人工" not in reply
    # A field whose items have different hotlines names none of them.
    reply = conversation.say("医疗卫生这块 转人工", "human_handoff")
    assert "关于" not in reply and "12345" in reply
