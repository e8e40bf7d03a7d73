//! Publication review (上网审查, POLICY.md article 3). Anyone signed in writes a text for the
//! website or a parents' group and answers for it (谁上网谁负责); every save scans it for
//! personal data (numbers, and enrolled students' names without saying whose) and is
//! audited; a submitted text is scanned again, and a leading-group member other than its
//! author approves it (with a reason for every finding kept) or rejects it. An approved text
//! has a review number to print on the publication; changing it starts a new review.

use std::collections::HashSet;

use chrono::Datelike;

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{
        Actor, Role,
        access::{Action, Resource, permits},
        publication::{self, Finding, FindingKind, MAX_BODY_CHARS, MAX_TITLE_CHARS},
    },
    errors::{AppError, ErrorKind, FieldError},
    features::{
        accounts::store::users,
        publications::{
            store::{self as repo, PublicationRow, Text},
            views::{
                CHANNELS, PublicationInput, PublicationSummary, PublicationView, PublicationsHome,
                ReviewState,
            },
        },
    },
    kit::context::Context,
    kit::{
        audit::chain::{self as audit, NewEntry},
        workflow::{Decision, Queues, Step, Transition, Workflow},
    },
};

/// The reviews' workflow: drafted, submitted, then approved or rejected; withdrawn by its
/// author before a decision.
pub static REVIEWS: Workflow<ReviewState> = Workflow {
    name: "publication_review",
    table: "publication_reviews",
    column: "state",
    transitions: &[
        Transition {
            event: "submitted",
            from: &[ReviewState::Draft],
            to: ReviewState::Submitted,
        },
        Transition {
            event: "approved",
            from: &[ReviewState::Submitted],
            to: ReviewState::Approved,
        },
        Transition {
            event: "rejected",
            from: &[ReviewState::Submitted],
            to: ReviewState::Rejected,
        },
        Transition {
            event: "withdrawn",
            from: &[ReviewState::Draft, ReviewState::Submitted],
            to: ReviewState::Withdrawn,
        },
    ],
    deadlines: &[],
};

/// The most texts a list shows.
const LISTED: i64 = 100;
/// The longest reason for keeping a finding.
const MAX_OVERRIDE_CHARS: usize = 200;

/// The resource a text is, for the one check; `Nothing` for an id that names none.
impl crate::authz::Stored for PublicationRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((Resource::Nothing, None));
        }
        let Some(row) = repo::find(conn, public_id).await? else {
            return Ok((Resource::Nothing, None));
        };
        let leading_group = users::holders(conn, Role::LeadingGroup).await?;
        Ok((row.resource(&leading_group), Some(row)))
    }
}

impl PublicationRow {
    /// The text as the access rule sees it, given the leading group's members.
    fn resource(&self, leading_group: &users::Holders) -> Resource {
        Resource::Publication {
            author: self.author_id,
            leaders_decide: leading_group.besides([self.author_id; 2]) == 0,
        }
    }
}

/// The enrolled students' names that stand in `body`: the runs of 汉字 in it that are some
/// student's name key, then those of them an enrolled student has (two reads, however large
/// the school).
pub async fn names(conn: &mut Conn, body: &str) -> Result<HashSet<String>, AppError> {
    let keys: HashSet<String> = repo::name_keys(&mut *conn).await?.into_iter().collect();
    let candidates = publication::name_candidates(body, &|c| keys.contains(c));
    Ok(repo::enrolled_among(conn, &candidates)
        .await?
        .into_iter()
        .collect())
}

/// Scans `body` against the school's names.
pub fn scan(body: &str, names: &HashSet<String>) -> Vec<Finding> {
    publication::scan(body, &|candidate| names.contains(candidate))
}

/// The text as typed, checked all at once: a title, a known channel, a body within bounds
/// (its size is refused before its characters are counted), the author's confirmation.
fn parse(input: &PublicationInput) -> Result<(String, String, String), AppError> {
    let mut fields = Vec::new();
    let problem = |field: &str, code: &str| FieldError {
        field: field.into(),
        code: code.into(),
    };
    let title = input.title.trim();
    if title.is_empty() {
        fields.push(problem("title", "publication.title_empty"));
    } else if title.len() > 4 * MAX_TITLE_CHARS || title.chars().count() > MAX_TITLE_CHARS {
        fields.push(problem("title", "publication.title_long"));
    }
    if !CHANNELS.contains(&input.channel.as_str()) {
        fields.push(problem("channel", "publication.channel"));
    }
    let body = input.body.trim();
    if body.is_empty() {
        fields.push(problem("body", "publication.body_empty"));
    } else if body.len() > 4 * MAX_BODY_CHARS || body.chars().count() > MAX_BODY_CHARS {
        fields.push(problem("body", "publication.body_long"));
    }
    if input.responsible != "1" {
        fields.push(problem("responsible", "publication.responsible"));
    }
    if !fields.is_empty() {
        return Err(AppError {
            fields,
            ..ErrorKind::InvalidInput.into()
        });
    }
    Ok((title.to_owned(), input.channel.clone(), body.to_owned()))
}

fn counts(findings: &[Finding]) -> serde_json::Value {
    let mut by_kind = serde_json::Map::new();
    for f in findings {
        let n = by_kind
            .get(f.kind.code())
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        by_kind.insert(f.kind.code().into(), (n + 1).into());
    }
    by_kind.into()
}

/// Saves a text (and submits it, with `submit`), in the transaction the check began: a new
/// draft; a draft of the author's, again; or, for a text already submitted or decided, a new
/// draft that follows it (a submitted one is withdrawn with the same commit). Every save is
/// scanned and audited (the counts of findings, never the text). Returns the text's id.
pub async fn save(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    existing: Option<&PublicationRow>,
    input: &PublicationInput,
    submit: bool,
) -> Result<String, AppError> {
    let (title, channel, body) = parse(input)?;
    let findings = scan(&body, &names(&mut tx, &body).await?);
    let findings_json = serde_json::to_string(&findings).map_err(AppError::internal)?;
    let text = Text {
        title: &title,
        body: &body,
        channel: &channel,
        findings: &findings_json,
    };
    let details =
        serde_json::json!({ "chars": body.chars().count(), "findings": counts(&findings) });
    let (id, public_id) = match existing {
        Some(row) if row.state == ReviewState::Draft => {
            repo::update(&mut tx, row.id, &text, cx.now).await?;
            audit::append(
                &mut tx,
                cx.key,
                cx.now,
                NewEntry::new("publication_review.scanned", "success")
                    .actor(actor.id)
                    .object(REVIEWS.name, row.id)
                    .client(cx.client.clone())
                    .details(details.clone()),
            )
            .await?;
            (row.id, row.public_id.clone())
        }
        _ => {
            if let Some(row) = existing
                && row.state == ReviewState::Submitted
            {
                REVIEWS
                    .take(
                        &mut tx,
                        cx.key,
                        cx.now,
                        ReviewState::Submitted,
                        Step {
                            client: cx.client.clone(),
                            details: serde_json::json!({ "replaced": true }),
                            ..Step::new(row.id, "withdrawn").by(actor.id, "author")
                        },
                    )
                    .await?;
            }
            let public_id = new_public_id();
            let id = repo::insert(
                &mut tx,
                &public_id,
                actor.id,
                &text,
                existing.map(|r| r.id),
                cx.now,
            )
            .await?;
            REVIEWS
                .start(
                    &mut tx,
                    cx.key,
                    cx.now,
                    ReviewState::Draft,
                    Step {
                        client: cx.client.clone(),
                        details: details.clone(),
                        ..Step::new(id, "drafted").by(actor.id, "author")
                    },
                )
                .await?;
            (id, public_id)
        }
    };
    if submit {
        REVIEWS
            .take(
                &mut tx,
                cx.key,
                cx.now,
                ReviewState::Draft,
                Step {
                    client: cx.client.clone(),
                    details,
                    ..Step::new(id, "submitted").by(actor.id, "author")
                },
            )
            .await?;
        repo::submitted_at(&mut tx, id, cx.now).await?;
    }
    tx.commit().await?;
    Ok(public_id)
}

/// Approves (with a reason for keeping each finding) or rejects (with a comment) a
/// submitted text, in the transaction its check began. An approval numbers the text.
pub async fn decide(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &PublicationRow,
    decision: &Decision,
    overrides: &[String],
) -> Result<Option<String>, AppError> {
    let comment = decision.comment();
    let from = row.state;
    let findings: Vec<Finding> = serde_json::from_str(&row.findings).map_err(AppError::internal)?;
    let mut kept = None;
    let mut number = None;
    if decision.approves() && from == ReviewState::Submitted {
        // Every finding kept needs its own reason: an approval is a decision about each.
        let mut fields = Vec::new();
        let mut reasons = Vec::with_capacity(findings.len());
        for i in 0..findings.len() {
            let reason = overrides.get(i).map(|r| r.trim()).unwrap_or_default();
            if reason.chars().count() < 2 || reason.chars().count() > MAX_OVERRIDE_CHARS {
                fields.push(FieldError {
                    field: format!("overrides.{i}"),
                    code: "publication.override_required".into(),
                });
            }
            reasons.push(reason.to_owned());
        }
        if !fields.is_empty() {
            return Err(AppError {
                fields,
                ..ErrorKind::InvalidInput.into()
            });
        }
        if !reasons.is_empty() {
            kept = Some(serde_json::to_string(&reasons).map_err(AppError::internal)?);
        }
        let year = cx.now.with_timezone(&cx.timezone).year().to_string();
        let n = repo::numbers_in(&mut tx, &year).await? + 1;
        number = Some(format!("{year}-{n:04}"));
    }
    let decider_role = if actor.has(Role::LeadingGroup) {
        Role::LeadingGroup
    } else {
        Role::Leader
    };
    REVIEWS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            from,
            Step {
                client: cx.client.clone(),
                comment,
                details: serde_json::json!({
                    "findings": findings.len(),
                    "overridden": decision.either(findings.len(), 0),
                    "review_number": number,
                }),
                ..Step::new(row.id, decision.event())
                    .by(actor.id, decider_role.code())
                    .telling([row.author_id])
            },
        )
        .await?;
    repo::decide(
        &mut tx,
        row.id,
        actor.id,
        comment,
        kept.as_deref(),
        number.as_deref(),
        cx.now,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Withdraws the author's draft or submitted text.
pub async fn withdraw(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &PublicationRow,
) -> Result<(), AppError> {
    let from = row.state;
    REVIEWS
        .take(
            &mut tx,
            cx.key,
            cx.now,
            from,
            Step {
                client: cx.client.clone(),
                ..Step::new(row.id, "withdrawn").by(actor.id, "author")
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The submitted texts `actor` may decide: the one rule, asked of each one's author.
/// How many texts wait for `actor`'s decision (their home's to-do list).
pub async fn to_decide(conn: &mut Conn, actor: &Actor) -> Result<i64, AppError> {
    Ok(decidable(conn, actor).await?.len() as i64)
}

async fn decidable(conn: &mut Conn, actor: &Actor) -> Result<Vec<PublicationRow>, AppError> {
    if !(actor.has(Role::LeadingGroup) || actor.has(Role::Leader)) {
        return Ok(Vec::new());
    }
    let submitted = repo::in_state(conn, ReviewState::Submitted, LISTED).await?;
    Ok(users::decidable(
        conn,
        actor,
        Action::DecidePublication,
        submitted,
        PublicationRow::resource,
    )
    .await?)
}

/// Which enrolled students' names a person may see marked in a text: its reviewers (the
/// leading group, and leaders, who decide when it is empty; never its author) and records
/// administrators every one; anyone else only those of the pupils of their own classes,
/// which they know already. Otherwise the scan would tell an author which of the names they
/// paste are pupils here.
enum NamesShown {
    All,
    Known(HashSet<String>),
}

async fn names_shown(conn: &mut Conn, actor: &Actor) -> Result<NamesShown, AppError> {
    Ok(if actor.has(Role::RecordsAdmin) {
        NamesShown::All
    } else {
        NamesShown::Known(
            repo::own_class_name_keys(conn, actor.id)
                .await?
                .into_iter()
                .collect(),
        )
    })
}

/// `findings` (with the approver's reasons beside them) as `actor` may see them in `row`,
/// and whether name findings are withheld from them.
fn findings_for(
    actor: &Actor,
    shown: &NamesShown,
    row: &PublicationRow,
    findings: Vec<Finding>,
    overrides: Vec<String>,
) -> (Vec<Finding>, Vec<String>, bool) {
    let reviewer =
        actor.id != row.author_id && (actor.has(Role::LeadingGroup) || actor.has(Role::Leader));
    let known = match shown {
        _ if reviewer => return (findings, overrides, false),
        NamesShown::All => return (findings, overrides, false),
        NamesShown::Known(known) => known,
    };
    // The name findings such a person sees are those a scan against the names they know
    // finds: never a filtered view of the school-wide scan, whose longest matches and
    // read-through characters would say which other names are pupils here.
    let known_names = if known.is_empty() {
        Vec::new()
    } else {
        publication::scan_names(&row.body, &|c| known.contains(c))
    };
    let mut reasons = overrides.into_iter();
    let stored: Vec<(Finding, Option<String>)> =
        findings.into_iter().map(|f| (f, reasons.next())).collect();
    let has_reasons = stored.iter().any(|(_, r)| r.is_some());
    let mut kept: Vec<(Finding, Option<String>)> = stored
        .iter()
        .filter(|(f, _)| f.kind != FindingKind::StudentName)
        .cloned()
        .collect();
    // The approver's reason stays beside a name the school-wide scan marked at the same
    // place (the author reads why their pupil's name may stand).
    for name in known_names {
        let reason = stored
            .iter()
            .find(|(f, _)| *f == name)
            .and_then(|(_, r)| r.clone());
        kept.push((name, reason));
    }
    kept.sort_by_key(|(f, _)| (f.start, f.end));
    let kept_reasons = if has_reasons {
        kept.iter()
            .map(|(_, r)| r.clone().unwrap_or_default())
            .collect()
    } else {
        Vec::new()
    };
    let kept = kept.into_iter().map(|(f, _)| f).collect();
    (kept, kept_reasons, true)
}

fn summary(
    cx: &Context<'_>,
    actor: &Actor,
    shown: &NamesShown,
    row: &PublicationRow,
) -> PublicationSummary {
    let findings = serde_json::from_str::<Vec<Finding>>(&row.findings).unwrap_or_default();
    PublicationSummary {
        id: row.public_id.clone(),
        title: row.title.clone(),
        author: row.author.clone(),
        channel: row.channel.clone(),
        state: row.state,
        findings: findings_for(actor, shown, row, findings, Vec::new())
            .0
            .len(),
        updated_at: cx.local(Some(row.updated_at)),
        review_number: row.review_number.clone(),
    }
}

/// The publications page of `actor`.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<PublicationsHome, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let shown = names_shown(&mut conn, actor).await?;
    let mine = repo::of_author(&mut conn, actor.id, LISTED)
        .await?
        .iter()
        .map(|r| summary(cx, actor, &shown, r))
        .collect();
    let (to_decide, decided) = if actor.has(Role::LeadingGroup) || actor.has(Role::Leader) {
        let waiting = decidable(&mut conn, actor)
            .await?
            .iter()
            .map(|r| summary(cx, actor, &shown, r))
            .collect();
        let mut decided = Vec::new();
        for state in [ReviewState::Approved, ReviewState::Rejected] {
            decided.extend(
                repo::in_state(&mut conn, state, LISTED)
                    .await?
                    .iter()
                    .map(|r| summary(cx, actor, &shown, r)),
            );
        }
        (Some(waiting), Some(decided))
    } else {
        (None, None)
    };
    Ok(PublicationsHome {
        queues: Queues {
            mine,
            to_decide,
            decided,
        },
    })
}

/// How many texts wait for `actor`'s decision, and decisions on their own texts they have not
/// seen: the header's count.
pub async fn waiting(cx: &Context<'_>, actor: &Actor) -> Result<i64, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let to_decide = decidable(&mut conn, actor).await?.len() as i64;
    REVIEWS.waiting(&mut conn, actor.id, to_decide).await
}

/// One text, in the transaction its check began; opening it marks its news read.
pub async fn view(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    resource: Resource,
    row: &PublicationRow,
) -> Result<PublicationView, AppError> {
    let state = row.state;
    let author = permits(Some(actor), Action::EditPublication, resource);
    // A draft is its author's working copy until it is submitted.
    if state == ReviewState::Draft && !author {
        return Err(AppError::not_found());
    }
    let history = REVIEWS
        .opened(&mut tx, cx, Some(actor.id), row.id, None)
        .await?;
    let shown = names_shown(&mut tx, actor).await?;
    tx.commit().await?;
    let (findings, overrides, names_withheld) = findings_for(
        actor,
        &shown,
        row,
        serde_json::from_str(&row.findings).map_err(AppError::internal)?,
        row.overrides
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or_default(),
    );
    Ok(PublicationView {
        id: row.public_id.clone(),
        title: row.title.clone(),
        body: row.body.clone(),
        channel: row.channel.clone(),
        state: row.state,
        author: row.author.clone(),
        findings,
        names_withheld,
        previous: row.previous.clone(),
        submitted_at: row.submitted_at.map(|t| cx.local(Some(t))),
        decider: row.decider.clone(),
        decided_at: row.decided_at.map(|t| cx.local(Some(t))),
        decision_comment: row.decision_comment.clone(),
        overrides,
        review_number: row.review_number.clone(),
        history,
        can_edit: author && state != ReviewState::Withdrawn,
        can_submit: author && state == ReviewState::Draft,
        can_withdraw: author && matches!(state, ReviewState::Draft | ReviewState::Submitted),
        can_decide: state == ReviewState::Submitted
            && permits(Some(actor), Action::DecidePublication, resource),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus of ordinary notices the tests ship, one notice each.
    fn notices() -> Vec<&'static str> {
        include_str!("../../../../tests/corpus/school_notices.txt")
            .split("\n---\n")
            .skip(1)
            .map(str::trim)
            .collect()
    }

    /// What a school's `names` mark in the ordinary notices: the words marked, and in how
    /// many notices.
    fn false_positives(notices: &[&str], names: &HashSet<String>) -> (Vec<String>, usize) {
        let mut marked = Vec::new();
        let mut flagged = 0;
        for notice in notices {
            let chars: Vec<char> = notice.chars().collect();
            let found = scan(notice, names);
            flagged += usize::from(!found.is_empty());
            marked.extend(
                found
                    .iter()
                    .map(|f| chars[f.start..f.end].iter().collect::<String>()),
            );
        }
        (marked, flagged)
    }

    #[test]
    fn ordinary_notices_are_not_marked() {
        let notices = notices();
        assert_eq!(notices.len(), 30);
        let (numbers, _) = false_positives(&notices, &HashSet::new());
        assert!(
            numbers.is_empty(),
            "no number in an ordinary notice is personal data: {numbers:?}"
        );
        let chars: usize = notices.iter().map(|n| n.chars().count()).sum();
        // Against the names of a 3,000-student and a 200,000-student school (as the demo
        // school makes them): which ordinary words happen to be somebody's name.
        for (students, most) in [(3_000, 3), (200_000, 10)] {
            let names: HashSet<String> = crate::features::demo::service::sample_names(7, students)
                .into_iter()
                .collect();
            let (marked, flagged) = false_positives(&notices, &names);
            println!(
                "{students} students ({} distinct names): {} false positives in 30 notices \
                 ({chars} characters), {flagged} notices flagged: {marked:?}",
                names.len(),
                marked.len()
            );
            assert!(
                flagged <= most,
                "{flagged} of 30 ordinary notices flagged: {marked:?}"
            );
        }
    }

    #[test]
    fn an_approval_keeps_a_reason_for_every_finding() {
        let input = |body: &str, responsible: &str| PublicationInput {
            title: "通知".into(),
            channel: "website".into(),
            body: body.into(),
            responsible: responsible.into(),
            ..Default::default()
        };
        assert!(parse(&input("正文", "1")).is_ok());
        let refused = parse(&input("", "")).unwrap_err();
        let codes: Vec<&str> = refused.fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["publication.body_empty", "publication.responsible"]);
        let long = "字".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            parse(&input(&long, "1")).unwrap_err().fields[0].code,
            "publication.body_long"
        );
    }
}
