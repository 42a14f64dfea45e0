use super::Msg;

pub(super) fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::AppName => "兰心",
        Msg::SkipToContent => "跳到正文",
        Msg::MainNavigation => "主导航",
        Msg::NavToday => "今日",
        Msg::NavCustomers => "顾客档案",
        Msg::NavCalendar => "预约日历",
        Msg::NavBedside => "床边服务",
        Msg::NavComplaints => "投诉处理",
        Msg::NavFollowUps => "回访跟进",
        Msg::NavReports => "报表",
        Msg::NavSettings => "设置",
        Msg::Online => "在线",
        Msg::Offline => "离线",
        Msg::OfflineHint => "当前离线工作：修改已保存在本设备，网络恢复后自动同步。",
        Msg::Language => "语言",
        Msg::UpdateReady => "新版本已就绪。",
        Msg::Reload => "重新加载",
        Msg::SignIn => "登录",
        Msg::SignOut => "退出登录",
        Msg::SignedInAs => "当前用户",
        Msg::Login => "登录名",
        Msg::Password => "密码",
        Msg::SignInFailed => "登录名或密码不正确，请核对后重试。",
        Msg::SignInUnreachable => "无法连接服务器。请检查网络，或稍后再登录：应用可离线继续使用。",
        Msg::SignInThrottled => "失败次数过多，请几分钟后再试。",
        Msg::SigningIn => "正在登录…",
        Msg::FieldRequired => "请填写此项。",
        Msg::TodayIntro => {
            "今日预约、待到店顾客、超时的服务环节、待发提醒、待回访和临近时限的投诉。"
        }
        Msg::CustomersIntro => "顾客档案：联系方式、偏好、皮肤评估、过敏与禁忌及全部历史记录。",
        Msg::CalendarIntro => "按美容师、按房间/床位查看预约。",
        Msg::BedsideIntro => "床边使用：咨询与健康检查、服务步骤、顾客评价。",
        Msg::ComplaintsIntro => "投诉从受理到归档的全过程及处理时限。",
        Msg::FollowUpsIntro => "护理回访、到期召回与生日关怀。",
        Msg::ReportsIntro => "满意度、投诉与服务流程统计。",
        Msg::SettingsIntro => "本设备、语言、登录与门店设置。",
        Msg::NotFoundTitle => "页面不存在",
        Msg::NotFoundBody => "此地址没有页面。",
        Msg::BackToToday => "返回今日",
        Msg::NothingYet => "暂无内容。",
        Msg::StoreUnavailable => {
            "此浏览器无法在本设备保存记录（存储被禁用或处于无痕模式），修改只保留到关闭此页面为止。"
        }
        Msg::StoreOpenFailed => {
            "无法打开本设备上的记录。请重新加载页面；如仍出现，请在设置中恢复备份。"
        }
        Msg::StoreVersionChanged => "另一个标签页打开了新版本的应用，请重新加载此页面后继续。",
        Msg::StoreQuotaExceeded => {
            "本设备存储空间已满，修改未保存。请清理空间（其他网站数据、旧下载文件），或同步并导出备份后重试。"
        }
        Msg::StoreReadFailed => "无法读取本设备上的记录，请重新加载页面。",
        Msg::StoreWriteFailed => "修改未能保存到本设备，记录未改变，请重试。",
        Msg::StoreSignInRequired => "请先登录，再在本设备上修改记录。",
        Msg::StoreNotReady => "记录仍在加载，请稍后再试。",
        Msg::BackupInvalid => "此文件不是本版本可恢复的兰心备份。",
        Msg::PermissionDenied => "您的岗位没有此权限。",
        Msg::ChangeRefused => "修改未能完成，请检查输入后重试。",
        Msg::StoreBlocked => "应用的其他标签页仍在使用旧版本，请关闭它们以完成更新。",
        Msg::SyncUnreachable => "无法连接服务器。修改保存在本设备，连接恢复后自动发送。",
        Msg::SyncSignInAgain => "请重新登录，以便发送本设备上等待的修改。",
        Msg::SyncServerError => "服务器出现问题，稍后将自动重试同步。",
        Msg::SyncProtocolError => {
            "服务器运行的兰心版本不同。请重新加载应用；如仍出现，请告知店长。"
        }
        Msg::PairNeedsManager => "需要店长或老板先登录，将本设备登记到门店。",
        Msg::PairOtherStore => "本设备属于其他门店。请用该门店的账号登录，或在设置中解除配对。",
        Msg::SyncLoading => "正在加载本设备上的记录…",
        Msg::SyncStandalone => "仅保存在本设备（未连接服务器）",
        Msg::SyncOffline => "离线：修改保存在本设备等待发送",
        Msg::SyncIdle => "已同步",
        Msg::SyncSending => "正在发送",
        Msg::SyncReceiving => "正在接收修改",
        Msg::SyncWaiting => "稍后将重试同步",
        Msg::SyncPending => "待发送：",
        Msg::SyncLastSynced => "上次同步",
        Msg::SyncNow => "立即同步",
        Msg::SyncRejected => "服务器拒绝的修改（已在本设备撤销）：",
        Msg::SettingsDevice => "本设备",
        Msg::DeviceStandalone => "本设备独立工作：记录只保存在这里。",
        Msg::DevicePairedBy => "已由以下人员登记到门店服务器：",
        Msg::PairIntro => "如需与门店服务器同步，请店长或老板登录：",
        Msg::Unpair => "停止在本设备同步",
        Msg::StorageHeading => "存储空间",
        Msg::StorageUsed => "已使用",
        Msg::StoragePersistent => "浏览器会保留这些记录，即使空间不足。",
        Msg::StorageNotPersistent => "空间不足时浏览器可能清除这些记录，请定期同步或导出备份。",
        Msg::StorageAskPersist => "请求浏览器保留记录",
        Msg::BackupHeading => "备份",
        Msg::BackupIntro => {
            "将本设备上的全部记录保存为文件，或转移到新设备（尚未发送的修改一并转移）。"
        }
        Msg::BackupExport => "导出备份",
        Msg::BackupRestore => "从备份文件恢复",
        Msg::BackupRestoreConfirm => "用备份替换本设备上的全部记录？恢复后请勿再使用原设备。",
        Msg::BackupRestored => "备份已恢复。",
    }
}
