//! Cases: reading the work queue and a case, and every command a caseworker or approver gives a
//! case. Reads here; the commands in [`commands`].

pub mod assessment;
mod commands;
pub mod letters;
mod preview;
mod queue_counts;

pub use commands::*;
pub use preview::{DraftDecision, Preview, preview_decision};

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::cases::CaseType;
use husly_domain::eligibility::Assessment;
use husly_domain::startlan::AffordabilityResult;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::cases::{
    Case, Decision, Flag, Letter, QueueCounts, QueueCursor, QueueFilter, QueueFrom, QueueRow, QueueSort, WorkloadRow,
};
use husly_store::documents::{Document, Owner};
use husly_store::households::{Household, TimelineEvent};
use serde_json::json;

/// A case with its household, in the municipality that owns it.
pub struct CaseFile {
    pub municipality: MunicipalityId,
    /// The municipality's kommunenummer: rules and letters are keyed by it.
    pub number: String,
    pub case: Case,
    pub household: Household,
    /// The party's representative acting today, to whom letters go (forvaltningsloven § 12).
    pub representative: Option<husly_domain::representative::Representative>,
    /// For a startlån: the municipality's reference budget (SIFO) in force in the month its
    /// economy is assessed for, if one is entered.
    pub reference_budget: Option<husly_domain::startlan::ReferenceBudget>,
    /// For a renewal review: the contract it is about.
    pub reviewed_contract: Option<husly_store::renewals::ReviewedContract>,
    /// Where letters go while the household's address is protected (never shown on a page).
    pub letter_address: Option<husly_store::protection::StoredAddress>,
}

/// Everything shown of a case: the case page and the API's case.
pub struct CaseOverview {
    pub file: CaseFile,
    pub assessment: Option<Assessment>,
    pub affordability: Option<AffordabilityResult>,
    /// What the application still lacks before it can be granted, by field.
    pub missing: Vec<FieldError>,
    pub decisions: Vec<Decision>,
    pub letters: Vec<Letter>,
    pub flags: Vec<Flag>,
    pub documents: Vec<Document>,
    pub timeline: Vec<TimelineEvent>,
    /// For a grant case: its ledger and the grant's budget line this year.
    pub grant: Option<crate::finance::GrantPosition>,
    /// The journal notes the caller may read, oldest first.
    pub notes: Vec<husly_store::notes::Note>,
    /// The case's tasks, open ones first.
    pub tasks: Vec<husly_store::tasks::Task>,
    /// What the applicant has written from the status page, oldest first.
    pub applicant_messages: Vec<husly_store::applicant_messages::ApplicantMessage>,
    /// The KOSTRA main reason: the suggestion from the applicant's ticks and the caseworker's
    /// classification.
    pub kostra: crate::kostra::KostraView,
}

/// The work queue as a caseworker sees it: a page of cases, how many each filter holds, and the
/// caller's own open tasks.
pub struct WorkQueue {
    pub rows: Vec<QueueRow>,
    pub counts: QueueCounts,
    /// The caller's open tasks, the earliest due first (empty for those who handle no cases).
    pub my_tasks: Vec<husly_store::tasks::Task>,
    /// Where the page before this one ends, as [`QueuePlace::Before`] takes it; `None` on the
    /// first page.
    pub previous: Option<String>,
    /// Where the next page starts, as [`QueuePlace::After`] takes it; `None` on the last page.
    pub next: Option<String>,
}

/// Which page of the work queue: after skipping so many cases, or next to a place a page gave
/// (its [`WorkQueue::next`] or [`WorkQueue::previous`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueuePlace<'a> {
    Offset(i64),
    After(&'a str),
    Before(&'a str),
}

/// The work queue in a municipality, a page of at most `limit` cases at a time; `filter` is one of
/// [`QueueFilter::CODES`], `case_type` a case type's code (all types when `None`), `sort` one of
/// [`QueueSort::CODES`] (the earliest deadline first when `None`). One read, recorded once.
///
/// A page from a place reads as quickly however deep in the queue it lies, and neither skips nor
/// repeats a case when others leave or join the queue between pages. The page before a place
/// that has come to lie within the first page's length of the start is the first page.
pub async fn work_queue(
    ctx: &Ctx,
    municipality: MunicipalityId,
    filter: &str,
    case_type: Option<&str>,
    sort: Option<&str>,
    limit: i64,
    place: QueuePlace<'_>,
) -> UseCaseResult<WorkQueue> {
    ctx.require(Action::ViewCase, municipality)?;
    let Some(parsed) = QueueFilter::from_code(filter, ctx.user.id, ctx.today) else {
        return Err(UseCaseError::Invalid(vec![FieldError::unknown_value(
            "filter",
            filter,
            &QueueFilter::CODES,
        )]));
    };
    let of_type = case_type_of(case_type)?;
    let sort = match sort.map(str::trim) {
        None | Some("") => QueueSort::default(),
        Some(code) => QueueSort::from_code(code)
            .ok_or_else(|| UseCaseError::Invalid(vec![FieldError::unknown_value("sort", code, &QueueSort::CODES)]))?,
    };
    let from = queue_from(place, sort)?;
    // One case more than the page shows, to tell whether there is a page beyond it.
    let mut rows = ctx
        .store
        .queue(municipality, parsed, of_type, sort, limit + 1, &from)
        .await?;
    let more = rows.len() as i64 > limit;
    let (before_first, after_last) = match from {
        // The extra case of a page before a place is the earliest: the first row.
        QueueFrom::Before(_) if more => {
            rows.remove(0);
            (true, true)
        }
        QueueFrom::Before(_) => {
            rows = ctx
                .store
                .queue(municipality, parsed, of_type, sort, limit + 1, &QueueFrom::Offset(0))
                .await?;
            (false, rows.len() as i64 > limit)
        }
        QueueFrom::Offset(offset) => (offset > 0, more),
        QueueFrom::After(_) => (true, more),
    };
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let place_of = |row: Option<&QueueRow>| row.map(|row| QueueCursor::of(row, sort).text());
    let previous = if before_first { place_of(rows.first()) } else { None };
    let next = if after_last { place_of(rows.last()) } else { None };
    let counts = queue_counts::queue_counts(&ctx.store, municipality, ctx.user.id, ctx.today, of_type).await?;
    let my_tasks = match ctx.require(Action::HandleCase, municipality) {
        Ok(()) => {
            ctx.store
                .open_tasks_of(municipality, ctx.user.id, crate::tasks::MY_TASKS)
                .await?
        }
        Err(_) => Vec::new(),
    };
    ctx.audit_read(
        municipality,
        "case.queue",
        ("municipality", municipality.to_string()),
        json!({ "filter": filter, "case_type": case_type, "sort": sort.code(), "rows": rows.len(), "tasks": my_tasks.len() }),
    )
    .await?;
    Ok(WorkQueue {
        rows,
        counts,
        my_tasks,
        previous,
        next,
    })
}

/// Where the store starts a page: a place read for the queue's order, or an error naming the
/// parameter that holds no place of it (a link from another order, or a mistyped one).
fn queue_from(place: QueuePlace<'_>, sort: QueueSort) -> UseCaseResult<QueueFrom> {
    let read = |field: &str, text: &str| {
        QueueCursor::parse(text.trim(), sort)
            .ok_or_else(|| UseCaseError::Invalid(vec![FieldError::new(field, "invalid", "error.queue.place")]))
    };
    Ok(match place {
        QueuePlace::Offset(offset) => QueueFrom::Offset(offset.max(0)),
        QueuePlace::After(text) => QueueFrom::After(read("after", text)?),
        QueuePlace::Before(text) => QueueFrom::Before(read("before", text)?),
    })
}

/// How the municipality's open cases are shared among its caseworkers today: open, overdue, due
/// within a week and awaiting approval per caseworker, and those nobody has. Staff names and
/// figures only, so the read is not recorded.
pub async fn workload(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<WorkloadRow>> {
    ctx.require(Action::ViewCase, municipality)?;
    Ok(ctx.store.workload(municipality, ctx.today).await?)
}

/// A case type filter: its code, or none for every type.
fn case_type_of(code: Option<&str>) -> UseCaseResult<Option<CaseType>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => CaseType::from_code(code).map(Some).ok_or_else(|| {
            let codes: Vec<&str> = CaseType::ALL.iter().map(|t| t.code()).collect();
            UseCaseError::Invalid(vec![FieldError::unknown_value("case_type", code, &codes)])
        }),
    }
}

/// Loads a case and its household for `action`, without recording a read (for commands, whose
/// change is recorded instead).
pub(crate) async fn load(ctx: &Ctx, id: CaseId, action: Action) -> UseCaseResult<CaseFile> {
    let municipality = ctx.case_owner(id, action).await?;
    let number = ctx.municipality_number(municipality)?.to_string();
    let case = ctx.store.case(municipality, id).await?;
    let household = ctx.store.household(municipality, case.household_id).await?;
    let representative = crate::representatives::acting(ctx, municipality, case.household_id).await?;
    let reference_budget = assessment::reference_budget_for(ctx, municipality, &case).await?;
    let reviewed_contract = match case.case_type {
        CaseType::TenancyRenewal => ctx.store.reviewed_contract(municipality, id).await?,
        _ => None,
    };
    let letter_address = match household.protection {
        Some(_) => Some(ctx.store.letter_address(municipality, case.household_id).await?),
        None => None,
    };
    Ok(CaseFile {
        municipality,
        number,
        case,
        household,
        representative,
        reference_budget,
        reviewed_contract,
        letter_address,
    })
}

/// Opens a case to show it: authorised for `action`, and the read recorded.
pub async fn open_case(ctx: &Ctx, id: CaseId, action: Action) -> UseCaseResult<CaseFile> {
    let file = load(ctx, id, action).await?;
    ctx.audit_read(
        file.municipality,
        "case.view",
        ("case", id.to_string()),
        json!({ "household": file.case.household_id.to_string() }),
    )
    .await?;
    Ok(file)
}

/// The case with its assessment, decisions, letters, duplicate flags, documents and timeline.
pub async fn case_overview(ctx: &Ctx, id: CaseId) -> UseCaseResult<CaseOverview> {
    let file = open_case(ctx, id, Action::ViewCase).await?;
    overview_of(ctx, file).await
}

/// [`case_overview`] of a case already opened with [`open_case`].
pub async fn overview_of(ctx: &Ctx, file: CaseFile) -> UseCaseResult<CaseOverview> {
    let (m, case) = (file.municipality, file.case.id);
    let affordability = assessment::affordability_of(&file.case, file.reference_budget.as_ref());
    let assessment = assessment::assessment_with(
        &file.case,
        &file.household,
        &file.number,
        ctx.today,
        affordability.as_ref(),
    );
    let missing = file.case.form.missing_for_submission(file.household.members.len());
    let grant = match file.case.case_type.grant() {
        Some(grant) => Some(crate::finance::grant_position(ctx, m, case, grant).await?),
        None => None,
    };
    // The lists the case has none of are not read (`husly_store::page_lists`).
    let lists = ctx.store.case_lists(m, case).await?;
    let notes = crate::read_if_any(
        lists.notes,
        crate::notes::readable(ctx, m, husly_store::notes::NoteSubject::Case(case)),
    )
    .await?;
    let tasks = crate::read_if_any(lists.tasks, ctx.store.tasks(m, case)).await?;
    let applicant_messages =
        crate::read_if_any(lists.applicant_messages, ctx.store.applicant_messages(m, case)).await?;
    let kostra = crate::kostra::view_of(ctx, &file.case).await?;
    Ok(CaseOverview {
        kostra,
        applicant_messages,
        grant,
        notes,
        tasks,
        decisions: crate::read_if_any(lists.decisions, ctx.store.decisions(m, case)).await?,
        letters: crate::read_if_any(lists.letters, ctx.store.letters(m, case)).await?,
        flags: crate::read_if_any(lists.flags, ctx.store.flags(m, case)).await?,
        documents: crate::read_if_any(lists.documents, ctx.store.documents(m, Owner::Case(case))).await?,
        timeline: ctx.store.case_timeline(m, case).await?,
        file,
        assessment,
        affordability,
        missing,
    })
}

/// The case's timeline, newest first.
pub async fn timeline(ctx: &Ctx, id: CaseId) -> UseCaseResult<Vec<TimelineEvent>> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let events = ctx.store.case_timeline(municipality, id).await?;
    ctx.audit_read(municipality, "case.timeline", ("case", id.to_string()), json!({}))
        .await?;
    Ok(events)
}

/// A letter as it was sent: its record, HTML and PDF.
pub struct SentLetter {
    pub case: Case,
    pub letter: Letter,
    pub html: String,
    pub pdf: Vec<u8>,
}

/// Reads a letter of a case, exactly as sent.
pub async fn letter(ctx: &Ctx, id: CaseId, letter: &str) -> UseCaseResult<SentLetter> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let case = ctx.store.case(municipality, id).await?;
    let (meta, html, pdf) = ctx.store.letter(municipality, id, letter.trim()).await?;
    ctx.audit_read(
        municipality,
        "case.letter",
        ("case", id.to_string()),
        json!({ "letter": meta.id, "sha256": meta.sha256 }),
    )
    .await?;
    Ok(SentLetter {
        case,
        letter: meta,
        html,
        pdf,
    })
}

/// The documents attached to a case.
pub async fn documents(ctx: &Ctx, id: CaseId) -> UseCaseResult<Vec<Document>> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let documents = ctx.store.documents(municipality, Owner::Case(id)).await?;
    ctx.audit_read(
        municipality,
        "case.documents",
        ("case", id.to_string()),
        json!({ "documents": documents.len() }),
    )
    .await?;
    Ok(documents)
}

/// Reads a document of a case.
pub async fn document(ctx: &Ctx, id: CaseId, document: &str) -> UseCaseResult<(Case, Document, Vec<u8>)> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let case = ctx.store.case(municipality, id).await?;
    let (meta, bytes) = ctx.store.document(municipality, Owner::Case(id), document).await?;
    ctx.audit_read(
        municipality,
        "case.document",
        ("case", id.to_string()),
        json!({ "document": meta.id, "sha256": meta.sha256 }),
    )
    .await?;
    Ok((case, meta, bytes))
}

/// Everything in a case file (saksmappe): the case, its assessment, decisions and timeline, every
/// letter as sent and every document. What an upheld appeal is forwarded with, and what the
/// applicant gets on an access request.
pub struct CaseFileContents {
    pub file: CaseFile,
    pub assessment: Option<Assessment>,
    pub decisions: Vec<Decision>,
    pub timeline: Vec<TimelineEvent>,
    /// Each letter with its PDF.
    pub letters: Vec<(Letter, Vec<u8>)>,
    /// Each document with its bytes.
    pub documents: Vec<(Document, Vec<u8>)>,
}

/// Reads the whole case file: one recorded read, naming how many letters and documents it held.
pub async fn case_file(ctx: &Ctx, id: CaseId) -> UseCaseResult<CaseFileContents> {
    let file = load(ctx, id, Action::ViewCase).await?;
    let m = file.municipality;
    let assessment = assessment::assessment_of(&file, ctx.today);
    let mut letters = Vec::new();
    for letter in ctx.store.letters(m, id).await? {
        let (meta, _, pdf) = ctx.store.letter(m, id, &letter.id).await?;
        letters.push((meta, pdf));
    }
    let mut documents = Vec::new();
    for document in ctx.store.documents(m, Owner::Case(id)).await? {
        documents.push(ctx.store.document(m, Owner::Case(id), &document.id).await?);
    }
    ctx.audit_read(
        m,
        "case.case_file",
        ("case", id.to_string()),
        json!({ "letters": letters.len(), "documents": documents.len() }),
    )
    .await?;
    Ok(CaseFileContents {
        decisions: ctx.store.decisions(m, id).await?,
        timeline: ctx.store.case_timeline(m, id).await?,
        file,
        assessment,
        letters,
        documents,
    })
}
