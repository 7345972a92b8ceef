//! A YAML document model that remembers where every node came from.
//!
//! Both halves of chartgen need positions: spec errors name `line:column`, and lint findings point at the exact
//! line of a template or values file. serde-saphyr gives us that through `Spanned<T>`, and its budgets bound what
//! hostile input can cost (alias bombs, 20,000-deep nesting, huge event counts) so that parsing never panics, hangs
//! or exhausts memory.

pub mod write;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};
use std::fmt;

/// A 1-based position in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A YAML node: its value, the position of its first character, and the position just after its last (a
/// mapping or sequence ends where its last entry ends).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
    pub end: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    /// Keys keep their own positions, so a finding about a key (an unknown field) points at the key.
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
    /// Just after the key's last character (quotes included), before the `:`.
    pub end: Pos,
}

/// Why a YAML input could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub pos: Option<Pos>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{}:{}: {}", p.line, p.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Limits for untrusted input. Generous enough for real manifests (Kubernetes objects nest ~15 deep), tight
/// enough that a billion-laughs file or a 20,000-level nest is rejected in microseconds.
///
/// Aliases are limited by what they expand to, never by how many there are: a values file may merge one
/// `&defaults` block into hundreds of sections. The expansion is measured twice: in events replayed (at most
/// [`MAX_REPLAYED_EVENTS`], which bounds the nodes an alias adds) and in scalar bytes materialised (at most the
/// input's own length plus [`EXPANSION_BYTES`], see [`Allowance`]), which bounds one huge anchored scalar
/// aliased many times.
fn options(max_events: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 200;
    budget.max_events = max_events;
    // Every alias is an event, already bounded above; no separate count, and no alias-per-anchor ratio.
    budget.max_aliases = max_events;
    budget.max_anchors = max_events;
    budget.enforce_alias_anchor_ratio = false;
    budget.max_nodes = max_events;
    // A rendered chart or a kubectl dump holds thousands of documents in one stream.
    budget.max_documents = 1_000_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    options.alias_limits.max_replay_stack_depth = 64;
    options
}

/// Events all aliases of one input may replay together.
const MAX_REPLAYED_EVENTS: usize = 250_000;
/// Scalar bytes aliases may add beyond the input's own length.
const EXPANSION_BYTES: usize = 16 * 1024 * 1024;
/// The message of the error raised when [`Allowance`] runs out, recognised by [`to_error`].
const EXPANSION_EXCEEDED: &str = "alias expansion exceeds the scalar byte allowance";

std::thread_local! {
    static ALLOWANCE: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
    static LINE_STARTS: std::cell::RefCell<LineStarts> = const { std::cell::RefCell::new(LineStarts::EMPTY) };
}

/// Where each line of the text being parsed starts, in bytes and in chars, so that the end of a node's span
/// (which the parser gives as offsets) becomes a line and column in O(log lines), however long the line.
struct LineStarts {
    bytes: Vec<usize>,
    chars: Vec<usize>,
    /// The text itself, to find where a flow collection's closing bracket is, and its length in chars.
    text: String,
    total_chars: usize,
}

/// How far [`LineStarts`] walks a line or the text between a flow collection's last entry and its closing bracket;
/// past it a region simply ends at the last entry.
const FLOW_SCAN_LIMIT: usize = 64 * 1024;

impl LineStarts {
    const EMPTY: LineStarts = LineStarts {
        bytes: Vec::new(),
        chars: Vec::new(),
        text: String::new(),
        total_chars: 0,
    };

    fn of(text: &str) -> LineStarts {
        let (mut bytes, mut chars) = (vec![0], vec![0]);
        let mut total = 0;
        for (n, (i, c)) in text.char_indices().enumerate() {
            total = n + 1;
            if c == '\n' {
                bytes.push(i + 1);
                chars.push(n + 1);
            }
        }
        LineStarts {
            bytes,
            chars,
            text: text.to_string(),
            total_chars: total,
        }
    }

    /// The byte offset of a position (a 1-based line and char column); `None` past the scan limit.
    fn byte_of(&self, pos: Pos) -> Option<usize> {
        let line = (pos.line as usize).checked_sub(1)?;
        let start = *self.bytes.get(line)?;
        let next = self.bytes.get(line + 1).copied().unwrap_or(self.text.len());
        let chars = self
            .chars
            .get(line + 1)
            .copied()
            .unwrap_or(self.total_chars)
            - self.chars[line];
        let column = (pos.column as usize).saturating_sub(1);
        if next - start == chars {
            // An ASCII line: chars are bytes.
            return Some(start + column.min(chars));
        }
        if column > FLOW_SCAN_LIMIT {
            return None;
        }
        let rest = self.text.get(start..next)?;
        Some(
            start
                + rest
                    .char_indices()
                    .nth(column)
                    .map_or(rest.len(), |(i, _)| i),
        )
    }

    /// The position of a byte offset (which must be on a char boundary); `None` past the scan limit.
    fn pos_of(&self, byte: usize) -> Option<Pos> {
        let line = self.bytes.partition_point(|&b| b <= byte).checked_sub(1)?;
        let start = self.bytes[line];
        let before = self.text.get(start..byte)?;
        let column = if before.is_ascii() {
            before.len()
        } else if before.len() > FLOW_SCAN_LIMIT {
            return None;
        } else {
            before.chars().count()
        };
        Some(Pos {
            line: (line + 1) as u32,
            column: (column + 1) as u32,
        })
    }

    /// For a flow collection (its own token at `start` is `[` or `{`) whose entries end at `last`: the position
    /// just after its closing bracket.
    fn flow_end(&self, start: Pos, last: Pos) -> Option<Pos> {
        let open = self.byte_of(start)?;
        let close = match self.text.as_bytes().get(open)? {
            b'[' => b']',
            b'{' => b'}',
            _ => return None,
        };
        let from = if last > start {
            self.byte_of(last)?
        } else {
            open + 1
        };
        let bytes = self.text.as_bytes();
        let mut at = from;
        while at < bytes.len() && at - from < FLOW_SCAN_LIMIT {
            match bytes[at] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
                b'#' => {
                    while at < bytes.len() && bytes[at] != b'\n' {
                        at += 1;
                    }
                }
                b if b == close => return self.pos_of(at + 1),
                _ => return None,
            }
        }
        None
    }

    /// The position just after a span, or `start` when the parser gave no byte offsets.
    fn end_of(location: &serde_saphyr::Location, start: Pos) -> Pos {
        let span = location.span();
        let (Some(byte), Some(byte_len)) = (span.byte_offset(), span.byte_len()) else {
            return start;
        };
        let end_byte = byte.saturating_add(byte_len) as usize;
        let end_char = span.offset().saturating_add(span.len()) as usize;
        LINE_STARTS.with(|lines| {
            let lines = lines.borrow();
            let Some(line) = lines
                .bytes
                .partition_point(|&b| b <= end_byte)
                .checked_sub(1)
            else {
                return start;
            };
            let column = end_char.saturating_sub(lines.chars[line]) + 1;
            let end = Pos {
                line: (line + 1) as u32,
                column: column as u32,
            };
            end.max(start)
        })
    }
}

/// The scalar bytes (values and keys) one parse may still materialise. Without aliases a parse materialises at
/// most the input's own length; what aliases add is charged against the same allowance, so an anchored 1 MiB
/// string aliased 10,000 times is refused before it takes 10 GiB. Set for the parse's thread, reset on drop.
struct Allowance;

impl Allowance {
    /// Also indexes the text's lines for [`LineStarts::end_of`], for as long as the parse runs.
    fn set(text: &str) -> Allowance {
        ALLOWANCE.with(|a| a.set(text.len().saturating_add(EXPANSION_BYTES)));
        LINE_STARTS.with(|l| *l.borrow_mut() = LineStarts::of(text));
        Allowance
    }

    /// Charges `bytes`; an error once the allowance is spent.
    fn charge<E: de::Error>(bytes: usize) -> Result<(), E> {
        ALLOWANCE.with(|a| match a.get().checked_sub(bytes) {
            Some(left) => {
                a.set(left);
                Ok(())
            }
            None => Err(E::custom(EXPANSION_EXCEEDED)),
        })
    }
}

impl Drop for Allowance {
    fn drop(&mut self) {
        ALLOWANCE.with(|a| a.set(usize::MAX));
        LINE_STARTS.with(|l| *l.borrow_mut() = LineStarts::EMPTY);
    }
}

/// Events allowed per parsed input: about 2,000 Kubernetes objects per file.
const MAX_EVENTS: usize = 4_000_000;

/// Parses one YAML document (an empty input is an error: there is nothing to validate).
pub fn parse_document(text: &str) -> Result<Node, YamlError> {
    check_text(text)?;
    let doc: Option<Node> = with_deep_stack(|| {
        let _allowance = Allowance::set(text);
        serde_saphyr::from_str_with_options(text, options(MAX_EVENTS))
    })
    .map_err(to_error)?;
    doc.ok_or_else(|| YamlError {
        message: "the file is empty; expected a YAML mapping".into(),
        pos: None,
    })
}

/// Parses a multi-document stream. Empty documents (`---` with nothing after) are dropped.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, YamlError> {
    check_text(text)?;
    let docs: Vec<Option<Node>> = with_deep_stack(|| {
        let _allowance = Allowance::set(text);
        serde_saphyr::from_multiple_with_options(text, options(MAX_EVENTS))
    })
    .map_err(to_error)?;
    Ok(docs
        .into_iter()
        .flatten()
        .filter(|d| d.value != Value::Null)
        .collect())
}

/// Deserializing a node recurses once per nesting level, and each level costs several kilobytes of stack in an
/// unoptimised build. The budget caps the depth; this gives that depth room on any thread (test threads and
/// rayon workers have small stacks). Reserved address space is only touched as deep as the input goes.
fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    const STACK: usize = 256 * 1024 * 1024;
    let slot = std::sync::Mutex::new(Some(f));
    let run = || slot.lock().ok().and_then(|mut f| f.take()).map(|f| f());
    let spawned = std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => match handle.join() {
                Ok(value) => value,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            Err(_) => None,
        }
    });
    // No thread to be had (resource limits): parse on this one; the depth budget still applies.
    spawned.unwrap_or_else(|| {
        run().unwrap_or_else(|| unreachable!("the parse closure runs exactly once"))
    })
}

/// Rejects input that is not text before the parser sees it, with a message a person can act on.
fn check_text(text: &str) -> Result<(), YamlError> {
    if let Some(offset) = text.find('\0') {
        let line = text[..offset].matches('\n').count() as u32 + 1;
        return Err(YamlError {
            message: "the file contains NUL bytes; it looks binary, not YAML".into(),
            pos: Some(Pos { line, column: 1 }),
        });
    }
    Ok(())
}

fn to_error(err: serde_saphyr::Error) -> YamlError {
    let pos = err.location().map(|l| Pos {
        line: l.line() as u32,
        column: l.column() as u32,
    });
    // The crate's Display may append a rendered snippet; the first line is the message itself.
    let full = err.to_string();
    let message = full.lines().next().unwrap_or("invalid YAML").trim();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    // Strip the crate's own "line N column M:" prefix: we print the position ourselves.
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => rest,
        _ => message,
    };
    let message = if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        format!(
            "duplicate key `{key}`: a key may appear only once in a mapping; merge or rename the two"
        )
    } else if full.contains(EXPANSION_EXCEEDED)
        || message.contains("budget breached")
        || message.contains("recursion limit")
        || message.contains("replay limit")
    {
        let what = if message.contains("Depth") || message.contains("recursion") {
            "it nests deeper than 200 levels"
        } else if full.contains(EXPANSION_EXCEEDED)
            || message.contains("Alias")
            || message.contains("Anchor")
            || message.contains("replay")
        {
            "its anchors and aliases expand too far (a YAML alias bomb?)"
        } else {
            "it is larger than chartgen reads in one file (about 4 million YAML events)"
        };
        format!("input rejected: {what}; split or simplify the file")
    } else {
        format!("invalid YAML: {message}")
    };
    YamlError { message, pos }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let loc = spanned.referenced;
        let pos = Pos {
            line: loc.line() as u32,
            column: loc.column() as u32,
        };
        // A collection's own span is its first token; it ends where its last entry does. An alias (`*x`) ends
        // with its own token: its entries are positioned where the anchor defined them.
        let own_end = LineStarts::end_of(&loc, pos);
        let last = match &spanned.value {
            _ if loc != spanned.defined => None,
            Value::Seq(items) => Some(items.last().map_or(own_end, |n| n.end.max(own_end))),
            Value::Map(entries) => Some(
                entries
                    .last()
                    .map_or(own_end, |(k, v)| v.end.max(k.end).max(own_end)),
            ),
            _ => None,
        };
        // A flow collection (`[a, b]`, `{k: v}`) ends after its closing bracket.
        let end = last.map_or(own_end, |last| {
            LINE_STARTS
                .with(|lines| lines.borrow().flow_end(pos, last))
                .unwrap_or(last)
        });
        Ok(Node {
            value: spanned.value,
            pos,
            end,
        })
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<KeyName>::deserialize(deserializer)?;
        let loc = spanned.referenced;
        let pos = Pos {
            line: loc.line() as u32,
            column: loc.column() as u32,
        };
        Ok(Key {
            name: spanned.value.0,
            pos,
            end: LineStarts::end_of(&loc, pos),
        })
    }
}

/// A mapping key as text. Kubernetes keys are strings, but YAML allows `1: x` or `true: y`; we keep their text.
struct KeyName(String);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName, E> {
                Allowance::charge(v.len())?;
                Ok(KeyName(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<KeyName, E> {
                Allowance::charge(v.len())?;
                Ok(KeyName(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyName, E> {
                Ok(KeyName(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyName, E> {
                Ok(KeyName(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyName, E> {
                Ok(KeyName(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyName, E> {
                Ok(KeyName(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyName, E> {
                Ok(KeyName("null".into()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                Value::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                Ok(i64::try_from(v)
                    .map(Value::Int)
                    .unwrap_or(Value::Float(v as f64)))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
                Ok(i64::try_from(v)
                    .map(Value::Int)
                    .unwrap_or(Value::Float(v as f64)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
                Ok(i64::try_from(v)
                    .map(Value::Int)
                    .unwrap_or(Value::Float(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
                Allowance::charge(v.len())?;
                Ok(Value::String(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
                Allowance::charge(v.len())?;
                Ok(Value::String(v))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
                Allowance::charge(v.len())?;
                Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Node>()? {
                    items.push(item);
                }
                Ok(Value::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<Key, Node>()? {
                    entries.push((k, v));
                }
                Ok(Value::Map(entries))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn key(&self, key: &str) -> Option<&Key> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(k, _)| k),
            _ => None,
        }
    }

    /// Follows a dotted path of keys and sequence indices (`spec.template.spec.containers.0.image`).
    pub fn path(&self, path: &str) -> Option<&Node> {
        self.at(path.split('.'))
    }

    /// The node at a path of segments, if the whole path exists.
    pub fn at<I>(&self, segments: I) -> Option<&Node>
    where
        I: IntoIterator,
        I::Item: Segment,
    {
        let mut node = self;
        for seg in segments {
            node = seg.child_of(node)?;
        }
        Some(node)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// The scalar as text, the way Kubernetes would read it into a string field.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// Converts to JSON for schema validation and typed deserialization. Positions are dropped; look them up
    /// again with [`Node::locate`].
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The deepest node along a path of segments, and how many segments it consumed: the one walk every
    /// position lookup (spec errors, config errors, lint findings, suppressions) goes through.
    pub fn walk<I>(&self, segments: I) -> (&Node, usize)
    where
        I: IntoIterator,
        I::Item: Segment,
    {
        let mut node = self;
        let mut depth = 0;
        for seg in segments {
            match seg.child_of(node) {
                Some(n) => node = n,
                None => break,
            }
            depth += 1;
        }
        (node, depth)
    }

    /// The segments of a dotted key path (`components.web.labels.app.kubernetes.io/tier`), read against this
    /// document so that a key holding `.` stays one segment; the part the document does not have is split on `.`.
    pub fn dotted_segments(&self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut node = self;
        let mut rest = path;
        while !rest.is_empty() {
            let next = match &node.value {
                Value::Map(entries) => entries
                    .iter()
                    .filter(|(k, _)| {
                        rest.strip_prefix(k.name.as_str())
                            .is_some_and(|after| after.is_empty() || after.starts_with('.'))
                    })
                    .max_by_key(|(k, _)| k.name.len())
                    .map(|(k, v)| (k.name.len(), v)),
                Value::Seq(items) => {
                    let len = rest.find('.').unwrap_or(rest.len());
                    rest[..len]
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i))
                        .map(|v| (len, v))
                }
                _ => None,
            };
            let Some((len, child)) = next else {
                out.extend(rest.split('.').map(str::to_string));
                break;
            };
            out.push(rest[..len].to_string());
            rest = rest[len..].strip_prefix('.').unwrap_or("");
            node = child;
        }
        out
    }

    /// The position of the node at a path of segments; the deepest existing ancestor's position when the path
    /// goes further than the document (a missing key is reported where it belongs).
    pub fn locate<S: Segment>(&self, segments: &[S]) -> Pos {
        self.walk(segments).0.pos
    }

    /// The position of the key that names the last segment (for errors about the key itself, such as an
    /// unknown field), falling back to [`Node::locate`].
    pub fn locate_key<S: Segment>(&self, segments: &[S]) -> Pos {
        let Some((last, parent)) = segments.split_last() else {
            return self.pos;
        };
        match self.walk(parent) {
            (node, depth) if depth == parent.len() => last.key_of(node).map_or(node.pos, |k| k.pos),
            (node, _) => node.pos,
        }
    }

    /// The position of the key that names the last segment, only if the whole path exists.
    pub fn key_pos<S: Segment>(&self, segments: &[S]) -> Option<Pos> {
        self.key_at(segments).map(|k| k.pos)
    }

    /// The key that names the last segment, only if the whole path exists.
    pub fn key_at<S: Segment>(&self, segments: &[S]) -> Option<&Key> {
        let (last, parent) = segments.split_last()?;
        last.key_of(self.at(parent)?)
    }
}

/// A path into a document: mapping keys and sequence indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// A path as dotted text (`spec.template.spec.containers.0.image`), as diagnostics name it.
pub fn dotted(path: &[Seg]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match seg {
            Seg::Key(k) => out.push_str(k),
            Seg::Index(n) => out.push_str(&n.to_string()),
        }
    }
    out
}

/// One step of a path. Text segments (`"containers"`, `"0"`) are keys of mappings and indices of sequences, as
/// in dotted paths and JSON pointers; a [`Seg`] says which it is.
pub trait Segment {
    fn child_of<'n>(&self, node: &'n Node) -> Option<&'n Node>;
    /// The mapping key this segment names in `node`.
    fn key_of<'n>(&self, node: &'n Node) -> Option<&'n Key>;
}

impl Segment for str {
    fn child_of<'n>(&self, node: &'n Node) -> Option<&'n Node> {
        match &node.value {
            Value::Map(_) => node.get(self),
            Value::Seq(items) => self.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }
    fn key_of<'n>(&self, node: &'n Node) -> Option<&'n Key> {
        node.key(self)
    }
}

impl Segment for String {
    fn child_of<'n>(&self, node: &'n Node) -> Option<&'n Node> {
        self.as_str().child_of(node)
    }
    fn key_of<'n>(&self, node: &'n Node) -> Option<&'n Key> {
        node.key(self)
    }
}

impl Segment for Seg {
    fn child_of<'n>(&self, node: &'n Node) -> Option<&'n Node> {
        match self {
            Seg::Key(k) => node.get(k),
            Seg::Index(i) => node.as_seq().get(*i),
        }
    }
    fn key_of<'n>(&self, node: &'n Node) -> Option<&'n Key> {
        match self {
            Seg::Key(k) => node.key(k),
            Seg::Index(_) => None,
        }
    }
}

impl<T: Segment + ?Sized> Segment for &T {
    fn child_of<'n>(&self, node: &'n Node) -> Option<&'n Node> {
        (**self).child_of(node)
    }
    fn key_of<'n>(&self, node: &'n Node) -> Option<&'n Key> {
        (**self).key_of(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_point_at_values_and_keys() {
        let doc = parse_document("a: 1\nb:\n  c: [x, y]\n").expect("valid yaml");
        assert_eq!(
            doc.get("a").map(|n| n.pos),
            Some(Pos { line: 1, column: 4 })
        );
        assert_eq!(
            doc.locate(&["b", "c", "1"]),
            Pos {
                line: 3,
                column: 10
            }
        );
        assert_eq!(doc.locate_key(&["b", "c"]), Pos { line: 3, column: 3 });
    }

    #[test]
    fn every_key_and_value_knows_where_it_ends() {
        let text = "name: \"h\u{e9}llo\"\nlist:\n  - a\n  - bc\nflow: {k: v}\nblock: |\n  one\n  two\nref: &r x\nalias: *r\n";
        let doc = parse_document(text).expect("valid yaml");
        let at = |line, column| Pos { line, column };
        let name = doc.get("name").expect("name");
        // Quotes included; columns count chars, so the multi-byte é is one column.
        assert_eq!((name.pos, name.end), (at(1, 7), at(1, 14)));
        assert_eq!(
            doc.key("name").map(|k| (k.pos, k.end)),
            Some((at(1, 1), at(1, 5)))
        );
        // A collection ends with its last entry.
        let list = doc.get("list").expect("list");
        assert_eq!((list.pos.line, list.end), (3, at(4, 7)));
        assert_eq!(doc.get("flow").map(|n| n.end), Some(at(5, 13)));
        // A block scalar spans its lines.
        let block = doc.get("block").expect("block");
        assert!(block.end.line >= 8, "{block:?}");
        // An alias ends with its own token, not at the anchor it repeats.
        assert_eq!(
            doc.get("alias").map(|n| (n.pos, n.end)),
            Some((at(10, 8), at(10, 10)))
        );
        // The root spans the document.
        assert_eq!(doc.end, at(10, 10));
        // Very long lines cost no more per node: one 200,000-entry flow sequence on one line, which ends after
        // its bracket.
        let long = format!("[{}]", vec!["x"; 200_000].join(", "));
        let doc = parse_document(&long).expect("valid yaml");
        assert_eq!(doc.end, at(1, long.chars().count() as u32 + 1));
        // Flow collections end after their closing bracket, across lines, comments and a trailing comma; an
        // empty one too; a block collection still ends with its last entry.
        let flows = "a: { k: v, }\nb: [\n  1, # one\n  2,\n]\nc: []\nd: {}\ne:\n  - \"\u{e9}\"\n";
        let doc = parse_document(flows).expect("valid yaml");
        let end = |k: &str| doc.get(k).map(|n| n.end);
        assert_eq!(end("a"), Some(at(1, 13)));
        assert_eq!(end("b"), Some(at(5, 2)));
        assert_eq!(end("c"), Some(at(6, 6)));
        assert_eq!(end("d"), Some(at(7, 6)));
        assert_eq!(end("e"), Some(at(9, 8)));
    }

    #[test]
    fn dotted_paths_keep_keys_that_hold_dots() {
        let doc = parse_document(
            "labels:
  app.kubernetes.io/tier: web
  a: {b: 1}
list: [x, {y: 2}]
",
        )
        .expect("valid yaml");
        assert_eq!(
            doc.dotted_segments("labels.app.kubernetes.io/tier"),
            ["labels", "app.kubernetes.io/tier"]
        );
        assert_eq!(doc.dotted_segments("labels.a.b"), ["labels", "a", "b"]);
        assert_eq!(doc.dotted_segments("list.1.y"), ["list", "1", "y"]);
        assert_eq!(
            doc.dotted_segments("labels.missing.deeper"),
            ["labels", "missing", "deeper"]
        );
        assert_eq!(
            doc.locate(&doc.dotted_segments("labels.app.kubernetes.io/tier")),
            Pos {
                line: 2,
                column: 27
            }
        );
    }

    #[test]
    fn alias_bomb_is_rejected_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse_document(&text).is_err());
    }

    #[test]
    fn honest_aliases_pass_however_many_there_are() {
        let mut text = String::from("defaults: &defaults\n  image: nginx:1.25\n  replicas: 2\n");
        text.push_str("tag: &tag \"1.25\"\n");
        for i in 0..500 {
            text.push_str(&format!(
                "svc{i}:\n  <<: *defaults\n  name: svc{i}\n  tag: *tag\n"
            ));
        }
        let doc = parse_document(&text).expect("honest aliases are no bomb");
        assert_eq!(
            doc.path("svc499.image").and_then(Node::as_str),
            Some("nginx:1.25")
        );
        assert_eq!(doc.path("svc499.tag").and_then(Node::as_str), Some("1.25"));
    }

    #[test]
    fn one_huge_scalar_aliased_many_times_is_rejected_by_its_bytes() {
        // 64 KiB × 2,000 aliases = 128 MiB materialised from a 64 KiB input: few events, many bytes.
        let mut text = format!("big: &big \"{}\"\nrefs:\n", "x".repeat(64 * 1024));
        text.push_str(&"  - *big\n".repeat(2_000));
        let err = parse_document(&text).expect_err("an expansion bomb");
        assert!(err.message.contains("expand too far"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{}1{}", "[".repeat(20_000), "]".repeat(20_000));
        assert!(parse_document(&text).is_err());
        let block: String = (0..20_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(parse_document(&block).is_err());
    }

    #[test]
    fn binary_and_empty_input_are_errors() {
        assert!(parse_document("\0\u{1}\u{2}").is_err());
        assert!(parse_document("").is_err());
        assert!(parse_document("# only a comment\n").is_err());
    }

    #[test]
    fn multi_document_streams_drop_empty_documents() {
        let docs = parse_documents("---\na: 1\n---\n---\nb: 2\n").expect("valid yaml");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].pos.line, 5);
    }
}
