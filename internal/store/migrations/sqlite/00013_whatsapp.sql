-- +goose Up
-- The settings of a WhatsApp account (a business number): which provider
-- carries it and the credentials for that provider. Meta's Cloud API needs
-- the phone number id, the business account id, an access token, the app
-- secret (webhook signatures) and the verify token (the webhook handshake);
-- Twilio needs the account SID, the auth token (signatures and media) and
-- the sender. webhook_key is the random part of the account's webhook URL.
-- api_base_url, when set, replaces the provider's real URL (tests, benches).
CREATE TABLE whatsapp_settings (
    account_id          INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    provider            TEXT NOT NULL CHECK (provider IN ('meta', 'twilio')),
    phone_number        TEXT NOT NULL UNIQUE,
    phone_number_id     TEXT NOT NULL DEFAULT '',
    business_account_id TEXT NOT NULL DEFAULT '',
    access_token        TEXT NOT NULL DEFAULT '',
    app_secret          TEXT NOT NULL DEFAULT '',
    verify_token        TEXT NOT NULL DEFAULT '',
    account_sid         TEXT NOT NULL DEFAULT '',
    auth_token          TEXT NOT NULL DEFAULT '',
    sender              TEXT NOT NULL DEFAULT '',
    webhook_key         TEXT NOT NULL UNIQUE,
    api_base_url        TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE whatsapp_settings;
