/// The tag of an image reference (`latest` of `app:latest`), empty when it has none. A registry's port
/// (`localhost:5000/app`) is not a tag.
fn tag_of(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.rsplit_once(':').map_or("", |(_, tag)| tag)
}

/// Why an image reference is mutable, if it is.
fn mutable_tag(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    match tag_of(image) {
        "latest" => Some("with the mutable tag `latest`"),
        "" => Some("without a tag (that means `latest`)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags() {
        assert!(super::mutable_tag("nginx").is_some());
        assert!(super::mutable_tag("nginx:latest").is_some());
        assert!(super::mutable_tag("localhost:5000/app").is_some());
        assert!(super::mutable_tag("localhost:5000/app:1.0").is_none());
        assert!(super::mutable_tag("app@sha256:abc").is_none());
    }
}

use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Flags container images with no tag or the tag `latest`. Images pinned by digest (`@sha256:…`) pass.
///
/// ## Why is this bad?
/// A mutable tag makes a rollout non-reproducible: two pods of one Deployment can run different code, a rollback
/// does not roll the code back, and `IfNotPresent` keeps whatever image a node pulled first.
///
/// ## Example
/// ```yaml
/// containers:
///   - name: api
///     image: ghcr.io/acme/api:latest
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: api
///     image: ghcr.io/acme/api:1.4.2
/// ```
    pub struct MutableImageTag {
        name: "mutable-image-tag",
        severity: Warning,
        profile: None,
        summary: "an image referenced by `latest` or by no tag",
    }
}

impl Rule for MutableImageTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let Some(node) = c.node.get("image") else {
                return;
            };
            let Some(image) = node.as_str() else { return };
            if let Some(problem) = mutable_tag(image) {
                let message = format!("container `{}` uses image `{image}` {problem}", c.name);
                out.push(unit.part_finding(
                    &Self::META,
                    object,
                    Some(&c.name),
                    &c.field(&["image"]),
                    node,
                    tag_of(image),
                    message,
                ));
            }
        });
    }
}
