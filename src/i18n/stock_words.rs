//! The words of products and stock ([products & loyalty]): the Stock page (catalogue, batches,
//! receiving, stocktake), the stock alerts on Today and the bedside's product use.
//!
//! Both languages sit side by side in one exhaustive `match`, so a word without its translation
//! does not compile; the area keeps its own catalogue so it grows without touching [`super::Msg`].
use super::Lang;

macro_rules! words {
    ($($name:ident => ($zh:expr, $en:expr),)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Sw {
            $($name,)*
        }

        impl Sw {
            pub fn text(self, lang: Lang) -> &'static str {
                let (zh, en) = match self {
                    $(Sw::$name => ($zh, $en),)*
                };
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
            }
        }
    };
}

words! {
    StockTitle => ("产品与库存", "Products and stock"),
    StockIntro => (
        "产品目录、按批次的库存、入库与盘点。库存由每一次出入库累加而来，几台设备离线时各自记录也不会互相覆盖。",
        "The product catalogue, stock by batch, receiving and stocktake. Stock is the sum of every movement, so devices working offline never overwrite each other's counts."
    ),
    Catalogue => ("产品目录", "Catalogue"),
    NoProducts => ("还没有产品。请先添加一个产品。", "No products yet. Add the first one."),
    NoProductsYouMayAdd => ("还没有产品。产品由店长或技术主管添加。", "No products yet. A manager or technical supervisor adds them."),
    NewProduct => ("添加产品", "Add a product"),
    EditProduct => ("修改产品", "Edit the product"),
    ProductName => ("产品名称", "Product name"),
    Unit => ("单位", "Unit"),
    UnitPiece => ("件", "piece"),
    UnitMl => ("毫升", "ml"),
    UnitGram => ("克", "g"),
    UnitPieceShort => ("件", "pcs"),
    UnitMlShort => ("ml", "ml"),
    UnitGramShort => ("g", "g"),
    Use => ("用途", "Use"),
    UseProfessional => ("院装（仅服务中使用）", "Professional (used in services)"),
    UseRetail => ("零售（也卖给顾客）", "Retail (also sold to customers)"),
    RetailPrice => ("零售价（元）", "Retail price (yuan)"),
    Supplier => ("供应商", "Supplier"),
    Threshold => ("库存预警值", "Low-stock threshold"),
    ThresholdHint => ("库存降到这个数量或以下时，在“今日”提醒。", "Today warns when stock is at or below this."),
    Brand => ("品牌", "Brand"),
    Allergens => ("过敏原 / 主要成分（用逗号分隔）", "Allergens / key ingredients (separated by commas)"),
    AllergensHint => (
        "顾客档案里的过敏与这里相符时，床边服务会拒绝记录使用。",
        "When a customer's allergies match these, the bedside refuses to record the product's use."
    ),
    AllergensShort => ("过敏原", "Allergens"),
    AllergenTooLong => ("每个过敏原最多 40 个字。", "Each allergen is at most 40 characters."),
    SaveProduct => ("保存产品", "Save product"),
    Cancel => ("取消", "Cancel"),
    Edit => ("修改", "Edit"),
    InStock => ("库存", "In stock"),
    Batches => ("批次", "Batches"),
    BatchNo => ("批号", "Batch number"),
    ExpiresOn => ("有效期至", "Expires on"),
    NoExpiry => ("无有效期", "No expiry date"),
    ReceivedOn => ("入库日期", "Received"),
    Cost => ("进价（元，整批）", "Cost (yuan, whole batch)"),
    Quantity => ("数量", "Quantity"),
    NoBatches => ("还没有批次入库。", "No batch received yet."),
    Receive => ("入库", "Receive stock"),
    ReceiveTitle => ("入库一个新批次", "Receive a new batch"),
    SaveReceive => ("确认入库", "Receive"),
    Received => ("已入库。", "Received."),
    Stocktake => ("盘点", "Stocktake"),
    Counted => ("实际数量", "Counted"),
    Reason => ("原因", "Reason"),
    ReasonAdjustment => ("盘点更正", "Count correction"),
    ReasonDamaged => ("损坏", "Damaged"),
    ReasonExpired => ("过期报废", "Expired, thrown away"),
    ReasonReturned => ("退回", "Returned"),
    ReasonReceived => ("入库", "Received"),
    ReasonUsed => ("服务使用", "Used in a service"),
    ReasonSold => ("售出", "Sold"),
    SaveStocktake => ("记录盘点", "Record the count"),
    CountAgrees => ("实数与账面一致，无需记录。", "The count agrees with the records: nothing to record."),
    CountRecorded => ("盘点已记录。", "The count is recorded."),
    Total => ("合计", "Total"),
    Expired => ("已过期", "Expired"),
    ExpiresInDays => ("天后过期", "days left"),
    ExpiresToday => ("今天到期", "expires today"),
    Movements => ("出入库记录", "Movements"),
    Inactive => ("已停用", "Not in use"),
    Active => ("在用", "In use"),
    LowBadge => ("库存不足", "Low stock"),
    // Input errors.
    NameNeeded => ("请填写产品名称。", "Write the product's name."),
    ThresholdNotNumber => ("库存预警值请填写 0 或正整数。", "The low-stock threshold must be 0 or a whole number above it."),
    PriceNotAmount => ("零售价请填写金额，例如 168 或 168.50。", "Write the retail price as an amount, such as 168 or 168.50."),
    CostNotAmount => ("进价请填写金额，例如 1200 或 1200.50。", "Write the cost as an amount, such as 1200 or 1200.50."),
    BatchNoNeeded => ("请填写批号（包装上印的）。", "Write the batch number printed on the package."),
    QuantityNotPositive => ("数量请填写大于 0 的整数。", "The quantity must be a whole number above 0."),
    CountNotNumber => ("实际数量请填写 0 或正整数。", "The count must be 0 or a whole number above it."),
    DateNotValid => ("日期请按 年-月-日 填写。", "Write the date as year-month-day."),
    ExpiredOnReceive => (
        "注意：这个批次已经过期。已照常入库，并会在“今日”提示处理。",
        "Note: this batch has already expired. It is received, and Today will remind you to deal with it."
    ),
    TooLong => ("内容太长，请缩短。", "This is too long; shorten it."),
    // Today.
    AlertsTitle => ("库存提醒", "Stock alerts"),
    AlertLow => ("库存不足", "Low stock"),
    AlertExpiring => ("即将过期", "Expiring soon"),
    AlertExpired => ("已过期仍在库", "Expired, still in stock"),
    AlertThreshold => ("预警值", "threshold"),
    AlertsOpenStock => ("打开库存", "Open stock"),
    // Bedside.
    BatchFirstHint => ("默认选最早过期的在库批次。", "The batch in stock expiring first is chosen for you."),
    NoBatchInStock => ("这个产品没有在库的批次：请先入库，或不选批次记录。", "No batch of this product is in stock: receive one first, or record it without a batch."),
    AmountIn => ("用量", "Amount"),
}
