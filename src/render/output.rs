//! Writing a rendered chart, and comparing it with what is on disk.
//!
//! Writes are atomic at the folder level: the chart is written into a uniquely named sibling folder, then
//! exchanged with the old one in a single step (see [`write_chart`]). A failure at any point leaves the previous
//! chart exactly as it was, and files the new render no longer produces disappear with the old folder. Nothing
//! outside `DIR/helm/` is touched, and there only this chart's folder and its own staging folders.

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
///
/// Under an exclusive lock on `DIR/helm/` (so concurrent renders, even from other PID namespaces sharing the
/// volume, take turns): stale staging folders of this chart left by killed runs are removed, the chart is written
/// into a fresh uniquely named sibling, and the two folders are exchanged in one step (`renameat2` with
/// `RENAME_EXCHANGE` on Linux), so `DIR/helm/<name>/` always exists and is always one whole render.
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
    let _lock = lock_dir(&parent)?;
    let prefix = staging_prefix(name);
    remove_stale_staging(&parent, &prefix);
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)
        .map_err(|source| OutputError::Write {
            path: parent.clone(),
            source,
        })?;
    write_tree(staging.path(), files)?;
    if target.exists() {
        // After the exchange the staging path holds the old chart; dropping `staging` removes it.
        exchange(staging.path(), &target).map_err(|source| OutputError::Write {
            path: target.clone(),
            source,
        })?;
    } else {
        let fresh = staging.keep();
        if let Err(source) = std::fs::rename(&fresh, &target) {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(OutputError::Write {
                path: target,
                source,
            });
        }
    }
    Ok(target)
}

/// Every staging folder of chart `name` starts with this; nothing else in `helm/` does.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.chartgen-")
}

/// Held while a chart is written; released when dropped (also when the process dies).
struct DirLock(#[allow(dead_code)] std::fs::File);

fn lock_dir(dir: &Path) -> Result<DirLock, OutputError> {
    let err = |source| OutputError::Write {
        path: dir.to_path_buf(),
        source,
    };
    // A directory can be locked itself on Unix; elsewhere a lock file beside the charts stands in for it.
    let file = if cfg!(unix) {
        std::fs::File::open(dir).map_err(err)?
    } else {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".chartgen.lock"))
            .map_err(err)?
    };
    file.lock().map_err(err)?;
    Ok(DirLock(file))
}

/// Staging folders of this chart left by killed runs. Called with the lock held, and every writer holds the lock
/// for its whole write, so any such folder belongs to no running render. Only real folders with our prefix go;
/// symbolic links are left alone.
fn remove_stale_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(prefix));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if ours && is_dir {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Swaps two folders in one step where the kernel can; elsewhere two renames under the caller's lock, putting
/// the old chart back if the second fails.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
        let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
        // SAFETY: both paths are NUL-terminated C strings that live across the call.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        // Old kernels and some file systems cannot exchange: fall back to renames.
        if !matches!(
            e.raw_os_error(),
            Some(libc::ENOSYS | libc::EINVAL | libc::ENOTSUP)
        ) {
            return Err(e);
        }
    }
    exchange_by_renames(a, b)
}

/// The portable exchange: `b` moves aside, `a` takes its place, and the old `b` ends at `a`. If `a` cannot move,
/// `b` is put back, so the caller's chart is never lost.
fn exchange_by_renames(a: &Path, b: &Path) -> io::Result<()> {
    // Keeps the staging prefix, so a kill between the renames leaves a folder the next run cleans.
    let mut retired = a.as_os_str().to_os_string();
    retired.push("-retired");
    let retired = PathBuf::from(retired);
    std::fs::rename(b, &retired)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&retired, b);
        return Err(e);
    }
    std::fs::rename(&retired, a)
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
        let unified = text_diff
            .unified_diff()
            .context_radius(3)
            .header(&old_name, &new_name)
            .to_string();
        for line in unified.split_inclusive('\n') {
            diff.push_str(&mask_secret_line(line));
        }
        if !diff.ends_with('\n') {
            diff.push('\n');
        }
    }
    Ok(diff)
}

/// A diff line with any secret value replaced by a mask. The chart on disk may have been edited by hand, and a
/// diff must never print what it holds: for `key: value` lines the value is judged with its key, any other line
/// by its text alone; only the value is masked, the key and the diff marker stay.
fn mask_secret_line(line: &str) -> String {
    if line.starts_with("---") || line.starts_with("+++") || line.starts_with("@@") {
        return line.to_string();
    }
    let Some(marker) = line.chars().next() else {
        return String::new();
    };
    let body = line[marker.len_utf8()..].trim_end_matches(['\n', '\r']);
    let item = body.trim_start().trim_start_matches("- ");
    let keyed = item
        .split_once(':')
        .filter(|(k, v)| !k.is_empty() && !k.contains(' ') && (v.is_empty() || v.starts_with(' ')));
    let secret = match keyed {
        Some((key, value)) => {
            let value = value.trim().trim_matches(['"', '\'']);
            crate::secrets::classify(key.trim_matches(['"', '\'']), value)
                .or_else(|| crate::secrets::unmistakable(value).map(|f| f.why.to_string()))
                .is_some()
        }
        None => crate::secrets::unmistakable(item).is_some(),
    };
    if !secret {
        return line.to_string();
    }
    let masked = match keyed {
        Some((key, _)) => {
            let indent = &body[..body.len() - item.len()];
            format!("{indent}{key}: ********")
        }
        None => {
            let indent = &body[..body.len() - body.trim_start().len()];
            format!("{indent}********")
        }
    };
    format!("{marker}{masked}\n")
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

    fn tree(dir: &Path) -> Vec<(String, String)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                (rel.display().to_string(), text)
            })
            .collect()
    }

    /// A write that fails at any file (here: a file where a later file needs a folder) leaves the chart that was
    /// there, whole, and no staging folder behind.
    #[test]
    fn a_write_failing_at_any_step_keeps_the_old_chart_and_cleans_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        let old = files(&[("Chart.yaml", "old\n"), ("templates/a.yaml", "a\n")]);
        write_chart(out, "app", &old).expect("first write");
        let before = tree(&out.join("helm/app"));
        for step in 0..6 {
            let mut new: ChartFiles = (0..6)
                .map(|i| (format!("f{i}.yaml"), format!("new {i}\n")))
                .collect();
            new.insert(format!("f{step}.yaml/inner.yaml"), "x\n".into());
            let err = write_chart(out, "app", &new).expect_err("the write must fail");
            assert!(matches!(err, OutputError::Write { .. }), "{err}");
            assert_eq!(tree(&out.join("helm/app")), before, "step {step}");
            let entries: Vec<String> = std::fs::read_dir(out.join("helm"))
                .expect("ls")
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".lock" && !n.ends_with(".lock"))
                .collect();
            assert_eq!(entries, ["app"], "step {step}: staging left behind");
        }
    }

    /// The portable exchange puts the old chart back when the new one cannot take its place.
    #[test]
    fn exchange_by_renames_restores_the_old_chart_when_the_second_rename_fails() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("app");
        std::fs::create_dir_all(&target).expect("mkdir");
        std::fs::write(target.join("Chart.yaml"), "old\n").expect("write");
        let missing = dir.path().join(".app.chartgen-new-missing");
        assert!(exchange_by_renames(&missing, &target).is_err());
        assert_eq!(
            std::fs::read_to_string(target.join("Chart.yaml")).expect("read"),
            "old\n"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no retired folder left: {names:?}");
        // And when both exist, they are exchanged.
        let fresh = dir.path().join(".app.chartgen-new-1");
        std::fs::create_dir_all(&fresh).expect("mkdir");
        std::fs::write(fresh.join("Chart.yaml"), "new\n").expect("write");
        exchange_by_renames(&fresh, &target).expect("exchange");
        assert_eq!(
            std::fs::read_to_string(target.join("Chart.yaml")).expect("read"),
            "new\n"
        );
        assert_eq!(
            std::fs::read_to_string(fresh.join("Chart.yaml")).expect("read"),
            "old\n"
        );
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
    fn diff_never_prints_a_secret_from_the_chart_on_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        let token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        let old = format!(
            "a: 1\napiToken: \"{token}\"\n  - --token={token}\nurl: postgresql://app:hunter2pw@db/app\n"
        );
        write_chart(out, "app", &files(&[("a.yaml", &old)])).expect("write");
        let diff = diff_chart(out, "app", &files(&[("a.yaml", "a: 2\n")])).expect("diff");
        assert!(
            !diff.contains("ghp_") && !diff.contains("hunter2"),
            "{diff}"
        );
        assert!(diff.contains("-apiToken: ********"), "{diff}");
        assert!(diff.contains("-url: ********"), "{diff}");
        assert!(
            diff.contains("-a: 1\n") && diff.contains("+a: 2\n"),
            "{diff}"
        );
    }

    #[test]
    fn stale_staging_folders_are_cleaned_and_foreign_ones_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path();
        let helm = out.join("helm");
        std::fs::create_dir_all(helm.join(".app.chartgen-new-4242/templates")).expect("mkdir");
        std::fs::create_dir_all(helm.join(".app.chartgen-abc123")).expect("mkdir");
        std::fs::create_dir_all(helm.join(".other.chartgen-abc123")).expect("mkdir");
        std::fs::create_dir_all(helm.join("keep")).expect("mkdir");
        write_chart(out, "app", &files(&[("a.yaml", "1\n")])).expect("write");
        write_chart(out, "app", &files(&[("a.yaml", "2\n")])).expect("rewrite");
        let mut names: Vec<String> = std::fs::read_dir(&helm)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".other.chartgen-abc123", "app", "keep"]);
        assert_eq!(
            std::fs::read_to_string(helm.join("app/a.yaml")).expect("read"),
            "2\n"
        );
    }

    #[test]
    fn the_chart_folder_exists_at_every_moment_of_a_rewrite() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().to_path_buf();
        write_chart(&out, "app", &files(&[("a.yaml", "0\n")])).expect("write");
        let chart = out.join("helm/app");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = {
            let stop = stop.clone();
            let chart = chart.clone();
            std::thread::spawn(move || {
                let mut missing = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::read_to_string(chart.join("a.yaml")).is_err() {
                        missing += 1;
                    }
                }
                missing
            })
        };
        for i in 1..200 {
            write_chart(&out, "app", &files(&[("a.yaml", &format!("{i}\n"))])).expect("write");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(
            watcher.join().expect("join"),
            0,
            "the chart was missing during a swap"
        );
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
