//! What a running endpoint's connections share: its configuration as
//! served, the firewalls by ARN, the body budget, the connections, and the
//! request counters.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::Credentials;
use rand::RngCore;
use tokio::sync::Semaphore;

use super::conn::Tracker;
use super::{FaultConfig, ServerConfig, ServerLimits};
use crate::dataset::{Dataset, FlowOperationRecord};

/// The shared state of one running endpoint.
pub(super) struct State {
    pub(super) dataset: Dataset,
    /// Firewall ARN → index in `dataset.firewalls`.
    pub(super) firewall_index: HashMap<String, usize>,
    pub(super) credentials: Vec<Credentials>,
    pub(super) default_page_size: usize,
    pub(super) faults: FaultConfig,
    pub(super) max_clock_skew: Option<Duration>,
    pub(super) region: Option<String>,
    pub(super) token_key: Vec<u8>,
    pub(super) limits: ServerLimits,
    /// Permits are bytes of request bodies being read.
    pub(super) body_budget: Arc<Semaphore>,
    pub(super) tracker: Tracker,
    pub(super) requests: AtomicU64,
    pub(super) authenticated: AtomicU64,
}

impl State {
    /// The state of an endpoint started with `config` (already validated).
    pub(super) fn new(config: ServerConfig) -> Self {
        let token_key = config.token_key.unwrap_or_else(|| {
            let mut key = vec![0u8; 32];
            rand::thread_rng().fill_bytes(&mut key);
            key
        });
        let firewall_index = config
            .dataset
            .firewall_arns()
            .into_iter()
            .enumerate()
            .rev() // the first of duplicate ARNs wins, as `Dataset::flow_operations` does
            .map(|(i, arn)| (arn, i))
            .collect();
        State {
            firewall_index,
            dataset: config.dataset,
            credentials: config.credentials,
            default_page_size: config.default_page_size.clamp(1, 100),
            faults: config.faults,
            max_clock_skew: config.max_clock_skew,
            region: config.region,
            token_key,
            limits: config.limits,
            body_budget: Arc::new(Semaphore::new(config.limits.max_pending_body_bytes)),
            tracker: Tracker::new(config.limits.max_connections),
            requests: AtomicU64::new(0),
            authenticated: AtomicU64::new(0),
        }
    }

    pub(super) fn flow_operations(&self, firewall_arn: &str) -> Option<&[FlowOperationRecord]> {
        let index = *self.firewall_index.get(firewall_arn)?;
        self.dataset
            .firewalls
            .get(index)
            .map(|fw| fw.flow_operations.as_slice())
    }
}
