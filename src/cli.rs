//! Command-line interface. Errors become `anyhow` here, at the binary's edge, and nowhere else.

use anyhow::{Context, Result};
use chartgen::render::{self, RenderError, output};
use chartgen::spec;
use clap::{Parser, Subcommand};
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
        /// The chart spec.
        #[arg(default_value = "chart-spec/todo-app.yaml")]
        spec: PathBuf,
        /// The output folder; the chart lands in DIR/helm/<name>/.
        #[arg(long, short, value_name = "DIR", default_value = "generated")]
        out: PathBuf,
        /// Write nothing; print a unified diff and exit 1 if DIR differs from a fresh render.
        #[arg(long)]
        check: bool,
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
        Command::Render { spec, out, check } => render_cmd(&spec, &out, check),
        Command::Schema { out, check } => schema_cmd(&out, check),
    }
}

fn render_cmd(spec_path: &Path, out: &Path, check: bool) -> Result<u8> {
    let checked = match spec::load(spec_path) {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(2);
        }
    };
    let files = match render::render(&checked, spec_path) {
        Ok(files) => files,
        Err(RenderError::Spec(errors)) => {
            eprintln!("{errors}");
            return Ok(2);
        }
        Err(e) => return Err(e.into()),
    };
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
    let schemas = [("chart-spec.schema.json", spec::schema_json())];
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
