//! The WebAssembly entry point: wakes the islands that the server rendered.

// The islands are `#[wasm_bindgen]` exports of `app`; naming the crate links them in.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
