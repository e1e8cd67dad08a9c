//! A file posted with a form (multipart): the CSRF token first, then the file,
//! never more than a limit held in memory.

use axum::extract::Multipart;
use axum::http::HeaderMap;
use comptoir_web::csrf::{self, CsrfRejection, FormToken};

use crate::HttpError;

/// Why a form brought no file to use.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    TooLarge,
    NoFile,
}

/// The file of an upload, or why there is none. `Err` when the form was forged.
pub type Upload = Result<Result<Vec<u8>, Missing>, CsrfRejection>;

/// Reads the form's `field` file, of at most `max_bytes`, once its token is checked.
pub async fn read_upload(
    headers: &HeaderMap,
    form_token: &FormToken,
    multipart: &mut Multipart,
    field_name: &str,
    max_bytes: usize,
) -> Result<Upload, HttpError> {
    let unreadable = |_| HttpError::BadRequest("unreadable upload");
    let mut token_checked = false;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => {
                let token = field.text().await.map_err(unreadable)?;
                if let Err(rejection) = csrf::verify(headers, form_token, &token) {
                    return Ok(Err(rejection));
                }
                token_checked = true;
            }
            Some(name) if name == field_name && token_checked => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > max_bytes {
                        return Ok(Ok(Err(Missing::TooLarge)));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if bytes.is_empty() {
                    return Ok(Ok(Err(Missing::NoFile)));
                }
                return Ok(Ok(Ok(bytes)));
            }
            _ => {}
        }
    }
    if token_checked {
        Ok(Ok(Err(Missing::NoFile)))
    } else {
        Ok(Err(CsrfRejection::Forbidden("no CSRF field")))
    }
}
