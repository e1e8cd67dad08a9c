//! AEAT's answer to a message: a SOAP fault when it refused the message as a whole
//! (its form, its certificate), otherwise `RespuestaRegFactuSistemaFacturacion`
//! with the wait before the next message and a line per record.

use quick_xml::Reader;
use quick_xml::events::Event;

/// What AEAT answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The message was read: each record's fate.
    Read(Reply),
    /// The message was refused as a whole: nothing in it was registered.
    Refused { code: String, text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// `TiempoEsperaEnvio`: seconds before the next message (unless 1 000 records
    /// wait).
    pub wait_seconds: u32,
    /// `EstadoEnvio`: `Correcto`, `ParcialmenteCorrecto` or `Incorrecto`.
    pub status: String,
    pub lines: Vec<Line>,
}

/// AEAT's word on one record (`RespuestaLinea`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub invoice_number: String,
    /// `dd-mm-yyyy`.
    pub issued_on: String,
    /// `Alta` or `Anulacion`.
    pub operation: String,
    /// `Correcto`, `AceptadoConErrores` or `Incorrecto`.
    pub state: String,
    pub code: Option<String>,
    pub text: Option<String>,
    /// When AEAT has the record already (error 3000): the state it holds it in
    /// (`Correcta`, `AceptadaConErrores`, `Anulada`).
    pub duplicate_state: Option<String>,
}

/// The error 3000: AEAT holds this record already.
pub const DUPLICATE: &str = "3000";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("AEAT's answer cannot be read: {0}")]
pub struct UnreadableAnswer(String);

/// Reads AEAT's answer.
pub fn read(xml: &str) -> Result<Answer, UnreadableAnswer> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut reply = Reply::default();
    let (mut fault, mut fault_code, mut fault_text) = (false, String::new(), String::new());
    let mut answered = false;
    let mut line = Line::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| UnreadableAnswer(e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                match name.as_str() {
                    "Fault" => fault = true,
                    "RespuestaRegFactuSistemaFacturacion" => answered = true,
                    "RespuestaLinea" => line = Line::default(),
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(content) => text.push_str(&content.xml10_content()),
            Event::CData(content) => text.push_str(&content.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    _ => predefined(&reference.xml10_content()).ok_or_else(|| {
                        UnreadableAnswer(format!("unknown entity {}", reference.xml10_content()))
                    })?,
                };
                text.push(resolved);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or_default();
                let value = text.trim().to_owned();
                match (parent, name.as_str()) {
                    (_, "faultcode") => fault_code = value,
                    (_, "faultstring") => fault_text = value,
                    ("RespuestaRegFactuSistemaFacturacion", "TiempoEsperaEnvio") => {
                        reply.wait_seconds = value.parse().map_err(|_| {
                            UnreadableAnswer(format!("TiempoEsperaEnvio '{value}'"))
                        })?;
                    }
                    ("RespuestaRegFactuSistemaFacturacion", "EstadoEnvio") => reply.status = value,
                    ("IDFactura", n) if n.starts_with("NumSerieFactura") => {
                        line.invoice_number = value;
                    }
                    ("IDFactura", n) if n.starts_with("FechaExpedicionFactura") => {
                        line.issued_on = value;
                    }
                    ("Operacion", "TipoOperacion") => line.operation = value,
                    ("RespuestaLinea", "EstadoRegistro") => line.state = value,
                    ("RespuestaLinea", "CodigoErrorRegistro") => line.code = Some(value),
                    ("RespuestaLinea", "DescripcionErrorRegistro") => line.text = Some(value),
                    ("RegistroDuplicado", "EstadoRegistroDuplicado") => {
                        line.duplicate_state = Some(value);
                    }
                    (_, "RespuestaLinea") => reply.lines.push(std::mem::take(&mut line)),
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if fault {
        return Ok(Answer::Refused {
            code: fault_code,
            text: fault_text,
        });
    }
    if !answered {
        return Err(UnreadableAnswer(
            "neither a fault nor RespuestaRegFactuSistemaFacturacion".into(),
        ));
    }
    Ok(Answer::Read(reply))
}

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>
<tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd" xmlns:tik="https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd">
<tikR:CSV>A-YDSW8NLFLANWPM</tikR:CSV>
<tikR:DatosPresentacion><tik:NIFPresentador>89890001K</tik:NIFPresentador><tik:TimestampPresentacion>2027-01-04T10:15:09+01:00</tik:TimestampPresentacion></tikR:DatosPresentacion>
<tikR:Cabecera><tik:ObligadoEmision><tik:NombreRazon>Disfraces S.L.</tik:NombreRazon><tik:NIF>89890001K</tik:NIF></tik:ObligadoEmision></tikR:Cabecera>
<tikR:TiempoEsperaEnvio>60</tikR:TiempoEsperaEnvio>
<tikR:EstadoEnvio>ParcialmenteCorrecto</tikR:EstadoEnvio>
<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>89890001K</tik:IDEmisorFactura><tik:NumSerieFactura>F2-2027-000001</tik:NumSerieFactura><tik:FechaExpedicionFactura>04-01-2027</tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>Alta</tik:TipoOperacion></tikR:Operacion><tikR:EstadoRegistro>Correcto</tikR:EstadoRegistro></tikR:RespuestaLinea>
<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>89890001K</tik:IDEmisorFactura><tik:NumSerieFactura>F1-2027-000001</tik:NumSerieFactura><tik:FechaExpedicionFactura>04-01-2027</tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>Alta</tik:TipoOperacion></tikR:Operacion><tikR:EstadoRegistro>Incorrecto</tikR:EstadoRegistro><tikR:CodigoErrorRegistro>1104</tikR:CodigoErrorRegistro><tikR:DescripcionErrorRegistro>El valor del NIF del destinatario &lt;B12345678&gt; no es correcto &amp; no está censado</tikR:DescripcionErrorRegistro></tikR:RespuestaLinea>
<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>89890001K</tik:IDEmisorFactura><tik:NumSerieFactura>R5-2027-000001</tik:NumSerieFactura><tik:FechaExpedicionFactura>04-01-2027</tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>Alta</tik:TipoOperacion></tikR:Operacion><tikR:EstadoRegistro>Incorrecto</tikR:EstadoRegistro><tikR:CodigoErrorRegistro>3000</tikR:CodigoErrorRegistro><tikR:DescripcionErrorRegistro>Registro de facturación duplicado.</tikR:DescripcionErrorRegistro><tikR:RegistroDuplicado><tik:IdPeticionRegistroDuplicado>202701041015</tik:IdPeticionRegistroDuplicado><tik:EstadoRegistroDuplicado>Correcta</tik:EstadoRegistroDuplicado></tikR:RegistroDuplicado></tikR:RespuestaLinea>
</tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>"#;

    #[test]
    fn a_reply_gives_the_wait_and_each_records_fate() {
        let Answer::Read(reply) = read(REPLY).unwrap() else {
            panic!("a reply")
        };
        assert_eq!(reply.wait_seconds, 60);
        assert_eq!(reply.status, "ParcialmenteCorrecto");
        assert_eq!(reply.lines.len(), 3);
        assert_eq!(
            reply.lines[0],
            Line {
                invoice_number: "F2-2027-000001".into(),
                issued_on: "04-01-2027".into(),
                operation: "Alta".into(),
                state: "Correcto".into(),
                ..Line::default()
            }
        );
        assert_eq!(reply.lines[1].code.as_deref(), Some("1104"));
        assert_eq!(
            reply.lines[1].text.as_deref(),
            Some("El valor del NIF del destinatario <B12345678> no es correcto & no está censado")
        );
        assert_eq!(reply.lines[2].code.as_deref(), Some(DUPLICATE));
        assert_eq!(reply.lines[2].duplicate_state.as_deref(), Some("Correcta"));
    }

    #[test]
    fn a_fault_is_a_refusal_of_the_whole_message() {
        let fault = r#"<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault><faultcode>env:Client</faultcode><faultstring>Codigo[4102].El XML no cumple el esquema. Falta informar campo obligatorio.: DescripcionOperacion</faultstring></env:Fault></env:Body></env:Envelope>"#;
        assert_eq!(
            read(fault).unwrap(),
            Answer::Refused {
                code: "env:Client".into(),
                text: "Codigo[4102].El XML no cumple el esquema. Falta informar campo obligatorio.: DescripcionOperacion".into()
            }
        );
    }

    #[test]
    fn anything_else_cannot_be_read() {
        assert!(read("<html><body>Service Unavailable</body></html>").is_err());
        assert!(read("<a><b></a>").is_err());
        assert!(read("").is_err());
        let bad_wait = REPLY.replace(">60<", ">soon<");
        assert!(read(&bad_wait).unwrap_err().to_string().contains("soon"));
    }
}
