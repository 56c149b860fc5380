//! Parsing of `#[paginated(...)]` and of the `#[serde(rename...)]` the wire names come from.

use proc_macro2::{Span, TokenTree};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitInt, LitStr, Path, Type};

use crate::path::PathExpr;
use crate::symbol::*;

/// The roles a struct gives a path, as the unknown-attribute error lists them.
fn path_roles() -> String {
    PATH_ROLES
        .iter()
        .map(|role| {
            if *role == OUTPUT_TOKEN {
                format!("`{role}(path = ..., feeds = ...)`")
            } else {
                format!("`{role}(path = ...)`")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The keys a field accepts.
fn field_keys() -> String {
    KEYS.iter()
        .filter(|k| k.place != Place::Struct)
        .map(|k| format!("`{}`", k.symbol))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects every error so one build reports every mistake.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn spanned<T: quote::ToTokens>(&mut self, tokens: T, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// A value seen once, with the span of the attribute key that set it.
pub(crate) struct Once<T> {
    pub(crate) value: Option<(Span, T)>,
}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Once { value: None }
    }
}

impl<T> Once<T> {
    fn set(&mut self, errors: &mut Errors, key: &Ident, value: T) {
        if self.value.is_some() {
            errors.spanned(key, format_args!("duplicate paginated attribute `{key}`"));
        } else {
            self.value = Some((key.span(), value));
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    pub(crate) fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }

    pub(crate) fn is_set(&self) -> bool {
        self.value.is_some()
    }
}

/// `#[paginated(...)]` on the struct.
#[derive(Default)]
pub(crate) struct StructAttrs {
    pub(crate) response: Once<Type>,
    pub(crate) krate: Once<Path>,
    pub(crate) nested: Once<()>,
    /// Roles reaching into nested structs: `result_key(path = "...")` and the like.
    pub(crate) paths: Vec<PathRole>,
    /// Request keys inside nested request structs: `input_token(path = "...")`, `limit_key(path = "...")`.
    pub(crate) request_paths: Vec<RequestPath>,
    /// Tokens computed by a function: `output_token(with = ..., feeds = ...)`.
    pub(crate) computed: Vec<Computed>,
}

impl StructAttrs {
    /// The `input_token(path = ...)` roles.
    pub(crate) fn token_paths(&self) -> impl Iterator<Item = &RequestPath> {
        self.request_paths.iter().filter(|p| p.is_input_token())
    }

    /// The `limit_key(path = ...)` roles (one, or a mistake reported).
    pub(crate) fn limit_paths(&self) -> impl Iterator<Item = &RequestPath> {
        self.request_paths.iter().filter(|p| !p.is_input_token())
    }
}

/// `input_token(path = "...")` or `limit_key(path = "...", min = .., max = ..)` on the request struct.
pub(crate) struct RequestPath {
    pub(crate) key: Ident,
    pub(crate) path: PathExpr,
    pub(crate) min: Option<u64>,
    pub(crate) max: Option<u64>,
}

impl RequestPath {
    pub(crate) fn is_input_token(&self) -> bool {
        self.key == INPUT_TOKEN
    }
}

/// `output_token(with = path::to::fn, feeds = ...)`: a token computed from the request and the page.
pub(crate) struct Computed {
    pub(crate) key: Ident,
    pub(crate) with: Path,
    pub(crate) feeds: Feeds,
}

/// The input token an output token feeds, named as the request names it: a
/// field (`feeds = next_token`), or the path of a token inside nested request
/// structs (`feeds = "variables.after"`). `key` is that name without `r#`.
pub(crate) struct Feeds {
    pub(crate) key: String,
    pub(crate) span: Span,
}

impl Feeds {
    pub(crate) fn field(ident: &Ident) -> Self {
        Feeds {
            key: ident.unraw().to_string(),
            span: ident.span(),
        }
    }

    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            let path = PathExpr::parse(&lit)?;
            if !path.is_plain() || path.single().steps.is_empty() {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "an output token names the input token it feeds as the request names it: a field \
                         (`{}`, no quotes), or in quotes the path of one inside nested request structs \
                         (`\"variables.after\"`)",
                        path.single().key()
                    ),
                ));
            }
            Ok(Feeds {
                key: path.single().key(),
                span: lit.span(),
            })
        } else {
            field_name(input).map(|ident| Feeds::field(&ident))
        }
    }
}

impl std::fmt::Display for Feeds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key)
    }
}

/// A struct-level role with a path.
pub(crate) struct PathRole {
    pub(crate) key: Ident,
    pub(crate) kind: PathKind,
    pub(crate) path: PathExpr,
}

pub(crate) enum PathKind {
    ResultKey { primary: bool },
    OutputToken { feeds: Feeds },
    MoreResults,
    LastPage,
    NonAggregate,
    Total,
    TotalPages,
}

/// A struct-level role: a path into nested structs, or a computed token.
enum StructRole {
    Path(PathRole),
    Computed(Computed),
}

/// The arguments of a role on the struct, `role(path = "...", ...)`: `path`,
/// and the keys only some roles take.
#[derive(Default)]
struct RoleArgs {
    path: Option<PathExpr>,
    feeds: Option<Feeds>,
    with: Option<(Ident, Path)>,
    primary: bool,
    min: Option<u64>,
    max: Option<u64>,
}

impl RoleArgs {
    /// Parses the arguments of `key(...)`, refusing a key `key` does not take.
    fn parse(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<Self> {
        let mut args = RoleArgs::default();
        meta.parse_nested_meta(|inner| {
            let name = key_of(&inner)?;
            if name == PATH {
                args.path = Some(PathExpr::parse(&inner.value()?.parse::<LitStr>()?)?);
            } else if name == FEEDS && key == OUTPUT_TOKEN {
                args.feeds = Some(Feeds::parse(inner.value()?)?);
            } else if name == WITH && key == OUTPUT_TOKEN {
                args.with = Some((name, inner.value()?.parse::<Path>()?));
            } else if name == PRIMARY && key == RESULT_KEY {
                args.primary = true;
            } else if name == MIN && key == LIMIT_KEY {
                args.min = Some(inner.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if name == MAX && key == LIMIT_KEY {
                args.max = Some(inner.value()?.parse::<LitInt>()?.base10_parse()?);
            } else {
                let allowed = if key == OUTPUT_TOKEN {
                    "`path` (or `with`) and `feeds`"
                } else if key == RESULT_KEY {
                    "`path` and `primary`"
                } else if key == LIMIT_KEY {
                    "`path`, `min` and `max`"
                } else {
                    "`path`"
                };
                return Err(syn::Error::new_spanned(
                    &name,
                    format!("unknown key `{name}` in `{key}(...)`; expected {allowed}"),
                ));
            }
            Ok(())
        })?;
        Ok(args)
    }

    /// The path, which every role but a computed token needs.
    fn take_path(&mut self, meta: &ParseNestedMeta, key: &Ident) -> syn::Result<PathExpr> {
        self.path
            .take()
            .ok_or_else(|| meta.error(format!("`{key}(...)` on the struct needs `path = \"...\"`")))
    }
}

/// Parses `role(path = "...", ...)` (or `output_token(with = ..., feeds = ...)`) on the struct.
fn path_role(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<StructRole> {
    let mut args = RoleArgs::parse(meta, key)?;
    if let Some((with_key, with)) = args.with {
        if let Some(path) = args.path {
            return Err(syn::Error::new(
                path.span,
                "`output_token(...)` takes `path` (a token in the page) or `with` (a function computing it), not both",
            ));
        }
        let feeds = args.feeds.ok_or_else(|| {
            syn::Error::new_spanned(
                quote::quote!(#key #with_key),
                "`output_token(with = ...)` needs `feeds = <input token of this request>`",
            )
        })?;
        return Ok(StructRole::Computed(Computed {
            key: with_key,
            with,
            feeds,
        }));
    }
    let path = args.take_path(meta, key)?;
    let kind = if key == RESULT_KEY {
        PathKind::ResultKey { primary: args.primary }
    } else if key == OUTPUT_TOKEN {
        PathKind::OutputToken {
            feeds: args.feeds.ok_or_else(|| {
                meta.error("`output_token(...)` on the struct needs `feeds = <input token field of the request>`")
            })?,
        }
    } else if key == MORE_RESULTS {
        PathKind::MoreResults
    } else if key == LAST_PAGE {
        PathKind::LastPage
    } else if key == TOTAL {
        PathKind::Total
    } else if key == TOTAL_PAGES {
        PathKind::TotalPages
    } else {
        PathKind::NonAggregate
    };
    if !matches!(kind, PathKind::OutputToken { .. }) && !path.is_plain() {
        return Err(syn::Error::new(
            path.span,
            format!("`{key}` takes a plain path of field names; indexes and `||` are for output tokens"),
        ));
    }
    Ok(StructRole::Path(PathRole {
        key: key.clone(),
        kind,
        path,
    }))
}

/// Parses `input_token(path = "...")` or `limit_key(path = "...", min = .., max = ..)` on the struct.
fn request_path(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<RequestPath> {
    let mut args = RoleArgs::parse(meta, key)?;
    let path = args.take_path(meta, key)?;
    let (min, max) = (args.min, args.max);
    if !path.is_plain() {
        return Err(syn::Error::new(
            path.span,
            format!("`{key}` takes a plain path of field names (`variables.after`)"),
        ));
    }
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            return Err(syn::Error::new_spanned(
                key,
                format!("`min = {min}` is larger than `max = {max}`"),
            ));
        }
    }
    Ok(RequestPath {
        key: key.clone(),
        path,
        min,
        max,
    })
}

/// `#[paginated(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) input_token: Once<()>,
    pub(crate) limit_key: Once<()>,
    pub(crate) min: Once<u64>,
    pub(crate) max: Once<u64>,
    pub(crate) rename: Once<String>,
    pub(crate) output_token: Once<Option<Feeds>>,
    pub(crate) result_key: Once<()>,
    pub(crate) primary: Once<()>,
    pub(crate) more_results: Once<()>,
    pub(crate) last_page: Once<()>,
    pub(crate) non_aggregate: Once<()>,
    /// `link = "next"`: the output token is the target of this relation in a `Link` header.
    pub(crate) link: Once<LitStr>,
    pub(crate) offset: Once<()>,
    pub(crate) page: Once<()>,
    pub(crate) first: Once<u64>,
    pub(crate) short_page_ends: Once<()>,
    pub(crate) total: Once<()>,
    pub(crate) total_pages: Once<()>,
}

impl FieldAttrs {
    /// An input token: a cursor, an offset or a page number.
    pub(crate) fn is_input_token(&self) -> bool {
        self.input_token.is_set() || self.offset.is_set() || self.page.is_set()
    }
}

pub(crate) fn struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| *a.path() == PAGINATED) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if key == RESPONSE {
                out.response.set(errors, &key, meta.value()?.parse()?);
            } else if key == CRATE {
                out.krate.set(errors, &key, meta.value()?.parse::<LitStr>()?.parse()?);
            } else if key == NESTED {
                out.nested.set(errors, &key, ());
            } else if PATH_ROLES.iter().any(|role| key == *role) && meta.input.peek(syn::token::Paren) {
                match path_role(&meta, &key)? {
                    StructRole::Path(role) => out.paths.push(role),
                    StructRole::Computed(computed) => out.computed.push(computed),
                }
            } else if (key == INPUT_TOKEN || key == LIMIT_KEY) && meta.input.peek(syn::token::Paren) {
                out.request_paths.push(request_path(&meta, &key)?);
            } else if PATH_ROLES.iter().any(|role| key == *role) {
                errors.spanned(
                    &key,
                    format_args!(
                        "`{key}` goes on a field; on the struct, a role takes a path: `{key}(path = \"field.nested_field\")`"
                    ),
                );
                skip_value(&meta)?;
            } else if KEYS.iter().any(|k| key == k.symbol) {
                errors.spanned(&key, format_args!("`{key}` goes on a field"));
                skip_value(&meta)?;
            } else {
                errors.spanned(
                    &key,
                    format_args!(
                        "unknown paginated attribute `{key}`; on a struct the keys are `response`, `crate`, `nested` \
                         and roles with a path ({}; on a request `input_token(path = ...)`, \
                         `limit_key(path = ...)` and `output_token(with = ..., feeds = ...)`)",
                        path_roles()
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| *a.path() == PAGINATED) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if (key == INPUT_TOKEN || key == LIMIT_KEY || key == OUTPUT_TOKEN) && meta.input.peek(syn::token::Paren) {
                errors.push(path_on_field(&meta, &key)?);
            } else if key == INPUT_TOKEN {
                out.input_token.set(errors, &key, ());
            } else if key == LIMIT_KEY {
                out.limit_key.set(errors, &key, ());
            } else if key == RESULT_KEY {
                out.result_key.set(errors, &key, ());
            } else if key == PRIMARY {
                out.primary.set(errors, &key, ());
            } else if key == MORE_RESULTS {
                out.more_results.set(errors, &key, ());
            } else if key == LAST_PAGE {
                out.last_page.set(errors, &key, ());
            } else if key == NON_AGGREGATE {
                out.non_aggregate.set(errors, &key, ());
            } else if key == OFFSET {
                out.offset.set(errors, &key, ());
            } else if key == PAGE {
                out.page.set(errors, &key, ());
            } else if key == FIRST {
                out.first
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if key == SHORT_PAGE_ENDS {
                out.short_page_ends.set(errors, &key, ());
            } else if key == TOTAL {
                out.total.set(errors, &key, ());
            } else if key == TOTAL_PAGES {
                out.total_pages.set(errors, &key, ());
            } else if key == MIN {
                out.min
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if key == MAX {
                out.max
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?);
            } else if key == RENAME {
                out.rename.set(errors, &key, meta.value()?.parse::<LitStr>()?.value());
            } else if key == LINK {
                out.link.set(errors, &key, meta.value()?.parse::<LitStr>()?);
            } else if key == OUTPUT_TOKEN {
                let target = if meta.input.peek(syn::Token![=]) {
                    Some(Feeds::parse(meta.value()?)?)
                } else {
                    None
                };
                out.output_token.set(errors, &key, target);
            } else if key == RESPONSE {
                errors.spanned(&key, "`response` goes on the request struct, not on a field");
                skip_value(&meta)?;
            } else if key == CRATE {
                errors.spanned(&key, "`crate` goes on the struct, not on a field");
                skip_value(&meta)?;
            } else {
                errors.spanned(
                    &key,
                    format_args!("unknown paginated attribute `{key}`; expected one of {}", field_keys()),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
}

/// `input_token(...)`, `limit_key(...)` or `output_token(...)` on a field:
/// a path or a function is the struct's. The error covers the key and its
/// parentheses.
fn path_on_field(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<syn::Error> {
    let args: TokenTree = meta.input.parse()?;
    let example = if key == INPUT_TOKEN {
        "input_token(path = \"variables.after\")"
    } else if key == LIMIT_KEY {
        "limit_key(path = \"variables.first\")"
    } else {
        "output_token(path = \"page_info.end_cursor\", feeds = after)"
    };
    Ok(syn::Error::new_spanned(
        quote::quote!(#key #args),
        format!(
            "on a field, `{key}` takes no arguments (`#[paginated({key})]`); a key inside nested structs goes \
             on the struct, with the path from it: `#[paginated({example})]`"
        ),
    ))
}

/// A field name, keywords too (`feeds = continue` names `r#continue`).
fn field_name(input: syn::parse::ParseStream) -> syn::Result<Ident> {
    if input.peek(Ident::peek_any) {
        input.call(Ident::parse_any)
    } else {
        Err(input.error("expected identifier"))
    }
}

fn key_of(meta: &ParseNestedMeta) -> syn::Result<Ident> {
    meta.path
        .get_ident()
        .cloned()
        .ok_or_else(|| meta.error("expected a paginated attribute key such as `input_token`"))
}

fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let value = meta.value()?;
        while !value.is_empty() && !value.peek(syn::Token![,]) {
            value.parse::<TokenTree>()?;
        }
    } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}
