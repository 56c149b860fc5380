//! A resume token decoded, for callers who want to look inside one.

use serde::de::DeserializeOwned;

use crate::error::TokenError;
use crate::model::PaginatedRequest;
use crate::shape::Shape;
use crate::token::{self, MAX_TOKEN_LEN, MAX_TRUNCATE_AMOUNT};
use crate::value::TokenValue;

/// A resume token (boto3's `StartingToken`) decoded, to see what it holds: the
/// value of each input token, and how many items of that page were already
/// handed out. Its format is read exactly as a listing reads it, with the
/// same errors; whether each value fits the request (its field's type, an
/// offset's or page number's range) is checked only when a listing starts
/// from it.
///
/// ```
/// use paginate::{Paginated, ResumeToken};
/// #[derive(Clone, serde::Serialize, Paginated)]
/// #[serde(rename_all = "PascalCase")]
/// #[paginated(response = ListResponse)]
/// struct ListRequest {
///     #[paginated(input_token)]
///     next_token: Option<String>,
/// }
/// #[derive(Paginated)]
/// struct ListResponse {
///     #[paginated(result_key)]
///     items: Vec<u32>,
///     #[paginated(output_token)]
///     next_token: Option<String>,
/// }
/// // What boto3 prints after the first item of a page requested with NextToken "p2".
/// let token = ResumeToken::decode::<ListRequest>("eyJOZXh0VG9rZW4iOiAicDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==")?;
/// assert_eq!(token.value::<String>("NextToken")?.as_deref(), Some("p2"));
/// assert_eq!(token.items_to_skip(), 1);
///
/// // A service's own token is passed through as the first input token.
/// let raw = ResumeToken::decode::<ListRequest>("AAEsmQlXr")?;
/// assert_eq!(raw.value::<String>("NextToken")?.as_deref(), Some("AAEsmQlXr"));
///
/// // Tokens of another operation are refused.
/// assert!(ResumeToken::decode::<ListRequest>("eyJNYXJrZXIiOiAieCJ9").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeToken {
    tokens: Vec<(String, TokenValue)>,
    items_to_skip: usize,
}

impl ResumeToken {
    /// The longest token accepted, in bytes. Service tokens are at most a few
    /// KiB (Network Firewall: 4096 characters); this leaves room for large
    /// composite keys while refusing absurd input before any work is done.
    pub const MAX_LEN: usize = MAX_TOKEN_LEN;

    /// The largest `boto_truncate_amount` accepted: no service returns a page
    /// of more items than this.
    pub const MAX_TRUNCATE_AMOUNT: u64 = MAX_TRUNCATE_AMOUNT;

    /// Reads `token` as a listing of `Req` would: a botocore token, an older
    /// `a___b___N` one, or else a service's raw token for the first input
    /// token.
    pub fn decode<Req: PaginatedRequest>(token: &str) -> Result<Self, TokenError> {
        let input_tokens: Vec<&'static str> = Req::INPUT_TOKENS.iter().map(|t| t.wire).collect();
        let names = Shape::of::<Req>().token_names(&input_tokens).into_owned();
        let start = token::decode(token, &names)?;
        let tokens = start
            .tokens
            .entries()
            .map(|(index, value)| (names[index].to_owned(), value.clone()))
            .collect();
        Ok(ResumeToken {
            tokens,
            items_to_skip: start.truncate_amount,
        })
    }

    /// The input tokens, in the order the token lists them.
    pub fn input_tokens(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().map(|(name, _)| name.as_str())
    }

    /// The value of `input_token` as a `T`; `None` when it is absent or null.
    pub fn value<T: DeserializeOwned>(&self, input_token: &str) -> Result<Option<T>, serde_json::Error> {
        match self.tokens.iter().find(|(name, _)| name == input_token) {
            None | Some((_, TokenValue::Null)) => Ok(None),
            Some((_, value)) => serde_json::from_str(&value.to_json()).map(Some),
        }
    }

    /// How many items of the page these tokens request were already handed
    /// out (botocore's `boto_truncate_amount`; 0 when absent).
    pub fn items_to_skip(&self) -> usize {
        self.items_to_skip
    }
}
