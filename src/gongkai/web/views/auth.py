"""The token form: a browser whose user gives the write token may write.

The token is compared in constant time; the browser then carries a signed,
HttpOnly, SameSite=Strict cookie (not the token itself). Without a token
configured at start the form says the server is read-only.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from gongkai.web.pages import Ctx, context, render, twin
from gongkai.web.security import WRITER_COOKIE, writer_cookie

router = APIRouter()


class TokenPage(BaseModel):
    configured: bool
    writable: bool
    wrong: bool = False


@twin(router, "/token", "token.html", model=TokenPage, summary="whether this client may write")
def token_page(ctx: Ctx = Depends(context)) -> TokenPage:
    return TokenPage(configured=ctx.settings.writable, writable=ctx.writable)


@router.post("/token", include_in_schema=False)
def token_post(token: str = Form(""), ctx: Ctx = Depends(context)) -> Response:
    configured = ctx.settings.token
    if not configured or not hmac.compare_digest(token.encode(), configured.encode()):
        page = TokenPage(configured=bool(configured), writable=False, wrong=bool(configured))
        return render(ctx, "token.html", page, status=403 if not configured else 401)
    response = RedirectResponse("/token", status_code=303)
    response.set_cookie(
        WRITER_COOKIE,
        writer_cookie(ctx.settings),
        httponly=True,
        samesite="strict",
        secure=ctx.request.url.scheme == "https",
    )
    return response
