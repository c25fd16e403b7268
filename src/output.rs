//! The one place that writes result files: atomically (a temporary file in the same folder,
//! then a rename), so a failed run never leaves a half-written file in place of a good one.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Write `bytes` to `path` atomically, creating the parent folder.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in the folder {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.as_file().sync_all().ok();
    // tempfile creates 0600; a report is meant to be shared like any file the user saves
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .ok();
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Workbook properties with a fixed creation time: the same workbook is the same bytes on
/// every run (rust_xlsxwriter stamps the current time otherwise).
pub fn xlsx_properties() -> rust_xlsxwriter::DocProperties {
    let t = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid fixed date");
    rust_xlsxwriter::DocProperties::new().set_creation_datetime(&t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_atomically_and_creates_folders() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b/c.txt");
        super::write(&p, b"one").unwrap();
        super::write(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(d.path().join("a/b")).unwrap().count(), 1);
    }
}
