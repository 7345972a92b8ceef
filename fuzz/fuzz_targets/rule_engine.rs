//! Any parsable YAML through every rule, under both profiles.
#![no_main]

use chartgen::lint::rules::{CheckContext, Profile, RULES};
use chartgen::lint::source::SourceFile;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut errors = Vec::new();
    let file = SourceFile {
        path: "fuzz.yaml".into(),
        text: text.into(),
    };
    let unit = chartgen::lint::input::manifest_unit(vec![file], &mut errors);
    for profile in [Profile::Baseline, Profile::Restricted] {
        let _ = chartgen::lint::check_unit(&unit, RULES, &CheckContext {
            profile,
            kube_version: None,
        });
    }
});
