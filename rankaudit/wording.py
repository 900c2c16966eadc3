"""The words of the evidence states, decided once: every output prints these (issue 10).

Kept apart from `rankaudit.evidence`, which reads specs, so that renderers can use the same words
without importing the engine.
"""

from __future__ import annotations

from typing import Any

UNDISCLOSED, UNKNOWN, NOT_APPLICABLE = "undisclosed", "unknown", "not_applicable"

# The one wording of each absence, printed by every output.
ABSENCE_TEXT: dict[str, str] = {
    "undisclosed": "not disclosed by the publisher",
    "unknown": "not found in the sources cited",
    "not_stated": "not stated in the spec (scored as undisclosed)",
}

# The same, as a short predicate for a rule's own message ("the publication date is ...").
ABSENCE_WORD: dict[str, str] = {
    "undisclosed": "undisclosed",
    "unknown": "not found in the sources cited",
    "not_stated": "not stated",
}

# Words that attribute non-disclosure to the publisher: only an `undisclosed` finding may carry them.
BLAME_PHRASES = ("not disclosed by the publisher", "publisher does not disclose")


def value_text(value: Any, undisclosed_means: str) -> str | None:
    """A profile value a renderer shows in words (`undisclosed`, `unknown`, `not_applicable`), else None."""
    if value == UNKNOWN or (value == UNDISCLOSED and undisclosed_means == "not_in_sources_read"):
        return ABSENCE_TEXT["unknown"]
    if value == UNDISCLOSED:
        return ABSENCE_TEXT["undisclosed"]
    if value == NOT_APPLICABLE:
        return "not applicable"
    return None


# What a profile value resting on a reading carries in every report (`Profile.readings`).
READING_MARK = "rankaudit's reading of its sources"


def reading_text(fields: list[str]) -> str:
    """The clause a finding carries when it rests on the spec author's reading of a source: an inference, or the
    publisher's words put to a use the publisher does not give them (a sentence on its cleanest cities read as
    its selection rule), so 'not the publisher's words' would be wrong for the second."""
    fields_text = ", ".join(fields)
    return f"rests on the spec's own reading of its sources, which the publisher does not state as such ({fields_text})"


# What a profile value known only from secondary sources carries in every report (`Profile.second_hand`).
SECOND_HAND_MARK = "second-hand"


def second_hand_text(fields: list[str]) -> str:
    """The clause a finding carries when it rests on facts the spec cites only from secondary sources (press,
    blogs): a reader quoting the finding must know the publisher's own documents were not what said so."""
    return f"rests on second-hand sources only, not the publisher's own documents ({', '.join(fields)})"


def missing_facts_text(facts: list[tuple[str, str | None]]) -> str:
    """The facts a rule finds missing, grouped by how they are missing, in the one wording of each absence:
    'the publisher's type, a conflict-of-interest statement: not stated; missing: the publisher's own word on
    ...'. Each fact is (label, state): an absence state of `ABSENCE_WORD` ('undisclosed' only for a verified
    silence), or None for a gap that is no absence (a fact known only second-hand, a stated bad value)."""
    groups: dict[str | None, list[str]] = {}
    for label, state in facts:
        groups.setdefault(state, []).append(label)
    said = []
    for state, labels in groups.items():
        said.append(f"{', '.join(labels)}: {ABSENCE_WORD[state]}" if state else f"missing: {'; '.join(labels)}")
    return "; ".join(said)


def blames_publisher(text: str) -> bool:
    """Whether a text attributes non-disclosure to the publisher."""
    lowered = text.lower()
    return any(phrase in lowered for phrase in BLAME_PHRASES)


def status_text(
    status: str, score: int | None, absence_text: str | None, blocked_by: str | None, unassessed: int = 0
) -> str:
    """A finding's state in words, the same in every output. A rule judged on its established facts only
    says how many of its points rest on unknown ones (neither earned nor lost)."""
    if unassessed and score is not None and status == "scored":
        earned = "partly met" if score == 1 else f"not met{': ' + absence_text if absence_text else ''}"
        points = "1 point" if unassessed == 1 else f"{unassessed} points"
        # in brackets: every output prints "state: message", and a second colon would run the two together
        return f"{earned}; {points} not assessed ({ABSENCE_TEXT['unknown']})"
    if status == "blocked":
        return f"not assessable: see {blocked_by}"
    if status == "not_assessed":
        return f"not assessed: {absence_text or ABSENCE_TEXT['unknown']}"
    if status == "not_applicable" or score is None:
        return "not applicable"
    if score == 2:
        return "met"
    if score == 1:
        return "partly met"
    return f"not met: {absence_text}" if absence_text else "not met"


def root_cause_text(code: str, message: str, absence_text: str | None, cost: float, blocks: list[str]) -> str:
    """One root cause of a grade in plain words: what is wrong, why, what it costs and what it blocks."""
    text = " ".join(message.split())
    text = text[:1].upper() + text[1:]
    parts = [absence_text] if absence_text else []
    if cost > 0:
        # imported here: `rankaudit.result` builds the audit's pydantic result models, which `validate`
        # (spec -> semantic -> evidence -> wording) never uses
        from rankaudit.result import number

        parts.append(f"costs {number(cost, 2)} of 100 points")
    if blocks:
        many = len(blocks) > 1
        parts.append(
            f"{len(blocks)} other rule{'s' if many else ''} cannot be assessed without it ({', '.join(blocks)})"
        )
    return f"{text} ({code}{'; ' + '; '.join(parts) if parts else ''})"
