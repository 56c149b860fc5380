//! Credentials and region resolution against real files.

use std::collections::HashMap;

use network_firewall::credentials::{resolve_credentials_with, resolve_region_with, CredentialsError};

struct Env {
    vars: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

impl Env {
    fn new(credentials: &str, config: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(aws.join("credentials"), credentials).unwrap();
        std::fs::write(aws.join("config"), config).unwrap();
        let mut vars = HashMap::new();
        vars.insert("HOME".to_owned(), dir.path().display().to_string());
        Env { vars, _dir: dir }
    }

    fn set(mut self, k: &str, v: &str) -> Env {
        self.vars.insert(k.to_owned(), v.to_owned());
        self
    }

    fn get(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |k| self.vars.get(k).cloned()
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

    // The client surfaces the typed error.
    let err = network_firewall::NetworkFirewallClient::new(
        network_firewall::ClientConfig::new()
            .region("us-east-1")
            .profile("definitely-not-a-profile-name-xyz"),
    );
    if let Err(e) = err {
        // Either no credentials at all, or the environment provided some.
        assert!(matches!(e, network_firewall::Error::Credentials(_)), "{e}");
    }
}
