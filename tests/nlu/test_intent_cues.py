"""The cue words that settle an intent (bot.intent_cues), as plain functions."""

from __future__ import annotations

import pytest

from bot.intent_cues import cue, names_only_items, unfounded


@pytest.mark.parametrize(
    "text, guessed, expected",
    [
        ("盲人想学按摩 残联电话多少", "ask_service_info", "ask_hotline"),
        ("中职免学费的事 有电话没", "ask_service_info", "ask_hotline"),
        ("工伤认定找哪里", "ask_service_info", "ask_department"),
        ("被辞退了想申请仲裁 该找哪个单位", "ask_standard", "ask_department"),
        ("村里的健身器材是谁花钱装的", "ask_service_info", "ask_funding"),
        ("工伤保险 俺们个人每月扣几个点", "ask_standard", "ask_funding"),
        ("12333人工服务几点有人", "human_handoff", "ask_hotline"),
        ("12333是不是一天到晚都能打通", "ask_eligibility", "ask_hotline"),
        ("12333晚上十点打还有人工么", "human_handoff", "ask_hotline"),
        ("俺孙子五岁了 打疫苗还免费不", "ask_service_info", "check_eligibility"),
        ("这钱国家出多少", "ask_standard", "ask_funding"),
        ("我爸70了 还能参加体检吗", "ask_indicator", "check_eligibility"),
        # A household, told without 我/俺, is a situation too.
        ("家里困难 老人走了 火化费能不能减免", "ask_eligibility", "check_eligibility"),
        ("困难户老人走了 火化费能减免不", "ask_eligibility", "check_eligibility"),
        # A person and an age, nothing else: a situation, even with 呢 or as a number.
        ("老二才12呢", "ask_service_info", "check_eligibility"),
        ("俺爸63", "choose", "check_eligibility"),
        ("俺开个小加工厂 给工人交养老保险 厂里得出百分之多少", "ask_standard", "ask_funding"),
        ("俺奶奶都一百零一岁了呢", "ask_standard", "check_eligibility"),
        ("小的那个才十岁", "ask_eligibility", "check_eligibility"),
        ("俺们老两口都五十八", "ask_standard", "check_eligibility"),
        # A contribution rate, and how one pays in, are in 支出责任.
        ("生育保险单位按多少交", "ask_standard", "ask_funding"),
        ("养老保险咋交的", "ask_service_info", "ask_funding"),
        # Asking for a person wins over whatever else the message says.
        ("说了半天也没弄明白 给俺转人工", "check_eligibility", "human_handoff"),
        ("你说的俺看不明白 能转rengong不", "help", "human_handoff"),
        ("在集上买的药是过期的 往哪打电话反映", "ask_department", "ask_hotline"),
        # Where the school is: a statement to check, or "what if" about the standard.
        ("孩子学校在县城里", "ask_service_info", "check_eligibility"),
        ("那要是在县城的学校呢", "ask_service_info", "ask_standard"),
        # Where the school would be instead: how much there.
        ("要是去廊坊市区念呢", "out_of_scope", "ask_standard"),
        ("要是上廊坊市区的学校呢", "ask_service_info", "ask_standard"),
        ("要是在固安县城上呢", "ask_service_info", "ask_standard"),
        ("孩子在县城上学 能免多少", "ask_standard", "ask_standard"),
        ("十三五期间棚户区一共要改造多少万套", "ask_standard", "ask_indicator"),
        ("小孩打预防针这块 国家管到几岁", "ask_service_info", "ask_eligibility"),
        ("农民工去学手艺考证 那培训补贴是谁拿的钱", "ask_service_info", "ask_funding"),
        ("单位给交的养老保险 是按工资百分之几交的", "ask_standard", "ask_funding"),
        ("俺想问问俺家今年的保费咋交 有人工不", "ask_funding", "human_handoff"),
        ("失业险谁交钱", "check_eligibility", "ask_funding"),
        ("俺们村里唱大戏 是政府花钱请来的不", "check_eligibility", "ask_funding"),
        ("企业职工养老保险 单位跟个人各交百分之多少", "ask_standard", "ask_funding"),
        # Only the plan's indicators have a 2015 figure.
        ("2015年的时候是多少啊", "ask_standard", "ask_indicator"),
        ("住房保障方面都有啥", "check_eligibility", "list_services"),
        ("公司给交的养老保险按工资百分之几", "ask_standard", "ask_funding"),
        # A choice reading with no position or name in it.
        ("单位得交多少", "choose", "ask_funding"),
        ("俺们在市区呀", "choose", "check_eligibility"),
        # A district or county is where the school is (kb.places).
        ("就在燕郊本地的学校上", "ask_eligibility", "check_eligibility"),
        ("这事是哪几个部门牵头", "ask_standard", "ask_department"),
        ("创业担保贷款这事是哪家管", "ask_service_info", "ask_department"),
        ("生育保险哪些单位要参加", "ask_eligibility", None),
        ("俺爹是伤残军人 抚恤金是哪级出钱", "check_eligibility", "ask_funding"),
        # "单位交的医保" says which insurance; how much it pays is asked.
        ("在单位交的医保 住院能报多少", "ask_funding", "ask_standard"),
        # An in-law's age is a situation too (kb.relatives).
        ("公公六十八了呢", "out_of_scope", "check_eligibility"),
        # Their case against the one just answered.
        ("孩子学的舞蹈表演 也能免吗", "ask_eligibility", "check_eligibility"),
        ("城里学校的也给吗", "ask_eligibility", "check_eligibility"),
        # A pick told first, then why; but a statement or thanks is no pick.
        ("就那个居民的 俺没单位", "check_eligibility", "choose"),
        ("普高的 她在普通高中", "check_eligibility", "choose"),
        ("职工的 村里小伙在厂里上班单位给交的", "ask_service_info", "choose"),
        ("俺们在市区上的", "check_eligibility", "check_eligibility"),
        ("5岁以下的", "ask_service_info", None),
        ("还是找个人跟俺说吧", "ask_department", "human_handoff"),
        ("这些数俺得跟镇上对一下 找个工作人员跟俺说", "check_eligibility", "human_handoff"),
        ("他哥17了呢", "choose", "check_eligibility"),
        # A person's age, then their story, or a yes/no about them.
        ("俺孙子14 爸妈都在北京打工", "choose", "check_eligibility"),
        ("小的14 算留守儿童不", "ask_indicator", "check_eligibility"),
        # Whether there is such a thing; with an amount it stays how much.
        ("俺眼睛看不见 图书馆有没有给盲人看的书", "ask_standard", "ask_service_info"),
        ("有没有见习的岗位能去", "ask_eligibility", "ask_service_info"),
        ("有没有补助 一个月给多少", "ask_standard", "ask_standard"),
        # One's own case told first, then a yes/no: a check. "残疾孩子上学" is anyone's.
        ("孩子四岁 孤独症 康复训练国家给免费不", "ask_standard", "check_eligibility"),
        ("俺家吃低保 老土房裂了大缝 眼看要塌 政府给翻盖不", "ask_standard", "check_eligibility"),
        ("建档立卡户家的孩子上高中 学费免不免", "ask_eligibility", "check_eligibility"),
        ("残疾孩子上学 能免费一直上到高中么", "ask_standard", None),
        ("孩子四岁 孤独症 康复训练一年补多少", "ask_standard", "ask_standard"),
        # A person and an age, however the follow-up is worded: a check.
        ("那姥姥呢 83了", "ask_service_info", "check_eligibility"),
        ("那小闺女才8个月呢", "ask_service_info", "check_eligibility"),
        # Only the school a child is at: whose part of the standard.
        ("上初中了", "deny", "check_eligibility"),
        ("老二念小学呢", "choose", "check_eligibility"),
        ("那要是念小学呢", "ask_service_info", "ask_standard"),
        ("上小学要交学费吗", "ask_standard", None),
        # Where the school is, read as out of scope: a place to refine by.
        ("学校在燕郊镇上", "out_of_scope", "check_eligibility"),
        # Goodbye words and agreement alone.
        ("ok 拜了", "affirm", "goodbye"),
        ("ok 拜了", "goodbye", "goodbye"),
        ("行 那先这样", "affirm", "goodbye"),
        ("好嘞 回见", "affirm", "goodbye"),
        ("谢谢 再见", "thanks", None),
    ],
)
def test_a_cue_settles_the_intent(text, guessed, expected):
    assert cue(text, guessed) == expected


def test_a_cue_that_agrees_confirms():
    # The component then raises the confidence, so the fallback does not undo it.
    assert cue("法律援助电话多少", "ask_hotline") == "ask_hotline"
    assert cue("低保能领多少钱", "ask_standard") == "ask_standard"


@pytest.mark.parametrize(
    "text, kinds, expected",
    [
        ("社会保险包括哪几项啊", {"domain"}, "list_services"),
        ("市司法局负责哪些", {"department"}, "list_services"),
        ("残疾人都有啥福利 有哪些", {"group"}, "list_services"),
        # An item named: "what does it include" asks for its standard.
        ("低保包括哪些", {"service"}, None),
        ("怀孕生孩子的能享受啥服务", {"group"}, "list_services"),
        ("高血压病人能享受什么服务", {"group", "service"}, None),
        ("残疾人康复都有哪些服务", {"group", "service"}, None),
    ],
)
def test_a_list_needs_a_domain_department_or_group_and_no_item(text, kinds, expected):
    assert cue(text, "ask_standard", frozenset(kinds)) == expected


@pytest.mark.parametrize(
    "text, kinds, expected",
    [
        ("工伤保险都给管些啥", {"service"}, "ask_standard"),
        ("在工地上摔伤了 工伤保险都给报啥", {"service"}, "ask_standard"),
        ("新农合能报哪些", {"service"}, "ask_standard"),
        ("残疾孩子上学 有啥补助", {"service", "group"}, "ask_standard"),
        ("市民政局都管什么", {"department"}, None),  # no item: a list
        ("老年人健康管理是干啥的", {"service"}, "ask_service_info"),  # what it is
    ],
)
def test_what_an_item_provides_needs_the_item(text, kinds, expected):
    assert cue(text, "ask_service_info", frozenset(kinds)) == expected


@pytest.mark.parametrize(
    "text, guessed",
    [
        ("给我转人工", "human_handoff"),  # no hours asked: a person is wanted
        ("市民政局负责哪些服务", "list_services"),  # a list, not one department
        ("公积金找哪个部门", "out_of_scope"),  # off the list: never an item question
        ("你好 我想问个电话", "greet"),
        ("农家书屋能免费借书吗", "ask_service_info"),  # yes/no, but no situation
        ("艾滋病随访找哪个热线", "ask_hotline"),
    ],
)
def test_without_a_deciding_cue_the_intent_stays(text, guessed):
    assert cue(text, guessed) is None


def test_no_intent_stays_none():
    assert cue("电话多少", None) is None


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("在市区上的学", "greet", True),  # no greeting word: a misreading
        ("你好 在不在", "greet", False),
        ("哈喽有人在吗", "greet", False),
        ("太谢谢了 帮大忙了", "thanks", False),
        ("那先这样吧", "thanks", True),
        ("在市区上的学", "ask_service_info", False),  # only small talk is checked
        ("在厂里干活手让机器给挤了 这该走啥保险", "goodbye", True),
        ("行 那先这样 拜拜", "goodbye", False),
        ("中 没事了 再见啊", "goodbye", False),
    ],
)
def test_small_talk_needs_its_word(text, intent, expected):
    assert unfounded(text, intent) is expected


@pytest.mark.parametrize(
    "text, guessed, kinds, expected",
    [
        ("公积金咋提取", "ask_standard", set(), "out_of_scope"),
        ("办护照去哪个部门", "ask_department", set(), "out_of_scope"),
        # An item named beside it is answered, and a request for a person stays one.
        ("社保卡丢了 养老保险咋办", "ask_service_info", {"service"}, None),
        ("公积金的事 转人工", "human_handoff", set(), None),
    ],
)
def test_a_topic_outside_the_list_is_out_of_scope(text, guessed, kinds, expected):
    assert cue(text, guessed, frozenset(kinds), off_list=True) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("城里的夫妻备孕 能做免费孕前检查吗", "ask_eligibility"),
        ("外地打工的能申请公租房不", "ask_eligibility"),
        ("残疾学生上学 交通费能补吗", None),  # a fee: the standard
        ("残疾人能享受什么", "list_services"),  # not a yes/no: what they can have
    ],
)
def test_a_yes_no_about_a_group_asks_who_qualifies(text, expected):
    assert cue(text, "ask_service_info", frozenset({"group"})) == expected


@pytest.mark.parametrize("guessed", ["affirm", "deny"])
def test_a_position_in_the_list_is_a_choice(guessed):
    assert cue("头一个", guessed, frozenset({"number"})) == "choose"
    assert cue("不是", guessed) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("娃上小学了 课本费还用自己掏不", "ask_standard"),
        ("老人走了火化费能减免不", "ask_standard"),
        ("中职免学费这钱中央出多少", "ask_funding"),  # who pays: confirmed
        ("职工医保单位交多少", "ask_funding"),
        ("工伤保险俺们工人自己用交钱不", "ask_funding"),  # a contribution
    ],
)
def test_what_the_citizen_pays_is_the_standard_and_who_pays_is_funding(text, expected):
    assert cue(text, "ask_funding") == expected


def test_a_yes_or_no_that_names_an_item_is_a_question():
    assert unfounded("宝宝三岁了 还能免费做儿童体检不", "deny", frozenset({"service"}))
    assert not unfounded("不是这个", "deny", frozenset())


@pytest.mark.parametrize("text", ["喂 有人在没", "你好 在吗", "哈喽", "在么", "那个在吗"])
def test_greeting_words_alone_are_a_greeting(text):
    assert cue(text, "ask_department") == "greet"


def test_a_greeting_before_a_question_is_the_question():
    assert cue("你好，低保找哪个部门", "ask_department") == "ask_department"


@pytest.mark.parametrize(
    "text",
    ["那就2吧", "第三个", "选 3", "头一个", "2", "看下2", "俺要2", "2吧谢谢",
     # a position first, or a pick by words, with something about the citizen added
     "3 俺们村里的", "就第3个吧 俺家老头子腿脚不利索", "俺是农村的 就居民那个"],
)
def test_only_a_position_is_a_choice(text):
    assert cue(text, "goodbye") == "choose"


@pytest.mark.parametrize(
    "text",
    ["我今年62岁", "12333是干嘛的", "2号线地铁", "65 岁了",
     "中医给老人看体质那个 多大岁数才能做", "俺家第二个孩子上小学 住校能补多少",
     "俺娘今年六十七 村里给老人免费做体检那个 她够岁数不"],
)
def test_a_number_inside_a_message_is_not_a_choice(text):
    assert cue(text, "check_eligibility") != "choose"


@pytest.mark.parametrize("text", ["留守儿童多大以下算", "免费体检得多大岁数才行"])
def test_how_old_one_must_be_asks_who_qualifies(text):
    assert cue(text, "ask_standard") == "ask_eligibility"


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("要是在市区念呢", "ask_department", True),
        ("俺们在县城上学的呢", "ask_department", True),
        ("低保归哪管", "ask_department", False),
        ("学校是民办的咋算", "ask_department", True),  # 民办 is a kind of school
        ("中职免学费去哪办", "ask_department", False),
        ("那就这样吧", "ask_hotline", True),
        ("有号码能打不", "ask_hotline", False),
        ("小学生一个人一年拨多少", "ask_hotline", True),  # 拨 as in 拨款
        ("拨哪个号", "ask_hotline", False),
        ("法律援助 phone number", "ask_hotline", False),
        ("城里的学校呢", "ask_funding", True),
        ("这钱谁给出", "ask_funding", False),
    ],
)
def test_a_facet_question_needs_a_word_for_its_facet(text, intent, expected):
    assert unfounded(text, intent) is expected


@pytest.mark.parametrize(
    "text, guessed, kinds, expected",
    [
        ("俺家老二刚上一年级 学杂费得交多少", "ask_funding", set(), "ask_standard"),
        ("生育保险是单位交还是自己交", "ask_standard", set(), "ask_funding"),
        ("生育保险呢 也是单位掏", "ask_service_info", {"service"}, "ask_funding"),
        ("低保户住院 还能再救助多少", "ask_service_info", {"service"}, "ask_standard"),
        ("棚改计划改多少套", "ask_service_info", {"service"}, None),  # a target
        ("俺孙子七岁了 还归儿童健康管理管不", "ask_department", {"service"},
         "check_eligibility"),
        # What a service gives, after the story that makes DIET say check.
        ("家里着火东西全烧没了 临时救助能给点啥", "check_eligibility", {"service"},
         "ask_standard"),
        ("楼上老太太查出肺结核了 有啥电话能咨询一下", "out_of_scope", {"service"},
         "ask_hotline"),
        ("辅助器具补贴归那管", "ask_service_info", {"service"}, "ask_department"),
        # How one gets it is what the service is, unless a department is asked for.
        ("居民健康档案咋建 上哪弄去", "ask_department", {"service"}, "ask_service_info"),
        ("俺哥有精神分裂 社区能给管管不 咋登记", "check_eligibility", {"service"},
         "ask_service_info"),
        ("低保咋申请 找哪个部门", "check_eligibility", {"service"}, "ask_department"),
        ("孩子考上公办高中了 学费咋弄", "check_eligibility", {"service"}, None),
        # Which service this is, after a story, is what the service is.
        ("娃刚满月 社区大夫上门来看孩子 这属于啥服务", "check_eligibility", {"service"},
         "ask_service_info"),
        ("孙子刚满月 社区大夫上门给量身长体重 这算啥", "check_eligibility", set(),
         "ask_service_info"),
        # What a word means or a service does, after a story; not when the standard
        # is asked as well.
        ("困境儿童是啥意思 俺外孙爹妈都进去了", "check_eligibility", {"service"},
         "ask_service_info"),
        ("村医说要登记管理 这是干啥的", "check_eligibility", {"service"}, "ask_service_info"),
        ("就业见习到底是干啥的 见习期间给钱不", "ask_standard", {"service"}, None),
        # What a service is for is what the service is; what it provides, the standard.
        ("卫生计生监督协管是管啥的啊", "ask_standard", {"service"}, "ask_service_info"),
        ("社区给建的那个健康档案有啥用", "ask_standard", {"service"}, "ask_service_info"),
        ("为啥卫生院拿药比外头药店便宜", "ask_standard", {"service"}, "ask_service_info"),
        ("五保户政府都管些啥", "ask_service_info", {"service"}, "ask_standard"),
        ("受灾了政府管啥", "ask_service_info", {"service"}, "ask_standard"),
        ("老伴刚走 家里困难 丧葬这块政府能给减免啥", "check_eligibility", {"service"},
         "ask_standard"),
        ("小孩6岁以前 社区都给免费做啥检查", "ask_service_info", {"service"},
         "ask_standard"),
        ("家里有个精神病人 俺一个人照顾 政府能给提供点啥服务", "check_eligibility",
         {"service"}, "ask_standard"),
        ("俺血壓高好几年了 社区那边能管点啥", "check_eligibility", {"service"},
         "ask_standard"),
        # The asker's household told, then yes or no: their case; a household that
        # describes whom the question is about is not.
        ("残疾孩子上学 国家有啥照顾", "ask_service_info", {"service"}, "ask_standard"),
        ("儿子当兵退伍回来了 政府咋安置", "ask_service_info", {"service"}, "ask_standard"),
        ("家里困难 老人走了 火化的钱能减免么", "ask_standard", {"service"},
         "check_eligibility"),
        ("家里困难的残疾孩子 上学到高中都免费吗", "ask_standard", {"service", "group"},
         None),
        # Who may have it, after a story DIET reads as what it is.
        ("独生子没了的老两口 那个特别扶助谁能领", "ask_service_info", {"service"},
         "ask_eligibility"),
        ("家里穷孩子念普高 国家有没有助学金 谁能领", "ask_service_info", {"service"}, None),
        # Whether one may pay in oneself is a case to check, not who pays.
        ("我开出租的 没单位挂靠 职工医保我能自己交吗", "ask_funding", {"service"},
         "check_eligibility"),
        ("职工医保单位交还是自己交", "ask_standard", {"service"}, "ask_funding"),
        # What the assistant can do.
        ("你都能帮我查些啥啊", "ask_standard", set(), "help"),
        ("你能查低保不", "ask_service_info", {"service"}, None),
        # An accident at the factory is no one paying: a case told, then yes or no.
        ("俺老舅就一个儿子 前年在厂里出事没了 老两口能领计生那个特别扶助不",
         "ask_funding", {"service"}, "check_eligibility"),
        ("工伤保险厂里出多少", "ask_standard", {"service"}, "ask_funding"),
        # Whether a group's entrance fee is cut asks who qualifies; told of oneself,
        # it is a case to check.
        ("老年人去看文物古迹 门票给减免不", "ask_standard", {"group", "service"},
         "ask_eligibility"),
        ("俺是残疾人 去文物古迹的博物馆 门票能减免么", "ask_standard",
         {"group", "service"}, "check_eligibility"),
        ("老人走了火化费能减免不", "ask_standard", {"group", "service"}, None),
        # Whether medicine is sold with a mark-up is the standard; what the policy is,
        # what the service is.
        ("村卫生室拿药是不是不加价", "ask_service_info", {"service"}, "ask_standard"),
        ("乡镇卫生院卖药还加价不啊", "ask_service_info", {"service"}, "ask_standard"),
        ("村卫生室拿药是不是不加价啊 咋回事", "ask_service_info", {"service"}, None),
        ("卫生计生监督协管 这几个字我琢磨半天 到底是干啥的", "ask_service_info",
         {"service"}, "ask_service_info"),
        # No more, said twice; hanging up.
        ("没了没了", "greet", set(), "deny"),
        ("没了 没了", "goodbye", set(), "deny"),
        ("好嘞 那俺挂了", "out_of_scope", set(), "goodbye"),
        # A social worker asking for residents: "帮我们".
        ("你都能帮我们查些啥", "ask_standard", set(), "help"),
        # 归谁 ending the question asks the department.
        ("厂子不给签劳动合同 劳动关系协调归谁", "ask_standard", {"service"},
         "ask_department"),
        ("归谁出钱", "ask_funding", set(), "ask_funding"),
        # Money or goods is what is provided, though 钱 reads as who pays.
        ("给的是钱还是东西", "ask_funding", set(), "ask_standard"),
        ("这钱是市里出还是县里出", "ask_funding", set(), "ask_funding"),
        ("媳妇单位给上了生育险 坐月子期间能领啥钱", "ask_funding", {"service"},
         "ask_standard"),
        # An age for "the woman" / "the old man" after a check is another case.
        ("女的57呢", "ask_service_info", set(), "check_eligibility"),
        ("老爷子61了", "choose", set(), "check_eligibility"),
        ("那俺家老头69呢", "ask_service_info", {"group"}, "check_eligibility"),
        # A question ending in how much is given asks the standard, after any story.
        ("俺妈在村里天天看电视 卫星那个锅能收多少台", "check_eligibility", {"service"},
         "ask_standard"),
        ("闺女在廊坊市里上中专 俺们是农村户口 学费一年给免多少", "check_eligibility",
         {"service", "group"}, "ask_standard"),
        ("2020年养老保险参保率能达到多少", "ask_indicator", {"service"}, None),
        ("新农合2020年人均补多少", "ask_standard", {"service"}, "ask_indicator"),
        # What an item gives, though a group word made it read as a list.
        ("小孩从生下来到六岁 社区儿保都给做些啥", "list_services", {"service", "group"},
         "ask_standard"),
        ("邻居家着火了房子烧没了 临时救助都给点啥", "check_eligibility", {"service"},
         "ask_standard"),
        ("农村娃在学校吃的营养餐 是咋补的", "ask_service_info", {"service", "group"},
         "ask_standard"),
        ("重度残疾人护理补贴是咋个补法", "ask_service_info", {"service", "group"},
         "ask_standard"),
        ("照顾孩子好几年没上班 想去学个护工 培训有补贴吗 都补啥", "check_eligibility",
         {"service"}, "ask_standard"),
        ("残疾人都有哪些服务", "list_services", {"service", "group"}, None),
        # Which people may have it, read as a list of one item: who qualifies.
        ("去那种文物古迹的博物馆 哪些人门票能减免", "list_services", {"service"},
         "ask_eligibility"),
        # Whether the citizen pays a share is who pays; of a fee or a check-up, whether
        # it is free.
        ("农村危房改造 自个儿还得掏钱不", "ask_standard", {"service"}, "ask_funding"),
        ("棚改住户得自己掏钱么", "ask_funding", {"service"}, "ask_funding"),
        ("孩子上初中 课本费还用自己掏吗", "ask_standard", {"service"}, None),
        ("孕前那个优生检查自己掏钱不", "ask_standard", {"service"}, None),
        # Who gives the money is who pays.
        ("见习期间的生活补助谁给", "ask_standard", {"service"}, "ask_funding"),
        # Who contributes is who pays, and comes before how much.
        ("生育险是谁交 交多少", "ask_standard", {"service"}, "ask_funding"),
        ("生育保险由谁缴费", "ask_service_info", {"service"}, "ask_funding"),
        ("这个学费谁交得起啊", "ask_service_info", {"service"}, None),
        ("谁给发的证", "ask_standard", {"service"}, None),
        # What one can have, after any story, is a list.
        ("我老公是退伍的 外地户口 现在在廊坊打工 退役军人能享受啥", "check_eligibility",
         {"service", "group"}, "list_services"),
        ("当过兵的人能享受些啥", "ask_eligibility", {"group"}, "list_services"),
        # Whom it is given to is who qualifies; a told case stays a case.
        ("护理补贴都给啥人", "ask_standard", {"service"}, "ask_eligibility"),
        ("预防针都是给哪些人打的", "ask_service_info", {"service"}, "ask_eligibility"),
        ("计划生育技术指导是给谁的", "ask_standard", {"service"}, "ask_eligibility"),
        ("俺家是低保 护理补贴给啥人", "check_eligibility", {"service", "group"}, None),
        ("护理补贴给多少", "ask_standard", {"service"}, "ask_standard"),
        # What the conditions are is who qualifies, after any story.
        ("评低保是按啥条件 看收入还是看家里东西", "check_eligibility", {"service"},
         "ask_eligibility"),
        ("低保啥条件 找哪个部门", "ask_eligibility", {"service"}, "ask_department"),
        ("开个小卖部想贷点款 创业贷款是哪管的", "ask_standard", {"service"}, "ask_department"),
        # An age, then whether that person can have it: a case to check.
        ("社区有个低收入老太太79 高龄津贴能领不", "ask_eligibility", {"service"},
         "check_eligibility"),
        ("俺爹78了 高龄津贴能领吗", "check_eligibility", {"service"}, "check_eligibility"),
        ("高龄津贴80岁以上都能领不 多少钱", "ask_eligibility", {"service"}, None),
        # Only whether one can have it, after any story: a case to check.
        ("想在大厂开个小超市 外地人能办创业贷款不", "ask_eligibility", {"service"},
         "check_eligibility"),
        ("孩子二级残疾 离不开人照顾 护理补贴能领不", "ask_eligibility", {"service"},
         "check_eligibility"),
        # A second question is left to the classifier.
        ("公租房申请条件是啥 外地来打工的能申请不", "ask_eligibility", {"service"}, None),
        # How much the centre gives is who pays.
        ("中职国家助学金中央给出多少", "ask_standard", {"service"}, "ask_funding"),
        ("重度残疾人交居民医保 个人那部分谁给掏", "ask_standard", {"service"}, "ask_funding"),
        ("这个仲裁的费用是谁担着", "check_eligibility", {"service"}, "ask_funding"),
        # Only the school stage, with a particle.
        ("上初中的啊", "choose", (), "check_eligibility"),
        # A question ending in what one gets asks what is provided, item named or not.
        ("能领啥", "ask_eligibility", (), "ask_standard"),
        ("都能给点啥", "help", (), "ask_standard"),
        ("上班路上被电动车刮了 要算工伤能赔点啥", "out_of_scope", {"service"}, "ask_standard"),
        ("开通燃气能给点啥", "out_of_scope", (), None),  # off the list: no item to ask of
        ("家里困难 老人没了 火化能减免点啥", "ask_service_info", {"service"}, "ask_standard"),
        ("娃明年上小学 义务教育都免些啥", "list_services", {"service"}, "ask_standard"),
        ("媳妇单位给交了生育险 生完孩子能拿到啥", "ask_service_info", {"service"},
         "ask_standard"),
        ("残疾人都能领啥", "list_services", {"group"}, None),  # a group's list stays
        # What an item is, even where DIET read what the assistant can do.
        ("12333是干啥的 都能问啥", "help", {"service"}, "ask_service_info"),
        ("你都能帮我查些啥", "ask_standard", (), "help"),
        # What kind of person qualifies is who qualifies.
        ("工友他爹瘫床上了 重度残疾那个护理补贴啥样的能领", "check_eligibility", {"service"},
         "ask_eligibility"),
        ("特困供养 啥样的人才算", "ask_service_info", {"service"}, "ask_eligibility"),
        # Someone else's age in a "那…呢" follow-up is their case; an indicator's age
        # range, a year or a position is not.
        ("那我们楼下老王67呢", "ask_service_info", (), "check_eligibility"),
        ("那隔壁老李62了 家里俩闺女呢", "ask_service_info", (), "check_eligibility"),
        ("还有他哥17了呢", "ask_service_info", (), "check_eligibility"),
        ("那小闺女才8个月呢", "choose", (), "check_eligibility"),
        ("那5岁以下儿童死亡率呢", "ask_indicator", (), None),
        ("那2020年呢", "ask_indicator", (), None),
        ("那第3个呢", "choose", (), None),
        # Thanks and a goodbye, nothing else: goodbye; DIET's thanks stands.
        ("行 谢谢 拜拜", "nlu_fallback", (), "goodbye"),
        ("好的谢谢 再见", "thanks", (), None),
        ("谢谢 拜拜 电话多少", "ask_hotline", (), "ask_hotline"),
        # Only a yes is affirm; a lone particle is not.
        ("是的呀", "ask_service_info", (), "affirm"),
        ("嗯 对的啊", "choose", (), "affirm"),
        ("啊", "ask_service_info", (), None),
        # What to do, after a story naming an item: what the service is; what happens to
        # a cost stays a case to check.
        ("工头跑了 俺们想告他 请不起律师咋办", "check_eligibility", {"service"},
         "ask_service_info"),
        ("俺家是建档立卡户 孩子考上公办高中了 学费咋办", "check_eligibility", {"service"}, None),
        # 找哪 at the end asks the department.
        ("工友没了 家里困难 火化费能减免 这事找哪", "ask_service_info", {"service"},
         "ask_department"),
    ],
)
def test_more_cues(text, guessed, kinds, expected):
    assert cue(text, guessed, frozenset(kinds)) == expected


@pytest.mark.parametrize("guessed", ["out_of_scope", "ask_service_info"])
def test_a_list_by_a_group_whose_name_is_also_an_items(guessed):
    text = "楼下老张当过兵 退役军人都有啥政策"
    assert cue(text, guessed, frozenset({"service"}), group_as_item=True) == "list_services"
    # The item's conditions: no list (who qualifies, where DIET read an item question).
    expected = "ask_eligibility" if guessed == "ask_service_info" else None
    assert (
        cue("退役军人安置需要啥条件", guessed, frozenset({"service"}), group_as_item=True)
        == expected
    )


@pytest.mark.parametrize(
    "text, kinds, expected",
    [
        ("五保户政府都给管些啥", {"service"}, "ask_standard"),
        ("零就业家庭有什么帮扶", {"service"}, "ask_service_info"),
        ("退役军人能享受什么", {"service"}, None),  # the people: a list
        ("残疾人都有哪些服务", {"group"}, "list_services"),
        ("社会保险都有啥", {"domain", "service"}, None),
    ],
)
def test_a_list_of_one_named_item_asks_about_that_item(text, kinds, expected):
    assert cue(text, "list_services", frozenset(kinds)) == expected


@pytest.mark.parametrize(
    "text",
    ["大中城市联合招聘会是谁办的", "特困供养是谁家管的", "无障碍改造这块谁来弄",
     "这事谁牵头管", "老板拖欠工资俩月了 上哪投诉去"],
)
def test_who_runs_it_asks_the_department(text):
    assert cue(text, "ask_service_info", frozenset({"service"})) == "ask_department"


@pytest.mark.parametrize("guessed", ["human_handoff", "ask_standard", "ask_service_info"])
def test_when_a_person_answers_asks_the_hotline(guessed):
    assert cue("12333人工几点有人接", guessed, frozenset({"service"})) == "ask_hotline"


@pytest.mark.parametrize(
    "text, kinds, expected",
    [
        ("马路上的无障碍设施谁负责建", {"service"}, "ask_department"),
        ("小区门口没坡道 坐轮椅出不去 找谁反映", {"service"}, "ask_department"),
        ("给我推荐个餐馆", {"service"}, None),  # no word for a facet
        ("路灯坏了找谁", set(), None),  # no item named
    ],
)
def test_an_item_and_a_facet_word_overrule_out_of_scope(text, kinds, expected):
    assert cue(text, "out_of_scope", frozenset(kinds)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺爸今年刚满六十五 社区给老人做的那个检查他能去了吧", True),
        ("残疾人都能享受哪些服务", False),
        ("五险都是哪五险", False),
        ("残疾人的项目都给说说", False),
        ("体育局负责的项目有几个", False),
    ],
)
def test_a_list_request_needs_a_word_for_which(text, expected):
    assert unfounded(text, "list_services") is expected


def test_percent_asks_the_standard():
    assert cue("农村合作医疗住院能报百分之几", "ask_service_info", frozenset({"service"})) == (
        "ask_standard"
    )


def test_a_choice_reading_of_a_phone_number_is_set_aside():
    assert unfounded("12333是不是一天到晚都能打通", "choose")
    assert not unfounded("2", "choose")


def test_a_goodbye_or_handoff_reading_needs_its_words():
    assert unfounded("老人走了 火化费能减免么", "goodbye", frozenset({"service"}))
    assert unfounded("学校操场周末让外面的人进去锻炼么", "human_handoff")
    assert not unfounded("给俺转个人工吧", "human_handoff")


def test_an_item_that_x_follow_up_is_not_a_choice():
    assert cue("失业保险那个呢", "choose", frozenset({"service"})) == "ask_service_info"
    assert cue("城乡居民的那个", "choose", frozenset({"service"})) == "choose"


@pytest.mark.parametrize(
    "text",
    ["是城乡居民那种", "俺是城乡居民的那种", "村里老百姓自己交的那个", "残疾人护理补贴那个",
     "城乡居民的那个吧谢谢"],
)
def test_a_whole_message_naming_one_of_several_is_a_choice(text):
    assert cue(text, "ask_service_info", frozenset({"service"})) == "choose"
    assert cue(text, "check_eligibility") == "choose"


@pytest.mark.parametrize("text", ["低保那个钱谁出", "那个低保找谁", "护理补贴那个呢"])
def test_a_question_with_that_one_in_it_is_no_choice(text):
    assert cue(text, "ask_service_info", frozenset({"service"})) != "choose"


def test_a_field_named_by_an_item_word_is_a_list():
    # 计划生育 is an item word; "方面…有啥政策" asks for every item of the field.
    text = "计划生育方面国家有啥政策"
    assert cue(text, "list_services", frozenset({"service"})) == "list_services"


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("要是职工医保呢", [(2, 6)], True),
        ("职工医保这块呢", [(0, 4)], True),
        ("那个 职工医保呢", [(3, 7)], True),
        ("职工医保谁能交呢", [(0, 4)], False),
        ("那俺爸67了呢", [], False),
    ],
)
def test_an_item_and_a_follow_ups_filler_alone(text, spans, expected):
    assert names_only_items(text, spans) is expected


def test_an_item_follow_up_keeps_the_question():
    # "那X呢" asks the previous question of X: the dialogue keeps the facet.
    assert cue("那个职工医保呢", "ask_eligibility", item_follow_up=True) == "ask_service_info"
    assert cue("那个职工医保呢", "ask_eligibility") is None


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("那个好的 谢谢啊", "choose", "thanks"),
        ("那个好的 谢谢啊", "thanks", "thanks"),  # not the choice its 那个 suggests
        ("明白了 多谢", "affirm", "thanks"),
        ("对 就问这个 谢了", "ask_hotline", "thanks"),  # agreement, then thanks
        ("对了 谢谢 低保找谁", "ask_department", "ask_department"),
        ("问下在吗", "ask_service_info", "greet"),
        ("在吗 问个事", "ask_service_info", "greet"),
        ("你好 俺是大厂祁各庄村的村干部", "check_eligibility", "greet"),
        ("你好 俺是安次区一个村的会计 想问点政策上的事", "ask_service_info", "greet"),
        # A question after who is writing is the question.
        ("你好 俺是外地来打工的 公租房能办吗", "check_eligibility", "check_eligibility"),
        ("中 明白了", "help", "affirm"),
        ("学校在固安县城", "ask_indicator", "check_eligibility"),
        ("有啥帮扶", "list_services", "ask_standard"),
        ("还有啥补贴没", "ask_service_info", "ask_standard"),
    ],
)
def test_small_talk_and_bare_benefit_questions(text, intent, expected):
    assert cue(text, intent) == expected


@pytest.mark.parametrize(
    "text, intent, kinds",
    [
        ("好的谢谢 那低保呢", "ask_service_info", {"service"}),
        ("谢谢 第二个", "choose", frozenset()),
        ("当过兵的有啥待遇", "list_services", {"group"}),
        ("上学这块有啥补助", "list_services", {"domain"}),
    ],
)
def test_thanks_or_benefits_with_more_said_are_left_alone(text, intent, kinds):
    assert cue(text, intent, frozenset(kinds)) not in ("thanks", "ask_standard")


@pytest.mark.parametrize(
    "text, intent, kinds, expected",
    [
        ("没了 就这些", "goodbye", (), "deny"),
        ("没了 就这", "ask_service_info", (), "deny"),
        ("不用了 没别的了", "goodbye", (), "deny"),
        ("没了 没别的事了", "goodbye", (), "deny"),
        ("没了啊", "nlu_fallback", (), "deny"),
        ("没事了 拜拜", "deny", (), "goodbye"),  # parts outright
        # No more to ask, in more words.
        ("没啥要问的了", "nlu_fallback", (), "deny"),
        ("没其他的了", "nlu_fallback", (), "deny"),
        ("没别的了", "goodbye", (), "deny"),
        ("这个是谁交钱", "help", (), "ask_funding"),
        ("俺儿子重度智力残疾 残联都管哪些", "check_eligibility", ("service", "department"), "list_services"),
    ],
)
def test_nothing_more_and_lists_by_department(text, intent, kinds, expected):
    assert cue(text, intent, frozenset(kinds)) == expected


@pytest.mark.parametrize(
    "text, intent, kinds",
    [
        ("没有了 谢谢", "thanks", ()),  # thanks, not a no
        ("不用了 我再问问低保", "ask_service_info", ("service",)),
        ("工伤保险都管哪些钱", "ask_standard", ("service",)),  # no department named
    ],
)
def test_a_no_or_a_department_list_needs_all_its_words(text, intent, kinds):
    assert cue(text, intent, frozenset(kinds)) not in ("deny", "list_services")
