from papers.glossary import DEFAULT_TERMS, acronyms_used

TERMS = dict(DEFAULT_TERMS)


def test_whole_words_only_and_case_as_written():
    used = dict(acronyms_used(["The ICS update, for PHYSICS fans, and the Icb"], TERMS))
    assert set(used) == {"ICS"}


def test_plurals_count_as_uses():
    assert [a for a, _m in acronyms_used(["Eight PCNs and the PCN's lead"], TERMS)] == ["PCN"]


def test_alphabetical_ignoring_case():
    found = [a for a, _m in acronyms_used(["ToR, SoRD, THT, BCF and SRO"], TERMS)]
    assert found == ["BCF", "SoRD", "SRO", "THT", "ToR"]


def test_vcs_and_vcse_are_told_apart():
    assert [a for a, _m in acronyms_used(["the VCSE sector"], TERMS)] == ["VCSE"]


def test_a_term_that_starts_another_is_found_on_its_own_and_with_it():
    terms = {"NHS": "National Health Service", "NHSE": "NHS England", "PCNs": "(plural)"}
    assert [a for a, _m in acronyms_used(["NHSE only"], terms)] == ["NHSE"]
    assert [a for a, _m in acronyms_used(["NHSE and the NHS"], terms)] == ["NHS", "NHSE"]
    # "PCNs" is itself a term and the plural of none: only "PCNs" is used.
    assert [a for a, _m in acronyms_used(["the PCNs"], terms)] == ["PCNs"]
    assert acronyms_used(["nothing here"], {}) == []
