//! A prepared installation for HTTP tests: two municipalities, one user per role in the first,
//! a "stranger" with every role in the second, households and API tokens.
#![allow(dead_code)]

use husly_domain::authz::Role;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::SyntheticPolicy;
use husly_domain::{HouseholdId, MunicipalityId, PersonId, UserId};
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::{Store, StoreOptions};
use std::collections::BTreeMap;

pub const PASSWORD: &str = "a long test password";

pub struct Fixture {
    pub home: MunicipalityId,
    pub other: MunicipalityId,
    /// E-mail and API token per role in the home municipality.
    pub users: BTreeMap<Role, (String, String)>,
    /// Holds every role, but only in the other municipality.
    pub stranger: (String, String),
    /// A user in the home municipality that admin routes act on.
    pub target_user: UserId,
    /// The follow-up worker of the home municipality (responsible for a follow-up plan).
    pub follow_up_worker: UserId,
    pub target_token: String,
    pub household: HouseholdId,
    pub person: PersonId,
    pub main_applicant_id: String,
    pub main_applicant_name: (String, String),
    pub other_household: HouseholdId,
    /// An application of the home household, with an interim-answer letter.
    pub case: husly_domain::CaseId,
    pub letter: String,
    pub document: String,
    /// The home municipality's action plan: a goal with a measure and an indicator reported
    /// by hand.
    pub plan: String,
    pub goal: String,
    pub measure: String,
    pub indicator: String,
    /// An indicator of the same goal computed from the cases (new housing applications).
    pub computed_indicator: String,
    /// A vacant dwelling of the home municipality, known to its property-management system as
    /// [`DWELLING_EXTERNAL_ID`].
    pub dwelling: String,
    /// A drawn allocation round of the home municipality whose one vacancy (another flat) is
    /// offered to the fixture's case: the offer is open.
    pub round: String,
    pub offer: String,
    /// The round's vacancy, offered by [`Fixture::offer`].
    pub offered_dwelling: String,
    /// A running fixed-term contract of the home household (a third flat), ending in seven
    /// months: beyond the renewal review's lead time (six), so the server opens no review for it
    /// unless a test moves its end nearer.
    pub tenancy: String,
    /// A partner organisation the partner role's user works for, and the household's consent to
    /// it in force, covering every category.
    pub partner_organisation: String,
    pub consent: String,
}

/// Moves the end of the fixture's contract (its term and its one period) to `days` from today,
/// as if it had been written so: before a server starts, its daily jobs see it so.
pub async fn move_term_end(store: &Store, tenancy: &str, days: i64) {
    let end = (super::today() + time::Duration::days(days)).to_string();
    for sql in [
        "UPDATE tenancy SET term_end = $1, to_date = $1 WHERE id = $2",
        "UPDATE tenancy_period SET to_date = $1 WHERE tenancy_id = $2",
    ] {
        sqlx::query(sql)
            .bind(&end)
            .bind(tenancy)
            .execute(store.pool())
            .await
            .expect("move the contract's end");
    }
}

/// The fixture dwelling's id in the property-management system.
pub const DWELLING_EXTERNAL_ID: &str = "FIX-1";

pub fn household_input(national_id: &str, given: &str, family: &str) -> HouseholdInput {
    HouseholdInput {
        address_line: "Modellveien 12".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: national_id.into(),
            given_name: given.into(),
            family_name: family.into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    }
}

pub async fn prepare(url: &str) -> Fixture {
    let store = Store::connect(url, &StoreOptions::default()).await.expect("connect");
    store.migrate().await.expect("migrate");
    let actor = Actor::cli("test fixture");
    let home = store
        .ensure_municipality("3301", "Drammen", false, &actor)
        .await
        .expect("home");
    let other = store
        .ensure_municipality("0301", "Oslo", false, &actor)
        .await
        .expect("other");
    let mut users = BTreeMap::new();
    let mut leader = None;
    let mut housing_manager = None;
    let mut follow_up_worker = None;
    let mut by_role = BTreeMap::new();
    for role in Role::ALL {
        let email = format!("{}@drammen.example", role.code());
        let id = store
            .create_user(&email, &format!("Test {}", role.code()), PASSWORD, &actor)
            .await
            .expect("user");
        store.grant_role(id, home.id, role, &actor).await.expect("role");
        if role == Role::ProtectedAddresses {
            // The permission is held beside a unit role, as in the demo.
            store
                .grant_role(id, home.id, Role::Caseworker, &actor)
                .await
                .expect("role");
        }
        if role == Role::Leader {
            leader = Some(id);
        }
        if role == Role::HousingManager {
            housing_manager = Some(id);
        }
        by_role.insert(role, id);
        if role == Role::FollowUpWorker {
            follow_up_worker = Some(id);
        }
        let (_, token) = store.create_token(id, "test", None, &actor).await.expect("token");
        users.insert(role, (email, token));
    }
    let stranger_id = store
        .create_user("stranger@oslo.example", "Stranger", PASSWORD, &actor)
        .await
        .expect("user");
    store
        .set_roles(stranger_id, other.id, &Role::ALL, &actor)
        .await
        .expect("roles");
    let (_, stranger_token) = store
        .create_token(stranger_id, "test", None, &actor)
        .await
        .expect("token");
    let target_user = store
        .create_user("target@drammen.example", "Target", PASSWORD, &actor)
        .await
        .expect("user");
    store
        .grant_role(target_user, home.id, Role::Partner, &actor)
        .await
        .expect("role");
    let (target, _) = store
        .create_token(target_user, "to revoke", None, &actor)
        .await
        .expect("token");

    let main_applicant_id = super::synthetic_id(1982, 4, 23, 150);
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let valid = validate_household(
        &household_input(&main_applicant_id, "Ingrid", "Skjærgård"),
        SyntheticPolicy::Allow,
        husly_usecases::Clock::system().today(),
    )
    .expect("valid");
    let household = store
        .create_household(home.id, &valid, &change)
        .await
        .expect("household");
    let person = store.household(home.id, household).await.expect("read").members[0]
        .person
        .id;
    let valid_other = validate_household(
        &household_input(&super::synthetic_id(1979, 9, 9, 160), "Tor", "Vintereik"),
        SyntheticPolicy::Allow,
        husly_usecases::Clock::system().today(),
    )
    .expect("valid");
    let other_household = store
        .create_household(other.id, &valid_other, &change)
        .await
        .expect("household");
    let today = super::today();
    let (case, _) = store
        .register_application(
            home.id,
            household,
            husly_domain::cases::CaseType::MunicipalHousing,
            &husly_domain::cases::ApplicationForm::default(),
            today,
            &change,
        )
        .await
        .expect("case");
    store
        .change_case(
            home.id,
            case,
            1,
            Some(&husly_store::cases::NewLetter {
                kind: "interim_answer",
                language: "nb",
                html: "<p>Foreløpig svar</p>",
                pdf: b"%PDF-1.7 fixture",
            }),
            &change,
            |case, _| case.send_interim_answer(today),
        )
        .await
        .expect("interim answer");
    let letter = store.letters(home.id, case).await.expect("letters")[0].id.clone();
    let document = store
        .add_document(
            home.id,
            husly_store::documents::Owner::Case(case),
            "leiekontrakt.pdf",
            husly_domain::documents::DocumentType::Pdf,
            b"%PDF-1.4 fixture",
            &actor,
        )
        .await
        .expect("document")
        .id;
    let (plan, goal, measure, indicator, computed_indicator) =
        action_plan(&store, home.id, leader.expect("a leader"), &actor).await;
    let manager = housing_manager.expect("a housing manager");
    let dwelling = dwelling(&store, home.id, manager, DWELLING_EXTERNAL_ID, "Tollbugata 7", &actor).await;
    let (round, offer, offered_dwelling) = round_with_offer(&store, home.id, manager, case, &actor).await;
    let tenancy = tenancy(&store, home.id, manager, household, &actor).await;
    let (partner_organisation, consent) =
        partner_with_consent(&store, (home.id, household, person), &by_role, &actor).await;
    store.close().await;
    Fixture {
        home: home.id,
        other: other.id,
        users,
        stranger: ("stranger@oslo.example".into(), stranger_token),
        target_user,
        follow_up_worker: follow_up_worker.expect("a follow-up worker"),
        target_token: target.id,
        household,
        person,
        main_applicant_id,
        main_applicant_name: ("Ingrid".into(), "Skjærgård".into()),
        other_household,
        case,
        letter,
        document,
        plan,
        goal,
        measure,
        indicator,
        computed_indicator,
        dwelling,
        round,
        offer,
        offered_dwelling,
        tenancy,
        partner_organisation,
        consent,
    }
}

/// A partner organisation of the home municipality that the partner role's user works for, and
/// the household's consent to it in force (every category, from a month ago for a year): the
/// walk's partner sees the household on it.
async fn partner_with_consent(
    store: &Store,
    (municipality, household, person): (MunicipalityId, HouseholdId, PersonId),
    by_role: &BTreeMap<Role, UserId>,
    actor: &Actor,
) -> (String, String) {
    let admin = by_role[&Role::Admin];
    let organisation = store
        .add_partner_organisation(
            municipality,
            "Bo-teamet",
            husly_domain::follow_up::PartnerKind::VoluntaryTeam,
            (actor, admin),
        )
        .await
        .expect("organisation");
    store
        .set_partner_membership(
            municipality,
            by_role[&Role::Partner],
            Some(&organisation),
            (actor, admin),
        )
        .await
        .expect("membership");
    let today = super::today();
    let fields = husly_domain::consent::ConsentFields {
        person,
        organisation: organisation.clone(),
        purpose: "Oppfølging i hjemmet".into(),
        categories: husly_domain::consent::ConsentCategory::ALL.to_vec(),
        valid_from: today - time::Duration::days(30),
        valid_to: today + time::Duration::days(335),
        evidence: husly_domain::consent::ConsentEvidence::SignedForm,
        given_by: husly_domain::consent::GivenBy::Person,
        guardian: None,
    };
    let change = Change {
        actor,
        user: Some(by_role[&Role::Caseworker]),
        reason: None,
    };
    let consent = store
        .record_consent(municipality, household, &fields, &change)
        .await
        .expect("consent");
    (organisation, consent)
}

/// A running fixed-term contract of `household` in a flat of its own, written in the store
/// directly (the walk needs a record; the contract's rules are tested with the use cases).
async fn tenancy(
    store: &Store,
    municipality: MunicipalityId,
    by: UserId,
    household: husly_domain::HouseholdId,
    actor: &Actor,
) -> String {
    let flat = dwelling(store, municipality, by, "FIX-3", "Tollbugata 11", actor).await;
    let today = super::today();
    let id = uuid::Uuid::now_v7().to_string();
    let (start, end) = (today - time::Duration::days(1000), today + time::Duration::days(220));
    husly_store::testing::execute_raw(
        store,
        &format!(
            "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, \
             heating_included, created_at, term, term_end, security_kind, security_ore, version) \
             VALUES ('{id}', '{municipality}', '{flat}', '{household}', '{start}', '{end}', 810000, 0, 1700000000000000, \
             'fixed', '{end}', 'deposit', 2430000, 1)"
        ),
    )
    .await
    .expect("tenancy");
    husly_store::testing::execute_raw(
        store,
        &format!(
            "INSERT INTO tenancy_period (tenancy_id, seq, municipality_id, from_date, to_date, monthly_rent_ore, created_at) \
             VALUES ('{id}', 1, '{municipality}', '{start}', '{end}', 810000, 1700000000000000)"
        ),
    )
    .await
    .expect("period");
    husly_store::testing::execute_raw(
        store,
        &format!("UPDATE dwelling SET status = 'let' WHERE id = '{flat}'"),
    )
    .await
    .expect("let");
    id
}

/// A drawn round with one vacancy offered to `case` (made in the store directly: the fixture's
/// case is not on the waiting list, and the walk needs records, not the rules that make them).
async fn round_with_offer(
    store: &Store,
    municipality: MunicipalityId,
    by: UserId,
    case: husly_domain::CaseId,
    actor: &Actor,
) -> (String, String, String) {
    use husly_store::allocation::{DrawnRound, NewOffer, NewRound};
    let flat = dwelling(store, municipality, by, "FIX-2", "Tollbugata 9", actor).await;
    let reference = store.case(municipality, case).await.expect("case").reference;
    let change = Change {
        actor,
        user: Some(by),
        reason: None,
    };
    let entries = vec![reference];
    let seed = husly_domain::allocation::draw::Seed([7; 32]);
    let new = NewRound {
        policy_version: "drammen-2020.1",
        policy_fingerprint: &husly_domain::allocation::policy::PriorityPolicy::embedded().fingerprint(),
        entries: &entries,
        input_hash: &husly_domain::allocation::draw::input_hash(&entries),
        commitment: &husly_domain::allocation::draw::commit(&seed),
        seed: &seed.to_hex(),
        dwellings: std::slice::from_ref(&flat),
    };
    let (round, _) = store.create_round(municipality, &new, &change).await.expect("round");
    let order = husly_domain::allocation::draw::draw(&seed, &entries);
    let drawn = DrawnRound {
        draw_order: &order,
        outcomes: serde_json::json!([[entries[0], { "outcome": "proposed", "dwelling": 0 }]]),
        lines: vec![(flat.clone(), Some((case, 100)))],
    };
    store
        .save_draw(municipality, &round, 1, &drawn, &change)
        .await
        .expect("draw");
    let today = super::today();
    let offer = NewOffer {
        round_id: Some(&round),
        dwelling_id: &flat,
        case,
        sent_on: today,
        answer_by: today + time::Duration::days(7),
        note: None,
    };
    let offer = store.create_offer(municipality, &offer, &change).await.expect("offer");
    (round, offer, flat)
}

/// A vacant two-bedroom flat in the home municipality's register.
async fn dwelling(
    store: &Store,
    municipality: MunicipalityId,
    by: UserId,
    external_id: &str,
    address: &str,
    actor: &Actor,
) -> String {
    use husly_domain::allocation::dwelling::{DwellingInput, DwellingStatus, validate_dwelling};
    let input = DwellingInput {
        external_id: external_id.into(),
        address_line: address.into(),
        postal_code: "3015".into(),
        dwelling_type: "ordinary_rental".into(),
        ownership: "municipal".into(),
        bedrooms: "2".into(),
        monthly_rent_kr: "9500".into(),
        ..Default::default()
    };
    let valid = validate_dwelling(&input, husly_domain::postal::PostalRegister::embedded(), "").expect("valid");
    let change = Change {
        actor,
        user: Some(by),
        reason: None,
    };
    store
        .create_dwelling(municipality, &valid, DwellingStatus::Vacant, super::today(), &change)
        .await
        .expect("dwelling")
}

/// An action plan for 2026–2029 with one goal, one measure, one indicator reported by hand and
/// one computed from the cases.
async fn action_plan(
    store: &husly_store::Store,
    municipality: MunicipalityId,
    leader: husly_domain::UserId,
    actor: &husly_store::audit::Actor,
) -> (String, String, String, String, String) {
    use husly_domain::action_plan::*;
    let change = Change {
        actor,
        user: Some(leader),
        reason: None,
    };
    let plan = store
        .create_action_plan(
            municipality,
            &PlanHeading {
                title: "Boligsosial handlingsplan 2026–2029".into(),
                period_from: 2026,
                period_to: 2029,
                adopted_on: None,
                council_ref: None,
            },
            &change,
        )
        .await
        .expect("plan");
    let goal = store
        .add_plan_goal(
            municipality,
            &plan,
            &GoalText {
                title: "Ingen skal være bostedsløse".into(),
                description: None,
            },
            &change,
        )
        .await
        .expect("goal");
    let measure = store
        .add_plan_measure(
            municipality,
            &plan,
            &goal,
            &MeasureDetails {
                title: "Bo-team for unge".into(),
                owner: "Boligkontoret".into(),
                deadline: None,
                status: MeasureStatus::Planned,
                budget_ore: None,
            },
            &change,
        )
        .await
        .expect("measure");
    let indicator = store
        .add_plan_indicator(
            municipality,
            &plan,
            &goal,
            &IndicatorDetails {
                name: "Bostedsløse (kartlegging)".into(),
                definition: None,
                unit: Unit::Count,
                direction: Direction::Decrease,
                baseline: Figure::whole(40),
                baseline_year: 2025,
                target: Figure::whole(20),
                target_year: 2029,
            },
            &change,
        )
        .await
        .expect("indicator");
    let computed = store
        .add_plan_indicator(
            municipality,
            &plan,
            &goal,
            &IndicatorDetails {
                name: "Nye søknader".into(),
                definition: Some("housing_applications_new".into()),
                unit: Unit::Count,
                direction: Direction::Increase,
                baseline: Figure::whole(0),
                baseline_year: 2025,
                target: Figure::whole(5),
                target_year: 2029,
            },
            &change,
        )
        .await
        .expect("computed indicator");
    (plan, goal, measure, indicator, computed)
}
