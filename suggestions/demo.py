"""The demo county's suggestions: a year of opinions over every station, handled by about twenty
of the county's bureaus, in every state, some overdue, with ratings; 住建局 (login `zhujian`) has
work waiting. Every suggestion goes through the services (so its timeline is real); the dates are
then spread over the past year. The demo representative (login `daibiao`) leads a few proposals
of this year, answered and rated, so this year's evaluation draft (computed here) shows how
proposals were handled. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from liaison.models import RoleGrant
from suggestions import deadlines
from suggestions.models import (
    Answer,
    Assignment,
    Category,
    DeadlineRule,
    HandlingUnit,
    Rating,
    Suggestion,
    Supervision,
    Transition,
)
from suggestions.services import answering, handling, intake, supervision

ZHUJIAN = "云和县住房和城乡建设局"
UNITS = [
    ZHUJIAN,
    "云和县交通运输局",
    "云和县农业农村局",
    "云和县教育局",
    "云和县卫生健康局",
    "云和县民政局",
    "云和县人力资源和社会保障局",
    "云和县自然资源和规划局",
    "丽水市生态环境局云和分局",
    "云和县水利局",
    "云和县综合行政执法局",
    "云和县市场监督管理局",
    "云和县公安局",
    "云和县文化和广电旅游体育局",
    "云和县应急管理局",
    "云和县医疗保障局",
    "云和县财政局",
    "云和县经济商务科技局",
    "云和县供电公司",
    "云和县水务集团",
]
# (title, unit, category) of the matters voters raise.
MATTERS = [
    ("小区雨污管网改造进度慢", ZHUJIAN, "民生保障"),
    ("老旧小区加装电梯手续繁琐", ZHUJIAN, "民生保障"),
    ("安置房交付后墙面渗水", ZHUJIAN, "民生保障"),
    ("村道弯道缺少防护栏", "云和县交通运输局", "道路交通"),
    ("城乡公交班次太少", "云和县交通运输局", "道路交通"),
    ("茶园机耕路损毁", "云和县农业农村局", "其他"),
    ("学校门口接送车辆拥堵", "云和县教育局", "道路交通"),
    ("乡镇卫生院缺少儿科医生", "云和县卫生健康局", "民生保障"),
    ("高龄老人补贴发放不及时", "云和县民政局", "民生保障"),
    ("灵活就业人员参保咨询难", "云和县人力资源和社会保障局", "民生保障"),
    ("宅基地审批周期长", "云和县自然资源和规划局", "营商环境"),
    ("溪边养殖场异味扰民", "丽水市生态环境局云和分局", "生态环境"),
    ("山塘水库堤坝渗漏", "云和县水利局", "安全生产"),
    ("夜市占道经营", "云和县综合行政执法局", "道路交通"),
    ("农贸市场缺斤短两", "云和县市场监督管理局", "营商环境"),
    ("村口路段夜间飙车", "云和县公安局", "安全生产"),
    ("村文化礼堂设备老化", "云和县文化和广电旅游体育局", "其他"),
    ("木玩企业消防通道被占", "云和县应急管理局", "安全生产"),
    ("异地就医备案不会操作", "云和县医疗保障局", "民生保障"),
    ("村级项目资金拨付慢", "云和县财政局", "营商环境"),
    ("园区企业用工招聘难", "云和县经济商务科技局", "营商环境"),
    ("山区村频繁停电", "云和县供电公司", "民生保障"),
    ("高层住户夏季水压不足", "云和县水务集团", "民生保障"),
]
# How each demo suggestion ends, in proportion: (state, weight).
OUTCOMES = [
    ("submitted", 4),
    ("accepted", 3),
    ("declined", 3),
    ("merged", 2),
    ("settled", 5),
    ("assigned", 10),
    ("overdue", 6),
    ("answered", 8),
    ("satisfied", 30),
    ("partly", 8),
    ("rehandling", 4),
    ("unsatisfied_twice", 2),
    ("closed_by_county", 2),
]
TOTAL = 160
NAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "叶", "蓝", "雷"]


def ensure_categories() -> dict[str, Category]:
    """The categories every instance starts with (migration 0003), if they are gone (a test run that
    emptied the tables); an instance's own categories are left as they are."""
    from suggestions.apps import restore_starting_data

    restore_starting_data(sender=None)
    return {c.name: c for c in Category.objects.all()}


def _unit_user(unit: HandlingUnit, index: int):
    """The unit's demo user: `zhujian` for 住建局, a quiet `unit-NN` account for the others."""
    grant = RoleGrant.objects.filter(role=RoleGrant.Role.HANDLING_UNIT, handling_unit=unit).select_related("user")
    found = grant.first()
    if found:
        return found.user
    User = get_user_model()
    user, created = User.objects.get_or_create(username=f"unit-{index:02d}", defaults={"full_name": unit.name[3:9]})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=RoleGrant.Role.HANDLING_UNIT, handling_unit=unit)
    return user


def _spread(suggestion: Suggestion, start: datetime.datetime, gaps: list[float]) -> None:
    """Put the suggestion's steps at `start` + the cumulative `gaps` (days) instead of now."""
    steps = list(Transition.objects.filter(suggestion=suggestion).order_by("at", "pk"))
    when = start
    times = []
    for index, step in enumerate(steps):
        if index:
            when = when + datetime.timedelta(days=gaps[min(index - 1, len(gaps) - 1)])
        times.append(when)
        Transition.objects.filter(pk=step.pk).update(at=when)
    by_action: dict[str, list[datetime.datetime]] = {}
    for step, at in zip(steps, times, strict=True):
        by_action.setdefault(step.action, []).append(at)
    fields: dict = {"submitted_at": start}
    if "accept" in by_action:
        fields["accepted_at"] = by_action["accept"][0]
    assigned = by_action.get("assign", []) + [at for s, at in zip(steps, times, strict=True) if s.action == "rate"]
    for assignment, at in zip(
        Assignment.objects.filter(suggestion=suggestion, role=Assignment.Role.LEAD).order_by("round", "pk"),
        assigned,
        strict=False,
    ):
        rule = DeadlineRule.Key.REHANDLE if assignment.round > 1 else DeadlineRule.Key.OPINION_ANSWER
        due = deadlines.due_by_rule(rule, timezone.localtime(at).date())
        Assignment.objects.filter(pk=assignment.pk).update(assigned_at=at, due_on=due.due_on)
        fields["due_on"] = due.due_on
    for answer, at in zip(
        Answer.objects.filter(suggestion=suggestion).order_by("pk"), by_action.get("answer", []), strict=False
    ):
        Answer.objects.filter(pk=answer.pk).update(answered_at=at)
        fields["answered_at"] = at
    for rating, at in zip(
        Rating.objects.filter(suggestion=suggestion).order_by("pk"), by_action.get("rate", []), strict=False
    ):
        Rating.objects.filter(pk=rating.pk).update(created_at=at)
    if suggestion.closed_at or "close" in by_action or suggestion.status == Suggestion.Status.CLOSED:
        fields["closed_at"] = times[-1]
    Suggestion.objects.filter(pk=suggestion.pk).update(**fields)


def _answer(suggestion: Suggestion, users: dict, result: str) -> None:
    lead = Assignment.objects.get(suggestion=suggestion, role=Assignment.Role.LEAD, status=Assignment.Status.ACTIVE)
    answering.suggestion_answer(
        actor=users[lead.unit_id],
        assignment_id=lead.pk,
        text=f"经现场核查，{suggestion.title}的情况属实，已制定整改方案并落实。",
        result=result,
        public_answer=f"关于“{suggestion.title}”：已现场核查并安排整改，感谢您的关注。",
    )


def _open_target(ids: list[int]) -> int | None:
    open_states = [Suggestion.Status.ACCEPTED, Suggestion.Status.ASSIGNED]
    return Suggestion.objects.filter(pk__in=ids[-10:], status__in=open_states).values_list("pk", flat=True).last()


@transaction.atomic
def seed_suggestions(*, admin, network: dict) -> dict:
    county = network["county"]
    units = {name: HandlingUnit.objects.get_or_create(name=name, defaults={"division": county})[0] for name in UNITS}
    users = {unit.pk: _unit_user(unit, index) for index, unit in enumerate(units.values(), start=1)}
    staff = get_user_model().objects.get(username="county")
    if Suggestion.objects.filter(title__startswith=MATTERS[0][0], station__slug="yunhe").exists():
        _seed_proposals(units=units, users=users, staff=staff)
        return {"suggestions": Suggestion.objects.count(), "created": 0, "units": len(units)}
    categories = ensure_categories()
    stations = sorted(network["stations"].values(), key=lambda s: s.slug)
    rng = random.Random(20260101)
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    now = timezone.now()
    created = 0
    survivors: list[int] = []
    for index in range(TOTAL):
        station = stations[index % len(stations)] if index else network["stations"]["yunhe"]
        title, unit_name, category = MATTERS[index % len(MATTERS)]
        # 住建局's own waiting work: the first few are open and assigned to it.
        outcome = ["assigned", "overdue", "rehandling", "answered"][index % 4] if index < 8 else rng.choice(outcomes)
        if index < 8:
            title, unit_name, category = MATTERS[index % 3]
        days_ago = {"submitted": rng.randint(0, 4), "accepted": rng.randint(2, 8), "assigned": rng.randint(3, 12)}.get(
            outcome, rng.randint(25, 360)
        )
        start = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 8))
        public = index % 3 != 0
        fields = {
            "source": Suggestion.Source.STATION_CODE if public else Suggestion.Source.OFFICER,
            "title": f"{title}（{station.name[:6]}）" if index else title,
            "content": f"{station.name}附近群众反映：{title}，希望有关部门尽快研究解决。",
            "category_id": (categories.get(category) or next(iter(categories.values()))).pk,
            "station_id": station.pk,
            "contact_name": f"{NAMES[index % len(NAMES)]}先生",
            "contact_phone": f"139{57800000 + index:08d}",
            "publish_consent": index % 2 == 0,
        }
        s = intake.suggestion_create_public(**fields) if public else intake.suggestion_create(actor=staff, **fields)
        created += 1
        sid = s.pk
        gaps = [rng.uniform(0.5, 3), rng.uniform(0.5, 2), rng.uniform(3, 35), rng.uniform(1, 7), rng.uniform(5, 20)]
        if outcome == "submitted":
            pass
        elif outcome == "declined":
            handling.suggestion_decline(
                actor=staff, suggestion_id=sid, reason="属于司法程序处理的事项，已告知当事人依法申请。"
            )
        elif outcome == "merged" and _open_target(survivors):
            handling.suggestion_merge(actor=staff, suggestion_id=sid, into_id=_open_target(survivors))
        elif outcome in ("settled", "merged"):
            handling.suggestion_settle(actor=staff, suggestion_id=sid, note="联络站当场协调，问题已解决。")
        else:
            handling.suggestion_accept(actor=staff, suggestion_id=sid)
            survivors.append(sid)
            if outcome != "accepted":
                handling.suggestion_assign(actor=staff, suggestion_id=sid, lead_unit_id=units[unit_name].pk)
            if outcome in ("answered", "satisfied", "partly", "rehandling", "unsatisfied_twice", "closed_by_county"):
                _answer(s, users, rng.choice("AAABBCD"))
            if outcome in ("satisfied", "partly"):
                handling.suggestion_rate(suggestion_id=sid, value=outcome, by=Rating.By.VOTER)
            if outcome in ("rehandling", "unsatisfied_twice", "closed_by_county"):
                handling.suggestion_rate(suggestion_id=sid, value="unsatisfied", by=Rating.By.VOTER)
            if outcome in ("unsatisfied_twice", "closed_by_county"):
                _answer(s, users, "D")
                handling.suggestion_rate(suggestion_id=sid, value="unsatisfied", by=Rating.By.VOTER)
            if outcome == "closed_by_county":
                handling.suggestion_close(actor=staff, suggestion_id=sid, note="经县人大常委会审查，已依法依规答复。")
        if outcome == "overdue":
            gaps = [1, 1, 40]
        s.refresh_from_db()
        _spread(s, start, gaps)
    # Priority items under county supervision: a few open ones.
    for sid in (
        Suggestion.objects.filter(status=Suggestion.Status.ASSIGNED).order_by("due_on").values_list("pk", flat=True)[:4]
    ):
        supervision.supervision_start(
            actor=staff,
            suggestion_id=sid,
            supervisor_id=staff.pk,
            next_check_on=timezone.localdate() + datetime.timedelta(days=7),
            note="列入县人大常委会重点督办",
        )
    created += _seed_proposals(units=units, users=users, staff=staff)
    return {"suggestions": Suggestion.objects.count(), "created": created, "units": len(units)}


# The demo representative's proposals of this year: (title, unit, how it ends: results of the
# answers in turn and the representative's ratings of them).
PROPOSALS = [
    ("关于加快石塘镇老旧小区雨污分流改造的建议", ZHUJIAN, ["A"], ["satisfied"]),
    ("关于增开石塘至县城公交班次的建议", "云和县交通运输局", ["B"], ["partly"]),
    ("关于在乡镇卫生院增设儿科门诊的建议", "云和县卫生健康局", ["C"], ["satisfied"]),
    ("关于整治溪边养殖场异味的建议", "丽水市生态环境局云和分局", ["D", "A"], ["unsatisfied", "satisfied"]),
    ("关于完善高龄老人补贴发放机制的建议", "云和县民政局", ["B"], []),
    ("关于加强木玩企业消防安全检查的建议", "云和县应急管理局", [], []),
]


def _seed_proposals(*, units: dict, users: dict, staff) -> int:
    """The proposals of the demo representative, filed this year, through the services: answered,
    rated by the representative (one re-handled after an unsatisfied rating), one awaiting a
    rating, one still being handled; then this year's evaluation draft, which counts them."""
    from representatives.models import Representative
    from representatives.services.evaluation import annual_evaluation_compute

    rep = Representative.objects.filter(user__username="daibiao").select_related("user").first()
    if rep is None or Suggestion.objects.filter(kind=Suggestion.Kind.PROPOSAL, representative=rep).exists():
        return 0
    category = ensure_categories().get("民生保障") or Category.objects.first()
    if category is None:  # no categories (a database without the seeded data): nothing to file
        return 0
    now = timezone.now()
    days_this_year = (timezone.localdate() - datetime.date(now.year, 1, 1)).days
    for index, (title, unit_name, results, ratings) in enumerate(PROPOSALS):
        proposal = intake.proposal_create(
            actor=rep.user,
            title=title,
            content=f"{title[2:-3]}是群众反映集中的问题，建议有关部门统筹研究，明确时限，抓好落实。",
            category_id=category.pk,
        )
        handling.suggestion_accept(actor=staff, suggestion_id=proposal.pk)
        handling.suggestion_assign(actor=staff, suggestion_id=proposal.pk, lead_unit_id=units[unit_name].pk)
        for i, result in enumerate(results):
            _answer(proposal, users, result)
            if i < len(ratings):
                handling.suggestion_rate(
                    suggestion_id=proposal.pk, value=ratings[i], by=Rating.By.REPRESENTATIVE, actor=rep.user
                )
        days_ago = 40 + 30 * index
        if days_ago <= days_this_year:  # early in January everything stays today
            proposal.refresh_from_db()
            _spread(proposal, now - datetime.timedelta(days=days_ago), [1, 2, 15, 3, 10, 3])
            proposal.refresh_from_db()
            intake._proposal_duties_changed(proposal)  # the filing record is dated as the proposal
    annual_evaluation_compute(year=now.year, congress_ids=[rep.congress_id])
    return len(PROPOSALS)


def supervised_count() -> int:
    return Supervision.objects.filter(ended_at=None).count()
