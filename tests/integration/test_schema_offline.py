"""``/schema`` works offline: Swagger UI's scripts and styles come from this server, never from a CDN."""

from __future__ import annotations

import re
from typing import Any


def test_schema_pages_load_their_assets_from_this_server(running_app: Any) -> None:
    """/schema and /schema/swagger reference only local assets, and each of them is served."""
    with running_app() as client:
        for page in ("/schema", "/schema/swagger"):
            response = client.get(page)
            assert response.status_code == 200
            html = response.text
            assert "SwaggerUIBundle" in html
            references = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
            assert references
            assert not [url for url in references if "//" in url], references
            for url in references:
                asset = client.get(url)
                assert asset.status_code == 200, url
                assert asset.content
