"""The fetcher against a real HTTP server (the replica) with injected faults."""

from __future__ import annotations

import json
import time

import pytest

from crawler.errors import FetchError
from crawler.fetcher import Fetcher
from crawler.limiter import MemoryLimiter
from crawler.rawstore import RawStore
from lab.replica.faults import FaultPlan
from lab.replica.site import ReplicaSite
from tests.crawler_support import crawl_settings, make_publications, tiny_pdf


@pytest.fixture
def site():
    pubs = make_publications(12)
    robots = "User-agent: *\nDisallow: /sites/default/files/2024-06/X0011.pdf\n"
    with ReplicaSite(pubs, FaultPlan(), robots=robots) as s:
        s.pubs = pubs
        yield s


@pytest.fixture
def fetcher(tmp_path):
    with Fetcher(crawl_settings(tmp_path)) as f:
        yield f


def stored(store: RawStore) -> list:
    return [p for p in store.root.rglob("*.pdf")]


def test_download_stores_once_and_answers_304_to_conditional_get(site, fetcher, tmp_path):
    store = RawStore(tmp_path / "raw")
    url = site.base_url + site.pubs[0].pdf_path
    first = fetcher.download(url, store)
    assert first.status == 200 and store.read(first.sha256) == tiny_pdf("commune-0")
    assert first.etag and first.last_modified
    assert not list(store.tmp_dir.glob("*.part"))
    assert store.part_meta_path(url).exists()  # the note stays until the caller has recorded the file
    confirmed = fetcher.download(url, store)  # a run that died before recording it: confirmed by a 304
    assert confirmed.confirmed and confirmed.sha256 == first.sha256
    store.forget_part(url)
    assert not list(store.tmp_dir.iterdir())
    again = fetcher.download(url, store, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.sha256 is None
    assert len(stored(store)) == 1
    assert site.count(site.pubs[0].pdf_path, 304) == 2 and site.count(site.pubs[0].pdf_path, 200) == 1


def test_500_then_ok_is_retried(site, fetcher, tmp_path):
    path = site.pubs[1].pdf_path
    site.faults.server_error(path, times=2)
    result = fetcher.download(site.base_url + path, RawStore(tmp_path / "raw"))
    assert result.status == 200
    assert site.count(path, 500) == 2 and site.count(path, 200) == 1


def test_permanent_500_gives_up_with_its_code(site, fetcher, tmp_path):
    path = site.pubs[1].pdf_path
    site.faults.server_error(path, times=None, status=502)
    with pytest.raises(FetchError) as err:
        fetcher.download(site.base_url + path, RawStore(tmp_path / "raw"))
    assert err.value.code == "http_502"
    assert site.count(path, 502) == 1 + fetcher.settings.crawl_max_retries


def test_429_retry_after_is_honoured(site, fetcher, tmp_path):
    path = site.pubs[2].pdf_path
    site.faults.throttle(path, retry_after=1, times=1)
    t0 = time.monotonic()
    result = fetcher.download(site.base_url + path, RawStore(tmp_path / "raw"))
    assert result.status == 200
    hits = [r.t for r in site.requests if r.path == path]
    assert len(hits) == 2 and hits[1] - hits[0] >= 0.95
    assert time.monotonic() - t0 < 5


def test_retry_after_longer_than_the_cap_is_an_error(site, tmp_path):
    path = site.pubs[2].pdf_path
    site.faults.throttle(path, retry_after=3600, times=None)
    with Fetcher(crawl_settings(tmp_path)) as f, pytest.raises(FetchError) as err:
        f.download(site.base_url + path, RawStore(tmp_path / "raw"))
    assert err.value.code == "rate_limited"


@pytest.mark.parametrize("fault, code", [
    ("timeout", "timeout"), ("truncate", "truncated"), ("loop", "redirect_loop"),
    ("foreign", "foreign_redirect"), ("html", "not_pdf"), ("huge", "too_large"),
    ("huge_chunked", "too_large"), ("gone", "http_404"),
])
def test_each_fault_is_a_typed_error_and_leaves_nothing(site, fetcher, tmp_path, fault, code):
    path = site.pubs[3].pdf_path
    {"timeout": lambda: site.faults.delay(path, 2.5), "truncate": lambda: site.faults.truncate(path),
     "loop": lambda: site.faults.redirect_loop(path), "foreign": lambda: site.faults.redirect_foreign(path),
     "html": lambda: site.faults.html_as_pdf(path), "huge": lambda: site.faults.huge(path),
     "huge_chunked": lambda: site.faults.huge(path, content_length=False),
     "gone": lambda: site.faults.gone(path)}[fault]()
    store = RawStore(tmp_path / "raw")
    t0 = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetcher.download(site.base_url + path, store)
    assert err.value.code == code, err.value
    assert time.monotonic() - t0 < 15
    assert stored(store) == [] and list(store.tmp_dir.iterdir()) == []


def test_robots_txt_is_honoured(site, fetcher, tmp_path):
    path = site.pubs[11].pdf_path
    with pytest.raises(FetchError) as err:
        fetcher.download(site.base_url + path, RawStore(tmp_path / "raw"))
    assert err.value.code == "robots_disallowed"
    assert site.count(path, None) == 0 and site.count("/robots.txt") == 1


def test_loopback_refused_unless_allowed_and_hosts_allow_listed(site, tmp_path):
    url = site.base_url + site.pubs[0].pdf_path
    with Fetcher(crawl_settings(tmp_path, crawl_allow_loopback=False)) as f, pytest.raises(FetchError) as err:
        f.get_page(url)
    assert err.value.code == "private_address"
    with Fetcher(crawl_settings(tmp_path, crawl_allowed_hosts=["www.ccomptes.fr"])) as f, \
            pytest.raises(FetchError) as err:
        f.get_page(url)
    assert err.value.code == "host_not_allowed"
    assert site.requests == []


def test_user_agent_is_descriptive(site, fetcher):
    fetcher.get_page(site.base_url + "/fr/publications")
    agents = {r.user_agent for r in site.requests}
    assert agents == {fetcher.settings.user_agent}
    agent = fetcher.settings.user_agent
    assert "ConstatsBot" in agent and fetcher.settings.crawl_contact in agent


def test_memory_limiter_spaces_requests():
    """The k-th request of a host never goes before k intervals (robust to a late wake-up: a
    request delayed by the machine does not let the next one go early either)."""
    lim = MemoryLimiter(20.0)
    start = time.monotonic()
    times = []
    for _ in range(6):
        lim.acquire("h")
        times.append(time.monotonic())
    assert all(t - start >= k * 0.05 for k, t in enumerate(times))
    assert lim.acquire("other-host") == 0  # another host is not delayed


def test_robots_crawl_delay_slows_the_host_down(tmp_path):
    pubs = make_publications(2)
    with ReplicaSite(pubs, robots="User-agent: *\nCrawl-delay: 1\n") as site, \
            Fetcher(crawl_settings(tmp_path)) as f:
        for _ in range(3):
            f.get_page(site.base_url + "/fr/publications")
        times = [r.t for r in site.requests]
    assert len(times) == 4 and times[-1] - times[1] >= 1.95  # robots.txt, then one a second


def test_robots_unavailable_means_nothing_is_fetched(tmp_path):
    with ReplicaSite(make_publications(1)) as site, Fetcher(crawl_settings(tmp_path, crawl_max_retries=0)) as f:
        site.faults.server_error("/robots.txt", times=None)
        with pytest.raises(FetchError) as err:
            f.get_page(site.base_url + "/fr/publications")
        assert err.value.code == "robots_unavailable"
        assert {r.path for r in site.requests} == {"/robots.txt"}


def test_robots_txt_goes_through_the_page_path_and_its_size_cap(tmp_path, monkeypatch):
    """robots.txt is fetched like any page: a body past the page cap is refused, not parsed,
    and with one connection per host it does not wait for the request that needs it."""
    from crawler import fetcher as fetcher_module

    monkeypatch.setattr(fetcher_module, "MAX_PAGE_BYTES", 1000)
    huge = "User-agent: *\n" + "Disallow: /nothing-here/\n" * 200
    with ReplicaSite(make_publications(1), robots=huge) as site, \
            Fetcher(crawl_settings(tmp_path, crawl_concurrency=1, crawl_max_retries=0)) as f:
        with pytest.raises(FetchError) as err:
            f.get_page(site.base_url + "/fr/publications")
        assert err.value.code == "robots_unavailable" and "larger than" in err.value.message
        assert [r.path for r in site.requests] == ["/robots.txt"]


def test_truncated_download_resumes_with_a_range_request(site, fetcher, tmp_path):
    path = site.pubs[4].pdf_path
    site.faults.truncate(path, times=1)
    store = RawStore(tmp_path / "raw")
    result = fetcher.download(site.base_url + path, store)
    assert store.read(result.sha256) == tiny_pdf("commune-4")
    assert [(r.status, r.complete) for r in site.requests if r.path == path] == [(200, False), (206, True)]
    assert list(store.tmp_dir.glob("*.part")) == []


def test_download_interrupted_by_a_crash_resumes_or_is_confirmed(site, tmp_path):
    """What a killed crawler leaves (a .part and its validators) is finished, not fetched again."""
    path = site.pubs[5].pdf_path
    store = RawStore(tmp_path / "raw")
    url = site.base_url + path
    data = tiny_pdf("commune-5")
    with Fetcher(crawl_settings(tmp_path)) as f:
        first = f.download(url, RawStore(tmp_path / "other"))
        part = store.part_path(url)
        for kept, expected in ((data[:300], 206), (data, 304)):
            part.write_bytes(kept)  # a crash mid-body, then a crash after the last byte
            part.with_suffix(".json").write_text(json.dumps(
                {"url": url, "etag": first.etag, "length": len(data), "content_type": "application/pdf",
                 "last_modified": None}))
            n = len(site.requests)
            result = f.download(url, store)
            assert store.read(result.sha256) == data and result.status == 200
            assert [r.status for r in site.requests[n:] if r.path == path] == [expected]
            assert list(store.tmp_dir.glob("*.part")) == []
            store.forget_part(url)
