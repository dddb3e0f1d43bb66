//! The municipality's partner organisations and the partner users who work for them: what the
//! administrator keeps, beside the users and their roles.

use husly_domain::authz::{Action, Role};
use husly_domain::follow_up::PartnerKind;
use husly_domain::validation::{Errors, FieldError, control_character, has_forbidden_control};
use husly_domain::{MunicipalityId, UserId};
use husly_store::StoreError;
use husly_store::accounts::User;
use husly_store::audit::Actor;
use husly_store::partners::{ORGANISATION_NAME, PartnerOrganisation};

use crate::{Ctx, UseCaseError, UseCaseResult};

/// The longest organisation name.
pub const MAX_NAME: usize = 120;

fn admin(ctx: &Ctx, municipality: MunicipalityId) -> Actor {
    Actor {
        purpose: "administration".to_string(),
        ..ctx.actor(municipality)
    }
}

/// The organisations, and the users with the partner role who may be made members.
pub async fn partner_organisations(
    ctx: &Ctx,
    municipality: MunicipalityId,
) -> UseCaseResult<(Vec<PartnerOrganisation>, Vec<User>)> {
    ctx.require(Action::ManagePartners, municipality)?;
    let organisations = ctx.store.partner_organisations(municipality).await?;
    let partners = partner_users(ctx, municipality).await?;
    Ok((organisations, partners))
}

async fn partner_users(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<User>> {
    Ok(ctx
        .store
        .users(Some(municipality))
        .await?
        .into_iter()
        .filter(|u| {
            u.roles
                .get(&municipality)
                .is_some_and(|roles| roles.contains(&Role::Partner))
        })
        .collect())
}

/// Registers a partner organisation by name and kind; returns its id. A name the municipality
/// has given another organisation is refused on `name`.
pub async fn add_partner_organisation(
    ctx: &Ctx,
    municipality: MunicipalityId,
    name: &str,
    kind: &str,
) -> UseCaseResult<String> {
    ctx.require(Action::ManagePartners, municipality)?;
    let mut errors = Errors::default();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::required("name"));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::too_long("name", MAX_NAME));
    } else if has_forbidden_control(name) {
        errors.push(control_character("name"));
    }
    let kind = match PartnerKind::from_code(kind.trim()) {
        Some(kind) => Some(kind),
        None if kind.trim().is_empty() => {
            errors.push(FieldError::required("kind"));
            None
        }
        None => {
            errors.push(FieldError::unknown_value("kind", kind, &PartnerKind::codes()));
            None
        }
    };
    let kind = match kind {
        Some(kind) if errors.is_empty() => kind,
        _ => return Err(UseCaseError::Invalid(errors.0)),
    };
    match ctx
        .store
        .add_partner_organisation(municipality, name, kind, (&admin(ctx, municipality), ctx.user.id))
        .await
    {
        Err(StoreError::Duplicate(index)) if index == ORGANISATION_NAME => {
            Err(UseCaseError::Invalid(vec![FieldError::new(
                "name",
                "partner.name_taken",
                "error.partner.name_taken",
            )]))
        }
        other => Ok(other?),
    }
}

/// Makes a partner user work for an organisation of the municipality, or for none (an empty
/// `organisation`). A user without the partner role here is refused on `user`; an unknown
/// organisation on `organisation`.
pub async fn set_partner_membership(
    ctx: &Ctx,
    municipality: MunicipalityId,
    user: &str,
    organisation: &str,
) -> UseCaseResult<()> {
    ctx.require(Action::ManagePartners, municipality)?;
    let partners = partner_users(ctx, municipality).await?;
    let member = user
        .trim()
        .parse::<UserId>()
        .ok()
        .filter(|id| partners.iter().any(|p| p.id == *id));
    let organisation = organisation.trim();
    let mut errors = Vec::new();
    if member.is_none() {
        errors.push(FieldError::new(
            "user",
            "partner.not_a_partner",
            "error.partner.not_a_partner",
        ));
    }
    let organisations = ctx.store.partner_organisations(municipality).await?;
    if !organisation.is_empty() && !organisations.iter().any(|o| o.id == organisation) {
        errors.push(FieldError::new(
            "organisation",
            "consent.unknown_organisation",
            "error.consent.unknown_organisation",
        ));
    }
    let Some(member) = member.filter(|_| errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors));
    };
    ctx.store
        .set_partner_membership(
            municipality,
            member,
            (!organisation.is_empty()).then_some(organisation),
            (&admin(ctx, municipality), ctx.user.id),
        )
        .await?;
    Ok(())
}
