//! Opening the database and bringing its schema up to date: SQLite (one store, a file under
//! `data/`) or PostgreSQL (a chain, behind stateless servers), chosen by the URL.
//!
//! Both go through sqlx's `Any` driver, so every query is written once. The rules that keep the
//! SQL portable: `$N` placeholders (SQLite accepts them too), `BIGINT` and `TEXT` columns only
//! (times as Unix milliseconds or RFC 3339 text), `INSERT … ON CONFLICT` and `RETURNING`, and
//! nothing backend-specific outside the few places that ask [`Db::backend`].
use std::path::Path;
use std::sync::Arc;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::error::StartError;

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
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite: the one connection that pushes write through (see [`open`]); PostgreSQL writes
    /// through `pool`.
    writer: Option<AnyPool>,
    /// SQLite has one writer at a time. Writers queue here, in order, rather than in SQLite's
    /// busy handler, which sleeps in growing steps (up to 100 ms) and so lets the queue's tail
    /// wait far longer than the work takes.
    write_turn: Arc<tokio::sync::Mutex<()>>,
}

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

impl Db {
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

/// Page cache of each reading connection, and of the writing one (KiB).
const SQLITE_READER_CACHE_KIB: i64 = 16 * 1024;
const SQLITE_WRITER_CACHE_KIB: i64 = 64 * 1024;

/// A pool of SQLite connections with this server's settings.
async fn sqlite_pool(url: &str, connections: u32, cache_kib: i64) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(connections)
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
                     PRAGMA wal_autocheckpoint = 4000; PRAGMA temp_store = MEMORY;"
                )))
                .await?;
                Ok(())
            })
        })
        .connect(url)
        .await
}

/// Opens (creating if needed) the database at `url` and applies every migration.
pub async fn open(url: &str) -> Result<Db, StartError> {
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
                let only = sqlite_pool(&url, 1, SQLITE_WRITER_CACHE_KIB)
                    .await
                    .map_err(fail)?;
                (only, None)
            } else {
                let readers = sqlite_pool(&url, 8, SQLITE_READER_CACHE_KIB)
                    .await
                    .map_err(fail)?;
                // One connection does every push: SQLite has one writer at a time anyway, and a
                // connection drops its whole page cache when it finds that another connection wrote
                // since its last transaction — with writes spread over a pool, every push began by
                // reading its index pages from disk again (a third of its time in a profile).
                let writer = sqlite_pool(&url, 1, SQLITE_WRITER_CACHE_KIB)
                    .await
                    .map_err(fail)?;
                (readers, Some(writer))
            }
        }
        Backend::Postgres => (
            AnyPoolOptions::new()
                .max_connections(16)
                .connect(url)
                .await
                .map_err(fail)?,
            None,
        ),
    };
    match backend {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
    }
    Ok(Db {
        pool,
        writer,
        backend,
        write_turn: Arc::new(tokio::sync::Mutex::new(())),
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
