"""The bell: an instrument returned by the Analista reaches its focal point in-app, read when opened."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import screenshot
from sime.accounts.models import User
from sime.notifications.services import mark_all_read
from sime.policy.demo import load_policy
from sime.reporting import demo as reporting_demo
from sime.reporting import services
from sime.reporting.demo import load_reporting
from sime.reporting.models import Submission
from sime.reporting.selectors import all_dimensions, beneficiary_dimensions


def instrument_in_review(technical: User, planning: User, analyst: User, admin: User) -> Submission:
    """MINEX's instrument of the demo period, filled with the demo's values, sent and under review."""
    period = load_reporting()
    assert period is not None
    services.open_period(by=admin, period=period)
    submission = period.submissions.get(institution=technical.institution)
    dims, beneficiary_dims = all_dimensions(), beneficiary_dimensions()
    for item in submission.actionprogress_items.select_related("action__node", "submission"):
        values = reporting_demo._action_values(item, period, beneficiary_dims)
        services.save_item(by=technical, item=item, values=values, version=item.version)
    for value in submission.indicatorvalue_items.select_related("indicator").prefetch_related(
        "indicator__targets", "indicator__milestone_steps", "indicator__dimensions"
    ):
        values = reporting_demo._indicator_value(value, period, dims)
        services.save_item(by=technical, item=value, values=values, version=value.version)
    services.sign_technical(by=technical, submission=submission)
    services.sign_planning(by=planning, submission=submission)
    services.send_submission(by=technical, submission=submission)
    services.start_review(by=analyst, submission=submission)
    return submission


def test_a_returned_instrument_rings_the_focal_points_bell(login, demo, live_server, no_axe_violations) -> None:  # type: ignore[no-untyped-def]
    load_policy()
    people = {role: User.objects.get(email=email) for role, email in demo.items()}
    submission = instrument_in_review(
        people["focal_technical"], people["focal_planning"], people["analyst"], people["admin"]
    )
    mark_all_read(by=people["focal_technical"])  # the earlier steps (opened, in review) were seen
    url = f"{live_server.url}/reportes/instrumentos/{submission.pk}/"

    # The Analista returns it with a general observation.
    page: Page = login(demo["analyst"])
    page.goto(url)
    page.get_by_role("link", name="Devolver con observaciones").click()
    page.get_by_label("Observación general").fill("Adjunte el acta de la mesa técnica.")
    page.get_by_role("button", name="Devolver con observaciones").first.click()
    expect(page.get_by_test_id("status")).to_have_text("Devuelto con observaciones")

    # The técnica signs in: one unread notification, named for screen readers.
    page.context.clear_cookies()
    login(demo["focal_technical"])
    bell = page.get_by_role("button", name="Notificaciones, 1 sin leer")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("notification-badge")).to_have_text("1")
    bell.click()
    item = page.get_by_test_id("notification-items").get_by_role("link").first
    expect(item).to_contain_text("fue devuelto con observaciones")
    expect(item).to_contain_text("Nueva")
    no_axe_violations(page)
    path = screenshot(page, "notifications-1-bell-open")
    page.screenshot(path=str(path.with_name("notifications-bell-viewport.png")))

    # Opening it lands on the instrument, and the bell has nothing left to say.
    item.click()
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", name="Instrumento de recolección de información")).to_be_visible()
    expect(page.get_by_test_id("notification-badge")).to_have_count(0)
    expect(page.get_by_role("button", name="Notificaciones", exact=True)).to_be_visible()
    no_axe_violations(page)
    screenshot(page, "notifications-2-instrument-opened")

    # The notifications page keeps it, read, with its date.
    page.goto(f"{live_server.url}/notificaciones/")
    expect(page.get_by_test_id("notification-list")).to_contain_text("fue devuelto con observaciones")
    expect(page.get_by_test_id("notification-list").get_by_text("Nueva")).to_have_count(0)
    no_axe_violations(page)
    screenshot(page, "notifications-3-list")

    # On a phone the bell stays in the bar, beside the menu button, not folded into the menu.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("button", name="Notificaciones", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Abrir el menú")).to_be_visible()
    no_axe_violations(page)
    page.screenshot(path=str(screenshot(page, "notifications-4-phone").with_name("notifications-phone-viewport.png")))


def test_the_bell_fits_the_fullest_menu_on_one_line(login, demo, live_server) -> None:  # type: ignore[no-untyped-def]
    page: Page = login(demo["admin"])  # the Administrador has the most menu items
    bell = page.get_by_role("button", name="Notificaciones", exact=True)
    expect(bell).to_be_visible()
    box = bell.bounding_box()
    navbar = page.locator(".sime-navbar").bounding_box()
    assert box is not None and navbar is not None
    assert box["x"] + box["width"] <= 1280
    assert navbar["height"] < 70, navbar  # one line: nothing wrapped under the brand
    screenshot(page, "notifications-5-admin-navbar")
