"""Quotes carry no health details (issue 19) and no employer names (issue 20)."""

from pathlib import Path

import pytest

from pipeline.quotes import anonymised_quote
from pipeline.redaction.employers import mask_employers
from pipeline.redaction.health import health_terms, mentions_health

HEALTH = Path(__file__).resolve().parents[1] / "data" / "health"


def sentences(name: str) -> list[str]:
    lines = (HEALTH / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_health_set_is_large_enough():
    assert len(sentences("health.txt")) >= 150
    assert len(sentences("not_health.txt")) >= 150


def test_health_sentences_are_kept_out_and_others_are_kept():
    health = sentences("health.txt")
    other = sentences("not_health.txt")
    missed = [s for s in health if anonymised_quote(s) is not None]
    lost = [s for s in other if anonymised_quote(s) is None]
    assert len(missed) <= 0.02 * len(health), missed
    assert len(lost) <= 0.10 * len(other), lost


def test_the_former_final_set_meets_the_targets():
    """Held out until the eighth session, which tuned the rules and trained the classifier
    on it (docs/redaction.md): a regression check now, not a measure of unseen text."""
    health = sentences("final_health.txt")
    other = sentences("final_not_health.txt")
    missed = [s for s in health if anonymised_quote(s) is not None]
    lost = [s for s in other if anonymised_quote(s) is None]
    assert len(missed) <= 0.02 * len(health), missed
    assert len(lost) <= 0.10 * len(other), lost


def test_the_held_out_set_meets_the_targets():
    """`holdout2_*.txt`: written and committed before the eighth session changed the filter,
    never trained on and never used to choose a word or threshold. Scored once after the
    changes: 163/165 kept out, 12/165 lost (before them: 163/165 and 29/165)."""
    health = sentences("holdout2_health.txt")
    other = sentences("holdout2_other.txt")
    assert len(health) >= 150 and len(other) >= 150
    missed = [s for s in health if anonymised_quote(s) is not None]
    lost = [s for s in other if anonymised_quote(s) is None]
    assert len(missed) <= 0.02 * len(health), missed
    assert len(lost) <= 0.10 * len(other), lost


@pytest.mark.parametrize(
    "text",
    [
        "Ik heb hiv en wil weten of ik dat moet melden.",
        "Ik heb diabetes en moet kunnen prikken tijdens de dienst.",
        "Mijn zoon heeft autisme en ik wil vaste werktijden.",
        "Door mijn ADHD kan ik niet in een kantoortuin werken.",
        "Na mijn miskraam moest ik meteen weer werken.",
        "Wij zitten in een IVF-traject en ik heb vrij nodig.",
        "Ik heb MS en kan geen nachtdiensten meer draaien.",
        "Mijn reuma speelt op en ik kan niet lang staan.",
        "Ik ben onder behandeling bij de GGZ.",
        "Ik gebruik antidepressiva en mag niet meer op de heftruck.",
        "Ik ben zwanger en mijn contract wordt niet verlengd.",
        "Ik ben ziek thuis en de werkgever belt elke dag.",
        "Ik heb een zware bronchitis en moet toch komen.",  # a medical word by its form
        "Mijn zwangerschapsverlof gaat in maart in.",  # a stem inside a compound
        "Ik lig al twee weken in het ziekenhuis en mijn contract loopt af.",
        "Mijn psycholoog adviseert minder te werken.",
    ],
)
def test_health_details_are_found(text):
    assert mentions_health(text), text


@pytest.mark.parametrize(
    "text",
    [
        "De MS Estelle ligt in de haven en de bemanning krijgt geen loon.",
        "Ik moet mijn urenbriefje in ms-word invullen.",
        "We krijgen de roosters via MS Teams.",
        "Wat zegt de cao over loondoorbetaling bij ziekte?",  # sick-leave rules in general
        "Het verzuimbeleid is aangescherpt zonder de OR.",
        "Het ziekteverzuim op de afdeling is hoog, zegt de OR.",
        "De bijdrage aan de ziektekostenverzekering is afgeschaft.",
        "Ik werk als verpleegkundige in het ziekenhuis en het rooster klopt niet.",
        "Ik ben psycholoog in loondienst en mijn schaal klopt niet.",
        "Ik wil gelijke behandeling met de vaste collega's.",
        "Het nieuwe rooster bevalt me niet.",
        "Er is veel stress op de afdeling sinds de nieuwe manager er is.",
        "Ik word ziek van die regels over het declareren.",  # fed up, not ill
        "Hoe werkt de zwangerschapsverlof-regeling in de cao?",  # a rule in general
        "De cao voor de universitair medische centra is uit.",
        "Ik werk als röntgenlaborant en de diensten worden niet betaald.",
        "Er is een chronisch tekort aan personeel.",
        "Wat zijn de regels voor ziekmelding in de cao?",
        # the sick-leave process, insurance and policies with no person named
        "De bedrijfsarts van ons bedrijf is vervangen door een arbodienst.",
        "Wat regelt de cao over de uitkering bij arbeidsongeschiktheid?",
        "Hoeveel wordt er doorbetaald bij ziekte volgens onze cao?",
        "De uren van zieke collega's moeten we zonder toeslag opvangen.",
        "Het vaccinatiebeleid is zonder de OR ingevoerd.",  # a policy compound
        "De werkgever organiseert een griepprik-actie.",
        "Die planning is een hoofdpijndossier.",
    ],
)
def test_work_sentences_that_look_like_health_stay(text):
    assert health_terms(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Mijn bedrijfsarts zegt dat ik nog niet kan beginnen.",  # the same words, a person
        "Ik zit sinds maart in de ziektewet.",
        "Hij is arbeidsongeschikt verklaard.",
        "Ik ben nog niet gevaccineerd.",
        "Mijn leidinggevende legt steeds meer taken bij me neer en ik slaap er slecht van.",
        "Mijn huisgenoot heeft 't virus en ik moet thuisblijven.",
        # a person in another sentence of the text: when in doubt, keep it out
        "M'n specialist raadt het af. Wat gebeurt er na twee jaar ziekte?",
    ],
)
def test_process_words_count_when_a_person_is_named(text):
    assert health_terms(text), text


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        ("Ik werk bij Vervoersbedrijf Hendriks en krijg geen toeslag.", "Hendriks"),
        ("Pakketdienst Rapide laat ons 180 adressen rijden.", "Rapide"),
        ("Bij Vos Logistiek B.V. worden uitzendkrachten weggestuurd.", "Vos"),
        ("Heijboer Infra gaat de vestiging sluiten.", "Heijboer"),
        ("Mijn werkgever is Zeeman en ze schrappen de toeslag.", "Zeeman"),
        ("De plannen van Transportbedrijf Van der Sluis zijn slecht.", "Sluis"),
        ("Bij PostNL moeten we sneller sorteren.", "PostNL"),
        ("Mijn werkgever de gemeente Tilburg betaalt te laat.", "Tilburg"),
        ("Ik ben in dienst van Brink en de baas doet wat hij wil.", "Brink"),
        ("Modehuis [NAAM] sluit de winkel.", "Modehuis"),
        # phone transcripts: a hesitation inside the name, a cue at a sentence start
        ("Bij welke werkgever? [werkgever] zeg maar Van der Sluis.", "Sluis"),
        ("Klanten bedreigen ons en Vleesverwerker eh De Kempen doet niks.", "Kempen"),
        ("In dienst? Bij Dura eh Grondwerken.", "Dura"),
        ("bakkerij Van Dongen heeft een vergunning aangevraagd.", "Dongen"),
    ],
)
def test_employer_names_are_masked(text, employer):
    masked = mask_employers(text)
    assert employer not in masked
    assert "[werkgever]" in masked


@pytest.mark.parametrize(
    "text",
    [
        "De cao Bouw & Infra zegt iets anders over de reisuren.",
        "Ik woon in Den Bosch en werk in de bouw.",
        "Het UWV heeft mijn WW-uitkering nog steeds niet betaald.",
        "Op maandag begint de staking bij de streekvervoerders.",
        "Ik werk Maandag en Dinsdag, en in de zorg Van Dijk ken ik niet.",
    ],
)
def test_agreements_places_and_agencies_stay(text):
    assert mask_employers(text) == text


def test_a_quote_names_no_employer_and_working_in_a_hospital_is_no_health_detail():
    quote = anonymised_quote(
        "Lid: Ik werk bij Ziekenhuis Rijnstate-Oost en de roosters komen altijd te laat."
    )
    assert quote == "Ik werk bij [werkgever] en de roosters komen altijd te laat."


@pytest.mark.parametrize(
    ("text", "about_health"),
    [
        # written for this test (not in any training set); the lexicon lists neither
        ("Ik heb sarcoïdose en ben na een dienst doodop.", True),
        ("Ik heb last van jicht in mijn teen.", True),
        ("Ik wil weten of mijn werkgever de thuiswerkvergoeding moet betalen.", False),
        ("De pensioenpremie is verhoogd zonder overleg met de OR.", False),
    ],
)
def test_the_classifier_covers_conditions_the_lexicon_does_not_list(text, about_health):
    from pipeline.redaction.health_classifier import health_classifier

    assert health_terms(text) == []
    assert health_classifier().mentions_health(text) is about_health
