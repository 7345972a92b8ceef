//! chartgen: typed chart specs rendered into secure-by-default Helm charts, and a Kubernetes policy linter.

pub mod diagnostic;
pub mod import;
pub mod lint;
pub mod quantity;
pub mod render;
pub mod secrets;
pub mod spec;
pub mod yaml;
