use paginate::Paginated;

/// A structure botocore would count the keys of: the derive takes it as a
/// map (`serde_json::Map`, `BTreeMap`, `HashMap`), not as a user struct.
#[derive(serde::Deserialize)]
struct BudgetPerformanceHistory {
    budget_name: Option<String>,
}

#[derive(Paginated)]
struct ListResponse {
    #[paginated(result_key)]
    history: Option<BudgetPerformanceHistory>,
    #[paginated(output_token)]
    next_token: Option<String>,
}

fn main() {}
