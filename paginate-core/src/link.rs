//! The `Link` header (RFC 8288): the target of a relation, as the token of
//! a `#[paginated(output_token = url, link = "next")]` field. Parsed by the
//! `parse_link_header` crate (feature `link`).

use std::marker::PhantomData;

use crate::value::TokenValue;

/// The target of relation `rel` in `header`, as a string token, written as
/// the header has it (a relative reference is the client's to resolve
/// against the request's URL). `null`, which ends the listing, when there is
/// no header or no link of that relation; relations compare ignoring ASCII
/// case. A header that does not parse is an error, so that a listing never
/// ends silently on a page whose next link it could not read.
pub fn link_target(header: Option<&str>, rel: &str) -> Result<TokenValue, serde_json::Error> {
    let Some(header) = header else {
        return Ok(TokenValue::Null);
    };
    match target(header, rel) {
        Ok(target) => Ok(target.map_or(TokenValue::Null, TokenValue::String)),
        Err(reason) => Err(serde::de::Error::custom(format_args!(
            "the Link header {header:?} does not parse: {reason}"
        ))),
    }
}

#[cfg(feature = "link")]
fn target(header: &str, rel: &str) -> Result<Option<String>, String> {
    let links = parse_link_header::parse(header).map_err(|e| e.to_string())?;
    Ok(links
        .into_iter()
        .find(|(relation, _)| relation.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(rel)))
        .map(|(_, link)| link.raw_uri))
}

#[cfg(not(feature = "link"))]
fn target(_: &str, _: &str) -> Result<Option<String>, String> {
    Err("paginate is built without its `link` feature".to_owned())
}

/// What a response with a `link` field refers to: evaluated when the
/// response's code is built, it fails the build without the `link` feature.
#[derive(Debug)]
pub struct LinkFeature<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> LinkFeature<T> {
    /// `()`, or a build error naming the feature.
    pub const ENABLED: () = assert!(
        cfg!(feature = "link"),
        "`#[paginated(link = ...)]` needs the `link` feature of paginate: paginate = {{ version = \"0.1\", features = [\"link\"] }}"
    );
}

#[cfg(all(test, feature = "link"))]
mod tests {
    use super::*;

    const GITHUB: &str = "<https://api.github.com/user/repos?per_page=2&page=2>; rel=\"next\", \
                          <https://api.github.com/user/repos?per_page=2&page=5>; rel=\"last\"";

    fn text(value: TokenValue) -> Option<String> {
        match value {
            TokenValue::String(s) => Some(s),
            _ => None,
        }
    }

    #[test]
    fn the_named_relation_is_the_token() {
        let next = link_target(Some(GITHUB), "next").map(text).expect("parses");
        assert_eq!(
            next.as_deref(),
            Some("https://api.github.com/user/repos?per_page=2&page=2")
        );
        let last = link_target(Some(GITHUB), "LAST").map(text).expect("parses");
        assert_eq!(
            last.as_deref(),
            Some("https://api.github.com/user/repos?per_page=2&page=5")
        );
    }

    #[test]
    fn no_header_or_no_relation_ends() {
        assert!(link_target(None, "next").expect("no header").is_null());
        assert!(link_target(Some(GITHUB), "prev").expect("parses").is_null());
    }

    #[test]
    fn a_header_that_does_not_parse_is_an_error() {
        let cut = "<https://api.github.com/user/repos?page=2>; rel";
        let error = link_target(Some(cut), "next").expect_err("malformed");
        assert!(error.to_string().contains("does not parse"), "{error}");
    }
}
