//! The demo's allocation history: one round held and closed (an offer accepted, one declined
//! for a reason the policy counts as reasonable, one without), and one round drawn with offers
//! waiting for an answer, so the rounds, offers and applicants' pages have something real to
//! show. Made through the same use cases a caseworker uses, as the demo caseworker.

use husly_domain::{MunicipalityId, UserId};
use husly_store::Store;
use husly_usecases::{Channel, Ctx, offers, rounds};
use time::Date;

/// Holds the demo's rounds once (a municipality that has rounds is left as it is).
pub async fn seed(store: &Store, municipality: MunicipalityId, caseworker: UserId, today: Date) -> anyhow::Result<()> {
    if !store.rounds(municipality).await?.is_empty() {
        return Ok(());
    }
    let principal = store
        .principal(caseworker)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo caseworker is disabled"))?;
    let ctx = Ctx {
        store: store.clone(),
        principal,
        user: store.user(caseworker).await?,
        request_id: uuid::Uuid::now_v7().to_string(),
        lang: husly_domain::Lang::Nb,
        today,
        channel: Channel::Page,
        notifier: std::sync::Arc::new(husly_web::notify::LogNotifier),
        live_values: std::sync::Arc::default(),
    };
    // The first round: held, answered, closed.
    let Some(first) = drawn_round(&ctx, municipality).await? else {
        return Ok(());
    };
    let answers = [("accept", ""), ("decline", "school_or_work"), ("decline", "location")];
    for (line, (answer, reason)) in proposed_lines(&ctx, municipality, &first).await?.iter().zip(answers) {
        let offer = offers::make_offer(&ctx, municipality, &first, line, "", "").await?;
        let version = store.offer(municipality, &offer).await?.version;
        offers::answer_offer(&ctx, municipality, &offer, version, answer, reason, "").await?;
    }
    let version = store.round(municipality, &first).await?.version;
    rounds::end_round(&ctx, municipality, &first, version, false, "Tildelingsmøtet er ferdig").await?;
    // The second: drawn, two offers waiting for an answer.
    if let Some(second) = drawn_round(&ctx, municipality).await? {
        for line in proposed_lines(&ctx, municipality, &second).await?.iter().take(2) {
            offers::make_offer(&ctx, municipality, &second, line, "", "").await?;
        }
    }
    Ok(())
}

/// Starts and draws a round; `None` when no vacancy is left to offer.
async fn drawn_round(ctx: &Ctx, municipality: MunicipalityId) -> anyhow::Result<Option<String>> {
    let id = match rounds::start_round(ctx, municipality).await {
        Ok((id, _)) => id,
        Err(husly_usecases::UseCaseError::Invalid(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let version = ctx.store.round(municipality, &id).await?.version;
    rounds::draw_round(ctx, municipality, &id, version).await?;
    Ok(Some(id))
}

/// The dwellings of a round with a household proposed, in line order.
async fn proposed_lines(ctx: &Ctx, municipality: MunicipalityId, round: &str) -> anyhow::Result<Vec<String>> {
    Ok(ctx
        .store
        .round(municipality, round)
        .await?
        .lines
        .into_iter()
        .filter(|l| l.case.is_some())
        .map(|l| l.dwelling_id)
        .collect())
}
