//! Export and import of a whole installation, between SQLite and PostgreSQL in either direction.
//!
//! The archive is JSON Lines: a header line, then one line per row, tables in dependency order
//! and rows in primary-key order, each row an object with its columns in a fixed order. Values are
//! only text, integers, booleans and null, so two exports of the same data are byte-identical
//! whichever backend they came from; a round trip is checked with a plain comparison.
//! Sessions are not exported: they are short-lived and tied to one running server.
//!
//! The last line is a trailer: the rows per table and the SHA-256 of every byte before it. An
//! archive without a valid trailer (cut short, even at a line boundary, or changed) is refused, so
//! a truncated file can never import as complete.
//!
//! An import goes into an empty database, in one transaction: a bad line (named by number), a
//! missing or wrong trailer, or an audit log whose chains do not verify leaves nothing behind.

use crate::Store;
use crate::error::{StoreError, StoreResult};
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::io::{BufRead, Write};

pub const FORMAT: &str = "husly-export";
/// Version 2 added the trailer; version 1 archives (without one) cannot be proved complete.
pub const FORMAT_VERSION: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    /// Binary (a letter's PDF, a document): hex text in the archive, so it stays text only.
    Bytes,
    OptText,
    Int,
    OptInt,
    Bool,
}

struct Table {
    name: &'static str,
    order_by: &'static str,
    columns: &'static [(&'static str, Kind)],
}

use Kind::*;

const TABLES: &[Table] = &[
    Table {
        name: "installation",
        order_by: "key",
        columns: &[("key", Text), ("value", Text)],
    },
    Table {
        name: "municipality",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("number", Text),
            ("name", Text),
            ("is_demo", Bool),
            ("created_at", Int),
        ],
    },
    Table {
        name: "app_user",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("email", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("disabled", Bool),
            ("created_at", Int),
            ("password_changed_at", Int),
        ],
    },
    Table {
        name: "role_assignment",
        order_by: "municipality_id, user_id, role",
        columns: &[
            ("municipality_id", Text),
            ("user_id", Text),
            ("role", Text),
            ("granted_at", Int),
        ],
    },
    Table {
        name: "api_token",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("user_id", Text),
            ("name", Text),
            ("token_hash", Text),
            ("created_at", Int),
            ("expires_at", OptInt),
            ("revoked_at", OptInt),
        ],
    },
    Table {
        name: "person",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("national_id", Text),
            ("id_kind", Text),
            ("given_name", Text),
            ("family_name", Text),
            ("birth_date", Text),
            ("phone", OptText),
            ("email", OptText),
            ("preferred_language", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "household",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("address_line", Text),
            ("postal_code", Text),
            ("postal_city", Text),
            ("from_date", Text),
            ("to_date", OptText),
            ("version", Int),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "household_member",
        order_by: "municipality_id, household_id, person_id",
        columns: &[
            ("household_id", Text),
            ("person_id", Text),
            ("municipality_id", Text),
            ("relation", Text),
            ("position", Int),
        ],
    },
    Table {
        name: "dwelling",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("address_line", Text),
            ("postal_code", Text),
            ("postal_city", Text),
            ("bedrooms", Int),
            ("adapted", Bool),
            ("created_at", Int),
            ("external_id", OptText),
            ("district", OptText),
            ("gnr", OptInt),
            ("bnr", OptInt),
            ("fnr", OptInt),
            ("snr", OptInt),
            ("unit_number", OptText),
            ("dwelling_type", Text),
            ("ownership", Text),
            ("area_m2", OptInt),
            ("floor", OptInt),
            ("lift", Bool),
            ("wheelchair_accessible", Bool),
            ("pets_allowed", Bool),
            ("monthly_rent_ore", Int),
            ("status", Text),
            ("status_from", Text),
            ("version", Int),
            ("updated_at", Int),
            ("deleted_at", OptInt),
        ],
    },
    Table {
        name: "household_income",
        order_by: "municipality_id, household_id, person_id, kind",
        columns: &[
            ("municipality_id", Text),
            ("household_id", Text),
            ("person_id", Text),
            ("kind", Text),
            ("annual_ore", Int),
            ("registered_at", Int),
        ],
    },
    Table {
        name: "household_benefit",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("benefit", Text),
            ("from_date", Text),
            ("to_date", OptText),
            ("created_at", Int),
        ],
    },
    Table {
        name: "application_case",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("reference", Text),
            ("case_type", Text),
            ("state", Text),
            ("version", Int),
            ("form", Text),
            ("overrides", Text),
            ("received_on", Text),
            ("assigned_to", OptText),
            ("interim_due", OptText),
            ("interim_sent_on", OptText),
            ("information_due", OptText),
            ("decided_on", OptText),
            ("delivered_on", OptText),
            ("appeal_deadline", OptText),
            ("valid_until", OptText),
            ("renewal_reminder_on", OptText),
            ("next_due", OptText),
            ("due_order", Text),
            ("finance", OptText),
            ("existing_tenant", Bool),
            ("children", Int),
            ("created_at", Int),
            ("updated_at", Int),
            ("kostra_category", OptText),
            ("kostra_classified_by", OptText),
            ("kostra_classified_at", OptInt),
            ("decide_by", OptText),
        ],
    },
    Table {
        name: "case_decision",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", Text),
            ("outcome", Text),
            ("reasons", Text),
            ("granted_text", OptText),
            ("assessment", Text),
            ("status", Text),
            ("proposed_by", Text),
            ("proposed_at", Int),
            ("decided_by", OptText),
            ("decided_at", OptInt),
            ("sent_at", OptInt),
            ("on_appeal", Bool),
            ("amount_ore", OptInt),
            ("conditions", OptText),
            ("section6", OptText),
            ("renewal", OptText),
        ],
    },
    Table {
        name: "case_letter",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", Text),
            ("decision_id", OptText),
            ("kind", Text),
            ("language", Text),
            ("html", Text),
            ("pdf", Bytes),
            ("sha256", Text),
            ("created_by", OptText),
            ("created_at", Int),
        ],
    },
    Table {
        name: "application_draft",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("code_hash", Text),
            ("case_type", Text),
            ("applicant", Text),
            ("form", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("expires_at", Int),
            ("submitted_case_id", OptText),
        ],
    },
    Table {
        name: "case_document",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", OptText),
            ("draft_id", OptText),
            ("filename", Text),
            ("mime", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Bytes),
            ("uploaded_by", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "case_flag",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", Text),
            ("kind", Text),
            ("person_id", Text),
            ("other_case_id", OptText),
            ("other_household_id", OptText),
            ("status", Text),
            ("resolved_by", OptText),
            ("resolution_reason", OptText),
            ("created_at", Int),
        ],
    },
    Table {
        name: "journal_note",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("case_id", OptText),
            ("visibility", Text),
            ("text", Text),
            ("written_by", Text),
            ("written_at", Int),
        ],
    },
    Table {
        name: "representative",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("kind", Text),
            ("name", Text),
            ("organisation", OptText),
            ("address_line", Text),
            ("postal_code", Text),
            ("postal_city", Text),
            ("phone", OptText),
            ("authority_from", Text),
            ("copy_to_party", Int),
            ("registered_by", Text),
            ("registered_at", Int),
            ("ended_on", OptText),
            ("end_reason", OptText),
            ("ended_by", OptText),
        ],
    },
    Table {
        name: "temporary_stay",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("place", Text),
            ("from_date", Text),
            ("to_date", OptText),
            ("with_children", Int),
            ("end_reason", OptText),
            ("recorded_by", Text),
            ("recorded_at", Int),
            ("ended_by", OptText),
            ("ended_at", OptInt),
            ("provider", OptText),
            ("nightly_cost_ore", OptInt),
            ("quality_remarks", OptText),
        ],
    },
    Table {
        name: "case_task",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", Text),
            ("title", Text),
            ("due_on", Text),
            ("assigned_to", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("done_by", OptText),
            ("done_at", OptInt),
            ("raised_by_applicant", Int),
        ],
    },
    Table {
        name: "applicant_message",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("case_id", Text),
            ("draft_id", Text),
            ("text", Text),
            ("sent_at", Int),
        ],
    },
    Table {
        name: "action_plan",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("title", Text),
            ("period_from", Int),
            ("period_to", Int),
            ("adopted_on", OptText),
            ("council_ref", OptText),
            ("version", Int),
            ("created_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "plan_goal",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("plan_id", Text),
            ("position", Int),
            ("title", Text),
            ("description", OptText),
        ],
    },
    Table {
        name: "plan_measure",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("goal_id", Text),
            ("position", Int),
            ("title", Text),
            ("owner", Text),
            ("deadline", OptText),
            ("status", Text),
            ("budget_ore", OptInt),
        ],
    },
    Table {
        name: "plan_indicator",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("goal_id", Text),
            ("position", Int),
            ("name", Text),
            ("definition", OptText),
            ("unit", Text),
            ("direction", Text),
            ("baseline", Int),
            ("baseline_year", Int),
            ("target", Int),
            ("target_year", Int),
        ],
    },
    Table {
        name: "indicator_report",
        order_by: "indicator_id, year",
        columns: &[
            ("municipality_id", Text),
            ("indicator_id", Text),
            ("year", Int),
            ("value", Int),
            ("reported_by", Text),
            ("reported_at", Int),
        ],
    },
    Table {
        name: "plan_event",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("plan_id", Text),
            ("occurred_at", Int),
            ("actor", Text),
            ("kind", Text),
            ("details", Text),
            ("reason", OptText),
        ],
    },
    Table {
        name: "indicator_snapshot",
        order_by: "municipality_id, definition, year, taken_on",
        columns: &[
            ("municipality_id", Text),
            ("definition", Text),
            ("year", Int),
            ("taken_on", Text),
            ("value", OptInt),
            ("counted", Int),
            ("numerator", OptInt),
        ],
    },
    Table {
        name: "dwelling_event",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("dwelling_id", Text),
            ("occurred_at", Int),
            ("actor", Text),
            ("kind", Text),
            ("status", OptText),
            ("from_date", OptText),
            ("reason", OptText),
            ("details", Text),
        ],
    },
    Table {
        name: "allocation_round",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("number", Int),
            ("state", Text),
            ("policy_version", Text),
            ("policy_fingerprint", Text),
            ("entries", Text),
            ("input_hash", Text),
            ("commitment", Text),
            ("seed", Text),
            ("draw_order", OptText),
            ("outcomes", OptText),
            ("created_by", Text),
            ("created_at", Int),
            ("drawn_at", OptInt),
            ("ended_at", OptInt),
            ("end_reason", OptText),
            ("version", Int),
        ],
    },
    Table {
        name: "allocation_round_line",
        order_by: "round_id, position",
        columns: &[
            ("round_id", Text),
            ("dwelling_id", Text),
            ("municipality_id", Text),
            ("position", Int),
            ("proposed_case_id", OptText),
            ("case_id", OptText),
            ("points", OptInt),
            ("override_reason", OptText),
            ("overridden_by", OptText),
            ("overridden_at", OptInt),
        ],
    },
    Table {
        name: "offer",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("round_id", OptText),
            ("dwelling_id", Text),
            ("case_id", Text),
            ("state", Text),
            ("sent_on", Text),
            ("answer_by", Text),
            ("answered_on", OptText),
            ("decline_reason", OptText),
            ("note", OptText),
            ("created_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("version", Int),
        ],
    },
    Table {
        name: "tenancy",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("dwelling_id", Text),
            ("household_id", Text),
            ("from_date", Text),
            ("to_date", OptText),
            ("monthly_rent_ore", Int),
            ("heating_included", Bool),
            ("created_at", Int),
            ("offer_id", OptText),
            ("case_id", OptText),
            ("term", Text),
            ("term_end", OptText),
            ("security_kind", Text),
            ("security_ore", Int),
            ("notice_11_1_on", OptText),
            ("ended_on", OptText),
            ("end_reason", OptText),
            ("notice_on", OptText),
            ("version", Int),
            ("updated_at", OptInt),
            ("reference", OptText),
            ("move_on_case_id", OptText),
        ],
    },
    Table {
        name: "tenancy_reference_counter",
        order_by: "municipality_id",
        columns: &[("municipality_id", Text), ("last", Int)],
    },
    Table {
        name: "tenancy_period",
        order_by: "tenancy_id, seq",
        columns: &[
            ("tenancy_id", Text),
            ("seq", Int),
            ("municipality_id", Text),
            ("from_date", Text),
            ("to_date", OptText),
            ("monthly_rent_ore", Int),
            ("created_by", OptText),
            ("created_at", Int),
            ("review_case_id", OptText),
        ],
    },
    Table {
        name: "tenancy_event",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("tenancy_id", Text),
            ("occurred_at", Int),
            ("actor", OptText),
            ("kind", Text),
            ("reason", OptText),
            ("details", Text),
        ],
    },
    Table {
        name: "rent_ledger_import",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("file_name", Text),
            ("row_count", Int),
            ("months", Int),
            ("tenancies", Int),
            ("first_period", Text),
            ("last_period", Text),
            ("created", Int),
            ("updated", Int),
            ("unchanged", Int),
            ("via", Text),
            ("imported_by", OptText),
            ("imported_at", Int),
        ],
    },
    Table {
        name: "rent_ledger_entry",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("tenancy_id", Text),
            ("period", Text),
            ("due_ore", Int),
            ("paid_ore", Int),
            ("import_id", Text),
            ("imported_at", Int),
            ("imported_by", OptText),
        ],
    },
    Table {
        name: "tenancy_rent_change",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("tenancy_id", Text),
            ("effective_from", Text),
            ("monthly_rent_ore", Int),
            ("previous_rent_ore", Int),
            ("basis", Text),
            ("notice_on", OptText),
            ("note", OptText),
            ("recorded_by", OptText),
            ("recorded_at", Int),
            ("applied_at", OptInt),
            ("cancelled_at", OptInt),
            ("cancelled_by", OptText),
            ("cancel_reason", OptText),
        ],
    },
    Table {
        name: "follow_up_plan",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("state", Text),
            ("goals", Text),
            ("responsible_user_id", Text),
            ("partner_kind", OptText),
            ("partner_name", OptText),
            ("review_on", Text),
            ("started_on", Text),
            ("closed_on", OptText),
            ("close_reason", OptText),
            ("close_note", OptText),
            ("created_by", Text),
            ("created_at", Int),
            ("updated_at", Int),
            ("version", Int),
        ],
    },
    Table {
        name: "follow_up_measure",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("plan_id", Text),
            ("text", Text),
            ("owner", Text),
            ("due_on", OptText),
            ("status", Text),
            ("created_by", Text),
            ("created_at", Int),
            ("updated_by", OptText),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "follow_up_entry",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("plan_id", OptText),
            ("kind", Text),
            ("outcome", OptText),
            ("occurred_on", Text),
            ("note", OptText),
            ("recorded_by", Text),
            ("recorded_at", Int),
        ],
    },
    Table {
        name: "outreach_contact",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("month", Text),
            ("contacted_on", Text),
            ("channel", Text),
            ("outcome", Text),
            ("note", OptText),
            ("recorded_by", Text),
            ("recorded_at", Int),
        ],
    },
    Table {
        name: "partner_organisation",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("name", Text),
            ("kind", Text),
            ("created_by", Text),
            ("created_at", Int),
        ],
    },
    Table {
        name: "partner_membership",
        order_by: "user_id, municipality_id",
        columns: &[
            ("user_id", Text),
            ("municipality_id", Text),
            ("organisation_id", Text),
            ("added_by", Text),
            ("added_at", Int),
        ],
    },
    Table {
        name: "consent",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("person_id", Text),
            ("organisation_id", Text),
            ("purpose", Text),
            ("categories", Text),
            ("valid_from", Text),
            ("valid_to", Text),
            ("evidence", Text),
            ("given_by", Text),
            ("guardian", OptText),
            ("recorded_by", OptText),
            ("recorded_at", Int),
            ("withdrawn_at", OptInt),
            ("withdrawn_by", OptText),
            ("withdraw_reason", OptText),
            ("sort_name", Text),
        ],
    },
    Table {
        name: "address_protection",
        order_by: "person_id",
        columns: &[
            ("person_id", Text),
            ("municipality_id", Text),
            ("level", Text),
            ("contact_line", OptText),
            ("contact_postal_code", OptText),
            ("contact_postal_city", OptText),
            ("reason", Text),
            ("recorded_by", Text),
            ("recorded_at", Int),
        ],
    },
    Table {
        name: "referral",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("from_organisation", OptText),
            ("to_organisation", OptText),
            ("purpose", Text),
            ("request", Text),
            ("due_on", Text),
            ("state", Text),
            ("answer", OptText),
            ("sent_by", Text),
            ("sent_at", Int),
            ("answered_by", OptText),
            ("answered_at", OptInt),
            ("version", Int),
        ],
    },
    Table {
        name: "meeting",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("kind", Text),
            ("held_on", Text),
            ("summary", Text),
            ("household_present", Int),
            ("others", OptText),
            ("recorded_by", Text),
            ("recorded_for", OptText),
            ("recorded_at", Int),
        ],
    },
    Table {
        name: "meeting_participant",
        order_by: "meeting_id, organisation_id",
        columns: &[("meeting_id", Text), ("organisation_id", Text)],
    },
    Table {
        name: "meeting_action",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("meeting_id", Text),
            ("municipality_id", Text),
            ("household_id", Text),
            ("position", Int),
            ("description", Text),
            ("owner_organisation", OptText),
            ("due_on", Text),
            ("state", Text),
            ("outcome", OptText),
            ("done_by", OptText),
            ("done_at", OptInt),
            ("version", Int),
        ],
    },
    Table {
        name: "reminder",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("kind", Text),
            ("subject_id", Text),
            ("household_id", Text),
            ("due_on", Text),
            ("raised_on", Text),
            ("done_by", OptText),
            ("done_at", OptInt),
            ("version", Int),
        ],
    },
    Table {
        name: "allocation_event",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("round_id", OptText),
            ("offer_id", OptText),
            ("occurred_at", Int),
            ("actor", OptText),
            ("by_applicant", Bool),
            ("kind", Text),
            ("reason", OptText),
            ("details", Text),
        ],
    },
    Table {
        name: "case_reference_counter",
        order_by: "municipality_id, year",
        columns: &[("municipality_id", Text), ("year", Int), ("last", Int)],
    },
    Table {
        name: "grant_budget",
        order_by: "municipality_id, year, grant_type",
        columns: &[
            ("municipality_id", Text),
            ("year", Int),
            ("grant_type", Text),
            ("allocated_ore", Int),
            ("note", Text),
            ("updated_by", OptText),
            ("updated_at", Int),
        ],
    },
    Table {
        name: "reference_budget",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("version", Int),
            ("valid_from", Text),
            ("label", Text),
            ("layout_version", Text),
            ("amounts", Text),
            ("entered_by", OptText),
            ("entered_at", Int),
        ],
    },
    Table {
        name: "priority_policy",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("version", Text),
            ("effective_from", Text),
            ("policy", Text),
            ("fingerprint", Text),
            ("reason", Text),
            ("created_by", OptText),
            ("created_at", Int),
        ],
    },
    Table {
        name: "grant_ledger",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("year", Int),
            ("grant_type", Text),
            ("case_id", Text),
            ("decision_id", OptText),
            ("kind", Text),
            ("amount_ore", Int),
            ("occurred_on", Text),
            ("note", Text),
            ("created_by", OptText),
            ("created_at", Int),
        ],
    },
    Table {
        name: "case_event",
        order_by: "id",
        columns: &[
            ("id", Text),
            ("municipality_id", Text),
            ("household_id", OptText),
            ("kind", Text),
            ("actor_user_id", OptText),
            ("reason", OptText),
            ("details", Text),
            ("occurred_at", Int),
            ("case_id", OptText),
        ],
    },
    Table {
        name: "audit_entry",
        order_by: "chain, seq",
        columns: AUDIT_ENTRY_COLUMNS,
    },
    Table {
        name: "audit_chain_head",
        order_by: "chain",
        columns: &[("chain", Text), ("seq", Int), ("hash", Text)],
    },
    Table {
        name: "access_entry",
        order_by: "chain, seq",
        columns: AUDIT_ENTRY_COLUMNS,
    },
    Table {
        name: "access_chain_head",
        order_by: "chain",
        columns: &[("chain", Text), ("seq", Int), ("hash", Text)],
    },
];

/// The columns of both logs' entries (`audit_entry`, `access_entry`).
const AUDIT_ENTRY_COLUMNS: &[(&str, Kind)] = &[
    ("chain", Text),
    ("seq", Int),
    ("id", Text),
    ("occurred_at", Int),
    ("actor", Text),
    ("actor_role", Text),
    ("municipality_id", OptText),
    ("action", Text),
    ("resource_kind", Text),
    ("resource_id", Text),
    ("purpose", Text),
    ("request_id", Text),
    ("details", Text),
    ("prev_hash", Text),
    ("hash", Text),
];

/// Rows per multi-row INSERT during import: few round trips, well under both backends' limits
/// on bound parameters.
const IMPORT_BATCH_ROWS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, u64)>);

impl Counts {
    fn add(&mut self, table: &str) {
        match self.0.iter_mut().find(|(t, _)| t == table) {
            Some((_, n)) => *n += 1,
            None => self.0.push((table.to_string(), 1)),
        }
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// Rows an import writes before it first refreshes PostgreSQL's statistics (then at each doubling).
const REFRESH_PLANS_FROM_ROWS: usize = 20_000;

/// Tables of the schema that are not exported, and why.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    (
        "user_session",
        "sessions are short-lived and tied to one running server",
    ),
    ("schema_migration", "written by `migrate` in the target database"),
    (
        "job_run",
        "the scheduler's claims of one installation's servers; the target's servers run their own",
    ),
    (
        "waiting_list_generation",
        "a change counter kept by triggers; importing the rows sets it in the target",
    ),
    (
        "queue_generation",
        "a change counter kept by triggers; importing the cases sets it in the target",
    ),
    (
        "grant_ledger_total",
        "the grant ledger's sums kept by triggers; importing the ledger sets them in the target",
    ),
    (
        "household_display",
        "what lists show of a household, kept by triggers; importing the households makes it again",
    ),
    (
        "person_search",
        "the search index's words, made from the names; an import makes them again",
    ),
    (
        "household_search",
        "the search index's words, made from the addresses; an import makes them again",
    ),
    (
        "person_search_pair",
        "the search index's pair tokens, made from the names; an import makes them again",
    ),
    (
        "outreach_list",
        "the outreach list as last made from the tenancies; the target's nightly run makes it again",
    ),
    (
        "outreach_list_entry",
        "the outreach list as last made from the tenancies; the target's nightly run makes it again",
    ),
];

/// Every exported table with its columns, in archive order.
pub fn exported_tables() -> Vec<(&'static str, Vec<&'static str>)> {
    TABLES
        .iter()
        .map(|t| (t.name, t.columns.iter().map(|(c, _)| *c).collect()))
        .collect()
}

impl Store {
    /// The live schema's tables and their columns, sorted: what an export must cover.
    pub async fn live_columns(&self) -> StoreResult<Vec<(String, Vec<String>)>> {
        // SQLite's full-text index keeps its own tables (`*_fts`, `*_fts_data`, …); the triggers
        // of schema 30 fill them from `person_search` and `household_search`. The access log's
        // tables are in the attached file `access`.
        let sql = match self.backend() {
            crate::db::Backend::Sqlite => {
                "SELECT table_name, column_name FROM ( \
                 SELECT m.name AS table_name, p.name AS column_name FROM main.sqlite_schema m \
                 JOIN pragma_table_info(m.name, 'main') p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
                 AND m.name NOT LIKE '%\\_fts%' ESCAPE '\\' \
                 UNION ALL SELECT m.name, p.name FROM access.sqlite_schema m \
                 JOIN pragma_table_info(m.name, 'access') p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%') \
                 ORDER BY table_name, column_name"
            }
            crate::db::Backend::Postgres => {
                // Tables only: a view holds no data of its own (schema 49's `household_display_source`).
                "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name \
                 FROM information_schema.columns c JOIN information_schema.tables t \
                 ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                 ORDER BY c.table_name, c.column_name"
            }
        };
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for row in sqlx::query(sql).fetch_all(&mut *self.conn().await?).await? {
            let (table, column): (String, String) = (row.try_get("table_name")?, row.try_get("column_name")?);
            match tables.last_mut() {
                Some((name, columns)) if *name == table => columns.push(column),
                _ => tables.push((table, vec![column])),
            }
        }
        Ok(tables)
    }
}

/// A writer that digests what passes through it, for the trailer.
struct Hashing<'a, W: Write> {
    inner: &'a mut W,
    digest: Sha256,
}

impl<W: Write> Write for Hashing<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.digest.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The trailer line for rows counted so far and the digest of every byte before it.
fn trailer(counts: &Counts, digest: Sha256) -> Value {
    let rows: Map<String, Value> = counts.0.iter().map(|(t, n)| (t.clone(), Value::from(*n))).collect();
    serde_json::json!({ "trailer": { "rows": rows, "sha256": hex::encode(digest.finalize()) } })
}

/// Appends the trailer to an archive written without one: for tests and tools that build an
/// archive by hand. The rows are counted from the lines themselves.
pub fn seal(archive: &str) -> String {
    let mut counts = Counts::default();
    for line in archive.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(line)
            && let Some(Value::String(table)) = o.get("table")
        {
            counts.add(table);
        }
    }
    let mut digest = Sha256::new();
    digest.update(archive.as_bytes());
    let mut sealed = archive.to_string();
    if !sealed.is_empty() && !sealed.ends_with('\n') {
        sealed.push('\n');
        digest.update(b"\n");
    }
    sealed.push_str(&trailer(&counts, digest).to_string());
    sealed.push('\n');
    sealed
}

fn write_line(out: &mut impl Write, value: &Value) -> StoreResult<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| StoreError::Other(e.into()))?;
    out.write_all(b"\n").map_err(|e| StoreError::Other(e.into()))
}

fn cell(row: &sqlx::any::AnyRow, column: &str, kind: Kind) -> StoreResult<Value> {
    Ok(match kind {
        Text => Value::String(row.try_get(column)?),
        Bytes => Value::String(hex::encode(row.try_get::<Vec<u8>, _>(column)?)),
        OptText => row
            .try_get::<Option<String>, _>(column)?
            .map_or(Value::Null, Value::String),
        Int => Value::from(row.try_get::<i64, _>(column)?),
        OptInt => row.try_get::<Option<i64>, _>(column)?.map_or(Value::Null, Value::from),
        Bool => Value::Bool(crate::flag_of(row, column)?),
    })
}

impl Store {
    /// Writes every exported table to `out`. Returns the row counts per table.
    pub async fn export(&self, out: &mut impl Write) -> StoreResult<Counts> {
        let mut out = Hashing {
            inner: out,
            digest: Sha256::new(),
        };
        let out = &mut out;
        let header = serde_json::json!({
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "schema": crate::migrate::LATEST,
        });
        write_line(out, &header)?;
        let mut counts = Counts::default();
        for table in TABLES {
            let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                columns.join(", "),
                table.name,
                table.order_by
            );
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(self.pool());
            while let Some(row) = rows.try_next().await? {
                let mut object = Map::new();
                object.insert("table".into(), Value::String(table.name.into()));
                let mut values = Map::new();
                for (column, kind) in table.columns {
                    values.insert((*column).into(), cell(&row, column, *kind)?);
                }
                object.insert("row".into(), Value::Object(values));
                write_line(out, &Value::Object(object))?;
                counts.add(table.name);
            }
        }
        let trailer = trailer(&counts, out.digest.clone());
        write_line(out.inner, &trailer)?;
        Ok(counts)
    }

    /// Reads an archive into this (migrated, empty) database in one transaction.
    pub async fn import(&self, input: impl BufRead) -> StoreResult<Counts> {
        let rows = ArchiveRows::open(input)?;
        let mut tx = self.write().await?;
        if self.has_user_data(&mut tx).await? {
            return Err(StoreError::Invalid(
                "the target database already holds municipalities or users; import only into an empty database".into(),
            ));
        }
        // The installation row and chain heads written by `migrate` are replaced by the archive's.
        for table in ["installation", "audit_chain_head", "access_chain_head"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(tx.conn())
                .await?;
        }
        let mut counts = Counts::default();
        let mut table_index = 0;
        let mut batch: Vec<Vec<Value>> = Vec::new();
        // See `Store::refresh_plans_while_loading`: the statistics are refreshed inside the
        // import's transaction each time the rows written have doubled.
        let (mut written, mut refresh_at) = (0usize, REFRESH_PLANS_FROM_ROWS);
        for row in rows {
            let (table_pos, values) = row?;
            if table_pos != table_index || batch.len() == IMPORT_BATCH_ROWS {
                insert_batch(&mut tx, &TABLES[table_index], &batch).await?;
                written += batch.len();
                if written >= refresh_at && tx.backend() == crate::Backend::Postgres {
                    sqlx::raw_sql("ANALYZE").execute(tx.conn()).await?;
                    refresh_at = written * 2;
                }
                batch.clear();
                table_index = table_pos;
            }
            counts.add(TABLES[table_pos].name);
            batch.push(values);
        }
        insert_batch(&mut tx, &TABLES[table_index], &batch).await?;
        crate::search::rebuild_search_index(&mut tx).await?;
        // All or nothing: an audit log that does not verify is not imported at all.
        if let Some(problem) = crate::audit::verify_on(tx.conn()).await?.first_break {
            return Err(StoreError::Invalid(format!(
                "the archive's audit log does not verify ({problem}); nothing was imported"
            )));
        }
        tx.commit().await?;
        if let Ok(mut cache) = self.shared.hmac_key.write() {
            *cache = None;
        }
        self.analyze().await?;
        Ok(counts)
    }

    async fn has_user_data(&self, tx: &mut crate::Tx) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM municipality) + (SELECT COUNT(*) FROM app_user) + (SELECT COUNT(*) FROM audit_entry) \
             + (SELECT COUNT(*) FROM access_entry) AS n",
        )
        .fetch_one(tx.conn())
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }
}

/// Checks a whole archive without touching a database: the header, the table order, every
/// column and every value's type. `import` applies the same checks line by line; this lets an
/// operator (and the fuzzer) check a file first.
pub fn check_archive(input: impl BufRead) -> StoreResult<Counts> {
    let mut counts = Counts::default();
    for row in ArchiveRows::open(input)? {
        counts.add(TABLES[row?.0].name);
    }
    Ok(counts)
}

/// The rows of an archive, checked line by line: `(table index, values in column order)`.
struct ArchiveRows<R: BufRead> {
    lines: std::iter::Enumerate<std::io::Lines<R>>,
    table_index: usize,
    /// The schema version the archive was written from.
    schema: i64,
    /// Every byte read before the trailer, and the rows per table, to check against it.
    digest: Sha256,
    counts: Counts,
    /// The trailer was read and matched; nothing may follow it.
    sealed: bool,
    /// The end was reached (and reported).
    done: bool,
}

impl<R: BufRead> ArchiveRows<R> {
    /// Reads and checks the header line.
    fn open(input: R) -> StoreResult<Self> {
        let mut lines = input.lines().enumerate();
        let (_, header) = lines
            .next()
            .ok_or_else(|| StoreError::Invalid("line 1: the file is empty, expected a husly-export header".into()))?;
        let header = header.map_err(|e| line_error(1, &e.to_string()))?;
        let schema = check_header(&header)?;
        let mut digest = Sha256::new();
        digest.update(header.as_bytes());
        digest.update(b"\n");
        Ok(ArchiveRows {
            lines,
            table_index: 0,
            schema,
            digest,
            counts: Counts::default(),
            sealed: false,
            done: false,
        })
    }
}

impl<R: BufRead> Iterator for ArchiveRows<R> {
    type Item = StoreResult<(usize, Vec<Value>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        for (index, line) in self.lines.by_ref() {
            let number = index + 1;
            let line = match line {
                Ok(line) => line,
                Err(e) => return Some(Err(line_error(number, &e.to_string()))),
            };
            if self.sealed {
                if line.trim().is_empty() {
                    continue;
                }
                self.done = true;
                return Some(Err(line_error(number, "nothing may follow the trailer")));
            }
            if line.starts_with("{\"trailer\"") {
                if let Err(e) = check_trailer(&self.digest, &self.counts, number, &line) {
                    self.done = true;
                    return Some(Err(e));
                }
                self.sealed = true;
                continue;
            }
            self.digest.update(line.as_bytes());
            self.digest.update(b"\n");
            if line.trim().is_empty() {
                continue;
            }
            let row = match parse_row(number, &line, self.table_index, self.schema) {
                Ok(Line::Row(table, values)) => Ok((table, values)),
                Ok(Line::DroppedTable(name)) => {
                    self.counts.add(&name);
                    continue;
                }
                Err(e) => Err(e),
            };
            if let Ok((table, _)) = &row {
                self.table_index = *table;
                self.counts.add(TABLES[*table].name);
            }
            return Some(row);
        }
        self.done = true;
        if self.sealed {
            None
        } else {
            Some(Err(StoreError::Invalid(
                "the archive ends without its trailer: it was cut short or is not complete; nothing was imported"
                    .into(),
            )))
        }
    }
}

/// Checks the trailer against the rows read and the digest of every byte before it.
fn check_trailer(digest: &Sha256, counts: &Counts, number: usize, line: &str) -> StoreResult<()> {
    let trailer: Value = serde_json::from_str(line).map_err(|e| line_error(number, &format!("not JSON: {e}")))?;
    let expected = &trailer["trailer"];
    let digest = hex::encode(digest.clone().finalize());
    if expected["sha256"].as_str() != Some(digest.as_str()) {
        return Err(line_error(
            number,
            "the archive does not match its trailer's SHA-256: it was changed or damaged",
        ));
    }
    let rows = expected["rows"].as_object().cloned().unwrap_or_default();
    let counted: Map<String, Value> = counts.0.iter().map(|(t, n)| (t.clone(), Value::from(*n))).collect();
    if rows != counted {
        return Err(line_error(
            number,
            "the rows per table do not match the trailer: the archive is not complete",
        ));
    }
    Ok(())
}

fn line_error(line: usize, message: &str) -> StoreError {
    StoreError::Invalid(format!("line {line}: {message}"))
}

/// Checks the header line; returns the schema version the archive was written from.
fn check_header(line: &str) -> StoreResult<i64> {
    let header: Value = serde_json::from_str(line).map_err(|e| line_error(1, &format!("not JSON: {e}")))?;
    if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(line_error(
            1,
            "not a husly-export archive (the header's \"format\" is missing or wrong)",
        ));
    }
    match header.get("version").and_then(Value::as_i64) {
        Some(FORMAT_VERSION) => {}
        Some(1) => {
            return Err(line_error(
                1,
                "archive format version 1 has no trailer, so it cannot be proved complete; export it again with this husly",
            ));
        }
        Some(v) => {
            return Err(line_error(
                1,
                &format!("archive format version {v} is not supported (this husly reads {FORMAT_VERSION})"),
            ));
        }
        None => return Err(line_error(1, "the header has no \"version\"")),
    }
    match header.get("schema").and_then(Value::as_i64) {
        Some(v) if v <= crate::migrate::LATEST => Ok(v),
        Some(v) => Err(line_error(
            1,
            &format!(
                "archive is from schema {v}, newer than this husly ({})",
                crate::migrate::LATEST
            ),
        )),
        None => Err(line_error(1, "the header has no \"schema\"")),
    }
}

/// Columns renamed since an earlier schema: (table, old name, new name, the schema that renamed
/// it). Archives written before keep their old names and import all the same.
const RENAMED: &[(&str, &str, &str, i64)] = &[
    ("case_letter", "pdf_hex", "pdf", 5),
    ("case_document", "content_hex", "content", 5),
];

/// Columns dropped since an earlier schema: (table, column, the schema that dropped it). Archives
/// written before carry them; their values are left out on import. `main_reason` was the
/// applicant's first tick, which the form's ticks (exported with the case) still hold.
const DROPPED: &[(&str, &str, i64)] = &[("application_case", "main_reason", 12)];

/// Columns added since an earlier schema: (table, column, the schema that added it, the value
/// rows of older archives get: the one the migration gave existing rows, null when `None`).
const ADDED: &[(&str, &str, i64, Option<i64>)] = &[
    ("case_decision", "section6", 10, None),
    ("application_case", "kostra_category", 12, None),
    ("application_case", "kostra_classified_by", 12, None),
    ("application_case", "kostra_classified_at", 12, None),
    ("case_task", "raised_by_applicant", 15, Some(0)),
    ("case_decision", "renewal", 23, None),
    ("application_case", "decide_by", 23, None),
    ("tenancy_period", "review_case_id", 23, None),
    // Numbered on import by the trigger that numbers every tenancy written without one.
    ("tenancy", "reference", 24, None),
    ("temporary_stay", "provider", 25, None),
    ("temporary_stay", "nightly_cost_ore", 25, None),
    ("temporary_stay", "quality_remarks", 25, None),
    ("tenancy", "move_on_case_id", 25, None),
];

/// Tables dropped since an earlier schema: (table, the schema that dropped it). Archives written
/// before carry their rows; they are counted for the trailer and left out. `person_name_token`
/// held the name words the search index (schema 30) now makes from the names themselves.
const DROPPED_TABLES: &[(&str, i64)] = &[("person_name_token", 30)];

/// A row line read: a row for a table of this schema, or one of a table since dropped.
enum Line {
    Row(usize, Vec<Value>),
    DroppedTable(String),
}

/// Parses one row line; checks the table order, the exact column set and each value's type.
fn parse_row(line_no: usize, line: &str, current_table: usize, schema: i64) -> StoreResult<Line> {
    let mut object: Map<String, Value> = match serde_json::from_str(line) {
        Ok(Value::Object(o)) => o,
        Ok(_) => return Err(line_error(line_no, "expected a JSON object")),
        Err(e) => return Err(line_error(line_no, &format!("not JSON: {e}"))),
    };
    let name = match object.remove("table") {
        Some(Value::String(s)) => s,
        _ => return Err(line_error(line_no, "missing \"table\"")),
    };
    if DROPPED_TABLES
        .iter()
        .any(|(table, since)| *table == name && schema < *since)
    {
        return Ok(Line::DroppedTable(name));
    }
    let position = TABLES
        .iter()
        .position(|t| t.name == name)
        .ok_or_else(|| line_error(line_no, &format!("unknown table {name:?}")))?;
    if position < current_table {
        return Err(line_error(
            line_no,
            &format!(
                "table {name:?} comes after {:?}; tables must be in dependency order",
                TABLES[current_table].name
            ),
        ));
    }
    let mut row = match object.remove("row") {
        Some(Value::Object(o)) => o,
        _ => return Err(line_error(line_no, "missing \"row\" object")),
    };
    if let Some(extra) = object.keys().next() {
        return Err(line_error(line_no, &format!("unexpected key {extra:?}")));
    }
    for (table, old, new, since) in RENAMED {
        if *table == name
            && schema < *since
            && let Some(value) = row.remove(*old)
        {
            row.insert((*new).into(), value);
        }
    }
    for (table, column, since) in DROPPED {
        if *table == name && schema < *since {
            row.remove(*column);
        }
    }
    for (table, column, since, value) in ADDED {
        if *table == name && schema < *since && !row.contains_key(*column) {
            row.insert((*column).into(), value.map_or(Value::Null, Value::from));
        }
    }
    let table = &TABLES[position];
    let mut values = Vec::with_capacity(table.columns.len());
    for (column, kind) in table.columns {
        let value = row
            .remove(*column)
            .ok_or_else(|| line_error(line_no, &format!("{name}.{column} is missing")))?;
        if value
            .as_str()
            .is_some_and(husly_domain::validation::has_forbidden_control)
        {
            return Err(line_error(
                line_no,
                &format!("{name}.{column} holds a control character, which no field may hold"),
            ));
        }
        let fits = match kind {
            Text => value.is_string(),
            Bytes => value.as_str().is_some_and(|hex| hex::decode(hex).is_ok()),
            OptText => value.is_string() || value.is_null(),
            Int => value.is_i64(),
            OptInt => value.is_i64() || value.is_null(),
            Bool => value.is_boolean(),
        };
        if !fits {
            return Err(line_error(
                line_no,
                &format!("{name}.{column} has the wrong type ({kind:?} expected)"),
            ));
        }
        values.push(value);
    }
    if let Some(extra) = row.keys().next() {
        return Err(line_error(line_no, &format!("{name} has no column {extra:?}")));
    }
    Ok(Line::Row(position, values))
}

/// Inserts rows (values in the table's export column order) into one of the exported tables.
pub(crate) async fn insert_rows(tx: &mut crate::Tx, table: &str, rows: &[Vec<Value>]) -> StoreResult<()> {
    let table = TABLES
        .iter()
        .find(|t| t.name == table)
        .ok_or_else(|| StoreError::Invalid(format!("unknown table {table:?}")))?;
    for chunk in rows.chunks(IMPORT_BATCH_ROWS) {
        insert_batch(tx, table, chunk).await?;
    }
    Ok(())
}

async fn insert_batch(tx: &mut crate::Tx, table: &Table, rows: &[Vec<Value>]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let width = table.columns.len();
    let placeholders: Vec<String> = (0..rows.len())
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {}",
        table.name,
        columns.join(", "),
        placeholders.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for (value, (_, kind)) in row.iter().zip(table.columns) {
            query = match (kind, value) {
                (Text | OptText, Value::String(s)) => query.bind(s.clone()),
                (Bytes, Value::String(hex)) => {
                    query.bind(hex::decode(hex).map_err(|e| StoreError::Invalid(format!("{}: {e}", table.name)))?)
                }
                (OptText, _) => query.bind(None::<String>),
                (Int | OptInt, Value::Number(n)) => query.bind(n.as_i64()),
                (OptInt, _) => query.bind(None::<i64>),
                (Bool, Value::Bool(b)) => query.bind(crate::flag(*b)),
                _ => return Err(StoreError::Invalid(format!("{}: value of the wrong type", table.name))),
            };
        }
    }
    query
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::Invalid(format!("table {}: {e}", table.name)))?;
    Ok(())
}
