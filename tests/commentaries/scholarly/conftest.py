import email.parser
import email.policy
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """PDFs land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(data):
    """The PDF's text with whitespace squeezed, as a reader copying it would get it."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def multipart(headers, body):
    """The fields of a multipart POST the endpoint recorded, by name."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
    )
    return {
        part.get_param("name", header="content-disposition"): part for part in message.iter_parts()
    }


class Endpoint:
    """A local HTTP server standing in for Crossref's deposit endpoint: records each POST."""

    def __init__(self):
        self.posts = []  # (headers, body bytes)
        self.statuses = []  # answered in turn; 200 once used up

    def serve(self):
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint.posts.append((dict(self.headers), body))
                status = endpoint.statuses.pop(0) if endpoint.statuses else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"Your batch submission was successfully received.")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return server


@pytest.fixture
def crossref_endpoint(settings):
    endpoint = Endpoint()
    server = endpoint.serve()
    settings.CROSSREF_DEPOSIT_URL = f"http://127.0.0.1:{server.server_port}/servlet/deposit"
    settings.CROSSREF_USERNAME = "ajiss"
    settings.CROSSREF_PASSWORD = "secret"
    settings.SITE_URL = "https://commentaries.example.org"
    yield endpoint
    server.shutdown()
    server.server_close()
