#include <doctest/doctest.h>

#include "security/accounts.hpp"
#include "security/keyring.hpp"

using oa::security::Keyring;

namespace {

const std::string kPepper(64, 'p');
const std::string kSalt = "00112233445566778899aabbccddeeff";

const Keyring& keyring() {
  static Keyring instance = [] {
    oa::security::init_crypto();
    return Keyring::derive(kPepper, kSalt);
  }();
  return instance;
}

}  // namespace

TEST_SUITE("security") {
  TEST_CASE("a hashed password verifies, a different one does not, and the hash is Argon2id") {
    auto hash = keyring().hash_password("Str0ng!pass");
    CHECK(hash.starts_with("$argon2id$"));
    CHECK(hash.find("Str0ng!pass") == std::string::npos);
    CHECK(keyring().verify_password("Str0ng!pass", hash));
    CHECK_FALSE(keyring().verify_password("Str0ng!pasS", hash));
  }

  TEST_CASE("a password hash made under another pepper does not verify") {
    auto other = Keyring::derive(std::string(64, 'q'), kSalt);
    CHECK_FALSE(keyring().verify_password("Str0ng!pass", other.hash_password("Str0ng!pass")));
  }

  TEST_CASE("generated API keys are 64 lowercase hex characters and differ") {
    auto first = oa::security::generate_api_key();
    auto second = oa::security::generate_api_key();
    CHECK(first.size() == 64);
    CHECK(first.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(first != second);
  }

  TEST_CASE("the API key digest is deterministic, keyed, and not the key") {
    auto key = oa::security::generate_api_key();
    CHECK(keyring().api_key_digest(key) == keyring().api_key_digest(key));
    CHECK(keyring().api_key_digest(key) != key);
    CHECK(keyring().api_key_digest(key).size() == 64);
    auto other = Keyring::derive(kPepper, "ffeeddccbbaa99887766554433221100");
    CHECK(other.api_key_digest(key) != keyring().api_key_digest(key));
  }

  TEST_CASE("sealed text opens to the original, is randomised, and fails under another key or tampering") {
    auto sealed = keyring().seal("broker-access-token");
    CHECK(sealed.starts_with("v1:"));
    CHECK(sealed.find("broker-access-token") == std::string::npos);
    CHECK(keyring().seal("broker-access-token") != sealed);
    CHECK(keyring().open(sealed) == "broker-access-token");
    auto other = Keyring::derive(std::string(64, 'q'), kSalt);
    CHECK_FALSE(other.open(sealed).has_value());
    std::string tampered = sealed;
    tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
    CHECK_FALSE(keyring().open(tampered).has_value());
    CHECK_FALSE(keyring().open("plaintext").has_value());
  }

  TEST_CASE("sealing the empty string gives the empty string") {
    CHECK(keyring().seal("").empty());
    CHECK(keyring().open("") == std::string());
  }

  TEST_CASE("a short pepper or a non-hex salt is refused") {
    CHECK_THROWS_AS(Keyring::derive("short", kSalt), std::invalid_argument);
    CHECK_THROWS_AS(Keyring::derive(kPepper, std::string(32, 'z')), std::invalid_argument);
  }

  TEST_CASE("the password policy names everything a weak password lacks") {
    using oa::security::password_policy_violation;
    CHECK_FALSE(password_policy_violation("Str0ng!pass").has_value());
    auto message = password_policy_violation("abc").value_or("");
    CHECK(message.find("at least 8 characters") != std::string::npos);
    CHECK(message.find("an upper-case letter") != std::string::npos);
    CHECK(message.find("a digit") != std::string::npos);
    CHECK(message.find("!@#$%^&*") != std::string::npos);
    CHECK(password_policy_violation("Str0ngpass").value_or("").find("special") != std::string::npos);
  }
}
