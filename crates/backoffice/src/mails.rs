//! Mails the back office sends customers, in their site's language.

use comptoir_domain::{Locale, SiteCode};
use comptoir_store::{ErasureRequest, OrderRecord, OutgoingMail};

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

/// "Your account is erased": what is gone, and what tax law keeps, restricted.
pub fn erasure_done(request: &ErasureRequest) -> OutgoingMail {
    let (subject, body) = match request.site.locale() {
        Locale::Es => (
            "Hemos suprimido tu cuenta",
            "Hola:\n\nComo nos pediste, hemos suprimido tu cuenta, tus direcciones y tus sesiones. Los pedidos y facturas que la ley tributaria nos obliga a conservar quedan bloqueados, sin otro uso, hasta que acabe ese plazo, y después se anonimizarán.\n\nEste es el último correo que te enviamos.",
        ),
        Locale::Fr => (
            "Votre compte a été supprimé",
            "Bonjour,\n\nComme vous l'avez demandé, nous avons supprimé votre compte, vos adresses et vos sessions. Les commandes et factures que la loi fiscale nous impose de conserver sont verrouillées, sans autre usage, jusqu'à la fin de ce délai, puis seront anonymisées.\n\nCe courriel est le dernier que nous vous envoyons.",
        ),
        Locale::Pt => (
            "Apagámos a sua conta",
            "Olá,\n\nComo pediu, apagámos a sua conta, as suas moradas e as suas sessões. As encomendas e faturas que a lei fiscal nos obriga a conservar ficam bloqueadas, sem outro uso, até ao fim desse prazo, e depois serão anonimizadas.\n\nEste é o último e-mail que lhe enviamos.",
        ),
        Locale::It => (
            "Abbiamo cancellato il tuo account",
            "Ciao,\n\ncome ci hai chiesto, abbiamo cancellato il tuo account, i tuoi indirizzi e le tue sessioni. Gli ordini e le fatture che la legge fiscale ci impone di conservare restano bloccati, senza altro uso, fino alla fine di quel periodo, e poi saranno resi anonimi.\n\nQuesta è l'ultima e-mail che ti inviamo.",
        ),
    };
    OutgoingMail {
        recipient: request.email.clone(),
        subject: subject.to_owned(),
        body: format!("{body}\n"),
    }
}

/// "We cannot erase your account", with staff's reason.
pub fn erasure_refused(request: &ErasureRequest, reason: &str) -> OutgoingMail {
    let (subject, body) = match request.site.locale() {
        Locale::Es => (
            "Tu solicitud de supresión",
            "Hola:\n\nNo podemos suprimir tu cuenta por ahora, por este motivo:\n\n{reason}\n\nSi no estás de acuerdo, puedes responder a este correo o reclamar ante la autoridad de protección de datos.",
        ),
        Locale::Fr => (
            "Votre demande de suppression",
            "Bonjour,\n\nNous ne pouvons pas supprimer votre compte pour l'instant, pour la raison suivante\u{a0}:\n\n{reason}\n\nSi vous n'êtes pas d'accord, répondez à ce courriel ou saisissez l'autorité de protection des données.",
        ),
        Locale::Pt => (
            "O seu pedido de apagamento",
            "Olá,\n\nNão podemos apagar a sua conta por agora, pelo seguinte motivo:\n\n{reason}\n\nSe não concordar, pode responder a este e-mail ou reclamar junto da autoridade de proteção de dados.",
        ),
        Locale::It => (
            "La tua richiesta di cancellazione",
            "Ciao,\n\nnon possiamo cancellare il tuo account per ora, per questo motivo:\n\n{reason}\n\nSe non sei d'accordo, puoi rispondere a questa e-mail o proporre reclamo all'autorità per la protezione dei dati.",
        ),
    };
    OutgoingMail {
        recipient: request.email.clone(),
        subject: subject.to_owned(),
        body: format!("{}\n", body.replace("{reason}", reason)),
    }
}
