//! The economy of startlån and grant cases: recording it, paying out a granted grant, and the
//! establishment grant that tops up a startlån the household cannot stretch to.

use super::{CaseChange, LedgerEffect, Refusal};
use crate::cases::{Case, CaseState, CaseType};
use crate::finance::{CaseFinance, GrantCase, GrantType, PaymentError, Tenure, check_payment};
use crate::startlan::AffordabilityResult;
use serde_json::json;
use time::Date;

impl Case {
    /// Records the loan's or grant's economy while the case is prepared or assessed.
    pub fn record_economy(&self, economy: &CaseFinance) -> Result<CaseChange, Refusal> {
        if !economy.fits(self.case_type) {
            return Err(Refusal::WrongEconomy);
        }
        if !self.is_editable() {
            return Err(Refusal::NotEditable(self.state));
        }
        let mut case = self.clone();
        case.finance = Some(economy.clone());
        Ok(CaseChange::new(
            case,
            "case.finance_saved",
            json!({ "applied_ore": economy.applied_ore() }),
        ))
    }

    /// Pays out part of a granted grant; never more than it has committed and not yet paid
    /// (`outstanding_ore`, from the case's ledger).
    pub fn register_payment(
        &self,
        outstanding_ore: i64,
        amount_ore: i64,
        paid_on: Date,
        note: &str,
    ) -> Result<CaseChange, Refusal> {
        let grant = self.case_type.grant().ok_or(Refusal::NotAGrant)?;
        if self.state != CaseState::Granted {
            return Err(Refusal::NotGranted(self.state));
        }
        check_payment(outstanding_ore, amount_ore).map_err(|e| match e {
            PaymentError::NotPositive => Refusal::AmountNotPositive,
            PaymentError::MoreThanOutstanding { outstanding_ore, .. } => {
                Refusal::MoreThanOutstanding { outstanding_ore }
            }
        })?;
        let mut change = CaseChange::new(
            self.clone(),
            "case.grant_paid",
            json!({ "amount_ore": amount_ore, "paid_on": paid_on.to_string() }),
        );
        change.ledger.push(LedgerEffect::Pay {
            grant,
            amount_ore,
            on: paid_on,
            note: note.to_string(),
        });
        Ok(change)
    }

    /// The establishment grant a startlån case needs beside the loan: what the serviceable loan
    /// leaves uncovered, given the case's affordability `result`. `None` when the loan covers the
    /// purchase, or when this is no startlån with a recorded purchase.
    pub fn establishment_grant_needed(&self, result: &AffordabilityResult) -> Option<CaseFinance> {
        if self.case_type != CaseType::Startlan {
            return None;
        }
        let CaseFinance::Startlan(loan) = self.finance.as_ref()? else {
            return None;
        };
        let need = result.grant.as_ref()?;
        let financing = loan.affordability.financing?;
        (need.grant_needed_ore > 0).then(|| {
            CaseFinance::Grant(GrantCase {
                grant: GrantType::Establishment,
                purpose: format!("Kjøp av bolig sammen med startlån i sak {}", self.reference),
                cost_kr: financing.price_kr + financing.purchase_costs_kr,
                // Whole kroner, rounded up: the grant must cover the gap.
                applied_kr: (need.grant_needed_ore + 99) / 100,
                tenure: Tenure::Owner,
                landlord_consent: false,
                startlan_reference: Some(self.reference.clone()),
            })
        })
    }
}
