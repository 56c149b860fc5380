//! One firewall's listing, printed as its pages arrive in the format asked
//! for, and closed with a resume token when it fails or is interrupted.

use std::io::{BufWriter, IsTerminal, Write};
use std::time::{Duration, Instant};

use futures::StreamExt;
use network_firewall::ListFlowOperationsRequest;
use paginate::Listing;

use crate::cli::{Output, TimestampFormat};
use crate::failure::{failure_of, print_failure, write_failure, Failure, CUT_SHORT};
use crate::interrupt::CtrlC;
use crate::output::{JsonDocument, PrintError, Sink};
use crate::query::Query;
use crate::table::{Look, TableDocument};
use crate::text::TextDocument;

/// How to print: `--output`, `--cli-timestamp-format`, and for a table the
/// terminal's width and colours.
#[derive(Clone, Copy)]
pub struct Format {
    pub output: Output,
    pub timestamps: TimestampFormat,
    pub look: Look,
}

/// Prints the listing as its pages arrive (a table: once they all have),
/// showing progress on a terminal when it takes a while. On a failure or
/// Ctrl-C the document printed so far is closed with the `NextToken` of the
/// first item not printed.
pub async fn print_listing<C>(
    listing: Listing<C, ListFlowOperationsRequest>,
    format: Format,
    query: Option<&Query>,
) -> Result<(), Failure>
where
    C: paginate::AsyncClient<ListFlowOperationsRequest, Error = network_firewall::Error>,
{
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let (mut pages, mut items, mut shown) = (0usize, 0usize, false);
    // JSON with --query is built in memory and queried at the end; text is
    // queried page by page, as the AWS CLI does; a table is built in memory
    // and printed (queried) at the end.
    let json_query = if format.output == Output::Json { query } else { None };
    let whole_result_query = if format.output == Output::Text { None } else { query };
    let sink = match json_query {
        Some(_) => Sink::Memory(Vec::new()),
        None => Sink::Stdout(BufWriter::new(std::io::stdout())),
    };
    let mut document = match format.output {
        Output::Json => Printer::Json(JsonDocument::new(sink, format.timestamps)),
        Output::Text => Printer::Text(TextDocument::new(sink, format.timestamps, query)),
        Output::Table => Printer::Table(TableDocument::new(sink, format.timestamps, query, format.look)),
    };
    let mut stream = listing.page_stream();
    let mut ctrl_c = CtrlC::new();
    let stopped = loop {
        let Some(next) = ctrl_c.or(stream.next()).await else {
            break Some(Stop::Interrupted(stream.resume_token()));
        };
        match next {
            None => break None,
            Some(Ok(page)) => {
                pages += 1;
                items += page.flow_operations.as_ref().map_or(0, Vec::len);
                document.page(page.flow_operations.as_deref()).map_err(print_failure)?;
                if show_progress && started.elapsed() > Duration::from_millis(500) {
                    let rate = items as f64 / started.elapsed().as_secs_f64();
                    eprint!("\r{pages} pages, {items} flow operations ({rate:.0}/s)");
                    shown = true;
                }
            }
            Some(Err(error)) => break Some(Stop::Failed(error)),
        }
    };
    if shown {
        eprint!("\r\x1b[2K");
    }
    let Some(stop) = stopped else {
        let sink = document
            .finish(stream.resume_token().as_deref())
            .map_err(print_failure)?;
        if let (Some(query), Sink::Memory(json)) = (query, sink) {
            let text = query.apply(&String::from_utf8_lossy(&json)).map_err(Failure::Other)?;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(write_failure)?;
        }
        return Ok(());
    };
    let (token, failure, resumable) = match stop {
        Stop::Interrupted(token) => (token, Failure::Interrupted("interrupted".into()), true),
        Stop::Failed(error) => {
            let token = error.resume_token().map(str::to_owned);
            let resumable = token.is_some();
            (token, failure_of(error), resumable)
        }
    };
    if !document.started() || whole_result_query.is_some() {
        // Nothing printed (or a query whose result may have dropped the
        // NextToken): the command as given lists everything still to come.
        return Err(failure);
    }
    if !resumable {
        // No token resumes after what was printed (the service's tokens
        // loop, say): the output must not end as a complete listing does.
        return Err(match document {
            Printer::Json(document) => {
                document.cut_short().map_err(write_failure)?;
                failure.with_hint(CUT_SHORT)
            }
            Printer::Text(_) => {
                failure.with_hint("no token can resume this listing: the rows printed are not all of it")
            }
            Printer::Table(_) => failure, // held in memory: not printed, as by the AWS CLI
        });
    }
    document.finish(token.as_deref()).map_err(print_failure)?;
    Err(match (failure, token) {
        (failure, None) => failure,
        (failure, Some(token)) => failure.with_hint(&format!(
            "the output ends at the last item received; resume with --starting-token {token}"
        )),
    })
}

/// The document being printed, in the format asked for.
enum Printer<'q> {
    Json(JsonDocument<Sink>),
    Text(TextDocument<'q, Sink>),
    Table(TableDocument<'q, Sink>),
}

impl Printer<'_> {
    fn page(&mut self, operations: Option<&[network_firewall::FlowOperationMetadata]>) -> Result<(), PrintError> {
        match self {
            Printer::Json(doc) => Ok(doc.page(operations)?),
            Printer::Text(doc) => doc.page(operations),
            Printer::Table(doc) => doc.page(operations),
        }
    }

    fn started(&self) -> bool {
        match self {
            Printer::Json(doc) => doc.started(),
            Printer::Text(doc) => doc.started(),
            Printer::Table(doc) => doc.started(),
        }
    }

    fn finish(self, next_token: Option<&str>) -> Result<Sink, PrintError> {
        match self {
            Printer::Json(doc) => Ok(doc.finish(next_token)?),
            Printer::Text(doc) => doc.finish(next_token),
            Printer::Table(doc) => doc.finish(next_token),
        }
    }
}

/// Why the listing stopped before its end.
enum Stop {
    Interrupted(Option<String>),
    Failed(paginate::Error<network_firewall::Error>),
}
