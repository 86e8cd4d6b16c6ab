"""Country names, so `customers in Brazil` works when a country column has no samples; the
words for the values of a sex column coded `F`/`M`."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


_COUNTRIES = _words(
    """
    Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain
    Bangladesh Belarus Belgium Bolivia Brazil Bulgaria Cambodia Cameroon Canada Chile
    China Colombia Croatia Cuba Cyprus Denmark Ecuador Egypt Estonia Ethiopia Finland
    France Georgia Germany Ghana Greece Guatemala Honduras Hungary Iceland India Indonesia
    Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kuwait Latvia
    Lebanon Lithuania Luxembourg Malaysia Malta Mexico Moldova Monaco Mongolia Morocco
    Nepal Netherlands Nicaragua Nigeria Norway Oman Pakistan Panama Paraguay Peru
    Philippines Poland Portugal Qatar Romania Russia Serbia Singapore Slovakia Slovenia
    Spain Sweden Switzerland Syria Taiwan Thailand Tunisia Turkey Ukraine Uruguay
    Venezuela Vietnam Yemen Zambia Zimbabwe
    """
)

_MULTI = [
    "South Africa", "South Korea", "North Korea", "New Zealand", "Saudi Arabia",
    "Sri Lanka", "Costa Rica", "Puerto Rico", "Dominican Republic", "El Salvador",
    "Czech Republic", "Hong Kong", "Ivory Coast", "United Arab Emirates",
]  # fmt: skip

# Names written more than one way; without samples every spelling is searched for.
_ALIASES = [
    ("USA", "United States", "US", "United States of America", "America", "U.S.", "U.S.A."),
    ("UK", "United Kingdom", "Great Britain", "Britain", "England"),
    ("Netherlands", "The Netherlands", "Holland"),
    ("Czech Republic", "Czechia"),
]


def country_key(name: str) -> tuple[str, ...]:
    """The lookup key of a name in COUNTRIES."""
    return tuple(name.lower().replace(".", "").split())


COUNTRIES: dict[tuple[str, ...], tuple[str, ...]] = {}
for _name in [*_COUNTRIES, *_MULTI]:
    COUNTRIES[country_key(_name)] = (_name,)
for _group in _ALIASES:
    for _name in _group:
        COUNTRIES[country_key(_name)] = tuple(dict.fromkeys(n.replace(".", "") for n in _group))
# "us" is the pronoun far more often than the country.
COUNTRIES.pop(("us",), None)


# US states by name: a state column coded `LA`, `FL` is found by `Louisiana`, `Florida`.
_STATES = """
Alabama=AL Alaska=AK Arizona=AZ Arkansas=AR California=CA Colorado=CO Connecticut=CT
Delaware=DE Florida=FL Georgia=GA Hawaii=HI Idaho=ID Illinois=IL Indiana=IN Iowa=IA
Kansas=KS Kentucky=KY Louisiana=LA Maine=ME Maryland=MD Massachusetts=MA Michigan=MI
Minnesota=MN Mississippi=MS Missouri=MO Montana=MT Nebraska=NE Nevada=NV New_Hampshire=NH
New_Jersey=NJ New_Mexico=NM New_York=NY North_Carolina=NC North_Dakota=ND Ohio=OH
Oklahoma=OK Oregon=OR Pennsylvania=PA Rhode_Island=RI South_Carolina=SC South_Dakota=SD
Tennessee=TN Texas=TX Utah=UT Vermont=VT Virginia=VA Washington=WA West_Virginia=WV
Wisconsin=WI Wyoming=WY
"""
US_STATES: dict[tuple[str, ...], str] = {}
for _pair in _STATES.split():
    _name, _code = _pair.split("=")
    US_STATES[tuple(_name.lower().split("_"))] = _code

# A column whose values are these (any case) records a sex; the question says it in words.
SEX_WORDS: dict[str, tuple[str, ...]] = {
    "f": ("female", "females", "woman", "women", "girl", "girls"),
    "m": ("male", "males", "man", "men", "boy", "boys"),
}
SEX_CODES = {"f": "f", "female": "f", "m": "m", "male": "m"}
