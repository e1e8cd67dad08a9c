//! A shopper's browser for end-to-end tests: keeps the cookies the shop sets, follows
//! no redirects (tests check them), and fills forms with their CSRF token.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::Page;

pub struct Shopper {
    client: reqwest::Client,
    /// `127.0.0.1:{port}` of the storefront this shopper talks to by default.
    pub address: String,
    cookies: Mutex<BTreeMap<String, String>>,
    /// The form token of the last page seen with one, as a browser's forms hold it.
    form_token: Mutex<Option<String>>,
    /// Whether a post's redirect is followed, as a browser does.
    follows_redirects: bool,
}

impl Shopper {
    pub fn new(address: &str) -> Shopper {
        Shopper::from_client_address(address, std::net::Ipv4Addr::LOCALHOST)
    }

    /// A browser on another machine, as the shop sees it: it connects from `client`
    /// (any 127.x.y.z address reaches the loopback).
    pub fn from_client_address(address: &str, client: std::net::Ipv4Addr) -> Shopper {
        Shopper {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(std::net::IpAddr::V4(client))
                .build()
                .expect("an HTTP client"),
            address: address.to_owned(),
            cookies: Mutex::default(),
            form_token: Mutex::default(),
            follows_redirects: true,
        }
    }

    /// A client that opens only the pages it is told to (a load generator timing
    /// each request): a post's redirect is not followed.
    pub fn staying(self) -> Shopper {
        Shopper {
            follows_redirects: false,
            ..self
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    /// Forgets a cookie, as when it expires.
    pub fn drop_cookie(&self, name: &str) {
        self.cookies.lock().unwrap().remove(name);
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, headers: &reqwest::header::HeaderMap) {
        let mut cookies = self.cookies.lock().unwrap();
        for header in headers.get_all(reqwest::header::SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let removed = text.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
            if removed {
                cookies.remove(name.trim());
            } else {
                cookies.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("http://{}{path}", self.address)
        }
    }

    async fn page(&self, response: reqwest::Response) -> Page {
        self.keep_cookies(response.headers());
        let page = Page::read(response).await;
        if let Some(token) = page.hidden("csrf") {
            *self.form_token.lock().unwrap() = Some(token);
        }
        page
    }

    /// The form token of the last page seen with a form that carries one.
    pub fn form_token(&self) -> Option<String> {
        self.form_token.lock().unwrap().clone()
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(self.url(path))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        self.page(response).await
    }

    /// Posts `fields` as they are, without adding a form token, from this site's page
    /// (the `Origin` a browser sends).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .client
            .post(self.url(path))
            .header("cookie", self.cookie_header())
            .header("origin", format!("http://{}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let answer = self.page(response).await;
        self.land_after(&answer).await;
        answer
    }

    /// Opens the page a post redirected to, as a browser does, so that its forms
    /// (and their token, which a login or logout changes) are the ones posted next.
    /// The post's own answer is what tests check.
    async fn land_after(&self, answer: &Page) {
        let redirected = matches!(answer.status, 302 | 303);
        let location = answer
            .headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default();
        let same_host =
            location.starts_with('/') || location.starts_with(&format!("http://{}/", self.address));
        if self.follows_redirects && redirected && same_host {
            self.get(&answer.location_path()).await;
        }
    }

    /// Sends a signed Redsys payment request to the Spanish site's test bank, as
    /// the payment page's form does.
    pub async fn send_to_test_bank(&self, merchant_parameters: &str, signature: &str) -> Page {
        self.post_raw(
            "/es/test-bank",
            &[
                ("Ds_SignatureVersion", "HMAC_SHA256_V1"),
                ("Ds_MerchantParameters", merchant_parameters),
                ("Ds_Signature", signature),
            ],
        )
        .await
    }

    /// Logs in on the Spanish site, as the login page's form does.
    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        self.get("/es/account/login").await;
        self.post(
            "/es/account/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Posts a form as the shop's pages do: with the form token of the last page
    /// seen (none on pages without one, such as a product page).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.form_token();
        let mut with_token: Vec<(&str, &str)> =
            token.iter().map(|t| ("csrf", t.as_str())).collect();
        with_token.extend_from_slice(fields);
        self.post_raw(path, &with_token).await
    }
}

impl Page {
    /// The value of the first hidden input named `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        comptoir_load::visitor::hidden_input(&self.body, name)
    }

    /// The fields the page's form posting to `action` would send, as a browser sends
    /// them: inputs (checkboxes only when ticked), textareas, and each select's
    /// chosen option.
    pub fn form_fields(&self, action: &str) -> Vec<(String, String)> {
        let marker = format!("action=\"{action}\"");
        let form = self
            .body
            .split("<form")
            .skip(1)
            .find(|form| form.split('>').next().unwrap_or_default().contains(&marker))
            .unwrap_or_else(|| panic!("no form posting to {action}"));
        let form = form.split("</form>").next().unwrap_or_default();
        let mut fields = Vec::new();
        for tag in form.split('<').skip(1) {
            let (head, rest) = tag.split_once('>').unwrap_or((tag, ""));
            let Some(name) = attribute(head, "name") else {
                continue;
            };
            if head.starts_with("input") {
                let checkbox = attribute(head, "type").is_some_and(|t| t == "checkbox");
                if !checkbox || head.contains(" checked") {
                    fields.push((name, attribute(head, "value").unwrap_or_default()));
                }
            } else if head.starts_with("textarea") {
                fields.push((name, unescape(rest)));
            } else if head.starts_with("select") {
                let options = form
                    .split(&format!("name=\"{name}\""))
                    .nth(1)
                    .unwrap_or_default();
                let options = options.split("</select>").next().unwrap_or_default();
                let heads: Vec<&str> = options
                    .split("<option")
                    .skip(1)
                    .map(|option| option.split('>').next().unwrap_or_default())
                    .collect();
                let chosen: Vec<&str> = heads
                    .iter()
                    .copied()
                    .filter(|head| head.contains(" selected"))
                    .collect();
                let chosen = match (chosen.is_empty(), head.contains(" multiple")) {
                    // A single select with nothing marked sends its first option.
                    (true, false) => heads.into_iter().take(1).collect(),
                    _ => chosen,
                };
                for option in chosen {
                    fields.push((name.clone(), attribute(option, "value").unwrap_or_default()));
                }
            }
        }
        fields
    }

    /// The path of the `Location` header, whatever the host.
    pub fn location_path(&self) -> String {
        let location = self.location();
        match location.split_once("://") {
            Some((_, rest)) => rest
                .find('/')
                .map_or("/".to_owned(), |at| rest[at..].to_owned()),
            None => location.to_owned(),
        }
    }
}

/// An attribute's value in a tag's head (`name="value"`), unescaped.
fn attribute(head: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = head.find(&marker)? + marker.len();
    let end = head[start..].find('"')? + start;
    Some(unescape(&head[start..end]))
}

pub(crate) use comptoir_load::visitor::unescape;
