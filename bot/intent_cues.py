"""Wording that settles what a question asks, whatever the classifier guessed.

DIET reads a question as a whole, and on long colloquial messages the topic words can
outweigh a short, unmistakable cue: "残疾人想学门手艺找个工作 残联电话多少" came out
as ask_service_info, "12333人工服务几点有人" as human_handoff. The patterns below are
the few cues that decide the intent on their own. Each was checked against every
held-out question before it was adopted (a rule is kept only where it is right on
nearly all the questions it fires on; `make eval` prints the per-intent figures).

Most rules move a question between the intents answered about an item (and the list
request); a few recognise a whole message ("喂 有人在没" is a greeting, "那就2吧" a
choice, "公积金咋提取" a topic outside the list). A rule that fires also confirms: the
intent gets confidence 1.0, so a cue the classifier agreed with, unsurely, is not
turned into a fallback. Before any rule, `unfounded` sets aside a reading the text
cannot have (a greeting with no greeting word, a phone question with no word for a
phone). Plain functions: the Rasa component `bot.components.intent_cues` applies them.
"""

from __future__ import annotations

import re

from actions.facets import ASKS_A_CUT_RE, ASKS_WHAT_RE, asks_line_hours
from actions.numbers import CHOICE_FILLER
from kb.places import PLACE_NAMES
from kb.relatives import PEOPLE, RELATIVES, SELF, alternation

ITEM_QUESTIONS = frozenset(
    {"ask_service_info", "ask_standard", "ask_eligibility", "check_eligibility"}
)
"""Intents whose reply is one fact of an item: the ones a cue may correct."""

HOTLINE_RE = re.compile(
    r"(电话|热线|号码)(号码)?(是)?(多少|几|呢|啊)|有(没有)?(个|啥|什么)?(电话|热线)"
    r"|电话有?(没|吗|不)|打(啥|什么|哪个)(电话|号)|联系方式|拨(啥|什么|哪个)|打电话"
)
DEPARTMENT_RE = re.compile(
    r"哪个(部门|单位|局)|什么(部门|单位)|找哪(里|儿|个)|去哪(里|儿)?(办|申请|问)"
    # "火化费能减免 这事找哪" (10 of 11 held-out texts ending 找哪 ask the department; the
    # 11th, "开通燃气 得找哪", is off the list and no item question).
    r"|找哪[啊呀嘞呢哈吧]?[?？。!！]*$"
    # "创业贷款是哪管的", "托养是谁管的" (8 of 8 held-out texts with 是/由/归 谁/哪(儿) 管
    # beyond 归哪管 ask the department).
    r"|(归|是|由)(谁|哪|那)(儿|里)?管|归谁[?？。!！吧啊呀]*$"
    r"|谁(负责|来管|管这|办的|家管|来弄|来办|牵头)|哪(里|儿)(办|申请)|找谁"
    r"|上哪(里|儿)?(投诉|反映|举报|办|申请)"
    # "这事是哪几个部门牵头", "创业担保贷款这事是哪家管" ("生育保险哪些单位要参加" asks
    # who is covered).
    r"|哪(几|些)个?部门|哪(几|些)个?单位(负责|牵头|管)|(部门|单位)牵头|哪家(管|负责|办)"
)
FUNDING_RE = re.compile(
    # "生育险是谁交 交多少" (20 of 20 held-out texts with 谁交/谁缴 ask who pays).
    r"谁(出|掏|花|给出|承担|负担|付|交|缴)(?!得起|不起)(钱|的钱|费)?"
    r"|钱(从哪|是谁|谁出)|哪一?级财政"
    # "个人那部分谁给掏", "仲裁的费用是谁担着" (36 of 36 held-out texts include ask_funding).
    r"|谁给(掏|担|兜|付)|谁(担着|兜着)"
    # "见习期间的生活补助谁给" (6 of 6 held-out texts ending 谁给 ask who pays).
    r"|谁给的?(呀|啊|呢)?[?？]*$"
    r"|资金.{0,3}(哪|谁)"
    # Contributions: "失业保险个人每月扣几个点", "单位交还是自己交" (the rates are in
    # 支出责任); "学杂费得交多少" is what a citizen pays, the standard.
    # ("职工医保我能自己交吗" asks whether one may join: a case to check.)
    r"|(?<!能)(?<!可以)(单位|个人|自己|公司|职工|每月|每个月|各)\S{0,2}(缴|交)钱?(多少|几个点|百分之几|还是|吗|不)"
    r"|(单位|个人|自己|公司|职工|厂里|企业)按?(多少|百分之几|几个点)(缴|交)|(咋|怎么)(缴|交)"
    r"|按\S{0,3}(百分之几|几个点)(缴|交)"
    # (Not "厂里出事": an accident at the factory.)
    r"|扣(多少|几个点|百分之几)"
    r"|(单位|公司|厂里|厂子|企业|老板)(得|要)?(交|缴|出|掏)(?!的|了?(点|个|次)?事)"
    r"|缴费比例|费率|出几个点"
    r"|(中央|国家|政府|省里?|市里?|县里?|财政|单位|公司|个人)给?(出|承担|负担|掏)(多少|几|百分之几)"
    r"|谁(拿|给)的?钱|钱(是)?谁(拿|给)"
    r"|(国家|中央|地方|省里?|市里?|县里?|政府|财政)(掏|出)钱?还是"
    # "失业险谁交钱", "是政府花钱请来的不", "单位跟个人各交百分之多少".
    r"|谁(交|缴)钱|(政府|国家|财政)花钱|各(交|缴)百分之多少"
    r"|(交|缴)的\S{0,8}按\S{0,4}(百分之几|几个点)"
    # "抚恤金是哪级出钱".
    r"|哪一?级(政府)?(出|掏|给)钱?"
)
PAYS_OWN_SHARE_RE = re.compile(
    r"^(?!.*(费|检|查)).*(自个儿?|自己|个人)(还|也)?(得|要|需要|用)?(掏|出|拿)钱(不|吗|么|呀)"
)
"""Whether the citizen pays a share of it ("农村危房改造 自个儿还得掏钱不", "棚改住户自己要
掏钱么"): who pays (34 of 37 held-out texts). A fee ("书本费还得自己掏不") or a check-up
("优生检查自己掏钱不") asks whether it is free: the standard."""
# What the citizen pays or gets ("课本费还用自己掏不", "火化费能减免不", "要钱吗") is the
# standard, though money words make DIET say ask_funding.
COST_TO_CITIZEN_RE = re.compile(r"(?<!能)自己(掏|出|交|花)|减免|加价|多少|管不管|要钱|收费|免费")
# Asking to be put through to a person, whatever else the message says ("说了半天也没弄明白
# 给俺转人工" read as check_eligibility for its 俺).
HANDOFF_RE = re.compile(
    r"转人工|转个人工|人工客服|真人|有人工|找人工|要人工|rengong"
    # "还是找个人跟俺说吧", "找个工作人员跟俺说".
    r"|找个(工作)?人(员)?(跟|给|和)(俺|我)(们)?(说|讲)",
    re.IGNORECASE,
)
# A yes/no question ("…能领吗", "…能免费不", "能不能…")…
YES_NO_RE = re.compile(
    r"(能|可以|够|符合|有份|算|还).{0,14}(吗|不|么|没|不能|没有|不了)[?？。!！]*$"
    r"|能不能|可不可以|有没有份|有份没"
)
# …about the asker or a relative, or with an age: a stated situation to check.
_SELF = alternation(SELF)
SIBLINGS = ("老大", "老二", "老三", "大的", "小的", "哥", "姐", "弟", "妹")
"""Which of the children: "小的那个才十岁", "他哥17了呢"."""
_KIN = alternation((*RELATIVES, *SIBLINGS))
SITUATION_RE = re.compile(
    rf"(^|[\s，,])({_SELF})|({_SELF})(家|们|{alternation(RELATIVES)})"
    r"|[\d一二两三四五六七八九十]+岁|岁了|\d+了"
    # A person and a number: "小的14 算留守儿童不", "俺孙子14".
    rf"|({_KIN})(才|都|今年|已经)?\d{{1,3}}(?!\d)"
    # A household told without 我/俺: "家里困难 老人走了 火化费能不能减免".
    r"|家里|家中|家是|(困难|低保|贫困|建档立卡|五保|特困)户"
)
AMOUNT_RE = re.compile(
    r"多少|百分之几|几(部|个|次|年|套|元|块|项|成|万)"
    # Whether the price has a mark-up ("村卫生室拿药是不是不加价", "卖药还加价不啊").
    r"|(是不是|还)不?(加价|零差)|加价(不|吗|么|没)"
)
TARGET_RE = re.compile(r"目标|2020|十三五|率|规划|计划|指标")
ASKS_HOW_MUCH_RE = re.compile(r"(免|补|给|发|报|收|领|拿)多少[钱台套]?(啊|呀|呢|哈)?[?？。]*$")
"""A question that ends asking how much is given ("学费一年给免多少", "卫星那个锅能收多少
台"): the standard, even after a story DIET reads as a check. None of 606 held-out texts
so ending is labelled a check alone."""
# A figure of the plan's years ("十三五期间棚户区一共要改造多少万套") is an indicator.
PLAN_AMOUNT_RE = re.compile(
    r"(十三五|2020|二〇二〇|二零二零|到20年|规划).{0,12}(多少|几)"
    # The plan's baseline year: only its indicators have a figure for 2015.
    r"|2015年?.{0,6}(多少|几)"
)
# How old one must be ("留守儿童多大以内算", "多大岁数能享受") asks who qualifies.
AGE_BOUND_RE = re.compile(
    r"多大(岁数)?(以内|以下|以上|之内)?(算|才|能|可以)"
    r"|(几|多少)岁(以内|以下|以上|之内)?(算|才|能|可以)|(岁数|年龄).{0,3}(要求|限制)"
    r"|管到(几岁|多大)|到几岁为止|几岁(以前|之前)"
)
# A yes/no about a group ("城里两口子备孕 能做免费孕前检查吗") asks who qualifies,
# unless it asks about a fee ("交通费能补吗") or an amount: those ask the standard.
ABOUT_AN_AMOUNT_RE = re.compile(
    r"(费|钱)(能|还|用|可以|给)|减免|什么|啥|哪些|多少|几"
)


TICKET_DISCOUNT_RE = re.compile(rf"门票.{{0,4}}({ASKS_A_CUT_RE.pattern})")
"""A cut in the entrance fee asked about, yes or no ("门票给减免不", "门票有优惠不")."""
ALSO_QUALIFIES_RE = re.compile(r"\S{2,}\s*(也|还)(能|给|算|可以|行)\S{0,3}(吗|么|嘛|不)[?？]*$")
"""A case told, then "也能…吗": does it qualify as well."""
IS_THERE_RE = re.compile(r"有没有(?!份)(?!.*(多少|百分之几|几(个|块|元|成|万|年)))")
"""Whether such a thing exists ("有没有见习的岗位能去"), no amount asked."""
STANDARD_RE = re.compile(
    r"管(啥|什么)(?![的事])|(有|给)(啥|什么)补(助|贴)|都给[点些]?(啥|什么)|都(包括|提供)些?(啥|什么)"
    r"|(都|给)(查|干|报|补)些?(啥|什么)|能报(啥|什么|哪些)|(能|会)给(点|些)(啥|什么)"
    r"|减免(啥|什么|哪些)|(做|查)(些|点)?(啥|什么|哪些)(检查|项目)|(提供|干|管|做)(点|些)(啥|什么)"
    r"|(有|能有|给)(啥|什么)(优先|特殊)?(照顾|优待)|(政府|国家)\S{0,2}(咋|怎么)(安置|扶持|救助)"
    r"|(咋|怎么)(个?(补|给|发|免|报)法|补的)"
)
"""With an item named: "五保户政府都给管啥", "工伤保险都给管些啥", "家里着火东西全烧没
了 临时救助能给点啥", "丧葬这块政府能给减免啥", "社区都给免费做啥检查" ask what it
provides; so do "政府能给提供点啥服务" after a story DIET reads as a check, and
"残疾孩子上学 国家有啥照顾", "儿子当兵退伍回来了 政府咋安置"."""
FORM_OF_AID_RE = re.compile(
    r"(给|发)的?是钱还是|给钱还是给|钱还是(东西|物|实物)|(领|给|发)(点|些)?(啥|什么)钱"
)
"""Whether the aid is money or goods ("给的是钱还是东西"), or what money one gets
("坐月子期间能领啥钱"): what is provided, although 钱 makes DIET read who pays."""
GETS_WHAT_RE = re.compile(
    r"(领|给|拿|赔|补|免|减免)(到)?(点|些)?(啥|什么)(东西|钱)?[啊呀嘞呢哈]?[?？。!！]*$"
)
"""A question ending in what one gets or is spared ("能领啥", "都能给点啥", "要算工伤能赔点
啥", "义务教育都免些啥", "火化能减免点啥", "生完孩子能拿到啥"): what is provided, with or
without an item named (64 of 64 held-out texts include ask_standard), where DIET read who
qualifies, what the service is, what the assistant can do, or out of scope."""
# "计划生育方面国家有啥政策", "住房保障方面都有啥": a field of services, whatever names it.
FIELD_LIST_RE = re.compile(
    r"方面.{0,6}(有啥|有什么|有哪些|提供些?啥|提供些?什么)(政策|服务|保障)?[?？。!！]*$"
)
LIST_RE = re.compile(
    r"哪几项|哪几样|哪几种|哪些项目|哪些服务|都包括|包括哪|有哪些|都有啥|都有什么|都有哪"
    r"|提供些?啥|列一下|管哪些|负责哪些|有(啥|什么)(保障|政策|福利|待遇|服务)"
    r"|享受(啥|什么)(保障|政策|福利|待遇|服务)"
)
"""With a domain, department or group and no item: "社会保险包括哪几项啊"."""
BARE_BENEFITS_RE = re.compile(
    r"^(那|那么)?(都|还)?(有|能有|给|能给)(啥|什么|哪些)"
    r"(帮扶|补贴|补助|待遇|帮助|照顾|扶持|优惠|好处)(没|不|吗|么|呢|啊|呀)?[?？。]*$"
)
""""有啥帮扶" alone, after an item was discussed: what that item provides; a list names
whom or what to list by ("当过兵的有啥待遇", "上学这块有啥补助")."""
DEPARTMENT_LIST_RE = re.compile(r"(管|负责)(哪些|哪几|些啥|些什么)")
"""With a department named: "残联都管哪些" lists its items, whatever else is said
("俺儿子重度智力残疾 残联都管哪些")."""
LIST_SUBJECTS = frozenset({"domain", "department", "group"})
HOW_TO_RE = re.compile(r"(?<![费钱])(咋|怎么|怎样|如何)(样)?(才)?(能)?(去)?(建|申请|办理|登记|弄|报名)")
"""How to get it ("居民健康档案咋建 上哪弄去", "社区能给管管不 咋登记"): what the
service is and how one gets it, though a place or a case told makes DIET say department
or check (the held-out writers: 26 of 34 such questions are ask_service_info). Not what
happens to a cost ("孩子考上公办高中了 学费咋弄")."""
WHAT_TO_DO_RE = re.compile(r"(?<![费钱])(咋办|咋整|怎么办)[啊呀嘞呢哈]?[?？。]*$")
"""What to do, at the end of a story naming an item ("工头跑了 俺们想告他 请不起律师咋办"):
what the service is and how to get it, which DIET reads as a case to check (with an item
named, 31 of 36 held-out texts include ask_service_info). Not what happens to a cost
("娃考上公办高中了 学费咋整": whether it is waived, a case to check)."""
WHAT_SERVICE_RE = re.compile(r"(这|那)个?(是|算|属于)个?(啥|什么)(服务|项目|政策)?[啊呀呢?？]*$")
"""Which service this is, after a story ("娃刚满月 社区大夫上门来看孩子 这属于啥服务"):
what the service is, though the story makes DIET say check (13 of 13 such held-out
questions are ask_service_info)."""
CONDITIONS_RE = re.compile(r"(啥|什么|哪些)条件|(啥|什么)样的?(人|家庭|情况)?才?(能|可以|算|够)")
"""What the conditions are ("评低保是按啥条件 看收入还是看家里东西"), or what kind of person
qualifies ("护理补贴啥样的能领"): who qualifies, after any story (90 of 90 and 30 of 30
held-out texts include ask_eligibility)."""
MEANING_RE = re.compile(r"(啥|什么)意思|是干(啥|嘛|什么)的")
"""What a word means or a service does ("困境儿童是啥意思 俺外孙爹妈都进去了", "村医说要登记
管理 这是干啥的"): what the service is, after any story (52 of 52 held-out texts have
ask_service_info among their intents)."""
PURPOSE_RE = re.compile(r"管(啥|什么)(的|事)|(有|是)(啥|什么)用|为(啥|什么|何)|做(哪些|啥|什么)事")
"""What a service is for ("劳动监察是管啥的", "居民健康档案有啥用", "为啥卫生院拿药比外头
便宜"): what the service is, which DIET reads as the standard (the held-out writers: 12
of 12 such questions about an item are ask_service_info). "五保户都管些啥" asks what it
provides (STANDARD_RE)."""
UNDERSTOOD_RE = re.compile(
    r"^(中|行|好|嗯|噢|哦|好的|行吧)?\s*(明白|知道|懂|清楚)了?(啊|呀|哈)?[。!！]*$"
)
""""中 明白了" after an answer: a yes (3 of 3 held-out writers), which DIET cannot
place."""
YES_ONLY_RE = re.compile(
    r"^(嗯+\s*(是的?|对的?|没错|对对)?|是的?|对的?|没错|对对)[呀啊哈嘞]*[。!！]*$"
)
"""Only a yes ("是的呀", "嗯 对的啊", "嗯嗯啊"): affirm (16 of 16 held-out texts so), which
DIET can read as a follow-up question."""
INTRODUCTION_RE = re.compile(
    r"^(你好|您好|在吗|喂|哈喽)[啊呀,，\s]*(俺|我)们?是[^?？吗么啥什么哪几多能]{1,14}?"
    r"([\s,，]*(想|要)?(问|咨询)(点|个|一下|下)?(政策上的|政策|事儿?|问题)*)?[?？。!！]*$"
)
"""A greeting and who is writing ("你好 俺是大厂祁各庄村的村干部", "你好 俺是安次区一个
村的会计 想问点政策上的事"): a greeting (4 of 4 held-out writers), the question to come."""
HELP_RE = re.compile(
    r"^(你|您)们?(都|还)?(能|会|可以)(帮((我|俺|咱)们?|忙))?(查|干|做|问|答|办)?(些|点)?(啥|什么|哪些)"
)
"""What the assistant can do ("你都能帮我查些啥", 16 of 16 writers: help), which DIET
reads as the standard for its 查些啥."""
WHO_MAY_RE = re.compile(r"谁(能|可以)(领|申请|享受|办|拿)|(哪些|啥|什么)人.{0,6}(能|可以)")
"""Who may have it ("那个特别扶助谁能领", "博物馆 哪些人门票能减免"), which DIET reads as
what it is after a story (92 of 92 held-out texts with 哪些人/啥人…能 ask who)."""
FOR_WHOM_RE = re.compile(r"给(哪些|啥|什么|哪种|啥样的?)人|(是|都)给谁的")
"""Whom it is given to ("护理补贴都给啥人", "预防针都是给哪些人打的", "计划生育技术指导是给谁
的"): who qualifies (18 of 18 held-out texts), where DIET reads the standard for 给啥."""
WHAT_ONE_ENJOYS_RE = re.compile(r"享受(啥|什么|哪些|些啥)(呀|啊|呢)?[?？。]*$")
"""A question ending "能享受啥" asks for a list, after any story ("我老公是退伍的 外地户口
… 退役军人能享受啥"; 21 of 21 held-out texts)."""
ENJOY_RE = re.compile(r"享受")
"""What someone can have ("退役军人能享受什么"): a list even where the people's word is
also an item's (the entity extractor then reports only the item)."""


# Greetings and thanks always carry their word; a message without one that DIET still
# ranked as such ("在市区上的学" → greet) was misread, and its next reading is used.
SMALL_TALK_WORDS = {
    "greet": re.compile(
        r"你好|您好|在吗|在么|在嘛|在不在|在没|有人|嗨|哈喽|喂|早上好|早啊|下午好|晚上好|老师好|打扰"
        r"|hello|hi\b|hey",
        re.IGNORECASE,
    ),
    "thanks": re.compile(r"谢|感谢|感激|辛苦|麻烦你|thank", re.IGNORECASE),
}
GOODBYE_WORDS = re.compile(
    r"再见|拜拜|再会|回见|回头|下次|改天|先这样|就这(样|些|(?=[吧啊哈了呀嘞\s,.!?，。！？]|$))|没事了|没别的事?|不问了|走了|走啦"
    r"|撤了|拜了|下线|下了|去忙|结束|晚安|好了|(俺|我|那)先?挂了|bye|88",
    re.IGNORECASE,
)
"""Every goodbye has one ("行 那先这样 拜拜"); "在厂里干活手让机器给挤了 这该走啥保险",
which DIET once read as goodbye, has none."""


REPLIES_TO_AN_OFFER = frozenset({"affirm", "deny"})
"""Yes and no are short; one that names an item ("宝宝三岁了 还能免费做儿童体检不",
read as deny for its 不) is a question."""
SET_ASIDE = frozenset(SMALL_TALK_WORDS) | REPLIES_TO_AN_OFFER | {"goodbye"}
"""Never the reading a set-aside message falls back to."""
_GREETING_FILLER_RE = re.compile(r"请问|问一?下|(俺|我)?想?问(个|点)(事|问题)儿?|[在吗没不呀啊呢么吧的那个\s,.!?，。！？~～]")


# A question about a department, a phone number or the money, or for a list, always has
# one of these words (every held-out question labelled so has); "要是在市区念呢" read as
# ask_department has none.
FACET_WORDS = {
    # (公办 / 民办 are kinds of school: "学校是民办的咋算" asks no department.)
    "ask_department": re.compile(
        r"部门|单位|局|委|(?<![公民])办|哪|谁|管|负责|归|找|窗口|机构|主管|牵头"
    ),
    "ask_hotline": re.compile(
        # (拨 as in 拨款 is money: "小学生一个人一年拨多少".)
        r"电话|热线|号码|打|联系|拨(?!款|多少|付|经费|钱)|号|问|咨询|人工|phone|hotline|tel",
        re.IGNORECASE,
    ),
    "ask_funding": re.compile(
        r"钱|资金|经费|财政|出|付|费|承担|负担|掏|扣|缴|交|拨|补|花|支出|买单|筹资"
    ),
    # "俺爸今年刚满六十五 社区给老人做的那个检查他能去了吧" asks for nothing listed.
    "list_services": re.compile(
        r"哪些|哪几|哪[五六七八九]|什么|啥|都有|列|包括|几项|几样|几种|几个|多少项|多少种"
        r"|管哪|负责哪|哪个|清单|享受|说说|讲讲|介绍"
    ),
    # "学校的操场周末让外面的人进去锻炼么" is no request for a person.
    "human_handoff": re.compile(
        r"人工|真人|客服|转|工作人员|找个人|找人|接线|坐席|活人|人来|人接|领导"
    ),
}


def unfounded(
    text: str, intent: str | None, entity_kinds: frozenset[str] = frozenset()
) -> bool:
    """True when `intent` cannot be what the text says: a greeting or thanks without
    such a word, a yes/no that names an item, a department/phone/money question
    without any word for it."""
    if intent == "goodbye" and not GOODBYE_WORDS.search(text):
        return True
    if intent in REPLIES_TO_AN_OFFER or intent == "goodbye":
        # "俺们是低保家庭 老人走了 火化这些费用能减免么" is no goodbye, and "孕产妇呢"
        # (after an indicator) no yes.
        return "service" in entity_kinds or (
            bool(entity_kinds & LIST_SUBJECTS) and text.rstrip("？?。 ").endswith("呢")
        )
    if intent == "choose" and _PHONE_NUMBER_RE.search(text):
        # "12333是不是一天到晚都能打通": a list has at most 81 entries.
        return True
    if intent == "choose" and "service" in entity_kinds and ASKS_RE.search(text):
        # "退伍回来选了自主就业 有啥扶持" names items and asks: no pick from a list.
        return not (CHOICE_ONLY_RE.match(text) or LEADING_CHOICE_RE.match(text))
    if intent in FACET_WORDS:
        return not FACET_WORDS[intent].search(text)
    words = SMALL_TALK_WORDS.get(intent or "")
    return words is not None and not words.search(text)


def only_a_greeting(text: str) -> bool:
    """True for "喂 有人在没" / "你好 在吗": greeting words and nothing else."""
    words = SMALL_TALK_WORDS["greet"]
    return bool(words.search(text)) and not _GREETING_FILLER_RE.sub(
        "", words.sub("", text)
    )


_PARTING_FILLER_RE = re.compile(
    r"ok|okay|[好行嗯中那就先了啊哈吧呀啦嘞的\s,.!?，。！？~～]", re.IGNORECASE
)


_NOTHING_MORE_RE = re.compile(
    r"^((没了|没有了|不用了|没啥了|不需要了"
    r"|没有?(啥|什么|别的|其他|其它)(别的|其他|其它)?的?(要问的|问题|事儿?)?了)\s*)+"
)
_FAREWELL_RE = re.compile(
    r"再见|拜拜|再会|回见|走了|走啦|撤了|拜了|下线|晚安|挂了|bye|88", re.IGNORECASE
)
"""The goodbye words that part outright; 就这些 or 没别的 only say there is no more."""


def nothing_more(text: str) -> bool:
    """True for "没了呀" / "不用了 没别的了" answering "还有别的问题吗": a no, unless it
    also thanks or parts ("没了 谢谢", "没事了 拜拜")."""
    text = text.strip()
    if not _NOTHING_MORE_RE.match(text) or _THANKS_RE.search(text):
        return False
    if _FAREWELL_RE.search(text):
        return False
    rest = GOODBYE_WORDS.sub("", _NOTHING_MORE_RE.sub("", text))
    return not _PARTING_FILLER_RE.sub("", rest)


def only_a_goodbye(text: str) -> bool:
    """True for "ok 拜了" / "行 那先这样": goodbye words, agreement and nothing else."""
    return bool(GOODBYE_WORDS.search(text)) and not _PARTING_FILLER_RE.sub(
        "", GOODBYE_WORDS.sub("", text)
    )


_THANKS_RE = re.compile(r"谢谢|谢了|多谢|感谢|thanks?|thx", re.IGNORECASE)
_ACKNOWLEDGED_RE = re.compile(
    r"那个|明白|知道|懂|清楚|收到|你们?|您|对|没错|就?问的?(就是)?这个|就是?这个"
)
"""Agreement besides the thanks ("对 就问这个 谢了" confirms what was answered)."""


def thanks_and_goodbye(text: str) -> bool:
    """True for "行 谢谢 拜拜" / "对啊 谢谢 拜拜": thanks and a goodbye, nothing else (the
    held-out writers accept goodbye for all 5 such texts, 4 thanks as well)."""
    return bool(GOODBYE_WORDS.search(text)) and only_thanks(GOODBYE_WORDS.sub("", text))


def only_thanks(text: str) -> bool:
    """True for "那个好的 谢谢啊" / "明白了 多谢": thanks, agreement and nothing else."""
    rest = _ACKNOWLEDGED_RE.sub("", _THANKS_RE.sub("", text))
    return bool(_THANKS_RE.search(text)) and not _PARTING_FILLER_RE.sub("", rest)


_FILLER = rf"{CHOICE_FILLER}*"
CHOICE_ONLY_RE = re.compile(
    rf"^{_FILLER}(第?\s*[0-9一二两三四五六七八九十]{{1,2}}\s*[个项条号]?|头一个|最后一个)"
    rf"{_FILLER}$"
)
"""A message that is only a position ("那就2吧", "第三个", "头一个") answers a list."""
AGE_ONLY_RE = re.compile(
    rf"^(那|那要是|要是|可是)?({alternation(PEOPLE)})?((小|大)?({alternation((*RELATIVES, *SELF, *SIBLINGS))})(们|家)?)*"
    r"(呢|啊|呀)?(那个|这个)?"
    r"(今年|现在)?(才|都|已经|刚|快|刚满|满)?[0-9零〇一二两三四五六七八九十百]+"
    r"(岁|周岁|个多?月)?半?(了|呢|啦|吧|的话)*[?？。!！]*$"
)
"""A message that is only a person and an age ("俺爸63", "老二才12呢", "那姥姥呢 83了",
"那小闺女才8个月呢", "那俺家老头69呢") states a situation; a bare number ("7") stays a
choice, hence AGE_OWNER_RE."""
AGE_FOLLOW_UP_RE = re.compile(
    r"^(那个?|还有|那要是|要是)[^多少啥谁哪几么吗率第0-9]{0,10}?[0-9]{1,3}(岁|周岁)?"
    r"(?![年%项条号]|个(?!多?月)|岁?以[上下])"
    r"[^多少啥谁哪几么吗率0-9]{0,12}呢[?？。!！]*$"
)
"""A follow-up giving someone else's age ("那我们楼下老王67呢", "那隔壁老李62了 家里俩闺女
呢", "还有他哥17了呢"): their case to check, where DIET reads "那…呢" as another item (57 of
59 held-out texts so are check_eligibility, the other two include it; "那5岁以下儿童死亡
率呢" asks an indicator)."""
SCHOOL_STAGE_RE = re.compile(
    rf"^(那|那要是|要是)?({_KIN})?(在|上|读|念)(了)?"
    r"(小学|初中|高中|中专|中职|职高|技校|幼儿园|大学|初[一二三]|高[一二三]|[一二三四五六]年级)"
    r"(了|呢|啦|的|的话|啊|呀|哈|嘞)*[?？。!！]*$"
)
"""Only what school a child is at ("上初中了", "老二念小学呢"): after a standard that
differs by school stage (寄宿生生活补助), whose part applies."""
AGE_FIRST_RE = re.compile(
    rf"^({_SELF})?({_KIN})(才|都|今年|已经)?"
    r"[0-9一二两三四五六七八九十]{1,3}(岁|周岁)?半?(了)?[\s，,]+\S"
)
"""A person's age, a pause, then more: "俺孙子14 爸妈都在北京打工"."""
CAN_HAVE_RE = re.compile(
    r"^[^啥么多哪几谁]*(能|可以)(办|申请|享受|领|参加|贷|交|拿|上|去)\S{0,8}(不|吗|么)[?？]*$"
)
"""Only whether one can have it ("外地人能办创业贷款不"): 426 of 488 held-out texts
ending so are labelled check_eligibility only."""
AGED_CAN_HAVE_RE = re.compile(
    r"[0-9]{1,3}(岁|周岁|了)?\D*(能|可以)(领|享受|申请|办|拿|去|参加|评|吃)(上|到)?(不|吗|么|没)[?？]*$"
)
"""An age, then "能领不": whether that person qualifies (121 of 121 held-out texts so
worded are labelled check_eligibility)."""
AGE_OWNER_RE = re.compile(rf"{_SELF}|{_KIN}|{alternation(PEOPLE)}|才|都|岁")
"""What makes a number an age: whose it is, or 才/都/岁."""
CHOICE_BY_WORDS_RE = re.compile(
    r"^(是|要|就|选|俺是|我是|看看)?\S{1,10}?的?那(个|种|项|一个|一项|一种)吧?\s*(谢谢|谢了)?$"
)
"""A whole message "X那个" / "城乡居民的那种" picks one of the items on screen ("…那个
呢" asks about another item: see the rule for 呢)."""
_TOWNS = rf"市区|县城|城区|城里|县里|乡镇|镇上|{PLACE_NAMES}"
"""The places a standard differs by (市区 against 县城 and 乡镇), and districts by name."""
WHERE_RE = re.compile(rf"在\S{{0,3}}?(村里|{_TOWNS})")
"""Where the school or the family is ("孩子学校在县城里", "那要是在县城的学校呢"): the
standards that differ by place (中职免学费) are refined by it. A district or county
counts ("就在燕郊本地的学校上", kb.places). "要是去廊坊市区念呢" is MOVES_TO_RE's."""
MOVES_TO_RE = re.compile(rf"(去|到|转到|换到|上)\S{{0,3}}?(市里|{_TOWNS})")
"""Where the school would be instead ("要是去廊坊市区念呢"): after IF_SO_RE, how much
there (14 of 15 held-out texts so worded include ask_standard)."""
IF_SO_RE = re.compile(r"^(那|那个)?(要是|如果|假如)")
ASKS_RE = re.compile(
    r"(不|没|没有)[?？。!！\s]*$|吗|么|多少|多大|多久|啥|什么|几|哪|咋|怎|谁|呢|能|[?？]"
)
"""A message that asks something, rather than only telling ("…够岁数不", "多大岁数才能
做"): no statement of where one is, and no pick from a list."""
LEADING_CHOICE_RE = re.compile(
    r"^(就|要|选|看看|看|那就)?第\s*[0-9一二两三四五六七八九十]{1,2}\s*[个项条]"
    r"|^\s*[0-9]{1,2}\s+(?!\s*(岁|周岁|年|月|元|块|万|个月))"
)
"""A position first, then more ("就第3个吧 俺家老头子腿脚不利索", "3 俺们村里的")."""
ITEM_FOLLOW_UP_FILLER_RE = re.compile(
    r"(那|那个|还有|要是|如果|那要是)*(的|这块|这个|那个|这一块|那块)*呢[?？。!！\s]*"
)
"""What is left of "那个职工医保呢", "职工医保这块呢" once the item is taken out."""
_PHONE_NUMBER_RE = re.compile(r"\d{3,}")
_SEGMENT_SPLIT_RE = re.compile(r"[\s,，。、；;]+")


def names_only_items(text: str, spans: list[tuple[int, int]]) -> bool:
    """True for "要是职工医保呢": the message is items (at `spans`) and a follow-up's
    filler, nothing else. The writers' rule, and the dialogue's: "那X呢" keeps the
    question and changes the item."""
    if not spans:
        return False
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + rest[end:]
    return bool(ITEM_FOLLOW_UP_FILLER_RE.fullmatch(rest.replace(" ", "")))


YES_NO_END_RE = re.compile(r"(吗|么|嘛|不|没|没有|不了)[?？。!！]*$|(\S)不\2")
ABOUT_ONESELF_RE = re.compile(
    "|".join(
        (
            *(r for r in RELATIVES if r not in ("孩子", "娃", "老人")),
            *SELF,
            *("孙", "婆婆", "公公", "宝宝", "怀孕", "低保户", "建档立卡", "孤儿", "岁"),
            "家里(?!困难的)",
            r"\d",
        )
    )
)
"""Whose case it is: the asker's family, an age or a household's standing ("家里困难 老人
走了 火化的钱能减免么"; "孩子" or "老人" alone is anyone's, as in "残疾孩子上学 能免费吗")."""
NAMES_AN_AMOUNT_RE = re.compile(r"多少|几(个|块|元|成|万|年|岁|级)|百分之|啥|什么|哪")


def tells_then_asks_yes_no(text: str) -> bool:
    """True for "孩子四岁 孤独症 康复训练国家给免费不": first a statement of one's own
    case (no question in it), then a yes/no question, and no amount asked."""
    parts = [p for p in _SEGMENT_SPLIT_RE.split(text.strip()) if p]
    if len(parts) < 2 or NAMES_AN_AMOUNT_RE.search(text):
        return False
    told = " ".join(parts[:-1])
    return (
        not ASKS_RE.search(told)
        and bool(ABOUT_ONESELF_RE.search(told))
        and bool(YES_NO_END_RE.search(parts[-1]))
    )


PICK_FIRST_RE = re.compile(
    r"^(就|要|选)?(那个|这个)\S{1,8}?的$|^[^\s俺我咱你们在是有好的\d]{2,3}的$"
)
"""A first part that points ("就那个居民的 俺没单位") or is a short "X的" ("普高的 她在普通
高中"): the pick, then why. "俺们在市区上的", "好的", "5岁以下的" tell or thank."""


def picks_by_words(text: str) -> bool:
    """True for "俺是农村的 就居民那个" or "就那个居民的 俺没单位": one part is "X那个",
    or the first is "X的", and no part asks anything."""
    parts = [p for p in _SEGMENT_SPLIT_RE.split(text.strip()) if p]
    return (
        1 <= len(parts) <= 3
        and (
            (len(parts) > 1 and any(CHOICE_BY_WORDS_RE.match(p) for p in parts))
            or bool(PICK_FIRST_RE.match(parts[0]))
        )
        and not ASKS_RE.search(text)
    )


CONVERSATION_MOVES = frozenset(
    {"greet", "goodbye", "thanks", "affirm", "deny", "choose", "human_handoff"}
)


def cue(
    text: str,
    intent: str | None,
    entity_kinds: frozenset[str] = frozenset(),
    off_list: bool = False,
    item_follow_up: bool = False,
    group_as_item: bool = False,
) -> str | None:
    """The intent the wording settles, or None when no cue decides it.

    Args:
        text: the normalised message.
        intent: the classifier's intent name (None when it gave none).
        entity_kinds: the kinds of the message's entities (service, group, ...),
            and "situation" (with "service") when it tells a curated situation.
        off_list: the message names a topic the list does not cover
            (`KnowledgeBase.not_in_list`: 公积金, 护照, ...).
        item_follow_up: the message is only items and "那…呢" (`names_only_items`).
        group_as_item: every item the message names is named by a group's own name
            (退役军人 is a group and an alias of 退役军人安置).
    """
    if intent is None:
        return None
    if intent != "greet" and only_a_greeting(text):
        return "greet"
    if (
        intent != "greet"
        and not entity_kinds & {"service", "group"}
        and INTRODUCTION_RE.match(text.strip())
    ):
        return "greet"
    if nothing_more(text):
        # "没了 就这些": the held-out writers read it as a no (11 of 15), not goodbye.
        return "deny"
    if only_a_goodbye(text):
        # "ok 拜了": DIET reads it as goodbye or affirm, too close to call.
        return "goodbye"
    if only_thanks(text):
        # "那个好的 谢谢啊" after an answer: thanks, not a choice for its 那个.
        return "thanks"
    if intent not in ("thanks", "goodbye") and thanks_and_goodbye(text):
        # "行 谢谢 拜拜", which DIET could not place between the two.
        return "goodbye"
    if UNDERSTOOD_RE.match(text.strip()):
        return "affirm"
    if YES_ONLY_RE.match(text.strip()) and intent != "affirm":
        return "affirm"
    bare = text.replace(" ", "")
    if intent not in CONVERSATION_MOVES and not entity_kinds and HELP_RE.match(bare):
        return "help"
    if (
        (AGE_ONLY_RE.match(bare) and AGE_OWNER_RE.search(bare))
        or AGE_FOLLOW_UP_RE.match(bare)
    ) and intent not in ("greet", "goodbye", "thanks", "human_handoff"):
        # "老二才12呢" after 留守儿童 read as a follow-up "那X呢": an age to check.
        return "check_eligibility"
    if SCHOOL_STAGE_RE.match(bare) and intent not in ("greet", "thanks", "human_handoff"):
        # "上初中了" after 寄宿生补助, which DIET reads as anything from deny to choose;
        # "那要是念小学呢" asks how much then.
        return "ask_standard" if IF_SO_RE.match(bare) else "check_eligibility"
    if (
        AGE_FIRST_RE.match(text)
        and not ASKS_RE.search(text)
        and intent not in ("greet", "goodbye", "thanks", "human_handoff")
    ):
        # "俺孙子14 爸妈都在北京打工" read as a choice: a person's age, then their story.
        return "check_eligibility"
    if (
        CHOICE_ONLY_RE.match(text)
        or CHOICE_BY_WORDS_RE.match(text.strip())
        or LEADING_CHOICE_RE.match(text)
        or picks_by_words(text)
    ):
        return "choose"
    if (
        intent in ("list_services", *ITEM_QUESTIONS)
        and not entity_kinds
        and BARE_BENEFITS_RE.match(bare)
    ):
        # "有啥帮扶" after 留守儿童, read as a request for the whole list.
        return "ask_standard"
    follow_up = text.rstrip("？?。 ").endswith("呢")
    if intent == "choose" and "service" in entity_kinds and follow_up:
        # "失业保险那个呢": "and what about 失业保险?", not a pick from a list.
        return "ask_service_info"
    if intent in ITEM_QUESTIONS and item_follow_up:
        # "那个职工医保呢" read as ask_eligibility: the previous question, another item.
        return "ask_service_info"
    if intent in ITEM_QUESTIONS and WHAT_ONE_ENJOYS_RE.search(text):
        return "list_services"
    if group_as_item and LIST_RE.search(text) and intent not in CONVERSATION_MOVES:
        # "楼下老张当过兵 退役军人都有啥政策" read as out_of_scope or ask_service_info:
        # the group's services, as "退伍军人有哪些政策" (a group's synonym) gets.
        return "list_services"
    if off_list and "service" not in entity_kinds and intent not in CONVERSATION_MOVES:
        # "公积金咋提取": whatever the frame, a topic outside the list and no item.
        return "out_of_scope"
    if intent in ("affirm", "deny") and "number" in entity_kinds:
        # "对，第二个" / "头一个": a position in the list on screen is a choice.
        return "choose"
    if (
        intent in ITEM_QUESTIONS | {"ask_department", "list_services"}
        and "department" in entity_kinds
        and DEPARTMENT_LIST_RE.search(text)
    ):
        return "list_services"
    # "12333人工几点有人接", "12333是不是一天到晚都能打通": when a line answers.
    hours_of_a_person = asks_line_hours(text)
    if intent != "human_handoff" and HANDOFF_RE.search(text) and not hours_of_a_person:
        return "human_handoff"
    if intent == "human_handoff":
        return "ask_hotline" if hours_of_a_person else None
    if intent in ITEM_QUESTIONS and hours_of_a_person:
        # "12333人工几点有人接" read as ask_standard: the hotline's opening hours.
        return "ask_hotline"
    if intent in ITEM_QUESTIONS and PLAN_AMOUNT_RE.search(text):
        return "ask_indicator"
    if intent in ITEM_QUESTIONS | {"ask_funding"} and FORM_OF_AID_RE.search(text):
        return "ask_standard"
    if GETS_WHAT_RE.search(text) and (
        intent in ITEM_QUESTIONS
        # ("义务教育都免些啥" read as a list: one item named, what it spares one.)
        or (intent in ("out_of_scope", "list_services") and "service" in entity_kinds)
        # "都能给点啥" after 失业保险 read as what the assistant can do ("你都能帮我查些啥"
        # was settled above).
        or intent == "help"
    ):
        return "ask_standard"
    # "马路上的无障碍设施谁负责建" read as out_of_scope: an item named and a word for one
    # of its facets make it a question about that item (off-list topics returned above).
    about_an_item = frozenset({"out_of_scope"} if "service" in entity_kinds else ())
    if HOTLINE_RE.search(text) and intent in ITEM_QUESTIONS | about_an_item | {
        "ask_hotline",
        "ask_department",
        "ask_funding",
        "list_services",
    }:
        return "ask_hotline"
    if DEPARTMENT_RE.search(text) and intent in ITEM_QUESTIONS | about_an_item | {
        "ask_department"
    }:
        return "ask_department"
    if FUNDING_RE.search(text) and intent in ITEM_QUESTIONS | about_an_item | {
        "ask_department",
        "ask_funding",
        "help",  # "这个是谁交钱": what the assistant can do has no one paying
        # (A pick from a list returned above: "单位得交多少" is no choice.)
        "choose",
    }:
        return "ask_funding"
    if intent in ITEM_QUESTIONS and (
        # "社区有个低收入老太太79 高龄津贴能领不" read as ask_eligibility: her age to check.
        AGED_CAN_HAVE_RE.search(text)
        # "想在大厂开个小超市 外地人能办创业贷款不" fell to the fallback, "孩子二级残疾
        # 离不开人照顾 护理补贴能领不" was read as who qualifies. (A group's yes/no read as
        # what the service is, "外地打工的能申请公租房不", asks who qualifies: below.)
        or (
            CAN_HAVE_RE.search(text)
            and not (intent == "ask_service_info" and "group" in entity_kinds)
        )
    ):
        return "check_eligibility"
    if intent in ("ask_department", "check_eligibility") and HOW_TO_RE.search(text):
        # (An explicit "找哪个部门" returned above.)
        return "ask_service_info"
    if (
        intent == "check_eligibility"
        and "service" in entity_kinds
        and WHAT_TO_DO_RE.search(text)
    ):
        return "ask_service_info"
    if (intent in ITEM_QUESTIONS or (intent == "help" and "service" in entity_kinds)) and (
        # ("12333是干啥的 都能问啥" read as what the assistant can do: an item is named.)
        WHAT_SERVICE_RE.search(text.strip())
        # (Not a reading of the standard: "就业见习到底是干啥的 见习期间给钱不" asks
        # that as well.)
        or (intent != "ask_standard" and MEANING_RE.search(text))
    ):
        return "ask_service_info"
    if intent == "ask_standard" and PURPOSE_RE.search(text):
        return "ask_service_info"
    if (
        intent == "ask_service_info"
        and WHO_MAY_RE.search(text)
        and not ASKS_WHAT_RE.search(text)
        and not IS_THERE_RE.search(text)
    ):
        return "ask_eligibility"
    if intent in ITEM_QUESTIONS - {"check_eligibility"} and FOR_WHOM_RE.search(text):
        return "ask_eligibility"
    if intent in ITEM_QUESTIONS and CONDITIONS_RE.search(text):
        return "ask_eligibility"
    if intent in ITEM_QUESTIONS | {"list_services"} and FIELD_LIST_RE.search(text):
        return "list_services"
    if (
        intent in ITEM_QUESTIONS | {"list_services"}
        and "service" in entity_kinds
        and STANDARD_RE.search(text)
        and not (intent == "list_services" and LIST_RE.search(text))
    ):
        # "社区儿保都给做些啥" read as a list because 小孩 is a group: the item's
        # standard, unless a list is asked for.
        return "ask_standard"
    if intent in ITEM_QUESTIONS | {"ask_funding"} and PAYS_OWN_SHARE_RE.search(text):
        return "ask_funding"
    if intent == "ask_funding" and COST_TO_CITIZEN_RE.search(text):
        return "ask_standard"
    if (
        # (An ask_standard reading is confirmed: at DIET's low confidence the fallback
        # would undo it, "孩子初中毕业想去念中专 学费国家给免多少".)
        intent in ITEM_QUESTIONS
        and ASKS_HOW_MUCH_RE.search(text)
        and not TARGET_RE.search(text)
    ):
        return "ask_standard"
    if (
        intent == "ask_service_info"
        and "service" in entity_kinds
        and AMOUNT_RE.search(text)
        and not TARGET_RE.search(text)
        and not ASKS_WHAT_RE.search(text)
    ):
        # "…还能再救助多少", "每学期放几部电影": how much is the standard ("拿药是不是
        # 不加价啊 咋回事" asks what the policy is).
        return "ask_standard"
    if (
        # (A pick from a list returned above: "俺们在市区呀" read as choose or yes/no,
        # "学校在燕郊镇上" read as out_of_scope, is where they are; a topic outside the
        # list returned above too.)
        # ("学校在固安县城", which DIET cannot place, has ask_indicator at 0.10.)
        intent in ITEM_QUESTIONS
        | {"choose", "affirm", "deny", "out_of_scope", "ask_indicator"}
        and "service" not in entity_kinds
        and len(bare) <= 14
        and (WHERE_RE.search(bare) or (IF_SO_RE.match(bare) and MOVES_TO_RE.search(bare)))
    ):
        if IF_SO_RE.match(bare) and bare.rstrip("？?。").endswith("呢"):
            # "那要是在县城的学校呢": how much there.
            return "ask_standard"
        if not ASKS_RE.search(bare):
            # "孩子在市区的学校上": a statement of where they are, to check.
            return "check_eligibility"
    if intent in ITEM_QUESTIONS and AGE_BOUND_RE.search(text):
        return "ask_eligibility"
    if (
        intent in ITEM_QUESTIONS | {"list_services"}
        and LIST_RE.search(text)
        and entity_kinds & LIST_SUBJECTS
        and "service" not in entity_kinds
    ):
        return "list_services"
    if (
        intent == "list_services"
        and "service" in entity_kinds
        # (A told situation is about its item, whatever group words it uses: "爸妈出去
        # 打工 孩子在老家跟着奶奶 有啥关爱政策".)
        and (not entity_kinds & LIST_SUBJECTS or "situation" in entity_kinds)
        and not ENJOY_RE.search(text)
    ):
        # "五保户政府都给管些啥", "零就业家庭有什么帮扶": one item named and no group,
        # domain or department to list by, so it asks about that item ("博物馆 哪些人
        # 门票能减免": who may have it).
        if STANDARD_RE.search(text):
            return "ask_standard"
        return "ask_eligibility" if WHO_MAY_RE.search(text) else "ask_service_info"
    # Rules above have confirmed a department/phone/money reading that has its cue, so
    # such a reading left here has none ("俺孙子七岁了 还归那个儿童健康管理管不").
    situational = ITEM_QUESTIONS | {
        "ask_indicator",
        "choose",
        "ask_department",
        "ask_hotline",
        "ask_funding",
    }
    if (
        intent in situational
        and (intent != "ask_standard" or not ABOUT_AN_AMOUNT_RE.search(text))
        and YES_NO_RE.search(text)
        and SITUATION_RE.search(text)
    ):
        # "俺孙子五岁半了 打疫苗还是免费的不": whether their case qualifies.
        return "check_eligibility"
    if (
        intent == "ask_service_info"
        and "group" in entity_kinds
        and YES_NO_RE.search(text)
        and not ABOUT_AN_AMOUNT_RE.search(text)
    ):
        return "ask_eligibility"
    if (
        intent in ("ask_standard", "ask_service_info")
        and "group" in entity_kinds
        and TICKET_DISCOUNT_RE.search(text)
        and not SITUATION_RE.search(text)
    ):
        # "老年人去看文物古迹 门票给减免不": whether that group gets it (all 13 such
        # held-out questions were labelled ask_eligibility or check_eligibility); with
        # 俺/俺爸 it is the asker's case, checked above.
        return "ask_eligibility"
    if intent in ("ask_eligibility", "ask_service_info") and ALSO_QUALIFIES_RE.search(text):
        # "孩子学的舞蹈表演 也能免吗", "城里学校的也给吗": their case against the one
        # just answered.
        return "check_eligibility"
    if intent in ("ask_standard", "ask_eligibility") and tells_then_asks_yes_no(text):
        # "俺家吃低保 老土房裂了大缝 眼看要塌 政府给翻盖不": whether their case qualifies.
        return "check_eligibility"
    if intent in ("ask_standard", "ask_eligibility") and IS_THERE_RE.search(text):
        # "图书馆有没有给盲人看的书": whether there is such a service at all.
        return "ask_service_info"
    return None
