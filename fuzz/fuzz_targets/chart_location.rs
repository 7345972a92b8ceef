//! A chart through chart mode's location mapper and every output format, without Helm: the input is
//! `values.yaml`, a template and the rendered manifest, separated by lines holding only `===`. Every rendered
//! document is mapped back through the template's outline into the template or values.yaml, every rule runs,
//! and the report is written in each format. Never a panic, and every finding's line is inside its file.
#![no_main]

use chartgen::lint::Report;
use chartgen::lint::object::{Object, Unit};
use chartgen::lint::output::{self, Format};
use chartgen::lint::rules::{CheckContext, Profile, RULES};
use chartgen::lint::source::{Origin, Outline, SourceFile, ValuesLayer, ValuesLayers};
use std::sync::Arc;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, "\n===\n");
    let (Some(values), Some(template), Some(rendered)) = (parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let mut unit = Unit::default();
    unit.sources.push(SourceFile {
        path: "chart/values.yaml".into(),
        text: Arc::from(values),
    });
    unit.sources.push(SourceFile {
        path: "chart/templates/t.yaml".into(),
        text: Arc::from(template),
    });
    let layers = chartgen::yaml::parse_document(values)
        .ok()
        .map(|d| ValuesLayer {
            file: 0,
            doc: Arc::new(d),
            under: Vec::new(),
            defaults: true,
        });
    let origin = Origin::Template {
        template: 1,
        outline: Arc::new(Outline::parse(template)),
        values: Arc::new(ValuesLayers(layers.into_iter().collect())),
        defines: Arc::default(),
    };
    let Ok(docs) = chartgen::yaml::parse_documents(rendered) else {
        return;
    };
    unit.objects = docs
        .into_iter()
        .filter_map(|d| Object::from_doc(d, origin.clone()))
        .collect();
    for profile in [Profile::Baseline, Profile::Restricted] {
        let findings = chartgen::lint::check_unit(&unit, RULES, &CheckContext { profile, kube_version: None });
        for f in &findings {
            let file = unit
                .sources
                .iter()
                .find(|s| s.path == f.file)
                .expect("a finding's file is a source");
            assert!(
                f.line() >= 1 && f.line() as usize <= file.text.lines().count().max(1),
                "line inside the file"
            );
        }
        let report = Report {
            findings,
            sources: unit.sources.clone(),
            objects: unit.objects.len(),
            ..Report::default()
        };
        for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
            let mut out = Vec::new();
            output::write(&report, format, false, &mut out).expect("writing to memory");
        }
    }
});
