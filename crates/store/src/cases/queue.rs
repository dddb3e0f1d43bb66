//! The work queue: open cases with the earliest deadline first, a page at a time.

use husly_domain::cases::deadlines;
use husly_domain::cases::{CaseState, CaseType};
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use super::corrupt;
use crate::error::StoreResult;
use crate::municipalities::parse_id;
use crate::opt_date;
use crate::{Store, date_text, parse_date_text};

/// A row of the work queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub id: CaseId,
    pub reference: String,
    pub case_type: CaseType,
    pub state: CaseState,
    pub received_on: Date,
    pub next_due: Option<Date>,
    pub assigned_name: Option<String>,
    pub applicant: String,
    pub address_line: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueFilter {
    /// Every open case.
    Open,
    Mine(UserId),
    Unassigned,
    /// Open cases with a deadline within a week of `today`.
    DueSoon(Date),
    Overdue(Date),
    /// Proposed decisions waiting for a second person to approve them (four eyes).
    AwaitingApproval,
}

impl QueueFilter {
    /// The codes the pages and the API accept, in the order the pages list them.
    pub const CODES: [&'static str; 6] = ["mine", "unassigned", "due_soon", "overdue", "to_approve", "open"];

    /// The filter a code names, for `user` on `today`; `None` for an unknown code.
    pub fn from_code(code: &str, user: UserId, today: Date) -> Option<Self> {
        Some(match code {
            "mine" => Self::Mine(user),
            "unassigned" => Self::Unassigned,
            "due_soon" => Self::DueSoon(today),
            "overdue" => Self::Overdue(today),
            "to_approve" => Self::AwaitingApproval,
            "open" => Self::Open,
            _ => return None,
        })
    }
}

impl Store {
    /// The work queue: open cases with the earliest deadline first.
    pub async fn queue(
        &self,
        municipality: MunicipalityId,
        filter: QueueFilter,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        // First the page of case ids, walking an index in the queue's order (no joins, no sort);
        // then the names and addresses for those few rows only.
        let open =
            "c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')";
        let (condition, param): (String, Option<String>) = match filter {
            QueueFilter::Open => (open.to_string(), None),
            QueueFilter::Mine(user) => (format!("{open} AND c.assigned_to = $4"), Some(user.to_string())),
            QueueFilter::Unassigned => (format!("{open} AND c.assigned_to IS NULL"), None),
            QueueFilter::DueSoon(today) => (
                "c.due_order >= $4 AND c.due_order <= $5".to_string(),
                Some(date_text(today)),
            ),
            QueueFilter::Overdue(today) => ("c.due_order < $4".to_string(), Some(date_text(today))),
            QueueFilter::AwaitingApproval => ("c.state = 'decision_proposed'".to_string(), None),
        };
        let sql = format!(
            "SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, u.display_name AS assigned_name, \
             h.address_line, p.given_name, p.family_name \
             FROM (SELECT c.id FROM application_case c WHERE c.municipality_id = $1 AND {condition} \
                   ORDER BY c.due_order, c.id LIMIT $2 OFFSET $3) page \
             JOIN application_case c ON c.id = page.id \
             JOIN household h ON h.id = c.household_id \
             LEFT JOIN household_member m ON m.municipality_id = c.municipality_id AND m.household_id = c.household_id \
                 AND m.relation = 'main_applicant' \
             LEFT JOIN person p ON p.id = m.person_id \
             LEFT JOIN app_user u ON u.id = c.assigned_to \
             ORDER BY c.due_order, c.id"
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(limit)
            .bind(offset);
        if let Some(param) = &param {
            query = query.bind(param.clone());
        }
        if let QueueFilter::DueSoon(today) = filter {
            query = query.bind(date_text(today + time::Duration::days(deadlines::DUE_SOON_DAYS)));
        }
        Ok(query.fetch_all(self.pool()).await?)
    }
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for QueueRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<QueueRow> {
        let case_type: String = row.try_get("case_type")?;
        let state: String = row.try_get("state")?;
        let given: Option<String> = row.try_get("given_name")?;
        let family: Option<String> = row.try_get("family_name")?;
        Ok(QueueRow {
            id: CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
            reference: row.try_get("reference")?,
            case_type: CaseType::from_code(&case_type).ok_or_else(|| corrupt("case type", &case_type))?,
            state: CaseState::from_code(&state).ok_or_else(|| corrupt("state", &state))?,
            received_on: parse_date_text(&row.try_get::<String, _>("received_on")?)?,
            next_due: opt_date(row, "next_due")?,
            assigned_name: row.try_get("assigned_name")?,
            applicant: format!("{} {}", given.unwrap_or_default(), family.unwrap_or_default())
                .trim()
                .to_string(),
            address_line: row.try_get("address_line")?,
        })
    }
}
