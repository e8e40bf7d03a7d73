//! Leak reports (泄密报告). Anyone signed in files one; those who handle reports (leaders,
//! records administrators, the system administrator) see a banner on every page until one of
//! them, never its reporter, acknowledges it; a leader contains it in one step (freezes the
//! accounts it names, revokes live releases: all, or those touching what it names); remedies
//! are added as they are taken; a leader or leading-group member other than the reporter
//! closes it with a conclusion. Each step is a transition of the report's workflow, with its
//! audit entry in the same transaction, and the report's page shows how long each took.

use chrono::{DateTime, Utc};

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{
        Actor, Role,
        access::{Action, Resource, handles_leaks, permits},
    },
    errors::{AppError, ErrorKind, FieldError},
    features::{
        accounts::store::users,
        leaks::{
            store::{self as repo, LeakRow, NewReport},
            views::{
                LeakFigures, LeakInput, LeakState, LeakSummary, LeakView, LeaksHome, NamedAccount,
            },
        },
        requests::service as requests,
    },
    kit::context::Context,
    kit::{
        audit::chain::{self as audit, NewEntry},
        workflow::{Step, Transition, Workflow},
    },
};

/// The reports' workflow: filed, acknowledged, then contained, unfrozen and remedied as
/// often as needed, and closed once.
pub static LEAKS: Workflow<LeakState> = Workflow {
    name: "leak_report",
    table: "leak_reports",
    column: "state",
    transitions: &[
        Transition {
            event: "acknowledged",
            from: &[LeakState::Filed],
            to: LeakState::Acknowledged,
        },
        Transition {
            event: "contained",
            from: &[LeakState::Acknowledged],
            to: LeakState::Acknowledged,
        },
        Transition {
            event: "unfrozen",
            from: &[LeakState::Acknowledged],
            to: LeakState::Acknowledged,
        },
        Transition {
            event: "freeze_confirmed",
            from: &[LeakState::Acknowledged],
            to: LeakState::Acknowledged,
        },
        Transition {
            event: "remedied",
            from: &[LeakState::Acknowledged],
            to: LeakState::Acknowledged,
        },
        Transition {
            event: "closed",
            from: &[LeakState::Acknowledged],
            to: LeakState::Closed,
        },
    ],
    deadlines: &[],
};

/// The longest description, and the longest note of a step.
pub const MAX_TEXT_CHARS: usize = 2000;
const MAX_WHEN_CHARS: usize = 100;
/// How many students, classes or accounts one report names at most.
pub const MAX_NAMED: usize = 100;
/// The most reports a list shows.
const LISTED: i64 = 200;

/// The resource a report is, for the one check (`Nothing` for an id that names none).
impl crate::authz::Stored for LeakRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((Resource::Nothing, None));
        }
        Ok(match repo::find(conn, public_id).await? {
            Some(row) => (
                Resource::LeakReport {
                    reporter: row.reporter_id,
                },
                Some(row),
            ),
            None => (Resource::Nothing, None),
        })
    }
}

fn problem(field: &str, code: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
    }
}

/// A free text of a report or a step, trimmed: refused when too long, empty while
/// `required`, or holding a value of the kind a leak is about (an identity number, a
/// student number, a mobile, a bank card): a report names students by record, never by what
/// leaked.
pub fn text(typed: &str, field: &str, max: usize, required: bool) -> Result<String, FieldError> {
    if typed.len() > max * 4 || typed.chars().count() > max {
        return Err(problem(field, "leak.too_long"));
    }
    let text = typed.trim();
    if required && text.chars().count() < 2 {
        return Err(problem(field, "leak.required"));
    }
    if !crate::domain::publication::scan(text, &|_| false).is_empty() {
        return Err(problem(field, "leak.carries_value"));
    }
    Ok(text.to_owned())
}

/// A list as typed: items separated by spaces, commas, 、 or lines; at most `MAX_NAMED`.
fn items(typed: &str, field: &str) -> Result<Vec<String>, FieldError> {
    if typed.len() > MAX_NAMED * 70 {
        return Err(problem(field, "leak.too_many"));
    }
    let mut out: Vec<String> = Vec::new();
    for item in typed.split([',', '，', '、', ';', '；', '\n']) {
        let item = item.trim();
        if item.is_empty() || out.iter().any(|o| o == item) {
            continue;
        }
        out.push(item.to_owned());
    }
    if out.len() > MAX_NAMED {
        return Err(problem(field, "leak.too_many"));
    }
    Ok(out)
}

/// Record ids and usernames hold no spaces: split those on spaces too.
fn words(typed: &str, field: &str) -> Result<Vec<String>, FieldError> {
    let joined = typed.split_whitespace().collect::<Vec<_>>().join("\n");
    items(&joined, field)
}

/// Record ids as a report names them (the id, or the student page's address that ends in
/// it), each once: the shape of an id, never a value. Whether one names a student is not
/// said (see `file`).
fn record_ids(typed: Vec<String>) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for item in typed {
        let id = item.trim_start_matches("/records/students/");
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(problem("students", "leak.not_a_record_id"));
        }
        let id = id.to_ascii_lowercase();
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Usernames as a report names them, each once and in the shape of one.
fn usernames(typed: Vec<String>) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for item in typed {
        // The characters a username is made of (older accounts may be shorter than new ones
        // may be): a shape, not a lookup.
        let name = item.trim().to_ascii_lowercase();
        let shaped = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !shaped {
            return Err(problem("accounts", "leak.not_a_username"));
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(out)
}

/// The report as typed, checked all at once.
#[derive(Debug)]
struct Parsed {
    what: String,
    happened: String,
    noticed: String,
    remedies: String,
    students: Vec<String>,
    classes: Vec<String>,
    accounts: Vec<String>,
}

fn parse(input: &LeakInput) -> Result<Parsed, Vec<FieldError>> {
    let mut fields = Vec::new();
    let mut keep = |r: Result<String, FieldError>| {
        r.unwrap_or_else(|e| {
            fields.push(e);
            String::new()
        })
    };
    let what = keep(text(&input.what, "what", MAX_TEXT_CHARS, true));
    let happened = keep(text(&input.happened, "happened", MAX_WHEN_CHARS, true));
    let noticed = keep(text(&input.noticed, "noticed", MAX_TEXT_CHARS, true));
    let remedies = keep(text(&input.remedies, "remedies", MAX_TEXT_CHARS, false));
    let mut list = |r: Result<Vec<String>, FieldError>| {
        r.unwrap_or_else(|e| {
            fields.push(e);
            Vec::new()
        })
    };
    let students = list(words(&input.students, "students").and_then(record_ids));
    let classes = list(items(&input.classes, "classes"));
    let accounts = list(words(&input.accounts, "accounts").and_then(usernames));
    if fields.is_empty() {
        Ok(Parsed {
            what,
            happened,
            noticed,
            remedies,
            students,
            classes,
            accounts,
        })
    } else {
        Err(fields)
    }
}

fn refused(fields: Vec<FieldError>) -> AppError {
    AppError {
        fields,
        ..ErrorKind::InvalidInput.into()
    }
}

/// What a report names that matches no student or account, as the reporter wrote it.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Unresolved {
    #[serde(default)]
    pub students: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<String>,
}

/// Files a report in the transaction the check began. A class must be one of this school
/// year (as schools write it; classes are no secret). A record id or username that matches
/// nothing is kept as written for those who handle the report: the answer is the same
/// whether it exists or not, so the form tells nobody who is a pupil or has an account.
/// Returns its id.
pub async fn file(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    input: &LeakInput,
) -> Result<String, AppError> {
    let parsed = parse(input).map_err(refused)?;
    crate::kit::free_text::refuse_pupil_names(
        &mut tx,
        actor,
        &[
            ("what", &parsed.what),
            ("happened", &parsed.happened),
            ("noticed", &parsed.noticed),
            ("remedies", &parsed.remedies),
        ],
    )
    .await?;
    let mut fields = Vec::new();
    let mut students = Vec::new();
    let mut unresolved = Unresolved::default();
    for id in &parsed.students {
        match repo::student_id(&mut tx, id).await? {
            Some(found) => students.push(found),
            None => unresolved.students.push(id.to_owned()),
        }
    }
    let current = crate::features::structure::store::current_classes(&mut tx).await?;
    let mut classes = Vec::new();
    for name in &parsed.classes {
        match crate::features::import::service::class_named(&current, name) {
            Some(class) => classes.push(class.id),
            None => {
                fields.push(problem("classes", "leak.class_unknown"));
                break;
            }
        }
    }
    let mut accounts = Vec::new();
    for username in &parsed.accounts {
        match users::find_by_username(&mut tx, username).await? {
            Some(user) => accounts.push(user.id),
            // A name that matches nothing and reads as a value (a phone number is a
            // username's shape too) is not kept: a report never holds one.
            None if crate::domain::publication::scan(username, &|_| false).is_empty() => {
                unresolved.accounts.push(username.clone())
            }
            None => {}
        }
    }
    if !fields.is_empty() {
        return Err(refused(fields));
    }
    let public_id = new_public_id();
    let id = repo::insert(
        &mut tx,
        &NewReport {
            public_id: &public_id,
            reporter_id: actor.id,
            what: &parsed.what,
            happened: &parsed.happened,
            noticed: &parsed.noticed,
            remedies: &parsed.remedies,
            unresolved: &serde_json::to_string(&unresolved).map_err(AppError::internal)?,
        },
        cx.now,
    )
    .await?;
    for (kind, ids) in [
        ("student", &students),
        ("class", &classes),
        ("account", &accounts),
    ] {
        for subject in ids {
            repo::insert_subject(&mut tx, id, kind, *subject).await?;
        }
    }
    LEAKS
        .start(
            &mut tx,
            cx.key,
            cx.now,
            LeakState::Filed,
            Step {
                client: cx.client.clone(),
                classification: "confidential",
                details: serde_json::json!({
                    "report": public_id,
                    "students": students,
                    "classes": classes,
                    "accounts": accounts,
                }),
                ..Step::new(id, "filed").by(actor.id, acting(actor))
            },
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// The role an actor acts in on a report: the first of those that handle reports they hold.
fn acting(actor: &Actor) -> &'static str {
    [
        Role::Leader,
        Role::LeadingGroup,
        Role::RecordsAdmin,
        Role::SystemAdmin,
        Role::HomeroomTeacher,
    ]
    .into_iter()
    .find(|r| actor.has(*r))
    .map_or("signed_in", |r| r.code())
}

fn step<'a>(cx: &Context<'_>, actor: &Actor, row: &LeakRow, event: &'static str) -> Step<'a> {
    Step {
        client: cx.client.clone(),
        details: serde_json::json!({ "report": row.public_id }),
        ..Step::new(row.id, event).by(actor.id, acting(actor))
    }
}

/// Acknowledges the report: the banner goes, the reporter is told.
pub async fn acknowledge(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
) -> Result<(), AppError> {
    acknowledge_in(&mut tx, cx, actor, row).await?;
    tx.commit().await?;
    Ok(())
}

async fn acknowledge_in(
    tx: &mut Conn,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
) -> Result<(), AppError> {
    LEAKS
        .take(
            tx,
            cx.key,
            cx.now,
            row.state,
            step(cx, actor, row, "acknowledged").telling([row.reporter_id]),
        )
        .await?;
    repo::set_acknowledged(tx, row.id, actor.id, cx.now).await?;
    Ok(())
}

/// Which live releases a containment revokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revoke {
    None,
    /// Those touching a student the report names, or a student of a class it names.
    Named,
    All,
}

impl Revoke {
    pub fn parse(code: &str) -> Option<Revoke> {
        match code {
            "none" => Some(Revoke::None),
            "named" => Some(Revoke::Named),
            "all" => Some(Revoke::All),
            _ => None,
        }
    }
}

/// The words the requester of a release a containment revokes reads: no report, no id (a
/// suspect learns nothing of one).
const REVOKED_WORDS: &str = "因保密工作需要，由主管领导撤销";

/// Freezes `user` for the report in `tx`: a state of its own (not `disabled`), the sessions
/// ended in the same statement, and the releases they asked for that are still live
/// revoked (a frozen person reads nothing more). Returns how many releases it revoked.
async fn freeze_now(
    tx: &mut Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    user: i64,
) -> Result<usize, AppError> {
    repo::set_frozen(&mut *tx, row.id, user, true, cx.now).await?;
    users::set_frozen(&mut *tx, user, true).await?;
    audit::append(
        &mut *tx,
        cx.key,
        cx.now,
        NewEntry::new("account.frozen", "success")
            .actor(actor.id)
            .role(acting(actor))
            .object("user", user)
            .client(cx.client.clone())
            .reason(&format!("leak_report:{}", row.public_id)),
    )
    .await?;
    let mut revoked = 0;
    for id in repo::live_requests_of(&mut *tx, user).await? {
        let request = requests::current_by_id(&mut *tx, cx, id).await?;
        if matches!(request.state.as_str(), "approved" | "released") {
            requests::revoke_in(&mut *tx, cx, actor, &request, REVOKED_WORDS).await?;
            revoked += 1;
        }
    }
    Ok(revoked)
}

/// Contains the report in one step, in the transaction its check began: freezes the named
/// accounts picked (signed out at once, no sign-in until the report unfreezes them, their
/// own live releases revoked; never one's own), revokes the live releases chosen, and
/// acknowledges the report first when nobody has (unless the leader is its reporter: nobody
/// acknowledges their own report). Freezing the holder of a privileged role takes a second
/// person: it is proposed here and waits for another leader or a leading-group member
/// (`confirm_freeze`). Returns (frozen, revoked).
pub async fn contain(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    freeze: &[String],
    revoke: Revoke,
) -> Result<(usize, usize), AppError> {
    let named = repo::accounts(&mut tx, row.id).await?;
    let mut picked = Vec::new();
    for username in freeze {
        let Some(account) = named.iter().find(|a| &a.username == username) else {
            return Err(AppError::invalid("freeze", "leak.freeze_unnamed"));
        };
        if account.id == actor.id {
            return Err(AppError::invalid("freeze", "leak.freeze_self"));
        }
        if !account.frozen() && !account.freeze_pending() {
            picked.push(account.id);
        }
    }
    if picked.is_empty() && revoke == Revoke::None {
        return Err(AppError::invalid("freeze", "leak.contain_nothing"));
    }
    let mut state = row.state;
    if state == LeakState::Filed {
        if row.reporter_id == actor.id {
            return Err(AppError::conflict("leak.acknowledge_first"));
        }
        acknowledge_in(&mut tx, cx, actor, row).await?;
        state = LeakState::Acknowledged;
    }
    let reason = format!("leak_report:{}", row.public_id);
    let (mut frozen, mut proposed, mut revoked) = (Vec::new(), Vec::new(), Vec::new());
    let mut revoked_of_frozen = 0;
    for user in picked {
        let privileged = users::find(&mut tx, user)
            .await?
            .is_some_and(|u| u.roles.iter().any(|r| r.is_privileged()));
        if privileged {
            repo::propose_freeze(&mut tx, row.id, user, actor.id, cx.now).await?;
            audit::append(
                &mut tx,
                cx.key,
                cx.now,
                NewEntry::new("account.freeze_proposed", "success")
                    .actor(actor.id)
                    .role(Role::Leader.code())
                    .object("user", user)
                    .client(cx.client.clone())
                    .reason(&reason),
            )
            .await?;
            proposed.push(user);
        } else {
            revoked_of_frozen += freeze_now(&mut tx, cx, actor, row, user).await?;
            frozen.push(user);
        }
    }
    let ids = match revoke {
        Revoke::None => Vec::new(),
        Revoke::Named => repo::live_releases(&mut tx, row.id, true).await?,
        Revoke::All => repo::live_releases(&mut tx, row.id, false).await?,
    };
    for id in ids {
        let request = requests::current_by_id(&mut tx, cx, id).await?;
        // The clock may have ended it a moment ago, or a freeze just now.
        if matches!(request.state.as_str(), "approved" | "released") {
            requests::revoke_in(&mut tx, cx, actor, &request, REVOKED_WORDS).await?;
            revoked.push(id);
        }
    }
    let comment = format!(
        "frozen {} · proposed {} · revoked {}",
        frozen.len(),
        proposed.len(),
        revoked.len() + revoked_of_frozen
    );
    LEAKS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            state,
            Step {
                comment: Some(&comment),
                reason: Some(reason.clone()),
                details: serde_json::json!({
                    "report": row.public_id,
                    "frozen": frozen,
                    "freeze_proposed": proposed,
                    "revoked": revoked,
                    "scope": match revoke { Revoke::None => "none", Revoke::Named => "named", Revoke::All => "all" },
                }),
                ..step(cx, actor, row, "contained")
            },
        )
        .await?;
    tx.commit().await?;
    Ok((frozen.len(), revoked.len() + revoked_of_frozen))
}

/// The report's step about one account it names (`freeze_confirmed`, `unfrozen`), with the
/// account's name in the timeline, committed with what `tx` already holds.
async fn account_step(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    account: &repo::AccountRow,
    event: &'static str,
) -> Result<(), AppError> {
    LEAKS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            row.state,
            Step {
                comment: Some(&account.display_name),
                details: serde_json::json!({ "report": row.public_id, "account": account.id }),
                ..step(cx, actor, row, event)
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms the freeze another leader proposed of a privileged holder: the second person,
/// a leader or leading-group member who is neither the proposer nor the holder.
pub async fn confirm_freeze(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    username: &str,
) -> Result<(), AppError> {
    let named = repo::accounts(&mut tx, row.id).await?;
    let account = named
        .iter()
        .find(|a| a.username == username && a.freeze_pending())
        .ok_or_else(|| AppError::invalid("account", "leak.no_freeze_pending"))?;
    if account.freeze_proposed_by == Some(actor.id) || account.id == actor.id {
        return Err(AppError::conflict("leak.second_person"));
    }
    freeze_now(&mut tx, cx, actor, row, account.id).await?;
    account_step(tx, cx, actor, row, account, "freeze_confirmed").await
}

/// Unfreezes one account the report froze (or withdraws a freeze still waiting for its
/// second person). The account signs in again unless another report keeps it frozen; a
/// disabled account stays disabled.
pub async fn unfreeze(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    username: &str,
) -> Result<(), AppError> {
    let named = repo::accounts(&mut tx, row.id).await?;
    let account = named
        .iter()
        .find(|a| a.username == username && (a.frozen() || a.freeze_pending()))
        .ok_or_else(|| AppError::invalid("account", "leak.not_frozen"))?;
    // Nobody lifts their own freeze, nor withdraws one proposed of them.
    if account.id == actor.id {
        return Err(AppError::conflict("leak.unfreeze_self"));
    }
    repo::set_frozen(&mut tx, row.id, account.id, false, cx.now).await?;
    let still = repo::frozen_by_any(&mut tx, account.id).await?;
    users::set_frozen(&mut tx, account.id, still).await?;
    let reason = format!("leak_report:{}", row.public_id);
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("account.unfrozen", "success")
            .actor(actor.id)
            .role(Role::Leader.code())
            .object("user", account.id)
            .client(cx.client.clone())
            .reason(&reason)
            .details(serde_json::json!({ "still_frozen": still })),
    )
    .await?;
    account_step(tx, cx, actor, row, account, "unfrozen").await
}

/// Adds a remedy taken (what was done, never a value) to the report's timeline.
pub async fn remedy(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    typed: &str,
) -> Result<(), AppError> {
    let note = text(typed, "remedy", MAX_TEXT_CHARS, true).map_err(|e| refused(vec![e]))?;
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("remedy", &note)]).await?;
    LEAKS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            row.state,
            Step {
                comment: Some(&note),
                ..step(cx, actor, row, "remedied")
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the report with its conclusion (required); the reporter is told.
pub async fn close(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &LeakRow,
    typed: &str,
) -> Result<(), AppError> {
    let conclusion =
        text(typed, "conclusion", MAX_TEXT_CHARS, true).map_err(|e| refused(vec![e]))?;
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("conclusion", &conclusion)])
        .await?;
    // A report closes with nobody still frozen by it (or waiting to be): a closed report
    // could no longer lift its freezes.
    if repo::accounts(&mut tx, row.id)
        .await?
        .iter()
        .any(|a| a.frozen() || a.freeze_pending())
    {
        return Err(AppError::conflict("leak.close_frozen"));
    }
    // The conclusion first: the table refuses a closed report without one.
    repo::set_closed(&mut tx, row.id, actor.id, cx.now, &conclusion).await?;
    LEAKS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            row.state,
            Step {
                comment: Some(&conclusion),
                ..step(cx, actor, row, "closed").telling([row.reporter_id])
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_minutes().max(0)
}

fn summary(cx: &Context<'_>, row: &LeakRow) -> LeakSummary {
    LeakSummary {
        id: row.public_id.clone(),
        reporter: row.reporter.clone(),
        filed_at: cx.local(Some(row.filed_at)),
        state: row.state,
        minutes_to_acknowledge: row.acknowledged_at.map(|a| minutes(row.filed_at, a)),
    }
}

/// The dashboard's figures: open reports, those not acknowledged, and the median and longest
/// time from filing to acknowledgement.
pub async fn figures(conn: &mut Conn) -> Result<LeakFigures, AppError> {
    let mut taken: Vec<i64> = repo::acknowledgements(conn)
        .await?
        .into_iter()
        .map(|(filed, acknowledged)| minutes(filed, acknowledged))
        .collect();
    taken.sort_unstable();
    Ok(LeakFigures {
        open: repo::open(conn).await?,
        unacknowledged: repo::unacknowledged(conn).await?,
        acknowledged: taken.len() as i64,
        median_minutes: (!taken.is_empty()).then(|| taken[(taken.len() - 1) / 2]),
        longest_minutes: taken.last().copied(),
    })
}

/// The leak-report page of `actor`.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<LeaksHome, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let mine = repo::of_reporter(&mut conn, actor.id, LISTED)
        .await?
        .iter()
        .map(|r| summary(cx, r))
        .collect();
    let oversees = handles_leaks(actor) || actor.has(Role::LeadingGroup);
    let (all, figures) = if oversees {
        let all = repo::all(&mut conn, LISTED)
            .await?
            .iter()
            .map(|r| summary(cx, r))
            .collect();
        (Some(all), Some(figures(&mut conn).await?))
    } else {
        (None, None)
    };
    Ok(LeaksHome { mine, all, figures })
}

/// How many reports wait for acknowledgement: the banner's count, for those who handle
/// reports (0 for anyone else, whom the banner does not concern).
pub async fn unacknowledged(cx: &Context<'_>, actor: &Actor) -> Result<i64, AppError> {
    if !handles_leaks(actor) {
        return Ok(0);
    }
    let mut conn = cx.pool.acquire().await?;
    Ok(repo::unacknowledged(&mut conn).await?)
}

/// A containment's counts ("frozen 1 · proposed 0 · revoked 2", or the older "frozen 1 ·
/// revoked 2") in words; `None` for anything else.
fn contained_words(locale: crate::i18n::Locale, comment: &str) -> Option<String> {
    let mut counts = std::collections::HashMap::new();
    for part in comment.split(" · ") {
        let (what, n) = part.split_once(' ')?;
        if !matches!(what, "frozen" | "proposed" | "revoked") {
            return None;
        }
        counts.insert(what, n.parse::<u32>().ok()?);
    }
    let n = |what| counts.get(what).copied().unwrap_or(0);
    Some(crate::tr!(
        locale,
        "leak.contained_summary",
        frozen = n("frozen"),
        proposed = n("proposed"),
        revoked = n("revoked")
    ))
}

/// One report as its page shows it, in the transaction its check began; opening it marks
/// what its reader was told about it as read.
pub async fn view(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    resource: Resource,
    row: &LeakRow,
) -> Result<LeakView, AppError> {
    // How long after the filing each step came.
    let mut history = LEAKS
        .opened(&mut tx, cx, Some(actor.id), row.id, Some(row.filed_at))
        .await?;
    // A containment's note in words, as the reader reads ("frozen 1 · proposed 0 · revoked
    // 0" is how the step keeps it).
    let locale = crate::state::request_locale();
    for entry in &mut history {
        if entry.event == "contained"
            && let Some(words) = entry
                .comment
                .as_deref()
                .and_then(|c| contained_words(locale, c))
        {
            entry.comment = Some(words);
        }
    }
    let mut students = repo::students(&mut tx, row.id).await?;
    let classes = repo::classes(&mut tx, row.id).await?;
    let mut accounts: Vec<NamedAccount> = repo::accounts(&mut tx, row.id)
        .await?
        .into_iter()
        .map(|a| NamedAccount {
            frozen: a.frozen(),
            freeze_pending: a.freeze_pending(),
            may_confirm: a.freeze_pending()
                && a.freeze_proposed_by != Some(actor.id)
                && a.id != actor.id
                && row.state != LeakState::Closed
                && permits(Some(actor), Action::ConfirmFreeze, resource),
            username: a.username,
            name: a.display_name,
            disabled: a.disabled,
        })
        .collect();
    let mut unresolved: Unresolved = serde_json::from_str(&row.unresolved).unwrap_or_default();
    // Those who handle reports see what matched nothing apart; anyone else (the reporter)
    // sees what they named as they named it, matched or not, and nothing of the accounts.
    let handles = crate::domain::access::handles_leaks(actor) || actor.has(Role::LeadingGroup);
    if !handles {
        students.append(&mut unresolved.students);
        students.sort();
        for account in &mut accounts {
            account.name.clear();
            account.frozen = false;
            account.freeze_pending = false;
            account.disabled = false;
        }
        accounts.extend(unresolved.accounts.drain(..).map(|username| NamedAccount {
            username,
            ..NamedAccount::default()
        }));
        accounts.sort_by(|a, b| a.username.cmp(&b.username));
        // Nor do the timeline's notes of containment say it (how many were frozen or
        // proposed, whose account): the steps and their times stay.
        for entry in &mut history {
            if matches!(
                entry.event.as_str(),
                "contained" | "freeze_confirmed" | "unfrozen"
            ) {
                entry.comment = None;
            }
        }
    }
    let state = row.state;
    let can_contain =
        state != LeakState::Closed && permits(Some(actor), Action::ContainLeak, resource);
    let (live_releases, live_releases_named) = if can_contain {
        (
            repo::live_releases(&mut tx, row.id, false).await?.len() as i64,
            repo::live_releases(&mut tx, row.id, true).await?.len() as i64,
        )
    } else {
        (0, 0)
    };
    tx.commit().await?;
    Ok(LeakView {
        id: row.public_id.clone(),
        reporter: row.reporter.clone(),
        what: row.what.clone(),
        happened: row.happened.clone(),
        noticed: row.noticed.clone(),
        remedies: row.remedies.clone(),
        state: row.state,
        filed_at: cx.local(Some(row.filed_at)),
        acknowledged_by: row.acknowledger.clone(),
        acknowledged_at: row.acknowledged_at.map(|t| cx.local(Some(t))),
        minutes_to_acknowledge: row.acknowledged_at.map(|a| minutes(row.filed_at, a)),
        closed_by: row.closer.clone(),
        closed_at: row.closed_at.map(|t| cx.local(Some(t))),
        conclusion: row.conclusion.clone(),
        students,
        classes,
        accounts,
        unresolved_students: unresolved.students,
        unresolved_accounts: unresolved.accounts,
        live_releases,
        live_releases_named,
        history,
        can_acknowledge: state == LeakState::Filed
            && permits(Some(actor), Action::AcknowledgeLeak, resource),
        can_contain,
        can_remedy: state == LeakState::Acknowledged
            && permits(Some(actor), Action::RemedyLeak, resource),
        can_close: state == LeakState::Acknowledged
            && permits(Some(actor), Action::CloseLeak, resource),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_containments_counts_are_said_in_words() {
        use crate::i18n::Locale;
        let said = contained_words(Locale::ZhCn, "frozen 1 · proposed 0 · revoked 2").unwrap();
        assert!(
            said.contains('1') && said.contains('2') && !said.contains("frozen"),
            "{said}"
        );
        assert!(contained_words(Locale::ZhCn, "frozen 1 · revoked 0").is_some());
        assert_eq!(contained_words(Locale::ZhCn, "已冻结相关账号"), None);
    }

    fn input(what: &str, students: &str) -> LeakInput {
        LeakInput {
            what: what.into(),
            happened: "今天上午".into(),
            noticed: "家长来电".into(),
            students: students.into(),
            ..LeakInput::default()
        }
    }

    #[test]
    fn a_report_names_students_by_record_and_never_holds_a_leaked_value() {
        let (a, b) = (
            "0123456789abcdef0123456789abcdef",
            "fedcba9876543210fedcba9876543210",
        );
        // An id, or the student page's address that ends in it, counts once either way.
        let ok = parse(&input(
            "班级群里转发了一张花名册照片",
            &format!("{a} {b}\n/records/students/{a}"),
        ))
        .unwrap();
        assert_eq!(ok.students, [a, b]);
        let codes = |e: Vec<FieldError>| -> Vec<(String, String)> {
            e.into_iter().map(|f| (f.field, f.code)).collect()
        };
        // What is not an id's shape is refused, whatever it is (never kept as written).
        let refused = parse(&input("花名册外泄", "11010519491231002X")).unwrap_err();
        assert_eq!(
            codes(refused),
            [("students".into(), "leak.not_a_record_id".into())]
        );
        // A mobile or an identity number in the description is the leaked value itself.
        let refused = parse(&input("家长手机号 13800138000 被发到群里", "")).unwrap_err();
        assert_eq!(
            codes(refused),
            [("what".into(), "leak.carries_value".into())]
        );
        let refused = parse(&input("身份证号 11010519491231002X 外泄", "")).unwrap_err();
        assert_eq!(
            codes(refused),
            [("what".into(), "leak.carries_value".into())]
        );
        // Every problem at once.
        let empty = parse(&LeakInput::default()).unwrap_err();
        assert_eq!(
            codes(empty),
            [
                ("what".into(), "leak.required".into()),
                ("happened".into(), "leak.required".into()),
                ("noticed".into(), "leak.required".into()),
            ]
        );
        let many = (0..=MAX_NAMED)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let refused = parse(&input("花名册外泄", &many)).unwrap_err();
        assert_eq!(
            codes(refused),
            [("students".into(), "leak.too_many".into())]
        );
        let long = "漏".repeat(MAX_TEXT_CHARS + 1);
        let refused = parse(&input(&long, "")).unwrap_err();
        assert_eq!(codes(refused), [("what".into(), "leak.too_long".into())]);
    }
}
