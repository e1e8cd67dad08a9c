//! Mails the back office sends customers, in their site's language.

use comptoir_domain::{Locale, SiteCode};
use comptoir_store::{OrderRecord, OutgoingMail};

/// "Your order is on its way", with the carrier and tracking number.
pub fn shipment(order: &OrderRecord, carrier: &str, tracking: &str) -> OutgoingMail {
    let locale = SiteCode::parse(&order.site).map_or(Locale::Es, SiteCode::locale);
    let (subject, greeting, body, closing) = match locale {
        Locale::Es => (
            "Tu pedido {number} va de camino",
            "Hola {name}:",
            "Tu pedido {number} ha salido de nuestro almacén con {carrier}. Número de seguimiento: {tracking}.",
            "Gracias por tu compra.",
        ),
        Locale::Fr => (
            "Votre commande {number} est en route",
            "Bonjour {name},",
            "Votre commande {number} a quitté notre entrepôt avec {carrier}. Numéro de suivi : {tracking}.",
            "Merci pour votre achat.",
        ),
        Locale::Pt => (
            "A sua encomenda {number} está a caminho",
            "Olá {name},",
            "A sua encomenda {number} saiu do nosso armazém com {carrier}. Número de seguimento: {tracking}.",
            "Obrigado pela sua compra.",
        ),
        Locale::It => (
            "Il tuo ordine {number} è in viaggio",
            "Ciao {name},",
            "Il tuo ordine {number} ha lasciato il nostro magazzino con {carrier}. Numero di tracciamento: {tracking}.",
            "Grazie per il tuo acquisto.",
        ),
    };
    let fill = |text: &str| {
        text.replace("{number}", &order.number)
            .replace("{name}", &order.ship_to.name)
            .replace("{carrier}", carrier)
            .replace("{tracking}", tracking)
    };
    OutgoingMail {
        recipient: order.email.clone(),
        subject: fill(subject),
        body: format!("{}\n\n{}\n\n{}\n", fill(greeting), fill(body), closing),
    }
}
