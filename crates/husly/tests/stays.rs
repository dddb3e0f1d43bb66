//! Stays in temporary accommodation through the pages: a caseworker records one on the household
//! page, a stay sharing a night is refused with the other named, the ongoing one is ended with
//! its last day and reason, and a leader sees the year's figures but not the household.

mod common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::validation::format_date;

#[tokio::test]
async fn a_stay_is_recorded_refused_when_it_overlaps_and_ended() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let h = fixture.household;
        let page = format!("/households/{h}");
        let caseworker = common::login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let csrf = common::csrf_of(&server, &caseworker, &page).await;
        let today = common::today();
        let from = format_date(today - time::Duration::days(5));
        let post = |path: String, pairs: Vec<(&'static str, String)>| {
            let mut form = pairs;
            form.push(("csrf", csrf.clone()));
            caseworker.post(server.url(&path)).form(&form).send()
        };

        let recorded = post(
            format!("{page}/stays"),
            vec![
                ("place", "Hospitset Bryggen".into()),
                ("from", from.clone()),
                ("with_children", "yes".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(recorded.status(), 303, "{}", db.url);
        assert_eq!(recorded.headers()["location"], format!("{page}#stays").as_str());
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(html.contains("Oppholdet er registrert."), "{html}");
        assert!(
            html.contains("Hospitset Bryggen") && html.contains("Med barn"),
            "{html}"
        );

        // The same nights elsewhere: refused on the first day, naming the other stay.
        let overlap = post(
            format!("{page}/stays"),
            vec![("place", "Campingen".into()), ("from", format_date(today))],
        )
        .await
        .unwrap();
        assert_eq!(overlap.status(), 422);
        let html = overlap.text().await.unwrap();
        assert!(html.contains("Husstanden var i Hospitset Bryggen"), "{html}");
        assert!(html.contains("value=\"Campingen\""), "what was typed is kept");

        // Ending asks for the last day and the reason.
        let stay = html
            .split(&format!("/households/{h}/stays/"))
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("the end form")
            .to_string();
        let end = format!("{page}/stays/{stay}/end");
        let missing = post(end.clone(), vec![("to", String::new()), ("end_reason", String::new())])
            .await
            .unwrap();
        assert_eq!(missing.status(), 422);
        let html = missing.text().await.unwrap();
        assert!(
            html.contains("id=\"st-end-reason-") && html.contains("error-message"),
            "{html}"
        );
        let ended = post(
            end.clone(),
            vec![("to", format_date(today)), ("end_reason", "municipal_dwelling".into())],
        )
        .await
        .unwrap();
        assert_eq!(ended.status(), 303);
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(
            html.contains("Oppholdet er avsluttet.") && html.contains("Flyttet til kommunal bolig"),
            "{html}"
        );
        assert!(html.contains("14 dager eller færre"), "five nights: {html}");
        let again = post(end, vec![("to", format_date(today)), ("end_reason", "unknown".into())])
            .await
            .unwrap();
        assert_eq!(again.status(), 422, "already ended");

        // The leader: the figures, not the household.
        let leader = common::login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let html = common::page_text(
            &server,
            &leader,
            &format!("/stays?year={}", (today - time::Duration::days(5)).year()),
        )
        .await;
        assert!(html.contains("Midlertidig botilbud i KOSTRA"), "{html}");
        assert!(!html.contains("Hospitset Bryggen"), "no place on the figures page");
        let household = leader.get(server.url(&page)).send().await.unwrap();
        assert_eq!(household.status(), 403);
    }
}
