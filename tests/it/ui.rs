//! Compile-fail tests of `#[derive(Paginated)]`: each case under `tests/ui/<kind>/`
//! is one realistic mistake, and its `.stderr` snapshot is the error users see.
//!
//! The snapshots were recorded with rustc 1.95.0; other toolchains may word or
//! span the compiler's own diagnostics differently. Regenerate them with
//! `TRYBUILD=overwrite cargo test --test it ui` and read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    // A `link` field without paginate's `link` feature fails the build with
    // the line that turns it on (CI's workspace build has the feature on).
    #[cfg(not(feature = "link"))]
    t.compile_fail("tests/ui-no-link/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
