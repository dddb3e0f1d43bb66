//! Stays in temporary accommodation through the pages: a caseworker records one on the household
//! page, a stay sharing a night is refused with the other named, the ongoing one is ended with
//! its last day and reason, and a leader sees the year's figures but not the household. A stay's
//! price per night gives its cost (on the page, in the API and in the year's total on `/stays`);
//! a price typed in øre is refused naming the field; `/stays/ongoing` lists who is there today.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::validation::format_date;
use serde_json::{Value, json};

/// An API call with a token: the status and the JSON answer.
async fn api(
    server: &common::Server,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = common::client().request(method, server.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Text with non-breaking and thin spaces as plain spaces.
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

        // A price typed in øre (950 kr as 95000) is refused on its field, and nothing is kept.
        let fields = |cost: &str| {
            vec![
                ("place", "Hospitset Bryggen".into()),
                ("provider", "Bryggen Drift AS".into()),
                ("from", from.clone()),
                ("with_children", "yes".into()),
                ("nightly_cost_kr", cost.to_string()),
                ("quality_remarks", "Felles bad i gangen.".into()),
            ]
        };
        let in_ore = post(format!("{page}/stays"), fields("95000")).await.unwrap();
        assert_eq!(in_ore.status(), 422, "{}", db.url);
        let html = common::plain(&in_ore.text().await.unwrap());
        assert!(
            html.contains("Prisen per natt kan ikke være over 10 000 kr. Skrev du beløpet i øre?"),
            "{html}"
        );
        assert!(html.contains("id=\"st-nightly-cost-error\""), "{html}");
        assert!(html.contains("value=\"95000\""), "what was typed is kept");

        let recorded = post(format!("{page}/stays"), fields("950")).await.unwrap();
        assert_eq!(recorded.status(), 303, "{}", db.url);
        assert_eq!(recorded.headers()["location"], format!("{page}#stays").as_str());
        let html = common::plain(&common::page_text(&server, &caseworker, &page).await);
        assert!(html.contains("Oppholdet er registrert."), "{html}");
        assert!(
            html.contains("Hospitset Bryggen") && html.contains("Med barn"),
            "{html}"
        );
        assert!(
            html.contains("Tilbyder: Bryggen Drift AS · 950 kr per natt · kostnad 4 750 kr"),
            "five nights so far at 950 kr: {html}"
        );
        assert!(html.contains("Kvalitet: Felles bad i gangen."), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));

        // The API reads the price and the cost in øre; a price typed in øre is refused there too.
        let caseworker_token = &fixture.users[&Role::Caseworker].1;
        let api_path = format!("/api/v1/households/{h}/stays");
        let (status, json) = api(&server, caseworker_token, reqwest::Method::GET, &api_path, None).await;
        assert_eq!(status, 200, "{json}");
        let stay = &json["stays"][0];
        assert_eq!(stay["provider"], "Bryggen Drift AS", "{json}");
        assert_eq!(stay["nightly_cost_ore"], 95_000, "{json}");
        assert_eq!(stay["cost_ore"], 5 * 95_000, "{json}");
        assert_eq!(stay["quality_remarks"], "Felles bad i gangen.", "{json}");
        let (status, json) = api(
            &server,
            caseworker_token,
            reqwest::Method::POST,
            &api_path,
            Some(
                json!({ "place": "Pensjonatet", "from": "2020-01-01", "to": "2020-01-03",
                         "end_reason": "unknown", "nightly_cost_kr": 120_000 }),
            ),
        )
        .await;
        assert_eq!(status, 422, "{json}");
        assert_eq!(json["error"]["fields"][0]["field"], "nightly_cost_kr", "{json}");
        assert_eq!(
            json["error"]["fields"][0]["code"], "stay.nightly_cost_too_high",
            "{json}"
        );

        // Who is in temporary accommodation today: the household, linked, with its flags.
        let ongoing = common::page_text(&server, &caseworker, "/stays/ongoing").await;
        assert!(
            ongoing.contains(&format!("href=\"/households/{h}#stays\"")),
            "{ongoing}"
        );
        assert!(
            ongoing.contains("Hospitset Bryggen") && ongoing.contains("Med barn"),
            "{ongoing}"
        );
        assert!(
            common::raw_keys(&ongoing).is_empty(),
            "{:?}",
            common::raw_keys(&ongoing)
        );
        let figures = common::page_text(&server, &caseworker, "/stays").await;
        assert!(figures.contains("href=\"/stays/ongoing\""), "{figures}");

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
        // The year's cost: the stay's nights in that year (all five, unless it began last year).
        let first = today - time::Duration::days(5);
        let year_end = time::Date::from_calendar_date(first.year() + 1, time::Month::January, 1).unwrap();
        let nights = (today.min(year_end) - first).whole_days();
        let cost = common::plain(&husly_domain::validation::format_kr(nights * 950));
        let html = common::plain(&html);
        assert!(
            html.contains(&format!("Kommunens kostnad for nettene i året</dt><dd>{cost}</dd>")),
            "{cost}: {html}"
        );
        assert!(
            html.contains("Opphold i året uten registrert pris</dt><dd>0</dd>"),
            "{html}"
        );
        assert!(!html.contains("href=\"/stays/ongoing\""), "no list for the leader");
        let list = leader.get(server.url("/stays/ongoing")).send().await.unwrap();
        assert_eq!(list.status(), 403);
        let household = leader.get(server.url(&page)).send().await.unwrap();
        assert_eq!(household.status(), 403);
    }
}
