//! The words of the team ([team]): logins in Set-up, a person's own password, the "who is
//! working?" screen of a shared device, and the page a role may not open.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

word_catalogue! {
    TeamWord;
    TabLogins => ("登录账号", "Logins"),
    LoginsIntro => (
        "为每位员工开通登录账号，她就能在任何设备上以本人身份工作。首次密码只显示一次，请交给本人；她第一次登录时须改成自己的密码。登录账号保存在服务器上，需要联网操作。",
        "Give each person a login and she works as herself on any device. The first password is shown once: hand it to her; she chooses her own at her first sign-in. Logins live on the server, so this needs the network."
    ),
    LoginName => ("登录名", "Login name"),
    LoginState => ("登录", "Sign-in"),
    NoLogin => ("未开通", "No login"),
    LoginActive => ("可登录", "Can sign in"),
    LoginDeactivated => ("已停用", "Deactivated"),
    MustChange => ("待本人设密码", "Has not chosen her password yet"),
    CreateLogin => ("开通登录", "Create login"),
    ResetPassword => ("重置密码", "Reset password"),
    DeactivateLogin => ("停用账号", "Deactivate"),
    ReactivateLogin => ("恢复账号", "Reactivate"),
    FirstPassword => (
        "首次密码（只显示这一次，请当面交给本人）：",
        "First password (shown only this once; hand it to her in person):"
    ),
    LoginTaken => ("这个登录名已被使用（或此人已有账号），请换一个。", "This login name is taken (or she has a login already); choose another."),
    NeedsNetwork => ("登录账号保存在服务器上：请联网后再操作。", "Logins live on the server: connect to the network to manage them."),
    NotPaired => (
        "本设备未连接门店服务器，人员以本设备上的 PIN 工作。如需登录账号，请先在“设置”中连接服务器。",
        "This device works without a server: people work here with their PINs. For logins, connect the device to the store's server in Settings."
    ),
    SignedOut => ("您的登录已结束，请重新登录后再操作。", "Your sign-in has ended; sign in again first."),
    Refused => ("服务器拒绝了这项操作：", "The server refused this:"),
    LoginNameHint => ("字母、数字或 . _ @ -，最多 64 个字符。", "Letters, digits or . _ @ -, up to 64 characters."),
    OwnAccount => ("（您本人）", "(you)"),
    ChangePasswordTitle => ("设置您自己的密码", "Choose your own password"),
    ChangePasswordIntro => (
        "您现在的密码是别人为您设置的。请输入它，再设一个只有您知道的新密码（至少 10 个字符）。在此之前无法使用其他功能。",
        "Your password was set by someone else. Enter it, then choose a new one only you know (at least 10 characters). Nothing else opens until you do."
    ),
    CurrentPassword => ("当前密码", "Current password"),
    NewPassword => ("新密码", "New password"),
    RepeatPassword => ("再次输入新密码", "New password again"),
    PasswordsDiffer => ("两次输入的新密码不一致。", "The two new passwords differ."),
    SavePassword => ("保存密码", "Save password"),
    Saving => ("正在保存…", "Saving…"),
    PasswordSaved => ("密码已更改。", "Your password is changed."),
    ChangeMyPassword => ("更改我的密码", "Change my password"),
    NotForRoleTitle => ("您的角色无法使用此页面", "Not available for your role"),
    NotForRoleBody => (
        "这一页不属于您当前角色的工作。如确实需要，请联系店长调整角色。当前角色：",
        "This page is not part of your role's work. If you need it, ask the manager to change your role. Your role:"
    ),
    BackToToday => ("回到今日", "Back to Today"),
    WhoIsWorking => ("谁在使用？", "Who is working?"),
    WhoIntro => (
        "这台设备由多人共用。请选择您的名字并输入 PIN 码，之后的操作都记在您名下。",
        "Several people share this device. Choose your name and enter your PIN: what you do from then on is recorded as yours."
    ),
    SwitchPerson => ("换人", "Switch person"),
    NobodyHere => (
        "本设备还没有人设置 PIN 码。请用账号登录，并在“设置”中设置您的 PIN 码。",
        "Nobody has set a PIN on this device yet. Sign in with your login and set your PIN in Settings."
    ),
    SignInWithLogin => ("用账号登录", "Sign in with a login"),
    DeskLock => (
        "共用设备闲置多久后回到“谁在使用？”（秒，60–14400）",
        "Seconds of no use before a shared device returns to “Who is working?” (60–14400)"
    ),
    ActiveRole => ("角色", "Role"),
    OnlyMine => ("只看分配给我的", "Only those assigned to me"),
    HeadOffice => ("总部", "Head office"),
    HeadOfficeIntro => (
        "连锁各门店当天的情况，最需要关注的门店排在最前：有危急投诉、超时投诉或逾期回访的门店优先。点“到此门店工作”即可切换到该门店。需要联网。",
        "Each store of the chain on one day, the one that needs you most first: critical complaints, overdue complaints and overdue follow-ups come first. “Work in this store” switches to it. Needs the network."
    ),
    Day => ("日期", "Day"),
    StoreColumn => ("门店", "Store"),
    Bookings => ("预约", "Bookings"),
    Arrivals => ("到店", "Arrived"),
    NoShows => ("爽约", "No-shows"),
    OpenComplaints => ("未结投诉", "Open complaints"),
    Overdue => ("超时", "overdue"),
    DueSoon => ("将到期", "due soon"),
    OnTrack => ("正常", "on track"),
    Critical => ("危急", "Critical"),
    SatisfactionMonth => ("本月满意度", "Satisfaction this month"),
    Answers => ("份评价", "answers"),
    FollowUpsOverdue => ("逾期回访", "Overdue follow-ups"),
    WorkHere => ("到此门店工作", "Work in this store"),
    CurrentStore => ("当前门店", "Current store"),
    NoStores => ("还没有门店数据。", "No store figures yet."),
    OpenStoreTitle => ("开设新门店", "Open a store"),
    OpenStoreIntro => (
        "新门店可以沿用某家门店的营业时间、设置和服务项目，之后可在新门店的“设置”中修改。房间和员工需在新门店单独添加。",
        "A new store can start with another store's opening hours, settings and services; change them afterwards in the new store's Set-up. Rooms and staff are added in the new store itself."
    ),
    StoreName => ("门店名称", "Store name"),
    StoreAddress => ("地址（可不填）", "Address (optional)"),
    TimeZone => ("时区", "Time zone"),
    CopyFrom => ("沿用", "Start from"),
    CopyNothing => ("不沿用（默认设置）", "Nothing (default settings)"),
    OpenStore => ("开设门店", "Open the store"),
    StoreOpened => ("门店已开设：", "Store opened:"),
    StoreNameMissing => ("请填写门店名称。", "Give the store a name."),
    SwitchStore => ("门店", "Store"),
    AlsoWorksIn => ("也在这些门店工作", "Also works in"),
    LocalPinsTitle => ("本设备上的 PIN 码", "PINs on this device"),
    LocalPinsIntro => (
        "每位同事用自己的 PIN 码打开这台设备，以本人的身份和角色工作：她的名字记在她做的每件事上。PIN 码只保存在本设备上。",
        "Each colleague opens this device with her own PIN and works as herself, in her role: her name goes on what she does. The PINs are kept on this device only."
    ),
    OwnPinFirst => ("请先设置您自己的 PIN 码：设备锁定后，您要用它再打开。", "Set your own PIN first: once the device locks, you open it again with it."),
    PinsNotAllowed => ("只有店长和老板能为同事设置 PIN 码。", "Only the manager and the owner set a colleague's PIN."),
    PinNotActive => ("此人已不在本店在职人员中。", "She is no longer one of the store's active staff."),
    LocalPinSaved => ("PIN 码已保存：在“谁在使用？”中选她并输入 PIN 码即可打开设备。", "PIN saved: she opens the device from “Who is working?” with it."),
    HasPin => ("已设 PIN 码", "PIN set"),
    NoPin => ("未设 PIN 码", "No PIN"),
    SetPin => ("设置 PIN 码", "Set a PIN"),
    ChangePin => ("更改 PIN 码", "Change the PIN"),
    You => ("（您）", " (you)"),
    Cancel => ("取消", "Cancel"),
    PendingStay => (
        "本门店还有未发送的更改，它们保存在本设备上，回到本门店时再发送。",
        "This store has changes not sent yet: they stay on this device and are sent when you work in this store again."
    ),
}
