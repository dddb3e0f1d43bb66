//! The demo municipality's social housing action plan, modelled on the structure of published
//! municipal plans (goals such as "everyone shall have a good place to live"), with indicators
//! linked to the built-in definitions so the demo's figures come from its seeded cases, and one
//! indicator reported by hand. The figures are invented.

use husly_domain::MunicipalityId;
use husly_domain::action_plan::{
    Direction, Figure, GoalText, IndicatorDetails, MeasureDetails, MeasureStatus, PlanHeading, Unit,
};
use time::{Date, Month};

use crate::Store;
use crate::error::StoreResult;
use crate::households::Change;

struct DemoIndicator {
    name: &'static str,
    definition: Option<&'static str>,
    unit: Unit,
    direction: Direction,
    baseline: i64,
    target: i64,
}

struct DemoMeasure {
    title: &'static str,
    owner: &'static str,
    status: MeasureStatus,
    budget_kr: Option<i64>,
}

const fn computed(
    name: &'static str,
    key: &'static str,
    unit: Unit,
    direction: Direction,
    baseline: i64,
    target: i64,
) -> DemoIndicator {
    DemoIndicator {
        name,
        definition: Some(key),
        unit,
        direction,
        baseline,
        target,
    }
}

const fn measure(
    title: &'static str,
    owner: &'static str,
    status: MeasureStatus,
    budget_kr: Option<i64>,
) -> DemoMeasure {
    DemoMeasure {
        title,
        owner,
        status,
        budget_kr,
    }
}

const GOALS: &[(&str, &str, &[DemoIndicator], &[DemoMeasure])] = &[
    (
        "Alle skal ha et godt sted å bo",
        "Ingen skal være bostedsløse, og barnefamilier skal ikke vente på en egnet bolig.",
        &[
            computed(
                "Husstander på venteliste",
                "waiting_list_now",
                Unit::Count,
                Direction::Decrease,
                60,
                30,
            ),
            computed(
                "Barnefamilier på venteliste",
                "waiting_list_children_now",
                Unit::Count,
                Direction::Decrease,
                12,
                0,
            ),
            computed(
                "Ventetid på venteliste (median)",
                "median_days_waiting",
                Unit::Days,
                Direction::Decrease,
                150,
                90,
            ),
            computed(
                "Nye leietakere i kommunal bolig",
                "new_tenants",
                Unit::Count,
                Direction::Increase,
                40,
                60,
            ),
            computed(
                "Andel avslag på nye søknader",
                "housing_refused_share",
                Unit::Percent,
                Direction::Decrease,
                35,
                25,
            ),
            computed(
                "Barnefamilier i midlertidig botilbud",
                "temporary_families_with_children",
                Unit::Count,
                Direction::Decrease,
                8,
                0,
            ),
            computed(
                "Andel over 3 måneder i midlertidig botilbud",
                "temporary_over_3_months_share",
                Unit::Percent,
                Direction::Decrease,
                24,
                10,
            ),
        ],
        &[
            measure(
                "Kjøpe 20 nye kommunale boliger",
                "Eiendom",
                MeasureStatus::InProgress,
                Some(60_000_000),
            ),
            measure(
                "Leie inn boliger fra private for barnefamilier",
                "Boligkontoret",
                MeasureStatus::Planned,
                None,
            ),
        ],
    ),
    (
        "Alle med behov for tjenester skal få hjelp til å mestre boforholdet",
        "Oppfølging i hjemmet skal forebygge utkastelser og gjøre det mulig å bli boende.",
        &[
            computed(
                "Bistand etter § 6",
                "section6_granted",
                Unit::Count,
                Direction::Increase,
                80,
                120,
            ),
            computed(
                "Husstander i kommunal bolig med oppfølgingsplan",
                "tenants_with_follow_up_plan",
                Unit::Count,
                Direction::Increase,
                10,
                30,
            ),
            computed(
                "Andel leietakere med husleierestanse over terskelen",
                "tenants_in_arrears_share",
                Unit::Percent,
                Direction::Decrease,
                12,
                5,
            ),
            computed(
                "Kontrakter som går ut innen 3 måneder uten vedtak",
                "contracts_expiring_undecided",
                Unit::Count,
                Direction::Decrease,
                10,
                0,
            ),
            DemoIndicator {
                name: "Utkastelser (tall fra namsmannen)",
                definition: None,
                unit: Unit::Count,
                direction: Direction::Decrease,
                baseline: 25,
                target: 10,
            },
        ],
        &[
            measure(
                "Bo-team for unge 18–25 år",
                "NAV og boligkontoret",
                MeasureStatus::InProgress,
                Some(2_400_000),
            ),
            measure(
                "Boligskole for nyankomne flyktninger",
                "Flyktningtjenesten",
                MeasureStatus::Planned,
                None,
            ),
        ],
    ),
    (
        "Flere skal eie egen bolig",
        "Startlån og tilskudd skal brukes aktivt, særlig for barnefamilier som leier.",
        &[
            computed(
                "Startlån til barnefamilier",
                "startlan_granted_families",
                Unit::Count,
                Direction::Increase,
                25,
                40,
            ),
            computed(
                "Startlån i alt",
                "startlan_granted",
                Unit::Count,
                Direction::Increase,
                60,
                90,
            ),
            computed(
                "Leietakere nådd med informasjon om bostøtte",
                "bostotte_outreach_reached",
                Unit::Count,
                Direction::Increase,
                0,
                40,
            ),
            computed(
                "Leietakere i kommunal bolig som kjøpte egen bolig",
                "rent_to_own_households",
                Unit::Count,
                Direction::Increase,
                4,
                12,
            ),
        ],
        &[measure(
            "Informere leietakere i kommunale boliger om startlån",
            "Boligkontoret",
            MeasureStatus::Planned,
            None,
        )],
    ),
    (
        "Den offentlige innsatsen skal være helhetlig og effektiv",
        "Én dør inn for alle boligtjenester, med svar i tide.",
        &[
            computed(
                "Saksbehandlingstid (median)",
                "median_days_to_decision",
                Unit::Days,
                Direction::Decrease,
                45,
                21,
            ),
            computed(
                "Saker uten foreløpig svar i tide",
                "interim_answers_missed",
                Unit::Count,
                Direction::Decrease,
                30,
                0,
            ),
        ],
        &[measure(
            "Felles inntak for alle boligtjenester",
            "Boligkontoret",
            MeasureStatus::Done,
            None,
        )],
    ),
];

impl Store {
    /// Creates the demo plan for `year`–`year + 3`, adopted in December of the year before, if
    /// the municipality has no plan. `change.user` is the leader who keeps it.
    pub async fn seed_action_plan(
        &self,
        municipality: MunicipalityId,
        year: i32,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        if !self.action_plans(municipality).await?.is_empty() {
            return Ok(());
        }
        let heading = PlanHeading {
            title: format!("Boligsosial handlingsplan {year}–{}", year + 3),
            period_from: year,
            period_to: year + 3,
            adopted_on: Date::from_calendar_date(year - 1, Month::December, 12).ok(),
            council_ref: Some(format!("PS 112/{:02}", (year - 1) % 100)),
        };
        let plan = self.create_action_plan(municipality, &heading, change).await?;
        for (title, description, indicators, measures) in GOALS {
            let goal = GoalText {
                title: (*title).into(),
                description: Some((*description).into()),
            };
            let goal = self.add_plan_goal(municipality, &plan, &goal, change).await?;
            for demo in *indicators {
                let details = IndicatorDetails {
                    name: demo.name.into(),
                    definition: demo.definition.map(str::to_string),
                    unit: demo.unit,
                    direction: demo.direction,
                    baseline: Figure::whole(demo.baseline),
                    baseline_year: year - 1,
                    target: Figure::whole(demo.target),
                    target_year: year + 3,
                };
                let id = self
                    .add_plan_indicator(municipality, &plan, &goal, &details, change)
                    .await?;
                if demo.definition.is_none() {
                    self.report_indicator_value(
                        municipality,
                        &plan,
                        &id,
                        year - 1,
                        Figure::whole(demo.baseline),
                        change,
                    )
                    .await?;
                }
            }
            for demo in *measures {
                let details = MeasureDetails {
                    title: demo.title.into(),
                    owner: demo.owner.into(),
                    deadline: Date::from_calendar_date(year + 1, Month::December, 31).ok(),
                    status: demo.status,
                    budget_ore: demo.budget_kr.map(|kr| kr * 100),
                };
                self.add_plan_measure(municipality, &plan, &goal, &details, change)
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::indicators::Definitions;

    #[test]
    fn every_computed_demo_indicator_names_a_built_in_definition_of_its_unit() {
        let definitions = Definitions::embedded();
        for (_, _, indicators, _) in GOALS {
            for demo in indicators.iter() {
                let Some(key) = demo.definition else { continue };
                let definition = definitions.get(key).unwrap_or_else(|| panic!("{key} is built in"));
                assert_eq!(definition.unit(), demo.unit, "{key}");
                assert_eq!(definition.better, demo.direction, "{key}");
            }
        }
    }
}
