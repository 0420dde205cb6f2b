#pragma once
// The one place where secrets are taken out of text before it is written
// anywhere: every log sink runs its payload through redact(), and so can any
// other writer of free text (audit details, error replies that echo input).
//
// redact() replaces the secret part with "[REDACTED]" and keeps the key name,
// so the line stays readable. It masks:
//  - credentials after an auth scheme: "Bearer <token>", "token <key>:<token>";
//  - the value of any credential-named key (api_key, password, access_token,
//    x-api-key, broker_api_secret, jwtToken, ...) in key=value, key: value,
//    JSON, Python-repr, URL-query and HTTP-header forms;
//  - anything shaped like an OpenAlgo API key (exactly 64 hex characters);
//  - JWTs (eyJ... three base64url parts);
//  - every value registered with add_secret(), wherever it appears.
// It runs in linear time with no regular expressions: every log line passes
// through it.
#include <string>
#include <string_view>

namespace oa::log {

// Masks `value` wherever it appears from now on. Values under 8 characters are
// ignored: they are too likely to mask ordinary text. Thread-safe.
void add_secret(std::string_view value);

// Forgets every value given to add_secret(). For tests.
void clear_secrets();

// `text` with every secret replaced by "[REDACTED]". Thread-safe, and
// idempotent: redact(redact(t)) == redact(t).
std::string redact(std::string_view text);

}  // namespace oa::log
