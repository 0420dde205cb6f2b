#include "api/api_context.hpp"

namespace oa::api {

int http_status_for(oa_status status) {
  switch (status) {
    case OA_OK: return 200;
    case OA_ERR_INVALID_ARGUMENT: return 400;
    case OA_ERR_NOT_SUPPORTED: return 501;
    case OA_ERR_AUTH: return 403;
    case OA_ERR_NOT_FOUND: return 404;
    case OA_ERR_RATE_LIMITED: return 429;
    case OA_ERR_UPSTREAM: return 504;
    case OA_ERR_BROKER:
    case OA_ERR_INTERNAL: return 500;
  }
  return 500;
}

Route endpoint_route(const ApiContext& context, std::string method, std::string path, std::string summary,
                     Endpoint endpoint, RateClass rate_class) {
  return {std::move(method), std::move(path), std::move(summary),
          [&context, endpoint](net::HttpRequest&& request, net::Responder respond) {
            endpoint(context, std::move(request), std::move(respond));
          },
          rate_class};
}

}  // namespace oa::api
