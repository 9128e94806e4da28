"""Commitments: undertakings of the issuing parties, in both languages, and what is not one."""

from __future__ import annotations

from typing import Any

import pytest

from communique_nlp import parse


def commitments(text: str) -> list[dict[str, Any]]:
    return list(parse(text).as_dict()["commitments"])


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("We agreed to establish a joint ransomware disruption cell next year.", "agreed to"),
        ("Ministers reaffirmed their commitment to prevent and counter migrant smuggling.",
         "reaffirmed their commitment"),
        ("The RCMP is committed to continue working with domestic and foreign agencies.",
         "is committed to"),
        ("We will continue to exchange information on foreign terrorist fighters.", "will"),
        ("Les ministres se sont également engagés à soutenir leurs organismes frontaliers.",
         "se sont également engagés à"),
        ("Au cours de notre réunion, nous nous sommes entendus sur des efforts conjoints.",
         "nous sommes entendus sur"),
        ("La GRC est résolue à continuer de travailler avec ses partenaires étrangers.",
         "est résolue à"),
        ("Nous continuerons de collaborer avec les entreprises technologiques du secteur.",
         "Nous continuerons"),
        ("Les ministres ont convenu que nos pays continueront de coopérer avec l'industrie.",
         "convenu que"),
    ],
)
def test_commitment_sentences_in_both_languages(sentence: str, cue: str) -> None:
    found = commitments(sentence)
    assert len(found) == 1
    assert found[0]["source"] == "sentence"
    assert found[0]["cue"] == cue
    assert found[0]["text"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # past events, facts, concern, topics discussed
        "Ministers discussed the growing threat of ransomware to hospitals and schools.",
        "The RCMP arrested five young persons on terrorism-related offences since June.",
        "Les ministres ont fait part de leurs préoccupations relatives aux cyberattaques.",
        # a finding of need, not an undertaking
        "The UK and France agree that additional and urgent action is required at the border.",
        "Les ministres ont convenu que le partage de renseignements est essentiel à nos pays.",
        # third parties' undertakings
        "The internet companies also committed to support the new civil society programme.",
        "Les entreprises de l'internet se sont également engagées à soutenir le programme.",
        "The programme, funded by the Commission, will support civil society organisations.",
        # the purpose of a meeting
        "We met in Halifax on 18 August to review the threats and agree on our priorities.",
    ],
)
def test_not_commitments(sentence: str) -> None:
    assert commitments(sentence) == []


def test_quotes_are_one_person_s_words() -> None:
    text = ("“The Government of Canada remains vigilant and is committed to ensuring that the "
            "list remains current,” added Minister Toews.\n\n"
            "« Nous allons protéger nos hôpitaux et nous continuerons d'agir », a déclaré la "
            "ministre.\n")
    assert commitments(text) == []


def test_items_of_a_committing_list_are_commitments_and_the_lead_in_is_not() -> None:
    # a headline first: without one, a lone 'Cybercrime' opening the text is not read as a
    # section heading by the learned block roles (on real documents such a line is mostly a
    # kicker, a category or the title)
    text = ("Interior ministers meet in Ottawa\n\n"
            "Cybercrime\n\n"
            "Ransomware attacks on hospitals have increased across our countries this year.\n\n"
            "Ministers further committed to:\n\n"
            "• share indicators of compromise within 24 hours;\n\n"
            "• support victims who refuse to pay ransoms.\n\n"
            "Discussions focused on:\n\n"
            "• the role of cryptocurrency mixers;\n\n"
            "• initial access brokers.\n")
    found = commitments(text)
    assert [(c["source"], c["text"]) for c in found] == [
        ("bullet", "share indicators of compromise within 24 hours;"),
        ("bullet", "support victims who refuse to pay ransoms."),
    ]
    assert found[0]["actor"] == "Ministers" and found[0]["cue"] == "committed to"
    assert found[0]["themes"] == ["cybercrime"]  # from the section heading


def test_actor_skips_an_opening_phrase_and_keeps_an_apposition() -> None:
    found = commitments(
        "Facing this alarming number of crossings, the Ministers agreed to build on their "
        "cooperation.\n\nWe, the G7 Ministers of Interior and Security, reaffirm our "
        "commitment to prevent and counter migrant smuggling.\n")
    assert [c["actor"] for c in found] == ["the Ministers",
                                          "We, the G7 Ministers of Interior and Security"]


def test_one_commitment_per_sentence_however_many_cues() -> None:
    found = commitments("We will continue to cooperate through the Coalition; we will continue "
                        "to implement the Action Plan; and we will advance the commitments.")
    assert len(found) == 1
