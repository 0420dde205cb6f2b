#pragma once
// All of openalgod's secret-keyed cryptography, on libsodium.
//
//  - Passwords: Argon2id (crypto_pwhash_str, 64 MiB, 3 passes) over a keyed
//    BLAKE2b of the password, the key being derived from API_KEY_PEPPER, so a
//    stolen database without the pepper cannot be attacked offline.
//  - API keys: 32 random bytes as 64 hex characters (OpenAlgo's format). They
//    carry 256 bits of entropy, so a keyed BLAKE2b-256 is enough to store them:
//    lookup is one indexed query, constant time, no slow hash on the hot path.
//  - Reversible secrets (the API key shown again in the UI, broker tokens):
//    XSalsa20-Poly1305 secretbox, encoded "v1:" + base64(nonce || box).
//
// The master key comes from Argon2id(pepper, FERNET_SALT) once per process;
// independent subkeys for each purpose come from crypto_kdf.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace oa::security {

// Calls sodium_init once; throws std::runtime_error if libsodium cannot start.
void init_crypto();

// 32 random bytes as 64 lowercase hex characters.
std::string random_hex(std::size_t bytes);
inline std::string generate_api_key() { return random_hex(32); }

class Keyring {
 public:
  // Slow on purpose (Argon2id over the pepper); call once at start.
  // Throws std::invalid_argument for a pepper under 32 characters or a salt
  // that is not at least 32 hex characters.
  static Keyring derive(std::string_view pepper, std::string_view salt_hex);

  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;
  Keyring(Keyring&&) noexcept;
  Keyring& operator=(Keyring&&) = delete;
  ~Keyring();

  std::string hash_password(std::string_view password) const;
  bool verify_password(std::string_view password, std::string_view stored_hash) const;

  // Keyed BLAKE2b-256 of the API key, as 64 hex characters.
  std::string api_key_digest(std::string_view api_key) const;

  // seal("") is "" so that "no token" stays recognisable without decrypting.
  std::string seal(std::string_view plaintext) const;
  // nullopt when the text was not sealed by this keyring (wrong pepper/salt, tampering).
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  Keyring() = default;
  using Key = std::array<unsigned char, 32>;
  Key password_key_{};
  Key api_key_key_{};
  Key box_key_{};
};

}  // namespace oa::security
