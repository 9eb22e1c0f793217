"""The glossary a built paper ends with: exactly the system's acronyms that it uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Seeded from the domain glossary (shared/DOMAIN.md); each system's governance lead
# edits its own copy.
DEFAULT_TERMS: tuple[tuple[str, str], ...] = (
    ("BCF", "Better Care Fund"),
    ("BHR", "Barking, Havering and Redbridge"),
    ("CCG", "Clinical commissioning group"),
    ("HWBB", "Health and wellbeing board"),
    ("ICB", "Integrated care board"),
    ("ICP", "Integrated care partnership"),
    ("ICS", "Integrated care system"),
    ("MoU", "Memorandum of understanding"),
    ("NEL", "North east London"),
    ("NWL", "North west London"),
    ("PCN", "Primary care network"),
    ("RAG", "Red, amber, green rating"),
    ("SEL", "South east London"),
    ("SRO", "Senior responsible owner"),
    ("STP", "Sustainability and transformation partnership"),
    ("SoRD", "Scheme of reservation and delegation"),
    ("THT", "Tower Hamlets Together"),
    ("ToR", "Terms of reference"),
    ("VCS", "Voluntary and community sector"),
    ("VCSE", "Voluntary, community and social enterprise sector"),
    ("WEL", "Waltham Forest and East London"),
)


# Whole words only, case as written: "ICS" in "ICS update" but not in "PHYSICS"; a plural
# ("PCNs", "PCN's") still counts as a use.
_BEFORE = r"(?<![A-Za-z0-9])"
_AFTER = r"(?=s\b|'s\b|[^A-Za-z0-9]|$)"


def _pattern(*acronyms: str) -> re.Pattern[str]:
    # Longest first: where "NHS" and "NHSE" could both start, the longer is the one used.
    alternatives = "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
    return re.compile(f"{_BEFORE}({alternatives}){_AFTER}")


def acronyms_used(texts: Iterable[str], terms: Mapping[str, str]) -> list[tuple[str, str]]:
    """The terms whose acronym appears in ``texts``, alphabetical (case-insensitive)."""
    corpus = "\n".join(t for t in texts if t)
    if not terms:
        return []
    # One pass over a long paper for all the terms (a pass per term was a tenth of a
    # build's own time); then a term that is the start of one found, such as "PCN" of
    # "PCNs", is looked for alone, since one pass reports one term per place.
    found = set(_pattern(*terms).findall(corpus))
    prefixes = [a for a in terms if a not in found and any(f.startswith(a) for f in found)]
    found.update(a for a in prefixes if _pattern(a).search(corpus))
    used = [(a, m) for a, m in terms.items() if a in found]
    return sorted(used, key=lambda item: item[0].lower())
