#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace oa::test {

HttpConnection::HttpConnection(std::uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
}

HttpConnection::~HttpConnection() { close(fd_); }

void HttpConnection::send_raw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close early (e.g. an oversized body); the reply tells
    sent += static_cast<std::size_t>(n);
  }
}

bool HttpConnection::fill() {
  pollfd fd{fd_, POLLIN, 0};
  if (poll(&fd, 1, 10000) <= 0) throw std::runtime_error("timed out waiting for the server");
  char chunk[8192];
  ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

HttpReply HttpConnection::read_reply() {
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) throw std::runtime_error("connection closed before a response");
  HttpReply reply;
  std::string head = buffer_.substr(0, header_end);
  reply.status = std::stoi(head.substr(9, 3));
  std::size_t line_start = head.find("\r\n");
  while (line_start != std::string::npos && line_start < head.size()) {
    std::size_t line_end = head.find("\r\n", line_start + 2);
    std::string line = head.substr(line_start + 2, line_end == std::string::npos ? std::string::npos : line_end - line_start - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    line_start = line_end;
  }
  std::size_t length = reply.headers.contains("content-length") ? std::stoul(reply.headers["content-length"]) : 0;
  std::size_t body_start = header_end + 4;
  while (buffer_.size() < body_start + length)
    if (!fill()) throw std::runtime_error("connection closed inside a response body");
  reply.body = buffer_.substr(body_start, length);
  buffer_.erase(0, body_start + length);
  return reply;
}

bool HttpConnection::closed_by_server() {
  try {
    return !fill();
  } catch (const std::runtime_error&) {
    return false;
  }
}

HttpReply HttpConnection::request(const std::string& method, const std::string& path, const std::string& body,
                                  const std::string& content_type) {
  std::string message = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!content_type.empty()) message += "Content-Type: " + content_type + "\r\n";
  message += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  send_raw(message);
  return read_reply();
}

HttpReply http(std::uint16_t port, const std::string& method, const std::string& path, const std::string& body,
               const std::string& content_type) {
  HttpConnection connection(port);
  return connection.request(method, path, body, content_type);
}

}  // namespace oa::test
