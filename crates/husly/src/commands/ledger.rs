//! `husly import-ledger FILE --municipality NNNN`: the rent ledger from the accounting system,
//! the same import as the ledger page and `POST /api/v1/tenancies/ledger` (all rows or none). The
//! command line acts as the installation's operator, like its other writes: the import and its
//! audit entry name `cli`. A refused file prints each problem (row, column, what is wrong) on
//! standard error and exits with 2; nothing is imported.

use anyhow::Context;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_usecases::UseCaseError;
use husly_web::i18n::Tr;
use std::path::Path;
use std::process::ExitCode;

use super::open_store;
use crate::config::Config;

/// Exit code for a file that was refused (as opposed to 1 for a failure of Husly).
const REFUSED: u8 = 2;

pub async fn import(config: &Config, file: &Path, number: &str) -> anyhow::Result<ExitCode> {
    let tr = Tr::new(config.lang);
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let store = open_store(config).await?;
    let municipality = store
        .municipality_by_number(number.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no municipality with number {number:?}; see `husly municipality list`"))?;
    let actor = Actor::cli("ledger import");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = husly_usecases::Clock::system().today();
    let result =
        husly_usecases::ledger::import_ledger_as(&store, municipality.id, today, &name, &bytes, "cli", &change).await;
    match result {
        Ok(done) => {
            println!("{}", tr.t("ledger.done.title"));
            let months = match (done.summary.first_month, done.summary.last_month) {
                (Some(first), Some(last)) if first != last => {
                    format!("{} ({}–{})", done.summary.months, first.written(), last.written())
                }
                (Some(first), _) => format!("{} ({})", done.summary.months, first.written()),
                _ => done.summary.months.to_string(),
            };
            for (key, value) in [
                ("ledger.done.rows", done.summary.rows.to_string()),
                ("ledger.done.tenancies", done.summary.tenancies.to_string()),
                ("ledger.done.months", months),
                ("ledger.done.created", done.imported.created.to_string()),
                ("ledger.done.updated", done.imported.updated.to_string()),
                ("ledger.done.unchanged", done.imported.unchanged.to_string()),
            ] {
                println!("{}: {value}", tr.t(key));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(UseCaseError::Invalid(errors)) => {
            eprintln!("{}", tr.t("ledger.import.refused"));
            for (place, message) in husly_web::import_report::problems(&errors, "ledger.field.", &tr) {
                eprintln!("{place}: {message}");
            }
            eprintln!("{}", tr.t("ledger.import.nothing_saved"));
            Ok(ExitCode::from(REFUSED))
        }
        Err(other) => Err(anyhow::anyhow!(
            "importing {} (nothing was imported): {other}",
            file.display()
        )),
    }
}
