"""Playwright against Debian's Chromium (no browser download here) and Django's live server."""

import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def browser_network(transactional_db):
    from tests.factories import build_network

    return build_network()


@pytest.fixture
def login(page, live_server):
    from tests.factories import PASSWORD

    page.set_default_timeout(10_000)

    def sign_in(username):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in


def pick(page, name, text, label=None):
    """Choose in a search-as-you-type field (liaison.widgets): type, wait for the match, tap it."""
    from playwright.sync_api import expect

    page.locator(f"#id_{name}_q").press_sequentially(text)
    result = page.locator(f"#id_{name}_results label", has_text=label or text).first
    result.click()
    # A picked result stays where it is until the next search moves it up to the chosen ones.
    box = page.get_by_test_id(f"search-choice-{name}")
    expect(box.locator("label", has_text=label or text).locator("input").first).to_be_checked()
