"""The words the offline reader knows: markers, filler words, synonyms, measure concepts."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


def _expand(table: dict[str, str]) -> dict[tuple[str, ...], str]:
    """`{"how many|number of": "count"}` -> one entry per phrase, split into words."""
    out: dict[tuple[str, ...], str] = {}
    for phrases, meaning in table.items():
        for phrase in phrases.split("|"):
            out[tuple(phrase.split())] = meaning
    return out


# Each marker phrase maps to "kind:payload"; the reader binds markers to what follows.
MARKERS: dict[tuple[str, ...], str] = _expand(
    {
        "how many|number of|count of|count|total number of|the number of|no of|nr of"
        "|how many different|how many distinct|how many unique|# of|counts": "agg:count",
        "total|sum|sum of|total of|sum total of|how much|combined|total amount of"
        "|totals|sums": "agg:sum",
        "average|avg|mean|average of|the average|avg of|mean of": "agg:avg",
        "minimum|min|minimal|min of|minimum of": "agg:min",
        "maximum|max|maximal|max of|maximum of": "agg:max",
        "highest|largest|biggest|greatest|most|top most": "sup:desc",
        "lowest|smallest|least|fewest": "sup:asc",
        "most expensive|priciest|costliest|dearest|highest priced|highest price": "sup:desc:price",
        "cheapest|least expensive|lowest priced|lowest price": "sup:asc:price",
        "latest|newest|most recent|most recently|last": "sup:desc:date",
        "earliest|least recent": "sup:asc:date",
        "oldest": "sup:asc:age",
        "most common|most frequent|most popular|commonest": "sup:desc:count",
        "least common|least frequent|least popular|rarest": "sup:asc:count",
        "youngest": "sup:desc:age",
        "longest": "sup:desc:length",
        "heaviest": "sup:desc:weight",
        "tallest": "sup:desc:height",
        "lightest": "sup:asc:weight",
        "shortest": "sup:asc:length",
        "best selling|bestselling|top selling|most sold|best sellers|best seller"
        "|bestsellers|bestseller": "sup:desc:sold",
        "least sold|worst selling|lowest selling": "sup:asc:sold",
        "top|best": "top:desc",
        "bottom|worst": "top:asc",
        "per|by|for each|for every|each|in each|grouped by|group by|broken down by"
        "|breakdown by|split by|by each|for all": "group:",
        "sorted by|ordered by|order by|sort by|ranked by|rank by|sorted|ranked": "sort:",
        "descending|desc|in descending order|highest first|largest first|most first"
        "|from highest to lowest|from high to low|biggest first|newest first|latest first"
        "|most recent first|from newest to oldest|newest to oldest|from latest to earliest"
        "|latest to earliest|in reverse chronological order|reverse chronological order"
        "|from most recent to least recent": "dir:desc",
        "ascending|asc|in ascending order|lowest first|smallest first|from lowest to highest"
        "|from low to high|oldest first|earliest first|alphabetically|in alphabetical order"
        "|alphabetical|in chronological order|chronological order|chronologically"
        "|from oldest to newest|oldest to newest|from earliest to latest|earliest to latest"
        "|in date order|by date order": "dir:asc",
        "more than|greater than|over|above|exceeding|exceeds|exceed|higher than|bigger than"
        "|larger than|>": "cmp:gt",
        "at least|no less than|not less than|>=|minimum of|a minimum of": "cmp:ge",
        "less than|fewer than|under|below|lower than|smaller than|cheaper than|<": "cmp:lt",
        "at most|no more than|not more than|up to|<=|maximum of|a maximum of": "cmp:le",
        "equal to|equals|exactly|=|is equal to|equalling": "cmp:eq",
        "!=|not equal to|different from|other than": "cmp:ne",
        "or more|or above|or higher|or greater|and above|and up|and over|or over": "post:ge",
        "or less|or fewer|or below|or lower|and below|and under|or under": "post:le",
        "not|no|non|never|without|excluding|exclude|except|except for|apart from|other than"
        "|but not|nor|nobody|no one|noone": "neg:",
        "distinct|different|unique": "distinct:",
        "starts with|start with|starting with|begins with|begin with|beginning with"
        "|begins in|starts in": "like:starts",
        "ends with|end with|ending with|ends in|ending in": "like:ends",
        "contains|containing|contain|includes the word|including the word": "like:contains",
        "all columns|all details|all the details|all fields|all the fields|full details"
        "|every column|every field|all information|all the information|all info|all data"
        "|everything about|all their details|all its details": "wide:",
        "and|as well as|plus|&": "conj:and",
        "both": "both:",
        "or|either": "conj:or",
        "named|called|titled|with the name|with name|whose name is|by the name of": "named:",
        "is null|is empty|is missing|is blank|missing|empty|blank|unknown|null": "null:",
        "is not null|not null|is not empty|not empty|is set|is present|present": "notnull:",
        "month|months|monthly|per month|each month|by month|month by month": "grain:month",
        "year|years|yearly|annual|annually|per year|by year|year by year": "grain:year",
        "day|days|daily|per day|by day|date by date": "grain:day",
        "quarter|quarters|quarterly": "grain:quarter",
        "week|weeks|weekly": "grain:week",
        "revenue|revenues|sales|turnover|income|earnings|takings|gross sales|sales amount"
        "|sales revenue|total sales|spend|spends|spent|spending|money"
        "|sales value": "concept:revenue",
        "units sold|quantity sold|items sold|sold|sold units|number of units sold"
        "|quantities sold|copies sold|units ordered|quantity ordered|how many units"
        "|number of units": "concept:sold",
        "$|€|£|dollars|dollar|euros|euro|usd|eur|bucks": "money:",
    }
)

# Words about a row's superior in the same table (`mgr_id`); read only where a table has one.
SELF_MARKERS: dict[tuple[str, ...], str] = _expand(
    {
        "supervised by|managed by|reports to|report to|reporting to|reports directly to"
        "|report directly to|directly report to|directly reports to|works under|work under"
        "|working under|overseen by|supervised directly by|managed directly by": "self:down",
        "manager|managers|supervisor|supervisors|boss|bosses|superior|line manager"
        "|direct manager|manages|supervises|oversees": "self:up",
        "subordinates|subordinate|direct reports|reportees|supervisees": "self:below",
    }
)

# Words that carry no meaning of their own in a question about data.
FILLER = frozenset(
    _words(
        """
        a an the of is are was were be been being do does did have has had there here that
        which what who whom whose this these those it its they them their we our us i me my
        you your show list display give get find tell return fetch see view know want need
        like please can could would will shall should may might let lets just only also all
        any some with from in on at to for as into within among of about currently existing
        exist exists records record rows row entries entry data database table
        tables info information everything anything everyone someone overall ever so far far
        currently now our whole entire full complete each one ones thing things kind kinds
        type types were placed made make makes created come comes live lives living located
        based belong belongs belonging whom please hi hey okay ok tell me much s current
        listed listing known recorded stored sell sells how when where what's whats give gimme
        pls plz thanks thank quick quickly through via came generated brought bring brings
        every dr mr mrs ms prof worth altogether across catalog catalogue file system
        """
    )
)
# Verbs that only say two kinds of rows are linked (`students who play football`, `films
# Penelope Guiness appeared in`): the link is the schema's; a verb that says more (`failed`,
# `cancelled`, `returned`) is not among them and stays a word to understand.
RELATION_VERBS = frozenset(
    _words(
        """
        play plays played playing participate participates participated participating
        take takes took taken taking attend attends attended attending visit visits
        visited visiting write writes wrote written writing teach teaches taught teaching
        appear appears appeared appearing act acts acted star stars starred feature
        features featured featuring employ employs employed own owns owned use uses used
        using hold holds held work works worked working serve serves served assign assigns
        assigned receive receives received involve involves involved register registers
        registered see sees saw seen treat treats treated book books booked handle handles
        handled belong belonged leave leaves leaving depart departs departing arrive arrives
        arriving travel travels travelling traveling design designs designed designing
        host hosts hosted hosting win wins won winning house houses housed manage manages
        managed managing direct directs
        directed directing create creates created creating interact interacts interacted
        prescribe prescribes prescribed lead leads led sign signs signed shared
        """
    )
)

# The grammar among the filler: never a name or a value, even when the data holds one ('A',
# 'The'); other filler words ("quick", "current") may be a value the data holds.
FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "of", "is", "are", "was", "were", "be", "been", "being", "do", "does",
     "did", "have", "has", "had", "there", "here", "that", "which", "what", "who", "whom",
     "whose", "this", "these", "those", "it", "its", "they", "them", "their", "we", "our", "us",
     "i", "me", "my", "you", "your", "all", "any", "some", "with", "without", "from", "in",
     "on", "at", "to", "for", "as", "into", "by", "about", "so", "s", "and", "or", "not", "no"}
)  # fmt: skip

# Words that stand for each other when the schema uses only one of them.
_SAME = [
    "customer client buyer shopper purchaser",
    "order invoice purchase transaction",
    "employee staff worker personnel",
    "track song tune",
    "artist band musician singer",
    "supplier vendor",
    "shipper carrier",
    "country nation",
    "city town",
    "quantity qty",
    "email mail",
    "phone telephone",
    "line item detail",
    "category genre",
    "product article",
    "film movie",
    "doctor physician",
    "vehicle car",
    "student pupil",
]
# Question words that map to schema words when the schema has no such word.
# Short forms people type for a word of the schema (`docs`, `reps`, `depts`).
SHORT_FORMS = {
    "doc": "document", "rep": "representative", "dept": "department", "emp": "employee",
    "mgr": "manager", "qty": "quantity", "amt": "amount", "info": "information",
    "govt": "government", "univ": "university", "intl": "international", "pct": "percent",
    "addr": "address", "org": "organization", "cust": "customer", "acct": "account",
    "yr": "year", "temp": "temperature", "pop": "population", "dob": "birth",
}  # fmt: skip

SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(w for w in group.split() if w != word) for group in _SAME for word in group.split()
}
SYNONYMS |= {
    "ordered": ("order", "invoice", "purchase"),
    "bought": ("order", "invoice", "purchase"),
    "purchased": ("order", "invoice", "purchase"),
    "employe": ("employee",),
    "born": ("birth",),
    "birthday": ("birth",),
    "joined": ("created", "signup"),
    "signup": ("created",),
    "registered": ("created", "signup"),
    "hired": ("hire",),
    "launched": ("launch",),
    "released": ("launch", "release"),
    "length": ("millisecond", "duration", "second", "minute"),
    "duration": ("millisecond", "length", "second", "minute"),
    "price": ("unit price",),
    "cost": ("price",),
    "zip": ("postal",),
    "postcode": ("postal",),
    "salary": ("pay", "wage"),
    **dict.fromkeys(("earn", "earns", "earning", "earned", "paid"), ("salary", "wage", "pay")),
}

# Multi-word phrases that stand for schema words (alternatives separated by |).
PHRASE_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(phrase.split()): tuple(alternatives.split("|"))
    for phrases, alternatives in {
        "shipping cost|shipping costs|shipping fee|delivery cost": "freight",
        "freight": "shipping cost",
        "freight cost|freight costs": "freight",
        "signed up|sign up date|sign up": "created|signup|signup date",
        "zip code": "postal code",
        "e mail|email address|e mail address": "email",
        "fax number": "fax",
        "date of birth|birth date|birthdate": "birth date|birth|dob|born",
        "phone number|telephone number": "phone",
    }.items()
    for phrase in phrases.split("|")
}

# Measure concepts: words in column names that make a column a candidate.
AMOUNT_WORDS = frozenset({"revenue", "sale", "sales", "amount", "total", "subtotal", "turnover"})
QUANTITY_WORDS = frozenset({"quantity", "qty"})
PRICE_WORDS = frozenset({"price", "unitprice"})
MONEY_WORDS = frozenset(
    {"price", "amount", "total", "revenue", "sale", "subtotal", "salary", "wage", "income"}
)
LENGTH_WORDS = frozenset({"millisecond", "duration", "length", "second", "minute", "runtime"})
WEIGHT_WORDS = frozenset({"weight", "kg", "kilogram", "lb", "pound", "mass", "gram"})
HEIGHT_WORDS = frozenset({"height", "tall", "elevation", "altitude"})

# Label columns: what a row of a table is called when it is grouped or ranked.
LABEL_WORDS = ("name", "title", "company", "description", "label")

SQL_RESERVED = frozenset(
    _words(
        """
        all alter and any as asc between by case cast check column constraint create cross
        current current_date current_time current_timestamp current_user default delete desc
        distinct drop else end except exists false fetch for foreign from full grant group
        having in index inner insert intersect into is join key left like limit natural not
        null offset on or order outer primary references right rows select session_user set
        some table then to top true union unique update user using values view when where with
        """
    )
)
