//! paginate's side of `benches/versus_sdk.sh`: lists a firewall of the
//! endpoint at `VERSUS_URL` with `prefetch(1)`, spending `VERSUS_WORK_MS` per
//! page as a caller would, and prints `items N seconds S`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use network_firewall::{ClientConfig, ListFlowOperationsRequest, NetworkFirewallClient};
use paginate::{AsyncClient, Listing, PaginationConfig};

#[derive(Clone)]
struct Sender(NetworkFirewallClient);

type Call = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<network_firewall::ListFlowOperationsResponse, network_firewall::Error>>
            + Send,
    >,
>;

impl AsyncClient<ListFlowOperationsRequest> for Sender {
    type Error = network_firewall::Error;
    type Future = Call;
    fn send(&mut self, request: ListFlowOperationsRequest) -> Call {
        let client = self.0.clone();
        Box::pin(async move { client.list_flow_operations(&request).await })
    }
}

fn main() {
    let var =
        |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set (run benches/versus_sdk.sh)"));
    let (url, arn) = (var("VERSUS_URL"), var("VERSUS_ARN"));
    let page_size: u64 = var("VERSUS_PAGE_SIZE").parse().expect("a number");
    let work = Duration::from_millis(var("VERSUS_WORK_MS").parse().expect("a number"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let client = NetworkFirewallClient::new(
            ClientConfig::new()
                .region("us-east-1")
                .endpoint_url(url)
                .credentials(network_firewall::server::demo_credentials()),
        )
        .expect("a client");
        let request = ListFlowOperationsRequest {
            firewall_arn: arn,
            ..Default::default()
        };
        let config = PaginationConfig::default().with_page_size(page_size);
        let started = Instant::now();
        let mut pages = Listing::new(Sender(client), request, config).page_stream().prefetch(1);
        let mut items = 0;
        while let Some(page) = pages.next().await {
            items += page.expect("no error").flow_operations.map_or(0, |o| o.len());
            tokio::time::sleep(work).await;
        }
        println!("items {items} seconds {}", started.elapsed().as_secs_f64());
    });
}
