"""Is this an investment-news article at all (a signing, start, production, or tally of projects)?"""

from __future__ import annotations

import re

# Event words that only investment-project news uses.
_EVENT = re.compile(r"签约|开工|动工|投产|竣工|落户|封顶|集中|试产|达产|落地|建成|揭牌|奠基|施工|投资|开建|破土")
# Project-ish nouns.
_PROJECT = re.compile(r"项目|基地|产业园|工程")


def is_investment_article(work: str) -> bool:
    """True when the text speaks of projects and of at least one project event.

    >>> is_investment_article("会议强调，要持续优化营商环境。")
    False
    >>> is_investment_article("投资100亿元的隆基项目上台签约。")
    True
    """
    return bool(_PROJECT.search(work)) and bool(_EVENT.search(work))


# A headline announcing a plan or a list (2022年重大建设项目清单 / 发布2018年重点建设项目计划 / 将推动一批重大工程落地).
_PLAN_TITLE = re.compile(r"(?:项目|工程|項目)(?:清单|名单|名錄|名录|计划|計劃|投资计划|计划表|安排的通知)|发布[^\n]{0,20}计划|将(?:推动|实施|谋划|建设)|力争|拟")
# …or whose lead reports that such a plan or list was released (日前,省发改委发布《2020年重点建设项目计划》).
_PLAN_RELEASED = re.compile(r"(?:发布|印发|公布|下达|出炉)(?:了)?《[^》]{0,40}(?:计划|計劃|清单|名单|名录)》"
                            # …or without a document title (我市2021年市级重大项目已公布,其中…)
                            r"|(?:重大|重点)[^\n,。;]{0,8}项目(?:名单|清单|计划)?(?:已|正式)?(?:公布|印发|下达|出炉)"
                            # 《…关于2015年省重点建设项目安排的通知》文件下发: the document first, then the verb
                            r"|《[^》]{0,60}(?:计划|清单|名单|名录|安排)[^》]{0,6}》(?:文件)?(?:下发|印发|发布|出台|公布)")
# …unless the article also reports an event that happened (a ceremony or a signing or start held).
_HELD_EVENT = re.compile(r"仪式|儀式|(?<![将要拟])(?:举行|舉行|举办)(?![好])|现场签约")
# A tally of projects that did start or sign (…第一批…项目已全部开工 / 集中开工项目…) may stand in a plan article.
_TALLY_EVENT = re.compile(r"集中签约|集中开工|集中開工|集中簽約|已全部开工|已全部開工")


def is_plan_article(work: str) -> bool:
    """An article whose headline announces a plan or a project list, with no event held: its projects are
    planned, not reported (issue 10: annual key-project lists are negatives).

    >>> is_plan_article("2022年上海市重大建设项目清单\\n1 上海光源二期")
    True
    >>> is_plan_article("我省发布2018年重点建设项目计划\\n续建项目207个")
    True
    >>> is_plan_article("重庆市级重大项目共894个\\n记者获悉,我市2021年市级重大项目已公布,其中…")
    True
    >>> is_plan_article("江门重大项目集中签约\\n当天举行签约仪式")
    False
    """
    title, _, body = work.partition("\n")
    lead = body.lstrip()[:200].split("。", 1)[0]
    announced = bool(_PLAN_TITLE.search(title[:60])) or bool(_PLAN_RELEASED.search(lead))
    return bool(body) and announced and not _HELD_EVENT.search(work)


def plan_keeps_tallies(work: str) -> bool:
    """A plan article that also reports a start or signing tally keeps its batches (not its projects)."""
    return bool(_TALLY_EVENT.search(work))
