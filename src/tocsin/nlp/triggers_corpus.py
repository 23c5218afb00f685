"""Training sentences written for tocsin (not taken from any data set), one small template set per label.

They teach the classifier news wording (ACLED notes are written by coders) and the sub-types
that ACLED data has few of, and they give the ``NONE`` label its examples: disasters, crime,
diplomacy, claims of responsibility and ordinary news. Slots are filled deterministically.
"""

from __future__ import annotations

import random

__all__ = ["TEMPLATES", "written_examples"]

_SLOTS: dict[str, tuple[str, ...]] = {
    "state": (
        "security forces", "the army", "soldiers", "police", "government troops", "the military", "troops",
        "border guards", "paramilitary forces", "special forces", "army units", "pro-government forces",
    ),
    "armed": (
        "militants", "rebels", "insurgents", "gunmen", "fighters", "jihadists", "armed men", "militiamen",
        "Islamist fighters", "separatists", "bandits", "unidentified assailants", "an armed group",
    ),
    "place": (
        "the town of Karvo", "the village of Tel Amira", "Bandiri district", "the northern city of Oskovo",
        "Mazra province", "the border area near Kelafo", "the capital", "a market in Dunmore", "the outskirts of Sabir",
        "the eastern region", "a suburb of Lunavi", "the southern province", "Ravenna county",
    ),
    "num": ("two", "three", "five", "seven", "12", "dozens of", "several", "at least four", "more than 20", "nine"),
    "day": ("on Monday", "on Tuesday night", "early on Friday", "yesterday", "on Sunday", "overnight", "this morning",
            "late on Wednesday", "on Thursday"),
    "civ": ("civilians", "villagers", "residents", "people", "farmers", "a family", "passengers", "worshippers",
            "traders", "children"),
    "country": ("Sudan", "Iraq", "Ukraine", "Nigeria", "Myanmar", "Colombia", "Mali", "Yemen", "Pakistan", "Brazil"),
    "official": ("the foreign minister", "the president", "the prime minister", "a government spokesman",
                 "the interior minister", "the defence ministry", "a UN envoy", "the ambassador"),
}

#: Label -> sentence templates with ``{slot}`` fields from ``_SLOTS``.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "Armed clash": (
        "Heavy clashes broke out between {state} and {armed} in {place} {day}, leaving {num} fighters dead.",
        "{armed} attacked an army checkpoint in {place} {day}, killing {num} soldiers before troops repelled them.",
        "{state} fought {armed} for several hours near {place}.",
        "A gun battle between {state} and {armed} erupted {day} in {place}.",
        "{num} militants were killed in an exchange of fire with {state} in {place}.",
        "Fierce fighting continued {day} as {state} battled {armed} on the outskirts of {place}.",
        "{armed} ambushed a military patrol in {place}, sparking a firefight with {state}.",
        "Rival militias clashed in {place} {day}, and {num} fighters died in the fighting.",
    ),
    "Government regains territory": (
        "{state} recaptured {place} from {armed} {day}.",
        "The army said it had regained control of {place} after driving out {armed}.",
        "{state} retook {place}, which had been held by {armed} since last year.",
        "Government forces liberated {place} from the insurgents {day}, a military spokesman said.",
        "{place} is back under government control after {state} pushed {armed} out.",
        "{state} freed several villages around {place} from {armed} control.",
    ),
    "Non-state actor overtakes territory": (
        "{armed} seized control of {place} {day} after government troops fled.",
        "{armed} overran an army base in {place}, taking control of the area.",
        "{armed} captured {place} following a two-day assault.",
        "{place} fell to {armed} {day}, residents said.",
        "{armed} took over {place} and raised their flag over the main square.",
        "{armed} advanced into {place} and now control most of the district.",
    ),
    "Chemical weapon": (
        "{num} people suffered breathing problems after a chlorine gas attack on {place} {day}.",
        "Investigators said sarin was used in the attack on {place}.",
        "{armed} fired shells filled with toxic gas at {place}, causing cases of suffocation.",
        "Doctors treated {civ} for symptoms of exposure to a nerve agent after {place} was attacked.",
        "The opposition accused {state} of a poison gas attack on {place} {day}.",
        "Inspectors concluded that mustard gas had been used as a chemical weapon in {place}.",
        "A suspected chemical attack on {place} killed {num} people {day}.",
    ),
    "Air/drone strike": (
        "Warplanes bombed {place} {day}, killing {num} {civ}.",
        "An air strike hit a market in {place}, medics said.",
        "A drone strike targeted a vehicle carrying {armed} near {place} {day}.",
        "Fighter jets pounded positions of {armed} in {place}.",
        "Airstrikes by the coalition killed {num} people in {place} {day}.",
        "Helicopter gunships fired on {armed} hideouts around {place}.",
        "An armed drone struck a house in {place}, killing {num} people.",
        "The air force carried out raids on {armed} camps near {place} {day}.",
    ),
    "Suicide bomb": (
        "A suicide bomber blew himself up at a checkpoint in {place} {day}, killing {num} people.",
        "{num} people died when a suicide car bomb exploded outside a police station in {place}.",
        "Two suicide bombers detonated their explosive vests in a crowded market in {place}.",
        "A female suicide bomber attacked a mosque in {place} {day}.",
        "A suicide attack on an army base in {place} killed {num} soldiers.",
        "The attacker blew himself up among worshippers in {place}.",
    ),
    "Shelling/artillery/missile attack": (
        "{state} shelled {place} {day}, killing {num} {civ}.",
        "Artillery fire hit residential areas of {place} overnight.",
        "{armed} fired rockets at {place} {day}.",
        "A missile struck an apartment building in {place}, killing {num} people.",
        "Mortar rounds landed near a school in {place} {day}.",
        "{place} came under heavy shelling from {armed} positions.",
        "Rockets fired by {armed} hit {place}, wounding {num} civilians.",
        "{state} bombarded {place} with artillery and tank fire.",
    ),
    "Remote explosive/landmine/IED": (
        "A roadside bomb exploded near a military convoy in {place} {day}, killing {num} soldiers.",
        "{num} {civ} were killed when their vehicle hit a landmine near {place}.",
        "An improvised explosive device went off in a market in {place} {day}.",
        "A car bomb exploded outside a government building in {place}.",
        "A bomb planted by {armed} detonated near a bus station in {place}, wounding {num} people.",
        "An IED blast hit a police patrol in {place} {day}.",
        "A remote-controlled bomb targeted an army vehicle in {place}.",
        "A blast ripped through a crowded street in {place} {day}, killing {num} people.",
    ),
    "Grenade": (
        "{num} people were wounded when {armed} threw a grenade into a bar in {place} {day}.",
        "A hand grenade exploded in a market in {place}, injuring {num} {civ}.",
        "Unknown attackers hurled a grenade at a police station in {place} {day}.",
        "A grenade attack on a bus in {place} wounded {num} passengers.",
        "{armed} lobbed grenades at a crowd in {place}.",
    ),
    "Sexual violence": (
        "{state} were accused of raping women in {place} during the raid.",
        "A woman was gang-raped by {armed} in {place} {day}.",
        "Human rights groups documented widespread rape and sexual violence by {armed} in {place}.",
        "A girl was sexually assaulted by soldiers at a checkpoint in {place}.",
        "{armed} abducted and raped {num} women in {place}.",
        "A man molested a teenager in {place} {day}, police said.",
    ),
    "Attack": (
        "{armed} opened fire on {civ} in {place} {day}, killing {num} people.",
        "Gunmen shot dead a village chief in {place}.",
        "{armed} attacked {civ} in {place} {day}, killing {num} and burning homes.",
        "A local journalist was shot and killed by unidentified gunmen in {place}.",
        "{armed} massacred {num} {civ} in {place}.",
        "A teacher was stabbed to death by {armed} in {place} {day}.",
        "{armed} killed {num} {civ} in a raid on {place}.",
        "An opposition politician was assassinated in {place} {day}.",
    ),
    "Abduction/forced disappearance": (
        "{armed} abducted {num} {civ} from {place} {day}.",
        "Gunmen kidnapped a priest in {place} and demanded a ransom.",
        "{num} aid workers were taken hostage by {armed} in {place}.",
        "An activist was forcibly disappeared after {state} took him to an unknown location.",
        "{armed} kidnapped {num} students from a school in {place} {day}.",
        "Relatives say the journalist has been missing since {state} seized him in {place}.",
    ),
    "Peaceful protest": (
        "Thousands of protesters marched through {place} {day} to demand the release of political prisoners.",
        "Residents staged a sit-in outside the governor's office in {place}.",
        "Workers went on strike in {place} to demand higher wages.",
        "Demonstrators rallied in {place} {day} against rising fuel prices.",
        "{num} students protested peacefully in {place} against the new law.",
        "Hundreds of people gathered in {place} to protest against the government.",
        "Teachers held a demonstration in {place} {day} over unpaid salaries.",
        "Farmers blocked a road in {place} to protest land seizures.",
    ),
    "Protest with intervention": (
        "Police fired tear gas to disperse protesters in {place} {day}.",
        "Riot police broke up a demonstration in {place} and detained {num} activists.",
        "{state} used water cannon against crowds of protesters in {place}.",
        "Police arrested {num} demonstrators at an unsanctioned rally in {place} {day}.",
        "Security forces dispersed a sit-in in {place} with batons and tear gas.",
        "Police blocked marchers from reaching the parliament in {place}.",
    ),
    "Excessive force against protesters": (
        "{state} opened fire on peaceful protesters in {place} {day}, killing {num} people.",
        "Police used live ammunition against demonstrators in {place}, killing {num}.",
        "{num} protesters were shot dead by {state} in {place}.",
        "Security forces fired live rounds into a crowd of unarmed demonstrators in {place} {day}.",
        "A protester died after police beat demonstrators in {place}.",
        "The crackdown on protesters in {place} left {num} dead.",
    ),
    "Violent demonstration": (
        "Protesters threw stones at police in {place} {day} and set fire to tyres.",
        "Rioters torched a police station in {place}.",
        "Demonstrators clashed with police in {place}, hurling rocks and petrol bombs.",
        "The protest turned violent when demonstrators attacked government offices in {place}.",
        "Riots broke out in {place} {day} after the election results were announced.",
        "Angry protesters stormed the town hall in {place} and smashed windows.",
    ),
    "Mob violence": (
        "A mob lynched a man accused of theft in {place} {day}.",
        "Angry villagers beat {num} suspected kidnappers to death in {place}.",
        "Vigilantes attacked a family in {place}, accusing them of witchcraft.",
        "A crowd of residents set upon two men in {place} and killed them.",
        "Communal violence erupted in {place} as rival groups attacked each other with machetes.",
        "An angry mob burned a suspected thief alive in {place}.",
    ),
    "Agreement": (
        "The government and {armed} agreed to a ceasefire {day}.",
        "The warring parties signed a peace agreement in the capital.",
        "{state} and {armed} agreed to exchange prisoners.",
        "Both sides agreed a truce to allow aid into {place}.",
        "The rebels signed a deal with the government to end the conflict.",
        "Negotiators reached an agreement on the withdrawal of forces from {place}.",
    ),
    "Arrests": (
        "{state} arrested {num} opposition activists in {place} {day}.",
        "Police detained a prominent journalist in {place}.",
        "An opposition leader was taken into custody in {place} {day}.",
        "{state} rounded up {num} members of the banned party.",
        "Authorities arrested {num} people in {place} on charges of sedition.",
        "{num} party activists were detained in {place} ahead of the vote.",
    ),
    "Change to group/activity": (
        "{state} deployed reinforcements to {place} {day}.",
        "Hundreds of soldiers defected from the army in {place}.",
        "The militia announced it had disbanded and merged with a larger rebel group.",
        "Authorities imposed a curfew in {place} {day}.",
        "A new armed group was formed in {place} to fight the government.",
        "Troops were dispatched to {place} following the unrest.",
        "{armed} recruited hundreds of young men in {place}.",
        "A military convoy moved into {place} {day}.",
    ),
    "Disrupted weapons use": (
        "Bomb disposal experts defused an explosive device found near a school in {place}.",
        "{state} seized a large cache of weapons and ammunition in {place} {day}.",
        "Air defences intercepted a missile fired at {place}.",
        "{state} discovered an arms depot belonging to {armed} in {place}.",
        "Police found and dismantled an IED planted on a road in {place}.",
        "Soldiers shot down a drone over {place} {day}.",
        "Police confiscated rifles and explosives during a raid in {place}.",
        "A suspicious package was intercepted at a post office in {place}.",
    ),
    "Headquarters or base established": (
        "{state} set up a new observation post in {place} {day}.",
        "Foreign troops established a military base near {place}.",
        "{armed} set up a headquarters in {place}.",
        "The army built a new outpost on the hills above {place}.",
        "Troops established a camp on the edge of {place}.",
    ),
    "Looting/property destruction": (
        "{armed} looted shops in {place} {day}.",
        "Attackers burned down houses in {place}.",
        "Dozens of shops were looted and vandalised in {place}.",
        "{armed} set fire to a school and several homes in {place}.",
        "Assailants destroyed crops and ransacked homes in {place} {day}.",
        "A mob torched vehicles and looted a warehouse in {place}.",
    ),
    "Non-violent transfer of territory": (
        "{state} withdrew from {place} {day}, handing it over to {armed} without a fight.",
        "{armed} entered {place} without resistance after troops pulled out.",
        "The army handed over control of {place} to local forces.",
        "Soldiers vacated their positions in {place} and {armed} moved in.",
        "{state} abandoned the base in {place} and {armed} took it over without clashes.",
    ),
    "Other": (
        "A mass grave containing {num} bodies was found in {place}.",
        "Thousands of {civ} fled {place} after the fighting.",
        "The bodies of {num} people were discovered in {place} {day}.",
    ),
    "NONE": (
        # natural disasters
        "An earthquake of magnitude 6.1 struck {place} {day}, killing {num} people.",
        "Floods after torrential rains killed {num} people in {place}.",
        "A landslide buried {num} homes in {place} {day}.",
        "The cyclone destroyed thousands of homes in {place}.",
        "The volcano erupted {day}, forcing residents of {place} to evacuate.",
        "Wildfires burned across {place}, and firefighters battled the blaze.",
        "Drought has left millions of people in {country} short of food.",
        "A storm brought heavy rain and flooding to {place} {day}.",
        # man-made disasters
        "A gas explosion at a factory in {place} killed {num} workers {day}.",
        "{num} people died when a bus crashed into a river in {place}.",
        "A building collapsed in {place}, trapping {num} people.",
        "A fire broke out at a warehouse in {place} {day}.",
        "A train derailed near {place}, injuring {num} passengers.",
        "A boat carrying migrants capsized off the coast, and {num} people drowned.",
        "A chemical spill at a plant near {place} forced residents to evacuate.",
        "{num} people died after drinking contaminated alcohol in {place}.",
        # crime
        "Police seized 200 kilograms of cocaine at the port of {place}.",
        "A man robbed a bank in {place} {day} and fled with cash.",
        "Police arrested {num} members of a drug trafficking gang in {place}.",
        "Customs officers foiled an attempt to smuggle migrants across the border.",
        "A businessman was charged with fraud and money laundering in {place}.",
        "Thieves broke into a jewellery store in {place} {day}.",
        "The cartel boss was extradited to face drug charges.",
        "Police recovered stolen cars and arrested a gang of car thieves in {place}.",
        # diplomacy
        "{official} met his counterpart from {country} {day} to discuss trade.",
        "{country} expelled two diplomats accused of spying.",
        "The United States imposed new sanctions on {country} {day}.",
        "{official} paid an official visit to {country}.",
        "{country} summoned the ambassador over the remarks.",
        "Leaders discussed energy cooperation at a summit in the capital.",
        "{official} condemned the violence and urged restraint.",
        "{country} recalled its envoy after a diplomatic row.",
        # claims and blame
        "{armed} claimed responsibility for the attack in a statement {day}.",
        "The Islamic State group took credit for the bombing.",
        "{country} blamed its neighbour for the attack.",
        "No group has claimed responsibility for the killings.",
        "{official} accused {country} of supporting terrorism.",
        # ordinary news
        "{official} said the economy grew by three percent last year.",
        "The central bank raised interest rates {day}.",
        "Elections will be held in {country} next month, {official} announced.",
        "The hospital received new equipment from donors.",
        "Aid agencies delivered food to families in {place}.",
        "Parliament passed the budget {day} after a long debate.",
        "The football team won the championship {day}.",
        "Schools reopened in {place} after the holidays.",
        "Officials said the investigation is continuing.",
        "Prices of bread and fuel rose sharply in {country} this year.",
        "The minister said more funds will be allocated to health care.",
        "The report was published by a human rights group {day}.",
        "The company opened a new factory in {place}.",
        "It was not immediately clear who was behind the incident.",
        "The United Nations called for humanitarian access.",
        "He is expected to appear in court next week.",
        "The town lies about 50 km north of the capital.",
        "Residents said the situation was calm {day}.",
    ),
}


def written_examples(per_template: int = 4, seed: int = 7) -> list[tuple[str, str]]:
    """(text, label) pairs: each template filled ``per_template`` times with a fixed seed."""
    rng = random.Random(seed)
    examples: list[tuple[str, str]] = []
    for label, templates in TEMPLATES.items():
        for template in templates:
            seen: set[str] = set()
            for _ in range(per_template):
                fills = {slot: rng.choice(values) for slot, values in _SLOTS.items()}
                text = template.format(**fills)
                text = text[0].upper() + text[1:]
                if text not in seen:
                    seen.add(text)
                    examples.append((text, label))
    return examples
