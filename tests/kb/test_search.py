"""Free-text search: colloquial questions must rank the right item first.

The questions below were written as citizens ask them, not copied from aliases.csv. They
came in four batches; each batch was run before any tuning for it (first-pass top-1:
43/49, 31/40, 29/35 and 33/40), then the misses were fixed by reviewed aliases or by
general scoring rules, never by special cases in code. Two questions of the last batch
have two defensible answers; they are in ``AMBIGUOUS`` and must rank the intended item in
the top three. ``test_accuracy_figure`` prints the
figure for the whole list.
"""

from __future__ import annotations

import time

import pytest

QUESTIONS = [
    ("我爸70岁了社区能免费体检吗", 32),
    ("低保找哪个部门", 46),
    ("法律援助电话多少", 51),
    ("孩子上初中住校有补助吗", 3),
    ("家里孩子上小学要交学费吗", 1),
    ("农村小学生中午有免费的营养餐吗", 2),
    ("上幼儿园家里困难能减免保育费吗", 4),
    ("读中专一年能拿多少助学金", 5),
    ("上职业高中要交学费吗", 6),
    ("高中生家庭困难有没有资助", 7),
    ("想自己开个小店能贷款吗", 10),
    ("大学毕业两年了还没找到工作有见习岗位吗", 12),
    ("单位拖欠工资三个月了去哪投诉", 18),
    ("公司不给签劳动合同怎么办", 16),
    ("退休以后养老金每个月怎么算", 19),
    ("农村老人每月的基础养老金是多少钱", 20),
    ("生孩子的费用能报销吗", 22),
    ("被公司辞退了能领失业金吗", 24),
    ("上班时候受伤了怎么申请工伤", 25),
    ("宝宝几个月要打预防针", 28),
    ("怀孕了社区能免费做检查吗", 31),
    ("我妈有高血压社区管不管", 33),
    ("家里有精神病人政府有什么帮助", 34),
    ("得了肺结核有免费治疗吗", 36),
    ("准备要二胎孕前检查免费吗", 40),
    ("农村独生子女家庭60岁以后有奖励金吗", 43),
    ("独生子女去世了父母有什么扶助", 44),
    ("买到假药去哪里投诉", 45),
    ("五保户能住敬老院吗", 47),
    ("家里人得了大病看不起病怎么办", 48),
    ("家里着火了房子烧了能申请救助吗", 49),
    ("洪水把房子冲了政府管吗", 50),
    ("我奶奶九十岁了有高龄补贴吗", 52),
    ("孩子爸妈都在外地打工留守在家有人管吗", 54),
    ("老人去世了火化有补贴吗", 55),
    ("退伍回来安置工作找谁", 57),
    ("申请公租房需要什么条件", 59),
    ("农村的房子快塌了能补贴修房吗", 61),
    ("村里能来唱大戏吗", 63),
    ("家里电视收不到信号怎么办", 65),
    ("博物馆门票老人免费吗", 68),
    ("小区里的健身器材归谁管", 70),
    ("残疾人每月能领多少补贴", 71),
    ("残疾人要轮椅可以补助吗", 73),
    ("孩子是自闭症能免费康复训练吗", 77),
    ("残疾孩子上学学费能免吗", 78),
    ("盲人想学按摩有培训吗", 79),
    ("打12333能咨询社保吗", 15),
    ("劳动仲裁怎么申请", 17),
    ("我儿子在技校读书能免学费吗", 6),
    ("普通高中的助学金一年多少钱", 7),
    ("失业了去哪里登记", 9),
    ("有没有免费的职业技能培训", 14),
    ("考电工证有补贴吗", 14),
    ("公司不交社保可以举报吗", 18),
    ("城乡居民医保住院能报多少", 23),
    ("职工医保单位交多少", 21),
    ("农民怎么交养老保险", 20),
    ("社区能给建健康档案吗", 26),
    ("孩子的预防接种是免费的吗", 28),
    ("新生儿出院后有人上门访视吗", 30),
    ("糖尿病人社区有随访吗", 33),
    ("老人能做中医体质辨识吗", 37),
    ("艾滋病感染者有随访服务吗", 38),
    ("乡镇卫生院的药是零差价吗", 41),
    ("想上环去哪里", 42),
    ("家庭收入低怎么申请最低生活保障", 46),
    ("没儿没女的孤寡老人谁来养", 47),
    ("发生车祸家里一下子困难了怎么办", 49),
    ("打官司请不起律师怎么办", 51),
    ("百岁老人每月补贴多少", 52),
    ("孤儿有什么生活保障", 53),
    ("烈士家属有什么优待", 56),
    ("棚户区改造怎么补偿", 60),
    ("图书馆免费吗", 62),
    ("农村放电影的事归谁管", 66),
    ("哪里能免费借书看", 67),
    ("体育馆对外开放吗", 69),
    ("重度残疾人能单独吃低保吗", 72),
    ("残疾人家里要装扶手能补贴吗", 73),
    ("残疾人交医疗保险有补助吗", 74),
    ("智力残疾的孩子白天有地方托管吗", 76),
    ("电视节目有手语吗", 80),
    ("小区门口没有盲道找谁", 81),
    ("吃了过期食品拉肚子找谁", 45),
    ("老婆生孩子生育津贴怎么领", 22),
    ("在工地摔伤了算工伤吗", 25),
    ("法律援助中心在哪", 51),
    ("农村危房改造补助标准是多少", 61),
    ("我家孩子在农村上学中午饭有补助吗", 2),
    ("孤儿上幼儿园要钱吗", 4),
    ("职业学校的学生每年能拿多少补助", 5),
    ("下岗了想找份工作去哪", 9),
    ("家里两口子都没工作能给安排公益岗吗", 11),
    ("人才招聘会什么时候开", 13),
    ("老板不给加班费找谁", 18),
    ("和单位闹劳动纠纷怎么仲裁", 17),
    ("灵活就业人员怎么交医保", 21),
    ("新农合一年交多少钱", 23),
    ("失业保险金能领多久", 24),
    ("社区有健康讲座吗", 27),
    ("发现传染病人要报告给谁", 29),
    ("小孩六岁以前体检免费吗", 30),
    ("老人在社区体检一年一次吗", 32),
    ("血压高社区医生会定期随访吗", 33),
    ("家里有人得了结核病怎么办", 36),
    ("艾滋病高危人群有干预措施吗", 39),
    ("农村夫妻打算要孩子有免费检查吗", 40),
    ("计划生育手术有后遗症有扶助吗", 44),
    ("食堂卫生有问题去哪举报", 45),
    ("低保标准每年涨吗", 46),
    ("遭了冰雹灾害庄稼房子都毁了", 50),
    ("八十岁老人有高龄津贴吗", 52),
    ("家暴的孩子政府管吗", 53),
    ("退伍军人每月有抚恤金吗", 56),
    ("没有房子住能申请廉租房吗", 59),
    ("农村能看上数字电影吗", 66),
    ("去博物馆参观要门票吗", 68),
    ("残疾人生活困难能领补贴吗", 71),
    ("残疾人危房能优先改造吗", 75),
    ("残疾孩子做康复训练要钱吗", 77),
    ("残疾人想找工作有没有帮助", 79),
    ("盲人在图书馆能借盲文书吗", 80),
    ("公共厕所无障碍改造谁负责", 81),
    ("义务教育阶段课本要自己买吗", 1),
    ("住校的小学生每年补多少钱", 3),
    ("刚毕业的大学生想自己创业有扶持吗", 10),
    ("单位把我辞退了没给补偿去哪告", 17),
    ("交了十五年养老保险退休能拿多少", 19),
    ("城乡居民养老金每月九十块钱吗", 20),
    ("个体户怎么参加职工医保", 21),
    ("女职工生育津贴怎么算", 22),
    ("社区医院能不能给我建个健康档案", 26),
    ("孩子打疫苗要花钱吗", 28),
    ("新冠这样的疫情谁负责报告", 29),
    ("宝宝满月后社区会来家里看吗", 30),
    ("孕妇产后有人上门访视吗", 31),
    ("我妈65岁了能免费体检吗", 32),
    ("糖尿病社区能免费测血糖吗", 33),
    ("精神分裂症病人谁来管", 34),
    ("老人孩子的中医保健服务有哪些", 37),
    ("村卫生室的药比医院便宜吗", 41),
    ("独生子女父母年老了有奖励吗", 43),
    ("饭店卫生不合格去哪投诉", 45),
    ("家里收入太低了能吃低保吗", 46),
    ("流浪乞讨的人谁管", 49),
    ("请律师太贵了有免费的吗", 51),
    ("农村孩子爸妈都出去打工了谁照看", 54),
    ("家里老人过世了殡葬费用能减免吗", 55),
    ("退伍军人安置政策是什么", 57),
    ("公租房的租金补贴怎么申请", 59),
    ("老旧小区拆迁怎么安置", 60),
    ("村里的房子是危房政府给修吗", 61),
    ("博物馆美术馆都免费开放吗", 62),
    ("乡下有没有送戏下乡", 63),
    ("收音机能收到几套节目", 64),
    ("卫星电视能看多少个台", 65),
    ("小区的篮球场是不是免费的", 69),
    ("广场舞有人指导吗", 70),
    ("残疾人护理补贴怎么申请", 71),
    ("残疾人想装假肢有补助吗", 73),
    ("残疾人申请公租房能优先吗", 75),
]


@pytest.mark.parametrize("question, item_id", QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_right_item_ranks_first(kb, question, item_id):
    hits = kb.search(question)
    assert hits, f"no hits for {question}"
    ranked = [(h.item.id, h.item.name, h.score) for h in hits[:3]]
    assert hits[0].item.id == item_id, ranked


AMBIGUOUS = [
    # 24 pays the 基本医疗保险费 of the unemployed; 21/23 are the insurances themselves.
    ("失业了医保怎么办", 24),
    # 78 gives 残疾学生 12 years of free schooling; 8 exempts poor 残疾学生 in 普通高中.
    ("残疾学生上高中免学费吗", 78),
]


@pytest.mark.parametrize("question, item_id", AMBIGUOUS, ids=[q for q, _ in AMBIGUOUS])
def test_ambiguous_question_has_intended_item_in_top_three(kb, question, item_id):
    assert item_id in [h.item.id for h in kb.search(question)[:3]]


def test_accuracy_figure(kb, capsys):
    right = sum(
        1 for q, i in QUESTIONS if (hits := kb.search(q)) and hits[0].item.id == i
    )
    with capsys.disabled():
        print(
            f"\nsearch top-1 accuracy: {right}/{len(QUESTIONS)} = {right / len(QUESTIONS):.1%}"
        )
    assert len(QUESTIONS) >= 30


def test_latency_figure(kb, capsys):
    """Prints search latency (no timed assertion: the machine is shared)."""
    kb.search("预热")
    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for question, _ in QUESTIONS:
            kb.search(question)
    mean = (time.perf_counter() - started) * 1000 / (rounds * len(QUESTIONS))
    with capsys.disabled():
        print(
            f"\nsearch latency after warm-up: {mean:.2f} ms per question (mean of {rounds * len(QUESTIONS)})"
        )


@pytest.mark.parametrize(
    "question, item_id",
    [
        ("職工醫保怎麼報銷住院費", 21),  # traditional characters
        ("我爸七十歲了社區能免費體檢嗎", 32),
        ("法律援助電話多少", 51),
        ("ＨＩＶ感染者有随访吗", 38),  # full-width Latin letters
        ("打１２３３３能咨询社保吗", 15),  # full-width digits
        ("　低保　找哪个部门？　", 46),  # ideographic spaces, full-width punctuation
    ],
)
def test_traditional_and_full_width_input(kb, question, item_id):
    assert kb.search(question)[0].item.id == item_id


def test_scores_are_ranked_and_deterministic(kb):
    first = kb.search("医保怎么报销", limit=10)
    again = kb.search("医保怎么报销", limit=10)
    assert [(h.item.id, h.score) for h in first] == [
        (h.item.id, h.score) for h in again
    ]
    assert [h.score for h in first] == sorted((h.score for h in first), reverse=True)
    assert {21, 23} <= {h.item.id for h in first[:2]}
    assert "医保" in first[0].matched_terms


def test_limit(kb):
    assert len(kb.search("残疾人", limit=3)) == 3
    assert kb.search("残疾人", limit=0) == []
    assert kb.search("") == []


def test_match_terms(kb):
    text = "我是残疾人，想问问低保找民政局还是社保局"
    matches = kb.match_terms(text)
    kinds = {(m.term, m.kind) for m in matches}
    assert ("残疾人", "group") in kinds
    assert ("低保", "alias") in kinds
    assert ("民政局", "department") in kinds
    assert ("社保局", "department") in kinds
    lowbao = next(m for m in matches if m.term == "低保")
    assert lowbao.item_ids == (46,)
    normalized = text.replace("，", ",")
    assert normalized[lowbao.start : lowbao.end] == "低保"
    department = next(m for m in matches if m.term == "社保局")
    assert department.canonical == "市人力资源社会保障局"
    # Longest match wins: the item name, not the group inside it.
    (longest,) = [m for m in kb.match_terms("老年人健康管理") if m.kind == "service"]
    assert longest.item_ids == (32,) and (longest.start, longest.end) == (0, 7)


def test_match_terms_multi_item_alias(kb):
    (match,) = kb.match_terms("养老保险")
    assert set(match.item_ids) == {19, 20}


def test_find_indicators(kb):
    names = [i.name for i in kb.find_indicators("婴儿死亡率是多少")]
    assert names[0] == "婴儿死亡率"
    assert "基本医疗保险参保率" in [
        i.name for i in kb.find_indicators("医疗保险参保率目标")
    ]
    assert kb.find_indicators("") == []


def test_find_indicators_best_only_keeps_the_closest_names(kb):
    # 比例 alone is in two indicator names; 护理型床位比例 names one of them.
    assert len(kb.find_indicators("护理型床位比例呢")) > 1
    assert [i.name for i in kb.find_indicators("护理型床位比例呢", best_only=True)] == [
        "养老床位中护理型床位比例"
    ]
    both = kb.find_indicators("参保率要到多少", best_only=True)
    assert {i.name for i in both} == {"城乡居民基本养老保险参保率", "基本医疗保险参保率"}


def test_vocabulary(kb):
    vocabulary = kb.vocabulary()
    assert set(vocabulary) == {"service", "group", "department", "domain"}
    assert "法律援助" in vocabulary["service"] and "低保" in vocabulary["service"]
    assert "老年人" in vocabulary["group"]
    assert (
        "市司法局" in vocabulary["department"] and "人社局" in vocabulary["department"]
    )
    assert "基本社会保险" in vocabulary["domain"] and "社保" in vocabulary["domain"]
    assert "免费体检" in kb.dictionary_words()


def test_every_item_name_and_alias_finds_its_item(kb):
    by_alias: dict[str, set[int]] = {}
    for item in kb.items():
        assert kb.search(item.name)[0].item.id == item.id, item.name
        for alias in item.aliases:
            by_alias.setdefault(alias, set()).add(item.id)
    for alias, ids in by_alias.items():
        assert kb.search(alias)[0].item.id in ids, alias


@pytest.mark.parametrize(
    "question",
    [
        "今天天气怎么样",
        "你好",
        "帮我订一张去北京的火车票",
        "结婚登记要什么材料",
        "个人所得税怎么算",
    ],
)
def test_out_of_scope_questions_give_no_confident_hit(kb, question):
    assert all(hit.weak for hit in kb.search(question))


def test_weak_flag_on_real_question(kb):
    hit, *_ = kb.search("低保找哪个部门")
    assert not hit.weak


def test_match_terms_across_spaces(kb):
    text = "我想问 低 保 怎么办"
    (match,) = [m for m in kb.match_terms(text) if m.term == "低保"]
    assert text[match.start : match.end] == "低 保"
    assert kb.search("低 保 找 谁")[0].item.id == 46
