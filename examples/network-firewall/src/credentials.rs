//! Credentials and region, resolved as the AWS CLI and the AWS SDKs do:
//! `aws-config`'s default provider chains.
//!
//! Credentials, first source that has them wins: the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`); the
//! selected profile (explicit, else `AWS_PROFILE`, else `default`) of the
//! shared credentials and config files, with static keys, `role_arn` +
//! `source_profile` or `credential_source` (STS `AssumeRole`),
//! `credential_process`, `web_identity_token_file` or SSO (`sso_session` /
//! `sso_start_url`); a web identity token (`AWS_WEB_IDENTITY_TOKEN_FILE` +
//! `AWS_ROLE_ARN`); ECS / EKS container credentials
//! (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`); EC2 instance
//! metadata (IMDS; `AWS_EC2_METADATA_DISABLED=true` skips it). STS and SSO
//! honour the configured endpoints (`AWS_ENDPOINT_URL_STS`, a profile's
//! `endpoint_url` or `services` section).
//!
//! Region, first match wins: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`,
//! the profile's `region`, IMDS.
//!
//! The chains read the environment they are given as an [`Environment`]
//! (the process environment by default), and every file location comes from
//! it (`HOME`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, ...), so a
//! resolution against [`Environment::empty`] plus a temporary `HOME` reads
//! nothing of the machine's own configuration.
//!
//! Credentials are fetched when the first request is signed, not when the
//! client is built (as in the SDKs), then cached until five minutes before
//! they expire.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_credential_types::provider::error::CredentialsError as ProviderError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::os_shim_internal::{Env, Fs};
use tokio::sync::{Mutex, OnceCell};

/// The environment variables credential and region resolution read: the
/// process environment, or a fixed set of variables.
///
/// The default is the process environment. `Debug` shows variable names
/// only, never values (they may be secrets).
#[derive(Clone, Default)]
pub struct Environment {
    /// `None`: the process environment.
    vars: Option<HashMap<String, String>>,
}

impl Environment {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Environment { vars: None }
    }

    /// No variables at all.
    pub fn empty() -> Self {
        Environment {
            vars: Some(HashMap::new()),
        }
    }

    /// Exactly these variables.
    pub fn from_vars<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Environment {
            vars: Some(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect()),
        }
    }

    /// Sets a variable. On [`Environment::process`] this first takes a
    /// snapshot of the process environment (its UTF-8 variables); the
    /// process environment itself is never changed.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars_mut().insert(name.into(), value.into());
        self
    }

    /// Removes a variable (snapshotting the process environment first, as [`Environment::set`]).
    pub fn remove(mut self, name: &str) -> Self {
        self.vars_mut().remove(name);
        self
    }

    fn vars_mut(&mut self) -> &mut HashMap<String, String> {
        self.vars.get_or_insert_with(|| {
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect()
        })
    }

    /// The value of a variable, if set and valid UTF-8.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.vars {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        }
    }

    /// The profile in effect: explicit, else `AWS_PROFILE`, else `default`.
    pub fn profile_name(&self, explicit: Option<&str>) -> String {
        explicit
            .map(str::to_owned)
            .or_else(|| self.get("AWS_PROFILE").filter(|p| !p.is_empty()))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// Resolves the region through `aws-config`'s default region chain:
    /// explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`,
    /// IMDS. An explicit region consults nothing.
    pub async fn resolve_region(
        &self,
        explicit: Option<&str>,
        profile: Option<&str>,
    ) -> Result<String, CredentialsError> {
        if let Some(region) = explicit.filter(|r| !r.is_empty()) {
            return Ok(region.to_owned());
        }
        let sdk = loader(self, profile).no_credentials().load().await;
        sdk.region()
            .map(|r| r.as_ref().to_owned())
            .filter(|r| !r.is_empty())
            .ok_or_else(|| CredentialsError::NoRegion {
                profile: self.profile_name(profile),
            })
    }

    /// Resolves credentials once through `aws-config`'s default credentials
    /// chain (see the [module documentation](self)).
    pub async fn resolve_credentials(
        &self,
        profile: Option<&str>,
        region: &str,
    ) -> Result<Credentials, CredentialsError> {
        let fetched = match chain(self, profile, region).await {
            Ok(provider) => provider.provide_credentials().await,
            Err(e) => Err(e),
        };
        fetched.map_err(|e| CredentialsError::from_provider(self.profile_name(profile), e))
    }

    fn to_env(&self) -> Env {
        match &self.vars {
            None => Env::real(),
            Some(vars) => Env::from(vars.clone()),
        }
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.vars {
            None => f.write_str("Environment::process()"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Environment").field("names", &names).finish()
            }
        }
    }
}

/// Why credentials (or a region) could not be resolved. The messages are
/// one line and never show a secret.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// No source in the chain had credentials.
    #[error(
        "no AWS credentials found for profile `{profile}`: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY \
         or configure the profile in the shared credentials or config file ({message})"
    )]
    NotFound {
        /// The profile that was looked up.
        profile: String,
        /// What the chain reported.
        message: String,
        /// The chain's error.
        #[source]
        source: ProviderError,
    },
    /// A source is configured but unusable: a profile without a secret, a
    /// `source_profile` naming no profile, a file that does not parse, a
    /// profile that does not exist.
    #[error("invalid AWS credentials configuration for profile `{profile}`: {message}")]
    InvalidConfiguration {
        /// The profile that was looked up.
        profile: String,
        /// What is wrong.
        message: String,
        /// The chain's error.
        #[source]
        source: ProviderError,
    },
    /// A source failed to deliver: STS or SSO refused, a `credential_process`
    /// failed, the container or instance metadata endpoint did not answer.
    #[error("cannot load AWS credentials for profile `{profile}`: {message}")]
    Provider {
        /// The profile that was looked up.
        profile: String,
        /// What went wrong.
        message: String,
        /// The chain's error.
        #[source]
        source: ProviderError,
    },
    /// No region was configured anywhere.
    #[error(
        "no AWS region configured: set it explicitly, set AWS_REGION or AWS_DEFAULT_REGION, \
         or add `region` to profile `{profile}` in the config file"
    )]
    NoRegion {
        /// The profile that was looked up.
        profile: String,
    },
}

impl CredentialsError {
    fn from_provider(profile: String, source: ProviderError) -> Self {
        let message = one_line(&source);
        match source {
            ProviderError::CredentialsNotLoaded(_) => CredentialsError::NotFound {
                profile,
                message,
                source,
            },
            ProviderError::InvalidConfiguration(_) => CredentialsError::InvalidConfiguration {
                profile,
                message,
                source,
            },
            _ => CredentialsError::Provider {
                profile,
                message,
                source,
            },
        }
    }
}

/// An error and its sources on one line.
fn one_line(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTTP client of STS, SSO, the container and the instance metadata
/// endpoints: hyper with rustls on *ring*, the crypto provider reqwest
/// already brings (the default, aws-lc-rs, builds C code for minutes).
fn https_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

fn loader(env: &Environment, profile: Option<&str>) -> aws_config::ConfigLoader {
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .env(env.to_env())
        .fs(Fs::real())
        .http_client(https_client());
    match profile {
        Some(profile) => loader.profile_name(profile),
        None => loader,
    }
}

async fn chain(
    env: &Environment,
    profile: Option<&str>,
    region: &str,
) -> Result<SharedCredentialsProvider, ProviderError> {
    let sdk = loader(env, profile)
        .region(aws_types::region::Region::new(region.to_owned()))
        .load()
        .await;
    sdk.credentials_provider()
        .ok_or_else(|| ProviderError::not_loaded("aws-config built no credentials provider"))
}

/// Credentials are refreshed this long before they expire.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

/// Where a client's credentials come from: given, or the default chain
/// (built at the first request, its credentials cached until shortly before
/// they expire). `Debug` shows no secret.
pub(crate) enum CredentialSource {
    Static(Credentials),
    Chain(Box<Chain>),
}

pub(crate) struct Chain {
    env: Environment,
    profile: Option<String>,
    region: String,
    provider: OnceCell<SharedCredentialsProvider>,
    cached: Mutex<Option<Credentials>>,
}

impl std::fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::Static(c) => f.debug_tuple("Static").field(c).finish(),
            CredentialSource::Chain(chain) => f
                .debug_struct("Chain")
                .field("env", &chain.env)
                .field("profile", &chain.profile)
                .finish_non_exhaustive(),
        }
    }
}

impl CredentialSource {
    pub(crate) fn chain(env: Environment, profile: Option<String>, region: String) -> Self {
        CredentialSource::Chain(Box::new(Chain {
            env,
            profile,
            region,
            provider: OnceCell::new(),
            cached: Mutex::new(None),
        }))
    }

    /// The credentials to sign the next request with.
    pub(crate) async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let chain = match self {
            CredentialSource::Static(c) => return Ok(c.clone()),
            CredentialSource::Chain(chain) => chain,
        };
        // One fetch at a time: concurrent requests wait for it instead of
        // each asking STS (or the container endpoint) again.
        let mut cached = chain.cached.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| fresh(c)) {
            return Ok(c.clone());
        }
        let fail = |e| CredentialsError::from_provider(chain.env.profile_name(chain.profile.as_deref()), e);
        let provider = chain
            .provider
            .get_or_try_init(|| self::chain(&chain.env, chain.profile.as_deref(), &chain.region))
            .await
            .map_err(fail)?;
        let credentials = provider.provide_credentials().await.map_err(fail)?;
        *cached = Some(credentials.clone());
        Ok(credentials)
    }
}

fn fresh(credentials: &Credentials) -> bool {
    credentials
        .expiry()
        .is_none_or(|expiry| SystemTime::now() + REFRESH_BEFORE_EXPIRY < expiry)
}
