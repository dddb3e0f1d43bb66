//! The access log as a data-protection officer reads it: "who has looked at this person's data?"
//! answered in one search (GDPR art. 15), with people and cases by name and reference.
//!
//! A person is found by identity number or name; their footprint is the person, the households
//! they are a member of, those households' cases and the drafts the cases came from, and the log
//! is filtered to entries about any of those records. Reading the log with names is itself a
//! read of personal data and is recorded (`audit.view`, naming the person looked up).

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_domain::{MunicipalityId, PersonId};
use husly_store::accounts::User;
use husly_store::audit::{AuditEntry, AuditFilter};
use husly_store::footprint::RecordName;
use husly_store::households::Person;
use husly_store::search::SearchQuery;
use serde_json::json;
use std::collections::HashMap;

/// People a name may match before the officer is asked to be more precise.
const CANDIDATES: i64 = 20;

/// Whose data the log is read for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PersonWanted {
    #[default]
    Anyone,
    /// An identity number or a name, as typed.
    Typed(String),
    /// One of the people a name matched.
    Chosen(PersonId),
}

#[derive(Debug, Clone, Default)]
pub struct AccessQuery {
    pub filter: AuditFilter,
    pub person: PersonWanted,
    /// A case reference (`2026-000042`), or empty.
    pub case_reference: String,
}

/// Who the search found.
#[derive(Debug, Clone, Default)]
pub enum PersonFound {
    #[default]
    Anyone,
    One(Person),
    /// A name matched several people: the officer picks one (no entries are shown yet).
    Several(Vec<Person>),
    Nobody,
}

#[derive(Debug, Clone, Default)]
pub struct AccessReport {
    pub entries: Vec<AuditEntry>,
    /// The names of the people, households and cases the entries are about.
    pub names: HashMap<String, RecordName>,
    /// The staff who may appear as actors.
    pub users: Vec<User>,
    pub person: PersonFound,
}

/// The access log, filtered, with names. Refuses an identity number or name that cannot be
/// searched and a case reference the municipality does not have, naming the field.
pub async fn access_report(ctx: &Ctx, municipality: MunicipalityId, query: AccessQuery) -> UseCaseResult<AccessReport> {
    ctx.require(Action::ReadAudit, municipality)?;
    let AccessQuery {
        mut filter,
        person,
        case_reference,
    } = query;
    let person = match person {
        PersonWanted::Anyone => PersonFound::Anyone,
        PersonWanted::Typed(text) => {
            let query = SearchQuery::parse(&text).ok_or_else(|| {
                UseCaseError::Invalid(vec![FieldError::new("person", "invalid_query", "error.search.query")])
            })?;
            let mut hits = ctx.store.search_people(municipality, &query, CANDIDATES).await?.hits;
            match hits.len() {
                0 => PersonFound::Nobody,
                1 => PersonFound::One(hits.remove(0).person),
                _ => PersonFound::Several(hits.into_iter().map(|hit| hit.person).collect()),
            }
        }
        PersonWanted::Chosen(id) => match ctx.store.person(municipality, id).await {
            Ok((person, _)) => PersonFound::One(person),
            Err(husly_store::StoreError::NotFound) => PersonFound::Nobody,
            Err(other) => return Err(other.into()),
        },
    };
    let reference = case_reference.trim();
    if !reference.is_empty() {
        let case = ctx.store.case_by_reference(municipality, reference).await?;
        let Some(case) = case else {
            return Err(UseCaseError::Invalid(vec![
                FieldError::new("case", "unknown_case", "error.audit.unknown_case").arg("reference", reference),
            ]));
        };
        filter.resource_id = Some(case);
    }
    let entries = match &person {
        PersonFound::Anyone => ctx.store.audit_entries(municipality, &filter).await?,
        PersonFound::One(found) => {
            filter.resources = ctx.store.person_records(municipality, found.id).await?;
            ctx.store.audit_entries(municipality, &filter).await?
        }
        PersonFound::Several(_) | PersonFound::Nobody => Vec::new(),
    };
    let ids: Vec<String> = entries.iter().map(|e| e.resource_id.clone()).collect();
    let names = ctx.store.record_names(municipality, &ids).await?;
    let users = ctx.store.users(Some(municipality)).await?;
    let looked_up = match &person {
        PersonFound::One(found) => ("person", found.id.to_string()),
        _ => ("municipality", municipality.to_string()),
    };
    ctx.audit_read(
        municipality,
        "audit.view",
        looked_up,
        json!({ "entries": entries.len() }),
    )
    .await?;
    Ok(AccessReport {
        entries,
        names,
        users,
        person,
    })
}
