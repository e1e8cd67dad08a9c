//! The EU model withdrawal form (Directive 2011/83/EU, annex I(B)) in the site's
//! language, addressed to the seller, as a plain-text download any shopper can print
//! or fill in and e-mail.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use comptoir_domain::Locale;

use super::views::WITHDRAWAL_FORM_PATH;
use crate::AppState;
use crate::extract::Shop;

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("/{WITHDRAWAL_FORM_PATH}"), get(withdrawal_form))
}

/// The form's text in a language (`{seller}` is the seller's name, address and
/// e-mail) and the name of the file.
fn model(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Es => (
            "Modelo de formulario de desistimiento\n\
             (solo debe cumplimentar y enviar el presente formulario si desea desistir del contrato)\n\n\
             - A la atención de {seller}:\n\n\
             - Por la presente le comunico/comunicamos (*) que desisto de/desistimos de (*) mi/nuestro (*) \
             contrato de venta del siguiente bien/prestación del siguiente servicio (*):\n\n\n\
             - Pedido el/recibido el (*):\n\
             - Número de pedido:\n\
             - Nombre del consumidor o de los consumidores:\n\
             - Domicilio del consumidor o de los consumidores:\n\
             - Firma del consumidor o de los consumidores (solo si el presente formulario se presenta en papel):\n\
             - Fecha:\n\n\
             (*) Táchese lo que no proceda.\n",
            "formulario-de-desistimiento.txt",
        ),
        Locale::Fr => (
            "Formulaire de rétractation\n\
             (Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du contrat.)\n\n\
             - À l'attention de {seller} :\n\n\
             - Je/Nous (*) vous notifie/notifions (*) par la présente ma/notre (*) rétractation du contrat \
             portant sur la vente du bien (*)/pour la prestation de services (*) ci-dessous :\n\n\n\
             - Commandé le (*)/reçu le (*) :\n\
             - Numéro de commande :\n\
             - Nom du (des) consommateur(s) :\n\
             - Adresse du (des) consommateur(s) :\n\
             - Signature du (des) consommateur(s) (uniquement en cas de notification du présent formulaire sur papier) :\n\
             - Date :\n\n\
             (*) Rayez la mention inutile.\n",
            "formulaire-de-retractation.txt",
        ),
        Locale::Pt => (
            "Modelo de formulário de livre resolução\n\
             (só deve preencher e devolver o presente formulário se quiser resolver o contrato)\n\n\
             - Para {seller}:\n\n\
             - Pela presente comunico/comunicamos (*) que resolvo/resolvemos (*) do meu/nosso (*) contrato \
             de venda do seguinte bem/para a prestação do seguinte serviço (*):\n\n\n\
             - Solicitado em (*)/recebido em (*):\n\
             - Número da encomenda:\n\
             - Nome do(s) consumidor(es):\n\
             - Endereço do(s) consumidor(es):\n\
             - Assinatura do(s) consumidor(es) (só no caso de o presente formulário ser notificado em papel):\n\
             - Data:\n\n\
             (*) Riscar o que não interessa.\n",
            "formulario-de-livre-resolucao.txt",
        ),
        Locale::It => (
            "Modulo di recesso tipo\n\
             (compilare e restituire il presente modulo solo se si desidera recedere dal contratto)\n\n\
             - Destinatario {seller}:\n\n\
             - Con la presente io/noi (*) notifichiamo il recesso dal mio/nostro (*) contratto di vendita \
             dei seguenti beni/servizi (*):\n\n\n\
             - Ordinato il (*)/ricevuto il (*):\n\
             - Numero d'ordine:\n\
             - Nome del/dei consumatore(i):\n\
             - Indirizzo del/dei consumatore(i):\n\
             - Firma del/dei consumatore(i) (solo se il presente modulo è notificato in versione cartacea):\n\
             - Data:\n\n\
             (*) Cancellare la dicitura inutilizzata.\n",
            "modulo-di-recesso.txt",
        ),
    }
}

async fn withdrawal_form(shop: Shop) -> impl IntoResponse {
    let identity = &shop.snapshot.content().site(shop.site).identity;
    let seller = [
        identity.company_name.as_str(),
        identity.address.as_str(),
        identity.email.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let (text, file_name) = model(shop.locale());
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        text.replace("{seller}", &seller),
    )
}
