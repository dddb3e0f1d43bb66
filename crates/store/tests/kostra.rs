//! The KOSTRA main-reason classification on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set), and archives written before it (schema 12) still reading.

use husly_domain::cases::{ApplicationForm, CaseType, Reason};
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::kostra::KostraCategory;
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn kari() -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Prøvestien 4".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1985 - 03 - 04), 123).to_string(),
            given_name: "Kari".into(),
            family_name: "Klassifisert".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

/// A caseworker classifies; classifying again replaces the category and the timeline keeps both,
/// each with an audit entry; another municipality cannot; a classification needs a user.
#[tokio::test]
async fn the_caseworker_classifies_and_the_timeline_keeps_each_classification() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let household = store.create_household(m.id, &kari(), &cli).await.unwrap();
        let form = ApplicationForm {
            reasons: vec![Reason::Economy, Reason::RefugeeBackground],
            ..Default::default()
        };
        let (case, _) = store
            .register_application(
                m.id,
                household,
                CaseType::MunicipalHousing,
                &form,
                date!(2026 - 11 - 02),
                &cli,
            )
            .await
            .unwrap();
        assert_eq!(store.kostra_classification(m.id, case).await.unwrap(), None);
        let worker = store
            .create_user(
                "kostra@kommune.invalid",
                "Kåre Klassifiserer",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let by_worker = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        for category in [KostraCategory::Other, KostraCategory::Refugee] {
            store.classify_kostra(m.id, case, category, &by_worker).await.unwrap();
        }
        let kept = store
            .kostra_classification(m.id, case)
            .await
            .unwrap()
            .expect("classified");
        assert_eq!(kept.category, KostraCategory::Refugee, "{:?}", db.backend());
        assert_eq!(kept.classified_by, worker);
        assert_eq!(kept.classified_by_name, "Kåre Klassifiserer");
        assert!(kept.classified_at > 0);
        let events: Vec<serde_json::Value> = store
            .case_timeline(m.id, case)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "case.kostra_classified")
            .map(|e| e.details)
            .collect();
        assert_eq!(events.len(), 2);
        assert!(
            events.contains(&serde_json::json!({ "category": "refugee", "previous": "other" })),
            "{events:?}"
        );
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let audited = store.audit_entries(m.id, &filter).await.unwrap();
        assert_eq!(
            audited
                .iter()
                .filter(|e| e.action == "case.change" && e.details.contains("case.kostra_classified"))
                .count(),
            2
        );
        assert!(matches!(
            store
                .classify_kostra(other.id, case, KostraCategory::Other, &by_worker)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store
                .classify_kostra(m.id, case, KostraCategory::Other, &cli)
                .await
                .is_err()
        );
        assert_eq!(
            store
                .kostra_classification(m.id, case)
                .await
                .unwrap()
                .map(|c| c.category),
            Some(KostraCategory::Refugee),
            "nothing half-written"
        );
        // The classification goes through the archive and back.
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let text = String::from_utf8(archive).unwrap();
        assert!(text.contains("\"kostra_category\":\"refugee\""));
        assert!(!text.contains("main_reason"));
    }
}

/// An archive from before schema 12 carries `application_case.main_reason` and none of the
/// classification's columns: it still checks (the old column left out, the new ones empty);
/// from schema 12 on the old column is refused and the new ones are required.
#[test]
fn archives_from_before_the_classification_still_read() {
    let case = |columns: &str| {
        format!(
            "{{\"table\":\"application_case\",\"row\":{{\"id\":\"c\",\"municipality_id\":\"m\",\"household_id\":\"h\",\
             \"reference\":\"2026-000001\",\"case_type\":\"municipal_housing\",\"state\":\"received\",\"version\":1,\
             \"form\":\"{{}}\",\"overrides\":\"[]\",\"received_on\":\"2026-11-02\",\"assigned_to\":null,\
             \"interim_due\":null,\"interim_sent_on\":null,\"information_due\":null,\"decided_on\":null,\
             \"delivered_on\":null,\"appeal_deadline\":null,\"valid_until\":null,\"renewal_reminder_on\":null,\
             \"next_due\":null,\"due_order\":\"9999-12-31\",\"finance\":null,\"existing_tenant\":false,\
             \"children\":0,\"created_at\":1,\"updated_at\":1{columns}}}}}\n"
        )
    };
    let old = case(",\"main_reason\":\"economy\"");
    let new = case(",\"kostra_category\":\"other\",\"kostra_classified_by\":\"u\",\"kostra_classified_at\":2");
    let header = |schema: i64| format!("{{\"format\":\"husly-export\",\"version\":2,\"schema\":{schema}}}\n");
    let check =
        |text: String| husly_store::export::check_archive(std::io::Cursor::new(husly_store::export::seal(&text)));
    assert!(check(header(11) + &old).is_ok(), "{:?}", check(header(11) + &old));
    assert!(check(header(15) + &new).is_ok(), "{:?}", check(header(15) + &new));
    let error = check(header(15) + &old).unwrap_err().to_string();
    assert!(error.contains("application_case.kostra_category is missing"), "{error}");
    let both = case(
        ",\"kostra_category\":null,\"kostra_classified_by\":null,\"kostra_classified_at\":null,\"main_reason\":\"economy\"",
    );
    let error = check(header(15) + &both).unwrap_err().to_string();
    assert!(error.contains("main_reason"), "{error}");
}
