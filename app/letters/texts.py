"""The words of a decision letter in the case's language (Language Act: Finnish or Swedish;
English for a case opened in English). Placeholders are filled by app/letters/decision.py."""

from __future__ import annotations

# Headings and fixed phrases, by key and language.
WORDS: dict[str, dict[str, str]] = {
    "document": {"fi": "PÄÄTÖS", "sv": "BESLUT", "en": "DECISION"},
    "date": {"fi": "Päivämäärä", "sv": "Datum", "en": "Date"},
    "number": {"fi": "Dnro", "sv": "Dnr", "en": "Ref."},
    "document_number": {"fi": "Asiakirja", "sv": "Handling", "en": "Document"},
    "recipient": {"fi": "Vastaanottaja", "sv": "Mottagare", "en": "Recipient"},
    "business_id": {"fi": "Y-tunnus", "sv": "FO-nummer", "en": "Business ID"},
    "matter": {"fi": "Asia", "sv": "Ärende", "en": "Matter"},
    "matter_text": {
        "fi": "Valtionavustus: {call_title}",
        "sv": "Statsunderstöd: {call_title}",
        "en": "Discretionary government grant: {call_title}",
    },
    "application": {"fi": "Hakemus", "sv": "Ansökan", "en": "Application"},
    "application_text": {
        "fi": "{project_name}, saapunut {received}, dnro {case_number}",
        "sv": "{project_name}, inkommen {received}, dnr {case_number}",
        "en": "{project_name}, received {received}, ref. {case_number}",
    },
    "decision": {"fi": "Päätös", "sv": "Beslut", "en": "Decision"},
    "granted_ministry": {
        "fi": "{authority} myöntää hakijalle valtionavustusta enintään {amount} hankkeeseen "
        "{project_name}.",
        "sv": "{authority} beviljar sökanden statsunderstöd på högst {amount} för projektet "
        "{project_name}.",
        "en": "The {authority} grants the applicant a discretionary government grant of at most "
        "{amount} for the project {project_name}.",
    },
    "granted_plenary": {
        "fi": "Valtioneuvosto on yleisistunnossaan {decision_date} päättänyt myöntää hakijalle "
        "valtionavustusta enintään {amount} hankkeeseen {project_name}.",
        "sv": "Statsrådet har vid sitt allmänna sammanträde {decision_date} beslutat bevilja "
        "sökanden statsunderstöd på högst {amount} för projektet {project_name}.",
        "en": "At its plenary session on {decision_date} the Government decided to grant the "
        "applicant a discretionary government grant of at most {amount} for the project "
        "{project_name}.",
    },
    "refused_ministry": {
        "fi": "{authority} ei myönnä valtionavustusta hankkeeseen {project_name}.",
        "sv": "{authority} beviljar inte statsunderstöd för projektet {project_name}.",
        "en": "The {authority} does not grant a government grant for the project {project_name}.",
    },
    "refused_plenary": {
        "fi": "Valtioneuvosto on yleisistunnossaan {decision_date} päättänyt olla myöntämättä "
        "valtionavustusta hankkeeseen {project_name}.",
        "sv": "Statsrådet har vid sitt allmänna sammanträde {decision_date} beslutat att inte "
        "bevilja statsunderstöd för projektet {project_name}.",
        "en": "At its plenary session on {decision_date} the Government decided not to grant a "
        "government grant for the project {project_name}.",
    },
    "purpose": {"fi": "Avustuksen käyttötarkoitus", "sv": "Ändamål", "en": "Purpose"},
    "purpose_text": {
        "fi": "Avustus myönnetään hakemuksen mukaisen hankkeen toteuttamiseen haun "
        "{call_title} tarkoituksiin.",
        "sv": "Understödet beviljas för att genomföra projektet enligt ansökan, för ändamålen i "
        "ansökningsomgången {call_title}.",
        "en": "The grant is for carrying out the project as applied for, for the purposes of "
        "the call {call_title}.",
    },
    "costs": {
        "fi": "Hyväksyttävät kustannukset ja avustuksen osuus",
        "sv": "Godtagbara kostnader och understödets andel",
        "en": "Eligible costs and the share of the grant",
    },
    "costs_text": {
        "fi": "Hankkeen hyväksyttävät kokonaiskustannukset ovat hakemuksen talousarvion mukaan "
        "{total_costs}. Avustus on enintään {share} hyväksyttävistä kustannuksista; loppuosa "
        "katetaan osallistujien omalla rahoituksella ({cofunding}). Avustus maksetaan "
        "toteutuneiden hyväksyttävien kustannusten perusteella.",
        "sv": "Projektets godtagbara totala kostnader är enligt ansökans budget {total_costs}. "
        "Understödet utgör högst {share} av de godtagbara kostnaderna; resten täcks med "
        "deltagarnas egen finansiering ({cofunding}). Understödet betalas ut på basis av "
        "faktiska godtagbara kostnader.",
        "en": "The eligible total costs of the project are {total_costs} by the budget of the "
        "application. The grant is at most {share} of the eligible costs; the participants' own "
        "funding covers the rest ({cofunding}). The grant is paid on the basis of the eligible "
        "costs incurred.",
    },
    "period": {"fi": "Hankeaika", "sv": "Projekttid", "en": "Period"},
    "period_text": {
        "fi": "Avustus on käytettävä kustannuksiin, jotka syntyvät {period}.",
        "sv": "Understödet ska användas för kostnader som uppkommer {period}.",
        "en": "The grant is for costs incurred {period}.",
    },
    "conditions": {
        "fi": "Ehdot ja raportointi",
        "sv": "Villkor och rapportering",
        "en": "Conditions and reporting",
    },
    "conditions_items": {
        "fi": "Avustusta saa käyttää vain päätöksessä mainittuun tarkoitukseen "
        "(valtionavustuslaki 688/2001, 14 §).\n"
        "Loppuraportti ja selvitys avustuksen käytöstä on toimitettava viimeistään "
        "{reporting_deadline}.\n"
        "Muutoksista hankkeeseen on ilmoitettava viipymättä ministeriölle.\n"
        "Ministeriöllä on oikeus tarkastaa avustuksen käyttö (valtionavustuslaki 15–16 §).\n"
        "Käyttämätön, väärin perustein saatu tai ehtojen vastaisesti käytetty avustus on "
        "palautettava (valtionavustuslaki 20–22 §).",
        "sv": "Understödet får användas endast för det ändamål som anges i beslutet "
        "(statsunderstödslagen 688/2001, 14 §).\n"
        "Slutrapporten och utredningen om användningen av understödet ska lämnas senast "
        "{reporting_deadline}.\n"
        "Ändringar i projektet ska utan dröjsmål meddelas ministeriet.\n"
        "Ministeriet har rätt att granska användningen av understödet "
        "(statsunderstödslagen 15–16 §).\n"
        "Understöd som inte används, som erhållits på felaktiga grunder eller som använts i "
        "strid med villkoren ska återbetalas (statsunderstödslagen 20–22 §).",
        "en": "The grant may be used only for the purpose stated in this decision "
        "(Act on Discretionary Government Transfers 688/2001, section 14).\n"
        "The final report and an account of the use of the grant are due by "
        "{reporting_deadline}.\n"
        "Changes to the project must be reported to the ministry without delay.\n"
        "The ministry may inspect the use of the grant (sections 15–16).\n"
        "A grant not used, received on wrong grounds or used against its conditions must be "
        "returned (sections 20–22).",
    },
    "justification": {"fi": "Perustelut", "sv": "Motivering", "en": "Justification"},
    "laws": {"fi": "Sovelletut säännökset", "sv": "Tillämpade bestämmelser", "en": "Legislation"},
    "laws_text": {
        "fi": "Valtionavustuslaki (688/2001); hallintolaki (434/2003).",
        "sv": "Statsunderstödslagen (688/2001); förvaltningslagen (434/2003).",
        "en": "Act on Discretionary Government Transfers (688/2001); Administrative Procedure "
        "Act (434/2003).",
    },
    "redress": {"fi": "Muutoksenhaku", "sv": "Ändringssökande", "en": "Request for review"},
    "redress_text": {
        "fi": "Päätökseen tyytymätön voi vaatia siihen oikaisua 30 päivän kuluessa päätöksen "
        "tiedoksisaannista. Oikaisuvaatimusohje on liitteenä.",
        "sv": "Den som är missnöjd med beslutet kan begära omprövning inom 30 dagar från "
        "delfåendet av beslutet. Anvisningen om begäran om omprövning finns som bilaga.",
        "en": "An applicant not satisfied with the decision may request its reconsideration "
        "within 30 days of being notified of it. The instructions are appended.",
    },
    "contacts": {"fi": "Lisätietoja", "sv": "Mer information", "en": "Further information"},
    "deciding_body": {"fi": "Päättäjä", "sv": "Beslutsfattare", "en": "Decided by"},
    "ministry": {"fi": "{authority}", "sv": "{authority}", "en": "{authority}"},
    "government_plenary": {
        "fi": "Valtioneuvoston yleisistunto",
        "sv": "Statsrådets allmänna sammanträde",
        "en": "The Government in plenary session",
    },
    "signatory": {"fi": "Allekirjoittaja", "sv": "Undertecknad av", "en": "Signed by"},
    "presenter": {"fi": "Esittelijä", "sv": "Föredragande", "en": "Presented by"},
    "approved_electronically": {
        "fi": "Päätös on hyväksytty sähköisesti {decision_date}.",
        "sv": "Beslutet har godkänts elektroniskt {decision_date}.",
        "en": "The decision was approved electronically on {decision_date}.",
    },
    "appendix": {"fi": "Liite", "sv": "Bilaga", "en": "Appendix"},
    "appendix_title": {
        "fi": "Oikaisuvaatimusohje",
        "sv": "Anvisning om begäran om omprövning",
        "en": "How to request reconsideration",
    },
    "page": {"fi": "Sivu", "sv": "Sida", "en": "Page"},
}

# The appendix: (heading, paragraph) pairs; the Administrative Procedure Act, chapter 7 a, as
# the Act on Discretionary Government Transfers (688/2001), section 34, refers to it.
RECONSIDERATION: dict[str, list[tuple[str, str]]] = {
    "fi": [
        (
            "Oikeus vaatia oikaisua",
            "Päätökseen tyytymätön voi vaatia siihen oikaisua. Valtionavustuslain (688/2001) "
            "34 §:n mukaan päätökseen haetaan oikaisua siten kuin hallintolaissa (434/2003) "
            "säädetään. Päätökseen ei saa hakea muutosta valittamalla tuomioistuimeen.",
        ),
        (
            "Oikaisuvaatimusaika",
            "Oikaisuvaatimus on tehtävä 30 päivän kuluessa päätöksen tiedoksisaannista "
            "(hallintolaki 49 c §). Tiedoksisaantipäivää ei lueta määräaikaan. Sähköisenä "
            "viestinä lähetetyn päätöksen katsotaan tulleen tiedoksi kolmantena päivänä viestin "
            "lähettämisestä, jollei muuta näytetä (hallintolaki 59 §). Jos määräajan viimeinen "
            "päivä on pyhäpäivä, itsenäisyyspäivä, vapunpäivä, joulu- tai juhannusaatto tai "
            "arkilauantai, oikaisuvaatimuksen saa tehdä ensimmäisenä arkipäivänä sen jälkeen.",
        ),
        (
            "Oikaisuvaatimuksen sisältö",
            "Oikaisuvaatimuksessa on ilmoitettava vaatimuksen tekijän nimi ja yhteystiedot, "
            "päätös, johon oikaisua vaaditaan (diaarinumero {decision_number}), miltä osin "
            "päätökseen vaaditaan oikaisua ja mitä oikaisua siihen vaaditaan sekä millä "
            "perusteella oikaisua vaaditaan.",
        ),
        (
            "Oikaisuvaatimuksen toimittaminen",
            "Oikaisuvaatimus osoitetaan päätöksen tehneelle viranomaiselle ({authority}) ja "
            "toimitetaan sen kirjaamoon: {registry_office}. Oikaisuvaatimuksen on oltava perillä "
            "viimeistään määräajan viimeisenä päivänä ennen kirjaamon aukioloajan päättymistä. "
            "Oikaisuvaatimus on maksuton.",
        ),
    ],
    "sv": [
        (
            "Rätt att begära omprövning",
            "Den som är missnöjd med beslutet kan begära omprövning av det. Enligt 34 § i "
            "statsunderstödslagen (688/2001) söks omprövning så som föreskrivs i "
            "förvaltningslagen (434/2003). Ändring i beslutet får inte sökas genom besvär hos "
            "domstol.",
        ),
        (
            "Tid för begäran om omprövning",
            "Omprövning ska begäras inom 30 dagar från delfåendet av beslutet "
            "(förvaltningslagen 49 c §). Delfåendedagen räknas inte in i tidsfristen. Ett beslut "
            "som skickats som elektroniskt meddelande anses ha delgetts den tredje dagen efter "
            "att meddelandet sändes, om inte något annat visas (förvaltningslagen 59 §). Om den "
            "sista dagen av tidsfristen är en helgdag, självständighetsdagen, första maj, "
            "julafton, midsommarafton eller en helgfri lördag, får omprövning begäras den "
            "första vardagen därefter.",
        ),
        (
            "Innehållet i begäran om omprövning",
            "I begäran ska anges namnet på den som begär omprövning och hans eller hennes "
            "kontaktuppgifter, det beslut som omprövningen gäller (diarienummer "
            "{decision_number}), vilken ändring som begärs och på vilka grunder.",
        ),
        (
            "Hur begäran lämnas in",
            "Begäran om omprövning riktas till den myndighet som fattade beslutet ({authority}) "
            "och lämnas till dess registratorskontor: {registry_office}. Begäran ska ha kommit "
            "fram senast den sista dagen av tidsfristen innan registratorskontoret stänger. "
            "Begäran om omprövning är avgiftsfri.",
        ),
    ],
    "en": [
        (
            "The right to request reconsideration",
            "An applicant not satisfied with the decision may request its reconsideration. By "
            "section 34 of the Act on Discretionary Government Transfers (688/2001), "
            "reconsideration is requested as the Administrative Procedure Act (434/2003) "
            "provides. The decision cannot be appealed to a court directly.",
        ),
        (
            "Time limit",
            "The request must be made within 30 days of being notified of the decision "
            "(Administrative Procedure Act, section 49 c). The day of notification is not "
            "counted. A decision sent as an electronic message is deemed received on the third "
            "day after it was sent, unless shown otherwise (section 59). If the last day is a "
            "public holiday, Independence Day, May Day, Christmas Eve, Midsummer Eve or a "
            "Saturday, the request may be made on the next working day.",
        ),
        (
            "What the request says",
            "The name and contact details of the person requesting, the decision concerned "
            "(reference {decision_number}), the change requested and the grounds for it.",
        ),
        (
            "Where to send it",
            "The request is addressed to the authority that made the decision ({authority}) and "
            "sent to its registry office: {registry_office}. It must arrive by the end of the "
            "registry's office hours on the last day. Requesting reconsideration is free of "
            "charge.",
        ),
    ],
}
