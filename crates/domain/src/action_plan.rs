//! The social housing action plan (boligsosial handlingsplan) as data: a plan for a period of
//! years, goals, measures under each goal, and indicators with a baseline and a target. This
//! module checks what a planner types and says whether an indicator is on track; the values come
//! from [`crate::indicators`] or are reported by hand.

use crate::validation::{Errors, FieldError, parse_kr};
use time::{Date, Month};

/// Longest plan period, in years (plans run for 4 years; a typo in a year is caught).
pub const MAX_PERIOD_YEARS: i32 = 12;
/// Longest description of a goal, in characters.
pub const MAX_DESCRIPTION: usize = 2_000;
/// Largest figure anyone types: a hundred million (in hundredths).
pub const MAX_FIGURE: i64 = 100_000_000 * 100;

/// A value of an indicator, a baseline or a target in whole hundredths: 42 applications = 4 200,
/// 12.5 % = 1 250, 36.5 days = 3 650. Exact, so a value compares with its target as øre do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure(pub i64);

impl Figure {
    pub const ZERO: Figure = Figure(0);

    /// A whole number.
    pub fn whole(n: i64) -> Figure {
        Figure(n * 100)
    }

    /// `numerator / denominator` as a percentage, rounded half up to hundredths.
    pub fn percent(numerator: i64, denominator: i64) -> Option<Figure> {
        (denominator > 0)
            .then(|| Figure(((numerator as i128 * 20_000 + denominator as i128) / (2 * denominator as i128)) as i64))
    }

    /// Parses a figure as people write it: `42`, `12,5`, `12.5`, `1 250`, `36,25`; at most two
    /// decimals, not negative.
    pub fn parse(text: &str) -> Option<Figure> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let compact = compact.trim_end_matches('%');
        let (whole, fraction) = match compact.split_once([',', '.']) {
            Some((whole, fraction)) => (whole, fraction),
            None => (compact, ""),
        };
        if whole.is_empty() || fraction.len() > 2 || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let hundredths = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().ok()? * 10,
            _ => fraction.parse::<i64>().ok()?,
        };
        let value = whole.checked_mul(100)?.checked_add(hundredths)?;
        (value <= MAX_FIGURE).then_some(Figure(value))
    }

    /// As a plain decimal for machines: `42`, `12.5`, `36.25`.
    pub fn decimal(self) -> String {
        match self.0 % 100 {
            0 => (self.0 / 100).to_string(),
            h if h % 10 == 0 => format!("{}.{}", self.0 / 100, h / 10),
            h => format!("{}.{h:02}", self.0 / 100),
        }
    }

    /// Written the Norwegian way: `42`, `12,5`, `36,25`, `1 250`.
    pub fn written(self) -> String {
        let whole = crate::validation::group_thousands(self.0.unsigned_abs() / 100);
        match self.0 % 100 {
            0 => whole,
            h if h % 10 == 0 => format!("{whole},{}", h / 10),
            h => format!("{whole},{h:02}"),
        }
    }
}

/// Which way an indicator should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (startlån to families, people helped).
    Increase,
    /// Lower is better (stays over three months, deadline breaches).
    Decrease,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Increase, Direction::Decrease];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }

    pub fn from_code(code: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// What an indicator's figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Percent,
    Days,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Unit::Count, Unit::Percent, Unit::Days];

    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Days => "days",
        }
    }

    pub fn from_code(code: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Postponed,
    Cancelled,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 5] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::Postponed,
        MeasureStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Postponed => "postponed",
            MeasureStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<MeasureStatus> {
        MeasureStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A plan's heading as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlanInput {
    pub title: String,
    /// First year of the plan, e.g. `2026`.
    pub period_from: String,
    /// Last year of the plan, e.g. `2029`.
    pub period_to: String,
    /// The day the council adopted it (`dd.mm.yyyy` or `yyyy-mm-dd`); empty while a draft.
    pub adopted_on: String,
    /// The council's case or decision reference, e.g. "PS 45/26".
    pub council_ref: String,
}

/// A plan's heading as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanHeading {
    pub title: String,
    pub period_from: i32,
    pub period_to: i32,
    pub adopted_on: Option<Date>,
    pub council_ref: Option<String>,
}

/// Checks a plan's heading: a title, a period of 1 to [`MAX_PERIOD_YEARS`] years, an adoption
/// date not in the future.
pub fn check_plan(input: &PlanInput, today: Date) -> Result<PlanHeading, Vec<FieldError>> {
    let mut errors = Errors::default();
    let title = errors.required_text("title", &input.title);
    let period_from = year(&mut errors, "period_from", &input.period_from);
    let period_to = year(&mut errors, "period_to", &input.period_to);
    if let (Some(from), Some(to)) = (period_from, period_to)
        && (to < from || to - from >= MAX_PERIOD_YEARS)
    {
        errors.push(FieldError::new("period_to", "period.invalid", "error.plan.period").arg("max", MAX_PERIOD_YEARS));
    }
    let adopted_on = errors.optional_date("adopted_on", &input.adopted_on);
    if adopted_on.is_some_and(|day| day > today) {
        errors.push(FieldError::new(
            "adopted_on",
            "in_the_future",
            "error.plan.adopted_in_future",
        ));
    }
    let council_ref = errors.optional_text("council_ref", &input.council_ref);
    errors.into_result(()).map(|()| PlanHeading {
        title: title.unwrap_or_default(),
        period_from: period_from.unwrap_or_default(),
        period_to: period_to.unwrap_or_default(),
        adopted_on,
        council_ref,
    })
}

fn year(errors: &mut Errors, field: &str, text: &str) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    match text.parse::<i32>() {
        Ok(year) if (2000..=2100).contains(&year) => Some(year),
        _ => {
            errors.push(FieldError::new(field, "year.invalid", "error.plan.year"));
            None
        }
    }
}

/// A goal as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GoalInput {
    pub title: String,
    pub description: String,
}

/// A goal as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalText {
    pub title: String,
    pub description: Option<String>,
}

pub fn check_goal(input: &GoalInput) -> Result<GoalText, Vec<FieldError>> {
    let mut errors = Errors::default();
    let title = errors.required_text("title", &input.title);
    let description = long_text(&mut errors, "description", &input.description);
    errors.into_result(()).map(|()| GoalText {
        title: title.unwrap_or_default(),
        description,
    })
}

fn long_text(errors: &mut Errors, field: &str, text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION {
        errors.push(FieldError::too_long(field, MAX_DESCRIPTION));
        None
    } else if crate::validation::has_forbidden_control(text) {
        errors.push(crate::validation::control_character(field));
        None
    } else {
        (!text.is_empty()).then(|| text.to_string())
    }
}

/// A measure as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MeasureInput {
    pub title: String,
    /// Who is responsible: a unit or a role ("Boligkontoret", "NAV og boligkontoret").
    pub owner: String,
    /// `dd.mm.yyyy` or `yyyy-mm-dd`; empty when open-ended.
    pub deadline: String,
    /// `planned`, `in_progress`, `done`, `postponed` or `cancelled`.
    pub status: String,
    /// Whole kroner; empty when none.
    pub budget_kr: String,
}

/// A measure as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureDetails {
    pub title: String,
    pub owner: String,
    pub deadline: Option<Date>,
    pub status: MeasureStatus,
    pub budget_ore: Option<i64>,
}

/// Largest budget for one measure: a billion kroner.
const MAX_BUDGET_KR: i64 = 1_000_000_000;

pub fn check_measure(input: &MeasureInput) -> Result<MeasureDetails, Vec<FieldError>> {
    let mut errors = Errors::default();
    let title = errors.required_text("title", &input.title);
    let owner = errors.required_text("owner", &input.owner);
    let deadline = errors.optional_date("deadline", &input.deadline);
    let status = match input.status.trim() {
        "" => Some(MeasureStatus::Planned),
        code => MeasureStatus::from_code(code).or_else(|| {
            let allowed = MeasureStatus::ALL.map(MeasureStatus::code);
            errors.push(FieldError::unknown_value("status", code, &allowed));
            None
        }),
    };
    let budget_ore = match input.budget_kr.trim() {
        "" => None,
        text => match parse_kr(text) {
            Some(kr) => {
                crate::validation::amount_kr(&mut errors, "budget_kr", kr, MAX_BUDGET_KR);
                Some(kr * 100)
            }
            None => {
                errors.push(FieldError::new(
                    "budget_kr",
                    "amount.invalid",
                    "error.finance.not_a_number",
                ));
                None
            }
        },
    };
    errors.into_result(()).map(|()| MeasureDetails {
        title: title.unwrap_or_default(),
        owner: owner.unwrap_or_default(),
        deadline,
        status: status.unwrap_or(MeasureStatus::Planned),
        budget_ore,
    })
}

/// An indicator as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IndicatorInput {
    pub name: String,
    /// A built-in definition's key (its value comes from the cases), or empty for an indicator
    /// reported by hand.
    pub definition: String,
    /// For an indicator reported by hand: `count`, `percent` or `days`.
    pub unit: String,
    /// `increase` (higher is better) or `decrease`.
    pub direction: String,
    pub baseline: String,
    pub baseline_year: String,
    pub target: String,
    pub target_year: String,
}

/// An indicator as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorDetails {
    pub name: String,
    pub definition: Option<String>,
    pub unit: Unit,
    pub direction: Direction,
    pub baseline: Figure,
    pub baseline_year: i32,
    pub target: Figure,
    pub target_year: i32,
}

/// Checks an indicator. `definitions` are the built-in definitions (key, unit, better direction):
/// a linked indicator takes its unit from its definition, and the direction defaults to the
/// definition's. The target lies on the better side of the baseline (or equals it: hold the
/// level), and is set for a later year than the baseline.
pub fn check_indicator(
    input: &IndicatorInput,
    definitions: &[(&str, Unit, Direction)],
) -> Result<IndicatorDetails, Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = errors.required_text("name", &input.name);
    let definition = match input.definition.trim() {
        "" => None,
        key => match definitions.iter().find(|(k, _, _)| *k == key) {
            Some(found) => Some(*found),
            None => {
                let allowed: Vec<&str> = definitions.iter().map(|(k, _, _)| *k).collect();
                errors.push(FieldError::unknown_value("definition", key, &allowed));
                None
            }
        },
    };
    let unit = match (definition, input.unit.trim()) {
        (Some((_, unit, _)), _) => Some(unit),
        (None, "") if input.definition.trim().is_empty() => {
            errors.push(FieldError::required("unit"));
            None
        }
        (None, code) => Unit::from_code(code).or_else(|| {
            if input.definition.trim().is_empty() {
                errors.push(FieldError::unknown_value("unit", code, &Unit::ALL.map(Unit::code)));
            }
            None
        }),
    };
    let direction = match (definition, input.direction.trim()) {
        (Some((_, _, better)), "") => Some(better),
        (None, "") => {
            errors.push(FieldError::required("direction"));
            None
        }
        (_, code) => Direction::from_code(code).or_else(|| {
            errors.push(FieldError::unknown_value(
                "direction",
                code,
                &Direction::ALL.map(Direction::code),
            ));
            None
        }),
    };
    let baseline = figure(&mut errors, "baseline", &input.baseline);
    let target = figure(&mut errors, "target", &input.target);
    let baseline_year = year(&mut errors, "baseline_year", &input.baseline_year);
    let target_year = year(&mut errors, "target_year", &input.target_year);
    if let (Some(from), Some(to)) = (baseline_year, target_year)
        && to <= from
    {
        errors.push(FieldError::new(
            "target_year",
            "target_year.not_after_baseline",
            "error.indicator.target_year",
        ));
    }
    if let (Some(direction), Some(baseline), Some(target)) = (direction, baseline, target) {
        let worse = match direction {
            Direction::Increase => target < baseline,
            Direction::Decrease => target > baseline,
        };
        if worse {
            errors.push(FieldError::new(
                "target",
                "target.wrong_side",
                match direction {
                    Direction::Increase => "error.indicator.target_below_baseline",
                    Direction::Decrease => "error.indicator.target_above_baseline",
                },
            ));
        }
    }
    if unit == Some(Unit::Percent)
        && let Some(over) = [("baseline", baseline), ("target", target)]
            .into_iter()
            .find(|(_, value)| value.is_some_and(|v| v > Figure::whole(100)))
    {
        errors.push(FieldError::new(over.0, "percent.over_100", "error.indicator.percent"));
    }
    errors.into_result(()).and_then(|()| {
        Ok(IndicatorDetails {
            name: name.unwrap_or_default(),
            definition: definition.map(|(key, _, _)| key.to_string()),
            unit: unit.ok_or_else(Vec::new)?,
            direction: direction.ok_or_else(Vec::new)?,
            baseline: baseline.ok_or_else(Vec::new)?,
            baseline_year: baseline_year.ok_or_else(Vec::new)?,
            target: target.ok_or_else(Vec::new)?,
            target_year: target_year.ok_or_else(Vec::new)?,
        })
    })
}

/// A figure typed into `field`: required, as [`Figure::parse`] reads it.
pub fn figure(errors: &mut Errors, field: &str, text: &str) -> Option<Figure> {
    if text.trim().is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let parsed = Figure::parse(text);
    if parsed.is_none() {
        errors.push(FieldError::new(field, "figure.invalid", "error.indicator.figure"));
    }
    parsed
}

/// How an indicator stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OffTrack,
    AtRisk,
    OnTrack,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
        }
    }
}

/// Whether `value`, seen on `today`, is on track from the baseline (at the end of its year)
/// towards the target (at the end of its year): on track when the progress made is at least the
/// share of the time passed; at risk when it lags by at most a quarter of the way; off track
/// otherwise. A target equal to the baseline (hold the level) is on track while the value is at
/// least as good, and off track when it is worse.
pub fn status(indicator: &IndicatorDetails, value: Figure, today: Date) -> Status {
    let gain = match indicator.direction {
        Direction::Increase => value.0 - indicator.baseline.0,
        Direction::Decrease => indicator.baseline.0 - value.0,
    } as i128;
    let needed = (indicator.target.0 - indicator.baseline.0).abs() as i128;
    if needed == 0 {
        return if gain >= 0 { Status::OnTrack } else { Status::OffTrack };
    }
    let end_of = |year: i32| Date::from_calendar_date(year, Month::December, 31).unwrap_or(today);
    let start = end_of(indicator.baseline_year);
    let total = (end_of(indicator.target_year) - start).whole_days().max(1) as i128;
    let elapsed = (today - start).whole_days().clamp(0, total as i64) as i128;
    // progress = gain / needed against time = elapsed / total, in integers.
    if gain * total >= needed * elapsed {
        Status::OnTrack
    } else if 4 * gain * total >= needed * (4 * elapsed - total) {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_codes<T>(result: Result<T, Vec<FieldError>>) -> Vec<&'static str> {
        crate::validation::error_codes(result)
            .into_iter()
            .map(|(_, code)| code)
            .collect()
    }
    use proptest::prelude::*;
    use time::macros::date;

    const DEFINITIONS: &[(&str, Unit, Direction)] = &[
        ("applications_received", Unit::Count, Direction::Increase),
        ("median_days_to_decision", Unit::Days, Direction::Decrease),
    ];

    fn indicator(direction: Direction, baseline: i64, target: i64) -> IndicatorDetails {
        IndicatorDetails {
            name: "x".into(),
            definition: None,
            unit: Unit::Count,
            direction,
            baseline: Figure::whole(baseline),
            baseline_year: 2025,
            target: Figure::whole(target),
            target_year: 2029,
        }
    }

    #[test]
    fn figures_are_read_and_written_the_norwegian_way() {
        for (typed, hundredths) in [
            ("42", 4_200),
            ("12,5", 1_250),
            ("12.5", 1_250),
            ("36,25", 3_625),
            ("1 250", 125_000),
            ("7 %", 700),
            ("0", 0),
        ] {
            assert_eq!(Figure::parse(typed), Some(Figure(hundredths)), "{typed}");
        }
        for bad in ["", "-3", "1,234", "abc", "1,2,3", ",5"] {
            assert_eq!(Figure::parse(bad), None, "{bad}");
        }
        assert_eq!(Figure(125_000).written(), "1\u{a0}250");
        assert_eq!(Figure(1_250).written(), "12,5");
        assert_eq!(Figure(3_625).written(), "36,25");
        assert_eq!(
            (
                Figure(1_250).decimal(),
                Figure(3_625).decimal(),
                Figure(4_200).decimal()
            ),
            ("12.5".into(), "36.25".into(), "42".into())
        );
        assert_eq!(Figure::percent(1, 3), Some(Figure(3_333)));
        assert_eq!(Figure::percent(2, 3), Some(Figure(6_667)));
        assert_eq!(Figure::percent(1, 0), None);
    }

    #[test]
    fn a_plan_runs_for_a_period_and_is_not_adopted_in_the_future() {
        let today = date!(2026 - 12 - 03);
        let plan = |from: &str, to: &str, adopted: &str| PlanInput {
            title: "Boligsosial handlingsplan 2026–2029".into(),
            period_from: from.into(),
            period_to: to.into(),
            adopted_on: adopted.into(),
            council_ref: "PS 45/26".into(),
        };
        let heading = check_plan(&plan("2026", "2029", "18.06.2026"), today).unwrap();
        assert_eq!((heading.period_from, heading.period_to), (2026, 2029));
        assert_eq!(heading.adopted_on, Some(date!(2026 - 06 - 18)));
        assert_eq!(
            error_codes(check_plan(&plan("2029", "2026", ""), today)),
            ["period.invalid"]
        );
        assert_eq!(
            error_codes(check_plan(&plan("2026", "2040", ""), today)),
            ["period.invalid"]
        );
        assert_eq!(
            error_codes(check_plan(&plan("26", "2029", ""), today)),
            ["year.invalid"]
        );
        assert_eq!(
            error_codes(check_plan(&plan("2026", "2029", "01.01.2027"), today)),
            ["in_the_future"]
        );
    }

    #[test]
    fn a_measure_has_an_owner_a_known_status_and_a_budget_in_kroner() {
        let measure = check_measure(&MeasureInput {
            title: "Bo-team for unge".into(),
            owner: "Boligkontoret".into(),
            deadline: "31.12.2027".into(),
            status: "in_progress".into(),
            budget_kr: "1 250 000".into(),
        })
        .unwrap();
        assert_eq!(measure.budget_ore, Some(125_000_000));
        assert_eq!(measure.status, MeasureStatus::InProgress);
        let codes = error_codes(check_measure(&MeasureInput {
            title: "".into(),
            owner: "".into(),
            status: "finished".into(),
            budget_kr: "-5".into(),
            ..Default::default()
        }));
        assert_eq!(codes, ["required", "required", "unknown_value", "negative_amount"]);
    }

    #[test]
    fn an_indicator_takes_its_unit_from_its_definition_and_aims_the_right_way() {
        let input = |definition: &str, direction: &str, baseline: &str, target: &str| IndicatorInput {
            name: "Saksbehandlingstid".into(),
            definition: definition.into(),
            direction: direction.into(),
            baseline: baseline.into(),
            baseline_year: "2025".into(),
            target: target.into(),
            target_year: "2029".into(),
            ..Default::default()
        };
        let linked = check_indicator(&input("median_days_to_decision", "", "45", "21"), DEFINITIONS).unwrap();
        assert_eq!((linked.unit, linked.direction), (Unit::Days, Direction::Decrease));
        assert_eq!(
            error_codes(check_indicator(
                &input("median_days_to_decision", "", "21", "45"),
                DEFINITIONS
            )),
            ["target.wrong_side"]
        );
        assert_eq!(
            error_codes(check_indicator(&input("nope", "increase", "1", "2"), DEFINITIONS)),
            ["unknown_value"]
        );
        let mut manual = input("", "increase", "10", "20");
        assert_eq!(error_codes(check_indicator(&manual, DEFINITIONS)), ["required"]);
        manual.unit = "percent".into();
        manual.target = "120".into();
        assert_eq!(error_codes(check_indicator(&manual, DEFINITIONS)), ["percent.over_100"]);
        manual.target = "20".into();
        manual.target_year = "2025".into();
        assert_eq!(
            error_codes(check_indicator(&manual, DEFINITIONS)),
            ["target_year.not_after_baseline"]
        );
    }

    #[test]
    fn status_compares_progress_with_the_time_passed() {
        // Baseline 2025: 100, target 2029: 200; halfway through the period (end of 2027).
        let halfway = date!(2027 - 12 - 31);
        let up = indicator(Direction::Increase, 100, 200);
        assert_eq!(status(&up, Figure::whole(150), halfway), Status::OnTrack);
        assert_eq!(status(&up, Figure::whole(130), halfway), Status::AtRisk);
        assert_eq!(status(&up, Figure::whole(125), halfway), Status::AtRisk);
        assert_eq!(status(&up, Figure::whole(124), halfway), Status::OffTrack);
        let down = indicator(Direction::Decrease, 40, 20);
        assert_eq!(status(&down, Figure::whole(30), halfway), Status::OnTrack);
        assert_eq!(status(&down, Figure::whole(33), halfway), Status::AtRisk);
        assert_eq!(status(&down, Figure::whole(36), halfway), Status::OffTrack);
        assert_eq!(status(&down, Figure::whole(45), halfway), Status::OffTrack);
        // Before the period has started, no progress is expected yet.
        assert_eq!(status(&up, Figure::whole(100), date!(2025 - 06 - 01)), Status::OnTrack);
        // Holding the level.
        let hold = indicator(Direction::Decrease, 0, 0);
        assert_eq!(status(&hold, Figure::ZERO, halfway), Status::OnTrack);
        assert_eq!(status(&hold, Figure::whole(1), halfway), Status::OffTrack);
    }

    proptest! {
        /// A better value never gives a worse status, whichever direction is better.
        #[test]
        fn a_better_value_never_gives_a_worse_status(
            baseline in 0i64..1_000, gain in 0i64..1_000, a in 0i64..3_000, b in 0i64..3_000,
            day in 0i64..3_000, increase in any::<bool>(),
        ) {
            let (direction, target) = if increase {
                (Direction::Increase, baseline + gain)
            } else {
                (Direction::Decrease, (baseline - gain).max(0))
            };
            let details = indicator(direction, baseline, target);
            let today = date!(2025 - 01 - 01) + time::Duration::days(day);
            let (worse, better) = match direction {
                Direction::Increase => (a.min(b), a.max(b)),
                Direction::Decrease => (a.max(b), a.min(b)),
            };
            prop_assert!(status(&details, Figure::whole(better), today) >= status(&details, Figure::whole(worse), today));
        }

        /// Reaching the target is on track on any day.
        #[test]
        fn reaching_the_target_is_on_track(baseline in 0i64..1_000, gain in 0i64..1_000, day in 0i64..5_000) {
            let details = indicator(Direction::Increase, baseline, baseline + gain);
            let today = date!(2024 - 01 - 01) + time::Duration::days(day);
            prop_assert_eq!(status(&details, details.target, today), Status::OnTrack);
        }
    }
}
