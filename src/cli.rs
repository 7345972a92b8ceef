//! Command-line interface. Errors become `anyhow` here, at the binary's edge, and nowhere else.

use anyhow::{Context, Result};
use chartgen::lint::{
    self, LintError, LintOptions, config, input::HelmOptions, output::Format, rules::Profile,
};
use chartgen::render::{self, output};
use chartgen::spec;
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Typed chart specs rendered into secure-by-default Helm charts, and a Kubernetes policy linter.
#[derive(Parser)]
#[command(name = "chartgen", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a chart spec into a Helm chart under DIR/helm/<name>/.
    Render {
        /// Chart specs (default: chart-spec/todo-app.yaml).
        specs: Vec<PathBuf>,
        /// Every spec in chart-spec/ (what the pre-commit hook checks).
        #[arg(long, conflicts_with = "specs")]
        all: bool,
        /// The output folder; the chart lands in DIR/helm/<name>/.
        #[arg(long, short, value_name = "DIR", default_value = "generated")]
        out: PathBuf,
        /// Write nothing; print a unified diff and exit 1 if DIR differs from a fresh render.
        #[arg(long)]
        check: bool,
    },
    /// Lint chartgen specs, Helm charts and Kubernetes manifests (files, folders, `-` for stdin).
    #[command(
        after_help = "Exit codes: 0 no error-severity findings, 1 findings, 2 usage or input error."
    )]
    Lint(LintArgs),
    /// Turn an existing chart (rendered by Helm, as lint renders it) or manifests into a chart spec, with a report
    /// of what was carried over, what was not (file and line), and what the generated chart will do differently.
    #[command(
        after_help = "Exit codes: 0 everything carried over, 1 carried over with items in the report, 2 an error (nothing written)."
    )]
    Import(ImportArgs),
    /// List every lint rule.
    Rules,
    /// Print a lint rule's documentation.
    Rule {
        /// The rule's name, e.g. missing-liveness-probe.
        name: String,
    },
    /// Write the JSON Schemas generated from chartgen's types (chart specs, lint config).
    Schema {
        /// The output folder.
        #[arg(long, short, value_name = "DIR", default_value = "schemas")]
        out: PathBuf,
        /// Write nothing; exit 1 if the committed schemas are stale.
        #[arg(long)]
        check: bool,
    },
}

#[derive(clap::Args)]
struct LintArgs {
    /// Files, folders (searched for YAML and charts) or `-` for stdin. Default: the current folder.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Pod Security Standards profile to enforce (default: restricted, or the config file's).
    #[arg(long, value_enum)]
    profile: Option<Profile>,
    /// Kubernetes version (e.g. 1.29) that `deprecated-api-version` checks against (default: the chart's
    /// kubeVersion, else the newest known).
    #[arg(long, value_name = "MAJOR.MINOR", value_parser = parse_kube_version)]
    kube_version: Option<lint::rules::KubeVersion>,
    /// Values file for rendering charts (repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<PathBuf>,
    /// Value for rendering charts, as for helm (repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Release name for rendering charts. Default: the chart folder's name made valid for Helm (lowercased,
    /// other characters than a-z, 0-9 and `-` turned into `-`, trimmed; a name over 53 characters is cut and ends
    /// in a short hash of the folder name), or Helm's own `release-name` when nothing is left.
    #[arg(long)]
    release_name: Option<String>,
    /// Seconds one `helm template` run may take; a slower one is stopped and reported (default: the config
    /// file's `helmTimeout`, else 60).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86400))]
    helm_timeout: Option<u64>,
    /// The largest input read, in MiB: each file, stdin, each helm output (default: the config file's
    /// `maxInputSize`, else 64).
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=65536))]
    max_input_size: Option<u64>,
    /// Namespace for rendering charts.
    #[arg(long, short = 'n')]
    namespace: Option<String>,
    /// Do not run helm: static chart checks only.
    #[arg(long)]
    no_render: bool,
    /// Run only these rules (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Config file (default: the nearest .chartgen.yaml at or above the first path).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Parse the inputs and stop (for benchmarks: the parse floor).
    #[arg(long, hide = true)]
    parse_only: bool,
}

fn parse_kube_version(text: &str) -> std::result::Result<lint::rules::KubeVersion, String> {
    lint::rules::KubeVersion::parse(text).ok_or_else(|| {
        format!("`{text}` is not a Kubernetes version; write it as MAJOR.MINOR, e.g. 1.29")
    })
}

/// Runs the command; `Ok(code)` is the process exit code.
pub fn run() -> Result<u8> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // --help and --version go to stdout; usage errors to stderr.
            let _ = e.print();
            return Ok(code);
        }
    };
    match cli.command {
        Command::Render {
            specs,
            all,
            out,
            check,
        } => {
            let specs = if all {
                let mut found: Vec<PathBuf> = std::fs::read_dir("chart-spec")
                    .context("reading chart-spec/ (run from the repository root)")?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                    .collect();
                found.sort();
                found
            } else if specs.is_empty() {
                vec![PathBuf::from("chart-spec/todo-app.yaml")]
            } else {
                specs
            };
            // Two specs with one metadata.name would write the same chart folder: refuse both, write nothing.
            let mut owners: std::collections::BTreeMap<String, &Path> = Default::default();
            let mut clash = false;
            for spec in &specs {
                if let Ok(checked) = spec::load(spec)
                    && let Some(other) = owners.insert(checked.name.clone(), spec)
                {
                    eprintln!(
                        "error: {}: metadata.name: `{}` is also the name in {}; both would render into {}\n  help: give each spec its own metadata.name",
                        spec.display(),
                        checked.name,
                        other.display(),
                        output::chart_dir(&out, &checked.name).display()
                    );
                    clash = true;
                }
            }
            if clash {
                return Ok(2);
            }
            // Every spec is rendered (or checked) even after one fails; the worst outcome is the exit code.
            let mut worst = 0;
            for spec in &specs {
                worst = worst.max(render_cmd(spec, &out, check)?);
            }
            Ok(worst)
        }
        Command::Schema { out, check } => schema_cmd(&out, check),
        Command::Lint(args) => lint_cmd(args),
        Command::Import(args) => import_cmd(args),
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for rule in lint::rules::RULES {
                let m = rule.meta();
                let profile = match m.profile {
                    Some(Profile::Baseline) => " [pss: baseline]",
                    Some(Profile::Restricted) => " [pss: restricted]",
                    None => "",
                };
                writeln!(
                    out,
                    "{:<32} {:<8} {}{profile}",
                    m.name,
                    m.severity.as_str(),
                    m.summary
                )?;
            }
            Ok(0)
        }
        Command::Rule { name } => match lint::rules::find(&name) {
            Some(rule) => {
                let m = rule.meta();
                let mut out = std::io::stdout().lock();
                writeln!(
                    out,
                    "# {}

Severity: {}. {}
",
                    m.name,
                    m.severity.as_str(),
                    m.summary
                )?;
                out.write_all(m.doc_text().as_bytes())?;
                Ok(0)
            }
            None => {
                let names = lint::rules::RULES.iter().map(|r| r.meta().name);
                let hint = chartgen::diagnostic::did_you_mean(&name, names)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                eprintln!("error: no rule named `{name}`{hint} (`chartgen rules` lists them)");
                Ok(2)
            }
        },
    }
}

fn lint_cmd(args: LintArgs) -> Result<u8> {
    let mut paths = args.paths;
    let read_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    paths.retain(|p| p.as_os_str() != "-");
    if paths.is_empty() && !read_stdin {
        paths.push(PathBuf::from("."));
    }
    for p in &paths {
        if !p.exists() {
            eprintln!(
                "error: {}: no such file or folder",
                lint::output::escape_controls(&p.display().to_string())
            );
            return Ok(2);
        }
    }
    let config_path = match args.config {
        Some(p) => Some(p),
        None => config::find(paths.first().map_or(Path::new("."), PathBuf::as_path)),
    };
    let loaded = match config_path {
        Some(p) => match config::load(&p) {
            Ok(c) => Some(c),
            Err(errors) => {
                eprintln!(
                    "{}",
                    errors
                        .to_string()
                        .replace("nothing was written", "fix the config file")
                );
                return Ok(2);
            }
        },
        None => None,
    };
    let settings = loaded.as_ref().map(|c| &c.config);
    let max_input_mib = args
        .max_input_size
        .or_else(|| settings.and_then(|c| c.max_input_size))
        .map_or(lint::input::DEFAULT_MAX_INPUT_BYTES, |m| m * 1024 * 1024);
    let timeout = args
        .helm_timeout
        .or_else(|| settings.and_then(|c| c.helm_timeout))
        .map_or(
            lint::input::DEFAULT_HELM_TIMEOUT,
            std::time::Duration::from_secs,
        );
    let stdin = if read_stdin {
        match lint::input::read_stdin(max_input_mib) {
            Ok(text) => Some(text),
            Err(e) => {
                eprintln!("error: {}", lint::output::escape_controls(&e.to_string()));
                return Ok(2);
            }
        }
    } else {
        None
    };
    let opts = LintOptions {
        profile: args.profile,
        kube_version: args.kube_version,
        helm: HelmOptions {
            values: args.values,
            set: args.set,
            release_name: args.release_name,
            namespace: args.namespace,
            no_render: args.no_render,
            kube_version: args.kube_version,
            timeout,
        },
        max_input_bytes: max_input_mib,
        select: args.select,
        ignore: args.ignore,
        config: loaded,
        parse_only: args.parse_only,
    };
    let report = match lint::lint(&paths, stdin, &opts) {
        Ok(r) => r,
        Err(
            e @ (LintError::Config(_)
            | LintError::Input(_)
            | LintError::UnknownRule { .. }
            | LintError::NoInput(_)),
        ) => {
            eprintln!("error: {}", lint::output::escape_controls(&e.to_string()));
            return Ok(2);
        }
        Err(e) => return Err(e.into()),
    };
    if args.parse_only {
        println!("parsed {} files, {} objects", report.files, report.objects);
        return Ok(if report.errors.is_empty() { 0 } else { 2 });
    }
    let stdout = std::io::stdout();
    let color = args.format == Format::Human
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = std::io::BufWriter::new(stdout.lock());
    lint::output::write(&report, args.format, color, &mut out)?;
    out.flush()?;
    for e in &report.errors {
        eprintln!("error: {}", lint::output::escape_controls(&e.to_string()));
    }
    if !report.errors.is_empty() {
        return Ok(2);
    }
    Ok(u8::from(report.count(lint::finding::Severity::Error) > 0))
}

fn render_cmd(spec_path: &Path, out: &Path, check: bool) -> Result<u8> {
    let checked = match spec::load(spec_path) {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(2);
        }
    };
    let files = render::render(&checked)?;
    let target = output::chart_dir(out, &checked.name);
    if check {
        let diff = output::diff_chart(out, &checked.name, &files)?;
        let mut stdout = std::io::stdout().lock();
        if diff.is_empty() {
            writeln!(
                stdout,
                "{} is up to date with {}",
                target.display(),
                spec_path.display()
            )?;
            return Ok(0);
        }
        stdout.write_all(diff.as_bytes())?;
        eprintln!(
            "error: {} is out of date with {}; run `chartgen render {}` and commit the result",
            target.display(),
            spec_path.display(),
            spec_path.display()
        );
        return Ok(1);
    }
    let written = output::write_chart(out, &checked.name, &files).with_context(|| {
        format!(
            "rendering {} into {}",
            spec_path.display(),
            target.display()
        )
    })?;
    writeln!(
        std::io::stdout().lock(),
        "rendered {} ({} files) from {}",
        written.display(),
        files.len(),
        spec_path.display()
    )?;
    Ok(0)
}

fn schema_cmd(out: &Path, check: bool) -> Result<u8> {
    let schemas = [
        ("chart-spec.schema.json", spec::schema_json()),
        ("chartgen-config.schema.json", config::schema_json()),
    ];
    let mut stale = false;
    for (name, text) in &schemas {
        let path = out.join(name);
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if &current != text {
                eprintln!(
                    "error: {} is stale; run `chartgen schema` and commit it",
                    path.display()
                );
                stale = true;
            }
        } else {
            std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    Ok(u8::from(stale))
}

#[derive(clap::Args)]
struct ImportArgs {
    /// A chart folder, manifest files or folders, or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The spec to write (default chart-spec/<name>.yaml).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The chart name (default: the chart's own name, else the folder's or file's).
    #[arg(long)]
    name: Option<String>,
    /// Values files for rendering the chart, as `helm template -f`.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<PathBuf>,
    /// Values for rendering the chart, as `helm template --set`.
    #[arg(long, value_name = "K=V")]
    set: Vec<String>,
    /// The release name the chart is rendered under; names that carry it keep it (default: from the folder).
    #[arg(long)]
    release_name: Option<String>,
    /// The namespace the chart is rendered for.
    #[arg(long)]
    namespace: Option<String>,
    /// Overwrite an existing spec file.
    #[arg(long)]
    force: bool,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: ImportFormat,
    /// Seconds before a `helm template` run is stopped.
    #[arg(long, value_name = "SECONDS")]
    helm_timeout: Option<u64>,
    /// The most MiB read from one input.
    #[arg(long, value_name = "MIB")]
    max_input_size: Option<u64>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportFormat {
    Human,
    Json,
}

fn import_cmd(args: ImportArgs) -> Result<u8> {
    if let Some(name) = &args.release_name
        && !lint::input::is_release_name(name)
    {
        eprintln!(
            "error: `{}` is not a valid release name: lowercase letters, digits, `-` and `.`, at most 53 characters",
            lint::output::escape_line(name)
        );
        return Ok(2);
    }
    let opts = chartgen::import::ImportOptions {
        paths: args.paths,
        out: args.out,
        name: args.name,
        helm: HelmOptions {
            values: args.values,
            set: args.set,
            release_name: args.release_name,
            namespace: args.namespace,
            no_render: false,
            kube_version: None,
            timeout: args.helm_timeout.map_or(
                lint::input::DEFAULT_HELM_TIMEOUT,
                std::time::Duration::from_secs,
            ),
        },
        force: args.force,
        max_input_size: args
            .max_input_size
            .map_or(lint::input::DEFAULT_MAX_INPUT_BYTES, |m| m * 1024 * 1024),
    };
    match chartgen::import::run(&opts) {
        Ok(imported) => {
            let shown = imported.spec_path.display().to_string();
            let mut out = std::io::stdout().lock();
            match args.format {
                ImportFormat::Human => imported.report.write_human(&shown, &mut out)?,
                ImportFormat::Json => imported.report.write_json(&shown, &mut out)?,
            }
            Ok(imported.report.exit_code() as u8)
        }
        Err(e) => {
            // Helm's own messages can quote a values.yaml default: mask anything that looks like a secret.
            let message = lint::output::scrub(&e.to_string(), &[]);
            eprintln!("error: {}", lint::output::escape_controls(&message));
            Ok(2)
        }
    }
}
