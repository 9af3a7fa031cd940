"""The national annual report as one hand-written PostgreSQL query: the yardstick for the ORM's version.

It follows the definitions in docs/indicators.md but is written independently of the ORM's SQL: people are folded
first (one row per person with ``bool_or``), then counted, instead of COUNT DISTINCT per group; work and education
are found per person (any of their periods) with IN over the jobs and educations of the year, not per period with
EXISTS. It covers every national figure of the annual report: participants by category and age group, the
under-30 count (the share's numerator), work and education, starts and waiting time, closed periods with their
outcome, employers, municipalities covered by service level, and fidelity.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from brobygger.participants.models import Period
from brobygger.reporting.indicators import SERVICE_LEVELS
from brobygger.reporting.periods import ReportingPeriod, birth_date_cutoff

QUERY = """
WITH active AS (
    SELECT f.participant_id,
           d.has_psychosis, d.has_substance_problems, d.birth_date,
           f.participant_id IN (SELECT p.participant_id FROM participants_job j
                   JOIN participants_period p ON p.id = j.period_id
                   WHERE j.counts_as_outcome
                     AND j.start_date <= %(end)s AND (j.end_date IS NULL OR j.end_date >= %(start)s)) AS working,
           f.participant_id IN (SELECT p.participant_id FROM participants_education u
                   JOIN participants_period p ON p.id = u.period_id
                   WHERE u.start_date <= %(end)s AND (u.ended_on IS NULL OR u.ended_on >= %(start)s)) AS studying
    FROM participants_period f
    JOIN participants_participant d ON d.id = f.participant_id
    WHERE f.start_date IS NOT NULL AND f.start_date <= %(end)s AND (f.closed_on IS NULL OR f.closed_on >= %(start)s)
),
people AS (
    SELECT participant_id,
           CASE WHEN bool_or(has_psychosis) THEN 'psykose'
                WHEN bool_or(has_substance_problems) THEN 'rus' ELSE 'andre' END AS category,
           min(birth_date) AS birth_date,
           bool_or(working) AS working,
           bool_or(studying) AS studying
    FROM active GROUP BY participant_id
),
participants AS (
    SELECT count(*) AS deltakere,
           count(*) FILTER (WHERE category = 'psykose') AS deltakere_psykose,
           count(*) FILTER (WHERE category = 'rus') AS deltakere_rus,
           count(*) FILTER (WHERE category = 'andre') AS deltakere_andre,
           count(*) FILTER (WHERE working) AS arbeid,
           count(*) FILTER (WHERE working AND category = 'psykose') AS arbeid_psykose,
           count(*) FILTER (WHERE working AND category = 'rus') AS arbeid_rus,
           count(*) FILTER (WHERE studying) AS utdanning,
           count(*) FILTER (WHERE studying AND category = 'psykose') AS utdanning_psykose,
           count(*) FILTER (WHERE studying AND category = 'rus') AS utdanning_rus,
           count(*) FILTER (WHERE working OR studying) AS arbeid_eller_utdanning,
           count(*) FILTER (WHERE birth_date > %(age18)s) AS alder_16_17,
           count(*) FILTER (WHERE birth_date <= %(age18)s AND birth_date > %(age25)s) AS alder_18_24,
           count(*) FILTER (WHERE birth_date <= %(age25)s AND birth_date > %(age30)s) AS alder_25_29,
           count(*) FILTER (WHERE birth_date <= %(age30)s) AS alder_30_pluss,
           count(*) FILTER (WHERE birth_date > %(age30)s) AS under_30
    FROM people
),
starts AS (
    SELECT count(*) AS oppstarter, avg(f.start_date - h.referred_on) AS ventetid_dager
    FROM participants_period f JOIN participants_referral h ON h.id = f.referral_id
    WHERE f.start_date BETWEEN %(start)s AND %(end)s
),
closures AS (
    SELECT count(*) AS avsluttet,
           count(*) FILTER (WHERE closure_reason = ANY(%(outcomes)s)) AS avsluttet_resultat,
           count(*) FILTER (WHERE closure_reason <> ALL(%(outcomes)s)) AS avsluttet_annet
    FROM participants_period WHERE closed_on BETWEEN %(start)s AND %(end)s
),
contacted AS (
    SELECT DISTINCT employer_id FROM participants_employercontact WHERE date BETWEEN %(start)s AND %(end)s
),
employers AS (
    SELECT (SELECT count(*) FROM contacted) AS arbeidsgivere,
           (SELECT count(DISTINCT f.participant_id)
            FROM participants_job j JOIN participants_period f ON f.id = j.period_id
            WHERE j.counts_as_outcome AND j.start_date BETWEEN %(start)s AND %(end)s
              AND j.employer_id IN (SELECT employer_id FROM contacted)) AS ansatt_hos_arbeidsgivere
),
coverage AS (
    SELECT k.id,
           bool_or(s.anchoring = ANY(%(municipal)s)) AS kommunal,
           bool_or(s.anchoring = ANY(%(specialist)s)) AS spesialist,
           bool_or(s.anchoring = ANY(%(act_fact)s)) AS act_fact
    FROM accounts_municipality k
    JOIN accounts_ipsservice_municipalities m ON m.municipality_id = k.id
    JOIN accounts_ipsservice s ON s.id = m.ipsservice_id AND s.start_date <= %(end)s
    WHERE k.valid_from <= %(geography)s AND (k.valid_to IS NULL OR k.valid_to >= %(geography)s)
    GROUP BY k.id
),
municipalities AS (
    SELECT (SELECT count(*) FROM accounts_municipality k
            WHERE k.valid_from <= %(geography)s AND (k.valid_to IS NULL OR k.valid_to >= %(geography)s))
               AS kommuner_i_alt,
           count(*) AS kommuner_med_tilbud,
           count(*) FILTER (WHERE kommunal) AS kommuner_kommunal,
           count(*) FILTER (WHERE spesialist) AS kommuner_spesialist,
           count(*) FILTER (WHERE act_fact) AS kommuner_act_fact
    FROM coverage
),
fidelity AS (
    SELECT avg(total) AS modelltrohet, count(total) AS tilbud_vurdert
    FROM (SELECT DISTINCT ON (service_id) service_id, total FROM fidelity_review
          WHERE status = 'finalised' AND review_date <= %(end)s
          ORDER BY service_id, review_date DESC, id DESC) latest
)
SELECT * FROM participants, starts, closures, employers, municipalities, fidelity
"""


def national_annual(period: ReportingPeriod) -> dict[str, Any]:
    from brobygger.reporting.indicators import geography_day

    params = {
        "start": period.start,
        "end": period.end,
        "age18": birth_date_cutoff(period.end, 18),
        "age25": birth_date_cutoff(period.end, 25),
        "age30": birth_date_cutoff(period.end, 30),
        "outcomes": sorted(Period.OUTCOME_REASONS),
        "municipal": list(SERVICE_LEVELS["kommunal"]),
        "specialist": list(SERVICE_LEVELS["spesialist"]),
        "act_fact": list(SERVICE_LEVELS["act_fact"]),
        "geography": geography_day(period.end),
    }
    with connection.cursor() as cursor:
        cursor.execute(QUERY, params)
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def compare(orm: dict[str, Any], hand: dict[str, Any]) -> list[str]:
    """The figures that differ between the two computations."""
    differences = []
    for name, value in hand.items():
        other = orm.get(name)
        if value is None or other is None:
            same = value is None and other in (None, 0)
        else:
            same = abs(float(value) - float(other)) < 1e-6 * max(1, abs(float(value)))
        if not same:
            differences.append(f"{name}: ORM {other}, SQL {value}")
    return differences
