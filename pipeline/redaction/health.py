"""Does a text reveal something about someone's health? Used to keep such texts out of
quotes: health data is a special category under the AVG (GDPR art. 9), even without a name.

A lexicon, matched with Dutch compounds and inflections in mind:

- stems that mark health anywhere inside a word ("zwanger" in "zwangerschapsverlof",
  "kanker" in "borstkanker", "depress" in "depressief"), minus words that only look like
  it ("ziektekostenverzekering", "psychosociale arbeidsbelasting");
- whole words and acronyms (hiv, ivf, adhd, ptss, wia, …), "MS" except software and ships
  ("ms-word", "MS Teams", "de MS Estelle");
- phrases ("onder behandeling", "positief getest", "in de overgang", "beter gemeld");
- care professions count only as the member's care ("mijn psycholoog", "naar de
  fysiotherapeut"), not as a job ("ik ben psycholoog", "als fysiotherapeut");
- care places (ziekenhuis, GGZ, kliniek) count unless the text is about working there;
- medical word shapes ("bronchitis", "trombose", "rugpijn", "bètablokkers") and body
  parts with a medical head ("maagzweer", "darmonderzoek").

Words of the sick-leave and care process (bedrijfsarts, ziektewet, zwangerschapsverlof, …)
count only when the text names a person: "wie betaalt de bedrijfsarts?" names the process,
"mijn bedrijfsarts zegt …" a person's state.

What the lexicon does not list, a small character n-gram classifier may still catch
(health_classifier.py); `mentions_health` asks both.

The rule for sick leave (docs/redaction.md): that a person is or was ill is health data
("ik ben ziek", "ziekgemeld", "mijn ziekmelding", "drie weken ziekte"), as the Dutch data
protection authority holds; the rules and administration of sick leave in general are not
("loondoorbetaling bij ziekte", "het verzuimbeleid", "het verzuimprotocol", "een
wachtdag", "het ziekteverzuim op de afdeling"). Stress and work pressure in general
("veel stress op de afdeling") are a working condition; "stressklachten" are health.
"""

from __future__ import annotations

import re

from pipeline.redaction.health_classifier import health_classifier

# Found anywhere inside a word: long enough not to occur by chance in ordinary words.
_STEMS = (
    # pregnancy and fertility
    "zwanger", "bevalling", "miskraam", "keizersnede", "verloskund", "gynaecolo", "kinderwens",
    "vruchtbaarheid", "borstvoeding", "kolfruimte", "abortus", "menstrua", "couveuse",
    "postnata", "prenata", "uitgerekend", "in verwachting", "kraambed",
    # conditions
    "kanker", "tumor", "leukemie", "chemo", "bestraling", "diabet", "suikerziek", "suikerpatiënt",
    "hepatitis", "parkinson", "alzheimer", "dementie", "reuma", "artrose", "artritis",
    "fibromyalg", "hernia", "astma", "epilep", "migraine", "infarct", "beroerte", "hartaanval",
    "hartritme", "hartklacht", "hartfalen", "pacemaker", "ontsteking", "dialy", "schildklier",
    "longcovid", "long covid", "post-covid", "postcovid", "endometriose", "hysterectomie",
    "gesteriliseerd", "incontinent", "spatader", "eczeem", "allergi", "whiplash", "tinnitus",
    "hersenschudding", "blessure", "letsel", "gehoorverlies", "gehoorschade", "slechthorend",
    "gehandicapt", "handicap", "invalide", "rolstoel", "dyslexie", "auto-immuun", "autis",
    "griep", "verkoud", "duizelig", "vermoeid", "kortademig", "benauwd", "apneu", "chronisch",
    "infuus", "injectie", "röntgen", "mri-scan", "ct-scan", "koorts", "misselijk", "stoornis", "ziekte", "stoma",
    # mental health
    "depress", "burn-out", "burnout", "overspann", "opgebrand", "psychisch", "psychose",
    "psychiatr", "psychotherap", "paniekaanval", "trauma", "suïcid", "suicid", "zelfmoord",
    "bipolair", "schizofr", "borderline", "anorexia", "boulimia", "eetprobleem", "verslav",
    "alcoholis", "alcoholprobleem", "afkick", "stressklacht", "slaapproblem",
    # treatment, medication, sick leave of a person
    "therapie", "medicijn", "medicatie", "medisch", "antidepress", "antibiotica", "insuline",
    "ritalin", "methylfenidaat", "oxazepam", "methadon", "bloedverdunn", "pijnstill",
    "slaappil", "diëtist", "revalid", "re-integr", "reïntegr", "reintegr", "arbeidsongeschikt",
    "ziektewet", "poortwachter", "operatie", "geopereerd", "opereren", "vaccin", "besmet",
    "ziekmeld", "ziekgemeld", "ziek gemeld", "herstelmeld", "beter gemeld", "hersteld gemeld",
    "diagnose", "bloeduitslag", "bloedonderzoek", "bloedtest", "bloeddruk", "bloedprik",
    "functiebeperking", "arbeidsbeperking", "verslaaf", "zenuwinzinking", "zelfbeschadig",
    "asperger", "stotter", "tourette", "obesitas", "overgewicht", "dieet", "gehoorapparaat",
    "hoortoestel", "prothese", "rollator", "krukken", "flauwgevallen", "bewusteloos", "onwel",
    "griepprik", "inhalator", "puffer", "cocaïne", "blindedarm", "embolie", "trombose",
    "kinkhoest", "aangeboren", "litteken", "somber", "angsten", "glucosewaard", "bloedsuiker",
    "suikerwaard", "cholesterol", "biopsie", "biopt", "punctie", "narcose", "terminaal",
    "palliatie", "hormoonbehandel", "hormoonthera", "slechtziend", "spraakgebrek", "gewond",
    "bestraald", "bestralen", "goedaardig", "kwaadaardig", "hyperventil", "cpap",
    "hartstilstand", "netvlies", "achillespees", "kruisband", "meniscus", "slapeloos",
    "therapeutisch",
    "bedrijfsarts", "arbo-arts", "arboarts", "huisarts", "keuringsarts", "verzekeringsarts",
)  # fmt: skip
# Words that contain a stem but are about insurance, policy or work, not about a person.
_NOT_HEALTH_WORDS = (
    "ziektekosten", "ziekenfonds", "ziekteverzuimbeleid", "ziekteverzuimcijfer", "ziekteregeling",
    "ziekmeldingsprocedure", "ziekmeldingsregel", "ziekteverzuim", "psychosocia",
    "huisartsenp", "revalidatiecentr", "arbeidsongeschiktheidsverzekering",
    "verzuimverzekering", "operatiekamer", "bedrijfsoperatie", "gehandicaptenzorg",
)  # fmt: skip
# Named in general, not about a person: blanked out before the lexicon runs. Sick-leave
# rules ("loondoorbetaling bij ziekte", "de regels voor ziekmelding"), pregnancy-leave and
# nursing rules in a cao or the law ("de zwangerschapsverlof-regeling in de cao"), medical
# institutions and trades ("universitair medische centra", "röntgenlaborant"), "chronisch"
# of a staff shortage, and "ziek van" meaning fed up ("ik word ziek van die regels").
_POLICY_PHRASES = re.compile(
    r"\b(?:(?:loon)?doorbetaling|regels?|regeling|uitkering|aanvulling|verzekering)"
    r" (?:bij|tijdens) ziekte\b|\b(?:bij|in geval van) (?:langdurige )?ziekte\b"
    r"|\b(?:vraagt|vragen|vroeg|vroegen|gevraagd)\b[^.?!]{0,40}\bof (?:ik|je|u|ze|zij)"
    r" zwanger (?:wil|wilt|willen) (?:worden|raken)\b"
    r"|\b(?:regels?|regeling|procedure|protocol|afspraken) (?:voor|rond|over|bij|van)"
    r" (?:de |het |een )?(?:ziekmelding|ziekteverzuim|verzuim)\w*"
    r"|(?<!mijn )(?<!m'n )(?<!haar )\b(?:zwangerschaps|bevallings|kolf)[\w-]*"
    r"(?:(?: en bevallingsverlof)?[- ]?regeling\w*|(?=[^.?!]{0,30}\b(?:in|volgens|uit) de"
    r" (?:cao|wet|arbowet|arbeidstijdenwet)\b))"
    r"|\b(?:universitair )?medische? (?:centr\w*|dienst\w*|sector|beroep\w*|technici"
    r"|apparatuur|hulpmiddel\w*|secretaresse\w*|administratie)\b"
    r"|\b\w+(?:laborant|assistent|assistente|medewerker|medewerkster|technicus|verkoper)e?s?\b"
    r"|\bchronische? (?:tekort|personeelstekort|onderbezetting|geldgebrek)\w*"
    r"|\bziek (?:van|om) (?:die|de|het|dat|deze|al die|al dat|al het|alle)"
    r" (?:\w+ ){0,2}?(?:regel|gedoe|gezeur|bureaucratie|papier|formulier|vergader|planning"
    r"|rooster|reorganisatie|politiek|onzekerheid|geruzie|bezuiniging|gedraai|bond)\w*"
)
# Words of the sick-leave and care process that are health only when a person is named in
# the text ("ik zit in de ziektewet", "mijn bedrijfsarts"): without one they name the
# process, an insurance or a policy ("wie betaalt de bedrijfsarts?", "de bedrijfsarts van
# ons bedrijf", "arbeidsongeschiktheid in het algemeen", "zieke collega's opvangen").
# "we", "ons" and a generic "je" are left out: here they are the staff or anyone.
_NEEDS_A_PERSON = (
    "bedrijfsarts", "arbo-arts", "arboarts", "keuringsarts", "verzekeringsarts",
    "arbeidsongeschikt", "ziektewet", "poortwachter", "re-integr", "reïntegr", "reintegr",
    "vaccin", "griepprik", "ziekmeld", "ziekte", "zwangerschaps", "bevallings", "kolfruimte",
    "medisch", "zieke", "zieken", "wia",
)  # fmt: skip
_PERSON = re.compile(r"\b(?:ik|me|mij|mijn|m'n|mn|hij|hem|haar|collega)\b(?!')|\[naam\]")
# A compound whose head is a policy, campaign, insurance or file is about that thing, not
# about a person: "vaccinatiebeleid", "griepprik-actie", "hoofdpijndossier".
_GENERAL_HEADS = (
    "beleid", "actie", "acties", "campagne", "protocol", "verzekering", "verzekeraar",
    "premie", "hiaat", "dossier", "cijfers", "percentage", "programma",
)  # fmt: skip
_WHOLE_WORDS = frozenset(
    {
        "ziek", "zieke", "zieken", "ziekjes", "hiv", "aids", "adhd", "ivf", "icsi", "ptss",
        "copd", "rsi", "tbc", "cva", "soa", "ocd", "lyme", "crohn", "wia", "pijn", "pijnen",
        "gips", "doof", "dove", "blind", "opvliegers", "kolven", "gedeprimeerd", "iui", "pil",
        "brace", "mri",
    }
)  # fmt: skip
_CASE_SENSITIVE_WORDS = frozenset({"ADD", "ME/CVS"})
_PHRASES = re.compile(
    r"\b(?:onder behandeling|(?:zit|zitten|ben|zijn) in behandeling|behandeld (?:voor|aan)"
    r"|behandelaar|behandeltraject|medische behandeling|positief getest|in de overgang"
    r"|(?:verstandelijke|lichamelijke|fysieke|psychische|auditieve|visuele) beperking"
    r"|met een beperking|mijn beperkingen?|(?:heb|heeft|hebben) een (?:\w+ )?beperking"
    r"|(?:slaap|sliep|slapen) (?:er )?(?:bijna niet|nauwelijks|amper|slecht)"
    r"|(?:heeft|heb|had|hebben|kreeg|kregen) (?:het |'t )?(?:virus|corona|covid)"
    r"|(?:mijn|m'n|zijn|haar) specialist|ik ben (?:\w+ )?uitgevallen|ik viel uit"
    r"|(?:lichamelijke|fysieke|psychische|medische) klachten|gezondheidsklacht\w*"
    r"|(?:vragen|weten|vraagt|vroeg) wat ik (?:heb|mankeer)|mankeer"
    r"|afgekeurd (?:voor|als) (?:mijn|m'n|het|zijn|haar|eigen) (?:\w+ )?(?:werk|beroep|functie)"
    r"|(?:nieuwe |kunst)(?:heup|knie|schouder)|(?:zwakke|slechte|versleten) (?:rug|knie|knieën|heup)"
    r"|aan het herstellen|herstellende"
    r"|herstel(?:len|t|de)? (?:nog |pas )?van (?:een|mijn|m'n|de|het|zijn|haar)"
    r"|(?:ben|was|werd|word|is|zijn|waren|wordt) (?:\w+ ){0,2}?opgenomen(?: geweest)?"
    r"(?! (?:in|bij|op) (?:het|de|ons|onze) (?:team|groep|ploeg|cao|rooster|planning|systeem"
    r"|bestand|lijst|vakbond|bond|ondernemingsraad|or)\b)|in de ggz (?:zit|zat|gezeten)|lig(?:t|gen)? in het"
    r" ziekenhuis|opgenomen in (?:het|een|de) (?:ziekenhuis|kliniek))\b"
)
# Care professions: the member's own care, unless it is the member's job.
_CARE_PROFESSION = re.compile(
    r"\b(?:psycholo(?:og|ge)|psychiater|(?:fysio)?therapeut|\w*arts|dokter|verloskundige"
    r"|specialist in het ziekenhuis|chirurg|orthopeed|(?:cardio|neuro|onco|uro|dermato"
    r"|reumato|gynaeco|hemato|endocrino|nefro|gastro-?entero|longarts|anesthesio|geria)"
    r"lo(?:og|ge))\b"
)
# A body part with a medical head: "maagzweer", "hersenbeschadiging", "darmonderzoek".
_BODY_COMPOUND = re.compile(
    r"\b(?:hart|hersen|long|darm|maag|nier|lever|blaas|huid|oog|oor|gehoor|rug|nek|knie|heup|schouder"
    r"|borst|baarmoeder|prostaat|bot|spier|zenuw|gewricht|pees|bloed|schildklier)(?:s|en|e)?-?"
    r"(?:onderzoek|beschadiging|schade|letsel|operatie|ontsteking|infectie|problemen|probleem"
    r"|aandoening|zweer|bloeding|scan|ziekte|kanker|klachten|klacht|afwijking|ingreep)"
)
_AS_A_JOB = re.compile(r"(?:\bals|\bben|\bis|\bwerk(?:t)? als)(?: een)?[ ]\Z")
# Care places: health unless the words around them say the member works there.
_CARE_PLACE = re.compile(
    r"\b(?:ziekenhuis|ggz|kliniek|verpleeghuis|huisartsenp|revalidatiecentr|apothe[ek]"
    r"|(?:cardio|onco|neuro|neonato|gynaeco|uro|dermato|reumato|hemato|nefro|pulmono"
    r"|gastro-?entero|endocrino|geria|psychia)(?:logie|trie)|\w*poli(?:kliniek)?\b)[\w-]*"
)
_WORK_BEFORE = re.compile(
    r"\b(?:werk(?:t|en|te|ten)?|gewerkt|cao|afdeling|verpleegkundige|verzorgende|begeleider"
    r"|loondienst|fusie|collega's in|personeel van|ons|onze)\b"
)
_WORK_AFTER = re.compile(
    r"[\w-]*instelling|\W.{0,40}\b(?:personeel|waar ik werk|\w*diensten|fuseren|functies)"
)
_MS = re.compile(
    r"\bms(?:-?patiënt)?\b(?!-(?!patiënt))(?!\s*(?:word|teams|office|excel|outlook|dos|paint))"
)
_SHIP = re.compile(r"\b(?:de|het|schip|aan boord van de) ms [a-z]")
_INJURY = re.compile(
    r"\b(?:gebroken|gekneusde?|verstuikte?|ontwrichte?|gescheurde?)\b.{0,30}"
    r"\b(?:arm|been|enkel|pols|rib|ribben|voet|hand|knie|heup|teen|vinger|nek|rug|schouder)\b"
    r"|\b(?:arm|been|enkel|pols|rib|voet|hand|knie|heup|teen|vinger|nek|rug|schouder)\b.{0,20}"
    r"\b(?:gebroken|gekneusd|verstuikt|ontwricht|gescheurd)\b"
)
_BODY_COMPLAINT = re.compile(
    r"\b(?:rug|nek|schouder|maag|darm|hoofd|long|knie|heup|pols|spier|gewrichts|buik|been)"
    r"(?:klacht|pijn)"
)
_CORONA = re.compile(r"\b(?:corona|covid(?:-19)?)\b|(?:\bhet|'t|\bdat) virus\b")
_CORONA_PERSONAL = re.compile(r"\b(?:gehad|klachten|ziek|positief|besmet|getest|long|post)\b")
_GAVE_BIRTH = re.compile(
    r"\b(?:bevalt|beviel|bevallen)\b(?! (?:me|mij|ons|je|jullie|hem|haar|goed|prima|niet|wel"
    r"|helemaal|uitstekend|slecht))"
)
_OWN_ABSENCE = re.compile(r"\b(?:mijn|zijn|haar|jouw|uw) (?:ziekte)?verzuim\b")
_MEDICAL_SUFFIXES = (
    "itis", "itiden", "ectomie", "pathie", "algie", "carcinoom", "melanoom", "lymfoom",
    "glaucoom", "syndroom", "sarcoom", "hematoom", "blokkers", "blokker", "kwaal", "kwalen",
    "infectie", "infecties", "pijn", "pijnen", "trose", "brose", "liose", "cose",
)  # fmt: skip
_NOT_MEDICAL_SUFFIXES = ("sympathie", "antipathie", "telepathie", "nostalgie", "glucose")
_COMPOUND_HEADS = ("afwijking", "afwijkingen", "aandoening", "aandoeningen", "behandeling",
                   "behandelingen", "breuk", "remmers", "remmer")  # fmt: skip
_NOT_MEDICAL_HEADS = frozenset(
    {"cao", "klacht", "klachten", "bezwaar", "aanvraag", "dossier", "zaak", "gelijke",
     "ongelijke", "voor", "na", "contract", "woord", "trend", "belofte", "loon", "prijs", "de"}
)  # fmt: skip
_OWN_BODY = re.compile(
    r"\b(?:mijn|m'n) (?:rug|knie|knieën|borst|buik|hals|keel|bekken|lies|pols|polsen|schouders?|nek|heupe?n?|enkels?|voeten|voet"
    r"|handen|hand|armen|arm|benen|been|hart|longen|ogen|oog|oren|oor|maag|darmen|darm|tanden"
    r"|gebit|huid|spieren|gewrichten|blaas|nieren|rugwervels?)\b"
)
_STEM_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_STEMS, key=len, reverse=True)))
_WORD = re.compile(r"[\w'’/-]+")


def health_terms(text: str) -> list[str]:
    """The words or phrases that make `text` about health (empty when none)."""
    low = _POLICY_PHRASES.sub(lambda m: " " * len(m.group(0)), text.lower())
    if len(low) == len(text):  # whole words and acronyms skip what was blanked, too
        text = "".join(" " if b == " " else c for c, b in zip(text, low, strict=True))
    found = [m.group(0) for m in _PHRASES.finditer(low)]
    for match in _STEM_PATTERN.finditer(low):
        word = _enclosing_word(low, match.start(), match.end())
        if not any(exempt in word for exempt in _NOT_HEALTH_WORDS) and _about_a_person(low, word):
            found.append(word)
    for match in _WORD.finditer(text):
        word = match.group(0)
        for part in (word, *word.split("-")):  # "hiv-positief", "IVF-traject"
            if (
                part.lower() in _WHOLE_WORDS and _about_a_person(low, part.lower())
            ) or part in _CASE_SENSITIVE_WORDS:
                found.append(part.lower())
        if _medical_word_shape(word.lower()):
            found.append(word.lower())
    found += [m.group(0) for m in _OWN_BODY.finditer(low)]
    found += _care_professions(low) + _care_places(low) + _ambiguous(low)
    return [term for term in found if not _general_compound(low, term)]


def _about_a_person(low: str, word: str) -> bool:
    """A process word counts only when the text names a person (_NEEDS_A_PERSON). The
    whole text, not the sentence: in "m'n specialist raadt het af. Wat gebeurt er na twee
    jaar ziekte?" the question is about the writer; when in doubt, keep it out."""
    return not word.startswith(_NEEDS_A_PERSON) or bool(_PERSON.search(low))


def _general_compound(low: str, term: str) -> bool:
    """Is every occurrence of `term` the first part of a policy or campaign compound?"""
    heads = []
    for match in re.finditer(re.escape(term), low):
        word = _enclosing_word(low, match.start(), match.end())
        heads.append(any(len(word) > len(h) + 3 and word.endswith(h) for h in _GENERAL_HEADS))
    return bool(heads) and all(heads)


def _medical_word_shape(word: str) -> bool:
    """Medical terms by their form: "bronchitis", "trombose", "neuropathie", "rugpijn",
    "bètablokkers", "hartafwijking", "kankerbehandeling"."""
    if word.endswith(_MEDICAL_SUFFIXES) and not word.endswith(_NOT_MEDICAL_SUFFIXES):
        return True
    for suffix in _COMPOUND_HEADS:  # needs a first part: "afwijking" alone is no health
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            head = word[: -len(suffix)].rstrip("-s")
            return head not in _NOT_MEDICAL_HEADS
    return False


def mentions_health(text: str) -> bool:
    """The lexicon, or for what it does not list the classifier (health_classifier.py)."""
    return bool(health_terms(text)) or health_classifier().mentions_health(text)


def _care_professions(low: str) -> list[str]:
    return [
        m.group(0)
        for m in _CARE_PROFESSION.finditer(low)
        if not _AS_A_JOB.search(low, max(0, m.start() - 20), m.start())
        and _about_a_person(low, m.group(0))
    ]


def _care_places(low: str) -> list[str]:
    return [
        m.group(0)
        for m in _CARE_PLACE.finditer(low)
        if not _WORK_BEFORE.search(low, max(0, m.start() - 40), m.start())
        and not _WORK_AFTER.match(low, m.end(), m.end() + 60)
        and not m.group(0).endswith("instelling")
    ]


def _ambiguous(low: str) -> list[str]:
    found = [
        m.group(0)
        for m in _MS.finditer(low)
        if not _SHIP.search(low, max(0, m.start() - 20), m.end() + 2)
    ]
    found += [m.group(0) for m in _INJURY.finditer(low)]
    found += [m.group(0) for m in _BODY_COMPLAINT.finditer(low)]
    found += [m.group(0) for m in _BODY_COMPOUND.finditer(low)]
    found += [m.group(0) for m in _GAVE_BIRTH.finditer(low)]
    found += [m.group(0) for m in _OWN_ABSENCE.finditer(low)]
    if _CORONA.search(low) and _CORONA_PERSONAL.search(low):
        found.append("corona")
    return found


def _enclosing_word(low: str, start: int, end: int) -> str:
    while start > 0 and (low[start - 1].isalnum() or low[start - 1] in "-'"):
        start -= 1
    while end < len(low) and (low[end].isalnum() or low[end] in "-'"):
        end += 1
    return low[start:end]
