//! What a letter says: plain input types the web crate fills from its case data.
//!
//! The letter's kind is the variant of [`Content`], so a decision cannot lack its appeal
//! information and an interim answer cannot lack its expected date. What the types cannot say
//! (non-empty texts, dates in the right order, the right appeal body) [`Letter::validate`] checks.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::LetterError;

/// The letter's language. Nynorsk and bokmål are equal written forms of Norwegian; the applicant
/// chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Bokmål.
    Nb,
    /// Nynorsk.
    Nn,
    /// English.
    En,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Nb, Language::Nn, Language::En];

    /// The BCP 47 code, used for `lang` in HTML and `/Lang` in the PDF.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nb => "nb",
            Language::Nn => "nn",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code() == code)
    }
}

/// What the application was for; decides the titles, the legal frame and the appeal route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// Søknad om kommunal bolig, decided under the municipality's own allocation rules; appeals
    /// go to the municipality's appeal body (klagenemnd).
    MunicipalHousing,
    /// Individually tailored assistance to obtain or keep a suitable dwelling (boligsosialloven
    /// § 6, decided as an enkeltvedtak under § 7); appeals go to Statsforvalteren, sent via the
    /// municipality.
    Section6Assistance,
    /// Søknad om startlån: Husbanken's start loan, lent by the municipality (forskrift om lån fra
    /// Husbanken, the startlån chapter); appeals go to the municipality's appeal body
    /// (forvaltningsloven § 28 andre ledd), sent via the unit that decided.
    Startlan,
    /// Søknad om tilskudd til etablering i egen bolig; appeals go to the municipality's appeal
    /// body (forvaltningsloven § 28 andre ledd), sent via the unit that decided.
    EstablishmentGrant,
    /// Søknad om tilskudd til tilpasning av bolig; appeals go to the municipality's appeal body
    /// (forvaltningsloven § 28 andre ledd), sent via the unit that decided.
    AdaptationGrant,
    /// Whether a fixed-term contract for a municipal dwelling is renewed; appeals go to the
    /// municipality's appeal body, as for the dwelling itself.
    TenancyRenewal,
}

impl CaseType {
    pub const ALL: [CaseType; 6] = [
        CaseType::MunicipalHousing,
        CaseType::Section6Assistance,
        CaseType::Startlan,
        CaseType::EstablishmentGrant,
        CaseType::AdaptationGrant,
        CaseType::TenancyRenewal,
    ];
}

/// The kinds of letter; [`Content`] carries each kind's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// An enkeltvedtak (forvaltningsloven §§ 23–27).
    Decision,
    /// Foreløpig svar when a case takes more than a month (forvaltningsloven § 11 a).
    InterimAnswer,
    /// A request for information or documents the case needs (forvaltningsloven § 17).
    RequestForInformation,
    /// An offer of a municipal rental dwelling to a household on the waiting list (tilbud om
    /// kommunal utleiebolig). Not an enkeltvedtak: it carries no appeal clause. Taking a
    /// household off the waiting list after declines is a decision of its own, with its own letter.
    Offer,
}

impl LetterKind {
    pub const ALL: [LetterKind; 4] = [
        LetterKind::Decision,
        LetterKind::InterimAnswer,
        LetterKind::RequestForInformation,
        LetterKind::Offer,
    ];

    /// The kind's name as stored with a letter (`decision`, `interim_answer`,
    /// `request_for_information`, `offer`).
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Decision => "decision",
            LetterKind::InterimAnswer => "interim_answer",
            LetterKind::RequestForInformation => "request_for_information",
            LetterKind::Offer => "offer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    Refused,
    PartlyGranted,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Granted, Outcome::Refused, Outcome::PartlyGranted];
}

/// One letter. Every text is the caseworker's or the case's, in the letter's language; the
/// fixed wording comes from the [`Templates`](crate::Templates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub language: Language,
    pub case_type: CaseType,
    /// The case reference (saksnummer), e.g. `2026/1234`.
    pub reference: String,
    /// The letter's date. Also the PDF's creation date, so that output depends on input alone.
    pub date: Date,
    /// When the application was received, if the letter should say so.
    pub application_received: Option<Date>,
    pub municipality: Sender,
    /// Who the letter is addressed to: the party, or the party's representative.
    pub recipient: Recipient,
    /// Set when the recipient is the party's representative, not the party.
    #[serde(default)]
    pub representation: Option<Representation>,
    pub contact: ContactPerson,
    pub content: Content,
}

/// The letter goes to the party's representative (forvaltningsloven § 12 third paragraph: the
/// agency writes to the fullmektig; a verge acts for the person within the mandate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representation {
    pub role: RepresentativeRole,
    /// The party the letter is about, as the letter names them.
    pub party_name: String,
    /// Whether the party gets a copy of the letter.
    pub copy_to_party: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepresentativeRole {
    Fullmektig,
    Verge,
}

/// The municipality and unit that send the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Kommunenummer (four digits); selects the municipality's template overrides.
    pub municipality_number: String,
    /// "Drammen kommune".
    pub name: String,
    /// The unit that made the decision, e.g. "Boligtjenesten".
    pub unit: String,
    /// Postal address lines, e.g. `["Postboks 7500", "3008 Drammen"]`.
    pub postal_address: Vec<String>,
    pub phone: String,
    pub email: String,
    pub web: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    pub address_lines: Vec<String>,
}

/// The caseworker the applicant can ask; also signs the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPerson {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The kind of letter with the data only that kind has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Content {
    Decision(Decision),
    InterimAnswer(InterimAnswer),
    RequestForInformation(InformationRequest),
    Offer(Offer),
}

impl Content {
    pub fn kind(&self) -> LetterKind {
        match self {
            Content::Decision(_) => LetterKind::Decision,
            Content::InterimAnswer(_) => LetterKind::InterimAnswer,
            Content::RequestForInformation(_) => LetterKind::RequestForInformation,
            Content::Offer(_) => LetterKind::Offer,
        }
    }
}

/// An enkeltvedtak with its reasons (forvaltningsloven §§ 24 and 25) and the information about
/// the right to appeal (§ 27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// The rules the decision is made under, e.g. "boligsosialloven § 6" or "Retningslinjer for
    /// tildeling av kommunale boliger i Drammen kommune, vedtatt 04.02.2020, punkt 1.2".
    pub legal_basis: Vec<String>,
    /// The facts the decision builds on.
    pub facts: Vec<String>,
    /// Each condition assessed: the rule, the facts that matter for it, the result.
    pub rules: Vec<RuleLine>,
    /// The caseworker's assessment (skjønn): the main considerations. One paragraph per line.
    pub reasons: String,
    /// What is granted, e.g. "plass på ventelisten for kommunal bolig med to soverom". Required
    /// unless the application is refused: boligsosialloven § 7 asks for the main content of the
    /// assistance in the decision itself.
    pub granted_text: Option<String>,
    /// The conditions attached to what is granted, one per entry, e.g. "Lånet sikres med pant med
    /// prioritet etter banklånet". Shown as a list right after what is granted; must be empty for a
    /// refusal.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// The last day the decision applies, if it is time-limited.
    pub valid_until: Option<Date>,
    pub appeal: Appeal,
    /// What the assessment of the household's needs under boligsosialloven § 6 found, for a
    /// refused or partly granted application for a municipal dwelling.
    #[serde(default)]
    pub section6: Option<Section6Finding>,
    /// A new decision on § 6 help already granted: a refusal ends the help, a partial grant
    /// changes it, and the letter says so instead of answering an application.
    #[serde(default)]
    pub replaces_granted: bool,
    /// A renewal review's decision: the new period, or the end and what happens next.
    #[serde(default)]
    pub renewal: Option<Renewal>,
}

/// What a renewal decision does to the contract, as the letter says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Renewal {
    /// The contract for `address` runs on from `from` to `until`.
    Renewed { address: String, from: Date, until: Date },
    /// The contract for `address` ends with its term on `term_end`; the plan says what the
    /// municipality will do, and a startlån referral says the household may buy a home.
    NotRenewed {
        address: String,
        term_end: Date,
        transition_plan: String,
        startlan_referral: bool,
    },
}

/// What the municipality found when it assessed whether a household refused a dwelling needs
/// individually adapted assistance (boligsosialloven § 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section6Finding {
    CaseOpened,
    NoNeed,
    AlreadyReceiving,
    Declined,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleLine {
    /// The condition, e.g. "Du må ha vært folkeregistrert i Drammen de siste tre årene".
    pub rule: String,
    /// The facts that decide it, e.g. "Du har vært folkeregistrert i Drammen siden 2019".
    pub facts: String,
    /// The result, e.g. "Vilkåret er oppfylt".
    pub result_text: String,
}

/// Where and by when the applicant can appeal (forvaltningsloven §§ 28, 29 and 32).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    /// The appeal deadline in weeks from the day the letter reached the recipient; the law says
    /// three, and a deadline may not be shorter.
    pub deadline_weeks: u8,
    /// Who decides the appeal: the municipal appeal body ("Klagenemnda i Drammen kommune"; for
    /// municipal housing, startlån and the housing grants) or, for a § 6 decision,
    /// "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus".
    pub appeal_body: String,
    /// Where to send the appeal: the unit that made the decision, e.g. "Boligtjenesten, Drammen
    /// kommune, Postboks 7500, 3008 Drammen".
    pub send_to: String,
}

/// Foreløpig svar (forvaltningsloven § 11 a): why the case is not decided and when it will be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterimAnswer {
    /// Why the case is not decided yet. One paragraph per line.
    pub reason: String,
    /// When the applicant can expect an answer.
    pub expected_by: Date,
}

/// What the case needs from the applicant, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InformationRequest {
    pub items: Vec<String>,
    pub deadline: Date,
    /// The party applied online and can answer on the application's status page.
    #[serde(default)]
    pub reply_online: bool,
}

/// An offer of a municipal rental dwelling: the dwelling, the rent, when the household must
/// answer and how, and what declining means under the municipality's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub dwelling: OfferedDwelling,
    /// The monthly rent in øre; the letter shows kroner.
    pub monthly_rent_ore: i64,
    /// The first day the household can move in, if the municipality knows it; not before the
    /// letter's date. Without it the letter says the day is agreed after an acceptance.
    pub available_from: Option<Date>,
    /// The last day to answer (the offer's answer date); not before the letter's date.
    pub answer_by: Date,
    /// The party applied online and can answer on the application's status page.
    #[serde(default)]
    pub answer_online: bool,
    pub decline_rules: DeclineRules,
}

/// The dwelling offered, as the municipality's register describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedDwelling {
    /// The address, e.g. `["Tollbugata 7, leilighet H0203", "3044 Drammen"]`.
    pub address_lines: Vec<String>,
    pub dwelling_type: DwellingType,
    /// Bedrooms; 0 is a one-room flat.
    pub bedrooms: u8,
    /// Floor area in square metres, if known.
    pub area_m2: Option<u32>,
    /// The floor as numbered in Norway (1 is the ground floor), if known.
    pub floor: Option<i32>,
    /// Whether the building has a lift, if known.
    pub lift: Option<bool>,
    /// Whether the dwelling can be used from a wheelchair, if known.
    pub wheelchair_accessible: Option<bool>,
}

/// The kinds of municipal dwelling a letter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DwellingType {
    OrdinaryRental,
    CareDwelling,
    YouthDwelling,
    SharedHousingUnit,
    Temporary,
    Emergency,
}

impl DwellingType {
    pub const ALL: [DwellingType; 6] = [
        DwellingType::OrdinaryRental,
        DwellingType::CareDwelling,
        DwellingType::YouthDwelling,
        DwellingType::SharedHousingUnit,
        DwellingType::Temporary,
        DwellingType::Emergency,
    ];
}

/// The municipality's rule for declining an offer (its priority policy's `[offers]` section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclineRules {
    /// The grounds on which a decline does not count against the household, in the order the
    /// letter lists them; each at most once.
    pub reasonable_grounds: Vec<DeclineGround>,
    /// How many declines without a reasonable ground the household may make before the
    /// municipality may take it off the waiting list.
    pub unreasonable_declines_allowed: u32,
    /// Whether letting the answer date pass counts as a decline without a reasonable ground.
    pub expiry_counts_as_decline: bool,
}

/// A ground for declining an offer, as the municipality's rule names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineGround {
    HealthOrAccessibility,
    Safety,
    SchoolOrWork,
    Rent,
    Size,
    Location,
    Standard,
    FoundOtherHousing,
    Other,
}

impl DeclineGround {
    pub const ALL: [DeclineGround; 9] = [
        DeclineGround::HealthOrAccessibility,
        DeclineGround::Safety,
        DeclineGround::SchoolOrWork,
        DeclineGround::Rent,
        DeclineGround::Size,
        DeclineGround::Location,
        DeclineGround::Standard,
        DeclineGround::FoundOtherHousing,
        DeclineGround::Other,
    ];
}

impl Letter {
    pub fn kind(&self) -> LetterKind {
        self.content.kind()
    }

    /// Checks what the types cannot: the texts a lawful letter needs are there, dates are in
    /// order, a refusal has no conditions, and a § 6 appeal goes to Statsforvalteren. Both
    /// renderers call this first.
    pub fn validate(&self) -> Result<(), LetterError> {
        require("reference", &self.reference)?;
        require("municipality.name", &self.municipality.name)?;
        require("municipality.unit", &self.municipality.unit)?;
        require_lines("municipality.postal_address", &self.municipality.postal_address)?;
        require("recipient.name", &self.recipient.name)?;
        require_lines("recipient.address_lines", &self.recipient.address_lines)?;
        if let Some(representation) = &self.representation {
            require("representation.party_name", &representation.party_name)?;
        }
        require("contact.name", &self.contact.name)?;
        require("contact.phone", &self.contact.phone)?;
        require("contact.email", &self.contact.email)?;
        if self.application_received.is_some_and(|received| received > self.date) {
            return Err(invalid("application_received", "is after the letter's date"));
        }
        match &self.content {
            Content::Decision(decision) => decision.validate(self.case_type, self.date),
            Content::InterimAnswer(interim) => {
                require("content.reason", &interim.reason)?;
                after("content.expected_by", interim.expected_by, self.date)
            }
            Content::RequestForInformation(request) => {
                require_lines("content.items", &request.items)?;
                after("content.deadline", request.deadline, self.date)
            }
            Content::Offer(offer) => offer.validate(self.date),
        }
    }
}

impl Offer {
    fn validate(&self, date: Date) -> Result<(), LetterError> {
        require_lines("content.dwelling.address_lines", &self.dwelling.address_lines)?;
        if self.dwelling.area_m2 == Some(0) {
            return Err(invalid("content.dwelling.area_m2", "must be more than zero"));
        }
        if self.monthly_rent_ore < 0 {
            return Err(invalid("content.monthly_rent_ore", "must not be negative"));
        }
        // An offer may be answered on the day it is made, never before.
        if self.answer_by < date {
            return Err(invalid("content.answer_by", "is before the letter's date"));
        }
        if self.available_from.is_some_and(|from| from < date) {
            return Err(invalid("content.available_from", "is before the letter's date"));
        }
        let grounds = &self.decline_rules.reasonable_grounds;
        if grounds
            .iter()
            .enumerate()
            .any(|(at, ground)| grounds[..at].contains(ground))
        {
            return Err(invalid(
                "content.decline_rules.reasonable_grounds",
                "names a ground twice",
            ));
        }
        Ok(())
    }
}

impl Decision {
    fn validate(&self, case_type: CaseType, date: Date) -> Result<(), LetterError> {
        require_lines("content.legal_basis", &self.legal_basis)?;
        require_lines("content.facts", &self.facts)?;
        for rule in &self.rules {
            require("content.rules.rule", &rule.rule)?;
            require("content.rules.facts", &rule.facts)?;
            require("content.rules.result_text", &rule.result_text)?;
        }
        require("content.reasons", &self.reasons)?;
        match (self.outcome, &self.granted_text) {
            (Outcome::Refused, Some(_)) => return Err(invalid("content.granted_text", "must be empty for a refusal")),
            (Outcome::Granted | Outcome::PartlyGranted, None) => {
                return Err(invalid("content.granted_text", "must say what is granted"));
            }
            (_, Some(text)) => require("content.granted_text", text)?,
            (Outcome::Refused, None) => {}
        }
        if self.outcome == Outcome::Refused && !self.conditions.is_empty() {
            return Err(invalid("content.conditions", "must be empty for a refusal"));
        }
        if self.outcome == Outcome::Granted && self.section6.is_some() {
            return Err(invalid(
                "content.section6",
                "is for a refused or partly granted application",
            ));
        }
        for condition in &self.conditions {
            require("content.conditions", condition)?;
        }
        if self.valid_until.is_some_and(|until| until < date) {
            return Err(invalid("content.valid_until", "is before the letter's date"));
        }
        self.appeal.validate(case_type)
    }
}

impl Appeal {
    fn validate(&self, case_type: CaseType) -> Result<(), LetterError> {
        // Forvaltningsloven § 29: three weeks; a special law may give longer, never shorter.
        if self.deadline_weeks < 3 {
            return Err(invalid("content.appeal.deadline_weeks", "must be at least three weeks"));
        }
        require("content.appeal.appeal_body", &self.appeal_body)?;
        require("content.appeal.send_to", &self.send_to)?;
        // Appeals against § 6 decisions are decided by Statsforvalteren (bokmål) /
        // Statsforvaltaren (nynorsk); a letter naming another body would mislead. The other case
        // types go to the municipality's own appeal body (forvaltningsloven § 28 andre ledd),
        // whose name the municipality chooses.
        if case_type == CaseType::Section6Assistance && !self.appeal_body.contains("Statsforvalt") {
            return Err(invalid(
                "content.appeal.appeal_body",
                "must be Statsforvalteren for a § 6 decision",
            ));
        }
        Ok(())
    }
}

fn invalid(field: &'static str, problem: &'static str) -> LetterError {
    LetterError::Invalid { field, problem }
}

fn require(field: &'static str, text: &str) -> Result<(), LetterError> {
    if text.trim().is_empty() {
        Err(invalid(field, "is empty"))
    } else {
        Ok(())
    }
}

fn require_lines(field: &'static str, lines: &[String]) -> Result<(), LetterError> {
    if lines.is_empty() {
        return Err(invalid(field, "is empty"));
    }
    lines.iter().try_for_each(|line| require(field, line))
}

fn after(field: &'static str, date: Date, letter_date: Date) -> Result<(), LetterError> {
    if date > letter_date {
        Ok(())
    } else {
        Err(invalid(field, "must be after the letter's date"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_types_have_snake_case_names_and_conditions_default_to_none() {
        #[derive(Deserialize)]
        struct Named {
            case_types: Vec<CaseType>,
        }
        let named: Named = toml::from_str(
            r#"case_types = ["municipal_housing", "section6_assistance", "startlan", "establishment_grant", "adaptation_grant", "tenancy_renewal"]"#,
        )
        .unwrap();
        assert_eq!(named.case_types, CaseType::ALL);

        // A decision stored before conditions existed still reads.
        let decision: Decision = toml::from_str(
            r#"
            outcome = "granted"
            legal_basis = ["forskrift om lån fra Husbanken"]
            facts = ["Husstanden har to barn."]
            rules = []
            reasons = "Betjeningsevnen er god nok."
            granted_text = "startlån på 2 450 000 kroner"
            appeal = { deadline_weeks = 3, appeal_body = "Klagenemnda", send_to = "Boligtjenesten" }
            "#,
        )
        .unwrap();
        assert!(decision.conditions.is_empty());
    }
}
