#include "cli/cli.hpp"

#include <termios.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/daemon.hpp"
#include "app/runtime.hpp"
#include "cli/broker_commands.hpp"
#include "cli/feed_commands.hpp"
#include "cli/order_commands.hpp"
#include "cli/plugin_commands.hpp"
#include "cli/sandbox_commands.hpp"
#include "config/config.hpp"

namespace oa::cli {
namespace {

using app::UsageError;

struct Option {
  std::string name;       // "--username"
  std::string value_name; // "U"; empty = a switch
  std::string help;
};

struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;            // the last value of each option
  std::map<std::string, std::vector<std::string>> lists;  // every value of each option, in order
  std::set<std::string> switches;
  app::ConfigSource source;
  bool help = false;
};

struct Command {
  std::vector<std::string> words;  // {"user", "add"}
  std::string operand;             // e.g. "ID": one positional argument, required; empty = none
  std::string summary;
  std::vector<Option> options;
  std::function<int(const Parsed&)> run;
};

const std::vector<Option>& global_options() {
  static const std::vector<Option> options{
      {"--env", "FILE", "settings file (default: $OPENALGOD_ENV_FILE, else <data dir>/.env)"},
      {"--data-dir", "DIR", "data directory (default: $OPENALGOD_DATA_DIR, else ./var)"},
      {"--set", "KEY=VALUE", "override one setting (repeatable); beats the file and the environment"},
      {"--help", "", "show this help"},
  };
  return options;
}

std::string usage(const Command& command) {
  std::string words;
  for (const auto& word : command.words) words += " " + word;
  std::string operand = command.operand.empty() ? "" : " " + command.operand;
  std::string out = "usage: openalgod" + words + operand + " [options]\n\n" + command.summary + "\n\noptions:\n";
  auto describe = [&out](const Option& option) {
    std::string flag = option.name + (option.value_name.empty() ? "" : " " + option.value_name);
    out += "  " + flag + std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') + option.help + "\n";
  };
  for (const auto& option : command.options) describe(option);
  for (const auto& option : global_options()) describe(option);
  return out;
}

const Option* find_option(const Command& command, std::string_view name) {
  for (const auto& option : command.options)
    if (option.name == name) return &option;
  for (const auto& option : global_options())
    if (option.name == name) return &option;
  return nullptr;
}

void apply_global(Parsed& parsed, const std::string& name, const std::string& value) {
  if (name == "--env") parsed.source.env_file = value;
  else if (name == "--data-dir") parsed.source.data_dir = value;
  else if (name == "--set") {
    auto equals = value.find('=');
    if (equals == std::string::npos || equals == 0) throw UsageError("--set takes KEY=VALUE, got '" + value + "'");
    parsed.source.overrides[value.substr(0, equals)] = value.substr(equals + 1);
  }
}

Parsed parse(const Command& command, const std::vector<std::string>& args) {
  Parsed parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (!name.starts_with("-")) {
      parsed.positional.push_back(name);
      continue;
    }
    bool inline_value = false;
    if (auto equals = name.find('='); name.starts_with("--") && equals != std::string::npos) {
      value = name.substr(equals + 1), name = name.substr(0, equals), inline_value = true;
    }
    const Option* option = find_option(command, name);
    if (!option) throw UsageError("unknown argument '" + name + "'\n\n" + usage(command));
    if (option->value_name.empty()) {
      if (name == "--help") parsed.help = true;
      parsed.switches.insert(name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) throw UsageError(name + " needs a value (" + option->value_name + ")");
      value = args[++i];
    }
    parsed.values[name] = value;
    parsed.lists[name].push_back(value);
    apply_global(parsed, name, value);
  }
  return parsed;
}

const std::string& required(const Parsed& parsed, const std::string& name) {
  auto found = parsed.values.find(name);
  if (found == parsed.values.end() || found->second.empty()) throw UsageError(name + " is required");
  return found->second;
}

std::optional<std::string> optional_value(const Parsed& parsed, const std::string& name) {
  auto found = parsed.values.find(name);
  if (found == parsed.values.end()) return std::nullopt;
  return found->second;
}

std::string read_line_from_stdin(const char* prompt) {
  bool interactive = isatty(STDIN_FILENO);
  termios saved{};
  if (interactive) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (interactive) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  if (!got) throw UsageError("expected the password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string read_new_password(bool from_pipe) {
  std::string password = read_line_from_stdin("Password: ");
  if (!from_pipe && isatty(STDIN_FILENO) && read_line_from_stdin("Repeat password: ") != password)
    throw UsageError("the two passwords differ");
  return password;
}

int serve_command(const Parsed& parsed) {
  auto source = parsed.source;
  if (parsed.values.contains("--host")) source.overrides["HTTP_HOST"] = parsed.values.at("--host");
  if (parsed.values.contains("--port")) source.overrides["HTTP_PORT"] = parsed.values.at("--port");
  if (parsed.values.contains("--log-level")) source.overrides["LOG_LEVEL"] = parsed.values.at("--log-level");
  return app::serve(source);
}

int user_add_command(const Parsed& parsed) {
  const auto& username = required(parsed, "--username");
  auto password = read_new_password(parsed.switches.contains("--password-stdin"));
  auto runtime = app::open_runtime(parsed.source);
  bool first_user = runtime.accounts->list_users().empty();
  try {
    runtime.accounts->add_user(username, password, first_user || parsed.switches.contains("--admin"));
  } catch (const security::AccountError& error) {
    throw UsageError(error.what());
  }
  std::cout << "user '" << username << "' added" << (first_user ? " (administrator: first user)" : "") << '\n';
  return 0;
}

int user_list_command(const Parsed& parsed) {
  auto runtime = app::open_runtime(parsed.source);
  auto users = runtime.accounts->list_users();
  std::cout << "ID  USERNAME              ADMIN  API KEY  ORDER MODE  CREATED\n";
  for (const auto& user : users) {
    std::string name = user.username + std::string(user.username.size() < 22 ? 22 - user.username.size() : 1, ' ');
    std::cout << user.id << std::string(user.id < 10 ? 3 : 2, ' ') << name << (user.is_admin ? "yes    " : "no     ")
              << (user.has_api_key ? "yes      " : "no       ") << user.order_mode
              << std::string(user.order_mode.size() < 12 ? 12 - user.order_mode.size() : 1, ' ') << user.created_at
              << '\n';
  }
  if (users.empty()) std::cout << "(no users: add one with `openalgod user add --username NAME`)\n";
  return 0;
}

int apikey_issue_command(const Parsed& parsed) {
  const auto& username = required(parsed, "--username");
  auto runtime = app::open_runtime(parsed.source);
  try {
    std::cout << runtime.accounts->issue_api_key(username) << '\n';
  } catch (const security::AccountError& error) {
    throw UsageError(error.what());
  }
  std::cerr << "openalgod: new API key for '" << username << "' (the previous one no longer works)\n";
  return 0;
}

int user_order_mode_command(const Parsed& parsed) {
  const auto& username = required(parsed, "--username");
  const auto& name = parsed.positional.front();
  auto mode = security::parse_order_mode(name);
  if (!mode) throw UsageError("MODE must be auto or semi_auto, got '" + name + "'");
  auto runtime = app::open_runtime(parsed.source);
  try {
    runtime.accounts->set_order_mode(username, *mode);
  } catch (const security::AccountError& error) {
    throw UsageError(error.what());
  }
  std::cout << "user '" << username << "' is in " << name << " mode"
            << (*mode == security::OrderMode::SemiAuto
                    ? ": orders wait for `openalgod orders approve ID`; modify, cancel and close are refused while "
                      "live"
                    : "")
            << '\n';
  return 0;
}

int config_check_command(const Parsed& parsed) {
  auto loaded = app::check_config(parsed.source);
  for (const auto& problem : loaded.problems)
    std::cout << (problem.severity == config::Severity::Error ? "error: " : "warning: ")
              << config::describe(problem) << '\n';
  if (config::has_errors(loaded.problems)) return 2;
  std::cout << "configuration OK (" << loaded.config.env_file().string()
            << (std::filesystem::exists(loaded.config.env_file()) ? "" : ", not present: defaults in use") << ")\n";
  return 0;
}

int config_example_command(const Parsed&) {
  std::cout << config::render_example();
  return 0;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {{"serve"},
       "",
       "Runs the daemon in the foreground until SIGINT or SIGTERM; SIGHUP re-reads the settings.",
       {{"--host", "ADDR", "listen address (HTTP_HOST)"},
        {"--port", "PORT", "listen port (HTTP_PORT; 0 = any free port)"},
        {"--log-level", "LEVEL", "DEBUG, INFO, WARNING, ERROR or CRITICAL (LOG_LEVEL)"}},
       serve_command},
      {{"user", "add"},
       "",
       "Adds a user. The password is read from standard input (prompted twice on a terminal).\n"
       "It needs 8+ characters with upper and lower case, a digit and one of !@#$%^&*.\n"
       "The first user becomes the administrator.",
       {{"--username", "U", "the new user's name"},
        {"--password-stdin", "", "read the password once from standard input, without prompting"},
        {"--admin", "", "make the user an administrator"}},
       user_add_command},
      {{"user", "list"}, "", "Lists the users.", {}, user_list_command},
      {{"user", "order-mode"},
       "MODE",
       "Sets a user's order mode: auto sends orders at once; semi_auto queues every request that\n"
       "places orders in the Action Center until an administrator in auto mode approves it\n"
       "(`openalgod orders pending|approve|reject`), and refuses modify, cancel and close while\n"
       "orders are live. The mode is kept with the user's API key (issue one first).",
       {{"--username", "U", "whose mode"}},
       user_order_mode_command},
      {{"apikey", "issue"},
       "",
       "Prints a new API key for the user on standard output and revokes the previous one.",
       {{"--username", "U", "whose key"}},
       apikey_issue_command},
      {{"orders", "pending"},
       "",
       "Lists the Action Center's orders in the running daemon: semi-auto users' requests\n"
       "waiting for approval (or, with --status, the ones already decided).",
       {{"--status", "S", "pending (default), approved, rejected or all"}},
       [](const Parsed& parsed) { return orders_pending(parsed.source, optional_value(parsed, "--status").value_or("pending")); }},
      {{"orders", "approve"},
       "ID",
       "Approves a pending order: the running daemon executes it now, exactly as if it had\n"
       "just arrived (analyzer or live, through the order journal), and never twice.",
       {},
       [](const Parsed& parsed) { return orders_approve(parsed.source, parsed.positional.front()); }},
      {{"orders", "reject"},
       "ID",
       "Rejects a pending order; it is kept, with the reason, and never executed.",
       {{"--reason", "TEXT", "why (shown with the order)"}},
       [](const Parsed& parsed) {
         return orders_reject(parsed.source, parsed.positional.front(), optional_value(parsed, "--reason").value_or(""));
       }},
      {{"config", "check"},
       "",
       "Validates the settings and lists every problem, one per line, with where it comes from.",
       {},
       config_check_command},
      {{"config", "example"},
       "",
       "Prints every setting with its default and a description (config/openalgod.env.example).",
       {},
       config_example_command},
      {{"plugins", "list"},
       "",
       "Lists the broker plugins: as the running daemon has them loaded, else as found on disk.",
       {},
       [](const Parsed& parsed) { return plugins_list(parsed.source); }},
      {{"plugins", "info"},
       "ID",
       "Describes one plugin: capabilities, login style, the settings it reads, history intervals.",
       {},
       [](const Parsed& parsed) { return plugins_info(parsed.source, parsed.positional.front()); }},
      {{"plugins", "reload"},
       "ID",
       "Reloads a plugin in the running daemon from its file (ID * reloads all). Requests in\n"
       "flight finish on the old version; if the new file fails to load the old one keeps serving.",
       {},
       [](const Parsed& parsed) { return plugins_reload(parsed.source, parsed.positional.front()); }},
      {{"sandbox", "reset"},
       "",
       "Asks the running daemon to reset a user's sandbox (POST /sandbox/reset): orders, trades,\n"
       "positions, holdings and GTTs deleted, funds back to the starting capital.",
       {{"--username", "U", "whose sandbox (default: the administrator)"}},
       [](const Parsed& parsed) { return sandbox_reset(parsed.source, optional_value(parsed, "--username")); }},
      {{"feed", "status"},
       "",
       "Shows the running daemon's market feed per broker: state, subscriptions, last tick,\n"
       "reconnects, and how many WebSocket clients are connected.",
       {},
       [](const Parsed& parsed) { return feed_status(parsed.source); }},
      {{"broker", "login"},
       "ID",
       "Logs a user in to a broker through its plugin and stores the session encrypted; the\n"
       "running daemon makes that broker the active one. The fields are the broker's callback\n"
       "fields: request_token=... (Zerodha), userid=... pin=... totp=... (Angel). Secrets are\n"
       "better given with --fields-stdin than on the command line.",
       {{"--username", "U", "whose session (default: the administrator)"},
        {"--field", "NAME=VALUE", "one login field (repeatable)"},
        {"--fields-stdin", "", "read NAME=VALUE lines from standard input"}},
       [](const Parsed& parsed) {
         auto fields = parse_login_fields(parsed.lists.contains("--field") ? parsed.lists.at("--field")
                                                                            : std::vector<std::string>{},
                                          parsed.switches.contains("--fields-stdin"));
         return broker_login(parsed.source, parsed.positional.front(), optional_value(parsed, "--username"), fields);
       }},
      {{"broker", "logout"},
       "ID",
       "Revokes a user's session with a broker (the tokens are erased from the store).",
       {{"--username", "U", "whose session (default: the administrator)"}},
       [](const Parsed& parsed) {
         return broker_logout(parsed.source, parsed.positional.front(), optional_value(parsed, "--username"));
       }},
      {{"broker", "status"},
       "",
       "Lists the live broker sessions: user, broker, the broker's client id, since when.",
       {},
       [](const Parsed& parsed) { return broker_status(parsed.source); }},
      {{"plugins", "check"},
       "FILE",
       "Runs the ABI conformance suite on a plugin .so (also tools/plugin-check FILE).",
       {{"--login", "NAME=VALUE", "a login field for a plugin with a login (repeatable); checks run with its session"}},
       [](const Parsed& parsed) {
         return plugins_check(parsed.source, parsed.positional.front(),
                              parsed.lists.contains("--login") ? parsed.lists.at("--login") : std::vector<std::string>{});
       }},
  };
  return table;
}

std::string overview() {
  std::string out =
      "usage: openalgod <command> [options]\n\n"
      "An OpenAlgo-compatible trading gateway daemon.\n\ncommands:\n";
  for (const auto& command : commands()) {
    std::string words;
    for (const auto& word : command.words) words += (words.empty() ? "" : " ") + word;
    out += "  " + words + std::string(16 - words.size(), ' ') +
           command.summary.substr(0, command.summary.find('\n')) + "\n";
  }
  return out + "\n`openalgod <command> --help` describes each command.\n";
}

// The command whose words prefix `args`, and the arguments after them.
std::pair<const Command*, std::vector<std::string>> select(const std::vector<std::string>& args) {
  for (const auto& command : commands()) {
    if (args.size() < command.words.size()) continue;
    if (std::equal(command.words.begin(), command.words.end(), args.begin()))
      return {&command, std::vector<std::string>(args.begin() + command.words.size(), args.end())};
  }
  return {nullptr, {}};
}

int dispatch(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << overview();
    return args.empty() ? 2 : 0;
  }
  auto [command, rest] = select(args);
  if (!command) {
    std::cerr << "openalgod: unknown command '" << args[0] << (args.size() > 1 ? " " + args[1] : "") << "'\n\n"
              << overview();
    return 2;
  }
  auto parsed = parse(*command, rest);
  if (parsed.help) {
    std::cout << usage(*command);
    return 0;
  }
  std::size_t wanted = command->operand.empty() ? 0 : 1;
  if (parsed.positional.size() != wanted)
    throw UsageError(wanted ? command->operand + " is required\n\n" + usage(*command)
                            : "unexpected argument '" + parsed.positional.front() + "'\n\n" + usage(*command));
  return command->run(parsed);
}

}  // namespace

int run(int argc, char** argv) {
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const UsageError& error) {
    std::cerr << "openalgod: " << error.what() << '\n';
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "openalgod: " << error.what() << '\n';
    return 1;
  }
}

}  // namespace oa::cli
