//! A headless Chromium driven through chromedriver's W3C WebDriver API, for browser
//! tests. Without chromedriver the test says so loudly and passes as skipped, unless
//! `COMPTOIR_REQUIRE_BROWSER=1` (as in CI).

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    client: reqwest::Client,
    /// `http://127.0.0.1:{port}/session/{id}`
    session: String,
}

impl Drop for Browser {
    /// Ends the browser whether the test passed or panicked: chromedriver is asked
    /// to close its session (which quits Chromium), then chromedriver and anything
    /// left in its process group (Chromium's helpers) are killed.
    fn drop(&mut self) {
        let _ = close_session(&self.session);
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// `DELETE` of a WebDriver session, over a plain blocking connection: it runs in
/// `Drop`, maybe while a panic unwinds, where no async runtime can be used.
fn close_session(session: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let Some((host, path)) = session
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
    else {
        return Ok(());
    };
    let mut stream = std::net::TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // Waits for the answer: the browser has quit once chromedriver replies.
    let _ = stream.read_to_end(&mut Vec::new());
    Ok(())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `None` (skipped) without them.
    pub async fn start() -> Option<Browser> {
        let required = std::env::var("COMPTOIR_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        let port = free_port();
        // In a process group of its own, so that Chromium's processes can be ended
        // with it.
        let driver = match Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(driver) => driver,
            Err(error) if required => {
                panic!(
                    "a browser is required (COMPTOIR_REQUIRE_BROWSER=1) but chromedriver is missing: {error}"
                )
            }
            Err(error) => {
                eprintln!("\n*** SKIPPED: browser test, no chromedriver ({error}). ***\n");
                return None;
            }
        };
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-background-networking", "--disable-dev-shm-usage",
                         "--window-size=1280,900"],
            },
        }}});
        let mut browser = Browser {
            driver,
            client,
            session: String::new(),
        };
        for _ in 0..50 {
            let created = browser
                .client
                .post(format!("{base}/session"))
                .json(&capabilities)
                .send()
                .await;
            if let Ok(response) = created {
                let body: Value = response.json().await.expect("WebDriver answers JSON");
                let id = body["value"]["sessionId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("no browser session: {body}"));
                browser.session = format!("{base}/session/{id}");
                return Some(browser);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start on port {port}");
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.session));
        if !body.is_null() {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"));
        let value: Value = response.json().await.expect("WebDriver answers JSON");
        value["value"].clone()
    }

    pub async fn go(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", json!({ "url": url }))
            .await;
    }

    /// The first element matching `css`, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> String {
        for _ in 0..100 {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    json!({"using": "css selector", "value": css}),
                )
                .await;
            if let Some(id) = found[ELEMENT].as_str() {
                return id.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let page = self
            .call(reqwest::Method::GET, "/source", Value::Null)
            .await;
        panic!("no element '{css}' on {}: {page}", self.url().await);
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            json!({}),
        )
        .await;
    }

    /// Replaces the text of the input matching `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            json!({}),
        )
        .await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// The rendered text of the element matching `css` (browsers give non-breaking
    /// spaces as plain ones).
    pub async fn text(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/text"),
            Value::Null,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits up to 10 s for the page's address to contain `part`.
    pub async fn wait_for_url(&self, part: &str) -> String {
        for _ in 0..100 {
            let url = self.url().await;
            if url.contains(part) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the browser never reached '{part}' (at {})",
            self.url().await
        );
    }

    /// Sizes the window so that the page's viewport is `width` × `height`.
    pub async fn viewport(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            json!({ "width": width, "height": height }),
        )
        .await;
        // The window's frame, if any, is added so that the viewport has the size.
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];")
            .await;
        let (Some(inner_width), Some(inner_height)) = (inner[0].as_u64(), inner[1].as_u64()) else {
            return;
        };
        let frame = |outer: u32, inner: u64| outer + outer.saturating_sub(inner as u32);
        if inner_width != u64::from(width) || inner_height != u64::from(height) {
            self.call(
                reqwest::Method::POST,
                "/window/rect",
                json!({ "width": frame(width, inner_width), "height": frame(height, inner_height) }),
            )
            .await;
        }
    }

    /// Runs `body` (a function body, which may `return` a value) in the page.
    pub async fn script(&self, body: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            json!({ "script": body, "args": [] }),
        )
        .await
    }

    /// Saves a screenshot of the viewport as `{name}.png` in the system's temporary
    /// folder, under `comptoir-screenshots/`, to be looked at; returns its path.
    pub async fn screenshot(&self, name: &str) -> std::path::PathBuf {
        use base64::Engine as _;
        let encoded = self
            .call(reqwest::Method::GET, "/screenshot", Value::Null)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .expect("WebDriver sends a base64 PNG");
        let folder = std::env::temp_dir().join("comptoir-screenshots");
        std::fs::create_dir_all(&folder).expect("the screenshot folder");
        let path = folder.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("the screenshot is written");
        path
    }

    /// Runs `body` (a function body) in the page and waits for it to call its last
    /// argument, `done`, with the answer.
    pub async fn script_async(&self, body: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            json!({ "script": body, "args": [] }),
        )
        .await
    }

    /// The serious and critical accessibility violations axe-core finds in the
    /// page, as `rule: help (first elements)`; `None` when axe-core is not installed
    /// (`npm ci --prefix tests/a11y`), unless `COMPTOIR_REQUIRE_A11Y=1` (as in CI).
    pub async fn accessibility_violations(&self) -> Option<Vec<String>> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/a11y/node_modules/axe-core/axe.min.js"
        );
        let axe = match std::fs::read_to_string(path) {
            Ok(axe) => axe,
            Err(error) if std::env::var("COMPTOIR_REQUIRE_A11Y").is_ok_and(|v| v == "1") => {
                panic!(
                    "axe-core is required (COMPTOIR_REQUIRE_A11Y=1) but missing at {path}: {error}"
                )
            }
            Err(_) => {
                eprintln!(
                    "\n*** SKIPPED: accessibility check, no axe-core (npm ci --prefix tests/a11y). ***\n"
                );
                return None;
            }
        };
        self.script(&axe).await;
        let found = self
            .script_async(
                r#"var done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ["violations"] }).then(function (results) {
                  done(results.violations
                    .filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
                    .map(function (v) {
                      return v.id + ": " + v.help + " (" + v.nodes.slice(0, 3).map(function (n) {
                        return n.target.join(" ");
                      }).join(", ") + ")";
                    }));
                });"#,
            )
            .await;
        Some(
            found
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        )
    }
}
