//! Why `list_flow_operations` stops, and the exit code each reason gets:
//! the AWS CLI v2's.

use std::process::ExitCode;

/// Why the program stopped; the exit codes are the AWS CLI v2's.
pub enum Failure {
    /// Bad command-line input: 252.
    Input(String),
    /// Missing or invalid configuration or credentials: 253.
    Config(String),
    /// The service answered with an error: 254.
    Service(String),
    /// Anything else (a refused connection, a timeout, a closed stdout): 255.
    Other(String),
    /// Ctrl-C: 130.
    Interrupted(String),
}

/// Prints the failure on one line and gives its exit code.
pub fn fail(failure: Failure) -> ExitCode {
    let (code, message) = match failure {
        Failure::Input(m) => (252, m),
        Failure::Config(m) => (253, m),
        Failure::Service(m) => (254, m),
        Failure::Other(m) => (255, m),
        Failure::Interrupted(m) => (130, m),
    };
    eprintln!("list_flow_operations: error: {}", one_line(&message));
    ExitCode::from(code)
}

/// The message with its control characters escaped (`\n`, `\u{1b}`, ...):
/// a name or value with a line break, or a terminal escape sequence, can
/// neither split the one error line nor act on the terminal.
fn one_line(message: &str) -> String {
    message
        .chars()
        .map(|c| match c {
            c if c.is_control() => c.escape_debug().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// A failure to write the output (a closed stdout): 255.
pub fn write_failure(e: std::io::Error) -> Failure {
    Failure::Other(format!("cannot write the output: {e}"))
}

/// A failure to print: a closed stdout (255, as [`write_failure`]) or a
/// result that could not be made, e.g. a `--query` that failed on it (255,
/// as the AWS CLI).
pub fn print_failure(e: crate::output::PrintError) -> Failure {
    match e {
        crate::output::PrintError::Io(e) => write_failure(e),
        crate::output::PrintError::Result(message) => Failure::Other(message),
    }
}

/// The exit code a listing error deserves.
pub fn failure_of(error: paginate::Error<network_firewall::Error>) -> Failure {
    match error {
        paginate::Error::Listing(paginate::ListingError::Config(e)) => Failure::Input(error_chain(&e)),
        paginate::Error::Service { source, .. } => Failure::from_client(&source),
        other => Failure::Other(error_chain(&other)),
    }
}

/// An error and its sources, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line
}

impl Failure {
    /// A client error, by its kind: configuration (253), the service's answer
    /// (254) or anything else (255).
    pub fn from_client(error: &network_firewall::Error) -> Failure {
        use network_firewall::error::ErrorKind;
        let message = error.to_string();
        match error.kind() {
            ErrorKind::Configuration => Failure::Config(message),
            ErrorKind::Service => Failure::Service(message),
            _ => Failure::Other(message),
        }
    }

    /// The same failure, its message followed by `hint`.
    pub fn with_hint(self, hint: &str) -> Failure {
        let add = |m: String| format!("{m} ({hint})");
        match self {
            Failure::Input(m) => Failure::Input(add(m)),
            Failure::Config(m) => Failure::Config(add(m)),
            Failure::Service(m) => Failure::Service(add(m)),
            Failure::Other(m) => Failure::Other(add(m)),
            Failure::Interrupted(m) => Failure::Interrupted(add(m)),
        }
    }
}

/// The hint of a listing that stopped where no token can resume it.
pub const CUT_SHORT: &str =
    "no token can resume this listing: the JSON printed is left unclosed, as it is not all of it";
