//! Deciding whether a literal value is a secret.
//!
//! Shared by spec validation (config values are written to a ConfigMap in plain text) and the
//! `plaintext-secret` lint rule. The anchors' failures shape it (`../shared/reference/lint-anchors.md`):
//! kube-linter fires on any name containing SECRET (`SECRETS_DIR`, `secretKeyRef`), kubescape on `*_FILE` and
//! `*_KEY_PATH`, checkov misses secrets without a known token format. So a name alone is never enough: a
//! secret-like name needs a value that could be a credential, and a value alone is enough only when its format
//! is unmistakable (a known token, a PEM key, a URL with a password) or it is high-entropy random text.

/// Why a value is considered a secret, or `None` when it is not one.
pub fn classify(name: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || is_reference_or_placeholder(value) {
        return None;
    }
    if let Some(kind) = known_token(value) {
        return Some(kind.to_string());
    }
    if url_password(value).is_some() {
        return Some("a URL with an embedded password".into());
    }
    let words = name_words(name);
    let exempt_name = words
        .last()
        .is_some_and(|w| EXEMPT_LAST_WORDS.contains(&w.as_str()));
    if exempt_name {
        return None;
    }
    if is_secret_name(&words) && could_be_credential(value) && !names_a_secret(&words, value) {
        return Some("a secret-like name with a literal value".into());
    }
    if high_entropy(value) {
        return Some("a high-entropy string".into());
    }
    None
}

/// Unmistakable formats only (known tokens, PEM keys, URLs with a password): for free text such as template
/// lines, where names and entropy say too little.
pub fn unmistakable(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(kind) = known_token(value) {
        return Some(kind.to_string());
    }
    url_password_in(value).map(|_| "a URL with an embedded password".to_string())
}

/// The password of the first `scheme://user:password@host` anywhere in a text.
fn url_password_in(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ',' | ';' | '(' | ')'))
        .find_map(url_password)
}

/// A value under a secret-like name that is the NAME of a secret, not its content: `existingSecret: app-secrets`,
/// `secretKey: JWT_SECRET` (a key inside a Secret).
fn names_a_secret(words: &[String], value: &str) -> bool {
    if words.iter().any(|w| w == "existing") {
        return true;
    }
    let env_like = value.contains('_')
        && value.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let object_name = value.split('-').count() > 1
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && [
            "secret",
            "secrets",
            "credentials",
            "token",
            "tokens",
            "keys",
        ]
        .iter()
        .any(|w| value.split('-').any(|p| p == *w));
    env_like || object_name
}

/// Masks a secret for display: never more than the first two characters of a long value.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() >= 16 {
        format!("{}{}", chars[..2].iter().collect::<String>(), "*".repeat(8))
    } else {
        "********".into()
    }
}

/// A value that stands for a secret without being one.
fn is_reference_or_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    // $(VAR) and ${VAR} interpolation, Helm/Go templates, file and path references.
    if (value.starts_with("$(") || value.starts_with("${")) && value.ends_with([')', '}']) {
        return true;
    }
    if value.contains("{{")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("file://")
    {
        return true;
    }
    if value.starts_with('<') && value.ends_with('>') {
        return true;
    }
    let trimmed = lower.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if trimmed.is_empty()
        || value
            .chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.' || c == '-')
    {
        return true;
    }
    PLACEHOLDERS.contains(&trimmed)
        || lower.starts_with("your-")
        || lower.starts_with("your_")
        || lower.starts_with("replace")
        || lower.starts_with("change-me")
        || lower.starts_with("changeme")
        || lower.contains("placeholder")
        || lower.ends_with("-here")
        || lower.ends_with("_here")
}

const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change-me",
    "change_me",
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

/// The last word of a name that says the value is about a secret, not the secret itself.
const EXEMPT_LAST_WORDS: &[&str] = &[
    "file",
    "path",
    "dir",
    "directory",
    "name",
    "names",
    "ref",
    "url",
    "uri",
    "endpoint",
    "host",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "length",
    "algorithm",
    "alg",
    "issuer",
    "audience",
    "type",
    "enabled",
    "enable",
    "header",
    "mode",
    "count",
    "size",
    "timeout",
    "duration",
    "lifetime",
    "seconds",
    "secs",
    "minutes",
    "hours",
    "days",
    "version",
    "id",
    "field",
    "prefix",
    "location",
    "provider",
    "required",
    "rotation",
    "policy",
    "store",
    "format",
];

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

fn is_secret_name(words: &[String]) -> bool {
    const ALONE: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "secrets",
        "token",
        "tokens",
        "credential",
        "credentials",
        "apikey",
        "passphrase",
        "privatekey",
        "secretkey",
        "accesskey",
        "authtoken",
        "bearer",
        "dsn",
    ];
    const BEFORE_KEY: &[&str] = &[
        "api",
        "private",
        "access",
        "secret",
        "signing",
        "encryption",
        "master",
        "session",
        "ssh",
        "client",
        "license",
    ];
    let has = |w: &str| words.iter().any(|x| x == w);
    if words.iter().any(|w| ALONE.contains(&w.as_str())) {
        return true;
    }
    if words
        .windows(2)
        .any(|p| p[1] == "key" && BEFORE_KEY.contains(&p[0].as_str()))
    {
        return true;
    }
    // `BASIC_AUTH`, `AUTH`: the value is usually `user:password`.
    words
        .last()
        .is_some_and(|w| w == "auth" || w == "authorization")
        || (has("connection") && has("string"))
}

/// Values under a secret-like name that are clearly configuration, not credentials.
fn could_be_credential(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled"
    ) {
        return false;
    }
    if value.parse::<f64>().is_ok() {
        // A numeric PIN is rare in manifests; numbers under secret names are TTLs and sizes.
        return false;
    }
    if value.contains("://") && url_password(value).is_none() {
        return false;
    }
    // Durations like 30s, 15m, 24h.
    if value.len() <= 6
        && value.ends_with(['s', 'm', 'h', 'd'])
        && value[..value.len() - 1].parse::<u32>().is_ok()
    {
        return false;
    }
    true
}

/// The password part of `scheme://user:password@host`, when it is a real literal.
fn url_password(value: &str) -> Option<&str> {
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    if password.is_empty() || is_reference_or_placeholder(password) || password.starts_with('$') {
        return None;
    }
    Some(password)
}

/// Unmistakable credential formats.
fn known_token(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a PEM private key");
    }
    for token in
        value.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '=' | ',' | ';'))
    {
        if let Some(kind) = token_kind(token) {
            return Some(kind);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secrets() {
        assert!(classify("DB_PASSWORD", "hunter22").is_some());
        assert!(classify("password", "admin").is_some());
        assert!(
            classify(
                "DATABASE_URL",
                "postgresql://app:s3cretpw@ep-x.neon.tech/db"
            )
            .is_some()
        );
        assert!(classify("X", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD").is_some());
        assert!(classify("X", "ghp_abcdefghijklmnopqrstuvwxyz0123456789").is_some());
        assert!(classify("X", "AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(
            classify(
                "config.json",
                "{\"key\": \"sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345\"}"
            )
            .is_some()
        );
        assert!(classify("apiKey", "q8Zr2LmX9vT4pK7wN3bY6cH1").is_some());
        assert!(classify("BASIC_AUTH", "user:pw").is_some());
        assert!(classify("OPAQUE", "Zq8r2LmX9vT4pK7wN3bY6cH1aJ5dE0fG").is_some());
        assert!(classify("k", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...").is_some());
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
    fn masks_without_leaking() {
        assert_eq!(mask("hunter22"), "********");
        assert_eq!(mask("sk-proj-abcdefghijklmnop"), "sk********");
    }

    #[test]
    fn splits_names_into_words() {
        assert_eq!(name_words("apiKey"), ["api", "key"]);
        assert_eq!(name_words("OPENAI_API_KEY"), ["openai", "api", "key"]);
        assert_eq!(name_words("client-secret"), ["client", "secret"]);
    }
}
