//! Several `husly serve` processes on one PostgreSQL database, as behind a load balancer:
//! concurrent writes and audited reads through all three; afterwards the audit log verifies, no
//! acknowledged write is lost, optimistic versioning holds across servers, and a login on one
//! server is valid on the others (sessions live in the database), while a logout reaches them
//! within the session cache's lifetime.

use crate::common;

use common::fixture::{PASSWORD, household_input, prepare};
use common::{Database, Server, client, csrf_of, husly, login, start, synthetic_id};
use husly_domain::authz::Role;
use serde_json::{Value, json};
use std::process::Stdio;

const SERVERS: usize = 3;
const WRITES_PER_SERVER: usize = 12;

#[tokio::test]
async fn three_servers_on_one_postgresql_database_act_as_one() {
    let Some(db) = Database::postgres().await else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the PostgreSQL tests"
        );
        return;
    };
    let fixture = prepare(&db.url).await;
    let servers: Vec<Server> = (0..SERVERS).map(|_| start(&db, &["--demo"])).collect();
    let token = fixture.users[&Role::Caseworker].1.clone();

    // A login on one server is valid on the others.
    let email = fixture.users[&Role::Caseworker].0.clone();
    let http = login(&servers[0], &email, PASSWORD).await;
    for server in &servers {
        let page = http.get(server.url("/search")).send().await.unwrap();
        assert_eq!(page.status(), 200, "signed in on {}", server.base);
    }

    // Concurrent registrations through all three servers, each acknowledged with 201.
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..SERVERS * WRITES_PER_SERVER {
        let (base, token) = (bases[i % SERVERS].clone(), token.clone());
        writes.spawn(async move {
            let national_id = synthetic_id(
                1950 + (i % 40) as i32,
                1 + (i % 12) as u8,
                1 + (i % 28) as u8,
                100 + i as u16,
            );
            let family = format!("Flerservertest{i}");
            let response = client()
                .post(format!("{base}/api/v1/households?municipality=3301"))
                .bearer_auth(&token)
                .json(&household_input(&national_id, "Sigrid", &family))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201, "write {i} on {base}");
            let body: Value = response.json().await.unwrap();
            (body["id"].as_str().unwrap().to_string(), family)
        });
    }
    let acknowledged: Vec<(String, String)> = writes.join_all().await;
    assert_eq!(acknowledged.len(), SERVERS * WRITES_PER_SERVER);

    // Every acknowledged write is there, read through every server (each read audited).
    let mut reads = tokio::task::JoinSet::new();
    for (id, family) in &acknowledged {
        for base in &bases {
            let (base, token, id, family) = (base.clone(), token.clone(), id.clone(), family.clone());
            reads.spawn(async move {
                let response = client()
                    .get(format!("{base}/api/v1/households/{id}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200, "read {id} on {base}");
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["members"][0]["person"]["family_name"], family.as_str());
            });
        }
    }
    reads.join_all().await;

    // Optimistic versioning across servers: the first save of a version wins, the second is refused.
    let (id, family) = &acknowledged[0];
    let read: Value = client()
        .get(servers[0].url(&format!("/api/v1/households/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = read["version"].as_i64().unwrap();
    let national_id = read["members"][0]["person"]["national_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut moved = household_input(&national_id, "Sigrid", family);
    moved.address_line = "Flytteveien 2".into();
    let update = json!({ "version": version, "reason": "Flyttet", "household": moved });
    let put = |server: &Server| {
        client()
            .put(server.url(&format!("/api/v1/households/{id}")))
            .bearer_auth(&token)
            .json(&update)
            .send()
    };
    assert_eq!(put(&servers[1]).await.unwrap().status(), 200);
    assert_eq!(
        put(&servers[2]).await.unwrap().status(),
        409,
        "a stale version on another server"
    );

    // A logout on one server reaches the others within the session cache's lifetime (2 s).
    let csrf = csrf_of(&servers[0], &http, "/search").await;
    let logout = http
        .post(servers[0].url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    for server in &servers {
        let page = http.get(server.url("/search")).send().await.unwrap();
        assert_eq!(page.headers()["location"], "/login", "logged out on {}", server.base);
    }

    drop(servers);
    let verified = husly()
        .args(["audit", "verify", "--database", &db.url, "--data-dir"])
        .arg(db.dir.path())
        .env_remove("HUSLY_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success() && out.starts_with("audit log intact"),
        "{out} {}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
