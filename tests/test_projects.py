"""Project identity in storage (SQLite and PostgreSQL): one project across months of news, overrides that
survive re-parsing, near-duplicate articles and updated versions that never double-count."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from parsers.model import ArticleFacts, Milestone, Project
from storage import projects, repo
from storage.db import transaction
from storage.models import Article, Mention
from storage.models import Project as ProjectRow

ZC = "中创新航科技股份有限公司"
JAN = ArticleFacts(projects=(
    Project(name="中创新航动力电池及储能系统江门基地项目", investor=ZC, amount_yuan=20_000_000_000,
            amount_qualifier="exact", stage="signed", stage_date="2022-01-26", location="新会区"),
    Project(name="崇辉集成电路材料制造及封测总部项目", amount_yuan=1_000_000_000, stage="started", stage_date="2022-01"),
))
MAR = ArticleFacts(projects=(
    Project(name="中创新航50GWh动力电池及储能系统江门基地项目", aliases=("中创新航江门基地项目",), investor=ZC,
            amount_yuan=15_000_000_000, stage="started", stage_date="2022-03"),
))
DEC = ArticleFacts(projects=(
    Project(name="中创新航江门基地", investor=ZC, amount_yuan=20_000_000_000, stage="capped",
            stage_history=(Milestone("signed", "2022-01-26", "签约"), Milestone("started", "2022-03", "动工"),
                           Milestone("capped", None, "主体结构完成")), stage_date="2022-12"),
    Project(name="崇辉集成电路材料制造及封测总部项目（二期）", amount_yuan=3_000_000_000, stage="started",
            is_expansion=True),
))
CHENGDU = ArticleFacts(projects=(Project(name="中创新航动力电池及储能系统基地项目", investor=ZC, stage="signed"),))


def _article(factory, text: str, url: str, published: date) -> int:
    with transaction(factory) as s:
        return repo.store_article(s, url=url, source_id=None, page_id=None, title=text[:10], published_on=published,
                                  origin=None, text=text).article_id


def _parse_all(factory, items) -> None:
    for aid, facts, city in items:
        with transaction(factory) as s:
            projects.save_facts(s, aid, facts, parser_version="t", city=city)


@pytest.fixture
def months(factory):
    a1 = _article(factory, "一月签约", "http://gov/1.html", date(2022, 1, 26))
    a2 = _article(factory, "三月动工", "http://paper/2.htm", date(2022, 3, 20))
    a3 = _article(factory, "十二月封顶", "http://gov/3.html", date(2022, 12, 21))
    a4 = _article(factory, "成都签约", "http://cd/4.html", date(2022, 6, 1))
    items = [(a1, JAN, "江门市"), (a2, MAR, "江门市"), (a3, DEC, "江门市"), (a4, CHENGDU, "成都市")]
    _parse_all(factory, items)
    return items


def _by_name(s, prefix: str, city: str = "江门市") -> list[ProjectRow]:
    return [p for p in s.scalars(select(ProjectRow).where(ProjectRow.merged_into_id.is_(None)))
            if p.name.startswith(prefix) and p.city == city]


def test_one_project_across_months_with_timeline(factory, months) -> None:
    with factory() as s:
        (zc,) = _by_name(s, "中创新航")
        assert zc.name == "中创新航50GWh动力电池及储能系统江门基地项目"  # the most complete name
        assert zc.amount_yuan == 20_000_000_000  # stated by two articles of three; 150亿 kept in mentions
        assert sorted(m.amount_yuan for m in s.scalars(select(Mention).where(Mention.project_id == zc.id))) == [
            15_000_000_000, 20_000_000_000, 20_000_000_000]
        assert (zc.stage, zc.stage_date, zc.location) == ("capped", "2022-12", "新会区")
        stages = [(e.stage, e.date) for e in projects.timeline(s, zc.id) if e.kind == "reported"]
        assert ("signed", "2022-01-26") in stages and ("started", "2022-03") in stages and ("capped", "2022-12") in stages
        # the same company in another city is another project
        assert len(_by_name(s, "中创新航", "成都市")) == 1


def test_phase_two_is_its_own_project_linked_to_the_first(factory, months) -> None:
    with factory() as s:
        rows = _by_name(s, "崇辉")
        assert len(rows) == 2
        base = next(p for p in rows if "二期" not in p.name)
        phase2 = next(p for p in rows if "二期" in p.name)
        assert phase2.expansion_of_id == base.id and phase2.is_expansion
        assert (base.amount_yuan, phase2.amount_yuan) == (1_000_000_000, 3_000_000_000)


def test_reparse_changes_nothing(factory, months) -> None:
    with factory() as s:
        before = sorted((p.id, p.name, p.amount_yuan, p.stage) for p in s.scalars(select(ProjectRow)))
    _parse_all(factory, months)
    with factory() as s:
        after = sorted((p.id, p.name, p.amount_yuan, p.stage) for p in s.scalars(select(ProjectRow)))
        assert before == after
        assert len(list(s.scalars(select(Mention)))) == 6


def test_a_name_no_article_uses_any_more_stops_matching(factory, months) -> None:
    """Names follow the current mentions: after a re-parse reads 中创新航江门基地项目 no more, it is gone."""
    a2 = months[1][0]
    with factory() as s:
        (zc,) = _by_name(s, "中创新航")
        assert "中创新航江门基地项目" in zc.names
    fixed_mar = ArticleFacts(projects=(Project(name="中创新航50GWh动力电池及储能系统江门基地项目", investor=ZC,
                                               amount_yuan=15_000_000_000, stage="started", stage_date="2022-03"),))
    _parse_all(factory, [(a2, fixed_mar, "江门市")])
    with factory() as s:
        (again,) = _by_name(s, "中创新航")
        assert again.id == zc.id
        assert "中创新航江门基地项目" not in again.names
        assert set(again.names) == {"中创新航动力电池及储能系统江门基地项目", "中创新航50GWh动力电池及储能系统江门基地项目",
                                    "中创新航江门基地"}


def test_overrides_survive_reparse(factory, months) -> None:
    with factory() as s:
        (zc,) = _by_name(s, "中创新航")
        base = next(p for p in _by_name(s, "崇辉") if "二期" not in p.name)
        phase2 = next(p for p in _by_name(s, "崇辉") if "二期" in p.name)
    # an analyst decides the two 崇辉 phases are one project, the 江门基地 short name another, and fixes an amount
    with transaction(factory) as s:
        projects.merge_projects(s, base.id, phase2.id)
    with transaction(factory) as s:
        new_id = projects.split_project(s, zc.id, "中创新航江门基地")
    with transaction(factory) as s:
        projects.set_field(s, zc.id, "amount_yuan", "19000000000")
    for _ in range(2):
        _parse_all(factory, months)
        with transaction(factory) as s:
            projects.reapply_merges(s)
            projects.drop_orphans(s)
        with factory() as s:
            assert len(_by_name(s, "崇辉")) == 1
            assert s.get(ProjectRow, phase2.id).merged_into_id == base.id
            split_mentions = [m.name for m in s.scalars(select(Mention).where(Mention.project_id == new_id))]
            assert split_mentions == ["中创新航江门基地"]
            assert s.get(ProjectRow, zc.id).amount_yuan == 19_000_000_000


def test_near_duplicate_counts_once_and_earliest_copy_represents(factory) -> None:
    text = "\n".join(["江门市今天举行重大项目集中签约仪式，共有43个项目签约，总投资289.51亿元。",
                      "其中，投资100亿元的隆基硅能源生产基地项目落户鹤山。",
                      "市委书记出席活动并致辞，强调要以项目建设为抓手推动高质量发展。"] * 3)
    copy = text.replace("市委书记", "市委主要领导") + "\n打开网易新闻 查看精彩图片\n责任编辑：王五"
    with transaction(factory) as s:
        index = repo.near_duplicate_index(s)
        late = repo.store_article(s, url="http://portal/a.html", source_id=None, page_id=None, title="t",
                                  published_on=date(2022, 12, 22), origin=None, text=copy).article_id
        assert repo.assign_near_duplicate(s, late, index) is None
        early = repo.store_article(s, url="http://gov/a.html", source_id=None, page_id=None, title="t",
                                   published_on=date(2022, 12, 21), origin=None, text=text).article_id
        near = repo.assign_near_duplicate(s, early, index)
        assert near is not None and near.representative_id == early and near.demoted_id == late
    with factory() as s:
        assert [a.id for a in repo.articles_to_parse(s, "t")] == [early]
        assert s.get(Article, late).duplicate_of_id == early


def test_updated_article_is_a_new_version_reparsed(factory) -> None:
    with transaction(factory) as s:
        v1 = repo.store_article(s, url="http://invest/news/1.html", source_id=None, page_id=None, title="t",
                                published_on=date(2022, 12, 8), origin=None, text="总投资20亿元的项目签约。")
        projects.save_facts(s, v1.article_id, ArticleFacts(projects=(Project(name="甲项目", amount_yuan=2_000_000_000),)),
                            parser_version="t", city="江门市")
    with transaction(factory) as s:
        v2 = repo.store_article(s, url="http://invest/news/1.html", source_id=None, page_id=None, title="t",
                                published_on=date(2022, 12, 8), origin=None, text="总投资25亿元的项目签约。更正说明。")
        assert v2.is_new and v2.replaced_id == v1.article_id
        projects.clear_facts(s, v1.article_id)
        projects.save_facts(s, v2.article_id, ArticleFacts(projects=(Project(name="甲项目", amount_yuan=2_500_000_000),)),
                            parser_version="t", city="江门市")
    with factory() as s:
        (p,) = s.scalars(select(ProjectRow))
        assert p.amount_yuan == 2_500_000_000
        assert s.get(Article, v1.article_id).parse_status == "superseded"
        assert s.get(Article, v2.article_id).version_of_id == v1.article_id
