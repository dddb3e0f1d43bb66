//! Address blocks for two seeded households, so the demo shows what a protected address looks
//! like everywhere: the main applicant of the household with the first case has *fortrolig
//! adresse*, the one with the second case *strengt fortrolig adresse* (its address erased,
//! letters to the Folkeregister's route). Set through the store's own command, so the events,
//! the audit entries and the search index are as in real use. Once per municipality.

use husly_domain::protection::{AddressProtection, ContactRoute, ProtectionFields};
use husly_domain::{HouseholdId, UserId};
use sqlx::Row;

use crate::Store;
use crate::audit::Actor;
use crate::error::StoreResult;
use crate::households::Change;
use crate::municipalities::{Municipality, parse_id};

impl Store {
    pub(super) async fn seed_address_protections(
        &self,
        municipality: &Municipality,
        by: UserId,
        actor: &Actor,
    ) -> StoreResult<()> {
        let any = sqlx::query("SELECT COUNT(*) AS n FROM address_protection WHERE municipality_id = $1")
            .bind(municipality.id.to_string())
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if any.try_get::<i64, _>("n")? > 0 {
            return Ok(());
        }
        let rows = sqlx::query(
            "SELECT c.household_id, m.person_id FROM application_case c \
             JOIN household_member m ON m.municipality_id = c.municipality_id \
                 AND m.household_id = c.household_id AND m.relation = 'main_applicant' \
             WHERE c.municipality_id = $1 ORDER BY c.reference LIMIT 2",
        )
        .bind(municipality.id.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let change = Change {
            actor,
            user: Some(by),
            reason: Some("Melding fra Folkeregisteret om adressesperre (syntetisk)"),
        };
        for (row, level) in rows
            .iter()
            .zip([AddressProtection::Fortrolig, AddressProtection::StrengtFortrolig])
        {
            let household: HouseholdId = parse_id(&row.try_get::<String, _>("household_id")?)?;
            let fields = ProtectionFields {
                person: parse_id(&row.try_get::<String, _>("person_id")?)?,
                level,
                reason: "Melding fra Folkeregisteret om adressesperre (syntetisk)".into(),
                contact_route: (level == AddressProtection::StrengtFortrolig).then(|| ContactRoute {
                    address_line: "c/o Skatteetaten, Postboks 9200 Grønland".into(),
                    postal_code: "0134".into(),
                    postal_city: "Oslo".into(),
                }),
            };
            let erase = level == AddressProtection::StrengtFortrolig;
            self.protect_person(municipality.id, household, &fields, erase, &change)
                .await?;
        }
        Ok(())
    }
}
