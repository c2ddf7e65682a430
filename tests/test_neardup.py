"""Near-duplicate clustering on real articles and realistic republication edits."""

from __future__ import annotations

import itertools
from pathlib import Path

from parsers.html import extract_page
from parsers.neardup import cluster, from_bytes, signature, to_bytes
from tests.neardup_cases import EDITS, corpus, labelled_documents


def test_every_edit_joins_its_original_and_no_two_stories_merge(shared: Path) -> None:
    docs = labelled_documents(shared)
    rep = cluster((i, text) for i, (_, _, text) in enumerate(docs))
    tp = fp = fn = 0
    for (i, a), (j, b) in itertools.combinations(enumerate(docs), 2):
        same_story, same_cluster = a[1] == b[1], rep[i] == rep[j]
        tp += same_story and same_cluster
        fp += (not same_story) and same_cluster
        fn += same_story and not same_cluster
    assert fp == 0, "two different articles were clustered (e.g. two roundups of one city)"
    assert tp / (tp + fn) >= 0.95
    assert len(EDITS) * len(corpus(shared)) + len(corpus(shared)) == len(docs)


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
