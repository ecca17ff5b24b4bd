//! Where a picture file may be: a path as an article wrote it, relative to the
//! article's folder, becomes a path relative to the content folder, and is refused
//! when it leads out of it. Pure path arithmetic (symlinks are the store's check,
//! when it reads the file).

use std::path::{Component, Path, PathBuf};

use super::problem::PictureProblem;

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The folder of an article file, canonical when it exists (else made absolute).
pub(super) fn article_folder(source: &Path) -> PathBuf {
    let folder = source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::canonicalize(folder)
        .unwrap_or_else(|_| normalize(&std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf())))
}

/// `src` as written in an article in `folder` → the path relative to `root` with `/`
/// separators, refused when it leaves `root` (checked on the path as written: a
/// symlink is checked when the file is read).
pub(super) fn relative_src(
    folder: &Path,
    root: &Path,
    src: &str,
) -> std::result::Result<String, PictureProblem> {
    if src.trim().is_empty() {
        return Err(PictureProblem::Empty);
    }
    let written = Path::new(src);
    if written.has_root() || written.is_absolute() || src.starts_with('\\') {
        return Err(PictureProblem::Absolute);
    }
    // Articles written on Windows may use `\`.
    let src = src.replace('\\', "/");
    let joined = normalize(&folder.join(&src));
    let relative = joined.strip_prefix(root).map_err(|_| PictureProblem::OutsideContent)?;
    let parts: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() || parts.iter().any(|p| p == "..") {
        return Err(PictureProblem::OutsideContent);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside_the_root() {
        let root = Path::new("/c");
        let folder = Path::new("/c/sub");
        assert_eq!(relative_src(folder, root, "pictures/a.png"), Ok("sub/pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "../pictures/./a.png"), Ok("pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "..\\pictures\\a.png"), Ok("pictures/a.png".into()));
        assert_eq!(relative_src(folder, root, "../../etc/passwd.png"), Err(PictureProblem::OutsideContent));
        assert_eq!(relative_src(folder, root, "/etc/x.png"), Err(PictureProblem::Absolute));
        assert_eq!(relative_src(folder, root, ""), Err(PictureProblem::Empty));
    }
}
