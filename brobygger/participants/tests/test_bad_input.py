"""Hypothesis sends the pathway's and the follow-up's forms random and hostile input (text with NUL and control
characters, 100 000 characters, dates at the ends of the calendar, huge and tiny numbers) on top of otherwise valid
data: the answer is never a server error, and what is refused leaves nothing saved, not even an audit event."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brobygger.audit.models import AuditEvent
from brobygger.participants import forms, forms_followup
from brobygger.participants.models import Contact, Education, Extension, Job, Participant, Period, Referral
from brobygger.participants.tests.conftest import ELIGIBLE_FACTS, START
from brobygger.participants.tests.test_views_pathway import register_data

MAX_EXAMPLES = 20
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "\x00",
            "Ola\x00Nordmann",
            "\x1b[31m",
            "x" * 100_000,
            "9999-12-31",
            "0001-01-01",
            "1899-12-31",
            "31.12.9999",
            "1e18",
            "1e-300",
            "-1",
            "99999999999999999999999999",
            "NaN",
            "Infinity",
            "on",
        ]
    ),
    st.dates().map(date.isoformat),
    st.integers().map(str),
    st.decimals(allow_nan=True).map(str),
)
SAVED = (Participant, Referral, Period, Extension, Contact, Job, Education, AuditEvent)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SAVED}


def _hostile(form_class, base: dict) -> st.SearchStrategy[dict]:
    """The valid ``base`` with some of the form's fields replaced by hostile values."""
    names = sorted(set(form_class.base_fields) | set(base))
    return st.dictionaries(st.sampled_from(names), HOSTILE, min_size=1, max_size=3).map(lambda bad: base | bad)


def _never_fails_nor_half_saves(client, url: str, data: dict) -> None:
    before = _counts()
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert _counts() == before


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def team(personas):
    from brobygger.accounts.models import TreatmentTeam

    return TreatmentTeam.objects.get(name="Nordre Aker psykisk helseteam")


@HYPOTHESIS
@given(data=st.data())
def test_the_registration_form(personas, login, team, data):
    base = register_data(team, personas["behandler"])
    _never_fails_nor_half_saves(
        login(personas["behandler"]), reverse("participant_register"), data.draw(_hostile(forms.RegisterForm, base))
    )


@HYPOTHESIS
@given(data=st.data())
def test_the_referral_form(personas, login, team, participant, data):
    base = {
        "team": team.pk,
        "clinician": personas["behandler"].pk,
        "referred_on": "2026-03-02",
        "goals": "Jobb",
        "consent_given_on": "2026-03-02",
        "consent_method": "skriftlig",
    } | {name: "on" for name, value in ELIGIBLE_FACTS.items() if value}
    url = reverse("referral_create", args=[participant.pk])
    _never_fails_nor_half_saves(login(personas["behandler"]), url, data.draw(_hostile(forms.ReferralCreateForm, base)))


@HYPOTHESIS
@given(data=st.data())
def test_the_participant_edit_form(personas, login, period, data):
    participant = period.participant
    base = {
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "municipality": participant.municipality_id,
        "revision": participant.revision,
    }
    url = reverse("participant_edit", args=[participant.pk])
    _never_fails_nor_half_saves(
        login(personas["jobbspesialist"]), url, data.draw(_hostile(forms.ParticipantEditForm, base))
    )


@HYPOTHESIS
@given(data=st.data())
def test_the_decision_on_a_referral(personas, login, referral, data):
    base = {"action": "refuse", "avsla-decided_on": "2026-03-03", "avsla-refusal_reason": "annet"}
    names = {f"avsla-{name}" for name in forms.RefuseForm.base_fields} | {
        f"ta-inn-{name}" for name in forms.AcceptForm.base_fields
    }
    bad = data.draw(st.dictionaries(st.sampled_from(sorted(names | {"action"})), HOSTILE, min_size=1, max_size=3))
    url = reverse("referral_decide", args=[referral.pk])
    _never_fails_nor_half_saves(login(personas["jobbspesialist"]), url, base | bad)


@pytest.mark.parametrize(
    ("name", "fixture", "form_class", "base"),
    [
        ("period_start", "waiting", forms.PeriodStartForm, {"start_date": START.isoformat()}),
        ("period_extend", "period", forms.PeriodExtendForm, {"decided_on": "2026-06-01", "justification": "Skole"}),
        (
            "period_close",
            "period",
            forms.PeriodCloseForm,
            {"closed_on": "2026-06-01", "closure_reason": "annet", "closure_text": "Flyttet"},
        ),
        ("followup_jobs", "period", forms_followup.JobForm, {"start_date": "2026-04-01", "hours_per_week": "20"}),
        (
            "followup_education",
            "period",
            forms_followup.EducationForm,
            {"level": "fagskole", "start_date": "2026-04-01"},
        ),
        (
            "followup_contacts",
            "period",
            forms_followup.ContactForm,
            {"date": "2026-04-01", "kind": "participant_meeting"},
        ),
    ],
)
def test_the_forms_of_a_period(request, personas, login, name, fixture, form_class, base):
    period = request.getfixturevalue(fixture)
    client = login(personas["jobbspesialist"])

    @HYPOTHESIS
    @given(data=_hostile(form_class, base | {"revision": period.revision}))
    def check(data):
        _never_fails_nor_half_saves(client, reverse(name, args=[period.pk]), data)

    check()
