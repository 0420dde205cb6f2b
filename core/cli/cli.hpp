#pragma once

namespace oa::cli {

// The `openalgod` command line. Exit codes: 0 ok, 2 usage or configuration
// error (with a message on stderr), 1 runtime failure.
int run(int argc, char** argv);

}  // namespace oa::cli
