"""Near-duplicate clustering on real articles and realistic republication edits."""

from __future__ import annotations

import itertools
from pathlib import Path

from datasketch import MinHash

from parsers.html import extract_page
from parsers.neardup import (
    NUM_PERM,
    SCHEME,
    NearDupIndex,
    cluster,
    figure_containment,
    from_bytes,
    jaccard,
    shingles,
    signature,
    to_bytes,
)
from tests.neardup_cases import EDITS, corpus, hard_negatives, labelled_documents


def test_every_edit_joins_its_original_and_no_two_stories_merge(shared: Path) -> None:
    """Including the hard negatives: template siblings of one city (text Jaccard up to 0.85) stay apart."""
    docs = labelled_documents(shared)
    rep = cluster((i, text) for i, (_, _, text) in enumerate(docs))
    tp = fp = fn = 0
    merged = []
    for (i, a), (j, b) in itertools.combinations(enumerate(docs), 2):
        same_story, same_cluster = a[1] == b[1], rep[i] == rep[j]
        tp += same_story and same_cluster
        fp += (not same_story) and same_cluster
        fn += same_story and not same_cluster
        if same_cluster and not same_story:
            merged.append((a[0], b[0]))
    assert fp == 0, f"different articles were clustered (e.g. two roundups of one city): {merged[:5]}"
    assert tp / (tp + fn) >= 0.98
    stories = len(corpus(shared)) + len(hard_negatives(shared))
    assert (len(EDITS) + 1) * stories == len(docs)


def test_hard_negatives_are_hard_for_text_alone(shared: Path) -> None:
    """The siblings reach the text threshold (so the figures, not the text, keep them apart)."""
    sib = hard_negatives(shared)
    assert jaccard(sib["tpl:江门市:2023Q1"], sib["tpl:江门市:2023Q2"]) >= 0.5
    assert jaccard(sib["respin:004_0067eb8b34eb989e:1"], sib["respin:004_0067eb8b34eb989e:2"]) >= 0.7
    for a, b in [("tpl:江门市:2023Q1", "tpl:江门市:2023Q2"),
                 ("respin:004_0067eb8b34eb989e:1", "respin:004_0067eb8b34eb989e:2")]:
        assert figure_containment(sib[a], sib[b]) < 0.3
        assert not signature(sib[a]).figures_agree(signature(sib[b]))


def test_template_sibling_roundups_are_not_copies() -> None:
    head = "江门市举行2023年第{q}季度重大项目集中签约活动。"
    body = ("江门市坚持把招商引资和项目建设作为推动高质量发展的头号工程，全力推进重点项目快落地、快开工、快产出。"
            "近年来，江门市持续优化营商环境，建立重大项目一对一服务专班，全力推动招商项目加快开工建设。"
            "下一步，江门市将聚焦新能源、新材料、高端装备制造等主导产业，推动更多优质项目签约落地。")
    a = head.format(q="一") + "3月23日，共有43个项目签约，总投资289.51亿元，其中中创新航项目投资200亿元。" + body
    b = head.format(q="二") + "6月18日，共有37个项目签约，总投资312.6亿元，其中隆基绿能项目投资100亿元。" + body
    assert jaccard(a, b) >= 0.5
    assert cluster([(1, a), (2, b), (3, a + "\n打开网易新闻 查看精彩图片")]) == {1: 1, 2: 2, 3: 1}


def test_signature_stored_before_figures_still_compares_on_text() -> None:
    text = "江门市今天举行重大项目集中签约仪式，共有43个项目签约，总投资289.51亿元，涵盖新能源等产业。" * 3
    sig = signature(text)
    legacy = MinHash(num_perm=NUM_PERM, scheme=SCHEME)  # what signature() stored before: text shingles only
    legacy.update_batch(list(shingles(text)))
    old = from_bytes(to_bytes(legacy))
    assert old.figure_count is None and sig.figure_count == 6
    assert sig.jaccard(old) == 1.0 and sig.figures_agree(old)
    index = NearDupIndex()
    index.add(1, old)
    assert index.matches(sig) == [(1, 1.0)]


def test_fixture_portal_copy_is_a_near_duplicate_of_the_city_paper(shared: Path) -> None:
    web = shared / "web"
    orig = extract_page((web / "news-city/content/2023-04/12/content_418766.htm").read_text("utf-8"), "http://n/")
    copy = extract_page((web / "portal/dy/article/I2JF6S4V0550AXYG.html").read_text("utf-8"), "http://p/")
    other = extract_page((web / "news-city/content/2022-12/08/content_351072.htm").read_bytes().decode("gb18030"),
                         "http://n/2")
    assert orig.text != copy.text
    assert cluster([(1, orig.text), (2, copy.text), (3, other.text)]) == {1: 1, 2: 1, 3: 3}


def test_signature_survives_storage_round_trip() -> None:
    text = "江门市今天举行重大项目集中签约仪式，共有43个项目签约，总投资289.51亿元。"
    sig = signature(text)
    assert from_bytes(to_bytes(sig)).jaccard(sig) == 1.0 and len(to_bytes(sig)) == 512
