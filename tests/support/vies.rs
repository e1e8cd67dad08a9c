//! A stand-in for the EU's VIES service (`check-vat-number`): it confirms the VAT
//! numbers it is given, says no to others, and answers as a member state's service
//! that is down for the numbers it is told.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

#[derive(Default)]
struct Register {
    registered: Vec<(String, String)>,
    down: Vec<String>,
    asked: Vec<(String, String)>,
}

pub struct StandInVies {
    /// Its `check-vat-number` address.
    pub url: String,
    register: Arc<Mutex<Register>>,
}

impl StandInVies {
    /// VIES knowing `registered` (country, number), its member state down for the
    /// `down` numbers.
    pub async fn start(registered: &[(&str, &str)], down: &[&str]) -> StandInVies {
        let register = Arc::new(Mutex::new(Register {
            registered: registered
                .iter()
                .map(|(c, n)| ((*c).to_owned(), (*n).to_owned()))
                .collect(),
            down: down.iter().map(|c| (*c).to_owned()).collect(),
            asked: Vec::new(),
        }));
        let app = axum::Router::new()
            .route("/check-vat-number", axum::routing::post(check))
            .with_state(register.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let address = listener.local_addr().expect("bound");
        tokio::spawn(async move { axum::serve(listener, app).await });
        StandInVies {
            url: format!("http://{address}/check-vat-number"),
            register,
        }
    }

    /// The (country, number) pairs it was asked about.
    pub fn asked(&self) -> Vec<(String, String)> {
        self.register.lock().expect("register").asked.clone()
    }
}

async fn check(
    State(register): State<Arc<Mutex<Register>>>,
    Json(question): Json<Value>,
) -> Json<Value> {
    let country = question["countryCode"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let number = question["vatNumber"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut register = register.lock().expect("register");
    register.asked.push((country.clone(), number.clone()));
    if register.down.contains(&number) {
        return Json(json!({
            "actionSucceed": false,
            "errorWrappers": [{ "error": "MS_UNAVAILABLE" }]
        }));
    }
    let valid = register
        .registered
        .contains(&(country.clone(), number.clone()));
    Json(json!({
        "countryCode": country,
        "vatNumber": number,
        "requestDate": "2027-01-04T10:15:02.000Z",
        "valid": valid,
        "requestIdentifier": if valid { "WAPIAAAAZ1X2Y3" } else { "" },
        "name": if valid { "FESTE SRL" } else { "---" },
        "address": if valid { "CORSO COMO 2, 20154 MILANO MI" } else { "---" }
    }))
}
