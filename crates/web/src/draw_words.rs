//! A published draw's verification in words, the same for `husly verify-draw` and
//! `POST /api/v1/draws/verify`.

use husly_domain::allocation::draw::{DrawMismatch, EntryProblem, PublishedDraw};

use crate::i18n::Tr;

/// The first difference in words; positions counted from 1 as a reader counts them.
pub fn mismatch_text(tr: Tr, published: &PublishedDraw, mismatch: &DrawMismatch) -> String {
    match mismatch {
        DrawMismatch::Commitment { published, computed } => tr.f(
            "verify_draw.commitment",
            &[("published", published), ("computed", computed)],
        ),
        DrawMismatch::InputHash { published, computed } => tr.f(
            "verify_draw.input_hash",
            &[("published", published), ("computed", computed)],
        ),
        DrawMismatch::Entries { position, problem } => {
            let number = (position + 1).to_string();
            let id = published.entries.get(*position).cloned().unwrap_or_default();
            let problem = match problem {
                EntryProblem::Empty => tr.t("verify_draw.entry.empty"),
                EntryProblem::LineBreak => tr.t("verify_draw.entry.line_break"),
                EntryProblem::NotSorted => tr.t("verify_draw.entry.not_sorted"),
            };
            tr.f(
                "verify_draw.entries",
                &[("number", &number), ("id", &id), ("problem", problem)],
            )
        }
        DrawMismatch::OrderLength { published, computed } => {
            let (published, computed) = (published.to_string(), computed.to_string());
            tr.f(
                "verify_draw.order_length",
                &[("published", &published), ("computed", &computed)],
            )
        }
        DrawMismatch::Order {
            position,
            published,
            computed,
        } => {
            let number = (position + 1).to_string();
            tr.f(
                "verify_draw.order",
                &[("number", &number), ("published", published), ("computed", computed)],
            )
        }
    }
}
