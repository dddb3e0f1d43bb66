//! Follow-up in the home through the pages and the API, on both backends: the follow-up worker
//! makes a plan (a review day in the past and empty goals are refused, naming the fields, and
//! nothing is saved), agrees a measure, logs a missed home visit and a complaint; with the rent
//! ledger's arrears the household tops the caseload with its signals in words; closing the plan
//! is confirmed first, moves the household to "all" without a plan, and is undone with a reason;
//! the housing manager logs a complaint but keeps no plan; the approver reads but logs nothing.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::rules::YearMonth;
use husly_domain::validation::format_date;

#[tokio::test]
async fn a_plan_is_kept_its_visits_logged_and_the_caseload_ordered_by_risk() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let server = start(&db, &[]);
        let h = f.household;
        let page = format!("/households/{h}/follow-up");
        let worker = common::login(&server, &f.users[&Role::FollowUpWorker].0, PASSWORD).await;
        let today = common::today();

        let html = common::page_text(&server, &worker, &page).await;
        assert!(html.contains("Husstanden har ingen aktiv oppfølgingsplan."), "{html}");
        assert!(html.contains("Registrer kontakt eller besøk"), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let csrf = common::hidden(&html, "csrf");
        let post = |path: String, fields: Vec<(&'static str, String)>| {
            let mut fields = fields;
            fields.push(("csrf", csrf.clone()));
            worker.post(server.url(&path)).form(&fields).send()
        };

        // A bad plan: every problem named, nothing saved.
        let refused = post(
            format!("{page}/plan"),
            vec![
                ("goals", " ".into()),
                ("responsible", f.follow_up_worker.to_string()),
                ("partner_kind", "voluntary_team".into()),
                ("review_on", format_date(today - time::Duration::days(1))),
            ],
        )
        .await
        .unwrap();
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains("href=\"#f-start-goals\""), "{text}");
        assert!(text.contains("Skriv navnet på samarbeidspartneren."), "{text}");
        assert!(
            text.contains("Datoen for evaluering kan ikke være før i dag."),
            "{text}"
        );
        assert!(common::raw_keys(&text).is_empty(), "{:?}", common::raw_keys(&text));
        let html = common::page_text(&server, &worker, &page).await;
        assert!(
            html.contains("Husstanden har ingen aktiv oppfølgingsplan."),
            "nothing saved"
        );

        let made = post(
            format!("{page}/plan"),
            vec![
                ("goals", "Beholde boligen og betale husleien hver måned".into()),
                ("responsible", f.follow_up_worker.to_string()),
                ("partner_kind", "voluntary_team".into()),
                ("partner_name", "Bo-teamet i bymisjonen".into()),
                ("review_on", format_date(today + time::Duration::days(90))),
            ],
        )
        .await
        .unwrap();
        assert_eq!(made.status(), 303);
        let html = common::page_text(&server, &worker, &page).await;
        assert!(html.contains("Oppfølgingsplanen er laget."), "confirmation: {html}");
        assert!(html.contains("Frivillig bo-team (Bo-teamet i bymisjonen)"), "{html}");
        let plan_id = html
            .split(&format!("{page}/plan/"))
            .nth(1)
            .and_then(|rest| rest.split(['"', '/']).next())
            .expect("the plan's forms")
            .to_string();
        let version = common::hidden(&html, "version");
        let measure = post(
            format!("{page}/plan/{plan_id}/measures"),
            vec![
                ("version", version),
                ("text", "Søke bostøtte".into()),
                ("owner", "Husstanden med bo-oppfølger".into()),
                ("due_on", format_date(today + time::Duration::days(14))),
            ],
        )
        .await
        .unwrap();
        assert_eq!(measure.status(), 303);

        // The log: a phone call with an outcome is refused on the outcome; a missed visit and a
        // complaint are kept.
        let refused = post(
            format!("{page}/log"),
            vec![
                ("kind", "phone_call".into()),
                ("outcome", "held".into()),
                ("occurred_on", format_date(today)),
                ("note", "Ringte".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("href=\"#f-log-outcome\""));
        for (kind, outcome, note) in [
            ("home_visit", "missed", ""),
            ("neighbour_complaint", "", "Naboen klaget på bråk om natten"),
        ] {
            let logged = post(
                format!("{page}/log"),
                vec![
                    ("kind", kind.into()),
                    ("outcome", outcome.into()),
                    ("occurred_on", format_date(today)),
                    ("note", note.into()),
                ],
            )
            .await
            .unwrap();
            assert_eq!(logged.status(), 303, "{kind}");
        }
        let html = common::plain(&common::page_text(&server, &worker, &page).await);
        assert!(html.contains("Kontakten er registrert."), "{html}");
        assert!(html.contains("Hjemmebesøk – Nei, husstanden møtte ikke"), "{html}");
        assert!(html.contains("Naboen klaget på bråk om natten"), "{html}");
        assert!(html.contains("Søke bostøtte"), "{html}");

        // Rent arrears from the ledger: two months unpaid.
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let reference = store.contract(f.home, &f.tenancy).await.unwrap().reference;
        let m0 = YearMonth::of(today);
        let m1 = m0.previous();
        let csv = format!(
            "Leieforhold;Periode;Forfalt;Innbetalt\n{reference};{};8100;0\n{reference};{};8100;0\n",
            m1.written(),
            m0.written()
        );
        let manager_token = f.users[&Role::HousingManager].1.clone();
        let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("reskontro.csv");
        let imported = common::client()
            .post(server.url("/api/v1/tenancies/ledger?municipality=3301"))
            .bearer_auth(&manager_token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        assert_eq!(imported.status(), 200);

        // The caseload: the household with its signals in words, and through the API.
        let list = common::plain(&common::page_text(&server, &worker, "/follow-up").await);
        assert!(list.contains(&format!("href=\"/households/{h}/follow-up\"")), "{list}");
        assert!(list.contains("Husleierestanse på 16 200"), "{list}");
        assert!(list.contains("Naboklager siste tiden: 1"), "{list}");
        assert!(list.contains("Avtaler husstanden ikke møtte til: 1"), "{list}");
        assert!(common::raw_keys(&list).is_empty(), "{:?}", common::raw_keys(&list));
        let token = f.users[&Role::FollowUpWorker].1.clone();
        let json = common::api_json(&server, "/api/v1/follow-up/caseload?municipality=3301", &token).await;
        let line = &json["households"][0];
        assert_eq!(line["household_id"], h.to_string(), "{json}");
        let kinds: Vec<&str> = line["signals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["arrears", "neighbour_complaints", "missed_appointments"],
            "{json}"
        );
        assert_eq!(line["risk_score"], 4 + 3 + 2, "{json}");
        assert_eq!(line["signals"][0]["arrears_ore"], 1_620_000);
        assert_eq!(json["settings_verified"], false);
        let other = common::api_json(&server, "/api/v1/follow-up/caseload?municipality=3301", &manager_token).await;
        assert_eq!(
            other["households"].as_array().unwrap().len(),
            0,
            "not the manager's plans: {other}"
        );

        // Closing is confirmed first; closed, the household is on "all" without a plan.
        let html = common::page_text(&server, &worker, &page).await;
        let version = common::hidden(&html, "version");
        let asked = post(
            format!("{page}/plan/{plan_id}/close"),
            vec![("version", version.clone()), ("reason", "declined".into())],
        )
        .await
        .unwrap();
        assert_eq!(asked.status(), 200);
        let text = asked.text().await.unwrap();
        assert!(text.contains("Vil du avslutte oppfølgingen?"), "{text}");
        assert!(
            common::page_text(&server, &worker, "/follow-up")
                .await
                .contains("Husleierestanse"),
            "not yet closed"
        );
        let closed = post(
            format!("{page}/plan/{plan_id}/close"),
            vec![
                ("version", version),
                ("reason", "declined".into()),
                ("confirmed", "yes".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(closed.status(), 303);
        let mine = common::page_text(&server, &worker, "/follow-up").await;
        assert!(
            mine.contains("Du er ikke ansvarlig for noen aktive oppfølgingsplaner."),
            "{mine}"
        );
        let all = common::page_text(&server, &worker, "/follow-up?scope=all").await;
        assert!(all.contains("Har ingen oppfølgingsplan"), "{all}");
        let html = common::page_text(&server, &worker, &page).await;
        assert!(html.contains("Husstanden ønsker ikke oppfølging"), "{html}");
        let version = common::hidden(&html, "version");
        let no_reason = post(
            format!("{page}/plan/{plan_id}/reopen"),
            vec![("version", version.clone()), ("reason", "".into())],
        )
        .await
        .unwrap();
        assert_eq!(no_reason.status(), 422);
        let reopened = post(
            format!("{page}/plan/{plan_id}/reopen"),
            vec![("version", version), ("reason", "Husstanden ba om hjelp igjen".into())],
        )
        .await
        .unwrap();
        assert_eq!(reopened.status(), 303);
        let json = common::api_json(&server, &format!("/api/v1/households/{h}/follow-up"), &token).await;
        assert_eq!(json["plans"][0]["state"], "active", "{json}");
        assert_eq!(json["plans"][0]["measures"][0]["text"], "Søke bostøtte", "{json}");
        assert_eq!(json["entries"].as_array().unwrap().len(), 2, "{json}");

        // A second active plan is a conflict; the housing manager logs but keeps no plan; the
        // approver logs nothing.
        let body = serde_json::json!({
            "goals": "Ny plan", "responsible": f.follow_up_worker,
            "review_on": (today + time::Duration::days(30)).to_string()
        });
        let api_post = |path: String, token: String, body: serde_json::Value| {
            common::client()
                .post(server.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let second = api_post(
            format!("/api/v1/households/{h}/follow-up/plans"),
            token.clone(),
            body.clone(),
        )
        .await
        .unwrap();
        assert_eq!(second.status(), 409);
        let by_manager = api_post(
            format!("/api/v1/households/{h}/follow-up/plans"),
            manager_token.clone(),
            body,
        )
        .await
        .unwrap();
        assert_eq!(by_manager.status(), 403);
        let complaint = serde_json::json!({
            "kind": "neighbour_complaint", "occurred_on": today.to_string(), "note": "Skriftlig klage fra sameiet"
        });
        let logged = api_post(
            format!("/api/v1/households/{h}/follow-up/entries"),
            manager_token,
            complaint.clone(),
        )
        .await
        .unwrap();
        assert_eq!(logged.status(), 201);
        let approver = f.users[&Role::Approver].1.clone();
        let by_approver = api_post(format!("/api/v1/households/{h}/follow-up/entries"), approver, complaint)
            .await
            .unwrap();
        assert_eq!(by_approver.status(), 403);
        let bad = api_post(
            format!("/api/v1/households/{h}/follow-up/entries"),
            token.clone(),
            serde_json::json!({"kind": "home_visit", "occurred_on": (today + time::Duration::days(1)).to_string(), "note": "x"}),
        )
        .await
        .unwrap();
        assert_eq!(bad.status(), 422);
        let problems: serde_json::Value = bad.json().await.unwrap();
        let fields: Vec<&str> = problems["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["outcome", "occurred_on"], "{problems}");
        let json = common::api_json(&server, "/api/v1/follow-up/caseload?municipality=3301", &token).await;
        let complaints = json["households"][0]["signals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "neighbour_complaints")
            .cloned()
            .unwrap_or_default();
        assert_eq!(complaints["count"], 2, "{json}");
    }
}

/// A municipality-sized caseload comes a page of 50 at a time in one order across the pages, on
/// the page and through the API; "mine" holds only the plans the worker is responsible for.
#[tokio::test]
async fn a_large_caseload_comes_a_page_at_a_time() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let actor = husly_store::audit::Actor::cli("test");
        let home = store.municipality_by_number("3301").await.unwrap().unwrap();
        store.seed_households(&home, 900, 7, &actor).await.unwrap();
        let change = husly_store::households::Change {
            actor: &actor,
            user: None,
            reason: Some("test handover"),
        };
        let handed = store
            .hand_over_follow_up_plans(f.home, f.follow_up_worker, 55, &change)
            .await
            .unwrap();
        assert_eq!(handed, 55, "the seeded plans to hand over");
        let server = start(&db, &[]);
        let token = f.users[&Role::FollowUpWorker].1.clone();
        let caseload = |query: &'static str| {
            let path = format!("/api/v1/follow-up/caseload?municipality=3301&{query}");
            let (server, token) = (&server, token.clone());
            async move { common::api_json(server, &path, &token).await }
        };

        // Every household: pages of 50 that never repeat one, the highest risk first throughout.
        let first = caseload("scope=all").await;
        let total = first["total"].as_u64().unwrap();
        assert!(total > 50, "a seeded municipality's caseload: {total}");
        let mut seen = std::collections::HashSet::new();
        let mut last_score = u64::MAX;
        let mut offset = 0;
        while offset < total {
            let page = common::api_json(
                &server,
                &format!("/api/v1/follow-up/caseload?municipality=3301&scope=all&offset={offset}"),
                &token,
            )
            .await;
            assert_eq!(
                (page["offset"].as_u64(), page["total"].as_u64()),
                (Some(offset), Some(total))
            );
            let lines = page["households"].as_array().unwrap();
            assert_eq!(lines.len() as u64, (total - offset).min(50), "offset {offset}");
            for line in lines {
                assert!(seen.insert(line["household_id"].to_string()), "{line} twice");
                let score = line["risk_score"].as_u64().unwrap();
                assert!(score <= last_score, "{line} after a score of {last_score}");
                last_score = score;
                assert!(!line["name"].as_str().unwrap().trim().is_empty(), "{line}");
            }
            offset += 50;
        }
        assert_eq!(seen.len() as u64, total);
        let beyond = caseload("scope=all&offset=100000").await;
        assert!(beyond["households"].as_array().unwrap().is_empty());
        assert_eq!(beyond["total"].as_u64(), Some(total));

        // The worker's own plans: the 55 handed over (and any the fixture gave it), no others.
        let mine = caseload("scope=mine&offset=50").await;
        let own = mine["total"].as_u64().unwrap();
        assert!((55..=56).contains(&own), "{own}");
        assert_eq!(mine["households"].as_array().unwrap().len() as u64, own - 50);
        for line in mine["households"].as_array().unwrap() {
            assert_eq!(line["responsible"], f.follow_up_worker.to_string(), "{line}");
        }

        // The page says which part it shows and links on, keeping the scope.
        let worker = common::login(&server, &f.users[&Role::FollowUpWorker].0, PASSWORD).await;
        let html = common::plain(&common::page_text(&server, &worker, "/follow-up?scope=all").await);
        assert!(html.contains(&format!("Viser 1–50 av {} husstander.", total)), "{html}");
        assert!(html.contains("href=\"/follow-up?scope=all&amp;offset=50\""), "{html}");
        assert!(!html.contains("Forrige side"), "{html}");
        let html = common::plain(&common::page_text(&server, &worker, "/follow-up?scope=all&offset=50").await);
        assert!(
            html.contains(&format!("Viser 51–{} av {total}", total.min(100))),
            "{html}"
        );
        assert!(html.contains("href=\"/follow-up?scope=all&amp;offset=0\""), "{html}");
        let html = common::plain(&common::page_text(&server, &worker, "/follow-up?offset=tull").await);
        assert!(html.contains(&format!("Viser 1–50 av {own} husstander.")), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
    }
}
