//! What an invoice says, in each of the four languages. VERI*FACTU's own phrases
//! ("QR tributario:", "VERI*FACTU") are Spanish on every invoice, as AEAT fixes them.

use comptoir_domain::Locale;
use comptoir_domain::destination::Country;
use comptoir_domain::invoicing::InvoiceType;

pub struct Texts {
    pub simplified_invoice: &'static str,
    pub invoice: &'static str,
    pub rectifying_invoice: &'static str,
    pub simplified_rectifying_invoice: &'static str,
    pub number: &'static str,
    pub date: &'static str,
    pub order: &'static str,
    pub buyer: &'static str,
    pub tax_id: &'static str,
    pub description: &'static str,
    pub quantity: &'static str,
    pub unit_price: &'static str,
    pub discount: &'static str,
    pub vat_rate: &'static str,
    pub line_net: &'static str,
    pub vat_breakdown: &'static str,
    pub rate: &'static str,
    pub taxable_base: &'static str,
    pub vat_amount: &'static str,
    pub no_vat: &'static str,
    pub total_net: &'static str,
    pub total_vat: &'static str,
    pub total: &'static str,
    /// "Rectifies invoice {number} of {date}", by difference.
    pub rectifies: &'static str,
    /// "Replaces simplified invoice {number} of {date}".
    pub replaces: &'static str,
    /// A distance sale's note; `{country}` is where it goes.
    pub distance_sale: &'static str,
    pub intra_community_supply: &'static str,
    pub export: &'static str,
    /// The banner on an invoice of the sample issuer.
    pub sample_issuer: &'static str,
    /// "Page {page} of {pages}".
    pub page: &'static str,
    pub countries: [&'static str; 4],
    /// The invoice mail's subject; `{number}` is the invoice's.
    pub mail_subject: &'static str,
    /// The invoice mail's text; `{number}` and `{order}`.
    pub mail_body: &'static str,
}

impl Texts {
    pub fn of(language: Locale) -> &'static Texts {
        match language {
            Locale::Es => &SPANISH,
            Locale::Fr => &FRENCH,
            Locale::Pt => &PORTUGUESE,
            Locale::It => &ITALIAN,
        }
    }

    /// The document's title for an invoice of `kind`.
    pub fn title(&self, kind: InvoiceType) -> &'static str {
        match kind {
            InvoiceType::F2 => self.simplified_invoice,
            InvoiceType::F1 | InvoiceType::F3 => self.invoice,
            InvoiceType::R5 => self.simplified_rectifying_invoice,
            InvoiceType::R1 | InvoiceType::R4 => self.rectifying_invoice,
        }
    }

    pub fn country(&self, country: Country) -> &'static str {
        let index = match country {
            Country::Es => 0,
            Country::Fr => 1,
            Country::Pt => 2,
            Country::It => 3,
        };
        self.countries[index]
    }
}

static SPANISH: Texts = Texts {
    simplified_invoice: "Factura simplificada",
    invoice: "Factura",
    rectifying_invoice: "Factura rectificativa",
    simplified_rectifying_invoice: "Factura rectificativa simplificada",
    number: "Número",
    date: "Fecha",
    order: "Pedido",
    buyer: "Cliente",
    tax_id: "NIF",
    description: "Descripción",
    quantity: "Cant.",
    unit_price: "Precio ud. (IVA incl.)",
    discount: "Descuento",
    vat_rate: "IVA",
    line_net: "Base imponible",
    vat_breakdown: "Desglose del IVA",
    rate: "Tipo",
    taxable_base: "Base imponible",
    vat_amount: "Cuota",
    no_vat: "Exenta",
    total_net: "Total base imponible",
    total_vat: "Total IVA",
    total: "Total",
    rectifies: "Rectifica la factura {number} de {date}, por diferencias (art. 15 RD 1619/2012).",
    replaces: "Sustituye a la factura simplificada {number} de {date} (art. 7.1 RD 1619/2012).",
    distance_sale: "Venta a distancia intracomunitaria: IVA de {country} (régimen de ventanilla única, OSS).",
    intra_community_supply: "Entrega intracomunitaria exenta (art. 25 Ley 37/1992 del IVA).",
    export: "Exportación exenta (art. 21 Ley 37/1992 del IVA).",
    sample_issuer: "Documento de ejemplo: los datos legales del vendedor no están configurados.",
    page: "Página {page} de {pages}",
    countries: ["España", "Francia", "Portugal", "Italia"],
    mail_subject: "Su factura {number}",
    mail_body: "Hola:\n\nAdjuntamos la factura {number} de su pedido {order}, en PDF.\n\nTambién puede descargarla en cualquier momento desde la página del pedido, en su cuenta.\n\nGracias por su compra.",
};

static FRENCH: Texts = Texts {
    simplified_invoice: "Facture simplifiée",
    invoice: "Facture",
    rectifying_invoice: "Facture rectificative",
    simplified_rectifying_invoice: "Facture rectificative simplifiée",
    number: "Numéro",
    date: "Date",
    order: "Commande",
    buyer: "Client",
    tax_id: "N° d'identification",
    description: "Désignation",
    quantity: "Qté",
    unit_price: "Prix unitaire TTC",
    discount: "Remise",
    vat_rate: "TVA",
    line_net: "Montant HT",
    vat_breakdown: "Détail de la TVA",
    rate: "Taux",
    taxable_base: "Base HT",
    vat_amount: "TVA",
    no_vat: "Exonérée",
    total_net: "Total HT",
    total_vat: "Total TVA",
    total: "Total TTC",
    rectifies: "Rectifie la facture {number} du {date}, par différence.",
    replaces: "Remplace la facture simplifiée {number} du {date}.",
    distance_sale: "Vente à distance intracommunautaire\u{a0}: TVA de {country} (guichet unique, OSS).",
    intra_community_supply: "Livraison intracommunautaire exonérée (art. 138 de la directive 2006/112/CE\u{a0}; art. 25 de la loi espagnole 37/1992).",
    export: "Exportation exonérée (art. 21 de la loi espagnole 37/1992 sur la TVA).",
    sample_issuer: "Document d'exemple\u{a0}: les informations légales du vendeur ne sont pas renseignées.",
    page: "Page {page} sur {pages}",
    countries: ["l'Espagne", "la France", "le Portugal", "l'Italie"],
    mail_subject: "Votre facture {number}",
    mail_body: "Bonjour,\n\nVous trouverez ci-joint, en PDF, la facture {number} de votre commande {order}.\n\nVous pouvez aussi la télécharger à tout moment depuis la page de la commande, dans votre compte.\n\nMerci pour votre achat.",
};

static PORTUGUESE: Texts = Texts {
    simplified_invoice: "Fatura simplificada",
    invoice: "Fatura",
    rectifying_invoice: "Fatura retificativa",
    simplified_rectifying_invoice: "Fatura retificativa simplificada",
    number: "Número",
    date: "Data",
    order: "Encomenda",
    buyer: "Cliente",
    tax_id: "NIF",
    description: "Descrição",
    quantity: "Qtd.",
    unit_price: "Preço unit. (IVA incl.)",
    discount: "Desconto",
    vat_rate: "IVA",
    line_net: "Base tributável",
    vat_breakdown: "Resumo do IVA",
    rate: "Taxa",
    taxable_base: "Base tributável",
    vat_amount: "IVA",
    no_vat: "Isenta",
    total_net: "Total sem IVA",
    total_vat: "Total IVA",
    total: "Total",
    rectifies: "Retifica a fatura {number} de {date}, por diferença.",
    replaces: "Substitui a fatura simplificada {number} de {date}.",
    distance_sale: "Venda à distância intracomunitária: IVA de {country} (balcão único, OSS).",
    intra_community_supply: "Entrega intracomunitária isenta (art. 138.º da Diretiva 2006/112/CE; art. 25 da lei espanhola 37/1992).",
    export: "Exportação isenta (art. 21 da lei espanhola 37/1992 do IVA).",
    sample_issuer: "Documento de exemplo: os dados legais do vendedor não estão configurados.",
    page: "Página {page} de {pages}",
    countries: ["Espanha", "França", "Portugal", "Itália"],
    mail_subject: "A sua fatura {number}",
    mail_body: "Olá,\n\nEnviamos em anexo, em PDF, a fatura {number} da sua encomenda {order}.\n\nTambém a pode descarregar a qualquer momento na página da encomenda, na sua conta.\n\nObrigado pela sua compra.",
};

static ITALIAN: Texts = Texts {
    simplified_invoice: "Fattura semplificata",
    invoice: "Fattura",
    rectifying_invoice: "Fattura rettificativa",
    simplified_rectifying_invoice: "Fattura rettificativa semplificata",
    number: "Numero",
    date: "Data",
    order: "Ordine",
    buyer: "Cliente",
    tax_id: "Codice fiscale",
    description: "Descrizione",
    quantity: "Q.tà",
    unit_price: "Prezzo unit. (IVA incl.)",
    discount: "Sconto",
    vat_rate: "IVA",
    line_net: "Imponibile",
    vat_breakdown: "Riepilogo IVA",
    rate: "Aliquota",
    taxable_base: "Imponibile",
    vat_amount: "Imposta",
    no_vat: "Esente",
    total_net: "Totale imponibile",
    total_vat: "Totale IVA",
    total: "Totale",
    rectifies: "Rettifica la fattura {number} del {date}, per differenza.",
    replaces: "Sostituisce la fattura semplificata {number} del {date}.",
    distance_sale: "Vendita a distanza intracomunitaria: IVA di {country} (sportello unico, OSS).",
    intra_community_supply: "Cessione intracomunitaria non imponibile (art. 138 della direttiva 2006/112/CE; art. 25 della legge spagnola 37/1992).",
    export: "Esportazione esente (art. 21 della legge spagnola 37/1992 sull'IVA).",
    sample_issuer: "Documento di esempio: i dati legali del venditore non sono configurati.",
    page: "Pagina {page} di {pages}",
    countries: ["Spagna", "Francia", "Portogallo", "Italia"],
    mail_subject: "La sua fattura {number}",
    mail_body: "Buongiorno,\n\nin allegato trova, in PDF, la fattura {number} del suo ordine {order}.\n\nPuò scaricarla in qualsiasi momento anche dalla pagina dell'ordine, nel suo account.\n\nGrazie per l'acquisto.",
};
