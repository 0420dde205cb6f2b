#include "cli/cli.hpp"

int main(int argc, char** argv) { return oa::cli::run(argc, argv); }
