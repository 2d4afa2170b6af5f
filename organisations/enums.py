from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine


class OrganisationKind(models.TextChoices):
    """The five kinds of applicant of R3 (art. 3)."""

    ENTERPRISE = "enterprise", _("企业")
    INSTITUTION = "institution", _("事业单位")
    RESEARCH_EDUCATION = "research_education", _("科研及教育机构")
    SOCIAL_GROUP = "social_group", _("社会团体")
    OTHER = "other", _("其他组织")


class CreditGrade(models.TextChoices):
    """Quality credit grades (质量信用等级); R11.5 requires A by default."""

    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")
    D = "D", _("D级")


class CreditScheme(models.TextChoices):
    """The grading schemes a credit department may rate under (issue 14 item 3)."""

    A_D = "A-D", _("A–D四级（质量信用等级）")
    AAA_C = "AAA-C", _("AAA–C九级（信用评级）")


SCHEME_GRADES: dict[str, tuple[str, ...]] = {
    CreditScheme.A_D: ("A", "B", "C", "D"),
    CreditScheme.AAA_C: ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"),
}

# What R11.5 compares: every grade as its equivalent on the A-D quality credit scale, the scale
# of the programme setting ``required_credit_grade``. AAA, AA and A (守信: trustworthy) are A;
# BBB (一般) is B; BB and B (欠佳、较差) are C; CCC, CC and C (很差至无信用) are D.
A_D_EQUIVALENT: dict[str, dict[str, str]] = {
    CreditScheme.A_D: {g: g for g in SCHEME_GRADES[CreditScheme.A_D]},
    CreditScheme.AAA_C: {
        "AAA": "A",
        "AA": "A",
        "A": "A",
        "BBB": "B",
        "BB": "C",
        "B": "C",
        "CCC": "D",
        "CC": "D",
        "C": "D",
    },
}


def a_d_equivalent(scheme: str, grade: str) -> str | None:
    """The grade's equivalent on the A-D scale, or None for a grade the scheme lacks."""
    return A_D_EQUIVALENT.get(scheme or CreditScheme.A_D, {}).get(grade)


class IncidentKind(models.TextChoices):
    """What R11.6 looks back for (art. 11(6))."""

    QUALITY_ACCIDENT = "quality_accident", _("重大质量事故")
    SAFETY_ACCIDENT = "safety_accident", _("重大安全事故")
    ENVIRONMENTAL_ACCIDENT = "environmental_accident", _("重大环保事故")
    PUBLIC_HEALTH_ACCIDENT = "public_health_accident", _("重大公共卫生事故")
    MAJOR_COMPLAINT = "major_complaint", _("因自身原因导致的重大投诉")
    VIOLATION = "violation", _("违反法律法规行为")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("待核实")
    VERIFIED = "verified", _("已核实")
    DISMISSED = "dismissed", _("经核实不成立")


# Incidents that stand against an organisation until the office dismisses them.
BLOCKING_INCIDENT_STATUSES = frozenset({IncidentStatus.REPORTED, IncidentStatus.VERIFIED})

INCIDENT_MACHINE = StateMachine(
    "Incident",
    IncidentStatus,
    {
        IncidentStatus.REPORTED: frozenset({IncidentStatus.VERIFIED, IncidentStatus.DISMISSED}),
        # New evidence may reverse a finding either way.
        IncidentStatus.VERIFIED: frozenset({IncidentStatus.DISMISSED}),
        IncidentStatus.DISMISSED: frozenset({IncidentStatus.VERIFIED}),
    },
    initial=IncidentStatus.REPORTED,
)
