"""The roster: creating, changing and ending representatives, linking their accounts.

Correction requests are in `corrections`."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from liaison import access
from liaison.edit_conflicts import refuse_if_changed_since, stored_values
from liaison.history import bulk_history_m2m
from liaison.models import Division, User
from liaison.text import check_lengths, clean_instance_text, normalize_text
from representatives.models import Representative, Specialty
from representatives.text import PHONE_RE, normalize_phone


def _account_not_linkable() -> str:
    return _(
        "No account with this user name can be linked. Ask the system administrator for an account "
        "for the representative: it must have no other role."
    )


ROSTER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "phone",
    "level",
    "congress",
    "term",
    "electoral_district",
    "district_township",
    "home_station",
    "residence_division",
    "residence_address",
    "occupation",
)
# What an edit form carries as its version (see liaison.edit_conflicts).
VERSIONED_FIELDS = (*ROSTER_FIELDS, "specialties")


def name_initials(name: str) -> str:
    """Pinyin initials, lower case: 王建国 -> wjg."""
    return "".join(syllable[0] for syllable in lazy_pinyin(name, style=Style.FIRST_LETTER) if syllable).lower()[:20]


def township_of(division: Division) -> int | None:
    return division.township_id()


# --- Validation ------------------------------------------------------------------------------


class RosterLookups:
    """What the roster's rules ask the database about a representative: one query a question."""

    def __init__(self, actor: User):
        self.actor = actor

    def may_keep(self, station_id: int) -> bool:
        return access.stations_changeable(self.actor).filter(pk=station_id).exists()

    def phone_holder(self, rep: Representative) -> Representative | None:
        """Another representative with this phone in the same congress level and term."""
        return (
            Representative.objects.filter(level=rep.level, term=rep.term, phone=rep.phone)
            .exclude(pk=rep.pk)
            .only("name")
            .first()
        )

    def sees(self, other: Representative) -> bool:
        return access.representatives_visible(self.actor).filter(pk=other.pk).exists()


class PrefetchedRosterLookups(RosterLookups):
    """The same answers for many new representatives from two queries read once: the stations the
    actor may keep, and the representatives holding their phones. Each representative validated
    is `remember`ed, so a later one with the same phone clashes with it as it would once saved."""

    def __init__(self, actor: User, *, phones: set[str]):
        super().__init__(actor)
        self.changeable_ids = set(access.stations_changeable(actor).values_list("pk", flat=True))
        self.holders: dict[tuple, list[Representative]] = defaultdict(list)
        for other in Representative.objects.filter(phone__in=phones - {""}).only("name", "level", "term", "phone"):
            self.holders[(other.level, other.term, other.phone)].append(other)

    def may_keep(self, station_id: int) -> bool:
        return station_id in self.changeable_ids

    def phone_holder(self, rep: Representative) -> Representative | None:
        for other in self.holders.get((rep.level, rep.term, rep.phone), ()):
            if other is not rep and (rep.pk is None or other.pk != rep.pk):
                return other
        return None

    def sees(self, other: Representative) -> bool:
        return other.pk is None or super().sees(other)  # not saved yet: one of the caller's own

    def remember(self, rep: Representative) -> None:
        if rep.phone:
            self.holders[(rep.level, rep.term, rep.phone)].append(rep)


def validate_representative(
    *, actor: User, representative: Representative, lookups: RosterLookups | None = None
) -> None:
    """The roster's rules; raises ValidationError keyed by field, in Chinese.

    `lookups` answers what the rules ask the database (the scope, the phone's holder); by default
    one query a question."""
    rep = representative
    lookups = lookups or RosterLookups(actor)
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    rep.name = normalize_text(rep.name)
    rep.phone = normalize_phone(rep.phone)
    rep.ethnicity = normalize_text(rep.ethnicity) or "汉族"
    rep.term = normalize_text(rep.term)
    rep.electoral_district = normalize_text(rep.electoral_district)
    rep.residence_address = normalize_text(rep.residence_address)
    rep.occupation = normalize_text(rep.occupation)
    if not rep.name:
        add("name", _("Enter the representative's name."))
    if rep.phone and not PHONE_RE.match(rep.phone):
        add("phone", _("Enter an 11-digit mobile number starting with 1."))
    this_year = timezone.localdate().year
    if rep.birth_year is not None and not (1920 <= rep.birth_year <= this_year - 18):
        add("birth_year", _("Enter a birth year between 1920 and %(year)s.") % {"year": this_year - 18})
    if rep.district_township_id and not rep.district_township.is_township_level:
        add("district_township", _("The electoral district must belong to a township or subdistrict."))
    for field in ("gender", "level", "district_township", "home_station", "residence_division"):
        if not getattr(rep, f"{field}_id" if field not in ("gender", "level") else field, None):
            add(field, _("This field is required."))
    if (
        rep.level == Representative.Level.TOWNSHIP
        and rep.district_township_id
        and rep.district_township.kind != Division.Kind.TOWNSHIP
    ):
        add(
            "level",
            _("Subdistricts and development zones have no congress of their own: only county representatives."),
        )
    if rep.district_township_id and rep.district_township.is_township_level:
        # The congress follows from the level: the county's, or the district township's own.
        if rep.level == Representative.Level.COUNTY:
            # The county above the township, at whatever depth the tree puts it.
            rep.congress_id = rep.district_township.county_id() or rep.district_township.ancestor_ids()[0]
        else:
            rep.congress_id = rep.district_township_id
    if rep.home_station_id:
        if not rep.home_station.is_active:
            add("home_station", _("This liaison station has been deactivated."))
        if not lookups.may_keep(rep.home_station_id):
            add("home_station", _("You may not keep representatives of this station."))
    if rep.phone and rep.level and rep.term:
        clash = lookups.phone_holder(rep)
        if clash and not lookups.sees(clash):
            # Another station's representative: say so without naming them.
            add(
                "phone",
                _("This mobile number belongs to a representative of another station in the same congress and term."),
            )
        elif clash:
            add(
                "phone",
                _("This mobile number already belongs to %(name)s in the same congress and term.")
                % {"name": clash.name},
            )
    if errors:
        raise ValidationError(errors)
    # Related objects arrive as instances the caller took from scoped querysets: no re-check here.
    # The unique phone was checked above and both constraints hold in the database anyway.
    rep.full_clean(
        exclude=["specialties", "user", "congress", "district_township", "home_station", "residence_division"],
        validate_unique=False,
        validate_constraints=False,
    )


def _derive(rep: Representative) -> None:
    """Fields the services keep: pinyin initials, mobile or not, living in the county town."""
    rep.name_initials = name_initials(rep.name)
    rep.is_mobile = township_of(rep.residence_division) != rep.district_township_id
    rep.lives_in_county_town = rep.residence_division.is_county_town


def validate_specialties(names: list[str]) -> None:
    """Each specialty fits its column (30 characters); ValidationError in Chinese otherwise."""
    limit = Specialty._meta.get_field("name").max_length
    too_long = [name for name in names if len(name) > limit]
    if too_long:
        raise ValidationError(
            {
                "specialties": [
                    _("A specialty can be at most %(max)d characters long: %(name)s")
                    % {"max": limit, "name": too_long[0][:limit] + "…"}
                ]
            }
        )


def specialties_for(names: list[str]) -> list[Specialty]:
    validate_specialties(names)
    existing = {s.name: s for s in Specialty.objects.filter(name__in=names)}
    missing = [Specialty(name=name) for name in names if name not in existing]
    if missing:
        Specialty.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.name: s for s in Specialty.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def _save(rep: Representative, specialties: list[str] | None) -> None:
    """Save fields and specialties, then write ONE history record of the whole new state.

    Without this, django-simple-history would write one record for the save and another for the
    specialties, and the history page would show an empty change.
    """
    created = rep.pk is None
    rep.skip_history_when_saving = True
    try:
        with transaction.atomic():
            rep.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": [_("This mobile number is already on the roster.")]}) from exc
    finally:
        del rep.skip_history_when_saving
    if specialties is not None:
        rep.skip_history_when_saving = True
        rep.specialties.set(specialties_for(specialties))
        del rep.skip_history_when_saving
    # simple-history writes its record from post_save: send it once, now that everything is set.
    post_save.send(sender=Representative, instance=rep, created=created, update_fields=None, raw=False, using="default")


def _save_many(*, actor: User, reps: list[Representative], specialties: list[list[str]]) -> None:
    """`_save` for many new representatives at once: the rows, their specialties, then one history
    record each of the whole new state naming the actor, its specialties included."""
    Representative.objects.bulk_create(reps)
    wanted = sorted({name for names in specialties for name in names})
    by_name = dict(zip(wanted, specialties_for(wanted), strict=True))
    link = Representative.specialties.through
    link.objects.bulk_create(
        [
            link(representative=rep, specialty=by_name[name])
            for rep, names in zip(reps, specialties, strict=True)
            for name in dict.fromkeys(names)
        ]
    )
    records = Representative.history.bulk_history_create(reps, default_user=actor, default_change_reason=None)
    bulk_history_m2m(records, reps)


def _after_places_changed(*, actor: User, rep: Representative) -> None:
    """Keep the mobile register in step with where the representative lives."""
    from representatives.services import mobile_register

    mobile_register.register_sync(actor=actor, representative=rep)


# --- Use cases -------------------------------------------------------------------------------


def _prepared_new(
    *, actor: User, fields: dict, specialties: list[str], lookups: RosterLookups | None = None
) -> Representative:
    """A new representative, validated and with its derived fields, not saved yet."""
    rep = Representative(**{name: value for name, value in fields.items() if name in ROSTER_FIELDS})
    unknown = set(fields) - set(ROSTER_FIELDS)
    if unknown:
        raise TypeError(f"representative_create() got unexpected fields {sorted(unknown)}")
    validate_specialties(specialties)
    validate_representative(actor=actor, representative=rep, lookups=lookups)
    _derive(rep)
    return rep


@transaction.atomic
def representative_create(*, actor: User, specialties: list[str] | None = None, **fields) -> Representative:
    rep = _prepared_new(actor=actor, fields=fields, specialties=specialties or [])
    rep._history_user = actor
    _save(rep, specialties or [])
    _after_places_changed(actor=actor, rep=rep)
    return rep


class RowInvalid(ValidationError):
    """The error of one of several rows; `index` says which."""

    def __init__(self, index: int, error: ValidationError):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


@transaction.atomic
def representatives_create_many(*, actor: User, rows: list[tuple[dict, list[str]]]) -> list[Representative]:
    """Many new representatives, `rows` of (fields, specialties), each exactly as
    `representative_create` makes it: the same rules, derived fields, specialties, one history
    record naming the actor, and the mobile register entry. Written together, in a number of
    statements that does not grow with the rows (the roster import of a whole county).

    Raises RowInvalid for the first row that breaks a rule, and nothing is written.
    """
    from representatives.services import mobile_register

    lookups = PrefetchedRosterLookups(actor, phones={normalize_phone(fields.get("phone", "")) for fields, _ in rows})
    reps = []
    for index, (fields, specialties) in enumerate(rows):
        try:
            rep = _prepared_new(actor=actor, fields=fields, specialties=specialties, lookups=lookups)
            clean_instance_text(Representative, rep)  # the pre_save handler, which a bulk insert skips
        except ValidationError as exc:
            raise RowInvalid(index, exc) from exc
        lookups.remember(rep)
        reps.append(rep)
    try:
        with transaction.atomic():
            _save_many(actor=actor, reps=reps, specialties=[names for _fields, names in rows])
    except IntegrityError:
        # A phone someone saved since the check: one by one, the row that clashes is named.
        created = []
        for index, (fields, specialties) in enumerate(rows):
            try:
                created.append(representative_create(actor=actor, specialties=specialties, **fields))
            except ValidationError as exc:
                raise RowInvalid(index, exc) from exc
        return created
    mobile_register.register_sync_new(actor=actor, representatives=reps)
    return reps


@transaction.atomic
def representative_update(
    *,
    actor: User,
    representative: Representative,
    specialties: list[str] | None = None,
    opened: dict | None = None,
    **fields,
) -> Representative:
    """Change a record. `opened`: the stored values the form was opened with; a save over a change
    made since is refused (EditConflict). Saving unchanged values writes nothing, not even history."""
    rep = representative
    unknown = set(fields) - set(ROSTER_FIELDS)
    if unknown:
        raise TypeError(f"representative_update() got unexpected fields {sorted(unknown)}")
    validate_specialties(specialties or [])
    refuse_if_changed_since(rep, opened=opened, fields=VERSIONED_FIELDS)
    stored = Representative.objects.get(pk=rep.pk)
    before = (stored.residence_division_id, stored.district_township_id, stored.home_station_id)
    stored_fields = stored_values(stored, ROSTER_FIELDS)
    for name, value in fields.items():
        setattr(rep, name, value)
    validate_representative(actor=actor, representative=rep)
    _derive(rep)
    if stored_values(rep, ROSTER_FIELDS) == stored_fields and (
        specialties is None or set(specialties) == set(stored.specialties.values_list("name", flat=True))
    ):
        return rep
    rep._history_user = actor
    _save(rep, specialties)
    if (rep.residence_division_id, rep.district_township_id, rep.home_station_id) != before:
        _after_places_changed(actor=actor, rep=rep)
    return rep


@transaction.atomic
def representative_end_service(
    *, actor: User, representative: Representative, status: str, date: datetime.date, reason: str
) -> Representative:
    """Resignation or termination: the record stays, with the date and the reason."""
    rep = representative
    if status not in (Representative.Status.RESIGNED, Representative.Status.TERMINATED):
        raise ValidationError({"status": [_("Choose resigned or terminated.")]})
    if not normalize_text(reason):
        raise ValidationError({"status_reason": [_("Give the reason.")]})
    if date > timezone.localdate():
        raise ValidationError({"status_date": [_("The date cannot be in the future.")]})
    if not rep.is_serving:
        raise ValidationError(_("This representative's service has already ended."))
    rep.status, rep.status_date, rep.status_reason = status, date, normalize_text(reason)
    check_lengths(rep, fields=["status_reason"])
    rep._history_user = actor
    rep.save(update_fields=["status", "status_date", "status_reason", "updated_at"])
    _after_places_changed(actor=actor, rep=rep)
    return rep


@transaction.atomic
def representative_link_user(*, actor: User, representative: Representative, user: User) -> Representative:
    """Give a representative a sign-in account (and the representative role)."""
    from liaison.models import RoleGrant

    if not access.accounts_linkable(actor).filter(pk=user.pk).exists():
        raise ValidationError({"username": [_account_not_linkable()]})
    other = Representative.objects.filter(user=user).exclude(pk=representative.pk).only("name").first()
    if other is not None:
        raise ValidationError({"username": [_("This account already belongs to another representative.")]})
    representative.user = user
    representative._history_user = actor
    representative.save(update_fields=["user", "updated_at"])
    RoleGrant.objects.get_or_create(user=user, role=RoleGrant.Role.REPRESENTATIVE)
    return representative


@transaction.atomic
def representative_link_username(*, actor: User, representative: Representative, username: str) -> Representative:
    """Link the account with this user name (typed by the officer) to the representative."""
    # One query whatever the reason: the answer is the same whether or not the account exists.
    user = access.accounts_linkable(actor).filter(username=normalize_text(username)).first()
    if user is None:
        raise ValidationError({"username": [_account_not_linkable()]})
    return representative_link_user(actor=actor, representative=representative, user=user)
