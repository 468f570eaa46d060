"""The suggestions' step of `manage.py seed_scale` (see liaison/scale_seed.py).

Per county: twenty handling units (the county's bureaus), then a year of suggestions over its
township stations and points, in every state, each with its timeline (`Transition`), lead
assignments (a second round after an "unsatisfied" rating), answers and ratings: 2,000,000
suggestions for the province profile. Rows are built and inserted one batch at a time (a generator
of batches), so memory stays flat however many there are.

Tracking codes are unique by construction: the primary key scrambled by a bijection of
[0, 30^10) and written in the codes' alphabet. Deadlines are the opinion rule's 15 working days
approximated as 21 calendar days (the generator does not consult the holiday calendar per row).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

from liaison.scale_seed import BATCH, Ids, Seeder, bulk, reset_sequences, seed_step
from suggestions.demo import ensure_categories
from suggestions.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Answer,
    Assignment,
    HandlingUnit,
    Rating,
    Suggestion,
    Transition,
)

SUGGESTIONS_PER_COUNTY = {"small": 100, "county": 20_000, "province": 20_000}
BUREAUS = [
    "住房和城乡建设局", "交通运输局", "农业农村局", "教育局", "卫生健康局", "民政局", "人力资源和社会保障局",
    "自然资源和规划局", "生态环境分局", "水利局", "综合行政执法局", "市场监督管理局", "公安局",
    "文化和广电旅游体育局", "应急管理局", "医疗保障局", "财政局", "经济商务科技局", "供电公司", "水务集团",
]  # fmt: skip
TITLES = [
    "小区雨污管网改造进度慢", "村道弯道缺少防护栏", "城乡公交班次太少", "学校门口接送车辆拥堵",
    "乡镇卫生院缺少儿科医生", "高龄老人补贴发放不及时", "溪边养殖场异味扰民", "山塘水库堤坝渗漏",
    "夜市占道经营", "村口路段夜间飙车", "山区村频繁停电", "高层住户夏季水压不足",
]  # fmt: skip
# (outcome, weight): how the year's suggestions stand today.
OUTCOMES = [
    ("submitted", 3), ("accepted", 3), ("declined", 3), ("settled", 5), ("assigned", 12), ("answered", 8),
    ("satisfied", 44), ("partly", 10), ("rehandling", 4), ("unsatisfied", 4), ("closed", 4),
]  # fmt: skip
_SPACE = len(CODE_ALPHABET) ** CODE_LENGTH
_MULTIPLIER = 7_919_000_003  # coprime with 30: multiplying by it permutes [0, 30^10)


def tracking_code(pk: int) -> str:
    value = (pk * _MULTIPLIER + 104_729) % _SPACE
    chars = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[digit])
    return "".join(chars)


@contextlib.contextmanager
def _dates_as_given():
    """bulk_create would stamp auto_now(_add) fields with the time of the insert: keep ours."""
    fields = [
        f
        for model in (Suggestion, Transition, Answer, Rating)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _units(seeder: Seeder) -> dict[int, list[int]]:
    units = []
    for county in seeder.counties:
        units += [HandlingUnit(name=f"{county.name}{name}", division=county) for name in BUREAUS]
    bulk(HandlingUnit, units)
    by_county: dict[int, list[int]] = {}
    for pk, division_id in HandlingUnit.objects.values_list("pk", "division_id"):
        by_county.setdefault(division_id, []).append(pk)
    return by_county


class _Timeline:
    """One suggestion's steps, each some days after the last."""

    def __init__(self, suggestion: Suggestion, steps: list[Transition]):
        self.s, self.steps, self.at = suggestion, steps, suggestion.submitted_at
        steps.append(
            Transition(
                suggestion_id=suggestion.pk, action="submit", to_status="submitted", actor_label="选民", at=self.at
            )
        )

    def step(self, action: str, before: str, after: str, days: float, note: str = "") -> datetime.datetime:
        self.at = self.at + datetime.timedelta(days=days)
        self.steps.append(
            Transition(
                suggestion_id=self.s.pk, action=action, from_status=before, to_status=after, note=note, at=self.at
            )
        )
        self.s.status = after
        return self.at


def _suggestion(seeder, ids, pk, station, township_id, categories, start) -> Suggestion:
    r = seeder.random
    return Suggestion(
        pk=pk,
        code=tracking_code(pk),
        kind="opinion",
        source=r.choice(["station_code", "officer", "reception"]),
        title=r.choice(TITLES),
        content="群众反映的问题，希望有关部门研究解决。",
        category_id=r.choice(categories),
        station_id=station.pk,
        township_id=township_id,
        contact_name=seeder.name()[:1] + "先生",
        contact_phone=f"139{r.randint(0, 99_999_999):08d}",
        publish_consent=r.random() < 0.5,
        status=Suggestion.Status.SUBMITTED,
        submitted_at=start,
        updated_at=start,
    )


def _handle(seeder, ids, batch, s: Suggestion, outcome: str, unit: int) -> None:
    """Move one suggestion to its outcome, adding its steps, assignments, answers and ratings."""
    r, S = seeder.random, Suggestion.Status
    _sugg, assigns, answers, ratings, steps = batch
    t = _Timeline(s, steps)
    if outcome == "declined":
        t.step("decline", S.SUBMITTED, S.DECLINED, r.uniform(0.5, 3), "不属于受理范围")
        return
    if outcome == "settled":
        t.step("settle", S.SUBMITTED, S.SETTLED, r.uniform(0, 1), "当场协调解决")
        return
    if outcome == "submitted":
        return
    s.accepted_at = t.step("accept", S.SUBMITTED, S.ACCEPTED, r.uniform(0.5, 3))
    if outcome == "accepted":
        return
    rounds = 2 if outcome in ("rehandling", "unsatisfied", "closed") else 1
    for round_ in range(1, rounds + 1):
        if round_ == 1:
            assigned = t.step("assign", S.ACCEPTED, S.ASSIGNED, r.uniform(0.5, 3))
        else:
            assigned = t.step("rate", S.ANSWERED, S.ASSIGNED, r.uniform(1, 10), "不满意")
        due = timezone.localtime(assigned).date() + datetime.timedelta(days=21)
        a = Assignment(
            pk=ids[Assignment].take(), suggestion_id=s.pk, unit_id=unit, role="lead", round=round_,
            assigned_at=assigned, due_on=due,
        )  # fmt: skip
        assigns.append(a)
        s.due_on = due
        if outcome == "assigned" or (round_ == 2 and outcome == "rehandling"):
            return
        answered = t.step("answer", S.ASSIGNED, S.ANSWERED, r.uniform(2, 35))
        a.status, a.finished_at = "done", answered
        result = r.choice("AAABBCD")
        answer = Answer(
            pk=ids[Answer].take(), suggestion_id=s.pk, assignment_id=a.pk, text="已处理。", result=result,
            answered_at=answered,
        )  # fmt: skip
        answers.append(answer)
        s.result, s.answered_at, s.public_answer = result, answered, "已核查并处理，感谢关注。"
        if outcome == "answered":
            return
        value = {"satisfied": "satisfied", "partly": "partly"}.get(outcome, "unsatisfied")
        rated = answered + datetime.timedelta(days=r.uniform(1, 10))
        ratings.append(Rating(suggestion_id=s.pk, answer_id=answer.pk, value=value, by="voter", created_at=rated))
        s.satisfaction = value
        if value != "unsatisfied":
            s.closed_at = t.step("rate", S.ANSWERED, S.CLOSED, r.uniform(1, 10))
            return
        if round_ == 1:
            s.reopened_count = 1
            continue
        t.step("rate", S.ANSWERED, S.UNSATISFIED, r.uniform(1, 10))
        if outcome == "closed":
            s.closed_at = t.step("close", S.UNSATISFIED, S.CLOSED, r.uniform(1, 10), "经审查已依法答复")
    s.updated_at = t.at


def _batches(seeder: Seeder, units: dict[int, list[int]]) -> Iterator[tuple[list, list, list, list, list]]:
    """(suggestions, assignments, answers, ratings, transitions), BATCH suggestions at a time."""
    r = seeder.random
    per_county = SUGGESTIONS_PER_COUNTY.get(seeder.profile.name, 100)
    outcomes = [name for name, weight in OUTCOMES for _ in range(weight)]
    categories = [c.pk for c in ensure_categories().values()]
    now = timezone.now()
    ids = {model: Ids(model) for model in (Suggestion, Assignment, Answer)}
    batch: tuple[list, list, list, list, list] = ([], [], [], [], [])
    for county in seeder.counties:
        stations = []
        for township in seeder.townships[county.pk]:
            stations += [(seeder.township_station[township.pk], township.pk)]
            stations += [(point, township.pk) for point in seeder.points[township.pk]]
        for _ in range(per_county):
            station, township_id = r.choice(stations)
            outcome = r.choice(outcomes)
            recent = outcome in ("submitted", "accepted", "assigned")
            start = now - datetime.timedelta(days=r.uniform(0, 40 if recent else 365))
            s = _suggestion(seeder, ids, ids[Suggestion].take(), station, township_id, categories, start)
            batch[0].append(s)
            _handle(seeder, ids, batch, s, outcome, r.choice(units[county.pk]))
            if len(batch[0]) >= BATCH:
                yield batch
                batch = ([], [], [], [], [])
    if batch[0]:
        yield batch


@seed_step(300)
def suggestions(seeder: Seeder) -> int:
    """Handling units and a year of suggestions with timelines, assignments, answers and ratings."""
    units = _units(seeder)
    rows = sum(len(v) for v in units.values())
    with _dates_as_given():
        for sugg, assigns, answers, ratings, steps in _batches(seeder, units):
            for model, objs in ((Suggestion, sugg), (Assignment, assigns), (Answer, answers), (Rating, ratings),
                                (Transition, steps)):  # fmt: skip
                model.objects.bulk_create(objs, batch_size=BATCH)
                rows += len(objs)
    reset_sequences(Suggestion, Assignment, Answer, HandlingUnit)
    return rows
