//! Seeded application cases, built by the case lifecycle's own commands: every seeded case is in
//! a state the workflow can reach, with the decision, the events and the budget postings that
//! state implies, so the demo's buttons work on every one of them.

use super::{Generated, SplitMix64};
use crate::municipalities::Municipality;
use crate::{date_text, micros_of};
use husly_domain::cases::requests::{CheckedProposal, Step};
use husly_domain::cases::section6::Section6Finding;
use husly_domain::cases::{
    ApplicationForm, Case, CaseAction, CaseChange, CaseState, CaseType, CurrentHousing, DecisionChange, DecisionStatus,
    LatestDecision, LedgerEffect, Outcome, Reason, Refusal,
};
use husly_domain::household::Relation;
use husly_domain::{CaseId, DecisionId, HouseholdId, UserId};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Duration};

/// The two synthetic staff members seeded history is attributed to (four eyes need two).
#[derive(Debug, Clone, Copy)]
pub(super) struct SeedStaff {
    pub caseworker: UserId,
    pub approver: UserId,
}

/// Rows for the tables a seeded case writes to, in the archive's column order.
#[derive(Default)]
pub(super) struct SeededCases {
    pub cases: Vec<Vec<Value>>,
    pub decisions: Vec<Vec<Value>>,
    pub events: Vec<Vec<Value>>,
    pub ledger: Vec<Vec<Value>>,
}

/// Who lives in a household, as a startlån's living costs count them.
pub(super) struct Composition {
    adults: u32,
    couple: bool,
    children_ages: Vec<i32>,
}

impl Composition {
    pub(super) fn has_children(&self) -> bool {
        !self.children_ages.is_empty()
    }
}

pub(super) fn compositions(generated: &Generated, on: Date) -> HashMap<String, Composition> {
    let births: HashMap<&str, Date> = generated
        .people
        .iter()
        .filter_map(|p| {
            let date = husly_domain::validation::parse_date(p[6].as_str()?)?;
            Some((p[0].as_str()?, date))
        })
        .collect();
    let mut out: HashMap<String, Composition> = HashMap::new();
    for member in &generated.members {
        let (Some(household), Some(person), Some(relation)) =
            (member[0].as_str(), member[1].as_str(), member[3].as_str())
        else {
            continue;
        };
        let age = births
            .get(person)
            .map_or(40, |birth| husly_domain::bostotte::age_at(*birth, on));
        let entry = out.entry(household.to_string()).or_insert(Composition {
            adults: 0,
            couple: false,
            children_ages: Vec::new(),
        });
        if age < 18 {
            entry.children_ages.push(age);
        } else {
            entry.adults += 1;
        }
        if matches!(
            Relation::from_code(relation),
            Some(Relation::Spouse | Relation::Cohabitant)
        ) {
            entry.couple = true;
        }
    }
    out
}

/// A seeded case on its way: the case, its newest decision, and the rows written so far.
struct Seeding<'a> {
    case: Case,
    latest: Option<LatestDecision>,
    decision_row: Option<Vec<Value>>,
    out: &'a mut SeededCases,
}

fn at_noon(date: Date) -> i64 {
    micros_of(date.midnight().assume_utc()) + 12 * 3_600_000_000
}

impl Seeding<'_> {
    /// Applies one lifecycle command, as the store would: the case with the next version, the
    /// decision, the postings and the event. A seeded step the lifecycle refuses is a bug here.
    fn apply(&mut self, change: Result<CaseChange, Refusal>, by: UserId, on: Date) {
        let change = change.unwrap_or_else(|refusal| panic!("a seeded step is refused: {refusal}"));
        let m = self.case.municipality_id.to_string();
        match &change.decision {
            Some(DecisionChange::Propose {
                id,
                proposal,
                proposed_by,
                on_appeal,
                assessment,
            }) => {
                self.latest = Some(LatestDecision {
                    id: *id,
                    proposed_by: *proposed_by,
                    outcome: proposal.outcome,
                    status: DecisionStatus::Proposed,
                    amount_ore: proposal.amount_ore,
                    renew_until: None,
                });
                self.decision_row = Some(vec![
                    json!(id.to_string()),
                    json!(m),
                    json!(self.case.id.to_string()),
                    json!(proposal.outcome.code()),
                    json!(proposal.reasons),
                    proposal.granted_text.as_ref().map_or(Value::Null, |t| json!(t)),
                    json!(assessment.to_string()),
                    json!(DecisionStatus::Proposed.code()),
                    json!(proposed_by.to_string()),
                    json!(at_noon(on)),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    json!(*on_appeal),
                    proposal.amount_ore.map_or(Value::Null, |a| json!(a)),
                    json!(serde_json::to_string(&proposal.conditions).unwrap_or_default()),
                    proposal.section6.map_or(Value::Null, |f| json!(f.code())),
                    Value::Null,
                ]);
            }
            Some(DecisionChange::Review { status, by, .. }) => {
                if let (Some(latest), Some(row)) = (self.latest.as_mut(), self.decision_row.as_mut()) {
                    latest.status = *status;
                    row[7] = json!(status.code());
                    row[10] = json!(by.to_string());
                    row[11] = json!(at_noon(on));
                }
            }
            Some(DecisionChange::Send { .. }) => {
                if let (Some(latest), Some(row)) = (self.latest.as_mut(), self.decision_row.as_mut()) {
                    latest.status = DecisionStatus::Sent;
                    row[7] = json!(DecisionStatus::Sent.code());
                    row[12] = json!(at_noon(on));
                }
            }
            None => {}
        }
        for effect in &change.ledger {
            // A fresh case has nothing committed to release; a sent grant commits its amount.
            if let LedgerEffect::Commit {
                grant,
                amount_ore,
                on,
                decision,
            } = effect
            {
                self.out.ledger.push(vec![
                    json!(uuid::Uuid::now_v7().to_string()),
                    json!(m),
                    json!(i64::from(on.year())),
                    json!(grant.code()),
                    json!(self.case.id.to_string()),
                    json!(decision.to_string()),
                    json!("committed"),
                    json!(amount_ore),
                    json!(date_text(*on)),
                    json!(""),
                    json!(by.to_string()),
                    json!(at_noon(*on)),
                ]);
            }
        }
        self.out.events.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(m),
            json!(self.case.household_id.to_string()),
            json!(change.event),
            json!(by.to_string()),
            change.reason.as_ref().map_or(Value::Null, |r| json!(r)),
            json!(change.details.to_string()),
            json!(at_noon(on)),
            json!(self.case.id.to_string()),
        ]);
        let version = self.case.version + 1;
        self.case = change.case;
        self.case.version = version;
    }

    fn step(&mut self, action: CaseAction, by: UserId, on: Date, information_due: Option<Date>) {
        let step = Step {
            action,
            reason: (action == CaseAction::RequestInformation).then(|| "Siste lønnsslipp og leiekontrakt".into()),
            information_due,
            expiry: None,
            // A seeded appeal was posted two days before it was registered.
            appeal: (action == CaseAction::RegisterAppeal).then(|| {
                let sent_on = on - time::Duration::days(2);
                husly_domain::cases::requests::AppealReceipt {
                    sent_on,
                    channel: husly_domain::cases::requests::AppealChannel::Post,
                    in_time: self.case.appeal_deadline.is_none_or(|deadline| sent_on <= deadline),
                }
            }),
        };
        let change = self.case.take_step(&step, on, 12);
        self.apply(change, by, on);
    }
}

/// Days back the open caseload reaches: cases received within them are spread over the states a
/// housing office has open.
const RECENT_DAYS: u64 = 120;

/// Application cases for a share of the generated households, received over the last four
/// months and spread over the states a housing office has open, or, with years of history,
/// received over those years, the older ones decided (granted housing applications closed once
/// the household moved in); each reached by the workflow.
pub(super) fn generate_cases(
    rng: &mut SplitMix64,
    shares: super::EconomyShares,
    municipality: &Municipality,
    generated: &Generated,
    counters: &mut BTreeMap<i32, i64>,
    today: Date,
    staff: SeedStaff,
) -> SeededCases {
    let mut out = SeededCases::default();
    let households = compositions(generated, today);
    for household in &generated.households {
        if rng.below(100) >= u64::from(shares.case_percent) {
            continue;
        }
        let household_id = household[0].as_str().unwrap_or_default().to_string();
        let span = match shares.history_years {
            0 => RECENT_DAYS,
            years => 365 * u64::from(years),
        };
        let received = today - Duration::days(rng.below(span) as i64);
        let settled = (today - received).whole_days() >= RECENT_DAYS as i64;
        let counter = counters.entry(received.year()).or_insert(0);
        *counter += 1;
        let reference = format!("{}-{:06}", received.year(), counter);
        // The case type follows the reference, so the random sequence (and every figure seeded
        // before loans and grants existed) stays as it was.
        let case_type = seeded_case_type(*counter);
        let roll = rng.below(100);
        let target = match roll {
            _ if settled && roll < 80 => case_type.granted_state(),
            _ if settled => CaseState::Refused,
            0..25 => CaseState::Received,
            25..60 => CaseState::UnderAssessment,
            60..70 => CaseState::WaitingForInformation,
            70..80 => CaseState::DecisionProposed,
            80..95 => case_type.granted_state(),
            _ => CaseState::Refused,
        };
        let composition = households.get(&household_id);
        let finance = composition.and_then(|c| seeded_finance(case_type, *counter, received, c));
        let reason = *rng.pick(&Reason::ALL);
        let form = ApplicationForm {
            current_housing: Some(*rng.pick(&CurrentHousing::ALL)),
            reasons: vec![reason],
            lawful_residence: Some(true),
            registered_in_municipality_since: Some(received - Duration::days(365 * (1 + rng.below(10) as i64))),
            rent_arrears: Some(rng.below(10) == 0),
            confirmed: true,
            ..Default::default()
        };
        let decided = matches!(
            target,
            CaseState::OnWaitingList | CaseState::Granted | CaseState::Refused | CaseState::DecisionProposed
        )
        .then(|| (received + Duration::days(10 + rng.below(20) as i64)).min(today));
        let Ok(household_uuid) = household_id.parse() else {
            continue;
        };
        let mut case = Case::received(
            CaseId::new(),
            municipality.id,
            HouseholdId(household_uuid),
            reference.clone(),
            case_type,
            form.clone(),
            received,
        );
        case.finance = finance.clone();
        let mut seeding = Seeding {
            case,
            latest: None,
            decision_row: None,
            out: &mut out,
        };
        seeding.out.events.push(vec![
            json!(uuid::Uuid::now_v7().to_string()),
            json!(municipality.id.to_string()),
            json!(household_id),
            json!("case.received"),
            Value::Null,
            json!("Syntetiske demodata"),
            json!({ "reference": reference, "case_type": case_type.code() })
                .to_string()
                .into(),
            json!(at_noon(received)),
            json!(seeding.case.id.to_string()),
        ]);
        let started = (received + Duration::days(2)).min(today);
        if target != CaseState::Received {
            seeding.step(CaseAction::StartAssessment, staff.caseworker, started, None);
        }
        if target == CaseState::WaitingForInformation {
            let asked = (received + Duration::days(5)).min(today);
            seeding.step(
                CaseAction::RequestInformation,
                staff.caseworker,
                asked,
                Some(received + Duration::days(21)),
            );
        }
        if let Some(decided) = decided {
            let granted = target != CaseState::Refused;
            let proposal = CheckedProposal {
                outcome: if granted { Outcome::Granted } else { Outcome::Refused },
                reasons: if granted {
                    "Husstanden oppfyller vilkårene, og behovet er dokumentert.".into()
                } else {
                    "Husstanden har inntekt over grensen i kommunens retningslinjer.".into()
                },
                granted_text: granted.then(|| granted_text(case_type).into()),
                amount_ore: finance.as_ref().filter(|_| granted).map(|f| f.applied_ore()),
                conditions: Vec::new(),
                // Refused a dwelling, the household was assessed for § 6 help.
                section6: (!granted && case_type == CaseType::MunicipalHousing).then_some(Section6Finding::NoNeed),
                renewal: None,
            };
            let change = seeding
                .case
                .propose(DecisionId::new(), &proposal, staff.caseworker, json!({}));
            seeding.apply(change, staff.caseworker, decided.max(started));
            if target != CaseState::DecisionProposed {
                let change = seeding.case.review(seeding.latest.as_ref(), staff.approver, true, None);
                seeding.apply(change, staff.approver, decided);
                let change = seeding.case.send_decision(
                    seeding.latest.as_ref(),
                    decided,
                    husly_domain::cases::requests::Delivery::digital(decided),
                    12,
                );
                seeding.apply(change, staff.caseworker, decided);
            }
        }
        // An old housing application on the waiting list was closed when the household moved
        // in, months after the decision, unless it still waits.
        if let (true, CaseState::OnWaitingList, Some(decided)) = (settled, seeding.case.state, decided) {
            let moved_in = decided + Duration::days(20 + rng.below(400) as i64);
            if moved_in < today {
                seeding.step(CaseAction::Close, staff.caseworker, moved_in, None);
            }
        }
        let Seeding { case, decision_row, .. } = seeding;
        out.decisions.extend(decision_row);
        out.cases.push(case_row(&case, composition));
    }
    out
}

fn granted_text(case_type: CaseType) -> &'static str {
    match case_type {
        CaseType::MunicipalHousing => "Plass på ventelisten for kommunal utleiebolig",
        CaseType::Section6Assistance => "Veiledning og oppfølging i boligsøket",
        CaseType::Startlan => "Startlån til kjøp av bolig",
        CaseType::EstablishmentGrant => "Tilskudd til etablering i egen bolig",
        CaseType::AdaptationGrant => "Tilskudd til tilpasning av bolig",
        CaseType::TenancyRenewal => "Ny leiekontrakt",
    }
}

/// The case row in the archive's column order of `application_case`.
/// Seeded cases are not classified for KOSTRA: the case page suggests a category from the ticks.
fn case_row(case: &Case, composition: Option<&Composition>) -> Vec<Value> {
    let date = |d: Option<Date>| d.map_or(Value::Null, |d| json!(date_text(d)));
    let next_due = case.computed_next_due();
    let now = crate::now_micros();
    vec![
        json!(case.id.to_string()),
        json!(case.municipality_id.to_string()),
        json!(case.household_id.to_string()),
        json!(case.reference),
        json!(case.case_type.code()),
        json!(case.state.code()),
        json!(case.version),
        json!(serde_json::to_string(&case.form).unwrap_or_default()),
        json!("[]"),
        json!(date_text(case.received_on)),
        Value::Null,
        date(case.interim_due),
        date(case.interim_sent_on),
        date(case.information_due),
        date(case.decided_on),
        date(case.delivered_on),
        date(case.appeal_deadline),
        date(case.valid_until),
        date(case.renewal_reminder_on),
        date(next_due),
        json!(crate::cases::due_order(next_due)),
        case.finance
            .as_ref()
            .map_or(Value::Null, |f| json!(serde_json::to_string(f).unwrap_or_default())),
        json!(false),
        json!(composition.map_or(0, |c| c.children_ages.len() as i64)),
        json!(now),
        json!(now),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
    ]
}

/// Six in ten seeded cases are housing applications; the rest § 6, startlån and the two grants.
fn seeded_case_type(counter: i64) -> CaseType {
    match counter % 10 {
        6 => CaseType::Section6Assistance,
        7 => CaseType::Startlan,
        8 => CaseType::EstablishmentGrant,
        9 => CaseType::AdaptationGrant,
        _ => CaseType::MunicipalHousing,
    }
}

/// A plausible economy for a seeded loan or grant case, derived from its number.
fn seeded_finance(
    case_type: husly_domain::cases::CaseType,
    counter: i64,
    received: time::Date,
    household: &Composition,
) -> Option<husly_domain::finance::CaseFinance> {
    use husly_domain::cases::CaseType;
    use husly_domain::finance::{CaseFinance, GrantCase, GrantType, LoanPurpose, StartlanCase, Tenure};
    let spread = (counter * 7_919) % 100;
    match case_type {
        CaseType::Startlan => {
            // The household as registered: a single adult is never given a couple's living costs.
            let input = serde_json::json!({
                "month": format!("{}-{:02}", received.year(), u8::from(received.month())),
                "household": { "adults": household.adults, "couple": household.couple, "children_ages": household.children_ages },
                "income_after_tax_kr": 28_000 + 300 * spread,
                "maintenance_kr": 2_500,
                "loans": { "startlan": { "principal_kr": 1_800_000 + 10_000 * spread, "term_years": 30, "kind": "annuity" } },
                "financing": { "price_kr": 2_000_000 + 12_000 * spread, "purchase_costs_kr": 55_000, "equity_kr": 0 }
            });
            Some(CaseFinance::Startlan(StartlanCase {
                purpose: LoanPurpose::Purchase,
                exception: (spread % 4 == 0).then_some(husly_domain::finance::MeansTestException::MunicipalTenant),
                affordability: serde_json::from_value(input).ok()?,
            }))
        }
        CaseType::EstablishmentGrant | CaseType::AdaptationGrant => {
            let adaptation = case_type == CaseType::AdaptationGrant;
            let cost_kr = if adaptation {
                60_000 + 2_000 * spread
            } else {
                2_100_000 + 10_000 * spread
            };
            Some(CaseFinance::Grant(GrantCase {
                grant: if adaptation {
                    GrantType::Adaptation
                } else {
                    GrantType::Establishment
                },
                purpose: if adaptation {
                    ["Trappeheis", "Bredere dører og terskelfritt bad", "Rampe ved inngangen"][(spread % 3) as usize]
                        .into()
                } else {
                    "Kjøp av egen bolig sammen med startlån".into()
                },
                cost_kr,
                applied_kr: if adaptation {
                    cost_kr * 3 / 4
                } else {
                    150_000 + 1_000 * spread
                },
                tenure: if adaptation && spread % 2 == 0 {
                    Tenure::Tenant
                } else {
                    Tenure::Owner
                },
                landlord_consent: adaptation && spread % 2 == 0,
                startlan_reference: None,
            }))
        }
        _ => None,
    }
}
