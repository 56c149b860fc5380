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
