//! Random-access paging: an input token the library computes (an offset, a
//! page number) instead of reading it from the page. How the next value is
//! found, when the listing ends, and how resume tokens of such a listing are
//! written and read back exactly whatever page size the resumed listing uses.

use std::borrow::Cow;

use serde_json::Number;

use crate::error::{ConfigError, TokenError};
use crate::model::{PaginatedRequest, PaginatedResponse, TokenKind};
use crate::token::StartingToken;
use crate::token_set::TokenSet;
use crate::value::TokenValue;

/// How a listing's next request is found: from the page's output tokens
/// (cursors, botocore's shapes), or computed from the request's offset or
/// page number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// The computed input token and how it is computed; `None` for cursors.
    computed: Option<(usize, TokenKind)>,
    /// The limit key's wire name, which a page token records the page size under.
    limit: Option<&'static str>,
    /// The page size every request of the listing asks for, when known.
    page_size: Option<u64>,
}

/// A starting token read for this shape: the tokens and skip of the first
/// request, and the page size the request must be given to make them exact.
pub(crate) struct Start {
    pub(crate) tokens: TokenSet,
    pub(crate) skip: usize,
    pub(crate) page_size: Option<u64>,
}

impl Shape {
    pub(crate) fn of<Req: PaginatedRequest>() -> Self {
        let computed = Req::INPUT_TOKENS
            .iter()
            .enumerate()
            .find(|(_, t)| t.kind != TokenKind::Cursor)
            .map(|(index, t)| (index, t.kind));
        Shape {
            computed,
            limit: Req::LIMIT_KEY.map(|k| k.name),
            page_size: None,
        }
    }

    /// The shape once the request's page size is known (after the config is applied).
    pub(crate) fn with_page_size(self, page_size: Option<u64>) -> Self {
        Shape {
            page_size: page_size.filter(|size| *size > 0),
            ..self
        }
    }

    pub(crate) fn is_computed(&self) -> bool {
        self.computed.is_some()
    }

    /// For page numbers: the token's index and the first page's number.
    pub(crate) fn first_page(&self) -> Option<(usize, u64)> {
        match self.computed {
            Some((index, TokenKind::Page { first, .. })) => Some((index, first)),
            _ => None,
        }
    }

    /// The keys a resume token of this listing may have: the input tokens,
    /// and for page numbers the limit key, which records the page size.
    pub(crate) fn token_names<'a>(&self, names: &'a [&'static str]) -> Cow<'a, [&'static str]> {
        match (self.computed, self.limit) {
            (Some((_, TokenKind::Page { .. })), Some(limit)) => {
                let mut all = names.to_vec();
                all.push(limit);
                Cow::Owned(all)
            }
            _ => Cow::Borrowed(names),
        }
    }

    /// The tokens of the request after the one that returned `page` (whose
    /// tokens were `tokens` and whose primary result key had `raw_len` items
    /// as it came); every token absent when the listing ends there.
    pub(crate) fn next<R: PaginatedResponse>(&self, tokens: &TokenSet, page: &R, raw_len: usize) -> TokenSet {
        let end = || TokenSet::empty(tokens.entries().count());
        let Some((index, kind)) = self.computed else {
            return end();
        };
        let raw = raw_len as u64;
        let short = |ends: bool| ends && self.page_size.is_some_and(|size| raw < size);
        if raw == 0 {
            return end();
        }
        let next = match kind {
            TokenKind::Cursor => return end(),
            TokenKind::Offset { short_page_ends } => {
                // No item past the largest offset can be asked for.
                let Some(next) = value(tokens, index, 0).checked_add(raw) else {
                    return end();
                };
                let pages_end = page
                    .total_pages()
                    .zip(self.page_size)
                    .is_some_and(|(pages, size)| next >= pages.saturating_mul(size));
                if short(short_page_ends) || page.total().is_some_and(|total| next >= total) || pages_end {
                    return end();
                }
                next
            }
            TokenKind::Page { first, short_page_ends } => {
                let number = value(tokens, index, first).max(first);
                let pages_done = (number - first).saturating_add(1);
                let items_end = page
                    .total()
                    .zip(self.page_size)
                    .is_some_and(|(total, size)| pages_done.saturating_mul(size) >= total);
                if short(short_page_ends) || page.total_pages().is_some_and(|pages| pages_done >= pages) || items_end {
                    return end();
                }
                // No page past the largest number can be asked for.
                let Some(next) = number.checked_add(1) else {
                    return end();
                };
                next
            }
        };
        tokens.with(index, TokenValue::Number(Number::from(next)))
    }

    /// Where the listing ends, as the index of the item after its last, when
    /// `page` says (`total`, or `total_pages` with the page size known).
    pub(crate) fn end_index<R: PaginatedResponse>(&self, page: &R) -> Option<u64> {
        self.computed?;
        let pages = page
            .total_pages()
            .zip(self.page_size)
            .map(|(pages, size)| pages.saturating_mul(size));
        match (page.total(), pages) {
            (Some(total), Some(pages)) => Some(total.min(pages)),
            (total, pages) => total.or(pages),
        }
    }

    /// The tokens of the request `n` pages after the one `tokens` make,
    /// were every page full: `None` unless the page size is known, and when
    /// that page would start at or past `end` or past the `remaining` items
    /// `MaxItems` still wants.
    pub(crate) fn ahead(
        &self,
        tokens: &TokenSet,
        n: u64,
        end: Option<u64>,
        remaining: Option<u64>,
    ) -> Option<TokenSet> {
        let (index, kind) = self.computed?;
        let size = self.page_size?;
        let step = n.checked_mul(size)?;
        if remaining.is_some_and(|remaining| step >= remaining) {
            return None;
        }
        let (start, value) = match kind {
            TokenKind::Cursor => return None,
            TokenKind::Offset { .. } => {
                let offset = value(tokens, index, 0).checked_add(step)?;
                (offset, offset)
            }
            TokenKind::Page { first, .. } => {
                let page = value(tokens, index, first).max(first).checked_add(n)?;
                ((page - first).checked_mul(size)?, page)
            }
        };
        if start >= end? {
            return None;
        }
        Some(tokens.with(index, TokenValue::Number(Number::from(value))))
    }

    /// True when `a` and `b` are the same request's tokens: the computed
    /// token compared by where it stands (absent is 0, or the first page).
    pub(crate) fn same(&self, a: &TokenSet, b: &TokenSet) -> bool {
        match self.computed {
            Some((index, TokenKind::Offset { .. })) => value(a, index, 0) == value(b, index, 0),
            Some((index, TokenKind::Page { first, .. })) => {
                value(a, index, first).max(first) == value(b, index, first).max(first)
            }
            _ => a == b,
        }
    }

    /// The resume token at `tokens` with `skip` items of their page handed out.
    /// An offset folds the skip into itself (exact for any page size); a page
    /// number records the page size beside it.
    pub(crate) fn encode(&self, tokens: &TokenSet, names: &[&'static str], skip: Option<usize>) -> String {
        match self.computed {
            Some((index, TokenKind::Offset { .. })) => {
                let skip = skip.unwrap_or(0) as u64;
                if skip == 0 {
                    return tokens.encode(names, None);
                }
                let at = value(tokens, index, 0).saturating_add(skip);
                tokens
                    .with(index, TokenValue::Number(Number::from(at)))
                    .encode(names, None)
            }
            Some((_, TokenKind::Page { .. })) => match self.page_size {
                Some(size) => {
                    let names = self.token_names(names);
                    tokens
                        .with(names.len() - 1, TokenValue::Number(Number::from(size)))
                        .encode(&names, skip)
                }
                None => tokens.encode(names, skip),
            },
            _ => tokens.encode(names, skip),
        }
    }

    /// A starting token (decoded with [`token_names`](Self::token_names))
    /// made into the first request's tokens and skip, translated to the
    /// `PageSize` the listing is given: exact, or refused.
    pub(crate) fn start(
        &self,
        start: StartingToken,
        page_size: Option<u64>,
        names: &[&'static str],
    ) -> Result<Start, ConfigError> {
        let StartingToken {
            tokens,
            truncate_amount: skip,
        } = start;
        let Some((index, kind)) = self.computed else {
            return Ok(Start {
                tokens,
                skip,
                page_size: None,
            });
        };
        let key = names.get(index).copied().unwrap_or_default();
        let number = |tokens: &TokenSet, at: usize, name: &str| whole_number(tokens, at, name);
        match kind {
            TokenKind::Cursor => Ok(Start {
                tokens,
                skip,
                page_size: None,
            }),
            TokenKind::Offset { .. } => {
                let offset = number(&tokens, index, key)?.unwrap_or(0);
                let tokens = if skip == 0 {
                    tokens
                } else {
                    let at = offset.saturating_add(skip as u64);
                    tokens.with(index, TokenValue::Number(Number::from(at)))
                };
                Ok(Start {
                    tokens,
                    skip: 0,
                    page_size: None,
                })
            }
            TokenKind::Page { first, .. } => {
                let recorded = match self.limit {
                    Some(limit) => number(&tokens, names.len(), limit)?.filter(|size| *size > 0),
                    None => None,
                };
                let tokens: TokenSet = tokens
                    .entries()
                    .filter(|(i, _)| *i < names.len())
                    .map(|(i, v)| (i, v.clone()))
                    .collect();
                let page = number(&tokens, index, key)?.unwrap_or(first).max(first);
                let wanted = page_size.filter(|size| *size > 0);
                let (page, skip, set) = match (wanted, recorded) {
                    (Some(new), Some(old)) => {
                        let at = (page - first).saturating_mul(old).saturating_add(skip as u64);
                        (first.saturating_add(at / new), at % new, None)
                    }
                    (Some(new), None) if page == first => {
                        (first.saturating_add(skip as u64 / new), skip as u64 % new, None)
                    }
                    (Some(new), None) => return Err(ConfigError::PageSizeNotRecorded { page_size: new }),
                    (None, recorded) => (page, skip as u64, recorded),
                };
                Ok(Start {
                    tokens: tokens.with(index, TokenValue::Number(Number::from(page))),
                    skip: usize::try_from(skip).unwrap_or(usize::MAX),
                    page_size: set,
                })
            }
        }
    }

    /// Checks that the computed token the listing starts from (the request's
    /// own, or a starting token's) is a whole number.
    pub(crate) fn check(&self, tokens: &TokenSet, names: &[&'static str]) -> Result<(), TokenError> {
        match self.computed {
            Some((index, _)) => whole_number(tokens, index, names.get(index).copied().unwrap_or_default()).map(|_| ()),
            None => Ok(()),
        }
    }
}

/// The token at `index` as a number; `absent` when it is null.
fn value(tokens: &TokenSet, index: usize, absent: u64) -> u64 {
    match tokens.get(index) {
        Some(TokenValue::Number(n)) => n.as_u64().unwrap_or(absent),
        _ => absent,
    }
}

/// The token at `index`: `None` when absent or null, else a whole number.
fn whole_number(tokens: &TokenSet, index: usize, key: &str) -> Result<Option<u64>, TokenError> {
    match tokens.get(index) {
        None | Some(TokenValue::Null) => Ok(None),
        Some(TokenValue::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(other) => Err(TokenError::InvalidValue {
            key: key.to_owned(),
            source: serde::de::Error::custom(format_args!(
                "expected a whole number from 0, found {}",
                other.to_json()
            )),
        }),
    }
}
