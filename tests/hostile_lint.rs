//! Hostile repositories against the real `chartgen lint` binary and real Helm 3 and Helm 4: chart folders named
//! like Helm flags or with odd characters, templates that never finish, inputs that never end, links out of the
//! repository, YAML bombs, planted secrets and `.chartgen.yaml` settings without reasons. Every chart attack runs
//! on both Helm versions; a missing Helm fails the test loudly. The safe outcome is asserted: no command run, no
//! file written, the privileged pod still reported, or exit 2 with a clear error; never a hang, a panic or a
//! secret in any output.

mod common;

use common::*;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Both Helm versions, each attack is run on.
fn helms() -> [(&'static str, PathBuf); 2] {
    [("helm3", tool("helm3")), ("helm4", tool("helm4"))]
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// The findings of a JSON run as (rule, file, object name).
    fn findings(&self) -> Vec<(String, String, String)> {
        self.json()["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_string(),
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["object"]["name"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// The names of the objects `privileged-container` reported.
    fn privileged(&self) -> Vec<String> {
        self.findings()
            .into_iter()
            .filter(|(rule, _, _)| rule == "privileged-container")
            .map(|(_, _, name)| name)
            .collect()
    }
}

/// A hang is a bug, not a slow run: a run still going after this long is killed and fails the test.
const WATCHDOG: Duration = Duration::from_secs(180);

/// `chartgen lint ARGS` in `cwd` with `HELM=helm`.
fn lint_in(cwd: &Path, helm: &Path, args: &[&str]) -> Out {
    let mut stdout = tempfile::tempfile().expect("tempfile");
    let mut stderr = tempfile::tempfile().expect("tempfile");
    let mut child = chartgen()
        .current_dir(cwd)
        .env("HELM", helm)
        .arg("lint")
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout.try_clone().expect("clone"))
        .stderr(stderr.try_clone().expect("clone"))
        .spawn()
        .expect("spawn chartgen");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chartgen lint {args:?} in {} hung", cwd.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |f: &mut std::fs::File| {
        let mut s = String::new();
        f.rewind().expect("rewind");
        f.read_to_string(&mut s).expect("utf-8 output");
        s
    };
    let out = Out {
        code: status.code(),
        stdout: read(&mut stdout),
        stderr: read(&mut stderr),
    };
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("overflow"),
        "{args:?}: {}",
        out.stderr
    );
    out
}

/// A pod named after the release, privileged: every render must report it.
const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}
spec:
  containers:
    - name: app
      image: nginx:1.25
      securityContext:
        privileged: true
";

/// A chart at `dir` holding the privileged pod and `extra` templates.
fn write_chart(dir: &Path, extra: &[(&str, &str)]) {
    std::fs::create_dir_all(dir.join("templates")).expect("mkdir");
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: evil\nversion: 0.1.0\n",
    )
    .expect("write Chart.yaml");
    std::fs::write(dir.join("templates/pod.yaml"), PRIVILEGED_POD).expect("write pod");
    for (name, text) in extra {
        std::fs::write(dir.join("templates").join(name), text).expect("write template");
    }
}

/// What Helm accepts as a release name: a DNS-1123 subdomain of at most 53 characters.
fn is_valid_release(name: &str) -> bool {
    let bytes = name.as_bytes();
    !name.is_empty()
        && name.len() <= 53
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_chart_folder_named_post_renderer_never_runs_a_shell() {
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        let marker = dir.path().join("PWNED");
        let marker_dir = dir.path().join("PWNED_DIR");
        // Valid YAML whose rendered lines are also shell commands, should the render be piped into `sh`.
        let script = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: script\ndata:\n  run: |\n    touch {}\n    mkdir {}\n",
            marker.display(),
            marker_dir.display()
        );
        write_chart(
            &dir.path().join("--post-renderer=sh"),
            &[("script.yaml", &script)],
        );
        let out = lint_in(dir.path(), &helm, &["--format", "json", "."]);
        assert!(
            !marker.exists() && !marker_dir.exists(),
            "{helm_name}: the rendered chart ran as a shell script"
        );
        assert_eq!(out.code, Some(1), "{helm_name}: {}", out.stderr);
        let findings = out.findings();
        assert!(
            findings
                .iter()
                .any(|(rule, file, _)| rule == "privileged-container"
                    && file.ends_with("--post-renderer=sh/templates/pod.yaml")),
            "{helm_name}: the privileged pod is reported: {findings:?}"
        );
        assert_eq!(
            out.privileged(),
            ["post-renderer-sh"],
            "{helm_name}: release name"
        );
    }
}

#[test]
fn a_chart_folder_named_output_dir_writes_nothing_and_is_still_linted() {
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chart = dir.path().join("--output-dir=x");
        write_chart(&chart, &[]);
        let before = snapshot_tree(dir.path());
        let out = lint_in(dir.path(), &helm, &["--format", "json", "."]);
        assert_eq!(
            entries(dir.path()),
            ["--output-dir=x"],
            "{helm_name}: no `x` beside the chart"
        );
        assert_eq!(
            snapshot_tree(dir.path()),
            before,
            "{helm_name}: nothing written"
        );
        assert_eq!(out.code, Some(1), "{helm_name}: {}", out.stderr);
        assert!(
            out.json()["summary"]["objects"].as_u64() >= Some(1),
            "{helm_name}: {}",
            out.stdout
        );
        assert_eq!(out.privileged(), ["output-dir-x"], "{helm_name}");
    }
}

#[test]
fn odd_folder_names_lint_under_valid_release_names() {
    let sixty = "A-Very_Long.Chart.Folder-Name-That-Goes-Past-Helms-Limit-60c";
    assert_eq!(sixty.len(), 60);
    let cases: [(&str, Option<&str>); 8] = [
        ("My_App", Some("my-app")),
        (sixty, None),
        ("with space", Some("with-space")),
        ("new\nline", Some("new-line")),
        ("ünïcödé-app", None),
        ("日本語", Some("release-name")),
        ("-", Some("release-name")),
        (".hidden", Some("hidden")),
    ];
    for (helm_name, helm) in helms() {
        for (folder, expected) in cases {
            let dir = tempfile::tempdir().expect("tempdir");
            write_chart(&dir.path().join(folder), &[]);
            // `./` so that `-` is the folder, not stdin.
            let arg = format!("./{folder}");
            let out = lint_in(dir.path(), &helm, &["--format", "json", &arg]);
            assert_eq!(out.code, Some(1), "{helm_name} {folder:?}: {}", out.stderr);
            let names = out.privileged();
            assert_eq!(names.len(), 1, "{helm_name} {folder:?}: {}", out.stdout);
            let name = &names[0];
            assert!(
                is_valid_release(name),
                "{helm_name} {folder:?}: `{name}` is no release name"
            );
            if let Some(expected) = expected {
                assert_eq!(name, expected, "{helm_name} {folder:?}");
            }
            // A newline in a folder name cannot start a line of its own in the human output.
            let human = lint_in(dir.path(), &helm, &[&arg]);
            assert!(
                human.stdout.lines().all(|l| !l.starts_with("line/")),
                "{helm_name} {folder:?}: {}",
                human.stdout
            );
        }
    }
}

#[test]
fn long_folder_names_sharing_53_characters_get_different_release_names() {
    let shared = "x".repeat(53);
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_chart(&dir.path().join(format!("{shared}-one")), &[]);
        write_chart(&dir.path().join(format!("{shared}-two")), &[]);
        let out = lint_in(dir.path(), &helm, &["--format", "json", "."]);
        assert_eq!(out.code, Some(1), "{helm_name}: {}", out.stderr);
        let mut names = out.privileged();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 2, "{helm_name}: the names collide: {names:?}");
        assert!(
            names.iter().all(|n| is_valid_release(n)),
            "{helm_name}: {names:?}"
        );
    }
}

#[test]
fn a_template_that_never_finishes_is_stopped_at_the_helm_timeout() {
    let forever = "{{- range $i := until 1000000 }}{{- range $j := until 1000000 }}{{- range $k := until 1000000 }}{{- end }}{{- end }}{{- end }}\n";
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_chart(&dir.path().join("loop"), &[("forever.yaml", forever)]);
        let out = lint_in(
            dir.path(),
            &helm,
            &["--format", "json", "--helm-timeout", "2", "loop"],
        );
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("loop: `helm template` ran longer than 2 s")
                && out.stderr.contains("--helm-timeout"),
            "{helm_name}: {}",
            out.stderr
        );
        // The same limit from .chartgen.yaml.
        std::fs::write(dir.path().join(".chartgen.yaml"), "helmTimeout: 1\n").expect("write");
        let out = lint_in(dir.path(), &helm, &["--format", "json", "loop"]);
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("loop: `helm template` ran longer than 1 s"),
            "{helm_name}: {}",
            out.stderr
        );
    }
}

#[test]
fn dev_zero_and_fifos_are_refused_without_being_read() {
    let helm = tool("helm4");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = lint_in(dir.path(), &helm, &["/dev/zero"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("/dev/zero: is a device, not a regular file"),
        "{}",
        out.stderr
    );
    let fifo = dir.path().join("pipe.yaml");
    let made = run(std::process::Command::new("mkfifo").arg(&fifo));
    assert!(made.status.success(), "mkfifo: {}", text(&made.stderr));
    // Nobody writes to the FIFO: reading it would block until the watchdog.
    let out = lint_in(dir.path(), &helm, &["pipe.yaml"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("pipe.yaml: is a FIFO (named pipe), not a regular file"),
        "{}",
        out.stderr
    );
    // Inside a chart, Helm itself would block on it: the chart is refused before Helm runs.
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_chart(&dir.path().join("piped"), &[]);
        let made =
            run(std::process::Command::new("mkfifo")
                .arg(dir.path().join("piped/templates/pipe.yaml")));
        assert!(made.status.success(), "mkfifo: {}", text(&made.stderr));
        let out = lint_in(dir.path(), &helm, &["piped"]);
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("piped: not rendered: piped/templates/pipe.yaml is a FIFO"),
            "{helm_name}: {}",
            out.stderr
        );
    }
}

/// `n` small ConfigMaps: valid YAML of about 100 bytes each.
fn config_maps(n: usize) -> String {
    (0..n)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: c{i}, namespace: demo }}\ndata: {{ k: v }}\n"))
        .collect()
}

#[test]
fn inputs_over_max_input_size_are_refused() {
    let helm = tool("helm4");
    let dir = tempfile::tempdir().expect("tempdir");
    let big = config_maps(15_000);
    assert!(big.len() > 1024 * 1024 && big.len() < 2 * 1024 * 1024);
    std::fs::write(dir.path().join("big.yaml"), &big).expect("write");
    let out = lint_in(dir.path(), &helm, &["--max-input-size", "1", "big.yaml"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("big.yaml: larger than 1048576 bytes")
            && out.stderr.contains("--max-input-size"),
        "{}",
        out.stderr
    );
    let out = lint_in(dir.path(), &helm, &["--max-input-size", "2", "big.yaml"]);
    assert_eq!(out.code, Some(0), "under the limit: {}", out.stderr);
    // The same limit from .chartgen.yaml.
    std::fs::write(dir.path().join(".chartgen.yaml"), "maxInputSize: 1\n").expect("write");
    let out = lint_in(dir.path(), &helm, &["big.yaml"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("larger than 1048576 bytes"),
        "{}",
        out.stderr
    );
    // Helm's output counts too: a small chart that renders 1.7 MB.
    let many = "{{- range $i := until 3000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{{ $i }}\ndata:\n  pad: {{ repeat 500 \"x\" | quote }}\n{{- end }}\n";
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_chart(&dir.path().join("wide"), &[("many.yaml", many)]);
        let out = lint_in(dir.path(), &helm, &["--max-input-size", "1", "wide"]);
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        assert!(
            out.stderr.contains(
                "wide (`helm template` output with default values): larger than 1048576 bytes"
            ),
            "{helm_name}: {}",
            out.stderr
        );
    }
}

/// Links out of the repository are refused (exit 2, the link named), never followed: one could point at
/// /proc/self/environ or a CI key. A link inside the repository is skipped by a folder walk (its target is
/// linted where it lies) and followed when named; a link to a folder is never walked into.
#[test]
fn symlinks_out_of_the_repository_are_refused() {
    let token = "ghp_Ou7side9Repo1Token3Abc5Def7Ghi9Jkl1Mn";
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (repo, outside) = (dir.path().join("repo"), dir.path().join("outside"));
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(
            outside.join("env.yaml"),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: leak }}\ndata: {{ GITHUB_TOKEN: {token} }}\n"),
        )
        .expect("write");
        write_chart(&repo.join("chart"), &[]);
        std::fs::write(
            repo.join("plain.yaml"),
            PRIVILEGED_POD.replace("{{ .Release.Name }}", "plain"),
        )
        .expect("write");
        let link = |target: &Path, at: &str| {
            std::os::unix::fs::symlink(target, repo.join(at)).expect("symlink");
        };
        link(&outside.join("env.yaml"), "direct.yaml");
        link(Path::new("/dev/zero"), "zero.yaml");
        link(&outside, "linked-dir");
        link(&outside.join("env.yaml"), "chart/templates/env.yaml");
        link(Path::new("plain.yaml"), "inside.yaml");
        let out = lint_in(&repo, &helm, &["--format", "json", "."]);
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        for name in ["direct.yaml", "zero.yaml", "chart/templates/env.yaml"] {
            assert!(
                out.stderr
                    .lines()
                    .any(|l| l.contains(&format!("{name}: a symbolic link to"))
                        && l.contains("outside the repository")),
                "{helm_name}: `{name}` is not refused: {}",
                out.stderr
            );
        }
        assert!(
            !out.stderr.contains("inside.yaml") && !out.stderr.contains("linked-dir"),
            "{helm_name}: a link inside the repository, or to a folder (never walked into), is no error: {}",
            out.stderr
        );
        // The plain manifest is still linted, once (not again through the inside link).
        assert_eq!(out.privileged(), ["plain"], "{helm_name}: {}", out.stdout);
        assert_no_piece_of(token, &out.all(), helm_name);
        // Named on the command line: the same refusal, and an inside link is followed.
        let out = lint_in(
            &repo,
            &helm,
            &["--format", "json", "direct.yaml", "inside.yaml"],
        );
        assert_eq!(out.code, Some(2), "{helm_name}: {}", out.stderr);
        assert!(
            out.stderr.contains("direct.yaml: a symbolic link to"),
            "{}",
            out.stderr
        );
        assert_eq!(out.privileged(), ["plain"], "{helm_name}: {}", out.stdout);
        assert_no_piece_of(token, &out.all(), helm_name);
    }
}

/// Nine levels of nine aliases: a billion `lol`s from a few hundred bytes.
fn billion_laughs() -> String {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: lol }\ndata: { a: b }\nx:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let p = format!("*l{}", i - 1);
        text.push_str(&format!("  l{i}: &l{i} [{}]\n", [p.as_str(); 9].join(", ")));
    }
    text
}

/// 120 sections merging one `&defaults` block, as values files do.
fn honest_aliases() -> String {
    let mut text = String::from(
        "defaults: &defaults\n  image: nginx:1.25\n  pullPolicy: IfNotPresent\n  replicas: 2\n  resources: { requests: { cpu: 100m, memory: 64Mi } }\nservices:\n",
    );
    for i in 0..120 {
        text.push_str(&format!("  svc{i}:\n    <<: *defaults\n    name: svc{i}\n"));
    }
    text
}

#[test]
fn alias_bombs_are_refused_but_many_honest_aliases_pass() {
    let helm = tool("helm4");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bomb.yaml"), billion_laughs()).expect("write");
    let out = lint_in(dir.path(), &helm, &["bomb.yaml"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("bomb.yaml:") && out.stderr.contains("a YAML alias bomb?"),
        "{}",
        out.stderr
    );
    // 120 aliases in a plain file, and in a chart's values.yaml read by chartgen and by Helm.
    let mut manifest = honest_aliases();
    manifest.insert_str(0, "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: aliases, namespace: demo }\ndata: { a: b }\n");
    std::fs::write(dir.path().join("aliases.yaml"), manifest).expect("write");
    let out = lint_in(dir.path(), &helm, &["--format", "json", "aliases.yaml"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let per_service = "{{- range $name, $svc := .Values.services }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ $svc.name }}\ndata:\n  image: {{ $svc.image | quote }}\n{{- end }}\n";
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chart = dir.path().join("merged");
        write_chart(&chart, &[("services.yaml", per_service)]);
        std::fs::write(chart.join("values.yaml"), honest_aliases()).expect("write");
        let out = lint_in(dir.path(), &helm, &["--format", "json", "merged"]);
        assert_eq!(out.code, Some(1), "{helm_name}: {}", out.stderr);
        assert!(out.stderr.is_empty(), "{helm_name}: {}", out.stderr);
        assert_eq!(
            out.json()["summary"]["objects"],
            121,
            "{helm_name}: the pod and 120 ConfigMaps"
        );
    }
}

#[test]
fn deep_nesting_is_refused_with_a_clear_error() {
    let helm = tool("helm4");
    let dir = tempfile::tempdir().expect("tempdir");
    let flow = format!("a: {}1{}\n", "[".repeat(50_000), "]".repeat(50_000));
    let block: String = (0..5_000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    for (name, text) in [("flow.yaml", flow), ("block.yaml", block)] {
        std::fs::write(dir.path().join(name), text).expect("write");
        let out = lint_in(dir.path(), &helm, &[name]);
        assert_eq!(out.code, Some(2), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{name}:"))
                && out
                    .stderr
                    .contains("input rejected: it nests deeper than 200 levels"),
            "{name}: {}",
            out.stderr
        );
    }
}

/// Neither the secret nor any 8-character piece of it is in `output`.
fn assert_no_piece_of(secret: &str, output: &str, what: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(8) {
        let piece: String = window.iter().collect();
        assert!(
            !output.contains(&piece),
            "{what}: `{piece}` of a planted secret is printed:\n{output}"
        );
    }
}

const OPENAI: &str = "sk-proj-Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8";
const ANTHROPIC: &str = "sk-ant-api03-Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx1Cv3Bn5";
const FOLDED: &str = "ghp_Zx9Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4V";
const IN_KEY: &str = "ghp_Kd8Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2";
const VALUES_PASSWORD: &str = "Tr0ub4dor-horse-battery-staple";
const IN_HELM_ERROR: &str = "sk-ant-api03-Hq2Wm4Xn6Yb8Zc0Vd2Ue4Tf6Sg8Rh0Pj";

#[test]
fn planted_secrets_are_never_printed_in_any_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("leak.yaml"),
        format!(
            r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: app-env
  namespace: demo
data:
  app.env: |
    LOG_LEVEL=info
    OPENAI_API_KEY={OPENAI}
  folded: "{}\
    {}"
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: demo
spec:
  containers:
    - name: app
      image: nginx:1.25
      env: [{{ name: EXTRA, value: "ANTHROPIC_API_KEY={ANTHROPIC}" }}]
"#,
            &FOLDED[..23],
            &FOLDED[23..]
        ),
    )
    .expect("write");
    // A YAML error about a key that is a token.
    std::fs::write(
        dir.path().join("broken.yaml"),
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: x }}\ndata:\n  {IN_KEY}: a\n  {IN_KEY}: b\n"),
    )
    .expect("write");
    // Helm's own error messages quoting a values.yaml default and a token.
    let chart = dir.path().join("failing");
    write_chart(
        &chart,
        &[(
            "fail.yaml",
            &format!(
                "{{{{ fail (printf \"bad %s, ANTHROPIC_API_KEY={IN_HELM_ERROR}\" .Values.password) }}}}\n"
            ),
        )],
    );
    std::fs::write(
        chart.join("values.yaml"),
        format!("password: {VALUES_PASSWORD}\n"),
    )
    .expect("write");
    let secrets = [
        OPENAI,
        ANTHROPIC,
        FOLDED,
        IN_KEY,
        VALUES_PASSWORD,
        IN_HELM_ERROR,
    ];
    for (helm_name, helm) in helms() {
        for format in ["human", "json", "sarif", "github"] {
            let what = format!("{helm_name} --format {format}");
            let out = lint_in(
                dir.path(),
                &helm,
                &["--format", format, "leak.yaml", "broken.yaml", "failing"],
            );
            assert_eq!(out.code, Some(2), "{what}: {}", out.stderr);
            let all = out.all();
            for secret in secrets {
                assert_no_piece_of(secret, &all, &what);
            }
            // The errors are there, masked: the broken file and Helm's failure are reported.
            assert!(
                out.stderr
                    .contains("broken.yaml:6:3: duplicate key `********`"),
                "{what}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains("failing: `helm template` failed")
                    && out.stderr.contains("ANTHROPIC_API_KEY=********"),
                "{what}: {}",
                out.stderr
            );
            let reported = |needle: &str| all.contains(needle);
            assert!(
                reported("OPENAI_API_KEY") && reported("values.yaml default `password`"),
                "{what}: the findings are reported: {all}"
            );
            if format == "human" {
                // Only the value is masked: the key names stay readable in the snippets.
                for shown in [
                    "    OPENAI_API_KEY=********",
                    "  folded: ********",
                    "value: \"ANTHROPIC_API_KEY=********\" }]",
                    "password: ********",
                ] {
                    assert!(
                        out.stdout.contains(shown),
                        "{what}: no `{shown}`: {}",
                        out.stdout
                    );
                }
            }
        }
    }
}

#[test]
fn config_settings_without_a_reason_are_refused() {
    let helm = tool("helm4");
    let cases = [
        (
            "rules:\n  runs-as-root:\n    level: \"off\"\n",
            ".chartgen.yaml:2:3: rules.runs-as-root:",
        ),
        (
            "rules:\n  runs-as-root:\n    level: \"off\"\n    reason: \" \"\n",
            ".chartgen.yaml:4:13: rules.runs-as-root.reason:",
        ),
        (
            "rules:\n  runs-as-root:\n    level: info\n",
            ".chartgen.yaml:2:3: rules.runs-as-root:",
        ),
        (
            "ignore:\n  - paths: [\"**\"]\n    reason: \"\\t \"\n",
            ".chartgen.yaml:3:13: ignore.0.reason:",
        ),
    ];
    for (config, expected) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".chartgen.yaml"), config).expect("write");
        std::fs::write(
            dir.path().join("pod.yaml"),
            PRIVILEGED_POD.replace("{{ .Release.Name }}", "pod"),
        )
        .expect("write");
        let out = lint_in(dir.path(), &helm, &["--format", "json", "pod.yaml"]);
        assert_eq!(out.code, Some(2), "{config}: {}", out.stderr);
        assert!(
            out.stderr.contains(expected) && out.stderr.contains("reason"),
            "{config}: {}",
            out.stderr
        );
        assert!(
            out.stdout.is_empty(),
            "{config}: nothing linted: {}",
            out.stdout
        );
        // With a reason the same setting is accepted, and applied.
        let explained = config
            .replace("reason: \" \"", "reason: checked")
            .replace("reason: \"\\t \"", "reason: checked");
        let explained = if explained.contains("reason") {
            explained
        } else {
            format!("{explained}    reason: runs as root by design\n")
        };
        std::fs::write(dir.path().join(".chartgen.yaml"), &explained).expect("write");
        let out = lint_in(dir.path(), &helm, &["--format", "json", "pod.yaml"]);
        assert_ne!(out.code, Some(2), "{explained}: {}", out.stderr);
        assert!(
            out.findings()
                .iter()
                .all(|(rule, _, _)| rule != "runs-as-root" || explained.contains("level: info")),
            "{explained}: {}",
            out.stdout
        );
    }
}

/// CI runners read any stdout or stderr line starting with `::` as a workflow command. Text from the repository
/// (Helm's error quoting a template's `fail`, a folder name, an object name) must never issue one.
#[test]
fn repository_text_never_issues_ci_workflow_commands() {
    let forged = "{{ fail \"bad input\\n::error file=README.md,line=1::all clear\\n  ::add-mask::everything\" }}\n";
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"web\\n::error::forged\"\n  namespace: demo\nspec:\n  containers:\n    - name: app\n      image: nginx\n";
    for (helm_name, helm) in helms() {
        let dir = tempfile::tempdir().expect("tempdir");
        write_chart(&dir.path().join("failing"), &[("fail.yaml", forged)]);
        write_chart(&dir.path().join("x\n::warning::forged"), &[]);
        std::fs::write(dir.path().join("pod.yaml"), pod).expect("write");
        for format in ["human", "json", "sarif"] {
            let out = lint_in(dir.path(), &helm, &["--format", format, "."]);
            assert_eq!(out.code, Some(2), "{helm_name} {format}: {}", out.stderr);
            assert!(
                out.stderr.contains("failing: `helm template` failed"),
                "{helm_name} {format}: {}",
                out.stderr
            );
            for line in out.all().lines() {
                assert!(
                    !line.trim_start().starts_with("::"),
                    "{helm_name} {format}: a workflow command from the repository: {line}\n{}",
                    out.all()
                );
            }
        }
    }
}

/// Short values with a multi-byte character at every byte position (`a€b`, `€ab`, `ab→`, a line separator):
/// every classifier that looks at a value's first bytes must cut at character boundaries, never panic.
#[test]
fn multi_byte_characters_at_every_position_of_short_values_never_crash() {
    let wide = ['€', '→', '\u{2028}', '\u{85}', 'é', '日', '🔑'];
    let mut values = Vec::new();
    for w in wide {
        for len in 1..=8 {
            for at in 0..len {
                let v: String = (0..len).map(|i| if i == at { w } else { 'a' }).collect();
                values.push(v);
            }
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut manifest = String::new();
    for (i, chunk) in values.chunks(40).enumerate() {
        manifest.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{ name: cm-{i} }}\ndata:\n"
        ));
        for (j, v) in chunk.iter().enumerate() {
            let quoted = serde_json::to_string(v).expect("json");
            for key in ["ALGORITHM", "DB_PASSWORD", "LOG_LEVEL", "token"] {
                manifest.push_str(&format!("  {key}_{j}: {quoted}\n"));
            }
        }
    }
    std::fs::write(dir.path().join("values.yaml"), &manifest).expect("write");
    let (_, helm) = &helms()[0];
    for format in ["human", "json", "sarif", "github"] {
        let out = lint_in(dir.path(), helm, &["--format", format, "values.yaml"]);
        assert!(
            matches!(out.code, Some(0 | 1)),
            "{format}: {:?} {}",
            out.code,
            out.stderr
        );
    }
    // The same values in a spec's config, through render's validation.
    let mut config = String::new();
    for (j, v) in values.iter().enumerate() {
        config.push_str(&format!(
            "  ALGORITHM_{j}: {}\n",
            serde_json::to_string(v).expect("json")
        ));
    }
    let spec = format!(
        "apiVersion: chartgen.dev/v1\nkind: ChartSpec\nmetadata: {{ name: demo, description: d, appVersion: \"1.0.0\" }}\nconfig:\n{config}components:\n  api:\n    image: {{ repository: ghcr.io/acme/api }}\n    port: 8080\n    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 200m, memory: 256Mi }}\n"
    );
    std::fs::write(dir.path().join("spec.yaml"), spec).expect("write");
    let rendered =
        run(chartgen()
            .current_dir(dir.path())
            .args(["render", "spec.yaml", "--out", "out"]));
    assert!(
        matches!(rendered.status.code(), Some(0 | 2)),
        "{}",
        text(&rendered.stderr)
    );
    assert!(
        !text(&rendered.stderr).contains("panicked"),
        "{}",
        text(&rendered.stderr)
    );
}
