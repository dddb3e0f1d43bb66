//! Protected addresses on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): a member's block masks the household's address in every
//! read and keeps it out of the address index; strengt fortrolig erases the address and sends
//! letters to the contact route; opening the address is audited with its purpose; lifting
//! brings the address back to search; each change a household event whose audit entry names
//! no address and no reason.

use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::protection::{AddressProtection, ContactRoute, ProtectionFields, RevealPurpose};
use husly_domain::search::SearchQuery;
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn household(seq: u16, street: &str) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: street.into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1975 - 03 - 01), seq).to_string(),
            given_name: "Synnøve".into(),
            family_name: "Skjermvik".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn block(person: husly_domain::PersonId, level: AddressProtection) -> ProtectionFields {
    ProtectionFields {
        person,
        level,
        reason: "Hemmelig melding fra politiet".into(),
        contact_route: (level == AddressProtection::StrengtFortrolig).then(|| ContactRoute {
            address_line: "Postboks 4 Bragernes".into(),
            postal_code: "3001".into(),
            postal_city: "Drammen".into(),
        }),
    }
}

fn words(text: &str) -> SearchQuery {
    SearchQuery::parse(text).expect("a query")
}

#[tokio::test]
async fn a_block_masks_the_address_until_it_is_lifted() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let a = store
            .create_household(m.id, &household(501, "Skjulestien 7"), &cli)
            .await
            .unwrap();
        let b = store
            .create_household(m.id, &household(502, "Sperreveien 3"), &cli)
            .await
            .unwrap();
        let person_a = store.household(m.id, a).await.unwrap().members[0].person.id;
        let person_b = store.household(m.id, b).await.unwrap().members[0].person.id;
        let worker = store
            .create_user("sara@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: Some("Hemmelig melding fra politiet"),
        };
        // One word through the words' index, two through the pair tokens (schema 41).
        for typed in ["skjulestien", "skjulestien 7"] {
            assert_eq!(
                store.search_people(m.id, &words(typed), 10).await.unwrap().hits.len(),
                1,
                "{backend:?}: found by {typed:?} before the block"
            );
        }

        // A person outside the household is refused; nothing is written.
        assert!(matches!(
            store
                .protect_person(m.id, a, &block(person_b, AddressProtection::Fortrolig), false, &by)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(store.household_protections(m.id, a).await.unwrap().is_empty());

        // Fortrolig: masked in every read, out of the address index, kept for letters.
        store
            .protect_person(m.id, a, &block(person_a, AddressProtection::Fortrolig), false, &by)
            .await
            .unwrap();
        let seen = store.household(m.id, a).await.unwrap();
        assert_eq!(seen.protection, Some(AddressProtection::Fortrolig), "{backend:?}");
        assert_eq!(
            (
                seen.address_line.as_str(),
                seen.postal_code.as_str(),
                seen.postal_city.as_str()
            ),
            ("", "", "")
        );
        assert_eq!(seen.members[0].protection, Some(AddressProtection::Fortrolig));
        for typed in ["skjulestien", "skjulestien 7", "7 drammen"] {
            assert!(
                store
                    .search_people(m.id, &words(typed), 10)
                    .await
                    .unwrap()
                    .hits
                    .is_empty(),
                "{backend:?}: not found by its address, {typed:?}"
            );
        }
        let by_name = store
            .search_people(m.id, &words("synnøve skjermvik"), 10)
            .await
            .unwrap();
        let refs: Vec<_> = by_name.hits.iter().flat_map(|h| h.households.iter()).collect();
        assert_eq!(refs.len(), 2, "{backend:?}: both found by name");
        for r in refs {
            assert_eq!(r.address_protected, r.id == a);
            assert_eq!(r.address_line.is_empty(), r.id == a);
        }
        let (_, households) = store.person(m.id, person_a).await.unwrap();
        assert!(households[0].0.address_protected && households[0].0.address_line.is_empty());
        // The work queue's rows, on each backend's own way of reading them.
        for household in [a, b] {
            store
                .register_application(
                    m.id,
                    household,
                    husly_domain::cases::CaseType::MunicipalHousing,
                    &husly_domain::cases::ApplicationForm::default(),
                    time::macros::date!(2026 - 11 - 02),
                    &cli,
                )
                .await
                .unwrap();
        }
        let queue = store
            .queue(
                m.id,
                husly_store::cases::QueueFilter::Open,
                None,
                husly_store::cases::QueueSort::Reference,
                50,
                &husly_store::cases::QueueFrom::Offset(0),
            )
            .await
            .unwrap();
        let shown: Vec<(bool, &str)> = queue
            .iter()
            .map(|r| (r.address_protected, r.address_line.as_str()))
            .collect();
        assert_eq!(shown, [(true, ""), (false, "Sperreveien 3")], "{backend:?}: the queue");
        assert_eq!(
            store.letter_address(m.id, a).await.unwrap().address_line,
            "Skjulestien 7"
        );
        let opened = store
            .reveal_address(m.id, a, RevealPurpose::HomeVisit, &Actor::cli("test"))
            .await
            .unwrap();
        assert_eq!(opened.address_line, "Skjulestien 7");

        // Strengt fortrolig: the address is erased; letters go to the contact route.
        store
            .protect_person(
                m.id,
                a,
                &block(person_a, AddressProtection::StrengtFortrolig),
                true,
                &by,
            )
            .await
            .unwrap();
        assert_eq!(
            store.stored_address(m.id, a).await.unwrap().address_line,
            "",
            "{backend:?}"
        );
        assert_eq!(
            store.letter_address(m.id, a).await.unwrap().address_line,
            "Postboks 4 Bragernes"
        );
        // A household registered with the same person keeps no address either.
        let c = store
            .create_household(m.id, &household(501, "Nyflyttveien 9"), &cli)
            .await
            .unwrap();
        assert_eq!(
            store.stored_address(m.id, c).await.unwrap().address_line,
            "",
            "{backend:?}"
        );
        assert_eq!(
            store.household(m.id, c).await.unwrap().protection,
            Some(AddressProtection::StrengtFortrolig)
        );
        assert!(
            store
                .search_people(m.id, &words("nyflyttveien"), 10)
                .await
                .unwrap()
                .hits
                .is_empty()
        );
        let kept = store.household_protections(m.id, a).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].level, AddressProtection::StrengtFortrolig);
        assert_eq!(kept[0].recorded_by, "Sara Saks");

        // Lifted: the block goes, the other household is untouched, and (with an address again)
        // the household is found by it.
        assert!(matches!(
            store.lift_protection(m.id, b, person_b, &by).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.lift_protection(m.id, a, person_a, &by).await.unwrap(),
            AddressProtection::StrengtFortrolig
        );
        assert_eq!(store.household(m.id, a).await.unwrap().protection, None);
        store
            .protect_person(m.id, b, &block(person_b, AddressProtection::Fortrolig), false, &by)
            .await
            .unwrap();
        assert!(
            store
                .search_people(m.id, &words("sperreveien"), 10)
                .await
                .unwrap()
                .hits
                .is_empty()
        );
        store.lift_protection(m.id, b, person_b, &by).await.unwrap();
        assert_eq!(
            store
                .search_people(m.id, &words("sperreveien"), 10)
                .await
                .unwrap()
                .hits
                .len(),
            1,
            "{backend:?}: found by its address again"
        );

        // Each change is a household event; the audit log names no address and no reason.
        let kinds: Vec<String> = store
            .timeline(m.id, a)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds.iter().filter(|k| *k == "household.address_protected").count(), 2);
        assert_eq!(
            kinds
                .iter()
                .filter(|k| *k == "household.address_protection_lifted")
                .count(),
            1
        );
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
        let ours: Vec<_> = entries
            .iter()
            .filter(|e| e.action.starts_with("household.address"))
            .collect();
        assert_eq!(ours.len(), 6, "{backend:?}: five changes and one opening");
        assert!(ours.iter().all(|e| {
            let text = e.details.to_string();
            !text.contains("Hemmelig") && !text.contains("Skjulestien") && !text.contains("Postboks")
        }));
        let reveal = ours.iter().find(|e| e.action == "household.address_reveal").unwrap();
        assert!(reveal.details.contains("home_visit"), "{}", reveal.details);
    }
}
