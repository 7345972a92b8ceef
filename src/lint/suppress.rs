//! Suppressions. Every one carries a reason: `chartgen.dev/ignore: "rule-a,rule-b -- why"`.

/// The object annotation; `chartgen.dev/ignore.<container>` narrows it to one container.
pub const ANNOTATION: &str = "chartgen.dev/ignore";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The annotation it came from.
    pub annotation: String,
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

impl Suppression {
    pub fn covers(&self, rule: &str) -> bool {
        self.rules.iter().any(|r| r == rule || r == "all")
    }
}

/// Parses `rule-a, rule-b -- reason`.
pub fn parse_annotation(annotation: &str, text: &str) -> Suppression {
    let (rules, reason) = match text.split_once("--") {
        Some((rules, reason)) => (
            rules,
            Some(reason.trim())
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        ),
        None => (text, None),
    };
    Suppression {
        annotation: annotation.to_string(),
        rules: rules
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reason() {
        let s = parse_annotation(
            ANNOTATION,
            "runs-as-root, missing-cpu-limit -- the vendor image needs root",
        );
        assert_eq!(s.rules, ["runs-as-root", "missing-cpu-limit"]);
        assert_eq!(s.reason.as_deref(), Some("the vendor image needs root"));
        assert!(s.covers("runs-as-root") && !s.covers("plaintext-secret"));
        assert_eq!(parse_annotation(ANNOTATION, "runs-as-root").reason, None);
        assert_eq!(
            parse_annotation(ANNOTATION, "runs-as-root --  ").reason,
            None
        );
    }
}
