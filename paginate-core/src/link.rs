//! The `Link` header (RFC 8288): the target of a relation, as the token of
//! a `#[paginated(output_token = url, link = "next")]` field. Parsed by the
//! `http-link` crate, which follows RFC 8288's algorithm (feature `link`).

use std::marker::PhantomData;

use crate::value::TokenValue;

/// The target of relation `rel` in `header`, as a string token: an absolute
/// URL as the `url` crate writes it, or a path from the root (`/items?page=2`)
/// as the header has it, for the client to resolve against the request's
/// URL. `null`, which ends the listing, when there is no header or no link
/// of that relation; relation types compare ignoring ASCII case, and empty
/// list elements (`<...>; rel=next, `) are ignored, as RFC 9110 says. A header
/// that does not parse, or a target relative to the request's path
/// (`?page=2`, `../items`), is an error, so that a listing never ends
/// silently on a page whose next link it could not read.
pub fn link_target(header: Option<&str>, rel: &str) -> Result<TokenValue, serde_json::Error> {
    let Some(header) = header else {
        return Ok(TokenValue::Null);
    };
    match target(header, rel) {
        Ok(target) => Ok(target.map_or(TokenValue::Null, TokenValue::String)),
        Err(reason) => Err(serde::de::Error::custom(format_args!(
            "the Link header {header:?} does not give a rel={rel:?} target: {reason}"
        ))),
    }
}

/// Resolves the header against two bases that tell the kinds of reference
/// apart: an absolute URL comes out the same from both; a path from the
/// root keeps its path and query; anything else depends on the request's
/// URL, which only the client has.
#[cfg(feature = "link")]
fn target(header: &str, rel: &str) -> Result<Option<String>, String> {
    use url::{Position, Url};
    const HOST: &str = "paginate.invalid";
    // A header that does not parse goes to `http_link` as it is, to say why.
    let links = written(header);
    let elements = links
        .as_ref()
        .map(|links| links.iter().map(|l| l.element).collect::<Vec<_>>().join(", "));
    let header = elements.as_deref().unwrap_or(header);
    if header.is_empty() {
        return Ok(None); // a list of no links
    }
    let resolve = |base: &str| -> Result<Option<Url>, String> {
        let base = Url::parse(base).map_err(|e| e.to_string())?;
        let links = http_link::parse_link_header(header, &base).map_err(|e| e.to_string())?;
        Ok(links
            .into_iter()
            .find(|l| l.rel.eq_ignore_ascii_case(rel))
            .map(|l| l.target))
    };
    let (Some(one), Some(other)) = (
        resolve("http://paginate.invalid/")?,
        resolve("https://paginate.invalid/a/b")?,
    ) else {
        return Ok(None);
    };
    // `../items` comes out of both bases as `/items` too: only the text
    // tells a path from the root from one that climbs out of the request's.
    let from_root = || {
        let first = links.iter().flatten().find(|l| l.has_rel(rel));
        first.is_some_and(|l| l.target.starts_with(['/', '\\']))
    };
    if one == other {
        Ok(Some(one.into()))
    } else if one.host_str() == Some(HOST)
        && one[Position::BeforePath..] == other[Position::BeforePath..]
        && from_root()
    {
        Ok(Some(one[Position::BeforePath..].to_owned()))
    } else {
        Err("the target is relative to the request's URL, which the response does not carry".to_owned())
    }
}

/// A link as the header writes it.
#[cfg(feature = "link")]
struct Written<'h> {
    /// The whole list element.
    element: &'h str,
    /// Its target, without the spaces and controls a URL parser drops before it.
    target: &'h str,
    /// Its `rel` parameter: relation types separated by spaces.
    rel: String,
}

#[cfg(feature = "link")]
impl Written<'_> {
    fn has_rel(&self, rel: &str) -> bool {
        self.rel.split([' ', '\t']).any(|r| r.eq_ignore_ascii_case(rel))
    }
}

/// The links of `header` as it writes them, found by the walk
/// `http_link::parse_link_header` makes (RFC 8288, appendix B.2), without
/// the empty list elements (a leading or trailing comma, `, ,`) that RFC 9110
/// (section 5.6.1.2) has a recipient ignore and `http_link` refuses; `None`
/// when the header does not parse.
#[cfg(feature = "link")]
fn written(header: &str) -> Option<Vec<Written<'_>>> {
    let space = |c: char| c == ' ' || c == '\t';
    let separators = |c: char| space(c) || c == ',';
    let mut links = Vec::new();
    let mut rest = header.trim_start_matches(separators);
    while !rest.is_empty() {
        let (target, after_target) = rest.strip_prefix('<')?.split_once('>')?;
        let (params, after) = http_link::parse_params(after_target).ok()?;
        let rel = params
            .into_iter()
            .find(|p| p.name == "rel")
            .map_or_else(String::new, |p| p.value);
        links.push(Written {
            element: rest[..rest.len() - after.len()].trim_end_matches(space),
            target: target.trim_start_matches(|c: char| c <= ' '),
            rel,
        });
        rest = after.trim_start_matches(separators);
    }
    Some(links)
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
    fn rfc_8288_shapes() {
        let target = |header: &str| link_target(Some(header), "next").map(text).expect("parses");
        // A comma inside the target, a quoted comma in a parameter, several relation types.
        let comma = r#"<https://x.example/a?q=a,b&page=2>; rel="next"; title="a, b""#;
        assert_eq!(target(comma).as_deref(), Some("https://x.example/a?q=a,b&page=2"));
        let several = r#"<https://x.example/a?page=2>; rel="next last", <https://x.example/a?page=1>; rel=prev"#;
        assert_eq!(target(several).as_deref(), Some("https://x.example/a?page=2"));
        assert_eq!(
            target(r#"<https://x.example/a?flag&page=2>; rel=Next"#).as_deref(),
            Some("https://x.example/a?flag&page=2")
        );
        // A path from the root is left for the client to resolve.
        assert_eq!(
            target(r#"</a/items?page=2>; rel="next""#).as_deref(),
            Some("/a/items?page=2")
        );
        assert_eq!(
            target(r#"<?page=1>; rel=prev, < /a/../items?page=2>; rel="prev next""#).as_deref(),
            Some("/items?page=2")
        );
        // Empty list elements are ignored (RFC 9110, section 5.6.1.2), as
        // when an empty `Link` field is joined to another.
        for header in [
            "<https://x.example/a?page=2>; rel=next, ",
            ", <https://x.example/a?page=2>; rel=next",
            "<https://x.example/a?page=1>; rel=prev, , \t,<https://x.example/a?page=2>; rel=next",
        ] {
            assert_eq!(
                target(header).as_deref(),
                Some("https://x.example/a?page=2"),
                "{header}"
            );
        }
        assert_eq!(target(", ,").as_deref(), None);
    }

    #[test]
    fn a_header_without_a_usable_target_is_an_error() {
        for header in [
            "<https://api.github.com/user/repos?page=2>; rel", // cut short after a parameter name
            "https://api.github.com/user/repos?page=2; rel=\"next\"", // no `<...>`
            "garbage",
            "<?page=2>; rel=\"next\"",         // relative to the request's path
            "<items?page=2>; rel=\"next\"",    // likewise
            "<../items?page=2>; rel=\"next\"", // likewise, up from the request's path
            "<./../../../items?page=2>; rel=\"next\"",
        ] {
            let error = link_target(Some(header), "next").expect_err(header);
            assert!(error.to_string().contains("Link header"), "{error}");
        }
    }
}
