"""The dashboard: a small server-rendered Starlette app, read-only on the analysts' snapshot.

Anyone who can reach it sees suppressed counts; quotes and the press dossier need a
login; taxonomy curation needs the curator role and goes through `topics.taxonomy`,
so every change lands in the same YAML and audit log as `ledenradar themes`.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import duckdb
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboards import explore
from dashboards.auth import ROLE_LABELS, User, UserStore
from dashboards.digest import DigestReader, Scope, emerging_themes
from dashboards.dutch import IsoWeek
from dashboards.explore import DRILL_LEVELS
from dashboards.render import environment
from dashboards.sessions import SESSION_SECONDS, SessionStore
from dashboards.throttle import LoginThrottle, login_keys
from pipeline.settings import Settings
from pipeline.snapshot import open_snapshot
from topics.taxonomy import Taxonomy, TaxonomyError, TaxonomyFile

# What an official reads instead of Starlette's English "Not Found" and the like.
ERROR_PAGES = {
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres."),
    405: ("Dat kan hier niet", "Deze pagina kan niet op deze manier worden opgevraagd."),
    500: ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."),
}


@dataclass(frozen=True)
class DashboardConfig:
    snapshot: Path
    users: Path
    taxonomy: Path
    secret_key: str
    # Behind HTTPS (a TLS-terminating proxy), the session cookie is sent only over HTTPS.
    secure_cookies: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, snapshot: Path) -> DashboardConfig:
        return cls(
            snapshot=snapshot,
            users=settings.data_dir / "dashboard_users.json",
            taxonomy=settings.data_dir / "taxonomy.yaml",
            # A fresh key per start: restarting the dashboard logs everyone out.
            secret_key=secrets.token_hex(32),
            secure_cookies=settings.dashboard_secure_cookies,
        )


def create_app(config: DashboardConfig) -> Starlette:
    env = environment()
    store = UserStore(config.users)
    sessions = SessionStore()
    throttle = LoginThrottle()
    taxonomy = TaxonomyFile(config.taxonomy)

    def connect() -> duckdb.DuckDBPyConnection:
        # Per request: the writer swaps the snapshot by rename, so a new connection sees it.
        return open_snapshot(config.snapshot)

    def current_user(request: Request) -> User | None:
        # The cookie names a session; only a live one on this server counts.
        name = sessions.user_of(request.session.get("session"))
        role = store.role_of(name) if name else None
        return User(name, role) if role else None

    def csrf(request: Request) -> str:
        if "csrf" not in request.session:
            request.session["csrf"] = secrets.token_urlsafe(24)
        return request.session["csrf"]

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        user = current_user(request)
        html = env.get_template(template).render(
            user=user, role_labels=ROLE_LABELS, csrf=csrf(request), request=request, **context
        )
        return HTMLResponse(html, status_code=status)

    def chosen_week(request: Request, con: duckdb.DuckDBPyConnection) -> IsoWeek:
        text = request.query_params.get("week")
        try:
            week = IsoWeek.parse(text) if text else explore.latest_week(con)
        except ValueError as error:
            raise HTTPException(400, str(error)) from error
        if week is None:
            raise HTTPException(404, "De snapshot bevat nog geen weken.")
        return week

    async def overview(request: Request) -> Response:
        with connect() as con:
            week = chosen_week(request, con)
            trends = explore.theme_trends(con, week)
            emerging = emerging_themes(DigestReader(con, Scope()), week)
        return page(request, "overview.html.j2", week=week, trends=trends, emerging=emerging)

    async def drill(request: Request) -> Response:
        chosen = {k: request.query_params[k] for k in DRILL_LEVELS if request.query_params.get(k)}
        theme_id = request.query_params.get("theme") or "alle"
        with connect() as con:
            week = chosen_week(request, con)
            result = explore.drill(con, week, theme_id, chosen)
            info = explore.theme_info(con, theme_id)
            themes = explore.theme_trends(con, week)
        return page(
            request,
            "drill.html.j2",
            week=week,
            drill=result,
            theme_id=theme_id,
            info=info,
            themes=themes,
            chosen=chosen,
        )

    def theme_context(request: Request, theme_id: str) -> dict:
        with connect() as con:
            info = explore.theme_info(con, theme_id)
            if info is None:
                raise HTTPException(404, f"Onbekend thema {theme_id}")
            week = chosen_week(request, con)
            total, provinces, sectors = explore.where_this_week(con, week, theme_id)
            trend = next(
                (t for t in explore.theme_trends(con, week) if t.theme_id == theme_id), None
            )
            user = current_user(request)
            quotes, quotes_note = explore.quotes(con, theme_id, week) if user else (None, None)
            return {
                "info": info,
                "week": week,
                "total": total,
                "provinces": provinces,
                "sectors": sectors,
                "trend": trend,
                "lineage": explore.lineage(con, theme_id),
                "alerts": explore.alerts(con, theme_id),
                # Quotes leave the snapshot only for a logged-in user.
                "quotes": quotes,
                "quotes_note": quotes_note,
            }

    async def theme(request: Request) -> Response:
        context = theme_context(request, request.path_params["theme_id"])
        return page(request, "theme.html.j2", **context)

    async def dossier(request: Request) -> Response:
        if current_user(request) is None:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        context = theme_context(request, request.path_params["theme_id"])
        html = env.get_template("dossier.html.j2").render(**context)
        filename = f"dossier-{context['info']['theme_id']}-{context['week']}.html"
        return HTMLResponse(
            html, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )

    async def alert_list(request: Request) -> Response:
        with connect() as con:
            return page(request, "alerts.html.j2", alerts=explore.alerts(con))

    async def login(request: Request) -> Response:
        error, status = None, 200
        if request.method == "POST":
            form = await request.form()
            name = str(form.get("name", ""))
            keys = login_keys(name, request.client.host if request.client else None)
            wait = throttle.wait_seconds(keys)
            if wait > 0:
                # Refused before the password is checked, so guessing on gains nothing.
                minutes = math.ceil(wait / 60)
                error = (
                    "Te vaak een verkeerde naam of een verkeerd wachtwoord. Probeer het over "
                    f"{minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw."
                )
                status = 429
            elif user := store.authenticate(name, str(form.get("password", ""))):
                throttle.succeeded(keys[0])
                sessions.end(request.session.get("session"))
                request.session.clear()
                request.session["session"] = sessions.start(user.name)
                return RedirectResponse(_local_path(str(form.get("next") or "/")), 303)
            else:
                throttle.failed(keys)
                error = "Naam of wachtwoord klopt niet."
        return page(
            request,
            "login.html.j2",
            status=status,
            error=error,
            next=request.query_params.get("next", "/"),
        )

    async def logout(request: Request) -> Response:
        sessions.end(request.session.get("session"))
        request.session.clear()
        return RedirectResponse("/", status_code=303)

    def require_curator(request: Request) -> User:
        user = current_user(request)
        if user is None or not user.can_curate:
            raise HTTPException(403, "Alleen een curator mag de thema-indeling aanpassen.")
        return user

    async def curate(request: Request) -> Response:
        require_curator(request)
        loaded = taxonomy.load()
        return page(request, "curate.html.j2", taxonomy=loaded, audit=taxonomy.audit()[-15:][::-1])

    def change(action: str, build: Callable[[Taxonomy, dict], tuple[list[str], str]]):
        async def handler(request: Request) -> Response:
            user = require_curator(request)
            form = dict(await request.form())
            if not secrets.compare_digest(str(form.get("csrf", "")), csrf(request)):
                raise HTTPException(403, "Formulier verlopen; laad de pagina opnieuw.")
            try:
                taxonomy.apply(
                    action,
                    lambda t: build(t, form),
                    reason=str(form.get("reason", "")),
                    by=user.name,
                )
            except TaxonomyError as error:
                return page(
                    request,
                    "curate.html.j2",
                    status=400,
                    taxonomy=taxonomy.load(),
                    audit=taxonomy.audit()[-15:][::-1],
                    error=str(error),
                )
            return RedirectResponse("/curate", status_code=303)

        return handler

    def rename(t: Taxonomy, form: dict) -> tuple[list[str], str]:
        theme = t.get(str(form["theme_id"]))
        old = theme.name
        t.rename(theme.id, str(form.get("name", "")))
        return [theme.id], f"{theme.id} hernoemd: '{old}' → '{theme.name}'"

    def merge(t: Taxonomy, form: dict) -> tuple[list[str], str]:
        source, target = str(form["source_id"]), str(form["target_id"])
        t.merge([source], target)
        return [source, target], f"{source} samengevoegd in {target}"

    def pin(t: Taxonomy, form: dict) -> tuple[list[str], str]:
        theme_id, pinned = str(form["theme_id"]), form.get("pinned") == "1"
        t.set_pinned(theme_id, pinned)
        return [theme_id], f"{theme_id} {'vastgezet' if pinned else 'losgemaakt'}"

    async def on_http_error(request: Request, error: HTTPException) -> Response:
        title, message = ERROR_PAGES.get(error.status_code, (None, error.detail))
        if error.detail != HTTPStatus(error.status_code).phrase:
            message = error.detail  # our own Dutch explanation, e.g. "Onbekend thema T0099"
        response = page(request, "error.html.j2", error.status_code, title=title, message=message)
        response.headers.update(error.headers or {})  # e.g. Allow on a 405
        return response

    async def on_server_error(request: Request, error: Exception) -> Response:
        # No user lookup here: whatever failed may fail again. Never the exception's text;
        # Starlette re-raises the exception after this answer, so the server logs it.
        title, message = ERROR_PAGES[500]
        html = env.get_template("error.html.j2").render(
            user=None, request=request, title=title, message=message
        )
        return HTMLResponse(html, status_code=500)

    routes = [
        Route("/", overview),
        Route("/drill", drill),
        Route("/theme/{theme_id}", theme),
        Route("/theme/{theme_id}/dossier", dossier),
        Route("/alerts", alert_list),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/curate", curate),
        Route("/curate/rename", change("rename", rename), methods=["POST"]),
        Route("/curate/merge", change("merge", merge), methods=["POST"]),
        Route("/curate/pin", change("pin", pin), methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=config.secret_key,
                session_cookie="ledenradar_session",
                same_site="strict",
                https_only=config.secure_cookies,
                max_age=SESSION_SECONDS,
            )
        ],
        exception_handlers={HTTPException: on_http_error, Exception: on_server_error},
    )


def _local_path(target: str) -> str:
    """Only a path on this site: '//host' or '/\\host' would send the user elsewhere."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"
