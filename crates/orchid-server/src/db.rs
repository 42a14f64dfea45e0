//! Opening the database and bringing its schema up to date: SQLite (one store, a file under
//! `data/`) or PostgreSQL (a chain, behind stateless servers), chosen by the URL.
//!
//! Both go through sqlx's `Any` driver, so every query is written once. The rules that keep the
//! SQL portable: `$N` placeholders (SQLite accepts them too), `BIGINT` and `TEXT` columns only
//! (times as Unix milliseconds or RFC 3339 text), `INSERT … ON CONFLICT` and `RETURNING`, and
//! nothing backend-specific outside the few places that ask [`Database::backend`].
use std::path::Path;
use std::sync::Arc;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::error::{AppError, StartError};

/// Which database is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Placeholders for a multi-row statement: `rows` groups of `columns` parameters, as
    /// `(…), (…)`, numbered in order. SQLite gets anonymous `?`: for a numbered `$n` sqlx asks
    /// SQLite for each parameter's name, which SQLite finds by a linear scan — quadratic in a
    /// 600-parameter insert, and 10 % of a push's CPU in a profile. PostgreSQL needs `$n`.
    pub fn row_placeholders(self, rows: usize, columns: usize) -> String {
        let mut out = String::with_capacity(rows * columns * 5);
        for r in 0..rows {
            if r > 0 {
                out.push_str(", ");
            }
            out.push('(');
            for c in 0..columns {
                if c > 0 {
                    out.push_str(", ");
                }
                match self {
                    Backend::Sqlite => out.push('?'),
                    Backend::Postgres => {
                        out.push('$');
                        out.push_str(&(r * columns + c + 1).to_string());
                    }
                }
            }
            out.push(')');
        }
        out
    }

    /// Placeholders for an `IN (…)` list of `n` values.
    pub fn list_placeholders(self, n: usize) -> String {
        let rows = self.row_placeholders(n, 1);
        rows.replace(['(', ')'], "")
    }
}

/// The pool, and which database it reaches.
#[derive(Clone, Debug)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite: the one connection that pushes write through (see [`open`]); PostgreSQL writes
    /// through `pool`.
    writer: Option<AnyPool>,
    /// SQLite has one writer at a time. Writers queue here, in order, rather than in SQLite's
    /// busy handler, which sleeps in growing steps (up to 100 ms) and so lets the queue's tail
    /// wait far longer than the work takes.
    write_turn: Arc<tokio::sync::Mutex<()>>,
    /// SQLite: the queue of grouped writes (see [`Database::write_grouped`]).
    group_jobs: Option<tokio::sync::mpsc::Sender<GroupJob>>,
    group_counts: Arc<GroupCounts>,
    /// SQLite files: the queue of the synchronous writer (see [`Database::write_sync`]).
    sync_jobs: Option<flume::Sender<SyncJob>>,
}

/// One write for the synchronous writer: runs on its connection inside its savepoint; says
/// whether it succeeded (kept) or failed (rolled back to the savepoint), and how to answer once
/// the group's fate is known (the COMMIT's error, as text, if it failed).
type SyncJob = Box<dyn FnOnce(&rusqlite::Connection) -> (bool, SyncDeliver) + Send>;
type SyncDeliver = AnswerAfter<str>;

/// How many grouped transactions committed (or failed) so far, and how many writes they held:
/// writes ÷ groups is the average group (the tests check that queued pushes do share one).
#[derive(Debug, Default)]
pub struct GroupCounts {
    pub groups: std::sync::atomic::AtomicU64,
    pub writes: std::sync::atomic::AtomicU64,
}

/// What a grouped write tells its caller once the group's fate is known: `Ok` when the group
/// committed, the COMMIT's error otherwise. Its own result is captured inside.
type Deliver = AnswerAfter<sqlx::Error>;

/// How a grouped write is answered once its group's fate is known (`Err`: the COMMIT's error).
type AnswerAfter<E> = Box<dyn FnOnce(Result<(), &E>) + Send>;

/// One grouped write: runs on the writing connection inside its savepoint; says whether its
/// work succeeded (kept) or failed (rolled back to the savepoint), and how to answer.
type GroupJob =
    Box<dyn for<'c> FnOnce(&'c mut sqlx::AnyConnection) -> BoxFuture<'c, (bool, Deliver)> + Send>;

/// A group commits once no write is waiting, or at this many writes, or this long after its
/// BEGIN, whichever comes first: the cap bounds how long the group's first write waits.
const GROUP_MAX_WRITES: usize = 32;
const GROUP_MAX_TIME: std::time::Duration = std::time::Duration::from_millis(20);

/// A write transaction (and, on SQLite, this process's turn to write). Derefs to the connection.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, _turn } = self;
        tx.commit().await
    }
}

impl Database {
    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads and then writes fails with "database is locked" when
    /// another writer got in between, instead of waiting its turn. PostgreSQL serializes writers
    /// with row locks taken by the statements themselves.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.write_turn.clone().lock_owned().await;
                let pool = self.writer.as_ref().unwrap_or(&self.pool);
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }
}

impl GroupCounts {
    /// Counts a group of `writes` that ended, committed or not.
    fn count(&self, writes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.groups.fetch_add(1, Relaxed);
        self.writes.fetch_add(writes, Relaxed);
    }
}

impl Database {
    /// Grouped transactions and the writes they held, so far (SQLite; zero on PostgreSQL).
    pub fn group_counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.group_counts.groups.load(Relaxed),
            self.group_counts.writes.load(Relaxed),
        )
    }

    /// Grouped writes waiting for a writer (not counting those running).
    pub fn queued_writes(&self) -> usize {
        let grouped = self
            .group_jobs
            .as_ref()
            .map_or(0, |jobs| jobs.max_capacity() - jobs.capacity());
        grouped + self.sync_jobs.as_ref().map_or(0, |jobs| jobs.len())
    }

    /// True when [`Database::write_sync`] can be used (SQLite in a file).
    pub fn has_sync_writer(&self) -> bool {
        self.sync_jobs.is_some()
    }

    /// Runs `work` on the synchronous writer's connection (SQLite in a file), in a transaction
    /// shared with the writes that queued meanwhile, each in its own savepoint, as
    /// [`Database::write_grouped`] does; `None` without that writer (PostgreSQL, `:memory:`).
    ///
    /// Why a second writer: through sqlx every statement is a round trip between this task and
    /// sqlx's SQLite thread, and a push is eight statements. Measured on 2 cores, those hand-offs
    /// (thread wake-ups) were more of a push's turn than SQLite's own work, and the turn is what
    /// limits a store's pushes per second. This connection runs every statement of a group on
    /// its own thread, with cached prepared statements. It takes the same write turn as the
    /// sqlx writers, so writes of both kinds never wait in SQLite's busy handler.
    pub async fn write_sync<T, F>(&self, work: F) -> Option<Result<T, AppError>>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, AppError> + Send + 'static,
    {
        let jobs = self.sync_jobs.as_ref()?;
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T, AppError>>();
        let job: SyncJob = Box::new(move |conn| {
            answer_after_commit(work(conn), answer, |e: &str| {
                AppError::internal(std::io::Error::other(format!(
                    "the grouped write failed as a whole: {e}"
                )))
            })
        });
        if jobs.send_async(job).await.is_err() {
            return Some(Err(lost_write()));
        }
        Some(answered.await.unwrap_or_else(|_| Err(lost_write())))
    }

    /// Runs `work` in a write transaction shared with the other grouped writes that arrive
    /// meanwhile (SQLite; on PostgreSQL in a transaction of its own, as [`Database::begin_write`]).
    ///
    /// Why: SQLite has one writer, and a push spends much of its turn on BEGIN and COMMIT — the
    /// commit writes every page it touched to the WAL, and consecutive pushes touch the same
    /// pages (the log's last leaf, index roots, the store's cursor row). One commit for the
    /// pushes that queued while the previous group was writing writes those pages once.
    ///
    /// Each write runs inside its own `SAVEPOINT`: one that fails (`Err`) is rolled back to it
    /// and answered at once, the others go on. The rest are answered only after the COMMIT
    /// succeeded; a failed COMMIT (or a broken transaction) fails every write of the group,
    /// which is safe to retry (pushes are idempotent). The work runs to its end even if the
    /// caller stops waiting (a client that hung up): its retry then finds it done.
    pub async fn write_grouped<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut sqlx::AnyConnection) -> BoxFuture<'c, Result<T, AppError>>
            + Send
            + 'static,
    {
        let Some(jobs) = &self.group_jobs else {
            let mut tx = self.begin_write().await?;
            let out = work(&mut tx).await?;
            tx.commit().await?;
            return Ok(out);
        };
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<T, AppError>>();
        let job: GroupJob = Box::new(move |conn| {
            Box::pin(
                async move { answer_after_commit(work(conn).await, answer, AppError::from_shared) },
            )
        });
        jobs.send(job).await.map_err(|_| lost_write())?;
        answered.await.map_err(|_| lost_write())?
    }
}

/// A grouped write's outcome (`result`: kept if `Ok`) and how it is answered once its group's
/// fate is known: its own value if the group committed, `failed` of the COMMIT's error if not,
/// its own error in any case.
fn answer_after_commit<T: Send + 'static, E: ?Sized + 'static>(
    result: Result<T, AppError>,
    answer: tokio::sync::oneshot::Sender<Result<T, AppError>>,
    failed: fn(&E) -> AppError,
) -> (bool, AnswerAfter<E>) {
    let ok = result.is_ok();
    let deliver = Box::new(move |committed: Result<(), &E>| {
        let out = match (result, committed) {
            (Ok(value), Ok(())) => Ok(value),
            (Ok(_), Err(e)) => Err(failed(e)),
            (Err(e), _) => Err(e),
        };
        // The caller may have gone (a client that hung up): nothing to tell.
        let _ = answer.send(out);
    });
    (ok, deliver)
}

/// Answers the kept writes of a group once its COMMIT's outcome is known (a failure is logged:
/// every one of them fails, and the devices retry).
fn answer_group<E: ?Sized + std::fmt::Display>(
    kept: Vec<AnswerAfter<E>>,
    committed: Result<(), &E>,
) {
    if let Err(e) = &committed {
        tracing::error!(error = %e, writes = kept.len(), "a grouped write failed as a whole");
    }
    for deliver in kept {
        deliver(committed);
    }
}

/// A grouped write whose writer ended without answering (see the log).
fn lost_write() -> AppError {
    AppError::internal(std::io::Error::other(
        "the grouped write ended without an answer (see the log)",
    ))
}

/// The SQLite writer: takes grouped writes from `jobs` in arrival order, each group in one
/// transaction on the writing connection, in its turn (`write_turn`) like any other writer.
async fn group_writer(
    pool: AnyPool,
    write_turn: Arc<tokio::sync::Mutex<()>>,
    mut jobs: tokio::sync::mpsc::Receiver<GroupJob>,
    counts: Arc<GroupCounts>,
) {
    while let Some(first) = jobs.recv().await {
        let turn = write_turn.lock().await;
        let mut tx = match pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => tx,
            Err(e) => {
                // Dropping the job drops its answer: its caller gets an error and retries.
                tracing::error!(error = %e, "could not begin a grouped write");
                drop(first);
                continue;
            }
        };
        let began = std::time::Instant::now();
        let mut kept: Vec<Deliver> = Vec::new();
        let mut broken: Option<sqlx::Error> = None;
        let mut next = Some(first);
        let mut writes = 0u64;
        while let Some(job) = next.take() {
            writes += 1;
            if let Err(e) = tx.execute("SAVEPOINT grouped_write").await {
                broken = Some(e);
                break;
            }
            // A panic in one write must not stop the writer: that write is rolled back and its
            // caller, whose answer is dropped, gets an error.
            let outcome = std::panic::AssertUnwindSafe(job(&mut tx))
                .catch_unwind()
                .await;
            let step = match outcome {
                Ok((true, deliver)) => {
                    kept.push(deliver);
                    tx.execute("RELEASE grouped_write").await.map(drop)
                }
                Ok((false, deliver)) => {
                    let undone = roll_back_to_savepoint(&mut tx).await;
                    // Its own error, at once: nothing of it will be committed either way.
                    deliver(Ok(()));
                    undone
                }
                Err(_) => {
                    tracing::error!("a grouped write panicked; it was rolled back");
                    roll_back_to_savepoint(&mut tx).await
                }
            };
            if let Err(e) = step {
                broken = Some(e);
                break;
            }
            if (writes as usize) < GROUP_MAX_WRITES && began.elapsed() < GROUP_MAX_TIME {
                next = jobs.try_recv().ok();
            }
        }
        let committed = match broken {
            None => tx.commit().await,
            Some(e) => {
                let _ = tx.rollback().await;
                Err(e)
            }
        };
        drop(turn);
        counts.count(writes);
        answer_group(kept, committed.as_ref().map(|_| ()));
    }
}

async fn roll_back_to_savepoint(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute("ROLLBACK TO grouped_write").await?;
    conn.execute("RELEASE grouped_write").await?;
    Ok(())
}

/// The synchronous writer (see [`Database::write_sync`]): takes writes from `jobs` in arrival order,
/// each group in one transaction, in its turn (`write_turn`) like the other writers; a group
/// ends as [`group_writer`]'s do. Runs on a thread of its own until the [`Database`] is dropped.
fn sync_writer(
    conn: rusqlite::Connection,
    write_turn: Arc<tokio::sync::Mutex<()>>,
    jobs: flume::Receiver<SyncJob>,
    counts: Arc<GroupCounts>,
) {
    while let Ok(first) = jobs.recv() {
        let turn = write_turn.blocking_lock();
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            // Dropping the job drops its answer: its caller gets an error and retries.
            tracing::error!(error = %e, "could not begin a synchronous write");
            continue;
        }
        let began = std::time::Instant::now();
        let mut kept: Vec<SyncDeliver> = Vec::new();
        let mut broken: Option<rusqlite::Error> = None;
        let mut next = Some(first);
        let mut writes = 0u64;
        while let Some(job) = next.take() {
            writes += 1;
            if let Err(e) = conn.execute_batch("SAVEPOINT sync_write") {
                broken = Some(e);
                break;
            }
            // A panic in one write must not stop the writer: that write is rolled back and its
            // caller, whose answer is dropped, gets an error.
            let step = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&conn))) {
                Ok((true, deliver)) => {
                    kept.push(deliver);
                    conn.execute_batch("RELEASE sync_write")
                }
                Ok((false, deliver)) => {
                    let undone = conn.execute_batch("ROLLBACK TO sync_write; RELEASE sync_write");
                    // Its own error, at once: nothing of it will be committed either way.
                    deliver(Ok(()));
                    undone
                }
                Err(_) => {
                    tracing::error!("a synchronous write panicked; it was rolled back");
                    conn.execute_batch("ROLLBACK TO sync_write; RELEASE sync_write")
                }
            };
            if let Err(e) = step {
                broken = Some(e);
                break;
            }
            if (writes as usize) < GROUP_MAX_WRITES && began.elapsed() < GROUP_MAX_TIME {
                next = jobs.try_recv().ok();
            }
        }
        let committed = match broken {
            None => conn.execute_batch("COMMIT"),
            Some(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        };
        drop(turn);
        counts.count(writes);
        let committed = committed.map_err(|e| e.to_string());
        answer_group(kept, committed.as_ref().map(|_| ()).map_err(String::as_str));
    }
}

/// The synchronous writer's connection, set up as the sqlx writer's (see [`sqlite_pool`]).
fn sync_writer_connection(path: &str) -> Result<rusqlite::Connection, rusqlite::Error> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
         PRAGMA mmap_size = 268435456; PRAGMA cache_size = -{SQLITE_WRITER_CACHE_KIB}; \
         PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;"
    ))?;
    // Each push's statements are among a few dozen texts (chunks of different sizes).
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// WAL pages between checkpoints made by a connection's own commits (4,000 × 4 KiB: a larger
/// WAL between checkpoints writes the hot pages back to the file less often).
const AUTOCHECKPOINT_PAGES: i64 = 4000;
/// How often [`checkpointer`] copies the WAL back into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Checkpoints the WAL into the database file from a reading connection, every second, instead
/// of in the writer's COMMIT (SQLite's autocheckpoint): a checkpoint copies megabytes, and
/// every push queued behind the writer waited for it. Passive, like the autocheckpoint: it
/// never waits for readers or the writer. Ends with the [`Database`] (its writer queue).
async fn checkpointer(readers: AnyPool, alive: tokio::sync::mpsc::WeakSender<GroupJob>) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.upgrade().is_none() {
            return;
        }
        if let Err(e) = readers.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "WAL checkpoint failed; the next one retries");
        }
    }
}

/// Page cache of each reading connection, and of the writing one (KiB).
const SQLITE_READER_CACHE_KIB: i64 = 16 * 1024;
const SQLITE_WRITER_CACHE_KIB: i64 = 64 * 1024;

/// A pool of SQLite connections with this server's settings.
/// `autocheckpoint_pages`: 0 for the writing connection when [`checkpointer`] does its
/// checkpoints.
async fn sqlite_pool(
    url: &str,
    connections: u32,
    cache_kib: i64,
    autocheckpoint_pages: i64,
) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(connections)
        // A connection to a local file does not go stale as a network one can; the check
        // before each acquire was a round trip to the connection's thread per query (a push
        // makes two reads).
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                // WAL: readers do not block the writer; NORMAL is durable in WAL mode except on
                // power loss mid-checkpoint, and the devices keep their outboxes until the server
                // confirms. The busy timeout lets writers queue for the lock rather than fail.
                // Memory-mapped reads spare a system call per page read; a larger WAL between
                // checkpoints writes the hot pages (cursors, index roots) back to the file less
                // often.
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA mmap_size = 268435456; PRAGMA cache_size = -{cache_kib}; \
                     PRAGMA wal_autocheckpoint = {autocheckpoint_pages}; \
                     PRAGMA temp_store = MEMORY;"
                )))
                .await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

/// An exclusive lock on `<database>.migrate-lock`, held until the returned file is dropped. The
/// file stays (empty); the lock is the operating system's and ends with the process.
async fn migration_lock(database: &str) -> std::io::Result<std::fs::File> {
    let path = format!("{database}.migrate-lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok(file)
    })
    .await
    .map_err(std::io::Error::other)?
}

/// A PostgreSQL connection idle this long is tested (pinged) before it is used again.
const PG_TEST_AFTER_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens (creating if needed) the database at `url` and applies every migration.
pub async fn open(url: &str) -> Result<Database, StartError> {
    install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        return Err(StartError::UnsupportedDatabase(redact_password(url)));
    };
    let fail = |source| StartError::Database {
        url: redact_password(url),
        source,
    };
    // SQLite in a file: where the synchronous writer opens its connection.
    let mut sync_path: Option<String> = None;
    let (pool, writer) = match backend {
        Backend::Sqlite => {
            let rest = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or_default();
            let (path, params) = match rest.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (rest, None),
            };
            if path != ":memory:" {
                ensure_writable_folder(Path::new(path))?;
                sync_path = Some(path.to_owned());
            }
            // `mode=rwc` creates the file when it is missing (the Any driver takes options from
            // the URL only).
            let url = match params {
                Some(q) if q.contains("mode=") => url.to_owned(),
                Some(_) => format!("{url}&mode=rwc"),
                None => format!("{url}?mode=rwc"),
            };
            // Each connection to `:memory:` is a database of its own: one connection for all.
            if path == ":memory:" {
                let only = sqlite_pool(&url, 1, SQLITE_WRITER_CACHE_KIB, AUTOCHECKPOINT_PAGES)
                    .await
                    .map_err(fail)?;
                (only, None)
            } else {
                let readers = sqlite_pool(&url, 8, SQLITE_READER_CACHE_KIB, AUTOCHECKPOINT_PAGES)
                    .await
                    .map_err(fail)?;
                // One connection does every push: SQLite has one writer at a time anyway, and a
                // connection drops its whole page cache when it finds that another connection wrote
                // since its last transaction — with writes spread over a pool, every push began by
                // reading its index pages from disk again (a third of its time in a profile).
                // Its commits do not checkpoint: `checkpointer` does, from a reading connection.
                let writer = sqlite_pool(&url, 1, SQLITE_WRITER_CACHE_KIB, 0)
                    .await
                    .map_err(fail)?;
                (readers, Some(writer))
            }
        }
        Backend::Postgres => (
            AnyPoolOptions::new()
                .max_connections(16)
                // sqlx pings every connection it hands out: a round trip before each query made
                // on the pool and each transaction begun, four of a push's twenty. A connection
                // in steady use has just answered; only one idle for a while (a restarted
                // database, a dropped network path) is tested before use.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for < PG_TEST_AFTER_IDLE {
                            return Ok(true);
                        }
                        sqlx::Connection::ping(conn).await?;
                        Ok(true)
                    })
                })
                .connect(url)
                .await
                .map_err(fail)?,
            None,
        ),
    };
    match backend {
        Backend::Sqlite => {
            // sqlx's SQLite migrator takes no lock (its PostgreSQL one does): two servers
            // started together on one file both applied the same migration, and one failed. A
            // lock file beside the database makes them take turns; the second finds nothing
            // left to do.
            let _turn = match &sync_path {
                Some(path) => Some(
                    migration_lock(path)
                        .await
                        .map_err(|e| fail(sqlx::Error::Io(e)))?,
                ),
                None => None,
            };
            sqlx::migrate!("migrations/sqlite").run(&pool).await?
        }
        Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
    }
    let write_turn = Arc::new(tokio::sync::Mutex::new(()));
    let group_counts = Arc::new(GroupCounts::default());
    // After the migrations: the writer's statements are prepared against the final schema.
    let sync_jobs = match &sync_path {
        Some(path) => {
            let conn = sync_writer_connection(path)
                .map_err(|e| fail(sqlx::Error::Configuration(Box::new(e))))?;
            let (send, receive) = flume::bounded(1024);
            let (turn, counts) = (write_turn.clone(), group_counts.clone());
            std::thread::Builder::new()
                .name("sqlite-sync-writer".into())
                .spawn(move || sync_writer(conn, turn, receive, counts))
                .map_err(|e| fail(sqlx::Error::Io(e)))?;
            Some(send)
        }
        None => None,
    };
    let group_jobs = match backend {
        Backend::Sqlite => {
            let (send, receive) = tokio::sync::mpsc::channel(1024);
            if writer.is_some() {
                tokio::spawn(checkpointer(pool.clone(), send.downgrade()));
            }
            tokio::spawn(group_writer(
                writer.clone().unwrap_or_else(|| pool.clone()),
                write_turn.clone(),
                receive,
                group_counts.clone(),
            ));
            Some(send)
        }
        Backend::Postgres => None,
    };
    Ok(Database {
        pool,
        writer,
        backend,
        write_turn,
        group_jobs,
        group_counts,
        sync_jobs,
    })
}

/// The URL as it may be shown: without the password of a PostgreSQL URL.
pub fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Creates the database's folder and proves it is writable, so a bad folder gives a sentence
/// rather than SQLite's "unable to open database file".
fn ensure_writable_folder(db_file: &Path) -> Result<(), StartError> {
    let folder = match db_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let fail = |source| StartError::DataFolder {
        folder: folder.display().to_string(),
        source,
    };
    std::fs::create_dir_all(&folder).map_err(fail)?;
    let probe = folder.join(".orchid-write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod placeholder_tests {
    use super::Backend;

    #[test]
    fn rows_are_numbered_in_order_for_postgres_and_anonymous_for_sqlite() {
        assert_eq!(
            Backend::Postgres.row_placeholders(2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(Backend::Sqlite.row_placeholders(2, 2), "(?, ?), (?, ?)");
        assert_eq!(Backend::Postgres.list_placeholders(3), "$1, $2, $3");
        assert_eq!(Backend::Sqlite.list_placeholders(2), "?, ?");
    }
}
