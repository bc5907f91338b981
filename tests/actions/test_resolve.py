"""Which item a question is about: terms, distinguishing words, search, context."""

from __future__ import annotations

import pytest

from actions.resolve import (
    CONTEXT,
    NONE,
    SEARCH,
    TERM,
    distinguishing,
    resolve,
    with_age_group,
)
from kb.query import SITUATION_GAP


@pytest.mark.parametrize(
    "text, expected",
    [
        # A shared alias, and words that only one candidate's name or 服务对象 has.
        ("城乡居民养老金一个月发多少", [20]),
        ("农民养老保险找哪个部门", [20]),  # 农民 is a group of item 20 only
        ("上班族的养老保险个人交几个点", [19]),  # a synonym of 城镇职工, 19's group
        # 单位 is also a word for a department question; here it says who pays.
        ("公司给交的养老保险 个人出几个点", [19]),
        ("高中贫困生助学金发多少", [7]),
        ("建档立卡的高中生能免学费吗", [8]),
        ("我爸70岁了社区能免费体检吗", [32]),  # the age fits 32's range
        # Under 32's 65 but old: the elderly's check, and the reply explains the bound.
        ("俺妈今年63 能去社区免费查体不", [32]),
        ("智力残疾的孩子成年后能托养吗", [76]),  # two terms agree on 76
        ("危房改造归哪管", [61]),  # only 农村危房改造 is called that
        ("职业技能培训有补贴吗", [14]),
        # Nothing tells the candidates apart: a numbered choice, in list order.
        ("医保归哪个部门管", [21, 23]),
        ("养老保险谁能参加", [19, 20]),
        ("助学金找哪个部门", [5, 7]),
        ("免费体检找谁", [32, 40]),
        # A community worker's resident (居民) who asks is no 城乡居民; the tail that
        # says so adds no words to weigh either.
        ("居民问养老金一个月能领多少", [19, 20]),
        ("居民来问养老保险的事 这个归哪个部门管", [19, 20]),
        ("医保住院能报多少 有个居民问的", [21, 23]),
        ("医保住院报多少 村里有人问", [21, 23]),
        ("居民问城乡居民养老金一个月能领多少", [20]),
        # Two told situations: the one that also names its item (护理补贴) is asked
        # about; the injury's story alone is 工伤保险.
        ("俺在工地伤了 评了二级残疾 护理补贴能领不", [71]),
        ("俺在工地伤了 胳膊砸断了 能赔不", [25]),
    ],
)
def test_terms_and_distinguishing_words(kb, text, expected):
    found = resolve(kb, text)
    assert [i.id for i in found.items] == expected
    assert found.source == TERM


@pytest.mark.parametrize(
    "text, expected",
    [
        ("读幼儿园家里困难有没有资助", 4),
        ("药店卖的东西出了事找谁监管", 45),  # full-text only, but far ahead of anything else
        ("老板扣我工资去哪投诉", 18),  # several of its words, no curated term
        ("学前资助发多少", 4),  # an abbreviation of the item's name
        ("刚毕业找不到工作能见习吗", 12),
    ],
)
def test_search_when_no_item_is_named(kb, text, expected):
    found = resolve(kb, text)
    assert found.source == SEARCH and [i.id for i in found.items] == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("乡镇卫生院的药比外面药店便宜不", 41),  # no term; like "乡卫生院卖药赚差价吗"
        ("职业技能坚定归谁管", 14),  # a typo the segmenter cannot see past
        # 孩子 alone suggests 留守儿童; the examples know the patriotic films (66).
        ("学校一学期给孩子放几部爱国片", 66),
        # Neither the example (not alike enough alone) nor the one full-text word 贷款
        # decides; both name 创业服务.
        ("想自己干个小吃摊 本钱不够 政府能给贷款么", 10),
    ],
)
def test_a_question_like_a_curated_example_finds_its_item(kb, text, expected):
    found = resolve(kb, text)
    assert found.source == SEARCH and [i.id for i in found.items] == [expected]


@pytest.mark.parametrize("text", ["闯红灯罚款在哪交", "帮我叫个外卖", "小区暖气不热找谁"])
def test_a_question_only_loosely_like_the_examples_finds_nothing(kb, text):
    assert resolve(kb, text).items == []


@pytest.mark.parametrize(
    "text",
    [
        "身份证丢了怎么补",  # 身份 is in an item's text, 身份证 is not
        "医院挂号",  # one shared word
        "燃气费怎么交",
        "宠物医院",
        "租房合同纠纷",  # 合同, 纠纷 are labour words here only as parts of 合同纠纷
    ],
)
def test_one_shared_word_is_not_a_topic(kb, text):
    assert resolve(kb, text).items == []


@pytest.mark.parametrize(
    "text, context, expected, source",
    [
        ("找哪个部门", 51, [51], CONTEXT),
        ("电话多少", 51, [51], CONTEXT),
        ("小学生呢", 3, [3], CONTEXT),  # a group word, not a new topic
        ("孩子打疫苗找谁", 51, [28], TERM),  # a new topic wins over the context
        ("养老保险谁出钱", 20, [20], TERM),  # the discussed one of two candidates
        # What someone lacks is their case, about the item discussed; said outright,
        # without an item before it, it is the topic.
        ("我跑外卖的 跟站点没签合同 也能上吗", 25, [25], CONTEXT),
        ("我跑外卖的 跟站点没签合同 找谁", None, [16], TERM),
        ("找哪个部门", None, [], NONE),
        ("dibao找哪个部门", None, [], NONE),
        ("第51项找哪个部门", None, [51], TERM),
        # A 农村低保户 is who asks (a group), not 农村低保 the item: the item discussed.
        ("俺们大厂农村低保户 房子漏得厉害 能给改不", 61, [61], CONTEXT),
    ],
)
def test_context(kb, text, context, expected, source):
    found = resolve(kb, text, context_id=context)
    assert [i.id for i in found.items] == expected
    assert found.source == source


def test_service_entity_counts_like_a_term(kb):
    found = resolve(kb, "这个怎么申请", [{"entity": "service", "value": "低保"}])
    assert [i.id for i in found.items] == [46]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("重度残疾的成年人能单独吃低保吗", 72),  # 低保 names 46; the rest describes 72
        ("残疾人交养老保险有补贴吗", 74),  # 养老保险 names 19/20
    ],
)
def test_search_overrules_a_term_when_the_question_fits_another_item(
    kb, text, expected
):
    found = resolve(kb, text)
    assert found.source == TERM and [i.id for i in found.items] == [expected]


def test_entities_and_text_terms_vote_together(kb):
    entities = [{"entity": "service", "value": v} for v in ("智力残疾", "托养")]
    found = resolve(kb, "智力残疾的孩子成年后能托养吗", entities)
    assert [i.id for i in found.items] == [76]


def test_search_overrules_an_entity_too(kb):
    entities = [{"entity": "service", "value": "低保"}]
    found = resolve(kb, "重度残疾的成年人能单独吃低保吗", entities)
    assert [i.id for i in found.items] == [72]


def test_full_text_words_alone_do_not_change_the_topic(kb):
    found = resolve(kb, "打啥电话", context_id=23)
    assert [i.id for i in found.items] == [23] and found.source == CONTEXT


@pytest.mark.parametrize(
    "text, expected",
    [
        ("盲人能借书吗", 80),  # 借书 names 读书看报; for 残疾人: 残疾人文化体育
        ("残疾人能租公租房吗", 75),  # 残疾人基本住房保障
        ("聋哑人想学门手艺", 79),  # 残疾人职业培训…
        ("借书要钱吗", 67),  # no group: the general item
        # 参观文化遗产 lists 残疾人 among its 服务对象: no swap to 残疾人文化体育
        ("残疾人参观博物馆要门票吗", 68),
        ("重残的人居民医保个人缴费谁出", 74),  # 重残 is 残疾人: 个人缴费资助
        ("残疾孩子上学能免几年学费", 78),  # 残疾人教育: 12年免费教育
        ("残疾孩子上高中能免学费吗", 8),  # 高中免学费 lists 残疾学生 and names 高中
    ],
)
def test_a_named_group_picks_its_own_item_on_the_topic(kb, text, expected):
    assert [i.id for i in resolve(kb, text).items] == [expected]


def test_an_item_for_a_group_the_question_does_not_name_is_not_offered(kb):
    assert 78 not in [i.id for i in resolve(kb, "孩子上学要交钱吗").items]


def test_what_is_left_after_insurance_is_medical_assistance(kb):
    # 医保 is named, but what is asked about is the rest: 医疗救助's job.
    found = resolve(kb, "住院医保报销完剩下的钱太多 政府能救助吗")
    assert [i.id for i in found.items] == [48]
    # Paid out of pocket for a hospital stay, then more help asked: the same.
    found = resolve(kb, "俺妈住院自己掏了好几万 家里低保 还能再报点不")
    assert [i.id for i in found.items] == [48]
    # After a turn about 城乡居民医保: what is left unaffordable is the same question.
    found = resolve(kb, "报完了还是花不起 还有啥救助没", context_id=23)
    assert [i.id for i in found.items] == [48]


@pytest.mark.parametrize(
    "text, expected", [("幼儿园的资助啥样的孩子能申请", 4), ("学校那个营养餐补助谁能领", 2)]
)
def test_a_name_with_de_or_nage_inside_is_still_a_name(kb, text, expected):
    assert [i.id for i in resolve(kb, text).items] == [expected]


def test_who_the_user_says_they_are_is_not_what_they_ask_about(kb):
    # 农村低保 (an alias of 最低生活保障) after 我是 says who they are.
    found = resolve(kb, "我是农村低保户 闺女上高中能免学费吗")
    assert [i.id for i in found.items] == [8]
    # Alone, it is still what the message is about.
    assert [i.id for i in resolve(kb, "我是农村低保户能申请什么").items] == [46]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 没退休金 tells which of 基础养老金's items she means; it asks about neither.
        ("楼下刘婶没单位也没退休金 城乡居民养老那个基础养老金一个月给几个钱", [20]),
        ("有没有退休金", [19]),  # 有没有 asks
        ("没有低保咋办", [46]),  # all the message names
        # A lack naming an item of its own stays: the missing 坡道 is 无障碍环境's.
        ("楼门口没坡道 轮椅推不上去 归谁管", [81]),
    ],
)
def test_what_someone_lacks_is_not_what_they_ask_about(kb, text, expected):
    assert sorted(i.id for i in resolve(kb, text).items) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("公共场所的无障碍改造归谁管", 81),  # not a household's own (73)
        ("家里两口子都没活干 政府能帮着找工作不", 11),  # 零就业家庭
        ("干活时手给轧了 医药费谁出", 25),  # 工伤, not 职工医保
        # 伤残 from work is 工伤保险's, not a disabled person's counterpart item.
        ("工伤了胳膊落下残疾 都能赔点啥", 25),
        ("街上小饭馆卖的熟食不干净 这归哪个局管", 45),  # 食品药品安全
        ("外卖里吃出虫子了 投诉打哪个电话", 45),
        ("学校门口小卖部卖三无辣条 打啥电话举报", 45),
        # 坐月子期间 says when: the 生育保险 named pays for it, not 产后访视.
        ("媳妇单位给上了生育险 坐月子期间能领啥钱", 22),
        # 二级残疾 after 俺是 says the user is disabled: 居民医保 for them is 74.
        ("俺是二级残疾 居民医保个人那部分能帮着交么", 74),
        # One daughter and a reward: 奖励扶助 (43), not the rural pension.
        ("农村就一个闺女 老两口都过六十了 国家有啥奖励没", 43),
        ("学校中午管饭有补助吗", 2),  # 营养改善
        ("单位给交的医保住院报多少", 21),  # 职工, not 城乡居民
        ("媳妇刚生完 有人上门看看不", 31),  # 产后访视
    ],
)
def test_everyday_descriptions_of_an_item(kb, text, expected):
    assert [i.id for i in resolve(kb, text).items] == [expected]


def test_an_old_persons_age_is_read_as_the_elderly(kb):
    # No term names an item; the age says who, and search finds the elderly's check.
    assert [i.id for i in resolve(kb, "婆婆今年七十一 社区每年给做检查么").items] == [32]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("俺妈今年63 能去社区免费查体不", "俺妈今年63 能去社区免费查体不 老年人"),
        ("孩子5岁了能打疫苗吗", "孩子5岁了能打疫苗吗"),  # no old age
        ("65岁以上老人免费体检吗", "65岁以上老人免费体检吗"),  # a range, and a group
        ("我爸70岁 是残疾人 能领补贴吗", "我爸70岁 是残疾人 能领补贴吗"),  # a group named
    ],
)
def test_only_an_old_persons_age_without_a_group_adds_the_elderly(kb, text, expected):
    assert with_age_group(kb, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # 智障 names 托养 and 康复; 孩子 speaks for 康复's 残疾儿童; the situation is 托养's.
        ("智障的成年孩子 白天有地方托着照看吗", [76]),
        ("孩子智力残疾 二十多了 白天有没有地方托着", [76]),
        # A short question is as ambiguous as its term: both 医保 are offered.
        ("医保住院能报多少", [21, 23]),
    ],
)
def test_a_situation_told_in_words_chooses_among_the_named_items_by_the_examples(
    kb, text, expected
):
    assert [i.id for i in resolve(kb, text).items] == expected


@pytest.mark.parametrize(
    "text, entities",
    [
        ("老人没了 俺们家是低保 火化能减免费用不", []),
        # NLU's entity for 低保 is the user's status too.
        ("俺家是低保 老人走了 火化费能减免不", ["低保"]),
    ],
)
def test_a_term_that_says_who_the_user_is_names_no_item(kb, text, entities):
    found = resolve(kb, text, [{"entity": "service", "value": v} for v in entities])
    assert [i.id for i in found.items] == [55]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("聋哑孩子上学 家里困难 能有啥补助", [78]),  # 聋哑 is 残疾人: 残疾人教育
        ("独生儿子前年病没了 俺们老两口国家给扶助不", [44]),
        # 车祸 names 临时救助; the only child lost is 计划生育家庭特别扶助's case.
        ("唯一的儿子出车祸没了 国家对俺们这种有扶助吗", [44]),
    ],
)
def test_everyday_words_for_a_group_or_a_family_situation(kb, text, expected):
    assert [i.id for i in resolve(kb, text).items] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # 车祸 alone names 临时救助; told with an only child, it is 特别扶助.
        ("俺家独生闺女去年出车祸走了 老两口能领点啥", [44]),
        # 医保 is named, but the situation is what is left after it: 医疗救助.
        ("住院医保报完了 自己掏的那部分 低保户还能再给点不", [48]),
        # 留守 is named by 孩子; parents in prison make it 困境儿童保障.
        ("侄子他爸妈都判刑了 孩子现在谁管", [53]),
        # 轮椅 alone names 73 (a household's adaptation); a public place is 81.
        ("街上人行道没有坡道 轮椅上不去找谁", [81]),
        ("车间里手给机器压断了 看病钱谁出", [25]),
        ("乡镇卫生院卖药还加价不", [41]),
        ("超市买的饮料喝着像过期的 找谁举报", [45]),
        ("家里失火了 一家人没地方住 政府能给点救助不", [49]),
        ("儿子儿媳都在外地打工 孙女跟着俺过 有啥政策", [54]),
        ("想开个早点铺 手头钱不够 能贷点款不", [10]),
        ("闺女重度残疾三十了 能不能给她单独办低保", [72]),
        ("孩子耳聋 家里困难 上学能免费吗", [78]),
        ("村里让大水淹了 吃住都成问题 上面管不", [50]),
        ("怀上了 社区卫生院给管些啥", [31]),
        ("失业了想去登个记 上哪个单位办", [9]),
        # A dispute with a neighbour is no labour dispute: 请不起律师 is 法律援助.
        ("俺跟邻居闹纠纷想打官司 家里穷请不起律师 咋整", [51]),
        ("厂里天天让加班也不给上保险 俺想举报 能找谁", [18]),
        ("俺爹腿脚不利索 想给他配个拐棍 家里条件差 国家给补贴吗", [73]),
        ("俺家吃低保 老土房裂了大缝 眼看要塌 政府给翻盖不", [61]),
        ("闺女九月上一年级 书钱学校收不收", [1]),
        ("老头子今年六十六 听说卫生院一年给老人查一回身子 他够岁数了不", [32]),
        ("孙女耳朵听不见 家里困难 上学一直到高中都不要钱吗", [78]),
        ("娃在镇上小学住宿 家里条件不好 每年能补点啥不 补多少", [3]),
        ("农村光生了一个孩子的老两口 到60有奖励金 这钱谁出", [43]),
        ("邻居家小孩爹妈天天打他 饭也不给吃 这种有人管没", [53]),
        ("俺闺女一级肢体残疾 离不了人 有护理方面的补贴么", [71]),
        ("厂子黄了 俺失业了能领点啥", [24]),
        ("低保户住院 医保报完还剩一大截 还能救助多少", [48]),
        ("孩子被亲爹打 监护人靠不住 有啥保障", [53]),
        ("在小卖部给孙子买了一箱奶 回家一看过期半年了 想投诉 打哪个电话", [45]),
        ("邻居大爷一个人 没儿女也干不动活了 政府管么", [47]),
        ("俺爸刚过完66大寿 社区体检有他的份么", [32]),
        ("俺娘今年六十七了 在文安村里住 村卫生室给老人免费查身子 她能去不", [32]),
        ("房子着了 一家子暂时没地住 政府能帮啥", [49]),
        ("村里送戏是哪个局的事", [63]),
        ("老板拖了俺对象仨月工资了 有投诉的电话不", [18]),
        ("儿子在固安职教中心念高一 农村户口 学费还交不交", [6]),
        ("俺是登记过的失业人员 想学个厨师 培训费国家管不管", [14]),
        # A situation told right after "我们是" is still the story, not only a status.
        ("我们是建档立卡户 孩子刚考上公办高中 心里正发愁学费呢 能给免了吗", [8]),
    ],
)
def test_a_curated_situation_names_its_item_whatever_lies_between_its_words(
    kb, text, expected
):
    found = resolve(kb, text)
    assert [i.id for i in found.items] == expected
    assert found.source == TERM


def test_a_situation_needs_all_its_words_in_order(kb):
    # Nothing happened to the child: 43's 奖励扶助, not 44's situation.
    assert [m.item_ids for m in kb.match_situations("独生子女父母有奖励吗")] == [(43,)]
    assert kb.match_situations("车祸没了独生子") == []  # the words out of order
    far = "在外地工作很多年了 很少回家看看我们老两口"[: SITUATION_GAP + 1]
    assert kb.match_situations(f"独生子{far}没了") == []  # too far apart
    assert kb.match_situations(f"独生子{far[1:]}没了") != []
    (told,) = kb.match_situations("独生子前年出车祸没了")
    assert (told.term, told.kind, told.item_ids) == ("独生子前年出车祸", "situation", (44,))


@pytest.mark.parametrize(
    "text, context, expected, source",
    [
        ("那职工的呢", 23, 21, TERM),  # 医保 pairs 21 and 23; 职工 calls 21
        ("那城乡居民的呢", 21, 23, TERM),
        ("那残疾人呢", 23, 23, CONTEXT),  # a group 48 serves is not its name
        ("那老人呢", 32, 32, CONTEXT),  # the item under discussion is the old's own
    ],
)
def test_a_follow_up_calling_the_other_item_of_a_pair(kb, text, context, expected, source):
    assert kb.siblings(21) == [21, 23]
    found = resolve(kb, text, context_id=context)
    assert [i.id for i in found.items] == [expected] and found.source == source


@pytest.mark.parametrize(
    "text, expected",
    [("俺是农村的 不是上班那种", 23), ("是不是城乡居民的那个", 23), ("不是农村的 是上班的", 21)],
)
def test_what_the_citizen_is_not_speaks_for_no_candidate(kb, text, expected):
    assert distinguishing(kb, text, [21, 23]) == expected


@pytest.mark.parametrize(
    "text, ids, expected",
    [
        # 在村里交 shares 村里 with 村里人 (城乡居民) and 里交 with 厂里交 (职工):
        # only the lack of a 单位 tells them apart.
        ("俺没单位 在村里交的那个", [21, 23], 23),
        ("俺没单位", [19, 20], 20),
        # A lack the service names is the need, not who the citizen is.
        ("楼门口没坡道", [73, 81], None),
    ],
)
def test_what_the_citizen_lacks_rules_out_the_candidate_serving_such_people(
    kb, text, ids, expected
):
    assert distinguishing(kb, text, ids) == expected


@pytest.mark.parametrize(
    "text, entities, context, expected",
    [
        # 小学 is also what people call 免费义务教育, but after 寄宿生生活补助 it asks for
        # the 小学生 part of the standard under discussion.
        ("小学的呢", [], 3, 3),
        ("那个小学生呢", [], 3, 3),
        # 孩子姥爷 is the child's grandfather, not 要孩子前的体检.
        ("那孩子姥爷63呢", [{"entity": "group", "value": "孩子"}], 32, 32),
        # The other item of a shared name, called by its own name, still switches.
        ("那职工的呢", [], 23, 21),
    ],
)
def test_a_follow_up_refining_the_current_item_stays_on_it(
    kb, text, entities, context, expected
):
    found = resolve(kb, text, entities, context)
    assert [i.id for i in found.items] == [expected]
