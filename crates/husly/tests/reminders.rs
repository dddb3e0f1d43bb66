//! Reminders over HTTP on both backends, as the housing manager meets them: the fixture's
//! contract past its term when the server starts, so the night's job reminds the housing
//! managers; the count on the search page, the list with a link to the contract, marked done
//! with a confirmation, a stale mark refused as a conflict, opened again; the job on the
//! administrator's page; a caseworker sees no one else's reminder, an approver has none.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_store::{Store, StoreOptions};

#[tokio::test]
async fn a_contract_past_its_term_reminds_the_housing_manager() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        // The fixture's contract ran out yesterday, neither ended nor renewed.
        common::fixture::move_term_end(&store, &f.tenancy, -1).await;
        let server = start(&db, &[]);
        common::scheduler_settled(&store).await;

        let (email, _) = &f.users[&Role::HousingManager];
        let http = common::login(&server, email, PASSWORD).await;
        let search = common::page_text(&server, &http, "/search").await;
        assert!(search.contains("Du har 1 påminnelse."), "{search}");
        let html = common::page_text(&server, &http, "/reminders").await;
        assert!(
            html.contains("Leiekontrakten har løpt ut uten å være avsluttet eller fornyet")
                && html.contains(&format!("/tenancies/{}", f.tenancy)),
            "{html}"
        );
        let reminder = husly_store::reminders::Reader {
            user: store.user_by_email(email).await.unwrap().id,
            housing_manager: true,
            caseworker: false,
        };
        let kept = store.reminders_for(f.home, reminder, 0, 10).await.unwrap();
        assert_eq!(kept.len(), 1);
        let mark = format!("/reminders/{}", kept[0].id);
        let csrf = common::csrf_of(&server, &http, "/reminders").await;

        let done = http
            .post(server.url(&mark))
            .form(&[("csrf", csrf.as_str()), ("state", "done"), ("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let html = common::page_text(&server, &http, "/reminders").await;
        assert!(
            html.contains("Påminnelsen er markert som gjort.") && html.contains("Du har ingen påminnelser nå."),
            "{html}"
        );
        assert!(html.contains("Markert som gjort de siste 30 dagene"), "{html}");
        let search = common::page_text(&server, &http, "/search").await;
        assert!(!search.contains("påminnelse"), "no count when none are open");

        // The page as another manager saw it before: a conflict, nothing changed.
        let stale = http
            .post(server.url(&mark))
            .form(&[("csrf", csrf.as_str()), ("state", "done"), ("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 409);
        assert!(stale.text().await.unwrap().contains("endret av noen andre"));

        let reopened = http
            .post(server.url(&mark))
            .form(&[("csrf", csrf.as_str()), ("state", "open"), ("version", "2")])
            .send()
            .await
            .unwrap();
        assert_eq!(reopened.status(), 303);
        let html = common::page_text(&server, &http, "/reminders").await;
        assert!(html.contains("Påminnelsen er åpnet igjen."), "{html}");

        // The run is on the administrator's page of daily jobs.
        let (admin, _) = &f.users[&Role::Admin];
        let admin = common::login(&server, admin, PASSWORD).await;
        let jobs = common::page_text(&server, &admin, "/admin/jobs").await;
        assert!(jobs.contains("Påminnelser"), "{jobs}");

        // A caseworker has none of the manager's; an approver no reminders at all.
        let (email, _) = &f.users[&Role::Caseworker];
        let caseworker = common::login(&server, email, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, "/reminders").await;
        assert!(html.contains("Du har ingen påminnelser nå."), "{html}");
        let forbidden = caseworker
            .post(server.url(&mark))
            .form(&[
                (
                    "csrf",
                    common::csrf_of(&server, &caseworker, "/reminders").await.as_str(),
                ),
                ("state", "done"),
                ("version", "3"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forbidden.status(), 404, "not the caseworker's reminder");
        let (email, _) = &f.users[&Role::Approver];
        let approver = common::login(&server, email, PASSWORD).await;
        let refused = approver.get(server.url("/reminders")).send().await.unwrap();
        assert_eq!(refused.status(), 403);
    }
}
