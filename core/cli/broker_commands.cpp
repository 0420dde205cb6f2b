#include "cli/broker_commands.hpp"

#include <iostream>

#include <boost/json.hpp>

#include "app/gateway.hpp"
#include "store/broker_auth.hpp"
#include "store/users.hpp"

namespace oa::cli {
namespace {

namespace json = boost::json;

std::int64_t user_id_for(app::Gateway& gateway, app::Runtime& runtime, const std::optional<std::string>& username) {
  if (!username) {
    auto admin = gateway.sessions().default_user();
    if (!admin) throw app::UsageError("there is no administrator: run `openalgod user add --username NAME`");
    return *admin;
  }
  auto user = store::Users(*runtime.store).find_by_username(*username);
  if (!user) throw app::UsageError("no user named '" + *username + "'");
  return user->id;
}

void add_field(std::map<std::string, std::string>& fields, const std::string& item) {
  auto equals = item.find('=');
  if (equals == std::string::npos || equals == 0)
    throw app::UsageError("a login field is NAME=VALUE, got '" + item.substr(0, equals) + "...'");
  fields[item.substr(0, equals)] = item.substr(equals + 1);
}

}  // namespace

std::map<std::string, std::string> parse_login_fields(const std::vector<std::string>& items, bool from_stdin) {
  std::map<std::string, std::string> fields;
  for (const auto& item : items) add_field(fields, item);
  if (!from_stdin) return fields;
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) add_field(fields, line);
  }
  return fields;
}

int broker_login(const app::ConfigSource& source, const std::string& broker, const std::optional<std::string>& username,
                 const std::map<std::string, std::string>& fields) {
  auto runtime = app::open_runtime(source);
  app::Gateway gateway(runtime);
  gateway.plugins().discover();  // plugins that fail to load are logged; only `broker` matters here
  auto user_id = user_id_for(gateway, runtime, username);
  if (auto refusal = gateway.sessions().login_refusal(broker)) throw app::UsageError(*refusal);
  json::object document;
  for (const auto& [name, value] : fields) document[name] = value;
  auto outcome = gateway.sessions().login_and_wait(user_id, broker, json::serialize(document));
  if (!outcome.ok()) {
    std::cerr << "openalgod: login to " << broker << " failed: " << outcome.message << '\n';
    return 1;
  }
  std::cout << outcome.message << '\n';
  return 0;
}

int broker_logout(const app::ConfigSource& source, const std::string& broker,
                  const std::optional<std::string>& username) {
  auto runtime = app::open_runtime(source);
  app::Gateway gateway(runtime);
  auto user_id = user_id_for(gateway, runtime, username);
  if (!gateway.sessions().logout(user_id, broker)) {
    std::cerr << "openalgod: no session with " << broker << " to log out of\n";
    return 1;
  }
  std::cout << "logged out of " << broker << '\n';
  return 0;
}

int broker_status(const app::ConfigSource& source) {
  auto runtime = app::open_runtime(source);
  store::Users users(*runtime.store);
  auto sessions = store::BrokerAuth(*runtime.store).live();
  if (sessions.empty()) {
    std::cout << "no live broker sessions (log in with `openalgod broker login ID`)\n";
    return 0;
  }
  for (const auto& session : sessions) {
    auto user = users.find_by_id(session.user_id);
    std::cout << (user ? user->username : std::to_string(session.user_id)) << "  " << session.broker << "  "
              << (session.broker_user_id.empty() ? "-" : session.broker_user_id) << "  since " << session.updated_at
              << '\n';
  }
  return 0;
}

}  // namespace oa::cli
