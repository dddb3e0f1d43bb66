//! The store's contract: the same behaviour on SQLite and PostgreSQL. Every test runs on SQLite
//! and, when `HUSLY_TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database too. In CI
//! (`CI=true`) the PostgreSQL run is required.

use husly_domain::authz::Role;
use husly_domain::household::{HouseholdInput, MemberInput, ValidHousehold, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_store::audit::{Actor, AuditFilter, Event};
use husly_store::households::Change;
use husly_store::municipalities::Municipality;
use husly_store::search::SearchQuery;
use husly_store::testing::{POSTGRES_URL_VAR, TestDb};
use husly_store::{Backend, Store, StoreError};

async fn databases() -> Vec<TestDb> {
    let dbs = TestDb::all().await.expect("test databases");
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(
            dbs.iter().any(|d| d.backend() == Backend::Postgres),
            "CI must run the store contract on PostgreSQL: set {POSTGRES_URL_VAR}"
        );
    }
    dbs
}

fn nid(year: i32, month: u8, day: u8, individual: u16) -> String {
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).unwrap(), day).unwrap();
    synthetic_tenor_next(date, individual).to_string()
}

fn member(national_id: &str, given: &str, family: &str, relation: &str) -> MemberInput {
    MemberInput {
        national_id: national_id.into(),
        given_name: given.into(),
        family_name: family.into(),
        relation: relation.into(),
        ..Default::default()
    }
}

fn household(members: Vec<MemberInput>) -> ValidHousehold {
    let input = HouseholdInput {
        address_line: "Prøvestien 4".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members,
    };
    validate_household(&input, SyntheticPolicy::Allow, time::macros::date!(2026 - 11 - 01)).expect("valid household")
}

async fn municipality(store: &Store, number: &str) -> Municipality {
    store
        .ensure_municipality(number, &format!("Kommune {number}"), false, &Actor::cli("test"))
        .await
        .unwrap()
}

/// Kari Nordmann's household of one, the case tests' applicant.
async fn kari_nordmann(
    store: &Store,
    municipality: husly_domain::MunicipalityId,
    actor: &Actor,
) -> husly_domain::HouseholdId {
    let kari = household(vec![member(
        &nid(1985, 3, 4, 123),
        "Kari",
        "Nordmann",
        "main_applicant",
    )]);
    store
        .create_household(municipality, &kari, &change(actor))
        .await
        .unwrap()
}

/// A second municipality, to show that nothing crosses over.
async fn other_municipality(store: &Store) -> husly_domain::MunicipalityId {
    municipality(store, "0301").await.id
}

/// An audited view of household `h{n}`, as the load tests write them.
fn household_view(municipality: husly_domain::MunicipalityId, n: impl std::fmt::Display) -> Event<'static> {
    Event {
        municipality: Some(municipality),
        action: "household.view",
        resource_kind: "household",
        resource_id: format!("h{n}"),
        details: serde_json::json!({}),
    }
}

fn change(actor: &Actor) -> Change<'_> {
    Change {
        actor,
        user: None,
        reason: Some("test"),
    }
}

#[tokio::test]
async fn households_round_trip_with_timeline_and_audit() {
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let input = household(vec![
            member(&nid(1980, 3, 14, 200), "Kari", "Blomst", "main_applicant"),
            member(&nid(2015, 6, 1, 600), "Ola", "Blomst", "child"),
        ]);
        let id = store.create_household(m.id, &input, &change(&actor)).await.unwrap();
        let read = store.household(m.id, id).await.unwrap();
        assert_eq!(read.members.len(), 2, "{:?}", db.backend());
        assert_eq!(read.main_applicant().unwrap().given_name, "Kari");
        assert_eq!(read.members[1].person.birth_date, time::macros::date!(2015 - 06 - 01));
        assert_eq!(read.version, 1);
        assert_eq!(store.household_municipality(id).await.unwrap(), Some(m.id));

        let timeline = store.timeline(m.id, id).await.unwrap();
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].kind, "household.registered");

        let entries = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e.action == "household.create" && e.resource_id == id.to_string())
        );
    }
}

#[tokio::test]
async fn another_municipality_sees_nothing() {
    for db in databases().await {
        let store = &db.store;
        let a = municipality(store, "3301").await;
        let b = municipality(store, "0301").await;
        let actor = Actor::cli("test");
        let id = store
            .create_household(
                a.id,
                &household(vec![member(&nid(1970, 1, 2, 300), "Per", "Lyngmo", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        assert!(matches!(store.household(b.id, id).await, Err(StoreError::NotFound)));
        assert!(store.timeline(b.id, id).await.unwrap().is_empty());
        for typed in ["per", "prøvestien", "3015"] {
            let found = store
                .search_people(b.id, &SearchQuery::parse(typed).unwrap(), 10)
                .await
                .unwrap();
            assert!(found.hits.is_empty(), "{typed}");
        }
        let found = store
            .search_people(a.id, &SearchQuery::parse("per lyng").unwrap(), 10)
            .await
            .unwrap();
        assert_eq!(found.hits.len(), 1);
    }
}

#[tokio::test]
async fn optimistic_versioning_refuses_a_stale_update() {
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let id = store
            .create_household(
                m.id,
                &household(vec![member(&nid(1990, 5, 5, 100), "Sara", "Nordlys", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        let mut updated = household(vec![
            member(&nid(1990, 5, 5, 100), "Sara", "Nordlys", "main_applicant"),
            member(&nid(1991, 7, 7, 110), "Ali", "Nordlys", "cohabitant"),
        ]);
        updated.address_line = "Testlia 9".into();
        assert_eq!(
            store
                .update_household(m.id, id, 1, &updated, &change(&actor))
                .await
                .unwrap(),
            2
        );
        let stale = store.update_household(m.id, id, 1, &updated, &change(&actor)).await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { expected: 1 })),
            "{:?}",
            db.backend()
        );
        let read = store.household(m.id, id).await.unwrap();
        assert_eq!(
            (read.version, read.members.len(), read.address_line.as_str()),
            (2, 2, "Testlia 9")
        );
        let kinds: Vec<_> = store
            .timeline(m.id, id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["household.updated", "household.registered"]);
    }
}

#[tokio::test]
async fn search_by_name_address_number_and_case_reference_gives_the_same_on_both_backends() {
    use husly_domain::cases::{ApplicationForm, CaseType};
    let mut per_backend: Vec<Vec<Vec<String>>> = Vec::new();
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let kari = nid(1980, 3, 14, 200);
        let mut households = Vec::new();
        for (given, family, id, address) in [
            ("Kari-Anne", "Østby", kari.clone(), "Storgata 12"),
            ("Karl", "Øst", nid(1950, 1, 1, 400), "Storgata 120"),
            ("Anne", "Berg", nid(1960, 2, 2, 410), "Åsveien 3 B"),
            ("Ola", "Ostby", nid(1961, 2, 3, 420), "Elvegata 7"),
            ("Per", "Berg Hansen", nid(1962, 2, 4, 430), "Elvegata 9"),
            ("Perla", "Amundsen", nid(1963, 2, 5, 440), "Elvegata 11"),
            ("Lise", "Aas-Nilsen", nid(1964, 2, 6, 450), "Bekkeveien 2"),
        ] {
            let mut input = household(vec![member(&id, given, family, "main_applicant")]);
            input.address_line = address.into();
            households.push(store.create_household(m.id, &input, &change(&actor)).await.unwrap());
        }
        // A moved household is found at its new address only.
        let moved = store.household(m.id, households[6]).await.unwrap();
        let mut input = household(vec![member(
            &nid(1964, 2, 6, 450),
            "Lise",
            "Aas-Nilsen",
            "main_applicant",
        )]);
        input.address_line = "Nyveien 5".into();
        store
            .update_household(m.id, households[6], moved.version, &input, &change(&actor))
            .await
            .unwrap();
        let (_, reference) = store
            .register_application(
                m.id,
                households[2],
                CaseType::MunicipalHousing,
                &ApplicationForm::default(),
                time::macros::date!(2026 - 10 - 31),
                &change(&actor),
            )
            .await
            .unwrap();
        let q = |s: &str| SearchQuery::parse(s).unwrap();
        let names = |found: husly_store::search::Found| -> Vec<String> {
            found.hits.into_iter().map(|h| h.person.full_name()).collect()
        };
        let mut results = Vec::new();
        for (typed, expected) in [
            // Each word the start of a word; ø is a letter of its own.
            ("kar øst", &["Karl Øst", "Kari-Anne Østby"][..]),
            ("øst", &["Karl Øst", "Kari-Anne Østby"]),
            ("ost", &["Ola Ostby"]),
            // Both have the whole word "anne": by family name.
            ("ANNE", &["Anne Berg", "Kari-Anne Østby"]),
            ("østby anne", &["Kari-Anne Østby"]),
            // "Per" himself before "Perla", though A comes before B.
            ("per", &["Per Berg Hansen", "Perla Amundsen"]),
            // Double and hyphenated family names, by any of their parts.
            ("hansen", &["Per Berg Hansen"]),
            ("berg", &["Anne Berg", "Per Berg Hansen"]),
            ("nilsen", &["Lise Aas-Nilsen"]),
            ("aas-nil", &["Lise Aas-Nilsen"]),
            // Addresses: "12" itself before "120"; the postal place; the letter of an entrance;
            // equal matches by address line.
            ("storgata 12", &["Kari-Anne Østby", "Karl Øst"]),
            ("åsveien 3 b", &["Anne Berg"]),
            ("elvegata drammen", &["Perla Amundsen", "Ola Ostby", "Per Berg Hansen"]),
            ("nyveien", &["Lise Aas-Nilsen"]),
            ("bekkeveien", &[]),
            ("zz", &[]),
        ] {
            let found = names(store.search_people(m.id, &q(typed), 10).await.unwrap());
            assert_eq!(found, expected, "{typed:?} on {:?}", db.backend());
            results.push(found);
        }
        let spaced = format!("{} {}", &kari[..6], &kari[6..]);
        let found = store.search_people(m.id, &q(&spaced), 10).await.unwrap();
        assert_eq!(found.hits[0].households.len(), 1);
        assert_eq!(names(found), ["Kari-Anne Østby"]);
        // A case number, typed with or without its leading zeros, names the case and its household.
        let short = reference.replace("-00000", "-");
        for typed in [reference.as_str(), short.as_str()] {
            let found = store.search_people(m.id, &q(typed), 10).await.unwrap();
            let case = found.case.clone().expect("the case");
            assert_eq!(
                (case.reference.as_str(), case.household),
                (reference.as_str(), households[2])
            );
            assert_eq!(names(found), ["Anne Berg"]);
        }
        let unknown = store.search_people(m.id, &q("2026-999999"), 10).await.unwrap();
        assert!(unknown.case.is_none() && unknown.hits.is_empty());
        // The limit holds across name and address matches.
        assert_eq!(store.search_people(m.id, &q("e"), 3).await.unwrap().hits.len(), 3);
        per_backend.push(results);
    }
    assert!(
        per_backend.windows(2).all(|pair| pair[0] == pair[1]),
        "the backends disagree"
    );
}

/// A person registered again under a new name (a second household, the same identity number)
/// is found by the new name only: the old name's pair rows go with it (schema 48).
#[tokio::test]
async fn a_renamed_person_is_found_by_the_new_name_only() {
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let number = nid(1981, 3, 4, 300);
        // Then once more under the same name (as a change to a household registers its members).
        for family in ["Blomberg", "Lyngstad", "Lyngstad"] {
            store
                .create_household(
                    m.id,
                    &household(vec![member(&number, "Kari Anne", family, "main_applicant")]),
                    &change(&actor),
                )
                .await
                .unwrap();
        }
        let q = |s: &str| SearchQuery::parse(s).unwrap();
        for (typed, expected) in [
            ("kari blom", 0),
            ("anne blomberg", 0),
            ("kari lyng", 1),
            ("lyngstad anne", 1),
        ] {
            let found = store.search_people(m.id, &q(typed), 10).await.unwrap();
            assert_eq!(found.hits.len(), expected, "{typed} on {:?}", db.backend());
        }
        let pair_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person_search_pair")
            .fetch_one(store.pool())
            .await
            .unwrap();
        // Kari, Anne and Lyngstad: every word in front of each other word, once.
        assert_eq!(pair_rows, 6, "{:?}", db.backend());
    }
}

#[tokio::test]
async fn a_search_ranks_a_bounded_set_and_never_cuts_off_an_exact_name() {
    use husly_store::search::CANDIDATES;
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        // More people named "Ola Nordvik" or "Ola Nordli" than a search ranks, in households of
        // twenty, and one "Ola Nord" registered last, behind all of them in the index.
        let people = CANDIDATES as usize + 20;
        let ids: Vec<String> = (0..people)
            .map(|i| {
                let day = time::macros::date!(1940 - 01 - 01) + time::Duration::days(i as i64);
                synthetic_tenor_next(day, 500).to_string()
            })
            .collect();
        for (first, chunk) in ids.chunks(20).enumerate().map(|(n, chunk)| (n * 20, chunk)) {
            let members = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let relation = if i == 0 { "main_applicant" } else { "other_adult" };
                    let family = if (first + i) % 2 == 0 { "Nordvik" } else { "Nordli" };
                    member(id, "Ola", family, relation)
                })
                .collect();
            store
                .create_household(m.id, &household(members), &change(&actor))
                .await
                .unwrap();
        }
        let last = vec![member(&nid(2001, 1, 1, 600), "Ola", "Nord", "main_applicant")];
        store
            .create_household(m.id, &household(last), &change(&actor))
            .await
            .unwrap();

        let q = |s: &str| SearchQuery::parse(s).unwrap();
        let found = store.search_people(m.id, &q("ola nord"), 10).await.unwrap();
        assert!(found.too_many, "{:?}", db.backend());
        assert_eq!(found.hits.len(), 10);
        // Both words whole: first, though the index lists it after a thousand others.
        assert_eq!(found.hits[0].person.full_name(), "Ola Nord", "{:?}", db.backend());
        let sort_keys: Vec<String> = found.hits[1..]
            .iter()
            .map(|h| format!("{} {}", h.person.family_name, h.person.given_name))
            .collect();
        assert!(sort_keys.is_sorted(), "{sort_keys:?}");
        // Fewer than the bound: every match is ranked, and nothing is said.
        let found = store.search_people(m.id, &q("ola nordl"), 200).await.unwrap();
        assert!(!found.too_many && found.hits.len() == 200);
        assert!(found.hits.iter().all(|h| h.person.full_name() == "Ola Nordli"));
        // The address of every household: more than the bound of people, fewer households.
        let found = store.search_people(m.id, &q("prøvestien"), 200).await.unwrap();
        assert!(!found.too_many && found.hits.len() == 200);
    }
}

/// A name with two words that start alike holds two pair tokens in one query's range ("ola
/// nord": `ola_nordby` and `ola_nordli`): the person is listed and counted once.
#[tokio::test]
async fn a_person_with_two_tokens_in_the_range_is_listed_and_counted_once() {
    use husly_store::search::CANDIDATES;
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        for (id, family) in [
            (nid(1970, 5, 6, 700), "Nordby Nordli"),
            (nid(1971, 5, 6, 710), "Nordvik"),
        ] {
            store
                .create_household(
                    m.id,
                    &household(vec![member(&id, "Ola", family, "main_applicant")]),
                    &change(&actor),
                )
                .await
                .unwrap();
        }
        let q = |s: &str| SearchQuery::parse(s).unwrap();
        let names = |found: &husly_store::search::Found| -> Vec<String> {
            found.hits.iter().map(|h| h.person.full_name()).collect()
        };
        // A page of two: both people, not the first one twice.
        let found = store.search_people(m.id, &q("ola nord"), 2).await.unwrap();
        assert_eq!(
            names(&found),
            ["Ola Nordby Nordli", "Ola Nordvik"],
            "{:?}",
            db.backend()
        );
        assert!(!found.too_many);

        // As many people as the bound, with one row more than the bound: not too many.
        let more = CANDIDATES as usize - 2;
        let ids: Vec<String> = (0..more)
            .map(|i| {
                synthetic_tenor_next(
                    time::macros::date!(1940 - 01 - 01) + time::Duration::days(i as i64),
                    500,
                )
                .to_string()
            })
            .collect();
        for chunk in ids.chunks(20) {
            let members = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    member(
                        id,
                        "Ola",
                        "Nordvik",
                        if i == 0 { "main_applicant" } else { "other_adult" },
                    )
                })
                .collect();
            store
                .create_household(m.id, &household(members), &change(&actor))
                .await
                .unwrap();
        }
        let found = store.search_people(m.id, &q("ola nord"), 200).await.unwrap();
        assert!(!found.too_many, "{:?}", db.backend());
        assert_eq!(found.hits[0].person.full_name(), "Ola Nordby Nordli");
        assert_eq!(found.hits.len(), 200);
        // One person more, and there are more than the bound.
        let last = vec![member(&nid(2001, 1, 1, 600), "Ola", "Nordvik", "main_applicant")];
        store
            .create_household(m.id, &household(last), &change(&actor))
            .await
            .unwrap();
        let found = store.search_people(m.id, &q("ola nord"), 10).await.unwrap();
        assert!(found.too_many, "{:?}", db.backend());
    }
}

#[tokio::test]
async fn users_roles_passwords_sessions_and_tokens() {
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let user = store
            .create_user("Kari@Example.no", "Kari", "correct horse battery", &actor)
            .await
            .unwrap();
        assert!(matches!(
            store
                .create_user("kari@example.no", "Kari 2", "another long password", &actor)
                .await,
            Err(StoreError::Duplicate(_))
        ));
        assert!(matches!(
            store.create_user("x@example.no", "X", "short", &actor).await,
            Err(StoreError::Invalid(_))
        ));
        store.grant_role(user, m.id, Role::Caseworker, &actor).await.unwrap();
        store.grant_role(user, m.id, Role::Caseworker, &actor).await.unwrap();
        assert_eq!(
            store
                .authenticate("kari@example.no", "correct horse battery")
                .await
                .unwrap(),
            Some(user)
        );
        assert_eq!(
            store.authenticate("kari@example.no", "wrong password!").await.unwrap(),
            None
        );
        assert_eq!(
            store
                .authenticate("nobody@example.no", "correct horse battery")
                .await
                .unwrap(),
            None
        );
        let principal = store.principal(user).await.unwrap().unwrap();
        assert_eq!(principal.roles_in(m.id), [Role::Caseworker]);

        let secret = store.create_session(user, Some(m.id)).await.unwrap();
        let session = store.session(&secret).await.unwrap().unwrap();
        assert_eq!((session.user_id, session.municipality), (user, Some(m.id)));
        assert_eq!(session.csrf_token.len(), 64);
        let (token, bearer) = store.create_token(user, "integration", None, &actor).await.unwrap();
        assert_eq!(store.user_for_token(&bearer).await.unwrap().map(|u| u.id), Some(user));

        // Disabling logs out everywhere and refuses the password; tokens stop working.
        store.set_user_disabled(user, true, Some(m.id), &actor).await.unwrap();
        assert!(store.session(&secret).await.unwrap().is_none());
        assert_eq!(
            store
                .authenticate("kari@example.no", "correct horse battery")
                .await
                .unwrap(),
            None
        );
        assert!(store.principal(user).await.unwrap().is_none());
        store.set_user_disabled(user, false, Some(m.id), &actor).await.unwrap();
        store.revoke_token(&token.id, &actor).await.unwrap();
        assert!(store.user_for_token(&bearer).await.unwrap().is_none());
        assert!(matches!(
            store.revoke_token(&token.id, &actor).await,
            Err(StoreError::NotFound)
        ));

        store
            .set_roles(user, m.id, &[Role::Approver, Role::Leader], &actor)
            .await
            .unwrap();
        assert_eq!(
            store.user(user).await.unwrap().roles[&m.id],
            [Role::Approver, Role::Leader]
        );
    }
}

/// Runs raw SQL against a test database (to simulate tampering).
async fn tamper(store: &Store, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(store.pool())
        .await
        .unwrap();
}

/// Runs `sql` against the audit log and returns the first break `verify_audit` finds.
async fn break_found_after(store: &Store, sql: &str, what: &str) -> husly_store::audit::ChainBreak {
    tamper(store, sql).await;
    let report = store.verify_audit().await.unwrap();
    report.first_break.unwrap_or_else(|| panic!("{what} not detected"))
}

async fn store_with_audit(db: &TestDb) -> Municipality {
    let store = &db.store;
    let m = municipality(store, "3301").await;
    let actor = Actor::cli("test");
    let event = |i: usize, action| Event {
        municipality: Some(m.id),
        action,
        resource_kind: "household",
        resource_id: format!("h{i}"),
        details: serde_json::json!({}),
    };
    for i in 0..5 {
        // A read goes to the access log, a change to the log of changes.
        store.audit(&actor, event(i, "household.view")).await.unwrap();
        let mut tx = store.write().await.unwrap();
        husly_store::audit::append(&mut tx, &actor, event(i, "household.change"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    m
}

/// Both logs of a municipality, as `(entry table, chain)`: the same checks hold for each.
fn both_logs(m: &Municipality) -> [(&'static str, String); 2] {
    [
        ("audit_entry", m.id.to_string()),
        (
            "access_entry",
            format!("{}{}", husly_store::audit::ACCESS_CHAIN_PREFIX, m.id),
        ),
    ]
}

/// A read's entry goes to the access log, a change's to the log of changes, and the two are
/// read back together, newest first. On SQLite a read commits to the access log's own file only,
/// so the data's file, and every connection's cache of it, is left as it was.
#[tokio::test]
async fn reads_go_to_the_access_log_and_leave_the_data_file_as_it_was() {
    for db in databases().await {
        let m = store_with_audit(&db).await;
        let count = |sql: String| {
            let pool = db.store.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        for (table, chain) in both_logs(&m) {
            let action = if table == "audit_entry" {
                "household.change"
            } else {
                "household.view"
            };
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE chain = '{chain}' AND action = '{action}'");
            assert_eq!(count(sql).await, 5, "{table}");
        }
        assert_eq!(
            count("SELECT COUNT(*) FROM audit_entry WHERE action = 'household.view'".into()).await,
            0
        );
        let filter = AuditFilter {
            limit: 100,
            ..Default::default()
        };
        let entries = db.store.audit_entries(m.id, &filter).await.unwrap();
        let household_entries: Vec<_> = entries.iter().filter(|e| e.resource_kind == "household").collect();
        assert_eq!(household_entries.len(), 10);
        assert_eq!(
            (
                household_entries[0].action.as_str(),
                household_entries[0].resource_id.as_str()
            ),
            ("household.change", "h4"),
            "newest first, across both logs"
        );
        assert!(entries.windows(2).all(|w| w[0].occurred_at >= w[1].occurred_at));
        let paged = AuditFilter {
            limit: 3,
            offset: 1,
            ..Default::default()
        };
        let page: Vec<_> = db.store.audit_entries(m.id, &paged).await.unwrap();
        assert_eq!(
            page.iter().map(|e| &e.id).collect::<Vec<_>>(),
            entries[1..4].iter().map(|e| &e.id).collect::<Vec<_>>()
        );

        if db.store.backend() == Backend::Sqlite {
            let actor = Actor::cli("test");
            let event = || household_view(m.id, 9);
            let mut watcher = db.store.pool().acquire().await.unwrap();
            let mut versions = async || -> (i64, i64) {
                let main = sqlx::query_scalar("PRAGMA main.data_version").fetch_one(&mut *watcher);
                let main: i64 = main.await.unwrap();
                let access = sqlx::query_scalar("PRAGMA access.data_version").fetch_one(&mut *watcher);
                (main, access.await.unwrap())
            };
            // A first read with the watcher's connection taken, so that the log's commit has a
            // connection of its own before the count starts: a connection the pool opens runs
            // `PRAGMA optimize`, which may write the planner's statistics to the data's file.
            db.store.audit(&actor, event()).await.unwrap();
            let before = versions().await;
            db.store.audit(&actor, event()).await.unwrap();
            let after_read = versions().await;
            assert_eq!(after_read.0, before.0, "a read leaves the data's file as it was");
            assert_ne!(after_read.1, before.1, "a read commits to the access log's file");
            let mut tx = db.store.write().await.unwrap();
            husly_store::audit::append(&mut tx, &actor, event()).await.unwrap();
            tx.commit().await.unwrap();
            assert_ne!(versions().await.0, after_read.0, "a change commits to the data's file");
        }
    }
}

/// A connection the pool opens while a write transaction is open (a bulk load's, or the asking
/// task's own) is ready without waiting for that writer, even when the planner's statistics are
/// stale enough that `PRAGMA optimize` wants to refresh them (which writes), and a refresh
/// asked for during the write is skipped rather than waiting. `husly seed` of 1 000 000
/// households failed twice so, each time when the pool opened a connection during a long load
/// ("pool timed out while waiting for an open connection"): first because the refresh on opening
/// waited for the seed's writer, then because it took longer than the pool waits. Statistics
/// are now refreshed on a connection already open: when the store opens and by the scheduler.
#[tokio::test]
async fn a_connection_opened_during_a_write_does_not_wait_for_the_writer() {
    let db = TestDb::sqlite().await.unwrap();
    // Statistics of a small table, which then grows a thousandfold (as a seed's do).
    db.store.analyze().await.unwrap();
    let mut tx = db.store.write().await.unwrap();
    for i in 0..20_000 {
        sqlx::query("INSERT INTO installation (key, value) VALUES ($1, 'x')")
            .bind(format!("bulk-{i}"))
            .execute(tx.conn())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    db.store.close().await;
    let store = Store::connect(&db.url, &Default::default()).await.unwrap();
    let mut tx = store.write().await.unwrap();
    let mut other = store
        .pool()
        .acquire()
        .await
        .expect("a new connection while a write transaction is open");
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *other).await.unwrap();
    assert_eq!(one, 1);
    drop(other);
    store
        .refresh_statistics()
        .await
        .expect("a refresh during a write is skipped");
    sqlx::query("INSERT INTO installation (key, value) VALUES ('after', 'x')")
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    store.close().await;
    // With no writer about, the store refreshes the statistics when it opens.
    let store = Store::connect(&db.url, &Default::default()).await.unwrap();
    let stat: String = sqlx::query_scalar("SELECT stat FROM main.sqlite_stat1 WHERE tbl = 'installation'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let rows: i64 = stat.split(' ').next().unwrap().parse().unwrap();
    assert!(rows > 10_000, "the statistics were not refreshed: {stat}");
    // The refresh on opening samples each index (it kept a connection to 918 000 households
    // opening for longer than the pool waits); the connection keeps no limit, so a full ANALYZE
    // after a bulk load still counts every row.
    let limit: i64 = sqlx::query_scalar("PRAGMA analysis_limit")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(limit, 0, "a connection kept the refresh's sampling limit");
    store.analyze().await.unwrap();
    let stat: String = sqlx::query_scalar("SELECT stat FROM main.sqlite_stat1 WHERE tbl = 'installation'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM installation")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(stat.split(' ').next(), Some(counted.to_string().as_str()), "{stat}");
}

/// The access log's file belongs with the data's: a database of schema 43 on whose access file
/// is gone is refused when opened, with a message naming the file, rather than started with an
/// empty log. A URL that does not let SQLite create files gets the same answer.
#[tokio::test]
async fn a_missing_access_log_file_is_refused_by_name() {
    let db = TestDb::sqlite().await.unwrap();
    let path = db
        .url
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc")
        .to_string();
    db.store.close().await;
    for suffix in ["-access", "-access-wal", "-access-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    for url in [db.url.clone(), format!("sqlite://{path}")] {
        match Store::connect(&url, &Default::default()).await {
            Err(StoreError::Corrupt(message)) => {
                assert!(
                    message.contains("husly.db-access") && message.contains("missing"),
                    "{message}"
                )
            }
            Err(other) => panic!("expected the missing access log to be named, got {other}"),
            Ok(_) => panic!("a database without its access log was opened"),
        }
    }
}

/// The two rewrites `verify_audit` cannot see — the newest entry removed and the head moved
/// back, an entry in the middle removed and the rest rehashed — are found by the checkpoints
/// kept outside the database; a checkpoint from another key, or changed, is refused.
#[tokio::test]
async fn checkpoints_outside_the_database_find_a_rewritten_audit_log() {
    use husly_store::testing::rewrite_audit_chain_without;
    const KEY: &[u8] = b"a key kept outside the database";
    for (newest, log) in [(true, 0), (false, 0), (true, 1), (false, 1)] {
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (_, chain) = both_logs(&m)[log].clone();
            let checkpoint = db.store.audit_checkpoint(KEY, 1).await.unwrap();
            let head = checkpoint.heads.iter().find(|h| h.chain == chain).unwrap().seq;
            assert_eq!(
                db.store
                    .check_audit_checkpoints(KEY, std::slice::from_ref(&checkpoint))
                    .await
                    .unwrap(),
                None
            );
            rewrite_audit_chain_without(&db.store, &chain, if newest { head } else { 2 })
                .await
                .unwrap();
            assert_eq!(
                db.store.verify_audit().await.unwrap().first_break,
                None,
                "the rewrite is invisible to the chain alone"
            );
            let problem = db
                .store
                .check_audit_checkpoints(KEY, std::slice::from_ref(&checkpoint))
                .await
                .unwrap()
                .expect("the checkpoint finds the rewrite");
            assert_eq!(
                (problem.chain.as_str(), problem.seq),
                (chain.as_str(), head),
                "{problem}"
            );
            let forged = db.store.audit_checkpoint(b"the attacker's key", 2).await.unwrap();
            assert!(
                db.store
                    .check_audit_checkpoints(KEY, &[forged])
                    .await
                    .unwrap()
                    .is_some_and(|p| p.reason.contains("signature")),
                "a checkpoint written with another key is refused"
            );
        }
    }
}

#[tokio::test]
async fn audit_chain_detects_changes_removals_reordering_and_insertions() {
    for log in 0..2 {
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let report = db.store.verify_audit().await.unwrap();
            assert_eq!(report.first_break, None);
            assert!(report.entries >= 11);
            let (table, chain) = &both_logs(&m)[log];

            // Changed content.
            let sql = format!("UPDATE {table} SET actor = 'someone else' WHERE seq = 3 AND chain = '{chain}'");
            let broken = break_found_after(&db.store, &sql, "a change").await;
            assert_eq!((broken.chain.as_str(), broken.seq), (chain.as_str(), 3));
            assert!(broken.reason.contains("changed"), "{broken}");
        }
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (table, chain) = &both_logs(&m)[log];
            let sql = format!("DELETE FROM {table} WHERE seq = 2 AND chain = '{chain}'");
            let broken = break_found_after(&db.store, &sql, "a removal").await;
            assert_eq!((broken.chain.as_str(), broken.seq), (chain.as_str(), 2), "{broken}");
        }
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (table, chain) = &both_logs(&m)[log];
            // Removing the newest entries is caught by the chain head.
            let sql = format!("DELETE FROM {table} WHERE seq >= 5 AND chain = '{chain}'");
            let broken = break_found_after(&db.store, &sql, "a truncation").await;
            assert!(broken.reason.contains("removed"), "{broken}");
        }
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (table, chain) = &both_logs(&m)[log];
            // Swapping two entries' contents (same sequence numbers, contents exchanged).
            let sql = format!(
                "UPDATE {table} SET resource_id = CASE resource_id WHEN 'h1' THEN 'h2' WHEN 'h2' THEN 'h1' \
                 ELSE resource_id END WHERE chain = '{chain}'"
            );
            break_found_after(&db.store, &sql, "a swap").await;
        }
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (table, chain) = &both_logs(&m)[log];
            // An entry added after the newest, linked to it but not counted by the chain head.
            let newest: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT MAX(seq) FROM {table} WHERE chain = '{chain}'"
            )))
            .fetch_one(db.store.pool())
            .await
            .unwrap();
            forge_entry(&db.store, table, chain, newest, newest + 1).await;
            let broken = db.store.verify_audit().await.unwrap().first_break;
            assert_eq!(broken.expect("an added entry detected").seq, newest + 1);
        }
        for db in databases().await {
            let m = store_with_audit(&db).await;
            let (table, chain) = &both_logs(&m)[log];
            // An entry slipped in between: the later ones moved up a place to make room.
            for sql in [
                format!("UPDATE {table} SET seq = seq + 1000 WHERE seq >= 3 AND chain = '{chain}'"),
                format!("UPDATE {table} SET seq = seq - 999 WHERE seq >= 1000 AND chain = '{chain}'"),
            ] {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(db.store.pool())
                    .await
                    .unwrap();
            }
            forge_entry(&db.store, table, chain, 2, 3).await;
            let broken = db.store.verify_audit().await.unwrap().first_break;
            assert_eq!(broken.expect("an inserted entry detected").seq, 3);
        }
    }
}

/// Adds an entry to `chain` at `seq`: a copy of entry `after` linked to it, about another record,
/// with a hash its writer could not compute without rehashing (it repeats the link).
async fn forge_entry(store: &Store, table: &str, chain: &str, after: i64, seq: i64) {
    let sql = format!(
        "INSERT INTO {table} (chain, seq, id, occurred_at, actor, actor_role, municipality_id, action, \
         resource_kind, resource_id, purpose, request_id, details, prev_hash, hash) \
         SELECT chain, {seq}, 'forged-{seq}', occurred_at, actor, actor_role, municipality_id, action, \
         resource_kind, 'h9', purpose, request_id, details, hash, hash FROM {table} \
         WHERE seq = {after} AND chain = '{chain}'"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn identity_numbers_never_appear_in_the_audit_log() {
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let number = nid(1975, 8, 9, 123);
        store
            .create_household(
                m.id,
                &household(vec![member(&number, "Jon", "Havørn", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let text = String::from_utf8(archive).unwrap();
        let entries = |l: &&str| l.contains("\"table\":\"audit_entry\"") || l.contains("\"table\":\"access_entry\"");
        for line in text.lines().filter(entries) {
            assert!(!line.contains(&number), "identity number in audit entry: {line}");
            assert!(!line.contains("Havørn"), "name in audit entry: {line}");
        }
        assert_ne!(store.keyed_hash(&number).await.unwrap(), number);
    }
}

async fn populated(db: &TestDb) {
    let store = &db.store;
    let actor = Actor::cli("test");
    let m = store
        .ensure_municipality("9999", "Demo kommune", true, &actor)
        .await
        .unwrap();
    store.seed_households(&m, 40, 7, &actor).await.unwrap();
    let user = store
        .create_user("admin@example.no", "Admin", "a long enough password", &actor)
        .await
        .unwrap();
    store.grant_role(user, m.id, Role::Admin, &actor).await.unwrap();
    store.create_token(user, "t", Some(i64::MAX / 2), &actor).await.unwrap();
}

#[tokio::test]
async fn export_import_round_trips_across_backends() {
    let dbs = databases().await;
    let source = &dbs[dbs.len() - 1];
    populated(source).await;
    let mut first = Vec::new();
    source.store.export(&mut first).await.unwrap();

    // Into every backend (including the other one), and back out: byte-identical.
    for target in [TestDb::sqlite().await.unwrap()]
        .into_iter()
        .chain(TestDb::postgres().await.unwrap())
    {
        let counts = target.store.import(first.as_slice()).await.unwrap();
        assert!(counts.total() > 100);
        let mut second = Vec::new();
        target.store.export(&mut second).await.unwrap();
        assert!(
            first == second,
            "export differs after import into {:?}",
            target.backend()
        );
        assert_eq!(target.store.verify_audit().await.unwrap().first_break, None);
        // Logging in works with the imported password hash.
        assert!(
            target
                .store
                .authenticate("admin@example.no", "a long enough password")
                .await
                .unwrap()
                .is_some()
        );
        // A second import into a non-empty database is refused.
        assert!(matches!(
            target.store.import(first.as_slice()).await,
            Err(StoreError::Invalid(_))
        ));
    }

    // An archive from before schema 30 carries the old table of name words: its rows are left
    // out, and the import makes the search index from the names, which find the same people.
    let text = String::from_utf8(first).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.pop();
    let latest = format!("\"schema\":{}", husly_store::migrate::LATEST);
    assert!(lines[0].contains(&latest), "{}", lines[0]);
    lines[0] = lines[0].replace(&latest, "\"schema\":29");
    let last_person = lines
        .iter()
        .rposition(|l| l.ends_with("\"table\":\"person\"}"))
        .unwrap();
    let person: serde_json::Value = serde_json::from_str(&lines[last_person]).unwrap();
    let given = person["row"]["given_name"].as_str().unwrap().to_string();
    let municipality: husly_domain::MunicipalityId =
        person["row"]["municipality_id"].as_str().unwrap().parse().unwrap();
    lines.insert(
        last_person + 1,
        "{\"table\":\"person_name_token\",\"row\":{\"municipality_id\":\"m\",\"token\":\"t\",\"person_id\":\"p\"}}"
            .into(),
    );
    let old = husly_store::export::seal(&(lines.join("\n") + "\n"));
    let target = TestDb::sqlite().await.unwrap();
    target.store.import(old.as_bytes()).await.unwrap();
    let query = SearchQuery::parse(&given).unwrap();
    let names = |found: husly_store::search::Found| -> Vec<String> {
        found.hits.into_iter().map(|h| h.person.full_name()).collect()
    };
    let imported = names(target.store.search_people(municipality, &query, 50).await.unwrap());
    assert!(!imported.is_empty());
    assert_eq!(
        imported,
        names(source.store.search_people(municipality, &query, 50).await.unwrap())
    );
}

#[tokio::test]
async fn a_bad_archive_line_leaves_nothing_behind() {
    for db in databases().await {
        let source = TestDb::sqlite().await.unwrap();
        populated(&source).await;
        let mut archive = Vec::new();
        source.store.export(&mut archive).await.unwrap();
        let text = String::from_utf8(archive).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let bad_at = lines
            .iter()
            .position(|l| l.contains("\"table\":\"household\""))
            .unwrap();
        lines[bad_at] = lines[bad_at].replace("\"version\":1", "\"version\":\"one\"");
        let broken = lines.join("\n");
        match db.store.import(broken.as_bytes()).await {
            Err(StoreError::Invalid(message)) => {
                assert!(message.starts_with(&format!("line {}:", bad_at + 1)), "{message}");
                assert!(message.contains("household.version"), "{message}");
            }
            other => panic!("expected an invalid-archive error, got {other:?}"),
        }
        assert!(
            db.store.municipalities().await.unwrap().is_empty(),
            "nothing may be half-imported"
        );
        for garbage in [
            "",
            "not json",
            "{\"format\":\"other\",\"version\":1,\"schema\":1}",
            "{\"format\":\"husly-export\",\"version\":99,\"schema\":1}",
        ] {
            assert!(
                matches!(db.store.import(garbage.as_bytes()).await, Err(StoreError::Invalid(_))),
                "{garbage}"
            );
        }
    }
}

/// An archive cut short — even at a line boundary, even down to its header — or changed, or with
/// something after its trailer, is refused; so is an import whose audit log does not verify, and
/// it leaves the database empty.
#[tokio::test]
async fn an_archive_that_is_not_complete_is_refused() {
    let source = TestDb::sqlite().await.unwrap();
    populated(&source).await;
    let mut archive = Vec::new();
    source.store.export(&mut archive).await.unwrap();
    let text = String::from_utf8(archive).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.last().unwrap().starts_with("{\"trailer\""),
        "the archive ends with its trailer"
    );
    let check = |text: String| husly_store::export::check_archive(std::io::Cursor::new(text));
    assert!(check(text.clone()).is_ok());
    let cut = |n: usize| lines[..n].join("\n") + "\n";
    for (what, broken) in [
        ("cut before the trailer", cut(lines.len() - 1)),
        ("cut in the middle, at a line boundary", cut(lines.len() / 2)),
        ("only the header", cut(1)),
        ("a row removed", {
            let mut l = lines.clone();
            l.remove(lines.len() / 2);
            l.join("\n") + "\n"
        }),
        ("a value changed", text.replacen("\"row\":{", "\"row\":{ ", 1)),
        (
            "something after the trailer",
            text.clone() + "{\"table\":\"installation\",\"row\":{}}\n",
        ),
    ] {
        let error = check(broken).expect_err(what).to_string();
        assert!(
            error.contains("trailer") || error.contains("SHA-256") || error.contains("not complete"),
            "{what}: {error}"
        );
    }
    // An older archive without a trailer cannot prove it is complete.
    let old = text.replacen("\"version\":2", "\"version\":1", 1);
    assert!(check(old).unwrap_err().to_string().contains("version 1 has no trailer"));

    for db in databases().await {
        // A cut archive imports nothing.
        assert!(db.store.import(cut(lines.len() / 2).as_bytes()).await.is_err());
        assert!(db.store.municipalities().await.unwrap().is_empty());
        // An audit log whose chain is broken (an entry removed, the archive sealed again) imports
        // nothing either.
        let entry = lines
            .iter()
            .position(|l| l.contains("\"table\":\"audit_entry\""))
            .expect("an audit entry");
        let mut without: Vec<&str> = lines[..lines.len() - 1].to_vec();
        without.remove(entry);
        let resealed = husly_store::export::seal(&(without.join("\n") + "\n"));
        assert!(check(resealed.clone()).is_ok(), "the archive itself is whole");
        match db.store.import(resealed.as_bytes()).await {
            Err(StoreError::Invalid(message)) => assert!(message.contains("audit log does not verify"), "{message}"),
            other => panic!("expected the broken audit log to be refused, got {other:?}"),
        }
        assert!(
            db.store.municipalities().await.unwrap().is_empty(),
            "all or nothing: the database stays empty"
        );
    }
}

#[tokio::test]
async fn seeding_is_deterministic() {
    let a = TestDb::sqlite().await.unwrap();
    let b = TestDb::sqlite().await.unwrap();
    let actor = Actor::cli("test");
    let mut people = Vec::new();
    for db in [&a, &b] {
        let m = db
            .store
            .ensure_municipality("9999", "Demo kommune", true, &actor)
            .await
            .unwrap();
        let summary = db.store.seed_households(&m, 25, 42, &actor).await.unwrap();
        assert_eq!(summary.households, 25);
        let rows =
            sqlx::query("SELECT national_id, given_name, family_name, birth_date FROM person ORDER BY national_id")
                .fetch_all(db.store.pool())
                .await
                .unwrap();
        use sqlx::Row;
        people.push(
            rows.iter()
                .map(|r| {
                    format!(
                        "{}{}{}{}",
                        r.get::<String, _>(0),
                        r.get::<String, _>(1),
                        r.get::<String, _>(2),
                        r.get::<String, _>(3)
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(people[0], people[1]);
    // Every seeded number is a valid synthetic number.
    for line in &people[0] {
        let parsed = husly_domain::national_id::parse(&line[..11], SyntheticPolicy::Allow).unwrap();
        assert!(parsed.synthetic.is_some());
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_checked() {
    for db in databases().await {
        assert!(db.store.migrate().await.unwrap().is_empty());
        assert_eq!(db.store.schema_version().await.unwrap(), husly_store::migrate::LATEST);
        tamper(
            &db.store,
            "UPDATE schema_migration SET checksum = 'x' WHERE version = 1",
        )
        .await;
        assert!(matches!(db.store.migrate().await, Err(StoreError::Corrupt(_))));
    }
}

#[tokio::test]
async fn archives_can_be_checked_without_a_database() {
    let source = TestDb::sqlite().await.unwrap();
    populated(&source).await;
    let mut archive = Vec::new();
    let exported = source.store.export(&mut archive).await.unwrap();
    assert_eq!(
        husly_store::export::check_archive(archive.as_slice()).unwrap(),
        exported
    );
    let text = String::from_utf8(archive).unwrap();
    // Tables out of dependency order are refused with the line number.
    let mut lines: Vec<&str> = text.lines().collect();
    let household = lines
        .iter()
        .position(|l| l.contains("\"table\":\"household\""))
        .unwrap();
    let person = lines.remove(lines.iter().position(|l| l.contains("\"table\":\"person\"")).unwrap());
    lines.insert(household, person);
    let err = husly_store::export::check_archive(lines.join("\n").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("dependency order"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_are_all_audited_in_one_intact_chain() {
    for db in databases().await {
        let m = municipality(&db.store, "3301").await;
        let before = db.store.verify_audit().await.unwrap().entries;
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let store = db.store.clone();
                tokio::spawn(async move { store.audit(&Actor::cli("load"), household_view(m.id, i)).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let report = db.store.verify_audit().await.unwrap();
        assert_eq!(report.first_break, None, "{:?}", db.backend());
        assert_eq!(report.entries, before + 200);
    }
}

/// Two servers on one database append page views to the same chains: each appender writes from
/// the heads it remembers only while no other has moved them, so the chains stay intact and no
/// entry is lost, however the two interleave.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_appenders_on_one_database_keep_the_chains_intact() {
    for db in databases().await {
        let m = municipality(&db.store, "3301").await.id;
        let other = other_municipality(&db.store).await;
        let before = db.store.verify_audit().await.unwrap().entries;
        let second = Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let view = |store: &Store, municipality, i: usize| {
            let store = store.clone();
            async move { store.audit(&Actor::cli("load"), household_view(municipality, i)).await }
        };
        // One at a time, alternating: every append finds the head moved by the other server.
        for i in 0..6 {
            let store = if i % 2 == 0 { &db.store } else { &second };
            view(store, m, i).await.unwrap();
        }
        // Then both at once, on two chains.
        let tasks: Vec<_> = (0..120)
            .map(|i| {
                let store = if i % 2 == 0 { &db.store } else { &second };
                let municipality = if i % 3 == 0 { other } else { m };
                tokio::spawn(view(store, municipality, i))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        second.close().await;
        let report = db.store.verify_audit().await.unwrap();
        assert_eq!(report.first_break, None, "{:?}", db.backend());
        assert_eq!(report.entries, before + 126, "{:?}", db.backend());
    }
}

/// Requests read through pinned handles (one connection each) and wait for their audit entries:
/// with far more requests than connections, none may starve another (a request waiting for a
/// second connection while holding its first would), and the entries of two municipalities
/// written in shared batches make two intact chains.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_requests_on_a_small_pool_all_finish_and_audit_in_intact_chains() {
    for db in databases().await {
        let owner = municipality(&db.store, "3301").await.id;
        let kari = kari_nordmann(&db.store, owner, &Actor::cli("test")).await;
        let b = other_municipality(&db.store).await;
        let before = db.store.verify_audit().await.unwrap().entries;
        let options = husly_store::StoreOptions {
            max_connections: 2,
            ..husly_store::StoreOptions::default()
        };
        let small = Store::connect(&db.url, &options).await.unwrap();
        let requests: Vec<_> = (0..48)
            .map(|i| {
                let request = small.pinned();
                let municipality = if i % 3 == 0 { b } else { owner };
                tokio::spawn(async move {
                    let first = request.household(owner, kari).await?;
                    request
                        .audit(&Actor::cli("load"), household_view(municipality, i))
                        .await?;
                    let again = request.household(owner, kari).await?;
                    assert_eq!(first.version, again.version);
                    Ok::<_, StoreError>(())
                })
            })
            .collect();
        let all = async {
            for request in requests {
                request.await.unwrap().unwrap();
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(60), all)
            .await
            .unwrap_or_else(|_| panic!("pinned requests starved each other on {:?}", db.backend()));
        let report = small.verify_audit().await.unwrap();
        assert_eq!(report.first_break, None, "{:?}", db.backend());
        assert_eq!(report.entries, before + 48);
        small.close().await;
    }
}

#[tokio::test]
async fn outreach_streams_every_active_tenancy_without_bostotte_once() {
    use husly_domain::bostotte::IncomeKind;
    use sqlx::Row;
    for db in databases().await {
        let actor = Actor::cli("test");
        let m = municipality(&db.store, "3301").await;
        // Enough households for more than one batch of tenancies.
        db.store.seed_households(&m, 9_000, 7, &actor).await.unwrap();
        let on = time::macros::date!(2026 - 07 - 01);
        let expected: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM tenancy t WHERE t.municipality_id = $1 AND t.from_date <= '2026-07-01' \
             AND NOT EXISTS (SELECT 1 FROM household_benefit b WHERE b.household_id = t.household_id)",
        )
        .bind(m.id.to_string())
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get("n");
        assert!(
            expected > 2_000,
            "the seed makes more tenancies than one batch: {expected}"
        );
        let mut seen = std::collections::HashSet::new();
        let mut members = 0usize;
        let mut with_income = 0usize;
        let count = db
            .store
            .for_each_active_tenancy_without_bostotte(m.id, on, |t| {
                assert!(seen.insert(t.household_id.unwrap()), "each household once");
                assert!(!t.members.is_empty() && t.monthly_rent_ore > 0);
                members += t.members.len();
                with_income += t.members.iter().filter(|p| !p.incomes.is_empty()).count();
            })
            .await
            .unwrap();
        assert_eq!(count as i64, expected, "on {:?}", db.backend());
        let expected_members: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM household_member hm JOIN tenancy t ON t.household_id = hm.household_id \
             WHERE t.municipality_id = $1 AND t.from_date <= '2026-07-01' \
             AND NOT EXISTS (SELECT 1 FROM household_benefit b WHERE b.household_id = t.household_id)",
        )
        .bind(m.id.to_string())
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get("n");
        assert_eq!(members as i64, expected_members);
        assert!(with_income > 0);

        // Registering bostøtte takes a household off the list; incomes are replaced as a whole.
        let first = *seen.iter().next().unwrap();
        let economy = db.store.economy(m.id, first).await.unwrap();
        assert!(economy.tenancy_on(on).is_some());
        let household = db.store.household(m.id, first).await.unwrap();
        let person = household.members[0].person.id;
        db.store
            .set_incomes(m.id, first, &[(person, IncomeKind::Wages, 12_345_600)], &change(&actor))
            .await
            .unwrap();
        let economy = db.store.economy(m.id, first).await.unwrap();
        assert_eq!(economy.incomes, vec![(person, IncomeKind::Wages, 12_345_600)]);
        db.store
            .register_benefit(m.id, first, husly_store::tenancies::BOSTOTTE, on, &change(&actor))
            .await
            .unwrap();
        assert!(
            db.store
                .economy(m.id, first)
                .await
                .unwrap()
                .has_benefit_on("bostotte", on)
        );
        let after = db
            .store
            .for_each_active_tenancy_without_bostotte(m.id, on, |t| assert_ne!(t.household_id, Some(first)))
            .await
            .unwrap();
        assert_eq!(after, count - 1);
        // Another municipality's household is not found.
        let other = municipality(&db.store, "0301").await;
        assert!(matches!(
            db.store.set_incomes(other.id, first, &[], &change(&actor)).await,
            Err(StoreError::NotFound)
        ));
    }
}

/// A workflow step as a user would ask for it.
fn step(action: husly_domain::cases::CaseAction) -> husly_domain::cases::requests::Step {
    husly_domain::cases::requests::Step {
        action,
        reason: Some("test".into()),
        information_due: None,
        expiry: None,
        appeal: None,
    }
}

/// A proposal as the domain's request check returns it.
fn proposal(
    outcome: husly_domain::cases::Outcome,
    amount_ore: Option<i64>,
    conditions: &[String],
) -> husly_domain::cases::requests::CheckedProposal {
    husly_domain::cases::requests::CheckedProposal {
        outcome,
        reasons: "Husstanden har behov.".into(),
        granted_text: Some("Venteliste, to soverom".into()),
        amount_ore,
        conditions: conditions.to_vec(),
        section6: None,
        renewal: None,
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test]
async fn a_case_from_application_to_appeal_body() {
    use husly_domain::DecisionId;
    use husly_domain::cases::{AppealBodyOutcome, ApplicationForm, CaseAction, CaseState, CaseType, Outcome, Refusal};
    use husly_store::cases::{NewLetter, QueueFilter, QueueFrom, QueueSort};
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let proposer = store
            .create_user("p@example.no", "Pia Proposer", "a long password here", &actor)
            .await
            .unwrap();
        let approver = store
            .create_user("a@example.no", "Ari Approver", "a long password here", &actor)
            .await
            .unwrap();
        let household = kari_nordmann(store, m.id, &actor).await;
        let by = |user| Change {
            actor: &actor,
            user: Some(user),
            reason: Some("test"),
        };
        let received = time::macros::date!(2026 - 10 - 31);
        let (id, reference) = store
            .register_application(
                m.id,
                household,
                CaseType::MunicipalHousing,
                &ApplicationForm::default(),
                received,
                &by(proposer),
            )
            .await
            .unwrap();
        assert_eq!(reference, "2026-000001");
        let (second_id, second) = store
            .register_application(
                m.id,
                household,
                CaseType::Section6Assistance,
                &ApplicationForm::default(),
                received,
                &by(proposer),
            )
            .await
            .unwrap();
        assert_eq!(second, "2026-000002", "references count per municipality and year");
        // The same person in another open application is flagged, never merged; a caseworker
        // dismisses it with a reason.
        let flags = store.flags(m.id, second_id).await.unwrap();
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].kind, "person_in_open_case");
        assert_eq!(
            flags[0].other_case.as_ref().map(|(_, r)| r.as_str()),
            Some("2026-000001")
        );
        assert!(
            store.flags(m.id, id).await.unwrap().is_empty(),
            "the first case had nothing to compare with"
        );
        store
            .resolve_flag(
                m.id,
                second_id,
                &flags[0].id,
                false,
                "Ny søknad om annen hjelp",
                &by(proposer),
            )
            .await
            .unwrap();
        assert_eq!(store.flags(m.id, second_id).await.unwrap()[0].status, "dismissed");
        assert!(
            store
                .resolve_flag(m.id, second_id, &flags[0].id, true, "x", &by(proposer))
                .await
                .is_err()
        );
        let case = store.case(m.id, id).await.unwrap();
        assert_eq!((case.state, case.version), (CaseState::Received, 1));
        assert_eq!(
            case.next_due,
            Some(time::macros::date!(2026 - 11 - 30)),
            "interim answer due after one month"
        );

        // An illegal step is refused and changes nothing; a stale version is a conflict.
        let today = time::macros::date!(2026 - 11 - 02);
        let err = store
            .change_case(m.id, id, 1, None, &by(proposer), |c, latest| {
                c.review(latest, approver, true, None)
            })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(Refusal::NotNow { .. })), "{err:?}");
        assert_eq!(
            store.case(m.id, id).await.unwrap().version,
            1,
            "a refusal writes nothing"
        );
        let case = store
            .change_case(m.id, id, 1, None, &by(proposer), |c, _| {
                c.take_step(&step(CaseAction::StartAssessment), today, 12)
            })
            .await
            .unwrap();
        assert_eq!((case.state, case.version), (CaseState::UnderAssessment, 2));
        assert!(matches!(
            store
                .change_case(m.id, id, 1, None, &by(proposer), |c, _| {
                    c.take_step(&step(CaseAction::RequestInformation), today, 12)
                })
                .await,
            Err(StoreError::Conflict { .. })
        ));
        store
            .change_case(m.id, id, 2, None, &by(proposer), |c, _| {
                c.propose(
                    DecisionId::new(),
                    &proposal(Outcome::Granted, None, &[]),
                    proposer,
                    serde_json::json!({}),
                )
            })
            .await
            .unwrap();
        // The first page of a filter of the queue, in the deadline order.
        let first_page = |filter: QueueFilter, case_type: Option<CaseType>| {
            store.queue(m.id, filter, case_type, QueueSort::Deadline, 50, &QueueFrom::Offset(0))
        };
        // The approvers' queue lists the proposal.
        let to_approve = first_page(QueueFilter::AwaitingApproval, None).await.unwrap();
        assert_eq!(to_approve.len(), 1);
        assert_eq!(to_approve[0].state, CaseState::DecisionProposed);
        // Four eyes: the proposer cannot approve.
        let err = store
            .change_case(m.id, id, 3, None, &by(proposer), |c, latest| {
                c.review(latest, proposer, true, None)
            })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(Refusal::OwnProposal)), "{err}");
        assert_eq!(store.case(m.id, id).await.unwrap().state, CaseState::DecisionProposed);
        let approved = store
            .change_case(m.id, id, 3, None, &by(approver), |c, latest| {
                c.review(latest, approver, true, None)
            })
            .await
            .unwrap();
        assert_eq!(approved.state, CaseState::Approved);
        assert_eq!(store.decisions(m.id, id).await.unwrap()[0].decided_by, Some(approver));
        let letter = NewLetter {
            kind: "decision",
            language: "nb",
            html: "<p>Vedtak</p>",
            pdf: b"%PDF-1.7 test",
        };
        let delivered = time::macros::date!(2026 - 11 - 03);
        store
            .change_case(m.id, id, 4, Some(&letter), &by(proposer), |c, latest| {
                c.send_decision(
                    latest,
                    delivered,
                    husly_domain::cases::requests::Delivery::digital(delivered),
                    12,
                )
            })
            .await
            .unwrap();
        let sha = hex_sha256(b"%PDF-1.7 test");
        let case = store.case(m.id, id).await.unwrap();
        assert_eq!(case.state, CaseState::OnWaitingList);
        assert_eq!(case.appeal_deadline, Some(time::macros::date!(2026 - 11 - 24)));
        assert_eq!(case.valid_until, Some(time::macros::date!(2027 - 11 - 03)));
        let letters = store.letters(m.id, id).await.unwrap();
        assert_eq!(letters[0].sha256, sha);
        let (_, html, pdf) = store.letter(m.id, id, &letters[0].id).await.unwrap();
        assert_eq!(
            (html.as_str(), pdf.as_slice()),
            ("<p>Vedtak</p>", b"%PDF-1.7 test".as_slice())
        );
        assert_eq!(store.decisions(m.id, id).await.unwrap()[0].status.code(), "sent");
        // What the action plan's indicators count: the sent decision's outcome and date.
        let mut facts = store.case_facts(m.id, received).await.unwrap();
        facts.sort_by_key(|f| f.case_type.code());
        assert_eq!(facts.len(), 2);
        assert_eq!(
            (
                facts[0].case_type,
                facts[0].state,
                facts[0].outcome,
                facts[0].decided_on
            ),
            (
                CaseType::MunicipalHousing,
                CaseState::OnWaitingList,
                Some(Outcome::Granted),
                Some(delivered)
            )
        );
        assert_eq!((facts[1].outcome, facts[1].decided_on), (None, None));
        assert_eq!(facts[1].received_on, received);
        assert!(
            store
                .case_facts(other_municipality(store).await, received)
                .await
                .unwrap()
                .is_empty()
        );
        // A sent decision is immutable: it cannot be sent or reviewed again.
        assert!(matches!(
            store
                .change_case(m.id, id, 5, Some(&letter), &by(proposer), |c, latest| {
                    c.send_decision(
                        latest,
                        delivered,
                        husly_domain::cases::requests::Delivery::digital(delivered),
                        12,
                    )
                })
                .await,
            Err(StoreError::Refused(Refusal::NotApproved))
        ));
        assert_eq!(store.letters(m.id, id).await.unwrap().len(), 1, "nothing half-written");

        for (version, action) in [
            (5, CaseAction::RegisterAppeal),
            (6, CaseAction::UpholdAndForward),
            (7, CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Upheld)),
        ] {
            store
                .change_case(m.id, id, version, None, &by(proposer), |c, _| {
                    c.take_step(&step(action), today, 12)
                })
                .await
                .unwrap();
        }
        assert_eq!(store.case(m.id, id).await.unwrap().state, CaseState::Closed);
        // The action plan's facts know the case was appealed, and only this one.
        let appealed: Vec<bool> = store
            .case_facts(m.id, received)
            .await
            .unwrap()
            .iter()
            .map(|f| f.appealed)
            .collect();
        assert_eq!(appealed.iter().filter(|a| **a).count(), 1, "{appealed:?}");
        let timeline = store.case_timeline(m.id, id).await.unwrap();
        let kinds: Vec<&str> = timeline.iter().rev().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "case.received",
                "case.start_assessment",
                "case.decision_proposed",
                "case.decision_approved",
                "case.decision_sent",
                "case.register_appeal",
                "case.uphold_and_forward",
                "case.record_appeal_body_outcome"
            ]
        );
        assert!(timeline.iter().all(|e| e.actor_name.is_some()), "every event says who");

        // The queue: the open § 6 case is there and overdue after its interim date.
        let open = first_page(QueueFilter::Open, None).await.unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].reference, "2026-000002");
        assert_eq!(open[0].applicant, "Kari Nordmann");
        assert!(
            first_page(QueueFilter::AwaitingApproval, None)
                .await
                .unwrap()
                .is_empty()
        );
        let overdue = first_page(QueueFilter::Overdue(time::macros::date!(2026 - 12 - 01)), None)
            .await
            .unwrap();
        assert_eq!(overdue.len(), 1);
        let soon = first_page(QueueFilter::DueSoon(time::macros::date!(2026 - 11 - 25)), None)
            .await
            .unwrap();
        assert_eq!(soon.len(), 1);
        assert!(first_page(QueueFilter::Mine(proposer), None).await.unwrap().is_empty());
        // The counts beside the queue's filters are the rows each filter lists, also of one type.
        let day = time::macros::date!(2026 - 11 - 25);
        for case_type in [
            None,
            Some(CaseType::Section6Assistance),
            Some(CaseType::MunicipalHousing),
        ] {
            let filters: Vec<QueueFilter> = QueueFilter::CODES
                .iter()
                .map(|code| QueueFilter::from_code(code, proposer, day).unwrap())
                .collect();
            let counts = store.count_queue(m.id, &filters, case_type).await.unwrap();
            for (filter, count) in filters.into_iter().zip(counts) {
                let rows = first_page(filter, case_type).await.unwrap();
                assert_eq!(count, rows.len() as i64, "{filter:?} of {case_type:?}");
            }
        }
        let only_housing = store
            .count_queue(m.id, &[QueueFilter::Open], Some(CaseType::MunicipalHousing))
            .await
            .unwrap();
        assert_eq!(only_housing, vec![0], "the open case is a § 6 case");
        // Another municipality does not find the case.
        let other = municipality(store, "0301").await;
        assert!(matches!(store.case(other.id, id).await, Err(StoreError::NotFound)));
        assert!(store.verify_audit().await.unwrap().first_break.is_none());
    }
}

#[tokio::test]
async fn grants_commit_pay_and_release_against_the_years_budget() {
    use husly_domain::DecisionId;
    use husly_domain::cases::{ApplicationForm, CaseAction, CaseState, CaseType, Outcome, Refusal};
    use husly_domain::finance::{CaseFinance, GrantCase, GrantType, LoanPurpose, StartlanCase, Tenure};
    use husly_domain::startlan::{AffordabilityInput, StartlanRules};
    use husly_store::cases::NewLetter;
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let caseworker = store
            .create_user("c@example.no", "Cato Caseworker", "a long password here", &actor)
            .await
            .unwrap();
        let approver = store
            .create_user("a@example.no", "Ari Approver", "a long password here", &actor)
            .await
            .unwrap();
        let household = store
            .create_household(
                m.id,
                &household(vec![member(&nid(1979, 6, 5, 321), "Siri", "Prøve", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        let by = |user| Change {
            actor: &actor,
            user: Some(user),
            reason: Some("test"),
        };
        store
            .set_grant_allocation(
                m.id,
                2026,
                GrantType::Adaptation,
                50_000_000,
                "Budsjett 2026",
                &by(approver),
            )
            .await
            .unwrap();
        // Setting it again replaces the allocation.
        store
            .set_grant_allocation(
                m.id,
                2026,
                GrantType::Adaptation,
                40_000_000,
                "Revidert budsjett",
                &by(approver),
            )
            .await
            .unwrap();
        assert!(
            store
                .set_grant_allocation(m.id, 2026, GrantType::Adaptation, -1, "", &by(approver))
                .await
                .is_err()
        );

        let received = time::macros::date!(2026 - 03 - 02);
        let (id, _) = store
            .register_application(
                m.id,
                household,
                CaseType::AdaptationGrant,
                &ApplicationForm::default(),
                received,
                &by(caseworker),
            )
            .await
            .unwrap();
        let grant = CaseFinance::Grant(GrantCase {
            grant: GrantType::Adaptation,
            purpose: "Trappeheis".into(),
            cost_kr: 150_000,
            applied_kr: 120_000,
            tenure: Tenure::Owner,
            landlord_consent: false,
            startlan_reference: None,
        });
        // A startlån economy does not belong on a grant case.
        let loan = CaseFinance::Startlan(StartlanCase {
            purpose: LoanPurpose::Purchase,
            exception: None,
            affordability: serde_json::from_value::<AffordabilityInput>(serde_json::json!({
                "month": "2026-03", "household": {"adults": 1, "couple": false, "children_ages": []},
                "income_after_tax_kr": 30000,
                "loans": {"startlan": {"principal_kr": 2000000, "term_years": 30, "kind": "annuity"}}
            }))
            .unwrap(),
        });
        assert!(loan.validate(StartlanRules::embedded()).is_ok());
        assert!(matches!(
            store
                .change_case(m.id, id, 1, None, &by(caseworker), |c, _| c.record_economy(&loan))
                .await,
            Err(StoreError::Refused(Refusal::WrongEconomy))
        ));
        store
            .change_case(m.id, id, 1, None, &by(caseworker), |c, _| c.record_economy(&grant))
            .await
            .unwrap();
        assert_eq!(store.case(m.id, id).await.unwrap().finance, Some(grant.clone()));
        let today = time::macros::date!(2026 - 03 - 02);
        store
            .change_case(m.id, id, 2, None, &by(caseworker), |c, _| {
                c.take_step(&step(CaseAction::StartAssessment), today, 12)
            })
            .await
            .unwrap();
        let conditions = vec!["Tilskuddet betales ut mot faktura.".to_string()];
        // A granted grant needs its amount; a refusal may not carry one.
        for (outcome, amount, conditions, refusal) in [
            (Outcome::Granted, None, &conditions[..], Refusal::AmountMissing),
            (Outcome::Refused, Some(1), &[][..], Refusal::AmountNotApplicable),
        ] {
            let err = store
                .change_case(m.id, id, 3, None, &by(caseworker), |c, _| {
                    c.propose(
                        DecisionId::new(),
                        &proposal(outcome, amount, conditions),
                        caseworker,
                        serde_json::json!({}),
                    )
                })
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::Refused(r) if r == refusal), "{err:?}");
        }
        store
            .change_case(m.id, id, 3, None, &by(caseworker), |c, _| {
                c.propose(
                    DecisionId::new(),
                    &proposal(Outcome::Granted, Some(10_000_000), &conditions),
                    caseworker,
                    serde_json::json!({}),
                )
            })
            .await
            .unwrap();
        let decisions = store.decisions(m.id, id).await.unwrap();
        assert_eq!(
            (decisions[0].amount_ore, &decisions[0].conditions),
            (Some(10_000_000), &conditions)
        );
        store
            .change_case(m.id, id, 4, None, &by(approver), |c, latest| {
                c.review(latest, approver, true, None)
            })
            .await
            .unwrap();
        let letter = NewLetter {
            kind: "decision",
            language: "nb",
            html: "<p>Vedtak</p>",
            pdf: b"%PDF-1.7 test",
        };
        let sent = time::macros::date!(2026 - 03 - 20);
        store
            .change_case(m.id, id, 5, Some(&letter), &by(caseworker), |c, latest| {
                c.send_decision(latest, sent, husly_domain::cases::requests::Delivery::digital(sent), 12)
            })
            .await
            .unwrap();
        assert_eq!(store.case(m.id, id).await.unwrap().state, CaseState::Granted);
        let budget = |lines: Vec<husly_store::finance::BudgetLine>| {
            let line = lines
                .into_iter()
                .find(|l| l.grant_type == GrantType::Adaptation)
                .unwrap();
            (
                line.position.allocated_ore,
                line.position.committed_ore,
                line.position.paid_ore,
                line.position.remaining_ore,
                line.cases,
            )
        };
        assert_eq!(
            budget(store.grant_budget(m.id, 2026).await.unwrap()),
            (40_000_000, 10_000_000, 0, 30_000_000, 1)
        );
        grant_totals_agree(store, m.id, 2026).await;

        // Payments: never more than what is outstanding; each one an event.
        let paid_on = time::macros::date!(2026 - 04 - 10);
        let paying = by(caseworker);
        let pay = |version, outstanding, amount| {
            store.change_case(m.id, id, version, None, &paying, move |c, _| {
                c.register_payment(outstanding, amount, paid_on, "faktura 1")
            })
        };
        let err = pay(6, 10_000_000, 10_000_001).await.unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        pay(6, 10_000_000, 6_000_000).await.unwrap();
        assert_eq!(
            budget(store.grant_budget(m.id, 2026).await.unwrap()),
            (40_000_000, 4_000_000, 6_000_000, 30_000_000, 1)
        );
        grant_totals_agree(store, m.id, 2026).await;
        // Closing the case releases what was not paid.
        store
            .change_case(m.id, id, 7, None, &by(caseworker), |c, _| {
                c.take_step(&step(CaseAction::Close), today, 12)
            })
            .await
            .unwrap();
        assert_eq!(
            budget(store.grant_budget(m.id, 2026).await.unwrap()),
            (40_000_000, 0, 6_000_000, 34_000_000, 1)
        );
        grant_totals_agree(store, m.id, 2026).await;
        let ledger = store.case_ledger(m.id, id).await.unwrap();
        let kinds: Vec<_> = ledger.iter().map(|e| (e.kind.code(), e.amount_ore, e.year)).collect();
        assert_eq!(
            kinds,
            [
                ("committed", 10_000_000, 2026),
                ("paid", 6_000_000, 2026),
                ("released", 4_000_000, 2026)
            ]
        );
        assert_eq!(store.year_ledger(m.id, 2026, 10).await.unwrap().len(), 3);
        assert!(store.year_ledger(m.id, 2025, 10).await.unwrap().is_empty());
        // A payment after closing is refused.
        assert!(matches!(
            pay(8, 4_000_000, 1).await,
            Err(StoreError::Refused(Refusal::NotGranted(CaseState::Closed)))
        ));
        // Other municipalities see nothing of it.
        let other = municipality(store, "0301").await;
        assert!(store.case_ledger(other.id, id).await.unwrap().is_empty());
        assert_eq!(
            budget(store.grant_budget(other.id, 2026).await.unwrap()),
            (0, 0, 0, 0, 0)
        );
        grant_totals_agree(store, other.id, 2026).await;
        // Startlån granted this year: none yet.
        assert_eq!(store.startlan_year(m.id, 2026).await.unwrap().loans, 0);
        let timeline = store.case_timeline(m.id, id).await.unwrap();
        assert!(timeline.iter().any(|e| e.kind == "case.grant_paid"));
        assert!(timeline.iter().any(|e| e.kind == "case.finance_saved"));
        // The totals are kept by triggers, not exported: an import sets them in the target.
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let kept = store
            .grant_year_position(m.id, 2026, GrantType::Adaptation)
            .await
            .unwrap();
        assert_eq!(kept.paid_ore, 6_000_000);
        for target in [TestDb::sqlite().await.unwrap()]
            .into_iter()
            .chain(TestDb::postgres().await.unwrap())
        {
            target.store.import(archive.as_slice()).await.unwrap();
            let imported = target
                .store
                .grant_year_position(m.id, 2026, GrantType::Adaptation)
                .await;
            assert_eq!(imported.unwrap(), kept, "{:?}", target.backend());
            grant_totals_agree(&target.store, m.id, 2026).await;
        }
        assert_eq!(store.verify_audit().await.unwrap().first_break, None);
    }
}

/// The year's position of each grant as a case's page reads it (the totals triggers keep) is
/// the one the budget page sums from the ledger.
async fn grant_totals_agree(store: &Store, municipality: husly_domain::MunicipalityId, year: i32) {
    for line in store.grant_budget(municipality, year).await.unwrap() {
        let kept = store
            .grant_year_position(municipality, year, line.grant_type)
            .await
            .unwrap();
        assert_eq!(kept, line.position, "{:?} {:?}", store.backend(), line.grant_type);
    }
}

/// The export covers the live schema exactly: every table and every column, on both backends,
/// except the tables left out on purpose (each with its reason).
#[tokio::test]
async fn the_export_covers_every_table_and_column_of_the_live_schema() {
    use husly_store::export::{NOT_EXPORTED, exported_tables};
    for db in databases().await {
        let live = db.store.live_columns().await.unwrap();
        let mut exported: Vec<(String, Vec<String>)> = exported_tables()
            .into_iter()
            .map(|(table, columns)| {
                let mut columns: Vec<String> = columns.into_iter().map(str::to_string).collect();
                columns.sort();
                (table.to_string(), columns)
            })
            .collect();
        exported.sort();
        let expected: Vec<(String, Vec<String>)> = live
            .into_iter()
            .filter(|(table, _)| !NOT_EXPORTED.iter().any(|(name, _)| name == table))
            .collect();
        assert_eq!(exported, expected, "on {:?}", db.store.backend());
        for (table, reason) in NOT_EXPORTED {
            assert!(!reason.is_empty(), "{table} needs a reason");
        }
    }
}

/// Letters and documents are stored as bytes, and an archive written before schema 5 (hex
/// columns `pdf_hex` and `content_hex`) still checks.
#[tokio::test]
async fn binary_columns_round_trip_and_old_archives_still_read() {
    let letter = "{\"table\":\"case_letter\",\"row\":{\"id\":\"l\",\"municipality_id\":\"m\",\"case_id\":\"c\",\
        \"decision_id\":null,\"kind\":\"decision\",\"language\":\"nb\",\"html\":\"<p></p>\",\"PDF\":\"255044462d\",\
        \"sha256\":\"x\",\"created_by\":null,\"created_at\":1}}\n";
    let header = |schema: i64| format!("{{\"format\":\"husly-export\",\"version\":2,\"schema\":{schema}}}\n");
    let check =
        |text: String| husly_store::export::check_archive(std::io::Cursor::new(husly_store::export::seal(&text)));
    assert!(
        check(header(4) + &letter.replace("PDF", "pdf_hex")).is_ok(),
        "schema 4 named it pdf_hex"
    );
    assert!(check(header(5) + &letter.replace("PDF", "pdf")).is_ok());
    assert!(
        check(header(5) + &letter.replace("PDF", "pdf_hex")).is_err(),
        "no old names from schema 5"
    );
    assert!(check(header(5) + &letter.replace("PDF", "pdf").replace("255044462d", "xyz")).is_err());
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let household = kari_nordmann(store, m.id, &actor).await;
        let (case, _) = store
            .register_application(
                m.id,
                household,
                husly_domain::cases::CaseType::MunicipalHousing,
                &husly_domain::cases::ApplicationForm::default(),
                time::macros::date!(2026 - 11 - 02),
                &change(&actor),
            )
            .await
            .unwrap();
        let bytes: Vec<u8> = (0..=255u8).chain([0, 0, 255]).collect();
        let document = store
            .add_document(
                m.id,
                husly_store::documents::Owner::Case(case),
                "alle-bytes.pdf",
                husly_domain::documents::DocumentType::Pdf,
                &bytes,
                &actor,
            )
            .await
            .unwrap();
        let (_, read) = store
            .document(m.id, husly_store::documents::Owner::Case(case), &document.id)
            .await
            .unwrap();
        assert_eq!(read, bytes, "every byte value survives");
        let mut archive = Vec::new();
        store.export(&mut archive).await.unwrap();
        let text = String::from_utf8(archive).unwrap();
        assert!(text.contains(&hex_of(&bytes)), "the archive holds the bytes as hex");
    }
}

fn hex_of(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Every seeded case is in a state the workflow reaches, with what that state implies, so the
/// next step a user takes works on each: a proposal has its decision for a second person to
/// approve, a sent decision can be appealed, a startlån's living costs follow its household.
#[tokio::test]
async fn every_seeded_case_takes_its_next_step() {
    use husly_domain::DecisionId;
    use husly_domain::cases::requests::CheckedProposal;
    use husly_domain::cases::{CaseAction, CaseState, Outcome};
    use husly_domain::finance::CaseFinance;
    use husly_store::seed::EconomyShares;
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let shares = EconomyShares {
            case_percent: 100,
            ..EconomyShares::default()
        };
        store.seed_households_with(&m, 120, 11, shares, &actor).await.unwrap();
        let reviewer = store
            .create_user("r@example.no", "Rita Reviewer", "a long password here", &actor)
            .await
            .unwrap();
        let today = time::OffsetDateTime::now_utc().date();
        let by = Change {
            actor: &actor,
            user: Some(reviewer),
            reason: Some("test"),
        };
        let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM application_case WHERE municipality_id = $1")
            .bind(m.id.to_string())
            .fetch_all(store.pool())
            .await
            .unwrap();
        let mut states = std::collections::BTreeSet::new();
        let mut walked = 0;
        for id in ids {
            let case = store
                .case(m.id, husly_domain::CaseId(id.parse().unwrap()))
                .await
                .unwrap();
            states.insert(case.state);
            let household = store.household(m.id, case.household_id).await.unwrap();
            if let Some(CaseFinance::Startlan(loan)) = &case.finance {
                let adults = household
                    .members
                    .iter()
                    .filter(|p| husly_domain::bostotte::age_at(p.person.birth_date, today) >= 18)
                    .count();
                let input = &loan.affordability.household;
                assert_eq!(
                    input.adults as usize, adults,
                    "{}: living costs for the household",
                    case.reference
                );
                assert!(
                    adults > 1 || !input.couple,
                    "{}: a single adult is no couple",
                    case.reference
                );
            }
            let step = |action| husly_domain::cases::requests::Step {
                action,
                reason: Some("test".into()),
                information_due: None,
                expiry: None,
                appeal: None,
            };
            let result = store
                .change_case(m.id, case.id, case.version, None, &by, |c, latest| match c.state {
                    CaseState::Received => c.take_step(&step(CaseAction::StartAssessment), today, 12),
                    CaseState::UnderAssessment => c.propose(
                        DecisionId::new(),
                        &CheckedProposal {
                            outcome: Outcome::Refused,
                            reasons: "test".into(),
                            granted_text: None,
                            amount_ore: None,
                            conditions: Vec::new(),
                            section6: None,
                            renewal: None,
                        },
                        reviewer,
                        serde_json::json!({}),
                    ),
                    CaseState::WaitingForInformation => c.take_step(&step(CaseAction::InformationReceived), today, 12),
                    CaseState::DecisionProposed => c.review(latest, reviewer, true, None),
                    _ => c.take_step(&step(CaseAction::RegisterAppeal), today, 12),
                })
                .await;
            assert!(result.is_ok(), "{} in {:?}: {result:?}", case.reference, case.state);
            walked += 1;
        }
        assert!(walked >= 100, "only {walked} seeded cases");
        for state in [
            CaseState::Received,
            CaseState::UnderAssessment,
            CaseState::WaitingForInformation,
            CaseState::DecisionProposed,
            CaseState::OnWaitingList,
            CaseState::Refused,
        ] {
            assert!(states.contains(&state), "no seeded case is {state:?}: {states:?}");
        }
        assert!(store.verify_audit().await.unwrap().first_break.is_none());
    }
}

/// An archive holding a control character in any text is refused, naming the line and column.
#[test]
fn an_archive_with_a_control_character_is_refused() {
    let archive = husly_store::export::seal(concat!(
        "{\"format\":\"husly-export\",\"version\":2,\"schema\":5}\n",
        "{\"table\":\"installation\",\"row\":{\"key\":\"k\",\"value\":\"a\\u0000b\"}}\n"
    ));
    let error = husly_store::export::check_archive(std::io::Cursor::new(archive))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("line 2") && error.contains("installation.value"),
        "{error}"
    );
}

/// The durability the README promises, read back from live pooled connections rather than
/// assumed: WAL, `synchronous` as configured, foreign keys and the busy timeout, on every
/// connection the pool hands out.
#[tokio::test]
async fn sqlite_connections_run_with_the_promised_settings() {
    use husly_store::StoreOptions;
    use husly_store::db::SqliteSync;
    let dir = tempfile::tempdir().unwrap();
    let url = husly_store::db::sqlite_url_for(&dir.path().join("settings.db"));
    for (sync, expected) in [(SqliteSync::Normal, 1i64), (SqliteSync::Full, 2)] {
        let store = husly_store::Store::connect(
            &url,
            &StoreOptions {
                max_connections: 3,
                sqlite_sync: sync,
                ..StoreOptions::default()
            },
        )
        .await
        .unwrap();
        store.migrate().await.unwrap();
        // Hold three connections at once, so each is a different pooled connection.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(store.pool().acquire().await.unwrap());
        }
        for conn in &mut held {
            let text = |row: sqlx::any::AnyRow| -> String { sqlx::Row::try_get(&row, 0).unwrap() };
            let number = |row: sqlx::any::AnyRow| -> i64 { sqlx::Row::try_get(&row, 0).unwrap() };
            let journal = text(sqlx::query("PRAGMA journal_mode").fetch_one(&mut **conn).await.unwrap());
            assert_eq!(journal.to_lowercase(), "wal");
            let synchronous = number(sqlx::query("PRAGMA synchronous").fetch_one(&mut **conn).await.unwrap());
            assert_eq!(synchronous, expected, "{sync:?}");
            let foreign_keys = number(sqlx::query("PRAGMA foreign_keys").fetch_one(&mut **conn).await.unwrap());
            assert_eq!(foreign_keys, 1);
            let busy = number(sqlx::query("PRAGMA busy_timeout").fetch_one(&mut **conn).await.unwrap());
            assert!(busy >= 5_000, "busy_timeout {busy}");
        }
        drop(held);
        store.close().await;
    }
}

/// A draft never sent is deleted with its documents once its 30 days have run out, each with an
/// entry in the municipality's audit log; a draft still in time, and a sent one, stay.
#[tokio::test]
async fn expired_drafts_are_deleted_with_their_documents() {
    use husly_domain::cases::CaseType;
    use husly_store::documents::Owner;
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let (old, old_code) = store
            .create_draft(m.id, CaseType::MunicipalHousing, "r1")
            .await
            .unwrap();
        let (fresh, fresh_code) = store
            .create_draft(m.id, CaseType::MunicipalHousing, "r2")
            .await
            .unwrap();
        store
            .add_document(
                m.id,
                Owner::Draft(&old),
                "leiekontrakt.pdf",
                husly_domain::documents::DocumentType::Pdf,
                b"%PDF-1.4",
                &actor,
            )
            .await
            .unwrap();
        sqlx::query("UPDATE application_draft SET expires_at = 1 WHERE id = $1")
            .bind(&old)
            .execute(store.pool())
            .await
            .unwrap();
        let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1_000_000;
        assert_eq!(store.delete_expired_drafts(now, &actor).await.unwrap(), 1);
        assert!(matches!(store.draft(&old, &old_code).await, Err(StoreError::NotFound)));
        assert!(store.documents(m.id, Owner::Draft(&old)).await.unwrap().is_empty());
        assert!(store.draft(&fresh, &fresh_code).await.is_ok(), "a draft in time stays");
        let filter = AuditFilter {
            actor: None,
            action: Some("draft.expired_deleted".into()),
            resource_id: Some(old.clone()),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(store.audit_entries(m.id, &filter).await.unwrap().len(), 1);
        assert_eq!(store.delete_expired_drafts(now, &actor).await.unwrap(), 0, "once only");
        assert!(store.verify_audit().await.unwrap().first_break.is_none());
    }
}

/// Journal notes are kept as written, oldest first, with the writer's name; each is an event on
/// the timeline and an audit entry that names the note, not its text; a household of another
/// municipality is "not found", and a note needs the user who writes it.
#[tokio::test]
async fn journal_notes_are_kept_in_order_with_their_event() {
    use husly_domain::notes::{NewNote, NoteVisibility};
    use husly_store::notes::NoteSubject;
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let other = municipality(store, "0301").await;
        let actor = Actor::cli("test");
        let writer = store
            .create_user(
                "notat@kommune.invalid",
                "Nora Notatskriver",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let id = store
            .create_household(
                m.id,
                &household(vec![member(&nid(1975, 1, 2, 300), "Kari", "Notat", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        let by_writer = Change {
            actor: &actor,
            user: Some(writer),
            reason: None,
        };
        let subject = NoteSubject::Household(id);
        for (text, visibility) in [
            ("Første notat.", NoteVisibility::Everyone),
            ("Andre notat,\nmed linjeskift.", NoteVisibility::CaseHandling),
        ] {
            let note = NewNote {
                text: text.into(),
                visibility,
            };
            store.add_note(m.id, subject, &note, &by_writer).await.unwrap();
        }
        let notes = store.notes(m.id, subject).await.unwrap();
        let kept: Vec<(&str, NoteVisibility, &str)> = notes
            .iter()
            .map(|n| (n.text.as_str(), n.visibility, n.written_by.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("Første notat.", NoteVisibility::Everyone, "Nora Notatskriver"),
                (
                    "Andre notat,\nmed linjeskift.",
                    NoteVisibility::CaseHandling,
                    "Nora Notatskriver"
                ),
            ],
            "{:?}",
            db.backend()
        );
        let timeline = store.timeline(m.id, id).await.unwrap();
        assert_eq!(timeline.iter().filter(|e| e.kind == "household.note_added").count(), 2);
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let entries = store.audit_entries(m.id, &filter).await.unwrap();
        assert_eq!(entries.iter().filter(|e| e.action == "household.note").count(), 2);
        assert!(entries.iter().all(|e| !e.details.contains("Første notat")));

        let note = NewNote {
            text: "Feil kommune.".into(),
            visibility: NoteVisibility::Everyone,
        };
        assert!(matches!(
            store.add_note(other.id, subject, &note, &by_writer).await,
            Err(StoreError::NotFound)
        ));
        assert!(store.notes(other.id, subject).await.unwrap().is_empty());
        assert!(
            store.add_note(m.id, subject, &note, &change(&actor)).await.is_err(),
            "no writer"
        );
        assert_eq!(
            store.notes(m.id, subject).await.unwrap().len(),
            2,
            "nothing half-written"
        );
    }
}

/// Tasks on a case: open ones first by due date, done and opened again once each (twice is a
/// conflict), each an event on the case; the open ones of a caseworker across cases.
#[tokio::test]
async fn tasks_are_given_done_and_opened_again() {
    use husly_domain::tasks::check_task;
    use time::macros::date;
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let actor = Actor::cli("test");
        let worker = store
            .create_user("oppgave@kommune.invalid", "Oda Oppgave", "et langt passord 123", &actor)
            .await
            .unwrap();
        let household = store
            .create_household(
                m.id,
                &household(vec![member(&nid(1982, 4, 5, 310), "Kari", "Oppgave", "main_applicant")]),
                &change(&actor),
            )
            .await
            .unwrap();
        let (case, _) = store
            .register_application(
                m.id,
                household,
                husly_domain::cases::CaseType::MunicipalHousing,
                &husly_domain::cases::ApplicationForm::default(),
                date!(2026 - 11 - 01),
                &change(&actor),
            )
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let today = date!(2026 - 11 - 02);
        for (title, due) in [
            ("Purre NAV", date!(2026 - 11 - 20)),
            ("Ring søker", date!(2026 - 11 - 05)),
        ] {
            let task = check_task(title, Some(due), today).unwrap();
            store.add_task(m.id, case, &task, worker, &by).await.unwrap();
        }
        let tasks = store.tasks(m.id, case).await.unwrap();
        let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Ring søker", "Purre NAV"], "{:?}", db.backend());
        let first = tasks[0].id.clone();
        store.set_task_done(m.id, case, &first, true, &by).await.unwrap();
        assert!(matches!(
            store.set_task_done(m.id, case, &first, true, &by).await,
            Err(StoreError::Conflict { .. })
        ));
        let tasks = store.tasks(m.id, case).await.unwrap();
        assert_eq!(tasks[0].title, "Purre NAV", "open ones first");
        assert!(tasks[1].done_at.is_some());
        let open = store.open_tasks_of(m.id, worker, 50).await.unwrap();
        assert_eq!(open.len(), 1);
        store.set_task_done(m.id, case, &first, false, &by).await.unwrap();
        assert_eq!(store.open_tasks_of(m.id, worker, 50).await.unwrap().len(), 2);
        assert!(matches!(
            store.set_task_done(m.id, case, "no-such-task", true, &by).await,
            Err(StoreError::NotFound)
        ));
        let events: Vec<String> = store
            .case_timeline(m.id, case)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .filter(|k| k.starts_with("case.task"))
            .collect();
        assert_eq!(events.len(), 4, "{events:?}");
    }
}

/// The work queue in each order it offers: by deadline, by the day received (oldest or newest
/// first) and by reference, on both backends, a page at a time without losing or repeating a case.
#[tokio::test]
async fn the_queue_sorts_by_deadline_received_day_and_reference() {
    use husly_domain::cases::{ApplicationForm, CaseType};
    use husly_store::cases::{QueueCursor, QueueFilter, QueueFrom, QueueSort};
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = municipality(store, "3301").await;
        let household = kari_nordmann(store, m.id, &actor).await;
        // Registered in this order (references 1, 2, 3), received on other days.
        let received = [
            (CaseType::MunicipalHousing, time::macros::date!(2026 - 10 - 01)),
            (CaseType::Section6Assistance, time::macros::date!(2026 - 09 - 15)),
            (CaseType::MunicipalHousing, time::macros::date!(2026 - 10 - 20)),
        ];
        for (case_type, day) in received {
            store
                .register_application(
                    m.id,
                    household,
                    case_type,
                    &ApplicationForm::default(),
                    day,
                    &change(&actor),
                )
                .await
                .unwrap();
        }
        let order = |sort: QueueSort, limit: i64, offset: i64| {
            let store = store.clone();
            async move {
                store
                    .queue(m.id, QueueFilter::Open, None, sort, limit, &QueueFrom::Offset(offset))
                    .await
                    .unwrap()
            }
        };
        let from = |sort: QueueSort, limit: i64, place: QueueFrom| {
            let store = store.clone();
            async move {
                store
                    .queue(m.id, QueueFilter::Open, None, sort, limit, &place)
                    .await
                    .unwrap()
            }
        };
        let references = |rows: &[husly_store::cases::QueueRow]| -> Vec<String> {
            rows.iter().map(|r| r.reference.clone()).collect()
        };
        assert_eq!(
            references(&order(QueueSort::Reference, 50, 0).await),
            ["2026-000001", "2026-000002", "2026-000003"]
        );
        assert_eq!(
            references(&order(QueueSort::Oldest, 50, 0).await),
            ["2026-000002", "2026-000001", "2026-000003"]
        );
        assert_eq!(
            references(&order(QueueSort::Newest, 50, 0).await),
            ["2026-000003", "2026-000001", "2026-000002"]
        );
        let by_deadline = order(QueueSort::Deadline, 50, 0).await;
        let due: Vec<_> = by_deadline.iter().map(|r| r.next_due).collect();
        let mut sorted = due.clone();
        sorted.sort();
        assert_eq!(due, sorted, "the earliest deadline first");
        // Page by page, each order lists every case once.
        for sort in [
            QueueSort::Deadline,
            QueueSort::Oldest,
            QueueSort::Newest,
            QueueSort::Reference,
        ] {
            let mut paged = Vec::new();
            for offset in 0..3 {
                paged.extend(references(&order(sort, 1, offset).await));
            }
            let whole = order(sort, 50, 0).await;
            assert_eq!(paged, references(&whole), "{sort:?}");
            // From a place: forwards from the first case, backwards from the last, and the page
            // before a place in the queue's order.
            let place = |row: &husly_store::cases::QueueRow| QueueCursor::of(row, sort);
            assert_eq!(
                references(&from(sort, 50, QueueFrom::After(place(&whole[0]))).await),
                references(&whole[1..]),
                "{sort:?}"
            );
            assert_eq!(
                references(&from(sort, 50, QueueFrom::Before(place(&whole[2]))).await),
                references(&whole[..2]),
                "{sort:?}"
            );
            assert_eq!(
                references(&from(sort, 1, QueueFrom::Before(place(&whole[2]))).await),
                references(&whole[1..2]),
                "{sort:?}"
            );
            assert!(from(sort, 50, QueueFrom::After(place(&whole[2]))).await.is_empty());
            assert!(from(sort, 50, QueueFrom::Before(place(&whole[0]))).await.is_empty());
            // A place read back from its text is the same place.
            let text = place(&whole[1]).text();
            let read = QueueCursor::parse(&text, sort).expect("a place");
            assert_eq!(
                references(&from(sort, 50, QueueFrom::After(read)).await),
                references(&whole[2..]),
                "{sort:?}"
            );
        }
        // A case that leaves the queue between two pages: the next page from a place neither
        // skips the case after it (as an offset would) nor repeats one.
        let whole = order(QueueSort::Reference, 50, 0).await;
        let first_page = &whole[..1];
        let case = store.case(m.id, whole[0].id).await.unwrap();
        store
            .change_case(m.id, case.id, case.version, None, &change(&actor), |c, _| {
                c.take_step(
                    &step(husly_domain::cases::CaseAction::Withdraw),
                    time::macros::date!(2026 - 11 - 02),
                    12,
                )
            })
            .await
            .unwrap();
        let next = from(
            QueueSort::Reference,
            1,
            QueueFrom::After(QueueCursor::of(&first_page[0], QueueSort::Reference)),
        )
        .await;
        assert_eq!(references(&next), references(&whole[1..2]), "the place");
        assert_eq!(
            references(&order(QueueSort::Reference, 1, 1).await),
            references(&whole[2..3]),
            "an offset skips a case when one before it leaves"
        );
    }
}

/// A household's representative: one acting at a time (a second is a conflict and leaves
/// nothing), ended with a date and reason and kept; events name the record, never the person.
#[tokio::test]
async fn one_representative_acts_at_a_time_and_ended_ones_are_kept() {
    use husly_domain::representative::{RepresentativeInput, check_representative};
    use time::macros::date;
    let typed = |name: &str| {
        check_representative(
            &RepresentativeInput {
                kind: "verge".into(),
                name: name.into(),
                organisation: String::new(),
                address_line: "Postboks 1".into(),
                postal_code: "3001".into(),
                postal_city: "Drammen".into(),
                phone: "99999999".into(),
                authority_from: "2026-11-01".into(),
                copy_to_party: false,
            },
            date!(2026 - 12 - 02),
        )
        .unwrap()
    };
    for db in databases().await {
        let store = &db.store;
        let m = municipality(store, "3301").await;
        let other = municipality(store, "0301").await;
        let actor = Actor::cli("test");
        let user = store
            .create_user(
                "verge@kommune.invalid",
                "Vera Saksbehandler",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let by_user = Change {
            actor: &actor,
            user: Some(user),
            reason: None,
        };
        let household = kari_nordmann(store, m.id, &actor).await;
        let first = store
            .add_representative(m.id, household, &typed("Verge Eksempel"), &by_user)
            .await
            .unwrap();
        let second = store
            .add_representative(m.id, household, &typed("Verge To"), &by_user)
            .await;
        assert!(matches!(second, Err(StoreError::Conflict { .. })), "{second:?}");
        assert!(matches!(
            store
                .add_representative(other.id, household, &typed("Verge To"), &by_user)
                .await,
            Err(StoreError::NotFound)
        ));
        let kept = store.representatives(m.id, household).await.unwrap();
        assert_eq!(kept.len(), 1, "{:?}", db.backend());
        assert_eq!(kept[0].details.phone.as_deref(), Some("99999999"));
        assert!(store.representatives(other.id, household).await.unwrap().is_empty());

        let today = date!(2026 - 12 - 02);
        store
            .end_representative(m.id, household, &first, today, "Vergemålet er opphevet", &by_user)
            .await
            .unwrap();
        assert!(matches!(
            store
                .end_representative(m.id, household, &first, today, "igjen", &by_user)
                .await,
            Err(StoreError::Conflict { .. })
        ));
        store
            .add_representative(m.id, household, &typed("Verge To"), &by_user)
            .await
            .unwrap();
        let kept = store.representatives(m.id, household).await.unwrap();
        assert_eq!(
            kept.iter()
                .map(|r| (r.details.name.as_str(), r.ended_on))
                .collect::<Vec<_>>(),
            [("Verge To", None), ("Verge Eksempel", Some(today))]
        );
        assert_eq!(kept[1].end_reason.as_deref(), Some("Vergemålet er opphevet"));
        let timeline = store.timeline(m.id, household).await.unwrap();
        assert_eq!(
            timeline
                .iter()
                .filter(|e| e.kind.starts_with("household.representative"))
                .count(),
            3
        );
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let entries = store.audit_entries(m.id, &filter).await.unwrap();
        assert!(entries.iter().all(|e| !e.details.contains("Verge Eksempel")));
    }
}

/// The session cache's lifetime in the tests of two servers, and a wait just past it.
const SESSION_CACHE: std::time::Duration = std::time::Duration::from_millis(300);
const PAST_SESSION_CACHE: std::time::Duration = std::time::Duration::from_millis(350);

/// Two stores on one database, as two servers, each remembering sessions for [`SESSION_CACHE`].
async fn two_servers_remembering_briefly(db: &TestDb) -> (Store, Store) {
    let options = husly_store::StoreOptions {
        max_connections: 2,
        session_cache: SESSION_CACHE,
        ..husly_store::StoreOptions::default()
    };
    let here = Store::connect(&db.url, &options).await.unwrap();
    let elsewhere = Store::connect(&db.url, &options).await.unwrap();
    (here, elsewhere)
}

/// A server uses a session it read for at most the cache's lifetime: a role change, logout or
/// deactivation takes effect at once on the server that made it, and on another server on the
/// same database once the lifetime has passed.
#[tokio::test]
async fn a_remembered_session_is_forgotten_at_once_here_and_within_its_lifetime_elsewhere() {
    for db in databases().await {
        let (here, elsewhere) = two_servers_remembering_briefly(&db).await;
        let m = municipality(&db.store, "3301").await;
        let actor = Actor::cli("test");
        let user = here
            .create_user("cache@example.no", "Cecilie Cache", "a long password here", &actor)
            .await
            .unwrap();
        here.grant_role(user, m.id, Role::Caseworker, &actor).await.unwrap();
        let secret = here.create_session(user, Some(m.id)).await.unwrap();
        let roles = |store: Store, secret: String| async move {
            store
                .session_user(&secret)
                .await
                .unwrap()
                .map(|(_, user)| user.roles.get(&m.id).cloned().unwrap_or_default())
        };
        assert_eq!(roles(here.clone(), secret.clone()).await, Some(vec![Role::Caseworker]));
        assert_eq!(
            roles(elsewhere.clone(), secret.clone()).await,
            Some(vec![Role::Caseworker])
        );

        here.set_roles(user, m.id, &[Role::Approver], &actor).await.unwrap();
        assert_eq!(
            roles(here.clone(), secret.clone()).await,
            Some(vec![Role::Approver]),
            "at once here"
        );
        tokio::time::sleep(PAST_SESSION_CACHE).await;
        assert_eq!(
            roles(elsewhere.clone(), secret.clone()).await,
            Some(vec![Role::Approver]),
            "elsewhere after the lifetime"
        );

        elsewhere
            .set_user_disabled(user, true, Some(m.id), &actor)
            .await
            .unwrap();
        assert_eq!(
            roles(elsewhere.clone(), secret.clone()).await,
            None,
            "disabled: at once there"
        );
        tokio::time::sleep(PAST_SESSION_CACHE).await;
        assert_eq!(
            roles(here.clone(), secret.clone()).await,
            None,
            "and here after the lifetime"
        );

        elsewhere
            .set_user_disabled(user, false, Some(m.id), &actor)
            .await
            .unwrap();
        let secret = here.create_session(user, Some(m.id)).await.unwrap();
        assert!(elsewhere.session_user(&secret).await.unwrap().is_some());
        here.delete_session(&secret).await.unwrap();
        assert!(
            here.session_user(&secret).await.unwrap().is_none(),
            "logged out: at once here"
        );
        tokio::time::sleep(PAST_SESSION_CACHE).await;
        assert!(
            elsewhere.session_user(&secret).await.unwrap().is_none(),
            "and elsewhere after the lifetime"
        );
    }
}

/// The caseworkers a case page offers are remembered as long as a session: a change of roles or
/// a deactivation shows at once on the server that made it (and is seen there stale, before the
/// lifetime, on another server), and on the other server once the lifetime has passed.
#[tokio::test]
async fn remembered_role_holders_follow_role_changes_here_at_once_and_elsewhere_within_the_lifetime() {
    for db in databases().await {
        let (here, elsewhere) = two_servers_remembering_briefly(&db).await;
        let m = municipality(&db.store, "3301").await.id;
        let actor = Actor::cli("test");
        let anna = here
            .create_user("anna@example.no", "Anna Arbeid", "a long password here", &actor)
            .await
            .unwrap();
        here.grant_role(anna, m, Role::Caseworker, &actor).await.unwrap();
        let names = |store: Store| async move {
            store
                .active_holders(m, Role::Caseworker)
                .await
                .unwrap()
                .into_iter()
                .map(|(_, name)| name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(here.clone()).await, ["Anna Arbeid"]);
        assert_eq!(names(elsewhere.clone()).await, ["Anna Arbeid"]);

        let bjorn = here
            .create_user("bjorn@example.no", "Bjørn Bolig", "a long password here", &actor)
            .await
            .unwrap();
        here.grant_role(bjorn, m, Role::Caseworker, &actor).await.unwrap();
        assert_eq!(
            names(here.clone()).await,
            ["Anna Arbeid", "Bjørn Bolig"],
            "at once here"
        );
        assert_eq!(names(elsewhere.clone()).await, ["Anna Arbeid"], "remembered elsewhere");
        tokio::time::sleep(PAST_SESSION_CACHE).await;
        assert_eq!(
            names(elsewhere.clone()).await,
            ["Anna Arbeid", "Bjørn Bolig"],
            "elsewhere after the lifetime"
        );

        elsewhere.set_user_disabled(anna, true, Some(m), &actor).await.unwrap();
        assert_eq!(
            names(elsewhere.clone()).await,
            ["Bjørn Bolig"],
            "disabled: at once there"
        );
        tokio::time::sleep(PAST_SESSION_CACHE).await;
        assert_eq!(
            names(here.clone()).await,
            ["Bjørn Bolig"],
            "and here after the lifetime"
        );
        here.set_roles(bjorn, m, &[Role::Approver], &actor).await.unwrap();
        assert!(names(here.clone()).await.is_empty(), "a caseworker no more");
    }
}

/// After a bulk load SQLite keeps its per-index row counts for every table and value samples only
/// for the work queue's indexes on the case table, whose plans depend on them (see
/// `db::keep_samples_where_plans_need_them`): not for the case's key or its index by household,
/// which the case page and the household page look cases up by; none in the access log's file.
/// The statistics tables are named with their schema, as both files have them (an unqualified
/// name on a pooled connection once read the access log's).
#[tokio::test]
async fn sqlite_keeps_value_samples_only_where_plans_need_them() {
    let db = TestDb::sqlite().await.unwrap();
    populated(&db).await;
    db.store.analyze().await.unwrap();
    let count = |sql: &'static str| {
        let pool = db.store.pool().clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert!(
        count("SELECT COUNT(DISTINCT tbl) FROM main.sqlite_stat1").await > 5,
        "row counts kept"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM main.sqlite_stat4 WHERE tbl <> 'application_case'").await,
        0,
        "no value samples elsewhere"
    );
    assert!(
        count("SELECT COUNT(*) FROM access.sqlite_stat1 WHERE tbl = 'access_entry'").await > 0,
        "the access log's row counts kept"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM access.sqlite_stat4").await,
        0,
        "no value samples in the access log's file"
    );
    assert!(
        count("SELECT COUNT(*) FROM main.sqlite_stat4 WHERE idx = 'application_case_queue'").await > 0,
        "the queue's samples kept"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM main.sqlite_stat4 WHERE idx = 'application_case_household' \
             OR idx LIKE 'sqlite_autoindex_application_case%'"
        )
        .await,
        0,
        "none on the indexes a case is looked up by"
    );
}
