//! Eviction of old records from the device (issue #4, durability and space): appointments,
//! service records and feedback older than the store's `device_history_months` leave the device
//! once the server has them (see `Device::evictable`). Run after a successful sync and from
//! Settings; pending records are never evicted.
use chrono::Utc;

use super::store::StoreHandle;
use crate::storage::repo::StoreError;

impl StoreHandle {
    /// How many records could be evicted now (for Settings).
    pub fn evictable_count(&self) -> usize {
        self.read(|d| d.evictable(Utc::now()).len()).unwrap_or(0)
    }

    /// Evicts the old records the server has from this device, in one transaction; returns how
    /// many left. On error nothing changed (memory is reloaded from the store).
    pub async fn evict_old_records(&self) -> Result<usize, StoreError> {
        let inner = self.inner();
        let _guard = inner.lock.lock().await;
        let evicted = {
            let mut device = inner.device.borrow_mut();
            let device = device.as_mut().ok_or(StoreError::NotReady)?;
            device.evict_old(Utc::now())
        };
        let Some((count, batch)) = evicted else {
            return Ok(0);
        };
        self.commit_locked(batch).await?;
        crate::state::tabs::announce_change();
        Ok(count)
    }
}
