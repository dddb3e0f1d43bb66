//! KOSTRA skjema 13: a year's figures beside the year before, and the data-quality warnings.

use super::DateSchema;
use husly_domain::CaseId;
use husly_domain::kostra_form::Unit;
use husly_usecases::kostra_form::KostraFigures as Computed;
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// A figure of the form.
#[derive(Debug, Serialize, JsonSchema)]
pub struct KostraFigure {
    /// The figure (stable; its name is in the user interface's catalogue as `kostra.figure.<key>`).
    pub key: String,
    /// SSB's KOMPIS variable code, where confirmed; null otherwise.
    pub code: Option<String>,
    /// `count`, or `percent` (values in hundredths of a percent: 12.5 % is 1250).
    pub unit: Unit,
    /// The year's value; null for a share of nothing.
    pub value: Option<i64>,
    /// The year before's value.
    pub previous: Option<i64>,
    /// Value minus previous (percentage points in hundredths for a percent).
    pub change: Option<i64>,
}

/// A case behind a warning.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WarningCase {
    pub id: CaseId,
    pub reference: String,
}

/// Something that would make a figure wrong, to fix before submission.
#[derive(Debug, Serialize, JsonSchema)]
pub struct KostraWarning {
    /// `new_tenants_unclassified`, `waiting_list_unclassified`, `moved_in_still_waiting`,
    /// `closed_without_move_in` or `open_stays_from_earlier_years`.
    pub key: String,
    pub count: i64,
    /// The cases concerned, for a caller who may see cases (the read is recorded); null for
    /// others, and empty for warnings about stays.
    pub cases: Option<Vec<WarningCase>>,
}

/// The year's figures, counted to `as_of` (31 December, or today while the year runs).
#[derive(Debug, Serialize, JsonSchema)]
pub struct KostraFigures {
    pub year: i32,
    #[schemars(with = "DateSchema")]
    pub as_of: Date,
    pub previous_year: i32,
    #[schemars(with = "DateSchema")]
    pub previous_as_of: Date,
    pub figures: Vec<KostraFigure>,
    pub warnings: Vec<KostraWarning>,
}

impl KostraFigures {
    pub fn of(f: &Computed) -> KostraFigures {
        KostraFigures {
            year: f.this.year,
            as_of: f.this.as_of,
            previous_year: f.previous.year,
            previous_as_of: f.previous.as_of,
            figures: f
                .rows
                .iter()
                .map(|r| KostraFigure {
                    key: r.row.key.to_string(),
                    code: r.row.code.map(str::to_string),
                    unit: r.row.unit,
                    value: r.row.value,
                    previous: r.previous,
                    change: r.change,
                })
                .collect(),
            warnings: f
                .this
                .warnings
                .iter()
                .map(|w| KostraWarning {
                    key: w.key.to_string(),
                    count: w.count,
                    cases: f.with_cases.then(|| {
                        w.cases
                            .iter()
                            .map(|(id, reference)| WarningCase {
                                id: *id,
                                reference: reference.clone(),
                            })
                            .collect()
                    }),
                })
                .collect(),
        }
    }
}
