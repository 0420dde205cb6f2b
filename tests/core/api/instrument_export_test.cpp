#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/instrument_export.hpp"
#include "api/json_text.hpp"

using namespace oa::api;
using oa::instruments::Instrument;

namespace {

Instrument option() {
  Instrument row;
  row.symbol = "NIFTY25AUG2625000CE";
  row.brsymbol = "NIFTY 25000 CE 25 AUG 26";
  row.name = "NIFTY";
  row.exchange = "NFO";
  row.brexchange = "NSE_FO";
  row.token = "NSE_FO|71399";
  row.expiry = "25-AUG-26";
  row.strike = 25000;
  row.lotsize = 65;
  row.instrumenttype = "CE";
  row.tick_size = 0.05;
  return row;
}

}  // namespace

TEST_SUITE("api") {
  TEST_CASE("an instrument is listed with the symtoken columns, floats as floats") {
    CHECK(to_json_text(instrument_json(option())) ==
          R"({"brexchange":"NSE_FO","brsymbol":"NIFTY 25000 CE 25 AUG 26","exchange":"NFO","expiry":"25-AUG-26",)"
          R"("instrumenttype":"CE","lotsize":65,"name":"NIFTY","strike":25000.0,"symbol":"NIFTY25AUG2625000CE",)"
          R"("tick_size":0.05,"token":"NSE_FO|71399"})");
  }

  TEST_CASE("the JSON listing is the envelope around the rows, each as instrument_json writes it") {
    auto row = option();
    row.name = "A \"B\" \\ C";
    auto body = instruments_json_body({&row, &row});
    auto expected = to_json_text(instrument_json(row));
    CHECK(body == "{\"data\":[" + expected + "," + expected +
                      "],\"message\":\"Found 2 instruments\",\"status\":\"success\"}\n");
    CHECK(instruments_json_body({}) == "{\"data\":[],\"message\":\"No instruments found\",\"status\":\"success\"}\n");
  }

  TEST_CASE("the CSV is what Python's csv module writes: CRLF lines, Python floats, quotes only where needed") {
    auto plain = option();
    auto awkward = option();
    awkward.name = "A, \"B\"";
    awkward.expiry = "";
    CHECK(instruments_csv({&plain, &awkward}) ==
          "symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size\r\n"
          "NIFTY25AUG2625000CE,NIFTY 25000 CE 25 AUG 26,NIFTY,NFO,NSE_FO,NSE_FO|71399,25-AUG-26,25000.0,65,CE,0.05\r\n"
          "NIFTY25AUG2625000CE,NIFTY 25000 CE 25 AUG 26,\"A, "
          "\"\"B\"\"\",NFO,NSE_FO,NSE_FO|71399,,25000.0,65,CE,0.05\r\n");
  }

  TEST_CASE("an empty CSV is its header alone") {
    CHECK(instruments_csv({}) ==
          "symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size\r\n");
  }
}
