//! KOSTRA skjema 13 main reason: the caseworker classifies the case (one of
//! [`KostraCategory::ALL`]); the applicant's ticked reasons only suggest a category. Pages and the
//! API both call [`classify_kostra`].

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::CaseId;
use husly_domain::authz::Action;
use husly_domain::cases::Case;
use husly_domain::kostra::{KostraCategory, suggested_category};
use husly_domain::validation::FieldError;
use husly_store::cases::KostraClassification;

/// What the case page and the API show: the category the applicant's ticks suggest and the
/// caseworker's classification, if made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KostraView {
    pub suggested: Option<KostraCategory>,
    pub classification: Option<KostraClassification>,
}

/// The classification of a case already read (under the caller's read of the case).
pub(crate) async fn view_of(ctx: &Ctx, case: &Case) -> UseCaseResult<KostraView> {
    Ok(KostraView {
        suggested: suggested_category(&case.form.reasons),
        classification: ctx.store.kostra_classification(case.municipality_id, case.id).await?,
    })
}

/// Classifies the case's main reason as the category with code `category` (caseworkers). The
/// change is an event on the case (`case.kostra_classified`) with its audit entry. Returns the
/// case's KOSTRA view. The field error is named `category`.
pub async fn classify_kostra(ctx: &Ctx, case: CaseId, category: &str) -> UseCaseResult<KostraView> {
    let municipality = ctx.case_owner(case, Action::HandleCase).await?;
    let category = parse_category(category)?;
    let actor = ctx.actor(municipality);
    ctx.store
        .classify_kostra(municipality, case, category, &ctx.change(&actor))
        .await?;
    let case = ctx.store.case(municipality, case).await?;
    view_of(ctx, &case).await
}

fn parse_category(code: &str) -> UseCaseResult<KostraCategory> {
    let code = code.trim();
    if code.is_empty() {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "category",
            "required",
            "error.kostra.category_required",
        )]));
    }
    KostraCategory::from_code(code).ok_or_else(|| {
        let codes: Vec<&str> = KostraCategory::ALL.iter().map(|c| c.code()).collect();
        UseCaseError::Invalid(vec![FieldError::unknown_value("category", code, &codes)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_named_by_its_code() {
        assert_eq!(parse_category(" refugee ").unwrap(), KostraCategory::Refugee);
        for bad in ["", "economy"] {
            let Err(UseCaseError::Invalid(errors)) = parse_category(bad) else {
                panic!("{bad:?} accepted");
            };
            assert_eq!(errors[0].field, "category");
        }
    }
}
