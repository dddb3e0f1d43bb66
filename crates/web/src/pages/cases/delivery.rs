//! How a decision goes out and an appeal comes in, as the case page shows them: the ways of
//! sending with the day each is taken to arrive, the appeal deadline, and a registered appeal's
//! day, channel and timeliness on the timeline.

use super::view::CasePage;

impl CasePage {
    pub(super) fn appeal_deadline_text(&self) -> Option<String> {
        let deadline = husly_domain::validation::format_date(self.case.appeal_deadline?);
        Some(self.l.tr.f("case.appeal_deadline_is", &[("date", &deadline)]))
    }

    pub(super) fn delivery_channels(&self) -> Vec<&'static str> {
        husly_domain::cases::requests::DeliveryChannel::ALL
            .iter()
            .map(|c| c.code())
            .collect()
    }

    /// A channel with what it means for the day the letter is taken to arrive.
    pub(super) fn delivery_label(&self, code: &str) -> String {
        let number = self
            .l
            .municipalities
            .iter()
            .find(|m| m.id == self.case.municipality_id)
            .map_or("", |m| m.number.as_str());
        let days = husly_domain::eligibility::EligibilityRules::embedded()
            .municipality(number)
            .letters
            .paper_delivery_working_days;
        self.l.tr.f(&format!("delivery.{code}"), &[("days", &days.to_string())])
    }

    pub(super) fn appeal_channels(&self) -> Vec<&'static str> {
        husly_domain::cases::requests::AppealChannel::ALL
            .iter()
            .map(|c| c.code())
            .collect()
    }

    /// When and how a registered appeal was sent, and whether in time (from the event).
    /// A channel as a choice: its words (written to sit inside a sentence) with a capital.
    pub(super) fn appeal_channel_label(&self, code: &str) -> String {
        let key = format!("appeal_channel.{code}");
        let words = self.l.tr.t(&key);
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    pub(super) fn appeal_note(&self, event: &husly_store::households::TimelineEvent) -> Option<String> {
        let appeal = event.details.get("appeal")?;
        let sent_on = appeal.get("sent_on")?.as_str()?;
        let date = husly_domain::validation::parse_date(sent_on).map(husly_domain::validation::format_date)?;
        let channel_key = format!("appeal_channel.{}", appeal.get("channel")?.as_str()?);
        let channel = self.l.tr.t(&channel_key);
        let key = if appeal.get("in_time")?.as_bool()? {
            "case.appeal_sent_in_time"
        } else {
            "case.appeal_sent_late"
        };
        Some(self.l.tr.f(key, &[("date", &date), ("channel", channel)]))
    }
}
