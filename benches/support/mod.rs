//! What the wall-time benches share: a listing of numbered pages, the
//! service's delay a page (`DELAY_MS`), and the median of a run's ratios.
#![allow(dead_code)] // each bench uses part of it

use std::time::Duration;

use paginate::Paginated;

/// A listing paged by the page's number.
#[derive(Clone, Default, Paginated)]
#[paginated(response = Page)]
pub struct Request {
    #[paginated(input_token)]
    pub next_token: Option<u32>,
}

#[derive(Paginated)]
pub struct Page {
    #[paginated(result_key)]
    pub items: Vec<u32>,
    #[paginated(output_token)]
    pub next_token: Option<u32>,
}

/// Page `n` of `pages` pages of `size` items: items `n * size..(n + 1) * size`.
pub fn page(n: u32, pages: u32, size: u32) -> Page {
    Page {
        items: (n * size..(n + 1) * size).collect(),
        next_token: (n + 1 < pages).then_some(n + 1),
    }
}

/// The service's time a page: `DELAY_MS` milliseconds, 5 without it.
pub fn delay() -> Duration {
    Duration::from_millis(std::env::var("DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(5))
}

/// The median of `ratios` (the upper one of an even count).
pub fn median(mut ratios: Vec<f64>) -> f64 {
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}
