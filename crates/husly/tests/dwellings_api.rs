//! The dwelling register through `/api/v1`, on both backends: a housing manager keeps it (create,
//! list and filter, status, remove and restore), a caseworker reads it but changes nothing, a
//! user of another municipality does not find it, a property-management system's sync is
//! idempotent, and bad input is refused naming its field.

use crate::common;

use common::fixture::{DWELLING_EXTERNAL_ID, prepare};
use common::{Database, Server, start};
use husly_domain::authz::Role;
use reqwest::Method;
use serde_json::{Value, json};

/// One API call: the status and the JSON answer (null when there is none).
async fn call(server: &Server, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = common::client().request(method, server.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn record(address: &str, bedrooms: i64, wheelchair: bool) -> Value {
    json!({
        "address_line": address, "postal_code": "3015", "dwelling_type": "care_dwelling",
        "ownership": "municipal", "bedrooms": bedrooms, "area_m2": 48, "floor": 0,
        "lift": false, "wheelchair_accessible": wheelchair, "monthly_rent_kr": 8700
    })
}

/// The field each refusal names.
fn fields(answer: &Value) -> Vec<String> {
    answer["error"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str().map(str::to_string))
        .collect()
}

fn ids(list: &Value) -> Vec<String> {
    list["dwellings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_housing_manager_keeps_the_register_and_others_read_or_are_refused() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let s = start(&db, &[]);
        let manager = f.users[&Role::HousingManager].1.clone();
        let caseworker = f.users[&Role::Caseworker].1.clone();
        let stranger = f.stranger.1.clone();
        let on = &db.url;

        // Two new dwellings beside the fixture's vacant two-bedroom flat.
        let (status, care) = call(
            &s,
            &manager,
            Method::POST,
            "/api/v1/dwellings?municipality=3301",
            Some(json!({ "dwelling": record("Åsveien 3", 1, true) })),
        )
        .await;
        assert_eq!(status, 201, "{on}: {care}");
        assert_eq!(care["dwelling"]["status"], "vacant");
        assert_eq!(care["dwelling"]["wheelchair_accessible"], true);
        assert_eq!(care["dwelling"]["monthly_rent_ore"], 870_000);
        assert_eq!(
            care["dwelling"]["postal_city"], "Drammen",
            "filled in from the postal code"
        );
        assert_eq!(care["history"][0]["kind"], "created");
        let care_id = care["dwelling"]["id"].as_str().expect("an id").to_string();
        let (status, reserved) = call(
            &s,
            &manager,
            Method::POST,
            "/api/v1/dwellings?municipality=3301",
            Some(json!({ "dwelling": record("Åsveien 5", 3, false), "status": "reserved" })),
        )
        .await;
        assert_eq!(status, 201, "{reserved}");
        let reserved_id = reserved["dwelling"]["id"].as_str().expect("an id").to_string();

        // The list, and each filter narrowing it.
        let (status, all) = call(
            &s,
            &caseworker,
            Method::GET,
            "/api/v1/dwellings?municipality=3301",
            None,
        )
        .await;
        // The fixture's three flats (one offered in its round, one let) and the two registered
        // above.
        assert_eq!((status, all["total"].as_i64()), (200, Some(5)), "{all}");
        assert_eq!((all["offset"].as_i64(), all["limit"].as_i64()), (Some(0), Some(50)));
        // Address order: Åsveien sorts after Tollbugata in Norwegian, but the store sorts as
        // it does; the page holds all five either way.
        assert_eq!(ids(&all).len(), 5);
        for (query, expected) in [
            ("status=reserved", vec![reserved_id.clone()]),
            ("type=care_dwelling&bedrooms=1", vec![care_id.clone()]),
            ("wheelchair_accessible=true", vec![care_id.clone()]),
            ("q=tollbugata%207", vec![f.dwelling.clone()]),
            (&format!("q={DWELLING_EXTERNAL_ID}"), vec![f.dwelling.clone()]),
        ] {
            let (status, list) = call(
                &s,
                &caseworker,
                Method::GET,
                &format!("/api/v1/dwellings?municipality=3301&{query}"),
                None,
            )
            .await;
            assert_eq!((status, ids(&list)), (200, expected), "{query}: {list}");
        }
        let (_, page) = call(
            &s,
            &caseworker,
            Method::GET,
            "/api/v1/dwellings?municipality=3301&limit=2&offset=2",
            None,
        )
        .await;
        assert_eq!((page["total"].as_i64(), ids(&page).len()), (Some(5), 2), "{page}");
        let (status, refused) = call(
            &s,
            &caseworker,
            Method::GET,
            "/api/v1/dwellings?municipality=3301&type=castle",
            None,
        )
        .await;
        assert_eq!((status, fields(&refused)), (422, vec!["type".to_string()]), "{refused}");

        // Under repair needs a reason; with one it is set, from a day, in the history.
        let url = format!("/api/v1/dwellings/{care_id}");
        let (status, refused) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/status"),
            Some(json!({ "version": 1, "status": "under_repair" })),
        )
        .await;
        assert_eq!(
            (status, fields(&refused)),
            (422, vec!["reason".to_string()]),
            "{refused}"
        );
        let (status, repaired) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/status"),
            Some(json!({ "version": 1, "status": "under_repair", "reason": "Vannskade på badet" })),
        )
        .await;
        assert_eq!(status, 200, "{repaired}");
        assert_eq!(repaired["dwelling"]["status"], "under_repair");
        assert_eq!(repaired["dwelling"]["version"], 2);
        assert_eq!(repaired["history"][0]["kind"], "status");
        assert_eq!(repaired["history"][0]["reason"], "Vannskade på badet");
        // `let` is not a status anyone sets by hand.
        let (status, refused) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/status"),
            Some(json!({ "version": 2, "status": "let" })),
        )
        .await;
        assert_eq!(
            (status, fields(&refused)),
            (422, vec!["status".to_string()]),
            "{refused}"
        );

        // Removed: gone from the register, listed among the removed, and back when restored.
        let (status, removed) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/delete"),
            Some(json!({ "version": 2, "reason": "Registrert ved en feil" })),
        )
        .await;
        assert_eq!(
            (status, removed["dwelling"]["deleted"].as_bool()),
            (200, Some(true)),
            "{removed}"
        );
        let (_, listed) = call(
            &s,
            &caseworker,
            Method::GET,
            "/api/v1/dwellings?municipality=3301",
            None,
        )
        .await;
        assert!(!ids(&listed).contains(&care_id), "{listed}");
        let (_, gone) = call(
            &s,
            &caseworker,
            Method::GET,
            "/api/v1/dwellings?municipality=3301&deleted=true",
            None,
        )
        .await;
        assert_eq!(ids(&gone), vec![care_id.clone()], "{gone}");
        let (status, stale) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/restore"),
            Some(json!({ "version": 2 })),
        )
        .await;
        assert_eq!(
            (status, stale["error"]["code"].as_str()),
            (409, Some("conflict")),
            "{stale}"
        );
        let (status, restored) = call(
            &s,
            &manager,
            Method::POST,
            &format!("{url}/restore"),
            Some(json!({ "version": 3 })),
        )
        .await;
        assert_eq!(
            (status, restored["dwelling"]["deleted"].as_bool()),
            (200, Some(false)),
            "{restored}"
        );
        let kinds: Vec<&str> = restored["history"]
            .as_array()
            .expect("history")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["restored", "deleted", "status", "created"]);

        // New facts at the version read; the same version again is stale.
        let (status, changed) = call(
            &s,
            &manager,
            Method::PUT,
            &url,
            Some(json!({ "version": 4, "dwelling": record("Åsveien 3", 2, true) })),
        )
        .await;
        assert_eq!(
            (status, changed["dwelling"]["bedrooms"].as_i64()),
            (200, Some(2)),
            "{changed}"
        );
        assert_eq!(
            changed["history"][0]["details"]["changed"]["bedrooms"]["before"], 1,
            "{changed}"
        );
        let (status, _) = call(
            &s,
            &manager,
            Method::PUT,
            &url,
            Some(json!({ "version": 4, "dwelling": record("Åsveien 3", 1, true) })),
        )
        .await;
        assert_eq!(status, 409);

        // A caseworker reads the dwelling and its history, and changes nothing.
        let (status, read) = call(&s, &caseworker, Method::GET, &url, None).await;
        assert_eq!((status, read["dwelling"]["version"].as_i64()), (200, Some(5)), "{read}");
        let writes = [
            (
                Method::POST,
                "/api/v1/dwellings?municipality=3301".to_string(),
                Some(json!({ "dwelling": record("Åsveien 7", 1, false) })),
            ),
            (
                Method::PUT,
                url.clone(),
                Some(json!({ "version": 5, "dwelling": record("Åsveien 3", 1, true) })),
            ),
            (
                Method::POST,
                format!("{url}/status"),
                Some(json!({ "version": 5, "status": "reserved" })),
            ),
            (
                Method::POST,
                format!("{url}/delete"),
                Some(json!({ "version": 5, "reason": "x" })),
            ),
            (Method::POST, format!("{url}/restore"), Some(json!({ "version": 5 }))),
            (
                Method::PUT,
                "/api/v1/dwellings/by-external-id/CW-1?municipality=3301".to_string(),
                Some(record("Åsveien 9", 1, false)),
            ),
            (
                Method::DELETE,
                format!("/api/v1/dwellings/by-external-id/{DWELLING_EXTERNAL_ID}?municipality=3301"),
                None,
            ),
        ];
        for (method, path, body) in writes.clone() {
            let (status, answer) = call(&s, &caseworker, method.clone(), &path, body).await;
            assert_eq!(status, 403, "{on}: caseworker {method} {path}: {answer}");
        }
        let (_, after) = call(&s, &caseworker, Method::GET, &url, None).await;
        assert_eq!(after["dwelling"]["version"], 5, "nothing changed: {after}");

        // Another municipality's user finds none of it, read or write.
        for (method, path, body) in [
            (Method::GET, url.clone(), None),
            (Method::GET, "/api/v1/dwellings?municipality=3301".to_string(), None),
        ]
        .into_iter()
        .chain(writes)
        {
            let (status, _) = call(&s, &stranger, method.clone(), &path, body).await;
            assert_eq!(status, 404, "{on}: stranger {method} {path}");
        }
        // In their own municipality the register is empty.
        let (status, own) = call(&s, &stranger, Method::GET, "/api/v1/dwellings?municipality=0301", None).await;
        assert_eq!((status, own["total"].as_i64()), (200, Some(0)), "{own}");
    }
}

#[tokio::test]
async fn a_property_management_sync_is_idempotent_and_bad_input_is_named() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let s = start(&db, &[]);
        let manager = f.users[&Role::HousingManager].1.clone();
        let on = &db.url;
        let pms = "/api/v1/dwellings/by-external-id/KOBO-4711?municipality=3301";
        let sent = record("Strømsø torg 2", 2, false);

        let (status, created) = call(&s, &manager, Method::PUT, pms, Some(sent.clone())).await;
        assert_eq!(
            (status, created["outcome"].as_str()),
            (201, Some("created")),
            "{on}: {created}"
        );
        assert_eq!(created["dwelling"]["external_id"], "KOBO-4711");
        assert_eq!(created["dwelling"]["status"], "vacant");
        let id = created["dwelling"]["id"].as_str().expect("an id").to_string();
        let history = |detail: &Value| detail["history"].as_array().map_or(0, Vec::len);
        let (_, detail) = call(&s, &manager, Method::GET, &format!("/api/v1/dwellings/{id}"), None).await;
        let entries = history(&detail);
        assert_eq!(entries, 1, "{detail}");

        // The same call again: unchanged, nothing written.
        let (status, again) = call(&s, &manager, Method::PUT, pms, Some(sent.clone())).await;
        assert_eq!((status, again["outcome"].as_str()), (200, Some("unchanged")), "{again}");
        assert_eq!(again["dwelling"]["version"], created["dwelling"]["version"]);
        let (_, detail) = call(&s, &manager, Method::GET, &format!("/api/v1/dwellings/{id}"), None).await;
        assert_eq!(history(&detail), entries, "no new history entry: {detail}");

        // A change is an update of the same dwelling.
        let mut dearer = sent.clone();
        dearer["monthly_rent_kr"] = json!(9100);
        let (status, updated) = call(&s, &manager, Method::PUT, pms, Some(dearer.clone())).await;
        assert_eq!(
            (status, updated["outcome"].as_str()),
            (200, Some("updated")),
            "{updated}"
        );
        assert_eq!(updated["dwelling"]["id"].as_str(), Some(id.as_str()));
        assert_eq!(updated["dwelling"]["monthly_rent_ore"], 910_000);

        // Read by the external id; DELETE removes it, a later PUT restores it.
        let (status, found) = call(&s, &manager, Method::GET, pms, None).await;
        assert_eq!((status, found["id"].as_str()), (200, Some(id.as_str())), "{found}");
        let (status, body) = call(&s, &manager, Method::DELETE, pms, None).await;
        assert_eq!((status, body), (204, Value::Null));
        let (_, found) = call(&s, &manager, Method::GET, pms, None).await;
        assert_eq!(found["deleted"], true, "{found}");
        let (status, body) = call(&s, &manager, Method::DELETE, pms, None).await;
        assert_eq!(status, 204, "removing it again changes nothing: {body}");
        let (status, restored) = call(&s, &manager, Method::PUT, pms, Some(dearer)).await;
        assert_eq!(
            (status, restored["outcome"].as_str()),
            (200, Some("restored")),
            "{restored}"
        );
        assert_eq!(restored["dwelling"]["deleted"], false);
        let (status, _) = call(
            &s,
            &manager,
            Method::GET,
            "/api/v1/dwellings/by-external-id/NOBODY?municipality=3301",
            None,
        )
        .await;
        assert_eq!(status, 404);

        // Bad input, each refused naming its field; nothing saved.
        let mut two = sent.clone();
        two["bedrooms"] = json!("two");
        let mut negative = sent.clone();
        negative["monthly_rent_kr"] = json!(-100);
        let mut castle = sent.clone();
        castle["dwelling_type"] = json!("castle");
        let mut unknown = sent.clone();
        unknown["rooms"] = json!(3);
        let mut other_id = sent.clone();
        other_id["external_id"] = json!("KOBO-9");
        let mut many = sent.clone();
        many["bedrooms"] = json!(11);
        many["postal_code"] = json!("0000");
        for (body, expected) in [
            (two, vec!["bedrooms"]),
            (negative, vec!["monthly_rent_kr"]),
            (castle, vec!["dwelling_type"]),
            (unknown, vec!["rooms"]),
            (other_id, vec!["external_id"]),
            (many, vec!["postal_code", "bedrooms"]),
        ] {
            let (status, refused) = call(
                &s,
                &manager,
                Method::PUT,
                "/api/v1/dwellings/by-external-id/KOBO-BAD?municipality=3301",
                Some(body.clone()),
            )
            .await;
            assert_eq!(status, 422, "{body}: {refused}");
            let got = fields(&refused);
            for field in expected {
                assert!(got.iter().any(|g| g == field), "{field} named: {body}: {refused}");
            }
        }
        let (status, _) = call(
            &s,
            &manager,
            Method::GET,
            "/api/v1/dwellings/by-external-id/KOBO-BAD?municipality=3301",
            None,
        )
        .await;
        assert_eq!(status, 404, "nothing was saved");
        // In the register's own create, the record's errors are named where they are in the body.
        let mut negative = sent.clone();
        negative["monthly_rent_kr"] = json!(-1);
        let (status, refused) = call(
            &s,
            &manager,
            Method::POST,
            "/api/v1/dwellings?municipality=3301",
            Some(json!({ "dwelling": negative, "status": "let" })),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        let mut got = fields(&refused);
        got.sort();
        assert_eq!(got, ["dwelling.monthly_rent_kr", "status"], "{refused}");
    }
}
