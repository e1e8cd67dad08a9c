//! A stand-in for AEAT's VERI*FACTU service, over TLS that demands a client
//! certificate of its own authority. It checks each message against the rules of
//! AEAT's schemas (elements, their order and count, value formats) and recomputes
//! each record's footprint; a message that breaks them gets AEAT's SOAP fault 4102.
//! Otherwise it answers as AEAT does: a line per record, accepted, rejected as told,
//! or a duplicate (error 3000) of a record it holds already, with the wait time it
//! is told; or HTTP 503 while told it is down.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use comptoir_verifactu::{INFORMATION_NAMESPACE, LR_NAMESPACE, SOAP_NAMESPACE};
use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use sha2::{Digest, Sha256};

/// The company's certificate the stand-in knows, as a PKCS#12 file.
pub const CERTIFICATE_PASSWORD: &str = "certificado-de-pruebas";

/// How the stand-in behaves from now on.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// Messages answered with HTTP 503 before it is back.
    pub unavailable: u32,
    /// Messages whose records it registers but whose answer is lost (HTTP 503).
    pub answers_lost: u32,
    /// Records (by invoice number) it rejects, with AEAT's code and text.
    pub reject: HashMap<String, (String, String)>,
    /// `TiempoEsperaEnvio` of its answers.
    pub wait_seconds: u32,
}

impl Script {
    /// AEAT rejecting the record of invoice `number` with `code` and `text`.
    pub fn rejecting(number: &str, code: &str, text: &str) -> Script {
        Script {
            reject: [(number.to_owned(), (code.to_owned(), text.to_owned()))].into(),
            ..Script::default()
        }
    }
}

/// A message the stand-in took, as it read it.
#[derive(Debug, Clone)]
pub struct Received {
    pub envelope: String,
    /// `Incidencia` of its header.
    pub incident: bool,
    /// Each record's type (`Alta`, `Anulacion`) and invoice number, in order.
    pub records: Vec<(String, String)>,
}

#[derive(Default)]
struct Books {
    script: Script,
    received: Vec<Received>,
    /// What it registered: (operation, number, footprint).
    registered: Vec<(String, String, String)>,
    /// Requests of any kind (a client without certificate never gets this far).
    requests: u32,
}

pub struct StandInAeat {
    pub url: String,
    /// The authority that signed its server certificate, for the client to trust.
    pub authority: reqwest::Certificate,
    /// The company's certificate, signed by its authority.
    pub company_pkcs12: Vec<u8>,
    books: Arc<Mutex<Books>>,
}

impl StandInAeat {
    pub async fn start(script: Script) -> StandInAeat {
        let authority_key = rcgen::KeyPair::generate().expect("a key");
        let mut authority_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
        authority_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        authority_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "AC de pruebas");
        let authority = authority_params
            .self_signed(&authority_key)
            .expect("the authority");
        let issuer = rcgen::Issuer::new(authority_params, authority_key);

        let server_key = rcgen::KeyPair::generate().expect("a key");
        let server_params =
            rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("parameters");
        let server = server_params
            .signed_by(&server_key, &issuer)
            .expect("the server's certificate");

        let company_key = rcgen::KeyPair::generate().expect("a key");
        let mut company_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
        company_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "89890001K EMPRESA DE PRUEBAS");
        let company = company_params
            .signed_by(&company_key, &issuer)
            .expect("the company's certificate");
        let mut keystore = KeyStore::new();
        keystore.add_entry(
            "empresa",
            KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(
                vec![1u8; 20],
                PrivateKey::from_der(&company_key.serialize_der()).expect("the key"),
                [
                    Certificate::from_der(company.der()).expect("the certificate"),
                    Certificate::from_der(authority.der()).expect("the authority"),
                ],
            )),
        );
        let company_pkcs12 = keystore
            .writer(CERTIFICATE_PASSWORD)
            .write()
            .expect("a PKCS#12 file");

        let mut roots = rustls::RootCertStore::empty();
        roots.add(authority.der().clone()).expect("the authority");
        let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
            .build()
            .expect("a client verifier");
        let tls = rustls::ServerConfig::builder()
            .with_client_cert_verifier(verifier)
            .with_single_cert(
                vec![server.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
            )
            .expect("the server's TLS");
        let listener = TlsListener {
            tcp: tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a port"),
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(tls)),
        };
        let address = listener.tcp.local_addr().expect("bound");
        let books = Arc::new(Mutex::new(Books {
            script,
            ..Books::default()
        }));
        let app = axum::Router::new()
            .route(
                "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
                axum::routing::post(answer),
            )
            .with_state(books.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        StandInAeat {
            url: format!("https://{address}/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"),
            authority: reqwest::Certificate::from_der(authority.der()).expect("the authority"),
            company_pkcs12,
            books,
        }
    }

    /// A client as the back office makes one, with the company's certificate.
    pub fn client(&self) -> comptoir_verifactu::AeatClient {
        let identity = comptoir_verifactu::identity(&self.company_pkcs12, CERTIFICATE_PASSWORD)
            .expect("the company's certificate opens");
        comptoir_verifactu::AeatClient::new(&self.url, identity, Some(self.authority.clone()))
            .expect("a client")
    }

    /// A sender of `store`'s records to this stand-in, as the back office runs one.
    pub fn sender(
        &self,
        store: Arc<dyn comptoir_store::VerifactuStore>,
    ) -> comptoir_verifactu::Sender {
        comptoir_verifactu::Sender::new(
            store,
            self.client(),
            comptoir_verifactu::Software {
                installation: "1".to_owned(),
            },
        )
    }

    pub fn set_script(&self, script: Script) {
        self.books.lock().expect("books").script = script;
    }

    pub fn received(&self) -> Vec<Received> {
        self.books.lock().expect("books").received.clone()
    }

    pub fn requests(&self) -> u32 {
        self.books.lock().expect("books").requests
    }
}

/// TLS over TCP, handshakes that fail (no client certificate) dropped.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, address)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

async fn answer(
    State(books): State<Arc<Mutex<Books>>>,
    body: String,
) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    let xml = [("content-type", "text/xml; charset=utf-8")];
    let mut books = books.lock().expect("books");
    books.requests += 1;
    if books.script.unavailable > 0 {
        books.script.unavailable -= 1;
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            xml,
            "Service Unavailable".into(),
        );
    }
    let message = match Element::parse(&body).and_then(|root| check_envelope(&root)) {
        Ok(message) => message,
        Err(problem) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                xml,
                fault(&format!(
                    "Codigo[4102].El XML no cumple el esquema. {problem}"
                )),
            );
        }
    };
    books.received.push(Received {
        envelope: body,
        incident: message.incident,
        records: message
            .records
            .iter()
            .map(|r| (r.operation.clone(), r.number.clone()))
            .collect(),
    });
    let mut lines = String::new();
    let mut rejected = 0;
    for record in &message.records {
        let duplicate = books
            .registered
            .iter()
            .any(|(operation, number, footprint)| {
                operation == &record.operation
                    && number == &record.number
                    && footprint == &record.footprint
            });
        let verdict = if duplicate {
            Some((
                "3000".to_owned(),
                "Registro de facturación duplicado.".to_owned(),
            ))
        } else {
            books.script.reject.get(&record.number).cloned()
        };
        lines.push_str(&format!(
            "<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>{}</tik:IDEmisorFactura>\
             <tik:NumSerieFactura>{}</tik:NumSerieFactura><tik:FechaExpedicionFactura>{}\
             </tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>{}\
             </tik:TipoOperacion></tikR:Operacion>",
            record.issuer, record.number, record.issued_on, record.operation
        ));
        match verdict {
            None => {
                books.registered.push((
                    record.operation.clone(),
                    record.number.clone(),
                    record.footprint.clone(),
                ));
                lines.push_str("<tikR:EstadoRegistro>Correcto</tikR:EstadoRegistro>");
            }
            Some((code, text)) => {
                rejected += 1;
                lines.push_str(&format!(
                    "<tikR:EstadoRegistro>Incorrecto</tikR:EstadoRegistro>\
                     <tikR:CodigoErrorRegistro>{code}</tikR:CodigoErrorRegistro>\
                     <tikR:DescripcionErrorRegistro>{}</tikR:DescripcionErrorRegistro>",
                    quick_xml::escape::escape(&text)
                ));
                if duplicate {
                    lines.push_str(
                        "<tikR:RegistroDuplicado><tik:IdPeticionRegistroDuplicado>1\
                         </tik:IdPeticionRegistroDuplicado><tik:EstadoRegistroDuplicado>Correcta\
                         </tik:EstadoRegistroDuplicado></tikR:RegistroDuplicado>",
                    );
                }
            }
        }
        lines.push_str("</tikR:RespuestaLinea>");
    }
    if books.script.answers_lost > 0 {
        books.script.answers_lost -= 1;
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            xml,
            "Service Unavailable".into(),
        );
    }
    let status = match rejected {
        0 => "Correcto",
        n if n == message.records.len() => "Incorrecto",
        _ => "ParcialmenteCorrecto",
    };
    let reply = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope xmlns:env=\"{SOAP_NAMESPACE}\">\
         <env:Body><tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR=\"https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd\" \
         xmlns:tik=\"{INFORMATION_NAMESPACE}\"><tikR:CSV>A-PRUEBAS</tikR:CSV><tikR:Cabecera>\
         <tik:ObligadoEmision><tik:NombreRazon>{}</tik:NombreRazon><tik:NIF>{}</tik:NIF>\
         </tik:ObligadoEmision></tikR:Cabecera><tikR:TiempoEsperaEnvio>{}</tikR:TiempoEsperaEnvio>\
         <tikR:EstadoEnvio>{status}</tikR:EstadoEnvio>{lines}\
         </tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>",
        quick_xml::escape::escape(&message.company_name),
        message.company_tax_id,
        books.script.wait_seconds
    );
    (StatusCode::OK, xml, reply)
}

fn fault(text: &str) -> String {
    format!(
        "<env:Envelope xmlns:env=\"{SOAP_NAMESPACE}\"><env:Body><env:Fault>\
         <faultcode>env:Client</faultcode><faultstring>{}</faultstring></env:Fault></env:Body>\
         </env:Envelope>",
        quick_xml::escape::escape(text)
    )
}

/// An XML element with its namespace, text and children.
#[derive(Debug, Clone)]
struct Element {
    namespace: String,
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn parse(xml: &str) -> Result<Element, String> {
        let mut reader = NsReader::from_str(xml);
        let mut stack: Vec<Element> = Vec::new();
        loop {
            let (resolved, event) = reader
                .read_resolved_event()
                .map_err(|e| format!("not XML: {e}"))?;
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(start) | Event::Empty(start) => {
                    let namespace = match resolved {
                        ResolveResult::Bound(ns) => ns.as_ref().to_owned(),
                        _ => String::new(),
                    };
                    let element = Element {
                        namespace,
                        name: start.local_name().as_ref().to_owned(),
                        text: String::new(),
                        children: Vec::new(),
                    };
                    if empty {
                        match stack.last_mut() {
                            Some(parent) => parent.children.push(element),
                            None => return Ok(element),
                        }
                    } else {
                        stack.push(element);
                    }
                }
                Event::Text(text) => {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&text.xml10_content());
                    }
                }
                Event::GeneralRef(reference) => {
                    let entity = reference.xml10_content();
                    let c = match entity.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        _ => reference
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .ok_or(format!("unknown entity {entity}"))?,
                    };
                    if let Some(open) = stack.last_mut() {
                        open.text.push(c);
                    }
                }
                Event::End(_) => {
                    let done = stack.pop().ok_or("an unmatched end tag")?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Eof => return Err("the document ends early".into()),
                _ => {}
            }
        }
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// A record as the stand-in registers it.
struct SentRecord {
    operation: String,
    issuer: String,
    number: String,
    issued_on: String,
    footprint: String,
}

struct SentMessage {
    company_name: String,
    company_tax_id: String,
    incident: bool,
    records: Vec<SentRecord>,
}

/// How often an element may come: at least, at most.
type Occurs = (usize, usize);
const ONE: Occurs = (1, 1);
const OPTIONAL: Occurs = (0, 1);

/// Checks `element`'s children follow `sequence` (each name its count, in order),
/// each in `namespace`; a choice is written `A|B`.
fn sequence(element: &Element, sequence: &[(&str, Occurs)]) -> Result<(), String> {
    let mut children = element.children.iter().peekable();
    for (names, (least, most)) in sequence {
        let mut count = 0;
        while let Some(child) = children.peek() {
            if !names.split('|').any(|name| name == child.name) {
                break;
            }
            if child.namespace != INFORMATION_NAMESPACE && child.namespace != LR_NAMESPACE {
                return Err(format!("{} is in no AEAT namespace", child.name));
            }
            count += 1;
            children.next();
        }
        if count < *least || count > *most {
            return Err(format!(
                "{}: {names} comes {count} times, not {least} to {most}",
                element.name
            ));
        }
    }
    match children.next() {
        Some(extra) => Err(format!("{}: {} is out of place", element.name, extra.name)),
        None => Ok(()),
    }
}

fn pattern(name: &str, value: &str, valid: bool) -> Result<(), String> {
    if valid {
        Ok(())
    } else {
        Err(format!("{name} '{value}' has not its form"))
    }
}

fn date(name: &str, value: &str) -> Result<(), String> {
    pattern(
        name,
        value,
        chrono::NaiveDate::parse_from_str(value, "%d-%m-%Y").is_ok() && value.len() == 10,
    )
}

/// `ImporteSgn12.2Type`: `(\+|-)?\d{1,12}(\.\d{0,2})?`.
fn amount(name: &str, value: &str) -> Result<(), String> {
    let digits = value.trim_start_matches(['+', '-']);
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, ""));
    pattern(
        name,
        value,
        (1..=12).contains(&whole.len())
            && whole.bytes().all(|b| b.is_ascii_digit())
            && cents.len() <= 2
            && cents.bytes().all(|b| b.is_ascii_digit()),
    )
}

fn one_of(name: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    pattern(name, value, allowed.contains(&value))
}

fn text(name: &str, value: &str, most: usize) -> Result<(), String> {
    pattern(name, value, value.chars().count() <= most)
}

fn nif(name: &str, value: &str) -> Result<(), String> {
    pattern(name, value, value.chars().count() == 9)
}

fn check_envelope(envelope: &Element) -> Result<SentMessage, String> {
    if envelope.name != "Envelope" || envelope.namespace != SOAP_NAMESPACE {
        return Err("not a SOAP 1.1 envelope".into());
    }
    let body = envelope.child("Body").ok_or("no Body")?;
    let request = body
        .child("RegFactuSistemaFacturacion")
        .filter(|r| r.namespace == LR_NAMESPACE)
        .ok_or("no RegFactuSistemaFacturacion of SuministroLR.xsd")?;
    sequence(
        request,
        &[("Cabecera", ONE), ("RegistroFactura", (1, 1000))],
    )?;
    let header = request.child("Cabecera").ok_or("no Cabecera")?;
    sequence(
        header,
        &[
            ("ObligadoEmision", ONE),
            ("Representante", OPTIONAL),
            ("RemisionVoluntaria", OPTIONAL),
            ("RemisionRequerimiento", OPTIONAL),
        ],
    )?;
    let company = header
        .child("ObligadoEmision")
        .ok_or("no ObligadoEmision")?;
    sequence(company, &[("NombreRazon", ONE), ("NIF", ONE)])?;
    let company_name = company.value("NombreRazon").unwrap_or_default().to_owned();
    text("NombreRazon", &company_name, 120)?;
    let company_tax_id = company.value("NIF").unwrap_or_default().to_owned();
    nif("NIF", &company_tax_id)?;
    let incident = match header.child("RemisionVoluntaria") {
        Some(voluntary) => {
            sequence(
                voluntary,
                &[("FechaFinVeriFactu", OPTIONAL), ("Incidencia", OPTIONAL)],
            )?;
            let incident = voluntary.value("Incidencia").unwrap_or("N");
            one_of("Incidencia", incident, &["S", "N"])?;
            incident == "S"
        }
        None => false,
    };
    let mut records = Vec::new();
    for wrapper in request
        .children
        .iter()
        .filter(|c| c.name == "RegistroFactura")
    {
        sequence(wrapper, &[("RegistroAlta|RegistroAnulacion", ONE)])?;
        let record = &wrapper.children[0];
        records.push(match record.name.as_str() {
            "RegistroAlta" => check_registration(record)?,
            _ => check_annulment(record)?,
        });
    }
    if records.iter().any(|r| r.issuer != company_tax_id) {
        return Err("a record of another company than ObligadoEmision".into());
    }
    Ok(SentMessage {
        company_name,
        company_tax_id,
        incident,
        records,
    })
}

const ID_INVOICE: &[(&str, Occurs)] = &[
    ("IDEmisorFactura", ONE),
    ("NumSerieFactura", ONE),
    ("FechaExpedicionFactura", ONE),
];

fn check_invoice_id(id: &Element, suffix: &str) -> Result<(String, String, String), String> {
    let names: Vec<String> = ID_INVOICE
        .iter()
        .map(|(name, _)| format!("{name}{suffix}"))
        .collect();
    sequence(
        id,
        &[
            (names[0].as_str(), ONE),
            (names[1].as_str(), ONE),
            (names[2].as_str(), ONE),
        ],
    )?;
    let issuer = id.value(&names[0]).unwrap_or_default().to_owned();
    nif(&names[0], &issuer)?;
    let number = id.value(&names[1]).unwrap_or_default().to_owned();
    pattern(
        &names[1],
        &number,
        (1..=60).contains(&number.chars().count()),
    )?;
    let on = id.value(&names[2]).unwrap_or_default().to_owned();
    date(&names[2], &on)?;
    Ok((issuer, number, on))
}

/// What ends a record of either kind: its link, the software, its time and its
/// footprint.
fn check_tail(record: &Element) -> Result<(), String> {
    let link = record.child("Encadenamiento").ok_or("no Encadenamiento")?;
    sequence(link, &[("PrimerRegistro|RegistroAnterior", ONE)])?;
    if let Some(previous) = link.child("RegistroAnterior") {
        sequence(
            previous,
            &[
                ("IDEmisorFactura", ONE),
                ("NumSerieFactura", ONE),
                ("FechaExpedicionFactura", ONE),
                ("Huella", ONE),
            ],
        )?;
        check_footprint_form(previous.value("Huella").unwrap_or_default())?;
    } else {
        one_of(
            "PrimerRegistro",
            link.value("PrimerRegistro").unwrap_or_default(),
            &["S"],
        )?;
    }
    let software = record
        .child("SistemaInformatico")
        .ok_or("no SistemaInformatico")?;
    sequence(
        software,
        &[
            ("NombreRazon", ONE),
            ("NIF|IDOtro", ONE),
            ("NombreSistemaInformatico", ONE),
            ("IdSistemaInformatico", ONE),
            ("Version", ONE),
            ("NumeroInstalacion", ONE),
            ("TipoUsoPosibleSoloVerifactu", ONE),
            ("TipoUsoPosibleMultiOT", ONE),
            ("IndicadorMultiplesOT", ONE),
        ],
    )?;
    for (name, most) in [
        ("NombreSistemaInformatico", 30),
        ("IdSistemaInformatico", 2),
        ("Version", 50),
        ("NumeroInstalacion", 100),
    ] {
        text(name, software.value(name).unwrap_or_default(), most)?;
    }
    let at = record.value("FechaHoraHusoGenRegistro").unwrap_or_default();
    pattern(
        "FechaHoraHusoGenRegistro",
        at,
        chrono::DateTime::parse_from_rfc3339(at).is_ok(),
    )?;
    one_of(
        "TipoHuella",
        record.value("TipoHuella").unwrap_or_default(),
        &["01"],
    )?;
    check_footprint_form(record.value("Huella").unwrap_or_default())
}

fn check_footprint_form(footprint: &str) -> Result<(), String> {
    pattern(
        "Huella",
        footprint,
        footprint.len() == 64 && footprint.bytes().all(|b| b.is_ascii_hexdigit()),
    )
}

/// The footprint of `fields` as AEAT computes it.
fn footprint(fields: &[(&str, &str)]) -> String {
    let text = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", value.trim()))
        .collect::<Vec<_>>()
        .join("&");
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect()
}

fn previous_footprint(record: &Element) -> &str {
    record
        .child("Encadenamiento")
        .and_then(|link| link.child("RegistroAnterior"))
        .and_then(|previous| previous.value("Huella"))
        .unwrap_or_default()
}

fn check_registration(record: &Element) -> Result<SentRecord, String> {
    sequence(
        record,
        &[
            ("IDVersion", ONE),
            ("IDFactura", ONE),
            ("RefExterna", OPTIONAL),
            ("NombreRazonEmisor", ONE),
            ("Subsanacion", OPTIONAL),
            ("RechazoPrevio", OPTIONAL),
            ("TipoFactura", ONE),
            ("TipoRectificativa", OPTIONAL),
            ("FacturasRectificadas", OPTIONAL),
            ("FacturasSustituidas", OPTIONAL),
            ("ImporteRectificacion", OPTIONAL),
            ("FechaOperacion", OPTIONAL),
            ("DescripcionOperacion", ONE),
            ("FacturaSimplificadaArt7273", OPTIONAL),
            ("FacturaSinIdentifDestinatarioArt61d", OPTIONAL),
            ("Macrodato", OPTIONAL),
            ("EmitidaPorTerceroODestinatario", OPTIONAL),
            ("Tercero", OPTIONAL),
            ("Destinatarios", OPTIONAL),
            ("Cupon", OPTIONAL),
            ("Desglose", ONE),
            ("CuotaTotal", ONE),
            ("ImporteTotal", ONE),
            ("Encadenamiento", ONE),
            ("SistemaInformatico", ONE),
            ("FechaHoraHusoGenRegistro", ONE),
            ("NumRegistroAcuerdoFacturacion", OPTIONAL),
            ("IdAcuerdoSistemaInformatico", OPTIONAL),
            ("TipoHuella", ONE),
            ("Huella", ONE),
        ],
    )?;
    one_of(
        "IDVersion",
        record.value("IDVersion").unwrap_or_default(),
        &["1.0"],
    )?;
    let (issuer, number, issued_on) =
        check_invoice_id(record.child("IDFactura").ok_or("no IDFactura")?, "")?;
    text(
        "NombreRazonEmisor",
        record.value("NombreRazonEmisor").unwrap_or_default(),
        120,
    )?;
    let correction = record.value("Subsanacion").unwrap_or("N");
    one_of("Subsanacion", correction, &["S", "N"])?;
    if let Some(rejected) = record.value("RechazoPrevio") {
        one_of("RechazoPrevio", rejected, &["S", "N", "X"])?;
        if rejected != "N" && correction != "S" {
            return Err("RechazoPrevio S or X without Subsanacion S".into());
        }
    }
    let kind = record.value("TipoFactura").unwrap_or_default();
    one_of(
        "TipoFactura",
        kind,
        &["F1", "F2", "F3", "R1", "R2", "R3", "R4", "R5"],
    )?;
    let rectifying = kind.starts_with('R');
    if rectifying != record.child("TipoRectificativa").is_some() {
        return Err(format!("TipoFactura {kind} and TipoRectificativa disagree"));
    }
    if let Some(how) = record.value("TipoRectificativa") {
        one_of("TipoRectificativa", how, &["S", "I"])?;
    }
    for (group, item, allowed) in [
        ("FacturasRectificadas", "IDFacturaRectificada", rectifying),
        ("FacturasSustituidas", "IDFacturaSustituida", kind == "F3"),
    ] {
        if let Some(list) = record.child(group) {
            if !allowed {
                return Err(format!("{group} on a {kind}"));
            }
            sequence(list, &[(item, (1, 1000))])?;
            for id in &list.children {
                check_invoice_id(id, "")?;
            }
        }
    }
    text(
        "DescripcionOperacion",
        record.value("DescripcionOperacion").unwrap_or_default(),
        500,
    )?;
    let recipients = record.child("Destinatarios");
    let unnamed = record.value("FacturaSinIdentifDestinatarioArt61d") == Some("S");
    if matches!(kind, "F2" | "R5") && (recipients.is_some() || unnamed) {
        return Err(format!("a {kind} names no recipient"));
    }
    if !matches!(kind, "F2" | "R5") && recipients.is_none() && !unnamed {
        return Err(format!("a {kind} names its recipient"));
    }
    if let Some(recipients) = recipients {
        sequence(recipients, &[("IDDestinatario", (1, 1000))])?;
        for recipient in &recipients.children {
            sequence(recipient, &[("NombreRazon", ONE), ("NIF|IDOtro", ONE)])?;
            if let Some(nif_value) = recipient.value("NIF") {
                nif("NIF", nif_value)?;
            }
            if let Some(other) = recipient.child("IDOtro") {
                sequence(
                    other,
                    &[("CodigoPais", OPTIONAL), ("IDType", ONE), ("ID", ONE)],
                )?;
                one_of(
                    "IDType",
                    other.value("IDType").unwrap_or_default(),
                    &["02", "03", "04", "05", "06", "07"],
                )?;
                text("ID", other.value("ID").unwrap_or_default(), 20)?;
            }
        }
    }
    let breakdown = record.child("Desglose").ok_or("no Desglose")?;
    sequence(breakdown, &[("DetalleDesglose", (1, 12))])?;
    for detail in &breakdown.children {
        sequence(
            detail,
            &[
                ("Impuesto", OPTIONAL),
                ("ClaveRegimen", OPTIONAL),
                ("CalificacionOperacion|OperacionExenta", ONE),
                ("TipoImpositivo", OPTIONAL),
                ("BaseImponibleOimporteNoSujeto", ONE),
                ("BaseImponibleACoste", OPTIONAL),
                ("CuotaRepercutida", OPTIONAL),
                ("TipoRecargoEquivalencia", OPTIONAL),
                ("CuotaRecargoEquivalencia", OPTIONAL),
            ],
        )?;
        one_of(
            "ClaveRegimen",
            detail.value("ClaveRegimen").unwrap_or("01"),
            &[
                "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "14", "15", "17",
                "18", "19", "20",
            ],
        )?;
        if let Some(class) = detail.value("CalificacionOperacion") {
            one_of("CalificacionOperacion", class, &["S1", "S2", "N1", "N2"])?;
            if class.starts_with('S') && detail.child("CuotaRepercutida").is_none() {
                return Err("a subject operation without CuotaRepercutida".into());
            }
        }
        if let Some(exempt) = detail.value("OperacionExenta") {
            one_of(
                "OperacionExenta",
                exempt,
                &["E1", "E2", "E3", "E4", "E5", "E6"],
            )?;
        }
        if let Some(rate) = detail.value("TipoImpositivo") {
            let (whole, fraction) = rate.split_once('.').unwrap_or((rate, ""));
            pattern(
                "TipoImpositivo",
                rate,
                (1..=3).contains(&whole.len())
                    && fraction.len() <= 2
                    && whole
                        .bytes()
                        .chain(fraction.bytes())
                        .all(|b| b.is_ascii_digit()),
            )?;
        }
        for name in ["BaseImponibleOimporteNoSujeto", "CuotaRepercutida"] {
            if let Some(value) = detail.value(name) {
                amount(name, value)?;
            }
        }
    }
    let vat_total = record.value("CuotaTotal").unwrap_or_default();
    amount("CuotaTotal", vat_total)?;
    let total = record.value("ImporteTotal").unwrap_or_default();
    amount("ImporteTotal", total)?;
    check_tail(record)?;
    let fields = [
        ("IDEmisorFactura", issuer.as_str()),
        ("NumSerieFactura", number.as_str()),
        ("FechaExpedicionFactura", issued_on.as_str()),
        ("TipoFactura", kind),
        ("CuotaTotal", vat_total),
        ("ImporteTotal", total),
    ];
    let footprint = checked_footprint(record, &fields)?;
    Ok(SentRecord {
        operation: "Alta".into(),
        issuer,
        number,
        issued_on,
        footprint,
    })
}

/// `record`'s footprint, once checked against the one its `fields` (those before
/// the previous footprint, in AEAT's order) give.
fn checked_footprint(record: &Element, fields: &[(&str, &str)]) -> Result<String, String> {
    let mut hashed = fields.to_vec();
    hashed.push(("Huella", previous_footprint(record)));
    hashed.push((
        "FechaHoraHusoGenRegistro",
        record.value("FechaHoraHusoGenRegistro").unwrap_or_default(),
    ));
    let expected = footprint(&hashed);
    let sent = record.value("Huella").unwrap_or_default();
    if sent != expected {
        return Err(format!(
            "the Huella of {} is not its fields' ({expected})",
            fields[1].1
        ));
    }
    Ok(expected)
}

fn check_annulment(record: &Element) -> Result<SentRecord, String> {
    sequence(
        record,
        &[
            ("IDVersion", ONE),
            ("IDFactura", ONE),
            ("RefExterna", OPTIONAL),
            ("SinRegistroPrevio", OPTIONAL),
            ("RechazoPrevio", OPTIONAL),
            ("GeneradoPor", OPTIONAL),
            ("Generador", OPTIONAL),
            ("Encadenamiento", ONE),
            ("SistemaInformatico", ONE),
            ("FechaHoraHusoGenRegistro", ONE),
            ("TipoHuella", ONE),
            ("Huella", ONE),
        ],
    )?;
    let (issuer, number, issued_on) =
        check_invoice_id(record.child("IDFactura").ok_or("no IDFactura")?, "Anulada")?;
    check_tail(record)?;
    let fields = [
        ("IDEmisorFacturaAnulada", issuer.as_str()),
        ("NumSerieFacturaAnulada", number.as_str()),
        ("FechaExpedicionFacturaAnulada", issued_on.as_str()),
    ];
    let footprint = checked_footprint(record, &fields)?;
    Ok(SentRecord {
        operation: "Anulacion".into(),
        issuer,
        number,
        issued_on,
        footprint,
    })
}
