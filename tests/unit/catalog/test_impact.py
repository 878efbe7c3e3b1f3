"""Impact tiers: relevance pages computed from the tiers equal scoring every match.

The corpus uses a small vocabulary so that every word is frequent, many
documents tie on score (ties are broken by docid), and the thresholds are
lowered so the tier walk runs on a few hundred documents.
"""
import random

import pytest
import transaction

from catalog import Eq, impact
from catalog.embedded import get_store, upgrade_store
from catalog.impact import ImpactTiers, tier_key
from content_types.district import District
from content_types.folder import DistrictFolder, Folder
from content_types.security import ATS_OFFICER, OWNER, set_local_roles
from portal.evolve import step0004_search_impact_tiers
from tests.unit.catalog.conftest import ALICE, ANON, BOB, RITA, Application, make_harness

WORDS = ("assistenza domiciliare anziani servizio comune domanda buono infanzia asilo nido "
         "bambini famiglia reddito contributo affitto trasporto centro diurno").split()
STATES = ("submitted", "draft", "accepted")
QUERIES = ("assistenza", "nido", "anziani servizio", "buono famiglia", "asilo nido bambini",
           "centro diurno trasporto affitto", "reddito")


def body(rnd):
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 40)))


@pytest.fixture
def corpus(request, db, monkeypatch):
    """400 applications in two ATS, owners alice and others; every word is tiered."""
    monkeypatch.setattr(impact, "MIN_DF", 15)
    monkeypatch.setattr(impact, "EXACT_LIMIT", 0)
    monkeypatch.setattr(impact, "RECENT_MAX", 37)
    monkeypatch.setattr(impact, "BATCH", 8)
    portal = make_harness(request, db, "embedded")
    ambiti = portal.root.add("ambiti", DistrictFolder(title="Ambiti"), registry=portal.registry)
    folders = []
    for code in ("BA-01", "BA-02"):
        district = ambiti.add(code.lower(), District(title=f"Ambito {code}", code=code),
                              registry=portal.registry)
        folders.append(district.add("domande", Folder(title="Domande"), registry=portal.registry))
    set_local_roles(ambiti["ba-01"], "user:bob", {ATS_OFFICER})
    rnd = random.Random(7)
    apps = []
    for i in range(400):
        owner = "alice" if i % 9 == 0 else f"citizen{i % 23}"
        app = Application(title=f"Domanda {i}", body=body(rnd), creator=f"user:{owner}",
                          state=STATES[i % 3])
        set_local_roles(app, f"user:{owner}", {OWNER})
        folders[i % 2].add(f"d{i}", app, registry=portal.registry)
        apps.append(app)
        if i % 50 == 49:
            portal.commit()
    portal.commit()
    portal.apps = apps
    portal.rnd = rnd
    return portal


def ranked(portal, principals, **kw):
    results = portal.search(principals, **kw)
    return results.total, [(hit.uid, hit.score) for hit in results.items]


def assert_same_as_full_scoring(portal, monkeypatch, cases):
    pruned = [ranked(portal, who, **kw) for who, kw in cases]
    monkeypatch.setattr(impact, "EXACT_LIMIT", 10**9)
    full = [ranked(portal, who, **kw) for who, kw in cases]
    monkeypatch.setattr(impact, "EXACT_LIMIT", 0)
    assert pruned == full
    return full


def cases():
    for text in QUERIES:
        for who in (RITA, BOB, ALICE, ANON):
            for limit, start in ((1, 0), (3, 0), (20, 0), (20, 20), (60, 0), (500, 0)):
                yield who, {"text": text, "limit": limit, "start": start, "snippets": False}
            yield who, {"text": text, "limit": 10, "filters": (Eq("state", "draft"),),
                        "snippets": False}


def test_pages_equal_full_scoring_for_every_role_size_and_filter(corpus, monkeypatch):
    every = list(cases())
    scored = []
    real_scores = impact.scores

    def counting(okapi, postings, docids):
        scored[-1] += len(docids)
        return real_scores(okapi, postings, docids)

    def run_all():
        results, counts = [], []
        for who, kw in every:
            scored.append(0)
            results.append(ranked(corpus, who, **kw))
            counts.append(scored.pop())
        return results, counts

    monkeypatch.setattr(impact, "scores", counting)
    pruned, pruned_counts = run_all()
    monkeypatch.setattr(impact, "EXACT_LIMIT", 10**9)
    full, full_counts = run_all()
    assert pruned == full
    # real pages, with ties on score, of officers' queries matching many documents
    assert all(len(items) == min(kw["limit"], total - kw.get("start", 0))
               for (_, kw), (total, items) in zip(every, full, strict=True)
               if total > kw.get("start", 0))
    assert any(len({score for _, score in items}) < len(items) for _, items in full)
    small_pages = [i for i, (who, kw) in enumerate(every)
                   if who is RITA and kw["limit"] <= 3 and "filters" not in kw]
    assert min(full[i][0] for i in small_pages) > 20
    # and for small pages the tier walk scored far fewer documents than all matches
    assert sum(pruned_counts[i] for i in small_pages) < 0.5 * sum(
        full_counts[i] for i in small_pages)


def assert_tiers_match_postings(store):
    """Each document of a tiered word is in its own tier or recent, never in another."""
    okapi, tiers = store.okapi, store.tiers
    recent = set(tiers.recent)
    for key, ids in tiers.sets.items():
        d2f = okapi._wordinfo[key >> 16]
        assert all(tier_key(key >> 16, d2f[docid], okapi._docweight[docid]) == key
                   for docid in ids)
    for wid in tiers.words:
        for docid, tf in okapi._wordinfo[wid].items():
            tier = tiers.sets.get(tier_key(wid, tf, okapi._docweight[docid]))
            assert docid in recent or (tier is not None and docid in tier)
    frequent = {wid for wid, d2f in okapi._wordinfo.items() if len(d2f) >= tiers.min_df}
    assert frequent <= set(tiers.words)
    assert dict(tiers.sizes.items()) == {key: len(ids) for key, ids in tiers.sets.items()}
    assert len(recent) < tiers.recent_max
    assert recent <= set(okapi._docwords.keys())


def test_tiers_follow_edits_deletions_and_new_frequent_words(corpus, monkeypatch):
    store = get_store(corpus.root)
    assert_tiers_match_postings(store)
    rnd = corpus.rnd
    for app in rnd.sample(corpus.apps, 60):
        app.body = body(rnd) + " ludoteca"   # a new word that becomes frequent
        corpus.catalog.reindex(app)
    for app in corpus.apps[:40]:
        app.__parent__.remove(app.__name__, registry=corpus.registry)
    corpus.commit()
    assert_tiers_match_postings(store)
    assert store.okapi._lexicon.get_wid("ludotec") in store.tiers.words
    assert_same_as_full_scoring(corpus, monkeypatch, [
        (RITA, {"text": "ludoteca nido", "limit": 5}), (BOB, {"text": "ludoteca", "limit": 7}),
    ])
    transaction.abort()


def test_stores_without_tiers_answer_the_same_and_the_evolve_step_builds_them(
        corpus, monkeypatch):
    store = get_store(corpus.root)
    queries = [(who, {"text": text, "limit": 20, "snippets": False})
               for text in QUERIES for who in (RITA, BOB)]
    before = [ranked(corpus, who, **kw) for who, kw in queries]
    store.tiers, store.schema = None, 2      # as written by the previous release
    corpus.commit()
    assert [ranked(corpus, who, **kw) for who, kw in queries] == before
    step0004_search_impact_tiers.evolve(None, corpus.root)
    corpus.commit()
    assert isinstance(store.tiers, ImpactTiers)
    assert len(store.tiers.words) == len(
        {w for w, d in store.okapi._wordinfo.items() if len(d) >= 15})
    assert_tiers_match_postings(store)
    assert [ranked(corpus, who, **kw) for who, kw in queries] == before
    upgrade_store(corpus.root)  # running it again changes nothing
    assert_tiers_match_postings(store)


def test_rebuild_starts_tiers_afresh(corpus):
    store = get_store(corpus.root)
    corpus.catalog.rebuild()
    corpus.commit()
    assert_tiers_match_postings(store)
    assert len(store.tiers.words) > 10
