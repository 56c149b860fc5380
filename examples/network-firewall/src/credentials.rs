//! Credentials and region resolution, a useful subset of the AWS SDKs' default chains.
//!
//! Credentials, first match wins:
//! 1. environment: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (both
//!    required), `AWS_SESSION_TOKEN` optional;
//! 2. the selected profile (explicit name, else `AWS_PROFILE`, else
//!    `default`) in the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
//!    default `~/.aws/credentials`, sections `[name]`);
//! 3. the same profile in the shared config file (`AWS_CONFIG_FILE`, default
//!    `~/.aws/config`, sections `[default]` and `[profile name]`).
//!
//! Keys read: `aws_access_key_id`, `aws_secret_access_key`,
//! `aws_session_token`, and `region` (config file). Not supported:
//! `source_profile`/role assumption, SSO, `credential_process`, IMDS/ECS.
//!
//! Region, first match wins: explicit value, `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, the profile's `region` in the config file.
//!
//! Every function has a `*_with` form taking the environment as a closure,
//! so that callers (and tests) need not touch the process environment; an
//! [`Environment`] is such an environment as a value, which
//! [`ClientConfig::environment`](crate::ClientConfig::environment) hands to
//! the client. Every file location comes from that environment too (`HOME`,
//! `USERPROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`), so a
//! resolution against an [`Environment::empty`] plus a temporary `HOME` reads
//! nothing of the machine's own configuration.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aws_credential_types::Credentials;

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

    /// Resolves credentials in this environment (see [`resolve_credentials_with`]).
    pub fn resolve_credentials(&self, profile: Option<&str>) -> Result<Credentials, CredentialsError> {
        resolve_credentials_with(profile, &|k| self.get(k))
    }

    /// Resolves the region in this environment (see [`resolve_region_with`]).
    pub fn resolve_region(&self, explicit: Option<&str>, profile: Option<&str>) -> Result<String, CredentialsError> {
        resolve_region_with(explicit, profile, &|k| self.get(k))
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

/// Why credentials (or a region) could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// No source in the chain had credentials.
    #[error(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or add \
         aws_access_key_id/aws_secret_access_key to profile `{profile}` in {credentials_file} \
         or {config_file}"
    )]
    NotFound {
        /// The profile that was looked up.
        profile: String,
        /// The shared credentials file that was read.
        credentials_file: String,
        /// The shared config file that was read.
        config_file: String,
    },
    /// A profile has only one of the access key id and the secret key.
    #[error("profile `{profile}` in {file} has {present} but not {missing}")]
    IncompleteProfile {
        /// The profile name.
        profile: String,
        /// The file holding it.
        file: String,
        /// The key that is present.
        present: &'static str,
        /// The key that is missing.
        missing: &'static str,
    },
    /// A shared file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
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

/// A parsed INI file: section name → key → value.
type Ini = HashMap<String, HashMap<String, String>>;

fn parse_ini(text: &str) -> Ini {
    let mut out: Ini = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        // Indented lines continue a nested property (e.g. `s3 =`); skip them.
        if raw.starts_with([' ', '\t']) && !raw.trim().is_empty() && current.is_some() {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            if let Some(name) = rest.strip_suffix(']') {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                out.entry(name.clone()).or_default();
                current = Some(name);
            } else {
                current = None;
            }
            continue;
        }
        if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            let v = v.trim();
            // Strip trailing inline comments introduced by whitespace + '#' or ';'.
            let v = v.find(" #").or_else(|| v.find(" ;")).map_or(v, |i| v[..i].trim_end());
            out.entry(section.clone())
                .or_default()
                .insert(k.trim().to_owned(), v.to_owned());
        }
    }
    out
}

fn home_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    env("HOME")
        .or_else(|| env("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn expand(path: &str, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/") {
        if let Some(home) = home_dir(env) {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

fn shared_file(env: &dyn Fn(&str) -> Option<String>, var: &str, default_name: &str) -> PathBuf {
    match env(var).filter(|v| !v.is_empty()) {
        Some(p) => expand(&p, env),
        None => match home_dir(env) {
            Some(home) => home.join(".aws").join(default_name),
            None => PathBuf::from(".aws").join(default_name),
        },
    }
}

fn read_ini(path: &Path) -> Result<Ini, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(parse_ini(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ini::new()),
        Err(source) => Err(CredentialsError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// The profile name in effect: explicit, else `AWS_PROFILE`, else `default`.
pub fn profile_name_with(explicit: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> String {
    explicit
        .map(str::to_owned)
        .or_else(|| env("AWS_PROFILE").filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_owned())
}

fn config_section<'a>(config: &'a Ini, profile: &str) -> Option<&'a HashMap<String, String>> {
    if profile == "default" {
        config.get("default").or_else(|| config.get("profile default"))
    } else {
        config.get(&format!("profile {profile}"))
    }
}

fn from_section(
    section: Option<&HashMap<String, String>>,
    profile: &str,
    file: &Path,
    provider: &'static str,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(section) = section else {
        return Ok(None);
    };
    let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(akid), Some(secret)) => Ok(Some(Credentials::new(
            akid,
            secret,
            get("aws_session_token"),
            None,
            provider,
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CredentialsError::IncompleteProfile {
            profile: profile.to_owned(),
            file: file.display().to_string(),
            present: "aws_access_key_id",
            missing: "aws_secret_access_key",
        }),
        (None, Some(_)) => Err(CredentialsError::IncompleteProfile {
            profile: profile.to_owned(),
            file: file.display().to_string(),
            present: "aws_secret_access_key",
            missing: "aws_access_key_id",
        }),
    }
}

/// Resolves credentials from the process environment and shared files.
pub fn resolve_credentials(profile: Option<&str>) -> Result<Credentials, CredentialsError> {
    Environment::process().resolve_credentials(profile)
}

/// Resolves credentials, reading environment variables through `env`.
pub fn resolve_credentials_with(
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let nonempty = |k: &str| env(k).filter(|v| !v.is_empty());
    if let (Some(akid), Some(secret)) = (nonempty("AWS_ACCESS_KEY_ID"), nonempty("AWS_SECRET_ACCESS_KEY")) {
        return Ok(Credentials::new(
            akid,
            secret,
            nonempty("AWS_SESSION_TOKEN"),
            None,
            "Environment",
        ));
    }
    let profile = profile_name_with(profile, env);
    let credentials_file = shared_file(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let config_file = shared_file(env, "AWS_CONFIG_FILE", "config");
    let creds_ini = read_ini(&credentials_file)?;
    if let Some(c) = from_section(
        creds_ini.get(&profile),
        &profile,
        &credentials_file,
        "SharedCredentialsFile",
    )? {
        return Ok(c);
    }
    let config_ini = read_ini(&config_file)?;
    if let Some(c) = from_section(
        config_section(&config_ini, &profile),
        &profile,
        &config_file,
        "SharedConfigFile",
    )? {
        return Ok(c);
    }
    Err(CredentialsError::NotFound {
        profile,
        credentials_file: credentials_file.display().to_string(),
        config_file: config_file.display().to_string(),
    })
}

/// Resolves the region from the process environment and the shared config file.
pub fn resolve_region(explicit: Option<&str>, profile: Option<&str>) -> Result<String, CredentialsError> {
    Environment::process().resolve_region(explicit, profile)
}

/// Resolves the region, reading environment variables through `env`.
pub fn resolve_region_with(
    explicit: Option<&str>,
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, CredentialsError> {
    if let Some(r) = explicit.filter(|r| !r.is_empty()) {
        return Ok(r.to_owned());
    }
    if let Some(r) = env("AWS_REGION")
        .filter(|r| !r.is_empty())
        .or_else(|| env("AWS_DEFAULT_REGION").filter(|r| !r.is_empty()))
    {
        return Ok(r);
    }
    let profile = profile_name_with(profile, env);
    let config_ini = read_ini(&shared_file(env, "AWS_CONFIG_FILE", "config"))?;
    config_section(&config_ini, &profile)
        .and_then(|s| s.get("region"))
        .filter(|r| !r.is_empty())
        .cloned()
        .ok_or(CredentialsError::NoRegion { profile })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_parsing() {
        let ini = parse_ini(
            "# comment\n[default]\naws_access_key_id = A # trailing\n[profile  dev ]\nregion=eu-west-1\ns3 =\n  max_concurrent_requests = 2\n",
        );
        assert_eq!(ini["default"]["aws_access_key_id"], "A");
        assert_eq!(ini["profile dev"]["region"], "eu-west-1");
        assert!(!ini["profile dev"].contains_key("max_concurrent_requests"));
    }
}
