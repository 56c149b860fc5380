//! Rules that span several fields.

use crate::ast::Input;
use crate::attr::{Errors, PathKind};
use crate::path::same_name;
use crate::symbol::{INPUT_TOKEN, LIMIT_KEY};

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
        if role_spans(a).iter().flatten().count() > 1 {
            errors.spanned(field.ident, "a field takes one role: input_token, limit_key, output_token, result_key, more_results or non_aggregate");
        }
        for (span, key) in [(a.min.span(), "min"), (a.max.span(), "max")] {
            if let (Some(span), false) = (span, a.limit_key.is_set()) {
                errors.push(syn::Error::new(span, format!("`{key}` only goes with `limit_key`")));
            }
        }
        if let (Some(span), false) = (a.rename.span(), a.input_token.is_set() || a.limit_key.is_set()) {
            errors.push(syn::Error::new(
                span,
                "`rename` only goes with `input_token` or `limit_key`",
            ));
        }
        if let (Some(span), false) = (a.primary.span(), a.result_key.is_set()) {
            errors.push(syn::Error::new(span, "`primary` only goes with `result_key`"));
        }
        check_link(input, a, errors);
        if let (Some(min), Some(max)) = (a.min.get(), a.max.get()) {
            if min > max {
                errors.push(syn::Error::new(
                    a.min.span().unwrap_or_else(proc_macro2::Span::call_site),
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
    let mut limit_keys = 0;
    for field in &input.fields {
        let a = &field.attrs;
        for (span, key) in [
            (a.output_token.span(), "output_token"),
            (a.result_key.span(), "result_key"),
            (a.more_results.span(), "more_results"),
            (a.non_aggregate.span(), "non_aggregate"),
            (a.link.span(), "link"),
        ] {
            if let Some(span) = span {
                errors.push(syn::Error::new(
                    span,
                    format!("`{key}` goes on the response struct; this struct is a request (it has `#[paginated(response = ...)]`)"),
                ));
            }
        }
        if a.limit_key.is_set() {
            limit_keys += 1;
            if limit_keys > 1 {
                errors.spanned(field.ident, "a request has at most one `limit_key`");
            }
        }
    }
    if !input.fields.iter().any(|f| f.attrs.input_token.is_set()) {
        errors.spanned(
            input.ident,
            "a paginated request needs at least one `#[paginated(input_token)]` field",
        );
    }
}

fn check_response(input: &Input, errors: &mut Errors) {
    check_paths(input, errors);
    let path_count = |pred: fn(&PathKind) -> bool| input.attrs.paths.iter().filter(|r| pred(&r.kind)).count();
    let mut request_keys = false;
    for field in &input.fields {
        let a = &field.attrs;
        for (span, key) in [(a.input_token.span(), INPUT_TOKEN), (a.limit_key.span(), LIMIT_KEY)] {
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
    let count = |f: fn(&crate::attr::FieldAttrs) -> bool| input.fields.iter().filter(|x| f(&x.attrs)).count();
    // With request keys, the struct is most likely a request missing `response = ...`:
    // the errors above say so, and "a response needs ..." would only mislead.
    if !request_keys {
        if count(|a| a.result_key.is_set()) + path_count(|k| matches!(k, PathKind::ResultKey { .. })) == 0 {
            errors.spanned(input.ident, "a paginated response needs at least one `#[paginated(result_key)]` field (or, on a request, `#[paginated(response = ...)]`)");
        }
        if count(|a| a.output_token.is_set()) + path_count(|k| matches!(k, PathKind::OutputToken { .. })) == 0 {
            errors.spanned(
                input.ident,
                "a paginated response needs at least one `#[paginated(output_token = ...)]` field",
            );
        }
    }
    let spans = |f: fn(&crate::attr::FieldAttrs) -> Option<proc_macro2::Span>| -> Vec<_> {
        input.fields.iter().filter_map(|x| f(&x.attrs)).collect()
    };
    let (mut more, mut primary) = (spans(|a| a.more_results.span()), spans(|a| a.primary.span()));
    for role in &input.attrs.paths {
        match role.kind {
            PathKind::MoreResults => more.push(role.key.span()),
            PathKind::ResultKey { primary: true } => primary.push(role.key.span()),
            _ => {}
        }
    }
    for (label, spans) in [("more_results", more), ("primary", primary)] {
        for span in spans.into_iter().skip(1) {
            errors.push(syn::Error::new(span, format!("at most one field may be `{label}`")));
        }
    }
    let targets: Vec<_> = input
        .fields
        .iter()
        .filter_map(|f| f.attrs.output_token.get().map(|t| (f, t)))
        .collect();
    let mut fed: Vec<&syn::Ident> = Vec::new();
    let path_feeds = input.attrs.paths.iter().filter_map(|r| match &r.kind {
        PathKind::OutputToken { feeds } => Some(feeds),
        _ => None,
    });
    let field_feeds = targets
        .iter()
        .map(|(field, target)| target.as_ref().unwrap_or(field.ident));
    for name in field_feeds.chain(path_feeds) {
        if fed.iter().any(|fed| same_name(fed, name)) {
            errors.spanned(name, format_args!("two output tokens feed the input token `{name}`"));
        }
        fed.push(name);
    }
}

fn check_nested(input: &Input, errors: &mut Errors) {
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
        for span in role_spans(&field.attrs)
            .into_iter()
            .chain([field.attrs.link.span()])
            .flatten()
        {
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
            if !input.fields.iter().any(|f| same_name(f.ident, &path.first)) {
                errors.push(syn::Error::new(
                    role.path.span,
                    format!(
                        "`{}` has no field `{}` for this path to start at",
                        input.ident, path.first
                    ),
                ));
            }
        }
    }
}

/// `link = "rel"` goes with `output_token` on a response field and names one relation type.
fn check_link(input: &Input, a: &crate::attr::FieldAttrs, errors: &mut Errors) {
    let Some(rel) = a.link.get() else {
        return;
    };
    if !input.is_request() && !a.output_token.is_set() {
        errors.push(syn::Error::new(
            a.link.span().unwrap_or_else(proc_macro2::Span::call_site),
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

/// Where each role a field can take was set.
fn role_spans(a: &crate::attr::FieldAttrs) -> [Option<proc_macro2::Span>; 6] {
    [
        a.input_token.span(),
        a.limit_key.span(),
        a.output_token.span(),
        a.result_key.span(),
        a.more_results.span(),
        a.non_aggregate.span(),
    ]
}
