"""The demo landscape: North East London in detail, South East London in outline.

The facts come from the seed board papers (/work/shared/seeds): Tower Hamlets Together's
chair, subgroups and accountability from the council's 2020 scrutiny report (seed 001);
its "could start here → aim for here" governance forms from the 2021 HWBB update
(seed 000); the NEL local systems and provider collaboratives from seeds 001 and 003.
Where the seeds are silent (PCN names, ODS codes, other boroughs' partnership names)
the data follows the real organisations of 2022.

``load`` is idempotent: every row is found by its natural key and created only when
missing, and an existing row is never changed — except a demo user's password, which
is reset only when it no longer matches ``settings.DEMO_PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password

from . import services
from .models import (
    Body,
    BodyKind,
    ChairType,
    GovernanceForm,
    IntegratedCareSystem,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Role,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


K = BodyKind
F = GovernanceForm
O = OrganisationKind  # noqa: E741
M = MembershipRole


@dataclass(frozen=True)
class BodySpec:
    slug: str
    name: str
    kind: str
    short_name: str = ""
    parent: str = ""  # slug of a body listed earlier in the same system
    accountable_to: str = ""  # likewise
    current_form: str = ""
    target_form: str = ""
    chair_name: str = ""
    chair_type: str = ""
    terms_of_reference: str = ""
    is_published: bool = True


@dataclass(frozen=True)
class OrgSpec:
    name: str
    kind: str
    short_name: str = ""
    ods_code: str = ""


@dataclass(frozen=True)
class MembershipSpec:
    body: str  # body slug
    organisation: str  # organisation name
    role: str
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class SystemSpec:
    slug: str
    name: str
    short_name: str
    organisations: list[OrgSpec]
    bodies: list[BodySpec]
    memberships: list[MembershipSpec]


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    system: str  # system slug
    body: str = ""  # body slug, for body roles


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- North East London ----------------------------------------------------------------

NEL_ICB = "NHS North East London Integrated Care Board"
TH_CCG = "NHS Tower Hamlets Clinical Commissioning Group"
BARTS = "Barts Health NHS Trust"
ELFT = "East London NHS Foundation Trust"
HOMERTON = "Homerton Healthcare NHS Foundation Trust"
BHRUT = "Barking, Havering and Redbridge University Hospitals NHS Trust"
NELFT = "North East London NHS Foundation Trust"
GPCG = "Tower Hamlets GP Care Group"
NHC = "Newham Health Collaborative"
LBTH = "London Borough of Tower Hamlets"
LBN = "London Borough of Newham"
LBH = "London Borough of Hackney"
COL = "City of London Corporation"
LBBD = "London Borough of Barking and Dagenham"
LBHAV = "London Borough of Havering"
LBR = "London Borough of Redbridge"
LBWF = "London Borough of Waltham Forest"
THCVS = "Tower Hamlets Council for Voluntary Service"
HW_TH = "Healthwatch Tower Hamlets"
HW_N = "Healthwatch Newham"
NHSE_LONDON = "NHS England and NHS Improvement (London region)"

NEL_ORGANISATIONS = [
    OrgSpec(NEL_ICB, O.ICB, "NEL ICB", "QMF"),
    OrgSpec(TH_CCG, O.OTHER, "THCCG", "08V"),
    OrgSpec(BARTS, O.NHS_TRUST, "Barts Health", "R1H"),
    OrgSpec(ELFT, O.FOUNDATION_TRUST, "ELFT", "RWK"),
    OrgSpec(HOMERTON, O.FOUNDATION_TRUST, "Homerton", "RQX"),
    OrgSpec(BHRUT, O.NHS_TRUST, "BHRUT", "RF4"),
    OrgSpec(NELFT, O.FOUNDATION_TRUST, "NELFT", "RAT"),
    OrgSpec(GPCG, O.GP_FEDERATION, "GP Care Group"),
    OrgSpec(NHC, O.GP_FEDERATION, "NHC"),
    OrgSpec(LBTH, O.LOCAL_AUTHORITY, "Tower Hamlets Council"),
    OrgSpec(LBN, O.LOCAL_AUTHORITY, "Newham Council"),
    OrgSpec(LBH, O.LOCAL_AUTHORITY, "Hackney Council"),
    OrgSpec(COL, O.LOCAL_AUTHORITY, "City of London"),
    OrgSpec(LBBD, O.LOCAL_AUTHORITY, "Barking and Dagenham Council"),
    OrgSpec(LBHAV, O.LOCAL_AUTHORITY, "Havering Council"),
    OrgSpec(LBR, O.LOCAL_AUTHORITY, "Redbridge Council"),
    OrgSpec(LBWF, O.LOCAL_AUTHORITY, "Waltham Forest Council"),
    OrgSpec(THCVS, O.VCSE, "THCVS"),
    OrgSpec(HW_TH, O.HEALTHWATCH, "Healthwatch TH"),
    OrgSpec(HW_N, O.HEALTHWATCH, "Healthwatch Newham"),
    OrgSpec(NHSE_LONDON, O.OTHER, "NHSE/I London"),
]

THT_TOR = (
    "Tower Hamlets Together (THT) is a borough-based partnership that brings together the "
    "Council, the ICB (formerly the CCG), Barts Health NHS Trust, East London NHS Foundation "
    "Trust, Tower Hamlets GP Care Group and the local Voluntary and Community Sector. The "
    "board is made up of senior colleagues from the partner organisations, has had an "
    "Independent Chair since summer 2019, and is accountable to the Tower Hamlets Health & "
    "Wellbeing Board. It is responsible for maintaining strategic oversight of integration "
    "in Tower Hamlets by keeping system performance under review, actively identifying and "
    "pursuing new opportunities for closer working and ensuring collaborative problem "
    "solving to any system issues. Its four priorities: develop the partnership; deliver on "
    "health priorities and inequalities; design care around people; develop our teams and "
    "infrastructure."
)

LIFECOURSE_TOR = (
    "Lifecourse workstream of THT: takes a targeted approach to its population cohort, "
    "including the promotion of health & wellbeing, and oversees service redesign, "
    "transformation & innovation opportunities in health & social care service delivery."
)
LOCALITY_TOR = (
    "Local collaborative leadership forum for the {area} locality, attended by "
    "representatives from every system partner. Builds local relationships, develops a "
    "systemic view of local assets and needs, and problem solves on a geographic basis."
)
ENABLER_TOR = (
    "Enabler workstream of THT: supports joint planning around a key supporting priority "
    "crucial to successful health and social care integration."
)

# Tower Hamlets' eight GP networks date from 2009 and became its PCNs in 2019, two in each
# of the four THT localities. The seeds count them but do not name them; the names
# follow the networks' own (Poplar & Limehouse Health Network, East End Network) and
# their neighbourhoods.
THT_PCNS = [
    ("tht-pcn-bethnal-green", "Bethnal Green PCN", "North West"),
    ("tht-pcn-east-end", "East End Network PCN", "North West"),
    ("tht-pcn-bow", "Bow Health Network PCN", "North East"),
    ("tht-pcn-mile-end", "Mile End and Bromley-by-Bow PCN", "North East"),
    ("tht-pcn-stepney", "Stepney PCN", "South West"),
    ("tht-pcn-wapping-whitechapel", "Wapping and Whitechapel PCN", "South West"),
    ("tht-pcn-poplar-limehouse", "Poplar and Limehouse Health Network PCN", "South East"),
    ("tht-pcn-isle-of-dogs", "Isle of Dogs PCN", "South East"),
]

# (slug, name, short name, local system slug, HWBB slug, current form, target form)
NEL_PLACES = [
    (
        "city-and-hackney",
        "City and Hackney Integrated Care Partnership Board",
        "C&H ICPB",
        "ch-system",
        "hackney-hwbb",
        F.COMMITTEE,
        F.JOINT_COMMITTEE,
    ),
    (
        "barking-and-dagenham",
        "Barking and Dagenham Place-based Partnership",
        "B&D",
        "bhr",
        "barking-and-dagenham-hwbb",
        F.CONSULTATIVE_FORUM,
        F.COMMITTEE,
    ),
    (
        "havering",
        "Havering Place-based Partnership",
        "Havering",
        "bhr",
        "havering-hwbb",
        F.CONSULTATIVE_FORUM,
        F.COMMITTEE,
    ),
    (
        "redbridge",
        "Redbridge Place-based Partnership",
        "Redbridge",
        "bhr",
        "redbridge-hwbb",
        F.CONSULTATIVE_FORUM,
        F.COMMITTEE,
    ),
    (
        "waltham-forest",
        "Waltham Forest Health and Care Partnership",
        "WF",
        "wel",
        "waltham-forest-hwbb",
        F.CONSULTATIVE_FORUM,
        F.JOINT_COMMITTEE,
    ),
    (
        "newham",
        "Newham Health and Care Partnership",
        "Newham",
        "wel",
        "newham-hwbb",
        F.CONSULTATIVE_FORUM,
        F.COMMITTEE,
    ),
]

NEL_HWBBS = [
    ("city-of-london-hwbb", "City of London Health and Wellbeing Board"),
    ("hackney-hwbb", "Hackney Health and Wellbeing Board"),
    ("barking-and-dagenham-hwbb", "Barking and Dagenham Health and Wellbeing Board"),
    ("havering-hwbb", "Havering Health and Wellbeing Board"),
    ("redbridge-hwbb", "Redbridge Health and Wellbeing Board"),
    ("waltham-forest-hwbb", "Waltham Forest Health and Wellbeing Board"),
    ("newham-hwbb", "Newham Health and Wellbeing Board"),
    ("tower-hamlets-hwbb", "Tower Hamlets Health and Wellbeing Board"),
]

HWBB_TOR = (
    "The council's statutory Health and Wellbeing Board: owns the joint strategic needs "
    "assessment and the joint health and wellbeing strategy, and receives reports from the "
    "borough's place-based partnership."
)


def _nel_bodies() -> list[BodySpec]:
    bodies = [
        BodySpec(
            "icb",
            "North East London Integrated Care Board",
            K.ICB_BOARD,
            short_name="NEL ICB",
            chair_name="Marie Gabriel CBE",
            chair_type=ChairType.INDEPENDENT,
            terms_of_reference=(
                "The statutory NHS body for north east London from 1 July 2022: holds the "
                "NHS budget and the legal accountability, and may delegate functions to "
                "place-based partnerships and provider collaboratives under the conditions "
                "it sets."
            ),
        ),
        BodySpec(
            "icp",
            "North East London Integrated Care Partnership",
            K.ICP,
            short_name="NEL ICP",
            chair_name="Marie Gabriel CBE",
            chair_type=ChairType.INDEPENDENT,
            terms_of_reference=(
                "Joint committee of the ICB and the eight local authorities of north east "
                "London; writes the integrated care strategy."
            ),
        ),
        BodySpec(
            "audit-and-risk",
            "NEL ICB Audit and Risk Committee",
            K.COMMITTEE,
            short_name="ARC",
            parent="icb",
            chair_type=ChairType.NHS_NON_EXECUTIVE,
            terms_of_reference="Assurance on internal control, risk management and audit.",
        ),
        BodySpec(
            "quality-safety-improvement",
            "NEL ICB Quality, Safety and Improvement Committee",
            K.COMMITTEE,
            short_name="QSI",
            parent="icb",
            chair_type=ChairType.NHS_NON_EXECUTIVE,
            terms_of_reference="System-wide oversight of quality, safety and improvement.",
        ),
        BodySpec(
            "finance-performance-investment",
            "NEL ICB Finance, Performance and Investment Committee",
            K.COMMITTEE,
            short_name="FPI",
            parent="icb",
            chair_type=ChairType.NHS_NON_EXECUTIVE,
            terms_of_reference=(
                "Oversees the system's financial plan, performance and investment decisions; "
                "successor to the NEL Financial Strategy Group that met from November 2019."
            ),
        ),
        BodySpec(
            "ch-system",
            "City and Hackney local system",
            K.LOCAL_SYSTEM,
            short_name="C&H",
            parent="icb",
            current_form=F.COMMITTEE,
            target_form=F.COMMITTEE,
            terms_of_reference=(
                "One of three 'local systems' that broadly cover the footprints of the three "
                "major acute trusts serving north east London (here Homerton)."
            ),
        ),
        BodySpec(
            "bhr",
            "Barking, Havering and Redbridge Integrated Care Partnership",
            K.LOCAL_SYSTEM,
            short_name="BHR",
            parent="icb",
            current_form=F.COMMITTEE,
            target_form=F.COMMITTEE,
            terms_of_reference=(
                "Local system covering the footprint of Barking, Havering and Redbridge "
                "University Hospitals NHS Trust."
            ),
        ),
        BodySpec(
            "wel",
            "Waltham Forest and East London local system",
            K.LOCAL_SYSTEM,
            short_name="WEL",
            parent="icb",
            current_form=F.COMMITTEE,
            target_form=F.COMMITTEE,
            chair_name="Selina Douglas",
            chair_type=ChairType.NHS_EXECUTIVE,
            terms_of_reference=(
                "The CCGs of Tower Hamlets, Newham and Waltham Forest streamlined their "
                "governance and management under a single Managing Director, with certain "
                "health commissioning activity taking place at the tri-borough level."
            ),
        ),
        BodySpec(
            "acute-provider-alliance",
            "NEL Acute Provider Alliance",
            K.PROVIDER_COLLABORATIVE,
            short_name="APA",
            parent="icb",
            current_form=F.CONSULTATIVE_FORUM,
            target_form=F.JOINT_COMMITTEE,
            chair_type=ChairType.NHS_EXECUTIVE,
            terms_of_reference=(
                "Provider collaboration of the three acute trusts, working at scale on "
                "elective recovery, clinical networks and shared services."
            ),
        ),
        BodySpec(
            "mental-health-collaborative",
            "NEL Mental Health, Learning Disability and Autism Collaborative",
            K.PROVIDER_COLLABORATIVE,
            short_name="MH Collaborative",
            parent="icb",
            current_form=F.JOINT_COMMITTEE,
            target_form=F.LEAD_PROVIDER,
            chair_type=ChairType.NHS_NON_EXECUTIVE,
            terms_of_reference=(
                "Collaborative of ELFT and NELFT for mental health, learning disability and "
                "autism services across north east London."
            ),
        ),
        # Proposed but not yet agreed: unpublished, so only its members and the
        # governance lead see it.
        BodySpec(
            "community-health-collaborative",
            "NEL Community Health Collaborative (proposed)",
            K.PROVIDER_COLLABORATIVE,
            short_name="CHC",
            parent="icb",
            current_form=F.CONSULTATIVE_FORUM,
            target_form=F.JOINT_COMMITTEE,
            terms_of_reference="Draft: a collaborative of the community health providers.",
            is_published=False,
        ),
    ]
    bodies += [
        BodySpec(
            slug,
            name,
            K.HWBB,
            chair_type=ChairType.ELECTED_MEMBER,
            terms_of_reference=HWBB_TOR,
        )
        for slug, name in NEL_HWBBS
    ]
    bodies += [
        BodySpec(
            slug,
            name,
            K.PLACE_PARTNERSHIP,
            short_name=short,
            parent=parent,
            accountable_to=hwbb,
            current_form=current,
            target_form=target,
            terms_of_reference=(
                "Place-based partnership of the council, the ICB, NHS providers, primary "
                "care and the voluntary sector; accountable to the borough's Health and "
                "Wellbeing Board."
            ),
        )
        for slug, name, short, parent, hwbb, current, target in NEL_PLACES
    ]
    # Tower Hamlets Together in full. Seed 000: the borough "could start" as a committee
    # of the ICB and "aim for" a joint committee.
    bodies.append(
        BodySpec(
            "tht",
            "Tower Hamlets Together",
            K.PLACE_PARTNERSHIP,
            short_name="THT",
            parent="wel",
            accountable_to="tower-hamlets-hwbb",
            current_form=F.COMMITTEE,
            target_form=F.JOINT_COMMITTEE,
            chair_name="Amy Gibbs",
            chair_type=ChairType.INDEPENDENT,
            terms_of_reference=THT_TOR,
        )
    )
    sub = {"parent": "tht"}
    bodies += [
        BodySpec(
            "tht-born-well-growing-well",
            "THT Born Well, Growing Well workstream",
            K.COMMITTEE,
            short_name="Born Well, Growing Well",
            terms_of_reference=LIFECOURSE_TOR,
            **sub,
        ),
        BodySpec(
            "tht-living-well",
            "THT Living Well workstream",
            K.COMMITTEE,
            short_name="Living Well",
            terms_of_reference=LIFECOURSE_TOR,
            **sub,
        ),
        BodySpec(
            "tht-promoting-independence",
            "THT Promoting Independence workstream",
            K.COMMITTEE,
            short_name="Promoting Independence",
            terms_of_reference=LIFECOURSE_TOR,
            **sub,
        ),
    ]
    for area in ("North East", "North West", "South East", "South West"):
        bodies.append(
            BodySpec(
                f"tht-locality-{area.lower().replace(' ', '-')}",
                f"{area} Locality Health and Wellbeing Committee",
                K.COMMITTEE,
                short_name=f"{area} LHWC",
                terms_of_reference=LOCALITY_TOR.format(area=area),
                **sub,
            )
        )
    for slug, name in (
        ("tht-estates", "Estates"),
        ("tht-workforce-od", "Workforce and Organisational Development"),
        ("tht-jsna-intelligence", "JSNA and Systems Intelligence"),
        ("tht-comms-quality-learning", "Communications and Quality & Learning"),
    ):
        bodies.append(
            BodySpec(
                slug,
                f"THT {name} workstream",
                K.COMMITTEE,
                short_name=name[:40],
                terms_of_reference=ENABLER_TOR,
                **sub,
            )
        )
    bodies += [
        BodySpec(
            "tht-alliance-board",
            "Tower Hamlets Alliance Board",
            K.COMMITTEE,
            short_name="Alliance Board",
            terms_of_reference=(
                "Brings together representatives from all the NHS providers who are party to "
                "the community health services contract as the 'Alliance Partnership' with "
                "the council also in attendance."
            ),
            **sub,
        ),
        BodySpec(
            "tht-urgent-care",
            "Tower Hamlets Urgent Care Working Group",
            K.COMMITTEE,
            short_name="UCWG",
            terms_of_reference=(
                "Brings together partners to improve the quality and productivity of urgent "
                "and emergency care."
            ),
            **sub,
        ),
    ]
    bodies += [
        BodySpec(
            slug,
            name,
            K.PCN,
            short_name=name.removesuffix(" PCN")[:40],
            parent="tht",
            chair_type=ChairType.CLINICAL,
            terms_of_reference=(
                "Primary care network: GP practices working together for 30,000 to 50,000 "
                f"residents in the {locality} locality, with a clinical director."
            ),
        )
        for slug, name, locality in THT_PCNS
    ]
    return bodies


THT_START = d("2016-04-01")
ICB_START = d("2022-07-01")
CCG_END = d("2022-06-30")


def _nel_memberships() -> list[MembershipSpec]:
    m = MembershipSpec
    rows = [
        # Tower Hamlets Together (seed 001 §3.9-3.10).
        m("tht", LBTH, M.MEMBER, THT_START),
        # Seed 001 §3.22, principle 4: the council co-chairs the borough partnership.
        m("tht", LBTH, M.CO_CHAIR, d("2021-04-01")),
        m("tht", TH_CCG, M.MEMBER, THT_START, CCG_END),
        m("tht", NEL_ICB, M.MEMBER, ICB_START),
        m("tht", BARTS, M.MEMBER, THT_START),
        m("tht", ELFT, M.MEMBER, THT_START),
        m("tht", GPCG, M.MEMBER, THT_START),
        m("tht", THCVS, M.MEMBER, THT_START),
        m("tht", HW_TH, M.ATTENDEE, d("2019-07-01")),
        m("tht", NHSE_LONDON, M.OBSERVER, d("2021-10-01")),
        # The Alliance Board: the community health services contract's providers, with
        # the council "in attendance" (seed 001 §3.8, §3.12).
        m("tht-alliance-board", BARTS, M.MEMBER, THT_START),
        m("tht-alliance-board", ELFT, M.MEMBER, THT_START),
        m("tht-alliance-board", GPCG, M.MEMBER, THT_START),
        m("tht-alliance-board", LBTH, M.ATTENDEE, THT_START),
        m("tht-urgent-care", BARTS, M.MEMBER, d("2019-04-01")),
        m("tht-urgent-care", GPCG, M.MEMBER, d("2019-04-01")),
        m("tht-urgent-care", LBTH, M.MEMBER, d("2019-04-01")),
        m("tht-living-well", ELFT, M.MEMBER, d("2019-04-01")),
        m("tht-living-well", THCVS, M.MEMBER, d("2019-04-01")),
        m("tower-hamlets-hwbb", LBTH, M.MEMBER, d("2013-04-01")),
        m("tower-hamlets-hwbb", TH_CCG, M.MEMBER, d("2013-04-01"), CCG_END),
        m("tower-hamlets-hwbb", NEL_ICB, M.MEMBER, ICB_START),
        m("tower-hamlets-hwbb", HW_TH, M.MEMBER, d("2013-04-01")),
        m("tower-hamlets-hwbb", THCVS, M.ATTENDEE, d("2016-04-01")),
        # Newham.
        m("newham", LBN, M.MEMBER, d("2021-04-01")),
        m("newham", NEL_ICB, M.MEMBER, ICB_START),
        m("newham", BARTS, M.MEMBER, d("2021-04-01")),
        m("newham", ELFT, M.MEMBER, d("2021-04-01")),
        m("newham", NHC, M.MEMBER, d("2021-04-01")),
        m("newham", HW_N, M.ATTENDEE, d("2021-04-01")),
        m("newham-hwbb", LBN, M.MEMBER, d("2013-04-01")),
        m("newham-hwbb", NEL_ICB, M.MEMBER, ICB_START),
        m("newham-hwbb", HW_N, M.MEMBER, d("2013-04-01")),
        # System level.
        m("icb", NEL_ICB, M.MEMBER, ICB_START),
        m("icb", BARTS, M.MEMBER, ICB_START),
        m("icb", ELFT, M.MEMBER, ICB_START),
        m("icb", NELFT, M.MEMBER, ICB_START),
        m("icb", LBTH, M.MEMBER, ICB_START),
        m("icb", NHSE_LONDON, M.OBSERVER, ICB_START),
        m("acute-provider-alliance", BARTS, M.MEMBER, d("2020-10-01")),
        m("acute-provider-alliance", HOMERTON, M.MEMBER, d("2020-10-01")),
        m("acute-provider-alliance", BHRUT, M.MEMBER, d("2020-10-01")),
        m("acute-provider-alliance", NEL_ICB, M.OBSERVER, ICB_START),
        m("mental-health-collaborative", ELFT, M.CO_CHAIR, d("2020-10-01")),
        m("mental-health-collaborative", NELFT, M.CO_CHAIR, d("2020-10-01")),
        m("community-health-collaborative", ELFT, M.MEMBER, d("2023-04-01")),
        m("community-health-collaborative", NELFT, M.MEMBER, d("2023-04-01")),
        m("community-health-collaborative", HOMERTON, M.MEMBER, d("2023-04-01")),
        m("wel", LBTH, M.MEMBER, d("2019-04-01")),
        m("wel", LBN, M.MEMBER, d("2019-04-01")),
        m("wel", LBWF, M.MEMBER, d("2019-04-01")),
        m("wel", BARTS, M.MEMBER, d("2019-04-01")),
        m("wel", ELFT, M.MEMBER, d("2019-04-01")),
        m("bhr", BHRUT, M.MEMBER, d("2019-04-01")),
        m("bhr", NELFT, M.MEMBER, d("2019-04-01")),
        m("bhr", LBBD, M.MEMBER, d("2019-04-01")),
        m("bhr", LBHAV, M.MEMBER, d("2019-04-01")),
        m("bhr", LBR, M.MEMBER, d("2019-04-01")),
        m("ch-system", HOMERTON, M.MEMBER, d("2019-04-01")),
        m("ch-system", LBH, M.MEMBER, d("2019-04-01")),
        m("ch-system", COL, M.MEMBER, d("2019-04-01")),
    ]
    rows += [
        m("icp", council, M.MEMBER, ICB_START)
        for council in (LBTH, LBN, LBH, COL, LBBD, LBHAV, LBR, LBWF)
    ]
    rows.append(m("icp", NEL_ICB, M.CO_CHAIR, ICB_START))
    # Every other place and HWBB: its council and the ICB.
    for place, council, hwbb in (
        ("city-and-hackney", LBH, "hackney-hwbb"),
        ("barking-and-dagenham", LBBD, "barking-and-dagenham-hwbb"),
        ("havering", LBHAV, "havering-hwbb"),
        ("redbridge", LBR, "redbridge-hwbb"),
        ("waltham-forest", LBWF, "waltham-forest-hwbb"),
    ):
        rows += [
            m(place, council, M.CO_CHAIR, d("2021-04-01")),
            m(place, NEL_ICB, M.CO_CHAIR, ICB_START),
            m(hwbb, council, M.MEMBER, d("2013-04-01")),
            m(hwbb, NEL_ICB, M.MEMBER, ICB_START),
        ]
    rows += [
        m("city-and-hackney", COL, M.MEMBER, d("2021-04-01")),
        m("city-and-hackney", HOMERTON, M.MEMBER, d("2021-04-01")),
        m("city-of-london-hwbb", COL, M.MEMBER, d("2013-04-01")),
        m("city-of-london-hwbb", NEL_ICB, M.MEMBER, ICB_START),
    ]
    return rows


# --- South East London ----------------------------------------------------------------

SEL_ICB = "NHS South East London Integrated Care Board"
GSTT = "Guy's and St Thomas' NHS Foundation Trust"
KINGS = "King's College Hospital NHS Foundation Trust"
SLAM = "South London and Maudsley NHS Foundation Trust"
LAMBETH = "London Borough of Lambeth"
SOUTHWARK = "London Borough of Southwark"

SEL_ORGANISATIONS = [
    OrgSpec(SEL_ICB, O.ICB, "SEL ICB", "QKK"),
    OrgSpec(GSTT, O.FOUNDATION_TRUST, "GSTT", "RJ1"),
    OrgSpec(KINGS, O.FOUNDATION_TRUST, "King's", "RJZ"),
    OrgSpec(SLAM, O.FOUNDATION_TRUST, "SLaM", "RV5"),
    OrgSpec(LAMBETH, O.LOCAL_AUTHORITY, "Lambeth Council"),
    OrgSpec(SOUTHWARK, O.LOCAL_AUTHORITY, "Southwark Council"),
]

SEL_BODIES = [
    BodySpec(
        "icb",
        "South East London Integrated Care Board",
        K.ICB_BOARD,
        short_name="SEL ICB",
        chair_type=ChairType.INDEPENDENT,
        terms_of_reference="The statutory NHS body for south east London from 1 July 2022.",
    ),
    BodySpec(
        "lambeth-hwbb",
        "Lambeth Health and Wellbeing Board",
        K.HWBB,
        chair_type=ChairType.ELECTED_MEMBER,
        terms_of_reference=HWBB_TOR,
    ),
    BodySpec(
        "southwark-hwbb",
        "Southwark Health and Wellbeing Board",
        K.HWBB,
        chair_type=ChairType.ELECTED_MEMBER,
        terms_of_reference=HWBB_TOR,
    ),
    BodySpec(
        "lambeth-together",
        "Lambeth Together",
        K.PLACE_PARTNERSHIP,
        short_name="Lambeth",
        parent="icb",
        accountable_to="lambeth-hwbb",
        current_form=F.COMMITTEE,
        target_form=F.JOINT_COMMITTEE,
        chair_type=ChairType.CO_CHAIRS,
        terms_of_reference="Lambeth's place-based partnership, a committee of the SEL ICB.",
    ),
    BodySpec(
        "partnership-southwark",
        "Partnership Southwark",
        K.PLACE_PARTNERSHIP,
        short_name="Southwark",
        parent="icb",
        accountable_to="southwark-hwbb",
        current_form=F.CONSULTATIVE_FORUM,
        target_form=F.COMMITTEE,
        chair_type=ChairType.CO_CHAIRS,
        terms_of_reference="Southwark's place-based partnership.",
    ),
]

SEL_MEMBERSHIPS = [
    MembershipSpec("icb", SEL_ICB, M.MEMBER, ICB_START),
    MembershipSpec("icb", GSTT, M.MEMBER, ICB_START),
    MembershipSpec("icb", KINGS, M.MEMBER, ICB_START),
    MembershipSpec("lambeth-together", LAMBETH, M.CO_CHAIR, ICB_START),
    MembershipSpec("lambeth-together", SEL_ICB, M.CO_CHAIR, ICB_START),
    MembershipSpec("lambeth-together", GSTT, M.MEMBER, ICB_START),
    MembershipSpec("lambeth-together", KINGS, M.MEMBER, ICB_START),
    MembershipSpec("lambeth-together", SLAM, M.MEMBER, ICB_START),
    MembershipSpec("partnership-southwark", SOUTHWARK, M.MEMBER, ICB_START),
    MembershipSpec("partnership-southwark", SEL_ICB, M.MEMBER, ICB_START),
    MembershipSpec("partnership-southwark", GSTT, M.MEMBER, ICB_START),
    MembershipSpec("partnership-southwark", KINGS, M.MEMBER, ICB_START),
    MembershipSpec("lambeth-hwbb", LAMBETH, M.MEMBER, d("2013-04-01")),
    MembershipSpec("southwark-hwbb", SOUTHWARK, M.MEMBER, d("2013-04-01")),
]

SYSTEMS = [
    SystemSpec(
        "nel",
        "North East London Integrated Care System",
        "NEL",
        NEL_ORGANISATIONS,
        _nel_bodies(),
        _nel_memberships(),
    ),
    SystemSpec(
        "sel",
        "South East London Integrated Care System",
        "SEL",
        SEL_ORGANISATIONS,
        SEL_BODIES,
        SEL_MEMBERSHIPS,
    ),
]

# The personas every test and the browser demo sign in as. Names are invented.
USERS = [
    UserSpec("icb.governance", "Priya", "Raman", Role.GOVERNANCE_LEAD, "nel"),
    UserSpec("tht.office", "Tom", "Okafor", Role.PROGRAMME_OFFICE, "nel", "tht"),
    UserSpec("tht.board", "Ruth", "Adeyemi", Role.BOARD_MEMBER, "nel", "tht"),
    UserSpec("newham.office", "Sam", "Chowdhury", Role.PROGRAMME_OFFICE, "nel", "newham"),
    UserSpec("sel.governance", "Helen", "Murray", Role.GOVERNANCE_LEAD, "sel"),
    UserSpec("viewer", "Jordan", "Lee", Role.VIEWER, "nel"),
]
USERNAMES = tuple(u.username for u in USERS)


# --- loading ----------------------------------------------------------------------------


@dataclass
class _Loader:
    created: Counter[str] = field(default_factory=Counter)
    _hash: str | None = None
    _checked: dict[str, bool] = field(default_factory=dict)

    def system(self, spec: SystemSpec) -> IntegratedCareSystem:
        found = IntegratedCareSystem.objects.filter(slug=spec.slug).first()
        if found is not None:
            return found
        self.created["systems"] += 1
        return services.system_create(name=spec.name, short_name=spec.short_name, slug=spec.slug)

    def organisation(self, system: IntegratedCareSystem, spec: OrgSpec) -> Organisation:
        found = Organisation.objects.filter(system=system, name=spec.name).first()
        if found is not None:
            return found
        self.created["organisations"] += 1
        return services.organisation_create(
            system=system,
            name=spec.name,
            kind=spec.kind,
            short_name=spec.short_name,
            ods_code=spec.ods_code,
        )

    def body(self, system: IntegratedCareSystem, spec: BodySpec, by_slug: dict[str, Body]) -> Body:
        found = Body.objects.filter(system=system, slug=spec.slug).first()
        if found is not None:
            return found
        self.created["bodies"] += 1
        return services.body_create(
            system=system,
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            short_name=spec.short_name,
            parent=by_slug[spec.parent] if spec.parent else None,
            accountable_to=by_slug[spec.accountable_to] if spec.accountable_to else None,
            current_form=spec.current_form,
            target_form=spec.target_form,
            chair_name=spec.chair_name,
            chair_type=spec.chair_type,
            terms_of_reference=spec.terms_of_reference,
            is_published=spec.is_published,
        )

    def membership(
        self, body: Body, organisation: Organisation, spec: MembershipSpec
    ) -> Membership:
        found = Membership.objects.filter(
            body=body, organisation=organisation, role=spec.role, start_date=spec.start
        ).first()
        if found is not None:
            return found
        self.created["memberships"] += 1
        return services.membership_create(
            body=body,
            organisation=organisation,
            role=spec.role,
            start_date=spec.start,
            end_date=spec.end,
        )

    def load_system(self, spec: SystemSpec) -> IntegratedCareSystem:
        system = self.system(spec)
        orgs = {o.name: self.organisation(system, o) for o in spec.organisations}
        bodies: dict[str, Body] = {}
        for body_spec in spec.bodies:
            bodies[body_spec.slug] = self.body(system, body_spec, bodies)
        for m in spec.memberships:
            self.membership(bodies[m.body], orgs[m.organisation], m)
        return system

    def user(self, spec: UserSpec) -> Any:
        User = get_user_model()
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            self.created["users"] += 1
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.org",
                password=self.password_hash(),
            )
            user.full_clean()
            user.save()
        elif not self.password_matches(user.password):
            # The one field a re-run may change: the documented password must work.
            user.password = self.password_hash()
            user.save(update_fields=["password"])
            self.created["passwords reset"] += 1
        return user

    # A strong hash costs about half a second. The personas share one known password, so
    # they share one hash too, and each distinct stored hash is checked once per run.
    def password_hash(self) -> str:
        if self._hash is None:
            self._hash = make_password(settings.DEMO_PASSWORD)
            self._checked[self._hash] = True
        return self._hash

    def password_matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = check_password(settings.DEMO_PASSWORD, encoded)
        return self._checked[encoded]

    def grant(self, user: User, spec: UserSpec) -> None:
        system = IntegratedCareSystem.objects.get(slug=spec.system)
        body = Body.objects.get(system=system, slug=spec.body) if spec.body else None
        before = user.role_assignments.filter(revoked_at__isnull=True).count()
        services.role_grant(user=user, role=spec.role, system=system, body=body)
        if user.role_assignments.filter(revoked_at__isnull=True).count() != before:
            self.created["roles"] += 1


def load(*, stdout: TextIO | None = None) -> Counter[str]:
    """Create whatever of the demo landscape and personas is missing; return what was made.

    The caller owns the transaction (``manage.py load_demo`` wraps everything in one).
    """
    loader = _Loader()
    for spec in SYSTEMS:
        loader.load_system(spec)
    for spec in USERS:
        loader.grant(loader.user(spec), spec)
    if stdout is not None:
        systems = IntegratedCareSystem.objects.filter(slug__in=[s.slug for s in SYSTEMS])
        made = ", ".join(f"{n} {what}" for what, n in sorted(loader.created.items()))
        stdout.write(
            f"Governance demo: {systems.count()} systems, "
            f"{Body.objects.filter(system__in=systems).count()} bodies, "
            f"{Organisation.objects.filter(system__in=systems).count()} organisations, "
            f"{Membership.objects.filter(body__system__in=systems).count()} memberships, "
            f"{len(USERS)} personas ({made or 'nothing'} new).\n"
        )
    return loader.created
