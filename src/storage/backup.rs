//! The backup file: everything the device store holds (device record, confirmed snapshot and log,
//! outbox), as JSON. A way out when a tablet must be replaced while the network is down: restoring
//! it on the new device gives it the old one's identity and queued changes. Sign-in tokens are not
//! in it.
use serde::{Deserialize, Serialize};

use super::repo::{DeviceMeta, Loaded, LogPage, Snapshot, StoreError};

/// What a backup file says it is.
pub const BACKUP_FORMAT: &str = "orchid-device-backup";
/// The backup format this code writes and reads.
pub const BACKUP_VERSION: u32 = 1;

/// A backup of the device store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// [`BACKUP_FORMAT`].
    pub format: String,
    /// [`BACKUP_VERSION`].
    pub version: u32,
    /// When it was made (RFC 3339).
    pub exported_at: String,
    /// The device record.
    pub meta: DeviceMeta,
    /// The confirmed snapshot, if any.
    pub snapshot: Option<Snapshot>,
    /// Confirmed changes after it.
    pub log: Vec<LogPage>,
    /// Pending changes.
    pub outbox: Vec<orchid_core::sync::Mutation>,
}

impl Backup {
    /// A backup of what `loaded` holds; `None` for a device with nothing stored.
    pub fn of(loaded: Loaded, exported_at: String) -> Option<Self> {
        Some(Self {
            format: BACKUP_FORMAT.to_owned(),
            version: BACKUP_VERSION,
            exported_at,
            meta: loaded.meta?,
            snapshot: loaded.snapshot,
            log: loaded.log,
            outbox: loaded.outbox,
        })
    }

    /// Reads a backup file, refusing anything that is not one this version can restore.
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
            version: u32,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| StoreError::BadBackup(e.to_string()))?;
        if head.format != BACKUP_FORMAT {
            return Err(StoreError::BadBackup(format!("format {}", head.format)));
        }
        if head.version > BACKUP_VERSION {
            return Err(StoreError::BadBackup(format!("version {}", head.version)));
        }
        serde_json::from_str(text).map_err(|e| StoreError::BadBackup(e.to_string()))
    }

    /// As JSON.
    pub fn to_json(&self) -> Result<String, StoreError> {
        serde_json::to_string(self).map_err(|e| StoreError::Read(e.to_string()))
    }

    /// What the device store would hold after restoring it.
    pub fn into_loaded(self) -> Loaded {
        Loaded {
            meta: Some(self.meta),
            snapshot: self.snapshot,
            log: self.log,
            outbox: self.outbox,
        }
    }
}
