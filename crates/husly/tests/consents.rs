//! Working with partners on consent, over HTTP on both backends: a partner sees a household
//! only on a consent in force to its organisation — not without one, not on an expired, a
//! scheduled or a withdrawn one — and only the consented categories; a withdrawal takes effect
//! at once; every partner read is audited with the consents it relied on; bad consents are
//! refused naming each field, and nothing is written.

use crate::common;

use common::fixture::{Fixture, PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::consent::{ConsentCategory, ConsentEvidence, ConsentFields, GivenBy};
use husly_domain::follow_up::PartnerKind;
use husly_domain::{MunicipalityId, UserId};
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::{Store, StoreOptions};
use time::Duration;

/// A partner user working for a new organisation of the home municipality.
async fn partner(store: &Store, f: &Fixture, name: &str) -> (String, String, String) {
    let actor = Actor::cli("test");
    let email = format!("{name}@partner.example");
    let user = store.create_user(&email, name, PASSWORD, &actor).await.unwrap();
    store.grant_role(user, f.home, Role::Partner, &actor).await.unwrap();
    let (_, token) = store.create_token(user, "test", None, &actor).await.unwrap();
    let admin = admin_id(store, f.home).await;
    let organisation = store
        .add_partner_organisation(f.home, name, PartnerKind::Nav, (&actor, admin))
        .await
        .unwrap();
    store
        .set_partner_membership(f.home, user, Some(&organisation), (&actor, admin))
        .await
        .unwrap();
    (email, token, organisation)
}

/// The user who administers `municipality` in the fixture.
async fn admin_id(store: &Store, municipality: MunicipalityId) -> UserId {
    store
        .users(Some(municipality))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "admin@drammen.example" || u.email == "stranger@oslo.example")
        .unwrap()
        .id
}

async fn consent(
    store: &Store,
    f: &Fixture,
    organisation: &str,
    categories: &[ConsentCategory],
    (from, to): (i64, i64),
) -> String {
    let today = common::today();
    let caseworker = store
        .users(Some(f.home))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "caseworker@drammen.example")
        .unwrap()
        .id;
    let actor = Actor::cli("test");
    let fields = ConsentFields {
        person: f.person,
        organisation: organisation.into(),
        purpose: "Oppfølging".into(),
        categories: categories.to_vec(),
        valid_from: today + Duration::days(from),
        valid_to: today + Duration::days(to),
        evidence: ConsentEvidence::Meeting,
        given_by: GivenBy::Person,
        guardian: None,
    };
    let change = Change {
        actor: &actor,
        user: Some(caseworker),
        reason: None,
    };
    store
        .record_consent(f.home, f.household, &fields, &change)
        .await
        .unwrap()
}

async fn status(server: &common::Server, http: &reqwest::Client, path: &str) -> u16 {
    http.get(server.url(path)).send().await.unwrap().status().as_u16()
}

async fn api_status(server: &common::Server, token: &str, path: &str) -> u16 {
    common::client()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_partner_sees_a_household_only_on_a_consent_in_force() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let h = f.household;
        let without = partner(&store, &f, "uten-samtykke").await;
        let expired = partner(&store, &f, "utlopt").await;
        consent(&store, &f, &expired.2, &[ConsentCategory::Contact], (-400, -1)).await;
        let scheduled = partner(&store, &f, "senere").await;
        consent(&store, &f, &scheduled.2, &[ConsentCategory::Contact], (1, 30)).await;
        let withdrawn = partner(&store, &f, "trukket").await;
        let gone = consent(&store, &f, &withdrawn.2, &[ConsentCategory::Contact], (-10, 30)).await;
        let contact_only = partner(&store, &f, "bare-kontakt").await;
        consent(&store, &f, &contact_only.2, &[ConsentCategory::Contact], (0, 0)).await;
        let server = start(&db, &[]);

        // The unit withdraws one through the page, with its confirmation and a reason.
        let (cw_email, _) = &f.users[&Role::Caseworker];
        let caseworker = common::login(&server, cw_email, PASSWORD).await;
        let confirm = common::page_text(
            &server,
            &caseworker,
            &format!("/households/{h}/consents?withdraw={gone}"),
        )
        .await;
        assert!(confirm.contains("Trekke tilbake samtykket?"), "{confirm}");
        let csrf = common::csrf_of(&server, &caseworker, &format!("/households/{h}/consents")).await;
        let refused = caseworker
            .post(server.url(&format!("/households/{h}/consents/{gone}/withdraw")))
            .form(&[("csrf", csrf.as_str()), ("reason", " ")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "a withdrawal needs a reason");
        let done = caseworker
            .post(server.url(&format!("/households/{h}/consents/{gone}/withdraw")))
            .form(&[("csrf", csrf.as_str()), ("reason", "Ringte og trakk samtykket")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let again = caseworker
            .post(server.url(&format!("/households/{h}/consents/{gone}/withdraw")))
            .form(&[("csrf", csrf.as_str()), ("reason", "Igjen")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409, "withdrawn once");

        let page = format!("/partner/households/{h}");
        let api = format!("/api/v1/partner/households/{h}");
        for (who, (email, token, _)) in [
            ("no consent", &without),
            ("expired", &expired),
            ("not yet started", &scheduled),
            ("withdrawn", &withdrawn),
        ] {
            let http = common::login(&server, email, PASSWORD).await;
            assert_eq!(status(&server, &http, &page).await, 404, "{who}: page");
            assert_eq!(api_status(&server, token, &api).await, 404, "{who}: API");
            let list = common::page_text(&server, &http, "/partner").await;
            assert!(!list.contains(&h.to_string()), "{who}: not on the list");
            let csrf = common::csrf_of(&server, &http, "/partner").await;
            let log = http
                .post(server.url(&format!("{page}/log")))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("kind", "phone_call"),
                    ("occurred_on", "01.12.2026"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(log.status(), 404, "{who}: log");
            // The unit's own doors stay closed to a partner, consent or not.
            assert_eq!(status(&server, &http, &format!("/households/{h}")).await, 403, "{who}");
        }

        // A contact consent shows the contact details and nothing else, and logs nothing.
        let (email, token, _) = &contact_only;
        let http = common::login(&server, email, PASSWORD).await;
        let list = common::page_text(&server, &http, "/partner").await;
        assert!(list.contains(&format!("/partner/households/{h}")), "on the list");
        let html = common::page_text(&server, &http, &page).await;
        assert!(
            html.contains("Modellveien 12") && html.contains("Skjærgård"),
            "contact shown"
        );
        assert!(
            !html.contains("Søknader og vedtak") && !html.contains("Registrer kontakt"),
            "{html}"
        );
        assert!(
            !html.contains("Husleie per måned") && !html.contains("leiekontrakt.pdf"),
            "{html}"
        );
        assert_eq!(
            status(&server, &http, &format!("{page}/documents/{}", f.document)).await,
            404,
            "no documents consent"
        );
        let view = common::api_json(&server, &api, token).await;
        assert_eq!(view["categories"], serde_json::json!(["contact"]));
        assert!(view["cases"].is_null() && view["follow_up"].is_null(), "{view}");
        assert!(
            view["contact"]["members"][0].get("national_id").is_none(),
            "no identity number"
        );
        let logged = common::client()
            .post(server.url(&format!("{api}/follow-up/entries")))
            .bearer_auth(token)
            .json(&serde_json::json!({"kind": "phone_call", "occurred_on": common::today().to_string(), "note": "Ringte"}))
            .send()
            .await
            .unwrap();
        assert_eq!(logged.status(), 404, "a contact consent logs nothing");

        // The fixture's partner holds every category: it sees the cases and logs a visit, and
        // the audit entries name the consent relied on.
        let (email, token) = &f.users[&Role::Partner];
        let http = common::login(&server, email, PASSWORD).await;
        let html = common::page_text(&server, &http, &page).await;
        assert!(
            html.contains("Søknader og vedtak") && html.contains("Registrer kontakt"),
            "all shown"
        );
        assert!(
            html.contains("Husleie per måned") && html.contains("leiekontrakt.pdf"),
            "economy and documents"
        );
        let file = http
            .get(server.url(&format!("{page}/documents/{}", f.document)))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert_eq!(file.bytes().await.unwrap().as_ref(), b"%PDF-1.4 fixture");
        let logged = common::client()
            .post(server.url(&format!("{api}/follow-up/entries")))
            .bearer_auth(token)
            .json(&serde_json::json!({"kind": "home_visit", "outcome": "held", "occurred_on": common::today().to_string(), "note": "Besøk hjemme"}))
            .send()
            .await
            .unwrap();
        assert_eq!(logged.status(), 201);
        let view: serde_json::Value = logged.json().await.unwrap();
        assert_eq!(view["follow_up"]["entries"][0]["note"], "Besøk hjemme");
        let entries = store
            .audit_entries(
                f.home,
                &AuditFilter {
                    limit: 3,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let purpose = format!("consent:{}", f.consent);
        assert!(
            entries
                .iter()
                .all(|e| e.purpose == purpose && e.actor_role == "partner"),
            "{entries:?}"
        );
        assert_eq!(entries[0].action, "partner.household_view");
        assert!(entries.iter().any(|e| e.action == "household.follow_up"), "{entries:?}");

        // Withdrawn through the API: the next read is refused at once.
        let (_, cw_token) = &f.users[&Role::Caseworker];
        let withdrawn = common::client()
            .post(server.url(&format!("/api/v1/households/{h}/consents/{}/withdraw", f.consent)))
            .bearer_auth(cw_token)
            .json(&serde_json::json!({"reason": "Ba om det i møte"}))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), 200);
        let answer: serde_json::Value = withdrawn.json().await.unwrap();
        assert_eq!(answer["state"], "withdrawn");
        assert_eq!(status(&server, &http, &page).await, 404, "withdrawn: no more access");
        assert_eq!(api_status(&server, token, &api).await, 404);
    }
}

#[tokio::test]
async fn bad_consents_are_refused_naming_the_field_and_nothing_is_written() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let admin = admin_id(&store, f.other).await;
        let actor = Actor::cli("test");
        let elsewhere = store
            .add_partner_organisation(f.other, "NAV Oslo", PartnerKind::Nav, (&actor, admin))
            .await
            .unwrap();
        let server = start(&db, &[]);
        let h = f.household;
        let (_, token) = &f.users[&Role::Caseworker];
        let before = store.consents_of_household(f.home, h).await.unwrap().len();
        let good = serde_json::json!({
            "person_id": f.person.to_string(), "organisation_id": f.partner_organisation,
            "purpose": "Oppfølging fra NAV", "categories": ["case"], "valid_from": "2026-12-01",
            "valid_to": "2027-11-30", "evidence": "signed_form", "given_by": "person"
        });
        let cases = [
            ("purpose", serde_json::json!("")),
            ("categories", serde_json::json!([])),
            ("valid_to", serde_json::json!("2026-11-30")),
            ("person_id", serde_json::json!(f.other_household.to_string())),
            ("organisation_id", serde_json::json!(elsewhere)),
        ];
        for (field, value) in cases {
            let mut body = good.clone();
            body[field] = value;
            let answer = common::client()
                .post(server.url(&format!("/api/v1/households/{h}/consents")))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 422, "{field}");
            let errors: serde_json::Value = answer.json().await.unwrap();
            let named: Vec<&str> = errors["error"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            assert_eq!(named, [field], "{errors}");
        }
        assert_eq!(
            store.consents_of_household(f.home, h).await.unwrap().len(),
            before,
            "nothing written"
        );

        // The page names the fields too, keeps what was typed, and records a good one.
        let (email, _) = &f.users[&Role::FollowUpWorker];
        let http = common::login(&server, email, PASSWORD).await;
        let csrf = common::csrf_of(&server, &http, &format!("/households/{h}/consents")).await;
        let person = f.person.to_string();
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("person", person.as_str()),
            ("given_by", "guardian"),
            ("organisation", f.partner_organisation.as_str()),
            ("purpose", "Samarbeid om bolig"),
            ("valid_from", "01.12.2026"),
            ("valid_to", "01.11.2026"),
            ("evidence", "meeting"),
        ];
        let refused = http
            .post(server.url(&format!("/households/{h}/consents")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        for message in [
            "Kryss av for minst én type opplysninger.",
            "Samtykket kan ikke slutte før det begynner.",
        ] {
            assert!(html.contains(message), "{message}");
        }
        assert!(html.contains("Samarbeid om bolig"), "what was typed is kept");
        form.retain(|(k, _)| *k != "valid_to" && *k != "given_by");
        form.extend([
            ("valid_to", "30.11.2027"),
            ("given_by", "person"),
            ("categories", "contact"),
            ("categories", "case"),
        ]);
        let recorded = http
            .post(server.url(&format!("/households/{h}/consents")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(recorded.status(), 303);
        let kept = store.consents_of_household(f.home, h).await.unwrap();
        assert_eq!(kept.len(), before + 1);
        assert_eq!(kept[0].categories, [ConsentCategory::Contact, ConsentCategory::Case]);
        let html = common::page_text(&server, &http, &format!("/households/{h}/consents")).await;
        assert!(
            html.contains("Samtykket er registrert.") && html.contains("Søknader og vedtak"),
            "{html}"
        );
        let timeline = store.timeline(f.home, h).await.unwrap();
        assert!(timeline.iter().any(|e| e.kind == "household.consent_recorded"));
    }
}
