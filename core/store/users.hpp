#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oa::store {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  bool is_admin = false;
  std::string created_at;  // UTC ISO-8601
};

// The daemon's login accounts. Passwords arrive already hashed.
class Users {
 public:
  explicit Users(Store& store) : store_(store) {}

  // Returns the new user's id. Throws Conflict when the username is taken.
  std::int64_t add(const std::string& username, const std::string& password_hash, bool is_admin);

  std::optional<User> find_by_username(const std::string& username) const;
  std::optional<User> find_by_id(std::int64_t id) const;
  std::vector<User> list() const;  // in order of creation
  std::int64_t count() const;

  // Returns false when no user has that id.
  [[nodiscard]] bool set_password_hash(std::int64_t id, const std::string& password_hash);

 private:
  Store& store_;
};

}  // namespace oa::store
