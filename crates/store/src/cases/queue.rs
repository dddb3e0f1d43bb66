//! The work queue: open cases, the earliest deadline first or in another order, a page at a time.

use husly_domain::cases::deadlines;
use husly_domain::cases::{CaseState, CaseType};
use husly_domain::{CaseId, MunicipalityId, UserId};
use sqlx::Row;
use time::Date;

use super::corrupt;
use crate::error::StoreResult;
use crate::municipalities::parse_id;
use crate::{Backend, Store, date_text, parse_date_text};
use crate::{literal, opt_date};

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
    /// Empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
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

/// The order of the work queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueSort {
    /// The earliest deadline first (the default: what must be done next).
    #[default]
    Deadline,
    /// The application received first, first.
    Oldest,
    /// The application received last, first.
    Newest,
    /// By case reference (year and number).
    Reference,
}

impl QueueSort {
    /// The codes the pages and the API accept, in the order the pages list them.
    pub const CODES: [&'static str; 4] = ["deadline", "oldest", "newest", "reference"];

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "deadline" => Self::Deadline,
            "oldest" => Self::Oldest,
            "newest" => Self::Newest,
            "reference" => Self::Reference,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Deadline => "deadline",
            Self::Oldest => "oldest",
            Self::Newest => "newest",
            Self::Reference => "reference",
        }
    }

    /// The SQL order over `application_case c`; each one an index's order, so a page is a walk.
    fn order_by(self) -> &'static str {
        match self {
            Self::Deadline => "c.due_order, c.id",
            Self::Oldest => "c.received_on, c.id",
            Self::Newest => "c.received_on DESC, c.id DESC",
            Self::Reference => "c.reference, c.id",
        }
    }

    /// The same order backwards: the walk from a case towards the start of the queue.
    fn reverse_order_by(self) -> &'static str {
        match self {
            Self::Deadline => "c.due_order DESC, c.id DESC",
            Self::Oldest => "c.received_on DESC, c.id DESC",
            Self::Newest => "c.received_on, c.id",
            Self::Reference => "c.reference DESC, c.id DESC",
        }
    }

    /// The order's key as a row value over `application_case c`, its last column the case's id.
    fn key_columns(self) -> &'static str {
        match self {
            Self::Deadline => "(c.due_order, c.id)",
            Self::Oldest | Self::Newest => "(c.received_on, c.id)",
            Self::Reference => "(c.reference, c.id)",
        }
    }

    /// The comparison that selects the cases after a key in this order.
    fn after(self) -> &'static str {
        match self {
            Self::Newest => "<",
            Self::Deadline | Self::Oldest | Self::Reference => ">",
        }
    }

    /// The comparison that selects the cases before a key in this order.
    fn before(self) -> &'static str {
        match self {
            Self::Newest => ">",
            Self::Deadline | Self::Oldest | Self::Reference => "<",
        }
    }
}

/// Where a page of the queue starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFrom {
    /// After skipping this many cases (the API's `offset`; 0 is the start).
    Offset(i64),
    /// Just after a case the reader was shown: the next page.
    After(QueueCursor),
    /// Just before a case the reader was shown: the page before, still in the queue's order.
    Before(QueueCursor),
}

/// A case's place in one of the queue's orders: its value of the order's key, and its id.
///
/// A page that starts from a place rather than an offset reads from the index as if it were the
/// first (however deep in the queue), and does not skip or repeat a case when cases before it
/// leave the queue or join it between two pages. In links it is written `key_id`
/// ([`QueueCursor::text`]): the key a date or a case reference, the id a UUID, which holds no
/// underscore, so the last one divides the two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    key: String,
    id: CaseId,
}

impl QueueCursor {
    /// The place of `row` in `sort`'s order.
    pub fn of(row: &QueueRow, sort: QueueSort) -> Self {
        let key = match sort {
            QueueSort::Deadline => super::due_order(row.next_due),
            QueueSort::Oldest | QueueSort::Newest => date_text(row.received_on),
            QueueSort::Reference => row.reference.clone(),
        };
        QueueCursor { key, id: row.id }
    }

    /// A place as a link writes it, read back for `sort`; `None` when it cannot be one (a key
    /// that is no date where the order's key is a date, an id that is no UUID).
    pub fn parse(text: &str, sort: QueueSort) -> Option<Self> {
        let (key, id) = text.rsplit_once('_')?;
        let id = CaseId(uuid::Uuid::parse_str(id).ok()?);
        let key = match sort {
            QueueSort::Deadline | QueueSort::Oldest | QueueSort::Newest => date_text(parse_date_text(key).ok()?),
            QueueSort::Reference => {
                let fits = (1..=MAX_REFERENCE_CHARS).contains(&key.chars().count());
                (fits && !key.chars().any(char::is_control)).then(|| key.to_string())?
            }
        };
        Some(QueueCursor { key, id })
    }

    /// The place as links write it.
    pub fn text(&self) -> String {
        format!("{}_{}", self.key, self.id)
    }
}

/// The longest case reference a place may hold (the references are a year and a number).
const MAX_REFERENCE_CHARS: usize = 40;

/// How many cases each filter of the queue holds (with the same case type filter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub mine: i64,
    pub unassigned: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub to_approve: i64,
    pub open: i64,
}

impl QueueCounts {
    /// Sets the count of `filter`.
    pub fn set(&mut self, filter: QueueFilter, n: i64) {
        match filter {
            QueueFilter::Mine(_) => self.mine = n,
            QueueFilter::Unassigned => self.unassigned = n,
            QueueFilter::DueSoon(_) => self.due_soon = n,
            QueueFilter::Overdue(_) => self.overdue = n,
            QueueFilter::AwaitingApproval => self.to_approve = n,
            QueueFilter::Open => self.open = n,
        }
    }

    /// The count of the filter with this code ([`QueueFilter::CODES`]).
    pub fn of(&self, code: &str) -> i64 {
        match code {
            "mine" => self.mine,
            "unassigned" => self.unassigned,
            "due_soon" => self.due_soon,
            "overdue" => self.overdue,
            "to_approve" => self.to_approve,
            _ => self.open,
        }
    }
}

/// A queue row's columns over the case `c` and [`QUEUE_ROW_JOINS`].
const QUEUE_ROW_COLUMNS: &str = "c.id, c.reference, c.case_type, c.state, c.received_on, c.next_due, \
    u.display_name AS assigned_name, d.address_line, d.given_name, d.family_name, d.address_protected";

/// What the queue shows of the case `c`'s household (its main applicant, its address and
/// whether it is protected: one row each, schema 49) and its caseworker. Read from the
/// household, membership, person and protection tables, a row of the queue cost about eight
/// pages scattered over the file where this costs one.
const QUEUE_ROW_JOINS: &str = "JOIN household_display d ON d.household_id = c.household_id \
        AND d.municipality_id = c.municipality_id \
    LEFT JOIN app_user u ON u.id = c.assigned_to";

/// The states a case is no longer in the queue in. The indexes of open cases (schema 45) state
/// this condition word for word: SQLite walks a partial index only for a query that does.
const OPEN: &str =
    "c.state NOT IN ('expired', 'withdrawn', 'closed', 'refused', 'granted', 'forwarded_to_appeal_body')";

/// Counts stop here: a tab says "1000+" rather than have every queue view count every open case
/// of the municipality (15 ms at 45 000 open cases on SQLite; a capped count is well under 1 ms).
pub const QUEUE_COUNT_CAP: i64 = 1000;

/// The cases a filter selects in the municipality, as SQL over `application_case c` with its
/// values written in.
///
/// Written in, not bound: the bundled SQLite keeps value samples for this table (its plans
/// depend on how common a state or an assignee is), and with them it compiles a statement again
/// at every execution whose bound values the plan was made for (`sqlite3Reprepare`, 15 % of a
/// queue view's CPU). With the values in the text, a statement is compiled once for its values
/// and kept in the connection's statement cache. Every value is the store's own typed value (an
/// id, a date, a code of the domain's lists), never the user's text, and is quoted as a literal.
fn selection(municipality: MunicipalityId, filter: QueueFilter, case_type: Option<CaseType>) -> String {
    let m = literal(&municipality.to_string());
    let condition = match filter {
        QueueFilter::Open => OPEN.to_string(),
        QueueFilter::Mine(user) => format!("{OPEN} AND c.assigned_to = {}", literal(&user.to_string())),
        QueueFilter::Unassigned => format!("{OPEN} AND c.assigned_to IS NULL"),
        QueueFilter::DueSoon(today) => format!(
            "c.due_order >= {} AND c.due_order <= {}",
            literal(&date_text(today)),
            literal(&date_text(today + time::Duration::days(deadlines::DUE_SOON_DAYS)))
        ),
        QueueFilter::Overdue(today) => format!("c.due_order < {}", literal(&date_text(today))),
        QueueFilter::AwaitingApproval => "c.state = 'decision_proposed'".to_string(),
    };
    match case_type {
        Some(t) => format!(
            "c.municipality_id = {m} AND {condition} AND c.case_type = {}",
            literal(t.code())
        ),
        None => format!("c.municipality_id = {m} AND {condition}"),
    }
}

/// The ids of a page of the queue: a walk of an index in `sort`'s order from the offset `$1`, or
/// from the place `($1, $2)` (its key and id), forwards or, for the page before it, backwards.
///
/// The place is bound, not written in: each is another value, and as text every page would be
/// a statement of its own to compile and to crowd the connection's statement cache with.
fn page_sql(
    backend: Backend,
    municipality: MunicipalityId,
    filter: QueueFilter,
    case_type: Option<CaseType>,
    sort: QueueSort,
    limit: i64,
    from: &QueueFrom,
) -> String {
    let cases = cases_through(backend, open_index(filter, case_type, sort));
    let selection = selection(municipality, filter, case_type);
    let limit = crate::limit(limit);
    let key = sort.key_columns();
    match from {
        QueueFrom::Offset(_) => {
            format!(
                "SELECT c.id FROM {cases} WHERE {selection} ORDER BY {} {limit} OFFSET $1",
                sort.order_by()
            )
        }
        QueueFrom::After(_) => format!(
            "SELECT c.id FROM {cases} WHERE {selection} AND {key} {} {} ORDER BY {} {limit}",
            sort.after(),
            place(backend),
            sort.order_by()
        ),
        QueueFrom::Before(_) => format!(
            "SELECT c.id FROM {cases} WHERE {selection} AND {key} {} {} ORDER BY {} {limit}",
            sort.before(),
            place(backend),
            sort.reverse_order_by()
        ),
    }
}

/// How many cases each of `filters` selects, each counted no further than [`QUEUE_COUNT_CAP`], in
/// one statement. A count has no order, so every filter of open cases counts through an index of
/// open cases: the others would walk a caseworker's or a case type's closed cases too. A
/// caseworker's own and the unassigned are counted by assignee: through the index of all open
/// cases, a caseworker with fewer than the cap would have every open case of the municipality read.
fn count_sql(
    backend: Backend,
    municipality: MunicipalityId,
    filters: &[QueueFilter],
    case_type: Option<CaseType>,
) -> String {
    let columns: Vec<String> = filters
        .iter()
        .enumerate()
        .map(|(i, &filter)| {
            let index = match filter {
                QueueFilter::Open => Some("application_case_open_due"),
                QueueFilter::Mine(_) | QueueFilter::Unassigned => Some(OPEN_BY_ASSIGNEE),
                _ => None,
            };
            format!(
                "(SELECT COUNT(*) FROM (SELECT 1 AS one FROM {} WHERE {} LIMIT {QUEUE_COUNT_CAP}) capped) AS n_{i}",
                cases_through(backend, index),
                selection(municipality, filter, case_type)
            )
        })
        .collect();
    format!("SELECT {}", columns.join(", "))
}

/// The case table as `c`, on SQLite read through `index` when one is given.
///
/// SQLite is told the index (`INDEXED BY` fails the statement if the index cannot serve it, so a
/// condition that drifted from the index's shows at once): without statistics, as in a new
/// municipality's database, it took the index of every case. PostgreSQL picks the smaller index
/// by itself.
fn cases_through(backend: Backend, index: Option<&str>) -> String {
    match (backend, index) {
        (Backend::Sqlite, Some(index)) => format!("application_case c INDEXED BY {index}"),
        _ => "application_case c".to_string(),
    }
}

/// A place's key and id in [`page_sql`], as the row value its order's key is compared with.
///
/// On SQLite each behind a unary plus, which changes nothing of the value: SQLite plans a bare
/// bound value against the index's samples, and then compiles the statement again for each
/// new value bound to it (`sqlite3Reprepare`: 11 % of a queue view's instructions). It does not
/// look into an expression, so the plan is made once; the row value still bounds the index's
/// range (a cast would too, but its affinity would leave the id out of the range).
fn place(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "(+$1, +$2)",
        Backend::Postgres => "($1, $2)",
    }
}

/// [`page_sql`]'s `$1` (and `$2`): where the page starts.
fn page_arguments(from: &QueueFrom) -> sqlx::Result<sqlx::any::AnyArguments> {
    use sqlx::Arguments;
    let mut arguments = sqlx::any::AnyArguments::default();
    let added = match from {
        QueueFrom::Offset(offset) => arguments.add(*offset),
        QueueFrom::After(place) | QueueFrom::Before(place) => arguments
            .add(place.key.clone())
            .and_then(|()| arguments.add(place.id.to_string())),
    };
    added.map_err(sqlx::Error::Encode)?;
    Ok(arguments)
}

/// The index of open cases only (schemas 45 and 46) that a page walks, so that it costs as much
/// however many closed cases the municipality has: a caseworker's own and the unassigned in the
/// deadline order by assignee, so a page reads that caseworker's cases only; none where another
/// index reaches the page's cases more directly: one case type's in the deadline order (the
/// closed ones have no deadline and sort last there), and the filters whose condition already
/// selects open cases (due soon, overdue, awaiting approval).
fn open_index(filter: QueueFilter, case_type: Option<CaseType>, sort: QueueSort) -> Option<&'static str> {
    match (filter, case_type, sort) {
        (QueueFilter::DueSoon(_) | QueueFilter::Overdue(_) | QueueFilter::AwaitingApproval, _, _) => None,
        (QueueFilter::Mine(_) | QueueFilter::Unassigned, _, QueueSort::Deadline) => Some(OPEN_BY_ASSIGNEE),
        (_, Some(_), QueueSort::Deadline) => None,
        (_, _, QueueSort::Deadline) => Some("application_case_open_due"),
        (_, _, QueueSort::Oldest | QueueSort::Newest) => Some("application_case_open_received"),
        (_, _, QueueSort::Reference) => Some("application_case_open_reference"),
    }
}

/// The open cases by assignee, the unassigned as its null (schema 46).
const OPEN_BY_ASSIGNEE: &str = "application_case_open_assigned";

impl Store {
    /// The work queue: open cases in `sort`'s order, of one case type or all, at most `limit`
    /// of them from `from`, in the queue's order (a page before a place too).
    pub async fn queue(
        &self,
        municipality: MunicipalityId,
        filter: QueueFilter,
        case_type: Option<CaseType>,
        sort: QueueSort,
        limit: i64,
        from: &QueueFrom,
    ) -> StoreResult<Vec<QueueRow>> {
        // First the page of case ids, walking an index in the queue's order (no joins, no sort);
        // then the names and addresses for those few rows only.
        let order = sort.order_by();
        let page = page_sql(self.backend(), municipality, filter, case_type, sort, limit, from);
        let mut conn = self.conn().await?;
        if self.backend() == Backend::Sqlite {
            // One statement, the page as a subquery: a statement more is a hand-off more to the
            // connection's thread (measured: 8 % fewer views a second as two).
            let sql = format!(
                "SELECT {QUEUE_ROW_COLUMNS} FROM ({page}) page JOIN application_case c ON c.id = page.id \
                 {QUEUE_ROW_JOINS} ORDER BY {order}"
            );
            return Ok(sqlx::query_as_with(sqlx::AssertSqlSafe(sql), page_arguments(from)?)
                .fetch_all(&mut *conn)
                .await?);
        }
        // On PostgreSQL the rows in a statement of their own: with the page as a subquery it
        // planned the whole join again at every view (a custom plan for each offset, 1.4 ms),
        // where alone the page's walk is quick to plan and the rows' join keeps one plan.
        let ids: Vec<String> = sqlx::query_scalar_with(sqlx::AssertSqlSafe(page), page_arguments(from)?)
            .fetch_all(&mut *conn)
            .await?;
        let Some(first) = ids.first() else {
            return Ok(Vec::new());
        };
        // As many places as a full page has rows, a short page's filled with its first id again
        // (which selects nothing more): one statement for every page of a size.
        let places = usize::try_from(limit).unwrap_or(0).max(ids.len());
        let sql = format!(
            "SELECT {QUEUE_ROW_COLUMNS} FROM application_case c {QUEUE_ROW_JOINS} \
             WHERE c.municipality_id = {} AND c.id IN ({}) ORDER BY {order}",
            literal(&municipality.to_string()),
            (1..=places).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for n in 0..places {
            query = query.bind(ids.get(n).unwrap_or(first).clone());
        }
        Ok(query.fetch_all(&mut *conn).await?)
    }

    /// How many cases each of `filters` selects, in their order, each counted no further than
    /// [`QUEUE_COUNT_CAP`]. One statement with a capped count per filter: each statement on
    /// SQLite is a hand-off to the connection's thread, so six cost more than one.
    pub async fn count_queue(
        &self,
        municipality: MunicipalityId,
        filters: &[QueueFilter],
        case_type: Option<CaseType>,
    ) -> StoreResult<Vec<i64>> {
        if filters.is_empty() {
            return Ok(Vec::new());
        }
        let sql = count_sql(self.backend(), municipality, filters, case_type);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *self.conn().await?)
            .await?;
        (0..filters.len())
            .map(|i| Ok(row.try_get::<i64, _>(format!("n_{i}").as_str())?))
            .collect()
    }
}

/// One caseworker's share of the open cases (or, without a user, the cases nobody has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadRow {
    pub user: Option<UserId>,
    pub name: Option<String>,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    /// Proposed decisions waiting for a second person.
    pub to_approve: i64,
}

impl Store {
    /// How the municipality's open cases are shared among caseworkers on `today`: one row per
    /// caseworker with cases, and one for the unassigned, by name. Reads every open case once: a
    /// page a team lead opens now and then, not the queue.
    pub async fn workload(&self, municipality: MunicipalityId, today: Date) -> StoreResult<Vec<WorkloadRow>> {
        let sql = format!(
            "SELECT c.assigned_to, u.display_name, COUNT(*) AS open, \
             CAST(COALESCE(SUM(CASE WHEN c.due_order < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, \
             CAST(COALESCE(SUM(CASE WHEN c.due_order >= $2 AND c.due_order <= $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS due_soon, \
             CAST(COALESCE(SUM(CASE WHEN c.state = 'decision_proposed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS to_approve \
             FROM application_case c LEFT JOIN app_user u ON u.id = c.assigned_to \
             WHERE c.municipality_id = $1 AND {OPEN} \
             GROUP BY c.assigned_to, u.display_name ORDER BY u.display_name"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(date_text(today))
            .bind(date_text(today + time::Duration::days(deadlines::DUE_SOON_DAYS)))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                let user: Option<String> = row.try_get("assigned_to")?;
                Ok(WorkloadRow {
                    user: user.map(|u| parse_id(&u).map(UserId)).transpose()?,
                    name: row.try_get("display_name")?,
                    open: row.try_get("open")?,
                    overdue: row.try_get("overdue")?,
                    due_soon: row.try_get("due_soon")?,
                    to_approve: row.try_get("to_approve")?,
                })
            })
            .collect()
    }
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for QueueRow {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<QueueRow> {
        let case_type: String = row.try_get("case_type")?;
        let state: String = row.try_get("state")?;
        let given: Option<String> = row.try_get("given_name")?;
        let family: Option<String> = row.try_get("family_name")?;
        let mut address_line: String = row.try_get("address_line")?;
        let address_protected = crate::protection::masked(row, &mut [&mut address_line])?;
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
            address_line,
            address_protected,
        })
    }
}

impl Store {
    /// Approvals on the waiting list whose validity ran out before `today`, in every
    /// municipality, the longest lapsed first (at most `limit`): the daily expiry job's work.
    pub async fn lapsed_approvals(&self, today: Date, limit: i64) -> StoreResult<Vec<(MunicipalityId, CaseId, i64)>> {
        let rows = sqlx::query(
            "SELECT municipality_id, id, version FROM application_case \
             WHERE state = 'on_waiting_list' AND valid_until IS NOT NULL AND valid_until < $1 \
             ORDER BY valid_until, id LIMIT $2",
        )
        .bind(date_text(today))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    MunicipalityId(parse_id(&row.try_get::<String, _>("municipality_id")?)?),
                    CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
                    row.try_get("version")?,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_in_value_is_one_quoted_literal() {
        assert_eq!(literal("2026-12-05"), "'2026-12-05'");
        assert_eq!(literal("o'neill'; --"), "'o''neill''; --'");
    }

    #[test]
    fn a_filter_names_the_municipality_and_writes_its_values_in() {
        let m = MunicipalityId(uuid::Uuid::nil());
        let user = UserId(uuid::Uuid::max());
        let today = time::macros::date!(2026 - 12 - 05);
        let mine = selection(m, QueueFilter::Mine(user), Some(CaseType::MunicipalHousing));
        assert!(mine.starts_with("c.municipality_id = '00000000-0000-0000-0000-000000000000' AND "));
        assert!(
            mine.contains("c.assigned_to = 'ffffffff-ffff-ffff-ffff-ffffffffffff'"),
            "{mine}"
        );
        assert!(mine.ends_with(&format!("c.case_type = '{}'", CaseType::MunicipalHousing.code())));
        let soon = selection(m, QueueFilter::DueSoon(today), None);
        assert!(
            soon.ends_with("c.due_order >= '2026-12-05' AND c.due_order <= '2026-12-12'"),
            "{soon}"
        );
    }

    #[test]
    fn a_place_reads_back_as_written_and_nothing_else_is_one() {
        let id = CaseId(uuid::Uuid::parse_str("0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b").expect("a uuid"));
        let row = QueueRow {
            id,
            reference: "2026-000042".into(),
            case_type: CaseType::MunicipalHousing,
            state: CaseState::Received,
            received_on: time::macros::date!(2026 - 11 - 30),
            next_due: None,
            assigned_name: None,
            applicant: String::new(),
            address_line: String::new(),
            address_protected: false,
        };
        for (sort, text) in [
            (QueueSort::Deadline, format!("9999-12-31_{}", id.0)),
            (QueueSort::Oldest, format!("2026-11-30_{}", id.0)),
            (QueueSort::Newest, format!("2026-11-30_{}", id.0)),
            (QueueSort::Reference, format!("2026-000042_{}", id.0)),
        ] {
            let place = QueueCursor::of(&row, sort);
            assert_eq!(place.text(), text, "{sort:?}");
            assert_eq!(QueueCursor::parse(&text, sort), Some(place), "{sort:?}");
        }
        let with_deadline = QueueRow {
            next_due: Some(time::macros::date!(2027 - 01 - 04)),
            ..row
        };
        assert_eq!(
            QueueCursor::of(&with_deadline, QueueSort::Deadline).text(),
            format!("2027-01-04_{}", id.0)
        );
        let id = id.0;
        for (sort, text) in [
            (QueueSort::Deadline, String::new()),
            (QueueSort::Deadline, "2026-11-30".to_string()),
            (QueueSort::Deadline, format!("2026-11-31_{id}")),
            (QueueSort::Oldest, format!("2026-000042_{id}")),
            (QueueSort::Deadline, "2026-11-30_not-a-case".to_string()),
            (QueueSort::Reference, format!("_{id}")),
            (QueueSort::Reference, format!("2026\n1_{id}")),
            (QueueSort::Reference, format!("{}_{id}", "9".repeat(41))),
        ] {
            assert_eq!(QueueCursor::parse(&text, sort), None, "{sort:?} {text:?}");
        }
        // A reference may hold the separator itself: the id is what follows the last one.
        let odd = format!("2026_7_{id}");
        assert_eq!(
            QueueCursor::parse(&odd, QueueSort::Reference).map(|p| p.text()),
            Some(odd)
        );
    }

    #[test]
    fn the_indexes_of_open_cases_hold_the_queues_open_cases() {
        let condition = format!("WHERE {}", OPEN.trim_start_matches("c."));
        let by_order = include_str!("../../migrations/0045_open_case_indexes.sql");
        assert_eq!(by_order.matches(&condition).count(), 3, "{condition}");
        let by_assignee = include_str!("../../migrations/0046_open_assigned_index.sql");
        assert_eq!(by_assignee.matches(&condition).count(), 1, "{condition}");
    }

    #[tokio::test]
    async fn a_page_walks_its_index_without_sorting_and_open_cases_an_index_of_open_cases_only() {
        let m = MunicipalityId(uuid::Uuid::nil());
        let user = UserId(uuid::Uuid::max());
        let today = time::macros::date!(2026 - 12 - 06);
        let sorts = [
            QueueSort::Deadline,
            QueueSort::Oldest,
            QueueSort::Newest,
            QueueSort::Reference,
        ];
        let filters = QueueFilter::CODES.map(|code| QueueFilter::from_code(code, user, today).expect("a filter"));
        let (place_key, place_id) = ("2026-12-01".to_string(), uuid::Uuid::max().to_string());
        let place = QueueCursor::parse(&format!("{place_key}_{place_id}"), QueueSort::Deadline).expect("a place");
        for db in crate::testing::TestDb::all().await.expect("test databases") {
            for (sort, filter, case_type) in sorts
                .into_iter()
                .flat_map(|sort| filters.map(|filter| (sort, filter)))
                .flat_map(|(sort, filter)| [None, Some(CaseType::Startlan)].map(|t| (sort, filter, t)))
            {
                for (from, sql) in [
                    // The offset written in: PostgreSQL takes no text for it.
                    (QueueFrom::Offset(100), None),
                    (QueueFrom::After(place.clone()), Some(&place)),
                    (QueueFrom::Before(place.clone()), Some(&place)),
                ]
                .map(|(from, bound)| {
                    let sql = page_sql(db.backend(), m, filter, case_type, sort, 50, &from);
                    (from, if bound.is_some() { sql } else { sql.replace("$1", "100") })
                }) {
                    let binds: Vec<&str> = match &from {
                        QueueFrom::Offset(_) => vec![],
                        QueueFrom::After(_) | QueueFrom::Before(_) => vec![place_key.as_str(), place_id.as_str()],
                    };
                    let plan = crate::testing::query_plan(&db.store, &sql, &binds)
                        .await
                        .expect("the plan");
                    let case = format!(
                        "{:?}, {filter:?}, {sort:?}, {case_type:?}, {from:?}: {plan:#?}",
                        db.backend()
                    );
                    if let (Backend::Sqlite, Some(index)) = (db.backend(), open_index(filter, case_type, sort)) {
                        assert!(plan.iter().any(|step| step.contains(index)), "{case}");
                    }
                    // From a place, the walk starts at the place: the key is a bound of the index's
                    // range, not a condition checked on every case from the start.
                    if !matches!(from, QueueFrom::Offset(_)) {
                        let from_the_place = match db.backend() {
                            Backend::Sqlite => open_index(filter, case_type, sort).is_none_or(|_| {
                                plan.iter()
                                    .any(|s| s.contains(",id)>(?,?)") || s.contains(",id)<(?,?)"))
                            }),
                            Backend::Postgres => {
                                filter != QueueFilter::Open
                                    || case_type.is_some()
                                    || plan.iter().any(|s| s.contains("Index Cond") && s.contains("ROW("))
                            }
                        };
                        assert!(from_the_place, "{case}");
                    }
                    let (due_soon_or_overdue, sorted_by_deadline) = (
                        matches!(filter, QueueFilter::DueSoon(_) | QueueFilter::Overdue(_)),
                        sort == QueueSort::Deadline,
                    );
                    // Due soon and overdue are ranges of deadlines: sorted when ordered otherwise.
                    if !due_soon_or_overdue || sorted_by_deadline {
                        let sorts = plan
                            .iter()
                            .any(|s| s.contains("TEMP B-TREE") || s.trim_start().starts_with("Sort"));
                        assert!(!sorts, "{case}");
                    }
                    let whole = crate::testing::full_scans(&db.store, &sql, &binds)
                        .await
                        .expect("the plan");
                    assert!(whole.is_empty(), "{case}");
                }
            }
        }
    }

    #[tokio::test]
    async fn the_counts_of_open_cases_read_the_index_of_open_cases() {
        let m = MunicipalityId(uuid::Uuid::nil());
        let today = time::macros::date!(2026 - 12 - 06);
        let user = UserId(uuid::Uuid::max());
        let filters = QueueFilter::CODES.map(|code| QueueFilter::from_code(code, user, today).expect("a filter"));
        for db in crate::testing::TestDb::all().await.expect("test databases") {
            for case_type in [None, Some(CaseType::Startlan)] {
                let sql = count_sql(db.backend(), m, &filters, case_type);
                let plan = crate::testing::query_plan(&db.store, &sql, &[])
                    .await
                    .expect("the plan");
                let case = format!("{:?}, {case_type:?}: {plan:#?}", db.backend());
                if db.backend() == Backend::Sqlite {
                    let through = |index: &str| plan.iter().filter(|s| s.contains(index)).count();
                    assert_eq!(through("application_case_open_due "), 1, "{case}");
                    assert_eq!(through(OPEN_BY_ASSIGNEE), 2, "{case}");
                }
                let whole = crate::testing::full_scans(&db.store, &sql, &[])
                    .await
                    .expect("the plan");
                assert!(whole.is_empty(), "{case}");
            }
        }
    }
}
