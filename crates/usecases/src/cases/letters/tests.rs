//! Every decision letter as the party reads it: each case type, granted and refused, in bokmål,
//! nynorsk and English, rendered from a real assessment through [`decision_letter`].

use super::*;
use husly_domain::cases::{ApplicationForm, CaseState, DecisionStatus};
use husly_domain::eligibility::{Facts, Member as AssessedMember, Override, RuleOutcome, assess};
use husly_domain::finance::CaseFinance;
use husly_domain::household::Relation;
use husly_domain::national_id::synthetic_tenor_next;
use husly_domain::{CaseId, DecisionId, HouseholdId, Lang, MunicipalityId, PersonId, UserId};
use husly_store::households::{Member, Person};
use std::collections::BTreeMap;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 16);
const DEMO: &str = "0301";
const DRAMMEN: &str = "3301";
/// A municipality whose own allocation rules are not in Husly (the default rule set applies).
const WITHOUT_RULES: &str = "1875";

fn person(given: &str, birth: Date, individual: u16) -> Person {
    Person {
        id: PersonId::new(),
        municipality_id: MunicipalityId::new(),
        national_id: synthetic_tenor_next(birth, individual),
        id_kind: "fodselsnummer".into(),
        given_name: given.into(),
        family_name: "Testesen".into(),
        birth_date: birth,
        phone: None,
        email: None,
        preferred_language: Lang::Nb,
    }
}

fn household(members: usize) -> Household {
    let mut people = vec![Member {
        person: person("Kari", date!(1988 - 04 - 12), 100),
        relation: Relation::MainApplicant,
        protection: None,
    }];
    if members > 1 {
        people.push(Member {
            person: person("Ola", date!(2015 - 09 - 03), 200),
            relation: Relation::Child,
            protection: None,
        });
    }
    Household {
        id: HouseholdId::new(),
        municipality_id: MunicipalityId::new(),
        address_line: "Diktervegen 4".into(),
        postal_code: "3040".into(),
        postal_city: "Drammen".into(),
        protection: None,
        from_date: date!(2020 - 01 - 01),
        to_date: None,
        version: 1,
        members: people,
    }
}

fn caseworker() -> User {
    User {
        id: UserId::new(),
        email: "saksbehandler@example.invalid".into(),
        display_name: "Siri Saksbehandler".into(),
        disabled: false,
        roles: BTreeMap::new(),
        municipalities: Vec::new(),
    }
}

fn form() -> ApplicationForm {
    serde_json::from_value(serde_json::json!({
        "current_housing": "private_rental",
        "current_housing_ends": "2027-01-31",
        "reasons": ["economy", "substance_use_or_mental_health"],
        "economy": [{ "incomes": [["wages", 260000]], "net_wealth_kr": 0 }],
        "lawful_residence": true,
        "registered_in_municipality_since": "2018-01-01",
        "rent_arrears": false,
        "confirmed": true
    }))
    .expect("a complete form")
}

fn finance(case_type: CaseType) -> Option<CaseFinance> {
    let value = match case_type {
        CaseType::Startlan => serde_json::json!({
            "kind": "startlan", "purpose": "purchase", "exception": "children_or_special_needs",
            "affordability": {
                "month": "2026-11",
                "household": { "adults": 1, "children_ages": [11] },
                "income_after_tax_kr": 38000,
                "loans": { "startlan": { "principal_kr": 2500000, "term_years": 30, "kind": "annuity" } }
            }
        }),
        CaseType::EstablishmentGrant | CaseType::AdaptationGrant => serde_json::json!({
            "kind": "grant",
            "grant": if case_type == CaseType::EstablishmentGrant { "establishment" } else { "adaptation" },
            "purpose": "trappeheis", "cost_kr": 200000, "applied_kr": 150000, "tenure": "owner"
        }),
        _ => return None,
    };
    Some(serde_json::from_value(value).expect("a case economy"))
}

/// The decision as proposed: the assessment of the day, with the caseworker's judgement on every
/// rule that needs one (met when granting, not met when refusing).
fn decided(case_type: CaseType, outcome: Outcome, number: &str, household: &Household) -> (Case, Decision) {
    let mut case = Case::received(
        CaseId::new(),
        household.municipality_id,
        household.id,
        "2026-000042".into(),
        case_type,
        form(),
        date!(2026 - 10 - 01),
    );
    case.state = CaseState::Approved;
    case.finance = finance(case_type);
    let members: Vec<AssessedMember> = household
        .members
        .iter()
        .map(|m| AssessedMember {
            birth_date: m.person.birth_date,
            relation: m.relation,
        })
        .collect();
    let affordability = case.finance.as_ref().and_then(|f| match f {
        CaseFinance::Startlan(s) => {
            husly_domain::startlan::assess(&s.affordability, husly_domain::startlan::StartlanRules::embedded()).ok()
        }
        CaseFinance::Grant(_) => None,
    });
    let facts = Facts {
        case_type,
        municipality_number: number,
        date: TODAY,
        members: &members,
        form: &case.form,
        finance: case.finance.as_ref(),
        affordability: affordability.as_ref(),
    };
    let rules = EligibilityRules::embedded();
    let first = assess(rules, &facts, &[]).expect("assessable");
    let verdict = if outcome.grants() {
        RuleOutcome::Met
    } else {
        RuleOutcome::NotMet
    };
    let overrides: Vec<Override> = first
        .results
        .iter()
        .filter(|r| r.computed == RuleOutcome::Manual)
        .map(|r| Override {
            rule: r.rule.clone(),
            outcome: verdict,
            reason: "Dokumentasjon i søknaden.".into(),
        })
        .collect();
    let mut assessment = assess(rules, &facts, &overrides).expect("assessable");
    if outcome == Outcome::Refused && assessment.results.iter().all(|r| r.outcome() != RuleOutcome::NotMet) {
        // Every rule met on its own: the refusal rests on the caseworker's judgement of one.
        let first_rule = assessment.results[0].rule.clone();
        assessment = assess(
            rules,
            &facts,
            &[Override {
                rule: first_rule,
                outcome: RuleOutcome::NotMet,
                reason: "Dokumentasjon i søknaden.".into(),
            }],
        )
        .expect("assessable");
    }
    let decision = Decision {
        id: DecisionId::new(),
        outcome,
        reasons: "Søknaden er vurdert.".into(),
        granted_text: Some("Det du har søkt om".into()),
        assessment: serde_json::to_value(&assessment).expect("json"),
        status: DecisionStatus::Approved,
        proposed_by: UserId::new(),
        proposed_by_name: "Siri Saksbehandler".into(),
        proposed_at: 0,
        decided_by: None,
        decided_at: None,
        sent_at: None,
        on_appeal: false,
        amount_ore: None,
        conditions: Vec::new(),
        section6: None,
        renewal: (case_type == CaseType::TenancyRenewal).then(|| {
            if outcome.grants() {
                husly_domain::cases::renewal::RenewalTerms::Renew {
                    until: time::macros::date!(2030 - 02 - 28),
                }
            } else {
                husly_domain::cases::renewal::RenewalTerms::End {
                    transition_plan: "Møte med NAV 1. mars 2027.".into(),
                    startlan_referral: true,
                }
            }
        }),
    };
    (case, decision)
}

/// The contract a renewal review letter is about.
fn reviewed_contract() -> husly_store::renewals::ReviewedContract {
    husly_store::renewals::ReviewedContract {
        tenancy_id: "t".into(),
        seq: 1,
        address_line: "Tollbugata 3".into(),
        address_protected: false,
        start: time::macros::date!(2024 - 03 - 01),
        period_end: Some(time::macros::date!(2027 - 02 - 28)),
        term_end: Some(time::macros::date!(2027 - 02 - 28)),
        notice_11_1_on: None,
        monthly_rent_ore: 900_000,
        ended_on: None,
    }
}

/// The letter's text, tags removed and entities read, in one line (no-break spaces as spaces).
fn text_of(letter: &Letter) -> String {
    let html = husly_letters::render_html_fragment(letter, templates()).expect("renders");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = [
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |text, (entity, c)| text.replace(entity, c));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn every_letter() -> Vec<(String, Language, Outcome, String)> {
    let mut letters = Vec::new();
    for number in [DEMO, DRAMMEN, WITHOUT_RULES] {
        for case_type in CaseType::ALL {
            for outcome in Outcome::ALL {
                // A renewal is renewed or not, never in part.
                if case_type == CaseType::TenancyRenewal && outcome == Outcome::PartlyGranted {
                    continue;
                }
                let contract = reviewed_contract();
                for members in [1, 2] {
                    let household = household(members);
                    let (case, decision) = decided(case_type, outcome, number, &household);
                    for code in ["nb", "nn", "en"] {
                        let letter = decision_letter(
                            &caseworker(),
                            number,
                            &case,
                            Party {
                                household: &household,
                                representative: None,
                                letter_address: None,
                            },
                            &decision,
                            (case_type == CaseType::TenancyRenewal).then_some(&contract),
                            code,
                            TODAY,
                        );
                        let context = format!("{number} {} {outcome:?} {members} {code}", case_type.code());
                        letters.push((context, letter.language, outcome, text_of(&letter)));
                    }
                }
            }
        }
    }
    letters
}

/// Whole words (letters only) of a text, as written.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_municipalities_wording_loads() {
    let _ = templates();
}

#[test]
fn nynorsk_letters_are_nynorsk_throughout() {
    // Bokmål forms a nynorsk text never uses (Språkrådet; the nynorsk of the letter templates).
    const BOKMAL: &[&str] = &[
        "ikke",
        "hvis",
        "noen",
        "mye",
        "søkerens",
        "Søkerens",
        "Norge",
        "loven",
        "forvaltningsloven",
        "boligsosialloven",
        "husstanden",
        "Husstanden",
        "husstandens",
        "Husstandens",
        "Levekostnader",
        "levekostnader",
        "betjeningsevne",
        "Betjeningsevne",
        "betjeningsevnen",
        "Betjeningsevnen",
        "bolig",
        "boligen",
        "hvilken",
        "hvordan",
        "ble",
        "mottatt",
        "fra",
        "følgende",
        "enn",
        "selv",
        "skaffe seg bolig",
    ];
    // A regulation is cited by its own (bokmål) name.
    let citations: Vec<&str> = EligibilityRules::embedded()
        .sources
        .iter()
        .map(|s| s.citation())
        .collect();
    let mut found = Vec::new();
    for (context, language, _, text) in every_letter() {
        if language != Language::Nn {
            continue;
        }
        let text = citations.iter().fold(text, |text, cited| text.replace(cited, ""));
        for word in words(&text) {
            if BOKMAL.contains(&word) {
                found.push(format!("{context}: «{word}»"));
            }
        }
    }
    found.dedup();
    assert!(found.is_empty(), "bokmål in nynorsk letters:\n{}", found.join("\n"));
}

#[test]
fn letters_show_no_codes_and_no_instructions_to_the_caseworker() {
    for (context, _, _, text) in every_letter() {
        for code in [
            "substance_use_or_mental_health",
            "private_rental",
            "children_or_special_needs",
            "_",
        ] {
            assert!(!text.contains(code), "{context}: a raw code «{code}» in\n{text}");
        }
        for instruction in ["Vurder om", "Consider whether", "Assess whether"] {
            assert!(
                !text.contains(instruction),
                "{context}: the caseworker's instruction «{instruction}» instead of the finding in\n{text}"
            );
        }
        assert!(
            !text.contains("må ikke vurderes"),
            "{context}: «må ikke vurderes» in\n{text}"
        );
    }
}

#[test]
fn a_household_with_children_has_their_best_interests_assessed_in_every_decision() {
    for (context, language, _, text) in every_letter() {
        let (name, verdict) = match language {
            Language::En => ("The child's best interests", "Assessed."),
            _ => ("Barnets beste", "Vurdert."),
        };
        let with_children = context.contains(" 2 ");
        assert_eq!(text.contains(name), with_children, "{context}:\n{text}");
        if with_children {
            assert!(
                text.contains(verdict),
                "{context}: the assessment is not shown:\n{text}"
            );
        }
    }
}

/// Forvaltningsloven § 36 (legal costs after a successful appeal) in every decision, and § 42
/// (asking that what is granted waits for the appeal) wherever something is carried out.
#[test]
fn decisions_name_legal_costs_and_postponed_implementation() {
    for (context, _, outcome, text) in every_letter() {
        assert!(
            text.contains("§ 36)") || text.contains("section 36 of"),
            "{context}:\n{text}"
        );
        let postpone = text.contains("§ 42)") || text.contains("section 42 of");
        assert_eq!(postpone, outcome != Outcome::Refused, "{context}:\n{text}");
    }
}

#[test]
fn numbers_agree_and_english_reads_naturally() {
    for (context, language, _, text) in every_letter() {
        for wrong in ["1 personer", "1 personar", "1 members", "until and including"] {
            assert!(!text.contains(wrong), "{context}: «{wrong}» in\n{text}");
        }
        let one = match language {
            Language::Nb | Language::Nn => "består av 1 person.",
            Language::En => "The household has 1 member.",
        };
        let two = match language {
            Language::Nb => "består av 2 personer.",
            Language::Nn => "består av 2 personar.",
            Language::En => "The household has 2 members.",
        };
        assert!(
            text.contains(one) || text.contains(two),
            "{context}: household size in\n{text}"
        );
    }
}

#[test]
fn a_refusal_shows_the_conditions_it_rests_on_a_grant_those_it_meets_and_a_partial_grant_says_so() {
    let not_met = ["Ikke oppfylt", "Ikkje oppfylt", "Not met"];
    for (context, _, outcome, text) in every_letter() {
        let says_not_met = not_met.iter().any(|n| text.contains(n));
        match outcome {
            Outcome::Refused => assert!(says_not_met, "{context}: a refusal names no condition not met:\n{text}"),
            Outcome::Granted => assert!(!says_not_met, "{context}: a grant with a condition not met:\n{text}"),
            Outcome::PartlyGranted => {
                let partly = [
                    "Vi innvilger deler av",
                    "Vi innvilgar delar av",
                    "We have granted part of",
                ];
                assert!(
                    partly.iter().any(|p| text.contains(p)),
                    "{context}: a partial grant that does not say so:\n{text}"
                );
            }
        }
    }
}

/// A municipality without its own rules in Husly says which rules its decision applied: the
/// conditions municipalities share, in the letter's language, never the rule file's own title.
#[test]
fn a_municipality_without_its_own_rules_says_which_rules_apply() {
    let default_title = EligibilityRules::embedded()
        .sources
        .iter()
        .find(|s| s.id == "husly-default")
        .map(|s| s.title.clone())
        .expect("the default rule set's source");
    let said = [
        "vilkårene som er felles for kommunenes tildeling av kommunal bolig",
        "vilkåra som er felles for tildelinga av kommunal bustad",
        "the conditions municipalities' allocation rules for municipal housing share",
    ];
    let mut seen = 0;
    for (context, _, _, text) in every_letter() {
        assert!(!text.contains(&default_title), "{context}: cites the rule file's title");
        // A renewal review applies the allocation rules too.
        let allocation = context.contains("municipal_housing") || context.contains("tenancy_renewal");
        if context.starts_with(WITHOUT_RULES) && allocation {
            assert!(said.iter().any(|s| text.contains(s)), "{context}:\n{text}");
            seen += 1;
        } else {
            assert!(said.iter().all(|s| !text.contains(s)), "{context}");
        }
    }
    assert!(seen > 0);
}

fn flat() -> ValidDwelling {
    ValidDwelling {
        external_id: None,
        address_line: "Tollbugata 7".into(),
        postal_code: "3044".into(),
        postal_city: "Drammen".into(),
        district: None,
        matrikkel: husly_domain::allocation::dwelling::Matrikkel::default(),
        unit_number: Some("H0203".into()),
        dwelling_type: DwellingType::OrdinaryRental,
        ownership: husly_domain::allocation::dwelling::OwnershipForm::Municipal,
        bedrooms: 2,
        area_m2: Some(64),
        floor: Some(2),
        lift: true,
        wheelchair_accessible: false,
        adapted: false,
        pets_allowed: false,
        monthly_rent_ore: 985_000,
    }
}

/// The offer letter of a granted household, from the register's flat and the shipped policy.
fn offer_text(code: &str, available_from: Option<Date>, rules: &OfferRules) -> (Language, String) {
    let household = household(2);
    let (case, _) = decided(CaseType::MunicipalHousing, Outcome::Granted, DRAMMEN, &household);
    let dwelling = flat();
    let terms = OfferTerms {
        dwelling: &dwelling,
        available_from,
        answer_by: TODAY + time::Duration::days(7),
        answer_online: false,
        rules,
    };
    let party = Party {
        household: &household,
        representative: None,
        letter_address: None,
    };
    let letter = offer_letter(&caseworker(), DRAMMEN, &case, party, &terms, code, TODAY);
    assert_eq!(letter.kind(), husly_letters::LetterKind::Offer);
    (letter.language, text_of(&letter))
}

/// The offer letter says what the register and the policy in force say: the flat with its
/// bruksenhetsnummer, the rent in kroner (stored in øre), the answer date, and the decline rule's
/// own values (the shipped policy: four reasonable grounds, one decline without one, silence
/// counts).
#[test]
fn an_offer_letter_states_the_register_and_the_policy_in_force() {
    use husly_domain::allocation::policy::PriorityPolicy;
    let shipped = &PriorityPolicy::embedded().offers;
    let (language, text) = offer_text("nb", None, shipped);
    assert_eq!(language, Language::Nb);
    for wanted in [
        "Tilbud om kommunal utleiebolig",
        "Adresse: Tollbugata 7 H0203, 3044 Drammen",
        "Type bolig: ordinær utleiebolig",
        "Soverom: 2",
        "Størrelse: 64 m²",
        "Heis: ja",
        "Tilgjengelig med rullestol: nei",
        "Husleie: 9 850 kroner per måned",
        "Svarfristen er 23. november 2026.",
        "Du svarer ved å ringe eller sende e-post til Siri Saksbehandler.",
        "Oppgi referansen 2026-000042.",
        "Du kan be om å få se boligen",
        "Boligen ligger for langt fra barnas skole eller fra arbeidet ditt.",
        "Du har skaffet deg en annen bolig selv.",
        "Du kan i alt takke nei uten rimelig grunn én gang.",
        "Vi regner det da som at du har takket nei uten rimelig grunn.",
        "får du et eget vedtak om det. Det vedtaket kan du klage på.",
    ] {
        assert!(text.contains(wanted), "missing «{wanted}» in:\n{text}");
    }
    for unwanted in ["Husleien er for høy", "Ledig fra", "Klagefristen", "Vi innvilger"] {
        assert!(!text.contains(unwanted), "«{unwanted}» in:\n{text}");
    }
    // A day the flat is free is shown only when it is later than today.
    let (_, text) = offer_text("nb", Some(TODAY), shipped);
    assert!(!text.contains("Ledig fra"), "{text}");
    let (_, text) = offer_text("nb", Some(date!(2026 - 12 - 01)), shipped);
    assert!(text.contains("Ledig fra: 1. desember 2026"), "{text}");

    // Another municipality's rule: every reason reasonable (listed once), none allowed without
    // one, silence not counted.
    let mut lenient = shipped.clone();
    lenient.reasonable_decline_reasons = DeclineReason::ALL.to_vec();
    lenient.reasonable_decline_reasons.push(DeclineReason::Rent);
    lenient.unreasonable_declines_allowed = 0;
    lenient.expiry_counts_as_decline = false;
    assert_eq!(
        decline_rules(&lenient).reasonable_grounds.len(),
        DeclineReason::ALL.len()
    );
    let (_, text) = offer_text("nb", None, &lenient);
    assert_eq!(text.matches("Husleien er for høy for deg.").count(), 1, "{text}");
    assert!(text.contains("Takker du nei uten rimelig grunn, kan kommunen ta deg av ventelisten."));
    assert!(
        text.contains("Det teller ikke som et nei uten rimelig grunn."),
        "{text}"
    );
    assert!(!text.contains("Du kan i alt takke nei"), "{text}");

    let (language, text) = offer_text("en", None, shipped);
    assert_eq!(language, Language::En);
    assert!(text.contains("Rent: NOK 9 850 a month"), "{text}");
    assert!(
        text.contains("The deadline for your answer is 23 November 2026."),
        "{text}"
    );
}

/// The nynorsk offer letter is nynorsk throughout, as the decision letters are ("enn" is nynorsk
/// too: "fleire gonger enn det").
#[test]
fn a_nynorsk_offer_letter_is_nynorsk_throughout() {
    const BOKMAL: &[&str] = &[
        "ikke",
        "hvis",
        "noen",
        "bolig",
        "boligen",
        "husstanden",
        "fra",
        "selv",
        "leie",
        "husleie",
        "Husleie",
        "svarer",
        "takker",
        "regner",
        "ganger",
        "gang",
        "ventelisten",
        "tilbudet",
        "tilbud",
        "Tilbud",
        "mener",
        "helsen",
        "barnas",
        "ønsker",
        "fornøyd",
        "avtaler",
    ];
    use husly_domain::allocation::policy::PriorityPolicy;
    let mut every_reason = PriorityPolicy::embedded().offers.clone();
    every_reason.reasonable_decline_reasons = DeclineReason::ALL.to_vec();
    for rules in [&PriorityPolicy::embedded().offers, &every_reason] {
        let (language, text) = offer_text("nn", Some(date!(2026 - 12 - 01)), rules);
        assert_eq!(language, Language::Nn);
        // The sender's unit is the municipality's own name for it.
        let text = text.replace("Boligtjenesten", "");
        let found: Vec<&str> = words(&text).into_iter().filter(|w| BOKMAL.contains(w)).collect();
        assert!(found.is_empty(), "bokmål in a nynorsk offer letter: {found:?}\n{text}");
        assert!(text.contains("Tilbod om kommunal utleigebustad"), "{text}");
        assert!(text.contains("Husleige: 9 850 kroner per månad"), "{text}");
    }
}

/// A protected household's letters go where the case file says post reaches it — the stored
/// address (fortrolig) or the contact route (strengt fortrolig) — never to the masked, empty
/// address the pages see; a renewal letter names the rented home by that address, or as "the
/// dwelling you rent" when it is a contact route.
#[test]
fn a_protected_households_letters_go_to_its_letter_address() {
    use husly_domain::protection::AddressProtection;
    let mut household = household(1);
    (household.address_line, household.postal_code, household.postal_city) =
        (String::new(), String::new(), String::new());
    let route = husly_store::protection::StoredAddress {
        address_line: "c/o Skatteetaten, Postboks 9200 Grønland".into(),
        postal_code: "0134".into(),
        postal_city: "Oslo".into(),
    };
    let mut contract = reviewed_contract();
    (contract.address_line, contract.address_protected) = (String::new(), true);
    for (level, named) in [
        (AddressProtection::Fortrolig, "c/o Skatteetaten, Postboks 9200 Grønland"),
        (AddressProtection::StrengtFortrolig, "boligen du leier"),
    ] {
        household.protection = Some(level);
        let (case, decision) = decided(CaseType::TenancyRenewal, Outcome::Granted, DRAMMEN, &household);
        let party = Party {
            household: &household,
            representative: None,
            letter_address: Some(&route),
        };
        let letter = decision_letter(
            &caseworker(),
            DRAMMEN,
            &case,
            party,
            &decision,
            Some(&contract),
            "nb",
            TODAY,
        );
        assert_eq!(
            letter.recipient.address_lines,
            vec![
                "c/o Skatteetaten, Postboks 9200 Grønland".to_string(),
                "0134 Oslo".to_string()
            ],
            "{level:?}"
        );
        assert!(text_of(&letter).contains(named), "{level:?}: {}", text_of(&letter));
    }
}
