//! Saving a file atomically, in a way that cannot be tricked.
//!
//! The bytes go to a temporary file that `tempfile` creates exclusively
//! (`O_EXCL`, so a planted file or symlink is never opened) under an
//! unpredictable name in the target's own folder (so the final rename stays
//! on one file system and is atomic). It is flushed to disk, given the
//! permissions of the file it replaces, and renamed over the target. On any
//! failure the temporary file is removed. Several threads or processes
//! saving to one path each write their own temporary file; the last rename
//! wins, and every reader sees one whole file or another.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes what `write` produces to `path`, atomically.
///
/// If `path` is a symlink, the link itself is replaced by the new file; the
/// file it pointed at is left as it was.
pub(crate) fn atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "data".into(), |n| n.to_string_lossy().into_owned());
    let fail = |e| Error::io(path, "save", e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(fail)?;
    {
        let mut out = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut out).map_err(fail)?;
        out.flush().map_err(fail)?;
    }
    // Keep the permissions of the file being replaced (not of a symlink's
    // target: the link is what is replaced). A new file is readable by all,
    // as `File::create` would make it under the usual umask, not private as
    // temporary files are made.
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() => tmp
            .as_file()
            .set_permissions(meta.permissions())
            .map_err(fail)?,
        _ => new_file_permissions(tmp.as_file()).map_err(fail)?,
    }
    tmp.as_file().sync_all().map_err(fail)?;
    // On failure `persist` hands the temporary file back, and dropping it
    // removes it.
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn new_file_permissions(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(_: &fs::File) -> std::io::Result<()> {
    Ok(())
}
