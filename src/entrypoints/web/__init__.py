"""The control panel and the OBS player page: static HTML, JS and CSS served as they are (no build step)."""

from __future__ import annotations

from pathlib import Path

from litestar import Router, get
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

STATIC_DIR = Path(__file__).parent / "static"
PANEL_PATH = "/panel"


@get("/", include_in_schema=False)
async def to_panel() -> Redirect:
    """The server's root opens the panel."""
    return Redirect(f"{PANEL_PATH}/")


def web_router() -> Router:
    """``/panel/`` (the control panel) and ``/panel/player.html`` (the OBS browser source)."""
    return create_static_files_router(path=PANEL_PATH, directories=[STATIC_DIR], html_mode=True, name="panel")
