"""The organisations and people of the replay: made up, but as a 2021 call of the ministry would
meet them. Municipalities and regional councils go by their official names (in Swedish where
the organisation works in Swedish); their places are Statistics Finland's (app/reference);
business IDs and people are invented (app/replay/applicants.py).

A regional city (aluekaupunki, regionstad) is one of the cities of the Government's regional
city programme: only they lead the networks funded from the call's reserve for regional cities.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationName:
    name: str
    org_type: str
    municipality: str  # its Finnish name, looked up in the classification of 2021
    language: str = "fi"  # the language it deals with the ministry in
    regional_city: bool = False


def _city(name: str, municipality: str, regional_city: bool = False) -> OrganisationName:
    return OrganisationName(name, "municipality", municipality, "fi", regional_city)


def _stad(name: str, municipality: str, regional_city: bool = False) -> OrganisationName:
    return OrganisationName(name, "municipality", municipality, "sv", regional_city)


ORGANISATIONS: tuple[OrganisationName, ...] = (
    _city("Kuopion kaupunki", "Kuopio"),
    _city("Jyväskylän kaupunki", "Jyväskylä"),
    _city("Oulun kaupunki", "Oulu"),
    _city("Seinäjoen kaupunki", "Seinäjoki"),
    _city("Joensuun kaupunki", "Joensuu"),
    _city("Lappeenrannan kaupunki", "Lappeenranta"),
    _city("Porin kaupunki", "Pori"),
    _city("Lahden kaupunki", "Lahti"),
    _city("Hämeenlinnan kaupunki", "Hämeenlinna"),
    _city("Mikkelin kaupunki", "Mikkeli"),
    _city("Kotkan kaupunki", "Kotka"),
    _city("Rovaniemen kaupunki", "Rovaniemi"),
    _city("Turun kaupunki", "Turku"),
    _city("Kouvolan kaupunki", "Kouvola"),
    _city("Kuusamon kaupunki", "Kuusamo"),
    _city("Sotkamon kunta", "Sotkamo"),
    _city("Lieksan kaupunki", "Lieksa"),
    _city("Kangasalan kaupunki", "Kangasala"),
    _city("Siilinjärven kunta", "Siilinjärvi"),
    _city("Kajaanin kaupunki", "Kajaani", regional_city=True),
    _city("Iisalmen kaupunki", "Iisalmi", regional_city=True),
    _city("Varkauden kaupunki", "Varkaus", regional_city=True),
    _city("Savonlinnan kaupunki", "Savonlinna", regional_city=True),
    _city("Raahen kaupunki", "Raahe", regional_city=True),
    _city("Rauman kaupunki", "Rauma", regional_city=True),
    _city("Salon kaupunki", "Salo", regional_city=True),
    _city("Forssan kaupunki", "Forssa", regional_city=True),
    _city("Imatran kaupunki", "Imatra", regional_city=True),
    _city("Kemin kaupunki", "Kemi", regional_city=True),
    _city("Tornion kaupunki", "Tornio", regional_city=True),
    _city("Ylivieskan kaupunki", "Ylivieska", regional_city=True),
    _city("Kokkolan kaupunki", "Kokkola", regional_city=True),
    _city("Äänekosken kaupunki", "Äänekoski", regional_city=True),
    _city("Heinolan kaupunki", "Heinola", regional_city=True),
    _city("Loimaan kaupunki", "Loimaa", regional_city=True),
    _city("Uudenkaupungin kaupunki", "Uusikaupunki", regional_city=True),
    _stad("Jakobstads stad", "Pietarsaari", regional_city=True),
    _stad("Vasa stad", "Vaasa"),
    _stad("Närpes stad", "Närpiö"),
    _stad("Korsholms kommun", "Mustasaari"),
    _stad("Raseborgs stad", "Raasepori"),
    _stad("Pargas stad", "Parainen"),
    _stad("Kimitoöns kommun", "Kemiönsaari"),
    OrganisationName("Aktion Österbotten rf", "leader_group", "Vöyri", "sv"),
    OrganisationName("Yrkesakademin i Österbotten", "educational_institution", "Vaasa", "sv"),
    OrganisationName("Pohjois-Savon liitto", "joint_municipal_authority", "Kuopio"),
    OrganisationName("Keski-Suomen liitto", "joint_municipal_authority", "Jyväskylä"),
    OrganisationName("Kainuun liitto", "joint_municipal_authority", "Kajaani"),
    OrganisationName("Satakuntaliitto", "joint_municipal_authority", "Pori"),
    OrganisationName("Etelä-Pohjanmaan liitto", "joint_municipal_authority", "Seinäjoki"),
    OrganisationName("Lapin liitto", "joint_municipal_authority", "Rovaniemi"),
    OrganisationName("Pohjois-Karjalan maakuntaliitto", "joint_municipal_authority", "Joensuu"),
    OrganisationName("Kehittämisyhdistys Sepra ry", "leader_group", "Kouvola"),
    OrganisationName("Leader Aisapari ry", "leader_group", "Siilinjärvi"),
    OrganisationName("Pirkan Helmi ry", "leader_group", "Kangasala"),
    OrganisationName("Suupohjan Kehittämisyhdistys ry", "leader_group", "Kauhajoki"),
    OrganisationName("Karhuseutu ry", "leader_group", "Ulvila"),
    OrganisationName("Business Joensuu Oy", "development_organisation", "Joensuu"),
    OrganisationName("Kokkolanseudun Kehitys Oy", "development_organisation", "Kokkola"),
    OrganisationName("Posintra Oy", "development_organisation", "Porvoo"),
    OrganisationName("Seinäjoen ammattikorkeakoulu Oy", "educational_institution", "Seinäjoki"),
    OrganisationName("Lapin ammattikorkeakoulu Oy", "educational_institution", "Rovaniemi"),
    OrganisationName("Savonia-ammattikorkeakoulu Oy", "educational_institution", "Kuopio"),
    OrganisationName("Suomen Kylät ry", "organisation", "Helsinki"),
    OrganisationName("Pohjois-Pohjanmaan Kylät ry", "organisation", "Oulu"),
)

FIRST_NAMES = {
    "fi": (
        "Anna", "Mikko", "Sanna", "Juha", "Riikka", "Timo", "Laura", "Jukka", "Heidi", "Pekka",
        "Katja", "Antti", "Minna", "Ville", "Tiina", "Markku", "Elina", "Janne", "Outi", "Sami",
    ),
    "sv": (
        "Anders", "Johanna", "Mikael", "Linnea", "Fredrik", "Sofia", "Henrik", "Emma", "Jonas",
        "Maria",
    ),
}  # fmt: skip
LAST_NAMES = {
    "fi": (
        "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Niemi", "Heinonen",
        "Kinnunen", "Salonen", "Turunen", "Räsänen",
    ),
    "sv": (
        "Lindholm", "Nyström", "Holmberg", "Sjöberg", "Björklund", "Enlund", "Westerlund",
        "Forsman", "Granholm", "Backman",
    ),
}  # fmt: skip
