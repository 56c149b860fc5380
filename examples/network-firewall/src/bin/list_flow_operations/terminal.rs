//! Stdout as the AWS CLI v1 sees it when it draws a table.

/// The terminal's width in columns, asked of stdout as
/// `awscli.table.determine_terminal_width` asks it (`TIOCGWINSZ`), or 80
/// when stdout is not a terminal (a pipe, a file): output captured from the
/// AWS CLI is laid out for 80 columns.
#[cfg(unix)]
pub fn stdout_width() -> i64 {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` through the pointer, which
    // points at a live, writable `winsize`; on any error it writes nothing.
    let status = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) };
    if status == 0 {
        // Python unpacks the field as a signed short.
        i64::from(size.ws_col as i16)
    } else {
        80
    }
}

#[cfg(not(unix))]
pub fn stdout_width() -> i64 {
    80
}

/// False when the program was started with stdout closed (`>&-`). Rust's
/// runtime then opens `/dev/null` read-write in its place before `main`, so
/// that writes are dropped without error; a shell's `>/dev/null` opens it
/// write-only. So a read-write `/dev/null` on stdout counts as closed.
#[cfg(unix)]
pub fn stdout_is_open() -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    // SAFETY: F_GETFL reads the descriptor's status flags and touches no memory.
    let flags = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFL) };
    if flags == -1 {
        return false;
    }
    if flags & libc::O_ACCMODE != libc::O_RDWR {
        return true;
    }
    // SAFETY: an all-zero `stat` is a valid value of the plain C struct.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat writes one `stat` through the pointer, which points at a
    // live, writable `stat`.
    if unsafe { libc::fstat(libc::STDOUT_FILENO, &mut stat) } != 0 {
        return true;
    }
    let is_char_device = stat.st_mode & libc::S_IFMT == libc::S_IFCHR;
    let null = std::fs::metadata("/dev/null");
    !(is_char_device && null.is_ok_and(|null| null.file_type().is_char_device() && null.rdev() == stat.st_rdev))
}

#[cfg(not(unix))]
pub fn stdout_is_open() -> bool {
    true
}
