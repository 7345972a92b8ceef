//! Structural robustness: valid YAML with odd values (wrong types, huge numbers, unicode, empty strings, control
//! characters, bounded deep nesting, missing fields, duplicate and odd keys) built from real inputs, so that most
//! cases get past the parser and reach the rules. Manifests, chart specs and small charts run through the real
//! binary (charts with the real Helm 4, through chart mode's location mapper) in every output format. Invariants
//! checked on every case:
//!
//! - no panic: the exit code is 0, 1 or 2 and nothing says "panicked";
//! - the exit code matches the findings: 0 ⇔ no error-severity finding in the JSON, 2 ⇔ an input error is printed;
//! - every finding names a file and a line inside that file;
//! - a planted secret value, or any 6-character piece of it, appears in no output (stdout or stderr) of any format.
//!
//! Reach is measured, not assumed: the share of manifest cases whose objects the rules see (JSON `objects`), of
//! specs that validate and render, and of rendered charts on which a container-level (workload) rule reports.
//! Everything is seeded (xorshift), so a failure reproduces. Coverage-guided fuzzing of the same entry points:
//! `fuzz/` (see the README).

mod common;

use chartgen::yaml::{Node, Value};
use common::*;
use std::path::{Path, PathBuf};

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

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random secret-looking value: 24 letters and digits, unique per case.
    fn secret(&mut self) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        (0..24)
            .map(|_| *self.pick(ALNUM) as char)
            .collect::<String>()
    }
}

/// A YAML tree the harness builds and mutates; duplicate keys are allowed on purpose.
#[derive(Clone, Debug)]
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A scalar written verbatim (numbers out of range, `.inf`, octal...).
    Raw(&'static str),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

impl Y {
    fn from_node(node: &Node) -> Y {
        match &node.value {
            Value::Null => Y::Null,
            Value::Bool(b) => Y::Bool(*b),
            Value::Int(i) => Y::Int(*i),
            Value::Float(f) => Y::Float(*f),
            Value::String(s) => Y::Str(s.clone()),
            Value::Seq(items) => Y::Seq(items.iter().map(Y::from_node).collect()),
            Value::Map(entries) => Y::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), Y::from_node(v)))
                    .collect(),
            ),
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Y> {
        match self {
            Y::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn path_mut(&mut self, keys: &[&str]) -> Option<&mut Y> {
        keys.iter().try_fold(self, |node, k| node.get_mut(k))
    }

    fn set(&mut self, key: &str, value: Y) {
        if let Y::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    /// Every node below the root, as child-index paths.
    fn paths(&self, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        let children: Vec<&Y> = match self {
            Y::Seq(items) => items.iter().collect(),
            Y::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
            _ => return,
        };
        for (i, child) in children.into_iter().enumerate() {
            prefix.push(i);
            out.push(prefix.clone());
            child.paths(prefix, out);
            prefix.pop();
        }
    }

    fn at_mut(&mut self, path: &[usize]) -> Option<&mut Y> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let child = match self {
            Y::Seq(items) => items.get_mut(*first)?,
            Y::Map(entries) => &mut entries.get_mut(*first)?.1,
            _ => return None,
        };
        child.at_mut(rest)
    }

    fn at(&self, path: &[usize]) -> Option<&Y> {
        let Some((first, rest)) = path.split_first() else {
            return Some(self);
        };
        let child = match self {
            Y::Seq(items) => items.get(*first)?,
            Y::Map(entries) => &entries.get(*first)?.1,
            _ => return None,
        };
        child.at(rest)
    }
}

/// YAML text for a tree: block style, with some collections in flow style; strings always double-quoted with
/// escapes, so every odd value stays a valid scalar.
fn emit(doc: &Y, rng: &mut Rng) -> String {
    let mut out = String::new();
    match doc {
        Y::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                out.push_str(&key_text(k));
                out.push(':');
                emit_value(v, 2, rng, &mut out);
            }
        }
        other => {
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
    out
}

fn emit_value(y: &Y, indent: usize, rng: &mut Rng, out: &mut String) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries) if !entries.is_empty() && !rng.chance(8) => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&pad);
                out.push_str(&key_text(k));
                out.push(':');
                emit_value(v, indent + 2, rng, out);
            }
        }
        Y::Seq(items) if !items.is_empty() && !rng.chance(8) => {
            out.push('\n');
            for v in items {
                out.push_str(&pad);
                out.push('-');
                emit_value(v, indent + 2, rng, out);
            }
        }
        other => {
            out.push(' ');
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
}

fn flow(y: &Y) -> String {
    match y {
        Y::Null => "null".into(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Float(f) if f.is_nan() => ".nan".into(),
        Y::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Y::Float(f) => format!("{f:?}"),
        Y::Str(s) => quote(s),
        Y::Raw(r) => (*r).into(),
        Y::Seq(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Y::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_text(k: &str) -> String {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { k.to_string() } else { quote(k) }
}

/// An odd value: wrong type, extreme number, unicode, empty, control characters, long, or nested deep.
fn odd(rng: &mut Rng) -> Y {
    match rng.below(12) {
        0 => Y::Null,
        1 => Y::Bool(rng.chance(2)),
        2 => Y::Int(*rng.pick(&[i64::MAX, i64::MIN, 0, -1, 2_147_483_648, 65_536])),
        3 => Y::Raw(rng.pick::<&'static str>(&[
            "123456789012345678901234567890",
            "-9223372036854775809",
            "1e400",
            "-.inf",
            ".nan",
            "0x7fffffff",
            "0o17",
            "1_000",
            "+12",
            "1.10",
        ])),
        4 => Y::Str(
            rng.pick(&[
                "名前",
                "Ünïcödé",
                "\u{202e}evil",
                "🦀🦀🦀",
                "e\u{301}",
                "\u{200b}",
                "ﬁ",
            ])
            .to_string(),
        ),
        5 => Y::Str(String::new()),
        6 => Y::Str(
            rng.pick(&[
                "\u{1b}[2J\u{1b}[H",
                "a\u{7}b",
                "line1\nline2",
                "\r\n",
                "nul\u{0}byte",
                "\t",
                "\u{85}\u{2028}",
            ])
            .to_string(),
        ),
        7 => Y::Str("long-".repeat(1 + rng.below(2_000))),
        8 => rng
            .pick(&[
                Y::Map(vec![("a".into(), Y::Int(1))]),
                Y::Seq(vec![Y::Str("x".into())]),
                Y::Map(Vec::new()),
                Y::Seq(Vec::new()),
            ])
            .clone(),
        9 => {
            // Deep but bounded: below the parser's depth budget, above what any real object uses.
            let mut y = Y::Str("bottom".into());
            for level in 0..5 + rng.below(60) {
                y = if level % 2 == 0 {
                    Y::Map(vec![("n".into(), y)])
                } else {
                    Y::Seq(vec![y])
                };
            }
            y
        }
        10 => Y::Str(
            rng.pick(&[
                "{{ .Values.x }}",
                "*a",
                "&a",
                "!!binary",
                "<<",
                "${X}",
                "%",
                "- x",
            ])
            .to_string(),
        ),
        _ => Y::Str(
            rng.pick(&["8080", "true", "null", "1e3", "0", "-"])
                .to_string(),
        ),
    }
}

const ODD_KEYS: &[&str] = &[
    "",
    "ключ",
    "a\u{1}b",
    "key with spaces",
    "<<",
    "true",
    "1",
    "🦀",
    "-",
    "x.y/z",
];

/// One structural mutation somewhere below the root.
fn mutate(doc: &mut Y, rng: &mut Rng) {
    let mut paths = Vec::new();
    doc.paths(&mut Vec::new(), &mut paths);
    // kind and apiVersion stay, mostly: the point is to reach the rules with odd contents.
    paths.retain(|p| {
        p.len() > 1
            || !matches!(doc, Y::Map(e) if e.get(p[0]).is_some_and(|(k, _)| k == "kind" || k == "apiVersion"))
            || rng.chance(20)
    });
    if paths.is_empty() {
        return;
    }
    let path = rng.pick(&paths).clone();
    let (parent_path, last) = path.split_at(path.len() - 1);
    let index = last[0];
    match rng.below(20) {
        // Wrong type or odd value.
        0..=8 => {
            if let Some(node) = doc.at_mut(&path) {
                *node = odd(rng);
            }
        }
        // A missing field (or list item).
        9..=12 => match doc.at_mut(parent_path) {
            Some(Y::Map(entries)) => {
                entries.remove(index);
            }
            Some(Y::Seq(items)) => {
                items.remove(index);
            }
            _ => {}
        },
        // An odd key.
        13 | 14 => {
            let key = rng.pick(ODD_KEYS).to_string();
            if let Some(Y::Map(entries)) = doc.at_mut(parent_path) {
                entries[index].0 = key;
            }
        }
        // An unknown field with an odd value.
        15 | 16 => {
            let value = odd(rng);
            if let Some(Y::Map(entries)) = doc.at_mut(parent_path) {
                entries.push((format!("extra{}", rng.below(100)), value));
            }
        }
        // A duplicate key: the parser must refuse it clearly.
        17 => {
            if let Some(Y::Map(entries)) = doc.at_mut(parent_path) {
                let copy = entries[index].clone();
                entries.push(copy);
            }
        }
        // A subtree copied somewhere else (a list item repeated, a block pasted at another level).
        _ => {
            let Some(subtree) = doc.at(&path).cloned() else {
                return;
            };
            let to = rng.pick(&paths).clone();
            match doc.at_mut(&to) {
                Some(Y::Seq(items)) => items.push(subtree),
                Some(Y::Map(entries)) => entries.push((format!("copy{}", rng.below(100)), subtree)),
                Some(node) => *node = subtree,
                None => {}
            }
        }
    }
}

/// The `containers` list of a workload document, if it has one.
fn containers_mut(doc: &mut Y) -> Option<&mut Vec<Y>> {
    let is_pod = matches!(doc.get_mut("kind"), Some(Y::Str(k)) if k == "Pod");
    let spec = if is_pod {
        doc.get_mut("spec")?
    } else {
        doc.path_mut(&["spec", "template", "spec"])?
    };
    match spec.get_mut("containers")? {
        Y::Seq(items) if !items.is_empty() => Some(items),
        _ => None,
    }
}

/// Plants `secret` where chartgen promises to detect it: a container's env value under a secret-looking name,
/// else a ConfigMap's data.
fn plant_secret(docs: &mut Vec<Y>, secret: &str) {
    let env = Y::Map(vec![
        ("name".into(), Y::Str("DB_PASSWORD".into())),
        ("value".into(), Y::Str(secret.into())),
    ]);
    for doc in docs.iter_mut() {
        if let Some(containers) = containers_mut(doc)
            && let Some(first @ Y::Map(_)) = containers.first_mut()
        {
            match first.get_mut("env") {
                Some(Y::Seq(list)) => list.push(env),
                _ => first.set("env", Y::Seq(vec![env])),
            }
            return;
        }
    }
    docs.push(Y::Map(vec![
        ("apiVersion".into(), Y::Str("v1".into())),
        ("kind".into(), Y::Str("ConfigMap".into())),
        (
            "metadata".into(),
            Y::Map(vec![("name".into(), Y::Str("planted".into()))]),
        ),
        (
            "data".into(),
            Y::Map(vec![("API_TOKEN".into(), Y::Str(secret.into()))]),
        ),
    ]));
}

/// The parsed documents of every rule fixture and the lint fixtures: real objects of every kind the rules know.
fn manifest_pool() -> Vec<Y> {
    let mut files = Vec::new();
    for dir in ["tests/fixtures/rules", "tests/fixtures/lint"] {
        for entry in walkdir::WalkDir::new(root().join(dir)).sort_by_file_name() {
            let entry = entry.expect("walk fixtures");
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    let mut pool = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        // Deliberately broken fixtures (binary, bombs) are not seeds here; tests/lint_cli.rs covers them.
        let Ok(docs) = chartgen::yaml::parse_documents(&text) else {
            continue;
        };
        pool.extend(
            docs.iter()
                .filter(|d| d.get("kind").is_some())
                .map(Y::from_node),
        );
    }
    assert!(pool.len() > 50, "the fixtures hold the seed objects");
    pool
}

const FORMATS: [&str; 4] = ["human", "json", "sarif", "github"];

/// What one run of the binary printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn lint(args: &[&str], paths: &[&Path]) -> Run {
    let out = run(chartgen()
        .env("HELM", tool("helm4"))
        .arg("lint")
        .args(args)
        .args(paths));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: text(&out.stdout),
        stderr: text(&out.stderr),
    }
}

/// The invariants every run must hold, whatever the format. Returns the JSON report for `--format json`.
fn check_run(
    run: &Run,
    format: &str,
    secrets: &[String],
    what: &str,
    leaks: &mut Vec<String>,
) -> Option<serde_json::Value> {
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        matches!(run.code, 0..=2) && !all.contains("panicked"),
        "{what} ({format}): exit {} or a panic\n{}",
        run.code,
        run.stderr
    );
    for secret in secrets {
        // Collected, not panicked on: the run goes on and the test fails at the end listing every leak.
        if let Some(piece) = leaked_piece(&all, secret) {
            let line = all.lines().find(|l| l.contains(piece)).unwrap_or_default();
            let line: String = line.chars().take(300).collect();
            leaks.push(format!(
                "{what} ({format}): `{piece}` of a planted secret in: {line}"
            ));
        }
    }
    if run.code == 2 {
        assert!(
            run.stderr.contains("error"),
            "{what} ({format}): exit 2 says why on stderr\n{}",
            run.stderr
        );
    }
    match format {
        "json" => {
            let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
                panic!("{what}: --format json prints JSON even on bad input ({e}):\n{all}")
            });
            let findings = report["findings"].as_array().expect("findings array");
            let errors = findings.iter().filter(|f| f["severity"] == "error").count();
            assert_eq!(
                report["summary"]["errors"].as_u64(),
                Some(errors as u64),
                "{what}: summary counts the findings"
            );
            if run.code != 2 {
                assert_eq!(
                    run.code == 0,
                    errors == 0,
                    "{what}: exit {} but {errors} error findings\n{all}",
                    run.code
                );
            }
            for f in findings {
                check_location(f, what);
            }
            Some(report)
        }
        "sarif" => {
            let sarif: serde_json::Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|e| panic!("{what}: SARIF is JSON ({e})"));
            for result in sarif["runs"][0]["results"].as_array().expect("results") {
                let location = &result["locations"][0]["physicalLocation"];
                assert!(
                    location["artifactLocation"]["uri"]
                        .as_str()
                        .is_some_and(|u| !u.is_empty())
                        && location["region"]["startLine"]
                            .as_u64()
                            .is_some_and(|l| l >= 1),
                    "{what}: every SARIF result has a file and a line: {result}"
                );
            }
            None
        }
        "github" => {
            for line in run.stdout.lines() {
                // A message cannot break out of its workflow command: one command per line, with a place.
                assert!(
                    ["::error file=", "::warning file=", "::notice file="]
                        .iter()
                        .any(|p| line.starts_with(p))
                        && line.contains(",line="),
                    "{what}: not a workflow command with a file and line: {line}"
                );
            }
            None
        }
        _ => None,
    }
}

/// A finding's file exists and its line is inside it.
fn check_location(finding: &serde_json::Value, what: &str) {
    let file = finding["file"].as_str().unwrap_or_default();
    assert!(
        !file.is_empty(),
        "{what}: finding without a file: {finding}"
    );
    let path = if Path::new(file).is_absolute() {
        PathBuf::from(file)
    } else {
        root().join(file)
    };
    let text = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{what}: finding in {file}, which cannot be read ({e}): {finding}")
    });
    let lines = text.split(|b| *b == b'\n').count().max(1) as u64;
    let line = finding["line"].as_u64().unwrap_or(0);
    assert!(
        (1..=lines).contains(&line) && finding["column"].as_u64().is_some_and(|c| c >= 1),
        "{what}: line {line} outside {file} ({lines} lines): {finding}"
    );
    // The region ends after it starts, inside the file (an end just past the last line's break is the end).
    let start = (line, finding["column"].as_u64().unwrap_or(0));
    let end = (
        finding["endLine"].as_u64().unwrap_or(0),
        finding["endColumn"].as_u64().unwrap_or(0),
    );
    assert!(
        end > start && end.0 <= lines + 1,
        "{what}: region {start:?}..{end:?} in {file} ({lines} lines): {finding}"
    );
}

fn assert_no_leaks(leaks: &[String]) {
    assert!(
        leaks.is_empty(),
        "{} outputs break an invariant (a piece of a planted secret shown, an error naming no file, a rendered chart that does not lint); \
         the first ones:\n{}",
        leaks.len(),
        leaks
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Any 6-character piece of `secret` found in `output`.
fn leaked_piece<'s>(output: &str, secret: &'s str) -> Option<&'s str> {
    (0..=secret.len().saturating_sub(6))
        .map(|i| &secret[i..i + 6])
        .find(|piece| output.contains(piece))
}

#[test]
fn odd_valid_manifests_reach_the_rules_and_keep_every_invariant() {
    const CASES: usize = 400;
    let mut rng = Rng(0x5EED_0001);
    let mut leaks = Vec::new();
    let pool = manifest_pool();
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut reached, mut with_findings, mut planted, mut detected) = (0, 0, 0, 0);
    for case in 0..CASES {
        let mut docs: Vec<Y> = (0..1 + rng.below(3))
            .map(|_| rng.pick(&pool).clone())
            .collect();
        for doc in &mut docs {
            for _ in 0..1 + rng.below(4) {
                mutate(doc, &mut rng);
            }
        }
        let mut secrets = Vec::new();
        if rng.chance(3) {
            let secret = rng.secret();
            plant_secret(&mut docs, &secret);
            secrets.push(secret);
        }
        let text: Vec<String> = docs.iter().map(|d| emit(d, &mut rng)).collect();
        let file = dir.path().join(format!("case-{case}.yaml"));
        std::fs::write(&file, text.join("---\n")).expect("write case");
        let what = format!("manifest case {case} ({})", file.display());
        let profile = if case % 3 == 0 {
            "baseline"
        } else {
            "restricted"
        };

        let json = lint(&["--format", "json", "--profile", profile], &[&file]);
        let report = check_run(&json, "json", &secrets, &what, &mut leaks).expect("json report");
        if report["summary"]["objects"].as_u64().unwrap_or(0) > 0 {
            reached += 1;
        }
        let findings = report["findings"].as_array().expect("findings");
        if !findings.is_empty() {
            with_findings += 1;
        }
        if !secrets.is_empty() && json.code != 2 {
            planted += 1;
            if findings.iter().any(|f| f["rule"] == "plaintext-secret") {
                detected += 1;
            }
        }
        // One other format per case, and it agrees with the JSON run's exit code.
        let format = FORMATS[[0, 2, 3][case % 3]];
        let other = lint(&["--format", format, "--profile", profile], &[&file]);
        check_run(&other, format, &secrets, &what, &mut leaks);
        assert_eq!(
            other.code, json.code,
            "{what}: {format} and json agree on the exit code"
        );
    }
    eprintln!(
        "manifests: {reached}/{CASES} reach the rules, {with_findings}/{CASES} have findings, \
         planted secrets detected in {detected}/{planted} linted cases"
    );
    assert!(
        reached * 100 >= CASES * 70,
        "only {reached}/{CASES} cases reach the rules"
    );
    assert!(
        with_findings * 100 >= CASES * 50,
        "only {with_findings}/{CASES} cases have findings"
    );
    assert!(
        planted > 0 && detected * 100 >= planted * 80,
        "planted secrets detected in {detected}/{planted}"
    );
    assert_no_leaks(&leaks);
}

/// String leaves that a spec accepts as free text, and what to put there.
const ODD_TEXT: &[&str] = &[
    "名前 — ünïcödé 🦀",
    "",
    "two\nlines",
    "tab\there",
    "{{ .Values.secrets.X }}",
    "key: value",
    "# not a comment",
    "\u{202e}rtl",
    "\u{1b}[2Jescape",
];

/// A spec mutation that mostly keeps it valid: odd free text, other numbers, dropped optional fields, odd config.
fn mutate_spec(doc: &mut Y, rng: &mut Rng) {
    let mut paths = Vec::new();
    doc.paths(&mut Vec::new(), &mut paths);
    paths.retain(|p| p.len() > 1);
    let path = rng.pick(&paths).clone();
    match rng.below(7) {
        // Numbers: mostly plausible, sometimes out of range.
        0 | 1 => {
            if let Some(node @ Y::Int(_)) = doc.at_mut(&path) {
                *node = Y::Int(*rng.pick(&[
                    1,
                    2,
                    3,
                    5,
                    10,
                    8081,
                    30_080,
                    65_535,
                    0,
                    65_536,
                    -1,
                    i64::MAX,
                ]));
            } else if let Some(node @ Y::Str(_)) = doc.at_mut(&path) {
                *node = Y::Str(rng.pick(ODD_TEXT).to_string());
            }
        }
        // Free text: every description.
        6 => {
            let mut descriptions = Vec::new();
            for p in &paths {
                let (parent, last) = p.split_at(p.len() - 1);
                if let Some(Y::Map(entries)) = doc.at(parent)
                    && entries[last[0]].0 == "description"
                {
                    descriptions.push(p.clone());
                }
            }
            if !descriptions.is_empty() {
                let at = rng.pick(&descriptions).clone();
                let text = rng.pick(ODD_TEXT).to_string();
                if let Some(node) = doc.at_mut(&at) {
                    *node = Y::Str(text);
                }
            }
        }
        2 | 3 => {
            let (parent, last) = path.split_at(path.len() - 1);
            if let Some(Y::Map(entries)) = doc.at_mut(parent) {
                entries.remove(last[0]);
            }
        }
        4 => {
            let value = if rng.chance(2) {
                Y::Str(rng.pick(ODD_TEXT).to_string())
            } else {
                odd(rng)
            };
            let name = rng.pick(&[
                "LOG_FORMAT",
                "PASSWORD_HASHER",
                "TOKEN_CACHE",
                "FEATURE_X",
                "ünï",
            ]);
            match doc.get_mut("config") {
                Some(config @ Y::Map(_)) => config.set(name, value),
                _ => doc.set("config", Y::Map(vec![(name.to_string(), value)])),
            }
        }
        _ => {
            if let Some(Y::Str(description)) = doc.path_mut(&["metadata", "description"]) {
                description.push_str(rng.pick::<&str>(ODD_TEXT));
            }
        }
    }
}

#[test]
fn odd_valid_specs_validate_render_and_lint_in_chart_mode() {
    const CASES: usize = 120;
    const CHARTS: usize = 16;
    let mut rng = Rng(0x5EED_0002);
    let mut leaks = Vec::new();
    let specs: Vec<Y> = spec_files()
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read spec");
            Y::from_node(&chartgen::yaml::parse_document(&text).expect("committed spec parses"))
        })
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(dir.path().join("specs")).expect("mkdir");
    let (mut rendered, mut charts) = (0, Vec::new());
    for case in 0..CASES {
        let mut doc = rng.pick(&specs).clone();
        for _ in 0..1 + usize::from(rng.chance(3)) {
            mutate_spec(&mut doc, &mut rng);
        }
        let mut secrets = Vec::new();
        if rng.chance(5) {
            let secret = rng.secret();
            match doc.get_mut("config") {
                Some(config @ Y::Map(_)) => config.set("DB_PASSWORD", Y::Str(secret.clone())),
                _ => doc.set(
                    "config",
                    Y::Map(vec![("DB_PASSWORD".into(), Y::Str(secret.clone()))]),
                ),
            }
            secrets.push(secret);
        }
        let name = format!("case-{case}");
        if let Some(metadata @ Y::Map(_)) = doc.get_mut("metadata") {
            metadata.set("name", Y::Str(name.clone()));
        }
        let path = dir.path().join("specs").join(format!("{name}.yaml"));
        let text = emit(&doc, &mut rng);
        std::fs::write(&path, &text).expect("write spec");
        if std::env::var_os("KEEP_CASES").is_some() {
            std::fs::copy(
                &path,
                std::env::temp_dir().join(format!("kept-{name}.yaml")),
            )
            .ok();
        }
        let what = format!("spec case {case} ({})", path.display());

        // Validation and rendering in-process: the error text is what `chartgen render` prints.
        let result = chartgen::spec::parse(&path, &text)
            .map_err(|e| e.to_string())
            .and_then(|checked| {
                chartgen::render::render(&checked)
                    .map(|files| (files, checked.components.len()))
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok((files, components)) => {
                assert!(
                    secrets.is_empty(),
                    "{what}: a planted secret in config renders"
                );
                rendered += 1;
                if charts.len() < CHARTS {
                    let chart = chartgen::render::output::write_chart(&out, &name, &files)
                        .unwrap_or_else(|e| panic!("{what}: write: {e}"));
                    charts.push((chart, components));
                }
            }
            Err(message) => {
                if let Some(piece) = secrets.iter().find_map(|s| leaked_piece(&message, s)) {
                    panic!("{what}: the spec error shows `{piece}` of the secret:\n{message}");
                }
                if !message.contains(&path.display().to_string()) {
                    let first: String = message.lines().take(3).collect::<Vec<_>>().join(" / ");
                    leaks.push(format!("{what}: the error does not name the file: {first}"));
                }
            }
        }
        // The spec through lint, in one format per case.
        let format = FORMATS[case % 4];
        let run = lint(&["--format", format], &[&path]);
        check_run(&run, format, &secrets, &what, &mut leaks);
    }
    eprintln!("specs: {rendered}/{CASES} validate and render");
    assert!(
        rendered * 100 >= CASES * 40,
        "only {rendered}/{CASES} specs render"
    );

    // The rendered charts in chart mode: Helm 4 renders them, the location mapper points findings at the
    // chart's files. The rules must see every component's workload; container-rule findings are counted.
    let mut workload_findings = 0;
    for (chart, components) in &charts {
        let what = format!("rendered chart {}", chart.display());
        let run = lint(&["--format", "json"], &[chart]);
        let report = check_run(&run, "json", &[], &what, &mut leaks).expect("json");
        if run.code == 2 {
            let first: String = run.stderr.lines().take(3).collect::<Vec<_>>().join(" / ");
            leaks.push(format!(
                "{what}: a chart rendered from a valid spec does not lint: {first}"
            ));
            continue;
        }
        // Each component renders at least its workload; the rules see every one of them.
        let objects = report["summary"]["objects"].as_u64().unwrap_or(0);
        assert!(
            objects >= *components as u64,
            "{what}: the rules see {objects} objects for {components} components"
        );
        let findings = report["findings"].as_array().expect("findings");
        if findings.iter().any(|f| f["container"].is_string()) {
            workload_findings += 1;
        }
    }
    eprintln!(
        "charts: {workload_findings}/{} rendered charts have container-rule findings",
        charts.len()
    );
    // Not asserted: a correct renderer makes charts that no workload rule flags, so zero is a fine outcome; the
    // reach check is that every component's workload is seen by the rules (above).
    let all: Vec<&Path> = charts.iter().map(|(c, _)| c.as_path()).collect();
    for format in FORMATS {
        let run = lint(&["--format", format], &all);
        check_run(&run, format, &[], "all rendered charts", &mut leaks);
    }
    assert_no_leaks(&leaks);
}

const CHART_TEMPLATE: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels:
    app: web
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - name: http
              containerPort: {{ .Values.port }}
          {{- with .Values.env }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: {{ .Values.service.targetPort }}
"#;

fn chart_values() -> Y {
    let text = r#"
replicaCount: 2
port: 8080
image: { repository: ghcr.io/acme/web, tag: "1.2.3" }
podAnnotations: { team: web }
podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: { drop: [ALL] }
resources:
  requests: { cpu: 100m, memory: 128Mi }
  limits: { cpu: 500m, memory: 256Mi }
env:
  - { name: LOG_LEVEL, value: info }
service: { targetPort: http }
"#;
    Y::from_node(&chartgen::yaml::parse_document(text).expect("values parse"))
}

#[test]
fn small_charts_with_odd_values_go_through_the_location_mapper_in_every_format() {
    const CASES: usize = 16;
    let mut rng = Rng(0x5EED_0003);
    let mut leaks = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let base = chart_values();
    let (mut charts, mut all_secrets, mut mapped) = (Vec::new(), Vec::new(), 0);
    for case in 0..CASES {
        let chart = dir.path().join(format!("web-{case}"));
        std::fs::create_dir_all(chart.join("templates")).expect("mkdir");
        std::fs::write(
            chart.join("Chart.yaml"),
            format!("apiVersion: v2\nname: web-{case}\nversion: 0.1.0\n"),
        )
        .expect("write Chart.yaml");
        std::fs::write(chart.join("templates/web.yaml"), CHART_TEMPLATE).expect("write template");
        let mut values = base.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut values, &mut rng);
        }
        let mut secrets = Vec::new();
        if case % 2 == 0 {
            let secret = rng.secret();
            let entry = Y::Map(vec![
                ("name".into(), Y::Str("DB_PASSWORD".into())),
                ("value".into(), Y::Str(secret.clone())),
            ]);
            match values.get_mut("env") {
                Some(Y::Seq(list)) => list.push(entry),
                _ => values.set("env", Y::Seq(vec![entry])),
            }
            secrets.push(secret);
        }
        let values_path = chart.join("values.yaml");
        std::fs::write(&values_path, emit(&values, &mut rng)).expect("write values");
        let what = format!("chart case {case} ({})", chart.display());
        let run = lint(&["--format", "json"], &[&chart]);
        let report = check_run(&run, "json", &secrets, &what, &mut leaks).expect("json");
        if run.code != 2 {
            let findings = report["findings"].as_array().expect("findings");
            let shown = values_path.display().to_string();
            if findings.iter().any(|f| f["file"] == shown.as_str()) {
                mapped += 1;
            }
            if !secrets.is_empty() {
                assert!(
                    findings
                        .iter()
                        .any(|f| f["rule"] == "plaintext-secret" && f["file"] == shown.as_str()),
                    "{what}: the secret in values.yaml is found there:\n{}",
                    run.stdout
                );
            }
        }
        all_secrets.extend(secrets);
        charts.push(chart);
    }
    eprintln!("small charts: {mapped}/{CASES} have findings mapped back into values.yaml");
    assert!(
        mapped * 100 >= CASES * 40,
        "only {mapped}/{CASES} charts map findings to values.yaml"
    );
    let all: Vec<&Path> = charts.iter().map(PathBuf::as_path).collect();
    for format in FORMATS {
        let run = lint(&["--format", format], &all);
        check_run(&run, format, &all_secrets, "all small charts", &mut leaks);
    }
    assert_no_leaks(&leaks);
}

/// Keeps the harness honest: the emitter writes what the tree says, so a case that fails to parse fails for its
/// odd content (a duplicate key), not for broken emission.
#[test]
fn emitted_trees_parse_back_to_the_same_values() {
    let mut rng = Rng(0x5EED_0004);
    let pool = manifest_pool();
    for _ in 0..300 {
        let mut doc = rng.pick(&pool).clone();
        mutate(&mut doc, &mut rng);
        if refused_content(&doc) {
            continue;
        }
        let text = emit(&doc, &mut rng);
        let parsed = chartgen::yaml::parse_document(&text)
            .unwrap_or_else(|e| panic!("emitted YAML does not parse ({e}):\n{text}"));
        let again = emit(&Y::from_node(&parsed), &mut rng);
        let reparsed = chartgen::yaml::parse_document(&again)
            .unwrap_or_else(|e| panic!("re-emitted YAML does not parse ({e}):\n{again}"));
        assert_eq!(reparsed.to_json(), parsed.to_json(), "round trip:\n{text}");
    }
}

/// Content the parser refuses by design: duplicate keys and non-finite floats.
fn refused_content(y: &Y) -> bool {
    match y {
        Y::Map(entries) => {
            entries
                .iter()
                .enumerate()
                .any(|(i, (k, _))| entries[..i].iter().any(|(j, _)| j == k))
                || entries.iter().any(|(_, v)| refused_content(v))
        }
        Y::Seq(items) => items.iter().any(refused_content),
        Y::Float(f) => !f.is_finite(),
        Y::Raw(r) => matches!(*r, "1e400" | "-.inf" | ".nan"),
        _ => false,
    }
}
