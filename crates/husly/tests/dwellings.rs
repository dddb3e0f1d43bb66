//! The dwelling register through the pages, on both backends: a housing manager registers a
//! dwelling (bad input refused field by field, what was typed kept), finds it in the register,
//! changes its facts, takes it out of use only after confirming with a reason, sets it vacant
//! again, removes and restores it — each step confirmed and in the history. A caseworker reads
//! the register without the forms and is refused the changes; another municipality's user
//! does not find the dwelling.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;

#[tokio::test]
async fn a_housing_manager_keeps_the_register_and_others_only_read_it() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let manager = common::login(&server, &fixture.users[&Role::HousingManager].0, PASSWORD).await;
        let csrf = common::csrf_of(&server, &manager, "/dwellings/new").await;
        let post = |path: &str, pairs: Vec<(&'static str, String)>| {
            let mut form = pairs;
            form.push(("csrf", csrf.clone()));
            manager.post(server.url(path)).form(&form).send()
        };
        let facts = |bedrooms: &str, postal: &str| {
            vec![
                ("address_line", "Øvre Torggate 7".to_string()),
                ("postal_code", postal.to_string()),
                ("district", "Bragernes".into()),
                ("unit_number", "h0201".into()),
                ("dwelling_type", "ordinary_rental".into()),
                ("ownership", "municipal".into()),
                ("bedrooms", bedrooms.to_string()),
                ("floor", "2".into()),
                ("monthly_rent_kr", "9 850".into()),
                ("lift", "ja".into()),
            ]
        };

        // Bad input: each field named, nothing saved, what was typed kept.
        let refused = post("/dwellings/new", facts("to", "9999")).await.unwrap();
        assert_eq!(refused.status(), 422, "{}", db.url);
        let html = refused.text().await.unwrap();
        assert!(html.contains("id=\"f-bedrooms-error\""), "{html}");
        assert!(html.contains("id=\"f-postal_code-error\""), "{html}");
        assert!(html.contains("value=\"Øvre Torggate 7\""), "typed values kept");
        let register = common::page_text(&server, &manager, "/dwellings").await;
        assert!(!register.contains("Øvre Torggate 7"), "nothing saved");

        let created = post("/dwellings/new", facts("2", "3015")).await.unwrap();
        assert_eq!(created.status(), 303);
        let page = created.headers()["location"].to_str().unwrap().to_string();
        let html = common::page_text(&server, &manager, &page).await;
        assert!(html.contains("Boligen er registrert."), "{html}");
        assert!(
            html.contains("Øvre Torggate 7, H0201") && html.contains("850"),
            "{html}"
        );

        // Found by the start of the address, in any letter case.
        let found = common::page_text(&server, &manager, "/dwellings?q=%C3%B8vre+torg").await;
        assert!(found.contains(&format!("href=\"{page}\"")), "{found}");

        // A change of facts, at the version read; a stale version is refused.
        let mut changed = facts("3", "3015");
        changed.push(("version", "1".into()));
        let saved = post(&format!("{page}/edit"), changed.clone()).await.unwrap();
        assert_eq!(saved.status(), 303);
        let stale = post(&format!("{page}/edit"), changed).await.unwrap();
        assert_eq!(stale.status(), 409);
        assert!(stale.text().await.unwrap().contains("Noen andre har endret boligen"));

        // Out of use: the reason is required, then a confirmation step, then the change.
        let status = |version: &str, reason: &str, confirmed: bool| {
            let mut pairs = vec![
                ("version", version.to_string()),
                ("status", "decommissioned".into()),
                ("reason", reason.to_string()),
            ];
            if confirmed {
                pairs.push(("confirmed", "yes".into()));
            }
            pairs
        };
        let no_reason = post(&format!("{page}/status"), status("2", "", false)).await.unwrap();
        assert_eq!(no_reason.status(), 422);
        let ask = post(&format!("{page}/status"), status("2", "Solgt til borettslag", false))
            .await
            .unwrap();
        assert_eq!(ask.status(), 200);
        let html = ask.text().await.unwrap();
        assert!(html.contains("Bekreft at boligen tas ut av bruk"), "{html}");
        assert!(
            common::page_text(&server, &manager, &page)
                .await
                .contains("tag tag--success"),
            "still vacant until confirmed"
        );
        let done = post(&format!("{page}/status"), status("2", "Solgt til borettslag", true))
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let html = common::page_text(&server, &manager, &page).await;
        assert!(
            html.contains("Statusen er endret.") && html.contains("Tatt ut av bruk"),
            "{html}"
        );
        assert!(html.contains("Solgt til borettslag"), "the reason is in the history");
        // Undone: vacant again, no confirmation needed.
        let back = post(
            &format!("{page}/status"),
            vec![("version", "3".into()), ("status", "vacant".into())],
        )
        .await
        .unwrap();
        assert_eq!(back.status(), 303);

        // Removed (with a reason) and restored.
        let removed = post(
            &format!("{page}/delete"),
            vec![("version", "4".into()), ("reason", "Registrert to ganger".into())],
        )
        .await
        .unwrap();
        assert_eq!(removed.status(), 303);
        assert!(!common::page_text(&server, &manager, "/dwellings").await.contains(&page));
        let restored = post(&format!("{page}/restore"), vec![("version", "5".into())])
            .await
            .unwrap();
        assert_eq!(restored.status(), 303);
        let html = common::page_text(&server, &manager, &page).await;
        for event in [
            "Registrert",
            "Opplysninger endret",
            "Status endret",
            "Fjernet fra registeret",
            "Lagt tilbake i registeret",
        ] {
            assert!(html.contains(event), "{event}: {html}");
        }
        assert!(html.contains("Soverom"), "the changed field is named");

        // A caseworker reads but sees no forms, and is refused a change.
        let caseworker = common::login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(
            html.contains("Øvre Torggate 7") && !html.contains("/status\""),
            "{html}"
        );
        let csrf = common::csrf_of(&server, &caseworker, "/dwellings").await;
        let refused = caseworker
            .post(server.url(&format!("{page}/status")))
            .form(&[("csrf", csrf.as_str()), ("version", "6"), ("status", "reserved")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        // Another municipality's user does not find it.
        let stranger = common::login(&server, &fixture.stranger.0, PASSWORD).await;
        let other = stranger.get(server.url(&page)).send().await.unwrap();
        assert_eq!(other.status(), 404);
    }
}

/// The demo's waiting list in priority order: every household with its points, why, its bedroom
/// need and an explanation; the demo's rounds and offers; a leader (no case access) is refused.
#[tokio::test]
async fn the_waiting_list_shows_each_households_priority_and_why() {
    let db = Database::sqlite();
    let server = start(&db, &["--demo"]);
    let (email, password) = server.demo_login("caseworker");
    let caseworker = common::login(&server, &email, &password).await;
    let html = common::page_text(&server, &caseworker, "/waiting-list").await;
    assert!(html.contains("<h1>Ventelisten</h1>"), "{html}");
    let rows = html.matches("href=\"/cases/").count();
    assert!(rows > 0, "the demo has households on the waiting list: {html}");
    assert!(html.contains("Ventetid:") && html.contains("Forklaring"), "{html}");
    assert!(
        html.contains("Dere har") || html.contains("poeng"),
        "an explanation in words: {html}"
    );
    assert!(
        html.contains("Retningslinjer") || html.contains("Drammen"),
        "the policy is cited: {html}"
    );
    // The demo's allocation history: a closed round and one with offers waiting for an answer.
    let rounds = common::page_text(&server, &caseworker, "/allocation/rounds").await;
    assert!(
        rounds.contains("Avsluttet") && rounds.contains("Trukket, forslag klart"),
        "{rounds}"
    );
    let offers = common::page_text(&server, &caseworker, "/offers?all=1").await;
    for state in ["Takket ja", "Takket nei", "Venter på svar"] {
        assert!(offers.contains(state), "{state}: {offers}");
    }
    assert!(
        html.contains("Estimert ventetid") && (html.contains("måneder (anslag)") || html.contains("år (anslag)")),
        "the demo's lettings give estimates: {html}"
    );
    let (email, password) = server.demo_login("leader");
    let leader = common::login(&server, &email, &password).await;
    let refused = leader.get(server.url("/waiting-list")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

/// The waiting list is kept in memory between requests, and follows every change to what it is
/// read from, also a change the server did not make itself (another server on the same
/// database): a household that leaves the list is gone from the next page, and back when it
/// returns.
#[tokio::test]
async fn the_kept_waiting_list_follows_changes_made_elsewhere() {
    for db in Database::all().await {
        let server = start(&db, &["--demo"]);
        let (email, password) = server.demo_login("caseworker");
        let caseworker = common::login(&server, &email, &password).await;
        let count = |html: &str| -> usize {
            html.split("Husstander på ventelisten</dt><dd>")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("the count of households: {html}"))
        };
        let html = common::page_text(&server, &caseworker, "/waiting-list").await;
        let before = count(&html);
        let first = html
            .split("href=\"/cases/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a case on the list")
            .to_string();
        let again = common::page_text(&server, &caseworker, "/waiting-list").await;
        assert_eq!(count(&again), before, "unchanged, the same list");

        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let set_state = |state: &'static str| {
            sqlx::query("UPDATE application_case SET state = $1 WHERE id = $2")
                .bind(state)
                .bind(first.clone())
                .execute(store.pool())
        };
        set_state("withdrawn").await.unwrap();
        let html = common::page_text(&server, &caseworker, "/waiting-list").await;
        assert_eq!(count(&html), before - 1, "{}: the household left the list", db.url);
        assert!(!html.contains(&format!("/cases/{first}\"")), "{html}");
        set_state("on_waiting_list").await.unwrap();
        let html = common::page_text(&server, &caseworker, "/waiting-list").await;
        assert_eq!(count(&html), before, "{}: and is back", db.url);
        assert!(html.contains(&format!("/cases/{first}\"")), "{html}");
    }
}

/// The import page: a file with a bad row saves nothing and names the row and the field; the
/// sample file in docs/examples is imported whole, and importing it again changes nothing.
#[tokio::test]
async fn an_import_is_all_or_nothing_and_names_each_problem() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let manager = common::login(&server, &fixture.users[&Role::HousingManager].0, PASSWORD).await;
        let csrf = common::csrf_of(&server, &manager, "/dwellings/import").await;
        let upload = |name: &'static str, bytes: Vec<u8>| {
            let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
            let form = reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .part("file", part);
            manager.post(server.url("/dwellings/import")).multipart(form).send()
        };
        let before = common::page_text(&server, &manager, "/dwellings").await;
        let bad = "Adresse;Postnummer;Boligtype;Eierform;Soverom;Husleie\n\
                   Ny gate 1;3015;ordinær;kommunal;2;9 000\n\
                   Ny gate 2;3015;ordinær;kommunal;to;9 000\n";
        let refused = upload("boliger.csv", bad.as_bytes().to_vec()).await.unwrap();
        assert_eq!(refused.status(), 422, "{}", db.url);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Rad 3, kolonne «Soverom»"), "{html}");
        assert!(html.contains("Ingen boliger er lagret."), "{html}");
        assert!(
            !common::page_text(&server, &manager, "/dwellings")
                .await
                .contains("Ny gate 1")
        );

        let sample = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/examples/boliger.csv")).unwrap();
        let done = upload("boliger.csv", sample.clone()).await.unwrap();
        assert_eq!(done.status(), 200);
        let html = done.text().await.unwrap();
        assert!(
            html.contains("Importen er fullført: 6 nye boliger, 0 oppdatert og 0 uendret."),
            "{html}"
        );
        let again = upload("boliger.csv", sample).await.unwrap().text().await.unwrap();
        assert!(again.contains("0 nye boliger, 0 oppdatert og 6 uendret."), "{again}");
        assert_ne!(before, common::page_text(&server, &manager, "/dwellings").await);
    }
}
