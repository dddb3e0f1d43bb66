//! Documents attached to an application: PDF, JPEG or PNG, recognised by their content (never by
//! the file name the browser sends), within a size limit.

use crate::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum DocumentType {
    Pdf,
    Jpeg,
    Png,
}

impl DocumentType {
    pub fn mime(self) -> &'static str {
        match self {
            DocumentType::Pdf => "application/pdf",
            DocumentType::Jpeg => "image/jpeg",
            DocumentType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocumentType::Pdf => "pdf",
            DocumentType::Jpeg => "jpg",
            DocumentType::Png => "png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<DocumentType> {
        [DocumentType::Pdf, DocumentType::Jpeg, DocumentType::Png]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// The type by the file's first bytes (its signature).
pub fn detect(bytes: &[u8]) -> Option<DocumentType> {
    if bytes.starts_with(b"%PDF-") {
        Some(DocumentType::Pdf)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(DocumentType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocumentType::Jpeg)
    } else {
        None
    }
}

/// A file name safe to show and to offer for download: no path, no control characters, at
/// most 100 characters, with the extension of its real type.
pub fn clean_name(name: &str, kind: DocumentType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let stem: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .take(100)
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "dokument" } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// Checks an upload: not empty, within `max_bytes`, and a PDF, JPEG or PNG by content.
pub fn check_upload(field: &str, bytes: &[u8], max_bytes: usize) -> Result<DocumentType, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(field, "required", "error.document.file_required"));
    }
    if bytes.len() > max_bytes {
        let mb = max_bytes / (1024 * 1024);
        return Err(FieldError::new(field, "too_large", "error.document.too_large").arg("mb", mb));
    }
    detect(bytes).ok_or_else(|| FieldError::new(field, "unsupported_type", "error.document.unsupported_type"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn types_by_content_not_by_name() {
        assert_eq!(detect(b"%PDF-1.7\n..."), Some(DocumentType::Pdf));
        assert_eq!(
            detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(DocumentType::Png)
        );
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(DocumentType::Jpeg));
        assert_eq!(detect(b"MZ\x90\x00 an executable"), None);
        assert_eq!(detect(b"<html>%PDF-"), None);
        assert_eq!(
            clean_name("C:\\Users\\x\\lønn mai.exe", DocumentType::Pdf),
            "lønn mai.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd", DocumentType::Png), "passwd.png");
        assert_eq!(clean_name("", DocumentType::Jpeg), "dokument.jpg");
    }

    #[test]
    fn uploads_are_checked() {
        assert_eq!(check_upload("file", b"", 10).unwrap_err().code, "required");
        assert_eq!(
            check_upload("file", b"%PDF-1.7 and more", 5).unwrap_err().code,
            "too_large"
        );
        assert_eq!(
            check_upload("file", b"GIF89a", 100).unwrap_err().code,
            "unsupported_type"
        );
        assert_eq!(check_upload("file", b"%PDF-1.7", 100), Ok(DocumentType::Pdf));
    }

    proptest! {
        #[test]
        fn detection_never_panics_and_names_stay_safe(bytes in prop::collection::vec(any::<u8>(), 0..64), name in ".{0,300}") {
            let _ = detect(&bytes);
            let cleaned = clean_name(&name, DocumentType::Pdf);
            prop_assert!(cleaned.chars().count() <= 104);
            prop_assert!(!cleaned.contains('/') && !cleaned.contains('\\') && !cleaned.chars().any(char::is_control));
        }
    }
}
