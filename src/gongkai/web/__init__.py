"""``gongkai serve``: the web pages and the REST API over the library.

:func:`create_app` builds the FastAPI application from :class:`Settings`;
``gongkai serve`` runs it with uvicorn. See :mod:`gongkai.web.app`.
"""

from __future__ import annotations

from gongkai.web.app import create_app
from gongkai.web.settings import Limits, Settings

__all__ = ["Limits", "Settings", "create_app"]
