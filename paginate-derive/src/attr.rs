//! Parsing of `#[paginated(...)]` and of the `#[serde(rename...)]` the wire names come from.

use proc_macro2::{Span, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitInt, LitStr, Path, Type};

use crate::path::PathExpr;

/// Every key `#[paginated(...)]` accepts, where it goes, and what it means.
pub(crate) const KEYS: &[(&str, &str)] = &[
    ("response", "struct: the response type of this request"),
    (
        "crate",
        "struct: the path of the paginate crate, when renamed or re-exported",
    ),
    ("nested", "struct: a struct that response paths go through"),
    ("input_token", "request field: a pagination token sent to the service"),
    ("limit_key", "request field: the page size parameter"),
    ("min", "with limit_key: the smallest page size the service accepts"),
    ("max", "with limit_key: the largest page size the service accepts"),
    (
        "rename",
        "with input_token/limit_key: the wire name, when serde attributes cannot tell",
    ),
    (
        "output_token",
        "response field: the token for the next request; `= field` names the request field it feeds",
    ),
    (
        "result_key",
        "response field: a key whose values are aggregated; the first one counts toward MaxItems",
    ),
    (
        "primary",
        "with result_key: make this the result key that MaxItems counts",
    ),
    (
        "more_results",
        "response field: a flag saying whether more pages exist (IsTruncated)",
    ),
    (
        "non_aggregate",
        "response field: copied from the first page into the full result",
    ),
];

/// The keys a field accepts (every key but the struct's `response`).
fn field_keys() -> String {
    KEYS.iter()
        .filter(|(_, doc)| !doc.starts_with("struct"))
        .map(|(k, _)| format!("`{k}`"))
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
}

/// A struct-level role with a path.
pub(crate) struct PathRole {
    pub(crate) key: Ident,
    pub(crate) kind: PathKind,
    pub(crate) path: PathExpr,
}

pub(crate) enum PathKind {
    ResultKey { primary: bool },
    OutputToken { feeds: Ident },
    MoreResults,
    NonAggregate,
}

/// Parses `role(path = "...", ...)` on the struct.
fn path_role(meta: &ParseNestedMeta, key: &Ident) -> syn::Result<PathRole> {
    let (mut path, mut feeds, mut primary) = (None, None, false);
    meta.parse_nested_meta(|inner| {
        let name = key_of(&inner)?;
        match name.to_string().as_str() {
            "path" => path = Some(PathExpr::parse(&inner.value()?.parse::<LitStr>()?)?),
            "feeds" if key == "output_token" => feeds = Some(inner.value()?.parse::<Ident>()?),
            "primary" if key == "result_key" => primary = true,
            _ => {
                let allowed = match key.to_string().as_str() {
                    "output_token" => "`path` and `feeds`",
                    "result_key" => "`path` and `primary`",
                    _ => "`path`",
                };
                return Err(syn::Error::new_spanned(
                    &name,
                    format!("unknown key `{name}` in `{key}(...)`; expected {allowed}"),
                ));
            }
        }
        Ok(())
    })?;
    let path = path.ok_or_else(|| meta.error(format!("`{key}(...)` on the struct needs `path = \"...\"`")))?;
    let kind = match key.to_string().as_str() {
        "result_key" => PathKind::ResultKey { primary },
        "output_token" => PathKind::OutputToken {
            feeds: feeds.ok_or_else(|| {
                meta.error("`output_token(...)` on the struct needs `feeds = <input token field of the request>`")
            })?,
        },
        "more_results" => PathKind::MoreResults,
        _ => PathKind::NonAggregate,
    };
    if !matches!(kind, PathKind::OutputToken { .. }) && !path.is_plain() {
        return Err(syn::Error::new(
            path.span,
            format!("`{key}` takes a plain path of field names; indexes and `||` are for output tokens"),
        ));
    }
    Ok(PathRole {
        key: key.clone(),
        kind,
        path,
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
    pub(crate) output_token: Once<Option<Ident>>,
    pub(crate) result_key: Once<()>,
    pub(crate) primary: Once<()>,
    pub(crate) more_results: Once<()>,
    pub(crate) non_aggregate: Once<()>,
}

pub(crate) fn struct_attrs(attrs: &[Attribute], errors: &mut Errors) -> StructAttrs {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("paginated")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            if key == "response" {
                out.response.set(errors, &key, meta.value()?.parse()?);
            } else if key == "crate" {
                out.krate.set(errors, &key, meta.value()?.parse::<LitStr>()?.parse()?);
            } else if key == "nested" {
                out.nested.set(errors, &key, ());
            } else if ["result_key", "output_token", "more_results", "non_aggregate"].iter().any(|k| key == k)
                && meta.input.peek(syn::token::Paren)
            {
                out.paths.push(path_role(&meta, &key)?);
            } else if KEYS.iter().any(|(k, _)| key == k) {
                errors.spanned(
                    &key,
                    format_args!(
                        "`{key}` goes on a field; on the struct, a role takes a path: `{key}(path = \"field.nested_field\")`"
                    ),
                );
                skip_value(&meta)?;
            } else {
                errors.spanned(
                    &key,
                    format_args!(
                        "unknown paginated attribute `{key}`; on a struct the keys are `response`, `crate`, `nested` \
                         and roles with a path (`result_key(path = ...)`, `output_token(path = ..., feeds = ...)`, \
                         `more_results(path = ...)`, `non_aggregate(path = ...)`)"
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
    for attr in attrs.iter().filter(|a| a.path().is_ident("paginated")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta)?;
            match key.to_string().as_str() {
                "input_token" => out.input_token.set(errors, &key, ()),
                "limit_key" => out.limit_key.set(errors, &key, ()),
                "result_key" => out.result_key.set(errors, &key, ()),
                "primary" => out.primary.set(errors, &key, ()),
                "more_results" => out.more_results.set(errors, &key, ()),
                "non_aggregate" => out.non_aggregate.set(errors, &key, ()),
                "min" => out
                    .min
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?),
                "max" => out
                    .max
                    .set(errors, &key, meta.value()?.parse::<LitInt>()?.base10_parse()?),
                "rename" => out.rename.set(errors, &key, meta.value()?.parse::<LitStr>()?.value()),
                "output_token" => {
                    let target = if meta.input.peek(syn::Token![=]) {
                        Some(meta.value()?.parse::<Ident>()?)
                    } else {
                        None
                    };
                    out.output_token.set(errors, &key, target);
                }
                "response" => {
                    errors.spanned(&key, "`response` goes on the request struct, not on a field");
                    skip_value(&meta)?;
                }
                "crate" => {
                    errors.spanned(&key, "`crate` goes on the struct, not on a field");
                    skip_value(&meta)?;
                }
                _ => {
                    errors.spanned(
                        &key,
                        format_args!("unknown paginated attribute `{key}`; expected one of {}", field_keys()),
                    );
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    out
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
