//! What the estimator needs to know about a household, with money in øre.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::rules::YearMonth;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateInput {
    /// The termin; its 1st day is the reference date for ages and household composition.
    pub month: YearMonth,
    /// Four-digit municipality number (kommunenummer) of the dwelling.
    pub municipality_number: String,
    /// Everyone in the household; the first is the applicant.
    pub members: Vec<Member>,
    pub income: IncomeBasis,
    pub housing: Housing,
    /// Household net wealth, øre. Zero when none.
    pub net_wealth_ore: i64,
    /// The dwelling is specially adapted for a member's disability (cap supplement).
    pub adapted_dwelling: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub birth_date: Date,
    pub old_age_pensioner: bool,
    /// *Ung ufør*: disability benefit with the young-disabled supplement.
    pub young_disabled: bool,
    /// Receives disability benefit (*uføretrygd*) or a survivor's pension (*etterlattepensjon*).
    /// Until September 2024 the heating supplement went to old-age, disability and survivor
    /// pensioners (forskrift om bostøtte § 2 d as it then read), not to every household.
    pub disability_or_survivor_pensioner: bool,
    /// Yearly incomes by kind; only used when the income is given per member.
    pub incomes: Vec<Income>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Income {
    pub kind: IncomeKind,
    pub annual_ore: i64,
}

/// Kinds of income a caseworker registers. Benefit kinds listed in the rule table's
/// `excluded_kinds` do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    Wages,
    Pension,
    DisabilityBenefit,
    Aap,
    Dagpenger,
    Kvp,
    SelfEmployment,
    Capital,
    OtherTaxable,
    Barnetrygd,
    Barnebidrag,
    Kontantstotte,
    Engangsstonad,
    Barnetilsyn,
    Grunnstonad,
    Hjelpestonad,
    Sosialhjelp,
}

impl IncomeKind {
    pub const ALL: [IncomeKind; 17] = [
        IncomeKind::Wages,
        IncomeKind::Pension,
        IncomeKind::DisabilityBenefit,
        IncomeKind::Aap,
        IncomeKind::Dagpenger,
        IncomeKind::Kvp,
        IncomeKind::SelfEmployment,
        IncomeKind::Capital,
        IncomeKind::OtherTaxable,
        IncomeKind::Barnetrygd,
        IncomeKind::Barnebidrag,
        IncomeKind::Kontantstotte,
        IncomeKind::Engangsstonad,
        IncomeKind::Barnetilsyn,
        IncomeKind::Grunnstonad,
        IncomeKind::Hjelpestonad,
        IncomeKind::Sosialhjelp,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IncomeKind::Wages => "wages",
            IncomeKind::Pension => "pension",
            IncomeKind::DisabilityBenefit => "disability_benefit",
            IncomeKind::Aap => "aap",
            IncomeKind::Dagpenger => "dagpenger",
            IncomeKind::Kvp => "kvp",
            IncomeKind::SelfEmployment => "self_employment",
            IncomeKind::Capital => "capital",
            IncomeKind::OtherTaxable => "other_taxable",
            IncomeKind::Barnetrygd => "barnetrygd",
            IncomeKind::Barnebidrag => "barnebidrag",
            IncomeKind::Kontantstotte => "kontantstotte",
            IncomeKind::Engangsstonad => "engangsstonad",
            IncomeKind::Barnetilsyn => "barnetilsyn",
            IncomeKind::Grunnstonad => "grunnstonad",
            IncomeKind::Hjelpestonad => "hjelpestonad",
            IncomeKind::Sosialhjelp => "sosialhjelp",
        }
    }

    pub fn from_code(code: &str) -> Option<IncomeKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Taxable income (what municipal income caps count); benefits like child benefit and
    /// social assistance are not taxable.
    pub fn is_taxable(self) -> bool {
        !matches!(
            self,
            IncomeKind::Barnetrygd
                | IncomeKind::Barnebidrag
                | IncomeKind::Kontantstotte
                | IncomeKind::Engangsstonad
                | IncomeKind::Barnetilsyn
                | IncomeKind::Grunnstonad
                | IncomeKind::Hjelpestonad
                | IncomeKind::Sosialhjelp
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomeBasis {
    /// The household's counted income, already without excluded kinds and members (the simple form).
    HouseholdTotal { annual_ore: i64 },
    /// Each member's incomes; the estimator decides what counts.
    PerMember,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "BostotteTenure")]
pub enum Tenure {
    /// Rented, including municipal dwellings.
    Rent,
    /// Borettslag, sameie, aksje- or obligasjonsleilighet.
    Cooperative,
    /// Other owned dwelling (enebolig).
    Owned,
}

impl Tenure {
    pub fn code(self) -> &'static str {
        match self {
            Tenure::Rent => "rent",
            Tenure::Cooperative => "cooperative",
            Tenure::Owned => "owned",
        }
    }

    pub fn from_code(code: &str) -> Option<Tenure> {
        [Tenure::Rent, Tenure::Cooperative, Tenure::Owned]
            .into_iter()
            .find(|t| t.code() == code)
    }
}

/// Yearly housing costs, øre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Housing {
    pub tenure: Tenure,
    pub costs: HousingCosts,
    /// Heating is included in the rent or common costs (no heating supplement).
    pub heating_included: bool,
    /// Tax value of an owned dwelling: the owner's wealth allowance, up to the cap.
    pub dwelling_tax_value_ore: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HousingCosts {
    /// Eligible housing costs already summed (the simple form); no fixed sums are added.
    Total {
        annual_ore: i64,
    },
    Itemised(CostItems),
}

/// The cost items the forskrift (§ 2) counts for each tenure; items that do not belong to the
/// tenure are ignored by the estimator (and refused by input validation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CostItems {
    pub rent_ore: i64,
    pub common_costs_ore: i64,
    /// Interest, instalments and fees on loans that financed the dwelling.
    pub loan_costs_ore: i64,
    pub municipal_charges_ore: i64,
    pub property_tax_ore: i64,
    pub ground_rent_ore: i64,
}
