//! Reading files named by users and the environment without trusting them:
//! only regular files are read (a FIFO would block forever, `/dev/zero`
//! never ends), and only up to a limit.

use std::io::{self, Read};
use std::path::Path;

/// What kind of file `metadata` describes, for messages: `None` for a
/// regular file.
fn not_regular(metadata: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_file() {
        None
    } else if kind.is_dir() {
        Some("a directory")
    } else if kind.is_fifo() {
        Some("a FIFO")
    } else if kind.is_char_device() {
        Some("a character device")
    } else if kind.is_block_device() {
        Some("a block device")
    } else if kind.is_socket() {
        Some("a socket")
    } else {
        Some("not a file")
    }
}

fn refuse(metadata: &std::fs::Metadata, limit: u64) -> io::Result<()> {
    if let Some(kind) = not_regular(metadata) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{kind}, not a regular file"),
        ));
    }
    if metadata.len() > limit {
        return Err(too_large(limit));
    }
    Ok(())
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("larger than the limit of {}", bytes(limit)),
    )
}

/// A size for messages: `4 MiB`, `512 KiB` or `100 bytes`.
fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// Checks, without opening it, that `path` is a regular file of at most
/// `limit` bytes (symbolic links followed). `Ok(false)`: there is no such
/// file.
pub fn check_regular(path: &Path, limit: u64) -> io::Result<bool> {
    match std::fs::metadata(path) {
        Ok(metadata) => refuse(&metadata, limit).map(|()| true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Reads a regular file of at most `limit` bytes. Anything else (a FIFO, a
/// device, a directory, a larger file) is refused before anything is read
/// from it; a file that grows past the limit while being read is refused
/// after reading at most `limit + 1` bytes.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    refuse(&std::fs::metadata(path)?, limit)?;
    // Non-blocking, so that a file swapped for a FIFO after the check does
    // not block the open; the type is checked again on what was opened.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    refuse(&file.metadata()?, limit)?;
    let mut content = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut content)?;
    if u64::try_from(content.len()).unwrap_or(u64::MAX) > limit {
        return Err(too_large(limit));
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_regular(&path, 10).unwrap(), b"0123456789");
        let err = read_regular(&path, 9).unwrap_err();
        assert!(err.to_string().contains("larger than the limit of 9 bytes"), "{err}");
        assert!(check_regular(&path, 10).unwrap());
        assert!(check_regular(&path, 9).is_err());
        assert!(!check_regular(&dir.path().join("missing"), 9).unwrap());
        for (path, kind) in [
            (Path::new("/dev/zero"), "a character device"),
            (dir.path(), "a directory"),
        ] {
            let err = read_regular(path, 1 << 20).unwrap_err();
            assert_eq!(err.to_string(), format!("{kind}, not a regular file"));
            assert!(check_regular(path, 1 << 20).is_err());
        }
        assert_eq!(bytes(4 << 20), "4 MiB");
        assert_eq!(bytes(3 << 10), "3 KiB");
    }
}
