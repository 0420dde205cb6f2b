#pragma once
// Internal to core/net: how the HTTP server hands a WebSocket upgrade request
// (already read) and its connection to the WebSocket server.
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "net/ws_server.hpp"

namespace oa::net {

using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;

void upgrade_to_websocket(WsServer& server, boost::beast::tcp_stream&& stream, UpgradeRequest&& request,
                          std::string peer_ip);
void upgrade_to_websocket(WsServer& server, boost::beast::ssl_stream<boost::beast::tcp_stream>&& stream,
                          UpgradeRequest&& request, std::string peer_ip);

}  // namespace oa::net
