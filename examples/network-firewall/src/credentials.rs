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
        check_files(self).await?;
        let sdk = loader(self, profile, &Timeouts::default())
            .no_credentials()
            .load()
            .await;
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
        check_files(self).await?;
        let fetched = match chain(self, profile, region, &Timeouts::default()).await {
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
    /// A configuration, credentials or web identity token file that is not
    /// a regular file (a FIFO, a device, a directory) or is larger than
    /// [`MAX_CONFIG_FILE_BYTES`]: refused before anything is read from it.
    #[error("cannot use {what} {path}: {reason}")]
    UnusableFile {
        /// Which file: `the config file (AWS_CONFIG_FILE)`, ...
        what: String,
        /// Its path.
        path: String,
        /// What is wrong with it.
        reason: String,
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

/// The largest config, credentials or web identity token file read: 1 MiB.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1 << 20;

/// The largest response body accepted from STS, SSO, the container or the
/// instance metadata endpoint: 1 MiB (their answers are a few kilobytes).
pub const MAX_CREDENTIALS_RESPONSE_BYTES: u64 = 1 << 20;

/// Connect and read timeouts of the credential sources' HTTP calls (STS,
/// SSO; the container and instance metadata endpoints keep their own
/// shorter ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
        }
    }
}

/// Refuses, before `aws-config` reads them, config, credentials and web
/// identity token files that are not regular files or are larger than
/// [`MAX_CONFIG_FILE_BYTES`]: `aws-config` reads them whole, so `/dev/zero`
/// would fill the memory and a FIFO would block forever. Checked: the
/// config and credentials files (`AWS_CONFIG_FILE`,
/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/...`),
/// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`,
/// and the `web_identity_token_file` of every profile. Missing files are
/// left to the chain.
async fn check_files(env: &Environment) -> Result<(), CredentialsError> {
    let home = env.get("HOME");
    let expand = |path: String| match (path.strip_prefix('~'), &home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => format!("{home}{rest}"),
        _ => path,
    };
    let check = |what: &str, path: &str| {
        crate::file::check_regular(std::path::Path::new(path), MAX_CONFIG_FILE_BYTES)
            .map(drop)
            .map_err(|e| CredentialsError::UnusableFile {
                what: what.to_owned(),
                path: path.to_owned(),
                reason: e.to_string(),
            })
    };
    for (variable, default, what) in [
        ("AWS_CONFIG_FILE", "~/.aws/config", "the config file (AWS_CONFIG_FILE)"),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "~/.aws/credentials",
            "the shared credentials file (AWS_SHARED_CREDENTIALS_FILE)",
        ),
    ] {
        let path = expand(env.get(variable).unwrap_or_else(|| default.to_owned()));
        check(what, &path)?;
    }
    for (variable, what) in [
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE)",
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "the container authorization token file (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)",
        ),
    ] {
        if let Some(token) = env.get(variable).filter(|p| !p.is_empty()) {
            check(what, &token)?;
        }
    }
    // The files are now known to be small: parse them for the token files
    // profiles name. A file that does not parse is the chain's to report.
    let profiles = aws_config::profile::load(
        &Fs::real(),
        &env.to_env(),
        &aws_runtime::env_config::file::EnvConfigFiles::default(),
        None,
    )
    .await;
    if let Ok(profiles) = profiles {
        for name in profiles.profiles() {
            let token = profiles
                .get_profile(name)
                .and_then(|p| p.get("web_identity_token_file"))
                .filter(|p| !p.is_empty());
            if let Some(token) = token {
                check(&format!("the web identity token file of profile {name:?}"), token)?;
            }
        }
    }
    Ok(())
}

/// The HTTP client of STS, SSO, the container and the instance metadata
/// endpoints: hyper with rustls on *ring*, the crypto provider reqwest
/// already brings (the default, aws-lc-rs, builds C code for minutes),
/// each response body capped at [`MAX_CREDENTIALS_RESPONSE_BYTES`] and
/// failed when no byte of it arrives for the read timeout.
fn https_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    let inner = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    SharedHttpClient::new(capped::CappedClient {
        inner,
        limit: MAX_CREDENTIALS_RESPONSE_BYTES,
    })
}

fn loader(env: &Environment, profile: Option<&str>, timeouts: &Timeouts) -> aws_config::ConfigLoader {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .build();
    let loader = aws_config::defaults(BehaviorVersion::latest())
        .env(env.to_env())
        .fs(Fs::real())
        .http_client(https_client())
        .timeout_config(timeouts);
    match profile {
        Some(profile) => loader.profile_name(profile),
        None => loader,
    }
}

async fn chain(
    env: &Environment,
    profile: Option<&str>,
    region: &str,
    timeouts: &Timeouts,
) -> Result<SharedCredentialsProvider, ProviderError> {
    let sdk = loader(env, profile, timeouts)
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
    timeouts: Timeouts,
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
    pub(crate) fn chain(env: Environment, profile: Option<String>, region: String, timeouts: Timeouts) -> Self {
        CredentialSource::Chain(Box::new(Chain {
            env,
            profile,
            region,
            timeouts,
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
        check_files(&chain.env).await?;
        let provider = chain
            .provider
            .get_or_try_init(|| self::chain(&chain.env, chain.profile.as_deref(), &chain.region, &chain.timeouts))
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

/// The response cap and body read timeout of the credential sources' HTTP
/// client.
mod capped {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
    use aws_smithy_runtime_api::client::http::{
        HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
    };
    use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
    use aws_smithy_types::body::SdkBody;
    use bytes::Bytes;
    use http_body::{Body, Frame, SizeHint};

    type BoxError = Box<dyn std::error::Error + Send + Sync>;

    /// An [`HttpClient`] whose response bodies are capped at `limit` bytes
    /// (refused at once when `Content-Length` announces more) and fail when
    /// no data arrives for the read timeout of the connector settings.
    #[derive(Debug)]
    pub(super) struct CappedClient {
        pub(super) inner: SharedHttpClient,
        pub(super) limit: u64,
    }

    impl HttpClient for CappedClient {
        fn http_connector(
            &self,
            settings: &HttpConnectorSettings,
            components: &RuntimeComponents,
        ) -> SharedHttpConnector {
            SharedHttpConnector::new(CappedConnector {
                inner: self.inner.http_connector(settings, components),
                limit: self.limit,
                idle: settings.read_timeout(),
                sleep: components.sleep_impl(),
            })
        }
    }

    #[derive(Debug)]
    struct CappedConnector {
        inner: SharedHttpConnector,
        limit: u64,
        idle: Option<Duration>,
        sleep: Option<SharedAsyncSleep>,
    }

    fn too_large(limit: u64) -> BoxError {
        format!("the response is larger than the limit of {limit} bytes").into()
    }

    impl HttpConnector for CappedConnector {
        fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
            let call = self.inner.call(request);
            let (limit, idle, sleep) = (self.limit, self.idle, self.sleep.clone());
            HttpConnectorFuture::new(async move {
                let response = call.await?;
                let announced = response
                    .headers()
                    .get("content-length")
                    .and_then(|v| v.trim().parse::<u64>().ok());
                if announced.is_some_and(|len| len > limit) {
                    return Err(ConnectorError::other(too_large(limit), None));
                }
                Ok(response.map(move |body| {
                    SdkBody::from_body_1_x(CappedBody {
                        inner: body,
                        remaining: limit,
                        limit,
                        idle: idle.zip(sleep.clone()),
                        timer: None,
                    })
                }))
            })
        }
    }

    struct CappedBody {
        inner: SdkBody,
        remaining: u64,
        limit: u64,
        idle: Option<(Duration, SharedAsyncSleep)>,
        timer: Option<Sleep>,
    }

    impl Body for CappedBody {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            let this = &mut *self;
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer = None;
                    if let Some(data) = frame.data_ref() {
                        let len = u64::try_from(data.len()).unwrap_or(u64::MAX);
                        if len > this.remaining {
                            this.remaining = 0;
                            return Poll::Ready(Some(Err(too_large(this.limit))));
                        }
                        this.remaining -= len;
                    }
                    Poll::Ready(Some(Ok(frame)))
                }
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => {
                    if let Some((idle, sleep)) = &this.idle {
                        let timer = this.timer.get_or_insert_with(|| sleep.sleep(*idle));
                        if Pin::new(timer).poll(cx).is_ready() {
                            let message = format!("no data received for {} s", idle.as_secs_f64());
                            return Poll::Ready(Some(Err(message.into())));
                        }
                    }
                    Poll::Pending
                }
            }
        }

        fn is_end_stream(&self) -> bool {
            self.inner.is_end_stream()
        }

        fn size_hint(&self) -> SizeHint {
            self.inner.size_hint()
        }
    }
}
