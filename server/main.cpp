// The netspine executable: everything happens in the CLI library, which tests drive in-process.

#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  return netspine::cli::runCli(args, std::cout, std::cerr);
}
