//! Handing the user a file the app made (a backup, a customer's data): the browser's download.

/// Offers `text` as a file download.
pub fn download(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    download_as(name, text, "application/json")
}

/// Offers `text` as a file download of the given media type (`text/csv;charset=utf-8`).
pub fn download_as(name: &str, text: &str, media_type: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("no document"))?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
