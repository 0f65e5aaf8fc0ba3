"""The OpenAPI UI at ``/schema`` and ``/schema/swagger``, its scripts served from the swagger-ui-bundle package:
it works offline (Litestar's default loads them from CDNs)."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

ASSETS_PATH = "/panel/vendor/swagger-ui"
"""Under ``/panel/``: static files anyone may load, like the panel's own (no token on a <script> tag)."""


def openapi_config() -> OpenAPIConfig:
    """The schema at ``/schema/openapi.json`` and Swagger UI at ``/schema`` and ``/schema/swagger``, no CDN."""
    swagger = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )
    return OpenAPIConfig(title="Twitch TTS queue server", version="0.1.0", path="/schema", render_plugins=[swagger])


def schema_assets_router() -> Router:
    """Swagger UI's scripts, styles and icons from the installed swagger-ui-bundle package."""
    directory = Path(str(swagger_ui_path))
    return create_static_files_router(
        path=ASSETS_PATH, directories=[directory], name="schema-ui", include_in_schema=False
    )
