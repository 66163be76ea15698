"""The web pages: server-rendered Jinja2 with a little htmx, mounted next to the API."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from resched.http.csrf import verify_csrf
from resched.web import (
    absence_actions,
    absences_page,
    admin_pages,
    audit_page,
    auth_pages,
    calendar_feed_page,
    catalog_pages,
    compliance,
    contingency_page,
    emergency_page,
    generate,
    generation_page,
    import_page,
    inbox_page,
    jobs,
    leave_page,
    my_leave,
    my_schedule_page,
    outbox_page,
    pdf_downloads,
    people_pages,
    plan_cells,
    program_settings,
    requests_page,
    rollover_page,
    schedule_changes_page,
    schedule_edit_page,
    schedule_page,
    setup_page,
    swaps_page,
    today_page,
    years_page,
)
from resched.web.errors import render_domain_error, render_error_page, render_server_error
from resched.web.pages import router
from resched.web.templating import STATIC_DIR, templates
from resched.web.unavailable_page import render_unavailable


def mount_web(app: FastAPI) -> None:
    """Static files under ``/static``, the page routes (every unsafe method CSRF-checked), and
    HTML error pages for every path outside ``/api`` (api/errors.py calls the
    ``app.state.html_*`` hooks for those)."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # In production the templates are those of the installed release: checking each file's
    # time on every render (Jinja's auto_reload) is work for nothing; a release restarts.
    templates.env.auto_reload = not app.state.settings.is_production
    pages = (
        router,
        absences_page.router,
        absence_actions.router,
        auth_pages.router,
        catalog_pages.router,
        admin_pages.router,
        audit_page.router,
        outbox_page.router,
        inbox_page.router,
        compliance.router,
        pdf_downloads.router,
        contingency_page.router,
        generate.router,
        generation_page.router,
        jobs.router,
        leave_page.router,
        emergency_page.router,
        my_leave.router,
        calendar_feed_page.router,
        my_schedule_page.router,
        plan_cells.router,
        people_pages.router,
        program_settings.router,
        requests_page.router,
        swaps_page.router,
        setup_page.router,
        today_page.router,
        schedule_edit_page.router,
        schedule_changes_page.router,
        schedule_page.router,
        years_page.router,
        rollover_page.router,
        import_page.router,
    )
    for page_router in pages:
        app.include_router(page_router, dependencies=[Depends(verify_csrf)])
    app.state.html_error_page = render_error_page
    app.state.html_domain_error = render_domain_error
    app.state.html_server_error = render_server_error
    app.state.html_unavailable = render_unavailable
