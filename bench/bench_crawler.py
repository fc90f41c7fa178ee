"""Crawler overhead: a full crawl of the replica vs raw httpx GETs of the same URLs.

Both runs hit the same local replica (100 publications, one PDF each); the crawl's rate
limit is lifted so that the ratio measures the crawler's own cost (robots, checks, hashing,
temp file + atomic move, state committed per file), not politeness.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from crawler.ccomptes import parse_publication, parse_results
from crawler.crawl import crawl_source
from lab.replica.site import ReplicaSite
from tests.crawler_support import crawl_settings, make_publications


def main() -> dict:

    pubs = make_publications(100)
    for p in pubs:
        p.pdf_bytes_factory()
    with ReplicaSite(pubs, page_size=20) as site, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with httpx.Client() as c:  # raw baseline: the same pages and PDFs, no checks, no state
            number = 0
            while True:  # the same walk: page= from 0 until a page lists nothing
                url = f"{site.base_url}/fr/publications?items_per_page=50&page={number}"
                page = parse_results(c.get(url).text, url)
                if not page.items:
                    break
                for item in page.items:
                    pub = parse_publication(c.get(item.url).text, item.url)
                    for f in pub.files:
                        _ = c.get(f.url).content
                number += 1
        raw = time.perf_counter() - t0
        settings = crawl_settings(Path(tmp), crawl_rate_limit=100_000)
        t0 = time.perf_counter()
        first = crawl_source("ccomptes", settings, base_url=site.base_url)
        crawl = time.perf_counter() - t0
        t0 = time.perf_counter()
        crawl_source("ccomptes", settings, base_url=site.base_url)
        again = time.perf_counter() - t0
    out = {"raw_s": round(raw, 3), "crawl_s": round(crawl, 3), "recrawl_s": round(again, 3),
           "files": first.downloaded, "crawl_vs_raw": round(crawl / raw, 2), "recrawl_vs_raw": round(again / raw, 2)}
    print(f"raw GETs {raw:.2f} s; crawl {crawl:.2f} s ({crawl / raw:.2f}x raw); "
          f"conditional recrawl {again:.2f} s ({again / raw:.2f}x raw); {first.downloaded} files")
    return out


if __name__ == "__main__":
    main()
