//! The words of online booking in Set-up: turning the store's public booking page on, its rules,
//! and its link and QR code to print or post in WeChat.
use super::Lang;

word_catalogue! {
    BedsideWord;
    Tab => ("网上预约", "Online booking"),
    Intro => (
        "顾客在手机上打开门店的预约页面，自己选择服务、美容师和空闲时间。空闲时间按门店的营业时间、缓冲时间、美容师的预约和房间计算，与前台预约的规则相同；预约会同步到每台设备，渠道显示为“网站”。",
        "Customers open the store's booking page on their phone and choose a service, a therapist and a free time. Free times follow the store's hours, buffer, the therapists' bookings and the rooms, by the same rules as the desk's bookings; each booking reaches every device, its channel shown as \"website\"."
    ),
    Enabled => ("开放网上预约", "Take bookings online"),
    ConfirmUnknown => (
        "陌生手机号的预约须由前台确认（在日历中点“确认”）",
        "Bookings from a phone the store does not know wait for the desk's confirmation (Confirm in the calendar)"
    ),
    NoticeHours => ("至少提前几小时预约、改约或取消", "Book, move or cancel at least this many hours ahead"),
    DaysAhead => ("可预约未来几天", "Days ahead customers may book"),
    SlotMinutes => ("时间间隔（分钟）", "Times offered every (minutes)"),
    Save => ("保存网上预约设置", "Save online booking"),
    LinkTitle => ("预约链接与二维码", "Booking link and QR code"),
    LinkIntro => (
        "把链接发到微信或放在网站上；把二维码打印出来放在前台，或发到朋友圈。",
        "Post the link in WeChat or on your website; print the QR code for the desk, or share it in WeChat Moments."
    ),
    QrAlt => ("门店网上预约页面的二维码", "QR code of the store's booking page"),
    Off => (
        "网上预约尚未开放：顾客打开链接会看到“门店暂停了网上预约”。勾选上面的“开放网上预约”并保存。",
        "Online booking is off: customers opening the link are told the store has paused it. Tick \"Take bookings online\" above and save."
    ),
    NeedsServer => (
        "预约页面由门店服务器提供：请连接服务器并联网后查看链接和二维码。",
        "The booking page is served by the store's server: connect to it and to the network to see the link and QR code."
    ),
    Loading => ("正在向服务器获取链接…", "Asking the server for the link…"),
    Print => ("下载二维码（用于打印）", "Download the QR code (to print)"),
}
