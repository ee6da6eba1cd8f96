"""The questionnaire as code: every code, label and order used anywhere.

Codes are the stable identifiers used in data files and in column names;
labels are what a reader sees; the order of each tuple is the display order.
Nothing else in the package spells out a theme, digital type, barrier,
council type, region or role.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One answer option or item: its code, its display label and a short label for charts."""

    code: str
    label: str
    short: str = ""

    @property
    def chart_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Scale:
    """An answer scale: the allowed integer values and the label of each."""

    code: str
    question: str
    values: tuple[int, ...]
    labels: tuple[str, ...]

    def label_of(self, value: int) -> str:
        return dict(zip(self.values, self.labels, strict=True))[value]


def _codes(*pairs: tuple[str, ...]) -> tuple[Code, ...]:
    return tuple(Code(*pair) for pair in pairs)


# The nine strategic themes of the 2024 survey, in the order the report's
# digital-type sections present them.
THEMES: tuple[Code, ...] = _codes(
    ("efficiency_productivity", "Efficiency and productivity", "Efficiency"),
    ("place_making", "Place making and community partnerships", "Place making"),
    ("economic_growth", "Economic growth", "Economic growth"),
    ("regeneration", "Regeneration", "Regeneration"),
    ("openness_transparency", "Openness and transparency", "Openness"),
    ("sustainability_net_zero", "Sustainability and net zero", "Net zero"),
    ("citizen_centred_decisions", "Citizen-centred decision making", "Citizen-centred"),
    ("prevention", "Prevention", "Prevention"),
    ("personalised_services", "Personalised services", "Personalised"),
)

# The six types of digital the 2024 survey asked about, in the report's order.
DIGITAL_TYPES: tuple[Code, ...] = _codes(
    ("cloud", "Cloud", "Cloud"),
    ("generative_ai", "Generative AI", "Gen AI"),
    ("data_platform", "Data platform", "Data platform"),
    ("iot", "Internet of things (IoT)", "IoT"),
    ("digital_front_door", "Digital front door", "Front door"),
    ("automation", "Automation", "Automation"),
)

# The barrier items the 2024 report names (it names five; the questionnaire
# may have had more, which the report does not list).
BARRIERS: tuple[Code, ...] = _codes(
    ("funding", "Funding", "Funding"),
    ("staff_skills", "Skills and capability of staff in digital", "Staff skills"),
    ("legacy_technology", "Legacy technology", "Legacy tech"),
    ("staff_reluctance", "Reluctance from staff to adopt new technologies", "Staff reluctance"),
    ("technology_availability", "Availability of technology", "Tech availability"),
)

COUNCIL_TYPES: tuple[Code, ...] = _codes(
    ("county", "County council", "County"),
    ("london_borough", "London borough", "London borough"),
    ("unitary", "Unitary authority", "Unitary"),
    ("district", "District council", "District"),
    ("metropolitan", "Metropolitan council", "Metropolitan"),
    ("combined_authority", "Combined authority", "Combined auth."),
    ("scotland", "Scottish council", "Scotland"),
    ("wales", "Welsh council", "Wales"),
    ("other", "Other", "Other"),
)

# "all" is the whole sample; it is a report parameter, not an answer.
ALL = "all"

# Council type labels that start with a proper noun keep their capital inside a sentence.
_PROPER_NOUNS = ("London", "Scottish", "Welsh")


def in_sentence(label: str) -> str:
    """A council type's label inside a sentence: 'county council', but 'London borough'."""
    return label if label.split(" ", 1)[0] in _PROPER_NOUNS else label[:1].lower() + label[1:]


# Regions as the 2024 report groups them ("the Midlands" is one group there).
REGIONS: tuple[Code, ...] = _codes(
    ("london", "London"),
    ("east_of_england", "East of England"),
    ("midlands", "Midlands"),
    ("south_east", "South East"),
    ("north_west", "North West"),
    ("north_east", "North East"),
    ("yorkshire_humber", "Yorkshire and the Humber"),
    ("south_west", "South West"),
    ("scotland", "Scotland"),
    ("wales", "Wales"),
    ("northern_ireland", "Northern Ireland"),
)

# Respondent roles as the 2024 methodology describes them.
ROLES: tuple[Code, ...] = _codes(
    ("chief_executive", "Chief executive or managing director"),
    ("director", "Director, assistant director or head of service"),
    ("officer", "Other officer"),
    ("elected_member", "Council leader, cabinet member or councillor"),
)

EXTENT = Scale(
    "extent_1_5",
    "To what extent ...",
    (1, 2, 3, 4, 5),
    ("Not at all", "A little", "Medium", "Large", "Very large"),
)
SIGNIFICANCE = Scale(
    "significance_1_5",
    "How significant are the following themes in your council's vision for itself in five years' time?",
    (1, 2, 3, 4, 5),
    ("Not at all", "Slightly important", "Moderately important", "Important", "Very important"),
)
BARRIER = Scale(
    "barrier_0_5",
    "How significant are the following as barriers to your council using digital to help it achieve its vision for its future?",
    (0, 1, 2, 3, 4, 5),
    ("Not at all", "1", "2", "3", "4", "Very large"),
)
YES_NO = Scale("yes_no", "Yes or no", (0, 1), ("No", "Yes"))
YES_NO_DONT_KNOW = Scale(
    "yes_no_dont_know", "Yes, no or don't know", (0, 1, 9), ("No", "Yes", "Don't know")
)


def codes(items: tuple[Code, ...]) -> tuple[str, ...]:
    """The codes of a tuple of items, in display order."""
    return tuple(item.code for item in items)


def label(items: tuple[Code, ...], code: str) -> str:
    """The display label of ``code`` among ``items``; a clear error if unknown."""
    for item in items:
        if item.code == code:
            return item.label
    raise KeyError(f"unknown code {code!r}; expected one of {', '.join(codes(items))}")


def council_type_choices() -> tuple[str, ...]:
    """Every value the ``council_type`` report parameter accepts."""
    return (ALL, *codes(COUNCIL_TYPES))


def check_council_type(value: str) -> str:
    """Return ``value`` if it is a valid ``council_type`` parameter, else raise ValueError."""
    if value not in council_type_choices():
        raise ValueError(
            f"unknown council type {value!r}; expected one of {', '.join(council_type_choices())}"
        )
    return value


@dataclass(frozen=True)
class Question:
    """One question of the 2024 questionnaire, the single source of the microdata columns and codebook.

    ``per`` lists the item lists the question is repeated over (one column per
    combination); ``asked_if`` is the routing (column, answer) that leads to it;
    ``quoted`` says whether the report prints the wording or only paraphrases it
    (the questionnaire itself is not published).
    """

    code: str
    text: str
    scale: Scale | None = None
    options: tuple[Code, ...] = ()
    per: tuple[tuple[Code, ...], ...] = ()
    asked_if: tuple[str, int] | None = None
    quoted: bool = True


QUESTIONS: tuple[Question, ...] = (
    Question("council_type", "Type of council", options=COUNCIL_TYPES, quoted=False),
    Question("region", "Region or nation of the council", options=REGIONS, quoted=False),
    Question("role", "Respondent's role", options=ROLES, quoted=False),
    Question(
        "has_vision",
        "Does your council have a strategic vision for the type of organisation it wants to be in five years' time?",
        YES_NO_DONT_KNOW,
    ),
    Question(
        "vision_could_help",
        "To what extent could digital help your council achieve its strategic vision?",
        EXTENT,
        asked_if=("has_vision", 1),
        quoted=False,
    ),
    Question(
        "vision_in_plan",
        "To what extent is digital currently part of your council's plan to realise its vision?",
        EXTENT,
        asked_if=("has_vision", 1),
        quoted=False,
    ),
    Question("sig", SIGNIFICANCE.question, SIGNIFICANCE, per=(THEMES,)),
    Question(
        "pot",
        "To what extent does digital have the potential to help achieve each these objectives over the next five years?",
        EXTENT,
        per=(THEMES,),
    ),
    Question(
        "plan",
        "To what extent does your council currently plan to use digital to achieve these objectives over the next five years?",
        EXTENT,
        per=(THEMES,),
    ),
    Question(
        "help",
        "Could this type of digital help your council achieve this objective?",
        YES_NO,
        per=(THEMES, DIGITAL_TYPES),
        quoted=False,
    ),
    Question(
        "planned",
        "Is your council currently planning to use this type of digital for this objective?",
        YES_NO,
        per=(THEMES, DIGITAL_TYPES),
        quoted=False,
    ),
    Question("barrier", BARRIER.question, BARRIER, per=(BARRIERS,)),
    Question(
        "has_capability",
        "In your opinion, does your organisation have the knowledge, ability and confidence to design and implement digital solutions to successfully address its biggest challenges?",
        YES_NO,
    ),
)
