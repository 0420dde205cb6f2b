#pragma once
// A deliberately small blocking HTTP/1.1 client over a raw socket, so tests can
// also send what a real client library never would (bad framing, huge bodies).
#include <cstdint>
#include <map>
#include <string>

namespace oa::test {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class HttpConnection {
 public:
  explicit HttpConnection(std::uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void send_raw(const std::string& bytes);
  // Reads one response (Content-Length framed). Throws on timeout or close.
  HttpReply read_reply();
  // True when the server has closed the connection (reads EOF within the wait).
  bool closed_by_server();
  HttpReply request(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& content_type = "application/json");

 private:
  int fd_ = -1;
  std::string buffer_;
  bool fill();
};

// One request on a fresh connection.
HttpReply http(std::uint16_t port, const std::string& method, const std::string& path,
               const std::string& body = "", const std::string& content_type = "application/json");

}  // namespace oa::test
