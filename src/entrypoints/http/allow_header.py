"""A repair for Litestar 2's OPTIONS answers on paths served by several handlers (PUT and DELETE of one entry).

Litestar 2 generates the OPTIONS handler of a path when the path's first handler is registered, and that handler
lists the methods of the route *as it was then*; handlers added to the path later are missing from its ``Allow``
header (litestar-org/litestar#4169, fixed in Litestar 3). This points each generated handler at its final route.
"""

from __future__ import annotations

import inspect

from litestar import Litestar
from litestar.routes import HTTPRoute


def repair_allow_headers(app: Litestar) -> None:
    """Make every generated OPTIONS handler of ``app`` list all the methods of its path."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            function = inspect.unwrap(getattr(handler.fn, "func", handler.fn))  # sync handlers come wrapped
            if getattr(function, "__name__", "") != "options_handler" or not getattr(function, "__closure__", None):
                continue
            for cell in function.__closure__:
                if isinstance(cell.cell_contents, HTTPRoute):
                    cell.cell_contents.methods = route.methods
