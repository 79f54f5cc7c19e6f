// The subcommands of the `bugseek` binary. Each lives in cli/cmd_<name>.cc, maps its options to a
// config struct and makes one library call. main.cc holds the table.
#pragma once

namespace bugseek::cli {

// Each returns the process exit code: 0 ok, 1 runtime error, 2 usage, 3 findings.
int run_parse(int argc, char** argv);
int run_prepare(int argc, char** argv);
int run_rewrites(int argc, char** argv);
int run_train(int argc, char** argv);
int run_inspect(int argc, char** argv);
int run_calibrate(int argc, char** argv);
int run_average(int argc, char** argv);
int run_eval(int argc, char** argv);
int run_scan(int argc, char** argv);
int run_doctor(int argc, char** argv);
int run_mine(int argc, char** argv);
int run_corpus(int argc, char** argv);

}  // namespace bugseek::cli
