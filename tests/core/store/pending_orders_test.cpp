// The Action Center's queue: what is stored, and that a pending order is
// decided once, whoever races for it.
#include "store/pending_orders.hpp"
#include "store/users.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace oa::store;
using oa::store::test::on_each_store;

TEST_SUITE("store") {
  TEST_CASE("a queued order is read back pending, with its request, type and owner") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      PendingOrders orders(store);
      auto queued = orders.add(user, "placeorder", R"({"symbol":"SBIN"})", "");
      CHECK_FALSE(queued.repeat);
      auto order = orders.find(queued.id);
      REQUIRE(order.has_value());
      CHECK(order->user_id == user);
      CHECK(order->username == "bob");
      CHECK(order->api_type == "placeorder");
      CHECK(order->order_data == R"({"symbol":"SBIN"})");
      CHECK(order->status == "pending");
      CHECK(order->client_order_id.empty());
      CHECK_FALSE(order->result_status.has_value());
    });
  }

  TEST_CASE("a client_order_id queued before finds that order and stores nothing new") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      const auto other = Users(store).add("carol", "h", false);
      PendingOrders orders(store);
      auto first = orders.add(user, "placeorder", "{}", "signal-7");
      auto again = orders.add(user, "placeorder", "{}", "signal-7");
      CHECK(again.repeat);
      CHECK(again.id == first.id);
      CHECK_FALSE(orders.add(other, "placeorder", "{}", "signal-7").repeat);
      CHECK(orders.list("", 10).size() == 2);
    });
  }

  TEST_CASE("of many callers approving one order at the same time exactly one succeeds") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      PendingOrders orders(store);
      const auto id = orders.add(user, "placeorder", "{}", "").id;
      std::atomic<int> approved{0};
      std::vector<std::thread> callers;
      for (int i = 0; i < 4; ++i)
        callers.emplace_back([&store, id, &approved, i] {
          if (PendingOrders(store).approve(id, "admin" + std::to_string(i))) ++approved;
        });
      for (auto& caller : callers) caller.join();
      CHECK(approved == 1);
      CHECK(orders.find(id)->status == "approved");
      CHECK_FALSE(orders.reject(id, "admin", "too late"));
    });
  }

  TEST_CASE("a rejected order keeps who rejected it and why, and can no longer be approved") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      PendingOrders orders(store);
      const auto id = orders.add(user, "basketorder", "{}", "").id;
      REQUIRE(orders.reject(id, "alice", "position too large"));
      CHECK_FALSE(orders.approve(id, "alice"));
      auto order = orders.find(id);
      CHECK(order->status == "rejected");
      CHECK(order->decided_by == "alice");
      CHECK(order->rejected_reason == "position too large");
      CHECK_FALSE(order->decided_at.empty());
    });
  }

  TEST_CASE("an approved order's answer is recorded with it") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      PendingOrders orders(store);
      const auto id = orders.add(user, "placeorder", "{}", "").id;
      REQUIRE(orders.approve(id, "alice"));
      orders.record_result(id, 200, R"({"orderid":"OB1","status":"success"})");
      auto order = orders.find(id);
      CHECK(order->result_status == 200);
      CHECK(order->result == R"({"orderid":"OB1","status":"success"})");
    });
  }

  TEST_CASE("the list is newest first and filters by status") {
    on_each_store([](Store& store) {
      const auto user = Users(store).add("bob", "h", false);
      PendingOrders orders(store);
      const auto first = orders.add(user, "placeorder", "{}", "").id;
      const auto second = orders.add(user, "splitorder", "{}", "").id;
      REQUIRE(orders.reject(first, "alice", ""));
      auto all = orders.list("", 10);
      REQUIRE(all.size() == 2);
      CHECK(all[0].id == second);
      auto pending = orders.list("pending", 10);
      REQUIRE(pending.size() == 1);
      CHECK(pending[0].id == second);
      CHECK(orders.list("", 1).size() == 1);
    });
  }
}
