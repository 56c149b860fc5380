//! Rules that span several fields.

use proc_macro2::Span;
use syn::ext::IdentExt;

use crate::ast::Input;
use crate::attr::{Errors, FieldAttrs, PathKind, RequestPath};
use crate::path::{same_name, Path};
use crate::role::SingleRole;
use crate::symbol::{LINK, OFFSET, PAGE};

pub(crate) fn check(input: &Input, errors: &mut Errors) {
    if input.attrs.nested.is_set() {
        check_nested(input, errors);
        return;
    }
    if input.is_request() {
        check_request(input, errors);
    } else {
        check_response(input, errors);
    }
    for field in &input.fields {
        let a = &field.attrs;
        if a.roles().filter(|(_, span)| span.is_some()).count() > 1 {
            errors.spanned(field.ident, one_role(a));
        }
        // Each modifier goes beside a key it modifies.
        let mut only_with = |span: Option<Span>, beside: bool, message: &str| {
            if let (Some(span), false) = (span, beside) {
                errors.push(syn::Error::new(span, message));
            }
        };
        let (limit, page, result) = (a.limit_key.is_set(), a.page.is_set(), a.result_key.is_set());
        only_with(a.min.span(), limit, "`min` only goes with `limit_key`");
        only_with(a.max.span(), limit, "`max` only goes with `limit_key`");
        let rename = "`rename` only goes with `input_token`, `offset`, `page` or `limit_key`";
        only_with(a.rename.span(), a.is_input_token() || limit, rename);
        let first = "`first` only goes with `page` (the number of the first page)";
        only_with(a.first.span(), page, first);
        let short = "`short_page_ends` only goes with `offset` or `page`";
        only_with(a.short_page_ends.span(), a.offset.is_set() || page, short);
        only_with(a.primary.span(), result, "`primary` only goes with `result_key`");
        check_link(input, a, errors);
        if let (Some(min), Some(max)) = (a.min.get(), a.max.get()) {
            if min > max {
                errors.push(syn::Error::new(
                    a.min.span().unwrap_or_else(Span::call_site),
                    format!("`min = {min}` is larger than `max = {max}`"),
                ));
            }
        }
    }
}

fn check_request(input: &Input, errors: &mut Errors) {
    for role in &input.attrs.paths {
        errors.spanned(
            &role.key,
            format!(
                "`{}(path = ...)` goes on the response struct; this struct is a request",
                role.key
            ),
        );
    }
    check_request_paths(input, errors);
    let limit_paths = input.attrs.limit_paths().map(|p| p.key.span());
    let limit_fields = input.fields.iter().filter(|f| f.attrs.limit_key.is_set());
    for span in limit_paths.chain(limit_fields.map(|f| f.ident.span())).skip(1) {
        errors.push(syn::Error::new(span, "a request has at most one `limit_key`"));
    }
    for field in &input.fields {
        let a = &field.attrs;
        for (key, span) in a.response_roles().into_iter().chain([(LINK, a.link.span())]) {
            if let Some(span) = span {
                errors.push(syn::Error::new(
                    span,
                    format!("`{key}` goes on the response struct; this struct is a request (it has `#[paginated(response = ...)]`)"),
                ));
            }
        }
    }
    if !input.fields.iter().any(|f| f.attrs.is_input_token()) && input.attrs.token_paths().next().is_none() {
        errors.spanned(
            input.ident,
            "a paginated request needs at least one `#[paginated(input_token)]` field (or an `offset` or `page` one)",
        );
    }
    check_offset_or_page(input, errors);
    check_computed(input, errors);
}

/// An offset or page number is the request's only input token, and ending
/// on a short page needs the page size the request asks for.
fn check_offset_or_page(input: &Input, errors: &mut Errors) {
    let computed = input
        .fields
        .iter()
        .find_map(|f| match (f.attrs.offset.is_set(), f.attrs.page.is_set()) {
            (true, _) => Some(OFFSET),
            (false, true) => Some(PAGE),
            (false, false) => None,
        });
    let Some(computed) = computed else {
        return;
    };
    let message = format!(
        "a request with an `{computed}` field has no other input token: the library computes the \
         next `{computed}` from the pages, so no other token can say where a page starts"
    );
    for field in input.fields.iter().filter(|f| f.attrs.is_input_token()).skip(1) {
        errors.spanned(field.ident, &message);
    }
    for role in input.attrs.token_paths() {
        errors.push(syn::Error::new(role.path.span, &message));
    }
    let limit = input.fields.iter().any(|f| f.attrs.limit_key.is_set()) || input.attrs.limit_paths().next().is_some();
    for field in &input.fields {
        if let (Some(span), false) = (field.attrs.short_page_ends.span(), limit) {
            errors.push(syn::Error::new(
                span,
                "`short_page_ends` needs the request's page size: mark the page-size field `#[paginated(limit_key)]`, \
                 or give its path with `#[paginated(limit_key(path = \"...\"))]` on the struct",
            ));
        }
    }
}

/// Each request path starts at a field of the request, which is not generic
/// (the wire name of a path is a constant built from the nested types).
fn check_request_paths(input: &Input, errors: &mut Errors) {
    let paths = &input.attrs.request_paths;
    for (index, role) in paths.iter().enumerate() {
        let path = role.path.single();
        check_start(input, path, role.path.span, errors);
        if !input.generics.params.is_empty() {
            errors.spanned(
                &role.key,
                format!("`{}(path = ...)` needs a request without generic parameters", role.key),
            );
        }
        let same = |other: &RequestPath| other.path.single().key() == path.key();
        if role.is_input_token() && paths[..index].iter().any(same) {
            errors.push(syn::Error::new(role.path.span, "this input token is declared twice"));
        }
    }
}

/// Every `output_token(with = ..., feeds = ...)` feeds an input token of this
/// request that no other computed token feeds.
fn check_computed(input: &Input, errors: &mut Errors) {
    let mut inputs: Vec<String> = input
        .fields
        .iter()
        .filter(|f| f.attrs.input_token.is_set())
        .map(|f| f.ident.unraw().to_string())
        .collect();
    inputs.extend(input.attrs.token_paths().map(|p| p.path.single().key()));
    let mut fed: Vec<&str> = Vec::new();
    for computed in &input.attrs.computed {
        let feeds = &computed.feeds;
        if !inputs.contains(&feeds.key) {
            errors.push(syn::Error::new(
                feeds.span,
                format!(
                    "`feeds = {feeds}` names no input token of `{}`; its input tokens are {}",
                    input.ident,
                    if inputs.is_empty() {
                        "none".to_owned()
                    } else {
                        inputs.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
                    }
                ),
            ));
        }
        if fed.contains(&feeds.key.as_str()) {
            errors.push(syn::Error::new(
                feeds.span,
                format!("two computed tokens feed the input token `{feeds}`"),
            ));
        }
        fed.push(&feeds.key);
    }
}

fn check_response(input: &Input, errors: &mut Errors) {
    check_paths(input, errors);
    request_roles_elsewhere(
        input,
        errors,
        "this struct has no `response = ...`, so it is taken for a response",
    );
    let path_count = |pred: fn(&PathKind) -> bool| input.attrs.paths.iter().filter(|r| pred(&r.kind)).count();
    let mut request_keys = false;
    for field in &input.fields {
        for (key, span) in field.attrs.request_roles() {
            if let Some(span) = span {
                request_keys = true;
                errors.push(syn::Error::new(
                    span,
                    format!(
                        "`{key}` goes on the request struct, which names its response with `#[paginated(response = ...)]`; \
                         this struct has no `response = ...`, so it is taken for a response"
                    ),
                ));
            }
        }
    }
    let count = |f: fn(&FieldAttrs) -> bool| input.fields.iter().filter(|x| f(&x.attrs)).count();
    // With request keys, the struct is most likely a request missing `response = ...`:
    // the errors above say so, and "a response needs ..." would only mislead.
    // A response needs no output token: without one it pages by offset or
    // page number, or its request computes its tokens (`output_token(with =
    // ...)`); a request whose cursor it does not feed fails the pairing check.
    request_keys |= !input.attrs.request_paths.is_empty() || !input.attrs.computed.is_empty();
    if !request_keys && count(|a| a.result_key.is_set()) + path_count(|k| matches!(k, PathKind::ResultKey { .. })) == 0
    {
        errors.spanned(input.ident, "a paginated response needs at least one `#[paginated(result_key)]` field (or, on a request, `#[paginated(response = ...)]`)");
    }
    for role in SingleRole::ALL {
        let fields = input.fields.iter().filter_map(|f| role.on_field(&f.attrs));
        let paths = input.attrs.paths.iter().filter(|p| role.on_path(&p.kind));
        for span in fields.chain(paths.map(|p| p.key.span())).skip(1) {
            errors.push(syn::Error::new(
                span,
                format!("at most one field may be `{}`", role.key),
            ));
        }
    }
    let targets: Vec<_> = input
        .fields
        .iter()
        .filter_map(|f| f.attrs.output_token.get().map(|t| (f, t)))
        .collect();
    let mut fed: Vec<String> = Vec::new();
    let path_feeds = input.attrs.paths.iter().filter_map(|r| match &r.kind {
        PathKind::OutputToken { feeds } => Some((feeds.key.clone(), feeds.span)),
        _ => None,
    });
    let field_feeds = targets.iter().map(|(field, target)| match target {
        Some(feeds) => (feeds.key.clone(), feeds.span),
        None => (field.ident.unraw().to_string(), field.ident.span()),
    });
    for (name, span) in field_feeds.chain(path_feeds) {
        if fed.contains(&name) {
            errors.push(syn::Error::new(
                span,
                format!("two output tokens feed the input token `{name}`"),
            ));
        }
        fed.push(name);
    }
}

/// `input_token(path = ...)`, `limit_key(path = ...)` and
/// `output_token(with = ...)` on a struct that is not a request.
fn request_roles_elsewhere(input: &Input, errors: &mut Errors, why: &str) {
    for role in &input.attrs.request_paths {
        errors.spanned(
            &role.key,
            format!(
                "`{}(path = ...)` goes on the request struct, which names its response with \
                 `#[paginated(response = ...)]`; {why}",
                role.key
            ),
        );
    }
    for computed in &input.attrs.computed {
        errors.spanned(
            &computed.key,
            format!(
                "`output_token(with = ...)` goes on the request struct, whose `response = ...` names the page \
                 type the function is given with the request; {why}"
            ),
        );
    }
}

fn check_nested(input: &Input, errors: &mut Errors) {
    request_roles_elsewhere(input, errors, "this struct is `nested`");
    if let Some(span) = input.attrs.response.span() {
        errors.push(syn::Error::new(
            span,
            "a `nested` struct is part of a response, not a request",
        ));
    }
    for role in &input.attrs.paths {
        errors.spanned(
            &role.key,
            "roles go on the response struct, with a path into this one: `#[paginated(result_key(path = \"field.nested_field\"))]`",
        );
    }
    for field in &input.fields {
        let a = &field.attrs;
        for span in a.roles().chain([(LINK, a.link.span())]).filter_map(|(_, span)| span) {
            errors.push(syn::Error::new(
                span,
                "a `nested` struct carries no roles: give the response a path into it instead",
            ));
        }
    }
}

/// Every path of a struct-level role starts at a field of this struct.
fn check_paths(input: &Input, errors: &mut Errors) {
    for role in &input.attrs.paths {
        for path in &role.path.alternatives {
            check_start(input, path, role.path.span, errors);
        }
    }
}

/// A path starts at a field of the struct.
fn check_start(input: &Input, path: &Path, span: Span, errors: &mut Errors) {
    if !input.fields.iter().any(|f| same_name(f.ident, &path.first)) {
        errors.push(syn::Error::new(
            span,
            format!(
                "`{}` has no field `{}` for this path to start at",
                input.ident, path.first
            ),
        ));
    }
}

/// `link = "rel"` goes with `output_token` on a response field and names one relation type.
fn check_link(input: &Input, a: &FieldAttrs, errors: &mut Errors) {
    let Some(rel) = a.link.get() else {
        return;
    };
    if !input.is_request() && !a.output_token.is_set() {
        errors.push(syn::Error::new(
            a.link.span().unwrap_or_else(Span::call_site),
            "`link` only goes with `output_token`: `#[paginated(output_token = url, link = \"next\")]`",
        ));
    }
    let value = rel.value();
    if value.is_empty() {
        errors.spanned(
            rel,
            "`link` names the relation whose target is the token, such as `link = \"next\"`",
        );
    } else if value.contains(|c: char| c.is_whitespace() || c == '"' || c == ',' || c == ';') {
        errors.spanned(
            rel,
            format_args!("`link` names one relation type, such as `link = \"next\"`, not {value:?}"),
        );
    }
}

/// The error for a field with two roles, naming every role.
fn one_role(a: &FieldAttrs) -> String {
    let keys: Vec<String> = a.roles().map(|(key, _)| key.to_string()).collect();
    match keys.split_last() {
        Some((last, rest)) => format!("a field takes one role: {} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
