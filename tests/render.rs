//! Rendering: snapshots of every generated file, byte determinism, `--check`, and atomic writes.

mod common;

use common::*;

#[test]
fn every_rendered_file_matches_its_snapshot() {
    for spec_path in spec_files() {
        let rel = spec_path.strip_prefix(root()).expect("under root");
        let spec = chartgen::spec::load(rel).unwrap_or_else(|e| panic!("{e}"));
        let files = chartgen::render::render(&spec, rel).unwrap_or_else(|e| panic!("{e}"));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(format!("../snapshots/charts/{}", spec.name));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&spec_path);
        settings.bind(|| {
            for (path, content) in &files {
                let name = path.replace('/', "__");
                insta::assert_snapshot!(name, content);
            }
        });
    }
}

#[test]
fn rendering_is_byte_deterministic() {
    for spec_path in spec_files() {
        let spec = chartgen::spec::load(&spec_path).unwrap_or_else(|e| panic!("{e}"));
        let first = chartgen::render::render(&spec, &spec_path).expect("render");
        let again = chartgen::spec::load(&spec_path).expect("load");
        let second = chartgen::render::render(&again, &spec_path).expect("render");
        assert_eq!(first, second, "{}", spec_path.display());
    }
}

#[test]
fn committed_charts_are_up_to_date() {
    for spec_path in spec_files() {
        let output = run(chartgen().arg("render").arg(&spec_path).arg("--check"));
        assert_eq!(
            output.status.code(),
            Some(0),
            "generated/ is stale for {}; run `cargo run -- render {}`:\n{}",
            spec_path.display(),
            spec_path.display(),
            text(&output.stdout)
        );
    }
}

#[test]
fn check_prints_a_unified_diff_and_exits_1_on_drift() {
    let out = tempfile::tempdir().expect("tempdir");
    let write = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    let chart = out.path().join("helm/todo-app");
    let values = chart.join("values.yaml");
    let edited = std::fs::read_to_string(&values)
        .expect("read")
        .replace("replicaCount: 2", "replicaCount: 7");
    std::fs::write(&values, edited).expect("write");
    std::fs::write(chart.join("templates/stray.yaml"), "kind: Stray\n").expect("write");
    std::fs::remove_file(chart.join(".helmignore")).expect("rm");

    let check = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
        .arg(out.path()));
    assert_eq!(check.status.code(), Some(1));
    let diff = text(&check.stdout);
    assert!(
        diff.contains("-  replicaCount: 7\n+  replicaCount: 2"),
        "{diff}"
    );
    assert!(
        diff.contains("templates/stray.yaml\n+++ /dev/null"),
        "{diff}"
    );
    assert!(
        diff.contains("--- /dev/null") && diff.contains(".helmignore"),
        "{diff}"
    );
    assert!(
        text(&check.stderr).contains("out of date"),
        "{}",
        text(&check.stderr)
    );

    // --check wrote nothing; a real render repairs all three drifts.
    assert!(chart.join("templates/stray.yaml").exists());
    let fix = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(fix.status.code(), Some(0));
    let clean = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
        .arg(out.path()));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    assert!(
        !chart.join("templates/stray.yaml").exists(),
        "files no longer rendered are removed"
    );
}

#[test]
fn render_touches_nothing_outside_its_chart_folder() {
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(out.path().join("helm/other")).expect("mkdir");
    std::fs::write(out.path().join("helm/other/Chart.yaml"), "name: other\n").expect("write");
    std::fs::write(out.path().join("notes.txt"), "mine\n").expect("write");
    let output = run(chartgen()
        .args(["render", "chart-spec/todo-app.yaml", "--out"])
        .arg(out.path()));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(out.path().join("helm/other/Chart.yaml")).expect("read"),
        "name: other\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).expect("read"),
        "mine\n"
    );
    let entries: Vec<_> = std::fs::read_dir(out.path().join("helm"))
        .expect("ls")
        .map(|e| e.expect("e").file_name())
        .collect();
    assert_eq!(entries.len(), 2, "no temporary folders left: {entries:?}");
}

#[test]
fn committed_schema_is_current() {
    let output = run(chartgen().args(["schema", "--check"]));
    assert_eq!(
        output.status.code(),
        Some(0),
        "schemas/ is stale; run `cargo run -- schema`: {}",
        text(&output.stderr)
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/chart-spec.schema.json")).expect("read"),
    )
    .expect("json");
    // Field doc comments become descriptions, so editors can show them.
    let port = &schema["$defs"]["Component"]["properties"]["port"]["description"];
    assert!(
        port.as_str().is_some_and(|d| d.contains("1-65535")),
        "{port}"
    );
    assert_eq!(schema["additionalProperties"], serde_json::json!(false));
}

#[test]
fn every_spec_starts_with_the_schema_modeline() {
    for spec_path in spec_files() {
        let text = std::fs::read_to_string(&spec_path).expect("read");
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/chart-spec.schema.json\n"),
            "{}",
            spec_path.display()
        );
    }
}

#[test]
fn no_secret_value_in_any_generated_file() {
    for chart in charts() {
        for (path, bytes) in snapshot_tree(&chart) {
            let content = text(&bytes);
            for line in content.lines() {
                // A secret key may only ever have an empty default.
                if let Some((key, value)) = line.trim().split_once(':') {
                    let value = value.trim().trim_matches('"');
                    if key
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                        && chartgen::secrets::classify(key, value).is_some()
                    {
                        panic!("{}: `{line}` looks like a secret value", path.display());
                    }
                }
            }
        }
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    let out = tempfile::tempdir().expect("tempdir");
    // An empty output folder: --check prints a diff of the whole chart into a pipe nobody reads.
    assert_quiet_on_closed_stdout(
        chartgen()
            .args(["render", "chart-spec/todo-app.yaml", "--check", "--out"])
            .arg(out.path()),
    );
}
