"""Feeds and article URLs, served from a local HTTP server on 127.0.0.1."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from polybrief.config import InputSettings
from polybrief.stages.read import read_articles

PARAGRAPH = "Ruski predsednik se je v Pekingu sestal s severnokorejskim voditeljem in govoril o sodelovanju. "


def _page(title, n):
    body = "".join(f"<p>{PARAGRAPH * 2}Odstavek {i} članka {n}.</p>" for i in range(4))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/a1": ("text/html", _page("Prvi članek", 1)),
            "/a2": ("text/html", _page("Drugi članek", 2)),
            "/feed.xml": ("application/rss+xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
                <item><title>Prvi članek</title><link>{base}/a1</link>
                <pubDate>Sat, 30 Nov 2024 10:12:00 GMT</pubDate></item>
                <item><title>Manjka</title><link>{base}/gone</link>
                <description>&lt;p&gt;{PARAGRAPH * 3}&lt;/p&gt;</description></item>
                <item><title>Drugi</title><link>{base}/gone2</link></item>
                </channel></rss>"""),
        }
        if self.path == "/slow":
            time.sleep(2)
        if self.path not in routes:
            self.send_error(404)
            return
        kind, text = routes[self.path]
        data = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.handle_error = lambda *args: None  # the timed-out client hangs up: expected here
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_feed_gives_an_article_per_entry_and_failures_do_not_stop_the_rest(site):
    result = read_articles([f"{site}/feed.xml", f"{site}/a2", f"{site}/missing", f"{site}/slow"],
                           InputSettings(fetch_timeout=0.5))
    titles = sorted(a.title for a in result.articles)
    assert titles == ["Drugi članek", "Manjka", "Prvi članek"]  # "Manjka": its page is gone, the feed has the text
    first = next(a for a in result.articles if a.title == "Prvi članek")
    assert first.date == "2024-11-30" and first.url == f"{site}/a1" and len(first.paragraphs) >= 4
    failed = {o.source.rsplit("/", 1)[-1]: o.detail for o in result.outcomes}
    assert "404" in failed["missing"] and "Timeout" in failed["slow"]
    assert failed["gone2"].startswith("cannot fetch")
