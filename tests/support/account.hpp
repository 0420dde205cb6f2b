#pragma once
// A data directory with one user (the administrator) and that user's API key,
// made with the real CLI: what most integration tests start from.
#include <string>

#include <doctest/doctest.h>

#include "support/daemon_process.hpp"

namespace oa::test {

struct Account {
  TempDir dir;
  std::string api_key;

  explicit Account(const std::string& username = "alice") {
    auto added = run_openalgod(
        {"user", "add", "--username", username, "--password-stdin", "--data-dir", dir.path().string()}, "Str0ng!pass\n");
    REQUIRE_MESSAGE(added.exit_code == 0, added.err);
    auto issued = run_openalgod({"apikey", "issue", "--username", username, "--data-dir", dir.path().string()});
    REQUIRE_MESSAGE(issued.exit_code == 0, issued.err);
    api_key = issued.out.substr(0, issued.out.find('\n'));
  }
};

}  // namespace oa::test
