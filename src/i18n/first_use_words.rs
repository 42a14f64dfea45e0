//! The words of the first-use guide (开始使用, issue 25): an empty store's owner led through the
//! store's name and hours, rooms and beds, services from the templates, the team and a first
//! booking, with the hint to install the app.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

word_catalogue! {
    FirstUseWord;
    Title => ("开始使用兰心", "Set up your salon"),
    Intro => (
        "五步从空白设备到第一个预约，大约几分钟。每一步都可以跳过，之后在“门店设置”里随时修改。",
        "Five steps from an empty device to your first booking, in a few minutes. Skip any step; everything stays editable in Set-up."
    ),
    Steps => ("步骤", "Steps"),
    Done => ("已完成", "done"),
    NotDone => ("未完成", "to do"),
    Skip => ("跳过", "Skip"),
    Next => ("下一步", "Next"),
    Saving => ("正在保存…", "Saving…"),
    StepStore => ("门店名称与营业时间", "Store name and hours"),
    StoreName => ("门店名称", "Store name"),
    StoreNameHint => ("例如：兰心美容·静安店", "For example: Orchid Beauty, Jing'an"),
    Opens => ("开门时间", "Opens at"),
    Closes => ("关门时间", "Closes at"),
    OpenDays => ("营业日", "Open on"),
    NoOpenDay => ("请至少选择一个营业日。", "Choose at least one day the store is open."),
    TimeMissing => ("请填写开门和关门时间。", "Enter the opening and closing times."),
    SaveStore => ("保存并继续", "Save and continue"),
    StepRooms => ("房间与床位", "Rooms and beds"),
    RoomsHint => (
        "预约会占用房间或床位，避免两位顾客同时用一张床。",
        "A booking takes a room or bed, so two customers never share one."
    ),
    RoomCount => ("房间数", "Rooms"),
    BedsPerRoom => ("每间房的床位数", "Beds in each room"),
    RoomName => ("号房", "Room "),
    BedName => ("号床", "Bed "),
    CountOutOfRange => ("请输入 1 到 20 之间的数字。", "Enter a number from 1 to 20."),
    AddRooms => ("创建房间并继续", "Create them and continue"),
    RoomsExisting => ("已有房间与床位：", "Rooms and beds so far: "),
    StepServices => ("服务项目", "Services"),
    ServicesHint => (
        "勾选本店提供的项目。每项都带有时长、参考价格、操作流程（SOP）和咨询问题，之后可在“门店设置 → 服务项目”中修改。",
        "Tick what your salon offers. Each comes with a duration, a price to start from, SOP steps and consultation questions; edit them later in Set-up → Service catalog."
    ),
    Templates => ("常见项目", "Common services"),
    Minutes => ("分钟", "min"),
    Yuan => ("元", "CNY"),
    NoTemplateChosen => ("请至少勾选一个项目，或跳过这一步。", "Tick at least one service, or skip this step."),
    AddServices => ("添加所选项目并继续", "Add the ticked services and continue"),
    ServicesExisting => ("已有服务项目：", "Services so far: "),
    StepTeam => ("团队", "Your team"),
    TeamHint => (
        "添加为顾客服务的美容师等同事；预约日历为每位美容师显示一列。",
        "Add the therapists and colleagues who serve customers; the calendar shows a column for each therapist."
    ),
    TeamStandaloneHint => (
        "本设备单独使用（未连接服务器）：在这里添加的美容师会出现在预约日历上。要让每位同事以本人身份工作，请在下方先设置您自己的 PIN 码，再为每位同事设置 PIN 码（以后也可在“门店设置 → 登录账号”中设置）；她们在“谁在使用？”中用它打开设备。",
        "This device works alone (no server): the therapists added here get a column in the calendar. For each colleague to work as herself, set your own PIN below, then one for each colleague (or later in Set-up → Logins); she opens the device with it from “Who is working?”."
    ),
    TeamServerHint => (
        "本店连接了服务器：请在“门店设置 → 登录账号”为每位同事创建登录，她们的记录会同步到这里。",
        "This store has a server: create each colleague's login in Set-up → Logins; their records reach this device."
    ),
    OpenLogins => ("打开“登录账号”", "Open Logins"),
    OpenGuide => ("分步引导：从空白门店到第一个预约", "Step-by-step guide: from an empty store to a first booking"),
    PersonName => ("姓名", "Name"),
    PersonRole => ("角色", "Role"),
    AddPerson => ("添加", "Add"),
    TeamExisting => ("已有同事：", "Team so far: "),
    TeamContinue => ("继续", "Continue"),
    StepBooking => ("第一个预约", "Your first booking"),
    BookingHint => (
        "先添加第一位顾客，再在日历上点一个空闲时间预约。",
        "Add your first customer, then tap a free time in the calendar to book."
    ),
    BookingNeedsTherapist => (
        "日历需要至少一位美容师：请先在“团队”中添加。",
        "The calendar needs at least one therapist: add one in “Your team” first."
    ),
    CustomerName => ("顾客姓名", "Customer's name"),
    CustomerPhone => ("手机号（选填）", "Phone (optional)"),
    BookFirst => ("添加顾客并打开日历", "Add her and open the calendar"),
    OpenCalendar => ("打开日历预约", "Open the calendar to book"),
    InstallTitle => ("安装到设备上", "Install this app"),
    InstallHint => (
        "只保存在浏览器里的数据可能被清除（iPad 上的 Safari 会删除 7 天未访问的网站数据）。请把兰心安装到设备上：iPad 上点“分享 → 添加到主屏幕”；Chrome 或 Edge 上点地址栏里的“安装”图标或菜单 → 安装。",
        "Data kept only in the browser can be cleared (Safari on iPad deletes a site's data after 7 days without a visit). Install Orchid on the device: on iPad, Share → Add to Home Screen; in Chrome or Edge, the Install icon in the address bar or menu → Install."
    ),
    TodayStart => ("开始设置门店：名称、房间、服务项目、团队，然后第一个预约。", "Set up your store: name, rooms, services, team, then your first booking."),
    TodayStartButton => ("开始设置", "Start setting up"),
}
