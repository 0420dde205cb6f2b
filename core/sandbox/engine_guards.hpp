#pragma once
// Guards shared by the engine's request handlers (engine_*.cpp only): a reply
// goes out once, an exception becomes one logged 500 reply, and a ledger step
// that can only fail on inconsistent books stops the transaction.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sandbox/books.hpp"
#include "sandbox/engine.hpp"

namespace oa::sandbox {

inline Reply error_reply(int status, const std::string& message) {
  return {status, error_body(message)};
}

// `done`, callable many times, calling the original the first time only.
inline Engine::Done once(Engine::Done done) {
  auto slot = std::make_shared<Engine::Done>(std::move(done));
  return [slot](Reply reply) {
    if (!*slot) return;
    Engine::Done call = std::move(*slot);
    *slot = nullptr;
    call(std::move(reply));
  };
}

// Runs `body`; an exception becomes a 500 reply (if none went out yet) and one log line.
template <typename Body>
void answering(const Engine::Done& done, const char* doing, Body&& body) {
  try {
    body();
  } catch (const std::exception& error) {
    spdlog::error("sandbox: error {}: {}", doing, error.what());
    done(error_reply(500, fmt::format("Error {}: {}", doing, error.what())));
  }
}

// A ledger step that cannot fail unless the books are already inconsistent.
inline void must(const std::optional<std::string>& refused) {
  if (refused) throw std::logic_error("sandbox ledger inconsistent: " + *refused);
}

inline SymbolKey symbol_of(const Order& order) { return {order.symbol, order.exchange}; }

inline PositionKey position_key_of(const Order& order) {
  return {order.user_id, order.symbol, order.exchange, order.product};
}

}  // namespace oa::sandbox
