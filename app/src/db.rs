//! The one database door. Two engines are served by one binary: SQLite, embedded (a school's
//! own portal), and PostgreSQL (a county's, and several instances on one database). The
//! engine is chosen by the pool a deployment opens; this module is the only place that knows
//! which: its [`Pool`], [`Conn`], [`Tx`], [`Row`] and query builders cover both, so that a
//! store's code is written once (`db::query(…).bind(…).fetch_one(&mut *tx)`).
//!
//! Constructs that differ between the engines, kept in one list (the SQL elsewhere uses
//! only what both accept; a layout test counts what slips through):
//! - placeholders: `$1`, `$2`, … (SQLite reads them too); never `?`;
//! - beginning a write: SQLite `BEGIN IMMEDIATE` (takes the whole file's write lock at once);
//!   PostgreSQL `BEGIN` (READ COMMITTED) whose first statement locks the one row of
//!   `write_lock`, so that a school's writers follow one another as on SQLite and every
//!   later statement sees every earlier commit (a row lock works through poolers);
//! - beginning a read: SQLite's snapshot; PostgreSQL `REPEATABLE READ`;
//! - booleans: columns of type BOOLEAN on PostgreSQL (0/1 integers on SQLite), read as
//!   `bool`, compared as `NOT x` / `x` / `= TRUE`, set as `TRUE`/`FALSE` or bound as `bool`;
//! - integers: BIGINT on PostgreSQL, read as `i64`; a `SUM` is cast `AS BIGINT`;
//! - moments: TIMESTAMPTZ on PostgreSQL (text on SQLite), always bound and read as
//!   `DateTime<Utc>`;
//! - `INSERT … RETURNING`, `ON CONFLICT … DO UPDATE` (columns qualified), partial unique
//!   indexes, `string_agg`, `COUNT(*) FILTER (WHERE …)`: both accept them;
//! - `STRICT` tables, `PRAGMA`s, `rowid`: SQLite only (migrations and this module);
//! - `LIKE` with a prefix from data: escaped with `ESCAPE '\'` (`audit_query::like_escaped`);
//!   both compare case-sensitively only where the text has no ASCII letters (ids, actions);
//! - ordering text: PostgreSQL's database is created with the `C` collation, SQLite's
//!   `BINARY`: both order by code point.

use std::ops::{Deref, DerefMut};

use sqlx::{
    Postgres, Sqlite,
    pool::PoolConnection,
    postgres::{PgArguments, PgConnection, PgPool, PgRow},
    sqlite::{SqliteArguments, SqliteConnection, SqlitePool, SqliteRow},
};

pub use sqlx::Error;

/// The two engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// The application's connection pool, on either engine.
#[derive(Clone, Debug)]
pub struct Pool {
    kind: PoolKind,
    statements: Statements,
}

/// How many statements a pool's users have sent (`BEGIN` and a transaction's end among
/// them): each is at least one round trip to the engine, what a page's cost is counted in
/// (docs/PERFORMANCE.md). The tests hold every main page to its count.
#[derive(Clone, Debug, Default)]
pub struct Statements(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl Statements {
    /// Counts `n` statements sent.
    pub fn sent(&self, n: u64) {
        self.0.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many have been sent since the pool opened.
    pub fn total(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[derive(Clone, Debug)]
enum PoolKind {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl From<SqlitePool> for Pool {
    fn from(pool: SqlitePool) -> Self {
        Pool {
            kind: PoolKind::Sqlite(pool),
            statements: Statements::default(),
        }
    }
}

impl From<PgPool> for Pool {
    fn from(pool: PgPool) -> Self {
        Pool {
            kind: PoolKind::Postgres(pool),
            statements: Statements::default(),
        }
    }
}

impl Pool {
    pub fn engine(&self) -> Engine {
        match &self.kind {
            PoolKind::Sqlite(_) => Engine::Sqlite,
            PoolKind::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite pool underneath, for what only SQLite has (its file, its pragmas).
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match &self.kind {
            PoolKind::Sqlite(p) => Some(p),
            PoolKind::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool underneath, for what only PostgreSQL has.
    pub fn as_postgres(&self) -> Option<&PgPool> {
        match &self.kind {
            PoolKind::Postgres(p) => Some(p),
            PoolKind::Sqlite(_) => None,
        }
    }

    /// One connection of the pool, outside any transaction.
    pub async fn acquire(&self) -> Result<Pooled, Error> {
        let kind = match &self.kind {
            PoolKind::Sqlite(p) => ConnKind::Sqlite(p.acquire().await?),
            PoolKind::Postgres(p) => ConnKind::Postgres(p.acquire().await?),
        };
        Ok(Pooled(Conn {
            kind,
            statements: self.statements.clone(),
        }))
    }

    pub async fn close(&self) {
        match &self.kind {
            PoolKind::Sqlite(p) => p.close().await,
            PoolKind::Postgres(p) => p.close().await,
        }
    }

    /// How many statements this pool's users have sent since it opened.
    pub fn statements(&self) -> &Statements {
        &self.statements
    }

    /// `sqlite` or `postgres`, whichever this pool's engine takes.
    fn engine_statements(&self, sqlite: u64, postgres: u64) -> u64 {
        match self.engine() {
            Engine::Sqlite => sqlite,
            Engine::Postgres => postgres,
        }
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> u32 {
        match &self.kind {
            PoolKind::Sqlite(p) => p.options().get_max_connections(),
            PoolKind::Postgres(p) => p.options().get_max_connections(),
        }
    }
}

/// One connection, or a transaction seen as one (`&mut *tx`).
pub struct Conn {
    kind: ConnKind,
    statements: Statements,
}

enum ConnKind {
    Sqlite(PoolConnection<Sqlite>),
    SqliteTx(sqlx::Transaction<'static, Sqlite>),
    Postgres(PoolConnection<Postgres>),
    PostgresTx(sqlx::Transaction<'static, Postgres>),
}

impl Conn {
    pub fn engine(&self) -> Engine {
        match &self.kind {
            ConnKind::Sqlite(_) | ConnKind::SqliteTx(_) => Engine::Sqlite,
            ConnKind::Postgres(_) | ConnKind::PostgresTx(_) => Engine::Postgres,
        }
    }

    fn target(&mut self) -> Target<'_> {
        self.statements.sent(1);
        match &mut self.kind {
            ConnKind::Sqlite(c) => Target::Sqlite(c),
            ConnKind::SqliteTx(t) => Target::Sqlite(t),
            ConnKind::Postgres(c) => Target::Postgres(c),
            ConnKind::PostgresTx(t) => Target::Postgres(t),
        }
    }

    /// A savepoint inside this transaction: what is done through it is kept by
    /// [`Savepoint::commit`] and undone by [`Savepoint::rollback`] (or by the transaction's
    /// own end, when it is dropped).
    pub async fn savepoint(&mut self) -> Result<Savepoint<'_>, Error> {
        query("SAVEPOINT attempt").execute(&mut *self).await?;
        Ok(Savepoint(self))
    }
}

/// A connection taken from the pool (returned to it when dropped).
pub struct Pooled(Conn);

impl Deref for Pooled {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// A transaction of the pool: committed explicitly, rolled back when dropped.
pub struct Tx(Conn);

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), Error> {
        match self.0.kind {
            ConnKind::SqliteTx(t) => t.commit().await,
            ConnKind::PostgresTx(t) => t.commit().await,
            ConnKind::Sqlite(_) | ConnKind::Postgres(_) => Ok(()),
        }
    }

    pub async fn rollback(self) -> Result<(), Error> {
        match self.0.kind {
            ConnKind::SqliteTx(t) => t.rollback().await,
            ConnKind::PostgresTx(t) => t.rollback().await,
            ConnKind::Sqlite(_) | ConnKind::Postgres(_) => Ok(()),
        }
    }
}

/// A savepoint of a transaction (see [`Conn::savepoint`]).
pub struct Savepoint<'c>(&'c mut Conn);

impl Deref for Savepoint<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.0
    }
}

impl DerefMut for Savepoint<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.0
    }
}

impl Savepoint<'_> {
    pub async fn commit(self) -> Result<(), Error> {
        query("RELEASE SAVEPOINT attempt").execute(self.0).await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), Error> {
        query("ROLLBACK TO SAVEPOINT attempt")
            .execute(&mut *self.0)
            .await?;
        query("RELEASE SAVEPOINT attempt").execute(self.0).await?;
        Ok(())
    }
}

/// The statement that takes a school's write lock on PostgreSQL, first in every write.
const TAKE_WRITE_LOCK: &str = "SELECT id FROM write_lock WHERE id = 1 FOR UPDATE";

/// Begins a transaction that will write: it holds the school's write lock from its first
/// statement, so what it reads stays true until it commits.
pub async fn begin_write(pool: &Pool) -> Result<Tx, Error> {
    let tx = match &pool.kind {
        PoolKind::Sqlite(p) => {
            let p = p.clone();
            whole(async move { p.begin_with("BEGIN IMMEDIATE").await })
                .await
                .map(ConnKind::SqliteTx)
        }
        PoolKind::Postgres(p) => {
            let p = p.clone();
            whole(async move {
                let mut tx = p.begin().await?;
                // The row must be there: without it nothing would be locked.
                sqlx::query(TAKE_WRITE_LOCK).fetch_one(&mut *tx).await?;
                Ok(tx)
            })
            .await
            .map(ConnKind::PostgresTx)
        }
    };
    // BEGIN, and on PostgreSQL the lock row.
    transaction(pool, tx, pool.engine_statements(1, 2))
}

/// Begins a transaction that only reads: it sees one snapshot of the database throughout
/// (on PostgreSQL a write in it fails).
pub async fn begin_read(pool: &Pool) -> Result<Tx, Error> {
    let tx = match &pool.kind {
        PoolKind::Sqlite(p) => {
            let p = p.clone();
            whole(async move { p.begin().await })
                .await
                .map(ConnKind::SqliteTx)
        }
        PoolKind::Postgres(p) => {
            let p = p.clone();
            whole(async move {
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            })
            .await
            .map(ConnKind::PostgresTx)
        }
    };
    transaction(pool, tx, 1)
}

/// A transaction begun on `pool` by `begun` statements. Its end is counted with its
/// beginning: a `COMMIT`, a `ROLLBACK`, or the rollback sqlx sends when it is dropped.
fn transaction(pool: &Pool, tx: Result<ConnKind, Error>, begun: u64) -> Result<Tx, Error> {
    let kind = tx?;
    pool.statements.sent(begun + 1);
    Ok(Tx(Conn {
        kind,
        statements: pool.statements.clone(),
    }))
}

/// Runs the beginning of a transaction to its end even when the caller stops waiting (a
/// request timed out, a client gone): dropped halfway through `BEGIN`, sqlx would return the
/// connection to the pool inside a transaction it does not know of (sqlx 0.8.6), and the
/// next user's writes would go into it. Finished, the transaction is dropped and rolled back
/// as any other.
async fn whole<T: Send + 'static>(
    begin: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, Error> {
    tokio::spawn(begin)
        .await
        .map_err(|e| Error::Protocol(format!("beginning a transaction failed: {e}")))?
}

/// Where a statement runs: a pool, a connection or a transaction of either engine.
pub trait Executor<'e>: Send + Sized {
    #[doc(hidden)]
    fn target(self) -> Target<'e>;
}

#[doc(hidden)]
pub enum Target<'e> {
    Sqlite(&'e mut SqliteConnection),
    SqlitePool(&'e SqlitePool),
    Postgres(&'e mut PgConnection),
    PostgresPool(&'e PgPool),
}

impl<'e> Executor<'e> for &'e Pool {
    fn target(self) -> Target<'e> {
        self.statements.sent(1);
        match &self.kind {
            PoolKind::Sqlite(p) => Target::SqlitePool(p),
            PoolKind::Postgres(p) => Target::PostgresPool(p),
        }
    }
}

impl<'e> Executor<'e> for &'e mut Conn {
    fn target(self) -> Target<'e> {
        Conn::target(self)
    }
}

impl<'e> Executor<'e> for &'e mut Pooled {
    fn target(self) -> Target<'e> {
        self.0.target()
    }
}

impl<'e> Executor<'e> for &'e mut Tx {
    fn target(self) -> Target<'e> {
        self.0.target()
    }
}

impl<'e, 'c> Executor<'e> for &'e mut Savepoint<'c> {
    fn target(self) -> Target<'e> {
        self.0.target()
    }
}

/// A value both engines can bind.
pub trait Bind<'q>:
    sqlx::Encode<'q, Sqlite>
    + sqlx::Type<Sqlite>
    + sqlx::Encode<'q, Postgres>
    + sqlx::Type<Postgres>
    + Clone
    + Send
    + 'q
{
}

impl<'q, T> Bind<'q> for T where
    T: sqlx::Encode<'q, Sqlite>
        + sqlx::Type<Sqlite>
        + sqlx::Encode<'q, Postgres>
        + sqlx::Type<Postgres>
        + Clone
        + Send
        + 'q
{
}

/// A value both engines can read.
pub trait Decode:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}

impl<T> Decode for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

/// A row type both engines can fill (`#[derive(sqlx::FromRow)]`, tuples).
pub trait FromRow:
    for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> FromRow for T where
    T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin
{
}

/// The arguments of one statement, encoded for both engines (the engine is known only when
/// the statement runs).
#[derive(Default)]
struct Arguments<'q> {
    sqlite: SqliteArguments<'q>,
    postgres: PgArguments,
    error: Option<sqlx::error::BoxDynError>,
}

impl<'q> Arguments<'q> {
    fn add<T: Bind<'q>>(&mut self, value: T) {
        use sqlx::Arguments as _;
        if self.error.is_some() {
            return;
        }
        let result = self
            .sqlite
            .add(value.clone())
            .and_then(|()| self.postgres.add(value));
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    fn len(&self) -> usize {
        use sqlx::Arguments as _;
        self.postgres.len()
    }
}

/// What a statement that returns no rows did.
#[derive(Clone, Copy, Debug)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// One row of a result, of either engine.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

/// A column's name or index.
pub trait ColumnIndex:
    sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + std::fmt::Debug
{
}

impl<I> ColumnIndex for I where
    I: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + std::fmt::Debug
{
}

impl Row {
    pub fn try_get<T: Decode, I: ColumnIndex>(&self, index: I) -> Result<T, Error> {
        use sqlx::Row as _;
        match self {
            Row::Sqlite(r) => r.try_get(index),
            Row::Postgres(r) => r.try_get(index),
        }
    }

    /// The value of a column, panicking when it cannot be read (as `sqlx::Row::get`).
    pub fn get<T: Decode, I: ColumnIndex>(&self, index: I) -> T {
        self.try_get(index)
            .unwrap_or_else(|e| panic!("the row's column cannot be read: {e}"))
    }

    /// Fills a row type from this row.
    pub fn to<T: FromRow>(&self) -> Result<T, Error> {
        match self {
            Row::Sqlite(r) => T::from_row(r),
            Row::Postgres(r) => T::from_row(r),
        }
    }
}

/// A statement with its arguments (see [`query`]).
#[must_use = "a query does nothing until it is run"]
pub struct Query<'q> {
    sql: &'q str,
    args: Arguments<'q>,
    /// Kept prepared on the connection and reused (the default); see
    /// [`Query::planned_with_its_values`].
    persistent: bool,
}

/// The placeholders `$from, $from+1, …` of `count` values, as a list for `IN (…)` or
/// `VALUES (…)`: "$1, $2, $3".
pub fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A statement; bind its `$n` placeholders in order with [`Query::bind`].
pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        args: Arguments::default(),
        persistent: true,
    }
}

/// A statement whose rows fill `T`.
pub fn query_as<T: FromRow>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        inner: query(sql),
        row: std::marker::PhantomData,
    }
}

/// A statement whose rows are one value each.
pub fn query_scalar<T: Decode + Send + Unpin>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar {
        inner: query_as(sql),
    }
}

macro_rules! on_target {
    ($executor:expr, $args:expr, |$c:ident, $a:ident| $sqlite:expr, $postgres:expr) => {{
        let args = $args;
        if let Some(e) = args.error {
            return Err(Error::Encode(e));
        }
        match $executor.target() {
            Target::Sqlite($c) => {
                let $a = args.sqlite;
                $sqlite
            }
            Target::SqlitePool($c) => {
                let $a = args.sqlite;
                $sqlite
            }
            Target::Postgres($c) => {
                let $a = args.postgres;
                $postgres
            }
            Target::PostgresPool($c) => {
                let $a = args.postgres;
                $postgres
            }
        }
    }};
}

impl<'q> Query<'q> {
    pub fn bind<T: Bind<'q>>(mut self, value: T) -> Self {
        self.args.add(value);
        self
    }

    /// Plans the statement with its values each time it runs, instead of keeping one plan on
    /// the connection. PostgreSQL switches a kept statement to a plan for any values after
    /// five runs, and for a range over an index whose width depends on the values (a name's
    /// prefix) that generic plan walks a whole table: 19 ms where the planned one takes 1.
    pub fn planned_with_its_values(mut self) -> Self {
        self.persistent = false;
        self
    }

    pub async fn execute<'e>(self, executor: impl Executor<'e>) -> Result<Done, Error> {
        let sql = self.sql;
        let persistent = self.persistent;
        on_target!(
            executor,
            self.args,
            |c, a| {
                sqlx::query_with(sql, a)
                    .persistent(persistent)
                    .execute(c)
                    .await
                    .map(|r| Done {
                        rows_affected: r.rows_affected(),
                    })
            },
            {
                sqlx::query_with(sql, a)
                    .persistent(persistent)
                    .execute(c)
                    .await
                    .map(|r| Done {
                        rows_affected: r.rows_affected(),
                    })
            }
        )
    }

    pub async fn fetch_one<'e>(self, executor: impl Executor<'e>) -> Result<Row, Error> {
        let sql = self.sql;
        let persistent = self.persistent;
        on_target!(
            executor,
            self.args,
            |c, a| sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_one(c)
                .await
                .map(Row::Sqlite),
            sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_one(c)
                .await
                .map(Row::Postgres)
        )
    }

    pub async fn fetch_optional<'e>(
        self,
        executor: impl Executor<'e>,
    ) -> Result<Option<Row>, Error> {
        let sql = self.sql;
        let persistent = self.persistent;
        on_target!(
            executor,
            self.args,
            |c, a| sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_optional(c)
                .await
                .map(|r| r.map(Row::Sqlite)),
            sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_optional(c)
                .await
                .map(|r| r.map(Row::Postgres))
        )
    }

    pub async fn fetch_all<'e>(self, executor: impl Executor<'e>) -> Result<Vec<Row>, Error> {
        let sql = self.sql;
        let persistent = self.persistent;
        on_target!(
            executor,
            self.args,
            |c, a| sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_all(c)
                .await
                .map(|r| r.into_iter().map(Row::Sqlite).collect()),
            sqlx::query_with(sql, a)
                .persistent(persistent)
                .fetch_all(c)
                .await
                .map(|r| r.into_iter().map(Row::Postgres).collect())
        )
    }
}

/// A statement whose rows fill `T` (see [`query_as`]).
#[must_use = "a query does nothing until it is run"]
pub struct QueryAs<'q, T> {
    inner: Query<'q>,
    row: std::marker::PhantomData<fn() -> T>,
}

impl<'q, T: FromRow> QueryAs<'q, T> {
    pub fn bind<V: Bind<'q>>(mut self, value: V) -> Self {
        self.inner.args.add(value);
        self
    }

    /// See [`Query::planned_with_its_values`].
    pub fn planned_with_its_values(mut self) -> Self {
        self.inner.persistent = false;
        self
    }

    pub async fn fetch_one<'e>(self, executor: impl Executor<'e>) -> Result<T, Error> {
        let sql = self.inner.sql;
        let persistent = self.inner.persistent;
        on_target!(
            executor,
            self.inner.args,
            |c, a| sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_one(c)
                .await,
            sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_one(c)
                .await
        )
    }

    pub async fn fetch_optional<'e>(self, executor: impl Executor<'e>) -> Result<Option<T>, Error> {
        let sql = self.inner.sql;
        let persistent = self.inner.persistent;
        on_target!(
            executor,
            self.inner.args,
            |c, a| sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_optional(c)
                .await,
            sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_optional(c)
                .await
        )
    }

    pub async fn fetch_all<'e>(self, executor: impl Executor<'e>) -> Result<Vec<T>, Error> {
        let sql = self.inner.sql;
        let persistent = self.inner.persistent;
        on_target!(
            executor,
            self.inner.args,
            |c, a| sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_all(c)
                .await,
            sqlx::query_as_with::<_, T, _>(sql, a)
                .persistent(persistent)
                .fetch_all(c)
                .await
        )
    }
}

/// A statement whose rows are one value each (see [`query_scalar`]).
#[must_use = "a query does nothing until it is run"]
pub struct QueryScalar<'q, T> {
    inner: QueryAs<'q, (T,)>,
}

impl<'q, T: Decode + Send + Unpin> QueryScalar<'q, T> {
    pub fn bind<V: Bind<'q>>(mut self, value: V) -> Self {
        self.inner = self.inner.bind(value);
        self
    }

    pub async fn fetch_one<'e>(self, executor: impl Executor<'e>) -> Result<T, Error> {
        self.inner.fetch_one(executor).await.map(|(v,)| v)
    }

    pub async fn fetch_optional<'e>(self, executor: impl Executor<'e>) -> Result<Option<T>, Error> {
        self.inner
            .fetch_optional(executor)
            .await
            .map(|r| r.map(|(v,)| v))
    }

    pub async fn fetch_all<'e>(self, executor: impl Executor<'e>) -> Result<Vec<T>, Error> {
        self.inner
            .fetch_all(executor)
            .await
            .map(|r| r.into_iter().map(|(v,)| v).collect())
    }
}

/// A statement put together piece by piece, its values bound as `$n` placeholders.
pub struct QueryBuilder<'q> {
    sql: String,
    args: Arguments<'q>,
}

impl<'q> QueryBuilder<'q> {
    pub fn new(sql: impl Into<String>) -> Self {
        QueryBuilder {
            sql: sql.into(),
            args: Arguments::default(),
        }
    }

    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write as _;
        let _ = write!(self.sql, "{sql}");
        self
    }

    pub fn push_bind<T: Bind<'q>>(&mut self, value: T) -> &mut Self {
        use std::fmt::Write as _;
        self.args.add(value);
        let _ = write!(self.sql, "${}", self.args.len());
        self
    }

    /// Pieces separated by `separator`.
    pub fn separated<'b>(&'b mut self, separator: &'static str) -> Separated<'b, 'q> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    /// `VALUES (…), (…)`: one parenthesised list per item, its values pushed by `push`.
    pub fn push_values<I, F>(&mut self, items: I, mut push: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_, 'q>, I::Item),
    {
        self.push("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push("(");
            push(self.separated(", "), item);
            self.push(")");
        }
        self
    }

    /// The statement (the builder stays for the SQL's text only; build once).
    pub fn build(&mut self) -> Query<'_> {
        Query {
            sql: &self.sql,
            args: std::mem::take(&mut self.args),
            persistent: true,
        }
    }

    pub fn build_query_as<T: FromRow>(&mut self) -> QueryAs<'_, T> {
        QueryAs {
            inner: self.build(),
            row: std::marker::PhantomData,
        }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }
}

/// Pieces of a [`QueryBuilder`] with a separator between them.
pub struct Separated<'b, 'q> {
    builder: &'b mut QueryBuilder<'q>,
    separator: &'static str,
    first: bool,
}

impl<'q> Separated<'_, 'q> {
    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
        self.builder.push(sql);
        self
    }

    pub fn push_bind<T: Bind<'q>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }

    /// Appends to the current piece, with no separator.
    pub fn push_unseparated(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        self.builder.push(sql);
        self
    }
}

/// Stores `$name` as a text column on both engines: a row reads it with `$name::parse` (an
/// unknown code is the row's error) and a query binds it as `$name::code`.
#[doc(hidden)]
#[macro_export]
macro_rules! text_column {
    ($name:ident) => {
        $crate::__state_column!($name, ::sqlx::Sqlite);
        $crate::__state_column!($name, ::sqlx::Postgres);
    };
}
/// A type stored as a text column on one engine (see [`text_column!`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __state_column {
    ($name:ident, $db:ty) => {
        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<$db> for $name {
            fn type_info() -> <$db as ::sqlx::Database>::TypeInfo {
                <&str as ::sqlx::Type<$db>>::type_info()
            }
            fn compatible(ty: &<$db as ::sqlx::Database>::TypeInfo) -> bool {
                <&str as ::sqlx::Type<$db>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, $db> for $name {
            fn decode(
                value: <$db as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&str as ::sqlx::Decode<$db>>::decode(value)?;
                $name::parse(code)
                    .ok_or_else(|| format!("{}: no state {code:?}", stringify!($name)).into())
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, $db> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as ::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, $db>>::encode_by_ref(&self.code(), buf)
            }
        }
    };
}

/// A SQLite database in memory, of one connection (each of an in-memory database's
/// connections is a database of its own), for unit tests.
pub async fn in_memory() -> Result<Pool, Error> {
    Ok(Pool::from(
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await?,
    ))
}

/// Writes every page the write-ahead log holds into the database file and truncates the log
/// to nothing, so that what a transaction just erased is in no older page version on disk
/// (with `secure_delete`, the database file's own free space is zeroed already). Waits for
/// readers still on an older snapshot (the connection's busy timeout; the portal's reads last
/// milliseconds), and tries again twice while one holds on; returns whether the log is empty
/// (the caller tries again later when not: writers wait while it waits).
///
/// On PostgreSQL there is no such log to empty from here: old row versions go at the next
/// vacuum, and the write-ahead log and backups are the operator's (docs/SECURITY.md says so).
pub async fn purge_journal(pool: &Pool) -> Result<bool, sqlx::Error> {
    let Some(pool) = pool.as_sqlite() else {
        return Ok(true);
    };
    for attempt in 0..3u64 {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        if busy == 0 {
            return Ok(true);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50 * (attempt + 1))).await;
    }
    Ok(false)
}

/// Whether `error` says the disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's `53100`, or
/// an I/O error of no space left on the device).
pub fn is_disk_full(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.code().is_some_and(|c| c == "13" || c == "53100")
                || e.message().contains("disk is full")
        }
        sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
        _ => false,
    }
}

/// The bytes free for the database on the file system that holds `file` (none when it
/// cannot be told: an in-memory database, a platform without `statvfs`).
pub fn free_bytes(file: &std::path::Path) -> Option<u64> {
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty())?;
    free_bytes_in(folder)
}

#[cfg(unix)]
fn free_bytes_in(folder: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a NUL-terminated string that outlives the call, and `stat` points to
    // memory for one `statvfs` that the call fills in when it returns 0.
    let stat = unsafe {
        if libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    Some((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

#[cfg(not(unix))]
fn free_bytes_in(_: &std::path::Path) -> Option<u64> {
    None
}

/// Below this many bytes free the database's disk counts as full (a write may need a page
/// for the journal, the index and the table each, and a checkpoint more).
pub const DISK_RESERVE: u64 = 1024 * 1024;

/// The database file of `pool` (none for an in-memory one, or a PostgreSQL server).
pub async fn file_of(pool: &Pool) -> Result<Option<std::path::PathBuf>, sqlx::Error> {
    let Some(pool) = pool.as_sqlite() else {
        return Ok(None);
    };
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(pool)
            .await?;
    Ok(file.filter(|f| !f.is_empty()).map(std::path::PathBuf::from))
}

/// Whether the disk that holds the database of `pool` is full (less than `DISK_RESERVE`
/// free); false when it cannot be told.
pub async fn disk_full(pool: &Pool) -> Result<bool, sqlx::Error> {
    Ok(file_of(pool)
        .await?
        .and_then(|f| free_bytes(&f))
        .is_some_and(|free| free < DISK_RESERVE))
}

/// After a bulk load (the demo school): PostgreSQL's planner learns the tables' new sizes
/// and its visibility map lets index-only scans skip the rows (autovacuum would, later);
/// SQLite plans without statistics and needs nothing.
pub async fn after_bulk_load(pool: &Pool) -> Result<(), sqlx::Error> {
    if let Some(pool) = pool.as_postgres() {
        sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
    }
    Ok(())
}

/// How the database keeps its journal: SQLite's `journal_mode` (`wal`), and `wal` for
/// PostgreSQL, which always writes ahead.
pub async fn journal_mode(pool: &Pool) -> Result<String, sqlx::Error> {
    match pool.as_sqlite() {
        Some(pool) => {
            sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(pool)
                .await
        }
        None => Ok("wal".to_owned()),
    }
}

/// Whether `error` says a text held a character the database cannot store (PostgreSQL
/// refuses NUL in text; SQLite stores it).
pub fn is_unstorable_text(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e)
        if e.code().is_some_and(|c| c == "22021" || c == "22P05"))
}

/// Whether `error` says a writer waited too long for a lock (PostgreSQL's `lock_timeout`,
/// SQLite's busy timeout): the database is busy, not broken.
pub fn is_lock_timeout(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e)
        if e.code().is_some_and(|c| c == "55P03" || c == "5" || c == "517"))
}

/// Whether `error` is a violated unique constraint (two writers racing for one name, say).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// An opaque id for URLs: 128 random bits, hex.
pub fn new_public_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
