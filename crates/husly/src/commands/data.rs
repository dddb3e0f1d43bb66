//! migrate, seed, export, import, backup and audit verify.

use super::open_store;
use crate::cli::SeedArgs;
use crate::config::Config;
use anyhow::{Context, bail};
use husly_store::audit::Actor;
use husly_store::seed::{DEMO_MUNICIPALITY, SEED_MUNICIPALITIES};
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    println!("database is at schema version {}", store.schema_version().await?);
    Ok(ExitCode::SUCCESS)
}

pub async fn seed(config: &Config, args: &SeedArgs) -> anyhow::Result<ExitCode> {
    if args.municipalities == 0 || args.municipalities > SEED_MUNICIPALITIES.len() + 1 {
        bail!(
            "--municipalities must be between 1 and {}",
            SEED_MUNICIPALITIES.len() + 1
        );
    }
    let store = open_store(config).await?;
    let actor = Actor::cli("seed");
    let started = Instant::now();
    let all = std::iter::once(DEMO_MUNICIPALITY).chain(SEED_MUNICIPALITIES.iter().copied());
    for (number, name) in all.take(args.municipalities) {
        let municipality = store
            .ensure_municipality(number, name, number == DEMO_MUNICIPALITY.0, &actor)
            .await?;
        let summary = store
            .seed_households_with(
                &municipality,
                args.households,
                args.seed,
                husly_store::seed::EconomyShares {
                    tenant_percent: args.tenant_percent,
                    bostotte_percent: args.bostotte_percent,
                    case_percent: args.case_percent,
                    history_years: args.years,
                },
                &actor,
            )
            .await?;
        println!(
            "{} {}: {} households, {} people",
            municipality.number, municipality.name, summary.households, summary.people
        );
    }
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

pub async fn checkpoint(config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let key = super::checkpoints::key(config)?;
    let checkpoint = super::checkpoints::write(&store, config, &key).await?;
    println!(
        "checkpoint of {} chains appended to {}",
        checkpoint.heads.len(),
        super::checkpoints::file(config).display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn verify(config: &Config, checkpoints: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let report = store.verify_audit().await?;
    if let Some(problem) = report.first_break {
        eprintln!("audit log BROKEN at {problem}");
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "audit log intact: {} entries in {} chains",
        report.entries, report.chains
    );
    // The chains alone cannot show a rewrite by someone with write access to the database; the
    // checkpoints kept outside it can.
    let default = super::checkpoints::file(config);
    let path = match checkpoints {
        Some(path) => path.to_path_buf(),
        None if default.exists() => default,
        None => {
            println!(
                "no audit checkpoints to compare with ({} does not exist)",
                default.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("could not read {}", path.display()))?;
    let list = husly_store::checkpoint::read_checkpoints(&text)?;
    let key = super::checkpoints::key(config)?;
    match store.check_audit_checkpoints(&key, &list).await? {
        None => {
            println!("agrees with {} audit checkpoints in {}", list.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(problem) => {
            eprintln!("audit log REWRITTEN: {problem}");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub async fn export(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let counts = write_archive(&store, file, &[]).await?;
    println!("exported {} rows to {}", counts.total(), file.display());
    for (table, n) in &counts.0 {
        println!("  {table}: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn write_archive(
    store: &husly_store::Store,
    file: &Path,
    recipients: &[age::x25519::Recipient],
) -> anyhow::Result<husly_store::export::Counts> {
    // Write to a temporary name and rename, so a failed export never leaves a half file behind.
    let partial = file.with_extension("partial");
    let handle = private_file(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = BufWriter::new(handle);
    let counts = if recipients.is_empty() {
        store.export(&mut out).await?
    } else {
        // Encrypted as it is written: the plain archive never touches the disk.
        let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))?;
        let mut sealed = encryptor.wrap_output(&mut out)?;
        let counts = store.export(&mut sealed).await?;
        sealed.finish()?;
        counts
    };
    out.flush()?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&partial, file).with_context(|| format!("renaming to {}", file.display()))?;
    store
        .audit(
            &Actor::cli("export"),
            husly_store::audit::Event {
                municipality: None,
                action: "installation.export",
                resource_kind: "installation",
                resource_id: String::new(),
                details: serde_json::json!({ "rows": counts.total() }),
            },
        )
        .await?;
    Ok(counts)
}

/// A new file only its owner may read and write (0600): an archive holds every person's data,
/// the password hashes and the installation's key.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

pub async fn import(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let handle = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let counts = store
        .import(BufReader::new(handle))
        .await
        .with_context(|| format!("importing {} (nothing was imported)", file.display()))?;
    println!("imported {} rows from {}", counts.total(), file.display());
    let report = store.verify_audit().await?;
    if let Some(problem) = report.first_break {
        eprintln!("warning: the imported audit log does not verify: {problem}");
        return Ok(ExitCode::FAILURE);
    }
    println!("audit log verified: {} entries", report.entries);
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(config: &Config, dir: &Path, recipients: &[String]) -> anyhow::Result<ExitCode> {
    // A key that cannot be read is refused before anything is written.
    let recipients = recipients
        .iter()
        .map(|key| {
            key.trim()
                .parse::<age::x25519::Recipient>()
                .map_err(|e| anyhow::anyhow!("--recipient {key:?} is not an age public key (age1…): {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    super::private_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
    let store = open_store(config).await?;
    let now = time::OffsetDateTime::now_utc();
    let name = format!(
        "husly-{:04}{:02}{:02}-{:02}{:02}{:02}.jsonl{}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        if recipients.is_empty() { "" } else { ".age" }
    );
    let file = dir.join(name);
    let counts = write_archive(&store, &file, &recipients).await?;
    println!("backup of {} rows written to {}", counts.total(), file.display());
    Ok(ExitCode::SUCCESS)
}

pub async fn outreach(config: &Config, number: &str, month: Option<&str>, format: &str) -> anyhow::Result<ExitCode> {
    use husly_domain::rules::YearMonth;
    if !matches!(format, "csv" | "json") {
        bail!("--format must be csv or json, not {format:?}");
    }
    let month = match month {
        None => husly_usecases::Clock::system().this_month(),
        Some(text) => text
            .parse::<YearMonth>()
            .map_err(|e| anyhow::anyhow!("--month {text:?}: {e}"))?,
    };
    let store = open_store(config).await?;
    let municipality = store
        .municipality_by_number(number.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no municipality with number {number:?}; see `husly municipality list`"))?;
    let started = Instant::now();
    let list = store.bostotte_outreach(&municipality, month).await?;
    let elapsed = started.elapsed();
    store
        .audit(
            &Actor::cli("outreach"),
            husly_store::audit::Event {
                municipality: Some(municipality.id),
                action: "outreach.bostotte",
                resource_kind: "municipality",
                resource_id: municipality.id.to_string(),
                details: serde_json::json!({ "month": month.to_string(), "households": list.candidates.len(), "via": "cli" }),
            },
        )
        .await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match format {
        "json" => serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::from)
            .and_then(|()| std::io::Write::write_all(&mut out, b"\n")),
        _ => husly_web::outreach_export::write_csv(&list, config.lang, &mut out),
    }
    .and_then(|()| std::io::Write::flush(&mut out));
    // A reader that stops early (`| head`) is not an error.
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    eprintln!(
        "{} {}, {month}: {} tenancies without bostøtte examined, {} likely qualify ({} kr a month in total), in {:.2} s ({:.0} tenancies/s)",
        municipality.number,
        municipality.name,
        list.examined,
        list.candidates.len(),
        list.total_monthly_kr,
        elapsed.as_secs_f64(),
        list.examined as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
