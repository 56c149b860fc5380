//! Credentials and region through `aws-config`'s default chains, one test
//! per source, offline: STS, the container endpoint, instance metadata and
//! SSO are loopback stand-ins written here, and the credentials each source
//! yields are checked by signing a call to a local endpoint that accepts
//! exactly them (access key id, secret through the signature, session token).
//!
//! Hermetic: every resolution reads an injected [`Environment`] holding only
//! the variables a test sets (`HOME` a temporary directory,
//! `AWS_EC2_METADATA_DISABLED=true` unless the test serves instance metadata
//! itself), never the process environment or the machine's `~/.aws`, and
//! nothing here changes the process environment, so the tests run in parallel.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use network_firewall::credentials::{CredentialsError, Environment};
use network_firewall::error::{ErrorKind, Setting};
use network_firewall::{
    ClientConfig, Credentials, Error, ListFlowOperationsRequest, NetworkFirewallClient, ServerConfig,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A temporary `HOME` with `.aws/credentials` and `.aws/config`, and an
/// injected environment pointing at it.
struct Home {
    dir: tempfile::TempDir,
    env: Environment,
}

impl Home {
    fn new(credentials: &str, config: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(aws.join("credentials"), credentials).unwrap();
        std::fs::write(aws.join("config"), config).unwrap();
        let env = Environment::empty()
            .set("HOME", dir.path().display().to_string())
            .set("AWS_EC2_METADATA_DISABLED", "true");
        Home { dir, env }
    }

    fn set(mut self, k: &str, v: &str) -> Home {
        self.env = self.env.set(k, v);
        self
    }

    fn remove(mut self, k: &str) -> Home {
        self.env = self.env.remove(k);
        self
    }

    /// Writes a file under `HOME`, returning its path.
    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, content).unwrap();
        path
    }

    async fn credentials(&self, profile: Option<&str>) -> Result<Credentials, CredentialsError> {
        self.env.resolve_credentials(profile, "us-east-1").await
    }

    async fn region(&self, explicit: Option<&str>, profile: Option<&str>) -> Result<String, CredentialsError> {
        self.env.resolve_region(explicit, profile).await
    }

    /// A client configuration reading this environment only.
    fn client_config(&self) -> ClientConfig {
        ClientConfig::new().environment(self.env.clone())
    }
}

fn keys(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    Credentials::new(id, secret, token.map(str::to_owned), None, "test")
}

fn same(got: &Credentials, want: &Credentials) {
    assert_eq!(
        (got.access_key_id(), got.secret_access_key(), got.session_token()),
        (want.access_key_id(), want.secret_access_key(), want.session_token())
    );
}

/// One `ListFlowOperations` call with a client built from `config`, to a
/// local endpoint that accepts only `accepted`: `Ok` only when the request
/// was signed with exactly those credentials.
async fn signed_call(config: ClientConfig, accepted: &Credentials) -> Result<NetworkFirewallClient, Error> {
    let server = network_firewall::start(ServerConfig {
        credentials: vec![accepted.clone()],
        region: Some("us-east-1".into()),
        ..ServerConfig::demo()
    })
    .await
    .unwrap();
    let client = NetworkFirewallClient::load(config.endpoint_url(server.url()).region("us-east-1")).await?;
    let page = client
        .list_flow_operations(&ListFlowOperationsRequest {
            firewall_arn: network_firewall::DEMO_FIREWALL_ARN.into(),
            max_results: Some(1),
            ..Default::default()
        })
        .await;
    server.shutdown().await;
    page.map(|_| client)
}

/// A request a stand-in received.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP/1.1 server answering each request with `answer(request)`
/// (status, body), one request per connection.
struct StandIn {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl StandIn {
    async fn start(answer: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> StandIn {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (log, answer) = (seen.clone(), Arc::new(answer));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (log, answer) = (log.clone(), answer.clone());
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(request.clone());
                    let (status, body) = answer(&request);
                    let kind = match body.chars().next() {
                        Some('<') => "text/xml",
                        Some('{') => "application/json",
                        _ => "text/plain",
                    };
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\
                         x-aws-ec2-metadata-token-ttl-seconds: 21600\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        StandIn { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + 4 + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = String::from_utf8_lossy(&buf[(head_end + 4).min(buf.len())..]).into_owned();
    Some(Seen {
        method,
        target,
        headers,
        body,
    })
}

/// STS's answer to `AssumeRole` or `AssumeRoleWithWebIdentity` (query protocol, XML).
fn sts_credentials(action: &str, c: &Credentials) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
         <Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
         <SessionToken>{}</SessionToken><Expiration>2100-01-01T00:00:00Z</Expiration></Credentials>\
         <AssumedRoleUser><AssumedRoleId>AROAPAGINATE:s</AssumedRoleId>\
         <Arn>arn:aws:sts::123456789012:assumed-role/paginate-test/s</Arn></AssumedRoleUser>\
         </{action}Result><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></{action}Response>",
        c.access_key_id(),
        c.secret_access_key(),
        c.session_token().unwrap_or_default()
    )
}

const STS_ACCESS_DENIED: &str = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
    <Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to assume paginate-test</Message>\
    </Error><RequestId>r2</RequestId></ErrorResponse>";

/// The JSON the container endpoint, IMDS and `credential_process` answer with.
fn json_credentials(c: &Credentials, token_key: &str) -> String {
    format!(
        r#"{{"Version": 1, "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "{}", "SecretAccessKey": "{}", "{token_key}": "{}", "Expiration": "2100-01-01T00:00:00Z", "LastUpdated": "2024-01-01T00:00:00Z"}}"#,
        c.access_key_id(),
        c.secret_access_key(),
        c.session_token().unwrap_or_default()
    )
}

fn request() -> ListFlowOperationsRequest {
    ListFlowOperationsRequest {
        firewall_arn: network_firewall::DEMO_FIREWALL_ARN.into(),
        max_results: Some(1),
        ..Default::default()
    }
}

const CREDS: &str = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n\
                     [dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=s2\naws_session_token=t2\n";
const CONFIG: &str = "[default]\nregion = us-west-2\n\n[profile dev]\nregion = eu-west-1\n\n\
                      [profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s3\n";

/// Environment variables win over the shared files, and sign the request.
#[tokio::test]
async fn environment_variables() {
    let home = Home::new(CREDS, CONFIG)
        .set("AWS_ACCESS_KEY_ID", "AKIDENV")
        .set("AWS_SECRET_ACCESS_KEY", "senv")
        .set("AWS_SESSION_TOKEN", "tenv");
    let want = keys("AKIDENV", "senv", Some("tenv"));
    same(&home.credentials(None).await.unwrap(), &want);
    signed_call(home.client_config(), &want).await.unwrap();
    // The same call with other accepted keys is refused: the check can fail.
    let err = signed_call(home.client_config(), &keys("AKIDENV", "other", Some("tenv")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service, "{err}");
}

/// The shared credentials and config files, the profile from `AWS_PROFILE`
/// or given explicitly, and the region precedence.
#[tokio::test]
async fn shared_files_and_profiles() {
    let home = Home::new(CREDS, CONFIG);
    same(&home.credentials(None).await.unwrap(), &keys("AKIDDEFAULT", "s1", None));
    assert_eq!(home.region(None, None).await.unwrap(), "us-west-2");

    let home = home.set("AWS_PROFILE", "dev");
    let dev = keys("AKIDDEV", "s2", Some("t2"));
    same(&home.credentials(None).await.unwrap(), &dev);
    assert_eq!(home.region(None, None).await.unwrap(), "eu-west-1");
    signed_call(home.client_config(), &dev).await.unwrap();

    // `[profile x]` in the config file; an explicit profile beats AWS_PROFILE.
    same(
        &home.credentials(Some("cfgonly")).await.unwrap(),
        &keys("AKIDCFG", "s3", None),
    );
    signed_call(home.client_config().profile("cfgonly"), &keys("AKIDCFG", "s3", None))
        .await
        .unwrap();

    // Region: explicit, AWS_REGION, AWS_DEFAULT_REGION, the profile's.
    let home = home.set("AWS_DEFAULT_REGION", "ap-south-1");
    assert_eq!(home.region(None, None).await.unwrap(), "ap-south-1");
    let home = home.set("AWS_REGION", "ca-central-1");
    assert_eq!(home.region(None, None).await.unwrap(), "ca-central-1");
    assert_eq!(home.region(Some("sa-east-1"), None).await.unwrap(), "sa-east-1");
    let client = NetworkFirewallClient::load(home.client_config()).await.unwrap();
    assert_eq!(client.region(), "ca-central-1");
    let client = NetworkFirewallClient::load(home.client_config().region("sa-east-1"))
        .await
        .unwrap();
    assert_eq!(client.region(), "sa-east-1");
}

/// `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE` move the files.
#[tokio::test]
async fn file_locations_from_environment() {
    let home = Home::new("", "");
    let creds = home.write(
        "elsewhere/c",
        "[p]\naws_access_key_id=AKIDP\naws_secret_access_key=sp\n",
    );
    let config = home.write("elsewhere/k", "[profile p]\nregion=me-south-1\n");
    let home = home
        .set("AWS_SHARED_CREDENTIALS_FILE", &creds.display().to_string())
        .set("AWS_CONFIG_FILE", &config.display().to_string());
    same(&home.credentials(Some("p")).await.unwrap(), &keys("AKIDP", "sp", None));
    assert_eq!(home.region(None, Some("p")).await.unwrap(), "me-south-1");
}

/// `credential_process`: a script printing the credentials as JSON.
#[tokio::test]
async fn credential_process() {
    use std::os::unix::fs::PermissionsExt;
    let want = keys("AKIDPROCESS", "process-secret", Some("process-token"));
    let home = Home::new("", "");
    let script = home.write(
        "bin/creds.sh",
        &format!(
            "#!/bin/sh\ncat <<'EOF'\n{}\nEOF\n",
            json_credentials(&want, "SessionToken")
        ),
    );
    let failing = home.write("bin/fails.sh", "#!/bin/sh\necho 'no credentials for you' >&2\nexit 3\n");
    for path in [&script, &failing] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    home.write(
        ".aws/config",
        &format!(
            "[profile proc]\ncredential_process = {}\n\n[profile broken]\ncredential_process = {}\n",
            script.display(),
            failing.display()
        ),
    );
    let home = home.set("AWS_PROFILE", "proc");
    same(&home.credentials(None).await.unwrap(), &want);
    signed_call(home.client_config(), &want).await.unwrap();

    let err = home.credentials(Some("broken")).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
    let err = signed_call(home.client_config().profile("broken"), &want)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert_eq!(err.kind().aws_cli_exit_code(), 253);
}

/// `role_arn` + `source_profile`: STS `AssumeRole` (a loopback stand-in,
/// reached through `AWS_ENDPOINT_URL_STS`), signed with the source profile's
/// keys; the request to the service is signed with the assumed credentials,
/// which are cached.
#[tokio::test]
async fn assume_role_with_source_profile() {
    let assumed = keys("ASIAASSUMED", "assumed-secret", Some("assumed-token"));
    let answer = assumed.clone();
    let sts = StandIn::start(move |req| {
        if req
            .body
            .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdenied")
        {
            (403, STS_ACCESS_DENIED.to_owned())
        } else {
            (200, sts_credentials("AssumeRole", &answer))
        }
    })
    .await;
    let config = "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\n\
                  [profile role]\nrole_arn = arn:aws:iam::123456789012:role/paginate-test\nsource_profile = base\n\n\
                  [profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = base\n\n\
                  [profile orphan]\nrole_arn = arn:aws:iam::123456789012:role/paginate-test\nsource_profile = nosuch\n";
    let home = Home::new("", config)
        .set("AWS_PROFILE", "role")
        .set("AWS_ENDPOINT_URL_STS", &sts.url);
    same(&home.credentials(None).await.unwrap(), &assumed);
    let seen = sts.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].method, "POST");
    assert!(seen[0].body.contains("Action=AssumeRole"), "{}", seen[0].body);
    assert!(
        seen[0]
            .body
            .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fpaginate-test"),
        "{}",
        seen[0].body
    );
    let authorization = seen[0].header("authorization").unwrap_or_default();
    assert!(authorization.contains("Credential=AKIDBASE/"), "{authorization}");

    // Signed with the assumed credentials; a second call reuses them.
    let client = signed_call(home.client_config(), &assumed).await.unwrap();
    assert_eq!(sts.seen().len(), 2);
    same(&client.credentials().await.unwrap(), &assumed);
    assert_eq!(sts.seen().len(), 2, "cached: STS is not asked again");
    // The source profile's keys are not accepted where the role's are.
    let err = signed_call(home.client_config().profile("base"), &assumed)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service, "{err}");

    // STS refuses: a typed error naming STS's code, exit 253, no secret shown.
    let err = home.credentials(Some("denied")).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
    let err = signed_call(home.client_config().profile("denied"), &assumed)
        .await
        .unwrap_err();
    assert_eq!(err.kind().aws_cli_exit_code(), 253, "{err}");
    let message = err.to_string();
    assert!(
        message.contains("AccessDenied") || message.contains("not authorized"),
        "{message}"
    );
    assert!(!message.contains("base-secret") && !message.contains('\n'), "{message}");
    // A source profile that does not exist: the chain goes on, finds
    // nothing, and says why.
    let err = home.credentials(Some("orphan")).await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string().contains("could not find source profile nosuch"),
        "{err}"
    );
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`: STS
/// `AssumeRoleWithWebIdentity` with the token read from the file.
#[tokio::test]
async fn web_identity_token() {
    let assumed = keys("ASIAWEBIDENTITY", "web-secret", Some("web-token"));
    let answer = assumed.clone();
    let sts = StandIn::start(move |_| (200, sts_credentials("AssumeRoleWithWebIdentity", &answer))).await;
    let home = Home::new("", "");
    let token = home.write("token", "eyJ.paginate-oidc-token.sig");
    let home = home
        .set("AWS_WEB_IDENTITY_TOKEN_FILE", &token.display().to_string())
        .set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web")
        .set("AWS_ROLE_SESSION_NAME", "paginate-session")
        .set("AWS_ENDPOINT_URL_STS", &sts.url);
    same(&home.credentials(None).await.unwrap(), &assumed);
    let seen = sts.seen();
    assert!(
        seen[0].body.contains("Action=AssumeRoleWithWebIdentity"),
        "{}",
        seen[0].body
    );
    assert!(
        seen[0].body.contains("WebIdentityToken=eyJ.paginate-oidc-token.sig"),
        "{}",
        seen[0].body
    );
    assert!(
        seen[0].body.contains("RoleSessionName=paginate-session"),
        "{}",
        seen[0].body
    );
    signed_call(home.client_config(), &assumed).await.unwrap();

    // A token file that is not there.
    let home = home.set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token");
    let err = home.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
}

/// ECS / EKS container credentials from `AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// (loopback is allowed), with `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
#[tokio::test]
async fn container_credentials() {
    let want = keys("ASIACONTAINER", "container-secret", Some("container-token"));
    let answer = want.clone();
    let endpoint = StandIn::start(move |req| match req.header("authorization") {
        Some("Bearer paginate") => (200, json_credentials(&answer, "Token")),
        _ => (401, "{}".to_owned()),
    })
    .await;
    let home = Home::new("", "")
        .set(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            &format!("{}/v2/credentials/x", endpoint.url),
        )
        .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer paginate");
    same(&home.credentials(None).await.unwrap(), &want);
    let seen = endpoint.seen();
    assert_eq!(
        (seen[0].method.as_str(), seen[0].target.as_str()),
        ("GET", "/v2/credentials/x")
    );
    signed_call(home.client_config(), &want).await.unwrap();

    // A wrong authorization token: refused, a typed error.
    let wrong = home.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong");
    let err = wrong.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
    // Nothing listening there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let gone = wrong.set(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        &format!("http://127.0.0.1:{closed}/creds"),
    );
    let err = gone.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
}

/// EC2 instance metadata (IMDSv2: a session token, then the role's
/// credentials), reached through `AWS_EC2_METADATA_SERVICE_ENDPOINT`; also
/// the region.
#[tokio::test]
async fn instance_metadata() {
    let want = keys("ASIAINSTANCE", "instance-secret", Some("instance-token"));
    let answer = want.clone();
    let imds = StandIn::start(move |req| {
        let token_ok = req.header("x-aws-ec2-metadata-token") == Some("imds-session");
        match (req.method.as_str(), req.target.as_str()) {
            ("PUT", "/latest/api/token") => (200, "imds-session".to_owned()),
            (_, _) if !token_ok => (401, String::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "paginate-role".to_owned()),
            ("GET", "/latest/meta-data/iam/security-credentials/paginate-role") => {
                (200, json_credentials(&answer, "Token"))
            }
            ("GET", "/latest/meta-data/placement/region") => (200, "ap-southeast-2".to_owned()),
            _ => (404, String::new()),
        }
    })
    .await;
    let home = Home::new("", "")
        .remove("AWS_EC2_METADATA_DISABLED")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.url);
    same(&home.credentials(None).await.unwrap(), &want);
    assert_eq!(home.region(None, None).await.unwrap(), "ap-southeast-2");
    signed_call(home.client_config(), &want).await.unwrap();
    assert!(
        imds.seen().iter().any(|r| r.method == "PUT"),
        "IMDSv2 session token used"
    );

    // Disabled: not consulted at all.
    let count = imds.seen().len();
    let disabled = home.set("AWS_EC2_METADATA_DISABLED", "true");
    let err = disabled.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(matches!(
        disabled.region(None, None).await,
        Err(CredentialsError::NoRegion { .. })
    ));
    assert_eq!(imds.seen().len(), count);
}

/// An SSO profile (`sso_start_url`, the legacy form): the cached SSO token
/// from `~/.aws/sso/cache`, exchanged at the SSO portal (a stand-in reached
/// through `AWS_ENDPOINT_URL_SSO`) for the role's credentials.
#[tokio::test]
async fn sso_profile() {
    let want = keys("ASIASSO", "sso-secret", Some("sso-token"));
    let answer = want.clone();
    let portal = StandIn::start(move |req| match req.header("x-amz-sso_bearer_token") {
        Some("paginate-sso-access-token") => (
            200,
            format!(
                r#"{{"roleCredentials": {{"accessKeyId": "{}", "secretAccessKey": "{}", "sessionToken": "{}", "expiration": 4102444800000}}}}"#,
                answer.access_key_id(),
                answer.secret_access_key(),
                answer.session_token().unwrap_or_default()
            ),
        ),
        _ => (401, r#"{"message": "bad token"}"#.to_owned()),
    })
    .await;
    let start_url = "https://paginate-test.awsapps.com/start";
    let config = format!(
        "[profile sso]\nsso_start_url = {start_url}\nsso_region = us-east-1\n\
         sso_account_id = 123456789012\nsso_role_name = PaginateRole\n"
    );
    let home = Home::new("", &config)
        .set("AWS_PROFILE", "sso")
        .set("AWS_ENDPOINT_URL_SSO", &portal.url);
    // The SDKs name the cache file by the SHA-1 of the start URL.
    let digest = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s '{start_url}' | sha1sum")])
        .output()
        .unwrap();
    let digest = String::from_utf8(digest.stdout).unwrap();
    let digest = digest.split_whitespace().next().unwrap();
    home.write(
        &format!(".aws/sso/cache/{digest}.json"),
        &format!(
            r#"{{"accessToken": "paginate-sso-access-token", "expiresAt": "2100-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "{start_url}"}}"#
        ),
    );
    same(&home.credentials(None).await.unwrap(), &want);
    let seen = portal.seen();
    assert!(
        seen[0].target.starts_with("/federation/credentials")
            && seen[0].target.contains("account_id=123456789012")
            && seen[0].target.contains("role_name=PaginateRole"),
        "{}",
        seen[0].target
    );
    signed_call(home.client_config(), &want).await.unwrap();

    // No cached token: a typed error, not a prompt.
    std::fs::remove_file(home.dir.path().join(format!(".aws/sso/cache/{digest}.json"))).unwrap();
    let err = home.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider { .. }), "{err:?}");
}

/// Missing or broken sources fail with typed errors, which the client
/// reports as configuration errors (exit 253) before sending anything.
#[tokio::test]
async fn clear_errors() {
    let home = Home::new("", "");
    let err = home.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("no AWS credentials found"), "{err}");
    assert!(matches!(
        home.region(None, None).await,
        Err(CredentialsError::NoRegion { .. })
    ));

    let home = Home::new("[default]\naws_access_key_id = AKIDONLY\n", "");
    let err = home.credentials(None).await.unwrap_err();
    assert!(matches!(err, CredentialsError::InvalidConfiguration { .. }), "{err:?}");

    // A profile that does not exist, through the client: at the first call.
    let home = Home::new(CREDS, CONFIG);
    let client = NetworkFirewallClient::new(
        home.client_config()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:1")
            .profile("definitely-not-a-profile-name-xyz"),
    )
    .unwrap();
    let err = client.list_flow_operations(&request()).await.unwrap_err();
    match &err {
        Error::Credentials(e) => assert!(err.to_string().contains("definitely-not-a-profile-name-xyz"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert_eq!(client.attempts(), 0, "nothing sent");

    // No region anywhere: `load` says so; `new` needs one.
    let home = Home::new("", "");
    for err in [
        NetworkFirewallClient::load(
            home.client_config()
                .credentials(network_firewall::server::demo_credentials()),
        )
        .await
        .unwrap_err(),
        NetworkFirewallClient::new(
            home.client_config()
                .credentials(network_firewall::server::demo_credentials()),
        )
        .unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::Credentials(CredentialsError::NoRegion { .. })),
            "{err:?}"
        );
        assert!(err.is_configuration());
    }
}

/// Only the injected environment is read: the machine's variables and
/// `~/.aws` never leak in; `Debug` never shows a value.
#[tokio::test]
async fn only_the_injected_environment_is_read() {
    // The process has variables (PATH at least); an empty environment has none.
    assert!(std::env::vars_os().next().is_some());
    let empty = Environment::empty();
    for (name, _) in std::env::vars() {
        assert_eq!(empty.get(&name), None, "{name}");
    }
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
    // Debug shows names, not values: of the environment, and of a client
    // configuration and a client holding one.
    let secret = Environment::empty().set("AWS_SECRET_ACCESS_KEY", "hunter2");
    let debug = format!("{secret:?}");
    assert!(
        debug.contains("AWS_SECRET_ACCESS_KEY") && !debug.contains("hunter2"),
        "{debug}"
    );
    let config = ClientConfig::new()
        .region("us-east-1")
        .environment(secret.clone().set("AWS_ACCESS_KEY_ID", "AKIDX"));
    let client = NetworkFirewallClient::new(config.clone()).unwrap();
    for debug in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!debug.contains("hunter2"), "{debug}");
    }
    let client = NetworkFirewallClient::new(config.credentials(keys("AKIDX", "hunter2", Some("tok-secret")))).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("hunter2") && !debug.contains("tok-secret"), "{debug}");

    // Variables of the process are not seen by a resolution in an injected
    // environment: this one has no credentials, whatever the machine has.
    let home = Home::new("", "");
    assert!(matches!(
        home.credentials(None).await,
        Err(CredentialsError::NotFound { .. })
    ));
}

/// Values from the environment or the shared files that cannot go into a
/// request are refused (naming the setting, never the value) before
/// anything is sent.
#[tokio::test]
async fn bad_values_from_the_environment_are_refused() {
    let setting = |err: &Error| match err {
        Error::InvalidSetting { setting, .. } => Some(*setting),
        _ => None,
    };
    let home = Home::new(CREDS, CONFIG).set("AWS_REGION", "us-east-1\n");
    let err = NetworkFirewallClient::load(home.client_config()).await.unwrap_err();
    assert_eq!(setting(&err), Some(Setting::Region), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Configuration);

    let home = Home::new("", "[default]\nregion = eu west 1\n");
    let err = NetworkFirewallClient::load(home.client_config()).await.unwrap_err();
    assert_eq!(setting(&err), Some(Setting::Region), "{err:?}");

    let home = Home::new(CREDS, CONFIG)
        .set("AWS_ACCESS_KEY_ID", "AKIDENV\n")
        .set("AWS_SECRET_ACCESS_KEY", "senv");
    let client = NetworkFirewallClient::load(home.client_config().endpoint_url("http://127.0.0.1:1"))
        .await
        .unwrap();
    let err = client.list_flow_operations(&request()).await.unwrap_err();
    assert_eq!(setting(&err), Some(Setting::AccessKeyId), "{err:?}");
    assert!(!err.to_string().contains("AKIDENV"), "{err}");
    assert_eq!(client.attempts(), 0);

    let home = Home::new(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = abc def-secret\n",
        CONFIG,
    );
    let client = NetworkFirewallClient::load(home.client_config().endpoint_url("http://127.0.0.1:1"))
        .await
        .unwrap();
    let err = client.list_flow_operations(&request()).await.unwrap_err();
    assert_eq!(setting(&err), Some(Setting::SecretAccessKey), "{err:?}");
    assert!(!err.to_string().contains("def-secret"), "{err}");
}

/// A profile that assumes a role through STS, with the source profile's keys.
const ROLE_CONFIG: &str = "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\n\
                           [profile role]\nrole_arn = arn:aws:iam::123456789012:role/paginate-test\nsource_profile = base\n";

/// A client for `home` whose calls time out after a second, and a deadline
/// far beyond it.
fn impatient(home: &Home) -> NetworkFirewallClient {
    NetworkFirewallClient::new(
        home.client_config()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:1")
            .timeout(std::time::Duration::from_secs(1))
            .connect_timeout(std::time::Duration::from_secs(1)),
    )
    .unwrap()
}

const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// An STS that accepts connections and never answers: the credentials fail
/// with the client's read timeout (a configuration error, exit 253).
#[tokio::test]
async fn silent_sts_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    let home = Home::new("", ROLE_CONFIG)
        .set("AWS_PROFILE", "role")
        .set("AWS_ENDPOINT_URL_STS", &url);
    let err = tokio::time::timeout(DEADLINE, impatient(&home).credentials())
        .await
        .expect("the credentials chain gives up on a silent STS")
        .unwrap_err();
    assert!(accepted.load(std::sync::atomic::Ordering::SeqCst) >= 1, "STS was asked");
    assert_eq!(err.kind().aws_cli_exit_code(), 253, "{err}");
    assert!(read_timed_out(&err), "not a read timeout: {err:?}");
}

/// Whether `err` comes from an HTTP read timing out: somewhere in its
/// chain of sources, a connector error of the timeout kind.
fn read_timed_out(err: &(dyn std::error::Error + 'static)) -> bool {
    use aws_smithy_runtime_api::client::result::ConnectorError;
    std::iter::successors(Some(err), |e| e.source()).any(|e| {
        e.downcast_ref::<ConnectorError>()
            .is_some_and(ConnectorError::is_timeout)
    })
}

/// An STS answering an endless body, announced (`Content-Length` of 2 GiB)
/// or not (chunked): the client stops reading at the credentials response
/// cap. The stand-in streams the body and counts what it could write
/// before the client hung up.
#[tokio::test]
async fn huge_sts_answer_is_cut_short() {
    use network_firewall::credentials::MAX_CREDENTIALS_RESPONSE_BYTES;
    const STREAMED: u64 = 256 << 20;
    for announced in [true, false] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            read_request(&mut stream).await.unwrap();
            let head = if announced {
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 2147483648\r\n\r\n"
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ntransfer-encoding: chunked\r\n\r\n"
            };
            stream.write_all(head.as_bytes()).await.unwrap();
            let block = vec![b' '; 64 << 10];
            let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
            chunk.extend_from_slice(&block);
            chunk.extend_from_slice(b"\r\n");
            let piece = if announced { &block } else { &chunk };
            let mut written = 0u64;
            while written < STREAMED {
                if stream.write_all(piece).await.is_err() {
                    break;
                }
                written += block.len() as u64;
            }
            written
        });
        let home = Home::new("", ROLE_CONFIG)
            .set("AWS_PROFILE", "role")
            .set("AWS_ENDPOINT_URL_STS", &url);
        let err = tokio::time::timeout(DEADLINE, impatient(&home).credentials())
            .await
            .expect("the chain ends")
            .unwrap_err();
        assert_eq!(err.kind().aws_cli_exit_code(), 253, "{err}");
        let written = tokio::time::timeout(DEADLINE, server)
            .await
            .expect("the client hung up")
            .unwrap();
        // What the client read, plus the socket buffers.
        assert!(
            written < MAX_CREDENTIALS_RESPONSE_BYTES + (32 << 20),
            "announced {announced}: {written} bytes written before the client hung up"
        );
    }
}

/// Config, credentials and web identity token files that are devices,
/// FIFOs or larger than the cap are refused before anything is read from
/// them, by the credentials and the region chains.
#[tokio::test]
async fn unusable_files_are_refused_before_reading() {
    use network_firewall::credentials::MAX_CONFIG_FILE_BYTES;
    let home = Home::new("", "");
    let fifo = home.dir.path().join("fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let fifo = fifo.display().to_string();
    let big = home.write("big", &"# comment\n".repeat((MAX_CONFIG_FILE_BYTES / 10 + 1) as usize));
    let big = big.display().to_string();
    let token_in_profile = home.write(
        "token-profile",
        &format!("[profile web]\nrole_arn = arn:aws:iam::123456789012:role/web\nweb_identity_token_file = {fifo}\n"),
    );
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("character device", vec![("AWS_CONFIG_FILE", "/dev/zero".into())]),
        ("FIFO", vec![("AWS_SHARED_CREDENTIALS_FILE", fifo.clone())]),
        ("larger than", vec![("AWS_CONFIG_FILE", big.clone())]),
        (
            "character device",
            vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/dev/zero".into()),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web".into()),
            ],
        ),
        (
            "FIFO",
            vec![
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds".into()),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", fifo.clone()),
            ],
        ),
        (
            "FIFO",
            vec![
                ("AWS_CONFIG_FILE", token_in_profile.display().to_string()),
                ("AWS_PROFILE", "web".into()),
            ],
        ),
    ];
    for (says, vars) in cases {
        let mut env = Home::new("", "");
        for (k, v) in &vars {
            env = env.set(k, v);
        }
        let err = tokio::time::timeout(DEADLINE, env.credentials(None))
            .await
            .expect("no hang")
            .unwrap_err();
        assert!(
            matches!(err, CredentialsError::UnusableFile { .. }),
            "{vars:?}: {err:?}"
        );
        assert!(err.to_string().contains(says), "{vars:?}: {err}");
        let err = tokio::time::timeout(DEADLINE, env.region(None, None))
            .await
            .expect("no hang")
            .unwrap_err();
        assert!(err.to_string().contains(says), "{vars:?}: {err}");
        let client = impatient(&env);
        let err = tokio::time::timeout(DEADLINE, client.credentials())
            .await
            .expect("no hang")
            .unwrap_err();
        assert_eq!(err.kind().aws_cli_exit_code(), 253, "{err}");
    }
}
