//! The fixed wording of the letters: one TOML file per language, compiled in, and per-municipality
//! overrides of single texts.
//!
//! A file has one table per part (`[letter]`, `[decision]`, `[interim_answer]`,
//! `[request_for_information]`, `[offer]`) and one string per text. `{name}` is a placeholder; `{{` and `}}`
//! are literal braces. Every text must use exactly the placeholders its key declares (see
//! [`keys!`]), so an override cannot drop the appeal deadline or invent a value the code does not
//! supply. Files are checked whole when loaded, overrides when added.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::{Language, TemplateError};

macro_rules! keys {
    ($($variant:ident = $path:literal [$($placeholder:ident),*];)*) => {
        /// Every text the letters use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub(crate) enum Key { $($variant),* }

        impl Key {
            pub(crate) const ALL: &[Key] = &[$(Key::$variant),*];

            /// `part.name`, as in the TOML files.
            pub(crate) fn path(self) -> &'static str {
                match self { $(Key::$variant => $path),* }
            }

            /// The placeholders the text must use, each at least once, and no others.
            pub(crate) fn placeholders(self) -> &'static [&'static str] {
                match self { $(Key::$variant => &[$(stringify!($placeholder)),*]),* }
            }
        }
    };
}

keys! {
    ReferenceLabel = "letter.reference_label" [];
    DateLabel = "letter.date_label" [];
    PageNumber = "letter.page_number" [page, pages];
    PostalLabel = "letter.postal_label" [];
    PhoneLabel = "letter.phone_label" [];
    EmailLabel = "letter.email_label" [];
    ApplicationMunicipalHousing = "letter.application_municipal_housing" [];
    ApplicationSection6 = "letter.application_section6" [];
    ApplicationStartlan = "letter.application_startlan" [];
    ApplicationEstablishmentGrant = "letter.application_establishment_grant" [];
    ApplicationAdaptationGrant = "letter.application_adaptation_grant" [];
    ApplicationTenancyRenewal = "letter.application_tenancy_renewal" [];
    AccessHeading = "letter.access_heading" [];
    AccessText = "letter.access_text" [];
    ContactHeading = "letter.contact_heading" [];
    ContactText = "letter.contact_text" [contact_name, contact_phone, contact_email];
    Closing = "letter.closing" [];
    ElectronicApproval = "letter.electronic_approval" [];
    RepresentedByFullmektig = "letter.represented_fullmektig" [party];
    RepresentedByVerge = "letter.represented_verge" [party];
    CopyToParty = "letter.copy_to_party" [party];

    DecisionTitleMunicipalHousing = "decision.title_municipal_housing" [];
    DecisionTitleSection6 = "decision.title_section6" [];
    DecisionTitleStartlan = "decision.title_startlan" [];
    DecisionTitleEstablishmentGrant = "decision.title_establishment_grant" [];
    DecisionTitleAdaptationGrant = "decision.title_adaptation_grant" [];
    DecisionTitleTenancyRenewal = "decision.title_tenancy_renewal" [];
    DecisionIntro = "decision.intro" [application];
    DecisionIntroReceived = "decision.intro_received" [application, received];
    OutcomeHeading = "decision.outcome_heading" [];
    OutcomeGranted = "decision.outcome_granted" [application];
    OutcomeRefused = "decision.outcome_refused" [application];
    OutcomePartlyGranted = "decision.outcome_partly_granted" [application];
    OutcomeEnded = "decision.outcome_ended" [];
    OutcomeChanged = "decision.outcome_changed" [];
    GrantedLabelMunicipalHousing = "decision.granted_label_municipal_housing" [];
    GrantedLabelSection6 = "decision.granted_label_section6" [];
    GrantedLabelStartlan = "decision.granted_label_startlan" [];
    GrantedLabelEstablishmentGrant = "decision.granted_label_establishment_grant" [];
    GrantedLabelAdaptationGrant = "decision.granted_label_adaptation_grant" [];
    GrantedLabelTenancyRenewal = "decision.granted_label_tenancy_renewal" [];
    OutcomeRenewed = "decision.outcome_renewed" [address, from, until];
    OutcomeNotRenewed = "decision.outcome_not_renewed" [address, term_end];
    TransitionHeading = "decision.transition_heading" [];
    StartlanReferral = "decision.startlan_referral" [];
    ConditionsHeading = "decision.conditions_heading" [];
    PartlyNote = "decision.partly_note" [];
    ValidUntil = "decision.valid_until" [valid_until];
    ReasonsHeading = "decision.reasons_heading" [];
    LegalBasisHeading = "decision.legal_basis_heading" [];
    FactsHeading = "decision.facts_heading" [];
    RulesHeading = "decision.rules_heading" [];
    RuleFactsLabel = "decision.rule_facts_label" [];
    RuleResultLabel = "decision.rule_result_label" [];
    AssessmentHeading = "decision.assessment_heading" [];
    Section6Heading = "decision.section6_heading" [];
    Section6CaseOpened = "decision.section6_case_opened" [];
    Section6NoNeed = "decision.section6_no_need" [];
    Section6AlreadyReceiving = "decision.section6_already_receiving" [];
    Section6Declined = "decision.section6_declined" [];
    AppealHeading = "decision.appeal_heading" [];
    AppealRight = "decision.appeal_right" [deadline];
    AppealRouteMunicipalHousing = "decision.appeal_route_municipal_housing" [send_to, appeal_body];
    AppealRouteSection6 = "decision.appeal_route_section6" [send_to, appeal_body];
    AppealRouteStartlan = "decision.appeal_route_startlan" [send_to, appeal_body];
    AppealRouteEstablishmentGrant = "decision.appeal_route_establishment_grant" [send_to, appeal_body];
    AppealRouteAdaptationGrant = "decision.appeal_route_adaptation_grant" [send_to, appeal_body];
    AppealRouteTenancyRenewal = "decision.appeal_route_tenancy_renewal" [send_to, appeal_body];
    AppealHow = "decision.appeal_how" [];
    AppealHelp = "decision.appeal_help" [];
    AppealPostpone = "decision.appeal_postpone" [];
    AppealCosts = "decision.appeal_costs" [];

    InterimTitle = "interim_answer.title" [application];
    InterimIntro = "interim_answer.intro" [application];
    InterimIntroReceived = "interim_answer.intro_received" [application, received];
    InterimLegalNote = "interim_answer.legal_note" [];
    InterimReasonHeading = "interim_answer.reason_heading" [];
    InterimExpectedHeading = "interim_answer.expected_heading" [];
    InterimExpected = "interim_answer.expected" [expected_by];
    InterimChanges = "interim_answer.changes" [];

    RequestTitle = "request_for_information.title" [];
    RequestIntro = "request_for_information.intro" [application];
    RequestIntroReceived = "request_for_information.intro_received" [application, received];
    RequestItemsHeading = "request_for_information.items_heading" [];
    RequestDeadlineHeading = "request_for_information.deadline_heading" [];
    RequestDeadline = "request_for_information.deadline" [deadline];
    RequestHowToSend = "request_for_information.how_to_send" [postal_address];
    RequestHowToSendOnline = "request_for_information.how_to_send_online" [postal_address];
    RequestConsequence = "request_for_information.consequence" [];
    RequestExtension = "request_for_information.extension" [];

    OfferTitle = "offer.title" [];
    OfferIntro = "offer.intro" [application];
    OfferDwellingHeading = "offer.dwelling_heading" [];
    OfferAddress = "offer.address" [address];
    OfferDwellingType = "offer.dwelling_type" [dwelling_type];
    OfferTypeOrdinaryRental = "offer.type_ordinary_rental" [];
    OfferTypeCareDwelling = "offer.type_care_dwelling" [];
    OfferTypeYouthDwelling = "offer.type_youth_dwelling" [];
    OfferTypeSharedHousingUnit = "offer.type_shared_housing_unit" [];
    OfferTypeTemporary = "offer.type_temporary" [];
    OfferTypeEmergency = "offer.type_emergency" [];
    OfferBedrooms = "offer.bedrooms" [count];
    OfferBedroomsNone = "offer.bedrooms_none" [];
    OfferArea = "offer.area" [area];
    OfferFloor = "offer.floor" [floor];
    OfferLiftYes = "offer.lift_yes" [];
    OfferLiftNo = "offer.lift_no" [];
    OfferWheelchairYes = "offer.wheelchair_yes" [];
    OfferWheelchairNo = "offer.wheelchair_no" [];
    OfferRent = "offer.rent" [rent];
    OfferAvailableFrom = "offer.available_from" [available_from];
    OfferHousingAllowance = "offer.housing_allowance" [];
    OfferAnswerHeading = "offer.answer_heading" [];
    OfferAnswerBy = "offer.answer_by" [answer_by];
    OfferHowToAnswer = "offer.how_to_answer" [contact_name, reference];
    OfferHowToAnswerOnline = "offer.how_to_answer_online" [contact_name, reference];
    OfferViewing = "offer.viewing" [];
    OfferAcceptHeading = "offer.accept_heading" [];
    OfferAccept = "offer.accept" [];
    OfferDeclineHeading = "offer.decline_heading" [];
    OfferReasonableGrounds = "offer.reasonable_grounds" [];
    OfferReasonableTell = "offer.reasonable_tell" [];
    OfferNoReasonableGrounds = "offer.no_reasonable_grounds" [];
    OfferGroundHealthOrAccessibility = "offer.ground_health_or_accessibility" [];
    OfferGroundSafety = "offer.ground_safety" [];
    OfferGroundSchoolOrWork = "offer.ground_school_or_work" [];
    OfferGroundRent = "offer.ground_rent" [];
    OfferGroundSize = "offer.ground_size" [];
    OfferGroundLocation = "offer.ground_location" [];
    OfferGroundStandard = "offer.ground_standard" [];
    OfferGroundFoundOtherHousing = "offer.ground_found_other_housing" [];
    OfferGroundOther = "offer.ground_other" [];
    OfferDeclinesAllowed = "offer.declines_allowed" [count];
    OfferDeclinesNone = "offer.declines_none" [];
    OfferExpiryCounts = "offer.expiry_counts" [];
    OfferExpiryNotCounted = "offer.expiry_not_counted" [];
    OfferRemovalDecision = "offer.removal_decision" [];
}

impl Key {
    fn from_path(path: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|key| key.path() == path)
    }
}

const BUILTIN_NB: &str = include_str!("../templates/default/nb.toml");
const BUILTIN_NN: &str = include_str!("../templates/default/nn.toml");
const BUILTIN_EN: &str = include_str!("../templates/default/en.toml");

type Texts = BTreeMap<Key, String>;

/// The letter texts: the built-in ones and each municipality's overrides.
///
/// Cheap to build: the built-in files are parsed once per process. The web crate keeps one
/// value and rebuilds it when a municipality changes its texts.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// Municipality number → language → the texts it replaces.
    overrides: BTreeMap<String, BTreeMap<Language, Texts>>,
}

impl Templates {
    /// The built-in texts, without overrides.
    pub fn builtin() -> Templates {
        Templates::default()
    }

    /// Adds a municipality's replacements for single texts, e.g.
    ///
    /// ```toml
    /// [nb.letter]
    /// closing = "Vennlig hilsen"
    /// ```
    ///
    /// Top-level tables are language codes (`nb`, `nn`, `en`). Unknown keys, placeholders the key
    /// does not have and missing placeholders are errors. A later override of the same text wins.
    pub fn with_override(mut self, municipality_number: &str, toml_text: &str) -> Result<Templates, TemplateError> {
        if municipality_number.len() != 4 || !municipality_number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TemplateError::new(
                None,
                municipality_number,
                "a municipality number has four digits",
            ));
        }
        let table: toml::Table =
            toml::from_str(toml_text).map_err(|err| TemplateError::new(None, "override", err.message().to_owned()))?;
        let municipality = self.overrides.entry(municipality_number.to_owned()).or_default();
        for (code, parts) in table {
            let language = Language::from_code(&code)
                .ok_or_else(|| TemplateError::new(None, code.clone(), "is not a language (nb, nn, en)"))?;
            let texts = parse_parts(language, parts)?;
            municipality.entry(language).or_default().extend(texts);
        }
        Ok(self)
    }

    /// Checks a complete template file: every key present, no unknown key, every text with exactly
    /// its placeholders. The built-in files pass this (a test loads them).
    pub fn check_file(language: Language, toml_text: &str) -> Result<(), TemplateError> {
        parse_file(language, toml_text).map(drop)
    }

    /// Every text key (`part.name`) with the placeholders its text must use: what an editor for
    /// overrides shows next to [`Templates::builtin_text`].
    pub fn keys() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
        Key::ALL.iter().map(|key| (key.path(), key.placeholders()))
    }

    pub fn builtin_text(language: Language, key: &str) -> Option<&'static str> {
        let key = Key::from_path(key)?;
        Some(builtin(language)[&key].as_str())
    }

    /// The text for `key`: the municipality's override if it has one, else the built-in text.
    pub(crate) fn text(&self, municipality_number: &str, language: Language, key: Key) -> &str {
        self.overrides
            .get(municipality_number)
            .and_then(|languages| languages.get(&language))
            .and_then(|texts| texts.get(&key))
            .unwrap_or_else(|| &builtin(language)[&key])
    }
}

fn builtin(language: Language) -> &'static Texts {
    static BUILTIN: OnceLock<[Texts; 3]> = OnceLock::new();
    let [nb, nn, en] = BUILTIN.get_or_init(|| {
        let load = |language, text| parse_file(language, text).expect("built-in letter templates are checked by tests");
        [
            load(Language::Nb, BUILTIN_NB),
            load(Language::Nn, BUILTIN_NN),
            load(Language::En, BUILTIN_EN),
        ]
    });
    match language {
        Language::Nb => nb,
        Language::Nn => nn,
        Language::En => en,
    }
}

fn parse_file(language: Language, toml_text: &str) -> Result<Texts, TemplateError> {
    let table: toml::Table = toml::from_str(toml_text)
        .map_err(|err| TemplateError::new(Some(language), "file", err.message().to_owned()))?;
    let texts = parse_parts(language, toml::Value::Table(table))?;
    match Key::ALL.iter().find(|key| !texts.contains_key(key)) {
        Some(missing) => Err(TemplateError::new(Some(language), missing.path(), "is missing")),
        None => Ok(texts),
    }
}

/// Reads `[part] name = "text"` tables into checked texts.
fn parse_parts(language: Language, parts: toml::Value) -> Result<Texts, TemplateError> {
    let error = |key: &str, problem: &str| TemplateError::new(Some(language), key, problem);
    let toml::Value::Table(parts) = parts else {
        return Err(error("", "must be a table of parts"));
    };
    let mut texts = Texts::new();
    for (part, names) in parts {
        let toml::Value::Table(names) = names else {
            return Err(error(&part, "must be a table of texts"));
        };
        for (name, value) in names {
            let path = format!("{part}.{name}");
            let key = Key::from_path(&path).ok_or_else(|| error(&path, "is not a letter text"))?;
            let toml::Value::String(text) = value else {
                return Err(error(&path, "must be a string"));
            };
            check_placeholders(key, &text).map_err(|problem| error(&path, &problem))?;
            texts.insert(key, text);
        }
    }
    Ok(texts)
}

fn check_placeholders(key: Key, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("is empty".to_owned());
    }
    let used = placeholders(text)?;
    if let Some(unknown) = used.iter().find(|name| !key.placeholders().contains(name)) {
        return Err(format!(
            "has the unknown placeholder {{{unknown}}}; allowed: {}",
            allowed(key)
        ));
    }
    if let Some(missing) = key.placeholders().iter().find(|name| !used.contains(name)) {
        return Err(format!("must use the placeholder {{{missing}}}"));
    }
    Ok(())
}

fn allowed(key: Key) -> String {
    let names: Vec<String> = key.placeholders().iter().map(|name| format!("{{{name}}}")).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// The placeholder names in `text`, in order.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        let (brace, after) = (rest.as_bytes()[at], &rest[at + 1..]);
        if after.as_bytes().first() == Some(&brace) {
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err("has a '}' without '{' (write '}}' for a brace)".to_owned());
        }
        let end = after
            .find('}')
            .ok_or("has a '{' without '}' (write '{{' for a brace)")?;
        let name = &after[..end];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(format!("has the malformed placeholder {{{name}}}"));
        }
        names.push(name);
        rest = &after[end + 1..];
    }
    Ok(names)
}

/// Fills the placeholders of a checked text. Every placeholder has a value here, because texts are
/// checked against their key and the callers pass that key's values.
pub(crate) fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let (brace, after) = (rest.as_bytes()[at], &rest[at + 1..]);
        if after.as_bytes().first() == Some(&brace) || brace == b'}' {
            out.push(char::from(brace));
            rest = after.strip_prefix(char::from(brace)).unwrap_or(after);
            continue;
        }
        let end = after.find('}').unwrap_or(after.len());
        let name = &after[..end];
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => out.push_str(value),
            None => debug_assert!(false, "no value for placeholder {{{name}}}"),
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_are_complete_and_use_only_their_placeholders() {
        for (language, text) in [
            (Language::Nb, BUILTIN_NB),
            (Language::Nn, BUILTIN_NN),
            (Language::En, BUILTIN_EN),
        ] {
            if let Err(err) = Templates::check_file(language, text) {
                panic!("{err}");
            }
        }
    }

    #[test]
    fn an_unknown_placeholder_fails_the_check() {
        let broken = BUILTIN_NB.replace("{deadline} fra", "{frist} fra");
        assert_ne!(broken, BUILTIN_NB, "the test must change the appeal text");
        let err = Templates::check_file(Language::Nb, &broken).unwrap_err();
        assert_eq!(err.key, "decision.appeal_right");
        assert!(err.problem.contains("unknown placeholder {frist}"), "{err}");
    }

    #[test]
    fn missing_and_unknown_keys_fail_the_check() {
        let missing = BUILTIN_NB
            .lines()
            .filter(|line| !line.starts_with("closing ="))
            .collect::<Vec<_>>()
            .join("\n");
        let err = Templates::check_file(Language::Nb, &missing).unwrap_err();
        assert_eq!(
            (err.key.as_str(), err.problem.as_str()),
            ("letter.closing", "is missing")
        );

        let unknown = format!("{BUILTIN_NB}\n[extra]\ngreeting = \"Hei\"\n");
        let err = Templates::check_file(Language::Nb, &unknown).unwrap_err();
        assert_eq!(err.key, "extra.greeting");
    }

    #[test]
    fn overrides_are_checked_when_added() {
        let ok = Templates::builtin()
            .with_override("3301", "[nb.letter]\nclosing = \"Vennlig hilsen\"\n")
            .unwrap();
        assert_eq!(ok.text("3301", Language::Nb, Key::Closing), "Vennlig hilsen");
        assert_eq!(ok.text("3301", Language::Nn, Key::Closing), "Med venleg helsing");
        assert_eq!(ok.text("0301", Language::Nb, Key::Closing), "Med vennlig hilsen");

        let dropped_deadline = "[nb.decision]\nappeal_right = \"Du kan klage.\"\n";
        let err = Templates::builtin()
            .with_override("3301", dropped_deadline)
            .unwrap_err();
        assert!(err.problem.contains("must use the placeholder {deadline}"), "{err}");
        for bad in [
            "[se.letter]\nclosing = \"x\"",
            "[nb.letter]\nsalutation = \"x\"",
            "[nb.letter]\nclosing = 3",
        ] {
            assert!(Templates::builtin().with_override("3301", bad).is_err(), "{bad}");
        }
        assert!(Templates::builtin().with_override("33", "").is_err());
    }

    #[test]
    fn fill_replaces_placeholders_and_keeps_literal_braces() {
        assert_eq!(
            fill("Side {page} av {pages} {{x}}", &[("page", "1"), ("pages", "2")]),
            "Side 1 av 2 {x}"
        );
        assert_eq!(placeholders("a {{b}} {c}").unwrap(), ["c"]);
        assert!(placeholders("a {b").is_err());
        assert!(placeholders("a } b").is_err());
        assert!(placeholders("a {B}").is_err());
    }
}
