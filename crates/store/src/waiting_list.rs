//! The waiting list as allocation reads it: every case of the municipality on the waiting list,
//! with the application's answers, the KOSTRA main reason, the dates that order it, and the
//! household's members (relation and birth date). The list is the cases themselves; nothing is
//! copied.

use husly_domain::cases::ApplicationForm;
use husly_domain::household::Relation;
use husly_domain::kostra::KostraCategory;
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use sqlx::Row;
use std::collections::HashMap;
use time::Date;

use crate::error::{StoreError, StoreResult};
use crate::municipalities::parse_id;
use crate::{Store, opt_date, parse_date_text};

/// One case on the waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingCase {
    pub case: CaseId,
    pub reference: String,
    pub household: HouseholdId,
    pub applicant_name: String,
    pub form: ApplicationForm,
    pub kostra: Option<KostraCategory>,
    pub received_on: Date,
    /// The day the approval was decided (the waiting time counts from it).
    pub approved_on: Date,
    /// The household's members (relation, birth date), main applicant first.
    pub members: Vec<(Relation, Date)>,
}

impl Store {
    /// The municipality's cases on the waiting list, oldest approval first.
    pub async fn waiting_cases(&self, municipality: MunicipalityId) -> StoreResult<Vec<WaitingCase>> {
        let rows = sqlx::query(
            "SELECT c.id, c.reference, c.household_id, c.form, c.kostra_category, c.received_on, c.decided_on, \
             p.given_name, p.family_name FROM application_case c \
             JOIN household_member m ON m.municipality_id = c.municipality_id \
                 AND m.household_id = c.household_id AND m.relation = 'main_applicant' \
             JOIN person p ON p.id = m.person_id \
             WHERE c.municipality_id = $1 AND c.state = 'on_waiting_list' \
             ORDER BY c.decided_on, c.received_on, c.id",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let form: String = row.try_get("form")?;
            let received_on = parse_date_text(&row.try_get::<String, _>("received_on")?)?;
            cases.push(WaitingCase {
                case: CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
                reference: row.try_get("reference")?,
                household: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
                applicant_name: format!(
                    "{} {}",
                    row.try_get::<String, _>("given_name")?,
                    row.try_get::<String, _>("family_name")?
                ),
                form: serde_json::from_str(&form).map_err(|e| StoreError::Corrupt(format!("case form: {e}")))?,
                kostra: row
                    .try_get::<Option<String>, _>("kostra_category")?
                    .map(|code| {
                        KostraCategory::from_code(&code)
                            .ok_or_else(|| StoreError::Corrupt(format!("unknown KOSTRA category `{code}`")))
                    })
                    .transpose()?,
                received_on,
                approved_on: opt_date(row, "decided_on")?.unwrap_or(received_on),
                members: Vec::new(),
            });
        }
        // The members of those households, in one read.
        let members = sqlx::query(
            "SELECT m.household_id, m.relation, p.birth_date FROM household_member m \
             JOIN person p ON p.id = m.person_id \
             WHERE m.municipality_id = $1 AND m.household_id IN (SELECT household_id FROM application_case \
             WHERE municipality_id = $1 AND state = 'on_waiting_list') \
             ORDER BY m.household_id, m.position",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut by_household: HashMap<String, Vec<(Relation, Date)>> = HashMap::new();
        for row in &members {
            let code: String = row.try_get("relation")?;
            let relation =
                Relation::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown relation `{code}`")))?;
            let Some(born) = opt_date(row, "birth_date")? else {
                continue;
            };
            by_household
                .entry(row.try_get("household_id")?)
                .or_default()
                .push((relation, born));
        }
        for case in &mut cases {
            case.members = by_household
                .get(&case.household.to_string())
                .cloned()
                .unwrap_or_default();
        }
        Ok(cases)
    }
}
