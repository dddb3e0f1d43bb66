//! The web layer's settings (loaded and validated by the `husly` binary).

use husly_domain::national_id::SyntheticPolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecureCookies {
    /// Secure when the request came over TLS (directly or as told by a trusted proxy).
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Demo or test installation: synthetic identity numbers are accepted and the UI says so.
    pub demo_mode: bool,
    pub secure_cookies: SecureCookies,
    /// Trust `X-Forwarded-Proto` and `X-Forwarded-For` from a reverse proxy.
    pub behind_proxy: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest document (PDF, JPEG, PNG) accepted as an upload, in bytes.
    pub max_document_bytes: usize,
    /// The bearer token `/metrics` asks for. Without one, `/metrics` answers only requests from
    /// this machine (and none behind a proxy, where every request would look local).
    pub metrics_token: Option<String>,
    /// Applications one address may start at `/apply` per hour.
    pub apply_drafts_per_hour: u32,
    /// Documents one application may carry before it is sent, and their bytes in all.
    pub apply_documents_per_draft: u32,
    pub apply_bytes_per_draft: u64,
    /// Bytes all applicants together may upload to one municipality in 24 hours.
    pub apply_bytes_per_municipality_per_day: u64,
    /// The audit checkpoints the server appends (the data directory's `audit-checkpoints.jsonl`),
    /// served at `/audit/checkpoints` for a second party to collect.
    pub checkpoints_file: Option<std::path::PathBuf>,
    /// How long a computed indicator value of this year is shown before it is computed again.
    pub live_values: std::time::Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            demo_mode: false,
            secure_cookies: SecureCookies::Auto,
            behind_proxy: false,
            max_body_bytes: 64 * 1024,
            max_document_bytes: 10 * 1024 * 1024,
            metrics_token: None,
            apply_drafts_per_hour: 10,
            apply_documents_per_draft: 20,
            apply_bytes_per_draft: 50 * 1024 * 1024,
            apply_bytes_per_municipality_per_day: 2 * 1024 * 1024 * 1024,
            checkpoints_file: None,
            live_values: husly_usecases::live_values::DEFAULT_TTL,
        }
    }
}

impl WebConfig {
    pub fn synthetic_policy(&self) -> SyntheticPolicy {
        if self.demo_mode {
            SyntheticPolicy::Allow
        } else {
            SyntheticPolicy::Reject
        }
    }
}
