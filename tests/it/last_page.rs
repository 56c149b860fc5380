//! `last_page`: a flag that, true, says the page is the last (Jira
//! Software's `isLast`). False or absent it says nothing, and the tokens
//! decide. Beside `more_results`, whichever says so first ends the listing.

use std::cell::RefCell;

use paginate::{Listing, Paginated, PaginatedRequest, PaginationConfig};
use serde::{Deserialize, Serialize};

/// Page numbers from 1, the flag inside the body: `{"items", "meta": {"isLast"}}`.
#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = Envelope)]
struct ListPages {
    #[paginated(page)]
    page: Option<u32>,
}

#[derive(Default, Deserialize, Paginated)]
#[paginated(last_page(path = "meta.is_last"))]
struct Envelope {
    #[paginated(result_key)]
    items: Vec<u32>,
    meta: Option<Meta>,
}

#[derive(Default, Deserialize, Paginated)]
#[serde(rename_all = "camelCase")]
#[paginated(nested)]
struct Meta {
    is_last: Option<bool>,
}

/// A cursor listing that says both `has_more` and `is_last`.
#[derive(Clone, Default, Serialize, Paginated)]
#[paginated(response = BothFlags)]
struct ListBoth {
    #[paginated(input_token)]
    cursor: Option<u32>,
}

#[derive(Paginated)]
struct BothFlags {
    #[paginated(result_key)]
    items: Vec<u32>,
    #[paginated(output_token = cursor)]
    next: Option<u32>,
    #[paginated(more_results)]
    has_more: bool,
    #[paginated(last_page)]
    is_last: bool,
}

#[test]
fn a_true_flag_ends_the_listing_and_an_absent_or_false_one_says_nothing() {
    // Page n holds [n]; ten pages exist. The flag on each: no `meta`, no
    // `isLast`, false, true.
    let flags = [None, Some(None), Some(Some(false)), Some(Some(true))];
    let sent = RefCell::new(Vec::new());
    let service = |req: ListPages| -> Result<Envelope, String> {
        let page = req.page.unwrap_or(1);
        sent.borrow_mut().push(page);
        let flag = flags.get(page as usize - 1).copied().flatten();
        Ok(Envelope {
            items: if page <= 10 { vec![page] } else { Vec::new() },
            meta: flag.map(|is_last| Meta { is_last }),
        })
    };
    let items: Vec<u32> = Listing::new(service, ListPages::default(), PaginationConfig::default())
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4]);
    assert_eq!(*sent.borrow(), [1, 2, 3, 4]);
}

#[test]
fn beside_more_results_either_flag_ends_the_listing() {
    // (has_more, is_last) of pages 1, 2, 3; every page carries a next cursor.
    let run = |flags: &[(bool, bool)]| -> Vec<u32> {
        let service = |req: ListBoth| -> Result<BothFlags, String> {
            let at = req.cursor.unwrap_or(0);
            let (has_more, is_last) = *flags.get(at as usize).ok_or("asked past the last page")?;
            Ok(BothFlags {
                items: vec![at],
                next: Some(at + 1),
                has_more,
                is_last,
            })
        };
        Listing::new(service, ListBoth::default(), PaginationConfig::default())
            .items()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(run(&[(true, false), (true, true), (true, false)]), [0, 1]);
    assert_eq!(run(&[(true, false), (false, false), (true, false)]), [0, 1]);
}

#[test]
fn describe_names_the_flag_apart_from_more_results() {
    let described = ListPages::describe();
    assert_eq!(
        (described.last_page.as_deref(), described.more_results),
        (Some("meta.isLast"), None)
    );
    let described = ListBoth::describe();
    assert_eq!(described.last_page.as_deref(), Some("is_last"));
    assert_eq!(described.more_results.as_deref(), Some("has_more"));
}
