//! From a [`Letter`] and the templates to the finished wording, as blocks both renderers draw.
//! All legal content is decided here, once, so the HTML and the PDF cannot say different things.

use time::Date;

use crate::input::{
    Appeal, CaseType, Content, Decision, DeclineGround, DwellingType, InformationRequest, InterimAnswer, Letter, Offer,
    Outcome, Renewal, RepresentativeRole, Section6Finding,
};
use crate::lang::{kroner, long_date, times, weeks};
use crate::templates::{Key, Templates, fill};

/// A letter's finished text.
pub(crate) struct Document {
    pub title: String,
    pub municipality: String,
    pub unit: String,
    /// Reference and date: (label, value, the date for `<time datetime>`).
    pub meta: Vec<(String, String, Option<Date>)>,
    pub recipient: Vec<String>,
    pub body: Vec<Block>,
    /// The sender's contact lines for the page footer.
    pub footer: Vec<String>,
    /// The page number text with `{page}` and `{pages}` still open.
    pub page_number: String,
}

pub(crate) enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Span>),
    /// Small print, e.g. the note on electronic approval.
    Note(String),
    List(Vec<String>),
    Rules(Vec<RuleItem>),
    /// Lines that belong together, e.g. the signature.
    Lines(Vec<String>),
    /// A report's line chart (never in a letter).
    Chart(crate::report::ReportChart),
}

pub(crate) struct RuleItem {
    pub rule: String,
    pub facts: Vec<Span>,
    pub result: Vec<Span>,
}

#[derive(Clone)]
pub(crate) struct Span {
    pub text: String,
    pub strong: bool,
}

impl Span {
    pub(crate) fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            strong: false,
        }
    }

    fn strong(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            strong: true,
        }
    }
}

/// A labelled paragraph: "**Label:** text".
fn labelled(label: &str, text: &str) -> Vec<Span> {
    vec![
        Span::strong(format!("{label}:")),
        Span::plain(format!(" {}", clean(text))),
    ]
}

/// Caseworkers' text as paragraphs: one per non-empty line.
fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.lines()
        .map(clean)
        .filter(|line| !line.is_empty())
        .map(|line| Block::Paragraph(vec![Span::plain(line)]))
}

/// Normalises typed text: whitespace to plain spaces (no-break spaces stay), invisible format and
/// control characters removed, outer spaces trimmed.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{a0}' | '\u{202f}' => out.push('\u{a0}'),
            c if c.is_whitespace() => out.push(' '),
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    let collapsed = out
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    collapsed.trim().to_owned()
}

/// The texts that differ by case type: what was applied for, the decision's title, the label for
/// what is granted, and the appeal route (Statsforvalteren for § 6, else the municipality's own
/// appeal body).
struct CaseKeys {
    application: Key,
    decision_title: Key,
    granted_label: Key,
    appeal_route: Key,
}

impl CaseKeys {
    fn of(case_type: CaseType) -> CaseKeys {
        let (application, decision_title, granted_label, appeal_route) = match case_type {
            CaseType::MunicipalHousing => (
                Key::ApplicationMunicipalHousing,
                Key::DecisionTitleMunicipalHousing,
                Key::GrantedLabelMunicipalHousing,
                Key::AppealRouteMunicipalHousing,
            ),
            CaseType::Section6Assistance => (
                Key::ApplicationSection6,
                Key::DecisionTitleSection6,
                Key::GrantedLabelSection6,
                Key::AppealRouteSection6,
            ),
            CaseType::Startlan => (
                Key::ApplicationStartlan,
                Key::DecisionTitleStartlan,
                Key::GrantedLabelStartlan,
                Key::AppealRouteStartlan,
            ),
            CaseType::EstablishmentGrant => (
                Key::ApplicationEstablishmentGrant,
                Key::DecisionTitleEstablishmentGrant,
                Key::GrantedLabelEstablishmentGrant,
                Key::AppealRouteEstablishmentGrant,
            ),
            CaseType::AdaptationGrant => (
                Key::ApplicationAdaptationGrant,
                Key::DecisionTitleAdaptationGrant,
                Key::GrantedLabelAdaptationGrant,
                Key::AppealRouteAdaptationGrant,
            ),
            CaseType::TenancyRenewal => (
                Key::ApplicationTenancyRenewal,
                Key::DecisionTitleTenancyRenewal,
                Key::GrantedLabelTenancyRenewal,
                Key::AppealRouteTenancyRenewal,
            ),
        };
        CaseKeys {
            application,
            decision_title,
            granted_label,
            appeal_route,
        }
    }
}

fn dwelling_type_key(dwelling_type: DwellingType) -> Key {
    match dwelling_type {
        DwellingType::OrdinaryRental => Key::OfferTypeOrdinaryRental,
        DwellingType::CareDwelling => Key::OfferTypeCareDwelling,
        DwellingType::YouthDwelling => Key::OfferTypeYouthDwelling,
        DwellingType::SharedHousingUnit => Key::OfferTypeSharedHousingUnit,
        DwellingType::Temporary => Key::OfferTypeTemporary,
        DwellingType::Emergency => Key::OfferTypeEmergency,
    }
}

fn ground_key(ground: DeclineGround) -> Key {
    match ground {
        DeclineGround::HealthOrAccessibility => Key::OfferGroundHealthOrAccessibility,
        DeclineGround::Safety => Key::OfferGroundSafety,
        DeclineGround::SchoolOrWork => Key::OfferGroundSchoolOrWork,
        DeclineGround::Rent => Key::OfferGroundRent,
        DeclineGround::Size => Key::OfferGroundSize,
        DeclineGround::Location => Key::OfferGroundLocation,
        DeclineGround::Standard => Key::OfferGroundStandard,
        DeclineGround::FoundOtherHousing => Key::OfferGroundFoundOtherHousing,
        DeclineGround::Other => Key::OfferGroundOther,
    }
}

struct Composer<'a> {
    letter: &'a Letter,
    templates: &'a Templates,
    body: Vec<Block>,
}

impl Composer<'_> {
    fn text(&self, key: Key) -> &str {
        self.templates
            .text(&self.letter.municipality.municipality_number, self.letter.language, key)
    }

    fn filled(&self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    fn date(&self, date: Date) -> String {
        long_date(self.letter.language, date)
    }

    fn case_keys(&self) -> CaseKeys {
        CaseKeys::of(self.letter.case_type)
    }

    fn application(&self) -> &str {
        self.text(self.case_keys().application)
    }

    fn heading(&mut self, level: u8, key: Key) {
        let text = self.text(key).to_owned();
        self.body.push(Block::Heading { level, text });
    }

    fn paragraph(&mut self, text: String) {
        self.body.push(Block::Paragraph(vec![Span::plain(text)]));
    }

    fn plain(&mut self, key: Key) {
        let text = self.text(key).to_owned();
        self.paragraph(text);
    }

    /// The opening sentence, with the date the application came in if the letter has it.
    fn intro(&mut self, without: Key, with_received: Key) {
        let application = self.application().to_owned();
        let text = match self.letter.application_received {
            Some(received) => {
                let received = self.date(received);
                self.filled(with_received, &[("application", &application), ("received", &received)])
            }
            None => self.filled(without, &[("application", &application)]),
        };
        self.paragraph(text);
    }

    fn decision(&mut self, decision: &Decision) {
        self.intro(Key::DecisionIntro, Key::DecisionIntroReceived);
        self.heading(2, Key::OutcomeHeading);
        let application = self.application().to_owned();
        let outcome = match (decision.outcome, decision.replaces_granted) {
            (Outcome::Granted, _) => Key::OutcomeGranted,
            (Outcome::Refused, false) => Key::OutcomeRefused,
            (Outcome::PartlyGranted, false) => Key::OutcomePartlyGranted,
            (Outcome::Refused, true) => Key::OutcomeEnded,
            (Outcome::PartlyGranted, true) => Key::OutcomeChanged,
        };
        let outcome = match &decision.renewal {
            Some(Renewal::Renewed { address, from, until }) => {
                let (from, until) = (self.date(*from), self.date(*until));
                self.filled(
                    Key::OutcomeRenewed,
                    &[("address", address), ("from", &from), ("until", &until)],
                )
            }
            Some(Renewal::NotRenewed { address, term_end, .. }) => {
                let term_end = self.date(*term_end);
                self.filled(Key::OutcomeNotRenewed, &[("address", address), ("term_end", &term_end)])
            }
            None => self.filled(outcome, &[("application", &application)]),
        };
        self.paragraph(outcome);
        // Not renewed: what the municipality will do so that the household is not left
        // without a home, and the way to a home of its own.
        if let Some(Renewal::NotRenewed {
            transition_plan,
            startlan_referral,
            ..
        }) = &decision.renewal
        {
            self.heading(3, Key::TransitionHeading);
            self.body.extend(paragraphs(transition_plan));
            if *startlan_referral {
                self.plain(Key::StartlanReferral);
            }
        }
        if let Some(granted) = &decision.granted_text {
            let label = self.text(self.case_keys().granted_label);
            let granted = labelled(label, granted);
            self.body.push(Block::Paragraph(granted));
        }
        if decision.outcome == Outcome::PartlyGranted {
            self.plain(Key::PartlyNote);
        }
        if let Some(until) = decision.valid_until {
            let until = self.date(until);
            let text = self.filled(Key::ValidUntil, &[("valid_until", &until)]);
            self.paragraph(text);
        }
        // The conditions close the outcome section: under their own heading, so that no paragraph
        // about the outcome may follow them and read as one of them.
        if !decision.conditions.is_empty() {
            self.heading(3, Key::ConditionsHeading);
            self.body.push(Block::List(
                decision.conditions.iter().map(|condition| clean(condition)).collect(),
            ));
        }
        self.reasons(decision);
        self.appeal(&decision.appeal);
        // What is granted is carried out; the party may ask that it waits for the appeal (§ 42).
        // A refusal carries nothing out.
        if decision.outcome != Outcome::Refused {
            self.plain(Key::AppealPostpone);
        }
        self.plain(Key::AppealCosts);
    }

    /// Forvaltningsloven § 25: the rules, the facts, and the main considerations of the skjønn.
    fn reasons(&mut self, decision: &Decision) {
        self.heading(2, Key::ReasonsHeading);
        self.heading(3, Key::LegalBasisHeading);
        self.body.push(Block::List(
            decision.legal_basis.iter().map(|basis| clean(basis)).collect(),
        ));
        self.heading(3, Key::FactsHeading);
        self.body
            .push(Block::List(decision.facts.iter().map(|fact| clean(fact)).collect()));
        if !decision.rules.is_empty() {
            self.heading(3, Key::RulesHeading);
            let items = decision
                .rules
                .iter()
                .map(|line| RuleItem {
                    rule: clean(&line.rule),
                    facts: labelled(self.text(Key::RuleFactsLabel), &line.facts),
                    result: labelled(self.text(Key::RuleResultLabel), &line.result_text),
                })
                .collect();
            self.body.push(Block::Rules(items));
        }
        self.heading(3, Key::AssessmentHeading);
        self.body.extend(paragraphs(&decision.reasons));
        // Boligsosialloven § 6: refused a dwelling, the household learns whether it was found to
        // need individually adapted help, and what happens about it.
        if let Some(finding) = decision.section6 {
            self.heading(3, Key::Section6Heading);
            self.plain(match finding {
                Section6Finding::CaseOpened => Key::Section6CaseOpened,
                Section6Finding::NoNeed => Key::Section6NoNeed,
                Section6Finding::AlreadyReceiving => Key::Section6AlreadyReceiving,
                Section6Finding::Declined => Key::Section6Declined,
            });
        }
    }

    /// Forvaltningsloven §§ 27–29 and 32: the right to appeal, the deadline, where to send it and
    /// who decides. The decision adds §§ 42 and 36 after it.
    fn appeal(&mut self, appeal: &Appeal) {
        self.heading(2, Key::AppealHeading);
        let deadline = weeks(self.letter.language, appeal.deadline_weeks);
        let text = self.filled(Key::AppealRight, &[("deadline", &deadline)]);
        self.paragraph(text);
        let route = self.case_keys().appeal_route;
        let (send_to, body) = (clean(&appeal.send_to), clean(&appeal.appeal_body));
        let text = self.filled(route, &[("send_to", &send_to), ("appeal_body", &body)]);
        self.paragraph(text);
        self.plain(Key::AppealHow);
        self.plain(Key::AppealHelp);
    }

    fn interim(&mut self, interim: &InterimAnswer) {
        self.intro(Key::InterimIntro, Key::InterimIntroReceived);
        self.plain(Key::InterimLegalNote);
        self.heading(2, Key::InterimReasonHeading);
        self.body.extend(paragraphs(&interim.reason));
        self.heading(2, Key::InterimExpectedHeading);
        let expected = self.date(interim.expected_by);
        let text = self.filled(Key::InterimExpected, &[("expected_by", &expected)]);
        self.paragraph(text);
        self.plain(Key::InterimChanges);
    }

    fn information_request(&mut self, request: &InformationRequest) {
        self.intro(Key::RequestIntro, Key::RequestIntroReceived);
        self.heading(2, Key::RequestItemsHeading);
        self.body
            .push(Block::List(request.items.iter().map(|item| clean(item)).collect()));
        self.heading(2, Key::RequestDeadlineHeading);
        let deadline = self.date(request.deadline);
        let text = self.filled(Key::RequestDeadline, &[("deadline", &deadline)]);
        self.paragraph(text);
        let address = self.postal_address();
        let how = if request.reply_online {
            Key::RequestHowToSendOnline
        } else {
            Key::RequestHowToSend
        };
        let text = self.filled(how, &[("postal_address", &address)]);
        self.paragraph(text);
        self.plain(Key::RequestConsequence);
        self.plain(Key::RequestExtension);
    }

    /// An offer of a dwelling: what it is and costs, by when and how to answer, what an
    /// acceptance leads to, and what a decline means under the municipality's rules. No appeal
    /// clause: an offer is not a decision; taking the household off the waiting list would be.
    fn offer(&mut self, offer: &Offer) {
        let application = self.application().to_owned();
        let intro = self.filled(Key::OfferIntro, &[("application", &application)]);
        self.paragraph(intro);

        self.heading(2, Key::OfferDwellingHeading);
        let facts = self.dwelling_facts(offer);
        self.body.push(Block::List(facts));
        self.plain(Key::OfferHousingAllowance);

        self.heading(2, Key::OfferAnswerHeading);
        let answer_by = self.date(offer.answer_by);
        let text = self.filled(Key::OfferAnswerBy, &[("answer_by", &answer_by)]);
        self.paragraph(text);
        let how = if offer.answer_online {
            Key::OfferHowToAnswerOnline
        } else {
            Key::OfferHowToAnswer
        };
        let (contact, reference) = (clean(&self.letter.contact.name), clean(&self.letter.reference));
        let text = self.filled(how, &[("contact_name", &contact), ("reference", &reference)]);
        self.paragraph(text);
        self.plain(Key::OfferViewing);

        self.heading(2, Key::OfferAcceptHeading);
        self.plain(Key::OfferAccept);

        self.heading(2, Key::OfferDeclineHeading);
        let rules = &offer.decline_rules;
        if rules.reasonable_grounds.is_empty() {
            self.plain(Key::OfferNoReasonableGrounds);
        } else {
            self.plain(Key::OfferReasonableGrounds);
            let grounds = rules
                .reasonable_grounds
                .iter()
                .map(|ground| self.text(ground_key(*ground)).to_owned())
                .collect();
            self.body.push(Block::List(grounds));
            self.plain(Key::OfferReasonableTell);
        }
        match rules.unreasonable_declines_allowed {
            0 => self.plain(Key::OfferDeclinesNone),
            allowed => {
                let count = times(self.letter.language, allowed);
                let text = self.filled(Key::OfferDeclinesAllowed, &[("count", &count)]);
                self.paragraph(text);
            }
        }
        self.plain(if rules.expiry_counts_as_decline {
            Key::OfferExpiryCounts
        } else {
            Key::OfferExpiryNotCounted
        });
        self.plain(Key::OfferRemovalDecision);
    }

    /// The dwelling as a list: address, type, bedrooms, rent, then what the register knows of
    /// size, floor, lift and access, and the day it is free.
    fn dwelling_facts(&self, offer: &Offer) -> Vec<String> {
        let dwelling = &offer.dwelling;
        let address = dwelling
            .address_lines
            .iter()
            .map(|line| clean(line))
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let mut facts = vec![self.filled(Key::OfferAddress, &[("address", &address)])];
        let dwelling_type = self.text(dwelling_type_key(dwelling.dwelling_type));
        facts.push(self.filled(Key::OfferDwellingType, &[("dwelling_type", dwelling_type)]));
        facts.push(match dwelling.bedrooms {
            0 => self.text(Key::OfferBedroomsNone).to_owned(),
            count => self.filled(Key::OfferBedrooms, &[("count", &count.to_string())]),
        });
        if let Some(area) = dwelling.area_m2 {
            facts.push(self.filled(Key::OfferArea, &[("area", &area.to_string())]));
        }
        if let Some(floor) = dwelling.floor {
            // A minus sign, not a hyphen, below the ground floor.
            let floor = floor.to_string().replace('-', "−");
            facts.push(self.filled(Key::OfferFloor, &[("floor", &floor)]));
        }
        if let Some(lift) = dwelling.lift {
            let key = if lift { Key::OfferLiftYes } else { Key::OfferLiftNo };
            facts.push(self.text(key).to_owned());
        }
        if let Some(accessible) = dwelling.wheelchair_accessible {
            let key = if accessible {
                Key::OfferWheelchairYes
            } else {
                Key::OfferWheelchairNo
            };
            facts.push(self.text(key).to_owned());
        }
        let rent = kroner(self.letter.language, offer.monthly_rent_ore);
        facts.push(self.filled(Key::OfferRent, &[("rent", &rent)]));
        if let Some(from) = offer.available_from {
            let from = self.date(from);
            facts.push(self.filled(Key::OfferAvailableFrom, &[("available_from", &from)]));
        }
        facts
    }

    fn postal_address(&self) -> String {
        let sender = &self.letter.municipality;
        let mut parts = vec![clean(&sender.name), clean(&sender.unit)];
        parts.extend(sender.postal_address.iter().map(|line| clean(line)));
        parts.join(", ")
    }

    /// Access to documents (forvaltningsloven §§ 18 and 19), the contact person and the signature.
    fn closing(&mut self) {
        self.heading(2, Key::AccessHeading);
        self.plain(Key::AccessText);
        self.heading(2, Key::ContactHeading);
        let contact = &self.letter.contact;
        let (name, phone, email) = (clean(&contact.name), clean(&contact.phone), clean(&contact.email));
        let text = self.filled(
            Key::ContactText,
            &[
                ("contact_name", &name),
                ("contact_phone", &phone),
                ("contact_email", &email),
            ],
        );
        self.paragraph(text);
        let sender = &self.letter.municipality;
        let signature = vec![
            self.text(Key::Closing).to_owned(),
            name,
            clean(&sender.unit),
            clean(&sender.name),
        ];
        self.body.push(Block::Lines(signature));
        let note = self.text(Key::ElectronicApproval).to_owned();
        self.body.push(Block::Note(note));
        if let Some(representation) = self.letter.representation.as_ref().filter(|r| r.copy_to_party) {
            let party = clean(&representation.party_name);
            let copy = self.filled(Key::CopyToParty, &[("party", &party)]);
            self.body.push(Block::Lines(vec![copy]));
        }
    }

    /// Forvaltningsloven § 12: a letter to the representative says whom it is about, first.
    fn representation(&mut self) {
        if let Some(representation) = &self.letter.representation {
            let key = match representation.role {
                RepresentativeRole::Fullmektig => Key::RepresentedByFullmektig,
                RepresentativeRole::Verge => Key::RepresentedByVerge,
            };
            let party = clean(&representation.party_name);
            let text = self.filled(key, &[("party", &party)]);
            self.paragraph(text);
        }
    }

    fn title(&self) -> String {
        let application = self.application();
        match &self.letter.content {
            Content::Decision(_) => self.text(self.case_keys().decision_title).to_owned(),
            Content::InterimAnswer(_) => self.filled(Key::InterimTitle, &[("application", application)]),
            Content::RequestForInformation(_) => self.text(Key::RequestTitle).to_owned(),
            Content::Offer(_) => self.text(Key::OfferTitle).to_owned(),
        }
    }

    fn footer(&self) -> Vec<String> {
        let sender = &self.letter.municipality;
        let address = sender
            .postal_address
            .iter()
            .map(|line| clean(line))
            .collect::<Vec<_>>()
            .join(", ");
        let mut contact = vec![
            format!("{}: {}", self.text(Key::PhoneLabel), clean(&sender.phone)),
            format!("{}: {}", self.text(Key::EmailLabel), clean(&sender.email)),
        ];
        contact.push(clean(&sender.web));
        contact.retain(|part| !part.ends_with(": ") && !part.is_empty());
        vec![
            format!("{}, {}", clean(&sender.name), clean(&sender.unit)),
            format!("{}: {}", self.text(Key::PostalLabel), address),
            contact.join(" · "),
        ]
    }
}

/// Composes a validated letter.
pub(crate) fn compose(letter: &Letter, templates: &Templates) -> Document {
    let mut composer = Composer {
        letter,
        templates,
        body: Vec::new(),
    };
    composer.representation();
    match &letter.content {
        Content::Decision(decision) => composer.decision(decision),
        Content::InterimAnswer(interim) => composer.interim(interim),
        Content::RequestForInformation(request) => composer.information_request(request),
        Content::Offer(offer) => composer.offer(offer),
    }
    composer.closing();
    let meta = vec![
        (
            composer.text(Key::ReferenceLabel).to_owned(),
            clean(&letter.reference),
            None,
        ),
        (
            composer.text(Key::DateLabel).to_owned(),
            composer.date(letter.date),
            Some(letter.date),
        ),
    ];
    let mut recipient = vec![clean(&letter.recipient.name)];
    recipient.extend(letter.recipient.address_lines.iter().map(|line| clean(line)));
    Document {
        title: composer.title(),
        municipality: clean(&letter.municipality.name),
        unit: clean(&letter.municipality.unit),
        meta,
        recipient,
        footer: composer.footer(),
        page_number: composer.text(Key::PageNumber).to_owned(),
        body: composer.body,
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn clean_normalises_typed_whitespace() {
        assert_eq!(clean("  Ola\tNordmann \r"), "Ola Nordmann");
        assert_eq!(clean("a\u{ad}b\u{200b}c\u{7}"), "abc");
        assert_eq!(clean("§\u{a0}6"), "§\u{a0}6");
    }
}
