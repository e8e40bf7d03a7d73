//! `xueji`: the portal's one binary.

use std::{process::ExitCode, sync::Arc};

use app::clock::SystemClock;
use clap::{Parser, Subcommand};
use server::{Application, Settings, commands, telemetry};

/// mimalloc: glibc's malloc (with its consolidations and arena locks) took a fifth of a
/// loaded server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Bring the database's schema up to date, as its owner: the URL in XUEJI_MIGRATE_URL
    /// (else XUEJI_DATABASE_URL). On PostgreSQL the portal never migrates by itself; with
    /// --app-role, the role it serves with gets the rows it needs, and of the audit trail
    /// only reading and appending.
    Migrate {
        /// The PostgreSQL role the portal serves with (XUEJI_DATABASE_URL's user).
        #[arg(long)]
        app_role: Option<String>,
    },
    /// Create the first system administrator (only while there is none) and print a
    /// one-time link, valid 72 hours, where that person chooses their own password.
    BootstrapAdmin {
        /// The administrator's username.
        #[arg(long)]
        username: String,
        /// Read that person's own password from standard input instead of printing a link
        /// (for scripted installs; the password policy still applies).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Recompute the audit trail's HMAC chain with the key file, name the first broken entry,
    /// and hold the trail's end against the witness file beside the key file (a cut or a
    /// wipe is found). Exits 0 when the trail is intact, 1 when it is not.
    VerifyAudit {
        /// After restoring a backup of the database (the server stopped): record in the
        /// witness and in the trail that the entries after the backup's newest are gone.
        /// Refused unless the trail is an earlier state of the one the witness saw.
        #[arg(long)]
        accept_restore: bool,
    },
    /// Make a new data key current and encrypt every classified value again under it; the
    /// old key then leaves the key file. Back up the key file afterwards.
    RotateKey,
    /// Fill an empty database with a realistic demo school: grades 1–9, classes of about 45
    /// with their homeroom teachers, records administrators, a leader, the leading group and
    /// a system administrator, and N fictitious students with their guardians. Every account
    /// gets the password read from standard input. Prints one line per account: role, username.
    DemoData {
        /// How many students.
        #[arg(long)]
        students: u32,
        /// The same seed makes the same school.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Read the accounts' password from standard input (required: there is no default).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before the runtime starts its threads, so that they and SQLite's connection threads
    // inherit it (see `server::threads`).
    let batch = server::threads::schedule_as_batch();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("xueji: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli, batch))
}

async fn run(cli: Cli, batch: bool) -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("xueji: configuration: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_json);
    if !batch && cfg!(target_os = "linux") {
        tracing::warn!("batch scheduling refused: the server runs under the default policy");
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate { app_role } => {
            let owner = std::env::var("XUEJI_MIGRATE_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| settings.database_url.clone());
            match commands::migrate(&owner, app_role.as_deref()).await {
                Ok(n) => {
                    println!("xueji: the schema is up to date ({n} migrations)");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("xueji: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::VerifyAudit { accept_restore } => {
            if accept_restore {
                match commands::accept_restore(&settings, Arc::new(SystemClock)).await {
                    Ok((0, 0)) => println!("没有缺失的记录 / nothing was missing"),
                    Ok((from, to)) => println!(
                        "已记录恢复 / restore recorded: entries #{from}–#{to} are gone, and the trail says so"
                    ),
                    Err(error) => {
                        eprintln!("审计记录校验失败 / {error}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            verify_audit(&settings).await
        }
        Command::DemoData { students, seed, .. } => demo_data(&settings, students, seed).await,
        Command::RotateKey => match commands::rotate_key(&settings, Arc::new(SystemClock)).await {
            Ok(rotated) => {
                println!(
                    "数据密钥已轮换 / data key rotated: key {} now seals {} values. Back up the key file.",
                    rotated.key_id, rotated.values
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("xueji: rotate-key refused: {error}");
                ExitCode::FAILURE
            }
        },
        Command::BootstrapAdmin {
            username,
            password_stdin,
        } => bootstrap_admin(&settings, &username, password_stdin).await,
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
    // One line on standard output, with the port the system chose when asked for port 0.
    println!("xueji: serving on http://{}", application.addr());
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

async fn demo_data(settings: &Settings, students: u32, seed: u64) -> ExitCode {
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        eprintln!("xueji: could not read the password from standard input");
        return ExitCode::from(2);
    }
    let password = line.trim_end_matches(['\r', '\n']);
    let started = std::time::Instant::now();
    match commands::demo_data(settings, Arc::new(SystemClock), students, seed, password).await {
        Ok(filled) => {
            for (role, username) in &filled.accounts {
                println!("{} {username}", role.code());
            }
            eprintln!(
                "xueji: demo school made: {} students in {} classes, {} accounts, in {:.1} s",
                filled.students,
                filled.classes,
                filled.accounts.len(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("xueji: demo-data refused: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn bootstrap_admin(settings: &Settings, username: &str, password_stdin: bool) -> ExitCode {
    let password = if password_stdin {
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line).is_err() {
            eprintln!("xueji: could not read the password from standard input");
            return ExitCode::from(2);
        }
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    match commands::bootstrap_admin(
        settings,
        Arc::new(SystemClock),
        username,
        password.as_deref(),
    )
    .await
    {
        Ok(Some(link)) => {
            println!("系统管理员账号已创建。请在 72 小时内打开以下一次性链接设置密码：");
            println!(
                "The system administrator account exists. Open this one-time link within 72 hours to choose a password:"
            );
            println!("{link}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!(
                "系统管理员账号已创建 / the system administrator account exists; sign in with that password."
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("xueji: bootstrap-admin refused: {error}");
            ExitCode::FAILURE
        }
    }
}
