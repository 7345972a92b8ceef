//! Printing a report: human (default), json, sarif 2.1.0 and GitHub workflow commands. Secret values are masked
//! in every format, snippets included.

use super::Report;
use super::finding::{Finding, Severity};
use super::rules::RULES;
use crate::diagnostic::Diagnostic;
use crate::secrets::MASK;
use crate::yaml::Pos;
use serde_json::json;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

pub fn write(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human(report, color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json_report(report))?;
            writeln!(out)
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(report))?;
            writeln!(out)
        }
        Format::Github => github(report, out),
    }
}

/// The widest snippet printed, in characters: a one-line JSON file is shown around the finding, not whole.
pub const SNIPPET_WIDTH: usize = 120;
/// How far left of the caret a cut snippet starts.
const SNIPPET_LEAD: usize = 40;

/// Line starts of every source, computed once per file on first use, so each snippet costs its own line's
/// length, never a scan from the top of the file.
struct Lines<'r> {
    texts: HashMap<&'r str, &'r str>,
    index: HashMap<&'r str, LineIndex>,
}

struct LineIndex {
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    /// Whether each line is ASCII (char columns are then byte offsets).
    ascii: Vec<bool>,
}

impl<'r> Lines<'r> {
    fn new(report: &'r Report) -> Self {
        let mut texts = HashMap::new();
        for s in &report.sources {
            texts.entry(s.path.as_str()).or_insert(&*s.text);
        }
        Lines {
            texts,
            index: HashMap::new(),
        }
    }

    /// The 1-based line of a file, without its line break.
    fn line(&mut self, file: &str, line: u32) -> Option<(&'r str, bool)> {
        let (&path, &text) = self.texts.get_key_value(file)?;
        let index = self.index.entry(path).or_insert_with(|| {
            let mut starts = vec![0];
            let mut ascii = Vec::new();
            let mut all_ascii = true;
            for (i, b) in text.bytes().enumerate() {
                all_ascii &= b.is_ascii();
                if b == b'\n' {
                    starts.push(i + 1);
                    ascii.push(all_ascii);
                    all_ascii = true;
                }
            }
            ascii.push(all_ascii);
            LineIndex { starts, ascii }
        });
        let i = (line as usize).checked_sub(1)?;
        let start = *index.starts.get(i)?;
        let end = index.starts.get(i + 1).map_or(text.len(), |e| e - 1);
        let line_text = text.get(start..end)?;
        Some((
            line_text.strip_suffix('\r').unwrap_or(line_text),
            index.ascii[i],
        ))
    }
}

/// Byte offset of a 0-based char index (`ascii` lines index directly).
fn byte_at(line: &str, ascii: bool, chars: usize) -> usize {
    if ascii {
        chars.min(line.len())
    } else {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    }
}

/// A snippet ready to print: the line (cut to [`SNIPPET_WIDTH`] around the caret, every secret masked, control
/// characters escaped) and the caret's char offset in it.
fn snippet(
    line: &str,
    ascii: bool,
    (column, end_column): (u32, Option<u32>),
    secrets: &[&str],
    own_secret: Option<&str>,
) -> (String, usize, usize) {
    let caret = column.saturating_sub(1) as usize;
    let total = if ascii {
        line.len()
    } else {
        line.chars().count()
    };
    let caret = caret.min(total);
    // The region's end on this line (exclusive); a region that goes on below ends with the line.
    let end = end_column
        .map_or(total, |e| e.saturating_sub(1) as usize)
        .clamp(caret, total);
    let (from, to) = if total <= SNIPPET_WIDTH {
        (0, total)
    } else {
        let from = caret
            .saturating_sub(SNIPPET_LEAD)
            .min(total - SNIPPET_WIDTH);
        (from, from + SNIPPET_WIDTH)
    };
    // Secrets are found in a margin around the window, so one cut in half by the window is still masked.
    let margin = secrets.iter().map(|s| s.len()).max().unwrap_or(0).min(4096) + 256;
    let ext_from = byte_at(line, ascii, from.saturating_sub(margin));
    let ext_to = byte_at(line, ascii, (to + margin).min(total));
    let (win_from, win_to) = (byte_at(line, ascii, from), byte_at(line, ascii, to));
    let ext = &line[ext_from..ext_to];
    let mut masked = secret_spans(ext, secrets, true);
    // The finding's secret spread over the line differently (quoted, escaped, multi-line): hide every value.
    if let Some(secret) = own_secret
        && !ext.contains(secret)
    {
        let value_from = ext
            .find(": ")
            .map(|i| i + 2)
            .or_else(|| ext.find('=').map(|i| i + 1))
            .unwrap_or(ext.len() - ext.trim_start().len());
        masked.push((value_from, ext.len()));
    }
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    let mut caret_at = out.chars().count();
    let mut end_at = None;
    let (caret_byte, end_byte) = (byte_at(line, ascii, caret), byte_at(line, ascii, end));
    let mut in_mask = false;
    for (i, c) in line[win_from..win_to].char_indices() {
        let at = win_from + i;
        if at == caret_byte {
            caret_at = out.chars().count();
        }
        if at == end_byte && end_at.is_none() {
            end_at = Some(out.chars().count());
        }
        if masked
            .iter()
            .any(|(s, e)| ext_from + s <= at && at < ext_from + e)
        {
            if !in_mask {
                out.push_str(MASK);
            }
            in_mask = true;
            continue;
        }
        in_mask = false;
        escape_char(c, &mut out);
    }
    if caret >= to {
        caret_at = out.chars().count();
    }
    let end_at = end_at.unwrap_or(out.chars().count());
    if to < total {
        out.push('…');
    }
    (out, caret_at, end_at.saturating_sub(caret_at).max(1))
}

/// The 1-based line of a text, without its line break, and whether it is ASCII: what [`write_diagnostic`] shows.
pub(crate) fn line_of(text: &str, line: u32) -> Option<(&str, bool)> {
    let source = text.split('\n').nth((line as usize).checked_sub(1)?)?;
    let source = source.strip_suffix('\r').unwrap_or(source);
    Some((source, source.is_ascii()))
}

/// A diagnostic's region: where it starts, and where it ends (exclusive): its own end when it knows it, else the
/// end of the key or value at its start. Human underlines, JSON, SARIF regions and GitHub annotations all use it.
fn region(d: &Diagnostic, line: Option<(&str, bool)>) -> (Pos, Pos) {
    let start = d.start();
    let end = match d.end {
        Some(end) if end > start => end,
        _ => Pos {
            line: start.line,
            column: start.column
                + line.map_or(1, |(text, ascii)| token_len(text, ascii, start.column)) as u32,
        },
    };
    (start, end)
}

/// Writes one diagnostic for a person, the same way for lint findings and for spec, config and values-file
/// errors: the header line, the source line (cut, masked, escaped) with the region underlined, the object and
/// container it is about, and how to fix it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_diagnostic(
    out: &mut dyn Write,
    p: &Paint,
    header: &str,
    line: Option<(&str, bool)>,
    d: &Diagnostic,
    secrets: &[&str],
    code: &str,
    context: Option<&str>,
) -> io::Result<()> {
    writeln!(out, "{header}")?;
    if let Some((text, ascii)) = line {
        let (start, end) = region(d, line);
        let number = start.line.to_string();
        let gutter = " ".repeat(number.len());
        let end_column = (end.line == start.line).then_some(end.column);
        let (shown, caret_at, width) = snippet(
            text,
            ascii,
            (start.column, end_column),
            secrets,
            d.secret.as_deref(),
        );
        writeln!(out, "{gutter} {}", p.paint("34", "|"))?;
        writeln!(
            out,
            "{} {} {shown}",
            p.paint("34", &number),
            p.paint("34", "|")
        )?;
        writeln!(
            out,
            "{gutter} {} {}{}",
            p.paint("34", "|"),
            " ".repeat(caret_at),
            p.paint(code, &"^".repeat(width))
        )?;
    }
    if let Some(context) = context {
        writeln!(out, "  = {}", escape_line(context))?;
    }
    for r in &d.related {
        writeln!(
            out,
            "  {} {} (line {}, column {})",
            p.paint("1", "note:"),
            escape_line(&scrub(&r.message, secrets)),
            r.start.line,
            r.start.column
        )?;
    }
    if let Some(help) = &d.help {
        writeln!(
            out,
            "  {} {}",
            p.paint("1", "help:"),
            escape_controls(&scrub(help, secrets)).replace('\n', "\n  ")
        )?;
    }
    Ok(())
}

/// A secret that can also be an ordinary word: short, letters, digits and `-_.` only, and no known token format.
pub(crate) fn is_weak_secret(secret: &str) -> bool {
    secret.len() < 16
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && crate::secrets::unmistakable(secret).is_none()
}

/// Byte spans of a text that hold a secret value: every known secret, every value that the classifier calls a
/// secret under its key (`password: hunter2`, `TOKEN=…`), and every unmistakable token (a known token format, a
/// URL with a password). Keys are never masked, only values.
fn secret_spans(text: &str, secrets: &[&str], pairs: bool) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    // `key: value` and `KEY=value` pairs, and bare tokens.
    let is_delim =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ',' | '{' | '}' | '[' | ']');
    let mut start = None;
    let mut tokens = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, is_delim(c)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                tokens.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    for secret in secrets {
        if is_weak_secret(secret) {
            // A short, human-chosen password (`wordpress`) is also an ordinary word of names: masking it inside
            // `wp-wordpress` or `wordpressPassword` would mangle them and give the password away. Only a whole
            // value is masked: a token that is the secret, or the value of `key=secret` / `key: secret`, never
            // a name a message quotes in backticks.
            for &(s, e) in &tokens {
                // A backticked word in a message is a name chartgen quotes (an object, a container, a key).
                let backticked = text[..s].ends_with('`') && text[e..].starts_with('`');
                if backticked {
                    continue;
                }
                let token = &text[s..e];
                let value_at = match token.split_once('=') {
                    Some((_, v)) if v == *secret => Some(e - v.len()),
                    _ if token.strip_suffix(':').unwrap_or(token) == *secret => Some(s),
                    _ => None,
                };
                if let Some(at) = value_at {
                    spans.push((at, at + secret.len()));
                }
            }
        } else {
            spans.extend(text.match_indices(secret).map(|(i, s)| (i, i + s.len())));
        }
    }
    for (n, &(s, e)) in tokens.iter().enumerate() {
        let token = &text[s..e];
        // The whole token, but for the key of a `KEY=value` pair: `OPENAI_API_KEY=sk-…` keeps its key visible.
        if crate::secrets::unmistakable(token).is_some() {
            // A token that is a mapping key (`ghp_…: x`) keeps its colon.
            let inner = crate::secrets::secret_span(token.strip_suffix(':').unwrap_or(token));
            spans.push((s + inner.start, s + inner.end));
            continue;
        }
        if !pairs {
            continue;
        }
        if let Some((key, value)) = token.split_once('=')
            && !key.is_empty()
            && !value.is_empty()
            && crate::secrets::classify(key, value).is_some()
        {
            spans.push((s + key.len() + 1, e));
            continue;
        }
        // `key: value` spans two tokens (`key:` and the value, possibly quoted).
        // The next token is a value, not a key of a flow mapping (`secret: { name: ca }`).
        if let Some(key) = token.strip_suffix(':')
            && let Some(&(vs, ve)) = tokens.get(n + 1)
            && !text[vs..ve].ends_with(':')
            && crate::secrets::classify(key, &text[vs..ve]).is_some()
        {
            let inner = crate::secrets::secret_span(&text[vs..ve]);
            spans.push((vs + inner.start, vs + inner.end));
        }
    }
    spans
}

/// Writes a char as it may reach a terminal: control characters (escape sequences, carriage returns,
/// backspaces, bidi overrides) as visible `\u{..}` escapes.
fn escape_char(c: char, out: &mut String) {
    let bidi =
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
    if c.is_control() || bidi {
        out.push_str(&c.escape_unicode().to_string());
    } else {
        out.push(c);
    }
}

/// A text from the inputs (a path, a message, an object name) made safe for a terminal.
///
/// A line of it that would start with `::` (after blanks) has that first colon escaped: CI runners read such a
/// line on stdout or stderr as a workflow command (`::error …`, `::add-mask::`, `::stop-commands::`), and a Helm
/// error or a file name from the repository must not issue one.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let blanks = line.len() - line.trim_start().len();
        let (lead, rest) = line.split_at(blanks);
        let rest = match rest.strip_prefix("::") {
            Some(after) => {
                lead.chars().for_each(|c| escape_char(c, &mut out));
                out.push_str("\\u{3a}:");
                after
            }
            None => line,
        };
        rest.chars().for_each(|c| escape_char(c, &mut out));
    }
    out
}

/// A text from the inputs that must stay on one line (a file path, an object name): newlines escaped too, so a
/// folder named `a\nerror: …` cannot print a line of its own.
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        escape_char(c, &mut out);
    }
    out
}

/// A message (prose, or a tool's error output) with every known secret and every unmistakable secret token
/// masked.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut spans = secret_spans(text, secrets, false);
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in spans {
        if e <= at {
            continue;
        }
        let s = s.max(at);
        out.push_str(&text[at..s]);
        out.push_str(MASK);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The secrets the report knows of in each file, plus all of them for messages that quote other files.
/// A weak secret (see [`is_weak_secret`]) is masked in snippets only on the line where it was found: elsewhere
/// the same word is a name (`- name: wordpress`), not the secret.
struct Secrets<'r> {
    by_file: HashMap<&'r str, Vec<(&'r str, u32)>>,
    all: SecretIndex<'r>,
}

/// Every secret of a report, indexed by its first bytes: a message is scrubbed only with the secrets that occur
/// in it, found in one pass over its text. Scrubbing each of thousands of messages with every one of hundreds of
/// secrets would cost most of a lint run.
pub(crate) struct SecretIndex<'r> {
    by_prefix: HashMap<&'r [u8], Vec<&'r str>>,
    /// Secrets shorter than [`SecretIndex::PREFIX`] bytes, tried on every text.
    short: Vec<&'r str>,
}

impl<'r> SecretIndex<'r> {
    const PREFIX: usize = 4;

    pub(crate) fn new(secrets: &[&'r str]) -> Self {
        let mut index = SecretIndex {
            by_prefix: HashMap::new(),
            short: Vec::new(),
        };
        for &secret in secrets {
            match secret.as_bytes().get(..Self::PREFIX) {
                Some(prefix) => index.by_prefix.entry(prefix).or_default().push(secret),
                None => index.short.push(secret),
            }
        }
        index
    }

    /// The secrets that occur in `text`, longest first (as [`secret_spans`] expects). A secret that does not
    /// occur cannot be masked in it, so the result masks exactly what the whole list would.
    fn in_text(&self, text: &str) -> Vec<&'r str> {
        let mut found: Vec<&str> = self
            .short
            .iter()
            .copied()
            .filter(|s| text.contains(s))
            .collect();
        if !self.by_prefix.is_empty() {
            // Each prefix is looked up once, however often the text repeats it.
            let mut tried = std::collections::HashSet::new();
            for window in text.as_bytes().windows(Self::PREFIX) {
                if let Some(list) = self.by_prefix.get(window)
                    && tried.insert(window)
                {
                    found.extend(list.iter().copied().filter(|s| text.contains(s)));
                }
            }
        }
        found.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        found.dedup();
        found
    }

    /// [`scrub`] with every secret of the index.
    pub(crate) fn scrub(&self, text: &str) -> String {
        scrub(text, &self.in_text(text))
    }
}

impl<'r> Secrets<'r> {
    fn new(report: &'r Report) -> Self {
        let mut by_file: HashMap<&str, Vec<(&str, u32)>> = HashMap::new();
        for f in &report.findings {
            if let Some(s) = f.secret().filter(|s| !s.is_empty()) {
                by_file
                    .entry(f.file.as_str())
                    .or_default()
                    .push((s, f.line()));
            }
        }
        for list in by_file.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
            list.dedup();
        }
        Secrets {
            by_file,
            all: SecretIndex::new(
                &report
                    .secrets
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            ),
        }
    }

    fn of(&self, f: &'r Finding) -> Vec<&'r str> {
        let mut list: Vec<&str> = self
            .by_file
            .get(f.file.as_str())
            .map(|found| {
                found
                    .iter()
                    .filter(|(s, line)| *line == f.line() || !is_weak_secret(s))
                    .map(|(s, _)| *s)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(s) = f.secret().filter(|s| !s.is_empty()) {
            list.push(s);
        }
        list
    }

    fn message(&self, f: &'r Finding) -> String {
        let mut list = self.all.in_text(f.message());
        list.extend(self.of(f));
        scrub(f.message(), &list)
    }
}

pub(crate) struct Paint {
    pub(crate) on: bool,
}

impl Paint {
    pub(crate) fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn human(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = Paint { on: color };
    let mut lines = Lines::new(report);
    let secrets = Secrets::new(report);
    for f in &report.findings {
        let (label, code) = match f.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
            Severity::Info => ("info", "1;36"),
        };
        let header = format!(
            "{}: {}[{}] {}",
            p.paint(
                "1",
                &format!("{}:{}:{}", escape_line(&f.file), f.line(), f.column())
            ),
            p.paint(code, label),
            f.rule,
            escape_controls(&located_message(&secrets, f)).replace('\n', "\n  ")
        );
        let mut context = Vec::new();
        if let Some(o) = &f.object {
            let ns = o
                .namespace
                .as_ref()
                .map(|n| format!(" in {n}"))
                .unwrap_or_default();
            context.push(format!("{} {}{ns}", o.kind, o.name));
        }
        if let Some(c) = &f.container {
            context.push(format!("container {c}"));
        }
        if let Some(render) = &f.render {
            context.push(format!("rendered with {render}"));
        }
        let context = (!context.is_empty()).then(|| context.join(", "));
        write_diagnostic(
            out,
            &p,
            &header,
            lines.line(&f.file, f.line()),
            &f.diagnostic,
            &secrets.of(f),
            code,
            context.as_deref(),
        )?;
        writeln!(out)?;
    }
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let summary = if report.findings.is_empty() {
        format!(
            "No findings in {} files ({} objects).",
            report.files, report.objects
        )
    } else {
        format!(
            "Found {e} error{}, {w} warning{}, {i} info in {} files ({} objects).",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" },
            report.files,
            report.objects
        )
    };
    // An input that could not be linted is not clean: the summary says so beside its errors.
    let summary = match report.errors.len() {
        0 => summary,
        n => format!(
            "{} {n} input{} could not be linted: see the error{} on stderr.",
            summary,
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        ),
    };
    let code = if e > 0 {
        "1;31"
    } else if w > 0 {
        "1;33"
    } else {
        "1;32"
    };
    writeln!(out, "{}", p.paint(code, &summary))
}

fn json_report(report: &Report) -> serde_json::Value {
    let secrets = Secrets::new(report);
    let mut lines = Lines::new(report);
    json!({
        "findings": report.findings.iter().map(|f| {
            let (start, end) = region(&f.diagnostic, lines.line(&f.file, f.line()));
            let mut v = json!({
                "rule": f.rule,
                "severity": f.severity,
                "message": secrets.message(f),
                "file": f.file,
                "line": start.line,
                "column": start.column,
                "endLine": end.line,
                "endColumn": end.column,
                "object": f.object,
                "container": f.container,
            });
            if !f.diagnostic.path.is_empty() {
                v["path"] = json!(f.diagnostic.path);
            }
            if let Some(render) = &f.render {
                v["render"] = json!(render);
            }
            if let Some(help) = &f.diagnostic.help {
                v["help"] = json!(scrub(help, &secrets.of(f)));
            }
            if !f.diagnostic.related.is_empty() {
                v["related"] = f.diagnostic.related.iter().map(|r| json!({
                    "line": r.start.line,
                    "column": r.start.column,
                    "message": scrub(&r.message, &secrets.of(f)),
                })).collect();
            }
            v
        }).collect::<Vec<_>>(),
        "summary": {
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
            "files": report.files,
            "objects": report.objects,
        }
    })
}

/// A finding's message as a person reads it: one about no object (a spec's key, a values.yaml default) names its
/// key path first, as spec errors do; an object's finding names the object instead.
fn located_message(secrets: &Secrets, f: &Finding) -> String {
    let message = secrets.message(f);
    if f.object.is_none() && !f.diagnostic.path.is_empty() {
        format!("{}: {message}", escape_line(&f.diagnostic.path))
    } else {
        message
    }
}

/// A finding's message with its help, for formats that have one text per result (SARIF, GitHub annotations).
fn message_with_help(secrets: &Secrets, f: &Finding) -> String {
    let message = located_message(secrets, f);
    match &f.diagnostic.help {
        Some(help) => format!("{message} (help: {})", scrub(help, &secrets.of(f))),
        None => message,
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0 with rule metadata and real regions. URIs are relative to the working directory, declared as
/// the `%SRCROOT%` base, which is what code-scanning uploads expect.
fn sarif(report: &Report) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.name,
                "name": pascal(m.name),
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.doc_text().lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap_or(m.summary) },
                "help": { "text": m.doc_text(), "markdown": m.doc_text() },
                "defaultConfiguration": { "level": sarif_level(m.severity) },
                "properties": { "tags": ["kubernetes", "security"] }
            })
        })
        .collect();
    let secrets = Secrets::new(report);
    let mut lines = Lines::new(report);
    let results: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let (start, end) = region(&f.diagnostic, lines.line(&f.file, f.line()));
            let index = RULES
                .iter()
                .position(|r| r.meta().name == f.rule)
                .unwrap_or(0);
            let message = message_with_help(&secrets, f);
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&f.file),
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column
                        }
                    }
                }]
            });
            if !f.diagnostic.related.is_empty() {
                result["relatedLocations"] = f.diagnostic.related.iter().enumerate().map(|(i, r)| json!({
                    "id": i,
                    "message": { "text": scrub(&r.message, &secrets.of(f)) },
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&f.file),
                        "region": { "startLine": r.start.line.max(1), "startColumn": r.start.column.max(1) }
                    }
                })).collect();
            }
            if let Some(o) = &f.object {
                let name = match &o.namespace {
                    Some(ns) => format!("{ns}/{}/{}", o.kind, o.name),
                    None => format!("{}/{}", o.kind, o.name),
                };
                let fq = match &f.container {
                    Some(c) => format!("{name}/{c}"),
                    None => name,
                };
                result["locations"][0]["logicalLocations"] =
                    json!([{ "fullyQualifiedName": fq, "kind": "object" }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "chartgen",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/chartgen/chartgen",
                "rules": rules
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": "file:///" } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}

/// The length in chars (at least 1) of the key or value that starts at a 1-based column: a SARIF region's end.
fn token_len(line: &str, ascii: bool, column: u32) -> usize {
    let from = byte_at(line, ascii, column.saturating_sub(1) as usize);
    let rest = &line[from..];
    // A flow collection's opening bracket stands for it: the region is the bracket.
    if rest.starts_with(['[', '{']) {
        return 1;
    }
    let mut len = 0;
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        let ends_key = c == ':' && chars.peek().is_none_or(|n| n.is_whitespace());
        if c.is_whitespace() || ends_key || matches!(c, ',' | '}' | ']') {
            break;
        }
        len += 1;
    }
    len.max(1)
}

/// Where a file is, for SARIF: a path inside the working folder is relative to `%SRCROOT%`; anything else (an
/// absolute path, `../x`) is an absolute `file://` URI, since a relative reference may not leave its base.
fn artifact_location(file: &str) -> serde_json::Value {
    let path = std::path::Path::new(file);
    let inside = path.is_relative()
        && path
            .components()
            .all(|c| !matches!(c, std::path::Component::ParentDir));
    if inside {
        return json!({ "uri": uri(file), "uriBaseId": "%SRCROOT%" });
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Normalise `a/../b` without touching the file system.
    let mut clean = std::path::PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let text = clean.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    json!({ "uri": format!("file://{}", uri(&text)) })
}

/// A file path as a URI reference: `/` separators, percent-encoded where URIs need it.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pascal(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// GitHub Actions workflow commands, one per finding.
fn github(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let secrets = Secrets::new(report);
    let mut lines = Lines::new(report);
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (start, end) = region(&f.diagnostic, lines.line(&f.file, f.line()));
        // GitHub reads `endColumn` only on a one-line annotation.
        let end_column = if end.line == start.line {
            format!(",endColumn={}", end.column)
        } else {
            String::new()
        };
        writeln!(
            out,
            "::{level} file={},line={},endLine={},col={}{end_column},title={}::{}",
            escape_property(&f.file),
            start.line,
            end.line,
            start.column,
            escape_property(f.rule),
            escape_data(&message_with_help(&secrets, f))
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    escape_controls(
        &s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_mapping_key_after_a_secret_named_key_is_not_masked() {
        let line = "certs: { mountPath: /etc/certs, secret: { name: ca-bundle, keys: [ca.crt] } }";
        let (shown, _, _) = snippet(line, true, (1, None), &[], None);
        assert_eq!(shown, line);
        let (shown, _, _) = snippet("password: hunter2hunter2", true, (1, None), &[], None);
        assert_eq!(shown, format!("password: {MASK}"));
    }

    #[test]
    fn escapes_workflow_commands() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(uri("./a b/c.yaml"), "a%20b/c.yaml");
        assert_eq!(pascal("plaintext-secret"), "PlaintextSecret");
    }
}
