//! "Why are we number N?": a household's position in plain language, as catalogue messages.
//!
//! The same list serves the caseworker's page, the applicant's status page and a letter: the
//! points and why each was given (the policy's own criterion titles, in the reader's language),
//! the waiting-time points and their cap, the place on the whole list and among the households
//! that compete for the same dwellings, how ties are broken, and what would change the position.

#[cfg(test)]
mod tests;

use super::policy::{PriorityPolicy, TieBreaker, text_in};
use super::priority::{PeerPosition, Ranking};
use crate::Lang;
use crate::message::Message;
use crate::validation::format_date;

/// The explanation of one household's position, or `None` when it is not in the ranking.
pub fn explain(
    policy: &PriorityPolicy,
    ranking: &Ranking,
    entry_id: &str,
    peers: &[PeerPosition],
    lang: Lang,
) -> Option<Vec<Message>> {
    let index = ranking.entries.iter().position(|r| r.priority.entry_id == entry_id)?;
    let row = &ranking.entries[index];
    let p = &row.priority;
    let w = &p.waiting;
    let mut out = vec![Message::new("allocation.explain.total").arg("points", p.total)];

    if p.criteria.is_empty() {
        out.push(Message::new("allocation.explain.no_criteria"));
    }
    for c in &p.criteria {
        out.push(
            Message::new("allocation.explain.criterion")
                .arg("points", c.points)
                .arg("title", text_in(&c.title, lang)),
        );
    }
    out.push(if w.points_per_month == 0 || w.max_points == 0 {
        Message::new("allocation.explain.waiting_not_counted")
    } else if w.months == 0 {
        Message::new("allocation.explain.waiting_none")
            .arg("per_month", w.points_per_month)
            .arg("max", w.max_points)
    } else if w.capped {
        Message::new("allocation.explain.waiting_capped")
            .arg("points", w.points)
            .arg("months", w.months)
    } else {
        let key = if w.months == 1 {
            "allocation.explain.waiting_one_month"
        } else {
            "allocation.explain.waiting"
        };
        Message::new(key)
            .arg("points", w.points)
            .arg("months", w.months)
            .arg("max", w.max_points)
    });

    out.push(
        Message::new("allocation.explain.position_overall")
            .arg("position", row.position)
            .arg("of", ranking.entries.len()),
    );
    for peer in peers {
        let b = peer.bedrooms;
        let message = if b.min == 0 {
            Message::new("allocation.explain.position_up_to").arg("max", b.max)
        } else {
            let bedrooms = if b.min == b.max {
                b.min.to_string()
            } else {
                format!("{}–{}", b.min, b.max)
            };
            Message::new("allocation.explain.position").arg("bedrooms", bedrooms)
        };
        out.push(
            message
                .arg_key("type", peer.dwelling_type.key())
                .arg("position", peer.position)
                .arg("of", peer.of),
        );
    }

    let same_points = ranking
        .entries
        .iter()
        .filter(|r| r.priority.total == p.total && r.priority.entry_id != p.entry_id)
        .count();
    if same_points > 0 {
        out.push(if same_points == 1 {
            Message::new("allocation.explain.same_points_one")
        } else {
            Message::new("allocation.explain.same_points").arg("others", same_points)
        });
        for t in &policy.tie_breakers {
            out.push(match t {
                TieBreaker::ApprovalDate => {
                    Message::new("allocation.explain.tie.approval_date").arg("date", format_date(row.approved_on))
                }
                TieBreaker::ReceivedDate => {
                    Message::new("allocation.explain.tie.received_date").arg("date", format_date(row.received_on))
                }
                TieBreaker::Draw => Message::new("allocation.explain.tie.draw"),
            });
        }
        if row.tied_with > 0 {
            out.push(if row.tied_with == 1 {
                Message::new("allocation.explain.tie_unresolved_one")
            } else {
                Message::new("allocation.explain.tie_unresolved").arg("others", row.tied_with)
            });
        }
    }

    // What would change the position.
    if let Some(above) = ranking.entries[..index]
        .iter()
        .rev()
        .find(|r| r.priority.total > p.total)
    {
        out.push(Message::new("allocation.explain.gap").arg("gap", above.priority.total - p.total));
    }
    if w.points_per_month > 0 && w.max_points > 0 && !w.capped {
        out.push(
            Message::new("allocation.explain.more_waiting")
                .arg("per_month", w.points_per_month)
                .arg("max", w.max_points),
        );
    }
    out.push(Message::new("allocation.explain.change_situation"));
    out.push(
        Message::new("allocation.explain.policy")
            .arg("policy", &policy.cited_as)
            .arg("version", &policy.version)
            .arg("from", format_date(policy.effective_from)),
    );
    Some(out)
}
