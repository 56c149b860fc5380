//! Where a listing stands: the last page's position, and a detached copy of
//! it ([`ResumePoint`]) that gives the resume token at any of its items.

use std::sync::Arc;

use crate::shape::Shape;
use crate::token_set::TokenSet;

/// Where the listing stands within the last page yielded.
#[derive(Debug, Clone)]
pub(crate) struct PagePosition {
    /// Tokens of the request that returned the page.
    pub(crate) tokens: Tokens,
    /// Items of the raw page skipped because a starting token had consumed them.
    pub(crate) offset: usize,
    /// Items in the page as yielded.
    pub(crate) len: usize,
    /// `MaxItems` cut the page short.
    pub(crate) cut: bool,
    /// Tokens for the page after this one; `None` when the listing ends here.
    pub(crate) next: Option<Tokens>,
    /// When a restart dropped items from the middle of the page: the index
    /// in the page as it came of each item left (`MaxItems` cut or not).
    pub(crate) kept: Option<Arc<[usize]>>,
}

/// A page's token set, or "the tokens in the request now": the listing keeps
/// each set once, not a copy per role, and copies only for a [`ResumePoint`].
#[derive(Debug, Clone)]
pub(crate) enum Tokens {
    /// The tokens the request holds (the listing's `request_tokens`).
    Request,
    /// Tokens the request does not hold.
    Held(TokenSet),
}

impl Tokens {
    fn resolve(&self, request_tokens: &TokenSet) -> TokenSet {
        match self {
            Tokens::Request => request_tokens.clone(),
            Tokens::Held(tokens) => tokens.clone(),
        }
    }
}

/// Where a listing stands, detached from it; see
/// [`ListingState::resume_point`](crate::ListingState::resume_point). Cheap to
/// clone, `Send` and `Sync`.
#[derive(Debug, Clone)]
pub struct ResumePoint {
    names: Arc<[&'static str]>,
    shape: Shape,
    at: At,
    /// The listing came to its end after this page, with no error to come
    /// (what a checkpoint marks done).
    ended: bool,
}

#[derive(Debug, Clone)]
enum At {
    /// Nothing to resume: the listing is over or failed.
    Nowhere,
    /// This token, wherever in the page: a restarted listing catching up.
    Fixed(Option<String>),
    /// No page yet: the tokens and skip the listing started with.
    Start { tokens: TokenSet, skip: Option<usize> },
    /// Within or after the last page yielded.
    Page {
        tokens: TokenSet,
        offset: usize,
        len: usize,
        cut: bool,
        next: Option<TokenSet>,
        kept: Option<Arc<[usize]>>,
        /// Items of the next page still to skip (a cursor's skip carried past a page shorter than it).
        carry: Option<usize>,
    },
}

impl ResumePoint {
    /// `skip_ahead`: the items to skip from the start of the next page (a
    /// starting token's before any page; after one, what of a cursor's skip
    /// the pages so far were too short to hold). `ended`: the listing came to
    /// its end, with no error to come.
    pub(crate) fn new(
        names: Arc<[&'static str]>,
        shape: Shape,
        (valid, ended): (bool, bool),
        request_tokens: &TokenSet,
        skip_ahead: Option<usize>,
        position: Option<&PagePosition>,
    ) -> Self {
        let at = match (valid, position) {
            (false, _) => At::Nowhere,
            (true, None) => At::Start {
                tokens: request_tokens.clone(),
                skip: skip_ahead.filter(|n| *n > 0),
            },
            (true, Some(p)) => At::Page {
                tokens: p.tokens.resolve(request_tokens),
                offset: p.offset,
                len: p.len,
                cut: p.cut,
                next: p.next.as_ref().map(|next| next.resolve(request_tokens)),
                kept: p.kept.clone(),
                carry: skip_ahead.filter(|n| *n > 0),
            },
        };
        ResumePoint {
            names,
            shape,
            at,
            ended,
        }
    }

    /// A point whose token is `token` at every item.
    pub(crate) fn fixed(names: Arc<[&'static str]>, shape: Shape, token: Option<String>) -> Self {
        ResumePoint {
            names,
            shape,
            at: At::Fixed(token),
            ended: false,
        }
    }

    /// Whether the listing ends after `consumed` items of the page: nothing
    /// is left to yield (the resume token there is `None`) and no error is to
    /// come, as there is after a repeated token or an output token that
    /// cannot be read.
    pub(crate) fn is_end_at(&self, consumed: usize) -> bool {
        self.ended && matches!(&self.at, At::Page { len, cut: false, next: None, .. } if consumed >= *len)
    }

    /// [`is_end_at`](Self::is_end_at) once the page is fully consumed.
    pub(crate) fn is_end(&self) -> bool {
        self.is_end_at(usize::MAX)
    }

    /// The resume token once the page is fully consumed; `None` when nothing is left.
    pub fn resume_token(&self) -> Option<String> {
        let consumed = match &self.at {
            At::Page { len, .. } => *len,
            _ => 0,
        };
        self.resume_token_at(consumed)
    }

    /// The resume token after `consumed` items of the page were handed out.
    pub fn resume_token_at(&self, consumed: usize) -> Option<String> {
        let (names, shape) = (&self.names, &self.shape);
        match &self.at {
            At::Nowhere => None,
            At::Fixed(token) => token.clone(),
            At::Start { tokens, skip } => Some(shape.encode(tokens, names, *skip)),
            At::Page {
                tokens,
                offset,
                len,
                cut,
                kept,
                ..
            } if consumed < *len || *cut => {
                let at = consumed.min(*len);
                // Past the items a restart dropped up to the next one kept.
                let skip = kept
                    .as_ref()
                    .map_or(offset + at, |kept| kept.get(at).copied().unwrap_or(offset + at));
                Some(shape.encode(tokens, names, Some(skip)))
            }
            At::Page { next, carry, .. } => next.as_ref().map(|next| shape.encode(next, names, *carry)),
        }
    }
}
