//! The fuzz targets' properties on the stable toolchain, for CI: thousands of deterministic mutations of real
//! inputs through the manifest parser, every rule, and spec validation plus rendering. Any panic fails the test.
//! (Coverage-guided fuzzing: `cargo fuzz run manifest_parser|rule_engine|spec_validation` in fuzz/.)

mod common;

use chartgen::lint::rules::{CheckContext, Profile, RULES};
use chartgen::lint::source::SourceFile;
use common::root;

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "\n",
    " ",
    "  ",
    "- ",
    ": ",
    "---\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "#",
    "!!str ",
    "null",
    "~",
    "0",
    "-1",
    "true",
    "kind: Pod\n",
    "kind: List\nitems:\n",
    "containers:\n",
    "securityContext:\n",
    "chartgen.dev/ignore: \"x --\"\n",
    "\t",
    "\u{feff}",
    "é",
    "\\",
    "%YAML 1.2\n",
];

fn mutate(seed: &str, rng: &mut Rng) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(text.len() + 1);
        match rng.below(4) {
            0 => {
                let token: Vec<char> = TOKENS[rng.below(TOKENS.len())].chars().collect();
                text.splice(at..at, token);
            }
            1 if !text.is_empty() => {
                let end = (at + rng.below(40)).min(text.len());
                text.drain(at.min(end)..end);
            }
            2 if !text.is_empty() => {
                // Duplicate a slice somewhere else (repeats keys, nests blocks).
                let start = rng.below(text.len());
                let end = (start + rng.below(80)).min(text.len());
                let slice: Vec<char> = text[start..end].to_vec();
                let to = rng.below(text.len() + 1);
                text.splice(to..to, slice);
            }
            _ => {
                if let Some(c) = text.get_mut(at) {
                    *c = TOKENS[rng.below(TOKENS.len())]
                        .chars()
                        .next()
                        .unwrap_or(' ');
                }
            }
        }
    }
    text.into_iter().collect()
}

fn seeds() -> Vec<String> {
    [
        "tests/fixtures/lint/mixed.yaml",
        "tests/fixtures/lint/suppressed.yaml",
        "tests/fixtures/rules/plaintext-secret/violations.yaml",
        "tests/fixtures/rules/ingress-unknown-backend/violations.yaml",
        "chart-spec/todo-app.yaml",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(root().join(p)).expect("seed"))
    .collect()
}

#[test]
fn mutated_manifests_never_panic_the_parser_or_the_rules() {
    let mut rng = Rng(0x5EED_0001);
    let seeds = seeds();
    for i in 0..3_000 {
        let input = mutate(&seeds[i % seeds.len()], &mut rng);
        let _ = chartgen::yaml::parse_documents(&input);
        let mut errors = Vec::new();
        let unit = chartgen::lint::input::manifest_unit(
            vec![SourceFile {
                path: "m.yaml".into(),
                text: input.as_str().into(),
            }],
            &mut errors,
        );
        let profile = if i % 2 == 0 {
            Profile::Restricted
        } else {
            Profile::Baseline
        };
        let _ = chartgen::lint::check_unit(
            &unit,
            RULES,
            &CheckContext {
                profile,
                kube_version: None,
            },
        );
    }
}

#[test]
fn mutated_specs_never_panic_validation_or_rendering() {
    let mut rng = Rng(0x5EED_0002);
    let spec = std::fs::read_to_string(root().join("chart-spec/todo-app.yaml")).expect("spec");
    let path = std::path::Path::new("m.yaml");
    let mut rendered = 0;
    for _ in 0..1_500 {
        let input = mutate(&spec, &mut rng);
        if let Ok(checked) = chartgen::spec::parse(path, &input)
            && chartgen::render::render(&checked, path).is_ok()
        {
            rendered += 1;
        }
    }
    assert!(rendered > 0, "some mutations stay valid and render");
}
