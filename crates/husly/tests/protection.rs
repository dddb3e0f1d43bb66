//! Protected addresses over HTTP on both backends: editing a household whose address is masked
//! keeps the stored address when the address fields are left empty (fortrolig) and refuses an
//! address for strengt fortrolig, where none is stored; opening the address shows it to the
//! holder of the permission only, or that none is stored.

use crate::common;

use common::fixture::prepare;
use common::{Database, start};
use husly_domain::authz::Role;
use serde_json::{Value, json};

async fn send(server: &common::Server, token: &str, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
    let response = common::client()
        .request(method, server.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The household as the API's update takes it, with the address fields as given.
fn update(household: &Value, address: (&str, &str, &str)) -> Value {
    let members: Vec<Value> = household["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            json!({
                "national_id": m["person"]["national_id"], "given_name": m["person"]["given_name"],
                "family_name": m["person"]["family_name"], "relation": m["relation"],
            })
        })
        .collect();
    json!({
        "version": household["version"],
        "household": {
            "address_line": address.0, "postal_code": address.1, "postal_city": address.2,
            "from_date": household["from_date"], "members": members,
        },
        "reason": "Nytt telefonnummer",
    })
}

#[tokio::test]
async fn editing_a_protected_household_neither_shows_nor_loses_its_address() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        // Demo mode accepts the fixture's synthetic identity numbers on an update.
        let server = start(&db, &["--demo"]);
        let caseworker = f.users[&Role::Caseworker].1.as_str();
        let guardian = f.users[&Role::ProtectedAddresses].1.as_str();
        let path = format!("/api/v1/households/{}", f.household);
        let (status, _) = send(
            &server,
            caseworker,
            reqwest::Method::POST,
            &format!("{path}/protection"),
            json!({ "person_id": f.person.to_string(), "level": "fortrolig", "reason": "Melding fra Folkeregisteret" }),
        )
        .await;
        assert_eq!(status, 201, "{}", db.url);

        // Fortrolig: the form's address fields come empty; left empty, the address is kept.
        let household = common::api_json(&server, &path, caseworker).await;
        assert_eq!(household["address_line"], "");
        let (status, saved) = send(
            &server,
            caseworker,
            reqwest::Method::PUT,
            &path,
            update(&household, ("", "", "")),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        let reveal = format!("{path}/protection/reveal");
        let (status, opened) = send(
            &server,
            guardian,
            reqwest::Method::POST,
            &reveal,
            json!({ "purpose": "check_register" }),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(opened["address_line"], "Modellveien 12", "kept: {opened}");
        let (status, _) = send(
            &server,
            caseworker,
            reqwest::Method::POST,
            &reveal,
            json!({ "purpose": "check_register" }),
        )
        .await;
        assert_eq!(status, 403, "no permission, no address");

        // Strengt fortrolig: the address is erased; one typed is refused, by its field.
        let (status, body) = send(
            &server,
            caseworker,
            reqwest::Method::POST,
            &format!("{path}/protection"),
            json!({
                "person_id": f.person.to_string(), "level": "strengt_fortrolig", "reason": "Melding fra politiet",
                "contact_route": { "address_line": "Postboks 4 Bragernes", "postal_code": "3001" }
            }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let household = common::api_json(&server, &path, caseworker).await;
        assert_eq!(household["address_protection"], "strengt_fortrolig");
        let (status, refused) = send(
            &server,
            caseworker,
            reqwest::Method::PUT,
            &path,
            update(&household, ("Nyveien 1", "3015", "")),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        assert!(refused.to_string().contains("address_line"), "{refused}");
        let (status, saved) = send(
            &server,
            caseworker,
            reqwest::Method::PUT,
            &path,
            update(&household, ("", "", "")),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        let (_, opened) = send(
            &server,
            guardian,
            reqwest::Method::POST,
            &reveal,
            json!({ "purpose": "send_post" }),
        )
        .await;
        assert_eq!(opened["stored"], false, "{opened}");
    }
}
