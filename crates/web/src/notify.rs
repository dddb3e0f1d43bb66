//! The notice adapter of an installation without an SMS or e-mail gateway (the demo, tests): it
//! writes to the log that a notice would go, by which channel and for which case, never to whom
//! or what it says (no personal data in logs). A production gateway implements the same port.

use std::future::Future;
use std::pin::Pin;

use husly_usecases::notify::{Notice, Notifier};

/// Logs each notice instead of sending it.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn send<'a>(&'a self, notice: &'a Notice) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(
                channel = notice.channel.code(),
                case = %notice.case_reference,
                "notice to the party logged, not sent (no SMS or e-mail gateway is configured)"
            );
            metrics::counter!("husly_notices_logged_total", "channel" => notice.channel.code()).increment(1);
        })
    }
}
