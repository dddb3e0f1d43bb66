//! The command line: every command, its options and their `HUSLY_*` environment variables.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "husly",
    version,
    about = "Husly – case management for a municipality's social housing work"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command that touches data understands.
#[derive(Debug, Clone, Args)]
pub struct GlobalOptions {
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST/DB`. Default: a SQLite file in the data directory.
    #[arg(long, global = true, env = "HUSLY_DATABASE_URL")]
    pub database: Option<String>,
    /// Directory for the SQLite database and other local files.
    #[arg(long, global = true, env = "HUSLY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Optional TOML configuration file (settings given as options or HUSLY_* variables win).
    #[arg(long, global = true, env = "HUSLY_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log output: `text` or `json`.
    #[arg(long, global = true, env = "HUSLY_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Language for command output: `nb` (bokmål), `nn` (nynorsk) or `en`.
    #[arg(long, global = true, env = "HUSLY_LANG")]
    pub lang: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Apply pending database migrations.
    Migrate,
    /// Add deterministic synthetic households (invented people only).
    Seed(SeedArgs),
    /// Manage municipalities (tenants).
    #[command(subcommand)]
    Municipality(MunicipalityCommand),
    /// Manage staff users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the access log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write the whole installation to an archive file (JSON Lines).
    Export(FileArg),
    /// Read an archive into an empty database (SQLite or PostgreSQL).
    Import(FileArg),
    /// Write an archive named by date and time into a directory.
    Backup(BackupArgs),
    /// Import the rent ledger from the municipality's accounting system (CSV or XLSX: tenancy
    /// reference, month, amount due, amount paid), all rows or none. A refused file prints each
    /// problem by row and column on standard error and exits with 2.
    ImportLedger(ImportLedgerArgs),
    /// Outreach lists over a municipality's data.
    #[command(subcommand)]
    Outreach(OutreachCommand),
    /// Calculators: JSON on standard input, JSON on standard output.
    #[command(subcommand)]
    Calc(CalcCommand),
    /// Identity number tools.
    #[command(subcommand)]
    Id(IdCommand),
    /// Show the effective configuration (secrets redacted).
    Config,
    /// Re-run a published allocation draw (JSON: commitment, seed, input_hash, entries, order) and
    /// check that it matches; FILE `-` reads standard input. Exit code 0: it matches; 1: it does
    /// not (the first difference is named); 2: the file cannot be read or is not a published draw.
    VerifyDraw(FileArg),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "HUSLY_ADDR")]
    pub addr: Option<String>,
    /// Demo mode: creates "Demo kommune" with synthetic households and one login per role,
    /// and accepts synthetic identity numbers.
    #[arg(long, env = "HUSLY_DEMO")]
    pub demo: bool,
    /// Starts the clock that dates Husly's work (today, the day received, deadlines, the month
    /// of a calculation, the budget year) at this instant instead of the system's, running on
    /// from there (RFC 3339, e.g. 2026-12-31T23:30:00+01:00): for tests and for training
    /// installations that must show a given day. Timestamps of events stay the system's. Dates
    /// are Norway's either way.
    #[arg(long, value_parser = parse_instant)]
    pub clock: Option<time::OffsetDateTime>,
}

fn parse_instant(text: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("not an RFC 3339 instant such as 2026-12-31T23:30:00+01:00 ({e})"))
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// Households to add per municipality.
    #[arg(long)]
    pub households: u64,
    /// Number of municipalities: the demo municipality first, then real ones from SSB's list.
    #[arg(long, default_value_t = 1)]
    pub municipalities: usize,
    /// Seed for the generator; the same seed gives the same people and addresses.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Per cent of households that rent a municipal dwelling.
    #[arg(long, default_value_t = 45, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub tenant_percent: u8,
    /// Per cent of those tenants that have bostøtte registered.
    #[arg(long, default_value_t = 35, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub bostotte_percent: u8,
    /// Per cent of households with an application for municipal housing.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub case_percent: u8,
    /// Years of history: cases and stays spread over this many years (the older ones decided and
    /// ended), so the action plan's trends have data. 0: the last four months only.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub years: u8,
}

#[derive(Debug, Subcommand)]
pub enum MunicipalityCommand {
    /// Add a municipality by its kommunenummer and name from SSB's classification.
    Add {
        /// Four digits, e.g. 3301.
        #[arg(long)]
        number: String,
        /// The name, e.g. Drammen.
        #[arg(long)]
        name: String,
    },
    /// List municipalities.
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user with a role in a municipality (the password is read from standard input).
    Add {
        #[arg(long)]
        municipality: String,
        #[arg(long)]
        email: String,
        /// admin, caseworker, approver, follow_up_worker, housing_manager, leader or partner.
        #[arg(long)]
        role: String,
        /// Display name (defaults to the e-mail address).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users and their roles.
    List,
    /// Disable a user (logs them out everywhere).
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Set a new password (read from standard input).
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the secret is printed once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify every hash chain, and the database against the audit checkpoints kept outside it;
    /// exits non-zero and names the first problem.
    /// Append a signed checkpoint of every chain's head to the checkpoint file (the server does
    /// this at start, every ten minutes and at shutdown; run it from cron between).
    Checkpoint,
    Verify {
        /// The checkpoint file (default: `audit-checkpoints.jsonl` in the data directory, when
        /// it exists).
        #[arg(long)]
        checkpoints: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct FileArg {
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportLedgerArgs {
    /// The file (CSV or .xlsx); see `docs/examples/husleiereskontro.csv`.
    pub file: PathBuf,
    /// Kommunenummer of the municipality whose ledger it is.
    #[arg(long)]
    pub municipality: String,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Directory the archive is written to (created if missing).
    #[arg(default_value = "backups")]
    pub dir: PathBuf,
    /// Encrypt the archive to this age public key (`age1…`), so the backup can leave the machine;
    /// repeat for several keys. Decrypt with `age -d -i KEY` (or rage) before `husly import`.
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum IdCommand {
    /// Validate identity numbers given as arguments, or one per line on standard input.
    Check {
        /// Accept synthetic test numbers (month + 40 or + 80).
        #[arg(long)]
        allow_synthetic: bool,
        numbers: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalcCommand {
    /// Estimate statlig bostøtte. Reads one request (the same JSON as `POST
    /// /api/v1/calculators/bostotte`) and writes the estimate; invalid input gives an error
    /// object naming each field and exit code 2.
    Bostotte,
    /// Assess whether a household can service a startlån (betjeningsevne). Reads one input (the
    /// same JSON as `POST /api/v1/calculators/startlan`) and writes the assessment; invalid input
    /// gives an error object naming each field and exit code 2.
    Startlan,
}

#[derive(Debug, Subcommand)]
pub enum OutreachCommand {
    /// Tenants of municipal dwellings without bostøtte who likely qualify, largest estimate first.
    /// Streams every tenancy; prints the list (CSV or JSON) on standard output and a summary with
    /// the time taken on standard error.
    Bostotte {
        /// Kommunenummer of the municipality.
        #[arg(long)]
        municipality: String,
        /// Month (yyyy-mm or mm.yyyy); the current month when left out.
        #[arg(long)]
        month: Option<String>,
        /// `csv` or `json`.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}
