"""Pages: the follow-up of a period and the employer register. Thin views over services.py and access.py."""

from django.urls import path

from brobygger.participants.views import corrections, followup

urlpatterns = [
    path("forlop/<int:pk>/karriereprofil/", followup.career_profile, name="followup_career_profile"),
    path("forlop/<int:pk>/plan/", followup.plan, name="followup_plan"),
    path("forlop/<int:pk>/plan/ny/", followup.plan_create, name="followup_plan_create"),
    path("forlop/<int:pk>/plan/revisjon/", followup.plan_revise, name="followup_plan_revise"),
    path("forlop/<int:pk>/plan/aktiviteter/", followup.activity_add, name="followup_activity_add"),
    path(
        "forlop/<int:pk>/plan/aktiviteter/<int:activity_pk>/status/",
        followup.activity_status,
        name="followup_activity_status",
    ),
    path("forlop/<int:pk>/kontakter/", followup.contacts, name="followup_contacts"),
    path("forlop/<int:pk>/jobbsoking/", followup.job_search, name="followup_job_search"),
    path("forlop/<int:pk>/jobber/", followup.jobs, name="followup_jobs"),
    path("forlop/<int:pk>/jobber/<int:job_pk>/slutt/", followup.job_end, name="followup_job_end"),
    path("forlop/<int:pk>/utdanning/", followup.education, name="followup_education"),
    path(
        "forlop/<int:pk>/utdanning/<int:education_pk>/avslutt/",
        followup.education_finish,
        name="followup_education_finish",
    ),
    path("forlop/<int:pk>/<slug:kind>/<int:entry_pk>/rett/", corrections.entry_correct, name="entry_correct"),
    path("forlop/<int:pk>/<slug:kind>/<int:entry_pk>/slett/", corrections.entry_delete, name="entry_delete"),
    path(
        "arbeidsgivere/kontakter/<int:pk>/rett/",
        corrections.employer_contact_correct,
        name="employer_contact_correct",
    ),
    path(
        "arbeidsgivere/kontakter/<int:pk>/slett/", corrections.employer_contact_delete, name="employer_contact_delete"
    ),
    path("arbeidsgivere/", followup.employer_list, name="employer_list"),
    path("arbeidsgivere/ny/", followup.employer_register, name="employer_register"),
    path("arbeidsgivere/kontakter/", followup.employer_contact_list, name="employer_contact_list"),
    path("arbeidsgivere/kontakter/ny/", followup.employer_contact_record, name="employer_contact_record"),
]
