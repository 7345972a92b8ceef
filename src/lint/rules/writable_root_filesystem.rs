use super::{CheckContext, Rule, RuleMeta};
use crate::lint::finding::Finding;
use crate::lint::object::Unit;

declare_rule! {
/// ## What it does
/// Checks that every container sets `securityContext.readOnlyRootFilesystem: true`.
///
/// ## Why is this bad?
/// A writable root filesystem lets an attacker who gets code execution drop tools and persist changes into the
/// container, and lets applications write state that silently vanishes on restart. Mount an `emptyDir` where the
/// application really needs to write (`/tmp`, a cache directory).
///
/// ## Example
/// ```yaml
/// containers:
///   - name: web
///     securityContext:
///       readOnlyRootFilesystem: false
/// ```
///
/// Use instead:
/// ```yaml
/// containers:
///   - name: web
///     securityContext:
///       readOnlyRootFilesystem: true
///     volumeMounts: [{ name: tmp, mountPath: /tmp }]
/// volumes: [{ name: tmp, emptyDir: {} }]
/// ```
    pub struct WritableRootFilesystem {
        name: "writable-root-filesystem",
        severity: Warning,
        profile: None,
        summary: "a container with a writable root filesystem",
    }
}

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, unit: &Unit, _ctx: &CheckContext, out: &mut Vec<Finding>) {
        super::common::each_container(unit, |object, c| {
            let (node, path) = c.own_security("readOnlyRootFilesystem");
            if !super::common::is_true(node) {
                let message = format!(
                    "container `{}` can write to its root filesystem (set `readOnlyRootFilesystem: true`)",
                    c.name
                );
                super::common::report(unit, &Self::META, object, c, &path, node, message, out);
            }
        });
    }
}
