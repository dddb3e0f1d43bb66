//! The priority policy as versioned data over HTTP, on both backends, with the demo's waiting
//! list: the standard (modelled on Drammen) applies until the municipality saves its own; a text
//! that does not parse and a missing effective date are refused with the field named and nothing
//! saved; a draft is simulated on the same page (who moves, by group, and which cases for a
//! leader who may also see cases — an audited read) and saved only as simulated; the waiting
//! list then cites the new version, and a scheduled version once the clock reaches its day.
//! A published draw is verified over the API by anyone, with the words of `husly verify-draw`.

use crate::common;

use common::{Database, Server, hidden, login, page_text, start};
use husly_domain::allocation::draw::{PublishedDraw, Seed};
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::authz::Role;
use husly_store::audit::{Actor, AuditFilter};
use serde_json::{Value, json};

async fn post(server: &Server, http: &reqwest::Client, path: &str, pairs: &[(&str, &str)]) -> (u16, String) {
    let response = http.post(server.url(path)).form(pairs).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

fn date_form(d: time::Date) -> String {
    husly_domain::validation::format_date(d)
}

#[tokio::test]
async fn a_leader_simulates_and_saves_a_version_and_the_waiting_list_cites_it() {
    for db in Database::all().await {
        let server = start(&db, &["--demo"]);
        let s = &server;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        let demo = store.municipality_by_number("9999").await.unwrap().unwrap();
        let (leader_email, leader_password) = s.demo_login("leader");
        // A leader who also handles cases sees which cases move.
        let leader_user = store.user_by_email(&leader_email).await.unwrap();
        store
            .grant_role(leader_user.id, demo.id, Role::Caseworker, &Actor::cli("test"))
            .await
            .unwrap();
        let leader = login(s, &leader_email, &leader_password).await;
        let (cw_email, cw_password) = s.demo_login("caseworker");
        let caseworker = login(s, &cw_email, &cw_password).await;

        // The standard applies, and says so.
        let list = page_text(s, &leader, "/allocation/policy").await;
        assert!(list.contains("Huslys standard, modellert etter Drammen"), "{list}");
        assert!(list.contains("Gjelder nå") && list.contains("drammen-2020.1"), "{list}");
        assert!(common::raw_keys(&list).is_empty(), "{:?}", common::raw_keys(&list));
        let waiting = page_text(s, &caseworker, "/waiting-list").await;
        assert!(waiting.contains("Huslys standard") && waiting.contains("/allocation/policy"));
        // Each version's rules in words.
        let standard = page_text(s, &caseworker, "/allocation/policy/standard").await;
        assert!(
            standard.contains("Bostedsløse barnefamilier") && standard.contains("har barn under 18 år"),
            "{standard}"
        );
        assert!(
            common::raw_keys(&standard).is_empty(),
            "{:?}",
            common::raw_keys(&standard)
        );
        // A caseworker reads the rules but does not change them.
        let refused = caseworker.get(s.url("/allocation/policy/new")).send().await.unwrap();
        assert_eq!(refused.status(), 403);

        // The form starts from the text in force.
        let form = page_text(s, &leader, "/allocation/policy/new").await;
        assert!(
            form.contains("version = &quot;drammen-2020.1&quot;")
                || form.contains("version = &#34;drammen-2020.1&#34;"),
            "the text in force is prefilled"
        );
        let csrf = hidden(&form, "csrf");
        let today = common::today();
        let today_text = date_form(today);
        // Families with children get more weight: they move up.
        let text = PriorityPolicy::embedded_text().replace("points = 100", "points = 190");

        // A text that does not parse: the field is named, what was typed is kept, nothing saved.
        let bad = text.replacen("points = 200", "points = -5", 1);
        let (status, html) = post(
            s,
            &leader,
            "/allocation/policy/new",
            &[
                ("csrf", &csrf),
                ("action", "simulate"),
                ("policy", &bad),
                ("version", "2027.1"),
                ("effective_from", &today_text),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("criteria[0].points"), "{html}");
        assert!(
            html.contains("href=\"#f-policy\""),
            "the summary links to the text: {html}"
        );
        assert!(html.contains("value=\"2027.1\""), "the typed version is kept");
        assert!(html.contains("points = -5"), "the typed text is kept");

        // No effective date: refused on that field.
        let (status, html) = post(
            s,
            &leader,
            "/allocation/policy/new",
            &[
                ("csrf", &csrf),
                ("action", "simulate"),
                ("policy", &text),
                ("version", "2027.1"),
                ("effective_from", ""),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(
            html.contains("Skriv hvilken dato de nye reglene skal gjelde fra."),
            "{html}"
        );
        // Saving what was not simulated is refused.
        let (status, html) = post(
            s,
            &leader,
            "/allocation/policy/new",
            &[
                ("csrf", &csrf),
                ("action", "save"),
                ("policy", &text),
                ("version", "2027.1"),
                ("effective_from", &today_text),
                ("reason", "Barnefamilier skal prioriteres høyere"),
                ("simulated", ""),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("Simuler teksten før du lagrer"), "{html}");
        assert!(
            store.priority_policies(demo.id).await.unwrap().is_empty(),
            "nothing saved"
        );

        // The simulation on the same page: who moves, by group, and the cases that move most.
        let before = store
            .audit_entries(
                demo.id,
                &AuditFilter {
                    action: Some("priority_policy.simulate".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len();
        let (status, html) = post(
            s,
            &leader,
            "/allocation/policy/new",
            &[
                ("csrf", &csrf),
                ("action", "simulate"),
                ("policy", &text),
                ("version", "2027.1"),
                ("effective_from", &today_text),
                ("reason", "Barnefamilier skal prioriteres høyere"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{html}");
        for words in [
            "Simulering på dagens venteliste",
            "Etter husstandstype",
            "Etter grunn til søknaden",
            "Flytter mest opp",
        ] {
            assert!(html.contains(words), "{words}: {html}");
        }
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let simulated = hidden(&html, "simulated");
        assert_eq!(simulated.len(), 64, "{html}");
        let after = store
            .audit_entries(
                demo.id,
                &AuditFilter {
                    action: Some("priority_policy.simulate".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len();
        assert_eq!(after, before + 1, "naming the cases that move is an audited read");

        // Saved as simulated, with a confirmation.
        let (status, location) = post(
            s,
            &leader,
            "/allocation/policy/new",
            &[
                ("csrf", &csrf),
                ("action", "save"),
                ("policy", &text),
                ("version", "2027.1"),
                ("effective_from", &today_text),
                ("reason", "Barnefamilier skal prioriteres høyere"),
                ("simulated", &simulated),
            ],
        )
        .await;
        assert_eq!((status, location.as_str()), (303, "/allocation/policy"));
        let list = page_text(s, &leader, "/allocation/policy").await;
        assert!(
            list.contains("Den nye versjonen av prioriteringsreglene er lagret."),
            "{list}"
        );
        assert!(list.contains("2027.1") && list.contains("Barnefamilier skal prioriteres høyere"));
        let saved = store.priority_policies(demo.id).await.unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].fingerprint, simulated);

        // The waiting list now cites the new version.
        let waiting = page_text(s, &caseworker, "/waiting-list").await;
        assert!(waiting.contains("versjon 2027.1"), "{waiting}");
        assert!(!waiting.contains("Huslys standard"));
        assert!(waiting.contains(&simulated[..12]));

        // A version scheduled in ten days: listed as such; the list keeps citing 2027.1 today.
        let later = today + time::Duration::days(10);
        let form = page_text(s, &leader, "/allocation/policy/new").await;
        assert!(
            form.contains("version = &quot;2027.1&quot;") || form.contains("version = &#34;2027.1&#34;"),
            "the new text in force is prefilled"
        );
        let text2 = text.replace("points = 190", "points = 150");
        let fields = |action: &'static str, simulated: String| {
            vec![
                ("csrf", csrf.clone()),
                ("action", action.to_string()),
                ("policy", text2.clone()),
                ("version", "2027.2".to_string()),
                ("effective_from", date_form(later)),
                ("reason", "Justering etter høring".to_string()),
                ("simulated", simulated),
            ]
        };
        let sim = leader
            .post(s.url("/allocation/policy/new"))
            .form(&fields("simulate", String::new()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let fingerprint = hidden(&sim, "simulated");
        let saved = leader
            .post(s.url("/allocation/policy/new"))
            .form(&fields("save", fingerprint))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let list = page_text(s, &leader, "/allocation/policy").await;
        assert!(list.contains("Planlagt"), "{list}");
        // A version label is used once.
        let again = leader
            .post(s.url("/allocation/policy/new"))
            .form(&fields("simulate", String::new()))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 422);
        assert!(again.text().await.unwrap().contains("er brukt før"));
        drop(server);
        store.close().await;

        // On the scheduled day the waiting list cites it.
        let clock = format!("{later}T10:00:00Z");
        let server = start(&db, &["--demo", "--clock", &clock]);
        let (cw_email, cw_password) = server.demo_login("caseworker");
        let caseworker = login(&server, &cw_email, &cw_password).await;
        let waiting = page_text(&server, &caseworker, "/waiting-list").await;
        assert!(waiting.contains("versjon 2027.2"), "{waiting}");
    }
}

/// Anyone with the published data verifies a draw over the API, without signing in, and gets
/// the words `husly verify-draw` prints.
#[tokio::test]
async fn anyone_verifies_a_published_draw_over_the_api() {
    let db = Database::sqlite();
    let server = start(&db, &[]);
    let draw = PublishedDraw::new(
        Seed(std::array::from_fn(|i| (i * 3) as u8)),
        (1..=8).map(|i| format!("2026-{i:06}")),
    )
    .unwrap();
    let ask = |body: Value| {
        reqwest::Client::new()
            .post(server.url("/api/v1/draws/verify"))
            .header("accept-language", "nb")
            .json(&body)
            .send()
    };
    let response = ask(serde_json::to_value(&draw).unwrap()).await.unwrap();
    assert_eq!(response.status(), 200);
    let ok: Value = response.json().await.unwrap();
    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(ok["message"], "Trekningen stemmer: 8 oppføringer, samme rekkefølge.");

    let mut tampered = serde_json::to_value(&draw).unwrap();
    tampered["order"][2] = json!(draw.order[3]);
    tampered["order"][3] = json!(draw.order[2]);
    let answer: Value = ask(tampered.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["mismatch"], json!({ "kind": "order", "position": 2 }));
    // The same words as the command.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draw.json");
    std::fs::write(&path, tampered.to_string()).unwrap();
    let out = common::husly()
        .args(["verify-draw", path.to_str().unwrap(), "--lang", "nb"])
        .env_remove("HUSLY_CONFIG")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        answer["message"].as_str().unwrap()
    );

    // Not a published draw: 422 naming the field.
    let mut bad = serde_json::to_value(&draw).unwrap();
    bad["seed"] = json!("abc");
    let response = ask(bad).await.unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "seed", "{body}");
}
