//! The words of the sales and stock report ([products & loyalty] item 8): stock value and
//! movements, usage per service, sales by payment means, what the store owes its customers.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile.
use super::Lang;

word_catalogue! {
    SalesWord;
    Link => ("营业与库存报表", "Sales and stock report"),
    Title => ("营业与库存报表", "Sales and stock report"),
    Intro => (
        "本月按支付方式的营业额（已扣除作废）、库存价值与出入库、各项目的产品用量，以及储值卡余额、未用疗程次数和积分。都由本设备上的记录算出，离线也可查看。",
        "This month's takings by payment means (voids subtracted), stock value and movements, products used per service, and what the store owes its customers: stored value, package sessions and points. Worked out from this device's records, offline too."
    ),
    NotAllowed => (
        "这份报表只有店长、财务主管和老板可以查看。",
        "Only the manager, the finance supervisor and the owner may read this report."
    ),
    AsOf => ("余额与库存截至", "Balances and stock as of"),
    Print => ("打印", "Print"),
    SalesSection => ("按支付方式的营业额", "Sales by payment means"),
    Means => ("支付方式", "Means"),
    Sold => ("收款", "Taken"),
    Voided => ("作废退回", "Voided"),
    Net => ("净额", "Net"),
    Totals => ("合计", "Totals"),
    Payments => ("笔数 / 次数 / 积分", "Payments / sessions / points"),
    MoneyNet => ("本月实收（不含疗程卡和积分抵扣）", "Money taken this month (package sessions and points not counted)"),
    CheckoutsAndVoids => ("结账 / 作废", "Check-outs / voids"),
    StoredValueMeans => ("储值卡", "Stored value"),
    PackageMeans => ("疗程卡抵扣", "Package sessions"),
    ChartTitle => ("本月各支付方式净额", "This month's net by payment means"),
    StockSection => ("库存价值", "Stock value"),
    Product => ("产品", "Product"),
    OnHand => ("现有数量", "On hand"),
    Value => ("价值（按批次进价）", "Value (at batch cost)"),
    Uncosted => ("无进价的数量", "Units without a cost"),
    StockTotal => ("库存总价值", "Total stock value"),
    MovementsSection => ("本月出入库", "Stock movements this month"),
    Received => ("入库", "Received"),
    UsedInService => ("服务使用", "Used in services"),
    SoldOut => ("零售", "Sold"),
    Stocktake => ("盘点差异", "Stocktake"),
    Other => ("过期 / 损坏 / 退货", "Expired / damaged / returned"),
    NetChange => ("净变化", "Net change"),
    UsageSection => ("各项目的产品用量", "Products used per service"),
    UsageNote => (
        "标准用量 = 各项目在“门店设置 → 服务项目”里设定的每次标准用量 × 本月完成的次数；实际用量来自服务记录。一次服务含多个项目时，产品算在标准里列有它的项目下，否则算在第一个项目下。",
        "Expected: each service's standard use per service (Set-up → Service catalog) times the services done this month; actual: what the service records used. A visit of several services counts a product under the service whose standard lists it, else under its first."
    ),
    Service => ("服务项目", "Service"),
    Done => ("完成次数", "Services done"),
    Expected => ("标准用量", "Expected"),
    Used => ("实际用量", "Actual"),
    Difference => ("差异", "Difference"),
    DifferencePercent => ("差异 %", "Difference %"),
    NoStandard => ("未设标准", "No standard set"),
    NoService => ("（未选项目）", "(no service)"),
    Removed => ("（已删除）", "(removed)"),
    OwedSection => ("预收未消费", "Owed to customers"),
    StoredValueOwed => ("储值卡余额合计（预收未用）", "Stored value not yet spent"),
    StoredValueCustomers => ("有余额的顾客", "Customers with money on their card"),
    Overdrawn => ("透支合计（待店长处理）", "Overdrawn (for the manager to settle)"),
    PointsOwed => ("积分余额合计", "Points held"),
    SessionsSection => ("未用疗程次数（未过期）", "Package sessions left (not expired)"),
    Sessions => ("剩余次数", "Sessions left"),
    Figure => ("项目", "Figure"),
    Amount => ("金额 / 数量", "Amount"),
}
