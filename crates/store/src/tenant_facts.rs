//! The facts the indicators of today count over the running rental contracts
//! (`husly_domain::indicators::tenants`): each contract's term end, whether its present period's
//! renewal review is decided, and whether the household has an active follow-up plan. No names;
//! the rent arrears are read from the ledger by the caller, and the counting is the domain's.

use futures_util::TryStreamExt;
use husly_domain::indicators::TenantFact;
use husly_domain::{HouseholdId, MunicipalityId};
use sqlx::Row;

use crate::error::StoreResult;
use crate::municipalities::parse_id;
use crate::{Store, date_text, flag_of, parse_date_text};

impl Store {
    /// The municipality's contracts running on `today` (begun, and not ended by then), each with
    /// its household; `arrears_over_threshold` is left false for the caller to set. A contract
    /// with an end registered ahead has no term end here: what comes after it is decided.
    /// Whether the renewal is decided is looked up only for a term ending by `decided_by` (the
    /// farthest any figure looks ahead), which spares the lookup for most contracts.
    pub async fn running_tenant_facts(
        &self,
        municipality: MunicipalityId,
        today: time::Date,
        decided_by: time::Date,
    ) -> StoreResult<Vec<(HouseholdId, TenantFact)>> {
        let query = sqlx::query(
            "SELECT t.household_id, CASE WHEN t.ended_on IS NULL THEN t.term_end END AS term_end, \
             CASE WHEN t.term_end <= $3 AND EXISTS (SELECT 1 FROM application_case c \
              WHERE c.municipality_id = t.municipality_id AND c.decided_on IS NOT NULL AND c.id = \
              (SELECT p.review_case_id FROM tenancy_period p WHERE p.tenancy_id = t.id ORDER BY p.seq DESC LIMIT 1)) \
             THEN 1 ELSE 0 END AS renewal_decided, \
             CASE WHEN EXISTS (SELECT 1 FROM follow_up_plan f WHERE f.household_id = t.household_id \
              AND f.state = 'active' AND f.municipality_id = t.municipality_id) THEN 1 ELSE 0 END AS follow_up_plan \
             FROM tenancy t WHERE t.municipality_id = $1 AND t.from_date <= $2 \
             AND (t.ended_on IS NULL OR t.ended_on > $2)",
        )
        .bind(municipality.to_string())
        .bind(date_text(today))
        .bind(date_text(decided_by));
        // Each row becomes its fact as it arrives (a municipality of 1 000 000 households has
        // some 450 000 running contracts; a driver's row is many times a fact's size).
        let mut conn = self.conn().await?;
        let mut rows = query.fetch(&mut *conn);
        let mut facts = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let term_end: Option<String> = row.try_get("term_end")?;
            facts.push((
                HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                TenantFact {
                    term_end: term_end.as_deref().map(parse_date_text).transpose()?,
                    renewal_decided: flag_of(&row, "renewal_decided")?,
                    arrears_over_threshold: false,
                    follow_up_plan: flag_of(&row, "follow_up_plan")?,
                },
            ));
        }
        Ok(facts)
    }
}
