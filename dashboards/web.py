"""The dashboard: a small server-rendered Starlette app, read-only on the analysts' snapshot.

Anyone who can reach it sees suppressed counts; quotes and the press dossier need a
login; taxonomy curation needs the curator role and goes through `topics.taxonomy`,
so every change lands in the same YAML and audit log as `ledenradar themes`.
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
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

from dashboards import charts, explore, exports
from dashboards.auth import ROLE_LABELS, User, UserStore
from dashboards.curation import (
    Curation,
    curate_rows,
    merge_change,
    merge_suggestion,
    pin_change,
    rename_change,
)
from dashboards.digest import build_digest
from dashboards.dossier import UnknownTheme, dossier_filename, render_dossier, theme_context
from dashboards.dutch import IsoWeek
from dashboards.episodes import EpisodeAlert
from dashboards.explore import DRILL_LEVELS
from dashboards.facets import facet_names
from dashboards.overview import Choice
from dashboards.overview import overview_context as overview_data
from dashboards.pdf import PdfError, html_to_pdf
from dashboards.render import environment, render_html, url
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
PDF_UNAVAILABLE = (
    "De PDF kan nu niet worden gemaakt. Download het dossier als HTML of probeer het later opnieuw."
)
log = logging.getLogger(__name__)


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
    # The chart renderer's JavaScript runtime takes about a second to start: start it now,
    # beside the server's own start, rather than in the first page an official opens.
    threading.Thread(target=charts.warm_up, name="charts-warm-up", daemon=True).start()
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

    def overview_context(request: Request) -> dict:
        curation = Curation.load(taxonomy)
        try:
            choice = Choice.from_query(request.query_params)
        except ValueError as error:
            raise HTTPException(400, str(error)) from error
        with connect() as con:
            return overview_data(con, chosen_week(request, con), choice, curation)

    async def overview(request: Request) -> Response:
        context = overview_context(request)  # a range it cannot show: the form and why
        return page(request, "overview.html.j2", 400 if context["range_error"] else 200, **context)

    def drill_context(request: Request) -> dict:
        chosen = {k: request.query_params[k] for k in DRILL_LEVELS if request.query_params.get(k)}
        # Links saved before `region` became `province` (docs/warehouse.md, "Changes").
        if request.query_params.get("region") and "province" not in chosen:
            chosen["province"] = request.query_params["region"]
        theme_id = request.query_params.get("theme") or "alle"
        facet_id = request.query_params.get("facet") or None
        curation = Curation.load(taxonomy)
        with connect() as con:
            week = chosen_week(request, con)
            facets = dict(facet_names(con, theme_id))
            if facet_id is not None and facet_id not in facets:
                raise HTTPException(404, f"Thema {theme_id} heeft geen aspect {facet_id}")
            result = explore.drill(con, week, theme_id, chosen, facet_id)
            info = explore.theme_info(con, theme_id)
            themes = explore.theme_trends(con, week)
        if info:
            info["name"] = curation.name(theme_id, info["name"])
        return {
            "week": week,
            "drill": result,
            "theme_id": theme_id,
            "info": info,
            "themes": [curation.renamed(t) for t in themes],
            "chosen": chosen,
            # A theme of one facet has nothing to choose between.
            "facets": facets if len(facets) > 1 else {},
            "facet_id": facet_id,
        }

    async def drill(request: Request) -> Response:
        return page(request, "drill.html.j2", **drill_context(request))

    def theme_page_context(request: Request, theme_id: str) -> dict:
        curation = Curation.load(taxonomy)
        with connect() as con:
            week = chosen_week(request, con)
            try:
                # Quotes leave the snapshot only for a logged-in user.
                with_quotes = current_user(request) is not None
                return theme_context(con, theme_id, week, with_quotes, curation)
            except UnknownTheme as error:
                raise HTTPException(404, str(error)) from error

    async def theme(request: Request) -> Response:
        context = theme_page_context(request, request.path_params["theme_id"])
        return page(request, "theme.html.j2", **context)

    def login_first(request: Request) -> Response | None:
        if current_user(request) is not None:
            return None
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(url("/login", next=target), status_code=303)

    async def dossier(request: Request) -> Response:
        if refused := login_first(request):
            return refused
        kind = request.path_params.get("format", "html")
        if kind not in ("html", "pdf"):
            raise HTTPException(404)
        context = theme_page_context(request, request.path_params["theme_id"])
        html = render_dossier(context)
        if kind == "pdf":
            try:
                pdf = html_to_pdf(html)
            except PdfError as error:
                # The reason (paths, browser output) goes to the server log, not the page.
                log.warning("dossier PDF failed: %s", error)
                raise HTTPException(503, PDF_UNAVAILABLE) from error
            return Response(
                pdf,
                media_type="application/pdf",
                headers=attachment(dossier_filename(context, "pdf")),
            )
        return HTMLResponse(html, headers=attachment(dossier_filename(context, "html")))

    async def digest_page(request: Request) -> Response:
        # The digest quotes members, so like the dossier it needs a login.
        if refused := login_first(request):
            return refused
        with connect() as con:
            digest = build_digest(con, chosen_week(request, con))
        return HTMLResponse(render_html(digest))

    def alerts_context(request: Request) -> list[EpisodeAlert]:
        curation = Curation.load(taxonomy)
        with connect() as con:
            alerts = explore.alerts(con)
        return [curation.renamed(a, name_field="theme_name") for a in alerts]

    async def alert_list(request: Request) -> Response:
        return page(request, "alerts.html.j2", alerts=alerts_context(request))

    def export_table(request: Request) -> exports.Table:
        """The table of a page, from that page's own context (no second query)."""
        table = request.path_params["table"]
        if table == "themas":
            context = overview_context(request)
            if context["range_error"]:
                raise HTTPException(400, context["range_error"])
            return exports.themes_table(context)
        if table == "signalen":
            return exports.alerts_table(alerts_context(request))
        if table == "inzoomen":
            context = drill_context(request)
            subject = "-".join(filter(None, (context["theme_id"], context["facet_id"])))
            return exports.drill_table(context["drill"], str(context["week"]), subject)
        if table in exports.THEME_TABLES:
            theme_id = request.query_params.get("theme", "")
            return exports.theme_table(table, theme_page_context(request, theme_id))
        raise HTTPException(404, f"Onbekende tabel {table}")

    async def export_csv(request: Request) -> Response:
        table = export_table(request)
        return Response(
            table.csv().encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers=attachment(f"{table.name}.csv"),
        )

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

    def curate_page(request: Request, status: int = 200, **extra: object) -> Response:
        query = request.query_params.get("q", "").strip()
        with connect() as con:
            rows = curate_rows(con, taxonomy.load(), query)
        return page(
            request,
            "curate.html.j2",
            status=status,
            rows=rows,
            query=query,
            active=taxonomy.load().active(),
            audit=taxonomy.audit()[-15:][::-1],
            **extra,
        )

    async def curate(request: Request) -> Response:
        require_curator(request)
        return curate_page(request)

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
                suggestion = None
                if action == "rename":
                    theme_id = str(form.get("theme_id", ""))
                    found = merge_suggestion(taxonomy.load(), theme_id, str(form.get("name", "")))
                    suggestion = (theme_id, *found) if found else None
                return curate_page(request, 400, error=str(error), suggestion=suggestion)
            return RedirectResponse("/curate", status_code=303)

        return handler

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
        Route("/theme/{theme_id}/dossier.{format:str}", dossier),
        Route("/digest", digest_page),
        Route("/export/{table:str}.csv", export_csv),
        Route("/alerts", alert_list),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/curate", curate),
        Route("/curate/rename", change("rename", rename_change), methods=["POST"]),
        Route("/curate/merge", change("merge", merge_change), methods=["POST"]),
        Route("/curate/pin", change("pin", pin_change), methods=["POST"]),
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


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _local_path(target: str) -> str:
    """Only a path on this site: '//host' or '/\\host' would send the user elsewhere."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"
