//! The words of the device store's own controls (eviction of old records in Settings).
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile.
use super::Lang;

word_catalogue! {
    StoreWord;
    EvictIntro => (
        "超过门店设定期限的预约、服务记录和评价，在服务器已保存后可以从本设备移除，以腾出空间（服务器上仍保留）。未同步的记录不会被移除。",
        "Appointments, service records and feedback older than the store's horizon can leave this device once the server has them, to free space (the server keeps them). Records not yet synced never leave."
    ),
    EvictCount => ("可移除的旧记录：", "Old records that can leave this device: "),
    EvictButton => ("移除旧记录", "Remove old records"),
    EvictDone => ("已从本设备移除的旧记录：", "Old records removed from this device: "),
}
