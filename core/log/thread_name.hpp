#pragma once

#include <pthread.h>

#include <string>
#include <string_view>

namespace oa::log {

// Names the calling thread as top -H, ps, gdb and perf show it, so that an
// operator can tell the sandbox engine from an HTTP thread. Linux keeps 15
// characters and cuts the rest.
inline void name_this_thread(std::string_view name) {
  const std::string kept(name.substr(0, 15));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace oa::log
