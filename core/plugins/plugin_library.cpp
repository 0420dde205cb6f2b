#include "plugins/plugin_library.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <regex>

#include <boost/dll/shared_library.hpp>

namespace oa::plugins {
namespace {

// The v1.0 table sizes: a plugin's table must at least cover them.
constexpr std::size_t kMinimumPluginApiSize = offsetof(oa_plugin_api, gtt_book) + sizeof(oa_operation);
constexpr std::size_t kMinimumManifestSize = offsetof(oa_manifest, intervals) + sizeof(const char*);

struct CapabilityFunctions {
  std::uint64_t bit;
  const char* name;
  std::vector<bool (*)(const oa_plugin_api&)> present;
};

#define OA_HAS(field) [](const oa_plugin_api& api) { return api.field != nullptr; }

const std::vector<CapabilityFunctions>& capability_table() {
  static const std::vector<CapabilityFunctions> table{
      {OA_CAP_ORDERS, "orders", {OA_HAS(place_order), OA_HAS(modify_order), OA_HAS(cancel_order)}},
      {OA_CAP_SMART_ORDER, "smart_order", {OA_HAS(place_smart_order)}},
      {OA_CAP_BOOKS, "books", {OA_HAS(order_book), OA_HAS(trade_book), OA_HAS(positions), OA_HAS(holdings)}},
      {OA_CAP_FUNDS, "funds", {OA_HAS(funds)}},
      {OA_CAP_MARGIN, "margin", {OA_HAS(margin)}},
      {OA_CAP_QUOTES, "quotes", {OA_HAS(quotes)}},
      {OA_CAP_MULTIQUOTES, "multiquotes", {OA_HAS(multiquotes)}},
      {OA_CAP_DEPTH, "depth", {OA_HAS(depth)}},
      {OA_CAP_HISTORY, "history", {OA_HAS(history)}},
      {OA_CAP_MASTER_CONTRACT, "master_contract", {OA_HAS(master_contract)}},
      {OA_CAP_MARKET_STREAM, "market_stream", {OA_HAS(subscribe), OA_HAS(unsubscribe)}},
      {OA_CAP_ORDER_STREAM, "order_stream", {OA_HAS(order_stream_open), OA_HAS(order_stream_close)}},
      {OA_CAP_GTT, "gtt", {OA_HAS(gtt_place), OA_HAS(gtt_modify), OA_HAS(gtt_cancel), OA_HAS(gtt_book)}},
      {OA_CAP_CANCEL_ALL, "cancel_all", {OA_HAS(cancel_all_orders)}},
      {OA_CAP_CLOSE_ALL, "close_all", {OA_HAS(close_all_positions)}},
  };
  return table;
}

#undef OA_HAS

std::vector<std::string> string_list(const char* const* items) {
  std::vector<std::string> out;
  for (; items && *items; ++items) out.emplace_back(*items);
  return out;
}

std::string text(const char* value) { return value ? std::string(value) : std::string(); }

}  // namespace

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
};

std::string auth_style_name(oa_auth_style style) {
  switch (style) {
    case OA_AUTH_NONE: return "none";
    case OA_AUTH_OAUTH: return "oauth";
    case OA_AUTH_CREDENTIALS: return "credentials+totp";
    case OA_AUTH_API_KEY: return "api_key";
  }
  return "unknown";
}

std::vector<std::string> capability_names(std::uint64_t capabilities) {
  std::vector<std::string> out;
  for (const auto& capability : capability_table())
    if (capabilities & capability.bit) out.emplace_back(capability.name);
  return out;
}

namespace {

std::filesystem::path private_copy(const std::filesystem::path& file, const std::filesystem::path& copy_dir) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::create_directories(copy_dir);
  auto copy = copy_dir / (file.stem().string() + "." + std::to_string(::getpid()) + "." +
                          std::to_string(counter++) + file.extension().string());
  std::error_code ec;
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) throw LoadError("cannot copy plugin " + file.string() + ": " + ec.message());
  return copy;
}

void check_versions(const std::filesystem::path& file, const oa_plugin_api& api) {
  std::string fingerprint = text(api.build_fingerprint);
  std::string plugin = file.filename().string();
  if (api.abi_major != OA_PLUGIN_ABI_MAJOR)
    throw LoadError("plugin " + plugin + " is built for ABI " + std::to_string(api.abi_major) + "." +
                    std::to_string(api.abi_minor) + ", this host speaks ABI " +
                    std::to_string(OA_PLUGIN_ABI_MAJOR) + "." + std::to_string(OA_PLUGIN_ABI_MINOR) +
                    ": rebuild it against this openalgod");
  if (fingerprint != OA_PLUGIN_BUILD_FINGERPRINT)
    throw LoadError("plugin " + plugin + " has build fingerprint '" + fingerprint + "', the host '" +
                    OA_PLUGIN_BUILD_FINGERPRINT + "'");
  if (api.struct_size < kMinimumPluginApiSize)
    throw LoadError("plugin " + plugin + " has a plugin table of " + std::to_string(api.struct_size) +
                    " bytes, smaller than ABI 1.0's");
  if (!api.create || !api.destroy) throw LoadError("plugin " + plugin + " lacks create or destroy");
}

Manifest read_manifest(const std::filesystem::path& file, const oa_plugin_api& api) {
  std::string plugin = file.filename().string();
  const oa_manifest* raw = api.manifest;
  if (!raw || raw->struct_size < kMinimumManifestSize) throw LoadError("plugin " + plugin + " has no valid manifest");
  Manifest manifest{text(raw->id), text(raw->display_name), text(raw->version), raw->auth_style,
                    string_list(raw->config_keys), raw->capabilities, string_list(raw->intervals),
                    api.abi_major, api.abi_minor};
  static const std::regex id_pattern("[a-z][a-z0-9_]{0,39}");
  if (!std::regex_match(manifest.id, id_pattern))
    throw LoadError("plugin " + plugin + " has an invalid id '" + manifest.id + "' (lower-case letters, digits, _)");
  if (manifest.display_name.empty() || manifest.version.empty())
    throw LoadError("plugin " + manifest.id + " must declare a display name and a version");
  return manifest;
}

void check_capabilities(const Manifest& manifest, const oa_plugin_api& api) {
  for (const auto& capability : capability_table()) {
    bool declared = (manifest.capabilities & capability.bit) != 0;
    for (auto present : capability.present)
      if (declared != present(api))
        throw LoadError("plugin " + manifest.id + " " + manifest.version + ": capability '" + capability.name +
                        (declared ? "' is declared but its functions are missing"
                                  : "' is not declared but its functions are set"));
  }
  if ((manifest.auth_style != OA_AUTH_NONE) != (api.authenticate != nullptr))
    throw LoadError("plugin " + manifest.id + ": authenticate must be set exactly when auth style is not none");
  if ((manifest.capabilities & OA_CAP_HISTORY) && manifest.intervals.empty())
    throw LoadError("plugin " + manifest.id + " declares history but no intervals");
}

}  // namespace

std::unique_ptr<PluginLibrary> PluginLibrary::load(const std::filesystem::path& file,
                                                   const std::filesystem::path& copy_dir,
                                                   const oa_host_api& host_api) {
  std::unique_ptr<PluginLibrary> loaded(new PluginLibrary());
  loaded->file_ = file;
  loaded->copy_ = private_copy(file, copy_dir);
  loaded->handle_ = std::make_unique<Handle>();
  std::error_code ec;
  loaded->handle_->library.load(loaded->copy_.string(),
                                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) throw LoadError("cannot load plugin " + file.string() + ": " + ec.message());
  if (!loaded->handle_->library.has(OA_PLUGIN_ENTRY_SYMBOL))
    throw LoadError("plugin " + file.string() + " does not export " + OA_PLUGIN_ENTRY_SYMBOL);
  auto& entry = loaded->handle_->library.get<const oa_plugin_api*(const oa_host_api*)>(OA_PLUGIN_ENTRY_SYMBOL);
  const oa_plugin_api* api = entry(&host_api);
  if (!api) throw LoadError("plugin " + file.string() + " refused to work with this host (ABI " +
                                     std::to_string(OA_PLUGIN_ABI_MAJOR) + "." + std::to_string(OA_PLUGIN_ABI_MINOR) + ")");
  check_versions(file, *api);
  std::memcpy(&loaded->table_, api, std::min<std::size_t>(api->struct_size, sizeof(oa_plugin_api)));
  loaded->manifest_ = read_manifest(file, loaded->table_);
  check_capabilities(loaded->manifest_, loaded->table_);
  return loaded;
}

PluginLibrary::~PluginLibrary() {
  if (handle_) handle_->library.unload();
  std::error_code ignored;
  std::filesystem::remove(copy_, ignored);
}

bool is_mapped(const std::filesystem::path& path) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto name = path.string();
  while (std::getline(maps, line))
    if (line.find(name) != std::string::npos) return true;  // also "name (deleted)"
  return false;
}

}  // namespace oa::plugins
