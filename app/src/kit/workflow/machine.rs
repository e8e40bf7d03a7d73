//! The workflow machine: a workflow's states and the transitions between them, taken one at
//! a time inside the caller's write transaction. A step moves the object's state only from the
//! state it was read in (so of two people deciding at once, the second is told it was
//! decided), keeps the transition in the history (`workflow_transitions`) and writes the
//! audit entry that names it, all in that transaction. Who may take a step is the
//! authorisation rule's (`crate::domain::access`, whose `distinct` is the
//! separation-of-duties test).

use chrono::{DateTime, Utc};

use crate::{
    db::Conn,
    errors::AppError,
    kit::audit::chain::{self as audit, AuditKey, NewEntry},
};

/// A workflow's state, by the code its table stores.
pub trait WorkflowState: Copy + PartialEq + std::fmt::Debug + 'static {
    fn code(self) -> &'static str;
}

/// One transition: the event's name (the audit action's suffix), the states it starts from
/// and the state it ends in.
pub struct Transition<S: 'static> {
    pub event: &'static str,
    pub from: &'static [S],
    pub to: S,
}

/// A deadline: an object still in `state` when the moment its `column` holds has passed is
/// moved by the step `event`, taken by the one sweeper (`crate::kit::sweeper`) as a person's
/// step would be (a request nobody decided lapses, a release whose window is over expires).
pub struct Deadline<S: 'static> {
    pub state: S,
    pub column: &'static str,
    pub event: &'static str,
}

/// A workflow: its name (the audit actions' prefix and the history's key), the table and
/// column that hold its objects' states, its transitions and its deadlines.
pub struct Workflow<S: 'static> {
    pub name: &'static str,
    pub table: &'static str,
    pub column: &'static str,
    pub transitions: &'static [Transition<S>],
    pub deadlines: &'static [Deadline<S>],
}

/// One step as the service that takes it describes it.
pub struct Step<'a> {
    pub object_id: i64,
    pub event: &'static str,
    /// What the audit entry names as its object, when not the workflow's object itself (a
    /// role grant names the person whose role it is).
    pub audit_object: Option<(&'static str, i64)>,
    pub actor: Option<i64>,
    /// The role the actor acts in.
    pub role: Option<&'static str>,
    pub client: Option<String>,
    /// The decision's comment or the ending's reason, kept in the history (not the audit
    /// entry, which holds ids only).
    pub comment: Option<&'a str>,
    /// The audit entry's reason: a purpose code, an approval id.
    pub reason: Option<String>,
    /// The most sensitive data involved (`ordinary`, `confidential`, `top_secret`).
    pub classification: &'static str,
    /// Ids and field keys, never values.
    pub details: serde_json::Value,
    /// Whom the step tells of itself (a workflow notice each, in the step's transaction).
    pub tell: Vec<i64>,
}

impl Step<'_> {
    pub fn new(object_id: i64, event: &'static str) -> Self {
        Step {
            object_id,
            event,
            audit_object: None,
            actor: None,
            role: None,
            client: None,
            comment: None,
            reason: None,
            classification: "ordinary",
            details: serde_json::json!({}),
            tell: Vec::new(),
        }
    }

    pub fn by(mut self, actor: i64, role: &'static str) -> Self {
        self.actor = Some(actor);
        self.role = Some(role);
        self
    }

    /// Tells `parties` of the step (a workflow notice each).
    pub fn telling(mut self, parties: impl IntoIterator<Item = i64>) -> Self {
        self.tell.extend(parties);
        self
    }
}

impl<S: WorkflowState> Workflow<S> {
    /// Where `event` leads from `from`, or the conflict of a step the state no longer allows
    /// (`workflow.moved_on`: someone else decided first, or it ended).
    pub fn target(&self, from: S, event: &str) -> Result<S, AppError> {
        let transition = self
            .transitions
            .iter()
            .find(|t| t.event == event)
            .ok_or_else(|| AppError::internal(format!("{}: no event {event}", self.name)))?;
        if transition.from.contains(&from) {
            Ok(transition.to)
        } else {
            Err(AppError::conflict("workflow.moved_on"))
        }
    }

    /// Takes `step` from the state `from` the object was read in, in this transaction:
    /// moves the state (refused when it moved on meanwhile), keeps the transition, writes
    /// its audit entry and tells its parties (`Step::tell`). Returns the entry's sequence
    /// number.
    pub async fn take(
        &self,
        tx: &mut Conn,
        key: &AuditKey,
        now: DateTime<Utc>,
        from: S,
        step: Step<'_>,
    ) -> Result<i64, AppError> {
        let to = self.target(from, step.event)?;
        let moved = crate::db::query(&format!(
            "UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3",
            table = self.table,
            column = self.column,
        ))
        .bind(to.code())
        .bind(step.object_id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            return Err(AppError::conflict("workflow.moved_on"));
        }
        self.record(tx, key, now, Some(from), to, step).await
    }

    /// Records the start of an object just inserted in the state `to`: its history's first
    /// transition and its audit entry.
    pub async fn start(
        &self,
        tx: &mut Conn,
        key: &AuditKey,
        now: DateTime<Utc>,
        to: S,
        step: Step<'_>,
    ) -> Result<i64, AppError> {
        self.record(tx, key, now, None, to, step).await
    }

    /// The objects whose deadline has passed at `now`, each with the step the clock takes on
    /// it: by deadline as declared, then by id. Only the sweeper asks, in its write
    /// transaction; each step then moves the state only from the one it was found in.
    pub async fn due(
        &self,
        conn: &mut Conn,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, &'static str)>, sqlx::Error> {
        let mut due = Vec::new();
        for deadline in self.deadlines {
            let ids: Vec<i64> = crate::db::query_scalar(&format!(
                "SELECT id FROM {} WHERE {} = $1 AND {} <= $2 ORDER BY id",
                self.table, self.column, deadline.column
            ))
            .bind(deadline.state.code())
            .bind(now)
            .fetch_all(&mut *conn)
            .await?;
            due.extend(ids.into_iter().map(|id| (id, deadline.event)));
        }
        Ok(due)
    }

    /// An object's page opened by `reader`: its history (`entries`, with `began` its
    /// beginning), and the reader's notices about it marked read, in the page's transaction.
    /// `None`: a reader whose notices this page does not answer.
    pub async fn opened(
        &self,
        tx: &mut Conn,
        cx: &crate::kit::context::Context<'_>,
        reader: Option<i64>,
        object_id: i64,
        began: Option<DateTime<Utc>>,
    ) -> Result<Vec<super::HistoryEntry>, sqlx::Error> {
        let history = entries(&mut *tx, cx, self.name, object_id, began).await?;
        if let Some(reader) = reader {
            crate::kit::workflow::notices::mark_read(tx, reader, (self.name, object_id), cx.now)
                .await?;
        }
        Ok(history)
    }

    /// The header's count of this workflow for `actor`: what waits for their decision
    /// (`to_decide`, the workflow's own rule) and the outcomes of theirs they have not read.
    pub async fn waiting(
        &self,
        conn: &mut Conn,
        actor_id: i64,
        to_decide: i64,
    ) -> Result<i64, AppError> {
        Ok(
            crate::kit::workflow::notices::unread_count(conn, actor_id, self.name).await?
                + to_decide,
        )
    }

    async fn record(
        &self,
        tx: &mut Conn,
        key: &AuditKey,
        now: DateTime<Utc>,
        from: Option<S>,
        to: S,
        step: Step<'_>,
    ) -> Result<i64, AppError> {
        let mut details = step.details;
        if let Some(map) = details.as_object_mut() {
            map.insert("from".into(), from.map(|f| f.code()).into());
            map.insert("to".into(), to.code().into());
        }
        let (object_type, object_id) = step.audit_object.unwrap_or((self.name, step.object_id));
        let mut entry = NewEntry::new(&format!("{}.{}", self.name, step.event), "success")
            .object(object_type, object_id)
            .client(step.client)
            .details(details);
        if let Some(actor) = step.actor {
            entry = entry.actor(actor);
        }
        if let Some(role) = step.role {
            entry = entry.role(role);
        }
        if let Some(reason) = &step.reason {
            entry = entry.reason(reason);
        }
        entry.classification = step.classification.into();
        let seq = audit::append(tx, key, now, entry).await?;
        crate::db::query(
            "INSERT INTO workflow_transitions (workflow, object_id, from_state, to_state, event, \
             actor_id, at, comment, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(self.name)
        .bind(step.object_id)
        .bind(from.map(|f| f.code()))
        .bind(to.code())
        .bind(step.event)
        .bind(step.actor)
        .bind(now)
        .bind(step.comment)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        for party in step.tell {
            crate::kit::workflow::notices::notify(
                tx,
                party,
                (self.name, step.object_id, step.event),
                now,
            )
            .await?;
        }
        Ok(seq)
    }
}

/// A count the header shows, as a scalar subquery over its feature's own tables in which
/// `$1` is the viewer's account id: a page asks all of its header's counts in one
/// statement ([`tally`]).
pub struct Tally(pub(in crate::kit::workflow) std::borrow::Cow<'static, str>);

impl Tally {
    /// A feature's tally: SQL written in its source, never made of input.
    pub const fn of(sql: &'static str) -> Self {
        Tally(std::borrow::Cow::Borrowed(sql))
    }
}

/// The counts of `tallies` for the viewer `viewer`, in `tallies`' order: one statement,
/// one snapshot on either engine; no tally, no statement.
pub async fn tally(
    conn: &mut Conn,
    viewer: i64,
    tallies: &[&Tally],
) -> Result<Vec<i64>, sqlx::Error> {
    if tallies.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from("SELECT $1 AS viewer");
    for (n, tally) in tallies.iter().enumerate() {
        sql.push_str(&format!(", ({}) AS t{n}", tally.0));
    }
    let row = crate::db::query(&sql).bind(viewer).fetch_one(conn).await?;
    (0..tallies.len())
        .map(|n| row.try_get::<i64, _>(n + 1))
        .collect()
}

/// The head of a queue of what waits for someone: how many, since when the oldest has
/// waited, and the oldest's reference (an opaque id, a class, a draft's target). A store
/// selects it as `COUNT(*) OVER () AS count, MIN(<time>) OVER () AS since, <ref> AS first`
/// ordered oldest first, `LIMIT 1`; no row is nothing waiting (the default).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueHead {
    pub count: i64,
    pub since: Option<DateTime<Utc>>,
    pub first: Option<String>,
}

impl QueueHead {
    /// A count with no time or place of its own.
    pub fn count(count: i64) -> Self {
        QueueHead {
            count,
            ..QueueHead::default()
        }
    }
}

/// One step as the history keeps it.
#[derive(sqlx::FromRow)]
struct Kept {
    event: String,
    actor: Option<String>,
    at: DateTime<Utc>,
    comment: Option<String>,
}

/// The history of one object as its page shows it, oldest first: times in the school's
/// zone, and with `began`, how many minutes after it each step came.
pub async fn entries(
    conn: &mut Conn,
    cx: &crate::kit::context::Context<'_>,
    workflow: &str,
    object_id: i64,
    began: Option<DateTime<Utc>>,
) -> Result<Vec<super::HistoryEntry>, sqlx::Error> {
    let kept: Vec<Kept> = crate::db::query_as(
        "SELECT t.event, u.display_name AS actor, t.at, t.comment FROM workflow_transitions t \
         LEFT JOIN users u ON u.id = t.actor_id WHERE t.workflow = $1 AND t.object_id = $2 \
         ORDER BY t.id",
    )
    .bind(workflow)
    .bind(object_id)
    .fetch_all(conn)
    .await?;
    Ok(kept
        .into_iter()
        .map(|k| super::HistoryEntry {
            event: k.event,
            actor: k.actor,
            at: cx.local(Some(k.at)),
            comment: k.comment,
            elapsed_minutes: began.map(|b| (k.at - b).num_minutes().max(0)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Door {
        Shut,
        Open,
    }
    impl WorkflowState for Door {
        fn code(self) -> &'static str {
            match self {
                Door::Shut => "shut",
                Door::Open => "open",
            }
        }
    }
    static DOOR: Workflow<Door> = Workflow {
        name: "door",
        table: "doors",
        column: "state",
        transitions: &[
            Transition {
                event: "opened",
                from: &[Door::Shut],
                to: Door::Open,
            },
            Transition {
                event: "shut",
                from: &[Door::Open],
                to: Door::Shut,
            },
        ],
        deadlines: &[],
    };

    #[test]
    fn a_step_leads_only_from_its_states() {
        assert_eq!(DOOR.target(Door::Shut, "opened").unwrap(), Door::Open);
        let e = DOOR.target(Door::Open, "opened").unwrap_err();
        assert_eq!(e.code.as_deref(), Some("workflow.moved_on"));
    }
}
