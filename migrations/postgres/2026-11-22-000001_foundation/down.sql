DROP TABLE audit_log;
DROP TABLE admin_api_tokens;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE neighbourhoods;
