//! `--no-paginate`: a single `ListFlowOperations` call, printed with the
//! service's own `NextToken`.

use std::io::{BufWriter, Write};

use network_firewall::{ListFlowOperationsRequest, NetworkFirewallClient};

use crate::cli::Output;
use crate::failure::{print_failure, write_failure, Failure};
use crate::listing::Format;
use crate::output::JsonDocument;
use crate::query::Query;
use crate::table::TableDocument;
use crate::text::TextDocument;

/// `--no-paginate`: one call, printed with the service's own `NextToken`.
pub async fn one_call(
    client: &NetworkFirewallClient,
    request: &ListFlowOperationsRequest,
    format: Format,
    query: Option<&Query>,
) -> Result<(), Failure> {
    let timestamps = format.timestamps;
    let page = client
        .list_flow_operations(request)
        .await
        .map_err(|e| Failure::from_client(&e))?;
    let next_token = page.next_token.as_deref().filter(|t| !t.is_empty());
    match format.output {
        Output::Json => {
            let mut json = JsonDocument::new(Vec::new(), timestamps);
            json.page(page.flow_operations.as_deref()).map_err(write_failure)?;
            let json = json.finish(next_token).map_err(write_failure)?;
            let text = match query {
                Some(query) => query.apply(&String::from_utf8_lossy(&json)).map_err(Failure::Other)?,
                None => String::from_utf8_lossy(&json).into_owned(),
            };
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(write_failure)
        }
        Output::Text => {
            let mut text = TextDocument::new(BufWriter::new(std::io::stdout()), timestamps, query);
            text.response(page.flow_operations.as_deref(), next_token)
                .map_err(print_failure)
        }
        Output::Table => {
            let table = TableDocument::new(BufWriter::new(std::io::stdout()), timestamps, query, format.look);
            table
                .response(page.flow_operations.as_deref(), next_token)
                .map_err(print_failure)
        }
    }
}
