-- Letters' PDFs and uploaded documents as binary columns (BLOB on SQLite, BYTEA on PostgreSQL)
-- instead of hex text: half the space, and no conversion on every read. Existing rows are
-- converted in place; the hex columns go.

-- sqlite:begin
ALTER TABLE case_letter ADD COLUMN pdf BLOB NOT NULL DEFAULT x'';
UPDATE case_letter SET pdf = unhex(pdf_hex);
ALTER TABLE case_letter DROP COLUMN pdf_hex;

ALTER TABLE case_document ADD COLUMN content BLOB NOT NULL DEFAULT x'';
UPDATE case_document SET content = unhex(content_hex);
ALTER TABLE case_document DROP COLUMN content_hex;
-- sqlite:end

-- postgres:begin
ALTER TABLE case_letter ADD COLUMN pdf BYTEA NOT NULL DEFAULT ''::bytea;
UPDATE case_letter SET pdf = decode(pdf_hex, 'hex');
ALTER TABLE case_letter DROP COLUMN pdf_hex;
ALTER TABLE case_letter ALTER COLUMN pdf DROP DEFAULT;

ALTER TABLE case_document ADD COLUMN content BYTEA NOT NULL DEFAULT ''::bytea;
UPDATE case_document SET content = decode(content_hex, 'hex');
ALTER TABLE case_document DROP COLUMN content_hex;
ALTER TABLE case_document ALTER COLUMN content DROP DEFAULT;
-- postgres:end
