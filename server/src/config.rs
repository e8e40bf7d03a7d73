//! Configuration from `XUEJI_*` environment variables, each with a default that works for a
//! local run: an embedded SQLite database under `./data/`, the portal on 127.0.0.1:3000.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use app::{kit::passwords::HashCost, state::SessionPolicy};
use chrono_tz::Tz;

#[derive(Clone, Debug)]
pub struct Settings {
    /// `XUEJI_DATABASE_URL`, default `sqlite://data/xueji.db`.
    pub database_url: String,
    /// `XUEJI_KEY_FILE`, default `data/xueji.key`: the keys kept apart from the database.
    pub key_file: PathBuf,
    /// `XUEJI_ADDR`, default `127.0.0.1:3000`; port 0 picks a free port.
    pub addr: SocketAddr,
    /// `XUEJI_PUBLIC_ORIGIN`: the origin people reach the portal at (`https://xueji.school.cn`).
    /// Default: `http://` and the bound address. State-changing requests from any other
    /// origin are refused, and an `https` origin makes cookies `Secure`.
    pub public_origin: Option<String>,
    /// `XUEJI_TIMEZONE`, default `Asia/Shanghai`: the zone times are shown in.
    pub timezone: Tz,
    /// `XUEJI_SITE_ROOT`, default `target/site`: the built stylesheet, scripts and WebAssembly.
    pub site_root: PathBuf,
    /// `XUEJI_LOG_FORMAT`: `text` (default) or `json`. `XUEJI_LOG` sets the filter.
    pub log_json: bool,
    /// `XUEJI_REQUEST_TIMEOUT_SECS`, default 30.
    pub request_timeout: Duration,
    /// `XUEJI_BODY_LIMIT_BYTES`, default 1 MiB.
    pub body_limit: usize,
    /// Session limits: `XUEJI_SESSION_IDLE_MINUTES` (30) and `XUEJI_SESSION_MAX_HOURS` (10)
    /// for teachers, `XUEJI_SESSION_IDLE_MINUTES_PRIVILEGED` (15) and
    /// `XUEJI_SESSION_MAX_HOURS_PRIVILEGED` (8) for privileged roles.
    pub session_policy: SessionPolicy,
    /// The cost of a password hash: `XUEJI_PASSWORD_HASH_MEMORY_KIB` (19456) and
    /// `XUEJI_PASSWORD_HASH_PASSES` (2), argon2id. Less than OWASP's minimum is refused; a
    /// test harness may set lighter ones in code.
    pub password_hash_cost: HashCost,
    /// `XUEJI_TRUSTED_NETWORKS`: CIDR blocks (comma-separated) inside which 绝密 values of a
    /// release may be shown; default none, so they are shown nowhere.
    /// `XUEJI_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` is believed;
    /// default none, so the connection's address is the client's.
    pub networks: app::kit::network::Networks,
    /// What is kept for how long (`app::features::retention::rules`):
    /// - `XUEJI_RETENTION_YEARS`, default 3 (1 to 30): how many years after leaving a
    ///   transferred-out student's backup (学籍管理办法 Art. 9) is kept before it is listed
    ///   for destruction;
    /// - `XUEJI_ARCHIVE_ERASE_YEARS` (10 to 100) with `XUEJI_ARCHIVE_ERASE_RULE` (its
    ///   citation, one line of at most 200 characters), both or neither: the school's rule
    ///   that lets a batch erase a core record so many years after leaving; default none,
    ///   so the core record of a student whose schooling ended here is kept permanently;
    /// - `XUEJI_DRAFT_DAYS`, default 30 (1 to 365): a form draft nobody touched for this long
    ///   is deleted; `XUEJI_UPLOAD_DAYS`, default 7 (1 to 90): a roster upload nobody
    ///   committed or discarded for this long is deleted. Copies of pupils' data do not
    ///   outlive their use.
    pub retention: app::kit::retention::Retention,
    /// How often the sweeper runs (30 s; a test harness may run it more often).
    pub sweep_interval: Duration,
    /// How often the audit witness looks for a new head (500 ms; a test that counts a
    /// page's statements looks less often).
    pub witness_interval: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/xueji.db".into(),
            key_file: PathBuf::from("data/xueji.key"),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_origin: None,
            timezone: chrono_tz::Asia::Shanghai,
            site_root: PathBuf::from("target/site"),
            log_json: false,
            request_timeout: Duration::from_secs(30),
            body_limit: 1024 * 1024,
            session_policy: SessionPolicy::default(),
            password_hash_cost: HashCost::OWASP,
            networks: app::kit::network::Networks::default(),
            retention: app::kit::retention::Retention::default(),
            sweep_interval: Duration::from_secs(30),
            witness_interval: Duration::from_millis(500),
        }
    }
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so that tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let mut settings = Settings::default();
        let get = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());
        let bad = |name: &'static str, problem: String| ConfigError { name, problem };

        if let Some(url) = get("XUEJI_DATABASE_URL") {
            // The scheme chooses the engine. Only its scheme is repeated in the message: the
            // rest of a URL may hold a password.
            if !url.starts_with("sqlite:") && !crate::database::is_postgres(&url) {
                let scheme = url.split_once(':').map_or("none", |(scheme, _)| scheme);
                return Err(bad(
                    "XUEJI_DATABASE_URL",
                    format!(
                        "the scheme chooses the engine: sqlite:// or postgres://, not {scheme:?}"
                    ),
                ));
            }
            settings.database_url = url;
        }
        if let Some(path) = get("XUEJI_KEY_FILE") {
            settings.key_file = PathBuf::from(path);
        }
        if let Some(addr) = get("XUEJI_ADDR") {
            settings.addr = addr
                .parse()
                .map_err(|_| bad("XUEJI_ADDR", format!("not an address and port: {addr}")))?;
        }
        if let Some(origin) = get("XUEJI_PUBLIC_ORIGIN") {
            let origin = origin.trim_end_matches('/').to_owned();
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(bad(
                    "XUEJI_PUBLIC_ORIGIN",
                    format!("must start with http:// or https://: {origin}"),
                ));
            }
            settings.public_origin = Some(origin);
        }
        if let Some(zone) = get("XUEJI_TIMEZONE") {
            settings.timezone = zone
                .parse()
                .map_err(|_| bad("XUEJI_TIMEZONE", format!("not an IANA time zone: {zone}")))?;
        }
        if let Some(root) = get("XUEJI_SITE_ROOT") {
            settings.site_root = PathBuf::from(root);
        }
        if let Some(format) = get("XUEJI_LOG_FORMAT") {
            settings.log_json = match format.as_str() {
                "json" => true,
                "text" => false,
                other => {
                    return Err(bad(
                        "XUEJI_LOG_FORMAT",
                        format!("expected text or json: {other}"),
                    ));
                }
            };
        }
        if let Some(secs) = get("XUEJI_REQUEST_TIMEOUT_SECS") {
            let secs: u64 = secs.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                bad(
                    "XUEJI_REQUEST_TIMEOUT_SECS",
                    format!("expected a positive number: {secs}"),
                )
            })?;
            settings.request_timeout = Duration::from_secs(secs);
        }
        if let Some(bytes) = get("XUEJI_BODY_LIMIT_BYTES") {
            settings.body_limit = bytes.parse().ok().filter(|b| *b >= 1024).ok_or_else(|| {
                bad(
                    "XUEJI_BODY_LIMIT_BYTES",
                    format!("expected at least 1024: {bytes}"),
                )
            })?;
        }
        let positive = |name: &'static str| -> Result<Option<i64>, ConfigError> {
            get(name)
                .map(|v| {
                    v.parse::<i64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| bad(name, format!("expected a positive number: {v}")))
                })
                .transpose()
        };
        let policy = &mut settings.session_policy;
        if let Some(m) = positive("XUEJI_SESSION_IDLE_MINUTES")? {
            policy.idle = chrono::Duration::minutes(m);
        }
        if let Some(m) = positive("XUEJI_SESSION_IDLE_MINUTES_PRIVILEGED")? {
            policy.idle_privileged = chrono::Duration::minutes(m);
        }
        if let Some(h) = positive("XUEJI_SESSION_MAX_HOURS")? {
            policy.absolute = chrono::Duration::hours(h);
        }
        if let Some(h) = positive("XUEJI_SESSION_MAX_HOURS_PRIVILEGED")? {
            policy.absolute_privileged = chrono::Duration::hours(h);
        }
        if let Some(list) = get("XUEJI_TRUSTED_NETWORKS") {
            settings.networks.trusted = app::kit::network::parse_list(&list)
                .map_err(|problem| bad("XUEJI_TRUSTED_NETWORKS", problem))?;
        }
        if let Some(list) = get("XUEJI_TRUSTED_PROXIES") {
            settings.networks.proxies = app::kit::network::parse_list(&list)
                .map_err(|problem| bad("XUEJI_TRUSTED_PROXIES", problem))?;
        }
        if let Some(years) = positive("XUEJI_RETENTION_YEARS")? {
            settings.retention.backup_years = u32::try_from(years)
                .ok()
                .filter(|y| (1..=30).contains(y))
                .ok_or_else(|| {
                    bad(
                        "XUEJI_RETENTION_YEARS",
                        format!("1 to 30 years; got {years}"),
                    )
                })?;
        }
        let erase_years = positive("XUEJI_ARCHIVE_ERASE_YEARS")?;
        let erase_rule = get("XUEJI_ARCHIVE_ERASE_RULE");
        settings.retention.archive_rule = match (erase_years, erase_rule) {
            (None, None) => None,
            (Some(years), Some(rule)) => Some(app::kit::retention::ArchiveRule {
                years: u32::try_from(years)
                    .ok()
                    .filter(|y| (10..=100).contains(y))
                    .ok_or_else(|| {
                        bad(
                            "XUEJI_ARCHIVE_ERASE_YEARS",
                            format!("10 to 100 years; got {years}"),
                        )
                    })?,
                citation: app::kit::retention::citation(&rule)
                    .map_err(|problem| bad("XUEJI_ARCHIVE_ERASE_RULE", problem))?,
            }),
            (Some(_), None) => {
                return Err(bad(
                    "XUEJI_ARCHIVE_ERASE_RULE",
                    "a rule that erases core records must cite where it comes from".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(bad(
                    "XUEJI_ARCHIVE_ERASE_YEARS",
                    "a cited rule needs its period in years".into(),
                ));
            }
        };
        let lifetimes = &mut settings.retention.lifetimes;
        for (name, days, most) in [
            ("XUEJI_DRAFT_DAYS", &mut lifetimes.draft_days, 365),
            ("XUEJI_UPLOAD_DAYS", &mut lifetimes.upload_days, 90),
        ] {
            if let Some(n) = positive(name)? {
                *days = u32::try_from(n)
                    .ok()
                    .filter(|d| (1..=most).contains(d))
                    .ok_or_else(|| bad(name, format!("1 to {most} days; got {n}")))?;
            }
        }
        let cost = &mut settings.password_hash_cost;
        if let Some(kib) = positive("XUEJI_PASSWORD_HASH_MEMORY_KIB")? {
            cost.memory_kib = u32::try_from(kib).unwrap_or(u32::MAX);
        }
        if let Some(passes) = positive("XUEJI_PASSWORD_HASH_PASSES")? {
            cost.passes = u32::try_from(passes).unwrap_or(u32::MAX);
        }
        if !cost.is_deployable() {
            let (least, most) = (HashCost::OWASP, HashCost::MOST);
            return Err(bad(
                "XUEJI_PASSWORD_HASH_MEMORY_KIB",
                format!(
                    "argon2id needs {}..={} KiB and {}..={} passes; got {} KiB, {} passes",
                    least.memory_kib,
                    most.memory_kib,
                    least.passes,
                    most.passes,
                    cost.memory_kib,
                    cost.passes
                ),
            ));
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_run_locally() {
        let s = from(&[]).unwrap();
        assert_eq!(s.database_url, "sqlite://data/xueji.db");
        assert_eq!(s.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(s.public_origin, None);
    }

    #[test]
    fn a_database_url_the_build_does_not_serve_is_refused_at_start_without_its_password() {
        for url in [
            "mysql://root:s3cret@localhost/xueji",
            "postgres:xueji:s3cret@db.example/xueji",
            "data/xueji.db",
        ] {
            let error = from(&[("XUEJI_DATABASE_URL", url)]).unwrap_err();
            assert_eq!(error.name, "XUEJI_DATABASE_URL", "{url}");
            assert!(
                error.problem.contains("sqlite://"),
                "{url}: {}",
                error.problem
            );
            assert!(
                !error.problem.contains("s3cret"),
                "{url}: {}",
                error.problem
            );
        }
        for url in [
            "sqlite://data/x.db",
            "sqlite:///var/lib/xueji/x.db",
            "sqlite::memory:",
            "postgres://xueji:s3cret@db.example/xueji",
            "postgresql://xueji@localhost:5432/xueji",
        ] {
            assert_eq!(
                from(&[("XUEJI_DATABASE_URL", url)]).unwrap().database_url,
                url
            );
        }
    }

    #[test]
    fn reads_every_variable() {
        let s = from(&[
            ("XUEJI_DATABASE_URL", "sqlite:///var/lib/xueji/x.db"),
            ("XUEJI_ADDR", "0.0.0.0:8080"),
            ("XUEJI_KEY_FILE", "/etc/xueji/xueji.key"),
            ("XUEJI_PUBLIC_ORIGIN", "https://xueji.example.edu.cn/"),
            ("XUEJI_TIMEZONE", "Asia/Urumqi"),
            ("XUEJI_SITE_ROOT", "/srv/site"),
            ("XUEJI_LOG_FORMAT", "json"),
            ("XUEJI_REQUEST_TIMEOUT_SECS", "5"),
            ("XUEJI_BODY_LIMIT_BYTES", "4096"),
            ("XUEJI_SESSION_IDLE_MINUTES", "45"),
            ("XUEJI_SESSION_MAX_HOURS_PRIVILEGED", "4"),
            ("XUEJI_PASSWORD_HASH_MEMORY_KIB", "65536"),
            ("XUEJI_PASSWORD_HASH_PASSES", "3"),
        ])
        .unwrap();
        assert_eq!(s.addr.port(), 8080);
        assert_eq!(s.key_file, PathBuf::from("/etc/xueji/xueji.key"));
        assert_eq!(
            s.public_origin.as_deref(),
            Some("https://xueji.example.edu.cn")
        );
        assert_eq!(s.timezone, chrono_tz::Asia::Urumqi);
        assert!(s.log_json);
        assert_eq!(s.request_timeout, Duration::from_secs(5));
        assert_eq!(s.body_limit, 4096);
        assert_eq!(s.session_policy.idle, chrono::Duration::minutes(45));
        assert_eq!(
            s.session_policy.idle_privileged,
            chrono::Duration::minutes(15)
        );
        assert_eq!(
            s.session_policy.absolute_privileged,
            chrono::Duration::hours(4)
        );
        assert_eq!(
            s.password_hash_cost,
            HashCost {
                memory_kib: 65_536,
                passes: 3
            }
        );
    }

    #[test]
    fn a_password_hash_weaker_than_owasp_is_refused() {
        assert_eq!(from(&[]).unwrap().password_hash_cost, HashCost::OWASP);
        for pairs in [
            &[("XUEJI_PASSWORD_HASH_MEMORY_KIB", "4096")][..],
            &[("XUEJI_PASSWORD_HASH_PASSES", "1")][..],
            &[("XUEJI_PASSWORD_HASH_MEMORY_KIB", "99999999999")][..],
        ] {
            let err = from(pairs).unwrap_err().to_string();
            assert!(err.contains("argon2id needs 19456"), "{err}");
        }
    }

    #[test]
    fn bad_values_are_named() {
        for (name, value) in [
            ("XUEJI_ADDR", "localhost"),
            ("XUEJI_TIMEZONE", "Mars/Olympus"),
            ("XUEJI_PUBLIC_ORIGIN", "xueji.example"),
            ("XUEJI_LOG_FORMAT", "yaml"),
            ("XUEJI_REQUEST_TIMEOUT_SECS", "0"),
            ("XUEJI_BODY_LIMIT_BYTES", "10"),
            ("XUEJI_SESSION_IDLE_MINUTES", "-5"),
        ] {
            let err = from(&[(name, value)]).unwrap_err().to_string();
            assert!(err.starts_with(name), "{err}");
        }
    }

    #[test]
    fn a_rule_that_erases_core_records_is_cited_and_bounded() {
        let settings = from(&[]).unwrap();
        assert_eq!(settings.retention.archive_rule, None);
        assert_eq!(settings.retention.backup_years, 3);
        let settings = from(&[
            ("XUEJI_ARCHIVE_ERASE_YEARS", "30"),
            (
                "XUEJI_ARCHIVE_ERASE_RULE",
                " 某省中小学学籍档案管理细则 第十二条 ",
            ),
            ("XUEJI_RETENTION_YEARS", "5"),
        ])
        .unwrap();
        let rule = settings.retention.archive_rule.unwrap();
        assert_eq!(
            (rule.years, rule.citation.as_str()),
            (30, "某省中小学学籍档案管理细则 第十二条")
        );
        assert_eq!(settings.retention.backup_years, 5);
        for (pairs, named) in [
            (
                &[("XUEJI_ARCHIVE_ERASE_YEARS", "30")][..],
                "XUEJI_ARCHIVE_ERASE_RULE",
            ),
            (
                &[("XUEJI_ARCHIVE_ERASE_RULE", "某细则")][..],
                "XUEJI_ARCHIVE_ERASE_YEARS",
            ),
            (
                &[
                    ("XUEJI_ARCHIVE_ERASE_YEARS", "5"),
                    ("XUEJI_ARCHIVE_ERASE_RULE", "某细则"),
                ][..],
                "XUEJI_ARCHIVE_ERASE_YEARS",
            ),
        ] {
            let err = from(pairs).unwrap_err().to_string();
            assert!(err.starts_with(named), "{err}");
        }
    }
}
