//! One clock, in Norway's time: the server started at 23:30 and at 00:30 Oslo time around New
//! Year dates what it receives by the Norwegian calendar, not by UTC (where both instants fall on
//! 31 December). A server that used UTC dates would refuse an application received "today" on
//! New Year's morning as received in the future, and book it to the wrong year.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, login, start};
use husly_domain::authz::Role;
use serde_json::json;

/// (the server's clock, Norway's date then, as the form writes it)
const NEW_YEAR: [(&str, &str, &str); 2] = [
    ("2026-12-31T22:30:00Z", "2026-12-31", "31.12.2026"),
    ("2026-12-31T23:30:00Z", "2027-01-01", "01.01.2027"),
];

#[tokio::test]
async fn dates_are_norwegian_dates_around_midnight() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        for (instant, today, written) in NEW_YEAR {
            let server = start(&db, &["--clock", instant]);
            let (email, token) = &fixture.users[&Role::Caseworker];
            let h = fixture.household;

            // The registration form offers today as the day received.
            let caseworker = login(&server, email, PASSWORD).await;
            let form = common::page_text(&server, &caseworker, &format!("/households/{h}/applications/new")).await;
            assert!(
                form.contains(&format!("value=\"{written}\"")),
                "at {instant} the form offers {written} as received"
            );

            // Received today is accepted; received tomorrow (by Norway's calendar) is not.
            let register = |received_on: &str| {
                common::client()
                    .post(server.url(&format!("/api/v1/households/{h}/applications")))
                    .bearer_auth(token)
                    .json(&json!({"case_type": "municipal_housing", "received_on": received_on, "form": {}}))
                    .send()
            };
            let received = register(today).await.unwrap();
            assert_eq!(received.status(), 201, "at {instant}, received {today}");
            let case: serde_json::Value = received.json().await.unwrap();
            assert_eq!(case["received_on"], today);
            let year = &today[..4];
            assert!(
                case["reference"].as_str().unwrap().starts_with(&format!("{year}-")),
                "the reference counts in {year}: {}",
                case["reference"]
            );
            let today_date =
                time::Date::parse(today, time::macros::format_description!("[year]-[month]-[day]")).unwrap();
            // The one-month answer (forvaltningsloven § 11 a) counts from Norway's day.
            let due = husly_domain::cases::deadlines::interim_answer_due(today_date);
            assert_eq!(case["interim_due"], due.to_string(), "at {instant}");
            let tomorrow = today_date.next_day().unwrap().to_string();
            let future = register(&tomorrow).await.unwrap();
            assert_eq!(future.status(), 422, "at {instant}, {tomorrow} is in the future");

            // The grant budget opens on Norway's year.
            let leader = &fixture.users[&Role::Leader].1;
            let budget = common::api_json(&server, "/api/v1/grants/budget?municipality=3301", leader).await;
            assert_eq!(budget["year"].to_string(), year, "at {instant}");
        }
    }
}
