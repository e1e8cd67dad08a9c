//! The SOAP message that sends records: `RegFactuSistemaFacturacion` of AEAT's
//! `SuministroLR.xsd` and `SuministroInformacion.xsd` (version 1.0). A header names
//! the company, then each record, in chain order, carries what AEAT checks against
//! the footprint and its census: the invoice's parties, its VAT per rate and regime,
//! what it corrects or replaces, and the record before it.

use comptoir_domain::Money;
use comptoir_domain::invoicing::verifactu::{InvoiceId, RecordKind, date};
use comptoir_domain::invoicing::{Invoice, InvoiceType, Treatment};
use comptoir_store::QueuedRecord;
use quick_xml::escape::escape;

pub const SOAP_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const LR_NAMESPACE: &str = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroLR.xsd";
pub const INFORMATION_NAMESPACE: &str = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd";

/// The most records one message may carry.
pub const MAX_RECORDS: usize = 1000;

/// The invoicing software as every record names it (`SistemaInformatico`). Its
/// producer is the company itself, which installs and runs Comptoir, free
/// software, on its own behalf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Software {
    /// `NumeroInstalacion`: tells the company's installations apart.
    pub installation: String,
}

impl Software {
    const NAME: &'static str = "Comptoir";
    /// `IdSistemaInformatico`: two characters of the producer's choosing.
    const ID: &'static str = "CO";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
}

/// One message: the company sending (`ObligadoEmision`) and its records, all of
/// that company. `incident` when they were held back by an outage (`Incidencia`).
pub struct Message<'a> {
    pub company_name: &'a str,
    pub company_tax_id: &'a str,
    pub software: &'a Software,
    pub incident: bool,
    pub records: &'a [QueuedRecord],
}

impl Message<'_> {
    /// The SOAP envelope, as sent.
    pub fn envelope(&self) -> String {
        let mut xml = Xml::default();
        xml.text.push_str(&format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <soapenv:Envelope xmlns:soapenv=\"{SOAP_NAMESPACE}\" xmlns:sfLR=\"{LR_NAMESPACE}\" \
             xmlns:sf=\"{INFORMATION_NAMESPACE}\"><soapenv:Header/><soapenv:Body>"
        ));
        xml.open("sfLR:RegFactuSistemaFacturacion");
        xml.open("sfLR:Cabecera");
        xml.open("sf:ObligadoEmision");
        xml.leaf("sf:NombreRazon", &text_max(self.company_name, 120));
        xml.leaf("sf:NIF", self.company_tax_id);
        xml.close("sf:ObligadoEmision");
        if self.incident {
            xml.open("sf:RemisionVoluntaria");
            xml.leaf("sf:Incidencia", "S");
            xml.close("sf:RemisionVoluntaria");
        }
        xml.close("sfLR:Cabecera");
        for queued in self.records {
            xml.open("sfLR:RegistroFactura");
            match queued.record.kind {
                RecordKind::Registration { .. } => self.registration(&mut xml, queued),
                RecordKind::Annulment => self.annulment(&mut xml, queued),
            }
            xml.close("sfLR:RegistroFactura");
        }
        xml.close("sfLR:RegFactuSistemaFacturacion");
        xml.text.push_str("</soapenv:Body></soapenv:Envelope>");
        xml.text
    }

    fn registration(&self, xml: &mut Xml, queued: &QueuedRecord) {
        let record = &queued.record;
        let invoice = &queued.invoice;
        let RecordKind::Registration {
            invoice_type,
            vat_total,
            total,
            correction,
        } = record.kind
        else {
            return;
        };
        xml.open("sf:RegistroAlta");
        xml.leaf("sf:IDVersion", "1.0");
        xml.open("sf:IDFactura");
        invoice_id(xml, "", &record.invoice);
        xml.close("sf:IDFactura");
        xml.leaf("sf:NombreRazonEmisor", &text_max(&invoice.seller.name, 120));
        if correction {
            xml.leaf("sf:Subsanacion", "S");
            if queued.after_rejection {
                xml.leaf("sf:RechazoPrevio", "S");
            }
        }
        xml.leaf("sf:TipoFactura", invoice_type.code());
        if let Some((number, on)) = invoice.refers_to {
            let referred = InvoiceId {
                issuer: record.invoice.issuer.clone(),
                number: number.text(),
                issued_on: on,
            };
            if invoice_type.is_rectifying() {
                xml.leaf("sf:TipoRectificativa", "I");
                xml.open("sf:FacturasRectificadas");
                xml.open("sf:IDFacturaRectificada");
                invoice_id(xml, "", &referred);
                xml.close("sf:IDFacturaRectificada");
                xml.close("sf:FacturasRectificadas");
            } else if invoice_type == InvoiceType::F3 {
                xml.open("sf:FacturasSustituidas");
                xml.open("sf:IDFacturaSustituida");
                invoice_id(xml, "", &referred);
                xml.close("sf:IDFacturaSustituida");
                xml.close("sf:FacturasSustituidas");
            }
        }
        xml.leaf("sf:DescripcionOperacion", description(invoice_type));
        let tax_id = invoice
            .buyer
            .as_ref()
            .and_then(|buyer| buyer.tax_id.as_ref());
        if names_buyer(invoice_type) {
            match (&invoice.buyer, tax_id) {
                (Some(buyer), Some(tax_id)) => {
                    xml.open("sf:Destinatarios");
                    xml.open("sf:IDDestinatario");
                    xml.leaf("sf:NombreRazon", &text_max(&buyer.name, 120));
                    recipient_id(xml, invoice.treatment, tax_id);
                    xml.close("sf:IDDestinatario");
                    xml.close("sf:Destinatarios");
                }
                // A consumer abroad, named and addressed on the invoice only.
                _ => xml.leaf("sf:FacturaSinIdentifDestinatarioArt61d", "S"),
            }
        }
        xml.open("sf:Desglose");
        for detail in breakdown(invoice) {
            detail.write(xml);
        }
        xml.close("sf:Desglose");
        xml.leaf("sf:CuotaTotal", &vat_total.decimal());
        xml.leaf("sf:ImporteTotal", &total.decimal());
        self.tail(xml, queued);
        xml.close("sf:RegistroAlta");
    }

    fn annulment(&self, xml: &mut Xml, queued: &QueuedRecord) {
        xml.open("sf:RegistroAnulacion");
        xml.leaf("sf:IDVersion", "1.0");
        xml.open("sf:IDFactura");
        invoice_id(xml, "Anulada", &queued.record.invoice);
        xml.close("sf:IDFactura");
        if queued.after_rejection {
            xml.leaf("sf:RechazoPrevio", "S");
        }
        self.tail(xml, queued);
        xml.close("sf:RegistroAnulacion");
    }

    /// What closes every record: its link, the software, when it was made and its
    /// footprint.
    fn tail(&self, xml: &mut Xml, queued: &QueuedRecord) {
        let record = &queued.record;
        xml.open("sf:Encadenamiento");
        match (&queued.previous, &record.previous) {
            (Some(previous), Some(footprint)) => {
                xml.open("sf:RegistroAnterior");
                invoice_id(xml, "", previous);
                xml.leaf("sf:Huella", footprint.as_str());
                xml.close("sf:RegistroAnterior");
            }
            _ => xml.leaf("sf:PrimerRegistro", "S"),
        }
        xml.close("sf:Encadenamiento");
        let software = self.software;
        xml.open("sf:SistemaInformatico");
        xml.leaf("sf:NombreRazon", &text_max(self.company_name, 120));
        xml.leaf("sf:NIF", self.company_tax_id);
        xml.leaf("sf:NombreSistemaInformatico", Software::NAME);
        xml.leaf("sf:IdSistemaInformatico", Software::ID);
        xml.leaf("sf:Version", Software::VERSION);
        xml.leaf(
            "sf:NumeroInstalacion",
            &text_max(&software.installation, 100),
        );
        xml.leaf("sf:TipoUsoPosibleSoloVerifactu", "S");
        xml.leaf("sf:TipoUsoPosibleMultiOT", "N");
        xml.leaf("sf:IndicadorMultiplesOT", "N");
        xml.close("sf:SistemaInformatico");
        xml.leaf(
            "sf:FechaHoraHusoGenRegistro",
            &record.generated_at.to_rfc3339(),
        );
        xml.leaf("sf:TipoHuella", "01");
        xml.leaf("sf:Huella", record.footprint().as_str());
    }
}

/// `IDEmisorFactura`, `NumSerieFactura` and `FechaExpedicionFactura`, each name
/// followed by `suffix` (`Anulada` in an annulment).
fn invoice_id(xml: &mut Xml, suffix: &str, id: &InvoiceId) {
    xml.leaf(&format!("sf:IDEmisorFactura{suffix}"), &id.issuer);
    xml.leaf(&format!("sf:NumSerieFactura{suffix}"), &id.number);
    xml.leaf(
        &format!("sf:FechaExpedicionFactura{suffix}"),
        &date(id.issued_on),
    );
}

/// Whether AEAT wants the buyer named: on every invoice but a simplified one and
/// its rectifications.
fn names_buyer(invoice_type: InvoiceType) -> bool {
    !matches!(invoice_type, InvoiceType::F2 | InvoiceType::R5)
}

/// The buyer's tax id: a Spanish NIF as such; another member state's VAT number
/// as `IDOtro` of type 02 (NIF-IVA), with its country's prefix.
fn recipient_id(xml: &mut Xml, treatment: Treatment, tax_id: &str) {
    let country = match treatment {
        Treatment::DistanceSale(country) | Treatment::IntraCommunitySupply(country) => country,
        Treatment::Domestic | Treatment::Export => {
            xml.leaf("sf:NIF", tax_id);
            return;
        }
    };
    xml.open("sf:IDOtro");
    xml.leaf("sf:CodigoPais", country.code());
    xml.leaf("sf:IDType", "02");
    let number = if tax_id.starts_with(country.code()) {
        tax_id.to_owned()
    } else {
        format!("{}{tax_id}", country.code())
    };
    xml.leaf("sf:ID", &text_max(&number, 20));
    xml.close("sf:IDOtro");
}

/// `DescripcionOperacion`, in Spanish as AEAT reads it.
fn description(invoice_type: InvoiceType) -> &'static str {
    match invoice_type {
        InvoiceType::F1 | InvoiceType::F2 => "Venta en la tienda en línea",
        InvoiceType::F3 => "Factura completa en sustitución de factura simplificada",
        InvoiceType::R1 | InvoiceType::R4 | InvoiceType::R5 => {
            "Rectificación por devolución o anulación de la venta"
        }
    }
}

/// One line of the `Desglose`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Detail {
    regime: &'static str,
    /// `CalificacionOperacion` or `OperacionExenta`, by its element's name.
    class: (&'static str, &'static str),
    /// `21.00`; for what Spain taxes only.
    rate: Option<String>,
    base: Money,
    vat: Option<Money>,
}

impl Detail {
    fn write(&self, xml: &mut Xml) {
        xml.open("sf:DetalleDesglose");
        xml.leaf("sf:Impuesto", "01");
        xml.leaf("sf:ClaveRegimen", self.regime);
        xml.leaf(self.class.0, self.class.1);
        if let Some(rate) = &self.rate {
            xml.leaf("sf:TipoImpositivo", rate);
        }
        xml.leaf("sf:BaseImponibleOimporteNoSujeto", &self.base.decimal());
        if let Some(vat) = self.vat {
            xml.leaf("sf:CuotaRepercutida", &vat.decimal());
        }
        xml.close("sf:DetalleDesglose");
    }
}

/// The invoice's `Desglose`: Spanish VAT per rate; a distance sale, not subject in
/// Spain, as one amount (VAT of its destination included, as the record's total);
/// an exempt supply or export as one base.
fn breakdown(invoice: &Invoice) -> Vec<Detail> {
    let treatment = invoice.treatment;
    let regime = treatment.regime_key();
    if let Some(exemption) = treatment.exemption() {
        return vec![Detail {
            regime,
            class: ("sf:OperacionExenta", exemption),
            rate: None,
            base: invoice.net(),
            vat: None,
        }];
    }
    let qualification = treatment.qualification().unwrap_or("S1");
    if !treatment.charges_spanish_vat() {
        return vec![Detail {
            regime,
            class: ("sf:CalificacionOperacion", qualification),
            rate: None,
            base: invoice.total(),
            vat: None,
        }];
    }
    invoice
        .vat_breakdown()
        .into_iter()
        .map(|line| {
            let points = line.rate.basis_points();
            Detail {
                regime,
                class: ("sf:CalificacionOperacion", qualification),
                rate: Some(format!("{}.{:02}", points / 100, points % 100)),
                base: line.net,
                vat: Some(line.vat),
            }
        })
        .collect()
}

/// At most `max` characters, as AEAT's text types allow.
fn text_max(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// XML written element by element, text escaped.
#[derive(Default)]
struct Xml {
    text: String,
}

impl Xml {
    fn open(&mut self, name: &str) {
        self.text.push('<');
        self.text.push_str(name);
        self.text.push('>');
    }

    fn close(&mut self, name: &str) {
        self.text.push_str("</");
        self.text.push_str(name);
        self.text.push('>');
    }

    fn leaf(&mut self, name: &str, value: &str) {
        self.open(name);
        self.text.push_str(&escape(value));
        self.close(name);
    }
}
