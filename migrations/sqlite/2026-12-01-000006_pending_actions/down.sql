ALTER TABLE sign_in_links DROP COLUMN return_path;
DROP TABLE pending_actions;
