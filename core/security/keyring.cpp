#include "security/keyring.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace oa::security {
namespace {

constexpr std::string_view kSealPrefix = "v1:";
// crypto_kdf contexts are exactly 8 characters; they separate the subkeys' purposes.
constexpr char kPasswordContext[] = "oa-passw";
constexpr char kApiKeyContext[] = "oa-apike";
constexpr char kBoxContext[] = "oa-boxes";
constexpr unsigned long long kPasswordOpsLimit = 3;
constexpr std::size_t kPasswordMemLimit = 64 * 1024 * 1024;

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

std::vector<unsigned char> from_hex(std::string_view hex) {
  std::vector<unsigned char> out(hex.size() / 2);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
      end != hex.data() + hex.size())
    throw std::invalid_argument("FERNET_SALT must be hexadecimal");
  out.resize(written);
  return out;
}

// BLAKE2b-256 of `data` under `key`, hex encoded.
std::string keyed_digest(const std::array<unsigned char, 32>& key, std::string_view data) {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), key.data(), key.size());
  return to_hex(out.data(), out.size());
}

}  // namespace

void init_crypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  auto hex = to_hex(buffer.data(), buffer.size());
  sodium_memzero(buffer.data(), buffer.size());
  return hex;
}

Keyring Keyring::derive(std::string_view pepper, std::string_view salt_hex) {
  if (pepper.size() < 32) throw std::invalid_argument("API_KEY_PEPPER must be at least 32 characters");
  if (salt_hex.size() < 32) throw std::invalid_argument("FERNET_SALT must be at least 32 hex characters");
  auto salt = from_hex(salt_hex.substr(0, crypto_pwhash_SALTBYTES * 2));
  std::array<unsigned char, crypto_kdf_KEYBYTES> master{};
  if (crypto_pwhash(master.data(), master.size(), pepper.data(), pepper.size(), salt.data(),
                    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("not enough memory to derive the master key");
  Keyring keyring;
  crypto_kdf_derive_from_key(keyring.password_key_.data(), 32, 1, kPasswordContext, master.data());
  crypto_kdf_derive_from_key(keyring.api_key_key_.data(), 32, 1, kApiKeyContext, master.data());
  crypto_kdf_derive_from_key(keyring.box_key_.data(), 32, 1, kBoxContext, master.data());
  sodium_memzero(master.data(), master.size());
  return keyring;
}

Keyring::Keyring(Keyring&& other) noexcept
    : password_key_(other.password_key_), api_key_key_(other.api_key_key_), box_key_(other.box_key_) {
  sodium_memzero(other.password_key_.data(), 32);
  sodium_memzero(other.api_key_key_.data(), 32);
  sodium_memzero(other.box_key_.data(), 32);
}

Keyring::~Keyring() {
  sodium_memzero(password_key_.data(), 32);
  sodium_memzero(api_key_key_.data(), 32);
  sodium_memzero(box_key_.data(), 32);
}

std::string Keyring::hash_password(std::string_view password) const {
  auto peppered = keyed_digest(password_key_, password);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, peppered.data(), peppered.size(), kPasswordOpsLimit, kPasswordMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("not enough memory to hash a password");
  sodium_memzero(peppered.data(), peppered.size());
  return out;
}

bool Keyring::verify_password(std::string_view password, std::string_view stored_hash) const {
  std::string stored(stored_hash);
  auto peppered = keyed_digest(password_key_, password);
  bool ok = crypto_pwhash_str_verify(stored.c_str(), peppered.data(), peppered.size()) == 0;
  sodium_memzero(peppered.data(), peppered.size());
  return ok;
}

std::string Keyring::api_key_digest(std::string_view api_key) const { return keyed_digest(api_key_key_, api_key); }

std::string Keyring::seal(std::string_view plaintext) const {
  if (plaintext.empty()) return {};
  std::vector<unsigned char> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  unsigned char* nonce = sealed.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nonce,
                        box_key_.data());
  std::string encoded(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), sealed.data(), sealed.size(), sodium_base64_VARIANT_ORIGINAL);
  encoded.pop_back();  // the terminating NUL
  return std::string(kSealPrefix) + encoded;
}

std::optional<std::string> Keyring::open(std::string_view sealed) const {
  if (sealed.empty()) return std::string();
  if (!sealed.starts_with(kSealPrefix)) return std::nullopt;
  auto encoded = sealed.substr(kSealPrefix.size());
  std::vector<unsigned char> raw(encoded.size());
  std::size_t raw_size = 0;
  if (sodium_base642bin(raw.data(), raw.size(), encoded.data(), encoded.size(), nullptr, &raw_size, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      raw_size < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return std::nullopt;
  std::string plain(raw_size - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 raw.data() + crypto_secretbox_NONCEBYTES, raw_size - crypto_secretbox_NONCEBYTES,
                                 raw.data(), box_key_.data()) != 0)
    return std::nullopt;
  return plain;
}

}  // namespace oa::security
