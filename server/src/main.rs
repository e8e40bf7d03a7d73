//! `xueji`: the portal's one binary.

use std::{process::ExitCode, sync::Arc};

use app::clock::SystemClock;
use clap::{Parser, Subcommand};
use server::{Application, Settings, commands, telemetry};

#[derive(Parser)]
#[command(
    name = "xueji",
    version,
    about = "学籍 Xueji: the student-records portal"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default). Configured by the XUEJI_* environment variables.
    Serve,
    /// Recompute the audit trail's HMAC chain with the key file and name the first broken
    /// entry. Exits 0 when the trail is intact, 1 when it is not.
    VerifyAudit,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("xueji: configuration: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_json);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::VerifyAudit => verify_audit(&settings).await,
    }
}

async fn serve(settings: Settings) -> ExitCode {
    let application = match Application::build(settings, Arc::new(SystemClock)).await {
        Ok(application) => application,
        Err(error) => {
            tracing::error!(%error, "cannot start");
            return ExitCode::FAILURE;
        }
    };
    match application.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server failed");
            ExitCode::FAILURE
        }
    }
}

async fn verify_audit(settings: &Settings) -> ExitCode {
    match commands::verify_audit(settings).await {
        Ok(intact) => {
            println!(
                "审计记录完整 / audit trail intact: {} entries, head {}",
                intact.entries,
                commands::fingerprint(&intact.head_mac)
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("审计记录校验失败 / {error}");
            ExitCode::FAILURE
        }
    }
}
