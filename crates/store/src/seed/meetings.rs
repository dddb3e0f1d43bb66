//! Collaboration meetings for seeded households, so the household pages, the partner's page and
//! both work queues have some to show: four households with a consent in force each get a
//! meeting with the consented organisation — one held two weeks ago with an overdue action for
//! the organisation, one with the unit's action done — recorded through the store's own commands
//! (events and audit entries as in real use). Once per municipality.

use husly_domain::meeting::{ActionChange, ActionFields, ActionState, MeetingFields, MeetingKind};
use husly_domain::referral::Party;
use husly_domain::{HouseholdId, UserId};
use sqlx::Row;
use time::{Date, Duration};

use crate::Store;
use crate::audit::Actor;
use crate::error::StoreResult;
use crate::households::Change;
use crate::municipalities::{Municipality, parse_id};

const SUMMARIES: [&str; 4] = [
    "Gikk gjennom husleierestansen og hva som trengs for å beholde boligen gjennom vinteren.",
    "Ansvarsgruppen så på helsesituasjonen og tilretteleggingen av boligen etter utskrivingen.",
    "Familien ønsker større bolig. Vi snakket om startlån og hva som må på plass først.",
    "Oppfølgingen har gått bra. Vi ble enige om å trappe ned besøkene.",
];

impl Store {
    pub(super) async fn seed_meetings(
        &self,
        municipality: &Municipality,
        by: UserId,
        today: Date,
        actor: &Actor,
    ) -> StoreResult<()> {
        let any = sqlx::query("SELECT COUNT(*) AS n FROM meeting WHERE municipality_id = $1")
            .bind(municipality.id.to_string())
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if any.try_get::<i64, _>("n")? > 0 {
            return Ok(());
        }
        let change = Change {
            actor,
            user: Some(by),
            reason: None,
        };
        let chosen = self.consenting_in_turn(municipality, today, 4).await?;
        for (i, (household, organisation)) in chosen.into_iter().enumerate() {
            let household: HouseholdId = parse_id(&household)?;
            let held_on = today - Duration::days(14 - 3 * i as i64);
            let fields = MeetingFields {
                kind: if i == 1 {
                    MeetingKind::ResponsibilityGroup
                } else {
                    MeetingKind::Collaboration
                },
                held_on,
                summary: SUMMARIES[i % SUMMARIES.len()].into(),
                organisations: vec![organisation.clone()],
                household_present: i != 1,
                others: (i == 1).then(|| "Fastlegen".to_string()),
                actions: vec![
                    ActionFields {
                        description: "Vurdere hjelp til husleien de neste tre månedene".into(),
                        owner: Party::Organisation(organisation),
                        // The first household's is overdue.
                        due_on: if i == 0 {
                            today - Duration::days(2)
                        } else {
                            today + Duration::days(10)
                        },
                    },
                    ActionFields {
                        description: "Hjemmebesøk for å se på boligen sammen med husstanden".into(),
                        owner: Party::Unit,
                        due_on: held_on + Duration::days(21),
                    },
                ],
            };
            let id = self
                .record_meeting((municipality.id, household), &Party::Unit, &fields, &change)
                .await?;
            if i == 1 {
                let done = ActionChange {
                    state: ActionState::Done,
                    outcome: Some("Besøket er gjennomført; boligen fungerer.".into()),
                };
                let meeting = self.meetings_of_household(municipality.id, household).await?;
                if let Some(action) = meeting
                    .iter()
                    .find(|m| m.id == id)
                    .and_then(|m| m.actions.iter().find(|a| a.owner == Party::Unit))
                {
                    self.change_meeting_action(municipality.id, &action.id, ActionState::Open, &done, &change)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
