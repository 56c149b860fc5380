//! The roles as the checks and the expansion look them up: a field's roles,
//! each with where it was set, and the response roles a struct gives at most
//! once, as a field or a path.

use proc_macro2::Span;

use crate::attr::{FieldAttrs, Once, PathKind};
use crate::symbol::*;

impl FieldAttrs {
    /// The roles a request field takes, each with where it was set.
    pub(crate) fn request_roles(&self) -> [(Symbol, Option<Span>); 4] {
        [
            (INPUT_TOKEN, self.input_token.span()),
            (OFFSET, self.offset.span()),
            (PAGE, self.page.span()),
            (LIMIT_KEY, self.limit_key.span()),
        ]
    }

    /// The roles a response field takes, each with where it was set.
    pub(crate) fn response_roles(&self) -> [(Symbol, Option<Span>); 7] {
        [
            (OUTPUT_TOKEN, self.output_token.span()),
            (RESULT_KEY, self.result_key.span()),
            (MORE_RESULTS, self.more_results.span()),
            (LAST_PAGE, self.last_page.span()),
            (NON_AGGREGATE, self.non_aggregate.span()),
            (TOTAL, self.total.span()),
            (TOTAL_PAGES, self.total_pages.span()),
        ]
    }

    /// Every role of the field, request roles first, each with where it was set.
    pub(crate) fn roles(&self) -> impl Iterator<Item = (Symbol, Option<Span>)> {
        self.request_roles().into_iter().chain(self.response_roles())
    }
}

/// A response role a struct gives at most one field or path: its key, the
/// field attribute that gives it, and the path kind that does.
#[derive(Clone, Copy)]
pub(crate) struct SingleRole {
    pub(crate) key: Symbol,
    field: fn(&FieldAttrs) -> &Once<()>,
    path: fn(&PathKind) -> bool,
}

impl SingleRole {
    pub(crate) const MORE_RESULTS: SingleRole = SingleRole {
        key: MORE_RESULTS,
        field: |a| &a.more_results,
        path: |kind| matches!(kind, PathKind::MoreResults),
    };
    pub(crate) const LAST_PAGE: SingleRole = SingleRole {
        key: LAST_PAGE,
        field: |a| &a.last_page,
        path: |kind| matches!(kind, PathKind::LastPage),
    };
    pub(crate) const PRIMARY: SingleRole = SingleRole {
        key: PRIMARY,
        field: |a| &a.primary,
        path: |kind| matches!(kind, PathKind::ResultKey { primary: true }),
    };
    pub(crate) const TOTAL: SingleRole = SingleRole {
        key: TOTAL,
        field: |a| &a.total,
        path: |kind| matches!(kind, PathKind::Total),
    };
    pub(crate) const TOTAL_PAGES: SingleRole = SingleRole {
        key: TOTAL_PAGES,
        field: |a| &a.total_pages,
        path: |kind| matches!(kind, PathKind::TotalPages),
    };
    pub(crate) const ALL: [SingleRole; 5] = [
        Self::MORE_RESULTS,
        Self::LAST_PAGE,
        Self::PRIMARY,
        Self::TOTAL,
        Self::TOTAL_PAGES,
    ];

    /// Where a field's attributes give this role.
    pub(crate) fn on_field(&self, attrs: &FieldAttrs) -> Option<Span> {
        (self.field)(attrs).span()
    }

    /// Whether a path of this kind gives this role.
    pub(crate) fn on_path(&self, kind: &PathKind) -> bool {
        (self.path)(kind)
    }
}
