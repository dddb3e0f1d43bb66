//! Referrals for seeded households, one in each state, so the work queues and the partner's
//! start page have something to show: six households with a consent in force, taken in turn
//! from each organisation, get a referral between the unit and the consented organisation — sent, overdue, accepted,
//! declined, completed, and one from the organisation to the unit. Sent and answered through
//! the store's own commands (events and audit entries as in real use). Once per municipality.

use husly_domain::referral::{Answer, Party, ReferralFields, ReferralState, ReferralStep};
use husly_domain::{HouseholdId, UserId};
use sqlx::Row;
use time::{Date, Duration};

use crate::Store;
use crate::audit::Actor;
use crate::error::StoreResult;
use crate::households::Change;
use crate::municipalities::{Municipality, parse_id};

const ASKS: [(&str, &str); 3] = [
    (
        "Husleierestanse",
        "Vurder økonomisk stønad til restansen og en nedbetalingsavtale.",
    ),
    (
        "Oppfølging i hjemmet",
        "Husstanden ønsker besøk av Bo-teamet en gang i uken de neste to månedene.",
    ),
    (
        "Helse og bolig",
        "Vurder om tilrettelegging i boligen trengs etter utskriving.",
    ),
];

impl Store {
    pub(super) async fn seed_referrals(
        &self,
        municipality: &Municipality,
        by: UserId,
        today: Date,
        actor: &Actor,
    ) -> StoreResult<()> {
        let any = sqlx::query("SELECT COUNT(*) AS n FROM referral WHERE municipality_id = $1")
            .bind(municipality.id.to_string())
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if any.try_get::<i64, _>("n")? > 0 {
            return Ok(());
        }
        let chosen = self.consenting_in_turn(municipality, today, 6).await?;
        let change = Change {
            actor,
            user: Some(by),
            reason: None,
        };
        for (i, (household, organisation)) in chosen.into_iter().enumerate() {
            let household: HouseholdId = parse_id(&household)?;
            let organisation = Party::Organisation(organisation);
            let (purpose, request) = ASKS[i % ASKS.len()];
            let (from, to) = match i {
                5 => (organisation, Party::Unit),
                _ => (Party::Unit, organisation),
            };
            let due_on = match i {
                // Overdue: due five days ago, unanswered.
                1 => today - Duration::days(5),
                _ => today + Duration::days(7 + 3 * i as i64),
            };
            let fields = ReferralFields {
                from,
                to,
                purpose: purpose.into(),
                request: request.into(),
                due_on,
            };
            let id = self.send_referral(municipality.id, household, &fields, &change).await?;
            let steps: &[(ReferralState, ReferralStep, ReferralState, Option<&str>)] = match i {
                2 => &[(ReferralState::Sent, ReferralStep::Accept, ReferralState::Accepted, None)],
                3 => &[(
                    ReferralState::Sent,
                    ReferralStep::Decline,
                    ReferralState::Declined,
                    Some("Dette hører under en annen tjeneste; vi har gitt husstanden kontaktinformasjon."),
                )],
                4 => &[
                    (ReferralState::Sent, ReferralStep::Accept, ReferralState::Accepted, None),
                    (
                        ReferralState::Accepted,
                        ReferralStep::Complete,
                        ReferralState::Completed,
                        Some("Avtale om nedbetaling er inngått."),
                    ),
                ],
                _ => &[],
            };
            for (before, step, after, text) in steps {
                let answer = Answer {
                    step: *step,
                    state: *after,
                    text: text.map(str::to_string),
                };
                self.answer_referral(municipality.id, &id, *before, &answer, &change)
                    .await?;
            }
        }
        Ok(())
    }

    /// Up to `n` households with a consent in force today, each with the organisation it is
    /// consented to, taken in turn from each organisation so every organisation's start page has
    /// some.
    pub(super) async fn consenting_in_turn(
        &self,
        municipality: &Municipality,
        today: Date,
        n: usize,
    ) -> StoreResult<Vec<(String, String)>> {
        let day = crate::date_text(today);
        // Households with a consent in force, taken in turn from each organisation, so every
        // organisation's start page has some.
        let rows = sqlx::query(
            "SELECT DISTINCT household_id, organisation_id FROM consent WHERE municipality_id = $1 \
             AND withdrawn_at IS NULL AND valid_from <= $2 AND valid_to >= $2 \
             ORDER BY organisation_id, household_id LIMIT 300",
        )
        .bind(municipality.id.to_string())
        .bind(&day)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut by_organisation: Vec<(String, Vec<String>)> = Vec::new();
        for row in &rows {
            let (household, organisation): (String, String) =
                (row.try_get("household_id")?, row.try_get("organisation_id")?);
            match by_organisation.iter_mut().find(|(o, _)| *o == organisation) {
                Some((_, households)) => households.push(household),
                None => by_organisation.push((organisation, vec![household])),
            }
        }
        let mut chosen: Vec<(String, String)> = Vec::new();
        for turn in 0.. {
            let before = chosen.len();
            for (organisation, households) in &by_organisation {
                if chosen.len() < n
                    && let Some(h) = households.get(turn)
                    && !chosen.iter().any(|(c, _)| c == h)
                {
                    chosen.push((h.clone(), organisation.clone()));
                }
            }
            if chosen.len() >= n || chosen.len() == before {
                break;
            }
        }
        Ok(chosen)
    }
}
