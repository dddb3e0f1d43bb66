//! The `husly` binary: one executable for the server and every administrative task.

mod allocator;
mod cli;
mod commands;
mod config;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    allocator::limit_c_arenas();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("husly: could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("husly: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let (addr, demo) = match &cli.command {
        Command::Serve(args) => (args.addr.as_deref(), args.demo),
        _ => (None, false),
    };
    let config = config::Config::load(&cli.global, addr, demo)?;
    commands::init_logging(config.json_logs);
    let result = dispatch(cli.command, &config).await;
    commands::close_opened_stores().await;
    result
}

async fn dispatch(command: Command, config: &config::Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => commands::serve::run(config, args.clock).await,
        Command::Migrate => commands::data::migrate(config).await,
        Command::Seed(args) => commands::data::seed(config, &args).await,
        Command::Municipality(cmd) => commands::users::municipality(config, cmd).await,
        Command::User(cmd) => commands::users::run(config, cmd).await,
        Command::Token(cmd) => commands::users::token(config, cmd).await,
        Command::Audit(cli::AuditCommand::Checkpoint) => commands::data::checkpoint(config).await,
        Command::Audit(cli::AuditCommand::Verify { checkpoints }) => {
            commands::data::verify(config, checkpoints.as_deref()).await
        }
        Command::Export(file) => commands::data::export(config, &file.file).await,
        Command::Import(file) => commands::data::import(config, &file.file).await,
        Command::Backup(args) => commands::data::backup(config, &args.dir, &args.recipients).await,
        Command::ImportLedger(args) => commands::ledger::import(config, &args.file, &args.municipality).await,
        Command::Id(cli::IdCommand::Check {
            allow_synthetic,
            numbers,
        }) => Ok(commands::idcheck::run(config, allow_synthetic, numbers)),
        Command::Outreach(cli::OutreachCommand::Bostotte {
            municipality,
            month,
            format,
        }) => commands::data::outreach(config, &municipality, month.as_deref(), &format).await,
        Command::Calc(cli::CalcCommand::Bostotte) => Ok(commands::calc::bostotte(config)),
        Command::Calc(cli::CalcCommand::Startlan) => Ok(commands::calc::startlan(config)),
        Command::VerifyDraw(file) => Ok(commands::verify_draw::run(config.lang, &file.file)),
        Command::Config => {
            print!("{}", config.redacted());
            Ok(ExitCode::SUCCESS)
        }
    }
}
