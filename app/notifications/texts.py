"""The texts of the emails, in the three languages a case can have (Language Act)."""

from __future__ import annotations

SUBJECTS: dict[str, dict[str, str]] = {
    "receipt": {
        "fi": "Vastaanottokuittaus {registry_number}",
        "sv": "Mottagningskvitto {registry_number}",
        "en": "Receipt {registry_number}",
    },
    "webinar_invitation": {
        "fi": "Kutsu webinaariin {webinar_date}",
        "sv": "Inbjudan till webbinariet {webinar_date}",
        "en": "Invitation to the webinar {webinar_date}",
    },
    "supplement_requested": {
        "fi": "Hakemuksen täydennyspyyntö",
        "sv": "Begäran om komplettering av ansökan",
        "en": "Request to supplement the application",
    },
    "decision_letter": {
        "fi": "Päätös rahoitushakemukseen",
        "sv": "Beslut om finansieringsansökan",
        "en": "Decision on the funding application",
    },
    "closed_late": {
        "fi": "Asia suljettu: määräaika päättyi",
        "sv": "Ärendet avslutat: tidsfristen gick ut",
        "en": "Case closed: the deadline passed",
    },
    "not_eligible": {
        "fi": "Ideaehdotuksen käsittely",
        "sv": "Behandling av idéförslaget",
        "en": "Screening of the idea proposal",
    },
    "deadline_reminder": {
        "fi": "Muistutus: luonnos on lähettämättä, määräaika {deadline}",
        "sv": "Påminnelse: utkastet är inte skickat, tidsfristen går ut {deadline}",
        "en": "Reminder: your draft is not sent, the deadline is {deadline}",
    },
}

BODIES: dict[str, dict[str, str]] = {
    "receipt": {
        "fi": "Asiakirjanne ({document_kind}) on vastaanotettu {received_at}.\n"
        "Diaarinumero: {case_number}\nAsiakirjan numero: {registry_number}\n"
        "Hanke: {project_name}\nHaku: {call_title}\n",
        "sv": "Ert dokument ({document_kind}) har tagits emot {received_at}.\n"
        "Diarienummer: {case_number}\nHandlingens nummer: {registry_number}\n"
        "Projekt: {project_name}\nAnsökan: {call_title}\n",
        "en": "Your document ({document_kind}) was received on {received_at}.\n"
        "Case number: {case_number}\nDocument number: {registry_number}\n"
        "Project: {project_name}\nCall: {call_title}\n",
    },
    "webinar_invitation": {
        "fi": "Tervetuloa hakijoiden webinaariin {webinar_time}, {webinar_location}.\n"
        "Kalenterikutsu on liitteenä.\n",
        "sv": "Välkommen till webbinariet för sökande {webinar_time}, {webinar_location}.\n"
        "Kalenderinbjudan finns som bilaga.\n",
        "en": "You are invited to the applicants' webinar on {webinar_time}, {webinar_location}.\n"
        "The calendar invitation is attached.\n",
    },
    "supplement_requested": {
        "fi": "Pyydämme täydentämään hakemusta {supplement_due} mennessä:\n{supplement_request}\n",
        "sv": "Vi ber er komplettera ansökan senast {supplement_due}:\n{supplement_request}\n",
        "en": "Please supplement your application by {supplement_due}:\n{supplement_request}\n",
    },
    "decision_letter": {
        "fi": "Hanke: {project_name} ({case_number})\n"
        "Päätös: {decision_text}\n"
        "Myönnetty määrä: {amount}\n"
        "Perustelut: {justification}\n\n"
        "Päätös {decision_number} on liitteenä PDF-asiakirjana. Siinä ovat avustuksen ehdot ja "
        "raportointivelvoitteet sekä oikaisuvaatimusohje: päätökseen tyytymätön voi vaatia "
        "oikaisua 30 päivän kuluessa päätöksen tiedoksisaannista (valtionavustuslaki 34 §, "
        "hallintolaki 49 c §).\n",
        "sv": "Projekt: {project_name} ({case_number})\n"
        "Beslut: {decision_text}\n"
        "Beviljat belopp: {amount}\n"
        "Motivering: {justification}\n\n"
        "Beslutet {decision_number} finns som bilaga i PDF-format. Där finns villkoren för "
        "understödet, rapporteringsskyldigheterna och anvisningen om begäran om omprövning: den "
        "som är missnöjd med beslutet kan begära omprövning inom 30 dagar från delfåendet "
        "(statsunderstödslagen 34 §, förvaltningslagen 49 c §).\n",
        "en": "Project: {project_name} ({case_number})\n"
        "Decision: {decision_text}\n"
        "Amount granted: {amount}\n"
        "Justification: {justification}\n\n"
        "The decision {decision_number} is attached as a PDF document, with the conditions of "
        "the grant, the reporting duties and how to request reconsideration: an applicant not "
        "satisfied with the decision may request its reconsideration within 30 days of being "
        "notified (Act on Discretionary Government Transfers, section 34; Administrative "
        "Procedure Act, section 49 c).\n",
    },
    "closed_late": {
        "fi": "Määräaika {deadline} päättyi ennen kuin asiakirja lähetettiin. "
        "Luonnos ei ole hakemus.\n",
        "sv": "Tidsfristen {deadline} gick ut innan dokumentet skickades. "
        "Ett utkast är ingen ansökan.\n",
        "en": "The deadline {deadline} passed before the document was sent. A draft is not an "
        "application.\n",
    },
    "deadline_reminder": {
        "fi": "Asiakirjanne ({document_kind}) on tallennettu luonnoksena, mutta sitä ei ole "
        "lähetetty.\nMääräaika on {deadline}.\n"
        "Luonnos ei ole hakemus: vain Lähetä-painikkeella lähetetty asiakirja otetaan "
        "huomioon.\nHanke: {project_name}\nHaku: {call_title}\n",
        "sv": "Ert dokument ({document_kind}) har sparats som utkast men har inte skickats.\n"
        "Tidsfristen går ut {deadline}.\n"
        "Ett utkast är ingen ansökan: endast ett dokument som skickats med knappen Skicka "
        "beaktas.\nProjekt: {project_name}\nAnsökan: {call_title}\n",
        "en": "Your document ({document_kind}) is saved as a draft but has not been sent.\n"
        "The deadline is {deadline}.\n"
        "A draft is not an application: only a document sent with the Send button counts.\n"
        "Project: {project_name}\nCall: {call_title}\n",
    },
    "not_eligible": {
        "fi": "Ideaehdotusta ei kutsuta varsinaiseen hakuun.\nPalaute: {feedback}\n",
        "sv": "Idéförslaget bjuds inte in till den egentliga ansökan.\nRespons: {feedback}\n",
        "en": "The idea proposal is not invited to the actual application.\nFeedback: {feedback}\n",
    },
}

# The documents of the registry, named in receipts (the interface names them from its catalogs).
DOCUMENT_KINDS: dict[str, dict[str, str]] = {
    "idea_proposal": {"fi": "ideaehdotus", "sv": "idéförslag", "en": "idea proposal"},
    "application": {"fi": "hakemus", "sv": "ansökan", "en": "application"},
    "supplement": {"fi": "täydennys", "sv": "komplettering", "en": "supplement"},
}

DECISION_TEXTS = {
    True: {"fi": "Rahoitus myönnetään", "sv": "Finansiering beviljas", "en": "Funding granted"},
    False: {"fi": "Rahoitusta ei myönnetä", "sv": "Finansiering beviljas inte", "en": "Not funded"},
}
