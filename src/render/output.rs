//! Writing a rendered chart, and comparing it with what is on disk.
//!
//! Writes are atomic at the folder level: the chart is written into a temporary sibling folder, then swapped in
//! with renames. A failure at any point leaves the previous chart exactly as it was, and files the new render no
//! longer produces disappear with the old folder. Nothing outside `DIR/helm/<name>/` is touched.

use super::ChartFiles;
use similar::TextDiff;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    #[error("cannot write {path}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read {path}")]
    Read { path: PathBuf, source: io::Error },
    #[error("{path} exists and is not a folder; move it away or choose another --out")]
    NotADirectory { path: PathBuf },
}

/// Where a chart lands: `DIR/helm/<name>`.
pub fn chart_dir(out: &Path, name: &str) -> PathBuf {
    out.join("helm").join(name)
}

/// Writes the chart into `DIR/helm/<name>/`, replacing what was there.
pub fn write_chart(out: &Path, name: &str, files: &ChartFiles) -> Result<PathBuf, OutputError> {
    let target = chart_dir(out, name);
    let parent = target.parent().unwrap_or(out).to_path_buf();
    if target.exists() && !target.is_dir() {
        return Err(OutputError::NotADirectory { path: target });
    }
    std::fs::create_dir_all(&parent).map_err(|source| OutputError::Write {
        path: parent.clone(),
        source,
    })?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.chartgen-new-{pid}"));
    let retired = parent.join(format!(".{name}.chartgen-old-{pid}"));
    // Leftovers of a crashed earlier run with the same pid are ours to clear.
    let _ = std::fs::remove_dir_all(&staging);
    let _ = std::fs::remove_dir_all(&retired);
    if let Err(e) = write_tree(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_old = target.exists();
    if had_old {
        std::fs::rename(&target, &retired).map_err(|source| {
            let _ = std::fs::remove_dir_all(&staging);
            OutputError::Write {
                path: target.clone(),
                source,
            }
        })?;
    }
    if let Err(source) = std::fs::rename(&staging, &target) {
        // Put the old chart back so a failure changes nothing.
        if had_old {
            let _ = std::fs::rename(&retired, &target);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(OutputError::Write {
            path: target,
            source,
        });
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&retired);
    }
    Ok(target)
}

fn write_tree(root: &Path, files: &ChartFiles) -> Result<(), OutputError> {
    for (rel, content) in files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, content).map_err(|source| OutputError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Differences between the rendered chart and the one on disk, as a unified diff; empty when they match.
pub fn diff_chart(out: &Path, name: &str, files: &ChartFiles) -> Result<String, OutputError> {
    let target = chart_dir(out, name);
    let on_disk = list_files(&target)?;
    let mut paths: BTreeSet<String> = files.keys().cloned().collect();
    paths.extend(on_disk.iter().cloned());
    let shown_root = target.display().to_string();
    let mut diff = String::new();
    for rel in paths {
        let old = if on_disk.contains(&rel) {
            let path = target.join(&rel);
            let bytes = std::fs::read(&path).map_err(|source| OutputError::Read {
                path: path.clone(),
                source,
            })?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        } else {
            None
        };
        let new = files.get(&rel);
        if old.as_deref() == new.map(String::as_str) {
            continue;
        }
        let old_text = old.as_deref().unwrap_or("");
        let new_text = new.map_or("", String::as_str);
        let old_name = if old.is_some() {
            format!("a/{shown_root}/{rel}")
        } else {
            "/dev/null".into()
        };
        let new_name = if new.is_some() {
            format!("b/{shown_root}/{rel}")
        } else {
            "/dev/null".into()
        };
        let text_diff = TextDiff::from_lines(old_text, new_text);
        diff.push_str(
            &text_diff
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &new_name)
                .to_string(),
        );
        if !diff.ends_with('\n') {
            diff.push('\n');
        }
    }
    Ok(diff)
}

/// Every file under `root`, relative, with `/` separators; empty when `root` does not exist.
fn list_files(root: &Path) -> Result<BTreeSet<String>, OutputError> {
    let mut out = BTreeSet::new();
    if !root.exists() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(|e| OutputError::Read {
            path: e
                .path()
                .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("file system loop")),
        })?;
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(root)
        {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(rel.join("/"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> ChartFiles {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn write_replaces_and_removes_stale_files_only_inside_the_chart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        std::fs::write(out.join("keep.txt"), "mine").expect("write");
        write_chart(
            out,
            "app",
            &files(&[("a.yaml", "1\n"), ("templates/b.yaml", "2\n")]),
        )
        .expect("first write");
        write_chart(out, "app", &files(&[("a.yaml", "3\n")])).expect("second write");
        assert_eq!(
            std::fs::read_to_string(out.join("helm/app/a.yaml")).expect("read"),
            "3\n"
        );
        assert!(!out.join("helm/app/templates/b.yaml").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("keep.txt")).expect("read"),
            "mine"
        );
        let leftovers: Vec<_> = std::fs::read_dir(out.join("helm")).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn diff_reports_changed_added_and_removed_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        write_chart(
            out,
            "app",
            &files(&[("a.yaml", "x: 1\n"), ("gone.yaml", "g\n")]),
        )
        .expect("write");
        assert_eq!(
            diff_chart(
                out,
                "app",
                &files(&[("a.yaml", "x: 1\n"), ("gone.yaml", "g\n")])
            )
            .expect("diff"),
            ""
        );
        let diff = diff_chart(
            out,
            "app",
            &files(&[("a.yaml", "x: 2\n"), ("new.yaml", "n\n")]),
        )
        .expect("diff");
        assert!(diff.contains("-x: 1\n+x: 2"), "{diff}");
        assert!(
            diff.contains("+++ b/") && diff.contains("new.yaml"),
            "{diff}"
        );
        assert!(diff.contains("gone.yaml\n+++ /dev/null"), "{diff}");
    }
}
