//! Sample letters: a family in Drammen, in each language, for each kind and case type.

#![allow(dead_code, reason = "each test binary uses a different part")]

use husly_letters::{
    Appeal, CaseType, ContactPerson, Content, Decision, DeclineGround, DeclineRules, DwellingType, InformationRequest,
    InterimAnswer, Language, Letter, LetterKind, Offer, OfferedDwelling, Outcome, Recipient, RuleLine, Sender,
};
use time::macros::date;

/// The texts a caseworker would write, per language.
pub struct Texts {
    pub legal_basis_housing: &'static str,
    pub facts: [&'static str; 2],
    pub rule: [&'static str; 3],
    pub reasons: &'static str,
    pub granted: &'static str,
    /// What is granted in a startlån case, with the amount.
    pub granted_loan: &'static str,
    pub granted_establishment: &'static str,
    pub granted_adaptation: &'static str,
    /// Two conditions attached to a startlån.
    pub loan_conditions: [&'static str; 2],
    pub appeal_body_housing: &'static str,
    pub appeal_body_section6: &'static str,
    pub send_to: &'static str,
    pub interim_reason: &'static str,
    pub items: [&'static str; 2],
}

pub fn texts(language: Language) -> Texts {
    match language {
        Language::Nb => Texts {
            legal_basis_housing: "Retningslinjer for tildeling av kommunale boliger i Drammen kommune, vedtatt 04.02.2020",
            facts: [
                "Du bor midlertidig hos en venn og har ingen egen bolig.",
                "Husstanden består av deg og to barn på 4 og 7 år.",
            ],
            rule: [
                "Du må være folkeregistrert i Drammen (punkt 1.2)",
                "Du har vært folkeregistrert i Drammen siden 2019.",
                "Vilkåret er oppfylt.",
            ],
            reasons: "Vi har lagt vekt på at du har to små barn og ikke har en fast bolig. Barnas beste tilsier at familien får en stabil bosituasjon så raskt som mulig.\nVi har også vurdert om du kan skaffe bolig selv med startlån eller bostøtte. Inntekten din er for lav til startlån, og bostøtte alene er ikke nok til å leie en egnet bolig i det private markedet.",
            granted: "plass på ventelisten for en kommunal bolig med to soverom",
            granted_loan: "startlån på 2\u{a0}450\u{a0}000 kroner til kjøp av bolig, med nedbetalingstid 30 år",
            granted_establishment: "tilskudd til etablering på 150\u{a0}000 kroner",
            granted_adaptation: "tilskudd til tilpasning på 85\u{a0}000 kroner til trappeheis og bredere dører",
            loan_conditions: [
                "Lånet sikres med pant med prioritet etter banklånet.",
                "Boligen skal være din faste bolig så lenge du har lånet.",
            ],
            appeal_body_housing: "Klagenemnda i Drammen kommune",
            appeal_body_section6: "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus",
            send_to: "Boligtjenesten, Drammen kommune, Postboks 7500, 3008 Drammen",
            interim_reason: "Vi venter på opplysninger fra NAV om inntekten din. Vi kan ikke vurdere søknaden før vi har fått dem.",
            items: [
                "Kopi av leiekontrakten din eller oppsigelsen av den",
                "Skattemelding for 2025",
            ],
        },
        Language::Nn => Texts {
            legal_basis_housing: "Retningslinjer for tildeling av kommunale bustader i Drammen kommune, vedtekne 04.02.2020",
            facts: [
                "Du bur mellombels hos ein ven og har ingen eigen bustad.",
                "Hushaldet består av deg og to born på 4 og 7 år.",
            ],
            rule: [
                "Du må vere folkeregistrert i Drammen (punkt 1.2)",
                "Du har vore folkeregistrert i Drammen sidan 2019.",
                "Vilkåret er oppfylt.",
            ],
            reasons: "Vi har lagt vekt på at du har to små born og ikkje har ein fast bustad. Omsynet til kva som er best for borna, tilseier at familien får ein stabil busituasjon så snart som mogleg.\nVi har også vurdert om du kan skaffe bustad sjølv med startlån eller bustøtte. Inntekta di er for låg til startlån, og bustøtte åleine er ikkje nok til å leige ein eigna bustad på den private marknaden.",
            granted: "plass på ventelista for ein kommunal bustad med to soverom",
            granted_loan: "startlån på 2\u{a0}450\u{a0}000 kroner til kjøp av bustad, med nedbetalingstid 30 år",
            granted_establishment: "tilskot til etablering på 150\u{a0}000 kroner",
            granted_adaptation: "tilskot til tilpassing på 85\u{a0}000 kroner til trappeheis og breiare dører",
            loan_conditions: [
                "Lånet blir sikra med pant med prioritet etter banklånet.",
                "Bustaden skal vere den faste bustaden din så lenge du har lånet.",
            ],
            appeal_body_housing: "Klagenemnda i Drammen kommune",
            appeal_body_section6: "Statsforvaltaren i Østfold, Buskerud, Oslo og Akershus",
            send_to: "Bustadtenesta, Drammen kommune, Postboks 7500, 3008 Drammen",
            interim_reason: "Vi ventar på opplysningar frå NAV om inntekta di. Vi kan ikkje vurdere søknaden før vi har fått dei.",
            items: [
                "Kopi av leigekontrakten din eller oppseiinga av han",
                "Skattemelding for 2025",
            ],
        },
        Language::En => Texts {
            legal_basis_housing: "Guidelines for the allocation of municipal housing in Drammen municipality, adopted 4 February 2020",
            facts: [
                "You are staying temporarily with a friend and have no home of your own.",
                "Your household is you and two children aged 4 and 7.",
            ],
            rule: [
                "You must be registered as living in Drammen (point 1.2)",
                "You have been registered in Drammen since 2019.",
                "The condition is met.",
            ],
            reasons: "We have given weight to the fact that you have two young children and no permanent home. The best interests of the children mean that the family should have a stable home as soon as possible.\nWe have also considered whether you can find a home yourself with a start loan (startlån) or housing allowance (bostøtte). Your income is too low for a start-up loan, and housing allowance alone is not enough to rent suitable housing on the private market.",
            granted: "a place on the waiting list for a municipal flat with two bedrooms",
            granted_loan: "a start-up loan of NOK 2\u{a0}450\u{a0}000 to buy a home, repaid over 30 years",
            granted_establishment: "an establishment grant of NOK 150\u{a0}000",
            granted_adaptation: "an adaptation grant of NOK 85\u{a0}000 for a stairlift and wider doors",
            loan_conditions: [
                "The loan is secured by a mortgage ranking after the bank loan.",
                "The home must be your permanent home for as long as you have the loan.",
            ],
            appeal_body_housing: "the Appeals Board of Drammen municipality (Klagenemnda i Drammen kommune)",
            appeal_body_section6: "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus",
            send_to: "Boligtjenesten, Drammen kommune, Postboks 7500, 3008 Drammen",
            interim_reason: "We are waiting for information about your income from NAV. We cannot assess your application until we have received it.",
            items: [
                "A copy of your tenancy agreement or its termination",
                "Your tax return for 2025",
            ],
        },
    }
}

impl Texts {
    /// What is granted, for the case type.
    pub fn granted_for(&self, case_type: CaseType) -> &'static str {
        match case_type {
            CaseType::MunicipalHousing | CaseType::Section6Assistance | CaseType::TenancyRenewal => self.granted,
            CaseType::Startlan => self.granted_loan,
            CaseType::EstablishmentGrant => self.granted_establishment,
            CaseType::AdaptationGrant => self.granted_adaptation,
        }
    }
}

pub fn letter(language: Language, kind: LetterKind, case_type: CaseType, outcome: Outcome) -> Letter {
    let t = texts(language);
    let content = match kind {
        LetterKind::Decision => Content::Decision(Decision {
            outcome,
            legal_basis: match case_type {
                CaseType::MunicipalHousing => vec![t.legal_basis_housing.to_owned()],
                CaseType::Section6Assistance => {
                    vec!["boligsosialloven § 6".to_owned(), "boligsosialloven § 7".to_owned()]
                }
                CaseType::Startlan => vec!["forskrift om lån fra Husbanken kapittel 5 (startlån)".to_owned()],
                CaseType::EstablishmentGrant => {
                    vec!["Retningslinjer for tilskudd til etablering i egen bolig i Drammen kommune".to_owned()]
                }
                CaseType::AdaptationGrant => {
                    vec!["Retningslinjer for tilskudd til tilpasning av bolig i Drammen kommune".to_owned()]
                }
                CaseType::TenancyRenewal => vec![
                    t.legal_basis_housing.to_owned(),
                    "husleieloven §§ 9-3 og 11-1".to_owned(),
                ],
            },
            facts: t.facts.iter().map(|fact| (*fact).to_owned()).collect(),
            rules: vec![RuleLine {
                rule: t.rule[0].to_owned(),
                facts: t.rule[1].to_owned(),
                result_text: t.rule[2].to_owned(),
            }],
            reasons: t.reasons.to_owned(),
            granted_text: (outcome != Outcome::Refused).then(|| t.granted_for(case_type).to_owned()),
            conditions: Vec::new(),
            valid_until: (outcome != Outcome::Refused && case_type != CaseType::TenancyRenewal)
                .then_some(date!(2027 - 02 - 04)),
            section6: None,
            replaces_granted: false,
            renewal: (case_type == CaseType::TenancyRenewal).then(|| {
                if outcome == Outcome::Refused {
                    husly_letters::Renewal::NotRenewed {
                        address: "Tollbugata 3".to_owned(),
                        term_end: date!(2027 - 02 - 28),
                        transition_plan: t.reasons.to_owned(),
                        startlan_referral: true,
                    }
                } else {
                    husly_letters::Renewal::Renewed {
                        address: "Tollbugata 3".to_owned(),
                        from: date!(2027 - 03 - 01),
                        until: date!(2030 - 02 - 28),
                    }
                }
            }),
            appeal: Appeal {
                deadline_weeks: 3,
                appeal_body: match case_type {
                    CaseType::Section6Assistance => t.appeal_body_section6.to_owned(),
                    CaseType::MunicipalHousing
                    | CaseType::Startlan
                    | CaseType::EstablishmentGrant
                    | CaseType::AdaptationGrant
                    | CaseType::TenancyRenewal => t.appeal_body_housing.to_owned(),
                },
                send_to: t.send_to.to_owned(),
            },
        }),
        LetterKind::InterimAnswer => Content::InterimAnswer(InterimAnswer {
            reason: t.interim_reason.to_owned(),
            expected_by: date!(2026 - 03 - 02),
        }),
        LetterKind::RequestForInformation => Content::RequestForInformation(InformationRequest {
            items: t.items.iter().map(|item| (*item).to_owned()).collect(),
            deadline: date!(2026 - 02 - 25),
            reply_online: false,
        }),
        LetterKind::Offer => Content::Offer(offer()),
    };
    Letter {
        language,
        case_type,
        reference: "2026/1234".to_owned(),
        date: date!(2026 - 02 - 04),
        application_received: Some(date!(2026 - 01 - 12)),
        municipality: Sender {
            municipality_number: "3301".to_owned(),
            name: "Drammen kommune".to_owned(),
            unit: "Boligtjenesten".to_owned(),
            postal_address: vec!["Postboks 7500".to_owned(), "3008 Drammen".to_owned()],
            phone: "32 04 00 00".to_owned(),
            email: "postmottak@drammen.kommune.no".to_owned(),
            web: "www.drammen.kommune.no".to_owned(),
        },
        recipient: Recipient {
            name: "Åse Ødegård Hæhre".to_owned(),
            address_lines: vec!["Bjørnstjerne Bjørnsons gate 12".to_owned(), "3044 Drammen".to_owned()],
        },
        representation: None,
        contact: ContactPerson {
            name: "Kåre Sæther".to_owned(),
            phone: "32 04 12 34".to_owned(),
            email: "kare.saether@drammen.kommune.no".to_owned(),
        },
        content,
    }
}

/// An offer of a two-bedroom flat in Drammen at 9 850 kroner a month, to answer by 11 February
/// 2026, under Drammen's shipped rule (four reasonable grounds, one decline without one allowed,
/// silence counts as a decline).
pub fn offer() -> Offer {
    Offer {
        dwelling: OfferedDwelling {
            address_lines: vec!["Tollbugata 7, leilighet H0203".to_owned(), "3044 Drammen".to_owned()],
            dwelling_type: DwellingType::OrdinaryRental,
            bedrooms: 2,
            area_m2: Some(64),
            floor: Some(2),
            lift: Some(true),
            wheelchair_accessible: Some(false),
        },
        monthly_rent_ore: 985_050,
        available_from: Some(date!(2026 - 03 - 01)),
        answer_by: date!(2026 - 02 - 11),
        answer_online: false,
        decline_rules: DeclineRules {
            reasonable_grounds: vec![
                DeclineGround::HealthOrAccessibility,
                DeclineGround::Safety,
                DeclineGround::SchoolOrWork,
                DeclineGround::FoundOtherHousing,
            ],
            unreasonable_declines_allowed: 1,
            expiry_counts_as_decline: true,
        },
    }
}

/// An offer letter in `language` for municipal housing.
pub fn offer_letter(language: Language) -> Letter {
    letter(
        language,
        LetterKind::Offer,
        CaseType::MunicipalHousing,
        Outcome::Granted,
    )
}

/// A typical decision: bokmål, municipal housing, granted.
pub fn typical() -> Letter {
    letter(
        Language::Nb,
        LetterKind::Decision,
        CaseType::MunicipalHousing,
        Outcome::Granted,
    )
}

/// A granted startlån decision with an amount in what is granted and two conditions.
pub fn startlan_with_conditions(language: Language) -> Letter {
    let mut letter = letter(language, LetterKind::Decision, CaseType::Startlan, Outcome::Granted);
    let Content::Decision(decision) = &mut letter.content else {
        unreachable!("a decision letter")
    };
    decision.conditions = texts(language)
        .loan_conditions
        .iter()
        .map(|condition| (*condition).to_owned())
        .collect();
    decision.valid_until = Some(date!(2026 - 08 - 04));
    letter
}

/// The text of each page, extracted by lopdf through the fonts' ToUnicode maps, with runs of
/// whitespace (line breaks, no-break spaces) folded into one space.
pub fn page_texts(pdf: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|page| {
            let text = document.extract_text(&[*page]).expect("text extracts");
            text.split(char::is_whitespace)
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The letter's running text across pages: each page without its header (up to the letter's
/// date) and its footer (from the page number on), so that paragraphs broken by a page read whole.
pub fn flow_text(pages: &[String], language: Language) -> String {
    let (date, page_label) = match language {
        Language::Nb | Language::Nn => ("4. februar 2026", "Side"),
        Language::En => ("4 February 2026", "Page"),
    };
    let mut body = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let start = page.find(date).map_or(0, |at| at + date.len());
        let footer = format!("{page_label} {} ", index + 1);
        let end = page.rfind(&footer).unwrap_or(page.len());
        body.push(page[start..end].trim());
    }
    body.join(" ")
}
