DROP TABLE outbox_messages;
DROP TABLE rate_limit_hits;
DROP TABLE refresh_tokens;
DROP TABLE sign_in_links;
ALTER TABLE users DROP COLUMN deleted_at;
ALTER TABLE users DROP COLUMN password_hash;
