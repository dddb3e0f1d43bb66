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
use std::collections::HashMap;
use time::{Date, Month, OffsetDateTime};

use crate::live_values::{Kept, LiveValueCache};
use std::sync::Arc;

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

/// The values of some definitions for a span of years, as the pages show them.
#[derive(Debug, Clone, Default)]
pub struct Values {
    by_definition: HashMap<(String, i32), Option<Value>>,
    /// When the oldest of them was computed from the data.
    pub computed_at: Option<OffsetDateTime>,
}

impl Values {
    /// The definition's value for `year`: `None` when it has none (a share of nothing) or was
    /// not asked for.
    pub fn value(&self, definition: &Definition, year: i32) -> Option<Value> {
        self.by_definition
            .get(&(definition.key.clone(), year))
            .copied()
            .flatten()
    }
}

/// The values of `definitions` for each year from `first_year` to `last_year`: those computed
/// within the cache's time from the cache, the others from the facts, read once for all of
/// them and kept in the cache. Values a little past their time are shown while one background
/// refresh per municipality computes them again.
pub async fn values(
    (store, cache): (&Store, &Arc<LiveValueCache>),
    (municipality, number): (MunicipalityId, &str),
    definitions: &[&'static Definition],
    (first_year, last_year): (i32, i32),
    today: Date,
) -> UseCaseResult<Values> {
    let mut values = Values::default();
    let (mut missing, mut stale) = (Vec::new(), Vec::new());
    for definition in definitions {
        let kept: Option<Vec<_>> = (first_year..=last_year)
            .map(|year| {
                cache
                    .lookup(municipality, &definition.key, year, today)
                    .map(|kept| (year, kept))
            })
            .collect();
        let Some(kept) = kept else {
            missing.push(*definition);
            continue;
        };
        for (year, kept) in kept {
            let (value, at) = match kept {
                Kept::Fresh(value, at) => (value, at),
                Kept::Stale(value, at) => {
                    if !stale.iter().any(|d: &&Definition| d.key == definition.key) {
                        stale.push(*definition);
                    }
                    (value, at)
                }
            };
            values.by_definition.insert((definition.key.clone(), year), value);
            values.computed_at = Some(values.computed_at.map_or(at, |oldest| oldest.min(at)));
        }
    }
    if !missing.is_empty() {
        let computed_at = OffsetDateTime::now_utc();
        let loaded = LoadedFacts::load(store, (municipality, number), &missing, (first_year, last_year), today).await?;
        keep(
            cache,
            (municipality, today),
            &loaded,
            &missing,
            (first_year, last_year),
            computed_at,
        );
        for definition in missing {
            for year in first_year..=last_year {
                values
                    .by_definition
                    .insert((definition.key.clone(), year), loaded.value(definition, year, today));
            }
        }
        values.computed_at = Some(values.computed_at.map_or(computed_at, |oldest| oldest.min(computed_at)));
    }
    if !stale.is_empty() && cache.begin_refresh(municipality) {
        let (store, cache, number) = (store.clone(), Arc::clone(cache), number.to_string());
        tokio::spawn(async move {
            let computed_at = OffsetDateTime::now_utc();
            let years = (first_year, last_year);
            match LoadedFacts::load(&store, (municipality, &number), &stale, years, today).await {
                Ok(loaded) => keep(&cache, (municipality, today), &loaded, &stale, years, computed_at),
                // The values stay as they were; the next view computes them itself once they
                // are too old to show.
                Err(e) => tracing::warn!(error = %e, "indicator values not refreshed"),
            }
            cache.end_refresh(municipality);
        });
    }
    Ok(values)
}

/// Keeps the values of `definitions` for each year, computed from `loaded` at `computed_at`.
fn keep(
    cache: &LiveValueCache,
    (municipality, today): (MunicipalityId, Date),
    loaded: &LoadedFacts,
    definitions: &[&Definition],
    (first_year, last_year): (i32, i32),
    computed_at: OffsetDateTime,
) {
    for definition in definitions {
        for year in first_year..=last_year {
            let value = loaded.value(definition, year, today);
            cache.put((municipality, &definition.key, year, today), value, computed_at);
        }
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
///
/// The facts are read one year at a time: a municipality's first run fills in ten years, and
/// holding all of them at once took 370 MB at 1 000 000 households. The facts a year is read
/// with are those [`LoadedFacts::load`] gives for a span of that one year, so the values are
/// the ones a span of several years gives (a test compares them).
pub async fn take_indicator_snapshots(store: &Store, today: Date) -> UseCaseResult<SnapshotRun> {
    let definitions: Vec<&Definition> = Definitions::embedded().all.iter().collect();
    let mut run = SnapshotRun::default();
    for municipality in store.municipalities().await? {
        let years = snapshot_years(
            today,
            store.first_data_year(municipality.id).await?,
            &store.snapshot_years(municipality.id).await?,
        );
        let mut snapshots = Vec::with_capacity(definitions.len() * years.len());
        for &year in &years {
            // The tenants' figures are this year's only (running contracts as of today).
            let read: Vec<&Definition> = definitions
                .iter()
                .copied()
                .filter(|d| year == today.year() || d.over != Population::Tenants)
                .collect();
            let facts = LoadedFacts::load(
                store,
                (municipality.id, &municipality.number),
                &read,
                (year, year),
                today,
            )
            .await?;
            for definition in &definitions {
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
