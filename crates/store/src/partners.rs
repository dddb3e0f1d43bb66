//! Partner organisations of a municipality (schema 31) and the partner users who work for them:
//! kept by the administrator, each change audited. No rule here: the use case checks the name
//! and the kind.

use husly_domain::follow_up::PartnerKind;
use husly_domain::{MunicipalityId, UserId};
use serde_json::json;
use sqlx::Row;

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::error::{StoreError, StoreResult};
use crate::municipalities::parse_id;

/// The index that keeps organisation names unique in a municipality: a [`StoreError::Duplicate`]
/// names it.
pub const ORGANISATION_NAME: &str = "partner_organisation_name";

/// A partner organisation with the users who work for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerOrganisation {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
    /// (user, display name, e-mail), by name.
    pub members: Vec<(UserId, String, String)>,
}

fn event(
    municipality: MunicipalityId,
    action: &'static str,
    organisation: &str,
    details: serde_json::Value,
) -> Event<'static> {
    Event {
        municipality: Some(municipality),
        action,
        resource_kind: "partner_organisation",
        resource_id: organisation.to_string(),
        details,
    }
}

impl Store {
    /// The municipality's partner organisations by name, each with its members.
    pub async fn partner_organisations(&self, municipality: MunicipalityId) -> StoreResult<Vec<PartnerOrganisation>> {
        let rows =
            sqlx::query("SELECT id, name, kind FROM partner_organisation WHERE municipality_id = $1 ORDER BY name, id")
                .bind(municipality.to_string())
                .fetch_all(&mut *self.conn().await?)
                .await?;
        let mut organisations = rows
            .iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(PartnerOrganisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    kind: PartnerKind::from_code(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown partner kind {kind:?}")))?,
                    members: Vec::new(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let members = sqlx::query(
            "SELECT m.organisation_id, u.id, u.display_name, u.email FROM partner_membership m \
             JOIN app_user u ON u.id = m.user_id WHERE m.municipality_id = $1 ORDER BY u.display_name, u.id",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        for row in &members {
            let organisation: String = row.try_get("organisation_id")?;
            if let Some(o) = organisations.iter_mut().find(|o| o.id == organisation) {
                o.members.push((
                    UserId(parse_id(&row.try_get::<String, _>("id")?)?),
                    row.try_get("display_name")?,
                    row.try_get("email")?,
                ));
            }
        }
        Ok(organisations)
    }

    /// Registers a partner organisation; returns its id. A name the municipality has already
    /// given an organisation is a conflict.
    pub async fn add_partner_organisation(
        &self,
        municipality: MunicipalityId,
        name: &str,
        kind: PartnerKind,
        (actor, user): (&Actor, UserId),
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        let taken: Option<String> =
            sqlx::query("SELECT id FROM partner_organisation WHERE municipality_id = $1 AND name = $2")
                .bind(municipality.to_string())
                .bind(name)
                .fetch_optional(tx.conn())
                .await?
                .map(|row| row.try_get("id"))
                .transpose()?;
        if taken.is_some() {
            return Err(StoreError::Duplicate(ORGANISATION_NAME.into()));
        }
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO partner_organisation (id, municipality_id, name, kind, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(name)
        .bind(kind.code())
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await
        .map_err(|e| match &e {
            // Another server registered the same name between the check and the write.
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(ORGANISATION_NAME.into()),
            _ => StoreError::from(e),
        })?;
        audit::append(
            &mut tx,
            actor,
            event(
                municipality,
                "partner.organisation_added",
                &id,
                json!({ "kind": kind.code() }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Makes `member` work for `organisation` (one of the municipality's) in the municipality,
    /// or for none (`None`), replacing any membership before.
    pub async fn set_partner_membership(
        &self,
        municipality: MunicipalityId,
        member: UserId,
        organisation: Option<&str>,
        (actor, user): (&Actor, UserId),
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM partner_membership WHERE user_id = $1 AND municipality_id = $2")
            .bind(member.to_string())
            .bind(municipality.to_string())
            .execute(tx.conn())
            .await?;
        if let Some(organisation) = organisation {
            let inserted = sqlx::query(
                "INSERT INTO partner_membership (user_id, municipality_id, organisation_id, added_by, added_at) \
                 SELECT $1, $2, id, $3, $4 FROM partner_organisation WHERE id = $5 AND municipality_id = $2",
            )
            .bind(member.to_string())
            .bind(municipality.to_string())
            .bind(user.to_string())
            .bind(crate::now_micros())
            .bind(organisation)
            .execute(tx.conn())
            .await?;
            if inserted.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
        }
        audit::append(
            &mut tx,
            actor,
            Event {
                municipality: Some(municipality),
                action: "partner.membership_set",
                resource_kind: "user",
                resource_id: member.to_string(),
                details: json!({ "organisation": organisation }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation `user` works for in the municipality: (id, name).
    pub async fn partner_organisation_of(
        &self,
        user: UserId,
        municipality: MunicipalityId,
    ) -> StoreResult<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT o.id, o.name FROM partner_membership m JOIN partner_organisation o ON o.id = m.organisation_id \
             WHERE m.user_id = $1 AND m.municipality_id = $2",
        )
        .bind(user.to_string())
        .bind(municipality.to_string())
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
            .transpose()
    }
}
