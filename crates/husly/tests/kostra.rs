//! KOSTRA skjema 13 through the real server: three applications (one housed, one waiting, one
//! refused) move the figures by what they should; the warning about a new tenant without a main
//! reason names the case for a caseworker (a recorded read) and only counts it for a leader; the
//! CSV holds both years; another municipality's user sees none of it. Equity monitoring over the
//! same kind of data: suppressed aggregates, nothing recorded, nothing named.

use crate::common;

use common::fixture::{PASSWORD, household_input, prepare};
use common::{Database, start};
use husly_domain::DecisionId;
use husly_domain::authz::Role;
use husly_domain::cases::requests::{CheckedProposal, Delivery, Step};
use husly_domain::cases::{ApplicationForm, CaseAction, CaseType, Outcome};
use husly_domain::household::validate_household;
use husly_domain::kostra::KostraCategory;
use husly_domain::national_id::SyntheticPolicy;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use serde_json::Value;

fn step(action: CaseAction) -> Step {
    Step {
        action,
        reason: Some("test".into()),
        information_due: None,
        expiry: None,
        appeal: None,
    }
}

/// A new application of a household of its own, taken to a sent decision.
async fn decided(
    store: &Store,
    m: MunicipalityId,
    n: u16,
    outcome: Outcome,
    by: &Change<'_>,
    ok: &Change<'_>,
) -> (CaseId, String) {
    let today = common::today();
    let input = household_input(&common::synthetic_id(1990, 5, 5, 300 + n), "Test", "Telling");
    let valid = validate_household(&input, SyntheticPolicy::Allow, today).expect("valid");
    let household = store.create_household(m, &valid, by).await.unwrap();
    let (id, reference) = store
        .register_application(
            m,
            household,
            CaseType::MunicipalHousing,
            &ApplicationForm::default(),
            today,
            by,
        )
        .await
        .unwrap();
    store
        .change_case(m, id, 1, None, by, |c, _| {
            c.take_step(&step(CaseAction::StartAssessment), today, 12)
        })
        .await
        .unwrap();
    let proposal = CheckedProposal {
        outcome,
        reasons: "Vurdert.".into(),
        granted_text: None,
        amount_ore: None,
        conditions: vec![],
        section6: None,
        renewal: None,
    };
    let proposer = by.user.unwrap();
    store
        .change_case(m, id, 2, None, by, |c, _| {
            c.propose(DecisionId::new(), &proposal, proposer, serde_json::json!({}))
        })
        .await
        .unwrap();
    let approver = ok.user.unwrap();
    store
        .change_case(m, id, 3, None, ok, |c, latest| c.review(latest, approver, true, None))
        .await
        .unwrap();
    let letter = husly_store::cases::NewLetter {
        kind: "decision",
        language: "nb",
        html: "<p>Vedtak</p>",
        pdf: b"%PDF-1.7 test",
    };
    store
        .change_case(m, id, 4, Some(&letter), by, |c, latest| {
            c.send_decision(latest, today, Delivery::digital(today), 12)
        })
        .await
        .unwrap();
    (id, reference)
}

fn figure(form: &Value, key: &str) -> i64 {
    form["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {form}"))["value"]
        .as_i64()
        .unwrap_or_default()
}

fn warning<'a>(form: &'a Value, key: &str) -> &'a Value {
    form["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {form}"))
}

#[tokio::test]
async fn the_figures_follow_the_cases_and_the_warnings_name_them_only_to_caseworkers() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let m = fixture.home;
        let year = common::today().year();
        let api = format!("/api/v1/kostra/{year}?municipality=3301");
        let leader_token = fixture.users[&Role::Leader].1.clone();
        let caseworker_token = fixture.users[&Role::Caseworker].1.clone();
        let before = common::api_json(&server, &api, &leader_token).await;

        let actor = Actor::cli("test");
        let worker = store
            .create_user("kostra-saks@drammen.example", "Sara Saks", PASSWORD, &actor)
            .await
            .unwrap();
        let boss = store
            .create_user("kostra-godkj@drammen.example", "Gina Godkjenner", PASSWORD, &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: Some("test"),
        };
        let ok = Change {
            actor: &actor,
            user: Some(boss),
            reason: Some("test"),
        };
        let (housed, housed_ref) = decided(&store, m, 1, Outcome::Granted, &by, &ok).await;
        let (waiting, _) = decided(&store, m, 2, Outcome::Granted, &by, &ok).await;
        decided(&store, m, 3, Outcome::Refused, &by, &ok).await;
        store
            .classify_kostra(m, waiting, KostraCategory::AdaptedDwelling, &by)
            .await
            .unwrap();
        let household = store.case(m, housed).await.unwrap().household_id;
        let today = common::today();
        husly_store::testing::execute_raw(
            &store,
            &format!(
                "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000d101', '{m}', 'Kommunegata 2', '3015', 'Drammen', 2, 0, 1700000000000000)"
            ),
        )
        .await
        .unwrap();
        husly_store::testing::execute_raw(
            &store,
            &format!(
                "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, heating_included, created_at) \
                 VALUES ('01900000-0000-7000-8000-00000000e101', '{m}', '01900000-0000-7000-8000-00000000d101', '{household}', '{today}', NULL, 900000, 0, 1700000000000000)"
            ),
        )
        .await
        .unwrap();

        // The caseworker's read: the figures moved by what the three cases add, and the new
        // tenant without a main reason is named.
        let audit_before = common::audit_entries_by_people(&store).await;
        let after = common::api_json(&server, &api, &caseworker_token).await;
        assert_eq!(
            common::audit_entries_by_people(&store).await,
            audit_before + 1,
            "the read is recorded"
        );
        for (key, added) in [
            ("new_applications", 3),
            ("new_applications_decided", 3),
            ("new_applications_refused", 1),
            ("new_tenants", 1),
            ("new_tenants_unclassified", 1),
            ("waiting_list", 1),
            ("waiting_list_adapted_dwelling", 1),
            ("dwellings", 1),
        ] {
            assert_eq!(figure(&after, key) - figure(&before, key), added, "{key} on {}", db.url);
        }
        let unclassified = warning(&after, "new_tenants_unclassified");
        assert!(
            unclassified["cases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["reference"] == housed_ref.as_str() && c["id"] == housed.to_string().as_str()),
            "{unclassified}"
        );
        // The leader: counts only, nothing recorded.
        let audit_before = common::audit_entries_by_people(&store).await;
        let counted = common::api_json(&server, &api, &leader_token).await;
        assert_eq!(common::audit_entries_by_people(&store).await, audit_before);
        assert!(
            warning(&counted, "new_tenants_unclassified")["cases"].is_null(),
            "{counted}"
        );
        assert_eq!(figure(&counted, "new_tenants"), figure(&after, "new_tenants"));

        // The pages: the caseworker gets the case linked, the leader the count with no link.
        let page = format!("/kostra?year={year}");
        let caseworker = common::login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(
            html.contains(&format!("href=\"/cases/{housed}\">{housed_ref}</a>")),
            "{html}"
        );
        assert!(html.contains("Nye leietakere uten hovedårsak: "), "{html}");
        assert!(html.contains("KOSantnyinnflytt0000"), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let leader = common::login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let html = common::page_text(&server, &leader, &page).await;
        assert!(html.contains("Nye leietakere uten hovedårsak: "), "{html}");
        assert!(!html.contains(&housed_ref), "the leader sees no case");
        assert!(html.contains(&format!("<th scope=\"col\" class=\"numeric\">{}</th>", year - 1)));
        let refused = leader.get(server.url("/kostra?year=1999")).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("Skriv et år fra 2000 til i år"));

        // The CSV: both years, each figure with its code, formula-safe text.
        let csv = leader
            .get(server.url(&format!("/kostra.csv?year={year}")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let text = csv.text().await.unwrap();
        assert!(text.starts_with('\u{feff}'), "UTF-8 with BOM");
        let header = text.lines().next().unwrap();
        assert!(header.ends_with(&format!(";{year};{};Endring", year - 1)), "{header}");
        let tenants = format!(
            "Nye leietakere etter hovedårsak;Nye leietakere i alt;KOSantnyinnflytt0000;{};",
            figure(&after, "new_tenants")
        );
        assert!(text.contains(&tenants), "{text}");
        assert!(!text.contains(&housed_ref), "the CSV holds counts only");

        // Another municipality: not found through the API; its own page shows none of ours.
        let (_, stranger_token) = &fixture.stranger;
        let theirs = common::client()
            .get(server.url(&api))
            .bearer_auth(stranger_token)
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404);
        let stranger = common::login(&server, &fixture.stranger.0, PASSWORD).await;
        let html = common::page_text(&server, &stranger, &page).await;
        assert!(
            !html.contains(&housed_ref) && html.contains("KOSTRA skjema 13"),
            "{html}"
        );
        // A role without the figures: 403.
        let partner = common::login(&server, &fixture.users[&Role::Partner].0, PASSWORD).await;
        let status = partner.get(server.url(&page)).send().await.unwrap().status();
        assert_eq!(status, 403);
    }
}

/// Every count published in an equity answer: each is 0 or at least 5.
fn counts(equity: &Value) -> Vec<i64> {
    equity["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["groups"].as_array().unwrap().iter())
        .flat_map(|g| g["stages"].as_array().unwrap().iter())
        .filter_map(|c| c["count"].as_i64())
        .collect()
}

fn equity_cell<'a>(equity: &'a Value, by: &str, group: &str, stage: &str) -> &'a Value {
    let table = equity["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["by"] == by)
        .unwrap();
    let row = table["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .unwrap();
    row["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"] == stage)
        .unwrap()
}

/// Six single adults apply and are granted, five move in today: the equity tables show them as
/// single adults without a main reason, the last stage is not yet known, no count of 1–4 is
/// published, nothing is recorded as a read, and another municipality's user sees none of it.
#[tokio::test]
async fn equity_tables_count_the_year_and_suppress_small_numbers() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let m = fixture.home;
        let actor = Actor::cli("test");
        let worker = store
            .create_user("likeverd-saks@drammen.example", "Sara Saks", PASSWORD, &actor)
            .await
            .unwrap();
        let boss = store
            .create_user("likeverd-godkj@drammen.example", "Gina Godkjenner", PASSWORD, &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: Some("test"),
        };
        let ok = Change {
            actor: &actor,
            user: Some(boss),
            reason: Some("test"),
        };
        let today = common::today();
        // One flat each: a dwelling has one running tenancy at a time (schema 22).
        for n in 0..5u16 {
            husly_store::testing::execute_raw(
                &store,
                &format!(
                    "INSERT INTO dwelling (id, municipality_id, address_line, postal_code, postal_city, bedrooms, adapted, created_at) \
                     VALUES ('01900000-0000-7000-8000-00000000d3{n:02}', '{m}', 'Kommunegata 4', '3015', 'Drammen', 1, 0, 1700000000000000)"
                ),
            )
            .await
            .unwrap();
        }
        let mut not_housed = None;
        for n in 0..6u16 {
            let (case, _) = decided(&store, m, 10 + n, Outcome::Granted, &by, &ok).await;
            not_housed = Some(case);
            if n < 5 {
                let household = store.case(m, case).await.unwrap().household_id;
                husly_store::testing::execute_raw(
                    &store,
                    &format!(
                        "INSERT INTO tenancy (id, municipality_id, dwelling_id, household_id, from_date, to_date, monthly_rent_ore, heating_included, created_at) \
                         VALUES ('01900000-0000-7000-8000-00000000e3{n:02}', '{m}', '01900000-0000-7000-8000-00000000d3{n:02}', '{household}', '{today}', NULL, 900000, 0, 1700000000000000)"
                    ),
                )
                .await
                .unwrap();
            }
        }
        let year = today.year();
        let api = format!("/api/v1/equity/{year}?municipality=3301");
        let leader_token = fixture.users[&Role::Leader].1.clone();
        let audit_before = common::audit_entries_by_people(&store).await;
        let equity = common::api_json(&server, &api, &leader_token).await;
        assert_eq!(
            common::audit_entries_by_people(&store).await,
            audit_before,
            "aggregates: no read recorded"
        );
        assert!(counts(&equity).iter().all(|n| *n == 0 || *n >= 5), "{equity}");
        let housed = equity_cell(&equity, "household_type", "household_type.single_adult", "housed");
        assert_eq!(
            (housed["shown"].as_str(), housed["count"].as_i64()),
            (Some("count"), Some(5)),
            "{equity}"
        );
        // The sixth single adult was offered a flat the office withdrew: not offered. Once the
        // offer stands (declined), offered but not housed.
        let offered = |equity: &serde_json::Value| {
            equity_cell(equity, "household_type", "household_type.single_adult", "offered")["count"].as_i64()
        };
        assert_eq!(offered(&equity), Some(5), "the housed were offered: {equity}");
        husly_store::testing::execute_raw(
            &store,
            &format!(
                "INSERT INTO offer (id, municipality_id, dwelling_id, case_id, state, sent_on, answer_by, created_by, created_at, updated_at) \
                 VALUES ('01900000-0000-7000-8000-00000000f301', '{m}', '01900000-0000-7000-8000-00000000d300', '{}', 'withdrawn', '{today}', '{today}', '{worker}', 1700000000000000, 1700000000000000)",
                not_housed.unwrap()
            ),
        )
        .await
        .unwrap();
        assert_eq!(offered(&common::api_json(&server, &api, &leader_token).await), Some(5));
        husly_store::testing::execute_raw(
            &store,
            "UPDATE offer SET state = 'declined' WHERE id = '01900000-0000-7000-8000-00000000f301'",
        )
        .await
        .unwrap();
        assert_eq!(offered(&common::api_json(&server, &api, &leader_token).await), Some(6));
        let granted = equity_cell(&equity, "household_type", "household_type.single_adult", "granted");
        assert!(granted["count"].as_i64().unwrap_or_default() >= 6, "{equity}");
        let still = equity_cell(&equity, "household_type", "total", "still_housed_12_months");
        assert_eq!(still["shown"], "not_yet_known", "{equity}");
        let unclassified = equity_cell(&equity, "kostra_category", "not_classified", "housed");
        assert_eq!(unclassified["count"].as_i64(), Some(5), "{equity}");

        let leader = common::login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let html = common::page_text(&server, &leader, &format!("/equity?year={year}")).await;
        assert!(
            html.contains("Enslig voksen") && html.contains("ikke kjent ennå"),
            "{html}"
        );
        assert!(html.contains("<th scope=\"row\">Alle</th>"), "{html}");
        assert!(!html.contains("Ingrid") && !html.contains("Telling"), "no one is named");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let csv = leader
            .get(server.url(&format!("/equity.csv?year={year}")))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.unwrap();
        assert!(text.starts_with("\u{feff}Tabell;Gruppe;Søkte;Fikk ja;"), "{text}");
        assert!(
            text.contains("Etter husstandstype da de søkte;Enslig voksen;"),
            "{text}"
        );
        let refused = leader.get(server.url("/equity?year=1999")).send().await.unwrap();
        assert_eq!(refused.status(), 422);

        let (_, stranger_token) = &fixture.stranger;
        let theirs = common::client()
            .get(server.url(&api))
            .bearer_auth(stranger_token)
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404);
        let partner = common::login(&server, &fixture.users[&Role::Partner].0, PASSWORD).await;
        let status = partner.get(server.url("/equity")).send().await.unwrap().status();
        assert_eq!(status, 403);
    }
}
