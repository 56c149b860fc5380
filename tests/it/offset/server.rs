//! The models of the offset and page-number APIs the tests page through,
//! and a scripted server that checks what it is sent the way the real APIs
//! do (Jira: `startAt >= 0`, `maxResults` in `1..=100`; GitHub: `page >= 1`,
//! `per_page` in `1..=100`) and refuses anything else.

use std::sync::{Arc, Mutex};

use paginate::Paginated;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Jira's `POST /rest/api/3/search`: `startAt`, `maxResults`, `total`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = IssuesPage)]
pub struct SearchIssues {
    pub jql: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(offset)]
    pub start_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub max_results: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
pub struct IssuesPage {
    #[allow(dead_code)] // on the wire; the listing computes offsets itself
    pub start_at: u64,
    #[allow(dead_code)]
    pub max_results: u32,
    #[paginated(total)]
    pub total: Option<u64>,
    #[paginated(result_key)]
    pub issues: Vec<u64>,
}

/// The same search, ending on a page shorter than `maxResults`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = IssuesPage)]
pub struct SearchShort {
    pub jql: String,
    #[paginated(offset, short_page_ends)]
    pub start_at: u32,
    #[paginated(limit_key, min = 1, max = 100)]
    pub max_results: u32,
}

/// The same search with its page size inside an options object
/// (`{"startAt": 0, "options": {"maxResults": 10}}`): the limit key is a path.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(response = IssuesPage, limit_key(path = "options.max_results", min = 1, max = 100))]
pub struct SearchShortOptions {
    pub jql: String,
    #[paginated(offset, short_page_ends)]
    pub start_at: u32,
    pub options: SearchOptions,
}

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(nested)]
pub struct SearchOptions {
    pub max_results: u32,
}

/// An offset listing that says `has_more`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = EventsPage)]
pub struct ListEvents {
    #[paginated(offset)]
    pub offset: i64,
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct EventsPage {
    #[paginated(result_key)]
    pub data: Vec<u64>,
    #[paginated(more_results)]
    pub has_more: bool,
}

/// GitHub's page numbers: `page` (from 1), `per_page`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = ReposPage)]
pub struct ListRepos {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(page)]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
pub struct ReposPage {
    #[paginated(result_key)]
    pub repos: Vec<u64>,
    #[paginated(total_pages)]
    pub total_pages: Option<u32>,
}

/// Page numbers in a plain integer, which is 0 until the library sets it.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = ReposPage)]
pub struct ListReposPlain {
    #[paginated(page)]
    pub page: u32,
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: u32,
}

/// Zero-based page numbers.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = ReposPage)]
pub struct ListReposZero {
    #[paginated(page, first = 0)]
    pub page: u32,
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: Option<u32>,
}

/// Totals inside the envelope: `meta.total` and `meta.pagination.pages`.
#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = Envelope)]
pub struct ListEnveloped {
    #[paginated(offset)]
    pub offset: Option<u64>,
    #[paginated(limit_key, min = 1, max = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Paginated)]
#[paginated(response = Envelope)]
pub struct ListEnvelopedPages {
    #[paginated(page)]
    pub page: Option<u32>,
    #[paginated(limit_key, min = 1, max = 100)]
    pub per_page: Option<u32>,
}

#[derive(Debug, Deserialize, Paginated)]
#[paginated(total(path = "meta.total"), total_pages(path = "meta.pagination.pages"))]
pub struct Envelope {
    #[paginated(result_key)]
    pub data: Vec<u64>,
    pub meta: Option<Meta>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Meta {
    pub total: Option<u64>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Default, Deserialize, Paginated)]
#[paginated(nested)]
pub struct Pagination {
    pub pages: Option<u32>,
}

/// A scripted server over items `0..items`: it logs each request as sent on
/// the wire (its JSON) and refuses what the real API would refuse.
#[derive(Clone, Default)]
pub struct Server {
    pub items: u64,
    /// Most items it serves in a page, whatever the request asks (Jira caps `maxResults`).
    pub cap: Option<u64>,
    /// It reports `total` (or `total_pages`).
    pub totals: bool,
    pub log: Arc<Mutex<Vec<Value>>>,
}

impl Server {
    pub fn new(items: u64) -> Self {
        Server {
            items,
            totals: true,
            ..Server::default()
        }
    }

    pub fn requests(&self) -> Vec<Value> {
        self.log.lock().unwrap().clone()
    }

    fn wire<T: Serialize>(&self, request: &T) -> Value {
        let wire = serde_json::to_value(request).unwrap();
        self.log.lock().unwrap().push(wire.clone());
        wire
    }

    /// An integer field, `default` when absent; refused unless in `range`.
    fn field(wire: &Value, name: &str, default: i64, range: std::ops::RangeInclusive<i64>) -> Result<u64, String> {
        let value = match wire.get(name) {
            None | Some(Value::Null) => default,
            Some(v) => v
                .as_i64()
                .ok_or_else(|| format!("400: {name} is not an integer: {v}"))?,
        };
        if !range.contains(&value) {
            return Err(format!("400: {name}={value} is outside {range:?}"));
        }
        Ok(value as u64)
    }

    fn slice(&self, start: u64, size: u64) -> Vec<u64> {
        let size = self.cap.map_or(size, |cap| size.min(cap));
        (start..(start + size).min(self.items)).collect()
    }

    /// Jira: `startAt >= 0`, `maxResults` in `1..=100` (default 50).
    pub fn jira<T: Serialize>(&self, request: &T) -> Result<IssuesPage, String> {
        let wire = self.wire(request);
        let start = Self::field(&wire, "startAt", 0, 0..=i64::MAX)?;
        let max = Self::field(&wire, "maxResults", 50, 1..=100)?;
        let issues = self.slice(start, max);
        Ok(IssuesPage {
            start_at: start,
            max_results: issues.len() as u32,
            total: self.totals.then_some(self.items),
            issues,
        })
    }

    /// Jira with the page size inside `options`: `options.maxResults` in `1..=100`.
    pub fn jira_options(&self, request: &SearchShortOptions) -> Result<IssuesPage, String> {
        let wire = self.wire(request);
        let start = Self::field(&wire, "startAt", 0, 0..=i64::MAX)?;
        let max = Self::field(&wire["options"], "maxResults", 50, 1..=100)?;
        let issues = self.slice(start, max);
        Ok(IssuesPage {
            start_at: start,
            max_results: issues.len() as u32,
            total: self.totals.then_some(self.items),
            issues,
        })
    }

    /// An offset API with `has_more`: `offset >= 0`, `limit` in `1..=100` (default 10).
    pub fn events(&self, request: &ListEvents) -> Result<EventsPage, String> {
        let wire = self.wire(request);
        let start = Self::field(&wire, "offset", 0, 0..=i64::MAX)?;
        let limit = Self::field(&wire, "limit", 10, 1..=100)?;
        let data = self.slice(start, limit);
        Ok(EventsPage {
            has_more: start + (data.len() as u64) < self.items,
            data,
        })
    }

    /// GitHub: `page >= first` (default `first`), `per_page` in `1..=100` (default 30).
    pub fn github<T: Serialize>(&self, request: &T, first: i64) -> Result<ReposPage, String> {
        let wire = self.wire(request);
        let page = Self::field(&wire, "page", first, first..=i64::MAX)?;
        let per_page = Self::field(&wire, "per_page", 30, 1..=100)?;
        Ok(ReposPage {
            repos: self.slice((page - first as u64) * per_page, per_page),
            total_pages: self.totals.then_some(self.items.div_ceil(per_page) as u32),
        })
    }

    /// Totals in an envelope, for offsets (`offset`, `limit`) or pages (`page`, `per_page`).
    pub fn enveloped<T: Serialize>(&self, request: &T) -> Result<Envelope, String> {
        let wire = self.wire(request);
        let size = Self::field(&wire, "limit", 10, 1..=100)?.min(Self::field(&wire, "per_page", 10, 1..=100)?);
        let start = match wire.get("page") {
            Some(_) => (Self::field(&wire, "page", 1, 1..=i64::MAX)? - 1) * size,
            None => Self::field(&wire, "offset", 0, 0..=i64::MAX)?,
        };
        Ok(Envelope {
            data: self.slice(start, size),
            meta: Some(Meta {
                total: Some(self.items),
                pagination: Some(Pagination {
                    pages: Some(self.items.div_ceil(size) as u32),
                }),
            }),
        })
    }
}
