// csv_reader.hpp — reads a broker's instrument file (RFC 4180 CSV) one record
// at a time as views into the downloaded text: nothing is copied, so a
// 100k-row file costs its own bytes and one record of views.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oa::sdk {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // The next record's fields, or false at the end. A quoted field is given
  // without its quotes; a doubled quote inside one stays doubled (instrument
  // files do not use them). Empty lines are skipped.
  bool next(std::vector<std::string_view>& fields) {
    fields.clear();
    while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) ++position_;
    if (position_ >= text_.size()) return false;
    for (;;) {
      fields.push_back(field());
      if (position_ >= text_.size()) return true;
      char separator = text_[position_++];
      if (separator == ',') continue;
      if (separator == '\r' && position_ < text_.size() && text_[position_] == '\n') ++position_;
      return true;
    }
  }

 private:
  std::string_view field() {
    if (position_ < text_.size() && text_[position_] == '"') {
      std::size_t start = ++position_;
      while (position_ < text_.size()) {
        if (text_[position_] == '"' && (position_ + 1 >= text_.size() || text_[position_ + 1] != '"')) break;
        position_ += text_[position_] == '"' ? 2 : 1;
      }
      std::string_view value = text_.substr(start, position_ - start);
      if (position_ < text_.size()) ++position_;  // the closing quote
      return value;
    }
    std::size_t start = position_;
    while (position_ < text_.size() && text_[position_] != ',' && text_[position_] != '\n' && text_[position_] != '\r')
      ++position_;
    return text_.substr(start, position_ - start);
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

// Column positions by header name, so a broker reordering its columns is harmless.
class CsvColumns {
 public:
  explicit CsvColumns(const std::vector<std::string_view>& header) {
    for (const auto& name : header) names_.emplace_back(name);
  }
  std::optional<std::size_t> find(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return i;
    return std::nullopt;
  }

 private:
  std::vector<std::string> names_;
};

}  // namespace oa::sdk
