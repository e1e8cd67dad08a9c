//! An invoice as a PDF document: A4, in the invoice's language, with AEAT's QR code
//! and the "VERI*FACTU" mention at its head (Orden HAC/1177/2024), the seller and
//! the buyer, every line, the VAT per rate and the totals; and the mail that
//! carries it. An invoice never changes, so neither does its PDF: it is made again
//! whenever it is asked for, never stored.

mod layout;
mod texts;

use chrono::NaiveDate;
use comptoir_domain::invoicing::verifactu::{AeatHost, verification_url};
use comptoir_domain::invoicing::{Invoice, InvoiceLine, SAMPLE_ISSUER_TAX_ID, Treatment};
use comptoir_domain::{Locale, Money};
use qrcode::{EcLevel, QrCode};

use layout::{
    BLACK, GREY, Op, PAGE_HEIGHT, PAGE_WIDTH, Page, RULE, SHADE, Style, WARNING, WARNING_SHADE,
    Weight,
};
use texts::Texts;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the QR code cannot hold the verification URL: {0}")]
    Qr(#[from] qrcode::types::QrError),
    #[error("the page size is not one a PDF can have")]
    PageSize,
    #[error("the PDF could not be written: {0}")]
    Writing(String),
}

/// The invoice's PDF; its QR code points at AEAT's verification page on `host`.
pub fn render(invoice: &Invoice, order_number: &str, host: AeatHost) -> Result<Vec<u8>, PdfError> {
    let pages = lay_out(invoice, order_number, host)?;
    layout::write(&pages, title(invoice), invoice.language.html_lang())
}

/// What it is called, in its language: `Factura simplificada F2-2027-000123`.
pub fn title(invoice: &Invoice) -> String {
    let texts = Texts::of(invoice.language);
    format!(
        "{} {}",
        texts.title(invoice.number.kind),
        invoice.number.text()
    )
}

/// The name its PDF is downloaded and attached as: `F2-2027-000123.pdf`.
pub fn file_name(invoice: &Invoice) -> String {
    format!("{}.pdf", invoice.number.text())
}

/// The mail that carries an invoice to its customer, in the invoice's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceMail {
    pub subject: String,
    pub body: String,
}

impl InvoiceMail {
    pub fn of(invoice: &Invoice, order_number: &str) -> InvoiceMail {
        let texts = Texts::of(invoice.language);
        let number = invoice.number.text();
        InvoiceMail {
            subject: texts.mail_subject.replace("{number}", &number),
            body: texts
                .mail_body
                .replace("{number}", &number)
                .replace("{order}", order_number),
        }
    }
}

const MARGIN: f32 = 42.5;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Where rows stop, above the footer.
const BOTTOM: f32 = PAGE_HEIGHT - 58.0;
/// The QR code's side: 35 mm, within the 30–40 mm AEAT asks for.
const QR_SIDE: f32 = 35.0 * 72.0 / 25.4;

const TITLE: Style = Style::new(Weight::Bold, 18.0, BLACK);
const SELLER: Style = Style::new(Weight::Bold, 12.0, BLACK);
const STRONG: Style = Style::new(Weight::Bold, 9.0, BLACK);
const BODY: Style = Style::new(Weight::Regular, 8.5, BLACK);
const LABEL: Style = Style::new(Weight::Regular, 7.5, GREY);
const HEAD: Style = Style::new(Weight::Bold, 7.5, BLACK);
const SKU: Style = Style::new(Weight::Regular, 7.0, GREY);
const TOTAL: Style = Style::new(Weight::Bold, 11.0, BLACK);
const NOTICE: Style = Style::new(Weight::Bold, 8.5, WARNING);

/// The lines table's columns: the description's left edge, then each figure's
/// right edge and width.
const DESCRIPTION_X: f32 = MARGIN + 4.0;
const NET: (f32, f32) = (RIGHT - 4.0, 70.0);
const RATE: (f32, f32) = (NET.0 - NET.1, 42.0);
const DISCOUNT: (f32, f32) = (RATE.0 - RATE.1, 58.0);
const UNIT: (f32, f32) = (DISCOUNT.0 - DISCOUNT.1, 76.0);
const QUANTITY: (f32, f32) = (UNIT.0 - UNIT.1, 34.0);
const DESCRIPTION_WIDTH: f32 = QUANTITY.0 - QUANTITY.1 - DESCRIPTION_X;
const FIGURES: [(f32, f32); 5] = [QUANTITY, UNIT, DISCOUNT, RATE, NET];
const LEADING: f32 = 10.5;

fn lay_out(invoice: &Invoice, order_number: &str, host: AeatHost) -> Result<Vec<Page>, PdfError> {
    let texts = Texts::of(invoice.language);
    let mut pages = vec![Page::default()];
    let mut y = first_page_head(&mut pages[0], invoice, order_number, host, texts)?;
    y = table_head(&mut pages[0], y, texts);
    for line in &invoice.lines {
        let row = Row::of(line, texts, invoice.language);
        if y + row.height() > BOTTOM {
            let mut page = Page::default();
            y = next_page_head(&mut page, invoice);
            y = table_head(&mut page, y, texts);
            pages.push(page);
        }
        let page = pages.last_mut().expect("a page was laid out first");
        row.draw(page, y);
        y += row.height();
    }
    let summary = Summary::of(invoice, texts);
    if y + summary.height() > BOTTOM {
        let mut page = Page::default();
        y = next_page_head(&mut page, invoice);
        pages.push(page);
    }
    summary.draw(pages.last_mut().expect("a page was laid out first"), y);
    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        footer(page, invoice, texts, index + 1, count);
    }
    Ok(pages)
}

/// The seller, AEAT's QR code, the title, the invoice's facts, the buyer and any
/// notes; where the lines start.
fn first_page_head(
    page: &mut Page,
    invoice: &Invoice,
    order_number: &str,
    host: AeatHost,
    texts: &Texts,
) -> Result<f32, PdfError> {
    let seller_width = RIGHT - QR_SIDE - 24.0 - MARGIN;
    let mut y = MARGIN + 12.0;
    for line in SELLER.wrap(&invoice.seller.name, seller_width) {
        page.text(MARGIN, y, SELLER, &line);
        y += 15.0;
    }
    if let Some(tax_id) = &invoice.seller.tax_id {
        page.text(MARGIN, y, BODY, &format!("NIF {tax_id}"));
        y += 11.5;
    }
    for line in BODY.wrap(&invoice.seller.address, seller_width) {
        page.text(MARGIN, y, BODY, &line);
        y += 11.5;
    }

    // AEAT's QR code, at the head of the invoice, with its fixed captions.
    let qr_x = RIGHT - QR_SIDE;
    let centre = qr_x + QR_SIDE / 2.0;
    page.text_centred(centre, MARGIN + 4.0, LABEL, "QR tributario:");
    let url = verification_url(host, &invoice.id(), invoice.total());
    page.ops.push(Op::Qr {
        x: qr_x,
        y: MARGIN + 9.0,
        side: QR_SIDE,
        modules: qr_modules(&url)?,
    });
    page.text_centred(centre, MARGIN + 9.0 + QR_SIDE + 12.0, STRONG, "VERI*FACTU");

    y = y.max(MARGIN + QR_SIDE + 24.0) + 24.0;
    page.text(MARGIN, y, TITLE, texts.title(invoice.number.kind));
    y += 22.0;

    let facts_top = y;
    let facts = [
        (texts.number, invoice.number.text()),
        (texts.date, date(invoice.issued_on)),
        (texts.order, order_number.to_owned()),
    ];
    for (label, value) in facts {
        page.text(MARGIN, y, LABEL, label);
        page.text(MARGIN + 60.0, y, STRONG, &value);
        y += 13.0;
    }
    if let Some(buyer) = &invoice.buyer {
        let x = MARGIN + 270.0;
        let width = RIGHT - x;
        let mut buyer_y = facts_top;
        page.text(x, buyer_y, LABEL, texts.buyer);
        buyer_y += 12.0;
        for line in STRONG.wrap(&buyer.name, width) {
            page.text(x, buyer_y, STRONG, &line);
            buyer_y += 12.0;
        }
        if let Some(tax_id) = &buyer.tax_id {
            // An exempt supply names the buyer's VAT number as VIES knows it.
            let tax_id = match invoice.treatment {
                Treatment::IntraCommunitySupply(country) if !tax_id.starts_with(country.code()) => {
                    format!("{}{tax_id}", country.code())
                }
                _ => tax_id.clone(),
            };
            page.text(x, buyer_y, BODY, &format!("{} {tax_id}", texts.tax_id));
            buyer_y += 11.5;
        }
        for line in BODY.wrap(&buyer.address, width) {
            page.text(x, buyer_y, BODY, &line);
            buyer_y += 11.5;
        }
        y = y.max(buyer_y);
    }
    y += 8.0;

    if invoice.seller.tax_id.as_deref() == Some(SAMPLE_ISSUER_TAX_ID) {
        let lines = NOTICE.wrap(texts.sample_issuer, RIGHT - MARGIN - 12.0);
        let height = lines.len() as f32 * 11.0 + 8.0;
        page.fill(MARGIN, y, RIGHT - MARGIN, height, WARNING_SHADE);
        let mut line_y = y + 12.0;
        for line in lines {
            page.text(MARGIN + 6.0, line_y, NOTICE, &line);
            line_y += 11.0;
        }
        y += height + 8.0;
    }
    for note in notes(invoice, texts) {
        for line in BODY.wrap(&note, RIGHT - MARGIN) {
            y += 11.0;
            page.text(MARGIN, y, BODY, &line);
        }
    }
    Ok(y + 12.0)
}

/// What the invoice refers to, and why its VAT is what it is.
fn notes(invoice: &Invoice, texts: &Texts) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some((number, on)) = invoice.refers_to {
        let template = if invoice.number.kind.is_rectifying() {
            texts.rectifies
        } else {
            texts.replaces
        };
        notes.push(
            template
                .replace("{number}", &number.text())
                .replace("{date}", &date(on)),
        );
    }
    match invoice.treatment {
        Treatment::Domestic => {}
        Treatment::DistanceSale(country) => notes.push(
            texts
                .distance_sale
                .replace("{country}", texts.country(country)),
        ),
        Treatment::IntraCommunitySupply(_) => notes.push(texts.intra_community_supply.to_owned()),
        Treatment::Export => notes.push(texts.export.to_owned()),
    }
    notes
}

/// The head of every page after the first; where the page's content starts.
fn next_page_head(page: &mut Page, invoice: &Invoice) -> f32 {
    let y = MARGIN + 10.0;
    page.text(MARGIN, y, STRONG, &invoice.seller.name);
    page.text_right(RIGHT, y, STRONG, &title(invoice));
    page.rule(MARGIN, RIGHT, y + 7.0, RULE);
    y + 22.0
}

/// The lines table's head, its labels wrapped within their columns; where the rows
/// start.
fn table_head(page: &mut Page, y: f32, texts: &Texts) -> f32 {
    let description = HEAD.wrap(texts.description, DESCRIPTION_WIDTH);
    let labels = [
        texts.quantity,
        texts.unit_price,
        texts.discount,
        texts.vat_rate,
        texts.line_net,
    ];
    let figures: Vec<(f32, Vec<String>)> = labels
        .iter()
        .zip(FIGURES)
        .map(|(label, (right, width))| (right, HEAD.wrap(label, width - 6.0)))
        .collect();
    let lines = figures
        .iter()
        .map(|(_, lines)| lines.len())
        .chain([description.len()])
        .max()
        .unwrap_or(1);
    let height = lines as f32 * 9.5 + 7.0;
    page.fill(MARGIN, y, RIGHT - MARGIN, height, SHADE);
    let baseline = y + 11.5;
    for (index, line) in description.iter().enumerate() {
        page.text(DESCRIPTION_X, baseline + index as f32 * 9.5, HEAD, line);
    }
    for (right, label) in figures {
        for (index, line) in label.iter().enumerate() {
            page.text_right(right, baseline + index as f32 * 9.5, HEAD, line);
        }
    }
    y + height
}

/// One invoice line as a row of the table.
struct Row {
    description: Vec<String>,
    sku: Option<String>,
    /// Quantity, unit price, discount, VAT rate, net.
    figures: [String; 5],
}

impl Row {
    fn of(line: &InvoiceLine, texts: &Texts, language: Locale) -> Row {
        let money = |amount: Money| amount.format(language);
        Row {
            description: BODY.wrap(&line.description, DESCRIPTION_WIDTH - 6.0),
            sku: (!line.sku.is_empty()).then(|| line.sku.clone()),
            figures: [
                line.quantity.to_string(),
                money(line.unit_price),
                if line.discount.cents() == 0 {
                    String::new()
                } else {
                    money(Money::eur(-line.discount.cents()))
                },
                line.rate
                    .map_or_else(|| texts.no_vat.to_owned(), |rate| rate.label()),
                money(line.net),
            ],
        }
    }

    fn height(&self) -> f32 {
        let sku = if self.sku.is_some() { 9.0 } else { 0.0 };
        self.description.len() as f32 * LEADING + sku + 7.0
    }

    fn draw(&self, page: &mut Page, y: f32) {
        let mut baseline = y + 11.5;
        for (right, figure) in FIGURES.iter().zip(&self.figures) {
            page.text_right(right.0, baseline, BODY, figure);
        }
        for line in &self.description {
            page.text(DESCRIPTION_X, baseline, BODY, line);
            baseline += LEADING;
        }
        if let Some(sku) = &self.sku {
            page.text(DESCRIPTION_X, baseline - 1.5, SKU, sku);
        }
        let bottom = y + self.height();
        page.rule(MARGIN, RIGHT, bottom, RULE);
    }
}

/// The VAT per rate and the totals, under the lines, on the right.
struct Summary {
    /// Rate, taxable base, VAT.
    rates: Vec<[String; 3]>,
    totals: [(&'static str, String); 3],
    heading: &'static str,
    columns: [&'static str; 3],
}

const SUMMARY_LEFT: f32 = RIGHT - 250.0;
const SUMMARY_ROW: f32 = 12.0;

impl Summary {
    fn of(invoice: &Invoice, texts: &Texts) -> Summary {
        let money = |amount: Money| amount.format(invoice.language);
        let mut rates: Vec<[String; 3]> = invoice
            .vat_breakdown()
            .into_iter()
            .map(|vat| [vat.rate.label(), money(vat.net), money(vat.vat)])
            .collect();
        let exempt: i64 = invoice
            .lines
            .iter()
            .filter(|line| line.rate.is_none())
            .map(|line| line.net.cents())
            .sum();
        if invoice.lines.iter().any(|line| line.rate.is_none()) {
            rates.push([
                texts.no_vat.to_owned(),
                money(Money::eur(exempt)),
                money(Money::eur(0)),
            ]);
        }
        Summary {
            rates,
            totals: [
                (texts.total_net, money(invoice.net())),
                (texts.total_vat, money(invoice.vat())),
                (texts.total, money(invoice.total())),
            ],
            heading: texts.vat_breakdown,
            columns: [texts.rate, texts.taxable_base, texts.vat_amount],
        }
    }

    fn height(&self) -> f32 {
        18.0 + 2.0 * SUMMARY_ROW + self.rates.len() as f32 * SUMMARY_ROW + 8.0 + 2.0 * 14.0 + 24.0
    }

    fn draw(&self, page: &mut Page, top: f32) {
        let base_right = RIGHT - 90.0;
        let mut y = top + 18.0;
        page.text(SUMMARY_LEFT, y, STRONG, self.heading);
        y += SUMMARY_ROW;
        page.text(SUMMARY_LEFT, y, LABEL, self.columns[0]);
        page.text_right(base_right, y, LABEL, self.columns[1]);
        page.text_right(RIGHT, y, LABEL, self.columns[2]);
        for [rate, base, vat] in &self.rates {
            y += SUMMARY_ROW;
            page.text(SUMMARY_LEFT, y, BODY, rate);
            page.text_right(base_right, y, BODY, base);
            page.text_right(RIGHT, y, BODY, vat);
        }
        y += 6.0;
        page.rule(SUMMARY_LEFT, RIGHT, y, RULE);
        y += 2.0;
        let [net, vat, total] = &self.totals;
        for (label, amount) in [net, vat] {
            y += 14.0;
            page.text(SUMMARY_LEFT, y, BODY, label);
            page.text_right(RIGHT, y, STRONG, amount);
        }
        page.fill(
            SUMMARY_LEFT - 6.0,
            y + 6.0,
            RIGHT - SUMMARY_LEFT + 6.0,
            22.0,
            SHADE,
        );
        y += 21.0;
        page.text(SUMMARY_LEFT, y, TOTAL, total.0);
        page.text_right(RIGHT - 4.0, y, TOTAL, &total.1);
    }
}

/// Who issued it and which page this is, at the foot of every page.
fn footer(page: &mut Page, invoice: &Invoice, texts: &Texts, number: usize, count: usize) {
    let y = PAGE_HEIGHT - 30.0;
    page.rule(MARGIN, RIGHT, y - 10.0, RULE);
    let issuer = match &invoice.seller.tax_id {
        Some(tax_id) => format!("{} · NIF {tax_id}", invoice.seller.name),
        None => invoice.seller.name.clone(),
    };
    page.text(MARGIN, y, SKU, &issuer);
    let numbering = texts
        .page
        .replace("{page}", &number.to_string())
        .replace("{pages}", &count.to_string());
    page.text_right(RIGHT, y, SKU, &numbering);
}

/// A date as the four countries write it: `04/01/2027`.
fn date(on: NaiveDate) -> String {
    on.format("%d/%m/%Y").to_string()
}

/// The QR code of `url` (error correction M), its modules by row, dark `true`.
fn qr_modules(url: &str) -> Result<Vec<Vec<bool>>, PdfError> {
    let code = QrCode::with_error_correction_level(url, EcLevel::M)?;
    let width = code.width();
    Ok((0..width)
        .map(|y| {
            (0..width)
                .map(|x| code[(x, y)] == qrcode::Color::Dark)
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use comptoir_domain::destination::Country;
    use comptoir_domain::invoicing::{InvoiceNumber, InvoiceType, Party};
    use comptoir_domain::vat::VatRate;

    fn invoice(kind: InvoiceType, treatment: Treatment, lines: usize) -> Invoice {
        Invoice {
            number: InvoiceNumber {
                kind,
                year: 2027,
                sequence: 123,
            },
            issued_at: DateTime::parse_from_rfc3339("2027-01-04T09:15:02Z")
                .unwrap()
                .with_timezone(&Utc),
            issued_on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            language: Locale::Fr,
            treatment,
            seller: Party {
                name: "Disfraces Carnaval SL".to_owned(),
                tax_id: Some("B12345674".to_owned()),
                address: "Calle Mayor 1, 28013 Madrid".to_owned(),
            },
            buyer: Some(Party {
                name: "Jeanne Martin".to_owned(),
                tax_id: None,
                address: "12 rue de la Paix, 75002 Paris (FR)".to_owned(),
            }),
            lines: (0..lines)
                .map(|index| InvoiceLine {
                    description: format!(
                        "Déguisement de sorcière n° {index}, robe longue et chapeau pointu"
                    ),
                    sku: format!("DEG-{index:04}"),
                    quantity: 2,
                    unit_price: Money::eur(2499),
                    discount: Money::eur(if index == 0 { 500 } else { 0 }),
                    rate: Some(VatRate::percent(20)),
                    net: Money::eur(4165),
                    vat: Money::eur(833),
                })
                .collect(),
            refers_to: None,
        }
    }

    fn texts_of(page: &Page) -> Vec<&str> {
        page.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn many_lines_run_over_pages_each_line_once_and_the_totals_last() {
        let long = invoice(InvoiceType::F1, Treatment::DistanceSale(Country::Fr), 70);
        let pages = lay_out(&long, "100234", AeatHost::Test).unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for index in 0..70 {
            let sku = format!("DEG-{index:04}");
            let found = pages
                .iter()
                .flat_map(texts_of)
                .filter(|text| *text == sku)
                .count();
            assert_eq!(found, 1, "{sku}");
        }
        for (number, page) in pages.iter().enumerate() {
            let footer = format!("Page {} sur {}", number + 1, pages.len());
            assert!(texts_of(page).contains(&footer.as_str()), "{footer}");
            for op in &page.ops {
                if let Op::Text {
                    x,
                    y,
                    text,
                    weight,
                    size,
                    ..
                } = op
                {
                    let width = weight.typeface().width(text, *size);
                    assert!(
                        *x >= MARGIN - 0.01 && x + width <= RIGHT + 0.01,
                        "{text} at {x}"
                    );
                    assert!(*y > 0.0 && *y < PAGE_HEIGHT - 20.0, "{text} at {y}");
                }
            }
        }
        let last = texts_of(pages.last().unwrap());
        assert!(last.contains(&"Total TTC"));
        assert!(last.contains(&"3\u{202f}498,60\u{a0}€"), "{last:?}");
        assert!(!texts_of(&pages[0]).contains(&"Total TTC"));
        let qrs = pages
            .iter()
            .flat_map(|page| &page.ops)
            .filter(|op| matches!(op, Op::Qr { .. }))
            .count();
        assert_eq!(qrs, 1, "the QR code heads the first page only");
        let first = texts_of(&pages[0]);
        assert!(first.contains(&"VERI*FACTU"));
        assert!(first.contains(&"QR tributario:"));
        assert!(first.iter().any(|text| text.contains("TVA de la France")));
    }

    #[test]
    fn the_qr_code_is_35_mm_with_error_correction_m() {
        let sold = invoice(InvoiceType::F2, Treatment::Domestic, 1);
        let url = verification_url(AeatHost::Production, &sold.id(), sold.total());
        let code = QrCode::with_error_correction_level(&url, EcLevel::M).unwrap();
        assert_eq!(code.error_correction_level(), EcLevel::M);
        let modules = qr_modules(&url).unwrap();
        assert_eq!(modules.len(), code.width());
        assert!((QR_SIDE - 99.21).abs() < 0.01);
    }

    #[test]
    fn a_rectifying_invoice_names_the_one_it_corrects_and_a_sample_issuer_is_flagged() {
        let mut refund = invoice(InvoiceType::R5, Treatment::Domestic, 1);
        refund.language = Locale::Es;
        refund.refers_to = Some((
            InvoiceNumber {
                kind: InvoiceType::F2,
                year: 2026,
                sequence: 9,
            },
            NaiveDate::from_ymd_opt(2026, 12, 30).unwrap(),
        ));
        refund.seller.tax_id = Some(SAMPLE_ISSUER_TAX_ID.to_owned());
        let pages = lay_out(&refund, "100234", AeatHost::Test).unwrap();
        let text = texts_of(&pages[0]).join(" ");
        assert!(text.contains("Factura rectificativa simplificada"));
        assert!(
            text.contains("Rectifica la factura F2-2026-000009 de 30/12/2026"),
            "{text}"
        );
        assert!(text.contains("Documento de ejemplo"));
        let pdf = render(&refund, "100234", AeatHost::Test).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(file_name(&refund), "R5-2027-000123.pdf");
    }

    /// Renders `pdf` to PNG pages at 150 dpi in `folder` (kept there to be looked
    /// at); their paths, or `None` without poppler's pdftoppm.
    fn rendered(
        pdf: &[u8],
        folder: &std::path::Path,
        name: &str,
    ) -> Option<Vec<std::path::PathBuf>> {
        let required = std::env::var("COMPTOIR_REQUIRE_POPPLER").is_ok_and(|v| v == "1");
        std::fs::create_dir_all(folder).unwrap();
        let file = folder.join(format!("{name}.pdf"));
        std::fs::write(&file, pdf).unwrap();
        let run = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "150"])
            .arg(&file)
            .arg(folder.join(name))
            .status();
        match run {
            Ok(status) => assert!(status.success(), "pdftoppm failed on {name}"),
            Err(e) if !required => {
                eprintln!("skipped: pdftoppm (poppler-utils) is not installed: {e}");
                return None;
            }
            Err(e) => panic!("pdftoppm is required (COMPTOIR_REQUIRE_POPPLER=1): {e}"),
        }
        let mut pages: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                file.starts_with(&format!("{name}-")) && file.ends_with(".png")
            })
            .collect();
        pages.sort();
        Some(pages)
    }

    /// What the QR code on a rendered page says.
    fn qr_text(page: &std::path::Path) -> String {
        let image = image::open(page).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            image.width() as usize,
            image.height() as usize,
            |x, y| image.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on {}", page.display());
        let (meta, text) = grids[0].decode().unwrap();
        assert_eq!(meta.ecc_level, 0, "error correction M");
        text
    }

    #[test]
    fn rendered_pages_carry_a_qr_code_that_reads_back_as_aeat_s_url() {
        let folder = std::env::temp_dir().join("comptoir-screenshots/invoices");
        let _ = std::fs::remove_dir_all(&folder);
        let mut simplified = invoice(InvoiceType::F2, Treatment::Domestic, 3);
        simplified.language = Locale::Es;
        simplified.buyer = None;
        let long = invoice(InvoiceType::F1, Treatment::DistanceSale(Country::Fr), 70);
        let mut export = invoice(InvoiceType::F1, Treatment::Export, 2);
        export.language = Locale::Pt;
        for line in &mut export.lines {
            line.rate = None;
            line.vat = Money::eur(0);
        }
        // An exempt supply to a French company whose VAT number VIES confirmed.
        let mut supply = invoice(
            InvoiceType::F1,
            Treatment::IntraCommunitySupply(Country::Fr),
            2,
        );
        supply.language = Locale::Fr;
        supply.buyer = Some(Party {
            name: "Fêtes & Déguisements SARL".to_owned(),
            tax_id: Some("40303265045".to_owned()),
            address: "12 rue de la Paix, 75002 Paris (FR)".to_owned(),
        });
        for line in &mut supply.lines {
            line.rate = None;
            line.vat = Money::eur(0);
        }
        // A refund of an Italian sale, and a full invoice on request naming a buyer
        // with a NIF and a sample issuer's banner.
        let mut refund = invoice(InvoiceType::R1, Treatment::DistanceSale(Country::It), 1);
        refund.language = Locale::It;
        refund.lines[0].quantity = -1;
        refund.lines[0].net = Money::eur(-2048);
        refund.lines[0].vat = Money::eur(-451);
        refund.refers_to = Some((
            InvoiceNumber {
                kind: InvoiceType::F1,
                year: 2027,
                sequence: 77,
            },
            NaiveDate::from_ymd_opt(2027, 1, 2).unwrap(),
        ));
        let mut replacing = invoice(InvoiceType::F3, Treatment::Domestic, 2);
        replacing.language = Locale::Es;
        replacing.seller.tax_id = Some(SAMPLE_ISSUER_TAX_ID.to_owned());
        replacing.seller.name = "EMISOR DE EJEMPLO (datos legales sin configurar)".to_owned();
        replacing.buyer = Some(Party {
            name: "Fiestas y Disfraces del Sur, S.L.".to_owned(),
            tax_id: Some("B12345674".to_owned()),
            address: "Avenida de la Constitución 12, 3.º B, 41001 Sevilla (ES)".to_owned(),
        });
        replacing.refers_to = Some((
            InvoiceNumber {
                kind: InvoiceType::F2,
                year: 2027,
                sequence: 5,
            },
            NaiveDate::from_ymd_opt(2027, 1, 3).unwrap(),
        ));
        for (name, sold) in [
            ("simplified-es", &simplified),
            ("distance-fr", &long),
            ("export-pt", &export),
            ("intra-community-fr", &supply),
            ("rectifying-it", &refund),
            ("replacing-es", &replacing),
        ] {
            let pdf = render(sold, "100234", AeatHost::Test).unwrap();
            let Some(pages) = rendered(&pdf, &folder, name) else {
                return;
            };
            let expected = lay_out(sold, "100234", AeatHost::Test).unwrap().len();
            assert_eq!(pages.len(), expected, "{name}");
            let (width, height) = image::image_dimensions(&pages[0]).unwrap();
            assert_eq!((width, height), (1241, 1754), "A4 at 150 dpi");
            assert_eq!(
                qr_text(&pages[0]),
                verification_url(AeatHost::Test, &sold.id(), sold.total())
            );
        }
    }

    #[test]
    fn the_mail_is_in_the_invoice_s_language() {
        let mut sold = invoice(InvoiceType::F1, Treatment::Export, 1);
        sold.language = Locale::It;
        let mail = InvoiceMail::of(&sold, "100234");
        assert_eq!(mail.subject, "La sua fattura F1-2027-000123");
        assert!(mail.body.contains("ordine 100234"));
    }
}
