"""Trigger lexicon: the words that show an ACLED sub-event type, and cues of non-ACLED news.

Each entry is a regular expression over lower-cased text. The lexicon has two uses:
its hits are features of the linear classifier (``L:<sub-type>``, ``N:<kind>``), and the
hit for the chosen sub-type is the Trigger's evidence span. Sub-types that are rare in
ACLED data (chemical weapons, suicide bombs, sexual violence, bases, territory changes)
lean on it most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CUES", "NON_EVENT_CUES", "Hit", "best_span", "find_hits", "find_non_event"]

_VICTIMS = r"(?:civilians?|villagers?|residents?|people|persons?|m[ae]n|wom[ae]n|child(?:ren)?|farmers?|traders?)"
_CROWD = r"(?:protest(?:er|or)s?|demonstrat(?:ors?|ions?)|crowds?|rall(?:y|ies)|marchers|students|protests?)"
_PLACE_WORDS = (
    r"(?:town|village|city|area|district|region|hill|neighbou?rhood|province|base|airport|crossing|positions?)"
)

#: Sub-event type -> trigger patterns, most specific first.
CUES: dict[str, tuple[str, ...]] = {
    "Chemical weapon": (
        r"chemical (?:weapons?|attacks?|agents?|munitions?|arms)",
        r"chlorine(?: gas)?",
        r"sarin",
        r"mustard gas",
        r"nerve (?:agents?|gas)",
        r"(?:poison(?:ous)?|toxic|noxious) (?:gas|chemicals?|substances?)",
        r"gas attacks?",
        r"suffocation",
    ),
    "Suicide bomb": (
        r"suicide (?:car )?(?:bomb(?:s|ers?|ings?)?|attacks?|attackers?|vests?|belts?|blasts?|explosions?)",
        r"blew (?:himself|herself|themselves) up",
        r"(?:detonated|exploded|set off) (?:his|her|their) (?:explosive )?(?:vests?|belts?)",
        r"self[- ]detonat\w*",
        r"svbieds?",
    ),
    "Sexual violence": (
        r"(?:gang[- ])?rap(?:e|ed|es|ing|ists?)",
        r"sexual(?:ly)? (?:assault\w*|abus\w*|violen\w*|harass\w*|exploit\w*)",
        r"molest\w*",
        r"sex(?:ual)? attacks?",
        r"sexual slavery",
    ),
    "Grenade": (
        r"(?<!propelled )(?<!rocket-propelled )(?<!rocket )grenades?",
    ),
    "Air/drone strike": (
        r"air ?strikes?",
        r"air ?raids?",
        r"drone (?:strikes?|attacks?)",
        r"(?:armed |combat |unmanned )?drones?",
        r"war ?planes?",
        r"(?:fighter )?jets? (?:bombed|struck|pounded|hit|attacked|targeted)",
        r"fighter jets?",
        r"(?:helicopter )?gunships?",
        r"helicopters? (?:fired|attacked|struck|bombed)",
        r"aerial (?:bombardment|attacks?|bombing|strikes?)",
        r"air force",
        r"airstrikes?",
        r"bombed from the air",
        r"barrel bombs?",
        r"uavs?",
    ),
    "Shelling/artillery/missile attack": (
        r"shell(?:ed|ing|s)",
        r"artillery",
        r"mortars?(?: rounds?| shells?| fire)?",
        r"(?:ballistic |cruise |guided )?missiles?",
        r"rockets?",
        r"howitzers?",
        r"bombard(?:ed|ment|ing)",
        r"projectiles?",
        r"katyusha",
        r"grad rockets?",
        r"barrages?",
        r"tank (?:fire|shells?|attacks?)",
    ),
    "Remote explosive/landmine/IED": (
        r"improvised explosive devices?",
        r"ieds?",
        r"vbieds?",
        r"road ?side bombs?",
        r"land ?mines?",
        r"(?:car|vehicle|parcel|magnetic|sticky|motorcycle|bicycle|truck|time) bombs?",
        r"explosive devices?",
        r"bombs? (?:exploded|went off|blasts?|explosions?|attacks?)",
        r"bomb(?:ing)?s?",
        r"explosives?",
        r"blasts?",
        r"explosions?",
        r"remote[- ]controlled",
        r"booby[- ]trap\w*",
        r"(?:detonated|exploded|went off)",
    ),
    "Armed clash": (
        r"clash(?:ed|es)?",
        r"gun ?battles?",
        r"fire ?fights?",
        r"exchange(?:d|s)? (?:of )?(?:fire|gunfire)",
        r"skirmish\w*",
        r"fierce fighting",
        r"fighting",
        r"fought",
        r"battl(?:e|ed|es|ing)",
        r"ambush(?:ed|es)?",
        r"engaged",
        r"offensive",
        r"attacked (?:an? |the )?(?:army |military |police |security )?"
        r"(?:checkpoints?|bases?|positions?|posts?|convoys?|barracks|outposts?|patrols?)",
        r"(?:killing|killed) \w+ (?:soldiers|troops|militants|fighters|rebels|insurgents|policemen)",
    ),
    "Government regains territory": (
        r"regain(?:ed|s)? (?:full )?control",
        r"regain(?:ed|s)?",
        r"recaptur(?:e|ed|es|ing)",
        r"retook",
        r"retak(?:e|en|ing)",
        r"liberat(?:e|ed|es|ing|ion)",
        r"freed (?:several |the )?(?:areas?|villages?|towns?|city|district)",
        r"(?:cleared|purged) (?:of|from)",
        r"back under (?:government|state|army) control",
    ),
    "Non-state actor overtakes territory": (
        r"(?:seized|took|taken|gained|wrested|assumed) (?:full )?control",
        r"overr?an",
        r"overrun",
        r"(?:seized|captured|stormed|took over|taken over|overtook)",
        r"fell to",
        r"(?:advanced|pushed) (?:deep )?into",
        r"took (?:the )?" + _PLACE_WORDS,
    ),
    "Non-violent transfer of territory": (
        r"withdr(?:ew|awn|aw|awal|awing)",
        r"pulled out",
        r"handed over",
        r"hand(?:ing)? over",
        r"vacated",
        r"abandoned",
        r"without (?:a )?(?:fight|resistance|clashes|a shot)",
        r"retreat(?:ed|s)?",
    ),
    "Headquarters or base established": (
        r"(?:set up|sets up|setting up|established|establishes|establishing|built|erected|opened|installed|"
        r"constructed) (?:an? |the |its |their )?(?:new )?(?:\w+ )?(?:military )?"
        r"(?:bases?|posts?|outposts?|observation posts?|headquarters|camps?|checkpoints?|garrisons?|positions?)",
        r"observation posts?",
        r"(?:new )?military bases?",
        r"headquarters",
    ),
    "Attack": (
        r"opened fire",
        r"shot (?:dead|and killed|at|and wounded)",
        r"gunm[ae]n",
        r"gun attacks?",
        r"stabb(?:ed|ing)",
        r"hack(?:ed)? to death",
        r"murder(?:ed|s)?",
        r"assassinat(?:ed|ion|e)",
        r"massacre[ds]?",
        r"behead(?:ed|ing)",
        r"executed",
        r"shooting",
        r"drive-by",
        r"(?:attacked|killed|shot|targeted|assaulted|tortured) (?:an? |the |\w+ )?" + _VICTIMS,
        r"attack(?:ed|s)?",
        r"killed",
        r"shot",
    ),
    "Abduction/forced disappearance": (
        r"abduct(?:ed|ion|ions|s|ing)?",
        r"kidnap(?:ped|ping|pings|pers|s)?",
        r"hostages?",
        r"forcibly disappeared",
        r"(?:forced )?disappearances?",
        r"to an unknown (?:location|destination)",
        r"(?:whereabouts|fate) (?:remain|remains|is|are) unknown",
        r"have taken",
    ),
    "Peaceful protest": (
        r"protest(?:ed|ers?|ors?|s|ing)?",
        r"demonstrat(?:ed|ion|ions|ors?|ing)",
        r"rall(?:y|ied|ies)",
        r"march(?:ed|es)?",
        r"sit-ins?",
        r"(?:on|went on|general|hunger|workers'?) strikes?",
        r"strikers?",
        r"picket\w*",
        r"vigils?",
        r"chant(?:ed|ing)",
        r"booed",
        r"gathered to (?:demand|denounce|protest|call)",
    ),
    "Protest with intervention": (
        r"(?:dispers(?:e|ed|ing)|broke up|break up|breaking up|blocked|prevented) (?:the |a )?" + _CROWD,
        r"tear ?gas",
        r"water cannons?",
        r"(?:detained|arrested) (?:\w+ )?(?:protest(?:er|or)s|demonstrators|activists|marchers)",
        r"(?:protest(?:er|or)s|demonstrators|activists) (?:were|have been) (?:detained|arrested)",
        r"riot police",
        r"rubber bullets",
        r"unsanctioned",
    ),
    "Excessive force against protesters": (
        r"(?:fired|opened fire|shot) (?:live (?:rounds|ammunition|bullets) )?(?:on|at|into) "
        r"(?:the |peaceful |unarmed )?" + _CROWD,
        r"live (?:ammunition|bullets|rounds|fire)",
        r"(?:protest(?:er|or)s?|demonstrators?) (?:were |was )?(?:killed|shot dead|shot|died)",
        r"kill(?:ed|ing) (?:\w+ )?(?:protest(?:er|or)s?|demonstrators?)",
        r"crackdown",
        r"brutally",
    ),
    "Violent demonstration": (
        r"riot(?:s|ers|ed|ing)?",
        r"(?:threw|hurled|throwing|pelted|pelting|hurling) (?:\w+ )?(?:stones|rocks|molotov|petrol bombs|bottles|"
        r"firecrackers|fireworks)",
        r"stone[- ]throwing",
        r"molotov cocktails?",
        r"(?:protest(?:er|or)s|demonstrators|crowds?) (?:clashed|clash|attacked|torched|burned|stormed)",
        r"turned violent",
        r"(?:burn(?:ed|t|ing)) tyres",
        r"violent (?:protests?|demonstrations?)",
        r"unrest",
    ),
    "Mob violence": (
        r"mobs?",
        r"lynch(?:ed|ing|ings)?",
        r"vigilant(?:e|es|ism)",
        r"(?:angry|irate) (?:crowd|residents|villagers|youths?)",
        r"beat(?:en)? to death",
        r"jungle justice",
        r"communal violence",
    ),
    "Agreement": (
        r"(?:peace |ceasefire |cease-fire )?(?:agreement|accord|deal)s?",
        r"agreed",
        r"ceasefires?",
        r"cease-fires?",
        r"truces?",
        r"peace talks",
        r"signed",
        r"prisoner (?:swaps?|exchanges?)",
        r"(?:released|release of|freed) (?:\w+ )?(?:prisoners|detainees|hostages)",
        r"reconciliation",
        r"negotiat\w+",
    ),
    "Arrests": (
        r"arrest(?:ed|s|ing)?",
        r"detain(?:ed|s|ing)?",
        r"detention",
        r"(?:taken|took) into custody",
        r"apprehended",
        r"rounded up",
        r"in custody",
    ),
    "Change to group/activity": (
        r"(?:re)?deploy(?:ed|s|ment|ments|ing)?",
        r"reinforcements?",
        r"dispatched",
        r"defect(?:ed|ion|ions|ors?)",
        r"(?:were|was|been) formed",
        r"formation of",
        r"disband(?:ed|s)?",
        r"merg(?:ed|er)",
        r"recruit(?:ed|ment|s|ing)",
        r"curfew",
        r"(?:arrived|moved|entered) (?:in|into)",
        r"military parade",
        r"convoy",
        r"joined",
        r"announced",
    ),
    "Disrupted weapons use": (
        r"defus(?:ed|e|ing)",
        r"dismantl(?:ed|e|ing)",
        r"(?:seized|confiscated|recovered|found|discovered|intercepted|uncovered|seizure of) (?:an? |the |\w+ )?"
        r"(?:weapons|arms|firearms|guns|rifles|ammunition|explosives?|munitions|caches?|depots?|ieds?|mines|"
        r"explosive devices?|bombs?|packages?|rounds)",
        r"(?:weapons?|arms|ammunition|explosives) (?:caches?|depots?|stockpiles?|storage|were seized|seized)",
        r"intercept(?:ed|s)",
        r"shot down",
        r"bomb disposal",
        r"(?:foiled|thwarted)",
        r"suspicious (?:packages?|devices?|objects?)",
        r"(?:safely )?detonated (?:it|them)",
        r"controlled explosion",
        r"hideouts?",
    ),
    "Looting/property destruction": (
        r"loot(?:ed|ing|ers)?",
        r"(?:burn(?:ed|t|ing)|torch(?:ed|ing)|set (?:fire to|ablaze|on fire)) (?:down )?(?:\w+ )?(?:\w+ )?"
        r"(?:houses?|homes?|shops?|vehicles?|cars?|buildings?|property|properties|offices?|schools?|crops|stores?|"
        r"huts?|churches|mosques?)",
        r"vandali[sz](?:ed|m|ing)",
        r"(?:destroyed|demolished|razed|ransacked|plundered) (?:\w+ )?(?:\w+ )?",
        r"ransack\w*",
        r"plunder\w*",
        r"set ablaze",
        r"torched",
        r"stole|stolen",
    ),
    "Other": (
        r"mass graves?",
        r"fled",
        r"displac(?:ed|ement)",
        r"expelled",
        r"bodies (?:were )?(?:found|discovered|recovered)",
    ),
}

#: Cues of news that is not an ACLED event: kind -> patterns.
NON_EVENT_CUES: dict[str, tuple[str, ...]] = {
    "natural_disaster": (
        r"earthquakes?",
        r"quakes?",
        r"floods?|flooding|flooded|flash floods?",
        r"landslides?|mudslides?",
        r"cyclones?|hurricanes?|typhoons?|tornado(?:es)?|storms?",
        r"tsunamis?",
        r"volcan(?:o|oes|ic)|erupt(?:ed|ion|s)",
        r"droughts?",
        r"wildfires?|bush ?fires?|forest fires?",
        r"(?:heavy|torrential|monsoon) rains?",
        r"avalanches?",
        r"magnitude",
        r"heat ?waves?",
    ),
    "man_made_disaster": (
        r"(?:gas|oil|chemical|toxic|fuel) (?:leaks?|spills?|tank|cylinders?)",
        r"(?:gas|boiler|cylinder|factory|industrial|mine|warehouse|pipeline) (?:explosion|blast|fire|accident)s?",
        r"(?:train|bus|road|plane|car|traffic|boat|ferry|mine|industrial) (?:crash|accident|collision|derailment)s?",
        r"crash(?:ed)?",
        r"collaps(?:ed|e)",
        r"derail(?:ed|ment)",
        r"capsiz(?:ed|e)",
        r"ammonium nitrate",
        r"(?:food|alcohol|carbon monoxide) poisoning|poisoning",
        r"caught fire|fire broke out|blaze",
        r"accident(?:al|ally|s)?",
    ),
    "crime": (
        r"robber(?:y|ies)|robbed|robbers?",
        r"smuggl\w+",
        r"traffick\w+",
        r"drugs?|narcotics?|cocaine|heroin|cannabis|marijuana|methamphetamine",
        r"fraud\w*|embezzl\w+|bribe\w*|corruption|money laundering",
        r"theft|thieves|thief|burglar\w*|break and enter|stolen property",
        r"gangs?|gangsters?|cartels?",
        r"counterfeit\w*",
        r"scam\w*",
        r"migrants",
    ),
    "diplomacy": (
        r"sanctions?",
        r"diplomats?|diplomatic",
        r"ambassadors?|embassy|embassies|envoys?",
        r"expel(?:led|s)?",
        r"summoned",
        r"(?:state |official )?visit(?:ed|s)?",
        r"bilateral",
        r"foreign minist(?:er|ry)",
        r"summit",
        r"condemn(?:ed|s)?",
        r"urged",
        r"talks",
        r"(?:held|hold) (?:a )?(?:meeting|talks|call)",
        r"cooperation",
        r"tariffs?|trade",
    ),
    "attribution": (
        r"claim(?:ed|s)? (?:of )?responsibility",
        r"(?:took|takes|take|claimed) credit",
        r"responsibility for",
        r"blam(?:ed|es|ing)",
        r"accus(?:ed|es|ing)",
    ),
}


@dataclass(frozen=True)
class Hit:
    """One lexicon match: which label or kind, and where (character offsets)."""

    label: str
    start: int
    end: int


def _compile(table: dict[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]]:
    return {
        label: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", re.IGNORECASE)
        for label, patterns in table.items()
    }


def _compile_each(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {
        label: tuple(re.compile(r"\b(?:" + p + r")\b", re.IGNORECASE) for p in patterns)
        for label, patterns in table.items()
    }


_CUES = _compile(CUES)
_CUES_EACH = _compile_each(CUES)
_NON_EVENT = _compile(NON_EVENT_CUES)


def find_hits(text: str) -> list[Hit]:
    """All sub-type cues in ``text`` (leftmost match per sub-type, any pattern)."""
    hits = []
    for label, pattern in _CUES.items():
        match = pattern.search(text)
        if match:
            hits.append(Hit(label, match.start(), match.end()))
    return hits


def best_span(text: str, label: str) -> tuple[int, int] | None:
    """The span of the most specific cue of ``label`` in ``text`` (earlier patterns win)."""
    for pattern in _CUES_EACH.get(label, ()):
        match = pattern.search(text)
        if match:
            return match.start(), match.end()
    return None


def find_non_event(text: str) -> list[Hit]:
    """Cues of non-ACLED news (disaster, crime, diplomacy, attribution) in ``text``."""
    hits = []
    for kind, pattern in _NON_EVENT.items():
        match = pattern.search(text)
        if match:
            hits.append(Hit(kind, match.start(), match.end()))
    return hits

