//! The applicant's own view of the waiting list, on the self-service status page: the place on
//! the list and why, in plain words; the offers made, and the answer to an open one.
//!
//! The applicant acts through the draft's code (see [`crate::self_service`]); no staff role is
//! involved. The ranking is the whole (kept) list, but only the applicant's own place and
//! explanation leave this module.

use husly_domain::Lang;
use husly_domain::allocation::explain::explain;
use husly_domain::allocation::offer::{DeclineStanding, OfferState};
use husly_domain::allocation::wait_estimate::{WaitEstimate, wait_estimate};
use husly_domain::message::Message;
use husly_store::allocation::Offer;
use husly_store::drafts::{Draft, applicant};

use crate::offers::{Answered, answer_offer_as_applicant, standing};
use crate::ranked_list::ranked_list;
use crate::self_service::Applicant;
use crate::{UseCaseError, UseCaseResult};

/// Where the applicant's household stands, and its offers.
#[derive(Debug, Clone)]
pub struct Position {
    /// The place on the list and how many wait, when the case is on the waiting list.
    pub place: Option<(u32, usize)>,
    /// Why, in the applicant's language ("Dere har 220 poeng …").
    pub explanation: Vec<Message>,
    /// The estimated wait from the last three years' lettings of fitting dwellings.
    pub estimate: Option<WaitEstimate>,
    /// Every offer made to the household, oldest first.
    pub offers: Vec<Offer>,
    pub standing: DeclineStanding,
}

impl Position {
    /// The offer waiting for the applicant's answer, if any.
    pub fn open_offer(&self) -> Option<&Offer> {
        self.offers.iter().find(|o| o.state == OfferState::Open)
    }
}

impl Applicant {
    /// The household's place on the waiting list with its explanation, and its offers.
    pub async fn position(&self, draft: &Draft, lang: Lang) -> UseCaseResult<Position> {
        let case = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let municipality = draft.municipality_id;
        let offers = self.store.offers_of_case(municipality, case).await?;
        let list = ranked_list(&self.store, municipality, self.today).await?;
        let own = list.cases.iter().position(|c| c.case == case);
        let (place, explanation, estimate) = match own {
            Some(i) => {
                let (reference, household) = (&list.cases[i].reference, &list.households[i]);
                let peers = list.peers.positions(reference);
                let place = list
                    .ranking
                    .get(reference)
                    .map(|r| (r.position, list.ranking.entries.len()));
                let explanation = explain(&list.policy, &list.ranking, reference, &peers, lang).unwrap_or_default();
                let estimate = wait_estimate(&list.policy, household, &peers, &list.lettings, list.ranked_on);
                (place, explanation, Some(estimate))
            }
            None => (None, Vec::new(), None),
        };
        Ok(Position {
            place,
            explanation,
            estimate,
            standing: standing(&offers, &list.policy.offers),
            offers,
        })
    }

    /// The applicant's answer to the household's open offer `offer`: `accept`, or `decline`
    /// with a coded reason (and a note for `other`).
    pub async fn answer_offer(
        &self,
        draft: &Draft,
        offer: &str,
        version: i64,
        answer: &str,
        reason: &str,
        note: &str,
    ) -> UseCaseResult<Answered> {
        let case = draft.submitted_case.ok_or(UseCaseError::NotFound)?;
        let current = self.store.offer(draft.municipality_id, offer).await?;
        if current.case != case {
            return Err(UseCaseError::NotFound);
        }
        let actor = applicant(&draft.id, &self.request_id);
        answer_offer_as_applicant(
            &self.store,
            &actor,
            draft.municipality_id,
            &current,
            version,
            answer,
            reason,
            note,
            self.today,
        )
        .await
    }
}
