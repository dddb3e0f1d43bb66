//! The daily expiry of lapsed approvals on the waiting list, on both backends: when the server
//! starts, its scheduler expires the fixture's approval whose validity ran out yesterday (an
//! event by the system, with the reason), leaves an approval still valid alone, and a second run
//! changes nothing; a caseworker reinstates it with a new period.

use crate::common;

use common::fixture::prepare;
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::cases::CaseState;

#[tokio::test]
async fn lapsed_approvals_expire_once_and_can_be_reinstated() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let today = common::today();
        // The fixture's case on the waiting list, its approval valid until yesterday.
        sqlx::query(
            "UPDATE application_case SET state = 'on_waiting_list', decided_on = received_on, valid_until = $1 \
             WHERE id = $2",
        )
        .bind((today - time::Duration::days(1)).to_string())
        .bind(f.case.to_string())
        .execute(store.pool())
        .await
        .unwrap();
        let server = start(&db, &[]);
        common::scheduler_settled(&store).await;
        let case = store.case(f.home, f.case).await.unwrap();
        assert_eq!(case.state, CaseState::Expired, "{}", db.url);
        let again = husly_usecases::approval_expiry::expire_lapsed_approvals(&store, today)
            .await
            .unwrap();
        assert_eq!(again, 0);
        let token = f.users[&Role::Caseworker].1.clone();
        let timeline = common::api_json(&server, &format!("/api/v1/cases/{}/timeline", f.case), &token).await;
        let expired = timeline["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "case.expire")
            .cloned()
            .unwrap_or_else(|| panic!("{timeline}"));
        assert_eq!(
            expired["reason"], "Godkjenningen gikk ut uten å bli fornyet.",
            "{expired}"
        );
        assert_eq!(expired["details"]["expiry_reason"], "validity_ended", "{expired}");

        // Reinstated by a caseworker: a new period, which the job leaves alone.
        let version = store.case(f.home, f.case).await.unwrap().version;
        let reinstated = common::client()
            .post(server.url(&format!("/api/v1/cases/{}/actions", f.case)))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "version": version, "action": "reinstate", "reason": "Søkte om fornyelse i tide" }))
            .send()
            .await
            .unwrap();
        assert_eq!(reinstated.status(), 200, "{}", reinstated.text().await.unwrap());
        let case = store.case(f.home, f.case).await.unwrap();
        assert_eq!(case.state, CaseState::OnWaitingList);
        assert!(case.valid_until.is_some_and(|d| d > today), "a new period");
        let again = husly_usecases::approval_expiry::expire_lapsed_approvals(&store, today)
            .await
            .unwrap();
        assert_eq!(again, 0, "a valid approval stays");
    }
}
