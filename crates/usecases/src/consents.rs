//! Consents to share with partner organisations: the household's consents as the unit records
//! and withdraws them, and what a partner sees on them — its list of consenting households and
//! its view of one, holding exactly the consented categories. Every partner read is audited
//! with the consents it relied on.

use husly_domain::authz::Action;
use husly_domain::bostotte::IncomeKind;
use husly_domain::consent::{ConsentCategory, ConsentInput, check_consent, check_withdrawal};
use husly_domain::follow_up::{Entry, EntryInput, Plan};
use husly_domain::household::Relation;
use husly_domain::{HouseholdId, MunicipalityId, PersonId};
use husly_store::consents::Consent;
use husly_store::documents::{Document, Owner};
use husly_store::households::Household;
use husly_store::partners::PartnerOrganisation;
use serde_json::json;
use time::Date;

use crate::{Ctx, PartnerGrant, UseCaseError, UseCaseResult};

/// A household's consents with what the form to record one needs.
pub struct HouseholdConsents {
    pub household: Household,
    /// The newest first.
    pub consents: Vec<Consent>,
    /// The municipality's partner organisations, to choose from.
    pub organisations: Vec<PartnerOrganisation>,
    /// Whether the caller may record and withdraw consents.
    pub can_record: bool,
}

/// A household's consents; the read is recorded.
pub async fn household_consents(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<HouseholdConsents> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    let kept = ctx.store.household(municipality, household).await?;
    let consents = ctx.store.consents_of_household(municipality, household).await?;
    let organisations = ctx.store.partner_organisations(municipality).await?;
    ctx.audit_read(
        municipality,
        "household.consents_view",
        ("household", household.to_string()),
        json!({ "consents": consents.len() }),
    )
    .await?;
    Ok(HouseholdConsents {
        household: kept,
        consents,
        organisations,
        can_record: ctx.require(Action::RecordConsent, municipality).is_ok(),
    })
}

/// Records a member's consent to share with a partner organisation; returns its id. Bad input
/// is refused naming each field (a person outside the household, an organisation of another
/// municipality, a period that ends before it starts), and nothing is kept.
pub async fn record_consent(ctx: &Ctx, household: HouseholdId, input: &ConsentInput<'_>) -> UseCaseResult<String> {
    let municipality = ctx.household_owner(household, Action::RecordConsent).await?;
    let kept = ctx.store.household(municipality, household).await?;
    let members: Vec<PersonId> = kept.members.iter().map(|m| m.person.id).collect();
    let organisations = ctx.store.partner_organisations(municipality).await?;
    let input = ConsentInput {
        organisation_known: organisations.iter().any(|o| o.id == input.organisation.trim()),
        ..input.clone()
    };
    let fields = check_consent(&input, &members, ctx.today)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .record_consent(municipality, household, &fields, &ctx.change(&actor))
        .await?)
}

/// Withdraws a consent at once, with the reason; returns it. A consent withdrawn already is a
/// conflict; a withdrawal is not undone (the person gives a new consent instead).
pub async fn withdraw_consent(ctx: &Ctx, household: HouseholdId, id: &str, reason: &str) -> UseCaseResult<Consent> {
    let municipality = ctx.household_owner(household, Action::RecordConsent).await?;
    let reason = check_withdrawal(reason)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .withdraw_consent(municipality, household, id, &reason, &ctx.change(&actor))
        .await?)
}

/// A household on a partner's list.
#[derive(Debug, Clone)]
pub struct ConsentingHousehold {
    pub household: HouseholdId,
    /// Who gave the consents in force (a member, or a guardian for one).
    pub given_by: Vec<String>,
    pub categories: Vec<ConsentCategory>,
    /// The last day any of its consents is in force.
    pub until: Date,
}

/// How many households a page of the partner's list shows.
pub const PARTNER_PAGE: u64 = 50;

/// A page of the partner's list.
#[derive(Debug, Clone, Default)]
pub struct ConsentingPage {
    /// The organisation the caller works for (`None`: none yet, and the list is empty).
    pub organisation: Option<String>,
    pub lines: Vec<ConsentingHousehold>,
    /// The households with a consent in force in all.
    pub total: u64,
    pub offset: u64,
    /// The open referrals to and from the organisation, by due day (on every page).
    pub referrals: crate::referrals::ReferralQueue,
}

/// The partner's list: the households with a consent to its organisation in force today, by
/// the name of the member who gave it, [`PARTNER_PAGE`] from `offset`.
pub async fn consenting_households(
    ctx: &Ctx,
    municipality: MunicipalityId,
    offset: u64,
) -> UseCaseResult<ConsentingPage> {
    ctx.require(Action::ViewConsentedHouseholds, municipality)?;
    let Some((organisation, name)) = ctx.store.partner_organisation_of(ctx.user.id, municipality).await? else {
        return Ok(ConsentingPage::default());
    };
    let (total, consents) = ctx
        .store
        .consenting_households(municipality, &organisation, ctx.today, (offset, PARTNER_PAGE))
        .await?;
    let mut lines: Vec<ConsentingHousehold> = Vec::new();
    for c in consents.iter().filter(|c| crate::ctx::in_force(c, ctx.today)) {
        let line = match lines.iter_mut().position(|l| l.household == c.household) {
            Some(at) => &mut lines[at],
            None => {
                lines.push(ConsentingHousehold {
                    household: c.household,
                    given_by: Vec::new(),
                    categories: Vec::new(),
                    until: c.valid_to,
                });
                lines.last_mut().expect("just pushed")
            }
        };
        if !line.given_by.contains(&c.person_name) {
            line.given_by.push(c.person_name.clone());
        }
        for category in &c.categories {
            if !line.categories.contains(category) {
                line.categories.push(*category);
            }
        }
        line.categories.sort();
        line.until = line.until.max(c.valid_to);
    }
    let referrals = crate::referrals::partner_open_referrals(ctx, municipality)
        .await?
        .map(|(_, queue)| queue)
        .unwrap_or_default();
    ctx.audit_read(
        municipality,
        "partner.household_list",
        ("partner_organisation", organisation),
        json!({ "households": lines.len(), "total": total, "offset": offset, "referrals": referrals.referrals.len() }),
    )
    .await?;
    Ok(ConsentingPage {
        organisation: Some(name),
        lines,
        total,
        offset,
        referrals,
    })
}

/// A partner's view of a household: the consents it relies on and, of the household, exactly
/// the consented categories (`None` for the others).
pub struct PartnerView {
    pub household: HouseholdId,
    pub grant: PartnerGrant,
    pub contact: Option<Household>,
    pub cases: Option<Vec<husly_domain::cases::Case>>,
    /// The plans (the active one first) and the log, the newest entry first.
    pub follow_up: Option<(Vec<Plan>, Vec<Entry>)>,
    pub economy: Option<PartnerEconomy>,
    /// The documents of the household's applications, the newest application first.
    pub documents: Option<Vec<Document>>,
    /// The household's referrals to and from the caller's organisation, the newest first.
    pub referrals: Vec<husly_store::referrals::Referral>,
    /// The meetings the caller's organisation took part in, the latest held first.
    pub meetings: Vec<husly_store::meetings::Meeting>,
    /// Where the partner may refer the household: the unit, and the other organisations the
    /// household has a consent in force to — (code, name); the unit's name is the page's.
    pub receivers: Vec<(String, Option<String>)>,
}

/// A partner's view of a household, on its consents in force today; a household that has not
/// consented to the caller's organisation is not found. The read is recorded with the consents
/// it relied on and the categories shown.
pub async fn partner_view(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<PartnerView> {
    let (municipality, grant) = ctx.household_access(household, Action::ViewAsPartner).await?;
    let grant = grant.ok_or(UseCaseError::NotFound)?;
    let contact = match grant.allows(ConsentCategory::Contact) {
        true => Some(ctx.store.household(municipality, household).await?),
        false => None,
    };
    let cases = match grant.allows(ConsentCategory::Case) {
        true => Some(ctx.store.cases_of_household(municipality, household).await?),
        false => None,
    };
    let follow_up = match grant.allows(ConsentCategory::FollowUp) {
        true => Some((
            ctx.store.follow_up_plans(municipality, household).await?,
            ctx.store.follow_up_entries(municipality, household).await?,
        )),
        false => None,
    };
    let economy = match grant.allows(ConsentCategory::Economy) {
        true => Some(partner_economy(ctx, municipality, household).await?),
        false => None,
    };
    let documents = match grant.allows(ConsentCategory::Documents) {
        true => Some(household_documents(ctx, municipality, household).await?),
        false => None,
    };
    let referrals =
        crate::referrals::partner_referrals(ctx.store.referrals_of_household(municipality, household).await?, &grant);
    let receivers = crate::referrals::partner_receivers(ctx, municipality, household, &grant).await?;
    let meetings =
        crate::meetings::partner_meetings(ctx.store.meetings_of_household(municipality, household).await?, &grant);
    let shown: Vec<&str> = grant.categories.iter().map(|c| c.code()).collect();
    let relied_on: Vec<&str> = grant.consents.iter().map(|c| c.id.as_str()).collect();
    ctx.audit_read_by(
        &ctx.partner_actor(municipality, &grant),
        municipality,
        "partner.household_view",
        ("household", household.to_string()),
        json!({ "consents": relied_on, "categories": shown, "organisation": grant.organisation }),
    )
    .await?;
    Ok(PartnerView {
        household,
        grant,
        contact,
        cases,
        follow_up,
        economy,
        documents,
        referrals,
        meetings,
        receivers,
    })
}

/// The economy as a partner with an economy consent sees it: each income by the member's place
/// in the household (names are contact details, shown only on a contact consent), the benefits
/// and the rent of the municipal dwelling rented today.
#[derive(Debug, Clone)]
pub struct PartnerEconomy {
    /// (the member's relation, the kind of income, øre per year).
    pub incomes: Vec<(Relation, IncomeKind, i64)>,
    pub benefits: Vec<husly_store::tenancies::Benefit>,
    pub monthly_rent_ore: Option<i64>,
}

async fn partner_economy(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<PartnerEconomy> {
    let economy = ctx.store.economy(municipality, household).await?;
    let members = ctx.store.household(municipality, household).await?.members;
    let incomes = economy
        .incomes
        .iter()
        .filter_map(|(person, kind, ore)| {
            let member = members.iter().find(|m| m.person.id == *person)?;
            Some((member.relation, *kind, *ore))
        })
        .collect();
    Ok(PartnerEconomy {
        monthly_rent_ore: economy.tenancy_on(ctx.today).map(|t| t.monthly_rent_ore),
        benefits: economy.benefits,
        incomes,
    })
}

/// The documents of the household's applications, the newest application first.
async fn household_documents(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<Vec<Document>> {
    let mut documents = Vec::new();
    for case in ctx.store.cases_of_household(municipality, household).await? {
        documents.extend(ctx.store.documents(municipality, Owner::Case(case.id)).await?);
    }
    Ok(documents)
}

/// A document of the household's applications, opened by a partner on a documents consent in
/// force; the read is recorded with the consents relied on. Any other document is not found.
pub async fn partner_document(ctx: &Ctx, household: HouseholdId, document: &str) -> UseCaseResult<(Document, Vec<u8>)> {
    let (municipality, grant) = ctx.household_access(household, Action::ReadDocumentAsPartner).await?;
    let grant = grant.ok_or(UseCaseError::NotFound)?;
    let mut found = None;
    for case in ctx.store.cases_of_household(municipality, household).await? {
        if ctx
            .store
            .documents(municipality, Owner::Case(case.id))
            .await?
            .iter()
            .any(|d| d.id == document)
        {
            found = Some(ctx.store.document(municipality, Owner::Case(case.id), document).await?);
            break;
        }
    }
    let found = found.ok_or(UseCaseError::NotFound)?;
    let relied_on: Vec<&str> = grant.consents.iter().map(|c| c.id.as_str()).collect();
    ctx.audit_read_by(
        &ctx.partner_actor(municipality, &grant),
        municipality,
        "partner.document",
        ("household", household.to_string()),
        json!({ "document": document, "consents": relied_on, "organisation": grant.organisation }),
    )
    .await?;
    Ok(found)
}

/// A partner's follow-up team logs a contact or visit on the household's follow-up consent;
/// returns its id. The entry's audit record names the consents relied on.
pub async fn partner_log_entry(ctx: &Ctx, household: HouseholdId, input: &EntryInput<'_>) -> UseCaseResult<String> {
    let (municipality, grant) = ctx.household_access(household, Action::LogFollowUp).await?;
    let grant = grant.ok_or(UseCaseError::Forbidden)?;
    crate::follow_up::log_entry_by(
        ctx,
        (municipality, household),
        &ctx.partner_actor(municipality, &grant),
        input,
    )
    .await
}
