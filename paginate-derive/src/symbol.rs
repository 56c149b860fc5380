//! The words of `#[paginated(...)]`, named once (as serde_derive's
//! `symbol.rs` names its own), and the table of keys with where each goes,
//! which the unknown-key errors quote.

use std::fmt;

use syn::{Ident, Path};

/// A word of the attribute.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) struct Symbol(&'static str);

pub(crate) const PAGINATED: Symbol = Symbol("paginated");
pub(crate) const RESPONSE: Symbol = Symbol("response");
pub(crate) const CRATE: Symbol = Symbol("crate");
pub(crate) const NESTED: Symbol = Symbol("nested");
pub(crate) const INPUT_TOKEN: Symbol = Symbol("input_token");
pub(crate) const LIMIT_KEY: Symbol = Symbol("limit_key");
pub(crate) const MIN: Symbol = Symbol("min");
pub(crate) const MAX: Symbol = Symbol("max");
pub(crate) const RENAME: Symbol = Symbol("rename");
pub(crate) const OUTPUT_TOKEN: Symbol = Symbol("output_token");
pub(crate) const RESULT_KEY: Symbol = Symbol("result_key");
pub(crate) const PRIMARY: Symbol = Symbol("primary");
pub(crate) const MORE_RESULTS: Symbol = Symbol("more_results");
pub(crate) const LAST_PAGE: Symbol = Symbol("last_page");
pub(crate) const NON_AGGREGATE: Symbol = Symbol("non_aggregate");
pub(crate) const PATH: Symbol = Symbol("path");
pub(crate) const FEEDS: Symbol = Symbol("feeds");
pub(crate) const OFFSET: Symbol = Symbol("offset");
pub(crate) const PAGE: Symbol = Symbol("page");
pub(crate) const FIRST: Symbol = Symbol("first");
pub(crate) const SHORT_PAGE_ENDS: Symbol = Symbol("short_page_ends");
pub(crate) const TOTAL: Symbol = Symbol("total");
pub(crate) const TOTAL_PAGES: Symbol = Symbol("total_pages");
pub(crate) const WITH: Symbol = Symbol("with");
pub(crate) const LINK: Symbol = Symbol("link");

/// Where a key goes.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// On the struct.
    Struct,
    /// On a field (the roles also on the struct, with a path).
    Field,
    /// On a field, beside another key it modifies.
    Modifier,
}

/// A key of `#[paginated(...)]` and where it goes.
pub(crate) struct Key {
    pub(crate) symbol: Symbol,
    pub(crate) place: Place,
}

const fn key(symbol: Symbol, place: Place) -> Key {
    Key { symbol, place }
}

/// Every key `#[paginated(...)]` accepts (the reference, with what each
/// means, is the rustdoc of `paginate::Paginated`).
pub(crate) const KEYS: &[Key] = &[
    key(RESPONSE, Place::Struct),
    key(CRATE, Place::Struct),
    key(NESTED, Place::Struct),
    key(INPUT_TOKEN, Place::Field),
    key(LIMIT_KEY, Place::Field),
    key(MIN, Place::Modifier),
    key(MAX, Place::Modifier),
    key(RENAME, Place::Modifier),
    key(OUTPUT_TOKEN, Place::Field),
    key(RESULT_KEY, Place::Field),
    key(PRIMARY, Place::Modifier),
    key(MORE_RESULTS, Place::Field),
    key(LAST_PAGE, Place::Field),
    key(NON_AGGREGATE, Place::Field),
    key(OFFSET, Place::Field),
    key(PAGE, Place::Field),
    key(FIRST, Place::Modifier),
    key(SHORT_PAGE_ENDS, Place::Modifier),
    key(TOTAL, Place::Field),
    key(TOTAL_PAGES, Place::Field),
    key(LINK, Place::Modifier),
];

/// The roles a struct can also take with a path.
pub(crate) const PATH_ROLES: [Symbol; 7] = [
    RESULT_KEY,
    OUTPUT_TOKEN,
    MORE_RESULTS,
    LAST_PAGE,
    NON_AGGREGATE,
    TOTAL,
    TOTAL_PAGES,
];

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
