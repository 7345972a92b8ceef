//! Kubernetes resource quantities (`100m`, `0.5`, `256Mi`, `1e3`), enough to compare a request with a limit.

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    text: String,
    value: f64,
}

impl Quantity {
    /// Parses the Kubernetes quantity grammar: a signless decimal number and an optional binary (`Ki`…`Ei`),
    /// decimal (`n u m k M G T P E`) or exponent (`e3`, `E-2`) suffix.
    pub fn parse(text: &str) -> Option<Quantity> {
        let t = text.trim();
        if t != text || t.is_empty() {
            return None;
        }
        let t = t.strip_prefix('+').unwrap_or(t);
        let number_end = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (number, suffix) = t.split_at(number_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let base: f64 = number.parse().ok()?;
        let multiplier = match suffix {
            "" => 1.0,
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => 1024.0,
            "Mi" => 1024f64.powi(2),
            "Gi" => 1024f64.powi(3),
            "Ti" => 1024f64.powi(4),
            "Pi" => 1024f64.powi(5),
            "Ei" => 1024f64.powi(6),
            exp if exp.starts_with(['e', 'E']) => {
                let digits = &exp[1..];
                let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
                if unsigned.is_empty()
                    || !unsigned.bytes().all(|b| b.is_ascii_digit())
                    || unsigned.len() > 3
                {
                    return None;
                }
                10f64.powi(digits.parse().ok()?)
            }
            _ => return None,
        };
        Some(Quantity {
            text: text.to_string(),
            value: base * multiplier,
        })
    }

    pub fn value(&self) -> f64 {
        self.value
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    #[test]
    fn parses_the_kubernetes_grammar() {
        let v = |s: &str| Quantity::parse(s).map(|q| q.value());
        assert_eq!(v("100m"), Some(0.1));
        assert_eq!(v("1"), Some(1.0));
        assert_eq!(v("0.5"), Some(0.5));
        assert_eq!(v("256Mi"), Some(256.0 * 1024.0 * 1024.0));
        assert_eq!(v("1e3"), Some(1000.0));
        assert_eq!(v("1G"), Some(1e9));
        for bad in ["", "abc", "256MB", "1.2.3", "-1", " 1", "m", "1e", "."] {
            assert_eq!(v(bad), None, "{bad}");
        }
    }
}
