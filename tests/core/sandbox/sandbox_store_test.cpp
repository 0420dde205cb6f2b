// The sandbox tables: rows read back as written, upserts replace by key, and
// the database itself refuses a second trade for one order.
#include <doctest/doctest.h>
#include <soci/soci.h>

#include <string>
#include <vector>

#include "sandbox/sandbox_store.hpp"
#include "sandbox_fixture.hpp"
#include "support/daemon_process.hpp"

using namespace oa::sandbox;
using namespace oa::sandbox::test;

namespace {

// Orders as another connection sees them: what is committed.
int committed_orders(oa::store::Store& database) {
  auto lease = database.lease();
  int count = 0;
  *lease << "SELECT COUNT(*) FROM sandbox_orders", soci::into(count);
  return count;
}

Order sample_order(std::int64_t user, const std::string& orderid) {
  Order order;
  order.orderid = orderid;
  order.user_id = user;
  order.strategy = "s";
  order.symbol = "SBIN";
  order.exchange = "NSE";
  order.action = Action::Sell;
  order.quantity = 10;
  order.price = 801.5;
  order.trigger_price = 800;
  order.price_type = PriceType::StopLimit;
  order.product = Product::Cnc;
  order.status = OrderStatus::TriggerPending;
  order.pending_quantity = 10;
  order.margin_blocked = 12345;
  order.created_ms = order.updated_ms = ist(2025, 8, 22, 10, 0) + 7;
  return order;
}

// Runs of the schedule job "job" as another connection sees them: what is committed.
int committed_runs(soci::session& sql) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM sandbox_schedule WHERE job = 'job'", soci::into(count);
  return count;
}

}  // namespace

TEST_SUITE("sandbox") {
  TEST_CASE("an order reads back as written and updates in place") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    Order order = sample_order(user, "25082200000001");
    store.write([&](SandboxTables& tables) { tables.insert_order(order); });
    store.read([&](SandboxTables& tables) {
      const auto read = tables.find_order(order.orderid);
      REQUIRE(read.has_value());
      CHECK(read->action == Action::Sell);
      CHECK(read->price_type == PriceType::StopLimit);
      CHECK(read->status == OrderStatus::TriggerPending);
      CHECK(read->price == 801.5);
      CHECK(read->margin_blocked == 12345);
      CHECK(read->created_ms == order.created_ms);
      CHECK(tables.pending_orders().size() == 1);
      CHECK(tables.last_orderid_with_prefix("250822") == order.orderid);
      CHECK_FALSE(tables.last_orderid_with_prefix("250823").has_value());
    });
    order.status = OrderStatus::Cancelled;
    store.write([&](SandboxTables& tables) { tables.update_order(order); });
    store.read([&](SandboxTables& tables) { CHECK(tables.pending_orders().empty()); });
  }

  TEST_CASE("a second trade for the same order is refused by the database") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    const Order order = sample_order(user, "25082200000001");
    const Trade trade{"TRADE-1", order.orderid, user, "SBIN", "NSE", Action::Sell, 10, 801, Product::Cnc, "s", 1};
    Trade again = trade;
    again.tradeid = "TRADE-2";
    store.write([&](SandboxTables& tables) {
      tables.insert_order(order);
      tables.insert_trade(trade);
    });
    CHECK_THROWS(store.write([&](SandboxTables& tables) { tables.insert_trade(again); }));
  }

  TEST_CASE("a failed event leaves nothing behind") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    CHECK_THROWS(store.write([&](SandboxTables& tables) {
      tables.insert_order(sample_order(user, "25082200000001"));
      throw std::runtime_error("crash between accepted and filled");
    }));
    store.read([&](SandboxTables& tables) { CHECK_FALSE(tables.find_order("25082200000001").has_value()); });
  }

  TEST_CASE("positions, holdings and funds are replaced by their keys") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    Position position;
    position.key = {user, "SBIN", "NSE", Product::Mis};
    position.quantity = -5;
    position.average_price = 800.25;
    position.margin_blocked = 80025;
    Holding holding{user, "SBIN", "NSE", 10, 700, 700000, 0, "2025-08-22", 1, 1};
    Funds funds = {user, 100, 90, 10, 0, 0, 1, 0};
    store.write([&](SandboxTables& tables) {
      tables.save_position(position);
      tables.save_holding(holding);
      tables.save_funds(funds);
    });
    position.quantity = 0;
    holding.quantity = 4;
    funds.available = 80;
    store.write([&](SandboxTables& tables) {
      tables.save_position(position);
      tables.save_holding(holding);
      tables.save_funds(funds);
    });
    store.read([&](SandboxTables& tables) {
      CHECK(tables.user_positions(user).size() == 1);
      CHECK(tables.find_position(position.key)->quantity == 0);
      CHECK(tables.open_positions().empty());
      CHECK(tables.find_holding(user, "SBIN", "NSE")->quantity == 4);
      CHECK(tables.find_funds(user)->available == 80);
    });
  }

  TEST_CASE("deleting a user deletes their sandbox rows") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    store.write([&](SandboxTables& tables) {
      tables.insert_order(sample_order(user, "25082200000001"));
      tables.save_funds({user, 100, 100, 0, 0, 0, 1, 0});
    });
    {
      auto lease = database.store().lease();
      *lease << "DELETE FROM users WHERE id = :id", soci::use(user);
    }
    store.read([&](SandboxTables& tables) {
      CHECK_FALSE(tables.find_order("25082200000001").has_value());
      CHECK_FALSE(tables.find_funds(user).has_value());
    });
  }

  TEST_CASE("the events of a group are stored together when the group commits") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000001")); });
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000002")); });
    store.read([&](SandboxTables& tables) { CHECK(tables.pending_orders().size() == 2); });
    CHECK(committed_orders(database.store()) == 0);
    CHECK(store.commit_group());
    CHECK(committed_orders(database.store()) == 2);
  }

  TEST_CASE("a failed event in a group leaves nothing behind and the others still commit") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000001")); });
    CHECK_THROWS(store.write([&](SandboxTables& tables) {
      tables.insert_order(sample_order(user, "25082200000002"));
      throw std::runtime_error("crash between accepted and filled");
    }));
    CHECK(store.commit_group());
    store.read([&](SandboxTables& tables) {
      CHECK(tables.find_order("25082200000001").has_value());
      CHECK_FALSE(tables.find_order("25082200000002").has_value());
    });
  }

  TEST_CASE("in a group, each event sees the funds the events before it saved, and none a failed one saved") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    store.write([&](SandboxTables& tables) { tables.save_funds({user, 1000, 1000, 0, 0, 25, 1764147300123, 0}); });
    store.begin_group();
    auto block = [&](Paise margin) {
      store.write([&](SandboxTables& tables) {
        Funds funds = *tables.find_funds(user);
        funds.available -= margin;
        funds.used_margin += margin;
        tables.save_funds(funds);
      });
    };
    block(100);
    CHECK_THROWS(store.write([&](SandboxTables& tables) {
      Funds funds = *tables.find_funds(user);
      funds.available -= 500;
      tables.save_funds(funds);
      throw std::runtime_error("crash after the funds were saved");
    }));
    block(50);
    store.write([&](SandboxTables& tables) {
      const Funds funds = *tables.find_funds(user);
      CHECK(funds.available == 850);
      CHECK(funds.used_margin == 150);
      CHECK(funds.last_reset_ms == 1764147300123);  // the millisecond survives the round trip
      tables.clear_today_realized();
      CHECK(tables.find_funds(user)->today_realized_pnl == 0);
    });
    CHECK(store.commit_group());
    store.read([&](SandboxTables& tables) {
      CHECK(tables.find_funds(user)->available == 850);
      CHECK(tables.find_funds(user)->today_realized_pnl == 0);
    });
  }

  TEST_CASE("in a group, each event sees the positions the events before it changed, and none a failed one did") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    const PositionKey sbin{user, "SBIN", "NSE", Product::Mis}, infy{user, "INFY", "NSE", Product::Mis};
    Position start;
    start.key = sbin;
    start.quantity = 5;
    start.opened_ms = 1764147300123;
    store.write([&](SandboxTables& tables) { tables.save_position(start); });
    store.begin_group();
    auto add = [&](double quantity) {
      store.write([&](SandboxTables& tables) {
        Position position = *tables.find_position(sbin);
        position.quantity += quantity;
        tables.save_position(position);
      });
    };
    store.write([&](SandboxTables& tables) { CHECK_FALSE(tables.find_position(infy).has_value()); });
    add(1);
    CHECK_THROWS(store.write([&](SandboxTables& tables) {
      Position position = *tables.find_position(sbin);
      position.quantity += 100;
      tables.save_position(position);
      Position other;
      other.key = infy;
      other.quantity = 3;
      tables.save_position(other);
      throw std::runtime_error("crash after the positions were saved");
    }));
    add(2);
    store.write([&](SandboxTables& tables) {
      CHECK_FALSE(tables.find_position(infy).has_value());
      const Position position = *tables.find_position(sbin);
      CHECK(position.quantity == 8);
      CHECK(position.opened_ms == 1764147300123);  // the millisecond survives the round trip
      tables.set_position_ltp("SBIN", "NSE", 812.5);
      CHECK(tables.find_position(sbin)->ltp == 812.5);
      tables.clear_today_realized();
      tables.delete_position(sbin);
      CHECK_FALSE(tables.find_position(sbin).has_value());
    });
    CHECK(store.commit_group());
    store.read([&](SandboxTables& tables) {
      CHECK_FALSE(tables.find_position(sbin).has_value());
      CHECK(tables.user_positions(user).empty());
    });
  }

  TEST_CASE("in a group, a user's reset and a deleted user's rows are not read from memory") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    Position position;
    position.key = {user, "SBIN", "NSE", Product::Cnc};
    position.quantity = 5;
    store.begin_group();
    store.write([&](SandboxTables& tables) {
      tables.save_position(position);
      tables.delete_positions_and_holdings(user);
      CHECK_FALSE(tables.find_position(position.key).has_value());
      tables.save_position(position);
      tables.delete_user_activity(user);
      CHECK_FALSE(tables.find_position(position.key).has_value());
    });
    CHECK(store.commit_group());
  }

  TEST_CASE("a write that must not be undone alone commits with its group, and when it fails undoes the group") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    SandboxStore store(database.store());
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000001")); });
    store.write_or_spoil([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000002")); });
    CHECK(store.commit_group());
    CHECK(committed_orders(database.store()) == 2);

    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000003")); });
    CHECK_THROWS(store.write_or_spoil([&](SandboxTables& tables) {
      tables.insert_order(sample_order(user, "25082200000004"));
      tables.insert_order(sample_order(user, "25082200000001"));  // a second row for one orderid
    }));
    CHECK_THROWS(store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000005")); }));
    CHECK_FALSE(store.commit_group());
    CHECK(committed_orders(database.store()) == 2);

    store.write_or_spoil([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000006")); });
    CHECK(committed_orders(database.store()) == 3);  // outside a group: committed at once
  }

  TEST_CASE("what waits for a commit runs after the group commits, and at once outside a group") {
    TempStore database;
    const std::int64_t user = database.add_user("u");
    std::vector<std::string> heard;
    SandboxStore store(database.store(), [&](const Order& order) { heard.push_back("written " + order.orderid); });
    store.after_commit([&](bool committed) { heard.push_back(committed ? "at once" : "lost"); });
    REQUIRE(heard == std::vector<std::string>{"at once"});
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.insert_order(sample_order(user, "25082200000001")); });
    store.after_commit([&](bool committed) {
      heard.push_back(committed ? "reply" : "lost");
      CHECK(committed_orders(database.store()) == 1);
    });
    CHECK(heard.size() == 1);
    CHECK(store.commit_group());
    CHECK(heard == std::vector<std::string>{"at once", "written 25082200000001", "reply"});
  }

  TEST_CASE("the connection kept between groups goes back to the pool when the engine is idle") {
    TempStore database;
    SandboxStore store(database.store());  // a pool of two
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.set_last_run("job", 1); });
    CHECK(store.commit_group());
    store.idle();
    CHECK_FALSE(store.holds_connection());
    auto first = database.store().lease();
    auto second = database.store().lease();  // both free again: this does not wait
    CHECK(committed_runs(*second) == 1);
  }

  TEST_CASE("in a pool of four or more the engine keeps its connection and statements while idle") {
    TempStore database(4);
    SandboxStore store(database.store());
    for (int group = 0; group < 70; ++group) {  // past the turn a small pool would take
      store.begin_group();
      store.write([&](SandboxTables& tables) { tables.set_last_run("job", group); });
      CHECK(store.commit_group());
      store.idle();
    }
    CHECK(store.holds_connection());
    auto others = {database.store().lease(), database.store().lease(), database.store().lease()};
    CHECK(others.size() == 3);  // the rest of the pool is free for everyone else
  }

  TEST_CASE("a failed commit gives even a kept connection back") {
    TempStore database(4);
    SandboxStore store(database.store());
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.set_last_run("job", 1); });
    store.spoil_group();
    CHECK_FALSE(store.commit_group());
    CHECK_FALSE(store.holds_connection());
  }

  TEST_CASE("with a pool of one connection, what runs after a commit can still use the store") {
    if (TempStore().is_postgres()) return;  // opens its own SQLite file
    oa::test::TempDir dir;
    auto single = oa::store::Store::open(
        oa::store::parse_database_url("sqlite:///" + (dir.path() / "one.db").string()), 1);
    SandboxStore store(*single);
    std::optional<int> seen;
    store.begin_group();
    store.write([&](SandboxTables& tables) { tables.set_last_run("job", 1); });
    store.after_commit([&](bool) { seen = committed_runs(*single->lease()); });
    CHECK(store.commit_group());
    CHECK(seen == 1);
  }
}
