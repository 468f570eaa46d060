"""Every list page on a phone (390x844, Chromium): the page never scrolls sideways, and no table
cell holding text is squeezed narrower than 40 px (Chinese text would otherwise wrap after every
character). Wide tables scroll inside their own box with the first column fixed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison import services as network_services
from representatives.services import corrections, groups, imports
from representatives.services.refresh import half_year_start, register_refresh_open
from tests.representatives.factories import make_representative
from tests.representatives.import_helpers import row, xlsx_bytes
from tests.representatives.register_helpers import build_register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MEASURE = """() => {
  const MIN_CELL = 40;
  const narrow = [];
  for (const cell of document.querySelectorAll("td, th")) {
    if (!cell.innerText.trim() || !cell.getClientRects().length) continue;
    const width = cell.getBoundingClientRect().width;
    if (width < MIN_CELL) narrow.push(`${cell.innerText.trim().slice(0, 12)} (${Math.round(width)} px)`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, cells: document.querySelectorAll("td, th").length,
          narrow: narrow};
}"""


def _objects(net, register):
    """Enough of everything that every list has rows: long names and specialties, a group, an
    import, a refresh with confirmations, a message in the inbox."""
    admin = net.users["superuser"]
    for i in range(3):
        make_representative(
            net,
            name=f"欧阳晓{'梅兰竹菊'[i]}",
            specialties=["农业技术推广", "基层社会治理", "法律服务", "医疗卫生"],
        )
    group = groups.group_create(actor=admin, name="甲镇农业农村专业小组", kind="group", station=net.station_a)
    for rep in list(register.reps.values())[:4]:
        groups.group_add_member(actor=admin, group=group, representative=rep)
    data = xlsx_bytes([row(姓名="新代表甲"), row(姓名="新代表乙", 手机号码="123")])
    batch = imports.import_upload(actor=admin, name="甲镇代表名册.xlsx", data=data)
    campaign = register_refresh_open(actor=admin, period_start=half_year_start(timezone.localdate()))
    network_services.notify(
        recipient=admin, kind="test", key="phone-layout", title="登记册半年更新已开始", body="请在截止日期前确认。"
    )
    # A correction request with proposed values, waiting for the officer.
    rep = register.reps["乡甲进城"]
    correction = corrections.correction_request(
        actor=rep.user or admin,
        representative=rep,
        message="换了工作单位，电话也换了。",
        proposed={"occupation": "云和县石塘镇农业农村服务中心农技推广站站长"},
    )
    return {"group": group, "batch": batch, "campaign": campaign, "correction": correction}


# (user, url name, args from the objects) — every page of liaison/urls.py and representatives/urls.py
# that lists things.
PAGES = [
    ("superuser", "liaison:dashboard", None),
    ("county", "liaison:dashboard", None),
    ("officer", "liaison:dashboard", None),
    ("superuser", "liaison:station_tree", None),
    ("superuser", "liaison:station_detail", "station"),
    ("superuser", "liaison:inbox", None),
    ("superuser", "representatives:list", None),
    ("superuser", "representatives:detail", "rep"),
    ("representative", "representatives:me", None),
    ("superuser", "representatives:import", None),
    ("superuser", "representatives:import_detail", "batch"),
    ("superuser", "representatives:group_list", None),
    ("superuser", "representatives:group_detail", "group"),
    ("superuser", "representatives:register", None),
    ("superuser", "representatives:register_print", None),
    ("superuser", "representatives:register_detail", "entry"),
    ("superuser", "representatives:mobility_report", None),
    ("superuser", "representatives:refresh_list", None),
    ("superuser", "representatives:refresh_detail", "campaign"),
    ("representative", "representatives:refresh_mine", None),
    ("representative", "liaison:dashboard", None),
    ("superuser", "representatives:correction_list", None),
    ("superuser", "representatives:correction_detail", "correction"),
]


@pytest.mark.parametrize(("username", "url_name", "arg"), PAGES, ids=[f"{p[1]}-{p[0]}" for p in PAGES])
def test_list_pages_fit_a_phone(browser_network, live_server, login, page, username, url_name, arg):
    net = browser_network
    register = build_register(net)
    objects = _objects(net, register)
    args = {
        None: [],
        "station": [net.station_a.pk],
        "rep": [register.reps["乡甲进城"].pk],
        "entry": [register.entry("乡甲进城").pk],
        **{key: [obj.pk] for key, obj in objects.items()},
    }[arg]
    page.set_viewport_size(PHONE)
    # The Content-Security-Policy must not block anything the pages need (htmx, Bootstrap, ours).
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    login(net.users[username].username)
    response = page.goto(f"{live_server.url}{reverse(url_name, args=args)}")
    assert response.status == 200
    result = page.evaluate(MEASURE)
    name = url_name.replace(":", "-")
    page.screenshot(path=f"test-results/phone-{name}-{username}.png", full_page=True)
    assert result["scrollWidth"] <= PHONE["width"], result
    assert result["narrow"] == [], result  # cells under 40 px
    assert blocked == []


@pytest.mark.parametrize("url_name", ["representatives:list", "representatives:register"])
def test_widest_lists_fit_a_tablet(browser_network, live_server, login, page, url_name):
    """The same on a tablet in portrait (820 px): below xl the widest tables scroll in their box."""
    net = browser_network
    register = build_register(net)
    _objects(net, register)
    page.set_viewport_size({"width": 820, "height": 1180})
    login("admin")
    page.goto(f"{live_server.url}{reverse(url_name)}")
    result = page.evaluate(MEASURE)
    assert result["scrollWidth"] <= 820, result
    assert result["narrow"] == [], result
