"""Who may see and do what in the grant scheme.

- Applicants (tilskuddssøker) act for one organisation: they see published calls, and their organisation's
  applications (as applicant or as partner in a joint application), decisions, letters and appeals. Nothing else.
- Grant officers (tilskuddsforvalter) see every call and every submitted application, assess, allocate and prepare
  decisions. They never see participants: nothing here reads the pathway.
- Approvers are grant officers with approval authority (``User.grant_approver``). They approve recommendations and
  decisions that someone else submitted or prepared; the services refuse the same person doing both.

Every page and endpoint fetches through a ``get_<object>_for_user`` helper (404 for what the user may not see) and
asks a ``can_<action>`` function, which returns ``(allowed, reason)``.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brobygger.accounts.access import Decision
from brobygger.accounts.models import Role, User
from brobygger.grants.models import (
    AnnualReport,
    Appeal,
    Application,
    Call,
    ControlCase,
    Overpayment,
    PaymentFile,
    PaymentOrder,
    PaymentStop,
    RecipientChange,
    Sanction,
)
from brobygger.grants.models import Decision as GrantDecision

OFFICER = Role.GRANT_OFFICER


def _signed_in(user: User) -> bool:
    return bool(user.is_authenticated)


def is_officer(user: User) -> bool:
    return _signed_in(user) and user.role == OFFICER


def is_approver(user: User) -> bool:
    return is_officer(user) and user.grant_approver


def is_applicant(user: User) -> bool:
    return _signed_in(user) and user.role == Role.APPLICANT and user.organisation_id is not None


def visible_calls(user: User) -> QuerySet[Call]:
    if is_officer(user):
        return Call.objects.all()
    if is_applicant(user):
        return Call.objects.exclude(status=Call.Status.DRAFT)
    return Call.objects.none()


def visible_applications(user: User) -> QuerySet[Application]:
    """Officers see what has been submitted; applicants their organisation's, drafts included."""
    if is_officer(user):
        return Application.objects.exclude(status=Application.Status.DRAFT)
    if is_applicant(user):
        org = user.organisation_id
        return Application.objects.filter(Q(organisation_id=org) | Q(partner_id=org))
    return Application.objects.none()


def visible_decisions(user: User) -> QuerySet[GrantDecision]:
    """Officers see every decision; applicants only those sent to them."""
    if is_officer(user):
        return GrantDecision.objects.all()
    if is_applicant(user):
        return GrantDecision.objects.filter(
            application__in=visible_applications(user),
            status__in=[GrantDecision.Status.NOTIFIED, GrantDecision.Status.REPLACED],
            letter__isnull=False,
        )
    return GrantDecision.objects.none()


def visible_appeals(user: User) -> QuerySet[Appeal]:
    if is_officer(user):
        return Appeal.objects.all()
    if is_applicant(user):
        return Appeal.objects.filter(Q(decision__in=visible_decisions(user)) | Q(sanction__in=visible_sanctions(user)))
    return Appeal.objects.none()


def _get(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def get_call_for_user(user: User, pk: int) -> Call:
    return _get(visible_calls(user), pk)


def get_application_for_user(user: User, pk: int) -> Application:
    return _get(visible_applications(user).select_related("call", "organisation", "partner"), pk)


def get_draft_for_officer(user: User, pk: int) -> Application:
    """A draft, for an officer recording a deadline exception; its contents stay the applicant's until submitted."""
    if not is_officer(user):
        raise Http404
    return _get(Application.objects.filter(status=Application.Status.DRAFT), pk)


def late_drafts(user: User, call: Call) -> QuerySet[Application]:
    """Drafts still unsubmitted after the deadline, without an exception: officers may grant one."""
    if not is_officer(user):
        return Application.objects.none()
    return call.applications.filter(status=Application.Status.DRAFT, late_exception_reason="")


def get_decision_for_user(user: User, pk: int) -> GrantDecision:
    return _get(visible_decisions(user).select_related("application__call", "application__organisation"), pk)


def get_appeal_for_user(user: User, pk: int) -> Appeal:
    return _get(visible_appeals(user).select_related("decision__application", "sanction__organisation"), pk)


def _allow() -> Decision:
    return True, ""


def can_view_grants(user: User) -> Decision:
    if is_officer(user) or is_applicant(user):
        return _allow()
    return False, _("Tilskuddsordningen er for tilskuddsforvaltere og søkere.")


def can_manage_calls(user: User) -> Decision:
    if is_officer(user):
        return _allow()
    return False, _("Bare tilskuddsforvaltere kan lage og publisere utlysninger.")


def can_apply(user: User, call: Call) -> Decision:
    if not is_applicant(user):
        return False, _("Bare søkere som er knyttet til en kommune eller et helseforetak kan søke.")
    if call.status != Call.Status.PUBLISHED:
        return False, _("Utlysningen er ikke åpen for søknader.")
    return _allow()


def can_edit_application(user: User, application: Application) -> Decision:
    if not is_applicant(user) or user.organisation_id not in {application.organisation_id, application.partner_id}:
        return False, _("Bare søkerens egne brukere kan endre søknaden.")
    if application.is_locked:
        return False, _("Søknaden er sendt inn og låst. Lag en ny versjon for å endre den.")
    return _allow()


def can_submit(user: User, application: Application) -> Decision:
    """The applicant submits; in a joint application the partner signs but does not submit."""
    allowed, reason = can_edit_application(user, application)
    if allowed and user.organisation_id != application.organisation_id:
        return False, _("Søknaden sendes inn av søkeren, ikke av medsøkeren.")
    return allowed, reason


def can_sign(user: User, application: Application) -> Decision:
    """Each organisation in a joint application signs for itself."""
    return can_edit_application(user, application)


def can_new_version(user: User, application: Application) -> Decision:
    if not is_applicant(user) or user.organisation_id != application.organisation_id:
        return False, _("Bare søkeren kan lage en ny versjon av søknaden.")
    if application.status != Application.Status.SUBMITTED:
        return False, _("Bare en innsendt søknad som ikke er vurdert ennå, kan få en ny versjon.")
    return _allow()


def can_process(user: User) -> Decision:
    """Record earlier grants, grant deadline exceptions, declare impartiality, assess, allocate, prepare, send."""
    if is_officer(user):
        return _allow()
    return False, _("Bare tilskuddsforvaltere kan behandle søknader.")


def can_assess(user: User, application: Application) -> Decision:
    if not is_officer(user):
        return False, _("Bare tilskuddsforvaltere kan vurdere søknader.")
    if application.status not in {Application.Status.SUBMITTED, Application.Status.ASSESSED}:
        return False, _("Søknaden kan ikke vurderes i denne statusen.")
    declaration = application.declarations.filter(officer=user).first()
    if declaration is None:
        return False, _("Du må erklære om du er habil (forvaltningsloven § 6) før du vurderer søknaden.")
    if declaration.conflict:
        return False, _("Du har erklært deg inhabil i saken og kan ikke vurdere den (forvaltningsloven § 6).")
    if application.assigned_officer_id not in (None, user.pk):
        return False, _("Saken er tildelt %(name)s.") % {
            "name": application.assigned_officer.get_full_name() or application.assigned_officer.username
        }
    return _allow()


def can_approve(user: User) -> Decision:
    if is_approver(user):
        return _allow()
    return False, _("Bare tilskuddsforvaltere med godkjenningsfullmakt kan godkjenne.")


def can_appeal_view(user: User) -> Decision:
    return can_view_grants(user)


# Annual reports (brobygger/grants/annual_reports.py)


def visible_reports(user: User) -> QuerySet[AnnualReport]:
    """Applicants see their organisation's reports; officers see what has been submitted (a draft stays the
    applicant's, as an application draft does; the officer's list shows that it is missing or late)."""
    if is_officer(user):
        return AnnualReport.objects.exclude(status=AnnualReport.Status.DRAFT)
    if is_applicant(user):
        return AnnualReport.objects.filter(application__in=visible_applications(user))
    return AnnualReport.objects.none()


def get_report_for_user(user: User, pk: int) -> AnnualReport:
    return _get(visible_reports(user).select_related("application__call", "application__organisation", "decision"), pk)


def _is_recipient(user: User, application: Application) -> bool:
    return is_applicant(user) and user.organisation_id in {application.organisation_id, application.partner_id}


def can_name_services(user: User, application: Application) -> Decision:
    """The IPS services a measure covers are named in the application, or after the decision until the report is
    submitted (for grants decided before the link existed)."""
    if not _is_recipient(user, application):
        return False, _("Bare søkerens egne brukere kan si hvilke IPS-tilbud tilskuddet gjelder.")
    if application.status == Application.Status.DRAFT:
        return _allow()
    report = AnnualReport.objects.filter(application=application).first()
    if application.status == Application.Status.DECIDED and (report is None or report.is_editable):
        return _allow()
    return False, _("IPS-tilbudene kan ikke endres etter at årsrapporten er sendt inn.")


def can_prepare_report(user: User, application: Application) -> Decision:
    if not _is_recipient(user, application):
        return False, _("Bare tilskuddsmottakeren kan lage årsrapporten.")
    return _allow()


def can_edit_report(user: User, report: AnnualReport) -> Decision:
    if not _is_recipient(user, report.application):
        return False, _("Bare tilskuddsmottakerens egne brukere kan endre årsrapporten.")
    if not report.is_editable:
        return False, _("Årsrapporten er sendt inn og kan ikke endres.")
    return _allow()


def can_submit_report(user: User, report: AnnualReport) -> Decision:
    """The applicant submits; in a joint application the partner signs but does not submit."""
    allowed, reason = can_edit_report(user, report)
    if allowed and user.organisation_id != report.application.organisation_id:
        return False, _("Rapporten sendes inn av søkeren, ikke av medsøkeren.")
    return allowed, reason


def can_review_report(user: User, report: AnnualReport) -> Decision:
    if not is_officer(user):
        return False, _("Bare tilskuddsforvaltere kan behandle årsrapporter.")
    if report.status != AnnualReport.Status.SUBMITTED:
        return False, _("Bare en innsendt årsrapport kan godkjennes eller sendes tilbake.")
    return _allow()


# The figures for the Ministry: the scheme's indicators and money, for those who report on the scheme. Analysts
# read them as they read the national statistics; applicants and the services' own staff do not.
FIGURES_ROLES = frozenset({Role.GRANT_OFFICER, Role.ANALYST})


def can_view_figures(user: User) -> Decision:
    if _signed_in(user) and user.role in FIGURES_ROLES:
        return _allow()
    return False, _("Tallene for departementet er for tilskuddsforvaltere og analytikere.")


# Payments: grant officers commit, attest, export and handle changes, overpayments and stops; an approver (someone
# else) approves orders and the recipient's changes; applicants see and report their own organisation's details.


def can_manage_payments(user: User) -> Decision:
    if is_officer(user):
        return _allow()
    return False, _("Bare tilskuddsforvaltere kan behandle utbetalinger.")


def can_report_recipient_change(user: User) -> Decision:
    if is_applicant(user):
        return _allow()
    return False, _("Bare søkerens egne brukere kan melde endringer for mottakeren.")


def get_payment_order_for_user(user: User, pk: int):
    if not is_officer(user):
        raise Http404
    return _get(
        PaymentOrder.objects.select_related(
            "commitment__organisation", "commitment__decision__application__call", "attested_by", "approved_by"
        ),
        pk,
    )


def get_payment_file_for_user(user: User, pk: int):
    if not is_officer(user):
        raise Http404
    return _get(PaymentFile.objects.all(), pk)


def visible_recipient_changes(user: User):
    if is_officer(user):
        return RecipientChange.objects.all()
    if is_applicant(user):
        return RecipientChange.objects.filter(organisation_id=user.organisation_id)
    return RecipientChange.objects.none()


def get_recipient_change_for_user(user: User, pk: int):
    return _get(visible_recipient_changes(user).select_related("organisation"), pk)


def get_overpayment_for_user(user: User, pk: int):
    if not is_officer(user):
        raise Http404
    return _get(Overpayment.objects.select_related("decision__application"), pk)


def get_payment_stop_for_user(user: User, pk: int):
    if not is_officer(user):
        raise Http404
    return _get(PaymentStop.objects.all(), pk)


# Control and sanctions (regelverket pkt. 10-11). Officers see every control case; a recipient sees its own cases
# (to answer the documents asked for) and the sanctions sent to it, never one still being prepared.


def visible_control_cases(user: User) -> QuerySet[ControlCase]:
    if is_officer(user):
        return ControlCase.objects.all()
    if is_applicant(user):
        return ControlCase.objects.filter(organisation_id=user.organisation_id)
    return ControlCase.objects.none()


def visible_sanctions(user: User) -> QuerySet[Sanction]:
    if is_officer(user):
        return Sanction.objects.all()
    if is_applicant(user):
        return Sanction.objects.filter(organisation_id=user.organisation_id, notified_on__isnull=False)
    return Sanction.objects.none()


def get_control_case_for_user(user: User, pk: int) -> ControlCase:
    return _get(visible_control_cases(user).select_related("organisation", "decision__application"), pk)


def get_sanction_for_user(user: User, pk: int) -> Sanction:
    return _get(visible_sanctions(user).select_related("organisation", "case"), pk)


def can_control(user: User) -> Decision:
    """Open control cases, ask for documents, record findings, prepare and send sanctions."""
    if is_officer(user):
        return _allow()
    return False, _("Bare tilskuddsforvaltere kan føre kontroll med tilskudd.")


def can_upload_control_document(user: User, case: ControlCase) -> Decision:
    if not is_applicant(user) or user.organisation_id != case.organisation_id:
        return False, _("Bare mottakerens egne brukere kan sende inn dokumentasjon i kontrollsaken.")
    if case.is_closed:
        return False, _("Kontrollsaken er avsluttet.")
    return _allow()
