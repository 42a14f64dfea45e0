//! Entry point of the wasm client: panic hook, then mount. Everything else lives in `app`.
use orchid::app::App;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
