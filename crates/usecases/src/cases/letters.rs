//! From a case to a letter: the structured decision becomes `husly_letters` input, rendered as
//! an HTML fragment (shown inside the app's pages) and a PDF (stored with its hash).

use husly_catalogue::Tr;
use husly_domain::Lang;
use husly_domain::allocation::dwelling::{DwellingType, ValidDwelling};
use husly_domain::allocation::offer::DeclineReason;
use husly_domain::allocation::policy::OfferRules;
use husly_domain::cases::renewal::RenewalTerms;
use husly_domain::cases::section6::Section6Finding;
use husly_domain::cases::{CaseType, Outcome};
use husly_domain::eligibility::{Assessment, EligibilityRules, MunicipalityRules, RuleOutcome, RuleResult};
use husly_domain::representative::{Representative, RepresentativeKind};
use husly_letters::{
    Appeal, ContactPerson, Content, Decision as LetterDecision, DeclineGround, DeclineRules, InterimAnswer, Language,
    Letter, Offer as LetterOffer, OfferedDwelling, Recipient, Representation, RepresentativeRole, RuleLine, Sender,
    Templates,
};
use husly_store::accounts::User;
use husly_store::cases::{Case, Decision, NewLetter};
use husly_store::households::Household;
use husly_store::renewals::ReviewedContract;
use time::Date;

use crate::error::{UseCaseError, UseCaseResult};

/// A letter written out, ready to store with the change that sends it.
pub struct Rendered {
    pub language: &'static str,
    pub html: String,
    pub pdf: Vec<u8>,
}

impl Rendered {
    pub fn as_new<'a>(&'a self, kind: &'a str) -> NewLetter<'a> {
        NewLetter {
            kind,
            language: self.language,
            html: &self.html,
            pdf: &self.pdf,
        }
    }
}

fn language(code: &str) -> Language {
    match code {
        "nn" => Language::Nn,
        "en" => Language::En,
        _ => Language::Nb,
    }
}

fn language_code(language: Language) -> &'static str {
    match language {
        Language::Nb => "nb",
        Language::Nn => "nn",
        Language::En => "en",
    }
}

fn sender(m: &MunicipalityRules, number: &str) -> Sender {
    Sender {
        municipality_number: number.to_string(),
        name: m.letters.name.clone(),
        unit: m.letters.unit.clone(),
        postal_address: m.letters.postal_address.clone(),
        phone: m.letters.phone.clone(),
        email: m.letters.email.clone(),
        web: m.letters.web.clone(),
    }
}

/// The party a letter is about: the household, and its representative acting today, if any.
#[derive(Clone, Copy)]
pub struct Party<'a> {
    /// As pages see it: the address masked when a member has an address block.
    pub household: &'a Household,
    pub representative: Option<&'a Representative>,
    /// Where letters go when the household's address is protected: the stored address
    /// (fortrolig) or the recorded contact route (strengt fortrolig).
    pub letter_address: Option<&'a husly_store::protection::StoredAddress>,
}

impl<'a> Party<'a> {
    /// The party of a case file: whom its letters go to today.
    pub fn of(file: &'a super::CaseFile) -> Party<'a> {
        Party {
            household: &file.household,
            representative: file.representative.as_ref(),
            letter_address: file.letter_address.as_ref(),
        }
    }
}

fn party_name(household: &Household) -> String {
    household
        .main_applicant()
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_default()
}

/// Who the letter goes to: the party at the household's address, or, while the party has a
/// representative acting, the representative (forvaltningsloven § 12), naming the party.
fn addressee(
    Party {
        household,
        representative,
        letter_address,
    }: Party<'_>,
) -> (Recipient, Option<Representation>) {
    match representative {
        Some(r) => (
            Recipient {
                name: r.details.name.clone(),
                address_lines: r.address_lines(),
            },
            Some(Representation {
                role: match r.details.kind {
                    RepresentativeKind::Fullmektig => RepresentativeRole::Fullmektig,
                    RepresentativeKind::Verge => RepresentativeRole::Verge,
                },
                party_name: party_name(household),
                copy_to_party: r.details.copy_to_party,
            }),
        ),
        None => (
            Recipient {
                name: party_name(household),
                address_lines: match letter_address {
                    Some(a) => vec![a.address_line.clone(), format!("{} {}", a.postal_code, a.postal_city)],
                    None => vec![
                        household.address_line.clone(),
                        format!("{} {}", household.postal_code, household.postal_city),
                    ],
                },
            },
            None,
        ),
    }
}

fn contact(user: &User, m: &MunicipalityRules) -> ContactPerson {
    ContactPerson {
        name: user.display_name.clone(),
        phone: m.letters.phone.clone(),
        email: user.email.clone(),
    }
}

/// The catalogue's translator for a letter's language.
fn tr(language: Language) -> Tr {
    Tr::new(match language {
        Language::Nb => Lang::Nb,
        Language::Nn => Lang::Nn,
        Language::En => Lang::En,
    })
}

/// A condition as the letter shows it: the facts used and the finding, never the instruction the
/// caseworker was given. The finding starts with whether the condition is met; a judgement
/// names whose it is and gives its reason.
fn rule_line(result: &RuleResult, case_type: CaseType, language: Language) -> RuleLine {
    let tr = tr(language);
    let facts = result
        .facts
        .iter()
        .map(|fact| format!("{}: {}", tr.wording(&fact.label), tr.wording(&fact.value)))
        .collect::<Vec<_>>()
        .join("; ");
    // A rule of pure judgement has no recorded facts; the letter says whose judgement it is.
    let facts = if facts.is_empty() {
        tr.t("eligibility.letter.judgement_facts").to_string()
    } else {
        facts
    };
    let verdict = tr.t(match result.outcome() {
        // The children's best interests are weighed, not met or failed.
        RuleOutcome::Met | RuleOutcome::NotMet if result.is_weighed() => "eligibility.letter.verdict.assessed",
        RuleOutcome::Met => "eligibility.letter.verdict.met",
        RuleOutcome::NotMet => "eligibility.letter.verdict.not_met",
        RuleOutcome::Manual | RuleOutcome::NotApplicable => "eligibility.letter.verdict.open",
    });
    let result_text = match &result.overridden {
        Some(judgement) => {
            let whose = tr.t("eligibility.letter.whose_judgement");
            format!("{verdict} {whose}: {}", judgement.reason)
        }
        // An automatic finding says what was found; a rule left to judgement without one has
        // only its instruction, which is no finding.
        None if result.computed == RuleOutcome::Manual => verdict.to_string(),
        None => format!("{verdict} {}", tr.wording(&result.explanation)),
    };
    RuleLine {
        rule: tr.wording(&result.name(case_type)),
        facts,
        result_text,
    }
}

/// The conditions a decision rests on: for a refusal the ones not met (so the letter never
/// lists only met conditions under a refusal), for a grant every condition that applied.
fn rule_lines(assessment: &Assessment, granted: bool, language: Language) -> Vec<RuleLine> {
    // The children's best interests are always shown: every decision concerning them weighs them.
    let not_met = |r: &&RuleResult| r.outcome() == RuleOutcome::NotMet || r.is_weighed();
    let applied = |r: &&RuleResult| r.outcome() != RuleOutcome::NotApplicable;
    let refused_on = |r: &RuleResult| r.outcome() == RuleOutcome::NotMet && !r.is_weighed();
    let shown: Vec<&RuleResult> = if !granted && assessment.results.iter().any(refused_on) {
        assessment.results.iter().filter(not_met).collect()
    } else {
        assessment.results.iter().filter(applied).collect()
    };
    shown
        .into_iter()
        .map(|r| rule_line(r, assessment.case_type, language))
        .collect()
}

/// The legal basis of a municipal-housing decision in a municipality whose own allocation rules
/// are not in Husly: the conditions every municipality's rules share, said as such, never the
/// maintainers' name for the default rule set.
fn common_conditions(language: Language) -> &'static str {
    tr(language).t("letter.common_conditions")
}

fn legal_basis(case_type: CaseType, language: Language, rules_title: &str) -> Vec<String> {
    let tr = tr(language);
    let fvl = tr.t("letter.legal_basis.forvaltningsloven");
    let act = match case_type {
        CaseType::MunicipalHousing => rules_title,
        CaseType::Section6Assistance => tr.t("letter.legal_basis.boligsosialloven"),
        CaseType::Startlan => tr.t("letter.legal_basis.startlan"),
        CaseType::EstablishmentGrant | CaseType::AdaptationGrant => tr.t("letter.legal_basis.grant"),
        CaseType::TenancyRenewal => {
            return vec![
                rules_title.to_string(),
                tr.t("letter.legal_basis.husleieloven").to_string(),
                fvl.to_string(),
            ];
        }
    };
    vec![act.to_string(), fvl.to_string()]
}

/// The facts a loan or grant decision adds: what was applied for and, for a startlån, the
/// affordability test as it stood when the decision was proposed.
fn finance_facts(case: &Case, decision: &Decision, language: Language) -> Vec<String> {
    use husly_domain::finance::CaseFinance;
    use husly_domain::validation::{format_kr, format_ore_as_kr};
    let tr = tr(language);
    let mut facts = Vec::new();
    match &case.finance {
        Some(CaseFinance::Startlan(s)) => {
            let principal = format_kr(s.affordability.loans.startlan.principal_kr);
            let years = s.affordability.loans.startlan.term_years.to_string();
            facts.push(tr.f(
                "letter.fact.startlan_applied",
                &[("principal", &principal), ("years", &years)],
            ));
        }
        Some(CaseFinance::Grant(g)) => {
            let applied = format_kr(g.applied_kr);
            let cost = format_kr(g.cost_kr);
            facts.push(tr.f(
                "letter.fact.grant_applied",
                &[("applied", &applied), ("purpose", &g.purpose), ("cost", &cost)],
            ));
        }
        None => {}
    }
    let affordability: Option<husly_domain::startlan::AffordabilityResult> = decision
        .assessment
        .get("affordability")
        .and_then(|a| serde_json::from_value(a.clone()).ok());
    if let Some(a) = affordability {
        let (rate, margin) = match language {
            Language::Nb | Language::Nn => (a.stress_rate.with_decimal_comma(), a.stress_margin.with_decimal_comma()),
            Language::En => (a.stress_rate.to_string(), a.stress_margin.to_string()),
        };
        let margin = margin.trim_end_matches(" %");
        let living = format_ore_as_kr(a.living_costs.used_ore);
        let left = format_ore_as_kr(a.disposable_ore);
        facts.push(tr.f(
            "letter.fact.affordability",
            &[
                ("rate", &rate),
                ("margin", margin),
                ("living", &living),
                ("left", &left),
            ],
        ));
        facts.push(
            tr.t(match a.living_costs.source {
                husly_domain::startlan::LivingCostSource::OwnEstimate => "letter.fact.living_basis.own_estimate",
                husly_domain::startlan::LivingCostSource::ReferenceBudget => {
                    "letter.fact.living_basis.reference_budget"
                }
                husly_domain::startlan::LivingCostSource::SocialAssistanceFloor => {
                    "letter.fact.living_basis.social_assistance_floor"
                }
            })
            .to_string(),
        );
    }
    facts
}

/// Municipalities' own wording (`rules/letters/<kommunenummer>.toml`), on top of the built-in texts.
const OVERRIDES: &[(&str, &str)] = &[("3301", include_str!("../../../../rules/letters/3301.toml"))];

/// The letter texts with every municipality's overrides, checked once.
pub fn templates() -> &'static Templates {
    static TEMPLATES: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        OVERRIDES
            .iter()
            .fold(Templates::builtin(), |templates, (number, text)| {
                templates
                    .with_override(number, text)
                    .unwrap_or_else(|e| panic!("rules/letters/{number}.toml is invalid: {e}"))
            })
    })
}

/// The decision letter of a case, as of today, written out (off the async threads).
pub(crate) async fn render_decision(
    ctx: &crate::Ctx,
    file: &super::CaseFile,
    decision: &Decision,
    language: &str,
) -> UseCaseResult<Rendered> {
    let mut letter = decision_letter(
        &ctx.user,
        &file.number,
        &file.case,
        Party::of(file),
        decision,
        file.reviewed_contract.as_ref(),
        language,
        ctx.today,
    );
    // Boligsosialloven § 6 help already granted is ended or changed by this new decision.
    if file.case.case_type == CaseType::Section6Assistance {
        let earlier = ctx.store.decisions(file.municipality, file.case.id).await?;
        let granted_before = earlier.iter().any(|d| {
            d.id != decision.id && d.status == husly_domain::cases::DecisionStatus::Sent && d.outcome.grants()
        });
        if let Content::Decision(content) = &mut letter.content {
            content.replaces_granted = granted_before;
        }
    }
    render(letter).await
}

/// Renders the letter off the async executor: laying out and compressing a PDF is CPU work.
pub async fn render(letter: Letter) -> UseCaseResult<Rendered> {
    tokio::task::spawn_blocking(move || {
        let templates = templates();
        let html =
            husly_letters::render_html_fragment(&letter, templates).map_err(|e| UseCaseError::Letter(e.to_string()))?;
        let pdf = husly_letters::render_pdf(&letter, templates).map_err(|e| UseCaseError::Letter(e.to_string()))?;
        Ok(Rendered {
            language: language_code(letter.language),
            html,
            pdf,
        })
    })
    .await
    .map_err(|e| UseCaseError::Internal(format!("letter rendering stopped: {e}")))?
}

fn letter_case_type(case_type: CaseType) -> husly_letters::CaseType {
    match case_type {
        CaseType::MunicipalHousing => husly_letters::CaseType::MunicipalHousing,
        CaseType::Section6Assistance => husly_letters::CaseType::Section6Assistance,
        CaseType::Startlan => husly_letters::CaseType::Startlan,
        CaseType::EstablishmentGrant => husly_letters::CaseType::EstablishmentGrant,
        CaseType::AdaptationGrant => husly_letters::CaseType::AdaptationGrant,
        CaseType::TenancyRenewal => husly_letters::CaseType::TenancyRenewal,
    }
}

/// The contract as the letter names it. A protected household's contract comes masked from the
/// store; its letter names the home by the address post reaches (fortrolig), or, when that is a
/// contact route (strengt fortrolig), as "the dwelling you rent".
fn contract_as_named(contract: &ReviewedContract, party: &Party<'_>, language: Language) -> ReviewedContract {
    let mut named = contract.clone();
    if contract.address_protected {
        named.address_line = match (party.household.protection, party.letter_address) {
            (Some(husly_domain::protection::AddressProtection::Fortrolig), Some(a)) => a.address_line.clone(),
            _ => tr(language).t("letter.protected_dwelling").to_string(),
        };
    }
    named
}

/// What a renewal decision does to `contract`, as its letter says it.
fn renewal_of(decision: &Decision, contract: Option<&ReviewedContract>) -> Option<husly_letters::Renewal> {
    let contract = contract?;
    let period_end = contract.period_end?;
    Some(match decision.renewal.as_ref()? {
        RenewalTerms::Renew { until } => husly_letters::Renewal::Renewed {
            address: contract.address_line.clone(),
            from: period_end.next_day().unwrap_or(period_end),
            until: *until,
        },
        RenewalTerms::End {
            transition_plan,
            startlan_referral,
        } => husly_letters::Renewal::NotRenewed {
            address: contract.address_line.clone(),
            term_end: period_end,
            transition_plan: transition_plan.clone(),
            startlan_referral: *startlan_referral,
        },
    })
}

/// A decision's letter; `contract` is the contract a renewal review is about.
#[allow(clippy::too_many_arguments)]
pub fn decision_letter(
    user: &User,
    number: &str,
    case: &Case,
    party: Party<'_>,
    decision: &Decision,
    contract: Option<&ReviewedContract>,
    language_code: &str,
    today: Date,
) -> Letter {
    let household = party.household;
    let language = language(language_code);
    let named = contract.map(|c| contract_as_named(c, &party, language));
    let contract = named.as_ref();
    let rules = EligibilityRules::embedded();
    let municipality = rules.municipality(number);
    let assessment: Option<Assessment> = serde_json::from_value(decision.assessment.clone()).ok();
    let rules_title = if municipality.number == "default" {
        common_conditions(language).to_string()
    } else {
        rules
            .allocation_rules(number, husly_domain::rules::YearMonth::of(today))
            .ok()
            .and_then(|p| rules.sources.iter().find(|s| s.id == p.meta.source))
            .map_or_else(|| municipality.name.clone(), |s| s.citation().to_string())
    };
    let tr = tr(language);
    let members = household.members.len();
    let received = husly_domain::validation::format_date(case.received_on);
    let first_fact = match contract {
        // A review is the office's own: the contract, not an application, is where it starts.
        Some(contract) if case.case_type == CaseType::TenancyRenewal => tr.f(
            "letter.fact.contract",
            &[
                ("address", &contract.address_line),
                ("start", &husly_domain::validation::format_date(contract.start)),
                (
                    "term_end",
                    &contract
                        .period_end
                        .map(husly_domain::validation::format_date)
                        .unwrap_or_default(),
                ),
            ],
        ),
        _ => tr.f("letter.fact.received", &[("date", &received)]),
    };
    let mut facts = vec![
        first_fact,
        match members {
            1 => tr.t("letter.fact.household.one").to_string(),
            _ => tr.f("letter.fact.household.other", &[("count", &members.to_string())]),
        },
    ];
    facts.extend(finance_facts(case, decision, language));
    let validity = rules
        .allocation_rules(number, husly_domain::rules::YearMonth::of(today))
        .map(|p| p.values.validity_months)
        .unwrap_or(12);
    let granted = decision.outcome.grants();
    let valid_until = (granted && case.case_type == CaseType::MunicipalHousing)
        .then(|| husly_domain::cases::deadlines::validity(today, validity).0);
    let appeal_body = match case.case_type {
        // Loans and grants, like housing, are appealed to the municipality's own appeal body
        // (forvaltningsloven § 28 second paragraph).
        CaseType::MunicipalHousing
        | CaseType::Startlan
        | CaseType::EstablishmentGrant
        | CaseType::AdaptationGrant
        | CaseType::TenancyRenewal => municipality.appeal_body.clone(),
        // The rule files name the county governor in bokmål; a nynorsk letter says «Statsforvaltaren».
        CaseType::Section6Assistance => municipality
            .statsforvalter
            .replace("Statsforvalteren", tr.t("letter.statsforvalter")),
    };
    let send_to = std::iter::once(format!("{}, {}", municipality.letters.unit, municipality.letters.name))
        .chain(municipality.letters.postal_address.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let content = Content::Decision(LetterDecision {
        outcome: match decision.outcome {
            Outcome::Granted => husly_letters::Outcome::Granted,
            Outcome::PartlyGranted => husly_letters::Outcome::PartlyGranted,
            Outcome::Refused => husly_letters::Outcome::Refused,
        },
        legal_basis: legal_basis(case.case_type, language, &rules_title),
        facts,
        rules: assessment
            .map(|a| rule_lines(&a, granted, language))
            .unwrap_or_default(),
        reasons: decision.reasons.clone(),
        granted_text: decision
            .granted_text
            .clone()
            .filter(|_| granted)
            .map(|text| match decision.amount_ore {
                Some(amount) => format!("{text}: {}", husly_domain::validation::format_ore_as_kr(amount)),
                None => text,
            }),
        conditions: if granted {
            decision.conditions.clone()
        } else {
            Vec::new()
        },
        valid_until,
        // Set by `render_decision`, which reads the case's earlier decisions.
        replaces_granted: false,
        renewal: renewal_of(decision, contract),
        section6: decision
            .section6
            .filter(|_| decision.outcome != Outcome::Granted)
            .map(|finding| match finding {
                Section6Finding::CaseOpened => husly_letters::Section6Finding::CaseOpened,
                Section6Finding::NoNeed => husly_letters::Section6Finding::NoNeed,
                Section6Finding::AlreadyReceiving => husly_letters::Section6Finding::AlreadyReceiving,
                Section6Finding::Declined => husly_letters::Section6Finding::Declined,
            }),
        appeal: Appeal {
            deadline_weeks: 3,
            appeal_body,
            send_to,
        },
    });
    letter(user, number, case, party, language, today, content)
}

/// A request for the information the case needs, one item per line of `items`.
#[allow(clippy::too_many_arguments)]
pub fn information_letter(
    user: &User,
    number: &str,
    case: &Case,
    party: Party<'_>,
    items: &str,
    deadline: Date,
    reply_online: bool,
    language_code: &str,
    today: Date,
) -> Letter {
    let content = Content::RequestForInformation(husly_letters::InformationRequest {
        items: items
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        deadline,
        reply_online,
    });
    letter(user, number, case, party, language(language_code), today, content)
}

#[allow(clippy::too_many_arguments)]
pub fn interim_letter(
    user: &User,
    number: &str,
    case: &Case,
    party: Party<'_>,
    reason: &str,
    expected_by: Date,
    language_code: &str,
    today: Date,
) -> Letter {
    let content = Content::InterimAnswer(InterimAnswer {
        reason: reason.to_string(),
        expected_by,
    });
    letter(user, number, case, party, language(language_code), today, content)
}

/// What an offer letter says about the offer: the dwelling as registered, the day it is free (if
/// after today), the answer date, whether the party can answer on the status page, and the
/// municipality's offer rule in force.
pub struct OfferTerms<'a> {
    pub dwelling: &'a ValidDwelling,
    pub available_from: Option<Date>,
    pub answer_by: Date,
    pub answer_online: bool,
    pub rules: &'a OfferRules,
}

fn letter_dwelling_type(dwelling_type: DwellingType) -> husly_letters::DwellingType {
    match dwelling_type {
        DwellingType::OrdinaryRental => husly_letters::DwellingType::OrdinaryRental,
        DwellingType::CareDwelling => husly_letters::DwellingType::CareDwelling,
        DwellingType::YouthDwelling => husly_letters::DwellingType::YouthDwelling,
        DwellingType::SharedHousingUnit => husly_letters::DwellingType::SharedHousingUnit,
        DwellingType::Temporary => husly_letters::DwellingType::Temporary,
        DwellingType::Emergency => husly_letters::DwellingType::Emergency,
    }
}

fn decline_ground(reason: DeclineReason) -> DeclineGround {
    match reason {
        DeclineReason::HealthOrAccessibility => DeclineGround::HealthOrAccessibility,
        DeclineReason::Safety => DeclineGround::Safety,
        DeclineReason::SchoolOrWork => DeclineGround::SchoolOrWork,
        DeclineReason::Rent => DeclineGround::Rent,
        DeclineReason::Size => DeclineGround::Size,
        DeclineReason::Location => DeclineGround::Location,
        DeclineReason::Standard => DeclineGround::Standard,
        DeclineReason::FoundOtherHousing => DeclineGround::FoundOtherHousing,
        DeclineReason::Other => DeclineGround::Other,
    }
}

/// The decline rule as the letter states it: the policy's reasonable grounds in its order (each
/// once), the declines allowed, and whether silence counts.
pub fn decline_rules(rules: &OfferRules) -> DeclineRules {
    let mut grounds: Vec<DeclineGround> = Vec::new();
    for ground in rules.reasonable_decline_reasons.iter().copied().map(decline_ground) {
        if !grounds.contains(&ground) {
            grounds.push(ground);
        }
    }
    DeclineRules {
        reasonable_grounds: grounds,
        unreasonable_declines_allowed: rules.unreasonable_declines_allowed,
        expiry_counts_as_decline: rules.expiry_counts_as_decline,
    }
}

/// The offer of a dwelling to the party of `case` (tilbud om kommunal utleiebolig), from the
/// caseworker who makes it. The address line carries the flat's bruksenhetsnummer when the
/// register has one, as a postal address does ("Tollbugata 7 H0203").
#[allow(clippy::too_many_arguments)]
pub fn offer_letter(
    user: &User,
    number: &str,
    case: &Case,
    party: Party<'_>,
    terms: &OfferTerms<'_>,
    language_code: &str,
    today: Date,
) -> Letter {
    let d = terms.dwelling;
    let street = match &d.unit_number {
        Some(unit) if !unit.trim().is_empty() => format!("{} {}", d.address_line, unit.trim()),
        _ => d.address_line.clone(),
    };
    let content = Content::Offer(LetterOffer {
        dwelling: OfferedDwelling {
            address_lines: vec![street, format!("{} {}", d.postal_code, d.postal_city)],
            dwelling_type: letter_dwelling_type(d.dwelling_type),
            bedrooms: u8::try_from(d.bedrooms.max(0)).unwrap_or(u8::MAX),
            area_m2: d.area_m2.and_then(|a| u32::try_from(a).ok()).filter(|a| *a > 0),
            floor: d.floor.and_then(|f| i32::try_from(f).ok()),
            // The register records both as yes or no.
            lift: Some(d.lift),
            wheelchair_accessible: Some(d.wheelchair_accessible),
        },
        monthly_rent_ore: d.monthly_rent_ore,
        available_from: terms.available_from.filter(|from| *from > today),
        answer_by: terms.answer_by,
        answer_online: terms.answer_online,
        decline_rules: decline_rules(terms.rules),
    });
    letter(user, number, case, party, language(language_code), today, content)
}

/// The language a party's letters are written in: the one its decision letter went out in (the
/// caseworker chose it when sending), else the case's newest letter's, else the main applicant's
/// preferred language.
pub async fn party_language(store: &husly_store::Store, file: &super::CaseFile) -> UseCaseResult<&'static str> {
    let letters = store.letters(file.municipality, file.case.id).await?;
    let sent = letters
        .iter()
        .find(|l| l.kind == husly_letters::LetterKind::Decision.code())
        .or_else(|| letters.first())
        .and_then(|l| Language::from_code(&l.language));
    Ok(match sent {
        Some(language) => language_code(language),
        None => file
            .household
            .main_applicant()
            .map_or("nb", |p| p.preferred_language.code()),
    })
}

/// The parts every letter of a case shares: sender, recipient, reference, dates, contact.
fn letter(
    user: &User,
    number: &str,
    case: &Case,
    party: Party<'_>,
    language: Language,
    today: Date,
    content: Content,
) -> Letter {
    let municipality = EligibilityRules::embedded().municipality(number);
    let (recipient, representation) = addressee(party);
    Letter {
        language,
        case_type: letter_case_type(case.case_type),
        reference: case.reference.clone(),
        date: today,
        // A renewal review answers no application.
        application_received: (case.case_type != CaseType::TenancyRenewal).then_some(case.received_on),
        municipality: sender(municipality, number),
        recipient,
        representation,
        contact: contact(user, municipality),
        content,
    }
}

#[cfg(test)]
mod tests;
