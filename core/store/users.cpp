#include "store/users.hpp"

#include "store/native_sql.hpp"

#include <soci/soci.h>

namespace oa::store {
namespace {

// Runs SELECT <the columns of User> FROM users <condition>, binding each of
// `parameters` in turn.
template <typename... Parameters>
std::vector<User> select_users(soci::session& sql, const std::string& condition,
                               const Parameters&... parameters) {
  User user;
  int is_admin = 0;
  auto query = (sql.prepare << "SELECT id, username, password_hash, is_admin, created_at FROM users "
                            << condition,
                soci::into(user.id), soci::into(user.username), soci::into(user.password_hash),
                soci::into(is_admin), soci::into(user.created_at));
  ((query, soci::use(parameters)), ...);
  soci::statement statement(query);
  statement.execute();
  std::vector<User> users;
  while (statement.fetch()) {
    user.is_admin = is_admin != 0;
    users.push_back(user);
  }
  return users;
}

std::optional<User> first(std::vector<User> users) {
  if (users.empty()) {
    return std::nullopt;
  }
  return std::move(users.front());
}

}  // namespace

std::int64_t Users::add(const std::string& username, const std::string& password_hash,
                        bool is_admin) {
  auto lease = store_.lease();
  const int admin_flag = is_admin ? 1 : 0;
  std::int64_t id = 0;
  try {
    *lease << "INSERT INTO users (username, password_hash, is_admin) "
              "VALUES (:username, :password_hash, :is_admin) RETURNING id",
        soci::use(username), soci::use(password_hash), soci::use(admin_flag), soci::into(id);
  } catch (const soci::soci_error& error) {
    if (is_unique_violation(error, *lease, lease.backend())) {
      throw Conflict("a user named '" + username + "' already exists");
    }
    throw;
  }
  return id;
}

std::optional<User> Users::find_by_username(const std::string& username) const {
  auto lease = store_.lease();
  return first(select_users(*lease, "WHERE username = :username", username));
}

std::optional<User> Users::find_by_id(std::int64_t id) const {
  auto lease = store_.lease();
  return first(select_users(*lease, "WHERE id = :id", id));
}

std::vector<User> Users::list() const {
  auto lease = store_.lease();
  return select_users(*lease, "ORDER BY id");
}

std::int64_t Users::count() const {
  auto lease = store_.lease();
  std::int64_t count = 0;
  *lease << "SELECT COUNT(*) FROM users", soci::into(count);
  return count;
}

bool Users::set_password_hash(std::int64_t id, const std::string& password_hash) {
  auto lease = store_.lease();
  soci::statement statement = (lease->prepare << "UPDATE users SET password_hash = :password_hash "
                                                 "WHERE id = :id",
                               soci::use(password_hash), soci::use(id));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

}  // namespace oa::store
