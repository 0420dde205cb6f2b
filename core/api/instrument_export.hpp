#pragma once
// Master-contract rows as the symbol endpoints answer them (rest_api.md C.6).
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "instruments/instrument_index.hpp"

namespace oa::api {

// The symtoken columns /instruments lists (/search and /symbol add more).
boost::json::object instrument_json(const instruments::Instrument& row);

// The body of /instruments' JSON answer, {"data":[...],"message":"Found N
// instruments","status":"success"}, written straight from the rows: a
// derivatives exchange lists some 100 000 of them.
std::string instruments_json_body(const std::vector<const instruments::Instrument*>& rows);

// /instruments?format=csv: the header "symbol,brsymbol,name,exchange,
// brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size" and a line
// per row, as Python's csv module writes them: CRLF line ends, a field quoted
// only when it holds a comma, a quote or a line break, floats as Python
// prints them (25000.0, 0.05).
std::string instruments_csv(const std::vector<const instruments::Instrument*>& rows);

}  // namespace oa::api
