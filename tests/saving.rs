//! Saving: atomic, and not to be tricked by what is already in the folder.

use std::fs;
use std::path::{Path, PathBuf};

use healthgraph::HealthGraph;

/// A fresh empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthgraph-{name}-{}", std::process::id()));
    fs::remove_dir_all(&dir).ok();
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn hanoi() -> HealthGraph {
    HealthGraph::load("data/hanoi.ron").unwrap()
}

/// The names in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder("save-mode");
    let path = dir.join("data.ron");
    fs::write(&path, "()").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    hanoi().save(&path).unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new file is readable by others, not private like a temporary file.
    let new = dir.join("new.ron");
    hanoi().save(&new).unwrap();
    let mode = fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn a_planted_symlink_is_never_followed() {
    let dir = folder("save-symlink");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    // Links at the names the old scheme used (`.name.PID.tmp`) and at a few
    // plausible others: saving must write none of them through.
    for name in [
        format!(".data.ron.{}.tmp", std::process::id()),
        ".data.ron.tmp".to_owned(),
        "data.ron.tmp".to_owned(),
    ] {
        std::os::unix::fs::symlink(&victim, dir.join(name)).unwrap();
    }
    let path = dir.join("data.ron");
    hanoi().save(&path).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(HealthGraph::load(&path).unwrap(), hanoi());
    // A link at the target itself is replaced, not written through.
    let link = dir.join("link.ron");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    hanoi().save(&link).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        !fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn concurrent_saves_to_one_path_all_succeed_and_leave_one_whole_file() {
    let dir = folder("save-threads");
    let path = dir.join("data.ron");
    let graph = hanoi();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| (0..5).try_for_each(|_| graph.save(&path))))
            .collect();
        for h in handles {
            h.join().unwrap().unwrap();
        }
    });
    assert_eq!(HealthGraph::load(&path).unwrap(), graph);
    assert!(others(&dir, &["data.ron"]).is_empty());
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_failed_save_leaves_no_temporary_file_and_the_old_file_whole() {
    let dir = folder("save-fail");
    // The target is a folder that is not empty: the final rename fails.
    let target = dir.join("data.ron");
    fs::create_dir_all(target.join("inside")).unwrap();
    let err = hanoi().save(&target).unwrap_err();
    assert!(err.is_io(), "{err}");
    assert!(
        others(&dir, &["data.ron"]).is_empty(),
        "{:?}",
        others(&dir, &["data.ron"])
    );
    assert!(target.join("inside").is_dir());
    // A folder that does not exist: nothing is created.
    let err = hanoi()
        .save(dir.join("no/such/folder/data.ron"))
        .unwrap_err();
    assert!(err.is_io());
    assert!(!dir.join("no").exists());
    fs::remove_dir_all(&dir).ok();
}
