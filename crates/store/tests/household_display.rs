//! What lists show of a household (schema 49) on both backends: after every kind of change to
//! the tables it is made from (a household's address and start, a membership, a main applicant's name, an
//! address block set, moved and lifted, a household removed), `household_display` holds exactly
//! what those tables say.

use husly_domain::national_id::synthetic_tenor_next;
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::testing::{TestDb, execute_raw};
use time::macros::date;

/// A `household_member` row of a household in which nobody has an address block.
const UNPROTECTED: &str = "household_id NOT IN (SELECT pm.household_id FROM household_member pm \
    JOIN address_protection pa ON pa.person_id = pm.person_id)";

type Shown = Vec<(String, String, String, Option<String>, Option<String>, i64)>;

/// The kept rows, in the household's order.
async fn kept(store: &Store) -> Shown {
    sqlx::query_as(
        "SELECT household_id, address_line, from_date, given_name, family_name, \
         CAST(CASE WHEN address_protected THEN 1 ELSE 0 END AS BIGINT) \
         FROM household_display ORDER BY household_id",
    )
    .fetch_all(store.pool())
    .await
    .expect("kept rows")
}

/// The same, read from the tables themselves as the queue read them before schema 49.
async fn from_the_tables(store: &Store) -> Shown {
    sqlx::query_as(
        "SELECT h.id, h.address_line, h.from_date, p.given_name, p.family_name, \
         CAST(CASE WHEN EXISTS (SELECT 1 FROM household_member pm JOIN address_protection pa \
             ON pa.municipality_id = pm.municipality_id AND pa.person_id = pm.person_id \
             WHERE pm.municipality_id = h.municipality_id AND pm.household_id = h.id) THEN 1 ELSE 0 END AS BIGINT) \
         FROM household h \
         LEFT JOIN household_member m ON m.municipality_id = h.municipality_id AND m.household_id = h.id \
             AND m.relation = 'main_applicant' \
         LEFT JOIN person p ON p.id = m.person_id \
         ORDER BY h.id",
    )
    .fetch_all(store.pool())
    .await
    .expect("rows from the tables")
}

async fn one(store: &Store, sql: &str) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(store.pool())
        .await
        .expect(sql)
}

#[tokio::test]
async fn the_kept_rows_follow_every_change_to_their_tables() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        store.seed_households(&m, 40, 11, &actor).await.unwrap();
        let user = store
            .create_user(
                "display@example.no",
                "Display Caseworker",
                "a long password here",
                &actor,
            )
            .await
            .unwrap();
        let seeded = kept(store).await;
        assert_eq!(seeded.len(), 40, "{backend:?}: a row per household");
        assert_eq!(seeded, from_the_tables(store).await, "{backend:?}: as seeded");

        // A household of two or more, its main applicant and another member.
        let household = one(
            store,
            &format!(
                "SELECT household_id FROM household_member WHERE {UNPROTECTED} GROUP BY household_id \
                 HAVING COUNT(*) > 1 ORDER BY household_id LIMIT 1"
            ),
        )
        .await;
        let main = one(
            store,
            &format!(
                "SELECT person_id FROM household_member WHERE household_id = '{household}' \
                 AND relation = 'main_applicant'"
            ),
        )
        .await;
        let other = one(
            store,
            &format!(
                "SELECT person_id FROM household_member WHERE household_id = '{household}' \
                 AND relation <> 'main_applicant' ORDER BY person_id LIMIT 1"
            ),
        )
        .await;
        let elsewhere = one(
            store,
            &format!(
                "SELECT person_id FROM household_member WHERE household_id <> '{household}' \
                 AND {UNPROTECTED} ORDER BY person_id LIMIT 1"
            ),
        )
        .await;
        let steps = [
            (
                "the main applicant's name",
                format!("UPDATE person SET given_name = 'Åse-Marit', family_name = 'Ødegård Li' WHERE id = '{main}'"),
            ),
            (
                "another member's name",
                format!("UPDATE person SET given_name = 'Unni' WHERE id = '{other}'"),
            ),
            (
                "the address",
                format!("UPDATE household SET address_line = 'Bragernes torg 4' WHERE id = '{household}'"),
            ),
            (
                "the day the household was formed",
                format!("UPDATE household SET from_date = '2025-03-01' WHERE id = '{household}'"),
            ),
            (
                "a block on a member who is not the main applicant",
                format!(
                    "INSERT INTO address_protection (person_id, municipality_id, level, reason, recorded_by, recorded_at) \
                     VALUES ('{other}', '{}', 'fortrolig', 'Politiets melding', '{}', 1)",
                    m.id, user.0
                ),
            ),
            (
                "the block moved to a member of another household",
                format!("UPDATE address_protection SET person_id = '{elsewhere}' WHERE person_id = '{other}'"),
            ),
            (
                "the block lifted",
                format!("DELETE FROM address_protection WHERE person_id = '{elsewhere}'"),
            ),
            (
                "the main applicant's role handed to another member",
                format!(
                    "UPDATE household_member SET relation = CASE WHEN person_id = '{main}' THEN 'adult' \
                     ELSE 'main_applicant' END WHERE household_id = '{household}' AND person_id IN ('{main}', '{other}')"
                ),
            ),
            (
                "a member leaving",
                format!("DELETE FROM household_member WHERE household_id = '{household}' AND person_id = '{main}'"),
            ),
            (
                "a member joining as main applicant",
                format!(
                    "UPDATE household_member SET relation = 'adult' WHERE household_id = '{household}'; \
                     INSERT INTO household_member (household_id, person_id, municipality_id, relation, position) \
                     VALUES ('{household}', '{main}', '{}', 'main_applicant', 9)",
                    m.id
                ),
            ),
            (
                "a block on a member of the household",
                format!(
                    "INSERT INTO address_protection (person_id, municipality_id, level, reason, recorded_by, recorded_at) \
                     VALUES ('{other}', '{}', 'fortrolig', 'Politiets melding', '{}', 2)",
                    m.id, user.0
                ),
            ),
        ];
        for (what, sql) in steps {
            execute_raw(store, &sql).await.expect(what);
            assert_eq!(
                kept(store).await,
                from_the_tables(store).await,
                "{backend:?}: after {what}"
            );
        }
        let row = kept(store)
            .await
            .into_iter()
            .find(|row| row.0 == household)
            .expect("the household's row");
        assert_eq!(
            (
                row.1.as_str(),
                row.2.as_str(),
                row.3.as_deref(),
                row.4.as_deref(),
                row.5
            ),
            (
                "Bragernes torg 4",
                "2025-03-01",
                Some("Åse-Marit"),
                Some("Ødegård Li"),
                1
            ),
            "{backend:?}: the changes are shown"
        );

        // A household registered, then removed with its member: its row comes and goes with it.
        let (new_household, new_person) = (
            "0190f000-0000-7000-8000-00000000d001",
            "0190f000-0000-7000-8000-00000000d002",
        );
        execute_raw(
            store,
            &format!(
                "INSERT INTO household (id, municipality_id, address_line, postal_code, postal_city, from_date, version, created_at, updated_at) \
                 VALUES ('{new_household}', '{m}', 'Tollbugata 1', '3044', 'Drammen', '2026-01-01', 1, 1, 1); \
                 INSERT INTO person (id, municipality_id, national_id, id_kind, given_name, family_name, birth_date, preferred_language, created_at, updated_at) \
                 VALUES ('{new_person}', '{m}', '{national_id}', 'fodselsnummer', 'Kari', 'Nylund', '1975-01-01', 'nb', 1, 1); \
                 INSERT INTO household_member (household_id, person_id, municipality_id, relation, position) \
                 VALUES ('{new_household}', '{new_person}', '{m}', 'main_applicant', 0)",
                m = m.id,
                // A synthetic (Tenor) number with valid check digits, never a real person's.
                national_id = synthetic_tenor_next(date!(1975 - 01 - 01), 901)
            ),
        )
        .await
        .expect("a household registered");
        let after = kept(store).await;
        assert_eq!(after.len(), 41, "{backend:?}: the new household has a row");
        assert_eq!(
            after,
            from_the_tables(store).await,
            "{backend:?}: after a household is registered"
        );
        execute_raw(
            store,
            &format!(
                "DELETE FROM household_member WHERE household_id = '{new_household}'; \
                 DELETE FROM household WHERE id = '{new_household}'"
            ),
        )
        .await
        .expect("a household removed");
        let after = kept(store).await;
        assert_eq!(after.len(), 40, "{backend:?}: the removed household's row is gone");
        assert_eq!(
            after,
            from_the_tables(store).await,
            "{backend:?}: after a household is removed"
        );
    }
}
