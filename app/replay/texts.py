"""What the people of the replay type into the forms, in the language of the case (Finnish or
Swedish; the ministry's staff answer in it too). Data, not interface: these are the words of
made-up applicants and officials, so they are not in the translation catalogs."""

from __future__ import annotations

# Themes of theme networks: (Finnish, Swedish).
THEMES = (
    ("Kiertotalous ja vähähiilisyys", "Cirkulär ekonomi och koldioxidsnålhet"),
    ("Kestävä matkailu", "Hållbar turism"),
    ("Elinvoimaiset kylät ja palvelut", "Livskraftiga byar och tjänster"),
    ("Osaavan työvoiman saatavuus", "Tillgång till kunnig arbetskraft"),
    ("Ruokaketju ja alkutuotanto", "Livsmedelskedjan och primärproduktionen"),
    ("Kulttuuri ja luovat alat", "Kultur och kreativa branscher"),
    ("Digitaaliset palvelut", "Digitala tjänster"),
    ("Vesistöt ja sininen talous", "Vattendrag och blå ekonomi"),
    ("Monipaikkainen asuminen ja työ", "Flerortsboende och distansarbete"),
    ("Energiamurros", "Energiomställningen"),
    ("Metsäbiotalous", "Skogsbioekonomi"),
    ("Kansainväliset osaajat", "Internationella talanger"),
    ("Nuorten osallisuus", "Ungas delaktighet"),
)
# Themes of the networks of regional cities: education, technology and innovation.
CITY_THEMES = (
    ("Korkeakouluyhteistyö", "Högskolesamarbete"),
    ("Teknologiateollisuuden osaaminen", "Kompetens för teknologiindustrin"),
    ("Innovaatioympäristöt", "Innovationsmiljöer"),
    ("Jatkuva oppiminen", "Kontinuerligt lärande"),
)

PROJECT_NAMES = {
    "theme_network": {"fi": "{theme}: {places}", "sv": "{theme}: {places}"},
    "growth_zone": {"fi": "Kasvuvyöhyke {places}", "sv": "Tillväxtzonen {places}"},
    "regional_cities": {
        "fi": "Aluekaupunkien verkosto – {theme}: {places}",
        "sv": "Regionstädernas nätverk – {theme}: {places}",
    },
}

SUMMARIES = {
    "theme_network": {
        "fi": "Verkosto kehittää teemaa {theme} yhdessä {count} kunnan kanssa: yhteiset "
        "toimintamallit, kokeilut ja tiedon jakaminen vahvistavat alueiden vetovoimaa ja "
        "elinvoimaa.",
        "sv": "Nätverket utvecklar temat {theme} tillsammans med {count} kommuner: gemensamma "
        "verksamhetsmodeller, försök och kunskapsutbyte stärker regionernas attraktionskraft "
        "och livskraft.",
    },
    "growth_zone": {
        "fi": "Vyöhykkeen {count} kuntaa kehittävät yhteistä työssäkäynti- ja markkina-aluetta, "
        "saavutettavuutta ja kestäviä ratkaisuja, jotka houkuttelevat yrityksiä ja investointeja.",
        "sv": "Zonens {count} kommuner utvecklar ett gemensamt pendlings- och marknadsområde, "
        "tillgänglighet och hållbara lösningar som lockar företag och investeringar.",
    },
    "regional_cities": {
        "fi": "Aluekaupungit vahvistavat yhdessä koulutus-, teknologia- ja innovaatiotoimintaansa "
        "teemassa {theme}: yhteiset koulutusohjelmat, yritysyhteistyö ja kokeiluympäristöt.",
        "sv": "Regionstäderna stärker tillsammans sin utbildnings-, teknologi- och "
        "innovationsverksamhet inom temat {theme}: gemensamma utbildningar, företagssamarbete "
        "och testmiljöer.",
    },
}

PLAN = {
    "fi": "Tavoitteet: {summary}\n\nToimenpiteet 2021–2023: verkoston yhteinen ohjausryhmä, "
    "vuosittaiset kehittämissuunnitelmat, kumppaneiden vastuulla olevat työpaketit ja "
    "tulosten levittäminen. Päävastuu: {lead}.",
    "sv": "Mål: {summary}\n\nÅtgärder 2021–2023: en gemensam styrgrupp för nätverket, årliga "
    "utvecklingsplaner, arbetspaket som partnerna ansvarar för och spridning av resultaten. "
    "Huvudansvar: {lead}.",
}

DRAFT_SUMMARY = {
    "fi": "Luonnos: verkoston tavoitteet ja kumppanit tarkentuvat.",
    "sv": "Utkast: nätverkets mål och partner preciseras.",
}

FEEDBACK = {
    "proceed": {
        "fi": "Ideassa on selkeä aluekehittämisen tavoite. Kuvatkaa hakemuksessa kumppaneiden "
        "roolit ja rahoituksen jakautuminen vuosille.",
        "sv": "Idén har ett tydligt regionalt utvecklingsmål. Beskriv i ansökan partnernas "
        "roller och hur finansieringen fördelas på åren.",
    },
    "ineligible": {
        "fi": "Ehdotus ei täytä haun ehtoja: teemaverkostossa on oltava vähintään neljä kuntaa "
        "vähintään kahdesta maakunnasta.",
        "sv": "Förslaget uppfyller inte villkoren: ett temanätverk ska ha minst fyra kommuner "
        "från minst två landskap.",
    },
    "rejected": {
        "fi": "Ehdotus ei sovi AKKE-määrärahan käyttötarkoitukseen: toimenpiteet ovat "
        "ensisijaisesti yksittäisen kunnan investointeja.",
        "sv": "Förslaget passar inte AKKE-anslagets ändamål: åtgärderna är främst investeringar "
        "i en enskild kommun.",
    },
}

SUPPLEMENT_REQUEST = {
    "fi": "Liittäkää kumppaneiden sitoumukset ja tarkennettu rahoitussuunnitelma.",
    "sv": "Bifoga partnernas förbindelser och en preciserad finansieringsplan.",
}
SUPPLEMENT = {
    "fi": "Kumppaneiden sitoumukset ja tarkennettu rahoitussuunnitelma vuosille 2021–2023.",
    "sv": "Partnernas förbindelser och en preciserad finansieringsplan för 2021–2023.",
}

EVALUATION_COMMENTS = {
    "high": "Vahva hanke: selkeä vaikuttavuus ja laaja alueiden välinen yhteistyö.",
    "middle": "Hyvä hanke, mutta toteutussuunnitelma ja kustannusarvio jäävät osin yleisiksi.",
    "low": "Tavoitteet ovat yleisiä ja kumppaneiden roolit epäselviä.",
}
CONFLICT_REASON = "Olen kumppaniorganisaation hallituksen jäsen."

JUSTIFICATIONS = {
    "funded": {
        "fi": "Hanke vastaa hyvin haun tavoitteisiin ja sijoittui vertailussa rahoitettavien "
        "joukkoon (arvio {score}).",
        "sv": "Projektet motsvarar väl utlysningens mål och placerade sig bland dem som "
        "finansieras (bedömning {score}).",
    },
    "refused": {
        "fi": "Hanke ei sijoittunut vertailussa rahoitettavien joukkoon (arvio {score}); "
        "määräraha ei riitä kaikkiin hyviin hankkeisiin.",
        "sv": "Projektet placerade sig inte bland dem som finansieras (bedömning {score}); "
        "anslaget räcker inte till alla goda projekt.",
    },
}
MEMO = (
    "Esitetään rahoitettavaksi {funded} hanketta {applications} hakemuksesta, yhteensä {total}, "
    "josta aluekaupunkien teemaverkostoille {reserve}. Hankkeet on asetettu "
    "järjestykseen arviointiryhmän pisteiden mukaan."
)
PRESENTER = "Erityisasiantuntija Petra Stenfors"
SIGNATORY = "Elinkeinoministeri Mika Lintilä"
