use leptos::prelude::*;

/// Rows rendered above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 6;

/// A list that renders only the rows in view, so 10,000 customers scroll as smoothly as 10.
/// Rows have a fixed height; `key` must change when the row's content does.
#[component]
pub fn VirtualList<T, K, R, IV>(
    items: Memo<Vec<T>>,
    row_height: u32,
    height: u32,
    key: K,
    row: R,
    #[prop(into)] label: Signal<&'static str>,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    K: Fn(&T) -> String + Clone + Send + Sync + 'static,
    R: Fn(T) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let scroll_top = RwSignal::new(0i32);
    let row_h = row_height as usize;
    let visible = move || {
        let first = (scroll_top.get().max(0) as usize) / row_h;
        let start = first.saturating_sub(OVERSCAN);
        let count = (height as usize).div_ceil(row_h) + 2 * OVERSCAN;
        items.with(|all| {
            let end = (start + count).min(all.len());
            let start = start.min(end);
            all[start..end]
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, item)| (start + i, item))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div
            class="vlist"
            role="list"
            aria-label=move || label.get()
            tabindex="0"
            style:height=format!("{height}px")
            on:scroll=move |ev| {
                let element = event_target::<web_sys::HtmlElement>(&ev);
                scroll_top.set(element.scroll_top());
            }
        >
            <div
                class="vlist__spacer"
                style:height=move || format!("{}px", items.with(|all| all.len()) * row_h)
            >
                <For
                    each=visible
                    key={
                        let key = key.clone();
                        move |(index, item)| (*index, key(item))
                    }
                    children=move |(index, item)| {
                        view! {
                            <div
                                class="vlist__row"
                                role="listitem"
                                style:height=format!("{row_h}px")
                                style:transform=format!("translateY({}px)", index * row_h)
                            >
                                {row(item)}
                            </div>
                        }
                    }
                />
            </div>
        </div>
    }
}
