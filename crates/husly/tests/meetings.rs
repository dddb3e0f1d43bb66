//! Collaboration meetings over HTTP on both backends, as the caseworker and the partner use
//! them: a bad meeting is refused naming each field with what was typed kept and nothing
//! written; a good one is recorded with its actions and shows on the household's timeline, the
//! unit's queue and the partner's page; each owner marks only its own action done; a partner
//! without a consent finds no household.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::meeting::ActionState;
use husly_domain::referral::Party;
use husly_store::audit::Actor;
use husly_store::{Store, StoreOptions};

#[tokio::test]
async fn a_meeting_is_recorded_and_each_owner_reports_on_its_actions() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let h = f.household;
        let server = start(&db, &[]);
        let (email, _) = &f.users[&Role::Caseworker];
        let http = common::login(&server, email, PASSWORD).await;
        let page = format!("/households/{h}/meetings");
        let csrf = common::csrf_of(&server, &http, &page).await;
        let today = common::today();
        let day = |d: i64| husly_domain::validation::format_date(today + time::Duration::days(d));
        let (tomorrow, yesterday, later) = (day(1), day(-1), day(10));

        // Refused: the day not yet come, a row without owner or due day; what was typed stays.
        let bad = [
            ("csrf", csrf.as_str()),
            ("kind", "collaboration"),
            ("held_on", tomorrow.as_str()),
            ("summary", "Snakket om restansen"),
            ("actions[0].description", "Ringe utleier"),
        ];
        let refused = http.post(server.url(&page)).form(&bad).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        for message in [
            "Møtedatoen kan ikke være etter i dag.",
            "Feltet må fylles ut.",
            "f-record-actions-0-owner",
            "f-record-actions-0-due_on",
        ] {
            assert!(html.contains(message), "{message}");
        }
        assert!(
            html.contains("Snakket om restansen") && html.contains("Ringe utleier"),
            "typed kept"
        );
        assert!(
            store.meetings_of_household(f.home, h).await.unwrap().is_empty(),
            "nothing written"
        );

        let good = [
            ("csrf", csrf.as_str()),
            ("kind", "responsibility_group"),
            ("held_on", yesterday.as_str()),
            ("summary", "Snakket om restansen og vinteren."),
            ("organisations", f.partner_organisation.as_str()),
            ("household_present", "1"),
            ("others", "Fastlegen"),
            ("actions[0].description", "Vurdere hjelp til restansen"),
            ("actions[0].owner", f.partner_organisation.as_str()),
            ("actions[0].due_on", later.as_str()),
            ("actions[2].description", "Hjemmebesøk før jul"),
            ("actions[2].owner", "unit"),
            ("actions[2].due_on", later.as_str()),
        ];
        let recorded = http.post(server.url(&page)).form(&good).send().await.unwrap();
        assert_eq!(recorded.status(), 303);
        let html = common::page_text(&server, &http, &page).await;
        assert!(
            html.contains("Møtet er registrert.") && html.contains("Ansvarsgruppemøte") && html.contains("Fastlegen"),
            "{html}"
        );
        let kept = store.meetings_of_household(f.home, h).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].actions.len(), 2, "the blank row is skipped");
        let partner_action = kept[0]
            .actions
            .iter()
            .find(|a| a.owner != Party::Unit)
            .unwrap()
            .id
            .clone();
        let unit_action = kept[0]
            .actions
            .iter()
            .find(|a| a.owner == Party::Unit)
            .unwrap()
            .id
            .clone();
        let household = common::page_text(&server, &http, &format!("/households/{h}")).await;
        assert!(household.contains("Samarbeidsmøte ble registrert"), "on the timeline");
        let queue = common::page_text(&server, &http, "/referrals").await;
        assert!(
            queue.contains("Hjemmebesøk før jul") && !queue.contains("Vurdere hjelp"),
            "{queue}"
        );
        // An action of the unit past its due day is counted on the case queue beside the
        // overdue referrals.
        let cases = common::page_text(&server, &http, "/cases").await;
        assert!(!cases.contains("har gått over fristen"), "nothing overdue yet");
        let (held, due) = (day(-10), day(-5));
        let late = [
            ("csrf", csrf.as_str()),
            ("kind", "collaboration"),
            ("held_on", held.as_str()),
            ("summary", "Et møte som ble registrert sent."),
            ("actions[0].description", "Sende søknad om bostøtte"),
            ("actions[0].owner", "unit"),
            ("actions[0].due_on", due.as_str()),
        ];
        let recorded = http.post(server.url(&page)).form(&late).send().await.unwrap();
        assert_eq!(recorded.status(), 303);
        let cases = common::page_text(&server, &http, "/cases").await;
        assert!(cases.contains("1 tiltak har gått over fristen."), "{cases}");

        // The partner sees the meeting, may report only on its own action.
        let (partner_email, _) = &f.users[&Role::Partner];
        let partner = common::login(&server, partner_email, PASSWORD).await;
        let door = format!("/partner/households/{h}");
        let view = common::page_text(&server, &partner, &door).await;
        assert!(view.contains("Snakket om restansen og vinteren."), "{view}");
        assert!(view.contains(&format!("/meetings/actions/{partner_action}")));
        assert!(
            !view.contains(&format!("/meetings/actions/{unit_action}")),
            "no form on the unit's action"
        );
        let start = common::page_text(&server, &partner, "/partner").await;
        assert!(start.contains("Vurdere hjelp til restansen"), "on the partner's queue");
        let pcsrf = common::csrf_of(&server, &partner, &door).await;
        let not_own = partner
            .post(server.url(&format!("{door}/meetings/actions/{unit_action}")))
            .form(&[("csrf", pcsrf.as_str()), ("state", "done")])
            .send()
            .await
            .unwrap();
        assert_eq!(not_own.status(), 422);
        assert!(
            not_own
                .text()
                .await
                .unwrap()
                .contains("Bare den ansvarlige kan endre tiltaket.")
        );
        let done = partner
            .post(server.url(&format!("{door}/meetings/actions/{partner_action}")))
            .form(&[("csrf", pcsrf.as_str()), ("state", "done"), ("outcome", "Innvilget.")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let view = common::page_text(&server, &partner, &door).await;
        assert!(
            view.contains("Tiltaket er markert som utført.") && view.contains("Innvilget."),
            "{view}"
        );

        // The unit marks its own done and undoes it.
        let action_url = server.url(&format!("{page}/actions/{unit_action}"));
        for state in ["done", "open"] {
            let changed = http
                .post(action_url.clone())
                .form(&[("csrf", csrf.as_str()), ("state", state)])
                .send()
                .await
                .unwrap();
            assert_eq!(changed.status(), 303, "{state}");
        }
        let kept = store.meeting_action(f.home, &unit_action).await.unwrap();
        assert_eq!(kept.state, ActionState::Open);
        assert_eq!(
            store.meeting_action(f.home, &partner_action).await.unwrap().state,
            ActionState::Done
        );

        // A partner of an organisation the household has not consented to finds nothing.
        let actor = Actor::cli("test");
        let stranger = store
            .create_user("fremmed@partner.example", "Fremmed", PASSWORD, &actor)
            .await
            .unwrap();
        store.grant_role(stranger, f.home, Role::Partner, &actor).await.unwrap();
        let other = common::login(&server, "fremmed@partner.example", PASSWORD).await;
        let ocsrf = common::csrf_of(&server, &other, "/partner").await;
        let nope = other
            .post(server.url(&format!("{door}/meetings")))
            .form(&[("csrf", ocsrf.as_str()), ("kind", "collaboration")])
            .send()
            .await
            .unwrap();
        assert_eq!(nope.status(), 404);
    }
}
