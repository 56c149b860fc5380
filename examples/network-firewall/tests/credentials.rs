//! Credentials and region resolution against real files.
//!
//! Hermetic: every resolution reads an injected [`Environment`] holding only
//! the variables a test sets (`HOME` pointing at a temporary directory), never
//! the process environment or the machine's `~/.aws`, and nothing here
//! changes the process environment, so the tests may run in parallel.

use std::sync::Mutex;

use network_firewall::credentials::{resolve_credentials_with, resolve_region_with, CredentialsError, Environment};
use network_firewall::error::{ErrorKind, Setting};
use network_firewall::{ClientConfig, Error, NetworkFirewallClient};

/// An injected environment with a temporary `HOME` holding `.aws/credentials`
/// and `.aws/config`; it records every variable name looked up.
struct Env {
    env: Environment,
    dir: tempfile::TempDir,
    looked_up: Mutex<Vec<String>>,
}

impl Env {
    fn new(credentials: &str, config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(aws.join("credentials"), credentials).unwrap();
        std::fs::write(aws.join("config"), config).unwrap();
        let env = Environment::empty().set("HOME", dir.path().display().to_string());
        Env {
            env,
            dir,
            looked_up: Mutex::new(Vec::new()),
        }
    }

    fn set(mut self, k: &str, v: &str) -> Env {
        self.env = self.env.set(k, v);
        self
    }

    fn get(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |k| {
            self.looked_up.lock().unwrap().push(k.to_owned());
            self.env.get(k)
        }
    }

    /// A client configuration reading this environment only.
    fn client_config(&self) -> ClientConfig {
        ClientConfig::new().environment(self.env.clone())
    }
}

const CREDS: &str = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n\
                     [dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s2\naws_session_token=t2\n";
const CONFIG: &str = "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-west-1\n\n\
                      [profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s3\n";

#[test]
fn environment_wins() {
    let env = Env::new(CREDS, CONFIG)
        .set("AWS_ACCESS_KEY_ID", "AKIDENV")
        .set("AWS_SECRET_ACCESS_KEY", "senv")
        .set("AWS_SESSION_TOKEN", "tenv");
    let c = resolve_credentials_with(None, &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDENV");
    assert_eq!(c.secret_access_key(), "senv");
    assert_eq!(c.session_token(), Some("tenv"));
}

#[test]
fn shared_files_and_profiles() {
    let env = Env::new(CREDS, CONFIG);
    let c = resolve_credentials_with(None, &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDDEFAULT");
    assert_eq!(c.session_token(), None);
    assert_eq!(resolve_region_with(None, None, &env.get()).unwrap(), "us-west-2");

    let env = env.set("AWS_PROFILE", "dev");
    let c = resolve_credentials_with(None, &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDDEV");
    assert_eq!(c.session_token(), Some("t2"));
    assert_eq!(resolve_region_with(None, None, &env.get()).unwrap(), "eu-west-1");

    // `[profile x]` in the config file, explicit profile beats AWS_PROFILE.
    let c = resolve_credentials_with(Some("cfgonly"), &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDCFG");

    // Region precedence: explicit, AWS_REGION, AWS_DEFAULT_REGION, profile.
    let env = env.set("AWS_DEFAULT_REGION", "ap-south-1");
    assert_eq!(resolve_region_with(None, None, &env.get()).unwrap(), "ap-south-1");
    let env = env.set("AWS_REGION", "ca-central-1");
    assert_eq!(resolve_region_with(None, None, &env.get()).unwrap(), "ca-central-1");
    assert_eq!(
        resolve_region_with(Some("sa-east-1"), None, &env.get()).unwrap(),
        "sa-east-1"
    );
}

#[test]
fn file_locations_from_environment() {
    let env = Env::new("", "");
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("c");
    let config = dir.path().join("k");
    std::fs::write(&creds, "[p]\naws_access_key_id=AKIDP\naws_secret_access_key=sp\n").unwrap();
    std::fs::write(&config, "[profile p]\nregion=me-south-1\n").unwrap();
    let env = env
        .set("AWS_SHARED_CREDENTIALS_FILE", &creds.display().to_string())
        .set("AWS_CONFIG_FILE", &config.display().to_string());
    let c = resolve_credentials_with(Some("p"), &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDP");
    assert_eq!(resolve_region_with(None, Some("p"), &env.get()).unwrap(), "me-south-1");
}

#[test]
fn clear_errors() {
    let env = Env::new("", "");
    let err = resolve_credentials_with(None, &env.get()).unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("no AWS credentials found"));
    assert!(matches!(
        resolve_region_with(None, None, &env.get()),
        Err(CredentialsError::NoRegion { .. })
    ));

    let env = Env::new("[default]\naws_access_key_id = AKIDONLY\n", "");
    assert!(matches!(
        resolve_credentials_with(None, &env.get()),
        Err(CredentialsError::IncompleteProfile { .. })
    ));

    // The client surfaces the typed error, as a configuration error.
    let env = Env::new("", "");
    let err = NetworkFirewallClient::new(
        env.client_config()
            .region("us-east-1")
            .profile("definitely-not-a-profile-name-xyz"),
    )
    .unwrap_err();
    match &err {
        Error::Credentials(CredentialsError::NotFound {
            profile,
            credentials_file,
            ..
        }) => {
            assert_eq!(profile, "definitely-not-a-profile-name-xyz");
            assert!(
                credentials_file.starts_with(&env.dir.path().display().to_string()),
                "{err}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let err = NetworkFirewallClient::new(
        env.client_config()
            .credentials(network_firewall::server::demo_credentials()),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::Credentials(CredentialsError::NoRegion { .. })),
        "{err:?}"
    );
    assert!(err.is_configuration());
}

/// Only the injected environment is read: the machine's variables and
/// `~/.aws` never leak in.
///
/// Before: `clear_errors` built its client from the process environment and
/// the real `~/.aws`, and asserted nothing when the machine had credentials.
#[test]
fn only_the_injected_environment_is_read() {
    // The process has variables (PATH at least); an empty environment has none.
    assert!(std::env::vars_os().next().is_some());
    let empty = Environment::empty();
    for (name, _) in std::env::vars() {
        assert_eq!(empty.get(&name), None, "{name}");
    }
    assert_eq!(
        Environment::from_vars([("AWS_REGION", "eu-west-3")])
            .get("AWS_REGION")
            .as_deref(),
        Some("eu-west-3")
    );
    assert_eq!(
        Environment::from_vars([("AWS_PROFILE", "p")])
            .remove("AWS_PROFILE")
            .get("AWS_PROFILE"),
        None
    );
    // set/remove on the process environment work on a snapshot.
    let snapshot = Environment::process().set("PAGINATE_TEST_ONLY_VAR", "1");
    assert_eq!(snapshot.get("PAGINATE_TEST_ONLY_VAR").as_deref(), Some("1"));
    assert_eq!(std::env::var("PAGINATE_TEST_ONLY_VAR").ok(), None);
    // Debug shows names, not values.
    let debug = format!("{:?}", Environment::empty().set("AWS_SECRET_ACCESS_KEY", "hunter2"));
    assert!(
        debug.contains("AWS_SECRET_ACCESS_KEY") && !debug.contains("hunter2"),
        "{debug}"
    );

    // A resolution looks up the chain's variables and reads files under the injected HOME only.
    let env = Env::new(CREDS, CONFIG);
    let c = resolve_credentials_with(None, &env.get()).unwrap();
    assert_eq!(c.access_key_id(), "AKIDDEFAULT");
    let looked_up = env.looked_up.lock().unwrap().clone();
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "HOME",
    ] {
        assert!(
            looked_up.iter().any(|n| n == name),
            "{name} not looked up: {looked_up:?}"
        );
    }
    assert!(
        looked_up
            .iter()
            .all(|n| n.starts_with("AWS_") || n == "HOME" || n == "USERPROFILE"),
        "{looked_up:?}"
    );
}

/// The client resolves region and credentials from its injected environment.
///
/// Before: `ClientConfig` had no environment; a client always read the
/// process environment and the real `~/.aws`.
#[tokio::test]
async fn client_resolves_from_the_injected_environment() {
    let creds = format!(
        "[local]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        network_firewall::DEMO_ACCESS_KEY_ID,
        network_firewall::DEMO_SECRET_ACCESS_KEY
    );
    let env = Env::new(&creds, "[profile local]\nregion = eu-north-1\n").set("AWS_PROFILE", "local");
    let server = network_firewall::start(network_firewall::ServerConfig {
        region: Some("eu-north-1".into()),
        ..network_firewall::ServerConfig::demo()
    })
    .await
    .unwrap();
    let client = NetworkFirewallClient::new(env.client_config().endpoint_url(server.url())).unwrap();
    assert_eq!(client.region(), "eu-north-1");
    // The demo endpoint accepts only the demo credentials: the signed call
    // succeeding shows they came from the injected HOME's file.
    let page = client
        .list_flow_operations(&network_firewall::ListFlowOperationsRequest {
            firewall_arn: network_firewall::DEMO_FIREWALL_ARN.into(),
            max_results: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.flow_operations.map(|ops| ops.len()), Some(1));
    server.shutdown().await;
}

/// Values from the environment or the shared files that cannot go into a
/// request are refused when the client is built, naming the setting.
///
/// Before: the client was built and every call failed as a retryable
/// transport error (or with a bad signature).
#[test]
fn bad_values_from_the_environment_are_refused() {
    let env = Env::new(CREDS, CONFIG).set("AWS_REGION", "us-east-1\n");
    let err = NetworkFirewallClient::new(env.client_config()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: Setting::Region,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Configuration);

    let env = Env::new("", "[default]\nregion = eu west 1\n");
    let err = NetworkFirewallClient::new(env.client_config()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: Setting::Region,
                ..
            }
        ),
        "{err:?}"
    );

    let env = Env::new(CREDS, CONFIG)
        .set("AWS_ACCESS_KEY_ID", "AKIDENV\n")
        .set("AWS_SECRET_ACCESS_KEY", "senv");
    let err = NetworkFirewallClient::new(env.client_config()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: Setting::AccessKeyId,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("AKIDENV"), "{err}");

    let env = Env::new(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = abc def-secret\n",
        CONFIG,
    );
    let err = NetworkFirewallClient::new(env.client_config()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                setting: Setting::SecretAccessKey,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("def-secret"), "{err}");
}
