//! The `chartgen` binary: argument parsing, exit codes and error printing. The work happens in the library.
//!
//! Exit codes: 0 clean, 1 findings or drift, 2 a usage or input error. A closed stdout (`chartgen … | head`)
//! ends the program quietly with 0, as ripgrep does.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", render_error(&err));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The whole chain, so the user sees the file and the reason, not just the outermost context.
fn render_error(err: &anyhow::Error) -> String {
    let mut text = format!("{err}");
    for cause in err.chain().skip(1) {
        text.push_str(&format!("\n  caused by: {cause}"));
    }
    if text.starts_with("error") {
        text
    } else {
        format!("error: {text}")
    }
}
