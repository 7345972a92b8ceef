//! Any text through spec validation and, when it validates, rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("fuzz.yaml");
    if let Ok(spec) = chartgen::spec::parse(path, text) {
        let _ = chartgen::render::render(&spec);
    }
});
