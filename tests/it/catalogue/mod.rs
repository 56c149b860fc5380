//! A catalogue of real APIs' pagination, each as its model (request and
//! response with `#[derive(Paginated)]`, named as the API spells them) and a
//! scripted server that accepts only what the API documents, checked at the
//! wire. Property tests over random datasets, page sizes, `MaxItems`, resume
//! chains and injected failures prove every item comes exactly once, in the
//! API's order, and that nothing is sent the API would refuse.
//!
//! `harness.rs` holds what they share and says how to add an API.
//!
//! | API (file) | shape | request attributes | response attributes | also proven |
//! | --- | --- | --- | --- | --- |
//! | Azure Resource Manager `nextLink` (`azure.rs`) | next URL in the body | `input_token` on `next_link` | `output_token = next_link` | |
//! | Bitbucket Cloud `next` (`bitbucket.rs`) | next URL in the body, filters carried | `input_token` on `next`, `limit_key, min = 1, max = 100` | `output_token` on `next` | resume under another `PageSize` |
//! | Discord messages (`discord.rs`) | snowflakes over a bare array, backward and forward | `input_token` on `before` / `after`, `limit_key, min = 1, max = 100` | `output_token(path = "messages[-1].id", feeds = before)`, `output_token(path = "messages[0].id", feeds = after)`, `#[serde(transparent)]` | resume under another `PageSize` (before); backward order |
//! | Elasticsearch `search_after` (`elasticsearch.rs`) | array token from the last hit | `input_token` on `search_after`, `limit_key, max = 10000` | `result_key(path = "hits.hits")`, `output_token(path = "hits.hits[-1].sort", feeds = search_after)` | resume under another `PageSize` |
//! | GitHub GraphQL Relay (`github_graphql.rs`) | `first`/`after` inside `variables`, `pageInfo` | `input_token(path = "variables.after")`, `limit_key(path = "variables.first", min = 1, max = 100)` | `result_key(path = ...nodes)`, `more_results(path = ...has_next_page)`, `output_token(path = ...end_cursor, feeds = "variables.after")` | resume under another `PageSize`; shared with `request_paths.rs` |
//! | GitHub REST `/user/repos` (`github_rest.rs`, feature `link`) | `Link` `rel="next"`, bare array body | `input_token` on `url`, `limit_key, min = 1, max = 100` | `output_token = url, link = "next"`, `#[serde(transparent)]` | resume under another `PageSize`; shared with `link_header.rs` |
//! | GitHub REST search (`github_search.rs`) | page numbers, `total_count`, 1000 readable | `page`, `limit_key, min = 1, max = 100` | `total` | resume under another `PageSize`; `parallel(n)` |
//! | Google AIP-158 (`google.rs`) | `page_token: String`, `""` ends | `input_token`, `limit_key` | `output_token = page_token` | resume under another `PageSize` |
//! | Microsoft Graph `@odata.nextLink` (`graph.rs`) | next URL in the body | `input_token` on `next_link`, `limit_key, min = 1, max = 999` | `output_token = next_link` | resume under another `PageSize` |
//! | Jira Cloud search (`jira.rs`) | `startAt` offsets, `total`, fewer served than asked | `offset`, `limit_key, min = 1, max = 100` | `total` | resume under another `PageSize`; `parallel(n)` |
//! | Jira Software board sprints (`jira_agile.rs`) | `startAt` offsets, `isLast`, at most 50 served | `offset`, `limit_key, min = 1` | `last_page` on `is_last` (without it, the listing ends on the empty page) | resume under another `PageSize` |
//! | Kubernetes `continue` (`kubernetes.rs`) | keyword token, 410 on expiry | `input_token` on `r#continue`, `limit_key, min = 1` | `output_token(path = "metadata.continue", feeds = continue)` | resume under another `PageSize`; an expired `continue` (410) a typed error at its page |
//! | Notion (`notion.rs`) | `start_cursor`, `has_more` | `input_token`, `limit_key, min = 1, max = 100` | `output_token = start_cursor`, `more_results` | resume under another `PageSize` |
//! | Shopify REST products (`shopify.rs`, feature `link`) | `page_info` in `Link` URLs that carry the filters | `input_token` on `url`, `limit_key, min = 1, max = 250` | `output_token = url, link = "next"` | resume under another `PageSize` |
//! | Slack (`slack.rs`) | `response_metadata.next_cursor`, `""` ends | `input_token`, `limit_key, min = 1, max = 999` | `output_token(path = "response_metadata.next_cursor", feeds = cursor)` | resume under another `PageSize` |
//! | Stripe (`stripe.rs`) | `starting_after` = last id, `has_more`, backward with `ending_before` | `input_token`, `limit_key, min = 1, max = 100` | `output_token(path = "data[-1].id", feeds = starting_after)`, `output_token(path = "data[0].id", feeds = ending_before)`, `more_results` | resume under another `PageSize` (forward); backward from the request's own anchor, resumed from it; a rate-limited call resumed at its page |
//!
//! Every API is proven with `exactly_once` (random sizes, page sizes,
//! `MaxItems`, resume chains, injected errors), the async item stream, the
//! full result, and what its server refuses. Most are also resumed under
//! another `PageSize` in each run: an offset folds its skip in, a page
//! number is translated to the new size, and a cursor's token, as
//! botocore's, counts the items to skip from where its cursor starts, which
//! the listing skips across as many pages as it takes (a next URL carries
//! its own page size once there is one: past the first page). That is
//! exact where a cursor names a place in the listing's order whatever the
//! page size; backward pages that run newest first, away from their anchor
//! (Discord `after`, Stripe `ending_before`), make the order itself depend
//! on the page size, and a token is exact under its own only.

// The models keep the fields each API sends, spelled as it spells them;
// the tests read only those that page.
#![allow(dead_code)]

mod harness;

mod azure;
mod bitbucket;
mod discord;
mod elasticsearch;
pub mod github_graphql;
#[cfg(feature = "link")]
pub mod github_rest;
pub mod github_search;
mod google;
mod graph;
mod jira;
mod jira_agile;
mod kubernetes;
mod notion;
#[cfg(feature = "link")]
mod shopify;
mod slack;
mod stripe;
