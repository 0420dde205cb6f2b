#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "net/http_server.hpp"
#include "support/http_client.hpp"

using namespace oa;

namespace {

net::ServerOptions loopback() {
  net::ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 64;
  return options;
}

net::HttpResponse text(int status, std::string body) { return {status, "text/plain", std::move(body), {}}; }

void answer_with_body(net::HttpRequest&& request, net::Responder respond) { respond(text(200, request.body)); }

}  // namespace

TEST_SUITE("net") {
  TEST_CASE("the server hands method, path, query, headers and body to the handler") {
    net::HttpRequest seen;
    net::HttpServer server(loopback(), [&](net::HttpRequest&& request, net::Responder respond) {
      seen = std::move(request);
      respond(text(201, "made"));
    });
    auto port = server.start();
    auto reply = test::http(port, "POST", "/a/b?x=1&y=2", "hello", "text/plain");
    CHECK(reply.status == 201);
    CHECK(reply.body == "made");
    CHECK(seen.method == "POST");
    CHECK(seen.path == "/a/b");
    CHECK(seen.query == "x=1&y=2");
    CHECK(seen.header("content-type") == "text/plain");
    CHECK(seen.body == "hello");
    CHECK(seen.peer_ip == "127.0.0.1");
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("a handler may answer later from another thread") {
    std::vector<std::thread> workers;
    net::HttpServer server(loopback(), [&](net::HttpRequest&&, net::Responder respond) {
      workers.emplace_back([respond] { respond(text(200, "late")); });
    });
    auto port = server.start();
    CHECK(test::http(port, "GET", "/").body == "late");
    server.stop(std::chrono::seconds(1));
    for (auto& worker : workers) worker.join();
  }

  TEST_CASE("stop waits for an in-flight request to be answered before closing") {
    std::atomic<bool> entered{false};
    std::thread worker;
    net::HttpServer server(loopback(), [&](net::HttpRequest&&, net::Responder respond) {
      entered = true;
      worker = std::thread([respond] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a slow broker call
        respond(text(200, "finished"));
      });
    });
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    while (!entered) std::this_thread::yield();
    CHECK(server.requests_in_flight() == 1);
    server.stop(std::chrono::seconds(5));
    auto reply = connection.read_reply();
    CHECK(reply.body == "finished");
    CHECK(reply.headers["connection"] == "close");
    worker.join();
  }

  TEST_CASE("a response carries the security headers, and a header the handler sets replaces the default") {
    net::HttpServer server(loopback(), [](net::HttpRequest&&, net::Responder respond) {
      auto reply = text(200, "page");
      reply.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
      reply.headers.emplace_back("Cache-Control", "no-cache");
      respond(std::move(reply));
    });
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto reply = connection.read_reply();
    CHECK(reply.status == 200);
    CHECK(reply.body == "page");
    CHECK(reply.headers["content-type"] == "text/plain");
    CHECK(reply.headers["content-length"] == "4");
    CHECK(reply.headers["x-content-type-options"] == "nosniff");
    CHECK(reply.headers["x-frame-options"] == "SAMEORIGIN");
    CHECK(reply.headers["cache-control"] == "no-cache");
    // Still open: a second request on the same connection is answered.
    connection.send_raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_reply().body == "page");
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("a 204 answer has neither body nor Content-Length") {
    net::HttpServer server(loopback(), [](net::HttpRequest&&, net::Responder respond) { respond(text(204, "")); });
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto reply = connection.read_reply();
    CHECK(reply.status == 204);
    CHECK(reply.body.empty());
    CHECK(reply.headers.count("content-length") == 0);
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("a body over the limit is answered 400 and the connection closed") {
    net::HttpServer server(loopback(), [](net::HttpRequest&&, net::Responder respond) { respond(text(200, "")); });
    auto port = server.start();
    test::HttpConnection connection(port);
    auto reply = connection.request("POST", "/", std::string(1000, 'x'));
    CHECK(reply.status == 400);
    CHECK(reply.body == R"J({"status":"error","message":"Request body too large (limit 64 bytes)"})J");
    CHECK(connection.closed_by_server());
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("a malformed request line is answered 400 in the error envelope") {
    net::HttpServer server(loopback(), [](net::HttpRequest&&, net::Responder respond) { respond(text(200, "")); });
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("THIS IS NOT HTTP\r\n\r\n");
    auto reply = connection.read_reply();
    CHECK(reply.status == 400);
    CHECK(reply.body.find(R"("status":"error")") != std::string::npos);
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("Expect: 100-continue is honoured") {
    net::HttpServer server(loopback(), answer_with_body);
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    CHECK(connection.read_reply().status == 100);
    connection.send_raw("ok");
    CHECK(connection.read_reply().body == "ok");
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("a body that arrives in two parts is handed over whole") {
    net::HttpServer server(loopback(), answer_with_body);
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhe");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server has read the first part alone
    connection.send_raw("llo");
    CHECK(connection.read_reply().body == "hello");
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("requests sent back to back on one connection are each answered, in order") {
    net::HttpServer server(loopback(), answer_with_body);
    auto port = server.start();
    test::HttpConnection connection(port);
    connection.send_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo");
    CHECK(connection.read_reply().body == "one");
    CHECK(connection.read_reply().body == "two");
    server.stop(std::chrono::seconds(1));
  }

  TEST_CASE("binding a port that is taken fails with a clear error") {
    net::HttpServer first(loopback(), [](net::HttpRequest&&, net::Responder respond) { respond(text(200, "")); });
    auto options = loopback();
    options.port = first.start();
    net::HttpServer second(options, [](net::HttpRequest&&, net::Responder respond) { respond(text(200, "")); });
    CHECK_THROWS_WITH_AS(second.start(), doctest::Contains("cannot listen on"), std::runtime_error);
    first.stop(std::chrono::seconds(1));
  }
}
