//! The built-in indicators' values: the facts they count, read once for the years asked, and the
//! daily snapshot job that keeps each year's value as it was seen. Values are aggregates, not
//! personal data; the job runs as the system and needs no caller.

use husly_domain::MunicipalityId;
use husly_domain::indicators::{
    CaseFact, Definition, Definitions, EndedTenancy, Facts, OutreachContactFact, Population, TenantFact, Value,
    evaluate, snapshot_years,
};
use husly_domain::kostra_form::KostraFacts;
use husly_domain::stays::Stay;
use husly_store::Store;
use husly_store::follow_up::Households;
use husly_store::snapshots::Snapshot;
use time::{Date, Month};

use crate::UseCaseResult;

/// The facts the given definitions count from 1 January of `first_year` to the end of
/// `last_year`: the cases received or decided in those years (and those on the waiting list
/// now), the stays overlapping them, the contracts ended in them, the contracts running today,
/// what KOSTRA skjema 13 counts and the contacts from the outreach list. Each part is read only
/// when a definition counts it.
pub struct LoadedFacts {
    pub cases: Vec<CaseFact>,
    pub stays: Vec<Stay>,
    pub tenancies: Vec<EndedTenancy>,
    pub tenants: Vec<TenantFact>,
    pub kostra: Option<KostraFacts>,
    pub outreach: Vec<OutreachContactFact>,
}

impl LoadedFacts {
    /// `municipality` by id and kommunenummer (whose rent-arrears threshold applies).
    pub async fn load(
        store: &Store,
        (municipality, number): (MunicipalityId, &str),
        definitions: &[&Definition],
        (first_year, last_year): (i32, i32),
        today: Date,
    ) -> UseCaseResult<LoadedFacts> {
        let from = new_year(first_year).unwrap_or(today);
        let until = new_year(last_year + 1).unwrap_or(Date::MAX);
        let counts = |population: Population| definitions.iter().any(|d| d.over == population);
        let cases = if counts(Population::Cases) {
            store.case_facts_between(municipality, from, until).await?
        } else {
            Vec::new()
        };
        // KOSTRA's figures count the stays too.
        let stays = if counts(Population::Stays) || counts(Population::Kostra) {
            store.stays_between(municipality, from, until).await?
        } else {
            Vec::new()
        };
        let tenancies = if counts(Population::Tenancies) {
            store.ended_tenancies_between(municipality, from, until).await?
        } else {
            Vec::new()
        };
        let tenants = if counts(Population::Tenants) {
            running_tenants(store, (municipality, number), today).await?
        } else {
            Vec::new()
        };
        // The new-tenant counts read only the households that began a tenancy in those years.
        let kostra = if counts(Population::Kostra) {
            let last_day = until.previous_day().unwrap_or(until).min(today);
            Some(
                store
                    .kostra_move_in_facts(municipality, (from, until), last_day)
                    .await?,
            )
        } else {
            None
        };
        let outreach = if counts(Population::Outreach) {
            store
                .outreach_contacts_between(municipality, from, until)
                .await?
                .into_iter()
                .map(|(household, contacted_on, reached)| OutreachContactFact {
                    household,
                    contacted_on,
                    reached,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(LoadedFacts {
            cases,
            stays,
            tenancies,
            tenants,
            kostra,
            outreach,
        })
    }

    pub fn facts(&self) -> Facts<'_> {
        Facts {
            cases: &self.cases,
            stays: &self.stays,
            tenancies: &self.tenancies,
            tenants: &self.tenants,
            kostra: self.kostra.as_ref(),
            outreach: &self.outreach,
        }
    }

    pub fn value(&self, definition: &Definition, year: i32, today: Date) -> Option<Value> {
        evaluate(definition, self.facts(), year, today)
    }
}

/// The contracts running today, each marked when its household's arrears reach the threshold.
async fn running_tenants(
    store: &Store,
    municipality: (MunicipalityId, &str),
    today: Date,
) -> UseCaseResult<Vec<TenantFact>> {
    let over = crate::ledger::over_threshold(store, municipality, Households::All, today).await?;
    Ok(store
        .running_tenant_facts(
            municipality.0,
            today,
            husly_domain::indicators::tenants::decided_horizon(today),
        )
        .await?
        .into_iter()
        .map(|(household, mut fact)| {
            fact.arrears_over_threshold = over.contains_key(&household);
            fact
        })
        .collect())
}

pub(crate) fn new_year(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::January, 1).ok()
}

/// What one run of the snapshot job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SnapshotRun {
    pub municipalities: usize,
    /// Values taken (definitions × years × municipalities).
    pub values: usize,
}

/// The name the scheduler knows the job by.
pub const SNAPSHOT_JOB: &str = "indicator_snapshots";

/// Takes today's snapshot of every built-in indicator in every municipality: this year's value,
/// and each earlier year that has none yet (see [`snapshot_years`]). Taking it twice the same day
/// replaces the first, so the job is safe to run again.
pub async fn take_indicator_snapshots(store: &Store, today: Date) -> UseCaseResult<SnapshotRun> {
    let definitions: Vec<&Definition> = Definitions::embedded().all.iter().collect();
    let mut run = SnapshotRun::default();
    for municipality in store.municipalities().await? {
        let years = snapshot_years(
            today,
            store.first_data_year(municipality.id).await?,
            &store.snapshot_years(municipality.id).await?,
        );
        let first = years.first().copied().unwrap_or(today.year());
        let facts = LoadedFacts::load(
            store,
            (municipality.id, &municipality.number),
            &definitions,
            (first, today.year()),
            today,
        )
        .await?;
        let mut snapshots = Vec::with_capacity(definitions.len() * years.len());
        for definition in &definitions {
            for &year in &years {
                let value = facts.value(definition, year, today);
                snapshots.push(Snapshot {
                    definition: definition.key.clone(),
                    year,
                    taken_on: today,
                    value: value.map(|v| v.figure),
                    counted: value.map_or(0, |v| v.cases),
                    numerator: value.and_then(|v| v.numerator),
                });
            }
        }
        store.save_snapshots(municipality.id, &snapshots).await?;
        run.municipalities += 1;
        run.values += snapshots.len();
    }
    Ok(run)
}
