#pragma once
// Waiting for several asynchronous calls without blocking a thread: start
// them all, and continue once with every result when the last one reports.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace oa::api {

// Calls start(i, report) for i in [0, count); each task calls its `report`
// exactly once, on any thread. `done` runs once, with the results in task
// order, on the thread of the last report (at once when count is 0).
template <class Result>
void join_all(std::size_t count, const std::function<void(std::size_t, std::function<void(Result)>)>& start,
              std::function<void(std::vector<Result>)> done) {
  if (count == 0) return done({});
  struct State {
    std::mutex mutex;
    std::vector<Result> results;
    std::size_t remaining = 0;
    std::function<void(std::vector<Result>)> done;
  };
  auto state = std::make_shared<State>();
  state->results.resize(count);
  state->remaining = count;
  state->done = std::move(done);
  for (std::size_t i = 0; i < count; ++i) {
    start(i, [state, i](Result result) {
      std::function<void(std::vector<Result>)> finish;
      {
        std::lock_guard lock(state->mutex);
        state->results[i] = std::move(result);
        if (--state->remaining == 0) finish = std::move(state->done);
      }
      // Every task has reported: nothing else touches the results now.
      if (finish) finish(std::move(state->results));
    });
  }
}

}  // namespace oa::api
