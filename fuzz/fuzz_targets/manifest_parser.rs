//! Any bytes through the manifest parser: an error or documents, never a panic, hang or overflow.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chartgen::yaml::parse_documents(text);
    }
});
