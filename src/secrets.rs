//! Deciding whether a literal value is a secret, and hiding it in output.
//!
//! Shared by spec validation (config values are written to a ConfigMap in plain text) and the
//! `plaintext-secret` lint rule. The anchors' failures shape it (`../shared/reference/lint-anchors.md`):
//! kube-linter fires on any name containing SECRET (`SECRETS_DIR`, `secretKeyRef`), kubescape on `*_FILE` and
//! `*_KEY_PATH`, checkov misses secrets without a known token format. So a name alone is never enough, and a value
//! alone is enough only when its format is unmistakable (a known token, a PEM private key with its body, a URL with
//! a password) or it is high-entropy random text.
//!
//! Names are read like English compounds: the last word is what the value IS (its head). `DB_PASSWORD` is a
//! password, `PASSWORD_HASHER` a hasher, `TOKEN_CACHE` a cache, `DB_PASSWORD_SECRET` a Secret (by name),
//! `adminPasswordKey` a key inside a Secret, `tomcat-username` a user name, `controller-0-id` an identifier,
//! `ca.crt` a certificate. Values are read for what they are too: an algorithm, a backend, a boolean, a number, an
//! enum-like word, a reference (`$(VAR)`, `${VAR}`, `os.environ['X']`, `env('X')`), or the name of a Secret or of
//! a key inside one is not a secret.

use std::ops::Range;

/// What every output shows in place of a secret value. Fixed, so that it tells nothing about the value, not even
/// its length or its first characters.
pub const MASK: &str = "********";

/// Masks a secret in a text (an output line, a message, an error from Helm): every place where `secret` stands as
/// a value is replaced by [`MASK`], and nothing else changes.
///
/// - Only the value span is replaced: an occurrence glued to a longer name is part of that name and stays
///   (`keycloak.auth.adminPassword: admin` becomes `keycloak.auth.adminPassword: ********`). A secret of 12 or more
///   characters is masked wherever it occurs.
/// - No character of the secret is kept, and the forms a text may hold it in are covered: JSON/YAML escaped
///   (`\"`, `\n`), YAML single-quoted (`''`), and each line of a multi-line secret (a PEM key shown line by line).
/// - An empty or whitespace-only secret changes nothing.
pub fn redact(text: &str, secret: &str) -> String {
    let secret = secret.trim();
    if secret.is_empty() {
        return text.to_string();
    }
    let mut forms: Vec<String> = vec![secret.to_string()];
    if let Ok(json) = serde_json::to_string(secret)
        && json.len() >= 2
    {
        forms.push(json[1..json.len() - 1].to_string());
    }
    forms.push(secret.replace('\'', "''"));
    if secret.contains('\n') {
        forms.extend(
            secret
                .lines()
                .map(str::trim)
                .filter(|l| l.len() >= 4)
                .map(str::to_string),
        );
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    let mut spans: Vec<Range<usize>> = Vec::new();
    for form in &forms {
        let mut from = 0;
        while let Some(i) = text[from..].find(form.as_str()) {
            let start = from + i;
            let end = start + form.len();
            if form.len() >= 12 || !glued(text, start, end) {
                spans.push(start..end);
            }
            from = start + form.chars().next().map_or(1, char::len_utf8);
        }
    }
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.end <= at {
            continue;
        }
        if span.start >= at {
            out.push_str(&text[at..span.start]);
            out.push_str(MASK);
        }
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `text[start..end]` continues a longer name on either side (`adminPassword`, `admin.password`).
fn glued(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let inner = &text[start..end];
    let before: Vec<char> = text[..start].chars().rev().take(2).collect();
    let after: Vec<char> = text[end..].chars().take(2).collect();
    let joins = |edge: Option<char>, near: Option<&char>, far: Option<&char>| {
        edge.is_some_and(word)
            && match near {
                Some(&c) if word(c) => true,
                Some('.' | '-') => far.is_some_and(|&c| word(c)),
                _ => false,
            }
    };
    joins(inner.chars().next(), before.first(), before.get(1))
        || joins(inner.chars().last(), after.first(), after.get(1))
}

/// An unmistakable secret in free text, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub why: &'static str,
    /// Byte range of the secret in the text searched.
    pub span: Range<usize>,
}

/// Why a value is considered a secret, or `None` when it is not one.
pub fn classify(name: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || is_reference_or_placeholder(value) {
        return None;
    }
    if let Some(found) = unmistakable(value) {
        return Some(found.why.to_string());
    }
    if is_public_material(value) {
        return None;
    }
    const NAMED: &str = "a secret-like name with a literal value";
    let literal = could_be_credential(value);
    match role(&name_words(name)) {
        Role::NotSecret => return None,
        Role::SecretObject if is_object_name(value) => return None,
        Role::KeyOrSecret if names_a_key(value) => return None,
        Role::Secret if maps_a_name(value) => return None,
        Role::Secret | Role::KeyOrSecret | Role::SecretObject if literal => {
            return Some(NAMED.into());
        }
        Role::Auth if literal && auth_shaped(value) => return Some(NAMED.into()),
        _ => {}
    }
    (literal && high_entropy(value)).then(|| "a high-entropy string".into())
}

/// The secrets a command line holds: an argument that is one (a token), the value of `--flag=value` or of
/// `--flag value` when the flag names a secret (`--password hunter2`). Returns (argument index, why).
pub fn in_arguments<S: AsRef<str>>(args: &[S]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let arg = arg.as_ref();
        if let Some(found) = unmistakable(arg) {
            out.push((i, found.why.to_string()));
            continue;
        }
        if let Some((flag, value)) = arg.split_once('=')
            && flag.starts_with('-')
            && let Some(why) = classify(flag.trim_start_matches('-'), value)
        {
            out.push((i, why));
            continue;
        }
        // `--password VALUE`: the flag names the value after it.
        let previous = i.checked_sub(1).map(|p| args[p].as_ref());
        if let Some(flag) = previous
            && flag.starts_with('-')
            && !flag.contains('=')
            && !arg.starts_with('-')
            && let Some(why) = classify(flag.trim_start_matches('-'), arg)
        {
            out.push((i, why));
        }
    }
    out
}

/// Where the secret lies in a one-line value that [`classify`] calls a secret: the value of a `KEY=value` pair
/// whose key names a secret, else the whole value (a connection string is masked whole, user and host too).
/// Masking only this span keeps `ANTHROPIC_API_KEY=` visible in `ANTHROPIC_API_KEY=sk-…`.
pub fn secret_span(value: &str) -> Range<usize> {
    if let Some((k, v)) = value.split_once('=')
        && !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && classify(k, v).is_some()
    {
        let start = k.len() + 1 + (v.len() - v.trim_start().len());
        return start..k.len() + 1 + v.trim_end().len();
    }
    0..value.len()
}

/// The first unmistakable secret in a text (a known token, a PEM private key with its body, a URL with a
/// password): for free text such as template lines and files, where names and entropy say too little.
pub fn unmistakable(text: &str) -> Option<Found> {
    find_all(text).into_iter().next()
}

/// Every unmistakable secret in a text, in order, not overlapping.
pub fn find_all(text: &str) -> Vec<Found> {
    let mut found = private_keys(text);
    for (start, token) in tokens(text) {
        if let Some(why) = token_kind(token) {
            found.push(Found {
                why,
                span: start..start + token.len(),
            });
            continue;
        }
        // A token glued to other text (`ghp_…!`, `ghp_….example.com`): each run of token characters on its own.
        let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
        let mut run_start = None;
        for (i, c) in token
            .char_indices()
            .chain(std::iter::once((token.len(), ' ')))
        {
            match (run_start, is_token_char(c)) {
                (None, true) => run_start = Some(i),
                (Some(from), false) => {
                    run_start = None;
                    let piece = &token[from..i];
                    if piece.len() >= 20
                        && piece.len() < token.len()
                        && let Some(why) = token_kind(piece)
                    {
                        found.push(Found {
                            why,
                            span: start + from..start + i,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    found.extend(url_passwords(text).into_iter().map(|span| Found {
        why: "a URL with an embedded password",
        span,
    }));
    found.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        if out.last().is_none_or(|last| f.span.start >= last.span.end) {
            out.push(f);
        }
    }
    out
}

/// What a name says its value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Not a secret whatever the value: a path, a URL, a user name, an identifier, public material, a setting.
    NotSecret,
    /// The name of a Secret object (`existingSecret`, `tlsSecret`, `DB_PASSWORD_SECRET`).
    SecretObject,
    /// The name of a key inside a Secret, or a secret key itself (`jwtSecretKey`, `SECRET_KEY`).
    KeyOrSecret,
    /// `user:password` or `Basic …` credentials; a bare word is a mode (`sslClientAuth: required`).
    Auth,
    /// The secret itself (`DB_PASSWORD`, `JWT_SECRET`, `apiKey`, `passwords.admin`).
    Secret,
    /// The name tells nothing: only the value's format or randomness can.
    Unknown,
}

/// Heads that are the secret itself (also as the end of a one-word compound: `pgpassword`, `apitoken`).
const SECRET_HEADS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "accesskey",
    "credential",
    "credentials",
];

/// Heads that are the secret only as whole words.
const SECRET_WORDS: &[&str] = &[
    "pwd", "pass", "secrets", "tokens", "creds", "bearer", "dsn", "pat",
];

/// Words before `key` that make it a cryptographic or API key (`API_KEY`, `signingKey`, `tls.key`).
const KEY_KINDS: &[&str] = &[
    "api",
    "apis",
    "private",
    "access",
    "signing",
    "sign",
    "encryption",
    "encrypt",
    "decryption",
    "master",
    "session",
    "ssh",
    "client",
    "license",
    "hmac",
    "shared",
    "jwt",
    "webhook",
    "cookie",
    "csrf",
    "cipher",
    "aes",
    "app",
    "service",
    "account",
    "admin",
    "root",
    "deploy",
    "storage",
    "write",
    "read",
    "tls",
    "ssl",
    "rsa",
    "gpg",
    "pgp",
    "auth",
];

/// Words before `secret` that make the value the name of a Secret object holding that thing.
const SECRET_HOLDERS: &[&str] = &[
    "existing",
    "password",
    "passwords",
    "passwd",
    "credential",
    "credentials",
    "creds",
    "tls",
    "ssl",
    "cert",
    "certs",
    "certificate",
    "certificates",
    "ca",
    "keystore",
    "truststore",
    "jks",
    "pem",
    "registry",
    "pull",
    "image",
    "docker",
    "basic",
    "env",
    "config",
    "kubeconfig",
    "sealed",
    "external",
    "k8s",
    "kubernetes",
];

/// Plural words that hold secrets by name: `passwords.admin`, `tokens.github`.
const CONTAINERS: &[&str] = &["passwords", "secrets", "tokens", "credentials", "creds"];

/// Heads that say the value is not a secret, whatever it looks like.
const NOT_SECRET_HEADS: &[&str] = &[
    // Where a secret is, not what it is.
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "location",
    "mount",
    "name",
    "names",
    "ref",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "address",
    "env",
    "var",
    "variable",
    "field",
    "prefix",
    "suffix",
    "namespace",
    // Which database or region, not a credential for it.
    "database",
    "db",
    "dbname",
    "region",
    "source",
    "target",
    "provider",
    "store",
    "backend",
    "engine",
    "manager",
    "cache",
    "server",
    // Settings about a secret.
    "expiry",
    "expires",
    "expiration",
    "expire",
    "ttl",
    "length",
    "algorithm",
    "alg",
    "algo",
    "issuer",
    "audience",
    "type",
    "kind",
    "class",
    "enabled",
    "enable",
    "disabled",
    "header",
    "mode",
    "count",
    "size",
    "timeout",
    "duration",
    "lifetime",
    "age",
    "interval",
    "period",
    "seconds",
    "secs",
    "minutes",
    "mins",
    "hours",
    "days",
    "version",
    "required",
    "optional",
    "rotation",
    "policy",
    "format",
    "scheme",
    "strategy",
    "method",
    "mechanism",
    "protocol",
    "hasher",
    "hashing",
    "hash",
    "checksum",
    "digest",
    "pattern",
    "regex",
    "complexity",
    "min",
    "max",
    "minimum",
    "maximum",
    "limit",
    "attempts",
    "retries",
    "scope",
    "scopes",
    "claim",
    "claims",
    "role",
    "roles",
    "group",
    "groups",
    "label",
    "labels",
    "annotation",
    "annotations",
    "selector",
    "in",
    "at",
    "description",
    "help",
    "hint",
    "message",
    "text",
    "title",
    // Who, not how: user names and identifiers.
    "user",
    "users",
    "username",
    "usernames",
    "usr",
    "login",
    "email",
    "mail",
    "owner",
    "account",
    "principal",
    "id",
    "ids",
    "uid",
    "uuid",
    "guid",
    "identifier",
    // Public material.
    "crt",
    "cert",
    "certs",
    "certificate",
    "certificates",
    "pub",
    "public",
    "publickey",
    "ca",
    "cacert",
    "cabundle",
    "bundle",
    "chain",
    "fingerprint",
    "thumbprint",
    "truststore",
    "csr",
];

/// Trailing words that qualify a head without changing what it is (`JWT_SECRET_OLD`, `SECRET_KEY_BASE`).
const QUALIFIERS: &[&str] = &[
    // How the value is given: `DB_PASSWORD_INLINE`, `ADMIN_PASSWORD_DEFAULT` still hold the password.
    "inline",
    "default",
    "initial",
    "init",
    "override",
    "custom",
    "static",
    "fixed",
    "manual",
    "temp",
    "temporary",
    "value",
    "raw",
    "plain",
    "plaintext",
    "literal",
    "b64",
    "base64",
    "encoded",
    "hex",
    "str",
    "base",
    "old",
    "new",
    "current",
    "previous",
    "prev",
    "next",
    "primary",
    "secondary",
    "backup",
    "fallback",
    "prod",
    "production",
    "dev",
    "development",
    "staging",
    "stage",
    "local",
    "v",
];

/// A word without trailing digits (`password2` → `password`); all-digit words are dropped by the caller.
fn base(word: &str) -> &str {
    let b = word.trim_end_matches(|c: char| c.is_ascii_digit());
    if b.is_empty() { word } else { b }
}

fn role(words: &[String]) -> Role {
    let words: Vec<&str> = words
        .iter()
        .map(|w| w.as_str())
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .map(base)
        .collect();
    let mut end = words.len();
    while end > 1 && QUALIFIERS.contains(&words[end - 1]) {
        end -= 1;
    }
    let Some(&head) = words[..end].last() else {
        return Role::Unknown;
    };
    let prev = end.checked_sub(2).map(|i| words[i]);
    if words[..end].contains(&"existing") {
        return Role::SecretObject;
    }
    if NOT_SECRET_HEADS.contains(&head) {
        return Role::NotSecret;
    }
    let is = |list: &[&str], w: Option<&str>| w.is_some_and(|w| list.contains(&w));
    match head {
        "secret" | "secrets" if is(SECRET_HOLDERS, prev) => Role::SecretObject,
        "key" | "keys" if prev == Some("secret") => Role::KeyOrSecret,
        "key" | "keys" if is(KEY_KINDS, prev) => Role::Secret,
        "secretkey" => Role::KeyOrSecret,
        "auth" | "authorization" => Role::Auth,
        "string" if prev == Some("connection") => Role::Secret,
        _ if SECRET_WORDS.contains(&head)
            || SECRET_HEADS
                .iter()
                .any(|h| head.ends_with(h) && head.len() < h.len() + 12) =>
        {
            Role::Secret
        }
        _ if is(CONTAINERS, prev) => Role::Secret,
        _ => Role::Unknown,
    }
}

/// Splits `apiKey`, `API_KEY` and `api-key` alike into lower-case words.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        current.push(ch.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A Kubernetes object name (a value under `existingSecret`, `tlsSecret`, `DB_PASSWORD_SECRET`).
fn is_object_name(value: &str) -> bool {
    crate::spec::validate::is_dns_subdomain(value)
}

/// An identifier: `ENV_NAME`, `kebab-name`, `snake_name`, `dotted.name`, `camelName`.
fn identifier_words(value: &str) -> Option<Vec<String>> {
    let ok = value.len() <= 128
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !value.contains("--")
        && !value.contains("..");
    let words = name_words(value);
    (ok && words.len() >= 2).then_some(words)
}

/// Words that end the name of a key inside a Secret (`admin-password`, `tls.key`, `JWT_SECRET`).
const KEY_NAME_WORDS: &[&str] = &[
    "password",
    "passwords",
    "passwd",
    "pass",
    "secret",
    "secrets",
    "token",
    "tokens",
    "key",
    "keys",
    "apikey",
    "crt",
    "cert",
    "pem",
    "jks",
    "p12",
    "pfx",
    "keystore",
    "truststore",
    "credentials",
    "creds",
    "auth",
    "passphrase",
    "dsn",
    "url",
    "uri",
];

/// Whether an environment-variable-like upper-case name (`JWT_SECRET`, `DB_PASSWORD`) is the whole value.
fn is_env_like(value: &str) -> bool {
    value.contains('_')
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A value under `*SecretKey` that names a key inside a Secret rather than being one.
fn names_a_key(value: &str) -> bool {
    is_env_like(value)
        || identifier_words(value).is_some_and(|w| {
            w.last()
                .is_some_and(|l| KEY_NAME_WORDS.contains(&base(l.as_str())))
        })
}

/// A value under a secret's own name that maps it to a name: an environment variable (`password: DB_PASSWORD`), a
/// property path (`password: db.password`), or a Secret object (`secret: app-secrets`).
fn maps_a_name(value: &str) -> bool {
    const OBJECT_WORDS: &[&str] = &["secrets", "credentials", "creds", "tls", "keys", "certs"];
    if is_env_like(value) {
        return true;
    }
    let Some(words) = identifier_words(value) else {
        return false;
    };
    let dotted = value.contains('.')
        && words
            .iter()
            .any(|w| KEY_NAME_WORDS.contains(&base(w.as_str())));
    let object = is_object_name(value)
        && value.contains('-')
        && value
            .rsplit('-')
            .next()
            .is_some_and(|last| OBJECT_WORDS.contains(&last));
    dotted || object
}

/// `user:password`, or an HTTP scheme with credentials (`Basic dXNlcjpwdw==`).
fn auth_shaped(value: &str) -> bool {
    if let Some((user, password)) = value.split_once(':') {
        return !user.is_empty()
            && !password.is_empty()
            && !value.contains(char::is_whitespace)
            && !is_reference_or_placeholder(password);
    }
    if let Some((scheme, rest)) = value.split_once(' ') {
        return matches!(
            scheme.to_ascii_lowercase().as_str(),
            "basic" | "bearer" | "token" | "digest"
        ) && rest.trim().len() >= 8
            && !is_reference_or_placeholder(rest.trim());
    }
    // A single word is a mode or mechanism (`required`, `scram`); anything else may be a password.
    !value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
}

/// A value that stands for a secret without being one: a reference, an interpolation, code that looks the
/// secret up, a file path, a placeholder.
fn is_reference_or_placeholder(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    // Interpolation and templates: shell `$(…)` `${…}`, Helm/Go/Jinja `{{ }}`, ERB `<% %>`, Ruby `#{}`,
    // Python `%(name)s`.
    if ["${", "$(", "{{", "<%", "#{", "%("]
        .iter()
        .any(|m| value.contains(m))
    {
        return true;
    }
    if has_variable(value) || is_code_lookup(value) || is_format_verb(value) {
        return true;
    }
    // YAML tags that resolve at load time (`!env DB_PASSWORD`, `!vault …`).
    if let Some(rest) = value.strip_prefix('!')
        && let Some((tag, arg)) = rest.split_once(' ')
        && !tag.is_empty()
        && tag.chars().all(|c| c.is_ascii_alphabetic())
        && !arg.trim().is_empty()
    {
        return true;
    }
    // Secret-manager references: `vault:secret/db#password`, `arn:aws:secretsmanager:…`, `env:DB_PASSWORD`.
    if let Some((scheme, rest)) = lower.split_once(':')
        && !rest.is_empty()
        && matches!(
            scheme.split('+').next().unwrap_or(scheme),
            "env"
                | "vault"
                | "secret"
                | "secrets"
                | "arn"
                | "ssm"
                | "secretsmanager"
                | "awssm"
                | "gcpsm"
                | "azkv"
                | "keyvault"
                | "ref"
                | "op"
                | "sops"
                | "file"
                | "k8s"
        )
    {
        return true;
    }
    if value.starts_with('/') || value.starts_with("./") || value.starts_with("~/") {
        return true;
    }
    if value.starts_with('<') && value.ends_with('>') {
        return true;
    }
    let trimmed = lower.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if trimmed.is_empty()
        || value
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '_' | '…'))
    {
        return true;
    }
    PLACEHOLDERS.contains(&trimmed)
        || lower.starts_with("your-")
        || lower.starts_with("your_")
        || lower.starts_with("replace")
        || lower.starts_with("change-me")
        || lower.starts_with("change_me")
        || lower.starts_with("changeme")
        || lower.contains("placeholder")
        || lower.ends_with("-here")
        || lower.ends_with("_here")
}

/// `$VAR` at the start, or `$UPPER_CASE` anywhere (`user:$DB_PASSWORD`, `Bearer $TOKEN`); `$$` is an escape.
fn has_variable(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'$' || (i > 0 && bytes[i - 1] == b'$') {
            return false;
        }
        let rest = &bytes[i + 1..];
        if i == 0 {
            return rest
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
        }
        let name: Vec<u8> = rest
            .iter()
            .copied()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
            .collect();
        name.len() >= 2
            && name[0].is_ascii_uppercase()
            && rest
                .get(name.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Code that reads the secret at run time: `os.environ['X']`, `os.getenv("X")`, `env('X')`, `ENV.fetch("X")`,
/// `System.getenv("X")`, `process.env.X`.
fn is_code_lookup(value: &str) -> bool {
    let v = value.trim_end_matches([',', ';']);
    let chain_len = v
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':')))
        .unwrap_or(v.len());
    let chain = &v[..chain_len];
    if chain.is_empty() || !chain.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return false;
    }
    let rest = &v[chain_len..];
    let call = match rest.chars().next() {
        Some('(') => rest.contains(')'),
        Some('[') => rest.contains(']'),
        _ => false,
    };
    let env_path = rest.is_empty()
        && chain.contains('.')
        && chain.split(['.', ':']).any(|s| {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "env" | "environ" | "environment" | "getenv"
            )
        });
    call || env_path
}

/// A printf verb standing for the value (`%s`, `%v`).
fn is_format_verb(value: &str) -> bool {
    value.len() <= 4
        && value.starts_with('%')
        && value[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "replaceme",
    "replace-me",
    "replace_me",
    "todo",
    "tbd",
    "none",
    "null",
    "nil",
    "redacted",
    "secret",
    "password",
    "token",
    "example",
    "dummy",
    "test",
    "placeholder",
    "set-me",
    "setme",
    "empty",
    "unset",
    "default",
    "na",
    "n-a",
];

/// Values that are configuration whatever their name says: booleans, numbers, durations, URLs without a
/// password, algorithms, backends and enum-like mode words.
fn could_be_credential(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if value.parse::<f64>().is_ok() {
        // A numeric PIN is rare in manifests; numbers under secret names are TTLs, sizes and flags.
        return false;
    }
    if value.contains("://") && url_passwords(value).is_empty() {
        return false;
    }
    // Durations like 30s, 15m, 24h.
    if value.len() <= 6
        && value.ends_with(['s', 'm', 'h', 'd'])
        && value[..value.len() - 1].parse::<u32>().is_ok()
    {
        return false;
    }
    !is_config_word(&lower)
}

/// An algorithm, a backend or a mode word (lower-case input): `argon2`, `hs256`, `redis`, `vault`, `required`.
fn is_config_word(lower: &str) -> bool {
    const WORDS: &[&str] = &[
        // Booleans and modes.
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "enabled",
        "disabled",
        "enable",
        "disable",
        "required",
        "optional",
        "want",
        "need",
        "none",
        "all",
        "any",
        "strict",
        "lax",
        "auto",
        "manual",
        "always",
        "never",
        "allow",
        "deny",
        "reject",
        "require",
        "prefer",
        "verify-full",
        "verify-ca",
        "insecure",
        "secure",
        "internal",
        "external",
        "builtin",
        "static",
        "dynamic",
        "generated",
        "random",
        "opaque",
        // Authentication schemes and protocols.
        "basic",
        "bearer",
        "digest",
        "ntlm",
        "negotiate",
        "oauth",
        "oauth2",
        "oidc",
        "saml",
        "ldap",
        "ldaps",
        "kerberos",
        "gssapi",
        "jwt",
        "jwe",
        "jws",
        "jwks",
        "mtls",
        "tls",
        "ssl",
        "sasl",
        "sasl_ssl",
        "sasl_plaintext",
        "plaintext",
        "plain",
        "scram",
        "trust",
        "peer",
        "ident",
        "md5",
        "cookie",
        "header",
        "query",
        "form",
        "session",
        "apikey",
        "hmac",
        // Hashers and ciphers.
        "bcrypt",
        "scrypt",
        "argon2",
        "argon2i",
        "argon2d",
        "argon2id",
        "pbkdf2",
        "crypt",
        "sha1",
        "sha256",
        "sha384",
        "sha512",
        "sha-1",
        "sha-256",
        "sha-512",
        "rsa",
        "ecdsa",
        "ed25519",
        "eddsa",
        "aes",
        "aes128",
        "aes256",
        "aes-128-gcm",
        "aes-256-gcm",
        "aes-256-cbc",
        "chacha20-poly1305",
        // Backends and stores.
        "redis",
        "memcached",
        "memcache",
        "memory",
        "inmemory",
        "in-memory",
        "file",
        "files",
        "filesystem",
        "disk",
        "database",
        "db",
        "sql",
        "sqlite",
        "kubernetes",
        "k8s",
        "vault",
        "consul",
        "etcd",
        "env",
        "environment",
        "local",
        "s3",
        "gcs",
        "azure",
        "aws",
        "gcp",
        "keyring",
        "keychain",
        "secretsmanager",
        "ssm",
        "kms",
    ];
    if WORDS.contains(&lower) {
        return true;
    }
    // Algorithm families: HS256, RS512, ES384, PS256, SHA3-256, PBKDF2-SHA256, HMAC-SHA256, SCRAM-SHA-256.
    // `get`, not slicing: byte 2 may fall inside a multi-byte character (`a€b` is five bytes).
    let jose = lower.len() == 5
        && lower
            .get(..2)
            .is_some_and(|p| ["hs", "rs", "es", "ps"].contains(&p))
        && lower
            .get(2..)
            .is_some_and(|d| ["256", "384", "512"].contains(&d));
    let family = ["sha", "pbkdf2", "hmac", "scram", "argon2", "aes-", "rsa-"]
        .iter()
        .any(|p| {
            lower.starts_with(p)
                && lower[p.len()..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | 's' | 'h' | 'a'))
        });
    jose || family
}

/// The byte ranges of the passwords of every `scheme://user:password@host` in a text. A password may hold
/// URL-reserved characters that people paste unencoded (`#`, `?`, `@`); a `/` ends the authority.
fn url_passwords(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("://") {
        let sep = from + i;
        from = sep + 3;
        let scheme_start = text[..sep]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            .last()
            .map_or(sep, |(j, _)| j);
        if !text[scheme_start..sep]
            .chars()
            .any(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let rest = &text[sep + 3..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>' | '/'))
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..at];
        let Some(colon) = userinfo.find(':') else {
            continue;
        };
        let password = &userinfo[colon + 1..];
        // `host:8080?next=a@b` is a port and a query, not credentials.
        let port_query = password
            .split(['?', '#'])
            .next()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            && password.contains(['?', '#']);
        if password.is_empty()
            || port_query
            || password.starts_with('$')
            || is_reference_or_placeholder(password)
        {
            continue;
        }
        let start = sep + 3 + colon + 1;
        out.push(start..start + password.len());
    }
    out
}

/// Words of a text with their byte offsets, split at whitespace and punctuation that never occurs in a token.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\''
                    | '`'
                    | '='
                    | ','
                    | ';'
                    | ':'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '<'
                    | '>'
                    | '@'
                    | '/'
                    | '\\'
                    | '|'
            )
    })
    .scan(0usize, |offset, piece| {
        let start = *offset;
        *offset += piece.len();
        let token = piece
            .strip_suffix(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '"' | '\''
                            | '`'
                            | '='
                            | ','
                            | ';'
                            | ':'
                            | '('
                            | ')'
                            | '['
                            | ']'
                            | '{'
                            | '}'
                            | '<'
                            | '>'
                            | '@'
                            | '/'
                            | '\\'
                            | '|'
                    )
            })
            .unwrap_or(piece);
        Some((start, token))
    })
    .filter(|(_, t)| !t.is_empty())
}

/// Material that is public by design, whatever its key is called: PEM certificates, public keys, CRLs and
/// certificate requests (a private key is caught before this), and Stripe publishable keys (`pk_live_…`), which
/// a web page ships to every browser.
fn is_public_material(value: &str) -> bool {
    const PUBLIC_PEM: &[&str] = &[
        "CERTIFICATE",
        "TRUSTED CERTIFICATE",
        "X509 CERTIFICATE",
        "CERTIFICATE REQUEST",
        "NEW CERTIFICATE REQUEST",
        "X509 CRL",
        "PUBLIC KEY",
        "RSA PUBLIC KEY",
        "SSH2 PUBLIC KEY",
        "DH PARAMETERS",
        "EC PARAMETERS",
    ];
    if value.starts_with("-----BEGIN ") {
        let mut labels = value
            .split("-----BEGIN ")
            .skip(1)
            .map(|rest| rest.split("-----").next().unwrap_or(""));
        return labels.all(|label| PUBLIC_PEM.contains(&label));
    }
    ["pk_live_", "pk_test_"].iter().any(|p| {
        value
            .strip_prefix(p)
            .is_some_and(|rest| rest.len() >= 16 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
    })
}

/// PEM private keys with a real body: prose showing a header with `...` for a body is not a key.
fn private_keys(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("-----BEGIN ") {
        let start = from + i;
        let label_start = start + "-----BEGIN ".len();
        let Some(label_len) = text[label_start..].find("-----") else {
            break;
        };
        let label = &text[label_start..label_start + label_len];
        let body_start = label_start + label_len + 5;
        from = body_start;
        if !label.ends_with("PRIVATE KEY") || label.contains('\n') {
            continue;
        }
        let (body, end) = match text[body_start..].find("-----END") {
            Some(j) => {
                let end_line = text[body_start + j..]
                    .find('\n')
                    .map_or(text.len(), |k| body_start + j + k);
                (&text[body_start..body_start + j], end_line)
            }
            None => (&text[body_start..], text.len()),
        };
        let base64 = body
            .lines()
            .filter(|l| !l.contains(": ")) // `Proc-Type: 4,ENCRYPTED` headers
            .flat_map(str::chars)
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
            .count();
        // A body of real key material, however short; prose puts `...` or a placeholder there instead.
        if base64 >= 16 && !body.contains("...") && !body.contains('…') {
            out.push(Found {
                why: "a PEM private key",
                span: start..end,
            });
        }
        from = end.max(body_start);
    }
    out
}

fn token_kind(t: &str) -> Option<&'static str> {
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    let body = |prefix: &str, min: usize, extra: &[u8]| {
        t.strip_prefix(prefix).is_some_and(|r| {
            r.len() >= min
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
        })
    };
    if (t.starts_with("AKIA") || t.starts_with("ASIA"))
        && t.len() == 20
        && t[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some("an AWS access key ID");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        .iter()
        .any(|p| body(p, 36, b""))
        || body("github_pat_", 40, b"_")
    {
        return Some("a GitHub token");
    }
    if body("glpat-", 20, b"-_") {
        return Some("a GitLab token");
    }
    if body("sk-ant-", 32, b"-_") {
        return Some("an Anthropic API key");
    }
    if body("sk-proj-", 32, b"-_")
        || body("sk-svcacct-", 32, b"-_")
        || (body("sk-", 32, b"") && alnum(&t[3..]))
    {
        return Some("an OpenAI API key");
    }
    if body("AIza", 35, b"-_") {
        return Some("a Google API key");
    }
    if ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| body(p, 10, b"-"))
    {
        return Some("a Slack token");
    }
    if ["sk_live_", "rk_live_", "sk_test_"]
        .iter()
        .any(|p| body(p, 16, b""))
    {
        return Some("a Stripe secret key");
    }
    if is_jwt(t) {
        return Some("a JSON Web Token");
    }
    None
}

fn is_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[2].len() >= 16
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

/// Random-looking text: long, no spaces or path separators, mixed character classes, high Shannon entropy.
/// Pure hex is left out: in manifests it is almost always a checksum, digest or commit.
fn high_entropy(value: &str) -> bool {
    if value.len() < 24 || value.len() > 512 || value.contains([' ', '/', '\n', ':', '.']) {
        return false;
    }
    if value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return false;
    }
    let has_upper = value.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = value.bytes().any(|b| b.is_ascii_lowercase());
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    if !(has_upper && has_lower && has_digit) {
        return false;
    }
    shannon_entropy(value) > 4.2
}

fn shannon_entropy(value: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in value.bytes() {
        counts[b as usize] += 1;
    }
    let len = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Why a value stored in a Kubernetes Secret manifest is a secret, or `None`. Everything in a Secret is taken
/// for a secret (a committed Secret or a rendered one holds the real values) except what its key names as not
/// one (`username`, `root-user`, `cluster-id`, `ca.crt`, `tls.crt`), stand-ins (empty, references,
/// placeholders, configuration) and names of other Secrets or keys; an unmistakable format is a secret whatever
/// the key says (a private key in `tls.crt`).
pub fn in_secret(name: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || is_reference_or_placeholder(value) {
        return None;
    }
    if let Some(found) = unmistakable(value) {
        return Some(found.why.to_string());
    }
    if is_public_material(value) {
        return None;
    }
    match role(&name_words(name)) {
        Role::NotSecret => return None,
        Role::SecretObject if is_object_name(value) => return None,
        Role::KeyOrSecret if names_a_key(value) => return None,
        _ => {}
    }
    // A stand-in (configuration, a reference, a name) is none even under a password's name.
    classify("password", value)?;
    Some(classify(name, value).unwrap_or_else(|| "a literal value".into()))
}

/// Standard base64 (what Kubernetes uses for `data`), tolerant of whitespace; `None` when it is not base64.
pub fn decode_base64(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(name: &str, value: &str) -> bool {
        classify(name, value).is_some()
    }

    fn names_a_non_secret(name: &str) -> bool {
        role(&name_words(name)) == Role::NotSecret
    }

    #[test]
    fn finds_secrets() {
        assert!(secret("DB_PASSWORD", "hunter22"));
        assert!(secret("password", "admin"));
        assert!(secret(
            "DATABASE_URL",
            "postgresql://app:s3cretpw@ep-x.neon.tech/db"
        ));
        assert!(secret(
            "X",
            "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"
        ));
        assert!(secret("X", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
        assert!(secret("X", "AKIAIOSFODNN7EXAMPLE"));
        assert!(secret(
            "config.json",
            "{\"key\": \"sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345\"}"
        ));
        assert!(secret("apiKey", "q8Zr2LmX9vT4pK7wN3bY6cH1"));
        assert!(secret("BASIC_AUTH", "user:pw"));
        assert!(secret("OPAQUE", "Zq8r2LmX9vT4pK7wN3bY6cH1aJ5dE0fG"));
        assert!(secret(
            "k",
            &format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEA1c2Ew0pQ9".repeat(4)
            )
        ));
    }

    #[test]
    fn leaves_non_secrets_alone() {
        for (name, value) in [
            ("SECRETS_DIR", "/var/run/secrets"),
            ("API_KEY_FILE", "/etc/key"),
            ("TOKEN_EXPIRY", "3600"),
            ("JWT_ALGORITHM", "HS256"),
            ("BETTER_AUTH_URL", "http://localhost:3000"),
            ("DATABASE_URL", "postgresql://app@db:5432/app"),
            ("DB_PASSWORD", "$(DB_PASSWORD_FROM_ENV)"),
            ("DB_PASSWORD", ""),
            ("DB_PASSWORD", "changeme"),
            ("OPENAI_API_KEY", "<your-openai-key>"),
            ("OPENAI_API_KEY", "your-api-key-here"),
            ("AUTH_ENABLED", "true"),
            ("SECRET_NAME", "app-secrets"),
            (
                "checksum/config",
                "5e8b7c1f0a0e4e7d9a1c3b2f6d8e0a4c7b9d1f3e5a7c9b1d3f5e7a9c1b3d5f7e",
            ),
            ("LOG_LEVEL", "info"),
            ("NEXT_PUBLIC_API_URL", "http://backend:8000"),
            ("TOKEN_TTL", "15m"),
            ("existingSecret", "my-app"),
            ("secret", "app-secrets"),
            ("jwtSecretKey", "JWT_SECRET"),
        ] {
            assert_eq!(classify(name, value), None, "{name}={value}");
        }
    }

    #[test]
    fn user_names_are_not_secrets() {
        for name in [
            "username",
            "root-user",
            "tomcat-username",
            "mongodb-root-username",
            "credentials.username",
            "TOKEN_USER",
            "auth.adminUser",
        ] {
            assert!(!secret(name, "admin"), "{name}");
            assert!(names_a_non_secret(name), "{name}");
        }
        assert!(!names_a_non_secret("tomcat-password"));
    }

    #[test]
    fn certificates_publishable_keys_and_database_names_are_not_secrets_under_any_key() {
        let cert = "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n";
        assert!(in_secret("server-cert.pem", cert).is_none());
        assert!(in_secret("ca.pem", cert).is_none());
        assert!(classify("SSL_CERT_SECRET", cert).is_none());
        let chain = format!("{cert}{cert}");
        assert!(in_secret("chain.pem", &chain).is_none());
        let key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        assert!(in_secret("server-cert.pem", &format!("{cert}{key}")).is_some());
        assert!(
            classify(
                "STRIPE_PUBLISHABLE_KEY",
                "pk_live_51H8xYzAbCdEfGhIjKlMnOpQr"
            )
            .is_none()
        );
        assert!(classify("STRIPE_SECRET_KEY", "sk_live_51H8xYzAbCdEfGhIjKlMnOpQr").is_some());
        for key in ["database", "dbname", "region", "REDIS_DB"] {
            assert!(in_secret(key, "orders-prod").is_none(), "{key}");
        }
        assert!(in_secret("database-password", "orders-prod-2024").is_some());
    }

    #[test]
    fn public_material_is_not_secret_but_the_private_key_beside_it_is() {
        for name in ["tls.crt", "ca.crt", "ca-cert", "caBundle", "truststore"] {
            assert!(names_a_non_secret(name), "{name}");
        }
        let cert = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa".repeat(3)
        );
        assert!(!secret("tls.crt", &cert));
        assert!(unmistakable(&cert).is_none());
        let key = cert.replace("CERTIFICATE", "PRIVATE KEY");
        assert!(!names_a_non_secret("tls.key"));
        assert!(secret("tls.key", &key));
        // A private key is found whatever the name, even one that says "certificate".
        assert!(secret("tls.crt", &format!("{cert}{key}")));
    }

    #[test]
    fn generated_identifiers_are_not_secrets() {
        for name in [
            "cluster-id",
            "controller-0-id",
            "kraft-cluster-id",
            "KAFKA_KRAFT_CLUSTER_ID",
        ] {
            assert!(!secret(name, "Zq8r2LmX9vT4pK7wN3bY6c"), "{name}");
            assert!(names_a_non_secret(name), "{name}");
        }
        // Only the name's head decides: a secret id is a credential.
        assert!(!names_a_non_secret("controller-password"));
    }

    #[test]
    fn references_in_config_files_are_not_secrets() {
        for value in [
            "os.environ['DB_PASSWORD']",
            "os.environ.get(\"DB_PASSWORD\", \"\")",
            "os.getenv('DB_PASSWORD')",
            "env('DB_PASSWORD')",
            "getenv(\"DB_PASSWORD\")",
            "System.getenv(\"DB_PASSWORD\")",
            "ENV.fetch('DB_PASSWORD')",
            "ENV['DB_PASSWORD']",
            "process.env.DB_PASSWORD",
            "$(echo \"$AUTH\" | sed 's/^[^:]*://')",
            "${DB_PASSWORD}",
            "${DB_PASSWORD:-}",
            "$DB_PASSWORD",
            "$oidc.keycloak.clientSecret",
            "%(DB_PASSWORD)s",
            "<%= ENV['DB_PASSWORD'] %>",
            "!env DB_PASSWORD",
            "vault:secret/data/db#password",
            "DB_PASSWORD",
            "db.password",
            "%s",
        ] {
            assert!(!secret("password", value), "{value}");
        }
        // A literal with a dollar sign is still a literal.
        assert!(secret("password", "p@$$w0rd"));
    }

    #[test]
    fn values_that_name_a_secret_or_a_key_in_one_are_not_secrets() {
        for (name, value) in [
            ("existingSecret", "keycloak-auth"),
            ("auth.existingSecret", "redis"),
            ("existingSecretPasswordKey", "redis-password"),
            ("adminPasswordKey", "postgres-password"),
            ("secretKeys.replicationPasswordKey", "replication-password"),
            ("passwordSecretKey", "password"),
            ("passwordSecretKey", "admin-password"),
            ("adminPasswordSecretKey", "keycloak-admin-password"),
            ("tls.passwordsSecretKeystoreKey", "keystore-password"),
            ("passwordSecretKeystoreKey", "keystore-password"),
            ("tlsSecret", "tomcat"),
            ("ssl.secret", "kafka-certs"),
            ("ssl.secret", "kafka"),
            ("DB_PASSWORD_SECRET", "app-db"),
            ("imagePullSecret", "regcred"),
            ("secretKey", "tls.key"),
            ("sslClientAuth", "required"),
            ("tls.sslClientAuth", "none"),
            ("auth", "scram"),
        ] {
            assert_eq!(classify(name, value), None, "{name}: {value}");
        }
        // The name of a Secret is a Kubernetes name; a random string under `tlsSecret` is not one.
        assert!(secret("tlsSecret", "Zq8r2LmX9vT4pK7wN3bY6cH1aJ5dE0fG"));
    }

    #[test]
    fn harmless_values_of_secret_looking_names() {
        for (name, value) in [
            ("PASSWORD_HASHER", "argon2"),
            ("TOKEN_CACHE", "redis"),
            ("SECRET_BACKEND", "vault"),
            ("DB_PASSWORD_SECRET", "app-db"),
            ("password_encryption", "scram-sha-256"),
            ("SIGNING_KEY_ALGORITHM", "RS256"),
            ("JWT_SIGNING_KEY", "HS512"),
            ("TOKEN_EXPIRES_IN", "3600"),
            ("SECRET", "vault"),
            ("PASSWORD_MIN_LENGTH", "12"),
            ("TOKEN_STORE", "memory"),
            ("ENCRYPTION_KEY", "true"),
        ] {
            assert_eq!(classify(name, value), None, "{name}: {value}");
        }
    }

    #[test]
    fn human_chosen_values_of_secret_names_are_secrets() {
        for (name, value) in [
            ("JWT_SECRET", "my-super-secret-jwt-value"),
            ("JWT_SECRET", "supersecret"),
            ("ADMIN_PASSWORD", "Admin123!"),
            ("POSTGRES_PASSWORD", "postgres"),
            ("GITEA_TOKEN", "letmein"),
            ("REDIS_PASSWORD", "redis-pass-2024"),
            ("SECRET_KEY", "django-insecure-x1y2z3"),
            ("passwords.admin", "hunter2"),
            ("tokens.github", "mytoken123"),
            ("PGPASSWORD", "hunter2"),
            ("JWT_SECRET_OLD", "hunter2"),
            ("SECRET_KEY_BASE", "hunter2hunter2"),
            ("auth.adminPassword", "admin"),
            // A word saying how the value is given does not make it anything but the secret.
            ("DB_PASSWORD_INLINE", "hunter2hunter2"),
            ("ADMIN_PASSWORD_DEFAULT", "changeit-now"),
            ("API_TOKEN_OVERRIDE", "tok-2024-abc"),
        ] {
            assert!(secret(name, value), "{name}: {value}");
        }
    }

    #[test]
    fn url_passwords_with_reserved_characters() {
        for url in [
            "postgresql://app:p#ss@db:5432/app",
            "redis://:s3cr?t@redis:6379/0",
            "mongodb://root:p@ss@mongo/admin",
            "amqp://guest:tr0ub#4dor@rabbit",
        ] {
            assert!(secret("X", url), "{url}");
            assert_eq!(
                unmistakable(url).map(|f| f.why),
                Some("a URL with an embedded password")
            );
        }
        let url = "postgresql://app:p#ss@db/app";
        let span = unmistakable(url).map(|f| f.span).unwrap_or_default();
        assert_eq!(&url[span], "p#ss");
        for url in [
            "http://host:8080?next=a@b",
            "postgresql://app:${DB_PASSWORD}@db/app",
            "postgresql://app:$(PW)@db/app",
            "postgresql://app:<password>@db/app",
            "postgresql://app:%s@db/app",
        ] {
            assert!(unmistakable(url).is_none(), "{url}");
        }
    }

    #[test]
    fn pem_headers_in_prose_are_not_keys() {
        let notes = "Create the Secret with your key:\n  -----BEGIN RSA PRIVATE KEY-----\n  ...\n  -----END RSA PRIVATE KEY-----\n";
        assert!(unmistakable(notes).is_none());
        assert!(unmistakable("-----BEGIN PRIVATE KEY-----").is_none());
        let key = format!(
            "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----",
            "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oCMA3v1cWdEHoAoGCCqGSM49".repeat(2)
        );
        let found = unmistakable(&format!("tls.key: |\n{key}\n")).map(|f| f.span);
        assert_eq!(found, Some(11..11 + key.len()));
    }

    #[test]
    fn redact_masks_only_the_value() {
        assert_eq!(
            redact("keycloak.auth.adminPassword: admin", "admin"),
            "keycloak.auth.adminPassword: ********"
        );
        assert_eq!(
            redact("admin-password: admin", "admin"),
            "admin-password: ********"
        );
        assert_eq!(
            redact("value: \"hunter2\".", "hunter2"),
            "value: \"********\"."
        );
        // No character of the secret is kept, whatever its length.
        let token = "sk-proj-abcdefghijklmnop";
        assert_eq!(redact(&format!("key={token}"), token), "key=********");
        // Long secrets are masked even when glued to other text.
        assert_eq!(redact(&format!("x{token}y"), token), "x********y");
        // Escaped forms, and each line of a multi-line secret.
        assert_eq!(
            redact(r#"{"pw": "a\"b\\c"}"#, "a\"b\\c"),
            r#"{"pw": "********"}"#
        );
        assert_eq!(redact("pw: 'it''s'", "it's"), "pw: '********'");
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END PRIVATE KEY-----";
        assert_eq!(redact("    MIIEowIBAAKCAQEA", pem), "    ********");
        assert_eq!(redact("nothing here", ""), "nothing here");
        assert_eq!(redact("héllo wörld", "wörld"), "héllo ********");
    }

    #[test]
    fn splits_names_into_words() {
        assert_eq!(name_words("apiKey"), ["api", "key"]);
        assert_eq!(name_words("OPENAI_API_KEY"), ["openai", "api", "key"]);
        assert_eq!(name_words("client-secret"), ["client", "secret"]);
    }
}
