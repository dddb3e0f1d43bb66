//! Partner organisations and consents on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): names unique in a municipality, one organisation per
//! partner user, a consent only from a member of the household to an organisation of the
//! municipality, read back for the partner while it has not ended, withdrawn once; each change a
//! household event whose audit entry leaves the purpose out.

use husly_domain::consent::{ConsentCategory, ConsentEvidence, ConsentFields, GivenBy};
use husly_domain::follow_up::PartnerKind;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn household(seq: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Samtykkeveien 2".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1968 - 05 - 01), seq).to_string(),
            given_name: "Sigrid".into(),
            family_name: "Samtykke".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn fields(person: husly_domain::PersonId, organisation: &str, from: time::Date, to: time::Date) -> ConsentFields {
    ConsentFields {
        person,
        organisation: organisation.into(),
        purpose: "Hemmelig formål om helse".into(),
        categories: vec![ConsentCategory::Contact, ConsentCategory::FollowUp],
        valid_from: from,
        valid_to: to,
        evidence: ConsentEvidence::SignedForm,
        given_by: GivenBy::Person,
        guardian: None,
    }
}

#[tokio::test]
async fn consents_are_recorded_read_and_withdrawn() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let a = store.create_household(m.id, &household(401), &cli).await.unwrap();
        let b = store.create_household(m.id, &household(402), &cli).await.unwrap();
        let person_a = store.household(m.id, a).await.unwrap().members[0].person.id;
        let worker = store
            .create_user("sara@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };

        // Organisations: a name once per municipality; a partner user works for one.
        let team = store
            .add_partner_organisation(m.id, "Bo-teamet", PartnerKind::VoluntaryTeam, (&actor, worker))
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_partner_organisation(m.id, "Bo-teamet", PartnerKind::Nav, (&actor, worker))
                .await,
            Err(StoreError::Duplicate(_))
        ));
        let oslo_nav = store
            .add_partner_organisation(other.id, "Bo-teamet", PartnerKind::Nav, (&actor, worker))
            .await
            .expect("the same name in another municipality");
        let partner = store
            .create_user("per@bymisjonen.invalid", "Per Partner", "et langt passord 123", &actor)
            .await
            .unwrap();
        assert!(matches!(
            store
                .set_partner_membership(m.id, partner, Some(&oslo_nav), (&actor, worker))
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.partner_organisation_of(partner, m.id).await.unwrap(),
            None,
            "{backend:?}"
        );
        store
            .set_partner_membership(m.id, partner, Some(&team), (&actor, worker))
            .await
            .unwrap();
        assert_eq!(
            store.partner_organisation_of(partner, m.id).await.unwrap(),
            Some((team.clone(), "Bo-teamet".to_string()))
        );
        let listed = store.partner_organisations(m.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].members[0].1, "Per Partner");

        // A consent needs a user, a member of the household and an organisation of the
        // municipality; nothing is written otherwise.
        let today = date!(2026 - 12 - 04);
        let year = fields(person_a, &team, date!(2026 - 12 - 01), date!(2027 - 11 - 30));
        assert!(matches!(
            store.record_consent(m.id, a, &year, &cli).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            store.record_consent(m.id, b, &year, &by).await,
            Err(StoreError::NotFound)
        ));
        let elsewhere = fields(person_a, &oslo_nav, date!(2026 - 12 - 01), date!(2027 - 11 - 30));
        assert!(matches!(
            store.record_consent(m.id, a, &elsewhere, &by).await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store.consents_of_household(m.id, a).await.unwrap().is_empty(),
            "{backend:?}"
        );

        let kept = store.record_consent(m.id, a, &year, &by).await.unwrap();
        let ended = store
            .record_consent(
                m.id,
                a,
                &fields(person_a, &team, date!(2025 - 12 - 01), date!(2026 - 12 - 03)),
                &by,
            )
            .await
            .unwrap();
        let all = store.consents_of_household(m.id, a).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id, ended, "the newest first");
        assert_eq!(all[1].categories, [ConsentCategory::Contact, ConsentCategory::FollowUp]);
        assert_eq!(all[1].person_name, "Sigrid Samtykke");
        assert_eq!(all[1].organisation_name, "Bo-teamet");
        let open: Vec<String> = store
            .consents_to_organisation(m.id, &team, a, today)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(
            open,
            std::slice::from_ref(&kept),
            "{backend:?}: the ended one is left out"
        );
        // The same for many households at once (the partner's referral queue).
        let many: Vec<String> = store
            .consents_to_organisation_of(m.id, &team, &[a, b], today)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.household == a)
            .map(|c| c.id)
            .collect();
        assert_eq!(many, open, "{backend:?}");
        assert!(
            store
                .consents_to_organisation_of(m.id, &team, &[], today)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .consents_to_organisation(m.id, &team, b, today)
                .await
                .unwrap()
                .is_empty()
        );

        // The partner's list, a page at a time: households with a consent in force.
        let person_b = store.household(m.id, b).await.unwrap().members[0].person.id;
        store
            .record_consent(
                m.id,
                b,
                &fields(person_b, &team, date!(2026 - 11 - 01), date!(2027 - 10 - 31)),
                &by,
            )
            .await
            .unwrap();
        store
            .record_consent(
                m.id,
                b,
                &fields(person_b, &team, date!(2026 - 12 - 24), date!(2027 - 10 - 31)),
                &by,
            )
            .await
            .unwrap();
        let (total, first) = store.consenting_households(m.id, &team, today, (0, 1)).await.unwrap();
        let (_, second) = store.consenting_households(m.id, &team, today, (1, 1)).await.unwrap();
        let (_, beyond) = store.consenting_households(m.id, &team, today, (2, 1)).await.unwrap();
        assert_eq!(
            total, 2,
            "{backend:?}: the ended and the not yet started are not counted"
        );
        assert_eq!((first.len(), second.len(), beyond.len()), (1, 1, 0));
        let mut paged = vec![first[0].household, second[0].household];
        paged.sort();
        let mut both = vec![a, b];
        both.sort();
        assert_eq!(paged, both);

        // Withdrawn once, with its reason; not from another household; not twice.
        assert!(matches!(
            store.withdraw_consent(m.id, b, &kept, "Feil husstand", &by).await,
            Err(StoreError::NotFound)
        ));
        let withdrawn = store
            .withdraw_consent(m.id, a, &kept, "Ringte og trakk det", &by)
            .await
            .unwrap();
        let w = withdrawn.withdrawal.expect("withdrawn");
        assert_eq!(
            (w.by.as_deref(), w.reason.as_str()),
            (Some("Sara Saks"), "Ringte og trakk det")
        );
        assert!(matches!(
            store.withdraw_consent(m.id, a, &kept, "Igjen", &by).await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(
            store
                .consents_to_organisation(m.id, &team, a, today)
                .await
                .unwrap()
                .is_empty()
        );
        let (total, _) = store.consenting_households(m.id, &team, today, (0, 50)).await.unwrap();
        assert_eq!(total, 1, "{backend:?}: the withdrawn household is off the list");

        // Each change is on the timeline; the audit entries leave the purpose out.
        let kinds: Vec<String> = store
            .timeline(m.id, a)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds.iter().filter(|k| k.starts_with("household.consent")).count(),
            3,
            "{kinds:?}"
        );
        let entries = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let consent_entries: Vec<_> = entries.iter().filter(|e| e.action == "household.consent").collect();
        assert_eq!(consent_entries.len(), 5);
        assert!(
            consent_entries
                .iter()
                .all(|e| !e.details.to_string().contains("Hemmelig"))
        );
    }
}

/// Only a consent given in self-service is kept without the worker who recorded it: the
/// database refuses any other without one, and reads both.
#[tokio::test]
async fn only_a_consent_given_in_self_service_has_no_recorder() {
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
        let h = store.create_household(m.id, &household(811), &cli).await.unwrap();
        let person = store.household(m.id, h).await.unwrap().members[0].person.id;
        let worker = store
            .create_user(
                "selvbetjent@kommune.invalid",
                "Selma Selv",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let organisation = store
            .add_partner_organisation(m.id, "Bo-teamet", PartnerKind::VoluntaryTeam, (&actor, worker))
            .await
            .unwrap();
        let insert = |id: &str, evidence: &str| {
            format!(
                "INSERT INTO consent (id, municipality_id, household_id, person_id, organisation_id, purpose, \
                 categories, valid_from, valid_to, evidence, given_by, recorded_by, recorded_at) VALUES \
                 ('{id}', '{m}', '{h}', '{person}', '{organisation}', 'Søknaden', 'contact case', '2026-12-05', \
                 '2027-12-04', '{evidence}', 'person', NULL, 1)",
                m = m.id
            )
        };
        assert!(
            husly_store::testing::execute_raw(store, &insert("01900000-0000-7000-8000-00000000000a", "meeting"))
                .await
                .is_err(),
            "{backend:?}: a meeting's consent names who recorded it"
        );
        husly_store::testing::execute_raw(store, &insert("01900000-0000-7000-8000-00000000000b", "self_service"))
            .await
            .unwrap();
        let kept = store.consents_of_household(m.id, h).await.unwrap();
        assert_eq!(kept.len(), 1, "{backend:?}");
        assert_eq!(
            (kept[0].evidence, kept[0].recorded_by.as_deref()),
            (ConsentEvidence::SelfService, None)
        );
    }
}

/// The partner's list is in the order of the consenting member's name, a page at a time, and a
/// name changed on the household is at once where it belongs.
#[tokio::test]
async fn the_partner_list_follows_the_names_also_when_one_changes() {
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
        let worker = store
            .create_user("liste@kommune.invalid", "Liv Liste", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let team = store
            .add_partner_organisation(m.id, "Bo-teamet", PartnerKind::VoluntaryTeam, (&actor, worker))
            .await
            .unwrap();
        let named = |seq: u16, family: &str| {
            let input = HouseholdInput {
                address_line: "Listeveien 1".into(),
                postal_code: "3015".into(),
                postal_city: "Drammen".into(),
                from_date: "01.02.2024".into(),
                to_date: String::new(),
                members: vec![MemberInput {
                    national_id: synthetic_tenor_next(date!(1968 - 05 - 01), seq).to_string(),
                    given_name: "Kari".into(),
                    family_name: family.into(),
                    relation: "main_applicant".into(),
                    ..Default::default()
                }],
            };
            validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
        };
        let mut households = Vec::new();
        for (seq, family) in [(821, "Berg"), (831, "Aasen"), (841, "Dahl"), (851, "Carlsen")] {
            let h = store.create_household(m.id, &named(seq, family), &cli).await.unwrap();
            let person = store.household(m.id, h).await.unwrap().members[0].person.id;
            store
                .record_consent(
                    m.id,
                    h,
                    &fields(person, &team, date!(2026 - 11 - 01), date!(2027 - 10 - 31)),
                    &by,
                )
                .await
                .unwrap();
            households.push((h, family));
        }
        let today = date!(2026 - 12 - 04);
        let order = |consents: Vec<husly_store::consents::Consent>| -> Vec<String> {
            consents.into_iter().map(|c| c.person_name).collect()
        };
        let (total, first) = store.consenting_households(m.id, &team, today, (0, 2)).await.unwrap();
        let (_, rest) = store.consenting_households(m.id, &team, today, (2, 2)).await.unwrap();
        assert_eq!(total, 4, "{backend:?}");
        assert_eq!(order(first), ["Kari Aasen", "Kari Berg"], "{backend:?}");
        assert_eq!(order(rest), ["Kari Carlsen", "Kari Dahl"], "{backend:?}");

        // Aasen becomes Øverby: last on the list from the next page read.
        let (aasen, _) = households[1];
        let version = store.household(m.id, aasen).await.unwrap().version;
        store
            .update_household(m.id, aasen, version, &named(831, "Øverby"), &cli)
            .await
            .unwrap();
        let (_, all) = store.consenting_households(m.id, &team, today, (0, 10)).await.unwrap();
        assert_eq!(
            order(all),
            ["Kari Berg", "Kari Carlsen", "Kari Dahl", "Kari Øverby"],
            "{backend:?}"
        );
    }
}
