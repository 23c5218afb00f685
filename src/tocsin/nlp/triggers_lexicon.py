"""Trigger lexicon: the words that show an ACLED sub-event type, and cues of non-ACLED news.

Each entry is a regular expression, matched case-insensitively between word boundaries
(compiled in ``nlp/triggers_match.py``). The lexicon has three uses: its hits are features of
the linear classifier (``L:<sub-type>``, ``N:<kind>``, ``S:<sub-type>``, ``TERR:...``); decisive
cues add a fixed logit bonus; and the hit for the chosen sub-type is the Trigger's evidence
span. Sub-types that are rare in ACLED data (chemical weapons, suicide bombs, sexual violence,
bases, territory changes) lean on it most.
"""

from __future__ import annotations

__all__ = [
    "CUES",
    "NONSTATE_ACTORS",
    "NON_EVENT_CUES",
    "PROTEST",
    "RIOTING",
    "RIOT_BONUS",
    "STATE_ACTORS",
    "STRONG_CUES",
    "STRONG_NON_EVENT",
    "TERRITORY_BONUS",
    "TERRITORY_VERBS",
    "WITHDRAWAL",
]

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
        r"(?<!propelled )(?<!rocket )grenades?(?! launchers?)",
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
        r"shoot-?outs?",
        r"gun ?battles?",
        r"fired (?:small arms|with unspecified weapons|light weapons|machine ?guns?)",
        r"fire ?fights?",
        r"(?:came|come|comes|coming) under (?:heavy |intense |sustained )?(?:fire|gunfire|attack)",
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
        r"without (?:any |a )?(?:fight|resistance|clashes|a shot)",
        r"handed over",
        r"hand(?:ing)? over",
        r"withdr(?:ew|awn|aw|awal|awing)",
        r"pulled out",
        r"vacated",
        r"abandoned",
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
        r"found dead",
        r"bod(?:y|ies) (?:\w+ )?(?:was |were )?(?:found|discovered)",
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
        r"march(?:ed|es)|(?-i:march)",  # "March" capitalised is the month ("since March 4")
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
        r"(?:threw|hurled|throwing|pelted|pelting|hurling) (?:\w+ )?(?:stones|rocks|molotov|petrol bombs|bottles|"
        r"firecrackers|fireworks)",
        r"stone[- ]throwing",
        r"molotov cocktails?",
        r"(?:protest(?:er|or)s|demonstrators|crowds?) (?:clashed|clash|attacked|torched|burned|stormed)",
        r"turned violent",
        r"(?:burn(?:ed|t|ing)) tyres",
        r"violent (?:protests?|demonstrations?)",
        r"riot(?:s|ers|ed|ing)?",
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
        r"surrender(?:ed|s)?",
        r"in exchange for",
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
        r"(?:held|hold) (?:a )?(?:meeting|call)",
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


#: Decisive cues: sub-type -> (logit bonus, patterns). A named weapon or act settles the
#: sub-type even inside a wider battle ("grenades were hurled during clashes" is Grenade).
STRONG_CUES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Chemical weapon": (4.0, (
        r"chemical (?:weapons?|attacks?|agents?|munitions?)",
        r"chlorine",
        r"sarin",
        r"mustard gas",
        r"nerve (?:agents?|gas)",
        r"(?:poison(?:ous)?|toxic) (?:gas|chemicals?)",
    )),
    "Suicide bomb": (4.0, (
        r"suicide (?:car )?(?:bomb(?:s|ers?|ings?)?|attacks?|attackers?|vests?|belts?|blasts?)",
        r"blew (?:himself|herself|themselves) up",
        r"self[- ]detonat\w*",
    )),
    "Sexual violence": (4.0, (
        r"(?:gang[- ])?rap(?:e|ed|es|ing|ists?)",
        r"sexual(?:ly)? (?:assault\w*|abus\w*|violen\w*|harass\w*)",
        r"molest\w*",
    )),
    "Grenade": (3.0, (r"(?<!propelled )(?<!rocket )grenades?(?! launchers?)",)),
    "Air/drone strike": (1.5, (
        r"war ?planes?|fighter jets?|jets|air ?strikes?|air ?raids?|drone (?:strikes?|attacks?)|air force|"
        r"gunships?|helicopters? (?:fired|attacked|struck|bombed)|aerial (?:bombardment|attacks?|bombing)|"
        r"barrel bombs?|planes (?:bombed|struck|hit|attacked)",
    )),
    "Shelling/artillery/missile attack": (1.0, (
        r"shell(?:ed|ing)|artillery|mortars?|rockets?|missiles?|howitzers?|bombard(?:ed|ment)|katyusha",
    )),
    "Headquarters or base established": (3.0, (
        r"(?:set up|sets up|setting up|established|establishes|establishing|built|erected|opened|installed|"
        r"constructed) (?:an? |the |its |their )?(?:new )?(?:\w+ )?(?:military )?"
        r"(?:bases?|posts?|outposts?|observation posts?|headquarters|garrisons?)",
    )),
    "Disrupted weapons use": (2.5, (
        r"defus(?:ed|e|ing)",
        r"(?:seiz|confiscat|recover|found|discover|intercept|uncover|destroy|clear|dismantl|remov)\w*"
        r"(?: \S+){0,5} (?:weapons|arms|firearms|guns|pistols|revolvers|rifles|ammunitions?|explosives?|munitions|"
        r"caches?|ieds?|mines|landmines|explosive devices?|rounds)",
        r"(?:weapons|arms|firearms|guns|pistols|revolvers|rifles|ammunitions?|explosives?|munitions|rounds|ieds?|"
        r"mines|explosive devices?)(?: \S+){0,8} (?:were|was|have been|had been) "
        r"(?:seized|confiscated|recovered|found|discovered|intercepted|defused|destroyed|dismantled)",
        r"intercepted",
        r"shot down",
    )),
    "Excessive force against protesters": (2.0, (
        r"(?:fired|opened fire|shot|shooting) (?:live (?:rounds|ammunition|bullets) )?(?:on|at|into) "
        r"(?:the |peaceful |unarmed )?(?:protest(?:er|or)s?|demonstrat(?:ors?|ions?)|crowds?|rall(?:y|ies)|marchers)",
        r"live (?:ammunition|bullets|rounds)",
        r"(?:protest(?:er|or)s?|demonstrators?) (?:were |was )?(?:killed|shot dead|died)",
        r"excessive force",
    )),
    "Non-violent transfer of territory": (2.0, (
        r"without (?:any |a )?(?:fight|resistance|a shot being fired)",
        r"not encountered any resistance",
        r"handed over (?:control|the|its)",
        r"handover of",
    )),
}


#: Decisive cues of news that is no ACLED event: kind -> (logit bonus for ``NONE``, patterns).
STRONG_NON_EVENT: dict[str, tuple[float, tuple[str, ...]]] = {
    "natural_disaster": (3.0, (
        r"earthquakes?|quakes?|floods?|flooding|flash floods?|landslides?|mudslides?|cyclones?|hurricanes?|typhoons?",
        r"tornado(?:es)?|tsunamis?|volcan(?:o|oes|ic)|erupt(?:ed|ion)|droughts?|wildfires?|bush ?fires?|forest fires?",
        r"(?:heavy|torrential|monsoon) rains?|avalanches?|heat ?waves?",
    )),
    "man_made_disaster": (2.5, (
        r"(?:gas|oil|chemical|toxic|fuel|ammonia) (?:leaks?|leaked|leakage|spills?)",
        r"(?:plant|factory|warehouse|refinery|mine|boiler|tank|pipeline|garage|storage) "
        r"(?:exploded|explosions?|blasts?|fires?|caught fire)",
        r"(?:chemical|industrial|power) plant",
        r"fire broke out|caught fire",
        r"(?:plane|air|train|bus|road|car|traffic|helicopter|boat|ferry) (?:crash(?:ed|es)?|accidents?|collisions?)",
        r"crashed|derail(?:ed|ment)|capsiz(?:ed|e)|ran aground|collaps(?:ed|e) (?:building|bridge|mine)",
        r"(?:food|alcohol|carbon monoxide) poisoning|poisoning|ammonium nitrate|fireworks",
        r"accident(?:al|ally)?",
    )),
    "crime": (2.0, (
        r"robber(?:y|ies)|robbed|robbers?",
        r"smuggl\w+|traffick\w+",
        r"drugs?|narcotics?|cocaine|heroin|cannabis|marijuana|methamphetamine|shabu|steroids?",
        r"fraud\w*|embezzl\w+|bribe\w*|corruption scam|money laundering|counterfeit\w*|scam\w*",
        r"theft|thieves|burglar\w*|break and enter|stolen property",
        r"cyber ?(?:crime|attacks?)",
    )),
    "diplomacy": (2.5, (
        r"sanctions?",
        r"expel(?:led|s)? (?:\w+ )?(?:\w+ )?(?:diplomats?|ambassadors?|envoys?)",
        r"(?:diplomats?|ambassadors?|envoys?) (?:were |was )?expelled",
        r"diplomatic (?:ties|relations|row)",
        r"summoned (?:the|its) ambassador",
        # talks that failed are no agreement ("after the peace talks in Geneva collapsed")
        r"(?:peace|ceasefire|cease-fire|truce) (?:talks|negotiations) (?:in \w+ )?(?:have |had )?"
        r"(?:collapsed|stalled|broke down|broken down|failed|faltered)",
        r"collapse of (?:the )?(?:peace|ceasefire|truce) (?:talks|negotiations)",
        # nor are calls or offers for peace that were refused ("has refused all calls for peace")
        r"(?:refused|rejected|rebuffed|dismissed) (?:all |any |the |an? )?(?:calls?|offers?|proposals?|demands?) "
        r"(?:for|of) (?:a )?(?:peace|ceasefire|truce|talks|negotiations)",
    )),
    "attribution": (2.5, (
        r"claim(?:ed|s|ing)? (?:of )?responsibility",
        r"(?:took|takes|take|claimed|claiming) credit",
        r"denied (?:any )?(?:involvement|responsibility)|(?:is|was|were) responsible for",
        r"suspected to be behind|accusations? against",
    )),
}

#: Actor words of the state side and of non-state groups.
STATE_ACTORS = (
    r"(?:government|govt|regime|army|armed forces|military|troops|soldiers|security forces|national army|"
    r"saa|pro-government|forces loyal|national guard|troopers|marines|police)"
)
NONSTATE_ACTORS = (
    r"(?:rebels?|militants?|insurgents?|jihadists?|jihadist group|islamic state|isis|isil|daesh|taliban|"
    r"al[- ]shabaa?b|shabaa?b|houthis?|huthis?|opposition|terrorists?|militias?|militiamen|hts|boko haram|npa|"
    r"fighters|separatists?|ypg|sdf|qsd|pkk|hezbollah|gunmen|group|factions?|syrian national army|"
    r"free syrian army|pro-turkish|turkish-backed|turkey-backed)"
)
#: Verbs of taking ground; the nearest actor word says who took it. Verbs that also take
#: people or things as object ("captured a suspect", "seized rifles") need a place or "control" after them.
_GROUND = (
    r"(?:control|ground|territory|town|towns|village|villages|city|cities|area|areas|district|districts|region|"
    r"neighbou?rhoods?|province|hills?|positions?|checkpoints?|crossings?|bases?|airport|port|border|highway|road|"
    r"outskirts|countryside|headquarters|capital|oil ?fields?|strongholds?|island|camps?|posts?|front ?line)"
)
TERRITORY_VERBS = (
    r"(?:recaptur\w+|retook|retak(?:e|en|ing)|regain\w*|liberat\w+|overr?an|overrun|"
    r"(?:took|taken|gained|assumed|wrested|seized|captured|regained|established) (?:full |complete )?control|"
    r"(?:took|taken) over|(?:captur\w*|seiz\w*|took|taken|stormed|entered|freed|advanced into|pushed into)"
    r"(?: \S+){0,4}? " + _GROUND + r")"
)
#: Logit bonus for the territory sub-types when the nearest actor of a territory verb is known.
TERRITORY_BONUS = 4.0
#: Withdrawal words: with a territory verb they make a non-violent transfer (bonus + 2).
WITHDRAWAL = r"(?:withdr(?:ew|awn|awal)|pulled out|vacated|abandoned|retreat(?:ed)?)"
#: Logit bonus for Violent demonstration when a protest and protesters' violence are both named.
RIOT_BONUS = 2.5
PROTEST = r"(?:protest\w*|demonstrat\w*|rall(?:y|ies|ied)|marchers|rioters?|riots?)"
RIOTING = (
    r"(?:turn(?:ed|s)? (?:very )?violent|violent (?:protests?|demonstrations?|clashes)|"
    r"clash(?:ed|es)? with (?:the )?(?:riot )?(?:police|security forces|officers|troops)|"
    r"hurl\w*|threw|throwing|stones?|rocks|molotov|petrol bombs?|torch\w*|"
    r"set (?:fire|ablaze)|burn(?:ed|ing|t)|vandali\w+|smash\w*|stormed|loot\w*|riot(?:s|ers|ing)?|violence|debris|"
    r"firecrackers|fireworks|barricades?)"
)
