//! Opening the database and bringing its schema up to date.
use std::path::Path;
use std::str::FromStr;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::StartError;

pub type Db = SqlitePool;

/// Opens (creating if needed) the database at `url` and applies every migration.
pub async fn open(url: &str) -> Result<Db, StartError> {
    let Some(path) = url.strip_prefix("sqlite://") else {
        return Err(StartError::UnsupportedDatabase(url.to_owned()));
    };
    let path = path.split('?').next().unwrap_or(path);
    if path != ":memory:" {
        ensure_writable_folder(Path::new(path))?;
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| StartError::Database {
            url: url.to_owned(),
            source,
        })?
        .create_if_missing(true)
        // WAL: readers do not block the writer; NORMAL is durable in WAL mode except on power loss
        // mid-checkpoint, and the devices still hold their outboxes until the server confirms.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| StartError::Database {
            url: url.to_owned(),
            source,
        })?;
    sqlx::migrate!("migrations/sqlite").run(&pool).await?;
    Ok(pool)
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
